"""The page's read-only views of a meeting's business and of actions, over small indexes of real and made-up minutes.

Plumbing only, so the hashing embedder builds the indexes; what is expected was read from the files by hand.
"""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from index import browse, proceedings
from index.embed import HashEmbedder
from index.search import Filters
from index.store import DB_NAME
from index.sync import Ingester
from tests.conftest import CORPUS, shared_data
from tests.minutes_files import TOWN_COUNCIL

TOWN = "ashbridge-town-council-2023-05-10.txt"
PANEL = "police-and-crime-panel-2024-02-05.md"
ASSURANCE = "monthly-assurance-2021-06-17.txt"


def build(folder: Path, src: Path) -> Path:
    report = Ingester(folder, embedder=HashEmbedder(), progress=False).run([src])
    assert report.added and not report.failed, report.failed
    return folder


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> Path:
    """A made-up town council with markup in its text, and two of the sample corpus's minutes."""
    src = tmp_path_factory.mktemp("browse-src")
    (src / TOWN).write_text(TOWN_COUNCIL, encoding="utf-8")
    for name in (PANEL, ASSURANCE):
        shutil.copy(CORPUS / name, src / name)
    return build(tmp_path_factory.mktemp("browse-index"), src)


@pytest.fixture(scope="module")
def council_index(tmp_path_factory) -> Path:
    """Two real council minutes: a parish's, and a city's with roll-call votes."""
    src = tmp_path_factory.mktemp("council-src")
    for name in ("uk_parish_stoke-ferry_2019-02.md", "us_desmoines_council_1999-02-22.pdf"):
        shutil.copy(shared_data("council-minutes", name), src / name)
    return build(tmp_path_factory.mktemp("council-index"), src)


def meeting_id(store, document: str) -> int:
    return next(m.id for m in browse.meetings(store) if m.document == document)


def check_quotes(store, mid: int, rows: list[proceedings.Quoted]) -> None:
    text = store.meeting_text(mid)
    for q in rows:
        assert q.quote and q.quote == text[q.start:q.end], q


# -- a meeting's business ---------------------------------------------------------

def test_motion_with_its_mover_seconder_result_tally_and_vote_against(index):
    with browse.reading(index) as store:
        mid = meeting_id(store, TOWN)
        motions = proceedings.motions(store, mid)
        assert [(m.text, m.mover, m.seconder, m.result, m.tally, m.against, m.abstained, m.passed, m.vote_absent)
                for m in motions] == [
            ("that allotment rents <script>alert('motion')</script> rise by 5% from April 2024", ["Bill Stone"],
             ["Priya Shah"], ["carried"], ["4 votes to 1"], ["Tom Reed"], [], [], [])]
        m, = motions
        assert (m.item, m.page) == ("4", 1)
        # Each sentence the vote was read from, once, verbatim, in the order of the minutes.
        assert m.quotes == [
            "Cllr Bill Stone proposed that allotment rents <script>alert('motion')</script> rise by 5% from April "
            "2024, seconded by Cllr Priya Shah.",
            "The motion was carried by 4 votes to 1.",
            "Cllr Tom Reed voted against."]
        assert proceedings.resolutions(store, mid) == []


def test_apologies_with_reasons_arrivals_and_departures_with_times(index):
    with browse.reading(index) as store:
        mid = meeting_id(store, TOWN)
        rows = proceedings.attendance_facts(store, mid)
        assert [(q.kind, q.value) for q in rows] == [
            ("apologies", "Dora Finch"), ("apologies", "Mark Hill"), ("arrived", "Tom Reed"), ("left", "Ann Lowe")]
        assert rows[0].detail.startswith("illness")
        assert [q.detail for q in rows[1:]] == ["work commitments", "7.20 pm", "8.15 pm"]
        assert rows[0].quote == rows[1].quote and rows[0].quote.startswith("Apologies were received from Cllr Dora")
        assert rows[2].quote == "Cllr Tom Reed arrived at 7.20 pm."
        check_quotes(store, mid, rows)


def test_interests_and_the_close(index):
    with browse.reading(index) as store:
        mid = meeting_id(store, TOWN)
        b = proceedings.business(store, mid)
        assert [(q.value, q.item) for q in b.interests] == [("Priya Shah", "2")]
        assert "allotment society" in b.interests[0].detail
        assert [(q.value, q.quote) for q in b.closed] == [("9.05 pm", "The meeting closed at 9.05 pm.")]
        assert [m.text for m in b.motions] == [m.text for m in proceedings.motions(store, mid)]
        check_quotes(store, mid, b.attendance + b.interests + b.closed)


def test_a_resolution_carried_by_a_motion_is_not_listed_again(index):
    with browse.reading(index) as store:
        mid = meeting_id(store, PANEL)
        motion, = proceedings.motions(store, mid)
        assert motion.text.startswith("The Panel supported the proposed precept of £276.12 for a Band D property")
        assert motion.tally == ["10 votes to 1"] and motion.resolution is None
        assert [q.value for q in proceedings.resolutions(store, mid)] == ["The Panel noted the Policing Plan"]
        b = proceedings.business(store, mid)
        assert [(q.kind, q.value) for q in b.attendance] == [("apologies", "Helen Marsh")]
        assert [(q.value, q.detail) for q in b.interests] == [("Susan Oakley", "standing declarations"),
                                                              ("Leon Hardy", "standing declarations")]


