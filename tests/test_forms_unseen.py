"""Minutes of forty-two bodies written in forms none of the other tests use (a Scottish community council, an
Australian shire, a Canadian town, an NHS trust board, a US school board, an English town council's planning
committee; two meetings each of a police and crime panel, a Welsh community council, a US city council and an
athletics club; an English parish council, a district cabinet's decisions, a US county board of supervisors,
an Irish municipal district, a New Zealand regional council committee, a university's governors, a housing
association and a Canadian school board; a Northern Irish planning committee, a US select board, a police and
crime panel's confirmation hearing, a South African municipality, a charity's AGM, an Indian residents'
association, a fire authority and a works council; a scrutiny committee, a US township, a Scottish community
council's AGM, an Irish joint policing committee, an NHS council of governors, a Canadian city council, an
academy trust and a housing co-op; a Canadian regional district, a Maltese local council, a Kenyan county
assembly committee, a US water district, an English town council's finance committee (two meetings), harbour
commissioners and a Canadian transit authority; `tests/forms/`, written with their questions by someone who had not
read this code), asked end to end in one index. Each case is one way of naming a meeting or asking for the business of one."""
from __future__ import annotations

from pathlib import Path

import pytest

from index.search import Searcher
from index.sync import Ingester
from ingest.pipeline import read_meeting

pytestmark = pytest.mark.slow

FORMS = Path(__file__).parent / "forms"


@pytest.fixture(scope="module")
def searcher(tmp_path_factory, real_embedder):
    folder = tmp_path_factory.mktemp("unseen")
    assert not Ingester(folder / "index", embedder=real_embedder, progress=False).run([FORMS]).failed
    s = Searcher(folder / "index", embedder=real_embedder)
    yield s
    s.store.close()


