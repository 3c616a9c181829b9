"""The int8 ONNX encoder against the torch model it is exported from: question latency, batch throughput,
memory and how far apart their vectors are.

Usage: python benchmarks/encoder.py [--questions 200] [--passages 2000] [--json]

Both encoders are `index.embed.SentenceEmbedder`s of the packaged model in one process, loaded and
warmed before anything is timed; ONNX first, so the resident memory after it is the ONNX encoder's
alone (the torch model comes in after). Questions are the gold questions of benchmarks/gold/sample.jsonl,
each embedded alone as a search does, the two encoders taking turns question by question so that both
see the same load on a shared machine; threads as the web page sets them (`--query-threads`, default 1).
Passages are what the nightly ingest embeds, read by the project's own ingest: each chunk's text with its
header and each of its sentences, from corpus/ and then, while there are too few, the real minutes in
../shared/data; each encoder embeds all of them in batches of 64 with the libraries' own thread counts
(`--batch-threads` to set one). The vectors of both runs give the cosine between the encoders, and the
questions' top 10 passages under each give how often a search would see the same passages.
"""
from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]  # benchmarks/ingest.py shadows `ingest`
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from benchmarks._common import ROOT, SHARED_DATA, log, machine, pct, rss_mb, table  # noqa: E402

SOURCES = [ROOT / "corpus", SHARED_DATA / "opcc", SHARED_DATA / "council-minutes"]
QUESTIONS = ROOT / "benchmarks" / "gold" / "sample.jsonl"


def questions(n: int) -> list[str]:
    qs = [json.loads(line)["q"] for line in QUESTIONS.read_text().splitlines() if line.strip()]
    if len(qs) < n:
        from benchmarks import _synth

        qs += _synth.questions(n - len(qs))
    return qs[:n]


def passages(n: int, emb) -> tuple[list[str], dict]:
    """The first ``n`` texts the nightly ingest would embed from SOURCES, in its order."""
    from ingest.chunk import chunk_meeting
    from ingest.loaders import SUPPORTED_SUFFIXES
    from ingest.pipeline import read_meeting
    from ingest.sentences import sentence_spans

    texts: list[tuple[str, str]] = []
    files = 0
    for source in SOURCES:
        if not source.is_dir():
            continue
        for f in sorted(source.rglob("*")):
            if len(texts) >= n:
                break
            if not f.is_file() or f.suffix.lower() not in SUPPORTED_SUFFIXES or f.name.startswith("."):
                continue
            try:
                chunks = chunk_meeting(read_meeting(f), emb.count_tokens, emb.max_tokens)
            except Exception:       # the ingest reports such a file as failed and embeds nothing of it
                continue
            texts += [("chunks", c.embed_text) for c in chunks]
            texts += [("sentences", c.text[a:b]) for c in chunks for a, b in sentence_spans(c.text)]
            files += 1
    texts = texts[:n]
    counts = {"files": files, "chunks": sum(k == "chunks" for k, _ in texts),
              "sentences": sum(k == "sentences" for k, _ in texts)}
    return [t for _, t in texts], counts


def set_torch_threads(n: int | None) -> int:
    import torch

    if n:
        torch.set_num_threads(n)
    return torch.get_num_threads()


