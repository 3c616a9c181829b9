"""Query latency and memory from 1k to 1M chunks: the full ask path, each stage, and bare libraries.

Usage: python benchmarks/query.py [--sizes 1000,10000,100000,1000000] [--queries 200] [--json] [--plot PNG]

Chunk texts are synthetic minutes (benchmarks/_synth.py). A pool of real embeddings (default 2,000
chunks, cached under benchmarks/.cache/) is computed once; larger sets reuse a pool vector with small
Gaussian noise for each further chunk, whose text is the same passage shape with other names and
numbers. Each size is measured in a fresh serving process, so its resident memory is its own.
"""
from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]  # benchmarks/ingest.py shadows `ingest`
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import functools  # noqa: E402
import inspect  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from benchmarks import _synth  # noqa: E402
from benchmarks._common import (CACHE_DIR, add_embedder_option, log, machine, make_embedder, pct,  # noqa: E402
                                rss_mb, table, time_each)

CHUNKS_PER_MEETING = 20
CHUNKS_PER_ITEM = 5
TARGETS = {"p50_ms": 30.0, "p95_ms": 80.0, "keyword_vs_bm25s": 2.0, "dense_vs_faiss": 1.2, "rss_mb": 1536}
TARGETS_1M = {"p50_ms": 100.0, "p95_ms": 250.0}
LARGE = 1_000_000


