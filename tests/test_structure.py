"""Reading minutes as minutes: header fields, people, agenda items, actions, next meeting."""
from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from ingest.clean import clean
from ingest.items import item_title
from ingest.model import Meeting, RawDocument
from ingest.structure import parse, series_of

DATA = Path(__file__).parents[1] / ".." / "shared" / "data"
OPCC = DATA / "opcc" / "west-mercia-monthly-assurance-2021-10-21.txt"
COUNCIL = DATA / "council-minutes"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="real minutes not present at ../shared/data")


def read(text: str, source: str = "minutes.txt", metadata: dict[str, str] | None = None, *pages: str) -> Meeting:
    document = RawDocument(path=source, kind="text", pages=[text, *pages], metadata=metadata or {})
    return parse(clean(document), source, document.metadata)


@functools.lru_cache(maxsize=None)  # PDFs are slow to read; tests never change what they get
def read_file(path: Path) -> Meeting:
    from ingest.loaders import load

    document = load(path)
    return parse(clean(document), path.name, document.metadata)


def item(meeting: Meeting, number: str):
    found = [i for i in meeting.items if i.number == number]
    assert found, f"no item {number} in {[i.number for i in meeting.items]}"
    return found[0]


def assert_items_cover_text_in_order(meeting: Meeting) -> None:
    for before, after in zip(meeting.items, meeting.items[1:]):
        assert before.end == after.start and before.start < after.start
    if meeting.items:
        assert meeting.items[-1].end == len(meeting.text)
        assert meeting.items[0].start > 0 or meeting.text.startswith(meeting.items[0].number or "")
    for it in meeting.items:
        assert it.page == meeting.page_at(it.start)


# --- small made-up minutes ---------------------------------------------------------

MINUTES = """Finance Committee March 2022 - Minutes

Date: Tuesday 8 March, 6.30 pm
Chair: Anna Price
Venue: Council Offices, Room 4

Present: Cllr Anna Price (Chair), Cllr Tom Reed, Joe Bloggs (Treasurer)

1. Apologies
None were received.

2. Budget monitoring
The Treasurer reported that 2018 had been a difficult year.
3,000 pounds were moved to reserves.
2.1 Reserves policy
The Community Safety Partnership (CSP) asked about reserves.
Action: Treasurer to circulate the reserves policy by 22 March.
1. A figure mid-list that must not start a new item.
2.2 Grants
The grant was noted.

3. Date of next meeting
Tuesday 12 April 2022 at 6.30 pm. Theme: Capital programme.
"""


def test_header_fields_are_read_and_a_yearless_date_takes_the_title_year():
    meeting = read(MINUTES)
    assert meeting.title == "Finance Committee March 2022 - Minutes"
    assert meeting.series == "Finance Committee"
    assert meeting.date == "2022-03-08"
    assert meeting.time == "18:30"
    assert meeting.venue == "Council Offices, Room 4"
    assert meeting.chair == "Anna Price"


def test_items_are_numbered_headings_in_increasing_order():
    meeting = read(MINUTES)
    assert [(i.number, i.title) for i in meeting.items] == [
        ("1", "Apologies"), ("2", "Budget monitoring"), ("2.1", "Reserves policy"), ("2.2", "Grants"),
        ("3", "Date of next meeting"),
    ]
    assert_items_cover_text_in_order(meeting)
    assert "3,000 pounds" in meeting.text[item(meeting, "2").start:item(meeting, "2").end]


def test_attendees_actions_glossary_and_next_meeting():
    meeting = read(MINUTES)
    people = {(a.name, a.role) for a in meeting.attendees}
    assert {("Anna Price", "Chair"), ("Tom Reed", "Councillor"), ("Joe Bloggs", "Treasurer")} <= people
    assert meeting.glossary["CSP"] == "Community Safety Partnership"
    assert len(meeting.actions) == 1
    action = meeting.actions[0]
    assert (action.owner, action.due, action.item, action.page) == ("Treasurer", "2022-03-22", "2.1", 1)
    assert meeting.next_meeting_date == "2022-04-12"


