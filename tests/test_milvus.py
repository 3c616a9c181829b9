"""The Milvus backend on real milvus-lite: the hybrid query, a reader's collections and the filters inside
every request, the nightly sync's writes, status and migrate-store."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from index.backends import BadStoreSetting, ledger, open_backend
from index.backends.expr import UnsafeValue, Where, string
from index.search import Filters, Searcher
from index.store import Store
from index.sync import Ingester
from tests.conftest import CORPUS

pytest.importorskip("milvus_lite")

HOSTILE = ['public" or collection != "', 'x\\', 'x\\" || 1 == 1 || "', "o'brien", 'café "quoted"', "", " or 1==1"]
QUESTIONS = ["What was the 101 target?", "When did the ICT outage start?", "budget", "Chief Constable actions",
             "who sent apologies", "999 calls answered", "the police and crime plan", "audit committee risk"]


def _setting(tmp_path: Path, name: str = "chunks.db") -> str:
    return f"milvus:{tmp_path / name}"


def _split_corpus(tmp_path: Path) -> tuple[Path, Path]:
    """The corpus in two folders: the panel's minutes for one collection, the rest for another."""
    public, secret = tmp_path / "public", tmp_path / "secret"
    public.mkdir()
    secret.mkdir()
    for f in CORPUS.iterdir():
        shutil.copy(f, (secret if f.name.startswith("police-and-crime-panel") else public) / f.name)
    return public, secret


@pytest.fixture
def two_collections(tmp_path, hash_embedder):
    """An index on milvus-lite holding the collections `public` and `secret`."""
    folder, store = tmp_path / "index", _setting(tmp_path)
    public, secret = _split_corpus(tmp_path)
    Ingester(folder, embedder=hash_embedder, progress=False, store=store, collection="public").run([public])
    Ingester(folder, embedder=hash_embedder, progress=False, store=store, collection="secret").run([secret])
    return folder, store


def _collections_of(folder: Path, ids) -> dict[int, str]:
    store = Store(folder)
    try:
        return {cid: c.collection for cid, c in store.chunks_by_id(list(ids)).items()}
    finally:
        store.close()


# -- the setting and the expressions ------------------------------------------------------------------------

def test_store_setting_names_a_backend(tmp_path, monkeypatch):
    assert open_backend("sqlite").engine is None
    assert open_backend(_setting(tmp_path)).engine.uri == str(tmp_path / "chunks.db")
    assert open_backend("milvus://127.0.0.1:19530").engine.uri == "http://127.0.0.1:19530"
    monkeypatch.setenv("MINUTES_STORE", _setting(tmp_path))
    assert open_backend().name == "milvus"
    for bad in ("postgres", "milvus:chunks.sqlite", "milvus"):
        with pytest.raises(BadStoreSetting):
            open_backend(bad)


@pytest.mark.parametrize("value", HOSTILE)
def test_a_string_literal_holds_any_name_as_itself(value):
    lit = string(value)
    assert lit.startswith('"') and lit.endswith('"')
    body = lit[1:-1]
    # Every quote inside is escaped, so the literal cannot end early.
    i = 0
    while i < len(body):
        if body[i] == "\\":
            assert body[i + 1] in '\\"'
            i += 2
            continue
        assert body[i] != '"'
        i += 1


def test_control_characters_and_bad_dates_are_refused():
    with pytest.raises(UnsafeValue):
        string("a\nb")
    with pytest.raises(UnsafeValue):
        Where(since="2021-01-01 or 1==1").expr()
    assert Where(collections=frozenset()).expr() == "collection in []"


# -- collections --------------------------------------------------------------------------------------------

def test_the_engine_never_returns_a_chunk_of_an_uncleared_collection(two_collections, hash_embedder):
    """Asked of the engine itself, without the ledger's own narrowing behind it: dense, keyword and hybrid."""
    folder, setting = two_collections
    engine = open_backend(setting).engine
    everything = _collections_of(folder, range(1, 100000))
    assert set(everything.values()) == {"public", "secret"}
    for q in QUESTIONS:
        qvec = hash_embedder.encode([q])[0]
        for cleared in ({"public"}, {"secret"}, set()):
            where = Where(collections=frozenset(cleared))
            found = (engine.hybrid(qvec, q, 50, where, 10) + engine.dense(qvec, 500, where)
                     + engine.keyword(q, 500, where))
            assert {everything[c] for c, _ in found} <= cleared, (q, cleared)
        # The unrestricted query does reach the other collection: the test above can fail.
        assert {everything[c] for c, _ in engine.dense(qvec, 500, Where())} == {"public", "secret"}


