"""Whether the learned ranking gives better answers than the hand-set one, end to end, on questions whose
documents its model never saw.

Usage: python benchmarks/ranker_end_to_end.py [--index-sample DIR] [--index-real DIR] [--json]

train_ranker.py compares the two rankings' top candidate only. Here the dev questions are cut into the
same five folds (whole documents together, train_ranker.SEED); for each fold a model is trained on the
other four, and the fold's questions are asked of the whole pipeline with it (the quote, the facts and the
recency band included), beside the hand-set ranking. The test part of the split is never read.
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

import numpy as np  # noqa: E402

from benchmarks import train_ranker  # noqa: E402
from benchmarks._common import log, make_embedder  # noqa: E402

FOLDS = 5
# The present-tense set is asked of the sample corpus's index.
SETS = [("sample", "sample"), ("real", "real"), ("current", "sample")]


def main() -> int:
    from index.eval import evaluate, load_gold, split_part
    from index.search import DEFAULT, Searcher
    from index.sync import Ingester

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index-sample", type=Path, help="an index of corpus/ to use instead of building one")
    ap.add_argument("--index-real", type=Path, help="an index of the real files to use instead of building one")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    emb = make_embedder("real", None)
    gold = train_ranker.GOLD
    golds = {name: split_part(load_gold(gold / f"{name}.jsonl"), gold / "split.json", "dev") for name, _ in SETS}
    with tempfile.TemporaryDirectory(prefix="minutes-e2e-") as tmp:
        folders = {}
        for name, paths in train_ranker.SETS.items():
            folders[name] = getattr(args, f"index_{name}") or Path(tmp) / name
            if getattr(args, f"index_{name}") is None:
                log(f"indexing {name}")
                Ingester(folders[name], embedder=emb, progress=False).run(paths)
        records = []
        for name in train_ranker.SETS:
            log(f"gathering {len(golds[name])} dev questions of {name}")
            records += train_ranker.gather(folders[name], emb, golds[name])
        docs = sorted({r["doc"] for r in records} | {g.doc for gs in golds.values() for g in gs})
        order = np.random.default_rng(train_ranker.SEED).permutation(len(docs))
        fold_of = {docs[i]: n % FOLDS for n, i in enumerate(order)}
        models = [train_ranker.fit([r for r in records if fold_of[r["doc"]] != k]) for k in range(FOLDS)]
        searchers = {name: Searcher(folder, embedder=emb) for name, folder in folders.items()}
        figures: dict[str, dict] = {}
        for variant, settings in [("hand-set", DEFAULT.with_(learned=False)), ("learned", DEFAULT.with_(learned=True))]:
            for name, index in SETS:
                hit = answer = asked = 0
                for k in range(FOLDS):
                    part = [g for g in golds[name] if fold_of[g.doc] == k]
                    if not part:
                        continue
                    searchers[index]._learned_ranker = lambda model=models[k]: model
                    f = evaluate(searchers[index], part, settings).figures()
                    hit += f["hit_at_1"] * len(part)
                    answer += f["answer_hit"] * len(part)
                    asked += len(part)
                figures.setdefault(variant, {})[name] = {"questions": asked, "hit_at_1": round(hit / asked, 4),
                                                         "answer_hit": round(answer / asked, 4)}
        for s in searchers.values():
            s.store.close()
    if args.json:
        print(json.dumps(figures, indent=1))
    else:
        print(f"{'':10} " + "  ".join(f"{name:>22}" for name, _ in SETS))
        for variant, per in figures.items():
            print(f"{variant:10} " + "  ".join(f"hit@1 {f['hit_at_1']:.3f} answer {f['answer_hit']:.3f}"
                                               for f in per.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
