"""Shared fixtures: a private index folder per test, the real model loaded once, the sample corpus indexed once."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED_DATA = ROOT.parent / "shared" / "data"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def shared_data(*parts: str) -> Path:
    """A folder of the real minutes beside the project, or a skip where it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the real minutes live beside the project in ../shared/data")
    return path


@pytest.fixture(autouse=True)
def _private_index(tmp_path, monkeypatch):
    # No test may read or write the user's own index.
    monkeypatch.setenv("MINUTES_INDEX", str(tmp_path / "index"))
    monkeypatch.delenv("MINUTES_MODEL", raising=False)


@pytest.fixture(scope="session")
def real_embedder():
    from index.embed import SentenceEmbedder

    return SentenceEmbedder()


@pytest.fixture
def hash_embedder():
    from index.embed import HashEmbedder

    return HashEmbedder()


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory, real_embedder) -> Path:
    """An index of the bundled corpus/ built with the real model. Read it; copy it to change it."""
    from index.sync import Ingester

    folder = tmp_path_factory.mktemp("corpus-index")
    report = Ingester(folder, embedder=real_embedder, progress=False).run([CORPUS])
    assert report.added > 0 and not report.failed, report.failed
    return folder


@pytest.fixture
def corpus_index_copy(corpus_index, tmp_path) -> Path:
    dest = tmp_path / "corpus-index"
    shutil.copytree(corpus_index, dest)
    return dest
