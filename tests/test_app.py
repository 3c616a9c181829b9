"""The web page, run headless through Streamlit's AppTest against real indexes: ask, filters, views, failures, safety."""
from __future__ import annotations

import html
import json
import re
from collections import Counter
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from index import browse
from index.search import Searcher
from index.store import DB_NAME, Store
from tests.minutes_files import TOWN_COUNCIL, fact, write_minutes
from ui import actions as actions_view
from ui import feedback, render
from ui.names import Names, tidy

APP = Path(__file__).resolve().parents[1] / "ui" / "app.py"
QUESTION = "What was the 101 target?"
# Tags the page itself writes; any other tag in rendered HTML came from a document.
OWN_TAGS = {"div", "span", "b", "br", "mark", "table", "thead", "tbody", "tr", "th", "td"}

HOSTILE = """Police and Crime Panel <script>alert('title')</script> [click me](http://evil.example)

Date: Monday 6 February 2023
Chair: Councillor <b>Bold</b> Person
Venue: Council Chamber, County Hall

1 Apologies

Apologies were received from <img src=x onerror="alert(1)"> Cllr Smith.

2 The precept proposal

The panel noted that the precept <script>document.title='pwned'</script> would rise by £15 for a Band D home,
see [the budget papers](http://evil.example/steal) and ![pixel](http://evil.example/p.png) :red[alarm] $x^2$.
The precept rise was approved by <iframe src="http://evil.example"></iframe> nine votes to two.

Action: <script>alert(2)</script> CFO to publish the [precept](http://evil.example) leaflet by 1 March 2023.
"""

PLAIN = """Monthly Assurance Meeting March 2023

Date: Thursday 16 March 2023
Chair: Gareth Pennington
Venue: Committee Room 1, County Hall

1 Contact management

The HCM reported that 74% of 101 calls were answered within 30 seconds in February. The 101 target is 80%.

2 Finance

The Director of Finance reported a forecast underspend of £0.4m for the year.

Action: DoF to report the final outturn to the PCC by 20 April 2023.
"""


def app(folder: Path, monkeypatch) -> AppTest:
    monkeypatch.setenv("MINUTES_INDEX", str(folder))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.text_input(key="question").input(question).run()
    assert not at.exception, at.exception
    return at


def html_blocks(at: AppTest) -> list[str]:
    """The blocks of HTML the page wrote from data, its style sheet left out."""
    return [m.value for m in at.markdown if m.allow_html and not m.value.startswith("<style>")]


