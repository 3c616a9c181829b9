"""The learned ranking: a LightGBM LambdaRank model over FEATURES, shipped as a small text file.

`benchmarks/train_ranker.py` rebuilds it from the dev part of the gold questions (seed, data hash and
cross-validated figures in ranker.json beside it). It ranks only when the settings ask for it.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

MODEL = Path(__file__).with_name("ranker.txt")
CARD = Path(__file__).with_name("ranker.json")


class Ranker:
    def __init__(self, path: Path = MODEL, card: Path = CARD):
        import lightgbm

        self.booster = lightgbm.Booster(model_file=str(path))
        about = json.loads(card.read_text(encoding="utf-8")) if card.exists() else {}
        self.features = about.get("features")

    def predict(self, x: np.ndarray) -> np.ndarray:
        return self.booster.predict(x, num_threads=1)


def load_model(kind: type[Ranker], path: Path, card: Path) -> Ranker | None:
    """The model shipped at ``path``, or None when there is none or lightgbm is absent: the hand-set
    ranking or fit serves."""
    if not path.exists():
        return None
    try:
        return kind(path, card)
    except ImportError:
        return None


def load_ranker(path: Path = MODEL) -> Ranker | None:
    return load_model(Ranker, path, CARD)
