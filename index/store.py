"""The store: one SQLite file per index folder, the source of truth for everything searched."""
from __future__ import annotations

import json
import sqlite3
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from index.errors import (IndexNotFound, IndexUnreadable, ModelMismatch, SchemaTooNew,  # noqa: F401 (re-exported)
                          StoreError)
from ingest.model import Chunk, Meeting

DB_NAME = "minutes.sqlite"
DEFAULT_COLLECTION = "default"

# Append-only: never edit an applied migration, add a new one.
MIGRATIONS: list[tuple[str, str]] = [
    ("001_initial", """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,          -- relative to the folder it was ingested from
    root TEXT,                          -- that folder, absolute
    hash TEXT,                          -- sha256 of the file's bytes
    size INTEGER,
    kind TEXT,
    status TEXT NOT NULL,               -- 'ok' or 'failed'
    error TEXT,
    ingested_at REAL NOT NULL
);
CREATE INDEX documents_hash ON documents(hash);
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL UNIQUE REFERENCES documents(id) ON DELETE CASCADE,
    title TEXT, series TEXT, date TEXT, time TEXT, venue TEXT, chair TEXT, minute_taker TEXT,
    next_meeting_date TEXT, next_meeting_theme TEXT,
    text TEXT NOT NULL,
    page_starts TEXT NOT NULL           -- JSON list of offsets where each page begins
);
CREATE INDEX meetings_date ON meetings(date);
CREATE TABLE attendees (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    name TEXT NOT NULL, role TEXT, acronym TEXT
);
CREATE TABLE glossary (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    acronym TEXT NOT NULL, expansion TEXT NOT NULL
);
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    number TEXT, title TEXT NOT NULL, start INTEGER, "end" INTEGER, page INTEGER
);
CREATE TABLE actions (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    text TEXT NOT NULL, owner TEXT, due TEXT, item TEXT, page INTEGER
);
CREATE TABLE chunks (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    text TEXT NOT NULL, header TEXT NOT NULL, item TEXT, page INTEGER,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    embedding BLOB NOT NULL             -- float32, little-endian, unit length
);
CREATE INDEX chunks_meeting ON chunks(meeting_id);
CREATE VIRTUAL TABLE chunks_fts USING fts5(text, header, tokenize = 'porter unicode61 remove_diacritics 2');
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL, finished_at REAL,
    report TEXT                         -- JSON, as `minutes ingest --json` prints it
);
"""),
    ("002_sentence_vectors", """
CREATE TABLE sentences (
    chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL,   -- offsets inside the chunk's text
    embedding BLOB NOT NULL                           -- float16, little-endian, unit length
);
CREATE INDEX sentences_chunk ON sentences(chunk_id);
"""),
    ("003_facts", """
CREATE TABLE facts (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                 -- mover, seconder, result, apologies, next_meeting ... (ingest.model.FACT_KINDS)
    value TEXT NOT NULL,                -- the words it names: a person, a result, a time
    start INTEGER NOT NULL,             -- offsets in the meeting's clean text of the span stating it: the quote
    "end" INTEGER NOT NULL,
    motion INTEGER,                     -- facts of one motion share this number
    detail TEXT,                        -- a reason, an item, an ISO date or time
    item TEXT, page INTEGER
);
CREATE INDEX facts_meeting ON facts(meeting_id, kind);
-- Which reader of structure filled a meeting's people, items, actions and facts: the nightly run reads
-- the structure of meetings read by an older one again, without embedding anything.
ALTER TABLE meetings ADD COLUMN structure_version TEXT;
"""),
    ("004_collections", """
-- Every document belongs to one collection; who may read which is the access policy's to say.
ALTER TABLE documents ADD COLUMN collection TEXT NOT NULL DEFAULT 'default';
CREATE INDEX documents_collection ON documents(collection);
"""),
    ("005_meeting_indexes", """
-- A meeting's people, acronyms, items and actions are replaced (and cascade-deleted) by its id: without an
-- index each of those deletes scans the whole table, and writing an index of 50,000 meetings grows as its square.
CREATE INDEX IF NOT EXISTS attendees_meeting ON attendees(meeting_id);
CREATE INDEX IF NOT EXISTS glossary_meeting ON glossary(meeting_id);
CREATE INDEX IF NOT EXISTS items_meeting ON items(meeting_id);
CREATE INDEX IF NOT EXISTS actions_meeting ON actions(meeting_id);
"""),
]
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass
class StoredChunk:
    id: int
    text: str
    header: str
    item: str | None
    page: int | None
    start: int
    end: int
    document: str
    document_id: int
    meeting_id: int
    title: str | None
    series: str | None
    date: str | None
    collection: str = "default"


