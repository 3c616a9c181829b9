"""Shared pieces of the benchmarks: import path, embedding cache, timing statistics, memory, machine, tables."""
from __future__ import annotations

import hashlib
import os
import platform
import sqlite3
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
CACHE_DIR = ROOT / "benchmarks" / ".cache"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class EmbeddingCache:
    """Vectors keyed by (model, text) hash in one SQLite file, so a rerun embeds nothing it has seen."""

    def __init__(self, folder: Path, model_name: str):
        Path(folder).mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(str(Path(folder) / "embeddings.sqlite"), timeout=60)
        self.conn.execute("CREATE TABLE IF NOT EXISTS vec (key TEXT PRIMARY KEY, v BLOB NOT NULL)")
        self.model_name = model_name

    def key(self, text: str) -> str:
        return hashlib.sha1(f"{self.model_name}\0{text}".encode()).hexdigest()

    def get(self, keys: list[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for n in range(0, len(keys), 500):
            part = keys[n:n + 500]
            rows = self.conn.execute(f"SELECT key, v FROM vec WHERE key IN ({','.join('?' * len(part))})", part)
            out.update((k, np.frombuffer(v, dtype="<f4")) for k, v in rows)
        return out

    def put(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        with self.conn:
            self.conn.executemany("INSERT OR REPLACE INTO vec VALUES (?, ?)",
                                  ((k, np.asarray(v, dtype="<f4").tobytes()) for k, v in items))


class CachedEmbedder:
    """The real model behind a cache: same name, path, size and tokenizer, so an index built with it
    is an index of that model; only texts never seen before reach the model."""

    def __init__(self, inner, cache_dir: Path = CACHE_DIR):
        self.inner = inner
        self.name, self.path, self.max_tokens = inner.name, inner.path, inner.max_tokens
        # The int8 encoder's vectors are keyed apart from torch's (which keep the keys they always had),
        # so a cache never hands one encoder's vectors to a run of the other.
        encoder = getattr(inner, "encoder", "torch")
        self.cache = EmbeddingCache(cache_dir, inner.name if encoder == "torch" else f"{inner.name}\0{encoder}")
        self.encoded = 0                # texts that missed the cache and went through the model

    @property
    def dim(self) -> int:
        return self.inner.dim

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        keys = [self.cache.key(t) for t in texts]
        found = self.cache.get(list(dict.fromkeys(keys)))
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        if missing:
            text_of = dict(zip(keys, texts))
            vecs = self.inner.encode([text_of[k] for k in missing], show_progress=show_progress)
            self.cache.put(zip(missing, vecs))
            found.update(zip(missing, vecs))
            self.encoded += len(missing)
        return np.ascontiguousarray(np.stack([found[k] for k in keys]), dtype=np.float32)


def real_embedder():
    from index.embed import SentenceEmbedder

    return SentenceEmbedder()


def cached_embedder(cache_dir: Path = CACHE_DIR) -> CachedEmbedder:
    return CachedEmbedder(real_embedder(), cache_dir)


def make_embedder(kind: str, cache_dir: Path | None = CACHE_DIR):
    """``real``: the packaged model (behind the cache when a folder is given); ``hash``: the plumbing
    stand-in from index.embed, for smoke runs whose figures mean nothing about quality or speed."""
    if kind == "hash":
        from index.embed import HashEmbedder

        return HashEmbedder()
    return cached_embedder(cache_dir) if cache_dir else real_embedder()


def add_embedder_option(ap) -> None:
    ap.add_argument("--embedder", choices=["real", "hash"], default="real",
                    help="hash: a fast stand-in that checks the plumbing only; its figures mean nothing.")


def time_each(fn: Callable[[object], object], inputs: list, warmup: int = 3) -> tuple[list[float], list]:
    """Milliseconds for ``fn`` on each input, after a few warm-up calls; and the results."""
    for x in inputs[:warmup]:
        fn(x)
    times, results = [], []
    for x in inputs:
        t = time.perf_counter()
        results.append(fn(x))
        times.append((time.perf_counter() - t) * 1000.0)
    return times, results


def pct(times_ms: list[float], q: float) -> float:
    return round(float(np.percentile(times_ms, q)), 3) if times_ms else float("nan")


def rss_mb() -> dict[str, float]:
    """Resident memory now and at peak, from /proc (Linux)."""
    out = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                out["rss_mb" if line.startswith("VmRSS") else "peak_rss_mb"] = round(int(line.split()[1]) / 1024, 1)
    except OSError:
        import resource

        out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return {"date": datetime.now().strftime("%Y-%m-%d %H:%M"), "cpu": cpu, "cores": os.cpu_count(),
            "python": platform.python_version(), "load_avg_1m": round(load[0], 2)}


def table(headers: list[str], rows: list[list], floatfmt: str = "{:.3f}") -> str:
    cells = [[floatfmt.format(c) if isinstance(c, float) else str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    line = lambda r: "  ".join(c.rjust(w) if n else c.ljust(w) for n, (c, w) in enumerate(zip(r, widths)))  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in cells])


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)
