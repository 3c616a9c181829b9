"""The learned span choice: a LightGBM LambdaRank model over SPAN_FEATURES, shipped as a small text file.

`benchmarks/train_span.py` rebuilds it from the dev part of the gold questions (seed, data hash and
cross-validated figures in span_model.json beside it). It chooses only when the settings ask for it.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from index.search.ranker import Ranker, load_model
from index.search.span import SentencePick, span_matrix

MODEL = Path(__file__).with_name("span_model.txt")
CARD = Path(__file__).with_name("span_model.json")


class SpanModel(Ranker):
    def scores(self, spans: list[SentencePick]) -> np.ndarray:
        return self.predict(span_matrix(spans))

    def choose(self, spans: list[SentencePick]) -> int:
        return int(np.argmax(self.scores(spans)))


def load_span_model(path: Path = MODEL) -> SpanModel | None:
    return load_model(SpanModel, path, CARD)
