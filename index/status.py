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
        failed = [{"document": r["path"], "error": r["error"]} for r in store.conn.execute(
            "SELECT path, error FROM documents WHERE error IS NOT NULL ORDER BY path")]
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
            "unfinished_ingest": _unfinished(store),
            "failed": failed,
        }
    finally:
        store.close()


def _unfinished(store: Store) -> float | None:
    """When the latest ingest started, if it has not finished: running now, or killed before its end."""
    row = store.conn.execute("SELECT started_at, finished_at FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    return row["started_at"] if row and row["finished_at"] is None else None
