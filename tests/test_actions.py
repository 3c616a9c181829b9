"""Actions that know they are done: later minutes' statements read at ingest, matched to the action they speak
of, the status that follows as of a date; due dates that are dates or empty.

Made-up minutes of two meetings of one series (and one of another) pin each case; the bundled corpus, read
by hand, says which of its actions later meetings report complete. Plumbing only: the hashing embedder.
"""
from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from index import browse
from index.action_status import DONE, ONGOING, OPEN, OVERDUE, SUPERSEDED, Report, link
from index.embed import HashEmbedder
from index.store import DB_NAME, MeetingCard
from index.sync import Ingester
from ingest.action_updates import Reference, read_reference
from ingest.actions import due
from ingest.clean import clean
from ingest.dates import resolve_due
from ingest.model import STRUCTURE_VERSION, RawDocument
from ingest.structure import parse
from tests.conftest import CORPUS

MARCH = """Estates Board March 2023 - Minutes

Date: Tuesday 14 March 2023
Chair: Ann Cole
Venue: Room 4, Civic Centre

Name                Capacity
Ann Cole            Director of Estates (DoE)
Bo Lin              Head of Facilities (HoF)
Cy Park             Assistant Director of Estates (ADoE)
Di Shaw             Deputy Director of Estates (DDoE)

1
Depot boiler

The boiler at the depot failed twice in February.

Action: HoF to obtain three quotes for replacing the depot boiler by 31 March 2023.

2
Library roof

Action: DoE to commission a condition survey of the library roof by 31 July 2023.

3
Energy and parking

Action: ADoE to draft the energy saving policy by 30 April 2023.

Action: DDoE to review the car park lighting contract by 5 May 2023.

Action: ADoE to retire the old fleet booking system by 31 May 2023.
"""

JUNE = """Estates Board June 2023 - Minutes

Date: Tuesday 13 June 2023
Chair: Ann Cole
Venue: Room 4, Civic Centre

Name                Capacity
Ann Cole            Director of Estates (DoE)
Ed Moss             Head of Facilities (HoF)
Cy Park             Assistant Director of Estates (ADoE)

1
Actions from previous meetings

Action 1 from March (quotes for the depot boiler): complete. Three quotes were received on 29 March 2023.
Action from March (library roof condition survey): ongoing. The survey is booked for July.
Action from February (car park lighting contract): complete.
Action from March (staff travel plan): complete.
Action from March (fleet booking system): superseded by the new transport strategy.

2
Depot boiler

Action: HoF to replace the depot boiler by 29 September 2023.
"""

# Another series whose words fit an Estates Board action: it speaks of its own March meeting, not theirs.
AUDIT = """Audit Panel July 2023 - Minutes

Date: Tuesday 11 July 2023
Chair: Fay Grant
Venue: Room 2, Civic Centre

1
Matters arising

Action from March (energy saving policy): complete.
Action (car park lighting contract review): complete.
"""

BOARD = {"estates-board-2023-03-14.txt": MARCH, "estates-board-2023-06-13.txt": JUNE,
         "audit-panel-2023-07-11.txt": AUDIT}


def build(folder: Path, files: dict[str, str]) -> Path:
    src = folder / "src"
    src.mkdir(parents=True)
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    report = Ingester(folder / "index", embedder=HashEmbedder(), progress=False).run([src])
    assert report.added == len(files) and not report.failed, report.failed
    return folder / "index"


@pytest.fixture(scope="module")
def board(tmp_path_factory) -> list[browse.ActionRow]:
    index = build(tmp_path_factory.mktemp("board"), BOARD)
    with browse.reading(index) as store:
        return browse.actions(store)


def the(rows: list[browse.ActionRow], words: str) -> browse.ActionRow:
    found = [a for a in rows if words in a.text]
    assert len(found) == 1, (words, [a.text for a in rows])
    return found[0]


def read(text: str):
    document = RawDocument(path="minutes.txt", kind="text", pages=[text])
    return parse(clean(document), "minutes.txt", document.metadata)


# -- what later minutes say, read at ingest ----------------------------------------