def shown_text(block: str) -> str:
    """What a reader sees of a block of the page's HTML: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", block.replace("<br>", " "))).split())


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def small_index(tmp_path_factory, real_embedder) -> Path:
    """Two small meetings, one of them hostile: HTML, scripts, Markdown links and maths in its text."""
    from index.sync import Ingester

    src = tmp_path_factory.mktemp("small-src")
    (src / "panel-2023-02-06.txt").write_text(HOSTILE, encoding="utf-8")
    (src / "assurance-2023-03-16.txt").write_text(PLAIN, encoding="utf-8")
    folder = tmp_path_factory.mktemp("small-index")
    report = Ingester(folder, embedder=real_embedder, progress=False).run([src])
    assert report.added == 2 and not report.failed, report.failed
    return folder


# -- asking -------------------------------------------------------------------

@pytest.mark.slow
def test_question_shows_the_quoted_answer_with_its_citation(corpus_index, monkeypatch, real_embedder):
    expected = Searcher(corpus_index, embedder=real_embedder).ask(QUESTION, top_k=6)
    assert expected.answer is not None
    at = ask(app(corpus_index, monkeypatch), QUESTION)
    card = next(b for b in html_blocks(at) if "mq-answer-text" in b)
    quote = re.search(r'class="mq-quote mq-answer-text">(.*?)</div>', card).group(1)
    assert shown_text(quote) == flat(expected.answer.text)
    a = expected.answer
    assert shown_text(card).endswith(flat(render.citation(a.title, a.date, a.item, a.page)) + " " + a.document)
    context = next(b for b in html_blocks(at) if "mq-context" in b)
    assert shown_text(re.search(r'<mark class="mq-answer">(.*?)</mark>', context).group(1)) == flat(a.text)
    # The other passages: at most five, each citing its meeting, none the passage the answer came from.
    cited = [b for b in html_blocks(at) if b.startswith('<div class="mq-cite">')]
    assert 1 <= len(cited) <= 5
    assert not at.error


@pytest.mark.slow
def test_example_question_is_asked_when_clicked(corpus_index, monkeypatch):
    at = app(corpus_index, monkeypatch)
    example = at.button(key="example-0")
    at = example.click().run()
    assert at.text_input(key="question").value == example.label
    assert any("mq-answer-text" in b for b in html_blocks(at)) or at.info


@pytest.mark.slow
def test_several_meetings_are_shown_latest_first(corpus_index, monkeypatch):
    at = ask(app(corpus_index, monkeypatch), QUESTION)
    dates = [re.search(r"<b>[^<]*? · (\d{1,2} \w+ \d{4})", b) for b in html_blocks(at)
             if b.startswith('<div class="mq-cite">')]
    days = [date.fromisoformat(_iso(m.group(1))) for m in dates if m]
    if len(set(days)) > 1:
        assert any("latest first" in c.value for c in at.caption)
        assert days == sorted(days, reverse=True)


def _iso(nice: str) -> str:
    from datetime import datetime

    return datetime.strptime(nice, "%d %B %Y").date().isoformat()


@pytest.mark.slow
def test_document_filter_keeps_passages_to_that_document(corpus_index, monkeypatch):
    at = app(corpus_index, monkeypatch)
    docs = at.multiselect(key="documents").options
    assert len(docs) > 1
    picked = next(d for d in docs if "panel" in d.lower()) if any("panel" in d.lower() for d in docs) else docs[0]
    at.multiselect(key="documents").select(picked).run()
    ask(at, QUESTION)
    shown = [shown_text(b) for b in html_blocks(at) if "mq-meta" in b]
    assert shown
    for text in shown:
        assert picked in text
        others = [d for d in docs if d != picked and d in text]
        assert not others, others


@pytest.mark.slow
def test_series_filter_keeps_passages_to_that_series(corpus_index, monkeypatch):
    with browse.reading(corpus_index) as store:
        series_of = {m.document: m.series for m in browse.meetings(store)}
    at = app(corpus_index, monkeypatch)
    options = at.multiselect(key="series").options
    assert len(options) > 1
    picked = min(options, key=lambda s: sum(1 for v in series_of.values() if v == s))
    at.multiselect(key="series").select(picked).run()
    ask(at, QUESTION)
    shown = [shown_text(b) for b in html_blocks(at) if "mq-meta" in b]
    assert shown
    for text in shown:
        docs = [d for d in series_of if d in text]
        assert docs and all(series_of[d] == picked for d in docs), (picked, text)
    listing = next(d.value for d in at.dataframe if "Chair" in d.value.columns)
    assert set(listing["Series"]) == {picked}


@pytest.mark.slow
def test_date_filter_with_no_meetings_says_no_answer(corpus_index, monkeypatch):
    at = app(corpus_index, monkeypatch)
    lo, hi = at.date_input(key="dates").value
    at.date_input(key="dates").set_value((lo, lo)).run()
    ask(at, "What did the panel say about the weather in Atlantis?")
    assert any("No sentence in the minutes with the filters you have set" in i.value for i in at.info)
    assert not any("mq-answer-text" in b for b in html_blocks(at))


@pytest.mark.slow
def test_question_with_no_answer_says_so_plainly(small_index, monkeypatch, real_embedder):
    question = "Which zebra crossings in Atlantis need repainting?"
    assert Searcher(small_index, embedder=real_embedder).ask(question).answer is None
    at = ask(app(small_index, monkeypatch), question)
    assert any(i.value.startswith("No sentence in the minutes answers this question") for i in at.info)
    assert not any("mq-answer-text" in b for b in html_blocks(at))


@pytest.mark.slow
def test_hostile_query_syntax_is_just_a_question(small_index, monkeypatch):
    at = ask(app(small_index, monkeypatch), 'precept" OR * AND -NEAR( text:"<script>')
    assert not at.error


# -- safety -------------------------------------------------------------------

@pytest.mark.slow
def test_document_markup_is_shown_as_text_never_run(small_index, monkeypatch):
    at = ask(app(small_index, monkeypatch), "How much would the precept rise for a Band D home?")
    blocks = html_blocks(at)
    assert any("mq-answer-text" in b for b in blocks)
    hostile = [b for b in blocks if "pwned" in b or "evil" in b]
    assert hostile, "the hostile passage should be on the page"
    for b in blocks:
        assert {t.lower() for t in re.findall(r"</?([a-zA-Z]+)", b)} <= OWN_TAGS, b
        # Nothing Markdown could read as a link, image, emphasis or maths is left unescaped.
        body = re.sub(r"<[^>]+>", "", b)
        for mark in ("](", "[", "*", "$", ":", "\n\n"):
            assert mark not in body, (mark, b)
    # ...and a reader still sees the document's words as written.
    assert any("<script>document.title='pwned'</script>" in shown_text(b) for b in blocks)
    conn = sqlite3.connect(small_index / DB_NAME)
    stored = [r[0] for r in conn.execute("SELECT text FROM chunks WHERE text LIKE '%<script>%'")]
    conn.close()
    assert stored
    shown = " ".join(shown_text(b) for b in blocks)
    for text in stored:
        assert flat(text) in shown
    # Labels and captions read Markdown but not HTML: every mark in document text there is escaped.
    for c in at.caption:
        assert "](" not in c.value


@pytest.mark.slow
def test_hostile_titles_in_meetings_and_actions_are_plain_data(small_index, monkeypatch):
    at = app(small_index, monkeypatch)
    meeting_tables = [d.value for d in at.dataframe if "Chair" in d.value.columns]
    assert meeting_tables and len(meeting_tables[0]) == 2
    for c in list(at.caption) + list(at.subheader):
        assert "<script" not in c.value.replace("\\<", "")
    hostile = [r for r in _actions_table(at) if "script" in r["Action"]]
    assert hostile and all("<script>alert(2)</script>" in r["Action"] for r in hostile)


# -- browsing -----------------------------------------------------------------

def _actions_table(at: AppTest) -> list[dict]:
    """The rows of the actions view as a reader sees them: status (and the meeting that reported it), due, owner,
    action, meeting."""
    block = next(b for b in html_blocks(at) if "mq-table" in b and "<th>Meeting</th>" in b)
    rows = []
    for tr in re.findall(r"<tr(?: class=\"([\w-]*)\")?>(<td.*?)</tr>", block):
        cells = [shown_text(c.replace("<br>", "\n")) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr[1])]
        status = re.findall(r"<td class=\"mq-col-0\"[^>]*>(.*?)</td>", tr[1])[0].split("<br>")
        meeting = re.findall(r"<td class=\"mq-col-4\"[^>]*>(.*?)</td>", tr[1])[0].split("<br>")
        rows.append({"class": tr[0], "Status": shown_text(status[0]),
                     "Reported": shown_text(status[1]) if len(status) > 1 else "", "Due": cells[1],
                     "Owner": cells[2], "Action": cells[3], "Meeting date": shown_text(meeting[-1])})
    return rows


def _overdue(rows: list[dict]) -> int:
    marked = [r for r in rows if r["class"] == "mq-overdue"]
    assert all(r["Status"] == "Overdue" for r in marked)
    return len(marked)


@pytest.mark.slow
def test_actions_view_lists_every_action_and_marks_overdue(small_index, monkeypatch):
    with browse.reading(small_index) as store:
        actions = browse.actions(store)
    dated = [a for a in actions if a.due and re.fullmatch(r"\d{4}-\d\d-\d\d", a.due)]
    assert actions
    at = app(small_index, monkeypatch)
    assert len(_actions_table(at)) == len(actions)
    at.date_input(key="action-as-of").set_value(date(1991, 1, 1)).run()
    assert _overdue(_actions_table(at)) == 0
    at.date_input(key="action-as-of").set_value(date(2099, 1, 1)).run()
    assert _overdue(_actions_table(at)) == len(dated)
    at.toggle(key="action-overdue").set_value(True).run()
    if dated:
        assert len(_actions_table(at)) == len(dated)
    else:
        assert any(i.value == "No actions match." for i in at.info)


def _owners_when_filtered_by(at: AppTest, *picked: str) -> set[str]:
    at.multiselect(key="action-owner").set_value(list(picked)).run()
    assert not at.exception, at.exception
    return {r["Owner"] for r in _actions_table(at)}


@pytest.mark.slow
def test_actions_view_filters_by_owner_name_role_or_acronym_and_sorts(corpus_index, monkeypatch):
    at = app(corpus_index, monkeypatch)
    owners = at.multiselect(key="action-owner").options
    assert {"Chief Constable (CC)", "Deputy Chief Constable (DCC)", "Acting Chief Constable", "Marcus Obi",
            "Simon Greaves"} <= set(owners)
    # An acronym, typed or offered, is exactly that role: not ACC, DCC or the Acting Chief Constable.
    chief = {"CC — Dame Alison Hart", "CC — Marcus Obi"}
    assert _owners_when_filtered_by(at, "CC") == chief
    assert _owners_when_filtered_by(at, "Chief Constable (CC)") == chief
    assert _owners_when_filtered_by(at, "Chief Constable") == chief
    assert _owners_when_filtered_by(at, "Marcus Obi") == {"CC — Marcus Obi"}
    assert _owners_when_filtered_by(at, "Simon Greaves") == {"DCC — Simon Greaves",
                                                             "Acting Chief Constable — Simon Greaves"}
    # Words that name no owner exactly find every owner whose role or name holds them.
    assert {"CC — Marcus Obi", "ACC — Rebecca Lowe", "DCC — Simon Greaves",
            "Acting Chief Constable — Simon Greaves"} <= _owners_when_filtered_by(at, "Chief")
    assert len(_owners_when_filtered_by(at, "CC", "Marcus Obi", "ACC")) == 3
    at.multiselect(key="action-owner").set_value([]).run()
    at.selectbox(key="action-sort").select("Meeting date, latest first").run()
    meeting_dates = [_iso(r["Meeting date"]) for r in _actions_table(at) if r["Meeting date"] != "date unknown"]
    assert len(meeting_dates) > 1 and meeting_dates == sorted(meeting_dates, reverse=True)
    at.selectbox(key="action-sort").select("Due date, earliest first").run()
    due = [_iso(r["Due"]) for r in _actions_table(at) if re.fullmatch(r"\d{1,2} \w+ \d{4}", r["Due"])]
    assert due == sorted(due)


@pytest.mark.slow
def test_actions_view_shows_what_later_minutes_reported_with_the_meeting_and_its_words(corpus_index, monkeypatch):
    at = app(corpus_index, monkeypatch)
    at.date_input(key="action-as-of").set_value(date(2024, 10, 1)).run()
    rows = _actions_table(at)
    assert Counter(r["Status"] for r in rows) == {"Done": 14, "Overdue": 3, "Open": 5}
    assert _overdue(rows) == 3
    revised, = [r for r in rows if r["Action"].startswith("CC to confirm a revised date")]
    assert (revised["Status"], revised["Reported"], revised["Owner"]) == (
        "Done", "reported 17 March 2022", "CC — Dame Alison Hart")
    district, = [r for r in rows if "by district from November 2023" in r["Action"]]
    assert (district["Due"], district["Status"], district["Reported"]) == ("", "Done", "reported 21 March 2024")
    assert any(c.value.startswith("22 actions as of 1 October 2024: 5 open, 14 done, 3 overdue") for c in at.caption)
    # Expanded: each report quoted, with its meeting, date, page and document.
    said = next(b for b in html_blocks(at) if "mq-context" in b and "revised date for the 101 target" in b)
    shown = shown_text(said)
    assert ("Action from November (revised date for the 101 target): complete. The CC wrote to the PCC on "
            "9 December 2021") in shown
    assert "Monthly Assurance Meeting March 2022 · 17 March 2022 · item 1 · page 1 · monthly-assurance-2022-03-17.pdf" \
        in shown
    # Before the meeting that reported it, it was overdue.
    at.date_input(key="action-as-of").set_value(date(2022, 3, 1)).run()
    revised, = [r for r in _actions_table(at) if r["Action"].startswith("CC to confirm a revised date")]
    assert (revised["Status"], revised["class"]) == ("Overdue", "mq-overdue")
    assert not at.exception


@pytest.mark.slow
def test_an_opened_action_links_to_its_source_page_and_the_minutes_that_reported_it(corpus_index, monkeypatch):
    at = app(corpus_index, monkeypatch)
    at.date_input(key="action-as-of").set_value(date(2024, 10, 1)).run()
    opener = at.selectbox(key="action-open")
    wanted = next(n for n, label in enumerate(opener.options) if "CC to confirm a revised date" in label)
    opener.select_index(wanted).run()
    assert not at.exception, at.exception
    detail = next(c.value for c in at.caption if c.value.startswith("Status"))
    for words in ("Done", "CC — Dame Alison Hart", "Chief Constable", "page 2", "monthly"):
        assert words in detail.replace("\\", ""), detail
    downloads = [b.proto.label for b in at.get("download_button")]
    assert "Download monthly-assurance-2021-11-18.pdf" in downloads       # the action's own minutes
    assert "Download monthly-assurance-2022-03-17.pdf" in downloads       # the minutes that reported it done
    quotes = [shown_text(m.value) for m in at.markdown if m.allow_html and "mq-quote" in m.value]
    assert any(q.startswith("Done, as reported") and "Action from November (revised date for the 101 target): "
               "complete." in q for q in quotes)


@pytest.mark.slow
def test_a_report_with_markup_in_it_is_shown_as_text_never_run(tmp_path_factory, real_embedder, monkeypatch):
    from index.sync import Ingester

    src = tmp_path_factory.mktemp("reported-src")
    (src / "board-2023-03-14.txt").write_text(
        "Estates Board March 2023\n\nDate: 14 March 2023\n\n1\nDepot\n\n"
        "Action: HoF to obtain three quotes for the depot boiler by 31 March 2023.\n", encoding="utf-8")
    (src / "board-2023-06-13.txt").write_text(
        "Estates Board June 2023\n\nDate: 13 June 2023\n\n1\nMatters arising\n\n"
        "Action from March (quotes for the depot boiler): complete. <script>alert('r')</script> [see](http://evil.example)"
        " $x^2$.\n", encoding="utf-8")
    folder = tmp_path_factory.mktemp("reported-index")
    assert Ingester(folder, embedder=real_embedder, progress=False).run([src]).added == 2
    at = app(folder, monkeypatch)
    at.date_input(key="action-as-of").set_value(date(2023, 7, 1)).run()
    row, = _actions_table(at)
    assert (row["Status"], row["Reported"]) == ("Done", "reported 13 June 2023")
    blocks = [b for b in html_blocks(at) if "mq-context" in b or "mq-actions" in b]
    assert len(blocks) == 2
    for b in blocks:
        assert {t.lower() for t in re.findall(r"</?([a-zA-Z]+)", b)} <= OWN_TAGS, b
        body = re.sub(r"<[^>]+>", "", b)
        for mark in ("](", "[", "*", "$", ":", "\n\n"):
            assert mark not in body, (mark, b)
    assert "complete. <script>alert('r')</script> see $x^2$." in shown_text(blocks[1])


@pytest.mark.slow
def test_meetings_view_opens_a_meeting_with_people_items_and_actions(corpus_index, monkeypatch):
    with browse.reading(corpus_index) as store:
        meetings = browse.meetings(store)
        richest = max(meetings, key=lambda m: (m.attendees > 0) + (m.items > 0) + (m.actions > 0))
        detail = browse.meeting(store, richest.id)
    at = app(corpus_index, monkeypatch)
    listing = next(d.value for d in at.dataframe if "Chair" in d.value.columns)
    assert len(listing) == len(meetings)
    at.selectbox(key="meeting").select(richest.id).run()
    tables = [d.value for d in at.dataframe]
    if detail.attendees:
        people = next(t for t in tables if list(t.columns) == ["Name", "Role", "Acronym"])
        assert list(people["Name"]) == [a.name for a in detail.attendees]
    if detail.items:
        items = next(t for t in tables if list(t.columns) == ["Item", "Title", "Page"])
        assert list(items["Title"]) == [i.title for i in detail.items]


# -- a meeting's business ---------------------------------------------------------

@pytest.fixture(scope="module")
def business_index(tmp_path_factory, real_embedder) -> Path:
    """A council's minutes recording motions, votes, apologies, an interest and actions, with markup in them,
    and minutes whose only business is an Action: line."""
    from index.sync import Ingester

    src = tmp_path_factory.mktemp("business-src")
    (src / "town-council-2023-05-10.txt").write_text(TOWN_COUNCIL, encoding="utf-8")
    (src / "assurance-2023-03-16.txt").write_text(PLAIN, encoding="utf-8")
    folder = tmp_path_factory.mktemp("business-index")
    report = Ingester(folder, embedder=real_embedder, progress=False).run([src])
    assert report.added == 2 and not report.failed, report.failed
    return folder


BUSINESS = ("Apologies, absences, arrivals and departures", "Declarations of interest", "Motions and votes",
            "Resolutions", "Close of the meeting", "Start of the meeting")


def _open_meeting(folder: Path, document: str, monkeypatch) -> AppTest:
    with browse.reading(folder) as store:
        picked = next(m.id for m in browse.meetings(store) if m.document == document)
    at = app(folder, monkeypatch)
    at.selectbox(key="meeting").select(picked).run()
    assert not at.exception, at.exception
    return at


def _section(at: AppTest, heading: str) -> list[dict] | None:
    """The rows of the table under a heading of a meeting's detail, as a reader sees them; None without one."""
    shown = list(at.markdown)
    at_heading = [n for n, m in enumerate(shown) if m.value.startswith(f"**{heading}**")]
    if not at_heading:
        return None
    block = shown[at_heading[0] + 1].value
    columns = [shown_text(c) for c in re.findall(r"<th>(.*?)</th>", block)]
    return [dict(zip(columns, (shown_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr))))
            for tr in re.findall(r"<tr(?: class=\"[\w-]*\")?>(<td.*?)</tr>", block)]