def test_hybrid_search_drops_a_filter_given_beside_its_requests(two_collections, hash_embedder):
    """Why every request carries the expression: `filter=` on hybrid_search itself is ignored."""
    from pymilvus import AnnSearchRequest, RRFRanker

    folder, setting = two_collections
    engine = open_backend(setting).engine
    everything = _collections_of(folder, range(1, 100000))
    assert engine.count() == len(everything)        # opens and loads the collection
    qvec = hash_embedder.encode(["What was the 101 target?"])[0].tolist()
    reqs = [AnnSearchRequest([qvec], "vector", {"metric_type": "COSINE"}, 100),
            AnnSearchRequest(["101 target"], "sparse", {"metric_type": "BM25"}, 100)]
    hits = engine.client.hybrid_search(engine.collection, reqs, RRFRanker(10), limit=200,
                                       filter='collection == "public"')
    assert "secret" in {everything[engine._chunk_id(h["id"])] for h in hits[0]}


@pytest.mark.parametrize("scores", ["ledger", "engine"])
def test_a_reader_cleared_for_one_collection_reads_only_it_through_the_pipeline(two_collections, hash_embedder,
                                                                                scores):
    from index.search import DEFAULT

    folder, setting = two_collections
    searcher = Searcher(folder, embedder=hash_embedder, store=setting)
    st = DEFAULT.with_(engine_keyword_scores=scores)
    for q in QUESTIONS:
        for cleared in (["public"], ["secret"], [], [HOSTILE[0]], HOSTILE):
            result = searcher.ask(q, top_k=10, filters=Filters(collections=cleared), settings=st)
            seen = {p.collection for p in result.passages} | ({result.answer.collection} if result.answer else set())
            assert seen <= set(cleared), (q, cleared, seen)
    both = searcher.ask("the police and crime panel", top_k=10, filters=Filters(collections=["public", "secret"]))
    assert both.passages


def test_hostile_collection_names_match_only_themselves(tmp_path, hash_embedder):
    engine = open_backend(_setting(tmp_path)).engine
    rows = []
    for n, name in enumerate(["public", *HOSTILE], start=1):
        rows.append({"id": n, "text": f"the 101 target for {n}", "vector": hash_embedder.encode(["101 target"])[0],
                     "document": f"d{n}.txt", "collection": name, "series": "", "date": 0, "meeting_id": n,
                     "item": "", "page": -1, "start": 0, "end": 10, "stamp": 0})
    engine.upsert(rows)
    engine.flush()
    by_id = {r["id"]: r["collection"] for r in rows}
    qvec = hash_embedder.encode(["101 target"])[0]
    for name in HOSTILE:
        where = Where(collections=frozenset([name]))
        found = engine.dense(qvec, 50, where) + engine.keyword("101 target", 50, where) + \
            engine.hybrid(qvec, "101 target", 50, where, 10)
        assert {by_id[c] for c, _ in found} == {name}, name


# -- filters ------------------------------------------------------------------------------------------------

def test_dates_series_and_documents_apply_inside_the_engine(two_collections, hash_embedder):
    folder, setting = two_collections
    engine = open_backend(setting).engine
    store = Store(folder)
    try:
        docs = [r["path"] for r in store.documents()][:3]
        series = sorted({c.series for c in store.meeting_cards() if c.series})[:1]
        cases = [dict(since="2022-01-01", until="2022-12-31"), dict(since="2023-06-01"), dict(until="2021-12-31"),
                 dict(series=series), dict(documents=docs), dict(since="2022-01-01", documents=docs)]
        qvec = hash_embedder.encode(["the meeting"])[0]
        for case in cases:
            want = set(store.chunk_ids_where(case.get("since"), case.get("until"), case.get("series", []),
                                             case.get("documents", [])))
            assert want, case
            where = Where(None, case.get("since"), case.get("until"), tuple(case.get("series", ())),
                          tuple(case.get("documents", ())))
            assert {c for c, _ in engine.dense(qvec, 5000, where)} == want, case
            assert {c for c, _ in engine.hybrid(qvec, "meeting", 50, where, 10)} <= want, case
            assert {c for c, _ in engine.keyword("meeting police", 5000, where)} <= want, case
    finally:
        store.close()