def test_date_year_from_metadata_then_file_name_else_nothing():
    text = "Parish Council\n\nHeld on Wednesday 7 February at 7pm\n\n1. Apologies\nNone.\n2. Minutes\nAgreed.\n"
    assert read(text, metadata={"date": "2018-03-07"}).date == "2018-02-07"
    assert read(text, source="parish_2019_minutes.txt").date == "2019-02-07"
    assert read(text).date is None


def test_a_date_stated_in_the_minutes_beats_the_file_name():
    text = "Minutes of the meeting held on 3 May 2021\n\n1. Apologies\nNone.\n2. Minutes\nAgreed.\n"
    assert read(text, source="minutes-2021-06-01.txt").date == "2021-05-03"
    assert read("Notes\n\nNothing dated here.", source="minutes-2021-06-01.txt").date == "2021-06-01"


def test_numbers_that_go_backwards_or_are_figures_are_not_items():
    text = (
        "Minutes\n\n22/18 Apologies and Welcome There were none.\n"
        "23/18 Declarations of Interest There were none.\n"
        "2018 was a year of change.\n"
        "12/18 A reference to an old minute that goes backwards.\n"
        "24/18 Appointment of Vice Chair The Chair reported.\n"
    )
    meeting = read(text)
    assert [(i.number, i.title) for i in meeting.items] == [
        ("22/18", "Apologies and Welcome"), ("23/18", "Declarations of Interest"), ("24/18", "Appointment of Vice Chair"),
    ]


def test_a_town_councils_minute_numbers_are_its_items():
    text = ("Ashcombe Town Council\n\nMin. No. 101/24 APOLOGIES\nApologies were received from Councillor M North.\n\n"
            "Min. No. 102/24 CHRISTMAS LIGHTS CONTRACT\nMembers considered three quotes.\n\n"
            "Minute 103/24 SKATE PARK\nIt was RESOLVED to apply for £60,000.\n")
    assert [(i.number, i.title) for i in read(text).items] == [
        ("101/24", "APOLOGIES"), ("102/24", "CHRISTMAS LIGHTS CONTRACT"), ("103/24", "SKATE PARK")]


def test_an_agenda_printed_before_the_minutes_is_not_mistaken_for_the_items():
    text = (
        "Agenda\n1. Apologies\n2. Minutes\n3. Finance\n\nMinutes\n\n"
        "1. Apologies\nApologies were received from the Clerk who was unwell on the night.\n\n"
        "2. Minutes\nThe minutes of the last meeting were agreed and signed by the Chair.\n\n"
        "3. Finance\nThe accounts were presented and accepted by all members present.\n"
    )
    meeting = read(text)
    assert [i.number for i in meeting.items] == ["1", "2", "3"]
    assert meeting.items[0].start > text.index("Minutes\n\n")


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("Understanding the impact of the ICT outage The ACC provided an overview.", "Understanding the impact of the ICT outage"),
        ("Outstanding Matters / Matters arising There were none.", "Outstanding Matters / Matters arising"),
        ("Question submitted by Councillor K. Sheahan", "Question submitted by Councillor K. Sheahan"),
        ("Reports 7.1 Chairman's Report -", "Reports"),
        ("Police Report - PK noted that she had received reports.", "Police Report"),
        ("Public Participation and Councillors Items a) It was agreed to add an item.", "Public Participation and Councillors Items"),
        ("It was noted that all Councillors gave support to the application.", "It was noted that all Councillors gave support to the application"),
    ],
)
def test_item_titles_stop_where_the_minute_begins(line, title):
    assert item_title(line) == title


@pytest.mark.parametrize(
    ("title", "series"),
    [
        ("Monthly Assurance Meeting October 2021\u2013 Meeting Notes", "Monthly Assurance Meeting"),
        ("Police and Crime Panel September 2021 | Northshire OPCC", "Police and Crime Panel"),
        ("Northshire Police and Crime Panel - Minutes of the meeting of 20 September 2021", "Northshire Police and Crime Panel"),
        ("Stoke Ferry Parish Council February Meeting", "Stoke Ferry Parish Council"),
        ("MINUTES OF THE ANNUAL MEETING OF NORTHWOLD PARISH COUNCIL", "Northwold Parish Council"),
        ("SUMMARY OF DES MOINES CITY COUNCIL MEETING", "Des Moines City Council"),
        ("Des Moines City Council Summary for January 14, 2022 Special Meeting", "Des Moines City Council"),
        ("Draft Minutes of West Dereham PC Meeting October 2020", "West Dereham PC"),
        ("MINUTES OF PROCEEDINGS AT MONTHLY MEETING OF THE MUNICIPAL DISTRICT OF ADARE-RATHKEALE", "Municipal District of Adare-Rathkeale"),
        # the meeting "of the Board" is the body's named before it
        ("PORTHCARROW HARBOUR COMMISSIONERS \u2013 ORDINARY MEETING OF THE BOARD", "Porthcarrow Harbour Commissioners"),
        ("Pine Hollow Water District \u2013 Regular Meeting of the Board of Directors", "Pine Hollow Water District"),
    ],
)
def test_series_is_the_title_without_dates(title, series):
    assert series_of(title) == series