@pytest.mark.slow
def test_meeting_detail_shows_motions_votes_attendance_and_interests_with_quotes(business_index, monkeypatch):
    at = _open_meeting(business_index, "town-council-2023-05-10.txt", monkeypatch)
    motion, = _section(at, "Motions and votes")
    assert {k: motion[k] for k in ("Motion", "Moved by", "Seconded by", "Result", "Tally", "Against", "Item",
                                   "Page")} == {
        "Motion": "that allotment rents <script>alert('motion')</script> rise by 5% from April 2024",
        "Moved by": "Bill Stone", "Seconded by": "Priya Shah", "Result": "carried", "Tally": "4 votes to 1",
        "Against": "Tom Reed", "Item": "4", "Page": "1"}
    assert motion["Quote"] == ("Cllr Bill Stone proposed that allotment rents <script>alert('motion')</script> rise "
                               "by 5% from April 2024, seconded by Cllr Priya Shah. … The motion was carried by 4 "
                               "votes to 1. … Cllr Tom Reed voted against.")
    # Nobody abstained, passed or was away for the vote: those columns would only be empty.
    assert "Abstained" not in motion and "Passed" not in motion
    attendance = _section(at, "Apologies, absences, arrivals and departures")
    assert [(r["Who"], r["Recorded"]) for r in attendance] == [
        ("Dora Finch", "Apologies"), ("Mark Hill", "Apologies"), ("Tom Reed", "Arrived late"),
        ("Ann Lowe", "Left early")]
    assert [r["Reason or time"] for r in attendance[1:]] == ["work commitments", "7.20 pm", "8.15 pm"]
    assert attendance[0]["Quote"] == flat("Apologies were received from Cllr Dora Finch (illness <script>"
                                          "alert('reason')</script>) and Cllr Mark Hill (work commitments).")
    assert attendance[3]["Quote"] == "Cllr Ann Lowe left the meeting at 8.15 pm."
    interest, = _section(at, "Declarations of interest")
    assert interest["Who"] == "Priya Shah" and interest["Item"] == "2"
    assert interest["Quote"].startswith("Cllr Priya Shah declared an interest in item 4")
    assert _section(at, "Close of the meeting") == [
        {"Closed at": "9.05 pm", "Item": "5", "Page": "1", "Quote": "The meeting closed at 9.05 pm."}]
    assert _section(at, "Resolutions") is None
    assert not at.error


