"""The business of a meeting read as facts: motions and votes, attendance, interests, actions, next meeting, close.

Every real file in ../shared/data is checked for what it records (read from the file by hand),
every file for the invariants of a quote (a verbatim span inside one item that holds the value's
words), and small made-up snippets for each way minutes say these things.
"""
from __future__ import annotations

import functools
import re
import time

import pytest

from ingest.clean import clean
from ingest.items import item_at
from ingest.loaders import load
from ingest.model import FACT_KINDS, Fact, Meeting, RawDocument
from ingest.pipeline import read_meeting
from ingest.structure import parse
from tests.conftest import CORPUS, SHARED_DATA, shared_data

MOTION_KINDS = {"motion", "mover", "seconder", "result", "tally", "voted_for", "against", "abstained", "passed", "vote_absent",
                "resolution"}
ONE_PER_MOTION = ("motion", "mover", "seconder", "result", "tally")


@functools.lru_cache(maxsize=None)  # PDFs are slow to read; the tests only look
def real(folder: str, name: str) -> Meeting:
    return read_meeting(shared_data(folder, name))


def council(name: str) -> Meeting:
    return real("council-minutes", name)


@functools.lru_cache(maxsize=None)
def sample(name: str) -> Meeting:
    return read_meeting(CORPUS / name)


def read(text: str) -> Meeting:
    document = RawDocument(path="minutes.txt", kind="text", pages=[text])
    return parse(clean(document), "minutes.txt", document.metadata)


# --- looking things up ------------------------------------------------------------------


def rows(meeting: Meeting, kind: str, value: str | None = None) -> list[Fact]:
    """The rows of a kind that name someone or something: not the row saying there were none."""
    return [f for f in meeting.facts if f.kind == kind and f.value != "none" and (value is None or f.value == value)]


def none_stated(meeting: Meeting, kind: str) -> list[str]:
    """The quotes of the rows saying the minutes recorded none of a kind."""
    return [meeting.text[f.start:f.end] for f in meeting.facts if f.kind == kind and f.value == "none"]


def values(meeting: Meeting, kind: str) -> set[str]:
    return {f.value for f in rows(meeting, kind)}


def one(meeting: Meeting, kind: str, value: str) -> Fact:
    found = rows(meeting, kind, value)
    assert found, f"no {kind} {value!r} in {sorted(values(meeting, kind))}"
    return found[0]


def quote(meeting: Meeting, fact: Fact) -> str:
    return meeting.text[fact.start:fact.end]


def motions(meeting: Meeting) -> dict[int, list[Fact]]:
    grouped: dict[int, list[Fact]] = {}
    for fact in meeting.facts:
        if fact.motion is not None:
            grouped.setdefault(fact.motion, []).append(fact)
    return grouped


def motion(meeting: Meeting, **wanted: str) -> list[Fact]:
    """The one motion whose rows hold every (kind=value) given; a value ending in "..." is a prefix."""
    found = []
    for facts in motions(meeting).values():
        if all(any(_same(f, kind, want) for f in facts) for kind, want in wanted.items()):
            found.append(facts)
    assert found, f"no motion with {wanted}"
    return found[0]


def motions_with(meeting: Meeting, **wanted: str) -> list[list[Fact]]:
    return [facts for facts in motions(meeting).values()
            if all(any(_same(f, kind, want) for f in facts) for kind, want in wanted.items())]


def _same(fact: Fact, kind: str, want: str) -> bool:
    if fact.kind != kind:
        return False
    return fact.value.startswith(want[:-3]) if want.endswith("...") else fact.value == want


def of(facts: list[Fact], kind: str) -> list[str]:
    return [f.value for f in facts if f.kind == kind]


# --- every file: the invariants of a quoted fact ------------------------------------------------


def _real_files() -> list[tuple[str, str]]:
    found = []
    for folder in ("opcc", "council-minutes"):
        path = SHARED_DATA / folder
        if path.is_dir():
            found += [(folder, p.name) for p in sorted(path.iterdir()) if p.name != "SOURCES.txt"]
    return found or [("council-minutes", "absent")]  # one case that skips with the reason


ALL_FILES = [("real", folder, name) for folder, name in _real_files()] + [
    ("sample", "corpus", p.name) for p in sorted(CORPUS.iterdir())
]


def _meeting(source: str, folder: str, name: str) -> Meeting:
    return real(folder, name) if source == "real" else sample(name)


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@pytest.mark.parametrize(("source", "folder", "name"), ALL_FILES, ids=[f[2] for f in ALL_FILES])
def test_every_fact_quotes_a_verbatim_span_inside_one_item(source, folder, name):
    meeting = _meeting(source, folder, name)
    assert meeting.facts, "every file records some business"
    starts = [i.start for i in meeting.items]
    for fact in meeting.facts:
        where = f"{fact.kind} {fact.value!r} at {fact.start}"
        assert fact.kind in FACT_KINDS, where
        assert fact.value.strip() == fact.value and fact.value, where
        assert 0 <= fact.start < fact.end <= len(meeting.text), where
        span = quote(meeting, fact)
        assert span == span.strip() and re.search(r"\w", span), where
        assert not any(fact.start < s < fact.end for s in starts), f"{where} crosses an agenda item"
        item = item_at(meeting.items, fact.start)
        assert fact.item == (item.number if item else None), where
        assert fact.page == meeting.page_at(fact.start), where
        if fact.value == "none":   # "There were no apologies", "None were declared"
            assert re.search(r"\b(no|none|nil)\b", span, re.I), where
            continue
        missing = [t for t in _tokens(fact.value) if t not in span.lower()]  # "seconded byTMA" holds "TMA"
        assert not missing, f"{where}: {missing} not in {span!r}"
        assert fact.end - fact.start <= 1000, where
        if fact.kind in MOTION_KINDS:
            assert fact.motion is not None, where
        else:
            assert fact.motion is None, where


@pytest.mark.parametrize(("source", "folder", "name"), ALL_FILES, ids=[f[2] for f in ALL_FILES])
def test_facts_of_one_motion_share_its_number_and_its_item(source, folder, name):
    meeting = _meeting(source, folder, name)
    grouped = motions(meeting)
    assert sorted(grouped) == list(range(1, len(grouped) + 1)), "motions are numbered 1, 2, 3 ... in the minutes' order"
    firsts = [min(f.start for f in facts) for _, facts in sorted(grouped.items())]
    assert firsts == sorted(firsts)
    for number, facts in grouped.items():
        assert len({f.item for f in facts}) == 1, f"motion {number} runs over two items: {facts}"
        for kind in ONE_PER_MOTION:
            assert len(of(facts, kind)) <= 1, f"motion {number} has two {kind} rows: {facts}"
        assert set(of(facts, "motion")) <= {f.value for f in facts}, number
        if of(facts, "motion"):  # what was moved is kept only for a motion something was said of
            assert {f.kind for f in facts} - {"motion", "resolution"}, number


@pytest.mark.parametrize(("source", "folder", "name"), ALL_FILES, ids=[f[2] for f in ALL_FILES])
def test_one_row_per_person_for_attendance(source, folder, name):
    meeting = _meeting(source, folder, name)
    for kind in ("present", "apologies", "absent", "chair", "clerk"):
        names = [f.value.lower() for f in rows(meeting, kind)]
        assert len(names) == len(set(names)), (kind, names)
    present, attendees = values(meeting, "present"), {a.name for a in meeting.attendees}
    assert present <= attendees and len(present) >= 0.8 * len(attendees), attendees - present


# --- OPCC --------------------------------------------------------------------------------------------


def test_opcc_monthly_assurance():
    m = real("opcc", "west-mercia-monthly-assurance-2021-10-21.txt")
    assert values(m, "chair") == {"John Campion"} and values(m, "clerk") == {"Jackie Irvin"}
    assert quote(m, one(m, "clerk", "Jackie Irvin")).startswith("Minutes: Jackie Irvin")
    assert {"John Campion", "Pippa Mills", "Rachel Jones", "Beth Bridges"} <= values(m, "present")
    assert quote(m, one(m, "present", "Pippa Mills")) == "Pippa Mills\tChief Constable (CC)"
    actions = rows(m, "action", "CC")
    assert {a.detail for a in actions} == {"2021-11-04", None} and {a.item for a in actions} == {"2.4"}
    assert any(quote(m, a).startswith("The CC agreed to provide") for a in actions)
    nxt = one(m, "next_meeting", "Wednesday 24th November 2021 14:00 \u2013 16:00")
    assert nxt.detail == "2021-11-24" and nxt.item == "4"
    assert not rows(m, "apologies") and not motions(m) and not rows(m, "closed")


# --- Limerick (Ireland) --------------------------------------------------------------------------------


def test_limerick_budget_meeting():
    m = council("ie_limerick_council_budget_2023-11-17.md")
    assert values(m, "chair") == {"G. Mitchell"} and "Ms. L. Flannery" in values(m, "clerk")
    assert {"Novak U\u00ed Chonch\u00fair", "Sheahan (J)", "Mr. S. Coughlan"} <= values(m, "present")
    amendment = motion(m, mover="L. Galvin", seconder="John Sheehan")
    assert of(amendment, "result") == ["agreed"]
    budget = motion(m, mover="J. Sheahan", seconder="K. O\u2019Hanlon")
    assert of(budget, "result") == ["agreed and resolved"]
    assert of(budget, "motion")[0].startswith("THAT the draft Annual Budget for the financial year ending 31st December, 2024")
    assert sum(v.startswith("AND THAT") for v in of(budget, "resolution")) >= 3
    read_in = motion(m, result="unanimously")
    assert of(read_in, "resolution")[0].startswith("the Chief Executive\u2019s Report on the Draft Budget 2024")
    assert not rows(m, "apologies") and not rows(m, "interest")


def test_limerick_ordinary_meeting():
    m = council("ie_limerick_council_ordinary_2024-01-22.md")
    apology = one(m, "apologies", "Ryan (M)")
    assert quote(m, apology).startswith("An apology for his inability to attend the Meeting was received")
    disposals = motions_with(m, mover="Collins (M)", seconder="Sheahan (J)", result="Resolved")
    assert len(disposals) >= 25
    assert any(v.startswith("That, in accordance with the provisions of Section 183")
               for facts in disposals for v in of(facts, "resolution"))
    plan = motion(m, mover="Sheahan (J)", seconder="Collins (M)")
    assert plan[0].item == "4"
    lighting = motion(m, mover="Sheehan (C)", seconder="O\u2019Hanlon")
    assert of(lighting, "result") == ["adopted"]
    assert of(lighting, "motion")[0].startswith("that the Council write to the Minister for Housing")
    expo = motion(m, mover="Ryan (E)", seconder="Egan")
    assert of(expo, "motion")[0].startswith("that the Local Authority would investigate the feasibility")
    conferences = motion(m, mover="Collins (M)", result="approved")
    assert of(conferences, "motion") == ["the attendance of the following Members"]
    assert not rows(m, "interest"), "No such interests were declared."


def test_adare_rathkeale_district():
    m = council("ie_limerick_md-adare-rathkeale_2023-05-16.md")
    assert values(m, "chair") == {"S. Keary"} and values(m, "clerk") == {"Mr. M. Curran"}
    assert {"Collins", "O\u2019Brien", "Teskey", "Ms. C. Curley"} <= values(m, "present")
    minutes = motion(m, mover="O\u2019Donoghue", seconder="Teskey", result="Resolved")
    assert of(minutes, "resolution") == ["That the draft Minutes, as circulated, be taken as read, adopted and signed"]
    assert [quote(m, f) for f in minutes if f.kind == "mover"] == ["Proposed by Councillor O\u2019Donoghue;"]
    report = motion(m, mover="Collins", seconder="O\u2019Donoghue", result="agreed", motion="The report, as circulated")
    assert report[0].item == "2"
    allocations = [facts for facts in motions(m).values() if "to allocate the following" in of(facts, "motion")]
    assert {of(facts, "mover")[0] for facts in allocations} == {"O\u2019Brien", "Collins", "Teskey", "O\u2019Donoghue", "Keary", "Sheahan"}
    twinning = motion(m, mover="Collins", seconder="O\u2019Donoghue", motion="that Limerick City and County Council provides funding...")
    assert twinning[0].item == "12"
    assert one(m, "next_meeting", "Tuesday 13th June, 2023").detail == "2023-06-13"
    assert not rows(m, "interest") and not rows(m, "apologies")


