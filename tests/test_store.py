"""The store: migrations applied once, settings that refuse another model, documents replaced whole, the FAISS cache."""
from __future__ import annotations

import json
import sqlite3
import struct

import numpy as np
import pytest

import index.store as store_mod
from index.embed import HashEmbedder
from index.errors import IndexNotFound, IndexUnreadable, ModelMismatch, SchemaTooNew, StoreError
from index.search import Searcher
from index.store import DB_NAME, MIGRATIONS, Store
from index.vectors import FAISS_NAME, VectorIndex, load_or_build, read_stamp
from ingest.chunk import CHUNKER_VERSION, chunk_meeting
from ingest.model import AgendaItem, Attendee, Meeting

EMBEDDER = HashEmbedder()


def make_meeting(source: str, date: str, body: str, title: str = "Monthly Assurance Meeting") -> Meeting:
    item_title = "Finance"
    text = f"{title}\n1 {item_title}\n{body}\n"
    start = text.index("1 ")
    return Meeting(source=source, text=text, page_starts=[0], title=title, series=title, date=date,
                   attendees=[Attendee("Marcus Obi", "Chief Constable", "CC")],
                   glossary={"DoF": "Director of Finance"},
                   items=[AgendaItem("1", item_title, start, len(text), 1)])


def put(store: Store, meeting: Meeting, embedder=EMBEDDER) -> None:
    chunks = chunk_meeting(meeting, embedder.count_tokens, embedder.max_tokens)
    vectors = embedder.encode([c.embed_text for c in chunks])
    with store.transaction() as conn:
        if "model_name" not in store.meta():
            store.record_settings(conn, embedder.name, str(embedder.path), embedder.dim, CHUNKER_VERSION,
                                  embedder.max_tokens)
        store.put_document(conn, meeting.source, "/corpus", "hash-" + meeting.source, len(meeting.text), "txt",
                           meeting, chunks, vectors)
        store.bump_generation(conn)


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "index"


@pytest.fixture
def filled(folder):
    s = Store(folder, create=True)
    put(s, make_meeting("a.txt", "2023-01-19", "The overspend was forecast at £1.7m at the half year."))
    put(s, make_meeting("b.txt", "2024-03-21", "The 101 target of 80% was met for three months running."))
    s.close()
    return folder


# -- opening and migrations -------------------------------------------------

def test_missing_index_is_a_clear_error(folder):
    with pytest.raises(IndexNotFound, match="minutes ingest"):
        Store(folder)
    assert not folder.exists()


def test_new_store_applies_every_migration_once(folder):
    s = Store(folder, create=True)
    names = [r[0] for r in s.conn.execute("SELECT name FROM _migrations ORDER BY name")]
    assert names == sorted(n for n, _ in MIGRATIONS)
    assert s.meta()["schema_version"] == str(len(MIGRATIONS))
    assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    s.close()


def test_reopening_applies_no_migration_twice(folder, monkeypatch):
    s = Store(folder, create=True)
    put(s, make_meeting("a.txt", "2023-01-19", "The overspend was forecast at £1.7m."))
    first = dict(s.conn.execute("SELECT name, applied_at FROM _migrations").fetchall())
    s.close()

    # A later version adds a migration: only that one runs on an index made by 001.
    later = MIGRATIONS + [("999_test_extra", "CREATE TABLE test_extra (x INTEGER);")]
    monkeypatch.setattr(store_mod, "MIGRATIONS", later)
    monkeypatch.setattr(store_mod, "SCHEMA_VERSION", len(later))
    for _ in range(3):
        s = Store(folder)
        rows = s.conn.execute("SELECT name, applied_at FROM _migrations").fetchall()
        assert sorted(r[0] for r in rows) == sorted(n for n, _ in later)
        assert {k: v for k, v in rows if k in first} == first
        assert s.meta()["schema_version"] == str(len(later))
        assert s.counts()["documents"] == 1
        s.close()


def test_a_failing_migration_leaves_the_store_as_it_was(folder, monkeypatch):
    Store(folder, create=True).close()
    broken = MIGRATIONS + [("999_broken", "CREATE TABLE half_done (x INTEGER);\nTHIS IS NOT SQL;")]
    monkeypatch.setattr(store_mod, "MIGRATIONS", broken)
    with pytest.raises(StoreError, match="syntax error"):
        Store(folder)
    conn = sqlite3.connect(folder / DB_NAME)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    applied = {r[0] for r in conn.execute("SELECT name FROM _migrations")}
    conn.close()
    assert "half_done" not in tables
    assert "999_broken" not in applied


def test_an_index_from_a_newer_version_is_refused(folder):
    s = Store(folder, create=True)
    s.conn.execute("INSERT INTO _migrations VALUES ('500_from_the_future', 0)")
    s.close()
    with pytest.raises(SchemaTooNew, match="500_from_the_future"):
        Store(folder)


