"""Kill -9 on the Milvus backend: the last generation keeps answering, and the next run reconciles.

milvus-lite lets one process hold a file, so every ingest runs in its own process and the test's own
client is closed (its embedded server stopped) before the next one starts.
"""
from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from index.backends import ledger, open_backend
from index.embed import HashEmbedder
from index.search import Searcher
from index.status import index_status
from index.store import Store
from tests.minutes_files import fact, hash_ingest_command, write_minutes
from tests.test_concurrency import wait_for

pytest.importorskip("milvus_lite")

OLD, NEW = range(0, 4), range(4, 8)


def _ingest(idx: Path, drop: Path, setting: str, pause: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "MINUTES_STORE": setting}
    if pause:
        env["MINUTES_TEST_PAUSE"] = pause
    return subprocess.Popen(hash_ingest_command(idx, drop), env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _answers(idx: Path, setting: str, ns) -> tuple[list, set[int]]:
    """The answer to each fact's question, and every chunk id a passage came from; the client closed after."""
    searcher = Searcher(idx, embedder=HashEmbedder(), store=setting)
    try:
        out, seen = [], set()
        for n in ns:
            result = searcher.ask(fact(n).question)
            out.append((result.answer.text, result.answer.document) if result.answer else None)
            seen.update(p.chunk_id for p in result.passages)
        return out, seen
    finally:
        searcher.backend.engine.close()
        searcher.store.close()


def _ledger_ids(idx: Path) -> set[int]:
    store = Store(idx)
    try:
        return set(ledger.ledger_stamps(store))
    finally:
        store.close()


@pytest.mark.parametrize("stage", ["embedded", "writing:2"])
def test_a_killed_run_leaves_the_last_generation_answering_and_the_next_reconciles(tmp_path, stage):
    idx, drop, setting = tmp_path / "index", tmp_path / "drop", f"milvus:{tmp_path / 'chunks.db'}"
    for n in OLD:
        write_minutes(drop, n)
    first = _ingest(idx, drop, setting)
    assert first.wait(timeout=300) == 0, first.communicate()
    before, _ = _answers(idx, setting, OLD)
    assert all(a is not None for a in before)

    for n in NEW:
        write_minutes(drop, n)
    write_minutes(drop, 0, extra="Action: the clerk to circulate the revised estates plan.")   # an update too
    proc = _ingest(idx, drop, setting, pause=stage)
    marker = idx / f"paused-{stage.split(':')[0]}"
    try:
        wait_for(marker, proc, timeout=300)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    marker.unlink()

    # The last generation answers as it did, from chunks the ledger holds whole.
    after, seen = _answers(idx, setting, OLD[1:])
    assert after == before[1:]
    assert seen <= _ledger_ids(idx)
    if stage.startswith("writing"):
        os.environ["MINUTES_STORE"] = setting
        try:
            problems = index_status(idx)["store"]["disagreements"]
            # The killed transaction's chunks reached the engine: ids the ledger never committed, read by no one.
            assert set(open_backend(setting).engine.stamps()) - _ledger_ids(idx)
        finally:
            del os.environ["MINUTES_STORE"]
            open_backend(setting).engine.close()
        assert any("stopped while writing" in p for p in problems), problems

    again = _ingest(idx, drop, setting)
    assert again.wait(timeout=300) == 0, again.communicate()
    engine = open_backend(setting).engine
    store = Store(idx)
    try:
        assert engine.stamps() == ledger.ledger_stamps(store)
        assert not ledger.needs_reconcile(store, engine)
    finally:
        store.close()
        engine.close()
    now, _ = _answers(idx, setting, list(OLD[1:]) + list(NEW))
    assert now[:len(OLD) - 1] == before[1:]
    assert all(a is not None and a[1] == f"estates-board-{n:04d}.txt" for a, n in zip(now[len(OLD) - 1:], NEW))