@pytest.mark.parametrize("question, document, quote", [
    # A meeting named by its month alone, the year unsaid ...
    ("What time did the March meeting of the community council finish?", "auchterlea_cc_2024-03-12.txt",
     "closed the meeting at 8.47pm"),
    # ... by its month and day ...
    ("Which councillor sent regrets to the November 4 council meeting?", "port_alden_council_2024-11-04.html",
     "Councillor Amélie Gagnon"),
    ("Which board member was absent on February 11?", "cedar_hollow_board_2025-02-11.txt", "Absent: Linda Farrow"),
    ("Who was the Cathaoirleach at the Glenmore-Rathcarn meeting in January 2025?",
     "glenmore_rathcarn_municipal_district_2025-01-20.md", "Cathaoirleach: Councillor Pádraig Moloney"),
    # ... by the committee named on the line under the council's name ...
    ("Who sent apologies to the October planning committee?", "hexley_planning_2024-10-07.md",
     "Cllr M. Underwood (work commitments)"),
    ("What time did the October planning committee close?", "hexley_planning_2024-10-07.md",
     "The meeting closed at 8.26pm."),
    # ... or by its body spoken of as an owner ("the shire's").
    ("What time did the shire's August ordinary meeting end?", "wattle_creek_shire_ocm_2024-08-21.md",
     "the meeting closed at 8.42pm"),
    ("When is the shire's next ordinary council meeting?", "wattle_creek_shire_ocm_2024-08-21.md",
     "Wednesday 18 September 2024 at 6.00pm"),
    # ... or by the kind of body it is ("the shire"), never by a club it speaks of ("the bowling club").
    ("Which member had a conflict over the bowling club licence?", "auchterlea_cc_2024-03-12.txt",
     "Mr Neil Fraser declared an interest"),
    ("When did Cllr Fenwick leave the room for the Beech Grove application?", "hexley_planning_2024-10-07.md",
     "Cllr Fenwick left the room at 7.34pm."),
    ("What was the final count on the Harbour Road rezoning by-law?", "port_alden_council_2024-11-04.html",
     "CARRIED (3-2)"),
    # A meeting named by its business, among the meetings of one body or of every body.
    ("What time did the meeting that agreed the couch-to-5K course close?", "riverside_harriers_2024-11-19.md",
     "Meeting closed at 9:28 pm."),
    ("Who gave apologies when the committee discussed the 2025 subscriptions?", "riverside_harriers_2024-11-19.md",
     "Dev Patel (Men's Captain) \u2013 away with work"),
    ("Who sent apologies to the committee meeting that co-opted the volunteer coordinator?",
     "riverside_harriers_2024-09-03.md", "Chris Moffat (Membership Secretary)"),
    ("Who chaired the police and crime panel meeting that considered the 2024/25 precept?", "elmshire_pcp_2024-02-08.md",
     "Cllr Margaret Oduya (Chair)"),
    ("When was the next regular meeting after the Orchard Commons first reading?",
     "millbrook_heights_council_2025-01-21.html", "The next regular meeting is Tuesday, February 4, 2025"),
    ("What time did the council adjourn after awarding the Elm Street contract?",
     "millbrook_heights_council_2025-01-21.html", "adjourned at 8:47 p.m."),
    ("Who nominated Peter Halloran as chair of the Elmshire panel?", "elmshire_pcp_2024-06-13.md",
     "nominated by Cllr Greaves"),
    ("When did Cllr Bexley arrive at the Elmshire panel's annual meeting?", "elmshire_pcp_2024-06-13.md",
     "(arrived at 10:25 a.m."),
    ("When was the panel's following meeting fixed for at the precept meeting?", "elmshire_pcp_2024-02-08.md",
     "Thursday 13 June 2024 at 10:00 a.m."),
    ("What time did the panel meeting on the precept finish?", "elmshire_pcp_2024-02-08.md",
     "The meeting closed at 12:52 p.m."),
    ("What was the nature of Cllr Fenwick's interest at the Hexley planning committee?", "hexley_planning_2024-10-07.md",
     "as the applicant is his immediate neighbour"),
    # A motion about the apologies is a motion: who moved it, not who sent them.
    ("Who moved and seconded accepting the apologies at the Whenuakura catchment committee on 14 May?",
     "whenuakura_regional_council_catchment_committee_2025-05-14.html", "Moved: Cr Petersen / Seconded: Cr Faleolo"),
    ("What was the result of the division on the Pukehinau targeted rate at the Whenuakura catchment committee?",
     "whenuakura_regional_council_catchment_committee_2025-05-14.html", "declared CARRIED by 4 votes to 2"),
    ("Which portfolio holder missed the Ashcombe cabinet on 19 November 2024?",
     "ashcombe_district_council_cabinet_2024-11-19.md", "Cllr Claire Bassett"),
    # A recorded vote's lists with their counts ("Against (5): Alderman Gawley; Councillors Lavery, ...").
    ("Which members of the Lagan and Mourne planning committee voted against the Drumlough Road housing application?",
     "lagan_mourne_planning_committee_2024-11-07.md", "Against (5): Alderman Gawley; Councillors Lavery"),
    ("Who abstained in the recorded vote on the Cumbermere fire authority's 2025/26 budget?",
     "cumbermere_fire_rescue_authority_2025-02-14.html", "Abstained (1): Councillor Ziegler"),
    # The motion of the item its words name, the item read from its number ("P 121/24").
    ("Who proposed approving the 46-home development on Drumlough Road at the Lagan and Mourne planning committee?",
     "lagan_mourne_planning_committee_2024-11-07.md", "Proposed by Alderman R Beattie"),
    ("Who moved the amendment to hold the Cumbermere fire precept rise to 2.99%?",
     "cumbermere_fire_rescue_authority_2025-02-14.html", "Councillor Graham Bell moved"),
    # A works council's labels: "Minutes taken by (Protokoll):", "Absent (unexcused):", "(9 yes, 0 no, 1 abstention)".
    ("Who took the minutes at the Kessler Antriebstechnik works council meeting of 12 June 2024?",
     "kessler_works_council_2024-06-12.md", "Jens Albers"),
    ("Which Kessler works council member was absent without an excuse in June 2024?",
     "kessler_works_council_2024-06-12.md", "Absent (unexcused): Patrick Lenz"),
    ("At what time did Deepak Chawla arrive at the Greenwood Enclave RWA meeting of 19 January 2025?",
     "greenwood_enclave_rwa_2025-01-19.txt", "(joined at 11:10 AM)"),
    # "is X to give": a task set, its owner named by the role they hold.
    ("By when is the superintendent to give the board chronic absenteeism data?", "cedar_hollow_board_2025-02-11.txt",
     "by March 7, 2025"),
    # A body's possessive before the month; the words before "commissioners" name the body.
    ("What time did the harbour board's May meeting end?", "porthcarrow_harbour_commissioners_2024-05-09.txt",
     "closed the meeting at 12.40 pm"),
    ("When will the harbour commissioners next meet?", "porthcarrow_harbour_commissioners_2024-05-09.txt",
     "Thursday 11 July 2024 at 10.00 am"),
    # A column of regrets, one a line, the reason after the dash; "not at the meeting" asks for it.
    ("Why was Director Osei not at the Cedar Sound board meeting in September 2024?",
     "cedar_sound_regional_district_2024-09-12.txt", "medical leave"),
    # "OPPOSED:" under the result; a committee's line under the assembly's name.
    ("Which directors voted against giving the Upper Tamsin rezoning bylaw its third reading at the Cedar Sound "
     "regional board?", "cedar_sound_regional_district_2024-09-12.txt", "OPPOSED: Directors Fontaine and Gill"),
    ("Which committee member declared an interest over water trucking, and why?",
     "kiriwa_county_assembly_water_committee_2024-03-07.txt", "shareholder in Maji Safi Water Bowsers Ltd"),
    # A reason given in the apologies sentence, not in the table row above it.
    ("Why was Cllr Helen Cartwright absent from the January 2024 meeting?", "hartwell_town_council_fgp_2024-01-16.html",
     "owing to a family bereavement"),
])
def test_the_business_of_a_meeting_named_in_other_ways_is_answered(searcher, question, document, quote):
    a = searcher.ask(question).answer
    assert a is not None and a.fact is not None, question
    assert Path(a.document).name == document and quote in a.text, (a.document, a.text)