# -- answers ------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_milvus_answers_the_101_question_as_sqlite_does(corpus_index_copy, real_embedder, tmp_path):
    from index.migrate import migrate

    setting = _setting(tmp_path)
    done = migrate(corpus_index_copy, setting)
    assert done["written"] == done["chunks"] > 0
    on_sqlite = Searcher(corpus_index_copy, embedder=real_embedder, store="sqlite")
    on_milvus = Searcher(corpus_index_copy, embedder=real_embedder, store=setting)
    for q in ["What was the 101 target?", "When did the ICT outage start?"]:
        a, b = on_sqlite.ask(q), on_milvus.ask(q)
        assert a.answer is not None and b.answer is not None, q
        assert (b.answer.text, b.answer.document) == (a.answer.text, a.answer.document), q
    answer = on_milvus.ask("What was the 101 target?").answer
    assert "101" in answer.text


# -- the nightly sync ---------------------------------------------------------------------------------------

def _engine_ids(setting: str) -> dict[int, int]:
    return open_backend(setting).engine.stamps()


def test_a_rerun_with_nothing_new_changes_nothing_and_a_removed_file_leaves(tmp_path, hash_embedder):
    folder, setting = tmp_path / "index", _setting(tmp_path)
    src = tmp_path / "minutes"
    shutil.copytree(CORPUS, src)
    first = Ingester(folder, embedder=hash_embedder, progress=False, store=setting).run([src])
    stamps = _engine_ids(setting)
    assert len(stamps) == first.chunks > 0
    store = Store(folder)
    meta = store.meta()
    store.close()
    again = Ingester(folder, embedder=hash_embedder, progress=False, store=setting).run([src])
    assert (again.added, again.updated, again.removed, again.chunks) == (0, 0, 0, 0)
    assert _engine_ids(setting) == stamps
    store = Store(folder)
    assert store.meta() == meta
    store.close()

    gone = src / "monthly-assurance-2024-03-21.txt"
    gone.unlink()
    (src / "monthly-assurance-2021-06-17.txt").write_text(
        (CORPUS / "monthly-assurance-2021-06-17.txt").read_text() + "\nAction: the clerk to circulate the notes.\n")
    third = Ingester(folder, embedder=hash_embedder, progress=False, store=setting).run([src])
    assert third.removed == 1 and third.updated == 1
    engine = open_backend(setting).engine
    store = Store(folder)
    try:
        assert set(engine.stamps()) == set(ledger.ledger_stamps(store))
        assert engine.stamps() == ledger.ledger_stamps(store)
        left = engine.client.query(engine.collection, filter=Where(documents=(gone.name,)).expr(),
                                   output_fields=["id"])
        assert left == []
        assert not ledger.needs_reconcile(store, engine)
    finally:
        store.close()


def test_a_moved_collection_is_what_the_engine_filters_on(tmp_path, hash_embedder):
    folder, setting = tmp_path / "index", _setting(tmp_path)
    Ingester(folder, embedder=hash_embedder, progress=False, store=setting, collection="a").run([CORPUS])
    Ingester(folder, embedder=hash_embedder, progress=False, store=setting, collection="b").run([CORPUS])
    engine = open_backend(setting).engine
    qvec = hash_embedder.encode(["101 target"])[0]
    assert engine.dense(qvec, 50, Where(collections=frozenset(["a"]))) == []
    assert engine.dense(qvec, 50, Where(collections=frozenset(["b"])))


# -- status and migrate-store -------------------------------------------------------------------------------