def test_newcastle_west_district():
    m = council("ie_limerick_md-newcastle-west_2023-03-01.md")
    assert values(m, "chair") == {"M. Collins"}
    motion(m, mover="Galvin", seconder="Scanlan", result="Resolved")
    gma = [facts for facts in motions(m).values() if facts[0].item == "5"]
    assert len(gma) == 9
    assert of(gma[0], "motion")[0].startswith("to reallocate the sum of \u20ac650")
    last = motion(m, mover="Collins", seconder="Scanlan", motion="to allocate \u20ac500...")
    assert not of(last, "result"), "it was only proposed, not agreed"
    lights = motion(m, mover="Ruddle", seconder="Collins")
    assert of(lights, "motion")[0].startswith("that due to the shockingly bad level of service")
    croi = motion(m, mover="Sheahan", result="agreed")
    assert of(croi, "motion")[0].startswith("that the Meetings Administrator would refer")
    assert one(m, "next_meeting", "Wednesday, 5th April, 2023, at 10.00 a.m., at \u00c1ras William Smith OBrien").detail == "2023-04-05"


# --- UK parishes ----------------------------------------------------------------------------------------


def test_boughton():
    m = council("uk_parish_boughton_2012-05-04.md")
    proposal = motion(m, mover="FRE", seconder="TMA")
    assert proposal[0].item == "4"
    assert values(m, "chair") == {"Frank Reid"} and values(m, "clerk") == {"Dave Horkan"}
    assert len(values(m, "present")) == 7 and "Tim Madjwick" in values(m, "present")
    assert quote(m, one(m, "present", "Dave Horkan")) == "Dave Horkan (DHO)\tClerk"
    assert one(m, "next_meeting", "10th August 2012 \u201319:00").detail == "2012-08-10"


def test_northwold_annual_meeting():
    m = council("uk_parish_northwold_2010-annual.md")
    assert values(m, "apologies") == {"Mrs V Lynch", "Mr Tony White"}
    assert quote(m, one(m, "apologies", "Mr Tony White")) == "County Councillor, Mr Tony White"
    wells = one(m, "interest", "Mr M Wells")
    assert "item 11.2" in wells.detail and wells.item == "11.2"
    assert "Mrs R Crisp" in values(m, "chair")
    assert "to continue with Mr. B Fox as Internal Auditor" in values(m, "resolution")
    assert len(values(m, "present")) == 9


def test_northwold_march_meeting():
    m = council("uk_parish_northwold_2013-03.md")
    peake, eglington = one(m, "apologies", "Mr M Peake"), one(m, "apologies", "Mr F Eglington")
    assert quote(m, peake) == quote(m, eglington) == "Mr M Peake, Mr F Eglington"
    assert "family member works for CGM" in one(m, "interest", "Mr Jenkinson").detail
    glass = motion(m, mover="Mr Collins")
    assert of(glass, "motion") == ["that the Sports and Social club should receive the money from the glass"]
    assert any(v.startswith("\u00a3350 would be contributed") for v in values(m, "resolution"))
    assert {"Mrs Lynch", "Mr Collins", "clerk"} <= values(m, "action")
    assert "Councillors agreed" not in values(m, "resolution"), "\"All Councillors agreed.\" resolves nothing"


def test_stoke_ferry_2018():
    m = council("uk_parish_stoke-ferry_2018-02-07.md")
    assert not rows(m, "apologies") and not rows(m, "interest"), "none received, none declared"
    minutes = motion(m, mover="Grant Tomkins", seconder="Jim McNeill")
    assert of(minutes, "tally") == ["seven were in favour and one abstained"] and minutes[0].item == "26/18"
    vice = motion(m, mover="Chair", seconder="Grant Tomkins")
    assert of(vice, "motion") == ["Cllr Jim McNeill for the position of Vice-Chair"]
    co_opt = motion(m, mover="Trudy Mann", seconder="Mandy Leamon", result="all agreed")
    assert of(co_opt, "resolution")[0].startswith("the Parish Council all agreed to co-opt Gail Boughen")
    auditor = motion(m, mover="Grant Tomkins", seconder="Mandy Leamon")
    assert auditor[0].item == "37/18" and of(auditor, "result") == ["all agreed"]
    payments = motion(m, mover="Mandy Leamon", seconder="Daphne Clements")
    assert payments[0].item == "43/18"
    assert "to add the 15 minutes for the Parish Council to discuss the Mill" in values(m, "resolution")
    assert any(quote(m, a) == "The Clerk agreed to invite a representative from the Emergency Planning Team at the Borough "
               "Council to come to the April meeting." for a in rows(m, "action", "Clerk"))
    assert one(m, "next_meeting", "Wednesday 7 March 2018 at 7.00 pm").detail == "2018-03-07"
    assert values(m, "closed") == {"9.50 pm"}
    assert {"Sue Lintern"} == values(m, "chair") and {"Helen Richardson"} == values(m, "clerk")
    assert {"Martin Storey", "Colin Sampson"} <= values(m, "present"), "also in attendance"


def test_stoke_ferry_2019():
    m = council("uk_parish_stoke-ferry_2019-02.md")
    assert one(m, "apologies", "Kit Hesketh-Harvey").detail == "personal"
    assert one(m, "apologies", "Grant Tomkins").detail == "work commitments"
    assert quote(m, one(m, "apologies", "Colin Sampson")) == "Cllr Colin Sampson had sent apologies to the meeting."
    payments = motion(m, mover="Daphne Clements", seconder="Gail Reeve")
    assert of(payments, "abstained") == ["Jim McNeill"] and of(payments, "tally") == ["five in favour"]
    policy = motion(m, mover="Mandy Leamon", seconder="Daphne Clements", result="all agreed")
    assert of(policy, "motion")[0].startswith("approval of the revisions to the Complaints Policy")
    minutes = motion(m, mover="Jim McNeill", seconder="Gail Reeve", result="all agreed")
    assert of(minutes, "motion")[0].startswith("The minutes of the Ordinary meeting held on 9 January 2019")
    assert values(m, "closed") == {"8.41 pm"}, "adjourned at 8.26 pm for public comments is no close"
    assert one(m, "next_meeting", "Wednesday 6th March 2019").detail == "2019-03-06"


def test_wereham():
    m = council("uk_parish_wereham_2014-05-13.md")
    assert one(m, "arrived", "Karin Newell").detail == "7.40pm"
    chair = motion(m, mover="GK", seconder="PN", result="All in favour")
    assert of(chair, "motion") == ["JB put herself forward as Chairperson"]
    bins = motion(m, tally="4 in favour, 2 against")
    assert of(bins, "mover") == ["JB"] and of(bins, "seconder") == ["GK"] and bins[0].item == "7.6"
    lights = motion(m, mover="DD", seconder="GK")
    assert of(lights, "resolution") == ["lights will be replaced as and when they fail, not as a whole"]
    assert len(rows(m, "result", "All in favour")) >= 15
    assert set(of([f for facts in motions(m).values() for f in facts], "seconder")) <= {"PN", "GK", "DD", "KN"}
    assert one(m, "interest", "GK").item == "6.1"
    assert values(m, "chair") == {"Jo Bruce"} and values(m, "clerk") == {"Nicola Cooper"}
    assert {"KN", "DD", "Clerk", "JB / RL"} <= values(m, "action")
    assert values(m, "closed") == {"9pm"}
    assert one(m, "next_meeting", "Tuesday July 8th 2014, 7.30pm").detail == "2014-07-08"


def test_west_dereham_2018():
    m = council("uk_parish_west-dereham_2018-11-08.md")
    assert values(m, "apologies") == {"Claire Williams", "Lorraine Hunt", "Brian Long", "Sandra Squire"}
    assert "10.3" in one(m, "interest", "CC").detail
    majority = motion(m, result="majority decision")
    assert of(majority, "resolution") == ["The Parish Councillors agreed to object"] and majority[0].item == "10.2"
    assert motion(m, result="unanimous decision")[0].item == "10.4"
    assert values(m, "closed") == {"9.35pm"}
    nxt = rows(m, "next_meeting")
    assert [n.detail for n in nxt] == ["2019-02-07"], "the 2018 date printed under item 13 is not after the meeting"
    assert values(m, "chair") == {"Claire Cann"} and values(m, "clerk") == {"Peter King"}


def test_west_dereham_2020():
    m = council("uk_parish_west-dereham_2020-10.md")
    assert one(m, "apologies", "Tim Glover").detail == "on a Councillor training course"
    assert not rows(m, "interest"), "no personal interests"
    printer = motion(m, seconder="SP", result="approved")
    assert of(printer, "motion")[0].startswith("LH noted that the Parish Council was unsure") and printer[0].item == "7.3"
    assert values(m, "closed") == {"8.05pm"}
    assert one(m, "next_meeting", "Thursday 5th November 2020 at 7.00pm").detail == "2020-11-05"
    assert values(m, "chair") == {"Lorraine Hunt"}


# --- Des Moines and Portland (US) ----------------------------------------------------------------------


def test_des_moines_1996():
    m = council("us_desmoines_council_1996-01-02.pdf")
    assert values(m, "present") == {"Davis", "Phillips", "Daniels", "Flagg", "Hensley", "McPherson", "Vlassis"}
    failed = motion(m, result="MOTION FAILED")
    assert of(failed, "mover") == ["Flagg"]
    assert set(of(failed, "against")) == {"Davis", "Phillips", "Hensley", "Vlassis"}, "the Yeas did not vote against"
    split = motion(m, tally="5-2", against="Flagg")
    assert set(of(split, "against")) == {"Flagg", "Hensley"}
    passed = motion(m, tally="4-1-1-1", passed="Flagg")
    assert of(passed, "against") == ["McPherson"] and of(passed, "vote_absent") == ["Daniels"]
    conflicts = rows(m, "interest", "Davis")
    assert conflicts and all(any(a.start == c.start for a in rows(m, "abstained", "Davis")) for c in conflicts)
    assert len(rows(m, "vote_absent", "Daniels")) >= 40
    assert one(m, "left", "Daniels").detail == "5:32"
    assert values(m, "closed") == {"8:10 P.M."}
    assert not rows(m, "absent"), "Absent: inside a vote is vote_absent"


def test_des_moines_1998():
    m = council("us_desmoines_council_1998-11-16.pdf")
    assert values(m, "absent") == {"Daniels", "Vlassis"}
    assert quote(m, one(m, "absent", "Vlassis")) == "Absent: Daniels and Vlassis."
    assert values(m, "present") == {"Coleman", "Flagg", "Hensley", "McPherson", "Phillips"}
    assert of(motion(m, tally="4-1-2", against="Coleman"), "mover") == ["Hensley"]
    assert len(rows(m, "tally", "5-2")) >= 100
    assert values(m, "closed") == {"6:09 P.M."}


def test_des_moines_1999():
    m = council("us_desmoines_council_1999-02-22.pdf")
    neighbourhood = motion(m, tally="5-1-1", against="Belken", passed="McPherson")
    assert neighbourhood[0].item == "99-493"
    assert one(m, "interest", "Hensley").item == "99-509"
    assert one(m, "abstained", "Hensley").item == "99-509"
    assert set(of(motion(m, tally="5-2", against="Flagg"), "against")) == {"Flagg", "Belken"}
    assert "Vlassis" in values(m, "vote_absent") and not rows(m, "absent")
    assert values(m, "closed") == {"7:51 P.M."}


def test_des_moines_2005():
    m = council("us_desmoines_council_2005-05-09.pdf")
    assert values(m, "absent") == {"Cownie"} and one(m, "absent", "Cownie").item == "05-1101"
    assert "Hensley" in values(m, "interest") and "Hensley" in values(m, "passed")
    assert values(m, "closed") == {"5:38 P.M."}
    assert not any(v.startswith("Moved") for v in values(m, "action")), "\"Moved Hensley to adopt\" is a motion, not a task"


def test_des_moines_special_2022():
    m = council("us_desmoines_council_special_2022-01-14.pdf")
    assert values(m, "present") == {"Cownie", "Boesen", "Mandelbaum", "Voss", "Westergaard"}
    assert values(m, "absent") == {"Gatto"}
    assert quote(m, one(m, "absent", "Gatto")) == "Absent:\nGatto."
    assert one(m, "arrived", "Sheumaker").detail == "7:32 a.m."
    weather = motion(m, motion="to address cold weather conditions as follows")
    assert of(weather, "mover") == ["Mandelbaum"] and of(weather, "tally") == ["6-0"], "the result follows its list"
    assert of(motion(m, motion="to adjourn"), "tally") == ["5-0"]
    assert of(motion(m, mover="Boesen"), "motion") == ["APPROVING AGENDA, AS PRESENTED AND/OR, AS AMENDED"]