@pytest.mark.parametrize("question, document, quote", [
    ("Why did the majority turn down the setback variance for 1180 Alderwood Lane?",
     "cedar_sound_regional_district_2024-09-12.txt", "loss of sightlines for snow clearing"),
    ("Why was the cheapest bid for the resurfacing works excluded?", "hal_lejli_local_council_2024-10-15.txt",
     "did not include the required bid bond"),
])
def test_asked_why_the_sentence_giving_the_reason_answers_not_the_motion_above_it(searcher, question, document, quote):
    a = searcher.ask(question).answer
    assert a is not None and Path(a.document).name == document and quote in a.text, (a and a.document, a and a.text)


def test_asked_whether_it_is_done_the_sentence_saying_so_answers_not_the_payment(searcher):
    a = searcher.ask("Is the Llanddewi Fach churchyard bench repair done?").answer
    assert a is not None and "The repair was completed on 6 November 2023" in a.text, a


def test_asked_why_late_and_when_the_arrival_answers_both(searcher):
    a = searcher.ask("Why did Cllr Brennan turn up late to the Little Hadley Parish Council meeting in March, and what "
                     "time did he get there?").answer
    assert a is not None and a.fact == "arrived", a
    assert "Cllr Brennan arrived at 19:52" in a.text and "his train had been delayed" in a.text, a.text


def test_a_role_after_the_bodys_name_does_not_name_another_body(searcher):
    # "the Lakeshore Pines Director of Education": Lakeshore Pines names the board; "Education" is the role's,
    # not the Cedar Hollow "Board of Education".
    a = searcher.ask("What must the Lakeshore Pines Director of Education report on by April 30, 2025?").answer
    assert a is not None and a.document.endswith("lakeshore_pines_district_school_board_2025-02-26.html"), a


def test_a_figure_asked_of_the_shire_is_the_shires(searcher):
    a = searcher.ask("What is the value of the road reseal contract awarded by the shire?").answer
    assert a is not None and a.document.endswith("wattle_creek_shire_ocm_2024-08-21.md"), a


def test_a_club_the_question_speaks_of_names_no_meeting(searcher):
    # "the curling club's request" is a town council's business, not the athletics club's meetings.
    a = searcher.ask("What did council do with the curling club's funding request?").answer
    assert a is not None and a.document.endswith("port_alden_council_2024-11-04.html"), a
    assert "referred to 2025 budget deliberations" in a.text, a.text


def test_asked_why_someone_left_the_interest_they_declared_answers(searcher):
    # The time they left gives no reason; the interest they declared does.
    a = searcher.ask("Why did Cllr Rees leave the room during planning?").answer
    assert a is not None and a.fact == "interest" and "as the applicant is his neighbour" in a.text, a
    a = searcher.ask("Why did Cr Petersen withdraw from the table during the Pukehinau rate discussion?").answer
    assert a is not None and a.fact == "interest" and "420 hectare sheep and beef farm" in a.text, a


def test_who_asked_for_a_vote_is_no_outcome_to_quote(searcher):
    # An outcome or a count names no one: the sentence saying who asked answers.
    a = searcher.ask("Who asked for a recorded vote on water rates?").answer
    assert a is not None and a.fact is None and "requested by Councillor Olsen" in a.text, a


