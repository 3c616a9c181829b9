"""The sentence cache (index/sentence_cache.py): every sentence's offsets and float16 vector in one
memory-mapped file beside the FAISS cache.

What must hold: it gives exactly the scores the store's own rows give; it follows the store's generation;
a damaged, truncated or half-written file is never trusted and a kill while writing it leaves the last one
answering; a folder it cannot be written in still answers, from the store.
"""
from __future__ import annotations

import json
import os
import subprocess

import numpy as np
import pytest

from index import sentence_cache
from index.embed import HashEmbedder
from index.search import Searcher
from index.search.candidates import sentence_scores
from index.store import Store
from index.sync import Ingester
from tests.minutes_files import fact, hash_ingest_command, kill_hash_ingest_at, write_minutes


@pytest.fixture
def small(tmp_path):
    drop = tmp_path / "minutes"
    for n in range(6):
        write_minutes(drop, n)
    index = tmp_path / "index"
    Ingester(index, embedder=HashEmbedder()).run([drop])
    return index, drop


def question_vector(text: str) -> np.ndarray:
    return HashEmbedder().encode([text])[0]


def same_scores(got: dict, want: dict) -> None:
    assert set(got) == set(want)
    for cid, rows in want.items():
        assert [(a, b) for a, b, _ in got[cid]] == [(a, b) for a, b, _ in rows]
        assert np.allclose([x for *_, x in got[cid]], [x for *_, x in rows], atol=1e-3)


def test_the_cache_gives_the_scores_the_store_gives(small):
    index, _ = small
    store = Store(index)
    cache = sentence_cache.load(index, store.generation_stamp())
    assert cache is not None, "the nightly run writes the cache of the state it committed"
    ids = [r[0] for r in store.conn.execute("SELECT id FROM chunks ORDER BY id DESC")]
    assert cache.size == store.sentence_counts()[1] > len(ids)
    for n in range(6):
        q = question_vector(fact(n).question)
        same_scores(cache.scores(q, ids), sentence_scores(store, q, ids))
    # Chunks the file does not hold (gone, or never there) are simply absent.
    assert cache.scores(question_vector("x"), [max(ids) + 1000, -5]) == {}
    assert cache.scores(question_vector("x"), []) == {}
    store.close()


def test_a_new_generation_gets_a_new_cache_and_the_page_follows(small):
    index, drop = small
    searcher = Searcher(index, embedder=HashEmbedder())
    searcher.ask(fact(1).question)
    first = searcher._sentences.stamp
    write_minutes(drop, 6)
    Ingester(index, embedder=HashEmbedder()).run([drop])
    store = Store(index)
    assert sentence_cache.read_stamp(index) == store.generation_stamp() != first
    result = searcher.ask(fact(6).question)
    assert searcher._sentences.stamp == store.generation_stamp()
    assert result.passages[0].document == "estates-board-0006.txt"
    assert result.answer is not None and fact(6).name in result.answer.text
    store.close()
    searcher.store.close()


@pytest.mark.parametrize("damage", ["truncate", "garbage", "stale"])
def test_a_damaged_or_stale_file_is_never_trusted_and_is_written_again(small, damage):
    index, _ = small
    store = Store(index)
    stamp = store.generation_stamp()
    path = sentence_cache.path_of(index)
    if damage == "truncate":
        with open(path, "r+b") as f:
            f.truncate(path.stat().st_size // 2)
    elif damage == "garbage":
        path.write_bytes(os.urandom(4096))
    else:
        head = path.read_bytes()
        path.write_bytes(head.replace(stamp[1].encode(), b"0" * len(stamp[1]), 1))
    assert sentence_cache.load(index, stamp) is None
    rebuilt = sentence_cache.load_or_build(store)
    assert rebuilt is not None and rebuilt.stamp == stamp
    ids = [r[0] for r in store.conn.execute("SELECT id FROM chunks")]
    q = question_vector(fact(2).question)
    same_scores(rebuilt.scores(q, ids), sentence_scores(store, q, ids))
    store.close()


def test_a_folder_that_cannot_be_written_answers_from_the_store(small, monkeypatch):
    index, _ = small
    sentence_cache.path_of(index).unlink()
    real_replace = os.replace

    def refuse(src, dst):
        if str(dst).endswith(sentence_cache.SENTENCES_NAME):
            raise PermissionError(13, "read-only", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(sentence_cache.os, "replace", refuse)
    searcher = Searcher(index, embedder=HashEmbedder())
    result = searcher.ask(fact(4).question)
    assert searcher._sentences is None
    assert result.answer is not None and fact(4).name in result.answer.text
    assert not list(index.glob(f".{sentence_cache.SENTENCES_NAME}.*"))      # no temporary left behind
    searcher.store.close()


def test_a_kill_while_the_file_is_written_leaves_the_last_one_answering(small):
    index, drop = small
    store = Store(index)
    old = store.generation_stamp()
    write_minutes(drop, 7)
    kill_hash_ingest_at("sentences", index, drop)
    new = store.generation_stamp()
    assert new != old
    assert sentence_cache.read_stamp(index) == old                  # the live file is the last whole one
    assert len(list(index.glob(f".{sentence_cache.SENTENCES_NAME}.*.tmp"))) == 1
    searcher = Searcher(index, embedder=HashEmbedder())             # follows the store: writes the new state's
    assert searcher.ask(fact(7).question).passages[0].document == "estates-board-0007.txt"
    assert sentence_cache.read_stamp(index) == new
    run = subprocess.run(hash_ingest_command(index, drop), capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["added"] == 0
    assert not list(index.glob(f".{sentence_cache.SENTENCES_NAME}.*.tmp"))  # the dead process's leftover
    searcher.store.close()
    store.close()