def test_portland_minutes_and_transcript():
    m = council("us_portland_council_2011-01-12_minutes+transcript.txt")
    assert values(m, "present") >= {"Mayor Adams", "Fish", "Fritz", "Leonard", "Saltzman", "Karla Moore-Love"}
    assert values(m, "chair") == {"Mayor Adams"} and values(m, "clerk") == {"Karla Moore-Love"}
    assert one(m, "arrived", "Leonard").detail == "9:36 a.m."
    substitute = motion(m, motion="to accept the substitute ordinance")
    assert of(substitute, "mover") == ["Fish"] and of(substitute, "seconder") == ["Fritz"] and of(substitute, "tally") == ["Y-5"]
    report = motion(m, motion="to accept substitute report")
    assert of(report, "mover") == ["Adams"] and of(report, "seconder") == ["Fish"]
    assert values(m, "closed") == {"10:31 a.m."}
    assert len(motions(m)) == 2, "the consent agenda's (Y-5) marks are no motions of their own"


# --- the sample corpus ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [p.name for p in sorted(CORPUS.iterdir())])
def test_sample_minutes_give_chair_clerk_and_next_meeting(name):
    m = sample(name)
    assert values(m, "chair") == {m.chair}
    assert m.minute_taker in values(m, "clerk")
    assert [f.detail for f in rows(m, "next_meeting")] == [m.next_meeting_date]
    assert len(values(m, "present")) >= 5
    for action in m.actions:
        assert any(f.value == action.owner and f.detail == action.due for f in rows(m, "action")), action


def test_sample_audit_committee():
    first = sample("joint-audit-committee-2022-04-26.md")
    assert "The Committee approved the internal audit plan for 2022/23" in values(first, "resolution")
    assert not rows(first, "apologies") and not rows(first, "interest"), "There were no apologies. / None."
    later = sample("joint-audit-committee-2023-07-25.html")
    assert values(later, "apologies") == {"Alan Moorcroft"}
    assert "Harrowgate LLP" in one(later, "interest", "Fiona Castell").detail
    assert one(later, "action", "CFO").detail == "2023-08-31"


def test_sample_assurance_meetings():
    assert values(sample("monthly-assurance-2021-06-17.txt"), "apologies") == {"Colin Ashworth"}
    november = sample("monthly-assurance-2021-11-18.pdf")
    assert values(november, "absent") == {"DoP"}
    march = sample("monthly-assurance-2022-03-17.pdf")
    assert quote(march, one(march, "action", "DoP")) == "The DoP agreed to include this in the recruitment plan."
    target = motion(sample("monthly-assurance-2024-03-21.txt"), mover="DCC")
    assert of(target, "motion")[0].startswith("that the target should be raised to 85%")


def test_sample_police_and_crime_panels():
    first = sample("police-and-crime-panel-2021-09-20.html")
    assert values(first, "apologies") == {"Raj Mehta"}
    assert "non-pecuniary interest" in one(first, "interest", "Susan Oakley").detail
    assert "The Panel agreed its work programme" in values(first, "resolution")
    precept = sample("police-and-crime-panel-2022-02-07.docx")
    assert of(motion(precept, result="unanimously"), "resolution")[0].startswith("The Panel unanimously supported")
    assert values(precept, "closed") == {"4:25 pm"}
    assert values(sample("police-and-crime-panel-2022-10-10.txt"), "apologies") == {"David Fenwick"}
    vote = sample("police-and-crime-panel-2023-02-06.pdf")
    assert of(motion(vote, tally="8 votes to 3"), "resolution")[0].startswith("The Panel supported the proposed precept of \u00a3263.12")
    assert values(vote, "interest") == {"Susan Oakley", "Leon Hardy"}
    assert not rows(vote, "apologies"), "\"She apologised to the Panel\" is no apology for absence"
    annual = sample("police-and-crime-panel-2023-06-12.docx")
    obi = motion(annual, result="unanimous")
    assert of(obi, "resolution")[0].startswith("The Panel recommended that Marcus Obi be appointed")
    hardy, oakley = one(annual, "interest", "Leon Hardy"), one(annual, "interest", "Susan Oakley")
    assert (hardy.start, hardy.end) == (oakley.start, oakley.end)
    latest = sample("police-and-crime-panel-2024-02-05.md")
    assert of(motion(latest, tally="10 votes to 1"), "tally") == ["10 votes to 1"]
    assert values(latest, "apologies") == {"Helen Marsh"}


# --- made-up snippets, one way of saying things each ---------------------------------------------------------------


US_VOTES = """CITY COUNCIL MEETING
January 5, 2021 5:00 P.M.
21-001 1. ROLL CALL: Present: Smith, Jones, Brown and Green. Absent: White.
21-002 2. Approving agenda. Moved by Jones to adopt. Motion Carried 6-1. Nays: Brown. Pass: Green. Absent: White.
21-003 3. Adjourn. Moved by Smith to adjourn at 6:15 P.M. Motion Carried 4-0.
"""


def test_us_roll_call_and_vote():
    m = read(US_VOTES)
    assert values(m, "present") == {"Smith", "Jones", "Brown", "Green"}
    assert values(m, "absent") == {"White"} and quote(m, one(m, "absent", "White")) == "Absent: White."
    vote = motion(m, mover="Jones")
    assert of(vote, "motion") == ["to adopt"] and of(vote, "result") == ["Motion Carried"] and of(vote, "tally") == ["6-1"]
    assert of(vote, "against") == ["Brown"] and of(vote, "passed") == ["Green"] and of(vote, "vote_absent") == ["White"]
    assert {f.item for f in vote} == {"21-002"}
    assert one(m, "closed", "6:15 P.M.").detail == "18:15"


def test_a_vote_list_may_go_on_over_a_line_break():
    m = read("1. Item\nMoved by Ames to adopt. Motion Carried 5-1-1. Nays:\nBrown. Pass: Cole.\n2. Next\nText.\n")
    vote = motion(m, mover="Ames")
    assert of(vote, "against") == ["Brown"] and quote(m, one(m, "against", "Brown")) == "Nays:\nBrown."
    assert of(vote, "passed") == ["Cole"]


def test_short_parish_proposal_forms():
    m = read("7.2 It was agreed that lights will be replaced. Prop. AB, 2nd CD, all in favour.\n"
             "7.3 Grass cutting quote accepted. Prop JB, 2nd DD All in favour.\n"
             "7.4 Budget limit of \u00a3150 agreed. Prop. JB, 2nd GK, 4 in favour, 2 against.\n")
    lights = motion(m, mover="AB", seconder="CD", result="all in favour")
    assert of(lights, "resolution") == of(lights, "motion") == ["lights will be replaced"]
    assert of(motion(m, mover="JB", seconder="DD"), "result") == ["All in favour"]
    assert of(motion(m, seconder="GK"), "tally") == ["4 in favour, 2 against"]


def test_irish_proposal_forms():
    m = read("""1. Grants
On the proposal of Councillor A. Byrne, seconded by Councillor K. Ryan, it was agreed to allocate \u20ac500 to the Tidy Towns.
2. Housing
Proposed by Councillor A. Byrne;
Seconded by Councillor K. Ryan.
And Resolved:
\u201cThat the report be adopted.\u201d
3. Motion
Notice of Motion submitted by Councillor P. Nolan
I will move at the next Meeting that the Council repair the pier.
The Motion was seconded by Councillor K. Ryan.
In proposing the Motion, Councillor Nolan referred to storms.
""")
    grants = motion(m, mover="A. Byrne", seconder="K. Ryan", result="agreed")
    assert of(grants, "motion") == of(grants, "resolution") == ["to allocate \u20ac500 to the Tidy Towns"]
    housing = motion(m, result="Resolved")
    assert of(housing, "mover") == ["A. Byrne"] and of(housing, "resolution") == ["That the report be adopted"]
    assert quote(m, one(m, "seconder", "K. Ryan")) in ("Seconded by Councillor K. Ryan.", quote(m, grants[0]))
    assert [quote(m, f) for f in housing if f.kind == "seconder"] == ["Seconded by Councillor K. Ryan."]
    notice = motion(m, mover="Nolan")
    assert of(notice, "seconder") == ["K. Ryan"] and of(notice, "motion") == ["that the Council repair the pier"]


def test_passive_and_active_proposals():
    m = read("""4. Planning
The report, as circulated, was proposed by Councillor Hayes, seconded by Councillor Quinn, and agreed.
Cllr Mandy Lee proposed approval of the revised policy, Cllr Daphne Cole seconded it, all agreed.
It was proposed by Cllr Price and seconded by Cllr Reed that the precept be set at \u00a312,000. The motion was put to the vote and carried, 4 in favour, 2 against. Cllr Joe Bloggs voted against.
The Clerk advised that the hall was free. This proposal was seconded by Cllr Dee and approved.
""")
    assert of(motion(m, mover="Hayes", seconder="Quinn"), "motion") == ["The report, as circulated"]
    assert of(motion(m, mover="Mandy Lee", seconder="Daphne Cole", result="all agreed"), "motion") == ["approval of the revised policy"]
    precept = motion(m, mover="Price", seconder="Reed")
    assert of(precept, "motion") == ["that the precept be set at \u00a312,000"] and of(precept, "result") == ["carried"]
    assert of(precept, "tally") == ["4 in favour, 2 against"] and of(precept, "against") == ["Joe Bloggs"]
    assert of(motion(m, seconder="Dee"), "motion") == ["The Clerk advised that the hall was free"]


def test_proposals_in_brackets_by_a_motion_and_counts_with_their_result():
    m = read("""4. Contracts
RESOLVED: to accept the quote from Greenway Ltd (proposed Cllr Smith, seconded Cllr Jones).
On a motion by Cllr Price, seconded by Cllr Reed, the Council voted 5 to 2 to approve the budget.
5. Parking
Cllr Dee proposed a residents' parking scheme. The motion was put to the vote and was lost by 3 votes to 4.
""")
    greenway = motion(m, mover="Smith", seconder="Jones")
    assert of(greenway, "motion") == ["to accept the quote from Greenway Ltd"]
    budget = motion(m, mover="Price", seconder="Reed")
    assert of(budget, "motion") == ["to approve the budget"] and of(budget, "tally") == ["5 to 2"]
    assert not of(budget, "result"), "a vote was taken: its count says how it went, not the word voted"
    assert of(motion(m, mover="Dee", result="lost"), "tally") == ["3 votes to 4"]


def test_a_result_with_its_count_keeps_both():
    m = read("""4. Allotments
Cllr Stone proposed that allotment rents rise by 5%. Seconded by Cllr Shah. Motion carried by 4 votes to 1.
5. Parking
Proposed by Cllr Dee, seconded by Cllr Low, that a parking scheme be adopted. The Council voted 10-2 in favour.
""")
    rents = motion(m, mover="Stone", seconder="Shah")
    assert of(rents, "result") and of(rents, "tally") == ["4 votes to 1"]
    assert of(motion(m, mover="Dee"), "tally") == ["10-2"]


def test_a_date_after_voted_is_no_count():
    m = read("4. Budget\nMembers voted 12 to 15 June for the consultation to run. Cllr Dee proposed the budget.\n")
    assert not rows(m, "tally")


def test_resolutions():
    m = read("""3. Finance
RESOLVED that the accounts be approved.
DECISION: It was agreed that the bank be changed.
It was resolved that the grant be paid.
The Panel agreed to refer the matter to the Board.
Resolved: The Panel supported the precept by 8 votes to 3.
All Councillors agreed.
""")
    assert {"that the accounts be approved", "the bank be changed", "the grant be paid",
            "The Panel agreed to refer the matter to the Board", "The Panel supported the precept"} == values(m, "resolution")
    assert of(motion(m, resolution="The Panel supported the precept"), "tally") == ["8 votes to 3"]
    assert len(motions(m)) == 5


