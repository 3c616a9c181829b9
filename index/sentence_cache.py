"""The sentence cache: every stored sentence's offsets and float16 vector in one file beside the FAISS
cache, memory-mapped by the page.

A question scores the sentences of its hundred-odd candidate passages. Read from SQLite that is a query
of a few thousand rows and as many small buffers (7-10 ms at a hundred thousand chunks); from this file it
is two binary searches and one gather of rows the operating system already holds in its page cache. The
file is a cache of one committed generation, like the FAISS file: stamped with the store's generation,
written beside the live file and renamed over it, rebuilt when missing, stale or damaged. The store stays
the source of truth, and a reader that cannot open the file reads the sentences from the store.

Layout (little-endian): magic, header length, a JSON header (generation, token, counts, dimension), then,
each aligned to 64 bytes, the chunk ids (int64, ascending), each chunk's first row (int64, one more than
chunks), each sentence's start and end (int32) and the sentence vectors (float16, rows of ``dim``).
"""
from __future__ import annotations

import json
import logging
import os
import struct
import threading
from pathlib import Path

import numpy as np
from filelock import FileLock, Timeout

from index.durable import alive, fsync_dir
from index.pause import pause_point
from index.vectors import SAVE_LOCK_NAME, SAVE_LOCK_TIMEOUT

log = logging.getLogger(__name__)

SENTENCES_NAME = "sentences.f16"
_MAGIC = b"MQAS0001"
_ALIGN = 64
_BATCH = 20_000


def _aligned(n: int) -> int:
    return (n + _ALIGN - 1) // _ALIGN * _ALIGN


def _layout(header_end: int, chunks: int, sentences: int, dim: int) -> dict[str, tuple[int, int]]:
    """(offset, bytes) of each array after a header ending at ``header_end``."""
    out, pos = {}, _aligned(header_end)
    for name, size in (("ids", 8 * chunks), ("first", 8 * (chunks + 1)), ("starts", 4 * sentences),
                       ("ends", 4 * sentences), ("vectors", 2 * sentences * dim)):
        out[name] = (pos, size)
        pos = _aligned(pos + size)
    return out


class SentenceVectors:
    """Sentence offsets and vectors of every chunk, read from a memory-mapped file."""

    def __init__(self, path: Path, stamp: tuple[int, str], ids: np.ndarray, first: np.ndarray,
                 starts: np.ndarray, ends: np.ndarray, vectors: np.ndarray):
        self.path = path
        self.stamp = stamp
        self.ids = ids
        self.first = first
        self.starts = starts
        self.ends = ends
        self.vectors = vectors

    @property
    def size(self) -> int:
        return len(self.starts)

    def scores(self, qvec: np.ndarray, chunk_ids: list[int]) -> dict[int, list[tuple[int, int, float]]]:
        """(start, end, cosine with the question) of each sentence of each of ``chunk_ids`` that has any."""
        if not chunk_ids or not len(self.ids):
            return {}
        want = np.asarray(chunk_ids, dtype=np.int64)
        pos = np.searchsorted(self.ids, want)
        pos[pos >= len(self.ids)] = 0
        found = self.ids[pos] == want
        want, pos = want[found], pos[found]
        if not len(want):
            return {}
        lo, hi = self.first[pos], self.first[pos + 1]
        rows = np.concatenate([np.arange(a, b) for a, b in zip(lo, hi)]) if len(lo) else np.zeros(0, np.int64)
        sims = self.vectors[rows].astype(np.float32) @ qvec.reshape(-1).astype(np.float32)
        starts, ends = self.starts[rows], self.ends[rows]
        out: dict[int, list[tuple[int, int, float]]] = {}
        at = 0
        for cid, a, b in zip(want.tolist(), lo.tolist(), hi.tolist()):
            n = b - a
            if n:
                out[cid] = list(zip(starts[at:at + n].tolist(), ends[at:at + n].tolist(),
                                    sims[at:at + n].tolist()))
            at += n
        return out


def path_of(folder: Path) -> Path:
    return Path(folder) / SENTENCES_NAME


def read_stamp(folder: Path) -> tuple[int, str] | None:
    """(generation, token) of the file on disk, from its header alone; None when missing or unreadable."""
    try:
        with open(path_of(folder), "rb") as f:
            head = f.read(16)
            if len(head) < 16 or head[:8] != _MAGIC:
                return None
            hlen, _ = struct.unpack("<II", head[8:16])
            header = json.loads(f.read(hlen))
        return int(header["generation"]), str(header["token"])
    except (OSError, ValueError, KeyError, TypeError, struct.error):
        return None