@pytest.mark.slow
def test_meeting_detail_leaves_out_business_the_minutes_do_not_record(business_index, monkeypatch):
    at = _open_meeting(business_index, "assurance-2023-03-16.txt", monkeypatch)
    assert all(_section(at, heading) is None for heading in BUSINESS)
    actions, = [b for b in html_blocks(at) if "mq-actions" in b and "<th>Meeting</th>" not in b]
    assert shown_text(actions).count("DoF to report the final outturn") == 1


@pytest.mark.slow
def test_business_markup_is_shown_as_text_never_run(business_index, monkeypatch):
    at = _open_meeting(business_index, "town-council-2023-05-10.txt", monkeypatch)
    blocks = [b for b in html_blocks(at) if "mq-facts" in b]
    assert len(blocks) == 4
    for b in blocks:
        assert {t.lower() for t in re.findall(r"</?([a-zA-Z]+)", b)} <= OWN_TAGS, b
        body = re.sub(r"<[^>]+>", "", b)
        for mark in ("](", "[", "*", "$", ":", "\n\n"):
            assert mark not in body, (mark, b)
    shown = " ".join(shown_text(b) for b in blocks)
    for words in ("<script>alert('motion')</script>", "<script>alert('reason')</script>", ":red[alarm] $x^2$"):
        assert words in shown


