"""The gold question sets scored as `minutes eval` scores them: hybrid, keyword and dense side by side.

Usage: python benchmarks/gold_eval.py [--json] [--limit N]

benchmarks/gold/sample.jsonl is asked of an index of corpus/; benchmarks/gold/real.jsonl of an index of
../shared/data/opcc and ../shared/data/council-minutes. Each index is built in a temporary folder by the
real ingest (index.sync.Ingester) with the real model, its embeddings cached under benchmarks/.cache/.
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
}


def score_set(gold: Path, paths: list[Path], emb, limit: int | None = None) -> dict:
    from index.eval import evaluate, load_gold
    from index.search import Searcher, Settings
    from index.sync import Ingester

    golds = load_gold(gold)[:limit]
    with tempfile.TemporaryDirectory(prefix="minutes-gold-") as tmp:
        t = time.perf_counter()
        report = Ingester(Path(tmp), embedder=emb, progress=False).run(paths)
        ingest_s = time.perf_counter() - t
        searcher = Searcher(Path(tmp), embedder=emb)
        t = time.perf_counter()
        results = {m: evaluate(searcher, golds, Settings.baseline(m)) for m in MODES}
        ask_s = time.perf_counter() - t
        searcher.store.close()
    return {"questions": len(golds), "documents": report.added, "chunks": report.chunks,
            "failed": report.failed, "ingest_s": round(ingest_s, 1), "ask_s": round(ask_s, 1),
            **{m: s.figures() for m, s in results.items()}, "hybrid_misses": results["hybrid"].misses}


def report(res: dict) -> str:
    m = res["machine"]
    lines = [f"Gold sets, {m['date']}, {m['cpu']} x{m['cores']}"]
    for name, r in res["sets"].items():
        if "skipped" in r:
            lines += ["", f"{name}: skipped ({r['skipped']})"]
            continue
        lines += ["", f"{name}: {r['questions']} questions, {r['documents']} documents, {r['chunks']} chunks, "
                      f"{len(r['failed'])} failed to ingest"]
        keys = ["hit_at_1", "hit_at_3", "hit_at_5", "mrr", "answer_hit"]
        lines.append(table(["mode"] + keys, [[mode] + [r[mode][k] for k in keys] for mode in MODES]))
        for f in r["failed"]:
            lines.append(f"  failed: {f['document']}: {f['error']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default=",".join(SETS), help="Which gold sets, comma separated.")
    ap.add_argument("--limit", type=int, default=None, help="Only the first N questions of each set.")
    ap.add_argument("--cache", type=Path, default=CACHE_DIR)
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
        res["sets"][name] = score_set(gold, paths, emb, args.limit)
    print(json.dumps(res) if args.json else report(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
