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
        filtered = searcher.ask(question, settings=DEFAULT.with_(scope_exact_max=0))
    finally:
        del searcher._scoped_by_filter
    assert calls, "the filtering path ran"
    assert [p.chunk_id for p in filtered.passages] == [p.chunk_id for p in exact.passages]
    assert (filtered.answer and filtered.answer.text) == (exact.answer and exact.answer.text)