@pytest.mark.parametrize("content", [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 4000])
def test_a_damaged_index_file_is_a_clear_error(folder, content):
    folder.mkdir()
    (folder / DB_NAME).write_bytes(content)
    with pytest.raises(IndexUnreadable) as info:
        Store(folder)
    assert str(folder / DB_NAME) in str(info.value) and "minutes ingest" in str(info.value)
    assert (folder / DB_NAME).read_bytes() == content


# -- settings -----------------------------------------------------------------

def test_settings_are_recorded(filled):
    s = Store(filled)
    meta = s.meta()
    s.close()
    assert meta["model_name"] == EMBEDDER.name and meta["model_path"] == str(EMBEDDER.path)
    assert meta["dim"] == str(EMBEDDER.dim) and meta["max_tokens"] == str(EMBEDDER.max_tokens)
    assert meta["chunker"] == CHUNKER_VERSION


@pytest.mark.parametrize("field", ["model", "chunker", "dim"])
def test_another_model_or_chunker_is_refused_naming_both(filled, field):
    s = Store(filled)
    name, dim, chunker = EMBEDDER.name, EMBEDDER.dim, CHUNKER_VERSION
    if field == "model":
        name = "paraphrase-mpnet-base-v2"
    elif field == "chunker":
        chunker = "paragraphs-v9"
    else:
        dim = 384
    with pytest.raises(ModelMismatch) as info:
        s.check_settings(name, "/models/other", dim, chunker)
    s.close()
    message = str(info.value)
    stored = {"model": EMBEDDER.name, "chunker": CHUNKER_VERSION, "dim": str(EMBEDDER.dim)}[field]
    wanted = {"model": name, "chunker": chunker, "dim": str(dim)}[field]
    assert stored in message and wanted in message
    assert "\n" not in message


def test_the_same_settings_are_accepted(filled):
    s = Store(filled)
    s.check_settings(EMBEDDER.name, str(EMBEDDER.path), EMBEDDER.dim, CHUNKER_VERSION)
    s.close()


def test_ingest_refuses_an_index_of_another_chunker(filled, tmp_path):
    from index.sync import Ingester

    s = Store(filled)
    with s.transaction() as conn:
        s.set_meta(conn, chunker="paragraphs-v0")
    before = (s.counts(), s.generation_stamp())
    s.close()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "new.txt").write_text("Monthly Assurance Meeting\n\nThe fleet has 412 vehicles.\n", encoding="utf-8")
    with pytest.raises(ModelMismatch) as info:
        Ingester(filled, embedder=EMBEDDER, progress=False).run([corpus])
    assert "paragraphs-v0" in str(info.value) and CHUNKER_VERSION in str(info.value)
    s = Store(filled)
    assert (s.counts(), s.generation_stamp()) == before
    s.close()


class OtherEmbedder(HashEmbedder):
    name = "another-test-embedder"


def test_searcher_refuses_an_index_built_with_another_model(filled):
    with pytest.raises(ModelMismatch) as info:
        Searcher(filled, embedder=OtherEmbedder())
    assert EMBEDDER.name in str(info.value) and OtherEmbedder.name in str(info.value)


# -- documents ----------------------------------------------------------------

def test_document_rows_and_embeddings(filled):
    s = Store(filled)
    assert s.counts() == {"documents": 2, "failed": 0, "meetings": 2,
                          "chunks": s.conn.execute("SELECT count(*) FROM chunks").fetchone()[0]}
    assert s.conn.execute("SELECT count(*) FROM chunks_fts").fetchone()[0] == s.counts()["chunks"]
    ids, vecs = s.vectors()
    assert list(ids) == sorted(ids) and vecs.shape == (len(ids), EMBEDDER.dim)
    assert vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    blob = s.conn.execute("SELECT embedding FROM chunks LIMIT 1").fetchone()[0]
    assert len(blob) == 4 * EMBEDDER.dim
    chunk = s.chunks_by_id([int(ids[-1])])[int(ids[-1])]
    meeting_text = s.conn.execute("SELECT text FROM meetings WHERE id = ?", (chunk.meeting_id,)).fetchone()[0]
    assert meeting_text[chunk.start:chunk.end] == chunk.text
    assert chunk.document in {"a.txt", "b.txt"} and chunk.date and chunk.item == "1 Finance"
    s.close()


def test_replacing_a_document_leaves_no_trace_of_the_old_one(filled):
    s = Store(filled)
    before = s.generation()
    put(s, make_meeting("a.txt", "2023-01-19", "The precept rose by 4.99% this year."))
    assert s.generation() == before + 1
    assert s.counts()["documents"] == 2
    texts = [r[0] for r in s.conn.execute("SELECT text FROM chunks")]
    assert not any("overspend" in t for t in texts)
    assert s.conn.execute("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH 'overspend'").fetchone()[0] == 0
    assert s.conn.execute("SELECT count(*) FROM chunks_fts").fetchone()[0] == s.counts()["chunks"]
    for table in ("attendees", "glossary", "items"):
        assert s.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 2
    s.close()