def test_series_stated_in_metadata_wins():
    assert read(MINUTES, metadata={"body": "Finance and Audit Committee"}).series == "Finance and Audit Committee"


def test_empty_fields_stay_empty():
    meeting = read("Some notes without structure.\n\nNothing else here.")
    assert meeting.items == [] and meeting.actions == [] and meeting.attendees == []
    assert meeting.date is None and meeting.chair is None and meeting.next_meeting_date is None
    assert meeting.text == "Some notes without structure.\n\nNothing else here."


def test_items_keep_their_pages():
    meeting = read("Minutes\n\n1. Apologies\nNone were received.", "m.txt", None, "2. Finance\nThe accounts were agreed.")
    assert [(i.number, i.page) for i in meeting.items] == [("1", 1), ("2", 2)]


# --- the OPCC minutes ---------------------------------------------------------------


@pytest.fixture(scope="module")
def opcc() -> Meeting:
    if not OPCC.is_file():
        pytest.skip("real minutes not present at ../shared/data")
    return read_file(OPCC)


@needs_data
def test_opcc_header(opcc):
    assert opcc.date == "2021-10-21"
    assert opcc.time == "10:30"
    assert opcc.chair == "John Campion"
    assert opcc.minute_taker == "Jackie Irvin"
    assert opcc.venue == "West Mercia Police HQ"
    assert opcc.series == "Monthly Assurance Meeting"
    assert opcc.title.startswith("Monthly Assurance Meeting October 2021")


@needs_data
def test_opcc_attendees_with_roles_and_acronyms(opcc):
    people = [(a.name, a.role, a.acronym) for a in opcc.attendees]
    assert len(people) == 7
    assert ("Pippa Mills", "Chief Constable", "CC") in people
    assert ("John Campion", "Police and Crime Commissioner", "PCC") in people
    assert ("Rachel Jones", "Assistant Chief Constable Local Policing", "ACC") in people
    assert ("Beth Bridges", "Chief Superintendent Operations", "ChS") in people


@needs_data
def test_opcc_items(opcc):
    assert [i.number for i in opcc.items] == ["1", "2", "2.1", "2.2", "2.3", "2.4", "3", "4"]
    assert item(opcc, "2.1").title == "Understanding the impact of the ICT outage"
    assert item(opcc, "2.2").title == "Recovery from the ICT outages"
    assert item(opcc, "2.3").title == "Current OCC performance"
    assert item(opcc, "2.4").title == "Progress against the Demand Reduction / Incident Management Plan"
    assert item(opcc, "1").title == "Outstanding Matters / Matters arising"
    assert item(opcc, "3").title == "AOB"
    span = item(opcc, "2.3")
    assert "80% target for 101 calls" in opcc.text[span.start:span.end]
    assert_items_cover_text_in_order(opcc)


@needs_data
def test_opcc_action_next_meeting_and_glossary(opcc):
    assert len(opcc.actions) == 1
    action = opcc.actions[0]
    assert action.owner == "CC" and action.due == "2021-11-04" and action.item == "2.4"
    assert action.text.startswith("CC to provide PCC with a timeframe")
    assert opcc.next_meeting_date == "2021-11-24"
    assert "Budget" in opcc.next_meeting_theme
    assert opcc.glossary["OCC"] == "Operational Control Centre"
    assert opcc.glossary["CC"] == "Chief Constable"
    assert opcc.glossary["PCC"] == "Police and Crime Commissioner"
    assert opcc.glossary["ACC"] == "Assistant Chief Constable"