def test_attendance_lines_and_sentences():
    m = read("""Anyville Parish Council - Minutes of 8 March 2022
Present: Cllr Anna Price (Chair), Cllr Tom Reed, Cllr Joe Bloggs
In attendance: Sarah Green (Clerk)
1. Apologies
Apologies were received from Cllr Mary Stone (work commitments) and Cllr Ian Low (holiday).
2. Declarations of interest
Cllr Tom Reed declared an interest in item 4 as a member of the allotment society.
3. Business
Cllr Ian Low arrived at 7.45pm. Cllr Joe Bloggs left the meeting at 8.50pm.
The Treasurer was absent.
""")
    assert values(m, "present") == {"Anna Price", "Tom Reed", "Joe Bloggs", "Sarah Green"}
    assert values(m, "chair") == {"Anna Price"} and values(m, "clerk") == {"Sarah Green"}
    stone, low = one(m, "apologies", "Mary Stone"), one(m, "apologies", "Ian Low")
    assert (stone.detail, low.detail) == ("work commitments", "holiday") and (stone.start, stone.end) == (low.start, low.end)
    reed = one(m, "interest", "Tom Reed")
    assert reed.item == "2" and reed.detail.startswith("interest in item 4")
    assert one(m, "arrived", "Ian Low").detail == "7.45pm" and one(m, "left", "Joe Bloggs").detail == "8.50pm"
    assert quote(m, one(m, "left", "Joe Bloggs")) == "Cllr Joe Bloggs left the meeting at 8.50pm."
    assert values(m, "absent") == {"Treasurer"}


@pytest.mark.parametrize("line, clerk", [
    ("The Chairman welcomed the new Parish Clerk Mrs Mandy Maguire to her first meeting.", "Mrs Mandy Maguire"),
    ("Cllr Hale introduced the Clerk, Jo Bell, who had started in March.", "Jo Bell"),
])
def test_a_clerk_welcomed_by_name(line, clerk):
    m = read(f"Minutes of 8 March 2022\n1. Welcome\n{line}\n")
    assert values(m, "clerk") == {clerk}


def test_a_clerk_who_welcomes_is_not_named():
    assert not rows(read("Minutes of 8 March 2022\n1. Welcome\nThe Clerk welcomed everyone.\n"), "clerk")


@pytest.mark.parametrize("line", [
    "Cllr Reed has sent apologies for the next meeting.",
    "Cllr Reed has sent apologies for the Annual Parish Meeting on 7 May.",
])
def test_apologies_for_another_meeting_are_not_this_meetings(line):
    assert not rows(read(f"Minutes of 8 March 2022\n1. Any other business\n{line}\n"), "apologies")


def test_apologies_under_a_heading_are_read_from_the_line_below():
    m = read("Minutes of 4 May 2010\n1. Apologies for absence\nMrs V Lynch, Mr T White (holiday)\n"
             "Mrs Crisp welcomed the new Clerk.\n2. Minutes\nApproved.\n")
    assert values(m, "apologies") == {"Mrs V Lynch", "Mr T White"}
    assert one(m, "apologies", "Mr T White").detail == "holiday"
    assert quote(m, one(m, "apologies", "Mrs V Lynch")) == "Mrs V Lynch, Mr T White (holiday)", "never the bare heading"


@pytest.mark.parametrize("text", [
    "1. Apologies\nThere were no apologies.\n2. Declarations of interest\nNone were declared.\n3. Minutes\nApproved.\n",
    "1. Apologies and declarations\nNo apologies were received. No declarations of interest were made.\n2. AOB\nNone.\n",
])
def test_no_apologies_and_no_declarations_give_no_rows(text):
    m = read(text)
    assert not rows(m, "apologies") and not rows(m, "interest")
    # ... but a row saying so, quoting the statement, answers "were there any apologies?"
    assert none_stated(m, "apologies") and none_stated(m, "interest")
    assert all(re.search(r"\bno(ne)?\b", q, re.I) for q in none_stated(m, "apologies") + none_stated(m, "interest"))


def test_apologising_is_not_an_apology_for_absence():
    m = read("1. Performance\nThe CC said the target was missed. She apologised to the Panel.\n2. AOB\nNone.\n")
    assert not rows(m, "apologies")


def test_attendance_and_tasks_said_in_sentences():
    m = read("""Minutes of 8 March 2022
The meeting was chaired by Cllr Ann Smith.
1. Apologies
Cllr Tom Hale had given apologies due to illness.
2. Play area
Cllr Jones agreed to inspect the play area before the next meeting.
""")
    assert values(m, "chair") == {"Ann Smith"}
    assert one(m, "apologies", "Tom Hale").detail == "illness"
    assert "Cllr Jones" in values(m, "action")


def test_consent_by_a_titled_member_is_no_task():
    m = read("Minutes of 8 March 2022\n2. Minutes\nCllr Jones agreed to the minutes being signed as a true record.\n")
    assert not rows(m, "action")


def test_meeting_a_deadline_is_no_next_meeting():
    m = read("Minutes of 8 March 2022\n4. Planning\nThe Clerk will meet next month's deadline of 12 April 2022.\n")
    assert not rows(m, "next_meeting")


@pytest.mark.parametrize("line, owner, due", [
    ("The Clerk will contact the highways department about the pothole.", "Clerk", None),
    ("Cllr Reed will write to the landowner before 30 April 2022.", "Cllr Reed", "2022-04-30"),
    ("The PCC undertook to raise this with the Chief Constable.", "PCC", None),
])
def test_tasks_said_in_the_future_tense_or_undertaken(line, owner, due):
    m = read(f"Minutes of 8 March 2022\n5. Any other business\n{line}\n")
    assert {(f.value, f.detail) for f in rows(m, "action")} == {(owner, due)}


@pytest.mark.parametrize("line", [
    "The Council will consider the budget in April.",
    "The PCC will be Acting Chief Constable from 1 July.",
    "It will take the form of a workshop.",
    "The report will go to the board.",
])
def test_what_will_happen_is_no_task(line):
    assert not rows(read(f"Minutes of 8 March 2022\n5. Any other business\n{line}\n"), "action")


def test_actions_from_sentences_and_action_lines():
    m = read("""Minutes of 8 March 2022
4. Allotments
The Clerk agreed to write to the tenants by 31 March.
Clerk to order new signs by the April meeting, Mr Collins to email the Clerk the address.
ACTION: Cllr Reed to inspect the site before the next meeting.
It was agreed that the Treasurer would prepare a budget.
The letter went to the Mill Manager, Gavin Berry to advise him of the decision.
Work to improve the path is under way.
""")
    actions = {(f.value, f.detail) for f in rows(m, "action")}
    # A deadline that is no date ("by the April meeting") leaves the due date empty; its words stay in the quote.
    assert ("Clerk", "2022-03-31") in actions and ("Clerk", None) in actions
    assert ("Mr Collins", None) in actions and ("Cllr Reed", None) in actions
    assert any("by the April meeting" in quote(m, f) for f in rows(m, "action", "Clerk") if f.detail is None)
    assert "before the next meeting" in quote(m, one(m, "action", "Cllr Reed"))
    assert ("Treasurer", None) in actions
    assert not {"Gavin Berry", "Work"} & values(m, "action")
    assert m.actions and m.actions[0].owner == "Cllr Reed", "Meeting.actions still holds the Action: lines"


def test_next_meeting_and_closing_time():
    m = read("""Minutes of 8 March 2022
4. Any other business
None.
5. Date of next meeting
The next meeting will be held on Tuesday 12 April 2022 at 7.30pm in the Village Hall.
There being no further business the Chair closed the meeting at 9.15pm.
""")
    nxt = one(m, "next_meeting", "Tuesday 12 April 2022 at 7.30pm in the Village Hall")
    assert nxt.detail == "2022-04-12" and nxt.item == "5"
    assert one(m, "closed", "9.15pm").detail == "21:15"


@pytest.mark.parametrize(("line", "written"), [
    ("The meeting closed at 9.15pm.", "9.15pm"),
    ("Meeting closed at 8.41 pm", "8.41 pm"),
    ("Adjourned at 10.05 p.m.", "10.05 p.m."),
    ("At 10:31 a.m. Council adjourned.", "10:31 a.m."),
    ("The Chair declared the meeting closed at 21:40.", "21:40"),
    ("Meeting closed: 8.47 pm", "8.47 pm"),
    ("Close of meeting: 20:40", "20:40"),
    ("There being no other business, the meeting closed at 21.10.", "21.10"),
])
def test_closing_times_as_written(line, written):
    assert values(read(f"Minutes of 8 March 2022\n1. Close\n{line}\n"), "closed") == {written}


@pytest.mark.parametrize("folder, name, written", [
    ("opcc", "west-mercia-monthly-assurance-2021-10-21.txt", "10:30 am"),       # Date: Thursday 21 October, 10:30 am
    ("council-minutes", "ie_limerick_council_budget_2023-11-17.md", "10.00 A.M."),   # HELD IN ... ON ... AT
    ("council-minutes", "ie_limerick_md-newcastle-west_2023-03-01.md", "10AM"),
    ("council-minutes", "uk_parish_stoke-ferry_2018-02-07.md", "7.00 pm"),   # after "the next Meeting" in its title
    ("council-minutes", "uk_parish_wereham_2014-05-13.md", "7.20pm"),         # 13th May 2014 at 7.20pm
    ("council-minutes", "uk_parish_west-dereham_2020-10.md", "7.00pm"),      # MEETING HELD at 7.00pm On THURSDAY
    ("council-minutes", "us_desmoines_council_1998-11-16.pdf", "4:30 P.M."),  # not CULTURAL CONNECTION - 4:15 P.M.
    ("council-minutes", "us_portland_council_2011-01-12_minutes+transcript.txt", "9:30 A.M."),
    ("council-minutes", "uk_parish_boughton_2012-05-04.md", None),           # "Date of Next Meeting ... 19:00" only
    ("council-minutes", "uk_parish_northwold_2013-03.md", None),             # no time written
])
def test_when_a_real_meeting_started(folder, name, written):
    m = real(folder, name)
    assert [f.value for f in rows(m, "started")] == ([written] if written else [])
    for f in rows(m, "started"):
        assert f.value in quote(m, f)


@pytest.mark.parametrize("text, written", [
    ("Parish Council\nTime: 2:00 pm to 4:40 pm\n1. Apologies\nNone.\n", "2:00 pm"),
    ("Minutes of the meeting held on Monday 10th October 2022 at 2.00 pm in the Hall\n1. Apologies\nNone.\n",
     "2.00 pm"),
    ("Minutes of 8 March 2022\n1. Welcome\nThe Chair opened the meeting at 7.30pm and welcomed all.\n", "7.30pm"),
    ("Minutes of 8 March 2022\n1. Welcome\nThe meeting was called to order at 7:02 p.m.\n", "7:02 p.m."),
    ("Minutes of 8 March 2022\n1. Finance\nThe new scheme started at 9am on Monday.\n", None),
    ("Minutes\nDate of next meeting: 12 April 2022 at 7pm\n1. Apologies\nNone.\n", None),
])
def test_when_a_meeting_started_as_written(text, written):
    assert [f.value for f in rows(read(text), "started")] == ([written] if written else [])


def test_a_figure_with_a_stop_is_no_closing_time():
    assert not rows(read("Minutes of 8 March 2022\n1. Finance\nThe reserve stood at 21.10 per cent.\n"), "closed")
    # Where a close is said, a dotted date is still no time.
    assert not [f for f in rows(read("Minutes of 8 March 2022\n1. Close\nMeeting closed: 21.10.22\n"), "closed")
                if f.detail]


def test_a_dotted_24_hour_close_is_read():
    m = read("Minutes of 8 March 2022\n1. Close\nMeeting closed: 21.10\n")
    assert [f.detail for f in rows(m, "closed")] == ["21:10"]


@pytest.mark.parametrize("line, when", [
    ("Date of next meeting: 12/04/2022 at 7pm in the Village Hall.", "2022-04-12"),
    ("The next meeting will be held on 12.04.22.", "2022-04-12"),
    ("Date of next meeting: 04/12/2022.", "2022-04-12"),    # only April 12 is to come within half a year
])
def test_next_meeting_dated_in_figures(line, when):
    from ingest.closing import find_next_meeting

    found = find_next_meeting(f"Minutes\n5. Date of next meeting\n{line}\n", [], "2022-03-08")
    assert found is not None and found.date == when


def test_a_figure_date_that_reads_both_ways_is_left_unread():
    from ingest.closing import find_next_meeting

    # 4 May and 5 April are both to come: the minutes do not say which.
    assert find_next_meeting("Minutes\n5. Date of next meeting\nDate of next meeting: 04/05/2022.\n", [],
                             "2022-03-08") is None


