"""The web page, run headless through Streamlit's AppTest against real indexes: ask, filters, views, failures, safety."""
from __future__ import annotations

import html
import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from index import browse
from index.search import Searcher
from index.store import DB_NAME, Store
from tests.minutes_files import TOWN_COUNCIL
from ui import actions as actions_view
from ui import render

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
    """The rows of the actions view as a reader sees them: status, due, owner, action, meeting."""
    block = next(b for b in html_blocks(at) if "mq-table" in b and "<th>Meeting</th>" in b)
    rows = []
    for tr in re.findall(r"<tr(?: class=\"([\w-]*)\")?>(<td.*?)</tr>", block):
        cells = [shown_text(c.replace("<br>", "\n")) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr[1])]
        meeting = re.findall(r"<td class=\"mq-col-4\">(.*?)</td>", tr[1])[0].split("<br>")
        rows.append({"class": tr[0], "Status": cells[0], "Due": cells[1], "Owner": cells[2], "Action": cells[3],
                     "Meeting date": shown_text(meeting[-1])})
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


@pytest.mark.slow
def test_actions_view_filters_by_owner_and_sorts(corpus_index, monkeypatch):
    at = app(corpus_index, monkeypatch)
    owners = at.multiselect(key="action-owner").options
    assert owners
    at.multiselect(key="action-owner").select(owners[0]).run()
    table = _actions_table(at)
    assert table and {r["Owner"] for r in table} == {owners[0]}
    at.multiselect(key="action-owner").unselect(owners[0]).run()
    at.selectbox(key="action-sort").select("Meeting date, latest first").run()
    meeting_dates = [_iso(r["Meeting date"]) for r in _actions_table(at) if r["Meeting date"] != "date unknown"]
    assert len(meeting_dates) > 1 and meeting_dates == sorted(meeting_dates, reverse=True)
    at.selectbox(key="action-sort").select("Due date, earliest first").run()
    due = [_iso(r["Due"]) for r in _actions_table(at) if re.fullmatch(r"\d{1,2} \w+ \d{4}", r["Due"])]
    assert due == sorted(due)


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
            "Resolutions", "Close of the meeting")


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
    assert list(frame.columns) == ["Status", "Due", "Owner", "Action", "Meeting", "Meeting date", "Item", "Page",
                                   "Document", "Read from"]
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
