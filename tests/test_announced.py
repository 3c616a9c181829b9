"""A meeting whose own minutes the index lacks is answered from the meeting before it, which announced it:
"When was the May 2023 monthly assurance meeting?" reads the April meeting's "Next meeting" item."""
from __future__ import annotations

import pytest

from index.query import parse_question
from index.search import DEFAULT, Searcher
from index.search.facts import announced_window, asks_of_a_meeting

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("question, asks", [
    ("When was the May 2023 monthly assurance meeting, and what was its theme?", True),
    ("Where was the April 2022 monthly assurance meeting held?", True),
    ("When was the Joint Audit Committee meeting in July 2022?", True),
    ("What was the theme of the April 2022 meeting?", True),
    ("What did the April 2022 monthly assurance meeting decide about overtime?", False),
    ("When was the monthly assurance meeting?", False),              # no time: nothing announced to look for
])
def test_what_asks_when_where_or_what_a_meeting_named_by_its_time_was(question, asks):
    assert asks_of_a_meeting(parse_question(question)) is asks


def test_the_next_meeting_after_a_month_is_announced_by_that_months_meeting_not_in_it():
    assert announced_window(parse_question("When was the panel's next meeting after February 2023?")) is None
    assert announced_window(parse_question("When was the February 2023 panel meeting?")) == ("2023-02-01", "2023-02-31")


@pytest.fixture(scope="module")
def searcher(corpus_index, real_embedder):
    s = Searcher(corpus_index, embedder=real_embedder)
    yield s
    s.store.close()


def _announcement(searcher: Searcher, month: str) -> tuple[int, str] | None:
    """(meeting id, date) of a meeting whose next-meeting item announces one in ``month`` (YYYY-MM) of its
    series that the index holds no minutes of, or None."""
    return searcher.store.conn.execute(
        "SELECT f.meeting_id, m.date FROM facts f JOIN meetings m ON m.id = f.meeting_id "
        "WHERE f.kind = 'next_meeting' AND substr(f.detail, 1, 7) = ? AND NOT EXISTS ("
        "  SELECT 1 FROM meetings o WHERE o.series = m.series AND substr(o.date, 1, 7) = ?)",
        (month, month)).fetchone()


@pytest.mark.parametrize("question, month", [
    ("When was the May 2023 monthly assurance meeting, and what was its theme?", "2023-05"),
    ("Where was the November 2021 panel meeting held?", "2021-11"),
])
def test_a_meeting_without_minutes_is_answered_from_the_meeting_that_announced_it(searcher, question, month):
    found = _announcement(searcher, month)
    assert found is not None, "the corpus announces a meeting it holds no minutes of"
    a = searcher.ask(question).answer
    assert a is not None and a.fact == "next_meeting" and (a.meeting_id, a.date) == tuple(found)
    assert searcher.store.meeting_text(a.meeting_id)[a.start:a.end] == a.text


def test_a_meeting_the_index_holds_is_answered_from_its_own_minutes(searcher):
    a = searcher.ask("When was the July 2022 Monthly Assurance Meeting?", settings=DEFAULT).answer
    assert a is not None and a.fact is None and a.date.startswith("2022-07")