@pytest.mark.parametrize("line", [
    "It was agreed that the next meeting would take place on Tuesday 12 April 2022 at 7pm in the Village Hall.",
    "The Council will next meet on Tuesday 12 April 2022.",
])
def test_next_meeting_said_in_other_words(line):
    m = read(f"Minutes of 8 March 2022\n5. Any other business\n{line}\n")
    assert {f.detail for f in rows(m, "next_meeting")} == {"2022-04-12"}


def test_a_break_in_the_meeting_is_no_close():
    m = read("Minutes\n1. Public\nThe meeting was adjourned at 8.26 pm to allow for public comments.\n")
    assert not rows(m, "closed")


# --- speed -----------------------------------------------------------------------------------------------------


def test_parse_of_the_largest_real_files_stays_well_under_a_second():
    for name in ("us_portland_council_2011-01-12_minutes+transcript.txt", "ie_limerick_council_budget_2023-11-17.md"):
        document = load(shared_data("council-minutes", name))
        text = clean(document)
        started = time.perf_counter()
        meeting = parse(text, name, document.metadata)
        assert time.perf_counter() - started < 0.5, name
        assert meeting.facts


@pytest.mark.parametrize("text", [
    "Alpha Beta proposed seconded agreed to arrived left declared interest Absent: Nays: " + "Ab Cd Ef Gh " * 8000,
    "Cllr Ab and " * 8000 + "agreed to go.",
    "Ab Cd Ef Gh proposed Ij Kl, seconded by Mn Op and Qr St abstained " * 600,
    "Apologies were received from " + "Ab, " * 8000 + ".",
    "Moved by Ab to adopt. Motion Carried 6-1. Nays: Cd. Absent: Ef. " * 800,
    "Present: Ab. " + "Absent: Ab Cd " * 3000,
    "Date of next meeting " * 2000,
    "The report was proposed by Ab and " * 1500,
])
def test_no_pattern_backtracks_on_long_hostile_lines(text):
    document = RawDocument(path="x.txt", kind="text", pages=[text])
    cleaned = clean(document)
    started = time.perf_counter()
    parse(cleaned, "x.txt", {})
    assert time.perf_counter() - started < 1.5, f"{len(text)} characters"


AUSTRALIAN = """Minutes of Ordinary Council Meeting held on Wednesday 17 May 2023 commencing at 6.00pm.

PRESENT: Cr P. Hughes (Mayor), Cr L. Nguyen, Cr S. Patel, Cr T. Walsh

9.1 Road Resealing Program 2023/24

RESOLUTION 2023/112
Moved: Cr Nguyen
Seconded: Cr Walsh
That Council adopt the Road Resealing Program 2023/24 at a cost of $1.2 million.
CARRIED 3/1
Against: Cr Patel
"""

NORTH_AMERICAN = """Regular Council Meeting Minutes, June 5, 2023, 7:00 p.m.

Council Present: Mayor R. Thompson, Councillor A. Singh, Councillor B. Martin
Regrets: Councillor D. Moore

1. Call to Order
Mayor Thompson called the meeting to order at 7:02 p.m.

2. Disclosure of Pecuniary Interest
Councillor Martin declared a conflict on item 6.1 as the owner of an adjacent property.

6.1 Consent Agenda
Motion by Singh, second by Martin, to approve the consent agenda. Motion carried 3-0.

6.2 Ordinance 2023-07
Councilmember Martin moved, seconded by Councilmember Singh, to adopt Ordinance 2023-07. Motion carried 3-0.
"""


def test_australian_and_new_zealand_forms():
    m = read(AUSTRALIAN)
    assert values(m, "present") == {"P. Hughes", "L. Nguyen", "S. Patel", "T. Walsh"}
    vote = motion(m, mover="Nguyen")
    assert of(vote, "seconder") == ["Walsh"] and of(vote, "result") == ["CARRIED"]
    assert of(vote, "tally") == ["3/1"] and of(vote, "against") == ["Patel"]
    assert of(vote, "motion") == ["That Council adopt the Road Resealing Program 2023/24 at a cost of $1.2 million"]


def test_north_american_forms():
    m = read(NORTH_AMERICAN)
    assert {"R. Thompson", "A. Singh", "B. Martin"} <= values(m, "present")
    assert values(m, "apologies") == {"D. Moore"}
    assert values(m, "chair") == {"Thompson"}
    assert one(m, "interest", "Martin").detail.startswith("conflict on item 6.1")
    consent = motion(m, mover="Singh")
    assert of(consent, "seconder") == ["Martin"] and of(consent, "motion") == ["to approve the consent agenda"]
    ordinance = motion(m, mover="Martin")
    assert of(ordinance, "seconder") == ["Singh"] and of(ordinance, "motion") == ["to adopt Ordinance 2023-07"]
    assert of(ordinance, "tally") == ["3-0"]


BOARD = """Board of Commissioners Regular Meeting, March 7, 2023

Members Present: Commissioner Ann Lee, Commissioner Bob Ortiz, Commissioner Carl Young
Members Absent: Commissioner Dana Fox
Excused: Commissioner Eva Hart

1. Budget transfer
A motion was made by Commissioner Lee and seconded by Commissioner Ortiz to approve the budget transfer of $12,000. The motion passed unanimously.

2. Road vacation
Upon a motion by Commissioner Young, seconded by Commissioner Lee, the Board voted 2-1 to approve the road vacation.
"""

COMMUNITY_BOARD = """Riverside Community Board, Monday 12 June 2023 at 5.00pm

Present: Councillors A Bell (Chairperson, in the Chair), K Brown, L Green
Leave of absence: Cr N. Black

1. Apologies
Moved Cr Bell / Seconded Cr Brown
That the apology from Cr Grey be received.
CARRIED
"""


def test_a_board_s_motions_and_attendance():
    m = read(BOARD)
    assert values(m, "present") == {"Ann Lee", "Bob Ortiz", "Carl Young"}
    assert values(m, "absent") == {"Dana Fox"} and values(m, "apologies") == {"Eva Hart"}
    transfer = motion(m, mover="Lee")
    assert of(transfer, "seconder") == ["Ortiz"] and of(transfer, "result") == ["motion passed"]
    assert of(transfer, "motion") == ["to approve the budget transfer of $12,000"]
    road = motion(m, mover="Young")
    assert of(road, "seconder") == ["Lee"] and of(road, "tally") == ["2-1"]
    assert len(motions(m)) == 2


def test_a_motion_under_an_apologies_heading_names_no_apology():
    m = read(COMMUNITY_BOARD)
    assert values(m, "present") == {"A Bell", "K Brown", "L Green"} and values(m, "chair") == {"A Bell"}
    assert values(m, "apologies") == {"N. Black"}
    received = motion(m, mover="Bell")
    assert of(received, "seconder") == ["Brown"]
    assert of(received, "motion") == ["That the apology from Cr Grey be received"]


def test_an_arrival_time_said_after_the_item():
    m = read("Audit Committee, 25 April 2024\n\nAttendees: Jane Moss (Chair), Raj Patel\n\n3. Internal audit\n"
             "Raj Patel arrived during this item at 10:20.\nThe plan was approved.\n")
    assert one(m, "arrived", "Raj Patel").detail == "10:20"


LITTLETON = """Littleton Parish Council

Minutes of the Parish Council Meeting held on Thursday 9 March 2023 in the Village Hall at 7.30pm

Councillors present: Cllr J Adams (Chairman), Cllr P Baker, Cllr R Clark
Clerk: Mrs T Evans
Officers: Sam Reid (Head of Finance)

1. To receive apologies for absence
Cllr Frost – family commitment. Cllr Gray – unwell.

2. Village green
The Council discussed the fencing.
"""


def test_a_clerk_label_officers_and_apologies_with_their_reasons():
    m = read(LITTLETON)
    assert values(m, "clerk") == {"Mrs T Evans"}
    assert "Sam Reid" in values(m, "present")
    assert {(f.value, f.detail) for f in rows(m, "apologies")} == {("Frost", "family commitment"), ("Gray", "unwell")}
    assert quote(m, one(m, "apologies", "Gray")) == "Cllr Gray – unwell."


def test_a_chair_named_below_its_label_is_quoted_with_it():
    m = read("MINUTES OF PROCEEDINGS AT MEETING OF THE DISTRICT HELD ON 1 MARCH 2023.\n\nPRESENT IN THE CHAIR:\n\n"
             "Councillor M. Collins, Cathaoirleach.\n\nMEMBERS PRESENT:\n\nCouncillors Foley, Galvin.\n\n1. Minutes\n"
             "The minutes were adopted.\n")
    assert any(quote(m, f).startswith("PRESENT IN THE CHAIR:") for f in rows(m, "chair", "M. Collins"))


FINANCE = """Finance Committee
Minutes of the meeting held on 3 October 2023 at 2pm.

1. Reserves
The committee reviewed the reserves policy. The Treasurer will draft a revised policy for the November meeting.
ACTION: Treasurer

2. Audit
Agreed that the external auditor be invited to the next meeting. Action – SG to invite the auditor by 31 October.

3. Action log

| Action | Owner | Due |
|---|---|---|
| Circulate the revised budget | Tom Hale | 17 October 2023 |
| Update the risk register | Amy Ince | 31 October 2023 |

4. Any other business
None.
"""


def test_actions_named_after_their_task_in_a_sentence_and_in_an_action_log(tmp_path):
    (tmp_path / "finance-committee-2023-10-03.md").write_text(FINANCE, encoding="utf-8")
    m = read_meeting(tmp_path / "finance-committee-2023-10-03.md")
    by_owner = {a.owner: a for a in m.actions}
    assert by_owner["Treasurer"].text == "The Treasurer will draft a revised policy for the November meeting."
    assert by_owner["SG"].due == "2023-10-31"
    assert by_owner["Tom Hale"].text == "Circulate the revised budget" and by_owner["Tom Hale"].due == "2023-10-17"
    assert by_owner["Amy Ince"].due == "2023-10-31"
    assert sorted(f.value for f in rows(m, "action")) == ["Amy Ince", "SG", "Tom Hale", "Treasurer"]


def test_an_office_written_with_its_holder_in_brackets_names_the_holder():
    m = read("Ashcombe Town Council\n\nMinutes of the meeting held on 11 April 2024.\n\n"
             "PRESENT: The Mayor (Councillor R Sandhu) in the Chair; Councillors A Bright, C Dunn.\n\n"
             "ALSO PRESENT: Town Clerk (K Lomas), 2 members of the public.\n\n"
             "Officers: Head of Planning (M Osei), Solicitor (L Grant).\n\n1. Minutes\nThe minutes were approved.\n")
    assert {"R Sandhu", "A Bright", "C Dunn", "K Lomas", "M Osei", "L Grant"} <= values(m, "present")
    assert not {"Solicitor", "Town Clerk", "Head of Planning"} & values(m, "present")
    assert values(m, "chair") == {"R Sandhu"}
    assert values(m, "clerk") == {"K Lomas"}


def test_an_office_written_before_a_name_and_a_name_with_its_office_in_brackets():
    m = read("Board of Education\n\nRoll Call\nPresent: Dana Whitfield, Luis Ortiz\nStaff present: Superintendent Alan "
             "Brooks; Recording Secretary Joan Pike\n\nTrustees present: Ruth Okafor (Chair), Ben Lowry (Treasurer)\n")
    assert {"Alan Brooks", "Joan Pike", "Ruth Okafor", "Ben Lowry"} <= values(m, "present")
    assert values(m, "clerk") == {"Joan Pike"}
    assert values(m, "chair") == {"Ruth Okafor"}


def test_a_scottish_sederunt_its_convener_and_a_substitute():
    m = read("Glenarden Community Council\n\nMinute of meeting held on Monday 4 March 2024 at 7.30pm\n\n"
             "Sederunt: Alasdair Munro (Convener), Fiona Ross (Secretary), Morag Stewart\n"
             "Substitutes: Councillor G Hill (for Councillor J King).\n\n1. Minute of previous meeting\n"
             "The minute of the meeting of 5 February 2024 was approved, proposed by Morag Stewart and seconded by "
             "Ewan MacLeod.\n")
    assert {"Alasdair Munro", "Fiona Ross", "Morag Stewart", "G Hill"} <= values(m, "present")
    assert "J King" not in values(m, "present") and "J King)" not in values(m, "present")
    assert values(m, "chair") == {"Alasdair Munro"}
    assert values(m, "clerk") == {"Fiona Ross"}
    assert values(m, "mover") == {"Morag Stewart"} and values(m, "seconder") == {"Ewan MacLeod"}