def test_statements_about_earlier_actions_are_read_with_their_words_and_status():
    m = read(JUNE)
    updates = [(f.value, f.detail, m.text[f.start:f.end]) for f in m.facts if f.kind == "action_update"]
    assert updates == [
        ("Action 1 from March (quotes for the depot boiler)", DONE,
         "Action 1 from March (quotes for the depot boiler): complete. Three quotes were received on 29 March 2023."),
        ("Action from March (library roof condition survey)", ONGOING,
         "Action from March (library roof condition survey): ongoing. The survey is booked for July."),
        ("Action from February (car park lighting contract)", DONE,
         "Action from February (car park lighting contract): complete."),
        ("Action from March (staff travel plan)", DONE, "Action from March (staff travel plan): complete."),
        ("Action from March (fleet booking system)", SUPERSEDED,
         "Action from March (fleet booking system): superseded by the new transport strategy.")]
    # The heading "Actions from previous meetings" and the Action: line report nothing.
    assert not [f for f in read(MARCH).facts if f.kind == "action_update"]


@pytest.mark.parametrize(("line", "status"), [
    ("The Chair noted that all actions from the previous meeting had been completed.", DONE),
    ("Action from 14 March (energy policy) - not yet complete.", ONGOING),
    ("Action 2 from March (energy policy): carried forward to the next meeting.", ONGOING),
    ("Action from March (energy policy) was withdrawn.", SUPERSEDED),
    ("Action from March (energy policy): closed.", DONE),
    ("The Chair asked for the action from March (energy policy) to be completed.", None),
    ("Action: DoE to report on the energy policy; complete the survey first.", None),
])
def test_what_a_statement_says_became_of_an_action(line, status):
    m = read(f"Estates Board June 2023\n\nDate: 13 June 2023\n\n1\nMatters arising\n\n{line}\n")
    found = [f.detail for f in m.facts if f.kind == "action_update"]
    assert found == ([status] if status else [])


def test_a_reference_reads_back_its_parts():
    assert read_reference("Action 2 from March 2023 (analysis of rural response times)") == Reference(
        number=2, month=3, year=2023, description="analysis of rural response times")
    assert read_reference("all actions from the previous meeting") == Reference(every=True, previous=True)
    assert read_reference("the weather") is None


# -- matched to the action, and the status that follows -----------------------------

def test_an_action_reported_complete_is_done_with_the_meeting_quote_and_citation(board):
    a = the(board, "three quotes")
    s = a.status(date(2023, 7, 1))
    assert s.state == DONE
    r = s.report
    assert (r.date, r.document, r.page, r.item, r.meeting) == (
        "2023-06-13", "estates-board-2023-06-13.txt", 1, "1", "Estates Board June 2023 - Minutes")
    assert r.quote.startswith("Action 1 from March (quotes for the depot boiler): complete. Three quotes")


def test_status_is_as_the_minutes_stood_on_the_day(board):
    a = the(board, "three quotes")
    assert a.status(date(2023, 6, 1)).state == OVERDUE, "due in March, reported done only in June"
    assert a.status(date(2023, 3, 20)).state == OPEN


def test_an_action_reported_ongoing_is_ongoing_until_it_is_past_due(board):
    a = the(board, "library roof")
    assert a.status(date(2023, 7, 1)).state == ONGOING
    late = a.status(date(2023, 8, 15))
    assert late.state == OVERDUE and late.report.status == ONGOING, "past due and not reported done"


def test_an_action_never_reported_is_overdue_past_its_date_and_open_before(board):
    a = the(board, "energy saving policy")
    assert a.reports == [], "the Audit Panel's statement is of its own March meeting"
    assert a.status(date(2023, 7, 1)).state == OVERDUE
    assert a.status(date(2023, 4, 1)).state == OPEN
    assert the(board, "replace the depot boiler").status(date(2023, 7, 1)).state == OPEN


def test_a_statement_about_another_action_leaves_this_one_alone(board):
    # "Action from February (car park lighting contract)" has this action's words but names another meeting;
    # "Action from March (staff travel plan)" names this action's meeting but none of its words.
    lighting = the(board, "car park lighting")
    assert lighting.reports == [] and lighting.status(date(2023, 7, 1)).state == OVERDUE
    matched = Counter(r.reference for a in board for r in a.reports)
    assert "Action from March (staff travel plan)" not in matched
    assert all(n == 1 for n in matched.values()), matched