def test_meeting_detail_carries_its_business(index):
    with browse.reading(index) as store:
        town = browse.meeting(store, meeting_id(store, TOWN))
        assert [m.mover for m in town.business.motions] == [["Bill Stone"]]
        assert len(town.business.attendance) == 4
        quiet = browse.meeting(store, meeting_id(store, ASSURANCE))
        b = quiet.business
        assert not (b.motions or b.resolutions or b.interests or b.closed)


def test_real_parish_minutes_apologies_an_abstention_and_none_declared(council_index):
    with browse.reading(council_index) as store:
        mid = meeting_id(store, "uk_parish_stoke-ferry_2019-02.md")
        b = proceedings.business(store, mid)
        apologies = [(q.value, q.detail) for q in b.attendance if q.kind == "apologies"]
        assert ("Kit Hesketh-Harvey", "personal") in apologies and ("Grant Tomkins", "work commitments") in apologies
        assert [(q.value, q.item) for q in b.interests] == [(proceedings.NONE, "22/19")]
        assert "There were none." in b.interests[0].quote
        payments, = [m for m in b.motions if m.abstained]
        assert (payments.text, payments.mover, payments.seconder, payments.abstained, payments.tally) == (
            "the payments for approval", ["Daphne Clements"], ["Gail Reeve"], ["Jim McNeill"], ["five in favour"])
        assert [q.value for q in b.closed] == ["8.41 pm"] and [q.value for q in b.started] == ["7.00pm"]
        check_quotes(store, mid, b.attendance + b.interests + b.closed + b.resolutions + b.started)


def test_real_roll_calls_name_who_voted_against_passed_and_was_absent(council_index):
    with browse.reading(council_index) as store:
        mid = meeting_id(store, "us_desmoines_council_1999-02-22.pdf")
        motions = {m.item: m for m in proceedings.motions(store, mid)}
        assert (motions["99-493"].against, motions["99-493"].passed) == (["Belken"], ["McPherson"])
        assert "Nays: Belken." in motions["99-493"].quotes and "Pass: McPherson." in motions["99-493"].quotes
        assert motions["99-500"].vote_absent == ["Coleman"]
        assert motions["99-509"].abstained == ["Hensley"]
        text = store.meeting_text(mid)
        assert all(q in text for m in motions.values() for q in m.quotes)


# -- actions ----------------------------------------------------------------------

def _spans_overlap(a: browse.ActionRow, b: browse.ActionRow) -> bool:
    return a.start is not None and b.start is not None and a.start < b.end and b.start < a.end


def test_actions_beyond_action_lines_are_listed_and_an_action_line_once(index):
    with browse.reading(index) as store:
        mid = meeting_id(store, TOWN)
        # The store reads the Action: line as a sentence too: two facts, one of them that line.
        assert len(store.facts([mid], ["action"])) == 2
        rows = browse.actions(store, meeting_id=mid)
        assert [(a.read_from, a.owner, a.due, a.text) for a in rows] == [
            (browse.SENTENCE, "Clerk", "2023-06-01",
             "The Clerk agreed to write to every allotment holder about the new rents by 1 June 2023."),
            (browse.ACTION_LINE, "Clerk", "2023-06-15",
             "Clerk to publish the <script>alert('action')</script> rents on the website by 15 June 2023.")]
        text = store.meeting_text(mid)
        assert all(text[a.start:a.end] == a.text for a in rows)
        # Minutes whose every action is an Action: line list those lines alone.
        assurance = browse.actions(store, meeting_id=meeting_id(store, ASSURANCE))
        assert len(assurance) == 2 and {a.read_from for a in assurance} == {browse.ACTION_LINE}


def test_every_action_once_latest_meeting_first_and_counted_as_listed(index):
    with browse.reading(index) as store:
        rows = browse.actions(store)
        meetings = browse.meetings(store)
        assert len(rows) == sum(m.actions for m in meetings) == 4
        assert {m.document: m.actions for m in meetings}[TOWN] == 2
        for n, a in enumerate(rows):
            assert not any(a.meeting_id == b.meeting_id and _spans_overlap(a, b) for b in rows[n + 1:]), a
        dates = [a.date for a in rows]
        assert dates == sorted(dates, reverse=True)
        starts = [a.start for a in rows if a.document == TOWN]
        assert starts == sorted(starts)


def test_action_rows_follow_the_page_filters(index):
    with browse.reading(index) as store:
        rows = browse.actions(store)
    since = [a for a in rows if browse.in_filters(Filters(since="2023-01-01"), a.date, a.series, a.document)]
    assert {a.document for a in since} == {TOWN}
    assert {a.read_from for a in since} == {browse.SENTENCE, browse.ACTION_LINE}
    only = [a for a in rows if browse.in_filters(Filters(documents=[ASSURANCE]), a.date, a.series, a.document)]
    assert len(only) == 2 and {a.document for a in only} == {ASSURANCE}


def test_an_action_line_the_minutes_space_differently_is_still_listed_once(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / TOWN).write_text(TOWN_COUNCIL, encoding="utf-8")
    folder = build(tmp_path / "idx", src)
    conn = sqlite3.connect(folder / DB_NAME)
    conn.execute("UPDATE actions SET text = replace(text, ' rents on', '  rents  on')")
    conn.commit()
    conn.close()
    with browse.reading(folder) as store:
        rows = browse.actions(store)
    line, = [a for a in rows if a.read_from == browse.ACTION_LINE]
    assert line.start is None       # its words, spaced otherwise, are nowhere in the minutes
    assert len(rows) == 2 and [a.read_from for a in rows].count(browse.SENTENCE) == 1