# --- the other councils' minutes ------------------------------------------------------


def council_files() -> list[Path]:
    if not COUNCIL.is_dir():
        return []
    return sorted(p for p in COUNCIL.iterdir() if p.suffix in (".md", ".txt", ".pdf") and p.name != "SOURCES.txt")


@needs_data
@pytest.mark.parametrize("path", council_files(), ids=lambda p: p.name)
def test_every_council_file_parses_with_its_date(path):
    meeting = read_file(path)
    full_date = re.search(r"(\d{4}-\d{2}-\d{2})", path.name)
    if full_date:
        assert meeting.date == full_date.group(1)
    else:
        year_month = re.search(r"(\d{4})(?:-(\d{2}))?", path.name)
        assert meeting.date and meeting.date.startswith(year_month.group(0))
    assert meeting.text and meeting.series
    assert_items_cover_text_in_order(meeting)


# (file, minimum items, {number: title}, chair)
EXPECTED = [
    ("uk_parish_stoke-ferry_2018-02-07.md", 20, {"22/18": "Apologies and Welcome", "47/18": "Date and Time of Next Meeting - Wednesday 7 March 2018 at 7.00 pm"}, "Sue Lintern"),
    ("uk_parish_stoke-ferry_2019-02.md", 20, {"21/19": "To Receive and Accept Apologies for Absence", "28/19": "Repair and Painting Quote for WI Bench"}, "Sue Lintern"),
    ("uk_parish_boughton_2012-05-04.md", 6, {"4": "Chairman\u2019s Report \u2013 F Reid", "7": "Financial Report \u2013 D. Horkan"}, "Frank Reid"),
    ("uk_parish_northwold_2010-annual.md", 30, {"1": "Election of Chairman", "8.1": "Chairman's Report"}, None),
    ("uk_parish_northwold_2013-03.md", 20, {"1": "Apologies for absence", "5.1": "Chairman\u2019s Report"}, None),
    ("uk_parish_wereham_2014-05-13.md", 50, {"3.0": "Appoint Staffing Committee Representatives", "14.0": "Finance"}, "Jo Bruce"),
    ("uk_parish_west-dereham_2018-11-08.md", 30, {"6.1": "War Memorial", "7.4": "Police Report"}, "Claire Cann"),
    ("uk_parish_west-dereham_2020-10.md", 20, {"8": "Proposal for the Recreation Ground, St Andrews Close (Playing Field)"}, "Lorraine Hunt"),
    ("ie_limerick_md-adare-rathkeale_2023-05-16.md", 16, {"1": "Adoption of Minutes", "7": "General Municipal Allocation (GMA)", "17": "A.O.B"}, "S. Keary"),
    ("ie_limerick_md-newcastle-west_2023-03-01.md", 15, {"1": "Adoption of Minutes", "3": "Housing Directorate"}, "M. Collins"),
    ("ie_limerick_council_ordinary_2024-01-22.md", 16, {"3": "Disposal of Land", "16": "Correspondence"}, "G. Mitchell"),
    ("us_desmoines_council_1998-11-16.pdf", 100, {"98-3480": "Communication from Legal Department regarding November 16, 1998 License and Permit Agenda"}, None),
    ("us_desmoines_council_special_2022-01-14.pdf", 4, {"22-0076": "MOTION TO ADJOURN"}, None),
    ("us_portland_council_2011-01-12_minutes+transcript.txt", 0, {}, "Mayor Adams"),
]


