"""Kill -9 at any instant: the index stays the last good one, whole documents only, and the next run finishes.

The instants are chosen with index/pause.py: a subprocess run with MINUTES_TEST_PAUSE=<stage>[:n] writes
``paused-<stage>`` into its index folder and sleeps at that point, and the test SIGKILLs it there. Nothing
but these tests sets that variable. A second test kills without pause points, whenever the store's
generation shows that the run is part way through.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.embed import HashEmbedder
from index.search import Searcher
from index.store import DB_NAME, Store
from index.vectors import FAISS_NAME, is_current, load_or_build, read_stamp
from tests.minutes_files import fact, hash_ingest_command, write_minutes
from tests.test_concurrency import wait_for
from tests.test_sync import consistent

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
NEW = range(500, 508)
# About the sample corpus, and far from what the new files hold: their answers must not move.
OLD_QUESTIONS = ["What caused the network outage on 2 November 2021?",
                 "What Band D precept did the panel support for 2022/23?"]


def minutes(*args: str, env: dict | None = None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ui.cli", *args], env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def kill_at(stage: str, idx: Path, drop: Path) -> None:
    """Run `minutes ingest` with the real model until it reaches ``stage``, then SIGKILL it there."""
    proc = minutes("ingest", str(drop), "--index", str(idx), "--json", env={"MINUTES_TEST_PAUSE": stage})
    marker = idx / f"paused-{stage.split(':')[0]}"
    try:
        wait_for(marker, proc, timeout=600)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    marker.unlink()


def answers(idx: Path, embedder, questions: list[str]) -> list[tuple[str | None, str | None]]:
    searcher = Searcher(idx, embedder=embedder)
    try:
        out = []
        for q in questions:
            a = searcher.ask(q).answer
            out.append((a.text, a.document) if a else (None, None))
        return out
    finally:
        searcher.store.close()


def new_documents(idx: Path) -> list[str]:
    with sqlite3.connect(idx / DB_NAME) as conn:
        return sorted(r[0] for r in conn.execute(
            "SELECT path FROM documents WHERE status = 'ok' AND path LIKE 'estates-board-%'"))


def keyword_documents(idx: Path, word: str) -> list[str]:
    with sqlite3.connect(idx / DB_NAME) as conn:
        return [r[0] for r in conn.execute(
            "SELECT DISTINCT d.path FROM chunks_fts f JOIN chunks c ON c.id = f.rowid JOIN meetings m "
            "ON m.id = c.meeting_id JOIN documents d ON d.id = m.document_id WHERE chunks_fts MATCH ?",
            (f'"{word}"',))]


def stamps(idx: Path) -> tuple:
    store = Store(idx)
    try:
        return read_stamp(idx), store.generation_stamp()
    finally:
        store.close()


@pytest.mark.slow
def test_kill_while_embedding_while_writing_and_while_saving_vectors(corpus_index_copy, real_embedder, tmp_path):
    idx = corpus_index_copy
    drop = tmp_path / "drop"
    shutil.copytree(CORPUS, drop)
    for n in NEW:
        write_minutes(drop, n)
    names = [f"estates-board-{n:04d}.txt" for n in NEW]
    new_questions = [fact(n).question for n in NEW]
    good = answers(idx, real_embedder, OLD_QUESTIONS)
    assert all(text for text, _ in good)
    cache, store_stamp = stamps(idx)
    assert cache == store_stamp

    # 1. Every new chunk embedded, nothing written: the index is exactly as it was.
    kill_at("embedded", idx, drop)
    assert stamps(idx) == (cache, store_stamp)
    assert new_documents(idx) == []
    consistent(idx)
    assert answers(idx, real_embedder, OLD_QUESTIONS) == good

    # 2. Inside the third new document's transaction: two whole documents in, the third not at all.
    kill_at("writing:3", idx, drop)
    assert new_documents(idx) == names[:2]
    consistent(idx)
    assert answers(idx, real_embedder, OLD_QUESTIONS) == good
    got = answers(idx, real_embedder, new_questions[:3])
    assert [doc for _, doc in got[:2]] == names[:2]
    assert got[2][1] != names[2]

    # 3. Every document committed, the new vector file written beside the old one but not renamed over it.
    kill_at("faiss", idx, drop)
    assert new_documents(idx) == names
    consistent(idx)
    leftovers = list(idx.glob(f".{FAISS_NAME}.*.tmp"))
    assert len(leftovers) == 1
    cache_now, store_now = stamps(idx)
    assert cache_now != store_now                       # the live cache is the old one, and says so
    reader = tmp_path / "reader"                        # a reader on a copy, so the next run finds the mess
    shutil.copytree(idx, reader)
    assert answers(reader, real_embedder, OLD_QUESTIONS) == good
    assert [doc for _, doc in answers(reader, real_embedder, new_questions)] == names

    # The next run finishes the work: nothing left to embed, the cache brought up to date, the leftover gone.
    final = minutes("ingest", str(drop), "--index", str(idx), "--json")
    out, err = final.communicate(timeout=600)
    assert final.returncode == 0, err
    report = json.loads(out)
    assert (report["added"], report["chunks"], report["failed"]) == (0, 0, [])
    assert report["unchanged"] == len(list(drop.iterdir()))
    assert not list(idx.glob(f".{FAISS_NAME}.*.tmp"))
    store = Store(idx)
    assert is_current(store)
    store.close()

    # And `minutes ask` answers the old questions as before and the new ones from the new files.
    ask = minutes("ask", "--index", str(idx), "--json", stdin=subprocess.PIPE)
    out, err = ask.communicate("\n".join(OLD_QUESTIONS + new_questions) + "\n", timeout=600)
    assert ask.returncode == 0, err
    results = [json.loads(line) for line in out.splitlines()]
    got = [(r["answer"]["text"], r["answer"]["document"]) if r["answer"] else (None, None) for r in results]
    assert got[:len(OLD_QUESTIONS)] == good
    assert [doc for _, doc in got[len(OLD_QUESTIONS):]] == names
    for n, (text, _) in zip(NEW, got[len(OLD_QUESTIONS):]):
        assert str(fact(n).count) in text


def test_kills_whenever_the_store_moves_never_leave_half_a_document(tmp_path):
    drop = tmp_path / "drop"
    for n in range(120):
        write_minutes(drop, n)
    idx = tmp_path / "index"
    kills = []
    for threshold in (5, 40, 80):
        proc = subprocess.Popen(hash_ingest_command(idx, drop), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        generation = 0
        while proc.poll() is None and generation < threshold:
            time.sleep(0.01)
            if (idx / DB_NAME).exists():
                try:
                    with sqlite3.connect(idx / DB_NAME, timeout=5) as conn:
                        row = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
                    generation = int(row[0]) if row else 0
                except sqlite3.OperationalError:
                    pass                                    # the schema is still being made
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        store = Store(idx)
        committed = store.generation()
        vectors = load_or_build(store, write=False)
        ids, _ = store.vectors()
        assert sorted(vectors.ids.tolist()) == sorted(ids.tolist())
        store.close()
        kills.append(committed)
        consistent(idx)
        done = [n for n in range(120) if f"estates-board-{n:04d}.txt" in set(new_documents(idx))]
        if done:
            searcher = Searcher(idx, embedder=HashEmbedder())
            assert searcher.ask(fact(done[-1]).question).passages
            searcher.store.close()
            assert keyword_documents(idx, fact(done[-1]).name) == [f"estates-board-{done[-1]:04d}.txt"]
    print(f"killed at generations {kills}")
    assert any(0 < k < 120 for k in kills), kills
    final = subprocess.run(hash_ingest_command(idx, drop), capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr
    report = json.loads(final.stdout)
    assert report["failed"] == [] and report["added"] + report["unchanged"] == 120
    assert len(new_documents(idx)) == 120
    consistent(idx)
    store = Store(idx)
    assert is_current(store)
    store.close()


def test_a_cache_of_a_state_lost_to_a_power_cut_is_not_trusted(tmp_path):
    from index.sync import Ingester

    drop = tmp_path / "drop"
    for n in range(3):
        write_minutes(drop, n)
    idx = tmp_path / "index"
    Ingester(idx, embedder=HashEmbedder(), progress=False).run([drop])
    # After a power cut the store can lose its last commits and count the same generation again for other
    # rows: the number matches the cache, the token does not.
    with sqlite3.connect(idx / DB_NAME) as conn:
        conn.execute("DELETE FROM chunks WHERE id = (SELECT max(id) FROM chunks)")
        conn.execute("UPDATE meta SET value = 'another-commit' WHERE key = 'generation_token'")
    store = Store(idx)
    assert read_stamp(idx)[0] == store.generation() and not is_current(store)
    ids, _ = store.vectors()
    assert sorted(load_or_build(store).ids.tolist()) == sorted(ids.tolist())
    assert is_current(store)
    store.close()


def test_only_the_temporaries_of_dead_processes_are_removed(tmp_path):
    from index.vectors import remove_stale_temporaries

    live = tmp_path / f".{FAISS_NAME}.{os.getpid()}.1.tmp"
    dead = tmp_path / f".{FAISS_NAME}.999999999.1.tmp"
    for path in (live, dead):
        path.write_bytes(b"half a file")
    assert remove_stale_temporaries(tmp_path) == [dead]
    assert live.exists() and not dead.exists()