@pytest.mark.slow
def test_actions_view_adds_actions_read_from_sentences_and_lists_each_once(business_index, monkeypatch):
    with browse.reading(business_index) as store:
        expected = browse.actions(store)
        listed = {m.document: m.actions for m in browse.meetings(store)}
    at = app(business_index, monkeypatch)
    rows = _actions_table(at)
    assert len(rows) == len(expected) == 3
    actions = [r["Action"] for r in rows]
    assert actions.count("The Clerk agreed to write to every allotment holder about the new rents by 1 June "
                         "2023.") == 1
    assert sum("publish the <script>alert('action')</script> rents" in a for a in actions) == 1
    assert sum("DoF to report the final outturn" in a for a in actions) == 1
    listing = next(d.value for d in at.dataframe if "Chair" in d.value.columns)
    assert dict(zip(listing["Document"], listing["Actions"])) == listed == {
        "town-council-2023-05-10.txt": 2, "assurance-2023-03-16.txt": 1}
    # The filters and sorts work on them as on Action: lines.
    at.multiselect(key="action-owner").select("Clerk").run()
    assert [r["Due"] for r in _actions_table(at)] == ["1 June 2023", "15 June 2023"]
    at.text_input(key="action-words").input("allotment holder").run()
    assert [r["Owner"] for r in _actions_table(at)] == ["Clerk"]
    assert not at.exception and not at.error


