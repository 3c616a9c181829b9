"""Query latency on each store beside the other: the SQLite file with its caches, and Milvus (milvus-lite).

Usage: python benchmarks/store_query.py [--sizes 10000,100000] [--queries 100] [--json]

The synthetic stores of benchmarks/query.py (same chunk texts, same pool of real embeddings with noise), built
once a size; the same chunks copied into a milvus-lite file by `minutes migrate-store`'s own code (timed: the
engine's write rate, vectors from the ledger, nothing embedded), flushed; then the same questions asked of a
Searcher on each store, one at a time, after a warm-up. Both stores are asked in one process, one after the
other, so the model and machine are the same; the engine's three requests (hybrid, then dense and BM25 over its
candidates) are also timed alone.
"""
from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]  # benchmarks/ingest.py shadows `ingest`
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import json  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from benchmarks import _synth  # noqa: E402
from benchmarks._common import (CACHE_DIR, add_embedder_option, log, machine, make_embedder, pct,  # noqa: E402
                                table, time_each)
from benchmarks.query import build_store, pool_vectors  # noqa: E402


def measure(folder: Path, setting: str, emb, questions: list[str]) -> dict:
    from index.backends.expr import Where
    from index.search import DEFAULT, Searcher

    searcher = Searcher(folder, embedder=emb, store=setting)
    t = time.perf_counter()
    searcher.refresh()
    out = {"store": setting.split(":")[0], "load_s": round(time.perf_counter() - t, 2)}
    ask, results = time_each(lambda q: searcher.ask(q, top_k=5), questions)
    out.update(p50_ms=pct(ask, 50), p95_ms=pct(ask, 95), answered=sum(r.answer is not None for r in results))
    engine = searcher.backend.engine
    if engine is not None:
        qvecs = {q: emb.encode([q])[0] for q in questions}
        k = DEFAULT.candidates
        hyb, _ = time_each(lambda q: engine.hybrid(qvecs[q], q, k, Where(), DEFAULT.rrf_k), questions)
        dense, _ = time_each(lambda q: engine.dense(qvecs[q], k, Where()), questions)
        bm25, _ = time_each(lambda q: engine.keyword(q, k, Where()), questions)
        out.update(hybrid_p50_ms=pct(hyb, 50), dense_p50_ms=pct(dense, 50), bm25_p50_ms=pct(bm25, 50))
        engine.close()
    searcher.store.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000", help="Chunk counts, comma separated.")
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--pool", type=int, default=2000, help="Chunks given real embeddings.")
    ap.add_argument("--noise", type=float, default=0.025, help="Per-dimension std of the noise on reused vectors.")
    ap.add_argument("--cache", type=Path, default=CACHE_DIR)
    ap.add_argument("--json", action="store_true")
    add_embedder_option(ap)
    args = ap.parse_args(argv)
    from index import keywords, sentence_cache
    from index.backends import ledger, open_backend
    from index.store import Store
    from index.vectors import load_or_build

    sizes = [int(s) for s in args.sizes.split(",")]
    pool = min(args.pool, max(sizes))
    vecs, info = pool_vectors(pool, args.cache, args.embedder)
    emb = make_embedder(args.embedder, None)      # never the cache: the question's own embedding is timed
    emb.encode(["warm up the model"])
    questions = _synth.questions(args.queries, seed=2)
    res = {"machine": machine(), "embedder": info["model"], "queries": args.queries, "sizes": {}}
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="minutes-stores-") as tmp:
            folder = Path(tmp)
            log(f"{n:,} chunks: building the store")
            build_s = build_store(folder, n, vecs, info, args.noise)
            store = Store(folder)
            t = time.perf_counter()
            load_or_build(store)
            keywords.load_or_build(store)
            sentence_cache.load_or_build(store)
            caches_s = time.perf_counter() - t
            setting = f"milvus:{folder / 'chunks.db'}"
            engine = open_backend(setting).engine
            log(f"{n:,} chunks: copying into {setting}")
            t = time.perf_counter()
            ledger.reconcile(store, engine)
            copy_s = time.perf_counter() - t
            engine.close()
            store.close()
            db_mb = sum(p.stat().st_size for p in (folder / "chunks.db").rglob("*") if p.is_file()) / 2**20
            row = {"build_store_s": round(build_s, 1), "sqlite_caches_s": round(caches_s, 1),
                   "milvus_copy_s": round(copy_s, 1), "milvus_chunks_per_s": round(n / copy_s),
                   "milvus_files_mb": round(db_mb, 1)}
            for setting_ in ("sqlite", setting):
                log(f"{n:,} chunks: asking {args.queries} questions on {setting_.split(':')[0]}")
                row[setting_.split(":")[0]] = measure(folder, setting_, emb, questions)
            res["sizes"][n] = row
    if args.json:
        print(json.dumps(res))
    else:
        rows = [[n, r[s]["p50_ms"], r[s]["p95_ms"], r[s]["answered"], s] for n, r in res["sizes"].items()
                for s in ("sqlite", "milvus")]
        print(table(["chunks", "p50_ms", "p95_ms", "answered", "store"], rows))
        print(json.dumps(res["sizes"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
