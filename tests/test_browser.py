"""End to end in a real browser: `minutes serve` on the sample corpus, a question typed, the quoted answer seen."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from index.search import Searcher
from ui import render

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
QUESTION = "What was the 101 target?"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(port: int, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"`minutes serve` exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"the page did not come up within {timeout:.0f}s:\n{log.read_text()}")


@pytest.fixture
def served(corpus_index_copy, tmp_path):
    """`minutes serve` on a copy of the corpus index, on a free port; stopped with all its children."""
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--index", str(corpus_index_copy),
                                 "--port", str(port)], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        _wait_healthy(port, proc, log)
        yield f"http://127.0.0.1:{port}", corpus_index_copy
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@pytest.mark.slow
def test_browser_question_shows_quoted_answer_and_citation(served, tmp_path, real_embedder):
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    url, folder = served
    expected = Searcher(folder, embedder=real_embedder).ask(QUESTION, top_k=6).answer
    assert expected is not None
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1400})
            page.set_default_timeout(60_000)
            page.goto(url)
            # The first visit loads the model; on a loaded two-core machine that can take a while.
            page.wait_for_selector(IDLE, timeout=90_000)
            box = page.get_by_role("textbox", name="Ask a question")
            box.fill(QUESTION)
            box.press("Enter")
            quote = page.locator(".mq-answer-text")
            quote.wait_for(timeout=60_000)
            page.wait_for_selector(IDLE, timeout=30_000)
            assert " ".join(quote.inner_text().split()) == " ".join(expected.text.split())
            cite = " ".join(page.locator(".mq-answer-card .mq-cite").inner_text().split())
            assert render.citation(expected.title, expected.date, expected.item, expected.page) in cite
            assert expected.document in cite
            assert page.locator("mark.mq-answer").count() == 1
            shot = tmp_path / "page.png"
            page.screenshot(path=str(shot))
            assert shot.stat().st_size > 10_000
            if os.environ.get("MINUTES_SAVE_SCREENSHOT"):
                (ROOT / "docs").mkdir(exist_ok=True)
                shutil.copyfile(shot, ROOT / "docs" / "screenshot.png")
        finally:
            browser.close()
