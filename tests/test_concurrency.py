"""One ingest at a time, a lock that dies with its holder, and readers that keep answering while a run writes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from index.embed import HashEmbedder
from index.search import Searcher
from index.status import index_status
from index.store import Store
from index.sync import Ingester
from index.vectors import FAISS_NAME, read_stamp
from tests.minutes_files import fact, hash_ingest_command, write_minutes
from tests.test_sync import consistent

# index/pause.py: with MINUTES_TEST_PAUSE=embedded the run stops, holding its lock, once a batch is embedded.
PAUSE = "MINUTES_TEST_PAUSE"


def wait_for(path: Path, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.05)


def test_a_second_ingest_exits_at_once_and_a_killed_holder_blocks_nothing(tmp_path):
    drop = tmp_path / "drop"
    for n in range(5):
        write_minutes(drop, n)
    idx = tmp_path / "index"
    holder = subprocess.Popen(hash_ingest_command(idx, drop), env={**os.environ, PAUSE: "embedded"},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for(idx / "paused-embedded", holder)
        assert index_status(idx)["unfinished_ingest"] is not None
        started = time.monotonic()
        second = subprocess.run([sys.executable, "-m", "ui.cli", "ingest", str(drop), "--index", str(idx), "--json"],
                                capture_output=True, text=True, timeout=120)
        seconds = time.monotonic() - started
        assert second.returncode == 4, second.stderr
        assert second.stdout == ""
        assert second.stderr.strip() == (f"Error: another `minutes ingest` (process {holder.pid}) is running on the "
                                         f"index {idx}; this run did nothing. Try again when it ends")
        print(f"second ingest refused in {seconds:.2f}s, process start included")
    finally:
        holder.kill()
        holder.wait()
    assert index_status(idx)["unfinished_ingest"] is not None       # killed: its run never finished
    after = subprocess.run(hash_ingest_command(idx, drop), capture_output=True, text=True, timeout=120)
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout)["added"] == 5
    assert index_status(idx)["unfinished_ingest"] is None


def test_a_reader_keeps_answering_while_an_ingest_runs(tmp_path):
    drop = tmp_path / "drop"
    for n in range(5):
        write_minutes(drop, n)
    idx = tmp_path / "index"
    Ingester(idx, embedder=HashEmbedder(), progress=False).run([drop])
    searcher = Searcher(idx, embedder=HashEmbedder())
    before = searcher.ask(fact(1).question)
    assert before.answer is not None and before.answer.document == "estates-board-0001.txt"
    for n in range(100, 260):
        write_minutes(drop, n)
    writer = subprocess.Popen(hash_ingest_command(idx, drop), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    answers, generations = 0, set()
    while writer.poll() is None:
        result = searcher.ask(fact(1).question)
        assert result.answer is not None
        assert "estates-board-0001.txt" in {p.document for p in result.passages}
        generations.add(searcher.store.generation())
        answers += 1
    out, err = writer.communicate()
    assert writer.returncode == 0, err
    assert json.loads(out)["added"] == 160
    print(f"{answers} answers during the run, over {len(generations)} generations")
    assert answers >= 5 and len(generations) >= 2
    late = searcher.ask(fact(250).question)
    assert "estates-board-0250.txt" in {p.document for p in late.passages}
    searcher.store.close()
    consistent(idx)


def test_readers_in_threads_beside_an_ingest_in_the_same_process(tmp_path):
    drop = tmp_path / "drop"
    for n in range(5):
        write_minutes(drop, n)
    idx = tmp_path / "index"
    Ingester(idx, embedder=HashEmbedder(), progress=False).run([drop])
    for n in range(300, 400):
        write_minutes(drop, n)
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        searcher = Searcher(idx, embedder=HashEmbedder())
        try:
            while not done.is_set():
                result = searcher.ask(fact(2).question)
                assert "estates-board-0002.txt" in {p.document for p in result.passages}
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            searcher.store.close()

    readers = [threading.Thread(target=read) for _ in range(2)]
    for t in readers:
        t.start()
    try:
        report = Ingester(idx, embedder=HashEmbedder(), progress=False).run([drop])
    finally:
        done.set()
        for t in readers:
            t.join()
    assert not errors, errors
    assert report.added == 100
    store = Store(idx)
    assert read_stamp(idx) == store.generation_stamp()
    store.close()
    assert sorted(p.name for p in idx.iterdir() if FAISS_NAME in p.name) == [FAISS_NAME]