def measure(n_questions: int, n_passages: int, query_threads: int, batch_threads: int | None,
            repeat: int) -> dict:
    from index.embed import SentenceEmbedder
    from index.encoder import cache_root

    out: dict = {"machine": machine()}
    t = time.perf_counter()
    onnx_q = SentenceEmbedder(encoder="onnx-int8", threads=query_threads)
    onnx_q.encode(["warm up the encoder"])
    out["onnx_load_s"] = round(time.perf_counter() - t, 2)
    if onnx_q.backend != "onnx-int8":
        raise SystemExit(f"the int8 encoder is unavailable here ({onnx_q.fallback_reason}): nothing to compare")
    out["onnx_export"] = str(onnx_q.model.folder)
    out["encoder_cache"] = str(cache_root())
    out["rss_onnx_only_mb"] = rss_mb()["rss_mb"]

    t = time.perf_counter()
    torch_emb = SentenceEmbedder(encoder="torch")
    torch_emb.encode(["warm up the encoder"])
    out["torch_load_s"] = round(time.perf_counter() - t, 2)
    out["rss_both_mb"] = rss_mb()["rss_mb"]
    torch_default = set_torch_threads(None)

    qs = questions(n_questions)
    log(f"{len(qs)} questions, one at a time, {query_threads} thread(s), the encoders taking turns")
    out["query_threads"] = set_torch_threads(query_threads)
    for q in qs[:10]:
        onnx_q.encode([q])
        torch_emb.encode([q])
    times = {"onnx": [], "torch": []}
    qvecs = {"onnx": [], "torch": []}
    for q in qs:
        for key, emb in (("onnx", onnx_q), ("torch", torch_emb)):
            t = time.perf_counter()
            v = emb.encode([q])
            times[key].append((time.perf_counter() - t) * 1000.0)
            qvecs[key].append(v[0])
    for key in times:
        out[f"{key}_query_p50_ms"], out[f"{key}_query_p95_ms"] = pct(times[key], 50), pct(times[key], 95)
        out[f"{key}_query_mean_ms"] = round(float(np.mean(times[key])), 3)
    out["query_speedup_p50"] = round(out["torch_query_p50_ms"] / max(out["onnx_query_p50_ms"], 1e-6), 2)
    out["query_speedup_p95"] = round(out["torch_query_p95_ms"] / max(out["onnx_query_p95_ms"], 1e-6), 2)
    qa, qb = np.stack(qvecs["onnx"]), np.stack(qvecs["torch"])
    qcos = np.sum(qa * qb, axis=1)
    out["questions"] = len(qs)
    out["question_cosine_mean"], out["question_cosine_min"] = round(float(qcos.mean()), 5), round(float(qcos.min()), 5)

    texts, counts = passages(n_passages, torch_emb)
    out["passages"], out["passage_sources"] = len(texts), counts
    out["batch_threads"] = set_torch_threads(batch_threads or torch_default)
    onnx_b = SentenceEmbedder(encoder="onnx-int8", threads=batch_threads)
    onnx_b.encode(texts[:64])
    torch_emb.encode(texts[:64])
    out["batch_size"] = onnx_b.batch_size
    best = {"onnx": float("inf"), "torch": float("inf")}
    pvecs = {}
    for r in range(repeat):
        for key, emb in (("onnx", onnx_b), ("torch", torch_emb)):
            log(f"{len(texts)} passages through {key} (round {r + 1} of {repeat})")
            t = time.perf_counter()
            pvecs[key] = emb.encode(texts)
            best[key] = min(best[key], time.perf_counter() - t)
    for key in best:
        out[f"{key}_batch_s"] = round(best[key], 2)
        out[f"{key}_passages_per_s"] = round(len(texts) / best[key], 1)
    out["batch_speedup"] = round(out["onnx_passages_per_s"] / max(out["torch_passages_per_s"], 1e-6), 2)
    pa, pb = pvecs["onnx"], pvecs["torch"]
    pcos = np.sum(pa * pb, axis=1)
    out["passage_cosine_mean"] = round(float(pcos.mean()), 5)
    out["passage_cosine_p1"] = round(float(np.percentile(pcos, 1)), 5)
    out["passage_cosine_min"] = round(float(pcos.min()), 5)
    k = min(10, len(texts))
    top_a = np.argsort(-(qa @ pa.T), axis=1)[:, :k]
    top_b = np.argsort(-(qb @ pb.T), axis=1)[:, :k]
    out["top10_overlap"] = round(float(np.mean([len(set(a) & set(b)) / k for a, b in zip(top_a, top_b)])), 4)
    out["top1_same"] = round(float(np.mean(top_a[:, 0] == top_b[:, 0])), 4)
    out["dim"] = int(pa.shape[1])
    out["peak_rss_mb"] = rss_mb().get("peak_rss_mb")
    out["machine_after"] = machine()
    return out


def report(r: dict) -> str:
    m, after = r["machine"], r["machine_after"]
    rows = [
        ["question embedding p50 ms", r["onnx_query_p50_ms"], r["torch_query_p50_ms"], r["query_speedup_p50"]],
        ["question embedding p95 ms", r["onnx_query_p95_ms"], r["torch_query_p95_ms"], r["query_speedup_p95"]],
        ["question embedding mean ms", r["onnx_query_mean_ms"], r["torch_query_mean_ms"], ""],
        ["passages/s (batches of %d)" % r["batch_size"], r["onnx_passages_per_s"], r["torch_passages_per_s"],
         r["batch_speedup"]],
        ["seconds for all passages", r["onnx_batch_s"], r["torch_batch_s"], ""],
        ["load + first encode s", r["onnx_load_s"], r["torch_load_s"], ""],
    ]
    src = r["passage_sources"]
    head = (f"Encoder benchmark, {m['date']}, {m['cpu']} x{m['cores']}, load {m['load_avg_1m']} at start, "
            f"{after['load_avg_1m']} at end; {r['questions']} questions ({r['query_threads']} thread), "
            f"{r['passages']} passages ({src['chunks']} chunks and {src['sentences']} sentences of "
            f"{src['files']} files; threads {r['batch_threads']})")
    tail = (f"cosine int8 vs torch: passages mean {r['passage_cosine_mean']}, 1st percentile "
            f"{r['passage_cosine_p1']}, min {r['passage_cosine_min']}; questions mean {r['question_cosine_mean']}, "
            f"min {r['question_cosine_min']}\n"
            f"same top passage for {r['top1_same']:.1%} of questions, top-10 overlap {r['top10_overlap']:.1%}\n"
            f"resident memory: ONNX encoder alone {r['rss_onnx_only_mb']} MB, with the torch model too "
            f"{r['rss_both_mb']} MB")
    return head + "\n" + table(["figure", "onnx-int8", "torch", "int8 gain"], rows) + "\n" + tail


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--questions", type=int, default=200, help="Questions embedded one at a time.")
    ap.add_argument("--passages", type=int, default=2000, help="Passages embedded in batches.")
    ap.add_argument("--query-threads", type=int, default=1,
                    help="Intra-op threads while embedding questions (the web page uses 1).")
    ap.add_argument("--batch-threads", type=int, default=None,
                    help="Intra-op threads while embedding passages (default: each library's own choice).")
    ap.add_argument("--repeat", type=int, default=1, help="Passage runs per encoder; the fastest is kept.")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    res = measure(args.questions, args.passages, args.query_threads, args.batch_threads, max(1, args.repeat))
    print(json.dumps(res) if args.json else report(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