@pytest.mark.slow
def test_actions_download_keeps_its_columns_and_says_where_each_was_read(business_index):
    with browse.reading(business_index) as store:
        frame = actions_view._frame(browse.actions(store), date(2023, 6, 10))
    assert list(frame.columns) == ["Status", "Due", "Owner", "Role", "Person", "Action", "Meeting", "Meeting date",
                                   "Item", "Page", "Document", "Read from", "Reported at", "Reported on", "Report",
                                   "Report document", "Report page"]
    assert sorted(frame["Read from"]) == sorted([browse.ACTION_LINE, browse.ACTION_LINE, browse.SENTENCE])
    assert list(frame[frame["Read from"] == browse.SENTENCE]["Status"]) == ["Overdue"]


# -- failures -----------------------------------------------------------------

def test_missing_index_gives_a_clear_message(tmp_path, monkeypatch):
    at = app(tmp_path / "nowhere", monkeypatch)
    assert at.error and "no index here" in at.error[0].value.lower()
    assert "minutes ingest" in at.error[0].value


def test_damaged_index_gives_a_clear_message(tmp_path, monkeypatch):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / DB_NAME).write_bytes(b"this is not a database at all\x00" * 100)
    at = app(folder, monkeypatch)
    assert at.error and "cannot be read" in at.error[0].value
    assert not at.text_input


def test_empty_index_explains_there_is_nothing_to_search(tmp_path, monkeypatch):
    Store(tmp_path / "empty", create=True).close()
    at = ask(app(tmp_path / "empty", monkeypatch), QUESTION)
    assert any("holds no minutes yet" in i.value for i in at.info)
    assert not at.error


@pytest.mark.slow
def test_failed_files_are_listed_with_their_reason(tmp_path, monkeypatch, real_embedder):
    from index.sync import Ingester

    src = tmp_path / "src"
    src.mkdir()
    (src / "assurance-2023-03-16.txt").write_text(PLAIN, encoding="utf-8")
    (src / "broken.pdf").write_bytes(b"%PDF-1.7 not really a pdf")
    folder = tmp_path / "idx"
    report = Ingester(folder, embedder=real_embedder, progress=False).run([src])
    assert report.failed
    at = app(folder, monkeypatch)
    warning = next(e for e in at.expander if "could not be read" in e.label)
    assert "broken" in warning.label
    reasons = next(d.value for d in at.dataframe if "Why" in d.value.columns)
    assert list(reasons["Document"]) == ["broken.pdf"] and reasons["Why"][0]


# -- the source files behind downloads ------------------------------------------

def test_source_file_serves_only_indexed_files_inside_their_folder(tmp_path, hash_embedder):
    from index.sync import Ingester

    src = tmp_path / "src"
    src.mkdir()
    (src / "assurance-2023-03-16.txt").write_text(PLAIN, encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not minutes")
    folder = tmp_path / "idx"
    Ingester(folder, embedder=hash_embedder, progress=False).run([src])
    with browse.reading(folder) as store:
        (doc_id, path), = browse.documents(store)
        found = browse.source_file(store, doc_id)
        assert found is not None and found.read() == (src / path).read_bytes()
        assert browse.source_file(store, doc_id + 999) is None
    conn = sqlite3.connect(folder / DB_NAME)
    conn.execute("UPDATE documents SET path = '../secret.txt' WHERE id = ?", (doc_id,))
    conn.commit()
    conn.close()
    with browse.reading(folder) as store:
        assert browse.source_file(store, doc_id) is None


# -- around the answer: what a later meeting says, the figure's history, titles, sharing, feedback ---------------

OUTAGE = "When did the network outage start?"            # answered with neither a later word nor a history
OFFICERS = "How many police officers does the force have?"  # answered from a web page's minutes, with a history


def _expected(folder: Path, embedder, question: str):
    return Searcher(folder, embedder=embedder).ask(question, top_k=6)   # as the page asks it: 5 shown, plus one


def _block(at: AppTest, css_class: str) -> str | None:
    """The first block of the page's HTML holding an element of this class (or these classes, in this order)."""
    has = re.compile(r'class="(?:[^"]* )?' + re.escape(css_class) + r'(?: [^"]*)?"')
    return next((b for b in html_blocks(at) if has.search(b)), None)


def _names(folder: Path) -> Names:
    with browse.reading(folder) as store:
        rows = browse.titles_and_series(store)
    return Names.of([t for t, _ in rows], [s for _, s in rows])


@pytest.mark.slow
def test_later_line_says_what_a_later_meeting_said_with_its_citation(corpus_index, monkeypatch, real_embedder):
    expected = _expected(corpus_index, real_embedder, QUESTION)
    a, later = expected.answer, expected.later
    assert later is not None and later.date > a.date
    at = ask(app(corpus_index, monkeypatch), QUESTION)
    line = shown_text(_block(at, "mq-later"))
    cite = render.citation(tidy(later.title), later.date, later.item, later.page)
    assert line == f"Later: {render.nice_date(later.date)} — “{flat(later.text)}” {cite} · {later.document}"
    opened = next(e for e in at.expander if e.label == f"Read it in the minutes of {render.nice_date(later.date)}")
    excerpt = next(m.value for m in opened.markdown if "mq-excerpt" in m.value)
    assert shown_text(re.search(r'<mark class="mq-answer">(.*?)</mark>', excerpt).group(1)) == flat(later.text)
    # ...and no such line where the answer is the latest word.
    assert _expected(corpus_index, real_embedder, OUTAGE).later is None
    ask(at, OUTAGE)
    assert _block(at, "mq-answer-text") and _block(at, "mq-later") is None
    assert not any(e.label.startswith("Read it in the minutes") for e in at.expander)


def _chart_data(at: AppTest):
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    charts = at.get("vega_lite_chart")
    if not charts:
        return None, None
    proto = charts[0].proto
    return json.loads(proto.spec), convert_arrow_bytes_to_pandas_df(proto.datasets[0].data.data)


@pytest.mark.slow
def test_history_is_a_chart_and_a_table_of_the_figure_by_meeting(corpus_index, monkeypatch, real_embedder):
    expected = _expected(corpus_index, real_embedder, OFFICERS)
    points = expected.history
    assert len(points) >= 3 and [p.date for p in points] == sorted(p.date for p in points)
    at = ask(app(corpus_index, monkeypatch), OFFICERS)
    spec, data = _chart_data(at)
    y = spec["encoding"]["y"]["field"]
    assert [d.date().isoformat() for d in data["Meeting date"]] == [p.date for p in points]
    assert list(data[y]) == [p.value for p in points]
    # Hovering a point shows its quote and citation.
    assert {t["field"] for t in spec["encoding"]["tooltip"]} >= {"Quote", "Citation"}
    assert list(data["Quote"]) == [p.quote for p in points]
    assert all(p.document in c for p, c in zip(points, data["Citation"]))
    table = _block(at, "mq-table mq-history")
    rows = re.findall(r"<tr(?: class=\"([\w-]*)\")?>(<td.*?)</tr>", table)
    assert len(rows) == len(points)
    for (cls, tr), p in zip(rows, points):
        cells = [shown_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr)]
        assert cells[:3] == [render.nice_date(p.date), p.written, flat(p.quote)]
        assert cells[3].startswith(tidy(p.title)) and cells[4] == str(p.page)
        assert (cls == "mq-quoted") == (p.meeting_id == expected.answer.meeting_id)
    ask(at, OUTAGE)
    assert _expected(corpus_index, real_embedder, OUTAGE).history == []
    assert _chart_data(at) == (None, None) and _block(at, "mq-table mq-history") is None


