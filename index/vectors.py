"""The FAISS cache: built from the store's embeddings, stamped with its generation, swapped in atomically."""
from __future__ import annotations

import json
import os
import struct
import threading
from pathlib import Path

import faiss
from filelock import FileLock, Timeout
import numpy as np

from index.durable import alive, fsync_dir
from index.pause import pause_point

FAISS_NAME = "vectors.faiss"
SAVE_LOCK_NAME = "vectors.lock"
SAVE_LOCK_TIMEOUT = 30
_MAGIC = b"MQAV0001"
# Exact search is cheap up to here; past it an HNSW graph keeps queries in milliseconds.
HNSW_THRESHOLD = 50_000
HNSW_M = 32
HNSW_EF_SEARCH = 128


class VectorIndex:
    """Chunk ids and a FAISS index over their unit vectors (inner product = cosine)."""

    def __init__(self, ids: np.ndarray, index: faiss.Index, generation: int, vectors: np.ndarray | None = None):
        self.ids = ids
        self.index = index
        self.generation = generation
        self._vectors = vectors
        self._row_of: dict[int, int] | None = None
        self._sorted: bool | None = None
        self._hnsw = index.hnsw if isinstance(index, faiss.IndexHNSW) else None

    @classmethod
    def build(cls, ids: np.ndarray, vectors: np.ndarray, generation: int,
              hnsw_threshold: int = HNSW_THRESHOLD) -> "VectorIndex":
        dim = vectors.shape[1] if vectors.ndim == 2 and vectors.shape[1] else 1
        if len(ids) >= hnsw_threshold:
            index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = 80
            index.hnsw.efSearch = HNSW_EF_SEARCH
        else:
            index = faiss.IndexFlatIP(dim)
        if len(ids):
            index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return cls(ids.astype(np.int64), index, generation, np.ascontiguousarray(vectors, dtype=np.float32))

    @property
    def size(self) -> int:
        return len(self.ids)

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        if not self.size or k <= 0:
            return []
        if self._hnsw is not None:
            ef = max(HNSW_EF_SEARCH, k)
            if self._hnsw.efSearch != ef:
                self._hnsw.efSearch = ef
        scores, rows = self.index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32),
                                         min(k, self.size))
        found = rows[0] >= 0
        return list(zip(self.ids[rows[0][found]].tolist(), scores[0][found].tolist()))

    def vectors(self) -> np.ndarray:
        if self._vectors is None:
            self._vectors = _stored_vectors(self.index)
        return self._vectors

    def search_subset(self, query: np.ndarray, chunk_ids: list[int], k: int) -> list[tuple[int, float]]:
        """Exact scores over a filtered set of chunks (date range, series, documents)."""
        rows = self._rows(chunk_ids)
        if not len(rows):
            return []
        scores = self.vectors()[rows] @ query.reshape(-1).astype(np.float32)
        top = np.argsort(-scores)[:k]
        return list(zip(self.ids[rows[top]].tolist(), scores[top].tolist()))

    def _rows(self, chunk_ids: list[int]) -> np.ndarray:
        """The rows of those of ``chunk_ids`` the index holds. The store gives ids in ascending order, so
        a binary search finds them without a dictionary of every id (100 MB at a million chunks)."""
        want = np.asarray(chunk_ids, dtype=np.int64)
        if self._sorted is None:
            self._sorted = bool(np.all(self.ids[1:] > self.ids[:-1]))
        if self._sorted:
            inside = np.searchsorted(self.ids, want)
            ok = inside < len(self.ids)
            inside, want = inside[ok], want[ok]
            return inside[self.ids[inside] == want]
        if self._row_of is None:
            self._row_of = {int(c): r for r, c in enumerate(self.ids)}
        return np.asarray([self._row_of[c] for c in want.tolist() if c in self._row_of], dtype=np.int64)

    # -- the file -----------------------------------------------------------
    def save(self, folder: Path, token: str = "") -> Path:
        """Write beside the live file, flush, then rename over it: a reader never sees half a file.

        ``token`` is the store's generation token (see ``Store.generation_stamp``).
        """
        target = Path(folder) / FAISS_NAME
        # One name per process and thread: a reader and a writer may save at the same time.
        tmp = target.with_name(f".{FAISS_NAME}.{os.getpid()}.{threading.get_ident()}.tmp")
        header = json.dumps({"generation": self.generation, "size": self.size, "token": token}).encode()
        body = faiss.serialize_index(self.index)
        try:
            with open(tmp, "wb") as f:
                f.write(_MAGIC)
                f.write(struct.pack("<II", len(header), 0))
                f.write(header)
                f.write(self.ids.astype("<i8").tobytes())
                f.write(body.tobytes())
                f.flush()
                os.fsync(f.fileno())
            pause_point("faiss", Path(folder))
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        fsync_dir(target.parent)
        return target

    @classmethod
    def load(cls, folder: Path, stamp: tuple[int, str] | None = None) -> "VectorIndex | None":
        """The cached index, or None when it is missing, unreadable or (given ``stamp``) of another state."""
        path = Path(folder) / FAISS_NAME
        try:
            data = path.read_bytes()
            header, off = _header(data)
            if header is None:
                return None
            n = int(header["size"])
            generation = int(header["generation"])
            if stamp is not None and (generation, str(header.get("token", ""))) != stamp:
                return None
            if n < 0 or len(data) < off + 8 * n:
                return None
            ids = np.frombuffer(data[off:off + 8 * n], dtype="<i8").astype(np.int64)
            index = faiss.deserialize_index(np.frombuffer(data[off + 8 * n:], dtype=np.uint8))
            if index.ntotal != n:
                return None
            if isinstance(index, faiss.IndexHNSW):
                index.hnsw.efSearch = HNSW_EF_SEARCH
            return cls(ids, index, generation)
        except (OSError, ValueError, KeyError, TypeError, RuntimeError, struct.error):
            return None