def test_a_recorded_vote_for_against_and_abstaining_with_counts():
    m = read("Planning Committee\n\n5. Land at Mill Lane\nIt was proposed by Councillor Baker and seconded by Councillor "
             "Evans that the application be refused.\n\nRECORDED VOTE\nFor: Councillors Baker, Evans and Hill (3)\n"
             "Against: Councillors Adams, Davies and Fox (3)\nAbstain: Councillor Clarke (1)\n\n"
             "The motion was LOST.\n\n6. 7 Orchard Close\nRESOLVED that permission be granted (5 for, 1 against, "
             "1 abstention (Cllr Clarke)).\n")
    by_motion = motions(m)
    first, second = sorted(by_motion)[:2]
    assert {f.value for f in by_motion[first] if f.kind == "voted_for"} == {"Baker", "Evans", "Hill"}
    assert {f.value for f in by_motion[first] if f.kind == "against"} == {"Adams", "Davies", "Fox"}
    assert {f.value for f in by_motion[first] if f.kind == "abstained"} == {"Clarke"}
    assert {f.value for f in by_motion[second] if f.kind == "abstained"} == {"Clarke"}


def test_ayes_are_who_voted_for_and_a_for_label_alone_is_no_vote():
    m = read("Board Meeting\n\n3. Consent Agenda\nMotion by Ortiz, seconded by Chen, to approve the consent agenda.\n"
             "Ayes: Ortiz, Chen, Walker. Nays: Kim. Motion carried 3-1.\n\n4. Reports\nFor: Information only. The "
             "report was noted.\n")
    assert values(m, "voted_for") == {"Ortiz", "Chen", "Walker"}
    assert values(m, "against") == {"Kim"}


def test_a_next_meeting_given_under_a_label():
    m = read("Board of Education\n\nRegular Meeting Minutes - Tuesday, February 27, 2024\n\n1. Adjournment\nThe meeting "
             "was adjourned at 8:47 p.m.\n\nNext regular meeting: Tuesday, March 12, 2024 at 6:30 p.m., District Office.\n")
    assert [f.detail for f in rows(m, "next_meeting")] == ["2024-03-12"]


def test_an_apology_with_its_reason_then_the_meeting_accepting_it():
    m = read("Brackley Parish Council\n\n1. Apologies for absence\nCllr R Stone – work commitments. Apologies accepted."
             "\n\n2. Minutes\nCllr Page joined the meeting remotely at 7.50pm.\n")
    assert {(f.value, f.detail) for f in rows(m, "apologies")} == {("R Stone", "work commitments")}
    assert [(f.value, f.detail) for f in rows(m, "arrived")] == [("Page", "7.50pm")]


def test_a_us_councils_motion_second_dash_roll_call_recusal_and_adjournment():
    m = read("CITY COUNCIL REGULAR MEETING MINUTES\nMarch 4, 2024\n\nROLL CALL\nCouncilmembers present: Ortega, "
             "Baptiste, Nguyen\nCouncilmembers absent: Delgado (excused)\n\nCONFLICTS OF INTEREST\nCouncilmember "
             "Nguyen recused herself from item 7.2 because her spouse is employed by the applicant.\n\n"
             "7.1 Resolution 2024-14 approving a contract with Apex Paving\nMotion: Baptiste. Second: Schultz.\n"
             "Vote: Aye – Ortega, Baptiste, Schultz; Nay – none.\nMotion carried unanimously (3-0).\n\n"
             "7.2 Variance request, 115 Elm Street\nMotion to deny: Schultz. Second: Ortega.\n"
             "Roll call vote: Ayes: Ortega, Schultz. Noes: Baptiste.\nMotion carried 2-1.\n\n"
             "ADJOURNMENT\nMayor Ortega adjourned the meeting at 8:14 p.m.\n")
    assert values(m, "absent") == {"Delgado"}
    assert values(m, "interest") == {"Nguyen"}
    assert [(f.value) for f in rows(m, "mover")] == ["Baptiste", "Schultz"]
    assert [(f.value) for f in rows(m, "seconder")] == ["Schultz", "Ortega"]
    first, second = sorted(motions(m))[:2]
    assert {f.value for f in motions(m)[first] if f.kind == "voted_for"} == {"Ortega", "Baptiste", "Schultz"}
    assert {f.value for f in motions(m)[first] if f.kind == "tally"} == {"3-0"}
    assert {f.value for f in motions(m)[second] if f.kind == "against"} == {"Baptiste"}
    assert [f.detail for f in rows(m, "closed")] == ["20:14"]


def test_a_village_boards_slash_motions_name_by_name_roll_call_and_votes_said_after_the_result():
    m = read("Village of Oak Hollow Board of Trustees\n\nRoll Call\nPresent: President Kowalski, Trustees Ellis, Moreno, "
             "Patel and Whitfield.\nAbsent: Trustee Grant.\n\nApproval of Minutes\nM/S/C (Ellis/Moreno) to approve the "
             "minutes of March 25, 2024 as presented.\n\nWater Main Replacement\nMotion made by Trustee Patel, seconded "
             "by Trustee Whitfield, to award the contract to Crestline Utilities.\nRoll call vote: Trustee Ellis – aye; "
             "Trustee Moreno – aye; Trustee Patel – aye; Trustee Whitfield – nay. Motion carried 3-1.\n\nParks Fee "
             "Waiver\nA motion was made by Trustee Whitfield, seconded by Trustee Patel, to waive the pavilion fee. The "
             "motion failed 2-2, with Trustees Ellis and Moreno voting no.\n")
    assert {"Ellis", "Moreno", "Patel", "Whitfield"} <= values(m, "present"), "a plural title is no one's name"
    assert of(motion(m, mover="Ellis", seconder="Moreno"), "motion") == [
        "to approve the minutes of March 25, 2024 as presented"]
    award = motion(m, mover="Patel", seconder="Whitfield")
    assert of(award, "motion") == ["to award the contract to Crestline Utilities"]
    assert set(of(award, "voted_for")) == {"Ellis", "Moreno", "Patel"} and of(award, "against") == ["Whitfield"]
    assert set(of(motion(m, mover="Whitfield", result="motion failed"), "against")) == {"Ellis", "Moreno"}


def test_an_associations_agm_moved_and_seconded_in_brackets_result_then_count_and_labels_after_a_sentence():
    m = read("Fernside Residents' Association\nAnnual General Meeting\n\nAttendance: 34 members. Apologies: Ruth "
             "Adeyemi, Colin Marsh.\n\n3. Treasurer's report\nThe Treasurer reported a balance of £3,216.40. The "
             "accounts were accepted (proposed Ann Lowe, seconded Jim Taylor).\n\n5. Subscriptions\nIt was moved and "
             "seconded (Jim Taylor / Ann Lowe) that the annual subscription rise from £5 to £6. Carried, 28 for, 4 "
             "against, 2 abstentions.\n\n6. Any other business\nNone.\n\nThe meeting closed at 9.05pm. Next AGM: "
             "Tuesday 14 October 2025 at 7.30pm, St Luke's Church Hall.\n")
    assert values(m, "apologies") == {"Ruth Adeyemi", "Colin Marsh"}
    assert of(motion(m, mover="Ann Lowe"), "motion") == ["The accounts were accepted"], "not the sentence before"
    rise = motion(m, mover="Jim Taylor", seconder="Ann Lowe")
    assert of(rise, "result") == ["Carried"] and of(rise, "tally") == ["28 for, 4 against, 2 abstentions"]
    assert [f.detail for f in rows(m, "next_meeting")] == ["2025-10-14"]


def test_an_attendance_table_with_a_status_column_a_commission_and_a_governing_board():
    m = read("Licensing Committee\n\nMember\tAttendance\nCllr A Patterson (Chair)\tPresent\nCllr C Holt\tApologies\n"
             "Cllr D Kaur\tPresent\nCllr E Moss\tAbsent\n\n1. Minutes\nThe minutes were confirmed.\n")
    assert values(m, "present") == {"A Patterson", "D Kaur"}, "a row marked Apologies or Absent was not there"
    assert values(m, "apologies") == {"C Holt"} and values(m, "absent") == {"E Moss"}
    assert values(m, "chair") == {"A Patterson"}
    m = read("City Commission\n\nPRESENT: Mayor Linda Cho; Mayor Pro Tem Victor Hale; Commissioners Ana Ruiz and Greg "
             "Olsen.\n\n3. REZONING\nCommissioner Ruiz moved to deny the rezoning of 400 River Road; Mayor Pro Tem Hale "
             "seconded. The motion passed 3-1, with Mayor Cho dissenting.\nCommissioner Olsen left the meeting at 7:40 "
             "p.m.\nCommissioner Olsen returned at 7:55 p.m.\n")
    assert "Victor Hale" in values(m, "present")
    deny = motion(m, mover="Ruiz", seconder="Hale")
    assert of(deny, "motion") == ["to deny the rezoning of 400 River Road"] and of(deny, "against") == ["Cho"]
    assert [(f.kind, f.detail) for f in m.facts if f.kind in ("left", "arrived")] == [
        ("left", "7:40 p.m."), ("arrived", "7:55 p.m.")]
    m = read("Full Governing Board\n\nGovernors present: Mrs L Harper (Chair), Ms K Dunn\nApologies received and "
             "consented: Dr N Shah (work)\nAbsent without apologies: Mr G Lyle\n\n1. Minutes\nApproved.\n")
    assert {(f.value, f.detail) for f in rows(m, "apologies")} == {("Dr N Shah", "work")}
    assert values(m, "absent") == {"Mr G Lyle"}


def test_a_councils_web_page_minutes_heading_and_a_recorded_count():
    m = read("Minutes:\n\nPlanning Committee\n\nTuesday, 14th May, 2024 6.30 pm\n\nPresent: Councillors R. Ahmed (Chair), "
             "L. Carter and S. Fraser.\n\n24. Mill Farm\nIt was moved by Councillor Carter and seconded by Councillor "
             "Fraser that the application be refused.\nOn being put to the vote there voted: For 4, Against 2, "
             "Abstentions 0.\n")
    assert not rows(m, "clerk"), "\"Minutes:\" over the committee's name is a heading, not who took them"
    assert of(motion(m, mover="Carter", seconder="Fraser"), "tally") == ["For 4, Against 2, Abstentions 0"]


@pytest.mark.parametrize("line, kind, want", [
    ("Voting Aye: Smith, Jones and Patel. Voting Nay: Brown. Motion carried.", "voted_for", ["Smith", "Jones", "Patel"]),
    ("Voting Aye: Smith, Jones and Patel. Voting Nay: Brown. Motion carried.", "against", ["Brown"]),
    ("In favour: 6. Against: 2. Abstained: 1.", "tally", ["In favour: 6. Against: 2. Abstained: 1"]),
    ("AYES: 4 NOES: 1 ABSENT: 0", "tally", ["AYES: 4 NOES: 1 ABSENT: 0"]),
    ("Motion passed on a 4–1 vote (Councilmember Lee opposed).", "tally", ["4–1"]),
    ("Motion passed on a 4–1 vote (Councilmember Lee opposed).", "against", ["Lee"]),
])
def test_more_ways_a_vote_is_recorded(line, kind, want):
    m = read("Town Council\n\n1. Budget\nMoved by Cllr Adams, seconded by Cllr Brown, to approve the budget.\n" + line + "\n")
    assert of(motion(m, mover="Adams"), kind) == want


@pytest.mark.parametrize("head, kind, want", [
    ("Present: Cllrs Adams, Brown and Cole\n", "present", {"Adams", "Brown", "Cole"}),
    ("In attendance: Cllr Adams (Chair), Cllr Brown. Apologies for absence: Cllr Dee.\n", "apologies", {"Dee"}),
    ("Present: Jane Adams (Chair), Bob Brown\nNot present: Fay Fox\n", "present", {"Jane Adams", "Bob Brown"}),
    ("Present: Jane Adams (Chair), Bob Brown\nNot present: Fay Fox\n", "absent", {"Fay Fox"}),
    ("Board members present: Adams, Brown. Board members absent: Cole (excused).\n", "present", {"Adams", "Brown"}),
])
def test_more_attendance_lists(head, kind, want):
    m = read("Parish Council Meeting\n\n" + head + "\n1. Minutes\nThe minutes were approved.\n")
    assert values(m, kind) == want