@pytest.mark.slow
def test_clear_filters_resets_what_the_sidebar_shows(corpus_index, monkeypatch):
    at = app(corpus_index, monkeypatch)
    lo, hi = at.date_input(key="dates").value
    at.date_input(key="dates").set_value((lo, lo.replace(year=lo.year + 1))).run()
    at.multiselect(key="series").select(at.multiselect(key="series").options[0]).run()
    at.multiselect(key="documents").select(at.multiselect(key="documents").options[0]).run()
    assert any("as filtered in the sidebar" in c.value for c in at.caption)
    assert not at.button(key="clear-filters").disabled
    at.button(key="clear-filters").click().run()
    assert not at.exception, at.exception
    assert at.date_input(key="dates").value == (lo, hi)
    assert at.multiselect(key="series").value == [] and at.multiselect(key="documents").value == []
    assert not any("as filtered in the sidebar" in c.value for c in at.caption)
    assert at.button(key="clear-filters").disabled


@pytest.mark.slow
def test_dates_left_alone_take_in_minutes_ingested_while_the_page_is_open(corpus_index_copy, tmp_path, monkeypatch,
                                                                          real_embedder):
    from index.sync import Ingester

    at = app(corpus_index_copy, monkeypatch)
    lo, hi = at.date_input(key="dates").value
    write_minutes(tmp_path / "tonight", 0)                  # dated January 2015, before every meeting shown
    report = Ingester(corpus_index_copy, embedder=real_embedder, progress=False).run([tmp_path / "tonight"])
    assert report.added == 1
    ask(at, fact(0).question)
    assert at.date_input(key="dates").value == (date(2015, 1, 1), hi)
    assert any(flat(fact(0).sentence) in shown_text(b) for b in html_blocks(at) if "mq-answer-text" in b)
    assert at.button(key="clear-filters").disabled        # nothing narrowed: the range is all the minutes


@pytest.mark.slow
def test_series_are_offered_once_each_by_their_tidied_name(corpus_index, monkeypatch):
    with browse.reading(corpus_index) as store:
        meetings = browse.meetings(store)
    written = {m.series for m in meetings}
    # The corpus names one panel two ways: with and without the body's own name in front.
    assert {"Police and Crime Panel", "Northshire Police and Crime Panel"} <= written
    at = app(corpus_index, monkeypatch)
    options = at.multiselect(key="series").options
    assert "Police and Crime Panel" in options and "Northshire Police and Crime Panel" not in options
    assert len({o.lower() for o in options}) == len(options)
    at.multiselect(key="series").select("Police and Crime Panel").run()
    listing = next(d.value for d in at.dataframe if "Chair" in d.value.columns)
    panels = {m.document for m in meetings if m.series.endswith("Police and Crime Panel")}
    assert set(listing["Document"]) == panels
    assert set(listing["Series"]) == {"Police and Crime Panel"}


@pytest.mark.slow
def test_citations_show_tidied_titles_and_keep_the_title_as_written(corpus_index, monkeypatch, real_embedder):
    a = _expected(corpus_index, real_embedder, OFFICERS).answer
    assert " | " in a.title                      # a web page's title, its site's name after the bar
    at = ask(app(corpus_index, monkeypatch), OFFICERS)
    card = _block(at, "mq-answer-card")
    cite = shown_text(re.search(r"<b>(.*?)</b>", card).group(1))
    assert cite == render.citation(a.title.split(" | ")[0], a.date, a.item, a.page)
    assert f"titled “{a.title}” in the document" in shown_text(card)
    listing = next(d.value for d in at.dataframe if "Chair" in d.value.columns)
    assert not any(" | " in t or "Meeting Notes" in t for t in listing["Meeting"])
    assert a.title in set(listing["Title as written"])


