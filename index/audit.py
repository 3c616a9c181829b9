"""The audit trail: who asked what, when, with which filters and clearance, and which documents the answer
and passages came from, in an SQLite file of its own beside the index (a rebuilt index keeps it).

No passage text is ever written here: a question and the names of documents, not what they say.
"""
from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

DEFAULT_RETENTION_DAYS = 365

_SCHEMA = """
CREATE TABLE IF NOT EXISTS asked (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,                  -- seconds since the epoch
    user TEXT,                         -- the signed-in reader's e-mail, or NULL where sign-in is off
    question TEXT NOT NULL,
    filters TEXT NOT NULL,             -- JSON: since, until, series, documents
    collections TEXT,                  -- JSON list the reader was cleared for; NULL: every collection
    answer_document TEXT,
    passage_documents TEXT NOT NULL    -- JSON list, in rank order
);
CREATE INDEX IF NOT EXISTS asked_at ON asked(at);
CREATE INDEX IF NOT EXISTS asked_user ON asked(user);
"""


def audit_path(index_folder: Path) -> Path:
    """Beside the index folder, not in it: deleting and rebuilding the index keeps the record."""
    folder = Path(index_folder).expanduser().resolve()
    return folder.with_name(folder.name + "-audit.sqlite")


@dataclass
class Asked:
    at: float
    user: str | None
    question: str
    filters: dict
    collections: list[str] | None
    answer_document: str | None
    passage_documents: list[str]


class AuditLog:
    def __init__(self, path: Path, retention_days: float = DEFAULT_RETENTION_DAYS):
        self.path = Path(path)
        self.retention_days = retention_days
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None, check_same_thread=False)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.executescript(_SCHEMA)

    def record(self, user: str | None, question: str, filters, result) -> None:
        """One question as asked on the page; records older than the retention go at the same time."""
        f = {"since": filters.since, "until": filters.until, "series": list(filters.series),
             "documents": list(filters.documents)}
        now = time.time()
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.execute(
                "INSERT INTO asked (at, user, question, filters, collections, answer_document, passage_documents) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (now, user, question, json.dumps(f), None if filters.collections is None
                 else json.dumps(sorted(filters.collections)), result.answer.document if result.answer else None,
                 json.dumps([p.document for p in result.passages])))
            self.conn.execute("DELETE FROM asked WHERE at < ?", (now - self.retention_days * 86400,))
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def read(self, since: float | None = None, user: str | None = None) -> list[Asked]:
        sql, args = "SELECT at, user, question, filters, collections, answer_document, passage_documents FROM asked", []
        where = []
        if since is not None:
            where.append("at >= ?")
            args.append(since)
        if user:
            where.append("lower(user) = lower(?)")
            args.append(user)
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self.conn.execute(sql + " ORDER BY at, id", args).fetchall()
        return [Asked(r[0], r[1], r[2], json.loads(r[3]), json.loads(r[4]) if r[4] else None, r[5], json.loads(r[6]))
                for r in rows]

    def close(self) -> None:
        self.conn.close()
