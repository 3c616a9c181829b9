"""Where chunks, their text and vectors are searched: one setting, `--store` / $MINUTES_STORE.

`sqlite` is the SQLite file with its FAISS and tantivy caches beside it (index/vectors.py, index/keywords.py);
the pipeline searches them as it always has, so this backend only names them. `milvus:PATH.db` (milvus-lite in
this process) and `milvus://HOST:PORT` (a server or cluster) hold the chunks in one Milvus collection and run
the hybrid query in the engine (index/backends/milvus.py). Either way the SQLite file stays the ledger the
nightly job keeps: documents, hashes, meetings and their structure, facts, runs, and each chunk's row.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import numpy as np

from index.backends.expr import Where
from index.config import STORE
from index.errors import StoreError


class BadStoreSetting(StoreError):
    "The --store setting names no backend this program knows"


class Engine(Protocol):
    """A search engine holding the chunks: what the pipeline asks of it and what the nightly job writes."""
    name: str
    uri: str
    office: str
    address: str            # uri, collection and office: what the ledger records it was last brought in step with

    def hybrid(self, qvec: np.ndarray | None, text: str, k: int, where: Where, rrf_k: int) -> list[tuple[int, float]]: ...
    def dense(self, qvec: np.ndarray, k: int, where: Where) -> list[tuple[int, float]]: ...
    def keyword(self, text: str, k: int, where: Where) -> list[tuple[int, float]]: ...
    def upsert(self, rows: list[dict]) -> None: ...
    def delete_ids(self, ids: list[int]) -> None: ...
    def delete_documents(self, paths: list[str]) -> None: ...
    def stamps(self) -> dict[int, int]: ...
    def count(self) -> int: ...
    def flush(self) -> None: ...


class Backend:
    """The chosen backend: ``engine`` is None for sqlite, whose caches the pipeline and the sync keep."""

    def __init__(self, setting: str, engine: Engine | None):
        self.setting = setting
        self.engine = engine

    @property
    def name(self) -> str:
        return "sqlite" if self.engine is None else self.engine.name


def store_setting(value: str | None = None) -> str:
    return (value or os.environ.get(STORE.envvar) or "sqlite").strip()


def open_backend(value: str | None = None) -> Backend:
    """The backend a setting names; the engine's client connects on first use."""
    setting = store_setting(value)
    if setting == "sqlite":
        return Backend(setting, None)
    if setting.startswith("milvus://"):
        from index.backends.milvus import MilvusEngine

        return Backend(setting, MilvusEngine("http://" + setting[len("milvus://"):]))
    if setting.startswith("milvus:"):
        path = setting[len("milvus:"):]
        if not path.endswith(".db"):
            raise BadStoreSetting(f"{setting!r}: a milvus-lite file ends in .db, e.g. milvus:/var/lib/minutes/m.db")
        from index.backends.milvus import MilvusEngine

        return Backend(setting, MilvusEngine(str(Path(path).expanduser().resolve())))
    raise BadStoreSetting(f"{setting!r} is not a store: use sqlite, milvus:PATH.db or milvus://HOST:PORT")