def test_deleting_a_document_cascades(filled):
    s = Store(filled)
    doc = s.conn.execute("SELECT id FROM documents WHERE path = 'a.txt'").fetchone()[0]
    with s.transaction() as conn:
        s.delete_document(conn, doc)
    assert s.counts()["documents"] == 1 and s.counts()["meetings"] == 1
    assert s.conn.execute("SELECT count(*) FROM chunks_fts").fetchone()[0] == s.counts()["chunks"]
    assert s.conn.execute("SELECT count(*) FROM attendees").fetchone()[0] == 1
    s.close()


def test_a_failed_read_keeps_the_good_earlier_version(filled):
    s = Store(filled)
    chunks = s.counts()["chunks"]
    with s.transaction() as conn:
        s.put_failure(conn, "a.txt", "/corpus", "newhash", 10, "a.txt is corrupt")
        s.put_failure(conn, "c.txt", "/corpus", None, None, "c.txt cannot be read: permission denied")
    assert s.counts()["chunks"] == chunks
    rows = {r["path"]: (r["status"], r["error"]) for r in s.documents()}
    assert rows["a.txt"] == ("ok", "a.txt is corrupt")
    assert rows["c.txt"][0] == "failed"
    s.close()


def test_a_write_that_fails_half_way_commits_nothing(filled):
    s = Store(filled)
    before = (s.counts(), s.generation())
    meeting = make_meeting("c.txt", "2024-05-01", "Nothing here will be kept.")
    chunks = chunk_meeting(meeting, EMBEDDER.count_tokens, EMBEDDER.max_tokens)
    with pytest.raises(RuntimeError):
        with s.transaction() as conn:
            s.put_document(conn, "c.txt", "/corpus", "h", 1, "txt", meeting, chunks,
                           EMBEDDER.encode([c.embed_text for c in chunks]))
            s.bump_generation(conn)
            raise RuntimeError("killed")
    assert (s.counts(), s.generation()) == before
    s.close()


# -- the FAISS cache ----------------------------------------------------------

def _faiss_generation(folder) -> int:
    data = (folder / FAISS_NAME).read_bytes()
    hlen = struct.unpack("<II", data[8:16])[0]
    return json.loads(data[16:16 + hlen])["generation"]


def _ask_finds_b(folder) -> None:
    searcher = Searcher(folder, embedder=EMBEDDER)
    result = searcher.ask("Was the 101 target of 80% met?")
    searcher.store.close()
    assert result.passages and result.passages[0].document == "b.txt"
    assert result.answer is not None and "101 target" in result.answer.text


def _valid_cache(folder) -> bytes:
    s = Store(folder)
    load_or_build(s)
    s.close()
    return (folder / FAISS_NAME).read_bytes()