def test_a_statement_naming_no_meeting_needs_most_of_its_words_in_an_earlier_action_of_its_series():
    @dataclass
    class Row:
        text: str
        meeting_id: int
        series: str
        date: str
        start: int = 0
        read_from: str = browse.ACTION_LINE

    def said(reference: str, series: str = "Board") -> Report:
        return Report(DONE, reference, reference, 9, None, "2023-06-13", series, "june.txt", 2, None, 1, 0, 10)

    rows = [Row("HoF to obtain three quotes for the depot boiler.", 1, "Board", "2023-03-14"),
            Row("DoE to survey the library roof.", 1, "Board", "2023-03-14", start=50)]
    cards = [MeetingCard(1, None, "Board", None, "2023-03-14"), MeetingCard(9, None, "Board", None, "2023-06-13")]
    found = link(rows, [said("Action (depot boiler quotes)"), said("Action (library roof)", "Panel"),
                        said("Action (library roof repairs and new gutters)")], cards, browse.ACTION_LINE)
    assert [[r.reference for r in f] for f in found] == [["Action (depot boiler quotes)"], []]


def test_an_action_reported_superseded(board):
    assert the(board, "fleet booking").status(date(2023, 7, 1)).state == SUPERSEDED


def test_one_meetings_actions_are_matched_against_every_statement(tmp_path):
    index = build(tmp_path, BOARD)
    with browse.reading(index) as store:
        march = next(m.id for m in browse.meetings(store) if m.document == "estates-board-2023-03-14.txt")
        rows = browse.actions(store, meeting_id=march)
    assert {a.meeting_id for a in rows} == {march} and len(rows) == 5
    assert the(rows, "three quotes").status(date(2023, 7, 1)).state == DONE


# -- due dates: a date or nothing --------------------------------------------------

@pytest.mark.parametrize(("words", "iso"), [
    ("16 July 2021", "2021-07-16"),
    ("Friday 4 November", "2023-11-04"),          # the year after the meeting's, where the date has passed
    ("the end of March 2025", "2025-03-31"),
    ("the end of February", "2024-02-29"),
    ("district from November 2023", None),
    ("the July meeting", None),
    ("the next meeting", None),
])
def test_a_due_date_is_read_only_where_the_words_are_a_date(words, iso):
    assert resolve_due(words, "2023-10-19") == iso


def test_an_action_with_no_date_to_meet_has_no_due_date_and_keeps_its_words():
    body = "ACC to provide the PCC with monthly emergency response times by district from November 2023."
    assert due(body, "2023-10-19") is None
    assert due("DoP to report at the November meeting.", "2021-06-17") is None
    assert due("CC to confirm a revised date by 10 December 2021.", "2021-11-18") == "2021-12-10"
    m = read(f"Monthly Meeting October 2023\n\nDate: 19 October 2023\n\n1\nResponse\n\nAction: {body}\n")
    action, = m.actions
    assert action.due is None and "by district from November 2023" in action.text


# -- the bundled corpus ------------------------------------------------------------

# Its actions that later minutes report complete: (meeting, the action's words) -> the meeting that said so.
REPORTED_DONE = {
    ("2021-06-17", "month-by-month improvement trajectory"): "2021-11-18",
    ("2021-06-17", "call handler recruitment and attrition"): "2021-11-18",
    ("2021-11-18", "lessons learned report"): "2022-03-17",
    ("2021-11-18", "critical incident notification list"): "2022-03-17",
    ("2021-11-18", "revised date for achieving"): "2022-03-17",
    ("2022-03-17", "circulate the recruitment plan"): "2022-07-21",
    ("2022-03-17", "rural emergency response times"): "2022-07-21",
    ("2022-03-17", "overtime spend forecast"): "2022-07-21",
    ("2022-07-21", "rural response improvement plan"): "2022-12-15",
    ("2022-12-15", "2023/24 savings options"): "2023-04-20",
    ("2023-04-20", "revised 101 improvement trajectory"): "2023-10-19",
    ("2023-10-19", "monthly emergency response times by district"): "2024-03-21",
    ("2023-10-19", "backlog of misconduct investigations"): "2024-03-21",
    ("2024-03-21", "case for an 85% 101 target"): "2024-09-19",
}
AS_OF = date(2024, 10, 1)


