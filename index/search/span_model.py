"""The learned span choice: a LightGBM LambdaRank model over SPAN_FEATURES, shipped as a small text file.

`benchmarks/train_span.py` rebuilds it from the dev part of the gold questions (seed, data hash and
cross-validated figures in span_model.json beside it). It chooses only when the settings ask for it.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from index.search.span import SentencePick, span_matrix

MODEL = Path(__file__).with_name("span_model.txt")
CARD = Path(__file__).with_name("span_model.json")


class SpanModel:
    def __init__(self, path: Path = MODEL):
        import lightgbm

        self.booster = lightgbm.Booster(model_file=str(path))
        card = json.loads(CARD.read_text(encoding="utf-8")) if CARD.exists() else {}
        self.features = card.get("features")

    def scores(self, spans: list[SentencePick]) -> np.ndarray:
        return self.booster.predict(span_matrix(spans), num_threads=1)

    def choose(self, spans: list[SentencePick]) -> int:
        return int(np.argmax(self.scores(spans)))


def load_span_model(path: Path = MODEL) -> SpanModel | None:
    if not path.exists():
        return None
    try:
        return SpanModel(path)
    except ImportError:   # lightgbm absent: the hand-set fit chooses
        return None
