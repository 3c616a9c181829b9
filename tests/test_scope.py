"""Meetings named by the thousand are searched by filtering the whole index's rankings, not by scoring each of
their chunks; on an index small enough for both, the two give the same passages."""
from __future__ import annotations

import pytest

from index.search import DEFAULT, Searcher
from index.search.meetings import surely_named

pytestmark = pytest.mark.slow

QUESTIONS = [
    "What did the Police and Crime Panel say about the precept?",
    "What did the Joint Audit Committee hear about the external audit?",
    "Which actions did the Joint Audit Committee give the CFO?",
]


@pytest.fixture(scope="module")
def searcher(corpus_index, real_embedder):
    s = Searcher(corpus_index, embedder=real_embedder)
    yield s
    s.store.close()


@pytest.mark.parametrize("question", QUESTIONS)
def test_filtering_the_whole_rankings_finds_what_scoring_the_named_meetings_finds(searcher, question):
    from index.query import parse_question

    exact = searcher.ask(question)
    q = parse_question(question)
    assert len(surely_named(searcher._names.named(q, DEFAULT), DEFAULT)) > 1, "the question names a series"
    calls = []
    original = searcher._scoped_by_filter

    def spy(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    searcher._scoped_by_filter = spy
    try:
        filtered = searcher.ask(question, settings=DEFAULT.with_(scope_path="filter"))
    finally:
        del searcher._scoped_by_filter
    assert calls, "the filtering path ran"
    assert [p.chunk_id for p in filtered.passages] == [p.chunk_id for p in exact.passages]
    assert (filtered.answer and filtered.answer.text) == (exact.answer and exact.answer.text)


def test_a_motion_asked_of_a_whole_series_is_weighed_in_a_bounded_number_of_meetings(searcher):
    from index.query import parse_question

    question = "Was the vote of the Police and Crime Panel unanimous?"
    whole = searcher.ask(question)
    assert whole.answer is not None and whole.answer.fact == "result"
    named = surely_named(searcher._names.named(parse_question(question), DEFAULT), DEFAULT)
    latest = max((c for c in searcher._names.cards if c.id in named), key=lambda c: c.date or "").id
    read: list[int] = []
    store_text = type(searcher.store).meeting_text

    def counting(store, meeting_id):
        read.append(meeting_id)
        return store_text(store, meeting_id)

    searcher.store.meeting_text = counting.__get__(searcher.store)
    try:
        bounded = searcher.ask(question, settings=DEFAULT.with_(fact_meetings_max=1))
    finally:
        del searcher.store.meeting_text
    # Only the meetings whose passages were found and the latest one named are read for their motions ...
    assert set(read) <= {p.meeting_id for p in bounded.passages} | {latest}
    # ... and the meeting that answers is among them: the answer stands.
    assert bounded.answer is not None and bounded.answer.text == whole.answer.text
