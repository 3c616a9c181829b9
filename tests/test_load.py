"""The page under load: eight readers at once on one `minutes serve` while the nightly ingest commits new minutes.

The nightly run here is the real `minutes ingest` with the real model, in its own process, as production runs
it. It has to be the real model: the served index was built with it, the page searches an index only with
the model that built it (index/embed.py model_for_index), and ingest refuses to add another model's vectors
to it (Store.check_settings). A served index built with the hashing embedder could not be searched by the
page at all.
"""
from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
import time

import pytest

from benchmarks._page import CHROMIUM, Asked, Session, launch, open_session, serving
from index.search import Searcher
from tests.conftest import CORPUS, ROOT
from tests.minutes_files import fact, write_minutes

SESSIONS = 8
PER_SESSION = 3                   # gold questions each reader asks in turn, over and over while the ingest runs
EXTRA = range(100, 100 + SESSIONS)  # one new minutes file a reader; each reader's last question is about its own
GOLD = ROOT / "benchmarks" / "gold" / "sample.jsonl"
TOP_K = 6                          # what the page asks for: its default of 5 passages, and the answer's own
DEADLINE_S = 900


def _flat(text: str) -> str:
    return " ".join(text.split())


def _answered_gold(searcher: Searcher, wanted: int) -> dict[str, str]:
    """The first ``wanted`` gold questions the index answers, with their answers, asked in process."""
    found: dict[str, str] = {}
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        q = json.loads(line)["q"]
        result = searcher.ask(q, top_k=TOP_K)
        if result.answer is not None and q not in found:
            found[q] = _flat(result.answer.text)
        if len(found) == wanted:
            return found
    raise AssertionError(f"only {len(found)} gold questions are answered")


async def _reader(session: Session, questions: list[str], last: str, ingest: asyncio.Task) -> list[Asked]:
    """Ask this reader's questions in turn until the ingest has ended and each was asked; then ``last``."""
    asked: list[Asked] = []
    deadline = time.monotonic() + DEADLINE_S
    while len(asked) < len(questions) or not ingest.done():
        assert time.monotonic() < deadline, f"session {session.number} still asking after {DEADLINE_S}s"
        asked.append(await session.ask(questions[len(asked) % len(questions)]))
    asked.append(await session.ask(last))
    return asked


async def _ingest(cmd: list[str]) -> dict:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    started = time.monotonic()
    proc = await asyncio.create_subprocess_exec(*cmd, cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE)
    out, err = await proc.communicate()
    return {"code": proc.returncode, "stdout": out.decode(), "stderr": err.decode(), "started": started,
            "ended": time.monotonic()}


async def _drive(url: str, questions: dict[int, list[str]], last: dict[int, str], cmd: list[str]):
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await launch(p)
        try:
            first = await open_session(browser, url, 0)      # the first visit loads the model
            sessions = [first] + list(await asyncio.gather(*(open_session(browser, url, n)
                                                             for n in range(1, SESSIONS))))
            ingest = asyncio.create_task(_ingest(cmd))
            asked = await asyncio.gather(*(_reader(s, questions[s.number], last[s.number], ingest) for s in sessions))
            run = await ingest
            after = [await s.problems() for s in sessions]
            for s in sessions:
                await s.close()
        finally:
            await browser.close()
    return [a for per in asked for a in per], run, after


@pytest.mark.slow
def test_eight_readers_get_their_answers_while_the_nightly_ingest_commits(corpus_index_copy, tmp_path,
                                                                           real_embedder):
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    pytest.importorskip("playwright.async_api")
    folder = corpus_index_copy
    drop = tmp_path / "minutes"                       # what the nightly job reads: corpus/ and tonight's files
    shutil.copytree(CORPUS, drop)
    for n in EXTRA:
        write_minutes(drop, n)
    before = _answered_gold(Searcher(folder, embedder=real_embedder), SESSIONS * PER_SESSION)
    gold = list(before)
    questions = {s: gold[s * PER_SESSION:(s + 1) * PER_SESSION] for s in range(SESSIONS)}
    last = {s: fact(n).question for s, n in enumerate(EXTRA)}
    cmd = [sys.executable, "-m", "ui.cli", "ingest", str(drop), "--index", str(folder), "--json"]
    log = tmp_path / "serve.log"

    with serving(folder, log) as server:
        asked, run, problems_at_end = asyncio.run(_drive(server.url, questions, last, cmd))

    assert run["code"] == 0, run["stderr"][-3000:]
    report = json.loads(run["stdout"])
    assert (report["added"], report["unchanged"], report["failed"]) == (len(EXTRA), len(list(CORPUS.iterdir())), [])

    assert [a for a in asked if a.problems] == []
    assert problems_at_end == [[]] * SESSIONS
    assert "Traceback" not in log.read_text(errors="replace")

    searcher = Searcher(folder, embedder=real_embedder)    # the index as the ingest left it
    for a in asked:
        if a.question in before:
            after = searcher.ask(a.question, top_k=TOP_K).answer
            assert a.answer in {before[a.question], after and _flat(after.text)}, a
    for s, n in enumerate(EXTRA):
        expected = searcher.ask(last[s], top_k=TOP_K).answer
        assert expected is not None and expected.document == f"estates-board-{n:04d}.txt"
        (shown,) = [a for a in asked if a.session == s and a.question == last[s]]
        assert shown.answer == _flat(expected.text), shown

    during = [a for a in asked if a.started < run["ended"] and a.ended > run["started"]]
    assert {a.session for a in during} == set(range(SESSIONS)), "a reader asked nothing while the ingest ran"
    seconds = sorted(a.seconds for a in asked)
    print(f"{len(asked)} questions on {SESSIONS} sessions, {len(during)} while the ingest ran "
          f"({run['ended'] - run['started']:.1f}s); Enter to answer: median {seconds[len(seconds) // 2]:.2f}s, "
          f"slowest {seconds[-1]:.2f}s")
