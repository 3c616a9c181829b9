"""What an index holds, for `minutes status` and the page's status strip."""
from __future__ import annotations

import os
from pathlib import Path

from index.config import MODEL
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
            "encoder": encoder_status(meta),
        }
    finally:
        store.close()


def encoder_status(meta: dict) -> dict | None:
    """How a search of this index would run the model: the encoder setting and the int8 export's state."""
    from index.embed import ModelNotFound, model_for_index, resolve_model
    from index.encoder import describe

    try:
        name, path = resolve_model(model_for_index(meta, os.environ.get(MODEL.envvar)))
        return describe(name, path)
    except (ModelNotFound, ImportError, OSError, ValueError):
        return None
