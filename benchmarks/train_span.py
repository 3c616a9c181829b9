"""Trains the learned span choice (LightGBM LambdaRank over SPAN_FEATURES) on the dev part of the gold
questions, and says whether it quotes the answer more often than the hand-set fit, cross-validated by
document.

Usage: python benchmarks/train_span.py [--write] [--index-sample DIR] [--index-real DIR]

Each dev question is asked of an index of its set (built here by the real ingest unless given) with the
product's settings; every time a quote is chosen, the candidate spans of the top passages, with their
features, are gathered through `Searcher.on_spans`, each labelled by whether its quote (widened as the
product widens it) holds the answer: the gold document and every expected string. Five folds, whole
documents held out together, compare the span chosen by the hand-set fit and by the model. `--write`
saves the model trained on every dev question to index/search/span_model.txt and its card (seed, data
hash, figures) to span_model.json. The test part of the split is never read.
"""
from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]  # benchmarks/ingest.py shadows `ingest`
sys.path.insert(0, str(_HERE.parent))


import numpy as np  # noqa: E402

from benchmarks._common import ROOT, SHARED_DATA  # noqa: E402
from benchmarks.train_ranker import held_out, top1, train  # noqa: E402

SEED = 20261203
# The present-tense questions are asked of corpus/ as the sample set is.
SETS = {"sample": [ROOT / "corpus"], "real": [SHARED_DATA / "opcc", SHARED_DATA / "council-minutes"],
        "current": [ROOT / "corpus"]}
PARAMS = dict(objective="lambdarank", n_estimators=200, learning_rate=0.05, num_leaves=7, min_child_samples=20,
              subsample=0.8, subsample_freq=1, colsample_bytree=0.8, random_state=SEED, verbose=-1, n_jobs=1)


def gather(searcher, golds) -> list[dict]:
    """One record per quote chosen: its spans' features, labels, and the gold document."""
    from index.eval import holds
    from index.search import DEFAULT
    from index.search.span import complete, span_matrix

    s = DEFAULT
    captured: list = []
    searcher.on_spans = lambda q, top, spans, naming: captured.append((q, top, spans, naming))
    out = []
    for g in golds:
        captured.clear()
        searcher.ask(g.q, settings=s)
        for q, top, spans, naming in captured:
            if not spans:
                continue
            y = []
            for c in spans:
                p = top[c.passage]
                a, b = c.start, c.end
                if s.span_complete:
                    a, b = complete(q, p.text, a, b, 0, len(p.text), naming, s.span_quote_max)
                y.append(int(Path(p.document).name == g.doc and holds(p.text[a:b], g.expect)))
            out.append({"q": g.q, "doc": g.doc, "x": span_matrix(spans), "y": np.asarray(y),
                        "hand": np.asarray([c.score for c in spans])})
    searcher.on_spans = None
    return out


def cross_validate(records: list[dict], folds: int = 5) -> dict:
    held, learned = held_out(records, SEED, PARAMS, folds)
    handset = [r["hand"] for r in held]
    answerable = [i for i, r in enumerate(held) if r["y"].any()]
    return {"quotes": len(held), "with_an_answer": len(answerable),
            "hand_top1": round(top1(held, handset), 4), "learned_top1": round(top1(held, learned), 4),
            "hand_top1_where_answerable": round(top1([held[i] for i in answerable], [handset[i] for i in answerable]), 4),
            "learned_top1_where_answerable": round(top1([held[i] for i in answerable],
                                                        [learned[i] for i in answerable]), 4)}


def gather_set(folder: Path, emb, golds) -> list[dict]:
    from index.search import Searcher

    searcher = Searcher(folder, embedder=emb)
    try:
        return gather(searcher, golds)
    finally:
        searcher.store.close()


def main() -> int:
    from index.search.span import SPAN_FEATURES
    from index.search.span_model import CARD, MODEL

    return train(__doc__, "train_span.py", SETS, gather_set, cross_validate, SEED, PARAMS, SPAN_FEATURES, MODEL,
                 CARD)


if __name__ == "__main__":
    sys.exit(main())
