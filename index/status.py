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
            "store": store_status(store, meta, counts["chunks"]),
        }
    finally:
        store.close()


def store_status(store: Store, meta: dict, ledger_chunks: int) -> dict:
    """Where chunks are searched, what it holds, and each way it disagrees with the ledger."""
    from index.backends import ledger, open_backend

    backend = open_backend()
    engine = backend.engine
    if engine is None:
        return {"backend": "sqlite", "setting": backend.setting, "uri": None, "chunks": ledger_chunks,
                "disagreements": []}
    problems = []
    try:
        held = engine.count()
    except Exception as exc:   # the report must say the engine is out of reach, whatever the client raised
        return {"backend": engine.name, "setting": backend.setting, "uri": engine.uri, "chunks": None,
                "disagreements": [f"the engine cannot be read: {type(exc).__name__}: {exc}"]}
    if held != ledger_chunks:
        problems.append(f"the engine holds {held} chunks, the ledger {ledger_chunks}")
    if meta.get(ledger.ENGINE_URI) not in (None, engine.address):
        problems.append(f"the ledger was last written to {meta[ledger.ENGINE_URI]}, not {engine.address}")
    elif meta.get(ledger.ENGINE_GENERATION) != meta.get("generation", "0") and ledger_chunks:
        problems.append(f"the engine was brought to generation {meta.get(ledger.ENGINE_GENERATION)}, the ledger "
                        f"is at {meta.get('generation', '0')}")
    if meta.get(ledger.ENGINE_DIRTY) == "1":
        problems.append("a run stopped while writing the engine: the next ingest reconciles it")
    if problems:
        problems.append("`minutes ingest` (or `minutes migrate-store --to " + backend.setting + "`) reconciles them")
    return {"backend": engine.name, "setting": backend.setting, "uri": engine.uri, "office": engine.office,
            "chunks": held,
            "ledger_chunks": ledger_chunks, "generation": meta.get(ledger.ENGINE_GENERATION),
            "disagreements": problems}


def encoder_status(meta: dict) -> dict | None:
    """How a search of this index would run the model: the encoder setting and the int8 export's state."""
    from index.embed import ModelNotFound, model_for_index, resolve_model
    from index.encoder import describe

    try:
        name, path = resolve_model(model_for_index(meta, os.environ.get(MODEL.envvar)))
        return describe(name, path)
    except (ModelNotFound, ImportError, OSError, ValueError):
        return None