def _stored_vectors(index: faiss.Index) -> np.ndarray:
    """The index's own float32 rows, without a copy: a second copy of every vector would double the
    page's memory (1.5 GB at a million chunks) for the few hundred rows a question rescores."""
    n, d = index.ntotal, index.d
    if not n:
        return np.zeros((0, d), np.float32)
    flat = faiss.downcast_index(index.storage) if isinstance(index, faiss.IndexHNSW) else index
    if isinstance(flat, faiss.IndexFlat):
        return faiss.rev_swig_ptr(flat.get_xb(), n * d).reshape(n, d)
    return index.reconstruct_n(0, n)


def _header(data: bytes) -> tuple[dict | None, int]:
    if data[:8] != _MAGIC or len(data) < 16:
        return None, 0
    hlen, _ = struct.unpack("<II", data[8:16])
    header = json.loads(data[16:16 + hlen])
    if not isinstance(header, dict):
        return None, 0
    return header, 16 + hlen


def read_stamp(folder: Path) -> tuple[int, str] | None:
    """(generation, token) of the cached file, reading only its header; None when missing or unreadable."""
    try:
        with open(Path(folder) / FAISS_NAME, "rb") as f:
            head = f.read(16)
            if len(head) < 16 or head[:8] != _MAGIC:
                return None
            hlen, _ = struct.unpack("<II", head[8:16])
            header, _ = _header(head + f.read(hlen))
        if header is None:
            return None
        return int(header["generation"]), str(header.get("token", ""))
    except (OSError, ValueError, KeyError, TypeError, struct.error):
        return None


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete half-written cache files left by processes that died (kill -9, power cut)."""
    removed = []
    for path in Path(folder).glob(f".{FAISS_NAME}.*.tmp"):
        try:
            pid = int(path.name.split(".")[3])
        except (IndexError, ValueError):
            continue
        if alive(pid):
            continue
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            pass
    return removed


def is_current(store) -> bool:
    """Whether the cached file matches the store's committed state, reading only the file's header."""
    return read_stamp(store.folder) == store.generation_stamp()


def load_or_build(store, hnsw_threshold: int = HNSW_THRESHOLD, write: bool = True) -> VectorIndex:
    """The index matching the store's generation: the cached file when current, else rebuilt from the store."""
    cached = VectorIndex.load(store.folder, stamp=store.generation_stamp())
    if cached is not None:
        return cached
    if store.conn.in_transaction:
        stamp = store.generation_stamp()
        ids, vecs = store.vectors()
    else:
        with store.snapshot():
            stamp = store.generation_stamp()
            ids, vecs = store.vectors()
    built = VectorIndex.build(ids, vecs, stamp[0], hnsw_threshold)
    if write:
        try:
            # Readers rebuild and save too: the check and the rename happen under one lock, so an
            # older state can never be renamed over a newer one saved in between.
            with FileLock(str(Path(store.folder) / SAVE_LOCK_NAME), timeout=SAVE_LOCK_TIMEOUT):
                if not _newer_on_disk(store, stamp[0]):
                    built.save(store.folder, token=stamp[1])
        except (OSError, Timeout):
            pass  # a read-only or busy index folder still answers, from memory
    return built


def _newer_on_disk(store, generation: int) -> bool:
    """Whether a writer has already saved a later state than this reader built: then it stays."""
    on_disk = read_stamp(store.folder)
    return on_disk is not None and generation < on_disk[0] <= store.generation()
