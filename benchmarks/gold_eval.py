"""The gold question sets scored as `minutes eval` scores them: hybrid, keyword and dense side by side.

Usage: python benchmarks/gold_eval.py [--json] [--limit N] [--split dev|test] [--ablate] [--store sqlite|milvus]

benchmarks/gold/sample.jsonl is asked of an index of corpus/; benchmarks/gold/real.jsonl of an index of
../shared/data/opcc and ../shared/data/council-minutes. Each index is built in a temporary folder by the
real ingest (index.sync.Ingester) with the real model, its embeddings cached under benchmarks/.cache/.
Beside hit@k, MRR and answer-hit, by kind of question: how often the unanswerable questions of the same
part (benchmarks/gold/unanswerable.jsonl) get no answer, and warm ask times (p50/p95) of the product
beside its keyword-only pipeline on the same questions.
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

from benchmarks._common import (CACHE_DIR, ROOT, SHARED_DATA, add_embedder_option, log, machine,  # noqa: E402
                                make_embedder, table)

MODES = ("hybrid", "keyword", "dense")
SETS = {
    "sample": (ROOT / "benchmarks" / "gold" / "sample.jsonl", [ROOT / "corpus"]),
    "real": (ROOT / "benchmarks" / "gold" / "real.jsonl", [SHARED_DATA / "opcc", SHARED_DATA / "council-minutes"]),
    # Present-tense questions whose answer is in the latest meeting that speaks to them: answer-hit here
    # is the share answered from that meeting.
    "current": (ROOT / "benchmarks" / "gold" / "current.jsonl", [ROOT / "corpus"]),
}


def score_set(gold: Path, paths: list[Path], emb, limit: int | None = None, part: str = "all",
              ablate: bool = False, unanswerable: list[str] = (), keyword_engine: str = "tantivy",
              store: str = "sqlite") -> dict:
    from index.eval import evaluate, load_gold, split_part
    from index.search import DEFAULT, Searcher, Settings
    from index.sync import Ingester

    golds = split_part(load_gold(gold), gold.with_name("split.json"), part)[:limit]
    with tempfile.TemporaryDirectory(prefix="minutes-gold-") as tmp:
        # `milvus` puts the chunks in a milvus-lite file beside the temporary index.
        setting = f"milvus:{Path(tmp) / 'chunks.db'}" if store == "milvus" else store
        t = time.perf_counter()
        report = Ingester(Path(tmp), embedder=emb, progress=False, store=setting).run(paths)
        ingest_s = time.perf_counter() - t
        searcher = Searcher(Path(tmp), embedder=emb, store=setting)
        product = DEFAULT.with_(keyword_engine=keyword_engine)
        runs = {m: Settings.baseline(m).with_(keyword_engine=keyword_engine) for m in MODES}
        if ablate:
            runs.update(product.ablations())
        t = time.perf_counter()
        results = {m: evaluate(searcher, golds, st) for m, st in runs.items()}
        ask_s = time.perf_counter() - t
        # Warm asks, one at a time as the page asks them: the product beside its keyword-only pipeline.
        timing = {}
        for name in ("hybrid", "keyword"):
            times = []
            for g in golds:
                t = time.perf_counter()
                searcher.ask(g.q, settings=runs[name])
                times.append((time.perf_counter() - t) * 1000.0)
            times.sort()
            timing[f"{name}_p50_ms"] = round(times[len(times) // 2], 1) if times else None
            timing[f"{name}_p95_ms"] = round(times[int(len(times) * 0.95)], 1) if times else None
        abstained = sum(searcher.ask(q, settings=product).answer is None for q in unanswerable)
        searcher.store.close()
        if searcher.backend.engine is not None:
            searcher.backend.engine.close()
    return {"store": store, "questions": len(golds), "documents": report.added, "chunks": report.chunks,
            "failed": report.failed, "ingest_s": round(ingest_s, 1), "ask_s": round(ask_s, 1), "part": part,
            **{m: s.figures() for m, s in results.items()}, "by_kind": results["hybrid"].kinds(),
            "timing": timing, "unanswerable": {"questions": len(unanswerable), "abstained": abstained},
            "settings": product.describe(), "hybrid_misses": results["hybrid"].misses}


def unanswerable_questions(name: str, part: str) -> list[str]:
    path = ROOT / "benchmarks" / "gold" / "unanswerable.jsonl"
    if not path.exists():
        return []
    split = json.loads((path.with_name("split.json")).read_text(encoding="utf-8"))
    held = set(split.get("unanswerable_test", []))
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["q"] for r in rows if r["set"] == name and (part == "all" or (r["q"] in held) == (part == "test"))]


def report(res: dict) -> str:
    m = res["machine"]
    lines = [f"Gold sets, {m['date']}, {m['cpu']} x{m['cores']}"]
    for name, r in res["sets"].items():
        if "skipped" in r:
            lines += ["", f"{name}: skipped ({r['skipped']})"]
            continue
        lines += ["", f"{name} ({r['part']}): {r['questions']} questions, {r['documents']} documents, "
                      f"{r['chunks']} chunks, {len(r['failed'])} failed to ingest"]
        keys = ["hit_at_1", "hit_at_3", "hit_at_5", "mrr", "answer_hit", "answered", "quote_words"]
        runs = [k for k in r if isinstance(r[k], dict) and "hit_at_1" in r[k]]
        lines.append(table(["run"] + keys, [[run] + [r[run][k] for k in keys] for run in runs]))
        lines.append(table(["kind", "questions"] + keys[:-2] + ["quote_words"],
                           [[k, f["questions"]] + [f[x] for x in keys[:-2]] + [f["quote_words"]]
                            for k, f in r["by_kind"].items()]))
        u = r["unanswerable"]
        lines.append(f"unanswerable questions: {u['abstained']} of {u['questions']} answered with no answer")
        lines.append("warm ask ms: " + ", ".join(f"{k} {v}" for k, v in r["timing"].items()))
        for f in r["failed"]:
            lines.append(f"  failed: {f['document']}: {f['error']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default=",".join(SETS), help="Which gold sets, comma separated.")
    ap.add_argument("--limit", type=int, default=None, help="Only the first N questions of each set.")
    ap.add_argument("--cache", type=Path, default=CACHE_DIR)
    ap.add_argument("--split", choices=["all", "dev", "test"], default="all",
                    help="Score one part of the frozen split (benchmarks/gold/split.json).")
    ap.add_argument("--ablate", action="store_true", help="Also score the product with each signal off in turn.")
    ap.add_argument("--keyword-engine", choices=["tantivy", "fts5"], default="tantivy",
                    help="The keyword stage's engine: the tantivy cache (the product) or SQLite's FTS5.")
    ap.add_argument("--store", default="sqlite",
                    help="Where chunks are searched: sqlite (the product's default), milvus (a milvus-lite file in "
                         "the temporary index) or milvus://HOST:PORT.")
    ap.add_argument("--json", action="store_true")
    add_embedder_option(ap)
    args = ap.parse_args(argv)
    emb = make_embedder(args.embedder, args.cache)
    res = {"machine": machine(), "embedder": emb.name, "sets": {}}
    for name in args.sets.split(","):
        gold, paths = SETS[name]
        missing = [str(p) for p in [gold, *paths] if not p.exists()]
        if missing:
            res["sets"][name] = {"skipped": f"absent: {', '.join(missing)}"}
            continue
        log(f"{name}: ingesting {', '.join(p.name for p in paths)} and asking {gold.name}")
        res["sets"][name] = score_set(gold, paths, emb, args.limit, args.split, args.ablate,
                                      unanswerable_questions(name, args.split), args.keyword_engine,
                                      args.store)
    print(json.dumps(res) if args.json else report(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