def chunk_spec(g: int, pool: int) -> tuple[str, str, int]:
    """(header, text, pool row) of synthetic chunk ``g``: chunks past the pool reuse a pool passage's shape."""
    m, k = divmod(g, CHUNKS_PER_MEETING)
    title, date, _ = _synth.meeting_header(m)
    item = _synth.meeting_header(m * 100 + k // CHUNKS_PER_ITEM)[2]
    base = g % pool
    return f"{title} | {date} | {item}", _synth.passage(base, g), base


def pool_vectors(pool: int, cache: Path, kind: str = "real") -> tuple[np.ndarray, dict]:
    emb = make_embedder(kind, cache)
    texts = [f"{h}\n{t}" for h, t, _ in (chunk_spec(g, pool) for g in range(pool))]
    t = time.perf_counter()
    vecs = emb.encode(texts)
    return vecs, {"pool": pool, "pool_encoded_now": getattr(emb, "encoded", None),
                  "pool_seconds": round(time.perf_counter() - t, 1),
                  "model": emb.name, "path": str(emb.path), "dim": emb.dim, "max_tokens": emb.max_tokens}


def build_store(folder: Path, n: int, pool_vecs: np.ndarray, model: dict, noise: float, seed: int = 0) -> float:
    """A store of ``n`` synthetic chunks written through Store.put_document, without the model."""
    from index.store import Store
    from ingest.chunk import CHUNKER_VERSION
    from ingest.model import AgendaItem, Attendee, Chunk, Meeting

    from ingest.sentences import sentence_spans

    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    pool = len(pool_vecs)
    store = Store(folder, create=True)
    # Where the store keeps a vector per sentence (as ingest writes it), the synthetic store has them too:
    # the passage's vector with more noise, since what is timed is reading and scoring them, not their values.
    with_sentences = "sentences" in inspect.signature(store.put_document).parameters
    with store.transaction() as conn:
        store.record_settings(conn, model["model"], model["path"], model["dim"], CHUNKER_VERSION, model["max_tokens"])
    # A transaction a batch of meetings, as the nightly job commits a document at a time: one transaction
    # of a million chunks grows a write-ahead log of tens of GB that every later write must look through.
    step = CHUNKS_PER_MEETING * 500
    for batch in range(0, n, step):
        with store.transaction() as conn:
            for m in range(batch, min(n, batch + step), CHUNKS_PER_MEETING):
                gs = range(m, min(n, m + CHUNKS_PER_MEETING))
                specs = [chunk_spec(g, pool) for g in gs]
                text, chunks, items, pos = "", [], [], 0
                for k, (header, body, _) in enumerate(specs):
                    label = header.rsplit(" | ", 1)[1]
                    if k % CHUNKS_PER_ITEM == 0:
                        items.append(AgendaItem(label.split(" ", 1)[0], label.split(" ", 1)[1], pos, pos))
                    chunks.append(Chunk(body, header, pos, pos + len(body), 1, label, k))
                    text += body + "\n"
                    pos = len(text)
                    items[-1].end = pos
                base = pool_vecs[[s[2] for s in specs]]
                vecs = base + rng.normal(0, noise, base.shape).astype(np.float32)
                for i, g in enumerate(gs):
                    if g < pool:
                        vecs[i] = base[i]           # the pool itself keeps its true vectors
                vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
                title, date, _ = _synth.meeting_header(m // CHUNKS_PER_MEETING)
                r = np.random.default_rng(m)
                people = [(_synth.NAMES[int(r.integers(len(_synth.NAMES)))], *_synth.ROLES[int(j)])
                          for j in r.choice(len(_synth.ROLES), 6, replace=False)]
                meeting = Meeting(source=f"synthetic/{m:07d}.txt", text=text, page_starts=[0], title=title,
                                  series=title.rsplit(" ", 2)[0], date=date, items=items,
                                  attendees=[Attendee(nm, role, acr) for nm, role, acr in people])
                extra = {}
                if with_sentences:
                    extra["sentences"] = [[(a, b, _unit(v + rng.normal(0, 2 * noise, v.shape)))
                                           for a, b in sentence_spans(c.text)] for c, v in zip(chunks, vecs)]
                store.put_document(conn, meeting.source, str(folder), f"{m:064x}", len(text), "txt", meeting,
                                   chunks, vecs, **extra)
    with store.transaction() as conn:
        store.bump_generation(conn)
    store.close()
    return time.perf_counter() - t0


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


class StageClock:
    """Wraps the pipeline's stage functions (candidates) and the Searcher's stage methods on the instance, so
    the real ask path reports where its time goes without the index code knowing it is timed."""

    FUNCTIONS = (("dense", "dense"), ("keyword", "keyword"), ("rescore", "complete"))
    METHODS = (("_rank", "fuse"), ("_answer", "answer"))

    def __init__(self, searcher, emb):
        from index.search import candidates

        self.calls: list[tuple[str, float]] = []
        self.vectors: list[np.ndarray] = []
        for attr, name in self.FUNCTIONS:
            setattr(candidates, attr, self._wrap(name, getattr(candidates, attr)))
        for attr, name in self.METHODS:
            setattr(searcher, attr, self._wrap(name, getattr(searcher, attr)))
        emb.encode = self._wrap("embed", emb.encode, keep=self.vectors)

    def _wrap(self, name, fn, keep=None):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            t = time.perf_counter()
            out = fn(*args, **kwargs)
            self.calls.append((name, (time.perf_counter() - t) * 1000.0))
            if keep is not None:
                keep.append(out[0])
            return out
        return timed

    def take(self) -> dict[str, list[float]]:
        """This question's calls, by stage (a stage may run more than once in one ask)."""
        out: dict[str, list[float]] = {}
        for name, ms in self.calls:
            out.setdefault(name, []).append(ms)
        self.calls = []
        return out


def set_threads(torch_threads: int | None, faiss_threads: int | None) -> dict:
    """Thread counts for the two OpenMP users in the process; None leaves the library's default."""
    import faiss

    out = {}
    # torch only where it is loaded anyway: the int8 encoder's serving process never imports it, and
    # importing it here would add its 500 MB to the resident memory measured.
    if torch_threads or "torch" in sys.modules:
        import torch

        if torch_threads:
            torch.set_num_threads(torch_threads)
        out["torch_threads"] = torch.get_num_threads()
    if faiss_threads:
        faiss.omp_set_num_threads(faiss_threads)
    return {**out, "faiss_threads": faiss.omp_get_max_threads()}


def measure(folder: Path, n_queries: int, kind: str = "real", torch_threads: int | None = None,
            faiss_threads: int | None = None) -> dict:
    """Runs in a fresh process: open the index as a server would, answer, then time each stage and baseline."""
    import bm25s
    import faiss

    from index.search import DEFAULT, Searcher
    from index.search import candidates as stages_of

    CANDIDATES = DEFAULT.candidates

    emb = make_embedder(kind, None)      # never the cache: the query's own embedding is part of what is timed
    threads = set_threads(torch_threads, faiss_threads)
    emb.encode(["warm up the model"])
    out = {"rss_model_only_mb": rss_mb()["rss_mb"], **threads, "encoder": getattr(emb, "backend", emb.name),
           "encoder_threads": getattr(emb, "threads", None)}
    searcher = Searcher(folder, embedder=emb)
    out.update(set_threads(torch_threads, faiss_threads))     # as the serving process runs, the Searcher's own
    t = time.perf_counter()
    searcher.refresh()
    out["index_load_s"] = round(time.perf_counter() - t, 3)
    vi = searcher._vectors
    out["index_type"] = type(vi.index).__name__
    qs = _synth.questions(n_queries, seed=2)

    ask, results = time_each(lambda q: searcher.ask(q, top_k=5), qs)
    out.update(p50_ms=pct(ask, 50), p95_ms=pct(ask, 95), answered=sum(r.answer is not None for r in results))
    out.update(rss_mb=rss_mb()["rss_mb"])          # the serving process: model, index, SQLite, no baselines

    clock = StageClock(searcher, emb)
    for q in qs[:3]:
        searcher.ask(q, top_k=5)
    clock.take()
    clock.vectors.clear()
    per_question: list[dict[str, float]] = []
    first_keyword: list[float] = []
    timed_ask: list[float] = []
    for q in qs:
        t = time.perf_counter()
        searcher.ask(q, top_k=5)
        timed_ask.append((time.perf_counter() - t) * 1000.0)
        calls = clock.take()
        per_question.append({name.lstrip("_"): sum(times) for name, times in calls.items()})
        first_keyword.append(calls.get("keyword", [0.0])[0])
    names = {n for d in per_question for n in d}
    stages = {n: [d.get(n, 0.0) for d in per_question] for n in names}
    top = [n for n in ("embed", "dense", "keyword", "complete", "fuse", "answer") if n in stages]
    for name in top:
        out[f"{name}_p50_ms"], out[f"{name}_p95_ms"] = pct(stages[name], 50), pct(stages[name], 95)
    # bm25s answers one top-50 query; the first keyword call of an ask is that same query.
    out["keyword_first_p50_ms"], out["keyword_first_p95_ms"] = pct(first_keyword, 50), pct(first_keyword, 95)
    direct = [n for n in top if n != "keyword"]      # a second keyword call runs inside _complete
    rest = [t - first_keyword[i] - sum(stages[n][i] for n in direct) for i, t in enumerate(timed_ask)]
    out["other_p50_ms"] = pct(rest, 50)
    vecs = clock.vectors

    # Each stage beside its bare library, both timed in the same tight loop, so cache state is alike.
    idx = list(range(len(vecs)))
    alone, bare = interleaved(lambda i: vi.search(vecs[i], CANDIDATES),
                              lambda i: vi.index.search(vecs[i].reshape(1, -1), CANDIDATES), idx)
    out["dense_alone_p50_ms"], out["dense_alone_p95_ms"] = pct(alone, 50), pct(alone, 95)
    out["faiss_p50_ms"], out["faiss_p95_ms"] = pct(bare, 50), pct(bare, 95)
    from index.query import parse_question

    parsed = [parse_question(q, searcher._glossary) for q in qs]
    keyword_stage = stages_of.keyword.__wrapped__ if hasattr(stages_of.keyword, "__wrapped__") else stages_of.keyword
    kw_alone, _ = time_each(lambda p: keyword_stage(searcher.store, p, None, DEFAULT, CANDIDATES, searcher._keywords),
                            parsed)
    out["keyword_engine"] = DEFAULT.keyword_engine if searcher._keywords is not None else "fts5"
    out["sentence_cache"] = searcher._sentences is not None
    out["keyword_alone_p50_ms"], out["keyword_alone_p95_ms"] = pct(kw_alone, 50), pct(kw_alone, 95)

    rows = searcher.store.conn.execute("SELECT header, text FROM chunks ORDER BY id").fetchall()
    t = time.perf_counter()
    corpus = bm25s.tokenize([f"{h}\n{x}" for h, x in rows], stopwords="en", show_progress=False)
    bm = bm25s.BM25()
    bm.index(corpus, show_progress=False)
    out["bm25s_index_s"] = round(time.perf_counter() - t, 2)
    del rows, corpus

    def bm25(q: str):
        tokens = bm25s.tokenize([q], stopwords="en", return_ids=False, show_progress=False)
        return bm.retrieve(tokens, k=min(CANDIDATES, vi.size), show_progress=False, n_threads=1)

    b, _ = time_each(bm25, qs)
    out["bm25s_p50_ms"], out["bm25s_p95_ms"] = pct(b, 50), pct(b, 95)

    allv = vi.vectors()
    flat = faiss.IndexFlatIP(allv.shape[1])
    flat.add(allv)
    flat_t, _ = time_each(lambda i: flat.search(vecs[i].reshape(1, -1), CANDIDATES), idx)
    out["flat_p50_ms"], out["flat_p95_ms"] = pct(flat_t, 50), pct(flat_t, 95)
    q = np.stack(vecs)
    _, exact = flat.search(q, 10)
    _, approx = vi.index.search(q, 10)
    out["recall_at_10"] = round(float(np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx, exact)])), 4)
    out["peak_rss_mb"] = rss_mb().get("peak_rss_mb")
    return out


