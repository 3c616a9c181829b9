"""End to end in a real browser: `minutes serve` on the sample corpus, a question typed, the quoted answer seen."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from index import browse
from index.search import Searcher
from ui import render
from ui.names import tidy

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
QUESTION = "What was the 101 target?"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
RUNNING = '[data-testid="stApp"][data-test-script-state="running"]'


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


@contextmanager
def _serving(folder: Path, log: Path) -> Iterator[str]:
    """`minutes serve` on an index, on a free port; stopped with all its children."""
    port = _free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--index", str(folder),
                                 "--port", str(port)], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        _wait_healthy(port, proc, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@pytest.fixture
def served(corpus_index_copy, tmp_path):
    """`minutes serve` on a copy of the corpus index."""
    with _serving(corpus_index_copy, tmp_path / "serve.log") as url:
        yield url, corpus_index_copy


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
            assert render.citation(tidy(expected.title), expected.date, expected.item, expected.page) in cite
            assert expected.document in cite
            assert page.locator(".mq-context mark.mq-answer").count() == 1
            shot = tmp_path / "page.png"
            page.screenshot(path=str(shot))
            assert shot.stat().st_size > 10_000
            if os.environ.get("MINUTES_SAVE_SCREENSHOT"):
                (ROOT / "docs").mkdir(exist_ok=True)
                shutil.copyfile(shot, ROOT / "docs" / "screenshot.png")
        finally:
            browser.close()


# -- around the answer, in a real browser: one server and one Chromium for the tests below -----------------------

OFFICERS = "How many police officers does the force have?"   # answered with the figure's history
WIDE, PHONE = {"width": 1280, "height": 1400}, {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(corpus_index, tmp_path_factory):
    """`minutes serve` on a copy of the corpus index, shared by the tests below: (url, index folder)."""
    folder = tmp_path_factory.mktemp("browser") / "index"
    shutil.copytree(corpus_index, folder)
    with _serving(folder, folder.parent / "serve.log") as url:
        yield url, folder


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _visit(browser, url: str, viewport: dict = WIDE, clipboard: bool = False):
    context = browser.new_context(viewport=viewport)
    if clipboard:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.split("/?")[0])
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=120_000)   # the first visit loads the model
    _settled(page)
    return page


def _ask(page, question: str):
    box = page.get_by_role("textbox", name="Ask a question")
    box.fill(question)
    box.press("Enter")
    _settled(page)
    page.locator(".mq-answer-text").wait_for()
    return page


def _settled(page) -> None:
    """Wait for the rerun an input starts to end, and for the page to stop showing what it is replacing."""
    try:  # the script state flips to running a moment after the input, if it reruns at all
        page.wait_for_selector(RUNNING, timeout=2_000)
    except Exception:  # Playwright's TimeoutError: the rerun was over before we looked, or there was none
        pass
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_function("!document.querySelector('[data-stale=\"true\"]')", timeout=10_000)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _save(page_or_locator, name: str, tmp_path: Path, **options) -> Path:
    shot = tmp_path / name
    page_or_locator.screenshot(path=str(shot), **options)
    assert shot.stat().st_size > 10_000
    if os.environ.get("MINUTES_SAVE_SCREENSHOT"):
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(shot, ROOT / "docs" / name)
    return shot


@pytest.mark.slow
def test_browser_later_line_opens_the_later_minutes(site, chromium, real_embedder):
    url, folder = site
    later = Searcher(folder, embedder=real_embedder).ask(QUESTION, top_k=6).later
    assert later is not None
    page = _ask(_visit(chromium, url), QUESTION)
    line = page.locator(".mq-later")
    assert _flat(line.inner_text()).startswith(f"LATER: {render.nice_date(later.date)} — “{_flat(later.text)}”")
    assert later.document in line.inner_text()
    page.get_by_text(f"Read it in the minutes of {render.nice_date(later.date)}").click()
    marked = page.locator(".mq-excerpt mark.mq-answer")
    marked.wait_for()
    assert _flat(marked.inner_text()) == _flat(later.text)
    page.context.close()


@pytest.mark.slow
def test_browser_history_chart_shows_each_quote_on_hover(site, chromium, real_embedder, tmp_path):
    url, folder = site
    points = Searcher(folder, embedder=real_embedder).ask(OFFICERS, top_k=6).history
    assert len(points) >= 3
    page = _ask(_visit(chromium, url, {"width": 1280, "height": 2400}), OFFICERS)
    chart = page.locator('[data-testid="stVegaLiteChart"]')
    chart.wait_for()
    assert points[0].written in chart.get_attribute("aria-label")
    dots = chart.locator(".mark-symbol path")
    assert dots.count() == len(points)
    shown = set()
    for n in range(dots.count()):
        dots.nth(n).hover()
        tip = page.locator("#vg-tooltip-element")
        tip.wait_for(state="visible")
        shown.add(_flat(tip.inner_text()))
    for p in points:
        assert any(_flat(p.quote) in t and p.document in t and p.written in t for t in shown), p
    assert page.locator(".mq-history tbody tr").count() == len(points)
    card, table = page.locator(".st-key-answer-card").bounding_box(), page.locator(".mq-history").bounding_box()
    clip = {"x": card["x"] - 8, "y": card["y"] - 8, "width": card["width"] + 16,
            "height": table["y"] + table["height"] - card["y"] + 16}
    _save(page, "answer-history.png", tmp_path, clip=clip)
    page.context.close()


def _meetings_caption(page) -> str:
    return next(t for t in page.locator('[data-testid="stCaptionContainer"]').all_inner_texts()
                if re.match(r"\d+ of \d+ meetings", t))


@pytest.mark.slow
def test_browser_typed_dates_apply_on_enter_and_clear_filters_clears_the_widgets(site, chromium):
    url, folder = site
    with browse.reading(folder) as store:
        first, last = (date.fromisoformat(d) for d in browse.date_range(store))
        every = len(browse.meetings(store))
    page = _visit(chromium, url)
    page.get_by_role("tab", name="Meetings").click()
    assert _meetings_caption(page) == f"{every} of {every} meetings"
    sidebar = page.locator('[data-testid="stSidebar"]')
    start_year = sidebar.get_by_role("spinbutton", name="year, Meeting dates start date")
    start_year.click()
    page.keyboard.type(str(first.year + 2))
    page.keyboard.press("Enter")
    _settled(page)
    narrowed = _meetings_caption(page)
    assert narrowed.endswith("as filtered in the sidebar") and not narrowed.startswith(f"{every} of")
    series = sidebar.locator('[data-testid="stMultiSelect"]').first
    series.click()
    page.get_by_role("option", name="Monthly Assurance Meeting", exact=True).click()
    page.keyboard.press("Escape")
    _settled(page)
    assert series.locator('[data-testid="stMultiSelectTagsContainer"] [data-tag]').count() == 1
    sidebar.get_by_role("button", name="Clear filters").click()
    _settled(page)
    # What the widgets show, not only what the search uses: no chip left, the whole range of dates back.
    assert series.locator('[data-testid="stMultiSelectTagsContainer"] [data-tag]').count() == 0
    assert start_year.get_attribute("aria-valuenow") == str(first.year)
    hidden = sidebar.locator('[data-testid="stDateInput"] input[type="date"]')
    assert [hidden.nth(0).input_value(), hidden.nth(1).input_value()] == [first.isoformat(), last.isoformat()]
    assert _meetings_caption(page) == f"{every} of {every} meetings"
    assert sidebar.get_by_role("button", name="Clear filters").is_disabled()
    page.context.close()


@pytest.mark.slow
def test_browser_copy_citation_and_share_link_reopen_the_answer(site, chromium, real_embedder):
    url, folder = site
    a = Searcher(folder, embedder=real_embedder).ask(OFFICERS, top_k=6).answer
    page = _ask(_visit(chromium, url, clipboard=True), OFFICERS)
    page.get_by_role("button", name="Copy citation").click()
    code = page.locator('[data-testid="stCode"]:visible')
    code.hover()
    code.get_by_role("button", name="Copy to clipboard").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == (f"{a.title.split(' | ')[0]}, {render.nice_date(a.date)}, item {a.item}, page {a.page}, "
                      f"{a.document}")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Share").click()
    link = _flat(page.locator('[data-testid="stCode"]:visible').inner_text())
    assert link.startswith(url) and "q=How+many+police+officers" in link
    assert page.url == link                       # the address bar says the same
    quote = _flat(page.locator(".mq-answer-text").inner_text())
    other = _visit(chromium, link)                # a colleague opening the link: nothing typed
    other.locator(".mq-answer-text").wait_for()
    assert other.get_by_role("textbox", name="Ask a question").input_value() == OFFICERS
    assert _flat(other.locator(".mq-answer-text").inner_text()) == quote
    other.context.close()
    page.context.close()


@pytest.mark.slow
def test_browser_print_shows_the_answer_without_sidebar_or_controls(site, chromium):
    url, _ = site
    page = _ask(_visit(chromium, url), QUESTION)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.is_visible()
    page.emulate_media(media="print")
    assert sidebar.is_hidden()
    assert page.get_by_role("textbox", name="Ask a question").is_hidden()
    assert page.get_by_role("button", name="This answer is right").is_hidden()
    assert page.get_by_role("button", name="Copy citation").is_hidden()
    assert page.locator('[data-testid="stVegaLiteChart"]').is_hidden()
    assert _flat(page.locator(".mq-question-print").inner_text()) == f"Question: {QUESTION}"
    for kept in (".mq-answer-text", ".mq-answer-card .mq-cite", ".mq-context", ".mq-later"):
        assert page.locator(kept).first.is_visible(), kept
    # Other passages: where they came from, not their text.
    assert page.locator(".mq-other-text").first.is_hidden()
    assert page.locator('[data-testid="stVerticalBlock"] .mq-cite').nth(1).is_visible()
    page.emulate_media(media="screen")
    assert sidebar.is_visible()
    page.context.close()


@pytest.mark.slow
def test_browser_verdict_is_recorded_beside_the_index(site, chromium, real_embedder):
    url, folder = site
    a = Searcher(folder, embedder=real_embedder).ask(QUESTION, top_k=6).answer
    page = _ask(_visit(chromium, url), QUESTION)
    page.get_by_role("button", name="This answer is wrong").click()
    page.get_by_text("Thank you: recorded that this answer is wrong.").wait_for()
    record = json.loads((folder / "feedback.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert record["question"] == QUESTION and record["verdict"] == "wrong"
    assert record["answer"] == {"text": a.text, "document": a.document, "page": a.page}
    assert _serious(page) == []                   # the page as it thanks the officer, too
    page.context.close()


def _serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in found
            if v["impact"] in ("serious", "critical")]


@pytest.mark.slow
@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280px", "390px"])
def test_browser_accessibility(site, chromium, viewport, tmp_path):
    pytest.importorskip("axe_playwright_python")
    url, _ = site
    page = _visit(chromium, url, viewport)
    box = page.get_by_role("textbox", name="Ask a question")
    page.wait_for_function("document.activeElement && document.activeElement.getAttribute('aria-label') "
                           "=== 'Ask a question'")
    assert _serious(page) == []
    box.press_sequentially(OFFICERS)
    box.press("Enter")
    _settled(page)
    page.locator(".mq-answer-text").wait_for()
    said = _flat(page.locator('[role="status"][aria-live="polite"]').inner_text())
    assert said.startswith("Answer: ") and _flat(page.locator(".mq-answer-text").inner_text()) in said
    assert _serious(page) == []
    page.get_by_role("button", name="Share").click()
    page.locator('[data-testid="stCode"]:visible').wait_for()
    assert _serious(page) == [], "with the share link open"
    page.keyboard.press("Escape")
    if viewport is PHONE:
        page.set_viewport_size({"width": 390, "height": 2000})     # the answer card and its history in one picture
        _save(page, "mobile-390.png", tmp_path)
        page.set_viewport_size(PHONE)
    for tab in ("Meetings", "Actions"):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(500)
        assert _serious(page) == [], tab
    if viewport is PHONE:
        # The Actions table keeps an action's words readable: the screen's width, not a sliver of it.
        action = page.locator(".mq-actions:visible td.mq-col-3").first
        assert action.bounding_box()["width"] >= 0.7 * PHONE["width"]
        action.scroll_into_view_if_needed()
        _save(page, "actions-390.png", tmp_path)
    page.context.close()