def test_status_reports_the_backend_and_a_ledger_that_disagrees(tmp_path, hash_embedder, monkeypatch):
    from ui.cli import main

    folder, setting = tmp_path / "index", _setting(tmp_path)
    Ingester(folder, embedder=hash_embedder, progress=False, store=setting).run([CORPUS])
    monkeypatch.setenv("MINUTES_STORE", setting)
    out = CliRunner().invoke(main, ["status", "--index", str(folder), "--json"])
    assert out.exit_code == 0, out.output
    info = json.loads(out.output)["store"]
    assert info["backend"] == "milvus" and info["chunks"] == info["ledger_chunks"] > 0
    assert info["disagreements"] == []

    engine = open_backend(setting).engine
    engine.delete_ids(list(engine.stamps())[:5])
    engine.flush()
    out = CliRunner().invoke(main, ["status", "--index", str(folder)])
    assert out.exit_code == 0
    assert "disagrees with the ledger" in out.output and "milvus" in out.output

    Ingester(folder, embedder=hash_embedder, progress=False, store=setting).run([CORPUS])
    out = CliRunner().invoke(main, ["status", "--index", str(folder), "--json"])
    assert json.loads(out.output)["store"]["disagreements"] == []


def test_migrate_store_copies_without_embedding(tmp_path, hash_embedder, monkeypatch):
    from ui.cli import main

    folder = tmp_path / "index"
    Ingester(folder, embedder=hash_embedder, progress=False).run([CORPUS])     # sqlite, today's default
    setting = _setting(tmp_path)
    # No model may load: the vectors come from the ledger.
    monkeypatch.setattr("index.embed.SentenceEmbedder.__init__", lambda *a, **k: pytest.fail("embedded again"))
    out = CliRunner().invoke(main, ["migrate-store", "--index", str(folder), "--to", setting, "--json"])
    assert out.exit_code == 0, out.output
    done = json.loads(out.output)
    store = Store(folder)
    try:
        assert done["chunks"] == done["written"] == store.counts()["chunks"]
        ids, vecs = store.vectors()
    finally:
        store.close()
    held = open_backend(setting).engine.vectors([int(i) for i in ids[:20]])
    for i, v in zip(ids[:20], vecs[:20]):
        assert np.allclose(held[int(i)], v, atol=1e-6)
    again = CliRunner().invoke(main, ["migrate-store", "--index", str(folder), "--to", setting, "--json"])
    assert json.loads(again.output)["written"] == 0


def test_a_bad_store_setting_is_a_usage_message(tmp_path):
    from ui.cli import main

    out = CliRunner().invoke(main, ["status", "--index", str(tmp_path), "--store", "postgres"])
    assert out.exit_code == 2
    assert "is not a store" in out.output


def test_a_renamed_file_is_found_under_its_new_name_without_embedding(tmp_path, hash_embedder):
    folder, setting = tmp_path / "index", _setting(tmp_path)
    src = tmp_path / "minutes"
    shutil.copytree(CORPUS, src)
    Ingester(folder, embedder=hash_embedder, progress=False, store=setting).run([src])
    old, new = "monthly-assurance-2024-03-21.txt", "renamed-2024-03-21.txt"
    (src / old).rename(src / new)
    report = Ingester(folder, embedder=hash_embedder, progress=False, store=setting).run([src])
    assert report.renamed == 1 and report.chunks == 0
    engine = open_backend(setting).engine
    store = Store(folder)
    try:
        assert engine.stamps() == ledger.ledger_stamps(store)
        qvec = hash_embedder.encode(["101 target"])[0]
        assert engine.dense(qvec, 500, Where(documents=(old,))) == []
        assert engine.dense(qvec, 500, Where(documents=(new,)))
    finally:
        store.close()


# -- offices sharing one collection ---------------------------------------------------------------------------