@pytest.mark.parametrize("text, kind, values", [
    # A list of voters by groups, each group's title after a semicolon.
    ("Against: Cllr Gawley; Cllr Quinn", "against", ["Gawley", "Quinn"]),
    # Whom a member represents stops at the end of a sentence: the arrival is the next member's.
    ("Cllr Brown - County report was noted. Cllr Jones (arrived 7.20pm) asked about the bins.", "arrived", ["Jones"]),
    # The chair of another committee listed first is not the chair.
    ("Colin Fairbrother\tChair of Audit and Risk Committee\nHelen Ashworth\tChair", "chair", ["Helen Ashworth"]),
    # A roll call of who is there; regrets given in brackets after "Absent:"; names under "... from:".
    ("Roll call: Trustee Szabo – Present; Trustee Quill – Absent; Trustee Ambrose – Present.", "absent", ["Quill"]),
    ("Absent: Council Member Curtis Whitebird (regrets – representing the City at the Water Summit)", "apologies",
     ["Curtis Whitebird"]),
    ("Cathaoirleach: Cllr Donnchadh O Laoghaire", "chair", ["Donnchadh O Laoghaire"]),
])
def test_a_line_of_other_forms_is_read(text, kind, values):
    """One form per case, read inside minutes of its own."""
    from ingest.clean import clean
    from ingest.model import RawDocument
    from ingest.structure import parse

    doc = RawDocument(path="minutes.txt", kind="text",
                      pages=[f"Test Council\n\nPresent:\n{text}\n\n1. Business\n\nProposed Cllr A, seconded Cllr B.\n{text}\n"])
    meeting = parse(clean(doc), "minutes.txt", doc.metadata)
    assert sorted({f.value for f in meeting.facts if f.kind == kind}) == values


def test_the_reading_of_these_forms():
    hexley = read_meeting(FORMS / "hexley_planning_2024-10-07.md")
    assert hexley.title == "Hexley Town Council \u2013 Planning Committee"
    present = {f.value for f in hexley.facts if f.kind == "present"}
    assert "Mrs P. Haldane" in present and "Cllr" not in present, present
    # A lettered application opening with its reference is an item of its own, not the tail of the line above.
    assert "7.41pm.\n\nc) 24/01547/LBC" in hexley.text
    wattle = read_meeting(FORMS / "wattle_creek_shire_ocm_2024-08-21.md")
    present = {f.value for f in wattle.facts if f.kind == "present"}
    assert {"Deborah Lindqvist", "Colin Stubbs", "Ms Karen Whitlock"} <= present, present
    assert [f.value for f in wattle.facts if f.kind == "apologies" and f.value.lower() in ("nil", "nil.")] == []
    trust = read_meeting(FORMS / "severnvale_trust_board_2025-01-30.md")
    # The chair of the audit committee sits on the board; the board's chair chairs it.
    assert {f.value for f in trust.facts if f.kind == "chair"} == {"Dr Helen Ashworth"}
    assert {f.value for f in trust.facts if f.kind == "apologies"} == {"Tariq Hussain", "Sarah Lumb"}
    club = read_meeting(FORMS / "riverside_harriers_2024-11-19.md")
    # The membership secretary keeps the members' list, not the minutes; "the AGM. Laura Fitzgerald" has no initial.
    assert {f.value for f in club.facts if f.kind == "clerk"} == {"Sophie Kerr"}
    assert {f.value for f in club.facts if f.kind == "against"} == {"Laura Fitzgerald", "Chris Moffat"}
    assert [(f.value, f.detail) for f in club.facts if f.kind == "apologies"] == [("Dev Patel", "away with work")]
    cabinet = read_meeting(FORMS / "ashcombe_district_council_cabinet_2024-11-19.md")
    # "Apologies: Cllr Claire Bassett – Portfolio Holder for Communities and Leisure (hospital appointment)."
    assert [(f.value, f.detail) for f in cabinet.facts if f.kind == "apologies"] == [
        ("Claire Bassett", "hospital appointment")]
    # "P 121/24 LA04/2024/0712/F – Erection of 46 dwellings ...": a committee's letters, number and year.
    planning = read_meeting(FORMS / "lagan_mourne_planning_committee_2024-11-07.md")
    assert [i.number for i in planning.items][:4] == ["P 118/24", "P 119/24", "P 120/24", "P 121/24"]
    coop = read_meeting(FORMS / "larchfield_housing_coop_2025-04-05.md")
    # "Apologies were received from:" over a list of "Name – reason" lines
    assert {(f.value, f.detail) for f in coop.facts if f.kind == "apologies"} >= {
        ("Delroy Ashanti-Hughes", "working a shift"), ("Magdalena Sroka", "in hospital")}
    rwa = read_meeting(FORMS / "greenwood_enclave_rwa_2025-01-19.txt")
    # "Decision: ... / Action by: Mr. Deepak Chawla / Target date: 10 February 2025"
    solar = [a for a in rwa.actions if a.owner == "Mr. Deepak Chawla"]
    assert len(solar) == 1 and solar[0].due == "2025-02-10" and "Rs 10,00,000 limit" in solar[0].text, rwa.actions
    welsh = read_meeting(FORMS / "llanddewi_fach_cc_2023-11-14.txt")
    assert not [f for f in welsh.facts if f.kind == "left" and f.value.endswith("He")], "AFC. He left ... names no one"
