"""The nightly job: bring an index in line with folders of minutes, one document per transaction."""
from __future__ import annotations

import hashlib
import logging
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from filelock import FileLock, Timeout

from index.embed import Embedder, SentenceEmbedder
from index.errors import AlreadyRunning, NothingToIngest
from index.store import Store
from index.vectors import load_or_build
from ingest.chunk import CHUNKER_VERSION, chunk_meeting
from ingest.errors import IngestError
from ingest.loaders import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES
from ingest.model import Chunk, Meeting
from ingest.pipeline import read_meeting

log = logging.getLogger("minutes.ingest")
LOCK_NAME = "ingest.lock"
# Chunks are embedded in batches across documents: the model is several times faster on full batches.
EMBED_BATCH = 256


@dataclass
class Report:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: list[dict] = field(default_factory=list)
    chunks: int = 0
    seconds: float = 0.0
    skipped: int = 0                  # files of other kinds, hidden files and symlinks
    renamed: int = 0

    def contract(self) -> dict:
        """What `minutes ingest --json` prints, exactly the documented keys."""
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "removed": self.removed, "failed": self.failed, "chunks": self.chunks,
                "seconds": round(self.seconds, 3)}

    def full(self) -> dict:
        return {**self.contract(), "skipped": self.skipped, "renamed": self.renamed}

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.renamed)


@dataclass
class _Pending:
    rel: str
    root: str
    digest: str
    size: int
    kind: str
    meeting: Meeting
    chunks: list[Chunk]
    update: bool