@dataclass
class StoredFact:
    id: int
    meeting_id: int
    kind: str
    value: str
    start: int
    end: int
    motion: int | None
    detail: str | None
    item: str | None
    page: int | None


@dataclass
class MeetingCard:
    id: int
    title: str | None
    series: str | None
    venue: str | None
    date: str | None


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


class Store:
    """Reads and writes one index folder's SQLite file."""

    def __init__(self, folder: Path, create: bool = False, collections: Iterable[str] | None = None):
        """``collections``: the only collections this store object may read (a reader's clearance);
        None reads them all (the server's own account, the nightly job)."""
        self.folder = Path(folder)
        self.collections = None if collections is None else frozenset(collections)
        self.path = self.folder / DB_NAME
        self.commits = 0                    # transactions committed through this object
        if not self.path.exists():
            if not create:
                raise IndexNotFound(f"no index in {self.folder}: run `minutes ingest` first")
            self.folder.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = connect(self.path)
        except sqlite3.DatabaseError as exc:
            raise _unreadable(self.path, exc) from None
        try:
            self.migrate()
            if self.collections is not None:
                self._clear_for(self.collections)
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise _unreadable(self.path, exc) from None
        except BaseException:
            self.conn.close()
            raise

    def _clear_for(self, collections: frozenset[str]) -> None:
        """Shadow every table that holds what documents say with a view of the cleared collections only.

        Temporary views come first in SQLite's name lookup, so every query on this connection (search,
        views, counts, source files, anything added later) reads through them: nothing of another
        collection can come back, whatever the query. Writes go through a store opened without them.
        """
        names = ",".join("'" + c.replace("'", "''") + "'" for c in sorted(collections)) or "NULL"
        views = {
            "documents": f"SELECT * FROM main.documents WHERE collection IN ({names})",
            "meetings": "SELECT * FROM main.meetings WHERE document_id IN (SELECT id FROM temp.documents)",
            "chunks": "SELECT * FROM main.chunks WHERE meeting_id IN (SELECT id FROM temp.meetings)",
            "sentences": "SELECT * FROM main.sentences WHERE chunk_id IN (SELECT id FROM temp.chunks)",
            # A run's report names every file it read: a reader learns when runs happened, no more.
            "runs": "SELECT id, started_at, finished_at, NULL AS report FROM main.runs",
        }
        for table in ("attendees", "glossary", "items", "actions", "facts"):
            views[table] = f"SELECT * FROM main.{table} WHERE meeting_id IN (SELECT id FROM temp.meetings)"
        for name, sql in views.items():
            self.conn.execute(f"CREATE TEMP VIEW {name} AS {sql}")

    def readable_chunk_ids(self) -> list[int] | None:
        """The chunks this store may read, or None when it reads them all: what the vector and keyword
        searches are limited to inside their queries."""
        if self.collections is None:
            return None
        return [r[0] for r in self.conn.execute("SELECT id FROM chunks")]

    def collection_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT collection FROM documents ORDER BY collection")]

    def set_collection(self, conn: sqlite3.Connection, doc_id: int, collection: str) -> None:
        conn.execute("UPDATE documents SET collection = ? WHERE id = ?", (collection, doc_id))

    def close(self) -> None:
        self.conn.close()

    # -- schema -------------------------------------------------------------
    def migrate(self) -> None:
        c = self.conn
        c.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)")
        applied = {r[0] for r in c.execute("SELECT name FROM _migrations")}
        known = {name for name, _ in MIGRATIONS}
        if applied - known:
            raise SchemaTooNew(
                f"{self.path} was written by a newer version (migrations {sorted(applied - known)}); upgrade minutes-qa"
            )
        for name, sql in MIGRATIONS:
            if name in applied:
                continue
            with self.transaction():
                for statement in _statements(sql):
                    c.execute(statement)
                c.execute("INSERT INTO _migrations VALUES (?, ?)", (name, time.time()))
                c.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:   # a full disk may have rolled it back already
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
            self.commits += 1

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every query inside sees one committed state."""
        self.conn.execute("BEGIN")
        try:
            yield self.conn
        finally:
            self.conn.execute("COMMIT")

    # -- meta ---------------------------------------------------------------
    def meta(self) -> dict[str, str]:
        return {r["key"]: r["value"] for r in self.conn.execute("SELECT key, value FROM meta")}

    def set_meta(self, conn: sqlite3.Connection, **values: object) -> None:
        for key, value in values.items():
            conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, str(value)))

    def generation(self) -> int:
        row = self.conn.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0]) if row else 0

    def generation_stamp(self) -> tuple[int, str]:
        """(generation, token): what the FAISS cache is stamped with and checked against."""
        rows = dict(self.conn.execute(
            "SELECT key, value FROM meta WHERE key IN ('generation', 'generation_token')").fetchall())
        return int(rows.get("generation", 0)), rows.get("generation_token", "")

    def bump_generation(self, conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO meta VALUES ('generation', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )
        # A power cut can roll back the last commits, so a number seen once may be reused for
        # other rows; a random token tells the two apart for the FAISS cache.
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('generation_token', ?)", (uuid.uuid4().hex,))

    def check_settings(self, model_name: str, model_path: str, dim: int, chunker: str) -> None:
        """Refuse to mix vectors of two models or chunkers in one index."""
        meta = self.meta()
        if "model_name" not in meta:
            return
        wanted = {"model_name": model_name, "dim": str(dim), "chunker": chunker}
        for key, value in wanted.items():
            if meta.get(key) != value:
                raise ModelMismatch(
                    f"the index in {self.folder} was built with {key}={meta.get(key)!r}, not {value!r}: "
                    f"use the same model (--model {meta.get('model_path', meta.get('model_name'))}) "
                    f"or ingest into a new --index folder"
                )

    def record_settings(self, conn: sqlite3.Connection, model_name: str, model_path: str, dim: int, chunker: str,
                        max_tokens: int) -> None:
        self.set_meta(conn, model_name=model_name, model_path=model_path, dim=dim, chunker=chunker,
                      max_tokens=max_tokens)

    # -- documents ----------------------------------------------------------
    def documents(self) -> list[sqlite3.Row]:
        return self.conn.execute("SELECT * FROM documents ORDER BY path").fetchall()

    def delete_document(self, conn: sqlite3.Connection, doc_id: int) -> None:
        conn.execute(
            "DELETE FROM chunks_fts WHERE rowid IN (SELECT c.id FROM chunks c JOIN meetings m ON m.id = c.meeting_id "
            "WHERE m.document_id = ?)", (doc_id,))
        conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    def put_document(self, conn: sqlite3.Connection, rel: str, root: str, digest: str, size: int, kind: str,
                     meeting: Meeting, chunks: list[Chunk], vectors: np.ndarray,
                     sentences: list[list[tuple[int, int, np.ndarray]]] | None = None,
                     structure_version: str | None = None, collection: str = DEFAULT_COLLECTION) -> int:
        """Replace whatever was stored under ``rel`` with this meeting, in the caller's transaction."""
        old = conn.execute("SELECT id FROM documents WHERE path = ?", (rel,)).fetchone()
        if old:
            self.delete_document(conn, old["id"])
        cur = conn.execute(
            "INSERT INTO documents (path, root, hash, size, kind, status, error, ingested_at, collection) "
            "VALUES (?, ?, ?, ?, ?, 'ok', NULL, ?, ?)", (rel, root, digest, size, kind, time.time(), collection))
        doc_id = cur.lastrowid
        mid = conn.execute("INSERT INTO meetings (document_id, text, page_starts) VALUES (?, ?, ?)",
                           (doc_id, meeting.text, json.dumps(meeting.page_starts))).lastrowid
        self.put_structure(conn, mid, meeting, structure_version)
        vecs = np.ascontiguousarray(vectors, dtype="<f4")
        for n, (chunk, vec) in enumerate(zip(chunks, vecs)):
            cid = conn.execute(
                'INSERT INTO chunks (meeting_id, ordinal, text, header, item, page, start, "end", embedding) '
                "VALUES (?,?,?,?,?,?,?,?,?)",
                (mid, chunk.ordinal, chunk.text, chunk.header, chunk.item, chunk.page, chunk.start, chunk.end,
                 vec.tobytes())).lastrowid
            conn.execute("INSERT INTO chunks_fts (rowid, text, header) VALUES (?, ?, ?)",
                         (cid, chunk.text, chunk.header))
            if sentences:
                conn.executemany('INSERT INTO sentences (chunk_id, start, "end", embedding) VALUES (?,?,?,?)',
                                 [(cid, a, b, np.asarray(v, dtype="<f2").tobytes()) for a, b, v in sentences[n]])
        return doc_id

    def put_structure(self, conn: sqlite3.Connection, meeting_id: int, meeting: Meeting,
                      structure_version: str | None) -> None:
        """Replace what was read of a meeting's structure (title, date, people, items, actions, facts);
        its text, chunks and vectors stay as they are."""
        m, mid = meeting, meeting_id
        conn.execute(
            "UPDATE meetings SET title = ?, series = ?, date = ?, time = ?, venue = ?, chair = ?, minute_taker = ?, "
            "next_meeting_date = ?, next_meeting_theme = ?, structure_version = ? WHERE id = ?",
            (m.title, m.series, m.date, m.time, m.venue, m.chair, m.minute_taker, m.next_meeting_date,
             m.next_meeting_theme, structure_version, mid))
        for table in ("attendees", "glossary", "items", "actions", "facts"):
            conn.execute(f"DELETE FROM {table} WHERE meeting_id = ?", (mid,))
        conn.executemany("INSERT INTO attendees (meeting_id, name, role, acronym) VALUES (?,?,?,?)",
                         [(mid, a.name, a.role, a.acronym) for a in m.attendees])
        conn.executemany("INSERT INTO glossary (meeting_id, acronym, expansion) VALUES (?,?,?)",
                         [(mid, k, v) for k, v in m.glossary.items()])
        conn.executemany('INSERT INTO items (meeting_id, number, title, start, "end", page) VALUES (?,?,?,?,?,?)',
                         [(mid, i.number, i.title, i.start, i.end, i.page) for i in m.items])
        conn.executemany("INSERT INTO actions (meeting_id, text, owner, due, item, page) VALUES (?,?,?,?,?,?)",
                         [(mid, a.text, a.owner, a.due, a.item, a.page) for a in m.actions])
        conn.executemany(
            'INSERT INTO facts (meeting_id, kind, value, start, "end", motion, detail, item, page) '
            "VALUES (?,?,?,?,?,?,?,?,?)",
            [(mid, f.kind, f.value, f.start, f.end, f.motion, f.detail, f.item, f.page) for f in m.facts])

    def stale_structure(self, version: str) -> list[sqlite3.Row]:
        """Documents whose meeting was read by another reader of structure than ``version``."""
        return self.conn.execute(
            "SELECT d.id AS document_id, d.path, d.root, d.hash, m.id AS meeting_id, m.text, m.page_starts "
            "FROM documents d "
            "JOIN meetings m ON m.document_id = d.id WHERE d.status = 'ok' "
            "AND (m.structure_version IS NULL OR m.structure_version != ?) ORDER BY d.path", (version,)).fetchall()

    def facts(self, meeting_ids: list[int], kinds: list[str] | None = None) -> list[StoredFact]:
        """The facts of some meetings (of some kinds), in the order the minutes state them."""
        if not meeting_ids:
            return []
        sql = (f'SELECT f.id, f.meeting_id, f.kind, f.value, f.start, f."end", f.motion, f.detail, f.item, f.page '
               f'FROM facts f WHERE f.meeting_id IN ({",".join("?" * len(meeting_ids))})')
        args: list = list(meeting_ids)
        if kinds:
            sql += f' AND f.kind IN ({",".join("?" * len(kinds))})'
            args.extend(kinds)
        return [StoredFact(*tuple(r)) for r in self.conn.execute(sql + " ORDER BY f.meeting_id, f.start, f.id", args)]

    def meetings_announcing(self, first: str, last: str) -> list[int]:
        """Meetings whose next-meeting item names a day from ``first`` to ``last`` (ISO dates)."""
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT meeting_id FROM facts WHERE kind = 'next_meeting' AND substr(detail, 1, 10) BETWEEN ? AND ?",
            (first, last))]

    def item_starts(self, meeting_ids: list[int]) -> dict[tuple[int, str], int]:
        """(meeting id, item number) -> where the item begins in its meeting's text."""
        if not meeting_ids:
            return {}
        rows = self.conn.execute(f"SELECT meeting_id, number, start FROM items WHERE meeting_id IN "
                                 f"({','.join('?' * len(meeting_ids))})", list(meeting_ids))
        return {(m, n): a for m, n, a in rows}

    def meetings_with_facts(self, kinds: list[str]) -> list[int]:
        return [r[0] for r in self.conn.execute(
            f"SELECT DISTINCT meeting_id FROM facts WHERE kind IN ({','.join('?' * len(kinds))})", kinds)]

    def meeting_text(self, meeting_id: int) -> str:
        row = self.conn.execute("SELECT text FROM meetings WHERE id = ?", (meeting_id,)).fetchone()
        return row[0] if row else ""

    def sentence_vectors(self, chunk_ids: list[int]) -> dict[int, list[tuple[int, int, np.ndarray]]]:
        """Each chunk's sentences: offsets in its text and their unit vectors."""
        out: dict[int, list[tuple[int, int, np.ndarray]]] = {}
        for n in range(0, len(chunk_ids), 500):
            part = chunk_ids[n:n + 500]
            rows = self.conn.execute(
                f'SELECT chunk_id, start, "end", embedding FROM sentences WHERE chunk_id IN '
                f'({",".join("?" * len(part))})', part).fetchall()
            for cid, a, b, blob in rows:
                out.setdefault(cid, []).append((a, b, np.frombuffer(blob, dtype="<f2").astype(np.float32)))
        return out

    def sentence_counts(self) -> tuple[int, int]:
        """(chunks with sentences, sentences) of the whole index, whatever this store's clearance: what
        the sentence cache holds."""
        row = self.conn.execute("SELECT COUNT(DISTINCT chunk_id), COUNT(*) FROM main.sentences").fetchone()
        return int(row[0]), int(row[1])

    def sentence_rows(self) -> sqlite3.Cursor:
        """(chunk id, start, end, float16 vector) of every sentence, by chunk: a cursor for the sentence
        cache, read inside one snapshot."""
        return self.conn.execute('SELECT chunk_id, start, "end", embedding FROM main.sentences '
                                 'INDEXED BY sentences_chunk ORDER BY chunk_id')

    def put_failure(self, conn: sqlite3.Connection, rel: str, root: str, digest: str | None, size: int | None,
                    error: str, collection: str = DEFAULT_COLLECTION) -> None:
        """Record a file that could not be read; a good earlier version of it stays searchable."""
        old = conn.execute("SELECT id, status FROM documents WHERE path = ?", (rel,)).fetchone()
        if old and old["status"] == "ok":
            conn.execute("UPDATE documents SET error = ? WHERE id = ?", (error, old["id"]))
            return
        if old:
            self.delete_document(conn, old["id"])
        conn.execute(
            "INSERT INTO documents (path, root, hash, size, kind, status, error, ingested_at, collection) "
            "VALUES (?, ?, ?, ?, NULL, 'failed', ?, ?, ?)", (rel, root, digest, size, error, time.time(), collection))

    def rename_document(self, conn: sqlite3.Connection, doc_id: int, rel: str, root: str) -> None:
        conn.execute("DELETE FROM documents WHERE path = ? AND id != ?", (rel, doc_id))
        conn.execute("UPDATE documents SET path = ?, root = ?, error = NULL WHERE id = ?", (rel, root, doc_id))

    # -- reading ------------------------------------------------------------
    def vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """All chunk ids and their embeddings, in id order."""
        rows = self.conn.execute("SELECT id, embedding FROM chunks ORDER BY id").fetchall()
        if not rows:
            dim = int(self.meta().get("dim", 0) or 0)
            return np.zeros(0, dtype=np.int64), np.zeros((0, dim), dtype=np.float32)
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        blob = b"".join(r[1] for r in rows)
        return ids, np.frombuffer(blob, dtype="<f4").reshape(len(rows), -1).astype(np.float32)

    def engine_rows(self, ids: list[int] | None = None, vectors: bool = False) -> Iterator[sqlite3.Row]:
        """Each chunk as a search engine holds it (text, header, where it is from, what filters read), with its
        embedding when ``vectors``; every chunk when ``ids`` is None. A cursor: read it inside one snapshot."""
        sql = ('SELECT c.id, c.text, c.header, c.item, c.page, c.start, c."end", c.meeting_id, d.path AS document, '
               "d.collection, m.series, m.date" + (", c.embedding" if vectors else "") +
               " FROM chunks c JOIN meetings m ON m.id = c.meeting_id JOIN documents d ON d.id = m.document_id")
        if ids is None:
            yield from self.conn.execute(sql + " ORDER BY c.id")
            return
        for n in range(0, len(ids), 500):
            part = ids[n:n + 500]
            yield from self.conn.execute(sql + f" WHERE c.id IN ({','.join('?' * len(part))})", part)

    def chunk_ids_of_document(self, conn: sqlite3.Connection, doc_id: int) -> list[int]:
        return [r[0] for r in conn.execute(
            "SELECT c.id FROM chunks c JOIN meetings m ON m.id = c.meeting_id WHERE m.document_id = ?", (doc_id,))]

    def keyword_rows(self) -> Iterator[tuple[int, str, str, str]]:
        """(chunk id, text, header, collection) of every chunk this store reads, as the full-text table
        holds them, for the keyword cache. A cursor: read it inside one snapshot."""
        return ((r[0], r[1], r[2], r[3]) for r in self.conn.execute(
            "SELECT f.rowid, f.text, f.header, d.collection FROM chunks_fts f JOIN chunks c ON c.id = f.rowid "
            "JOIN meetings m ON m.id = c.meeting_id JOIN documents d ON d.id = m.document_id ORDER BY f.rowid"))

    def chunks_by_id(self, ids: list[int]) -> dict[int, StoredChunk]:
        if not ids:
            return {}
        out: dict[int, StoredChunk] = {}
        for n in range(0, len(ids), 500):
            part = ids[n:n + 500]
            marks = ",".join("?" * len(part))
            rows = self.conn.execute(
                f'SELECT c.id, c.text, c.header, c.item, c.page, c.start, c."end", d.path AS document, '
                f"d.id AS document_id, m.id AS meeting_id, m.title, m.series, m.date, d.collection "
                f"FROM chunks c JOIN meetings m ON m.id = c.meeting_id "
                f"JOIN documents d ON d.id = m.document_id WHERE c.id IN ({marks})", part).fetchall()
            for r in rows:
                out[r["id"]] = StoredChunk(**dict(r))
        return out

    def meeting_ids_where(self, since: str | None = None, until: str | None = None, series: list[str] = (),
                          documents: list[str] = ()) -> list[int]:
        """Ids of the meetings in a date range, of some series, or of some documents."""
        where, args = _meeting_filter(since, until, series, documents)
        sql = "SELECT m.id FROM meetings m JOIN documents d ON d.id = m.document_id"
        return [r[0] for r in self.conn.execute(sql + (" WHERE " + " AND ".join(where) if where else ""), args)]

    def chunk_at(self, meeting_id: int, offset: int) -> StoredChunk | None:
        """The first chunk of a meeting holding the character at ``offset``."""
        row = self.conn.execute(
            'SELECT id FROM chunks WHERE meeting_id = ? AND start <= ? AND "end" > ? ORDER BY ordinal LIMIT 1',
            (meeting_id, offset, offset)).fetchone()
        return self.chunks_by_id([row[0]]).get(row[0]) if row else None

    def chunk_ids_where(self, since: str | None = None, until: str | None = None, series: list[str] = (),
                        documents: list[str] = ()) -> list[int]:
        """Ids of the chunks of meetings in a date range, of some series, or of some documents."""
        where, args = _meeting_filter(since, until, series, documents)
        sql = ("SELECT c.id FROM chunks c JOIN meetings m ON m.id = c.meeting_id JOIN documents d "
               "ON d.id = m.document_id" + (" WHERE " + " AND ".join(where) if where else ""))
        return [r[0] for r in self.conn.execute(sql, args)]

    def keyword_search(self, match: str, limit: int, allowed: list[int] | None = None, inline: bool = True,
                       weights: tuple[float, float] = (1.0, 0.4)) -> list[tuple[int, float]]:
        """(chunk id, BM25 score, higher is better) for an FTS5 MATCH expression built by ``fts_query``.

        ``allowed`` limits the chunks: inside the query when ``inline``, else by filtering a result
        twenty times deeper (a long id list costs FTS5 more than the filter saves).
        """
        if allowed is not None and not allowed:
            return []
        sql = f"SELECT rowid, bm25(chunks_fts, {float(weights[0])}, {float(weights[1])}) AS s FROM chunks_fts " \
              "WHERE chunks_fts MATCH ?"
        args: list = [match]
        if self.collections is not None:
            # The full-text table cannot be shadowed by a view: its matches are narrowed to the
            # readable chunks inside the query.
            sql += " AND rowid IN (SELECT id FROM chunks)"
        if allowed is not None and inline:
            sql += f" AND rowid IN ({','.join('?' * len(allowed))})"
            args.extend(allowed)
        sql += " ORDER BY s LIMIT ?"
        args.append(limit if allowed is None or inline else limit * 20)
        rows = self.conn.execute(sql, args).fetchall()
        if allowed is not None and not inline:
            keep = set(allowed)
            rows = [r for r in rows if r[0] in keep][:limit]
        return [(r[0], -r[1]) for r in rows]

    def glossary_pairs(self) -> list[tuple[str, str]]:
        """(acronym, what it stands for) from every meeting's glossary and attendance table."""
        return [(r[0], r[1]) for r in self.conn.execute(
            "SELECT acronym, expansion FROM glossary UNION SELECT acronym, role FROM attendees "
            "WHERE acronym IS NOT NULL AND role IS NOT NULL")]

    def page_starts(self, meeting_id: int) -> list[int]:
        row = self.conn.execute("SELECT page_starts FROM meetings WHERE id = ?", (meeting_id,)).fetchone()
        return json.loads(row[0]) if row and row[0] else []

    def meeting_cards(self) -> list[MeetingCard]:
        """What each meeting is called and when it was held: what a question can name it by."""
        return [MeetingCard(*tuple(r)) for r in self.conn.execute(
            "SELECT m.id, m.title, m.series, m.venue, m.date FROM meetings m ORDER BY m.id")]

    def meetings_of_chunks(self, chunk_ids: list[int]) -> dict[int, int]:
        """chunk id -> its meeting's id, for the chunks this store may read."""
        out: dict[int, int] = {}
        for i in range(0, len(chunk_ids), 900):
            part = chunk_ids[i:i + 900]
            out.update(self.conn.execute(f"SELECT id, meeting_id FROM chunks WHERE id IN ({','.join('?' * len(part))})",
                                         part).fetchall())
        return out

    def chunk_ids_of_meetings(self, meeting_ids: list[int]) -> list[int]:
        if not meeting_ids:
            return []
        return [r[0] for r in self.conn.execute(
            f"SELECT id FROM chunks WHERE meeting_id IN ({','.join('?' * len(meeting_ids))})", meeting_ids)]

    def counts(self) -> dict[str, int]:
        q = self.conn.execute
        return {
            "documents": q("SELECT count(*) FROM documents WHERE status = 'ok'").fetchone()[0],
            "failed": q("SELECT count(*) FROM documents WHERE status = 'failed' OR error IS NOT NULL").fetchone()[0],
            "meetings": q("SELECT count(*) FROM meetings").fetchone()[0],
            "chunks": q("SELECT count(*) FROM chunks").fetchone()[0],
        }

    def start_run(self) -> int:
        return self.conn.execute("INSERT INTO runs (started_at) VALUES (?)", (time.time(),)).lastrowid

    def finish_run(self, run_id: int, report: dict) -> None:
        self.conn.execute("UPDATE runs SET finished_at = ?, report = ? WHERE id = ?",
                          (time.time(), json.dumps(report), run_id))

    def unfinished_run(self) -> float | None:
        """When the latest ingest started, if it has not finished: running now, or killed before its end."""
        row = self.conn.execute("SELECT started_at, finished_at FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        return row["started_at"] if row and row["finished_at"] is None else None

    def failed_documents(self) -> list[dict]:
        """Every document the index holds an error for: {"document", "error"}."""
        return [{"document": r["path"], "error": r["error"]} for r in self.conn.execute(
            "SELECT path, error FROM documents WHERE error IS NOT NULL ORDER BY path")]

    def documents_under(self, root: str) -> int:
        """How many searchable documents were ingested from the folder ``root``."""
        return self.conn.execute("SELECT count(*) FROM documents WHERE root = ? AND status = 'ok'",
                                 (root,)).fetchone()[0]

    def mark_found(self, conn: sqlite3.Connection, doc_id: int, root: str) -> None:
        """An unchanged document found again: its old error cleared, its folder as found."""
        conn.execute("UPDATE documents SET error = NULL, root = ? WHERE id = ?", (root, doc_id))

    def last_run(self) -> dict | None:
        row = self.conn.execute(
            "SELECT started_at, finished_at, report FROM runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if not row:
            return None
        report = json.loads(row["report"]) if row["report"] else {}
        return {"started_at": row["started_at"], "finished_at": row["finished_at"], **report}


def _meeting_filter(since: str | None, until: str | None, series, documents) -> tuple[list[str], list]:
    """WHERE terms over meetings ``m`` and documents ``d`` for the search filters, with their arguments."""
    where, args = [], []
    if since:
        where.append("m.date >= ?")
        args.append(since)
    if until:
        where.append("m.date <= ?")
        args.append(until)
    if series:
        where.append(f"m.series IN ({','.join('?' * len(series))})")
        args.extend(series)
    if documents:
        where.append(f"d.path IN ({','.join('?' * len(documents))})")
        args.extend(documents)
    return where, args


def _unreadable(path: Path, exc: sqlite3.DatabaseError) -> IndexUnreadable:
    if isinstance(exc, sqlite3.OperationalError):   # locked, read-only, out of disk: the file may be fine
        return IndexUnreadable(f"cannot open the index {path}: {exc}")
    return IndexUnreadable(f"{path} is not a readable index ({exc}): move it aside and run "
                           f"`minutes ingest` to build a new one")


def _statements(sql: str) -> list[str]:
    out, buf = [], ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
