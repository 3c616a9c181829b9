"""`minutes migrate-store`: an index's chunks and vectors copied into another store from the ledger, with
nothing embedded again."""
from __future__ import annotations

from pathlib import Path

from index import keywords
from index.backends import ledger, open_backend
from index.lock import IngestLock
from index.store import Store
from index.vectors import load_or_build


def migrate(folder: Path, target: str) -> dict:
    backend = open_backend(target)
    lock = IngestLock(Path(folder))     # the nightly run writes the same ledger and engine
    lock.acquire()
    try:
        store = Store(Path(folder))
        try:
            if backend.engine is None:
                vectors = load_or_build(store)
                keywords.load_or_build(store)
                return {"store": backend.setting, "written": vectors.size, "removed": 0, "chunks": vectors.size}
            done = ledger.reconcile(store, backend.engine)
            return {"store": backend.setting, "written": done.upserted, "removed": done.deleted,
                    "chunks": backend.engine.count()}
        finally:
            store.close()
    finally:
        lock.release()
