"""The ledger (the SQLite file) and the search engine kept in step: rows built from the ledger, and a
reconcile that makes the engine hold exactly the ledger's chunks, with no embedding done again.

The ledger keeps every chunk's row (text, offsets, embedding) as well: the ranking, the answer span and the
facts read chunk texts and offsets from it by id, a document commits whole in one SQLite transaction, and the
engine can be rebuilt or moved (`minutes migrate-store`) from it. The engine is what is searched.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from index.backends.expr import date_key
from index.backends.milvus import NAME_BYTES, SHORT_BYTES, TEXT_BYTES, _cut

# Ledger meta keys: the generation the engine was last brought to (set after its flush), and a mark set
# before the engine is written and cleared after: a run killed in between leaves it, and the next reconciles.
# The engine's address too (server or file, collection, office): a ledger may have been copied into more than one.
ENGINE_GENERATION, ENGINE_DIRTY, ENGINE_URI = "engine_generation", "engine_dirty", "engine_uri"


def engine_text(header: str, text: str) -> str:
    # One field of header and text, as the keyword cache and FTS5 read a chunk's words.
    return _cut(f"{header}\n{text}", TEXT_BYTES)


def row(r, vector) -> dict:
    out = {
        "id": int(r["id"]), "text": engine_text(r["header"], r["text"]),
        "vector": np.asarray(vector, dtype=np.float32).tolist(),
        "document": _cut(r["document"], NAME_BYTES), "collection": _cut(r["collection"], SHORT_BYTES),
        "series": _cut(r["series"], SHORT_BYTES), "date": date_key(r["date"]), "meeting_id": int(r["meeting_id"]),
        "item": _cut(r["item"], SHORT_BYTES), "page": -1 if r["page"] is None else int(r["page"]),
        "start": int(r["start"]), "end": int(r["end"]),
    }
    out["stamp"] = stamp(out)
    return out


def stamp(fields: dict) -> int:
    """A checksum of everything but the vector: a chunk moved, renamed, re-dated or rewritten under a reused
    id differs from what the engine holds."""
    keys = ("text", "document", "collection", "series", "date", "meeting_id", "item", "page", "start", "end")
    return zlib.crc32("\x1f".join(str(fields[k]) for k in keys).encode("utf-8"))


def ledger_stamps(store) -> dict[int, int]:
    return {int(r["id"]): stamp(row(r, ())) for r in store.engine_rows()}


def rows_of(store, ids: list[int]) -> list[dict]:
    return [row(r, np.frombuffer(r["embedding"], dtype="<f4")) for r in store.engine_rows(ids, vectors=True)]


@dataclass
class Reconciled:
    upserted: int = 0
    deleted: int = 0


def reconcile(store, engine, batch: int = 2000) -> Reconciled:
    """Make the engine hold exactly the ledger's chunks: upsert by chunk id what is missing or differs, delete
    what the ledger no longer has, flush, then record the generation reached. Safe to run again at any time."""
    with store.snapshot():
        want = ledger_stamps(store)
        generation = store.generation()
        have = engine.stamps()
        todo = [cid for cid, st in want.items() if have.get(cid) != st]
        for n in range(0, len(todo), batch):
            engine.upsert(rows_of(store, todo[n:n + batch]))
    gone = [cid for cid in have if cid not in want]
    engine.delete_ids(gone)
    engine.flush()
    mark_current(store, engine, generation)
    return Reconciled(len(todo), len(gone))


def mark_dirty(store) -> None:
    with store.transaction() as conn:
        store.set_meta(conn, **{ENGINE_DIRTY: 1})


def mark_current(store, engine, generation: int) -> None:
    with store.transaction() as conn:
        store.set_meta(conn, **{ENGINE_GENERATION: generation, ENGINE_DIRTY: 0, ENGINE_URI: engine.address})


def needs_reconcile(store, engine) -> bool:
    meta = store.meta()
    return (meta.get(ENGINE_DIRTY) == "1" or meta.get(ENGINE_URI) != engine.address
            or meta.get(ENGINE_GENERATION) != str(store.generation()))