@pytest.mark.parametrize("line, want", [
    ("Proposer: Cllr Smith. Seconder: Cllr Jones.", {("mover", "Smith"), ("seconder", "Jones")}),
    ("Motion to approve (Smith/Jones) carried unanimously.", {("mover", "Smith"), ("seconder", "Jones")}),
    ("On a motion from Cllr Smith, seconded by Cllr Jones, the grant was awarded.",
     {("mover", "Smith"), ("seconder", "Jones"), ("result", "awarded")}),
    ("The meeting was declared closed at 10.05pm.", {("closed", "10.05pm")}),
])
def test_more_proposals_and_closes(line, want):
    m = read("Parish Council Meeting held on 10 February 2024\n\nPresent: Cllr A Adams\n\n1. Business\n" + line + "\n")
    assert {(f.kind, f.value) for f in m.facts if f.kind not in ("present", "chair", "started", "motion")} == want


@pytest.mark.parametrize("line, want", [
    ("Declarations of interest: Cllr Smith (item 5, landowner); Cllr Jones – item 7.",
     {("Smith", "item 5, landowner"), ("Jones", "item 7")}),
    ("Interests declared: Cllr Jones – item 7 (member of the club).", {("Jones", "item 7 (member of the club)")}),
    ("Cllr Smith has a prejudicial interest in item 5.", {("Smith", "prejudicial interest in item 5")}),
    ("The Chair, Cllr Adams, declared an interest in item 4 as a member of the allotment society.",
     {("Adams", "interest in item 4 as a member of the allotment society")}),
    ("Ayes: Ortega, Schultz. Recused: Councilmember Nguyen.", {("Nguyen", None)}),
])
def test_more_declarations_of_interest(line, want):
    m = read("Parish Council Meeting\n\nPresent: Cllr A Adams\n\n1. Declarations\n" + line + "\n\n2. Finance\nNoted.\n")
    assert {(f.value, f.detail) for f in rows(m, "interest")} == want
    assert not rows(read("Parish Council\n\n1. Declarations\nCllr Brown had no interests to declare.\n"), "interest")


@pytest.mark.parametrize("line, want", [
    ("Cllr Smith entered the meeting at 7.50pm.", ("arrived", "Smith", "7.50pm")),
    ("Cllr Smith withdrew from the meeting at 8.50pm.", ("left", "Smith", "8.50pm")),
    ("Cllr Smith arrived late (7.45pm).", ("arrived", "Smith", "7.45pm")),
    ("At 8.10pm Cllr Smith left the meeting.", ("left", "Smith", "8.10pm")),
])
def test_more_comings_and_goings(line, want):
    m = read("Parish Council Meeting\n\nPresent: Cllr A Adams\n\n1. Business\n" + line + "\n\n2. Finance\nNoted.\n")
    assert [(f.kind, f.value, f.detail) for f in m.facts if f.kind in ("arrived", "left")] == [want]
    assert not [f for f in read("Council\n\n1. Business\nCllr Smith withdrew his motion.\n").facts if f.kind == "left"]


@pytest.mark.parametrize("head, chair", [
    ("Cllr Adams in the Chair\n", "Adams"),
    ("Present: Councillor R Adams in the Chair, Councillors B Brown and C Cole\n", "R Adams"),
])
def test_a_chair_named_in_the_chair_without_brackets(head, chair):
    m = read("Parish Council Meeting held on 10 February 2024\n\n" + head + "\n1. Business\nNoted.\n")
    assert values(m, "chair") == {chair}


def test_more_resolutions_and_several_actions_on_one_line():
    m = read("Parish Council Meeting held on 10 February 2024\n\n1. Grants\nThe Committee RESOLVED to approve the grant.\n"
             "\n2. Bins\nAGREED: to buy two new bins.\nActions: Cllr Brown to contact the police; Clerk to write to the "
             "landowner by 1 March 2024.\n")
    assert {f.value for f in rows(m, "resolution")} == {"The Committee RESOLVED to approve the grant",
                                                         "to buy two new bins"}
    assert [(a.owner, a.due) for a in m.actions] == [("Cllr Brown", None), ("Clerk", "2024-03-01")]


@pytest.mark.parametrize("line, when", [
    ("The next meeting is scheduled for Tuesday 12 March 2024 at 7pm.", "2024-03-12"),
    ("Future meeting dates: 12 March, 9 April and 14 May 2024.", "2024-03-12"),
    ("The Committee will meet again on 12 March 2024.", "2024-03-12"),
])
def test_more_next_meetings_and_their_time_is_not_this_meetings_start(line, when):
    m = read("Parish Council Meeting held on 13 February 2024\n\nPresent: Cllr A Adams\n\n1. Business\n" + line + "\n")
    assert [f.detail for f in rows(m, "next_meeting")] == [when]
    assert not rows(m, "started"), "the next meeting's time is not when this one started"


def test_votes_asked_to_be_recorded_and_a_count_voting_in_favour():
    m = read("Town Council\n\n35. Grants\nIt was proposed by Councillor Grant and seconded by Councillor Hussain that "
             "grants be awarded. On being put to the vote the motion was carried, 5 voting in favour and 2 against. "
             "Councillors Jacobs and Fraser asked that their votes against be recorded.\n")
    grants = motion(m, mover="Grant", seconder="Hussain")
    assert of(grants, "tally") == ["5 voting in favour and 2 against"]
    assert set(of(grants, "against")) == {"Jacobs", "Fraser"}


def test_a_councils_lettered_minute_numbers_are_its_items_and_a_resolution_after_the_seconder():
    m = read("Thornbury Town Council\n\nPRESENT: Councillors P Harding (Mayor, in the Chair) and J Ellison.\n\n"
             "C/24/031 APOLOGIES FOR ABSENCE\nApologies were received from Councillor R Lane.\n\nC/24/034 FINANCE\n"
             "It was proposed by Councillor Ellison, seconded by Councillor Irving and RESOLVED to note the report.\n\n"
             "C/24/035 GRANTS\nThe grants were awarded.\n")
    assert [(i.number, i.title) for i in m.items] == [("C/24/031", "APOLOGIES FOR ABSENCE"), ("C/24/034", "FINANCE"),
                                                       ("C/24/035", "GRANTS")]
    assert of(motion(m, mover="Ellison"), "motion") == ["to note the report"]


def test_a_select_boards_roman_numbered_items_and_its_titles():
    m = read("Board of Selectmen Meeting Minutes\nMarch 4, 2024\n\nI. CALL TO ORDER\nChair Susan Reed called the "
             "meeting to order at 7:00 p.m.\n\nII. ROLL CALL\nPresent: Selectmen Reed, Baxter and Dunn. Absent: "
             "Selectman Ford.\n\nIII. APPROVAL OF MINUTES\nMotion by Baxter, second by Dunn, to approve the minutes. "
             "Motion carried 3-0.\n")
    assert [(i.number, i.title) for i in m.items] == [("I", "CALL TO ORDER"), ("II", "ROLL CALL"),
                                                       ("III", "APPROVAL OF MINUTES")]
    assert values(m, "chair") == {"Susan Reed"}
    assert values(m, "present") == {"Reed", "Baxter", "Dunn"} and values(m, "absent") == {"Ford"}
    assert of(motion(m, mover="Baxter"), "tally") == ["3-0"] and motion(m, mover="Baxter")[0].item == "III"
    # Two Roman-numbered lines are a list or initials, not the agenda.
    assert not read("Council\n\nI. Smith asked about the bins.\nII. Jones replied.\n\nThe meeting closed.\n").items


@pytest.mark.parametrize("line, want", [
    ("Council Member Lee moved and Council Member Park seconded to approve the budget. Vote: 5-0.",
     {("mover", "Lee"), ("seconder", "Park"), ("tally", "5-0")}),
    ("The motion was made by Commissioner Lee and seconded by Commissioner Park. Vote: Unanimous.",
     {("mover", "Lee"), ("seconder", "Park"), ("result", "Unanimous")}),
    ("Member Lee moved to approve the budget, Member Park seconded. The motion carried on a vote of 4 to 1.",
     {("mover", "Lee"), ("seconder", "Park"), ("result", "motion carried"), ("tally", "4 to 1")}),
    ("Director Lee made a motion to approve the budget. Director Park seconded the motion. Motion approved 6-0.",
     {("mover", "Lee"), ("seconder", "Park"), ("result", "Motion approved"), ("tally", "6-0")}),
    ("Upon a motion duly made by Lee and seconded by Park, the budget was approved.",
     {("mover", "Lee"), ("seconder", "Park"), ("result", "approved")}),
    ("Motion: Lee / Second: Park / Vote: 5-0 (approved)", {("mover", "Lee"), ("seconder", "Park"), ("tally", "5-0")}),
])
def test_more_us_motions_and_votes(line, want):
    m = read("City Council\n\n1. Budget\n" + line + "\n\n2. Adjournment\nAdjourned.\n")
    assert {(f.kind, f.value) for f in m.facts if f.kind in ("mover", "seconder", "result", "tally")} == want


@pytest.mark.parametrize("item, want", [
    ("1. Apologies\nApologies received from: Cllr Smith, Cllr Jones\n", {("Smith", None), ("Jones", None)}),
    ("1. Apologies\nThe Clerk reported apologies from Cllr Smith (illness).\n", {("Smith", "illness")}),
    ("1. Leave of absence\nLeave of absence was granted to Cllr Smith.\n", {("Smith", None)}),
    ("1. Apologies\nExcused: Smith, Jones.\n", {("Smith", None), ("Jones", None)}),
])
def test_more_apologies_and_a_labelled_line_under_the_heading_is_not_a_name(item, want):
    m = read("Parish Council Meeting\n\nPresent: Cllr A Adams\n\n" + item + "\n2. Finance\nNoted.\n")
    assert {(f.value, f.detail) for f in rows(m, "apologies")} == want
    none = read("Parish Council Meeting\n\nPresent: Cllr A Adams\n\n1. Apologies\nApologies: None.\n\n2. Finance\nNoted.\n")
    assert not rows(none, "apologies") and none_stated(none, "apologies")


@pytest.mark.parametrize("line, owner, due", [
    ("Action: Clerk to order the bins by 31/03/2024.", "Clerk", "2024-03-31"),
    ("ACTION: JB – order the bins – 15 March 2024", "JB", "2024-03-15"),
    ("Action (Clerk): order the bins by 1 April 2024.", "Clerk", "2024-04-01"),
    ("Action point: Cllr Brown to contact the police by 1 March 2024.", "Cllr Brown", "2024-03-01"),
])
def test_more_action_lines(line, owner, due):
    m = read("Parish Council Meeting held on 10 February 2024\n\nPresent: Cllr A Adams\n\n1. Bins\nThe bins were "
             "discussed.\n" + line + "\n\n2. Finance\nNoted.\n")
    assert [(a.owner, a.due) for a in m.actions] == [(owner, due)]


def test_a_chair_elected_by_resolution():
    m = read("Annual Parish Council Meeting held on 14 May 2024\n\nPresent: Cllr A Adams, Cllr B Brown\n\n"
             "1. Election of Chair\nRESOLVED: That Cllr Brown be elected Chair of the Council for 2024/25.\n\n"
             "2. Finance\nNoted.\n")
    assert values(m, "chair") == {"Brown"}


def test_a_list_of_those_present_ends_at_the_apologies_label_below_it():
    m = read("Parish Council Meeting held on 10 February 2024\n\nPresent:\nCllr A Adams (Chair)\nCllr B Brown\n\n"
             "Apologies:\nCllr F Fox (work)\n\n1. Minutes\nThe minutes were approved.\n")
    assert values(m, "present") == {"A Adams", "B Brown"}
    assert {(f.value, f.detail) for f in rows(m, "apologies")} == {("F Fox", "work")}


@pytest.mark.parametrize("head", [
    "Members Present\nCouncillor A Adams (Chair)\nCouncillor B Brown\n\nOfficers Present\nJ Smith – Clerk\n",
    "Present: Cllr A Adams (Chair), Cllr B Brown\nOfficer: J Smith, Clerk to the Council\n",
])
def test_officers_present_listed_with_their_roles(head):
    m = read("Parish Council Meeting held on 10 February 2024\n\n" + head + "\n1. Minutes\nThe minutes were approved.\n")
    assert values(m, "present") == {"A Adams", "B Brown", "J Smith"} and values(m, "clerk") == {"J Smith"}


@pytest.mark.parametrize("head", [
    "Present / Yn bresennol: Cllr A Adams (Chair), Cllr B Brown\nApologies / Ymddiheuriadau: Cllr C Cole\n",
    "Attendees (Councillors): A Adams (Chair), B Brown\nApologies (Councillors): C Cole\n",
])
def test_labels_with_a_translation_or_a_note_in_brackets(head):
    m = read("Community Council Meeting held on 10 February 2024\n\n" + head + "\n1. Minutes\nApproved.\n")
    assert values(m, "present") == {"A Adams", "B Brown"} and values(m, "apologies") == {"C Cole"}


