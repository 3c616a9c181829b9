"""The nightly job: bring an index in line with folders of minutes, one document per transaction.

Walking the folders is walk.py, the one-run-at-a-time lock lock.py, reading a file within its limits reader.py."""
from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.embed import Embedder, SentenceEmbedder
from index import keywords, sentence_cache
from index.backends import ledger, open_backend
from index.errors import NothingToIngest, RunStopped, StoreError
from index.lock import LOCK_NAME, STUCK_AFTER_S, IngestLock  # noqa: F401 (re-exported)
from index.pause import pause_point
from index.reader import DEFAULT_READ_MEMORY_MB, DEFAULT_READ_TIMEOUT, FileReader
from index.store import DEFAULT_COLLECTION, Store
from index.walk import Found, Target, file_digest, walk  # noqa: F401 (re-exported)
from index.vectors import is_current, load_or_build, remove_stale_temporaries
from ingest.chunk import CHUNKER_VERSION, chunk_meeting
from ingest.errors import IngestError
from ingest.loaders import DEFAULT_MAX_BYTES
from ingest.model import STRUCTURE_VERSION, Chunk, Meeting
from ingest.sentences import sentence_spans

log = logging.getLogger("minutes.ingest")
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
    skipped: int = 0                  # files of other kinds, hidden files, symlinks, pipes
    renamed: int = 0                  # also counted in updated: moved without being embedded again
    moved: int = 0                    # unchanged documents moved to another collection, nothing read again
    restructured: int = 0             # meetings whose structure was read again by a newer reader, nothing embedded

    def contract(self) -> dict:
        """What `minutes ingest --json` prints, exactly the documented keys."""
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "removed": self.removed, "failed": self.failed, "chunks": self.chunks,
                "seconds": round(self.seconds, 3)}

    def full(self) -> dict:
        """What the index keeps in its runs table, for `minutes status` and the page."""
        return {**self.contract(), "skipped": self.skipped, "renamed": self.renamed,
                "restructured": self.restructured, "moved": self.moved}


@dataclass
class _Pending:
    found: Found
    root: str
    digest: str
    meeting: Meeting
    chunks: list[Chunk]
    update: bool