def interleaved(ours, theirs, inputs: list, warmup: int = 3) -> tuple[list[float], list[float]]:
    """Milliseconds of each of two functions on each input, the two taking turns input by input (the
    order alternating too), so that neither is timed with caches the other warmed."""
    for x in inputs[:warmup]:
        ours(x), theirs(x)
    a, b = [], []
    for n, x in enumerate(inputs):
        for fn, out in ((ours, a), (theirs, b)) if n % 2 == 0 else ((theirs, b), (ours, a)):
            t = time.perf_counter()
            fn(x)
            out.append((time.perf_counter() - t) * 1000.0)
    return a, b


def ratios(r: dict) -> dict:
    kw = r.get("keyword_alone_p50_ms", r["keyword_first_p50_ms"])
    return {"dense_vs_faiss": round(r["dense_alone_p50_ms"] / max(r["faiss_p50_ms"], 1e-6), 2),
            "keyword_vs_bm25s": round(kw / max(r["bm25s_p50_ms"], 1e-6), 2)}


def report(res: dict) -> str:
    sizes = res["sizes"]
    keys = [("p50_ms", "ask p50 ms"), ("p95_ms", "ask p95 ms"), ("embed_p50_ms", "query embedding p50"),
            ("dense_p50_ms", "dense stage in ask p50"), ("dense_alone_p50_ms", "dense stage alone p50"),
            ("faiss_p50_ms", "bare FAISS p50 (same index)"), ("dense_vs_faiss", "dense alone / FAISS"),
            ("keyword_first_p50_ms", "keyword top-50 in ask p50"), ("keyword_alone_p50_ms", "keyword top-50 alone p50"),
            ("keyword_alone_p95_ms", "keyword top-50 alone p95"), ("bm25s_p50_ms", "bm25s top-50 p50"),
            ("bm25s_p95_ms", "bm25s top-50 p95"), ("keyword_vs_bm25s", "keyword alone / bm25s"),
            ("keyword_p50_ms", "keyword, all calls in ask p50"), ("complete_p50_ms", "complete (rescore union) p50"),
            ("complete_p95_ms", "complete p95"), ("fuse_p50_ms", "fusion p50"), ("answer_p50_ms", "answer p50"),
            ("other_p50_ms", "rest of ask p50"), ("flat_p50_ms", "exact flat search p50"),
            ("recall_at_10", "recall@10 vs exact"), ("index_type", "index type"), ("rss_mb", "serving RSS MB"),
            ("rss_model_only_mb", "RSS, model only MB"), ("torch_threads", "torch threads"),
            ("faiss_threads", "FAISS threads"), ("build_store_s", "store build s"),
            ("build_faiss_s", "FAISS build s"), ("build_keywords_s", "keyword cache build s"),
            ("build_sentences_s", "sentence cache build s"), ("index_mb", "index on disk MB"),
            ("keyword_engine", "keyword engine"), ("encoder", "question encoder"),
            ("encoder_threads", "encoder threads"), ("queries", "questions")]
    rows = [[label] + [sizes[s].get(k, "") for s in sizes] for k, label in keys]
    m = res["machine"]
    head = (f"Query benchmark, {res['queries']} questions, {m['date']}, {m['cpu']} x{m['cores']}, "
            f"load {m['load_avg_1m']}; pool of {res['pool']} real embeddings, noise {res['noise']}")
    lines = [head, table(["figure"] + [f"{int(s):,} chunks" for s in sizes], rows)]
    for name, targets in (("", res.get("targets", {})), (" at 1M", res.get("targets_1m", {}))):
        lines += [f"target{name} {k}: {t['measured']} vs {t['target']} ({'met' if t['met'] else 'not met'})"
                  for k, t in targets.items()]
    if res.get("plot"):
        lines.append(f"plot: {res['plot']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000", help="Chunk counts, comma separated.")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--pool", type=int, default=2000, help="Chunks given real embeddings.")
    ap.add_argument("--noise", type=float, default=0.025, help="Per-dimension std of the noise on reused vectors.")
    ap.add_argument("--cache", type=Path, default=CACHE_DIR)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--torch-threads", type=int, default=None,
                    help="Threads for the model in the serving process (default: torch's own choice).")
    ap.add_argument("--faiss-threads", type=int, default=None,
                    help="OpenMP threads for FAISS in the serving process (default: FAISS's own choice).")
    ap.add_argument("--large-queries", type=int, default=50,
                    help=f"Questions at sizes of {LARGE:,} chunks and more.")
    ap.add_argument("--plot", type=Path, default=None, help="Write the scale curve as a PNG here.")
    ap.add_argument("--keep", type=Path, default=None, help="Build the stores here and keep them (for profiling).")
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    add_embedder_option(ap)
    args = ap.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, args.queries, args.embedder, args.torch_threads, args.faiss_threads)))
        return 0
    from index import keywords, sentence_cache
    from index.vectors import load_or_build
    from index.store import Store

    sizes = [int(s) for s in args.sizes.split(",")]
    pool = min(args.pool, max(sizes))
    log(f"embedding a pool of {pool} chunks (cached in {args.cache})")
    vecs, info = pool_vectors(pool, args.cache, args.embedder)
    res = {"machine": machine(), "embedder": info["model"], "queries": args.queries, "pool": pool, "noise": args.noise,
           "pool_encoded_now": info["pool_encoded_now"], "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="minutes-query-bench-") as tmp:
        for n in sizes:
            folder = (args.keep or Path(tmp)) / f"n{n}"
            if args.keep and folder.exists():
                shutil.rmtree(folder)
            log(f"{n:,} chunks: building the store")
            r = {"chunks": n, "build_store_s": round(build_store(folder, n, vecs, info, args.noise), 1)}
            t = time.perf_counter()
            store = Store(folder)
            load_or_build(store)
            store.close()
            r["build_faiss_s"] = round(time.perf_counter() - t, 1)
            # The caches the nightly run writes after its commit, so the serving process only opens them.
            for name, module in (("keywords", keywords), ("sentences", sentence_cache)):
                t = time.perf_counter()
                store = Store(folder)
                module.load_or_build(store)
                store.close()
                r[f"build_{name}_s"] = round(time.perf_counter() - t, 1)
            r["index_mb"] = round(sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6)
            queries = args.queries if n < LARGE else min(args.queries, args.large_queries)
            log(f"{n:,} chunks: measuring in a fresh process")
            cmd = [sys.executable, __file__, "--measure", str(folder), "--queries", str(queries),
                   "--embedder", args.embedder]
            for flag, value in (("--torch-threads", args.torch_threads), ("--faiss-threads", args.faiss_threads)):
                cmd += [flag, str(value)] if value else []
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode:
                sys.stderr.write(proc.stderr)
                return 1
            r.update(json.loads(proc.stdout.strip().splitlines()[-1]))
            r.update(ratios(r), queries=queries)
            res["sizes"][str(n)] = r
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)    # a million chunks take 8 GB of disk
    largest = res["sizes"][str(max(sizes))]
    res.update({k: v for k, v in largest.items() if k != "chunks"})
    res["machine_after"] = machine()
    # The targets at the size they are set for: 100k (or the largest size measured, for a smaller run)
    # and 1M when measured.
    at = res["sizes"].get("100000", largest)
    res["targets"] = {k: {"target": v, "measured": at[k], "met": at[k] <= v, "chunks": at["chunks"]}
                      for k, v in TARGETS.items() if isinstance(at.get(k), (int, float))}
    million = res["sizes"].get(str(LARGE))
    if million:
        built = round(sum(million.get(k, 0) for k in ("build_store_s", "build_faiss_s", "build_keywords_s",
                                                        "build_sentences_s")), 1)
        res["targets_1m"] = {**{k: {"target": v, "measured": million[k], "met": million[k] <= v}
                                for k, v in TARGETS_1M.items()},
                             "build_s": {"target": 1800, "measured": built, "met": built <= 1800}}
    if args.plot:
        res["plot"] = plot(res, args.plot)
    print(json.dumps(res) if args.json else report(res))
    return 0