def file_digest(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
            size += len(block)
    return h.hexdigest(), size


def walk(root: Path) -> tuple[list[Path], int]:
    """Supported files under ``root`` (never through symlinks) and how many others were passed over."""
    found, skipped = [], 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith((".", "~$")) or path.is_symlink() or path.suffix.lower() not in SUPPORTED_SUFFIXES:
                skipped += 1
                continue
            found.append(path)
    return found, skipped


class Ingester:
    def __init__(self, folder: Path, embedder: Embedder | None = None, model: str | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES, progress: bool | None = None):
        self.folder = Path(folder)
        self.embedder = embedder or SentenceEmbedder(model)
        self.max_bytes = max_bytes
        self.progress = sys.stderr.isatty() if progress is None else progress

    def run(self, paths: list[Path]) -> Report:
        self.folder.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.folder / LOCK_NAME))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            raise AlreadyRunning(f"another `minutes ingest` is running on {self.folder}; try again when it ends")
        try:
            return self._run(paths)
        finally:
            lock.release()

    def _run(self, paths: list[Path]) -> Report:
        t0 = time.monotonic()
        report = Report()
        store = Store(self.folder, create=True)
        try:
            e = self.embedder
            store.check_settings(e.name, str(e.path), e.dim, CHUNKER_VERSION)
            run_id = store.conn.execute("INSERT INTO runs (started_at) VALUES (?)", (time.time(),)).lastrowid
            targets = self._targets(paths, report)
            self._sync(store, targets, report)
            report.seconds = time.monotonic() - t0
            import json

            store.conn.execute("UPDATE runs SET finished_at = ?, report = ? WHERE id = ?",
                               (time.time(), json.dumps(report.full()), run_id))
            if report.changed or not (self.folder / "vectors.faiss").exists():
                load_or_build(store)
        finally:
            store.close()
        return report

    def _targets(self, paths: list[Path], report: Report) -> list[tuple[Path, Path, list[Path]]]:
        """(root, the folder whose deletions count, files) for each PATH given."""
        targets = []
        for p in paths:
            p = Path(p)
            if p.is_dir():
                try:
                    files, skipped = walk(p)
                except OSError as exc:
                    raise NothingToIngest(f"cannot read folder {p}: {exc.strerror}")
                report.skipped += skipped
                targets.append((p.resolve(), p.resolve(), files))
            elif p.is_file():
                targets.append((p.resolve().parent, None, [p]))
            else:
                raise NothingToIngest(f"{p} does not exist")
        return targets

    def _sync(self, store: Store, targets, report: Report) -> None:
        known = {r["path"]: r for r in store.documents()}
        by_hash: dict[str, list] = {}
        for r in known.values():
            if r["status"] == "ok" and r["hash"]:
                by_hash.setdefault(r["hash"], []).append(r)
        seen: set[str] = set()
        todo: list[tuple[Path, str, str, str, int, bool]] = []
        for root, scope, files in targets:
            for path in files:
                rel = path.resolve().relative_to(root).as_posix() if scope else path.name
                seen.add(rel)
                try:
                    digest, size = file_digest(path)
                except OSError as exc:
                    self._fail(store, report, rel, str(root), None, None, _os_reason(path, exc))
                    continue
                row = known.get(rel)
                if row is not None and row["hash"] == digest and row["status"] == "ok":
                    report.unchanged += 1
                    if row["error"]:
                        with store.transaction() as conn:
                            conn.execute("UPDATE documents SET error = NULL WHERE id = ?", (row["id"],))
                    continue
                moved = next((r for r in by_hash.get(digest, []) if r["path"] != rel and
                              not (Path(r["root"] or root) / r["path"]).exists()), None)
                if moved is not None and row is None:
                    with store.transaction() as conn:
                        store.rename_document(conn, moved["id"], rel, str(root))
                        store.bump_generation(conn)
                    by_hash[digest].remove(moved)
                    seen.add(moved["path"])
                    report.renamed += 1
                    report.updated += 1
                    log.info("renamed %s -> %s", moved["path"], rel)
                    continue
                todo.append((path, rel, str(root), digest, size, row is not None and row["status"] == "ok"))
        self._remove_missing(store, targets, known, seen, report)
        self._ingest(store, todo, report)

    def _remove_missing(self, store: Store, targets, known, seen: set[str], report: Report) -> None:
        scopes = {str(scope) for _, scope, _ in targets if scope}
        for rel, row in known.items():
            if rel in seen or row["root"] not in scopes:
                continue
            with store.transaction() as conn:
                store.delete_document(conn, row["id"])
                store.bump_generation(conn)
            if row["status"] == "ok":
                report.removed += 1
            log.info("removed %s", rel)

    def _ingest(self, store: Store, todo, report: Report) -> None:
        pending: list[_Pending] = []
        bar = _progress(len(todo), "files", self.progress)
        count = self.embedder.count_tokens
        for path, rel, root, digest, size, update in todo:
            bar.update(1)
            try:
                meeting = read_meeting(path, source=rel, max_bytes=self.max_bytes)
                chunks = chunk_meeting(meeting, count, self.embedder.max_tokens)
                if not chunks:
                    raise IngestError(f"{path.name} holds no minutes text")
                if file_digest(path)[0] != digest:
                    raise IngestError(f"{path.name} changed while it was being read; it will be read next run")
            except IngestError as exc:
                self._fail(store, report, rel, root, digest, size, str(exc))
                continue
            except OSError as exc:
                self._fail(store, report, rel, root, digest, size, _os_reason(path, exc))
                continue
            except Exception as exc:  # a parser bug must not stop the night's run
                log.exception("unexpected error reading %s", rel)
                self._fail(store, report, rel, root, digest, size, f"{path.name} could not be read: {exc!r}")
                continue
            pending.append(_Pending(rel, root, digest, size, path.suffix.lower().lstrip("."), meeting, chunks,
                                    update))
            if sum(len(p.chunks) for p in pending) >= EMBED_BATCH:
                self._flush(store, pending, report)
                pending = []
        bar.close()
        self._flush(store, pending, report)

    def _flush(self, store: Store, pending: list[_Pending], report: Report) -> None:
        if not pending:
            return
        texts = [c.embed_text for p in pending for c in p.chunks]
        vectors = self.embedder.encode(texts)
        e = self.embedder
        offset = 0
        for p in pending:
            vecs = vectors[offset:offset + len(p.chunks)]
            offset += len(p.chunks)
            with store.transaction() as conn:
                if "model_name" not in store.meta():
                    store.record_settings(conn, e.name, str(e.path), e.dim, CHUNKER_VERSION, e.max_tokens)
                store.put_document(conn, p.rel, p.root, p.digest, p.size, p.kind, p.meeting, p.chunks,
                                   np.asarray(vecs))
                store.bump_generation(conn)
            report.chunks += len(p.chunks)
            if p.update:
                report.updated += 1
            else:
                report.added += 1
            log.info("%s %s: %d chunks", "updated" if p.update else "added", p.rel, len(p.chunks))

    def _fail(self, store: Store, report: Report, rel: str, root: str, digest, size, reason: str) -> None:
        log.warning("failed %s: %s", rel, reason)
        report.failed.append({"document": rel, "error": reason})
        with store.transaction() as conn:
            store.put_failure(conn, rel, root, digest, size, reason)


def _os_reason(path: Path, exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return f"{path.name} cannot be read: permission denied"
    if isinstance(exc, FileNotFoundError):
        return f"{path.name} disappeared while the run was reading it"
    return f"{path.name} cannot be read: {exc.strerror or exc}"


def _progress(total: int, unit: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, disable=not enabled or total == 0, file=sys.stderr)