def _corruptions(good: bytes) -> dict[str, bytes]:
    hlen = struct.unpack("<II", good[8:16])[0]
    body = 16 + hlen

    def header(obj) -> bytes:
        raw = json.dumps(obj).encode()
        return good[:8] + struct.pack("<II", len(raw), 0) + raw + good[body:]

    return {
        "empty": b"",
        "magic only": good[:8],
        "truncated": good[: len(good) // 2],
        "last byte gone": good[:-1],
        "not ours": b"\x00" * len(good),
        "garbage body": good[:body + 40] + b"\x07" * (len(good) - body - 40),
        "header not json": good[:16] + b"\xff" * hlen + good[body:],
        "size lies": header({"generation": 99, "size": 10 ** 6}),
        "negative size": header({"generation": 99, "size": -1}),
        "header a list": header([99, 2]),
    }


def test_a_missing_cache_is_rebuilt(filled):
    (filled / FAISS_NAME).unlink(missing_ok=True)
    _ask_finds_b(filled)
    s = Store(filled)
    assert _faiss_generation(filled) == s.generation()
    s.close()


def test_a_stale_cache_is_rebuilt(filled):
    _valid_cache(filled)
    s = Store(filled)
    put(s, make_meeting("c.txt", "2024-06-20", "The estates strategy was approved."))
    generation = s.generation()
    s.close()
    assert _faiss_generation(filled) < generation
    searcher = Searcher(filled, embedder=EMBEDDER)
    result = searcher.ask("Was the estates strategy approved?")
    searcher.store.close()
    assert result.passages[0].document == "c.txt"
    assert _faiss_generation(filled) == generation


@pytest.mark.parametrize("kind", ["empty", "magic only", "truncated", "last byte gone", "not ours", "garbage body",
                                  "header not json", "size lies", "negative size", "header a list"])
def test_a_corrupt_cache_is_rebuilt(filled, kind):
    good = _valid_cache(filled)
    (filled / FAISS_NAME).write_bytes(_corruptions(good)[kind])
    _ask_finds_b(filled)
    s = Store(filled)
    assert _faiss_generation(filled) == s.generation()
    s.close()


def test_a_cache_of_another_index_at_the_same_generation_is_rebuilt(filled, tmp_path):
    other = tmp_path / "other"
    s = Store(other, create=True)
    put(s, make_meeting("x.txt", "2021-01-01", "The horses of the mounted section were retired."))
    put(s, make_meeting("y.txt", "2021-02-01", "The dog section trained four new puppies."))
    s.close()
    foreign = _valid_cache(other)
    stores = Store(filled), Store(other)
    assert stores[0].generation() == stores[1].generation()
    for s in stores:
        s.close()
    (filled / FAISS_NAME).write_bytes(foreign)
    _ask_finds_b(filled)
    s = Store(filled)
    assert read_stamp(filled) == s.generation_stamp()
    s.close()


def test_a_searcher_follows_a_nightly_commit(filled):
    searcher = Searcher(filled, embedder=EMBEDDER)
    assert searcher.ask("estates strategy approved").passages[0].document != "c.txt"
    writer = Store(filled)
    put(writer, make_meeting("c.txt", "2024-06-20", "The estates strategy was approved."))
    writer.close()
    assert searcher.ask("estates strategy approved").passages[0].document == "c.txt"
    searcher.store.close()


def test_saving_the_cache_leaves_no_temporary_file(filled):
    _valid_cache(filled)
    s = Store(filled)
    ids, vecs = s.vectors()
    VectorIndex.build(ids, vecs, s.generation()).save(filled)
    s.close()
    assert sorted(p.name for p in filled.iterdir() if "faiss" in p.name) == [FAISS_NAME]
    loaded = VectorIndex.load(filled)
    assert loaded is not None and list(loaded.ids) == list(ids)


def test_hnsw_and_flat_give_the_same_top_hit(filled):
    s = Store(filled)
    ids, vecs = s.vectors()
    s.close()
    flat = VectorIndex.build(ids, vecs, 1)
    hnsw = VectorIndex.build(ids, vecs, 1, hnsw_threshold=1)
    q = vecs[-1]
    assert flat.search(q, 3)[0][0] == hnsw.search(q, 3)[0][0] == int(ids[-1])


@pytest.mark.parametrize("threshold", [1, 10**9])
def test_a_loaded_index_rescores_from_its_own_rows_without_a_copy(filled, tmp_path, threshold):
    s = Store(filled)
    ids, vecs = s.vectors()
    s.close()
    VectorIndex.build(ids, vecs, 7, hnsw_threshold=threshold).save(tmp_path)
    loaded = VectorIndex.load(tmp_path)
    rows = loaded.vectors()
    assert rows.shape == vecs.shape and np.allclose(rows, vecs)
    assert not rows.flags["OWNDATA"]            # a view of the FAISS index's storage, not a second copy
    q = vecs[0]
    some = [int(c) for c in ids[::2]]
    want = sorted(((int(c), float(v @ q)) for c, v in zip(ids, vecs) if int(c) in set(some)),
                  key=lambda cs: -cs[1])
    got = loaded.search_subset(q, some, len(some))
    assert [c for c, _ in got] == [c for c, _ in want]
    assert np.allclose([x for _, x in got], [x for _, x in want], atol=1e-5)


def test_a_subset_is_found_whatever_the_order_of_the_ids(filled):
    s = Store(filled)
    ids, vecs = s.vectors()
    s.close()
    order = np.random.default_rng(3).permutation(len(ids))
    ascending = VectorIndex.build(ids, vecs, 1)
    shuffled = VectorIndex.build(ids[order], vecs[order], 1)
    some = [int(c) for c in ids[1::3]] + [int(ids.max()) + 7, -1]       # two the index does not hold
    q = vecs[1]
    assert ascending.search_subset(q, some, 5) == shuffled.search_subset(q, some, 5)
    assert {c for c, _ in ascending.search_subset(q, some, len(some))} == set(some[:-2])
    assert ascending.search_subset(q, [], 5) == []


def test_a_meeting_s_rows_are_found_by_an_index_not_a_scan(folder):
    # Replacing or deleting a meeting's people and items must not read every meeting's: unindexed, writing a
    # large index grows as the square of its meetings.
    s = Store(folder, create=True)
    for table in ("attendees", "glossary", "items", "actions", "facts", "chunks"):
        plan = " ".join(str(r[-1]) for r in s.conn.execute(f"EXPLAIN QUERY PLAN DELETE FROM {table} WHERE meeting_id = 1"))
        assert "USING" in plan and "INDEX" in plan, (table, plan)
    s.close()
