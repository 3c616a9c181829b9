"""The keyword cache (index/keywords.py): one tantivy index per committed generation, beside the FAISS cache.

What must hold: it follows the store (a new generation gets its own cache, older ones go); a damaged or
half-written cache is never trusted and a kill while writing it leaves the last one answering; no text
reaches tantivy's query parser; a reader's collections are a clause of the engine's own query; and the
ranking is FTS5's BM25 over the same words, so both engines agree on what matches.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from index import keywords
from index.embed import HashEmbedder
from index.query import fts_query
from index.search import DEFAULT, Filters, Searcher
from index.store import Store
from index.sync import Ingester
from tests.minutes_files import fact, hash_ingest_command, kill_hash_ingest_at, write_minutes

ROOT = Path(__file__).resolve().parents[1]


def ingest(index, folder, collection="default"):
    return Ingester(index, embedder=HashEmbedder(), collection=collection).run([folder])


@pytest.fixture
def small(tmp_path):
    drop = tmp_path / "minutes"
    for n in range(6):
        write_minutes(drop, n)
    index = tmp_path / "index"
    ingest(index, drop)
    return index, drop


def caches(index):
    return sorted(p.name for p in keywords.folder_of(index).iterdir())


def test_the_nightly_run_writes_the_cache_of_its_generation_and_drops_older_ones(small):
    index, drop = small
    store = Store(index)
    first = store.generation_stamp()
    assert caches(index) == [keywords._name(first)]
    write_minutes(drop, 6)
    ingest(index, drop)
    second = store.generation_stamp()
    assert second != first and caches(index) == [keywords._name(second)]
    engine = keywords.load(index, second)
    assert engine is not None and engine.size == store.counts()["chunks"]
    # Nothing new: the cache is opened, not built again.
    before = (keywords.folder_of(index) / keywords._name(second)).stat().st_mtime_ns
    ingest(index, drop)
    assert caches(index) == [keywords._name(second)]
    assert (keywords.folder_of(index) / keywords._name(second)).stat().st_mtime_ns == before
    store.close()


def test_both_engines_find_the_same_chunks_for_the_same_words(small):
    index, _ = small
    store = Store(index)
    engine = keywords.load_or_build(store)
    for n in range(6):
        f = fact(n)
        for terms in ([f.name], f.question.replace("?", "").split()):
            fts = store.keyword_search(fts_query(terms), 1000)
            ours = engine.search(terms, 1000)
            assert {c for c, _ in ours} == {c for c, _ in fts}, terms
            assert ours == sorted(ours, key=lambda cs: -cs[1])
    store.close()


def test_a_damaged_or_missing_cache_is_built_again_and_answers_the_same(small):
    index, _ = small
    store = Store(index)
    stamp = store.generation_stamp()
    want = keywords.load_or_build(store).search([fact(3).name], 10)
    assert want
    path = keywords.folder_of(index) / keywords._name(stamp)
    (path / "meta.json").write_text("{ not json", encoding="utf-8")
    assert keywords.load(index, stamp) is None
    shutil.rmtree(path)
    assert keywords.load_or_build(store).search([fact(3).name], 10) == want
    store.close()


def test_a_kill_while_the_cache_is_written_leaves_the_last_one_answering(small):
    index, drop = small
    store = Store(index)
    old = store.generation_stamp()
    write_minutes(drop, 7)
    kill_hash_ingest_at("keywords", index, drop)
    new = store.generation_stamp()
    assert new != old
    names = caches(index)
    assert keywords._name(old) in names and keywords._name(new) not in names
    assert any(n.startswith(".") for n in names)            # the half-written one, under a temporary name
    searcher = Searcher(index, embedder=HashEmbedder())     # follows the store: builds the new state's cache
    assert searcher.ask(fact(7).question).passages[0].document == "estates-board-0007.txt"
    run = subprocess.run(hash_ingest_command(index, drop), capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["added"] == 0
    assert caches(index) == [keywords._name(new)]            # the dead process's leftover is gone
    searcher.store.close()
    store.close()


def test_a_reader_gets_nothing_of_a_collection_it_is_not_cleared_for(tmp_path):
    official, sensitive = tmp_path / "official", tmp_path / "sensitive"
    write_minutes(official, 1)
    write_minutes(sensitive, 2)
    index = tmp_path / "index"
    ingest(index, official, "official")
    ingest(index, sensitive, "sensitive")
    store = Store(index)
    engine = keywords.load_or_build(store)
    secret = [fact(2).name]
    assert engine.search(secret, 50)                                     # the server's own account
    assert engine.search(secret, 50, collections=["official"]) == []
    assert engine.search(secret, 50, collections=[]) == []
    reader = Searcher(index, embedder=HashEmbedder())
    result = reader.ask(fact(2).question, filters=Filters(collections=["official"]))
    assert all(p.collection == "official" for p in result.passages)
    assert all(p.document != "estates-board-0002.txt" for p in result.passages)
    reader.store.close()
    store.close()


def test_filters_are_clauses_of_the_query(small):
    index, _ = small
    store = Store(index)
    engine = keywords.load_or_build(store)
    hits = engine.search([fact(4).name], 50)
    assert hits
    allowed = [c for c, _ in hits][1:] + [10**9]
    assert {c for c, _ in engine.search([fact(4).name], 50, allowed=allowed)} == set(allowed) & {c for c, _ in hits}
    assert engine.search([fact(4).name], 50, allowed=[]) == []
    store.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=80))
def test_any_text_is_a_safe_query(small, text):
    index, _ = small
    store = Store(index)
    try:
        engine = keywords.load_or_build(store)
        hits = engine.search([text, *text.split()], 20)
        for hit, score in hits:
            assert isinstance(hit, int) and score >= 0
        exact = engine.rescore([text, *text.split()], [c for c, _ in hits])
        assert {c for c, _ in exact} <= {c for c, _ in hits}
    finally:
        store.close()


def test_a_read_only_index_folder_still_gets_a_keyword_cache(small, tmp_path):
    index, _ = small
    store = Store(index)
    stamp = store.generation_stamp()
    shutil.rmtree(keywords.folder_of(index))
    engine = keywords.load_or_build(store, write=False)
    assert not keywords.folder_of(index).exists()
    assert engine.search([fact(1).name], 5) and not engine.path.is_relative_to(index)
    assert engine.stamp == stamp
    store.close()


def test_the_fts5_engine_remains_a_setting_and_answers_alike(small):
    index, _ = small
    searcher = Searcher(index, embedder=HashEmbedder())
    fts = replace(DEFAULT, keyword_engine="fts5")
    for n in range(6):
        q = fact(n).question
        a, b = searcher.ask(q), searcher.ask(q, settings=fts)
        assert a.passages[0].document == b.passages[0].document == f"estates-board-{n:04d}.txt"
    searcher.store.close()


@pytest.fixture(scope="module")
def sample_corpus(tmp_path_factory):
    """The bundled minutes: real headers, items and phrases, read by the real ingest."""
    index = tmp_path_factory.mktemp("kw-corpus") / "index"
    Ingester(index, embedder=HashEmbedder()).run([ROOT / "corpus"])
    return index


@pytest.mark.parametrize("terms", [["precept"], ["chief", "constable"], ["Chief Constable"], ["999", "calls"],
                                   ["police", "officers", "budget", "overspend"], ["minutes", "meeting"],
                                   ["Police and Crime Panel"], ["apologies"], ["Northshire"]])
def test_the_head_is_scored_as_fts5_scores_it(sample_corpus, terms):
    """The ranks that count are FTS5's ``bm25()`` with the product's column weights, whatever the engine."""
    store = Store(sample_corpus)
    engine = keywords.load_or_build(store)
    weights = (DEFAULT.bm25_text_weight, DEFAULT.bm25_header_weight)
    fts = store.keyword_search(fts_query(terms), 150, weights=weights)
    assert fts, terms
    ours = engine.rescore(terms, [c for c, _ in fts], weights)
    assert {c for c, _ in ours} == {c for c, _ in fts}
    theirs = dict(fts)
    for cid, score in ours:
        assert score == pytest.approx(theirs[cid], rel=0.02), (terms, cid)
    # The same order wherever FTS5's scores are not within rounding of each other.
    for (a, x), (b, y) in zip(fts, fts[1:]):
        if x - y > 0.05 * x:
            assert dict(ours)[a] > dict(ours)[b], (terms, a, b)
    store.close()


def test_a_damaged_forward_file_is_never_trusted(small):
    index, _ = small
    store = Store(index)
    stamp = store.generation_stamp()
    want = keywords.load_or_build(store).rescore([fact(3).name], list(range(1, 200)))
    assert want
    path = keywords.folder_of(index) / keywords._name(stamp) / f"{keywords.FORWARD_NAME}.tokens"
    with open(path, "r+b") as f:
        f.truncate(path.stat().st_size - 4)
    assert keywords.load(index, stamp) is None
    shutil.rmtree(path.parent)
    assert keywords.load_or_build(store).rescore([fact(3).name], list(range(1, 200))) == want
    store.close()