def test_a_local_boards_motion_with_members_named_by_initial_and_a_vote_by_show_of_hands():
    m = read("Local Board\n\n1. Grants\nMOVED by Member A Adams, seconded by Member B Brown:\nThat the board decline the "
             "application.\nThe motion was put to the vote by a show of hands and was declared LOST 3-4.\n\n2. Close\n"
             "The meeting closed at 9pm.\n")
    decline = motion(m, mover="A Adams", seconder="B Brown")
    assert of(decline, "motion") == ["That the board decline the application"]
    assert of(decline, "result") == ["LOST"] and of(decline, "tally") == ["3-4"]


REGIONAL_BOARD = """CEDAR HOLLOW REGIONAL DISTRICT

MINUTES of the Regular Meeting of the Board held on Thursday, May 9, 2024 at 9:30 a.m.

PRESENT:
Chair M. Okoro, Electoral Area B (Kestrel Point)
Vice-Chair D. Lund, City of Alder Bay
Director S. Gill, City of Alder Bay (arrived 9:48 a.m.)
Director H. Tanaka, Town of Millbrook (departed 11:30 a.m.)
Director P. MacAulay, Village of Gullhaven
Alternate Director W. Chen, Electoral Area D (Mill Creek), sitting for Director Osei

REGRETS:
Director K. Osei, Electoral Area D (Mill Creek) - medical leave
Director A. Beaulieu, Town of Millbrook - attending a ministry meeting

STAFF PRESENT:
T. Harrow, Chief Administrative Officer
E. Sandoval, Deputy Corporate Officer (Recording Secretary)

1. CALL TO ORDER

Chair Okoro called the meeting to order at 9:31 a.m. and acknowledged that the meeting was held on the traditional territory of the Tamsin Nation.

8.1 Zoning Amendment Bylaw No. 1562
Manager Achterberg advised that the public hearing was held on August 27, 2024, attended by 34 members of the public, and that 9 written submissions were received.
Several directors noted that the rural residential designation had been discussed at three previous meetings and that the public had been given every opportunity to comment on the proposal.
The Manager confirmed that the Ministry of Transportation had given its approval of the bylaw on August 30, 2024, as required for lands within 800 metres of a controlled access highway.

B-204/24
MOVED Director Gill, SECONDED Alternate Director Chen
THAT Zoning Amendment Bylaw No. 1562 be given third reading.
CARRIED
OPPOSED: Directors MacAulay and Tanaka

10. STAFF FOLLOW-UP

| Action | Responsible | Due |
|---|---|---|
| Prepare a budget option for the pumper truck | T. Harrow | October 31, 2024 |
"""


def test_a_regional_boards_column_lists_opposed_votes_and_pipe_table_in_plain_text():
    from pathlib import Path

    from ingest.loaders.text import read_text

    document = read_text(Path("minutes.txt"), REGIONAL_BOARD.encode())   # as a .txt file is loaded
    m = parse(clean(document), "minutes.txt", document.metadata)
    # One person a line under a label ending its line, whom they represent after the comma.
    assert {"M. Okoro", "D. Lund", "S. Gill", "H. Tanaka", "P. MacAulay", "W. Chen", "T. Harrow",
            "E. Sandoval"} <= values(m, "present")
    assert not values(m, "present") & {"Electoral Area B", "Port Alder", "City of Alder Bay"}
    assert values(m, "chair") >= {"M. Okoro"} and "E. Sandoval" in values(m, "clerk")
    assert one(m, "arrived", "S. Gill").detail == "9:48 a.m."
    assert one(m, "left", "H. Tanaka").detail == "11:30 a.m."
    # Regrets one a line, the reason after the dash; the staff list below is no apology.
    assert values(m, "apologies") == {"K. Osei", "A. Beaulieu"}
    assert one(m, "apologies", "K. Osei").detail == "medical leave"
    # "OPPOSED:" under the result names who voted against; "Alternate Director" is a title.
    facts = motion(m, mover="Gill")
    assert of(facts, "seconder") == ["Chen"] and sorted(of(facts, "against")) == ["MacAulay", "Tanaka"]
    # A table typed with pipes in a plain-text file is an action log like any other.
    action = one(m, "action", "T. Harrow")
    assert action.detail == "2024-10-31" and "pumper truck" in quote(m, action)


def test_a_list_of_council_members_after_the_mayor_and_a_note_with_a_time_in_it():
    m = read("Present: Mayor Genevieve Arden-Clarke (Chair); Council Members Raj Bhullar, Odette Lapierre, "
             "Maeve Tennant (arrived 6:20 p.m.), Yvonne Moss\n\n1. Call to order\n")
    assert values(m, "present") == {"Genevieve Arden-Clarke", "Raj Bhullar", "Odette Lapierre", "Maeve Tennant",
                                    "Yvonne Moss"}
    assert values(m, "chair") == {"Genevieve Arden-Clarke"}
    assert one(m, "arrived", "Maeve Tennant").detail == "6:20 p.m."


COUNTY_ASSEMBLY = """COUNTY ASSEMBLY OF MARANI

SECTORAL COMMITTEE ON HEALTH

MINUTES OF THE 12TH SITTING OF THE COMMITTEE HELD ON TUESDAY, 4TH JUNE 2024 IN COMMITTEE ROOM NO. 1, AT 10.00 A.M.

MEMBERS PRESENT
1. Hon. Peter Kiprono Langat, MCA - Chairperson (Chepkoiyo Ward)
2. Hon. Faith Wanjiru Mwangi, MCA - Vice Chairperson (Kambi Ward)
3. Hon. Abdi Hassan Omar, MCA (Bulla Iftin Ward)
4. Hon. Mercy Chebet Rotich, MCA (Nominated)

ABSENT WITH APOLOGY
1. Hon. Stephen Kibet Cheruiyot, MCA (Tuiyo Ward) - attending a funeral in his ward

ABSENT
1. Hon. Yusuf Mohamed Dahir, MCA (Shanta Ward)

MIN. NO. MCA/HLT/012/01/2024: PRELIMINARIES
The Chairperson called the meeting to order at 10.12 a.m. and the agenda was adopted having been proposed by Hon. Abdi Hassan Omar and seconded by Hon. Mercy Chebet Rotich.

MIN. NO. MCA/HLT/012/02/2024: CONSIDERATION OF THE REPORT ON DISPENSARIES
The Committee considered the report of the Department on the staffing of the eleven dispensaries in the county and noted that four of them had no clinical officer in post since January 2024.
The motion to adopt the report was moved by Hon. Faith Wanjiru Mwangi and seconded by Hon. Abdi Hassan Omar.
Ayes: 2; Noes: 1 (Hon. Mercy Chebet Rotich); Abstentions: 1 (Hon. Peter Kiprono Langat).

MIN. NO. MCA/HLT/012/03/2024: ADJOURNMENT
There being no other business, the meeting was adjourned at 1.05 p.m.

SUMMARY OF ACTIONS
1. Committee Clerk (Ms. Rose Ouko) - draft report on the dispensaries - by 14th June 2024.
2. Chairperson - write to the Speaker on the field visit - by 11th June 2024.
"""


def test_a_county_assemblys_numbered_member_lists_minute_numbers_and_counted_votes():
    m = read(COUNTY_ASSEMBLY)
    assert [i.number for i in m.items] == ["MCA/HLT/012/01/2024", "MCA/HLT/012/02/2024", "MCA/HLT/012/03/2024"]
    assert values(m, "present") == {"Hon. Peter Kiprono Langat", "Hon. Faith Wanjiru Mwangi", "Hon. Abdi Hassan Omar",
                                    "Hon. Mercy Chebet Rotich"}
    assert values(m, "chair") == {"Hon. Peter Kiprono Langat"}
    assert values(m, "apologies") == {"Hon. Stephen Kibet Cheruiyot"}
    assert one(m, "apologies", "Hon. Stephen Kibet Cheruiyot").detail == "attending a funeral in his ward"
    assert values(m, "absent") == {"Hon. Yusuf Mohamed Dahir"}
    # "Hon." is a title: the mover is the member, not "Hon".
    facts = motion(m, mover="Hon. Faith Wanjiru Mwangi")
    assert of(facts, "seconder") == ["Hon. Abdi Hassan Omar"]
    assert of(facts, "against") == ["Hon. Mercy Chebet Rotich"] and of(facts, "abstained") == ["Hon. Peter Kiprono Langat"]
    # A numbered summary of actions: who, what and by when set apart by dashes.
    assert [(a.owner, a.text, a.due) for a in m.actions] == [
        ("Committee Clerk (Ms. Rose Ouko)", "draft report on the dispensaries", "2024-06-14"),
        ("Chairperson", "write to the Speaker on the field visit", "2024-06-11")]


def test_votes_counted_then_named_in_brackets():
    m = read("6.4 Award of the road resurfacing tender\nIt was proposed by Cllr Grech and seconded by Cllr Galea that "
             "the tender be awarded to Mdina Civil Works Ltd.\nVotes in favour: 3 (Mayor Zammit, Cllr Grech, Cllr Galea)"
             "\nVotes against: 1 (Cllr Azzopardi)\nAbstentions: 1 (Cllr Bonello)\nThe motion was carried.\n")
    facts = motion(m, mover="Grech")
    assert sorted(of(facts, "voted_for")) == ["Galea", "Grech", "Zammit"]
    assert of(facts, "against") == ["Azzopardi"] and of(facts, "abstained") == ["Bonello"]


def test_a_vice_chair_in_the_chair_apologies_with_their_reasons_and_votes_named_beside_each_count():
    m = read("Present: Cllr David Okafor (Vice-Chair, in the Chair), Cllr Thomas Brennan, Cllr Jo Pemberton.\n\n"
             "FGP/24/18 Apologies\nApologies were received and accepted from Cllr Helen Cartwright, owing to a family "
             "bereavement, and from Cllr Tom Lyle, who was detained by work commitments. No apology was received "
             "from Cllr Graham Wilde.\n\n"
             "FGP/24/24 Market House roof\nIt was moved by Cllr Brennan and seconded by Cllr Okafor that the contract "
             "be awarded to Stonecraft Ltd. The motion was CARRIED by 2 votes (Cllrs Okafor and Brennan) to 1 "
             "(Cllr Pemberton).\n")
    assert values(m, "chair") == {"David Okafor"}
    assert values(m, "apologies") == {"Helen Cartwright", "Tom Lyle"}     # Cllr Wilde sent none
    assert one(m, "apologies", "Helen Cartwright").detail == "a family bereavement"
    assert one(m, "apologies", "Tom Lyle").detail == "detained by work commitments"
    facts = motion(m, mover="Brennan")
    assert sorted(of(facts, "voted_for")) == ["Brennan", "Okafor"] and of(facts, "against") == ["Pemberton"]


def test_an_apology_in_the_attendance_table_is_quoted_from_the_sentence_giving_its_reason():
    m = read("Member\tAttendance\nCllr Helen Cartwright\tApologies\nCllr Jo Pemberton\tPresent\n\n"
             "1. Apologies\nApologies were received from Cllr Helen Cartwright, owing to a family bereavement.\n")
    row = one(m, "apologies", "Helen Cartwright")
    assert row.detail == "a family bereavement" and "bereavement" in quote(m, row)
    assert len(rows(m, "apologies", "Helen Cartwright")) == 1


def test_a_recorded_vote_as_a_table_and_directors_absent_excused():
    m = read("Directors present: Anita Desrosiers (Chair), Raj Bhatt.\n\nDirectors absent (excused):\nLeon Duchesne, "
             "Assistant Secretary - out of state for a family matter.\n\n8.1 Fares\nMoved by Councillor Bhatt, Seconded by "
             "Director Oyelaran\nTHAT the fare changes be approved.\n\nVote\tDirectors\nYea (3)\tDesrosiers, Bhatt, "
             "Oyelaran\nNay (1)\tMacIsaac\n\nCARRIED\n")
    assert one(m, "apologies", "Leon Duchesne").detail == "out of state for a family matter"
    facts = motion(m, mover="Bhatt")
    assert sorted(of(facts, "voted_for")) == ["Bhatt", "Desrosiers", "Oyelaran"] and of(facts, "against") == ["MacIsaac"]
