"""The web page driven in Chromium: `minutes serve` on a free port, and browser sessions that ask and time the answer.

Shared by benchmarks/page_load.py and tests/test_load.py. Playwright's async API, so that one Chromium can hold
many sessions (one browser context each) in one thread; Debian's Chromium, since Playwright's own download
needs the internet.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               # Eight pages share one browser; none of them may be slowed for being in the background.
               "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
               "--disable-backgrounding-occluded-windows"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# The question's own run is over: the page says this question (in the print-only line drawn on every run),
# Streamlit is idle, and nothing from the run before is still on screen.
ANSWERED = """(q) => {
    const flat = (s) => s.split(/\\s+/).join(' ').trim();
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    const said = document.querySelector('.mq-question-print');
    if (!said || flat(said.textContent) !== flat('Question: ' + q)) return false;
    return !document.querySelector('[data-stale="true"]');
}"""
# What an officer would see as a failure: Streamlit's exception box, an error box (the page's own "Something
# went wrong", "The search failed" ...), or the dialog Streamlit opens when it loses the server.
PROBLEMS = """() => {
    const out = [];
    const text = (e) => e.innerText.split(/\\s+/).join(' ').trim().slice(0, 300);
    document.querySelectorAll('[data-testid="stException"]').forEach(e => out.push('exception box: ' + text(e)));
    document.querySelectorAll('[data-testid="stAlertContentError"]').forEach(e => out.push('error box: ' + text(e)));
    document.querySelectorAll('[role="dialog"]').forEach(e => {
        if (/connection error|is not connected|connecting/i.test(e.innerText)) out.push('connection: ' + text(e));
    });
    return out;
}"""
STATE = """() => ({
    script: document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state'),
    question: document.querySelector('.mq-question-print')?.textContent,
    stale: document.querySelectorAll('[data-stale="true"]').length,
    box: document.querySelector('input[aria-label="Ask a question"]')?.value,
    status: document.querySelector('[data-testid="stStatusWidget"]')?.innerText,
})"""
# Either the answer, or something the reader sees instead of one: no point waiting for the timeout then.
ANSWERED_OR_FAILED = f"(q) => ({ANSWERED})(q) || ({PROBLEMS})().length > 0"
SEARCHED = re.compile(r"Searched in ([0-9.]+) s")


class ServeFailed(RuntimeError):
    """`minutes serve` exited or did not answer its health check in time."""


class NoAnswer(AssertionError):
    """A question's run never ended on the page with that question answered."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(port: int, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServeFailed(f"`minutes serve` exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise ServeFailed(f"the page did not come up within {timeout:.0f}s:\n{log.read_text()}")


@dataclass
class Server:
    """A running `minutes serve`: where to reach it, and its process group (itself and Streamlit under it)."""

    url: str
    pid: int

    def cpu_seconds(self) -> float:
        """User and system CPU time the server's processes have used so far (Linux /proc)."""
        ticks = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue                      # a process that ended while we looked
            if int(fields[2]) == self.pid:    # its process group: `minutes serve` started one of its own
                ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")


@contextmanager
def serving(folder: Path, log: Path, timeout: float = 90) -> Iterator[Server]:
    """`minutes serve` on an index, on a free port, its output in ``log``; stopped with all its children."""
    port = free_port()
    # No file watcher: the checkout may be edited while the page runs, and Streamlit unloading a changed module
    # under eight running sessions fails them (KeyError: 'ui'); a deployed page's files do not change under it.
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--index", str(folder), "--port", str(port)],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_healthy(port, proc, log, timeout)
        yield Server(f"http://127.0.0.1:{port}", proc.pid)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@dataclass
class Asked:
    """One question asked on the page, as a reader saw it."""

    session: int
    question: str
    started: float                    # time.monotonic() when Enter was pressed
    seconds: float                    # from Enter to the answer on screen, the run over
    answer: str | None                # the quote shown; None when the page said no sentence answers
    searched: float | None            # the page's own "Searched in" figure: the search alone, in the server
    problems: list[str]

    @property
    def ended(self) -> float:
        return self.started + self.seconds


@dataclass
class Session:
    """One reader: a browser context of its own, so a Streamlit session of its own."""

    number: int
    page: object
    page_errors: list[str] = field(default_factory=list)

    async def ask(self, question: str, timeout_s: float = 180) -> Asked:
        box = self.page.get_by_role("textbox", name="Ask a question")
        await box.fill(question)
        started = time.monotonic()
        await box.press("Enter")
        try:
            await self.page.wait_for_function(ANSWERED_OR_FAILED, arg=question, polling=50, timeout=timeout_s * 1000)
        except Exception as exc:  # Playwright's TimeoutError: say what the page shows instead
            raise NoAnswer(f"session {self.number}: no answer to {question!r} after {timeout_s:.0f}s "
                           f"({type(exc).__name__}); the page: {await self.state()}") from None
        seconds = time.monotonic() - started
        quote = self.page.locator(".mq-answer-text")
        answer = " ".join((await quote.inner_text()).split()) if await quote.count() else None
        captions = " ".join(await self.page.locator('[data-testid="stCaptionContainer"]').all_inner_texts())
        searched = SEARCHED.search(captions)
        return Asked(self.number, question, started, seconds, answer, float(searched[1]) if searched else None,
                     await self.problems())

    async def state(self) -> dict:
        """What the page shows now, for a message when an answer does not come."""
        return await self.page.evaluate(STATE) | {"problems": await self.problems()}

    async def problems(self) -> list[str]:
        return list(await self.page.evaluate(PROBLEMS)) + [f"page error: {e}" for e in self.page_errors]

    async def close(self) -> None:
        await self.page.context.close()


async def launch(playwright):
    """Debian's Chromium, headless, with the flags the browser tests use."""
    return await playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)


async def open_session(browser, url: str, number: int, timeout_s: float = 180) -> Session:
    """A new reader on the page, once the page's first run is over (the first visit loads the model)."""
    context = await browser.new_context(viewport={"width": 1280, "height": 1400})
    page = await context.new_page()
    session = Session(number, page)
    page.on("pageerror", lambda exc: session.page_errors.append(str(exc)))
    await page.goto(url, timeout=timeout_s * 1000)
    await page.wait_for_selector(IDLE, timeout=timeout_s * 1000)
    await page.get_by_role("textbox", name="Ask a question").wait_for(timeout=timeout_s * 1000)
    return session