def test_two_offices_share_one_collection_without_touching_each_others_rows(tmp_path, hash_embedder, monkeypatch):
    """Each office's ledger numbers its chunks from 1: in one collection they must not overwrite each other,
    and each office reads, counts, reconciles and deletes only its own rows."""
    setting = _setting(tmp_path, "shared.db")
    north_src, south_src = _split_corpus(tmp_path)
    monkeypatch.setenv("MINUTES_OFFICE", "north")
    north = Ingester(tmp_path / "north", embedder=hash_embedder, progress=False, store=setting).run([north_src])
    monkeypatch.setenv("MINUTES_OFFICE", "south")
    south = Ingester(tmp_path / "south", embedder=hash_embedder, progress=False, store=setting).run([south_src])
    from index.backends.milvus import MilvusEngine

    south_engine = open_backend(setting).engine
    north_engine = MilvusEngine(south_engine.uri, office="north")
    assert south_engine.office == "south"
    assert north_engine.count() == north.chunks and south_engine.count() == south.chunks
    # The same chunk ids, both held: nothing was overwritten.
    assert 1 in north_engine.stamps() and 1 in south_engine.stamps()
    total = south_engine.client.query(south_engine.collection, filter="", output_fields=["count(*)"],
                                      consistency_level="Strong")[0]["count(*)"]
    assert total == north.chunks + south.chunks

    # Each office's searcher sees only its own minutes.
    south_docs = {f.name for f in south_src.iterdir()}
    for q in QUESTIONS:
        result = Searcher(tmp_path / "south", embedder=hash_embedder, store=setting).ask(q, top_k=10)
        assert {p.document for p in result.passages} <= south_docs, q
        qvec = hash_embedder.encode([q])[0]
        assert {c for c, _ in north_engine.dense(qvec, 500, Where())} <= set(north_engine.stamps())

    # A file removed in one office leaves the other's rows, even under the same name.
    shared_name = next(iter(south_docs))
    shutil.copy(south_src / shared_name, north_src / shared_name)
    monkeypatch.setenv("MINUTES_OFFICE", "north")
    Ingester(tmp_path / "north", embedder=hash_embedder, progress=False, store=setting).run([north_src])
    (north_src / shared_name).unlink()
    Ingester(tmp_path / "north", embedder=hash_embedder, progress=False, store=setting).run([north_src])
    assert south_engine.count() == south.chunks
    assert north_engine.count() == north.chunks
    store = Store(tmp_path / "south")
    try:
        assert not ledger.needs_reconcile(store, south_engine)
        assert south_engine.stamps() == ledger.ledger_stamps(store)
    finally:
        store.close()


def test_an_office_name_is_a_literal_and_never_part_of_the_query(tmp_path):
    from index.backends.milvus import MilvusEngine
    from index.errors import StoreError

    engine = MilvusEngine(str(tmp_path / "m.db"), office='north" or office != "')
    assert engine._expr(Where()) == 'office == "north\\" or office != \\""'
    with pytest.raises((StoreError, UnsafeValue)):
        MilvusEngine(str(tmp_path / "m.db"), office="bad\nname")


# -- the page on Milvus ---------------------------------------------------------------------------------------

def test_the_page_answers_from_milvus(two_collections, hash_embedder, monkeypatch):
    """The web page with `$MINUTES_STORE=milvus:...` shows the answer and citation the pipeline gives on
    that store, read through the engine."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    import index.embed
    from tests.test_app import APP, flat, html_blocks, shown_text

    folder, setting = two_collections
    monkeypatch.setenv("MINUTES_STORE", setting)
    monkeypatch.setenv("MINUTES_INDEX", str(folder))
    # The index was built with the hashing embedder (plumbing): the page must embed questions with it too.
    monkeypatch.setattr(index.embed, "SentenceEmbedder", lambda *a, **k: hash_embedder)
    # The page keeps its embedder and searchers in Streamlit's resource cache, which outlives one AppTest:
    # an embedder cached by an earlier test of the page would not be this one.
    st.cache_resource.clear()
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    question = "What was the 101 target?"
    at.text_input(key="question").input(question).run()
    assert not at.exception, at.exception
    expected = Searcher(folder, embedder=hash_embedder, store=setting).ask(question)
    assert expected.answer is not None and Searcher(folder, embedder=hash_embedder).backend.name == "milvus"
    card = shown_text(next(b for b in html_blocks(at) if "mq-answer-text" in b))
    assert flat(expected.answer.text) in card and expected.answer.document in card
    # Searched in the engine, not in the ledger's copy: what the engine no longer holds the page cannot show.
    open_backend(setting).engine.delete_documents([expected.answer.document])
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.text_input(key="question").input(question).run()
    assert not at.exception, at.exception
    # The answer card and the passages under it (the Meetings and Actions views read the ledger, as they should).
    answers = " ".join(shown_text(b) for b in html_blocks(at)
                       if "mq-answer-card" in b or b.startswith('<div class="mq-cite">'))
    assert answers and expected.answer.document not in answers
