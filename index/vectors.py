"""The FAISS cache: built from the store's embeddings, stamped with its generation, swapped in atomically."""
from __future__ import annotations

import json
import os
import struct
from pathlib import Path

import faiss
import numpy as np

FAISS_NAME = "vectors.faiss"
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
        if isinstance(self.index, faiss.IndexHNSW):
            self.index.hnsw.efSearch = max(HNSW_EF_SEARCH, k)
        scores, rows = self.index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32),
                                         min(k, self.size))
        return [(int(self.ids[r]), float(s)) for r, s in zip(rows[0], scores[0]) if r >= 0]

    def vectors(self) -> np.ndarray:
        if self._vectors is None:
            self._vectors = self.index.reconstruct_n(0, self.size) if self.size else np.zeros((0, self.index.d),
                                                                                                 np.float32)
        return self._vectors

    def search_subset(self, query: np.ndarray, chunk_ids: list[int], k: int) -> list[tuple[int, float]]:
        """Exact scores over a filtered set of chunks (date range, series, documents)."""
        if self._row_of is None:
            self._row_of = {int(c): r for r, c in enumerate(self.ids)}
        rows = [self._row_of[c] for c in chunk_ids if c in self._row_of]
        if not rows:
            return []
        scores = self.vectors()[rows] @ query.reshape(-1).astype(np.float32)
        top = np.argsort(-scores)[:k]
        return [(int(self.ids[rows[i]]), float(scores[i])) for i in top]

    # -- the file -----------------------------------------------------------
    def save(self, folder: Path) -> Path:
        """Write beside the live file, flush, then rename over it: a reader never sees half a file."""
        target = Path(folder) / FAISS_NAME
        tmp = target.with_suffix(f".tmp{os.getpid()}")
        header = json.dumps({"generation": self.generation, "size": self.size}).encode()
        body = faiss.serialize_index(self.index)
        with open(tmp, "wb") as f:
            f.write(_MAGIC)
            f.write(struct.pack("<II", len(header), 0))
            f.write(header)
            f.write(self.ids.astype("<i8").tobytes())
            f.write(body.tobytes())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
        _fsync_dir(target.parent)
        return target

    @classmethod
    def load(cls, folder: Path) -> "VectorIndex | None":
        """The cached index, or None when it is missing or unreadable."""
        path = Path(folder) / FAISS_NAME
        try:
            data = path.read_bytes()
            if data[:8] != _MAGIC:
                return None
            hlen, _ = struct.unpack("<II", data[8:16])
            header = json.loads(data[16:16 + hlen])
            n = int(header["size"])
            off = 16 + hlen
            ids = np.frombuffer(data[off:off + 8 * n], dtype="<i8").astype(np.int64)
            index = faiss.deserialize_index(np.frombuffer(data[off + 8 * n:], dtype=np.uint8))
            if index.ntotal != n:
                return None
            if isinstance(index, faiss.IndexHNSW):
                index.hnsw.efSearch = HNSW_EF_SEARCH
            return cls(ids, index, int(header["generation"]))
        except (OSError, ValueError, KeyError, RuntimeError, struct.error):
            return None


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def load_or_build(store, hnsw_threshold: int = HNSW_THRESHOLD, write: bool = True) -> VectorIndex:
    """The index matching the store's generation: the cached file when current, else rebuilt from the store."""
    generation = store.generation()
    cached = VectorIndex.load(store.folder)
    if cached is not None and cached.generation == generation:
        return cached
    with store.snapshot():
        generation = store.generation()
        ids, vecs = store.vectors()
    built = VectorIndex.build(ids, vecs, generation, hnsw_threshold)
    if write:
        try:
            built.save(store.folder)
        except OSError:
            pass  # a read-only index folder still answers, from memory
    return built