def _passage_blocks(at: AppTest) -> list[str]:
    return [b for b in html_blocks(at) if b.startswith('<div class="mq-cite">')]


@pytest.mark.slow
@pytest.mark.parametrize("question", [QUESTION, OUTAGE])
def test_passages_say_why_they_are_listed_and_scores_wait_for_the_toggle(question, corpus_index, monkeypatch,
                                                                        real_embedder):
    expected = _expected(corpus_index, real_embedder, question)
    a = expected.answer
    by_doc = {p.document: p for p in expected.passages}
    at = ask(app(corpus_index, monkeypatch), question)
    blocks = _passage_blocks(at)
    assert blocks
    said = set()
    for b in blocks:
        p = by_doc[next(d for d in by_doc if d in shown_text(b))]
        why = shown_text(re.search(r'<span class="mq-why">(.*?)</span>', b).group(1))
        want = ("From the same meeting" if p.meeting_id == a.meeting_id else
                "Earlier meeting" if p.date < a.date else "Later meeting")
        assert why == want + ":"
        said.add(want)
        assert "score" not in shown_text(b) and "rank" not in shown_text(b)
    assert len(said) >= 2                       # both questions list passages of more than one kind
    at.toggle(key="show-scores").set_value(True).run()
    assert all(re.search(r"rank \d+ · score \d\.\d{3}", shown_text(b)) for b in _passage_blocks(at))


@pytest.mark.slow
def test_copy_citation_gives_meeting_date_item_page_and_file(corpus_index, monkeypatch, real_embedder):
    a = _expected(corpus_index, real_embedder, OFFICERS).answer
    at = ask(app(corpus_index, monkeypatch), OFFICERS)
    assert at.code[0].value == (f"{a.title.split(' | ')[0]}, {render.nice_date(a.date)}, item {a.item}, "
                                f"page {a.page}, {a.document}")


@pytest.mark.slow
def test_share_link_reopens_the_same_question_with_the_same_filters(corpus_index, monkeypatch, real_embedder):
    at = app(corpus_index, monkeypatch)
    at.multiselect(key="series").select("Monthly Assurance Meeting").run()
    at.slider(key="top_k").set_value(3).run()
    ask(at, QUESTION)
    first = shown_text(_block(at, "mq-answer-card"))
    params = {k: v if isinstance(v, list) else [v] for k, v in at.query_params.items()}
    assert params == {"q": [QUESTION], "series": ["Monthly Assurance Meeting"], "k": ["3"]}
    link = next(c.value for c in at.code if "?q=" in c.value)
    assert link.endswith("/?q=What+was+the+101+target%3F&series=Monthly+Assurance+Meeting&k=3")
    # A new visit with the link's parameters: the same question, filters and answer, nothing typed.
    again = AppTest.from_file(str(APP), default_timeout=120)
    again.query_params.update({"q": QUESTION, "series": ["Monthly Assurance Meeting"], "k": "3"})
    again.run()
    assert not again.exception, again.exception
    assert again.text_input(key="question").value == QUESTION
    assert again.multiselect(key="series").value == ["Monthly Assurance Meeting"]
    assert again.slider(key="top_k").value == 3
    assert shown_text(_block(again, "mq-answer-card")) == first


@pytest.mark.slow
def test_share_link_with_stale_or_bad_values_still_opens(corpus_index, monkeypatch):
    monkeypatch.setenv("MINUTES_INDEX", str(corpus_index))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params.update({"q": OUTAGE, "series": ["No Such Committee"], "doc": ["gone.pdf"], "k": "99",
                            "from": "not a date", "to": "1990-01-01"})
    at.run()
    assert not at.exception and not at.error
    assert at.multiselect(key="series").value == [] and at.multiselect(key="documents").value == []
    assert at.slider(key="top_k").value == 5
    assert _block(at, "mq-answer-text")


@pytest.mark.slow
def test_the_question_is_on_paper_and_announced_with_the_answer(corpus_index, monkeypatch, real_embedder):
    a = _expected(corpus_index, real_embedder, QUESTION).answer
    at = app(corpus_index, monkeypatch)
    live = next(b for b in html_blocks(at) if 'role="status"' in b)
    assert 'aria-live="polite"' in live and shown_text(live) == ""
    ask(at, QUESTION)
    live = next(b for b in html_blocks(at) if 'role="status"' in b)
    said = shown_text(re.search(r'<div class="mq-sr-only"[^>]*>(.*?)</div>', live).group(1))
    assert said.startswith(f"Answer: {flat(a.text)} From {render.citation(tidy(a.title), a.date, a.item, a.page)}")
    printed = re.search(r'<div class="mq-print-only mq-question-print">(.*?)</div>', live).group(1)
    assert shown_text(printed) == f"Question: {QUESTION}"


@pytest.mark.slow
def test_verdicts_are_appended_to_the_feedback_file(corpus_index_copy, monkeypatch, real_embedder):
    a = _expected(corpus_index_copy, real_embedder, QUESTION).answer
    at = ask(app(corpus_index_copy, monkeypatch), QUESTION)
    assert not feedback.path(corpus_index_copy).exists()
    at.button(key="verdict-right").click().run()
    assert any(c.value == "Thank you: recorded that this answer is right." for c in at.caption)
    at.button(key="verdict-wrong").click().run()
    lines = feedback.path(corpus_index_copy).read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["verdict"] for r in records] == ["right", "wrong"]
    for r in records:
        assert r["question"] == QUESTION and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r["time"])
        assert r["answer"] == {"text": a.text, "document": a.document, "page": a.page}
    assert any(c.value == "Thank you: recorded that this answer is wrong." for c in at.caption)