def load(folder: Path, stamp: tuple[int, str]) -> SentenceVectors | None:
    """The cache of this generation, or None when it is missing, damaged or of another state."""
    path = path_of(folder)
    try:
        with open(path, "rb") as f:
            head = f.read(16)
            if len(head) < 16 or head[:8] != _MAGIC:
                return None
            hlen, _ = struct.unpack("<II", head[8:16])
            header = json.loads(f.read(hlen))
        if (int(header["generation"]), str(header["token"])) != stamp:
            return None
        chunks, sentences, dim = int(header["chunks"]), int(header["sentences"]), int(header["dim"])
        layout = _layout(16 + hlen, chunks, sentences, dim)
        end = layout["vectors"][0] + layout["vectors"][1]
        if path.stat().st_size < end or min(chunks, sentences, dim) < 0:
            return None
        if sentences == 0:
            empty = np.zeros(0, np.int64)
            return SentenceVectors(path, stamp, empty, np.zeros(1, np.int64), empty.astype(np.int32),
                                   empty.astype(np.int32), np.zeros((0, max(dim, 1)), np.float16))

        def mapped(name: str, dtype: str, shape: tuple[int, ...]) -> np.ndarray:
            return np.memmap(path, dtype=dtype, mode="r", offset=layout[name][0], shape=shape)

        first = np.asarray(mapped("first", "<i8", (chunks + 1,)))
        if first[0] != 0 or first[-1] != sentences:
            return None
        return SentenceVectors(path, stamp, np.asarray(mapped("ids", "<i8", (chunks,))), first,
                               mapped("starts", "<i4", (sentences,)), mapped("ends", "<i4", (sentences,)),
                               mapped("vectors", "<f2", (sentences, dim)))
    except (OSError, ValueError, KeyError, TypeError, struct.error) as exc:
        if path.exists():
            log.warning("sentence cache %s unreadable (%s): building it again", path, exc)
        return None


def build(store, folder: Path, stamp: tuple[int, str], write: bool = True) -> SentenceVectors | None:
    """Write the sentences of the store's current snapshot as generation ``stamp``, streamed in batches
    so that memory stays flat at any size; None when the folder cannot be written."""
    chunks, sentences = store.sentence_counts()
    dim = int(store.meta().get("dim", 0) or 0)
    header = json.dumps({"generation": stamp[0], "token": stamp[1], "chunks": chunks, "sentences": sentences,
                         "dim": dim}).encode()
    layout = _layout(16 + len(header), chunks, sentences, dim)
    size = layout["vectors"][0] + layout["vectors"][1]
    target = path_of(folder)
    tmp = target.with_name(f".{SENTENCES_NAME}.{os.getpid()}.{threading.get_ident()}.tmp")
    if not write:
        return None
    try:
        with open(tmp, "wb") as f:
            f.write(_MAGIC + struct.pack("<II", len(header), 0) + header)
            f.truncate(size)
        if sentences:
            _fill(store, tmp, layout, chunks, sentences, dim)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        pause_point("sentences", Path(folder))
        # Readers write the cache too: the check and the rename happen under the FAISS cache's lock, so
        # an older state is never renamed over a newer one written in between.
        with FileLock(str(Path(folder) / SAVE_LOCK_NAME), timeout=SAVE_LOCK_TIMEOUT):
            on_disk = read_stamp(folder)
            if on_disk is not None and stamp[0] < on_disk[0] <= store.generation():
                tmp.unlink(missing_ok=True)
                return None
            os.replace(tmp, target)
    except Timeout:
        tmp.unlink(missing_ok=True)
        return None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)
    return load(folder, stamp)


def _fill(store, tmp: Path, layout: dict, chunks: int, sentences: int, dim: int) -> None:
    def mapped(name: str, dtype: str, shape: tuple[int, ...]) -> np.memmap:
        return np.memmap(tmp, dtype=dtype, mode="r+", offset=layout[name][0], shape=shape)

    ids = mapped("ids", "<i8", (chunks,))
    first = mapped("first", "<i8", (chunks + 1,))
    starts = mapped("starts", "<i4", (sentences,))
    ends = mapped("ends", "<i4", (sentences,))
    vectors = mapped("vectors", "<f2", (sentences, dim))
    row = chunk = 0
    last = None
    rows = store.sentence_rows()
    while batch := rows.fetchmany(_BATCH):
        n = len(batch)
        if row + n > sentences:
            raise ValueError("the store's sentences changed while the cache was written")
        cids = np.fromiter((r[0] for r in batch), dtype=np.int64, count=n)
        starts[row:row + n] = np.fromiter((r[1] for r in batch), dtype=np.int32, count=n)
        ends[row:row + n] = np.fromiter((r[2] for r in batch), dtype=np.int32, count=n)
        vectors[row:row + n] = np.frombuffer(b"".join(r[3] for r in batch), dtype="<f2").reshape(n, dim)
        # A new chunk starts wherever the id changes, including at the batch's first row.
        new = np.flatnonzero(np.diff(cids, prepend=-1 if last is None else last))
        for i in new:
            ids[chunk] = cids[i]
            first[chunk] = row + i
            chunk += 1
        last = int(cids[-1])
        row += n
    if row != sentences or chunk != chunks:
        raise ValueError("the store's sentences changed while the cache was written")
    first[chunks] = sentences
    for m in (ids, first, starts, ends, vectors):
        m.flush()
    del ids, first, starts, ends, vectors


def load_or_build(store, write: bool = True) -> SentenceVectors | None:
    """The cache matching the store's committed state: the file when current, else written now. None
    when it can be neither (a read-only folder): the caller reads the sentences from the store."""
    stamp = store.generation_stamp()
    cached = load(store.folder, stamp)
    if cached is not None:
        return cached
    if store.conn.in_transaction:
        return build(store, store.folder, stamp, write)
    with store.snapshot():
        stamp = store.generation_stamp()
        return load(store.folder, stamp) or build(store, store.folder, stamp, write)


def remove_stale_temporaries(folder: Path) -> None:
    """Half-written files of processes that died."""
    for path in Path(folder).glob(f".{SENTENCES_NAME}.*.tmp"):
        try:
            pid = int(path.name.split(".")[3])
        except (IndexError, ValueError):
            continue
        if not alive(pid):
            path.unlink(missing_ok=True)