@pytest.fixture(scope="module")
def corpus_actions(tmp_path_factory) -> list[browse.ActionRow]:
    folder = tmp_path_factory.mktemp("corpus-actions")
    report = Ingester(folder, embedder=HashEmbedder(), progress=False).run([CORPUS])
    assert report.added == 17 and not report.failed
    with browse.reading(folder) as store:
        return browse.actions(store)


def test_the_corpus_actions_reported_complete_are_done_with_the_meeting_that_said_so(corpus_actions):
    for (held, words), said in REPORTED_DONE.items():
        a, = [a for a in corpus_actions if a.date == held and words in a.text]
        s = a.status(AS_OF)
        assert (s.state, s.report.date) == (DONE, said), (a.text, s)
        assert s.report.series == a.series and s.report.quote.startswith("Action")


def test_the_corpus_actions_no_minutes_report_are_overdue_or_open(corpus_actions):
    rest = [a for a in corpus_actions if a.status(AS_OF).state != DONE]
    assert len(corpus_actions) - len(rest) == len(REPORTED_DONE)
    overdue = sorted((a.date, a.owner) for a in rest if a.status(AS_OF).state == OVERDUE)
    # The precept consultation, and the Joint Audit Committee's two: the Monthly Assurance Meeting's report
    # on "the date of the ICT disaster recovery test" is of its own September meeting, not the Committee's.
    assert overdue == [("2022-12-15", "CEx"), ("2023-07-25", "Acting Chief Constable"), ("2023-07-25", "CFO")]
    assert Counter(a.status(AS_OF).state for a in rest) == {OVERDUE: 3, OPEN: 5}
    # A task undertaken in a sentence, with no due date and no later report, is open.
    undertaken, = [a for a in rest if "undertook to raise this" in a.text]
    assert undertaken.status(AS_OF).state == OPEN and undertaken.owner == "PCC"


def test_the_corpus_owners_are_the_role_and_the_person_who_held_it_then(corpus_actions):
    labels = {(a.date, a.text[:30]): a.holder.label for a in corpus_actions}
    assert labels[("2021-11-18", "CC to confirm a revised date f")] == "CC — Dame Alison Hart"
    assert labels[("2023-10-19", "CC to provide the PCC with a p")] == "CC — Marcus Obi"
    assert labels[("2023-07-25", "Acting Chief Constable to conf")] == "Acting Chief Constable — Simon Greaves"
    assert labels[("2022-03-17", "The DoP agreed to include this")] == "DoP — Nadia Brennan"
    district = next(a for a in corpus_actions if "by district from November 2023" in a.text)
    assert district.due is None


# -- an index read by the previous reader of structure ------------------------------

def test_the_nightly_run_brings_an_older_index_up_to_date_without_embedding(tmp_path):
    """An index built before statements were read (and when due dates kept their words) gets both from its
    stored text on the next run; nothing is embedded again."""
    index = build(tmp_path, {"estates-board-2023-03-14.txt": MARCH, "estates-board-2023-06-13.txt": JUNE})
    conn = sqlite3.connect(index / DB_NAME)
    conn.execute("DELETE FROM facts WHERE kind = 'action_update'")
    conn.execute("UPDATE actions SET due = 'the words as written' WHERE due IS NULL")
    conn.execute("UPDATE meetings SET structure_version = 'structure-3-facts'")
    conn.commit()
    conn.close()
    with browse.reading(index) as store:
        assert the(browse.actions(store), "three quotes").status(date(2023, 7, 1)).state == OVERDUE

    class NoEmbedding(HashEmbedder):
        def encode(self, texts, show_progress=False):
            raise AssertionError("nothing should be embedded")

    report = Ingester(index, embedder=NoEmbedding(), progress=False).run([tmp_path / "src"])
    assert report.restructured == 2 and report.chunks == 0
    with browse.reading(index) as store:
        rows = browse.actions(store)
        versions = {r[0] for r in store.conn.execute("SELECT structure_version FROM meetings")}
    assert versions == {STRUCTURE_VERSION}
    assert the(rows, "three quotes").status(date(2023, 7, 1)).state == DONE
    assert "the words as written" not in {a.due for a in rows}

