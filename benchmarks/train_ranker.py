"""Trains the learned ranking (LightGBM LambdaRank) on the dev part of the gold questions, and says
whether it beats the hand-set ranking, cross-validated by document.

Usage: python benchmarks/train_ranker.py [--write] [--index-sample DIR] [--index-real DIR]

Each dev question is asked of an index of its set (built here by the real ingest unless given) with
the hand-set settings; the candidates the pipeline ranks, with their FEATURES (index/search/features.py),
are gathered through `Searcher.on_candidates`, each labelled by whether it holds the answer (the gold
document and every expected string). Five folds, whole documents held out together, compare the top
candidate under the hand-set score and under the model. `--write` saves the model trained on every dev
question to index/search/ranker.txt and its card (seed, data hash, figures) to ranker.json. The test
part of the split is never read.
"""
from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]  # benchmarks/ingest.py shadows `ingest`
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import tempfile  # noqa: E402

import numpy as np  # noqa: E402

from benchmarks._common import ROOT, SHARED_DATA, log, make_embedder  # noqa: E402

SEED = 20261201
GOLD = ROOT / "benchmarks" / "gold"
SETS = {"sample": [ROOT / "corpus"], "real": [SHARED_DATA / "opcc", SHARED_DATA / "council-minutes"]}
PARAMS = dict(objective="lambdarank", n_estimators=150, learning_rate=0.05, num_leaves=7, min_child_samples=10,
              subsample=0.8, subsample_freq=1, colsample_bytree=0.8, random_state=SEED, verbose=-1, n_jobs=1)


def gather(folder: Path, emb, golds) -> list[dict]:
    """One record per question: its candidates' features, labels, and the gold document."""
    from index.eval import holds
    from index.search import DEFAULT, Searcher

    searcher = Searcher(folder, embedder=emb)
    captured: list = []
    searcher.on_candidates = lambda q, ids, chunks, x: captured.append((ids, chunks, x))
    out = []
    for g in golds:
        captured.clear()
        searcher.ask(g.q, settings=DEFAULT.with_(learned=False))   # the hand-set ranking's candidates
        if not captured:
            continue
        ids, chunks, x = captured[0]
        y = [int(Path(chunks[c].document).name == g.doc and holds(chunks[c].text, g.expect)) for c in ids]
        out.append({"q": g.q, "doc": g.doc, "x": x, "y": np.asarray(y)})
    searcher.store.close()
    return out


def top1(records: list[dict], scores: list[np.ndarray]) -> float:
    return sum(int(r["y"][int(np.argmax(s))] == 1) for r, s in zip(records, scores)) / max(len(records), 1)


def fit(records: list[dict], params: dict = PARAMS):
    import lightgbm

    usable = [r for r in records if r["y"].any() and not r["y"].all()]
    model = lightgbm.LGBMRanker(**params)
    model.fit(np.vstack([r["x"] for r in usable]), np.concatenate([r["y"] for r in usable]),
              group=[len(r["y"]) for r in usable])
    return model


def held_out(records: list[dict], seed: int, params: dict = PARAMS, folds: int = 5
             ) -> tuple[list[dict], list[np.ndarray]]:
    """Each record scored by a model trained on the folds without its document (whole documents held out
    together, drawn by ``seed``): the records in fold order and the model's scores of each."""
    docs = sorted({r["doc"] for r in records})
    order = np.random.default_rng(seed).permutation(len(docs))
    fold_of = {docs[i]: n % folds for n, i in enumerate(order)}
    held, learned = [], []
    for k in range(folds):
        test = [r for r in records if fold_of[r["doc"]] == k]
        model = fit([r for r in records if fold_of[r["doc"]] != k], params)
        held += test
        learned += [model.predict(r["x"]) for r in test]
    return held, learned


def cross_validate(records: list[dict], folds: int = 5) -> dict:
    from index.search.features import FEATURES

    hand = FEATURES.index("hand")
    held, learned = held_out(records, SEED, PARAMS, folds)
    handset = [r["x"][:, hand] for r in held]
    return {"questions": len(held), "hand_top1": round(top1(held, handset), 4),
            "learned_top1": round(top1(held, learned), 4),
            "in_pool": round(sum(int(r["y"].any()) for r in held) / max(len(held), 1), 4)}


def train(doc: str, script: str, sets: dict[str, list[Path]], gather_set, cross_validate, seed: int,
          params: dict, features: list[str], model_path: Path, card_path: Path) -> int:
    """What both trainers do: read the dev questions of each set, ask them of an index of its files (given
    by --index-<set>, else built here, once for the same files) with ``gather_set(folder, emb, golds)``,
    print the cross-validated figures, and with --write save the model trained on every record and its
    card (seed, parameters, features, the gold files' sha256, the figures)."""
    from index.eval import load_gold, split_part
    from index.sync import Ingester

    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help="save the model trained on every dev question")
    ap.add_argument("--index-sample", type=Path, help="an index of corpus/ to use instead of building one")
    ap.add_argument("--index-real", type=Path, help="an index of the real files to use instead of building one")
    args = ap.parse_args()
    emb = make_embedder("real", None)
    records: list[dict] = []
    hashes = {}
    with tempfile.TemporaryDirectory(prefix="minutes-train-") as tmp:
        folders: dict[tuple, Path] = {}
        for name, paths in sets.items():
            gold = GOLD / f"{name}.jsonl"
            hashes[gold.name] = hashlib.sha256(gold.read_bytes()).hexdigest()
            golds = split_part(load_gold(gold), GOLD / "split.json", "dev")
            key = tuple(paths)
            if key not in folders:
                given = getattr(args, f"index_{name}", None)
                folders[key] = given or Path(tmp) / name
                if given is None:
                    log(f"indexing {name}")
                    Ingester(folders[key], embedder=emb, progress=False).run(paths)
            log(f"gathering {len(golds)} dev questions of {name}")
            records += gather_set(folders[key], emb, golds)
    figures = cross_validate(records)
    print(json.dumps(figures))
    if args.write:
        model = fit(records, params)
        model.booster_.save_model(str(model_path))
        card_path.write_text(json.dumps({
            "command": f"python benchmarks/{script} --write", "seed": seed, "params": params,
            "features": list(features), "trained_on": "dev part of benchmarks/gold/*.jsonl (split.json)",
            "gold_sha256": hashes, "cross_validated": figures}, indent=1) + "\n", encoding="utf-8")
        log(f"wrote {model_path} and {card_path}")
    return 0


def main() -> int:
    from index.search.features import FEATURES
    from index.search.ranker import CARD, MODEL

    return train(__doc__, "train_ranker.py", SETS, gather, cross_validate, SEED, PARAMS, FEATURES, MODEL, CARD)


if __name__ == "__main__":
    sys.exit(main())