class Ingester:
    def __init__(self, folder: Path, embedder: Embedder | None = None, model: str | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES, progress: bool | None = None,
                 read_timeout: float = DEFAULT_READ_TIMEOUT, read_memory_mb: int = DEFAULT_READ_MEMORY_MB,
                 collection: str = DEFAULT_COLLECTION, store: str | None = None):
        self.folder = Path(folder)
        # Where chunks are searched (--store); the SQLite file stays the ledger either way.
        self.backend = open_backend(store)
        self._engine_dirty = False
        self.embedder = embedder or SentenceEmbedder(model)
        self.max_bytes = max_bytes
        self.progress = sys.stderr.isatty() if progress is None else progress
        self.reader = FileReader(read_timeout, read_memory_mb)
        self.collection = check_collection(collection)

    def run(self, paths: list[Path]) -> Report:
        """Ingest ``paths`` (folders or files). Raises AlreadyRunning, NothingToIngest or StoreError."""
        started = time.monotonic()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the index folder {self.folder}: {exc.strerror or exc}") from None
        lock = IngestLock(self.folder)
        lock.acquire()
        try:
            return self._run([Path(p) for p in paths], started)
        finally:
            self.reader.stop()
            if self.backend.engine is not None:
                # A milvus-lite file stays locked to this process until its server stops: `minutes serve`
                # ingests, then hands the file to the page's own process.
                self.backend.engine.close()
            lock.release()

    def _run(self, paths: list[Path], started: float) -> Report:
        report = Report()
        targets = self._targets(paths, report)    # before the store is touched: a bad PATH changes nothing
        remove_stale_temporaries(self.folder)
        sentence_cache.remove_stale_temporaries(self.folder)
        store = Store(self.folder, create=True)
        try:
            return self._run_on(store, targets, report, started)
        except (sqlite3.Error, OSError) as exc:
            # A full disk or a failing write: every document committed before it is whole and searchable.
            reason = getattr(exc, "strerror", None) or exc
            done = report.added + report.updated + report.removed + report.restructured + len(report.failed)
            if done:
                raise RunStopped(f"the run stopped part-way: the index in {self.folder} could not be written "
                                 f"({reason}); the {report.added + report.updated} documents added or updated "
                                 "before it stay searchable, the next run finishes the work") from exc
            raise StoreError(f"the index in {self.folder} could not be written ({reason}); nothing was "
                             "changed") from exc
        finally:
            store.close()

    def _run_on(self, store: Store, targets: list[Target], report: Report, started: float) -> Report:
        # A commit must reach the disk before the FAISS cache that counts it does.
        store.conn.execute("PRAGMA synchronous=FULL")
        e = self.embedder
        store.check_settings(e.name, str(e.path), e.dim, CHUNKER_VERSION)
        self._refuse_emptied_folders(store, targets)
        run_id = store.start_run()
        engine = self.backend.engine
        # A run killed while writing the engine, or a ledger changed under another store setting.
        behind = engine is not None and ledger.needs_reconcile(store, engine)
        self._sync(store, targets, report)
        if engine is not None:
            self._engine_catch_up(store, report, behind)
        else:
            if not is_current(store):
                vectors = load_or_build(store)
                log.info("vector cache rebuilt: %d chunks, generation %d", vectors.size, vectors.generation)
            self._keyword_cache(store)
        self._sentence_cache(store)
        report.seconds = time.monotonic() - started
        store.finish_run(run_id, report.full())
        return report

    def _engine_catch_up(self, store: Store, report: Report, behind: bool) -> None:
        """Documents added, updated and removed were written to the engine as they committed; moves, renames and
        new readings of structure change what its rows say, and a killed run left it unknown: those are
        reconciled with the ledger. Only after the engine's flush does the ledger record the generation."""
        engine = self.backend.engine
        # A count is one cheap query: a collection that lost rows, or was dropped, is caught on a quiet night too.
        lost = engine.count() != store.counts()["chunks"]
        if not (behind or lost or self._engine_dirty or report.moved or report.renamed or report.restructured):
            return
        if behind or lost or report.moved or report.renamed or report.restructured:
            self._mark_engine_dirty(store)
            done = ledger.reconcile(store, engine)
            log.info("%s reconciled with the ledger: %d chunks written, %d removed", engine.address, done.upserted,
                     done.deleted)
        else:
            engine.flush()
            ledger.mark_current(store, engine, store.generation())
        self._engine_dirty = False

    def _mark_engine_dirty(self, store: Store) -> None:
        if not self._engine_dirty:
            ledger.mark_dirty(store)
            self._engine_dirty = True

    @staticmethod
    def _keyword_cache(store: Store) -> None:
        """Build the keyword cache of the state just committed, so the page never builds it, and drop older
        ones. A cache that cannot be written costs the page speed, not answers: the run goes on."""
        try:
            current = keywords.load_or_build(store)
            keywords.remove_others(store.folder, current.stamp)
        except (OSError, ValueError, RuntimeError) as exc:
            log.warning("keyword cache not written (%s): the page builds it or searches FTS5", exc)

    @staticmethod
    def _sentence_cache(store: Store) -> None:
        try:
            sentence_cache.load_or_build(store)
        except (OSError, ValueError) as exc:
            log.warning("sentence cache not written (%s): the page reads sentence vectors from the store", exc)

    def _targets(self, paths: list[Path], report: Report) -> list[Target]:
        targets = []
        for p in paths:
            if p.is_dir():
                try:
                    target = walk(p.resolve())
                except OSError as exc:
                    raise NothingToIngest(f"cannot read the folder {p}: {exc.strerror or exc}") from None
                report.skipped += target.skipped
                targets.append(target)
            elif p.is_file():
                path = p.resolve()
                targets.append(Target(path.parent, False, [Found(path, path.name, path.stat().st_size)]))
            else:
                raise NothingToIngest(f"{p} does not exist: nothing was ingested")
        return targets

    def _refuse_emptied_folders(self, store: Store, targets: list[Target]) -> None:
        """A folder that held minutes and now holds none is more often an unmounted share than a purge."""
        for t in targets:
            if not t.scoped or t.files or t.unreadable:
                continue
            n = store.documents_under(str(t.root))
            if n:
                raise NothingToIngest(
                    f"{t.root} holds no minutes files, but the index holds {n} documents from it: nothing was "
                    "removed. If the folder is a network share, check that it is mounted; if it was emptied on "
                    "purpose, ingest into a new --index folder")

    def _sync(self, store: Store, targets: list[Target], report: Report) -> None:
        known = {r["path"]: r for r in store.documents()}
        by_hash: dict[str, list] = {}
        for r in known.values():
            if r["status"] == "ok" and r["hash"]:
                by_hash.setdefault(r["hash"], []).append(r)
        seen: dict[str, str] = {}           # rel -> the root it was found under
        todo: list[tuple[Found, str, str | None, bool]] = []
        for t in targets:
            root = str(t.root)
            for rel in t.unreadable:
                seen[rel + "/"] = root
                self._fail(store, report, rel + "/", root, None, None,
                           f"the folder {rel} cannot be read (permission denied?); the documents already "
                           "indexed from it were kept")
            for f in t.files:
                if f.rel in seen:
                    if seen[f.rel] != root:
                        report.failed.append({"document": f.rel, "error": (
                            f"{f.rel} is in both {seen[f.rel]} and {root}; only the first was read: "
                            "rename one of them")})
                    continue
                seen[f.rel] = root
                if f.size > self.max_bytes:
                    todo.append((f, root, None, _is_ok(known.get(f.rel))))   # the loader says why, without hashing
                    continue
                try:
                    digest = file_digest(f.path)
                except FileNotFoundError:
                    del seen[f.rel]
                    log.info("%s disappeared during the run; treated as deleted", f.rel)
                    continue
                except OSError as exc:
                    self._fail(store, report, f.rel, root, None, f.size, _os_reason(f.path, exc))
                    continue
                row = known.get(f.rel)
                if _is_ok(row) and row["hash"] == digest:
                    report.unchanged += 1
                    log.info("unchanged %s", f.rel)
                    if row["error"] or row["root"] != root or row["collection"] != self.collection:
                        # Fixed back, moved with its folder, or moved to another collection: no reading again.
                        with store.transaction() as conn:
                            store.mark_found(conn, row["id"], root)
                            if row["collection"] != self.collection:
                                store.set_collection(conn, row["id"], self.collection)
                                store.bump_generation(conn)
                                report.moved += 1
                    continue
                if not _is_ok(row) and self._moved(store, by_hash.get(digest, []), f, root, seen):
                    report.renamed += 1
                    report.updated += 1
                    continue
                todo.append((f, root, digest, _is_ok(row)))
        self._remove_missing(store, targets, known, seen, report)
        self._ingest(store, todo, known, report)
        self._restructure(store, report)

    def _restructure(self, store: Store, report: Report) -> None:
        """Meetings read by an older reader of structure get their people, items, actions and facts read
        again from their stored text: an index built before a new reader is brought up to date without
        embedding anything."""
        for row in store.stale_structure(STRUCTURE_VERSION):
            from ingest.pipeline import reread_structure   # only when there is something to read

            path = Path(row["root"] or "") / row["path"]
            try:
                meeting = reread_structure(path, row["path"], row["text"], json.loads(row["page_starts"]),
                                           self.max_bytes)
            except Exception:  # a reader bug must not stop the night's run; the old structure stays
                log.exception("could not read the structure of %s again", row["path"])
                continue
            with store.transaction() as conn:
                store.put_structure(conn, row["meeting_id"], meeting, STRUCTURE_VERSION)
                store.bump_generation(conn)
            report.restructured += 1
            log.info("structure read again: %s", row["path"])

    def _moved(self, store: Store, same: list, f: Found, root: str, seen: dict[str, str]) -> bool:
        """A known document whose file is gone and whose bytes are here under a new name: rename, no embedding."""
        for r in same:
            if r["path"] in seen or os.path.lexists(Path(r["root"] or root) / r["path"]):
                continue
            with store.transaction() as conn:
                store.rename_document(conn, r["id"], f.rel, root)
                store.set_collection(conn, r["id"], self.collection)
                store.bump_generation(conn)
            same.remove(r)
            seen[r["path"]] = r["root"] or root     # its old row is this one now: not to be removed
            log.info("renamed %s -> %s", r["path"], f.rel)
            return True
        return False

    def _remove_missing(self, store: Store, targets: list[Target], known: dict, seen: dict[str, str],
                        report: Report) -> None:
        scopes = {str(t.root): t.unreadable for t in targets if t.scoped}
        for rel, row in known.items():
            if rel in seen or row["root"] not in scopes:
                continue
            if any(rel.startswith(d + "/") for d in scopes[row["root"]]):
                continue
            self._remove(store, row, report)

    def _remove(self, store: Store, row, report: Report) -> None:
        engine = self.backend.engine
        if engine is not None:
            self._mark_engine_dirty(store)
        with store.transaction() as conn:
            store.delete_document(conn, row["id"])
            store.bump_generation(conn)
        if engine is not None:
            engine.delete_documents([row["path"]])
        if row["status"] == "ok":
            report.removed += 1
        log.info("removed %s", row["path"])

    def _ingest(self, store: Store, todo, known: dict, report: Report) -> None:
        if not todo:
            return
        files = _progress(len(todo), "files", self.progress, 0)
        chunks_bar = _progress(0, "chunks", self.progress, 1)
        pending: list[_Pending] = []
        count = self.embedder.count_tokens
        try:
            for f, root, digest, update in todo:
                files.update(1)
                try:
                    meeting = _read_meeting(f.path, f.rel, self.max_bytes, reader=self.reader)
                    chunks = chunk_meeting(meeting, count, self.embedder.max_tokens)
                    if not chunks:
                        raise IngestError(f"{f.path.name} holds no minutes text")
                    if digest is not None and file_digest(f.path) != digest:
                        raise IngestError(f"{f.path.name} changed while it was being read; it will be read again "
                                          "next run")
                except Exception as exc:
                    if not os.path.lexists(f.path):
                        log.info("%s disappeared during the run; treated as deleted", f.rel)
                        if f.rel in known:
                            self._remove(store, known[f.rel], report)
                        continue
                    self._fail(store, report, f.rel, root, digest, f.size, _reason(f.path, exc))
                    continue
                pending.append(_Pending(f, root, digest, meeting, chunks, update))
                chunks_bar.total += len(chunks)
                chunks_bar.refresh()
                if sum(len(p.chunks) for p in pending) >= EMBED_BATCH:
                    self._flush(store, pending, report, chunks_bar)
                    pending = []
            self._flush(store, pending, report, chunks_bar)
        finally:
            files.close()
            chunks_bar.close()

    def _flush(self, store: Store, pending: list[_Pending], report: Report, bar) -> None:
        if not pending:
            return
        _quiet_libraries()
        chunks = [c for p in pending for c in p.chunks]
        # Each sentence gets a vector of its own: the answer is a sentence, and a sentence's vector says
        # what it is about more sharply than its passage's does.
        # A sentence is embedded once however often it occurs: chunks overlap by a sentence, and minutes
        # repeat their standing lines ("Apologies: none", "The minutes were approved").
        spans = [sentence_spans(c.text) for c in chunks]
        distinct = list(dict.fromkeys(c.text[a:b] for c, ss in zip(chunks, spans) for a, b in ss))
        row_of = {text: len(chunks) + i for i, text in enumerate(distinct)}
        vectors = self.embedder.encode([c.embed_text for c in chunks] + distinct)
        pause_point("embedded", self.folder)
        e = self.embedder
        sentence_rows = [[(a, b, vectors[row_of[c.text[a:b]]]) for a, b in ss] for c, ss in zip(chunks, spans)]
        offset = 0
        engine = self.backend.engine
        if engine is not None:
            self._mark_engine_dirty(store)
        for p in pending:
            vecs = vectors[offset:offset + len(p.chunks)]
            sents = sentence_rows[offset:offset + len(p.chunks)]
            offset += len(p.chunks)
            with store.transaction() as conn:
                if "model_name" not in store.meta():
                    store.record_settings(conn, e.name, str(e.path), e.dim, CHUNKER_VERSION, e.max_tokens)
                doc_id = store.put_document(conn, p.found.rel, p.root, p.digest, p.found.size,
                                            p.found.path.suffix.lower().lstrip("."), p.meeting, p.chunks,
                                            np.asarray(vecs), sents, STRUCTURE_VERSION, self.collection)
                ids = store.chunk_ids_of_document(conn, doc_id)
                if engine is not None:
                    # Written before the ledger commits: a committed document is always in the engine, and
                    # rows of one that never commits are ids the ledger does not know, read by no one.
                    engine.upsert(ledger.rows_of(store, ids))
                store.bump_generation(conn)
                pause_point("writing", self.folder)
            if engine is not None:
                engine.delete_stale(p.found.rel, ids)
            bar.update(len(p.chunks))
            report.chunks += len(p.chunks)
            if p.update:
                report.updated += 1
            else:
                report.added += 1
            log.info("%s %s: %d chunks", "updated" if p.update else "added", p.found.rel, len(p.chunks))

    def _fail(self, store: Store, report: Report, rel: str, root: str, digest: str | None, size: int | None,
              reason: str) -> None:
        log.warning("failed %s: %s", rel, reason)
        report.failed.append({"document": rel, "error": reason})
        with store.transaction() as conn:
            store.put_failure(conn, rel, root, digest, size, reason, self.collection)


