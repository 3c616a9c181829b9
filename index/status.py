"""What an index holds, for `minutes status` and the page's status strip."""
from __future__ import annotations

from pathlib import Path

from index.store import DB_NAME, Store


def is_empty(folder: Path) -> bool:
    if not (Path(folder) / DB_NAME).exists():
        return True
    store = Store(folder)
    try:
        return store.counts()["chunks"] == 0
    finally:
        store.close()


def index_status(folder: Path) -> dict:
    store = Store(Path(folder))
    try:
        meta = store.meta()
        counts = store.counts()
        failed = store.failed_documents()
        return {
            "index": str(folder),
            "documents": counts["documents"],
            "meetings": counts["meetings"],
            "chunks": counts["chunks"],
            "model": meta.get("model_name"),
            "model_path": meta.get("model_path"),
            "schema_version": int(meta.get("schema_version", 0)),
            "generation": int(meta.get("generation", 0)),
            "last_ingest": store.last_run(),
            "unfinished_ingest": store.unfinished_run(),
            "failed": failed,
        }
    finally:
        store.close()