# (key, label, style) of each line of the scale plot: the ask path, its stages, and the bare libraries.
PLOT_LINES = [("p50_ms", "ask p50", "-o"), ("p95_ms", "ask p95", "--o"), ("embed_p50_ms", "question embedding", ":s"),
              ("keyword_first_p50_ms", "keyword stage (tantivy)", ":^"), ("bm25s_p50_ms", "bare bm25s", "-^"),
              ("dense_p50_ms", "dense stage", ":v"), ("faiss_p50_ms", "bare FAISS", "-v"),
              ("complete_p50_ms", "rescoring the union", ":d"), ("fuse_p50_ms", "fusion", ":x"),
              ("answer_p50_ms", "answer span", ":+"), ("other_p50_ms", "rest of ask", ":*")]


def plot(res: dict, path: Path) -> str | None:
    """p50 (and the ask path's p95) against size, log-log, as a PNG; None when matplotlib is missing."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log("matplotlib is not installed: no plot")
        return None
    sizes = sorted(res["sizes"], key=int)
    xs = [int(s) for s in sizes]
    fig, ax = plt.subplots(figsize=(8, 5.5), dpi=110)
    for key, label, style in PLOT_LINES:
        ys = [res["sizes"][s].get(key) for s in sizes]
        if all(isinstance(y, (int, float)) for y in ys):
            ax.plot(xs, [max(y, 0.01) for y in ys], style, label=label, linewidth=2 if key.startswith("p") else 1)
    ax.axhline(30, color="grey", linewidth=0.8, linestyle="-.", label="target p50 at 100k (30 ms)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("chunks in the index")
    ax.set_ylabel("ms per question (p50 unless marked)")
    m = res["machine"]
    ax.set_title(f"Minutes Q&A query latency, {m['date']}, {m['cores']} cores")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return str(path)


if __name__ == "__main__":
    sys.exit(main())