def check_collection(name: str) -> str:
    """A collection's name: letters, digits, '.', '_' and '-', as the access policy names it."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", name or ""):
        raise NothingToIngest(f"{name!r} is not a collection name: use letters, digits, '.', '_' or '-' "
                              "(up to 64), e.g. official or audit-2024")
    return name


def _quiet_libraries() -> None:
    # The model's loader draws its own bar, even into a log file; ours say what the run is doing.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    if "transformers" in sys.modules:
        sys.modules["transformers"].utils.logging.disable_progress_bar()


def _is_ok(row) -> bool:
    return row is not None and row["status"] == "ok"


def _read_meeting(path: Path, rel: str, max_bytes: int, reader: FileReader | None = None) -> Meeting:
    if reader is not None:
        return reader.read(path, rel, max_bytes)
    # Imported here: a run with nothing new never loads the parsers.
    from ingest.pipeline import read_meeting

    return read_meeting(path, source=rel, max_bytes=max_bytes)


def _reason(path: Path, exc: Exception) -> str:
    if isinstance(exc, IngestError):
        return str(exc)
    if isinstance(exc, OSError):
        return _os_reason(path, exc)
    # A parser bug must not stop the night's run; the log keeps the traceback for whoever fixes it.
    log.exception("unexpected error reading %s", path)
    return f"{path.name} could not be read because of an error in this program ({type(exc).__name__}: {exc})"


def _os_reason(path: Path, exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return f"cannot read {path.name}: permission denied"
    if isinstance(exc, FileNotFoundError):
        return f"cannot read {path.name}: the file is no longer there"
    return f"cannot read {path.name}: {exc.strerror or exc}"


def _progress(total: int, unit: str, enabled: bool, position: int):
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, desc="Reading" if unit == "files" else "Embedding",
                disable=not enabled, file=sys.stderr, position=position, leave=True)