@needs_data
@pytest.mark.parametrize(("name", "at_least", "titles", "chair"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_council_items_and_chair(name, at_least, titles, chair):
    meeting = read_file(COUNCIL / name)
    assert len(meeting.items) >= at_least
    for number, title in titles.items():
        assert item(meeting, number).title == title
    assert meeting.chair == chair


@needs_data
def test_stoke_ferry_date_comes_from_the_minutes_not_the_publication_date():
    meeting = read_file(COUNCIL / "uk_parish_stoke-ferry_2018-02-07.md")
    assert meeting.date == "2018-02-07"
    assert meeting.next_meeting_date == "2018-03-07"
    assert meeting.series == "Stoke Ferry Parish Council"
    assert {"Sue Lintern", "Helen Richardson", "Jim McNeill"} <= {a.name for a in meeting.attendees}


@needs_data
def test_parish_attendance_lists_acronyms_and_minute_taker():
    wereham = read_file(COUNCIL / "uk_parish_wereham_2014-05-13.md")
    assert wereham.minute_taker == "Nicola Cooper"
    assert wereham.next_meeting_date == "2014-07-08"
    assert ("Dave Deighton", "Vice Chair", "DD") in [(a.name, a.role, a.acronym) for a in wereham.attendees]
    boughton = read_file(COUNCIL / "uk_parish_boughton_2012-05-04.md")
    assert boughton.glossary["DHO"] == "Dave Horkan"
    assert ("Frank Reid", "Councillor/Chairman", "FRE") in [(a.name, a.role, a.acronym) for a in boughton.attendees]
    dereham = read_file(COUNCIL / "uk_parish_west-dereham_2018-11-08.md")
    assert dereham.glossary["CC"] == "Claire Cann"


@needs_data
def test_limerick_and_des_moines_people_and_pages():
    adare = read_file(COUNCIL / "ie_limerick_md-adare-rathkeale_2023-05-16.md")
    assert ("Ms. C. Curley", "Director, Housing") in [(a.name, a.role) for a in adare.attendees]
    assert {"Collins", "Teskey"} <= {a.name for a in adare.attendees}
    assert adare.glossary["TII"] == "Transport Infrastructure Ireland"
    assert adare.series == "Municipal District of Adare-Rathkeale"
    des_moines = read_file(COUNCIL / "us_desmoines_council_1998-11-16.pdf")
    assert {"Coleman", "Phillips"} <= {a.name for a in des_moines.attendees}
    assert des_moines.series == "Des Moines City Council"
    assert des_moines.items[-1].page == 16 and des_moines.items[0].page == 1
    assert des_moines.time == "16:30"


def test_a_short_numbered_list_deep_in_unnumbered_minutes_is_not_items():
    prose = "The Mayor opened the meeting and the Chief Executive presented the draft budget for the year. " * 30
    text = f"Budget Meeting\n\n{prose}\n\nThe main income sources were:\n1. Local Property Tax\n2. Commercial Rates\n3. Grants\n\n{prose}"
    assert read(text).items == []


# --- the project's own sample corpus, one meeting in every format ----------------------

CORPUS = Path(__file__).parents[1] / "corpus"


def corpus_files() -> list[Path]:
    return sorted(CORPUS.iterdir()) if CORPUS.is_dir() else []


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_sample_corpus_reads_in_every_format(path):
    meeting = read_file(path)
    assert meeting.date == re.search(r"\d{4}-\d{2}-\d{2}", path.name).group(0)
    assert meeting.chair and meeting.series and meeting.time
    assert len(meeting.items) >= 5
    assert len(meeting.attendees) >= 5
    assert all(a.name and len(a.name.split()) <= 4 for a in meeting.attendees)
    assert meeting.next_meeting_date and meeting.next_meeting_date > meeting.date
    for action in meeting.actions:
        assert action.owner and action.item and action.page
    assert_items_cover_text_in_order(meeting)


def test_a_committees_line_two_below_the_body_names_it_over_the_session_between():
    m = read("COUNTY ASSEMBLY OF KIRIWA\nTHIRD ASSEMBLY - (SECOND SESSION)\n\nSECTORAL COMMITTEE ON WATER, ENVIRONMENT AND "
             "NATURAL RESOURCES\n\nMINUTES OF THE 23RD SITTING OF THE COMMITTEE HELD ON THURSDAY, 7TH MARCH 2024 AT "
             "10.00 A.M.\n\nThe Chairperson called the meeting to order at 10.12 a.m.\n")
    assert m.title == "COUNTY ASSEMBLY OF KIRIWA \u2013 SECTORAL COMMITTEE ON WATER, ENVIRONMENT AND NATURAL RESOURCES"
    # a line repeating the body's name says only which meeting of it this is
    m = read("LITTLE HADLEY PARISH COUNCIL\n\nMINUTES of the Ordinary Meeting of Little Hadley Parish Council held on "
             "Wednesday 12 March 2025 at 19:30.\n\nPresent: Cllr Margaret Ellison (Chair).\n")
    assert m.title == "LITTLE HADLEY PARISH COUNCIL"
