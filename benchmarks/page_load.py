"""Seconds from Enter to the answer on the web page with 1, 4 and 8 readers at once, beside Searcher.ask in process.

Usage: python benchmarks/page_load.py [--sessions 1,4,8] [--questions 48] [--json]

An index of corpus/ is built with the real model (its embeddings cached under benchmarks/.cache/), or --index
names one. The baseline comes first: the same questions asked through `Searcher.ask` in this process, with
the same top_k as the page, one Searcher shared by as many threads as there are readers at that level (the
page shares one Searcher between its sessions the same way). Then `minutes serve` runs on the index and
one Chromium (Debian's, /usr/bin/chromium) opens a browser context per reader. At each level the readers
ask every question between them (reader i asks questions i, i+N, i+2N ...), all starting at once, each
asking its next question as soon as its last one is answered. A question is timed from pressing Enter to
the page showing that question's answer with its run over; the page's own "Searched in" figure (the search
alone, inside the server) is kept beside it.
"""
from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]  # benchmarks/ingest.py shadows `ingest`
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402

from benchmarks._common import CACHE_DIR, ROOT, log, machine, make_embedder, pct, table  # noqa: E402
from benchmarks._page import CHROMIUM, NoAnswer, launch, open_session, serving  # noqa: E402

GOLD = ROOT / "benchmarks" / "gold" / "sample.jsonl"
TOP_K = 6                       # what the page asks for: its default of 5 passages to show, and the answer's own
WARM_UP = ["What was the 101 target?", "When did the network outage start?"]   # not timed


def gold_questions(n: int) -> list[str]:
    seen: dict[str, None] = {}
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        seen.setdefault(json.loads(line)["q"], None)
    return list(seen)[:n]


def build_index(folder: Path, cache: Path) -> dict:
    from index.sync import Ingester

    t = time.perf_counter()
    report = Ingester(folder, embedder=make_embedder("real", cache), progress=False).run([ROOT / "corpus"])
    return {"documents": report.added, "chunks": report.chunks, "build_s": round(time.perf_counter() - t, 1)}


def shares(questions: list[str], n: int) -> list[list[str]]:
    return [questions[i::n] for i in range(n)]


def in_process(folder: Path, questions: list[str], levels: list[int]) -> dict[int, dict]:
    """Searcher.ask on the same questions, N threads on one Searcher: the search alone, no page around it."""
    from index.search import Searcher

    searcher = Searcher(folder, embedder=make_embedder("real", None))   # never the cache: embedding is timed
    for q in WARM_UP:
        searcher.ask(q, top_k=TOP_K)
    out = {}
    for n in levels:
        times: list[float] = []
        answered: list[bool] = []
        lock = threading.Lock()

        def reader(qs: list[str]) -> None:
            for q in qs:
                t = time.perf_counter()
                result = searcher.ask(q, top_k=TOP_K)
                with lock:
                    times.append(time.perf_counter() - t)
                    answered.append(result.answer is not None)

        t, cpu = time.perf_counter(), time.process_time()
        with ThreadPoolExecutor(n) as pool:
            list(pool.map(reader, shares(questions, n)))
        out[n] = {"p50_s": pct(times, 50), "p95_s": pct(times, 95), "max_s": round(max(times), 3),
                  "wall_s": round(time.perf_counter() - t, 2), "answered": sum(answered),
                  "cpu_s_per_answer": round((time.process_time() - cpu) / len(times), 3)}
        log(f"in process, {n} at once: p50 {out[n]['p50_s']}s p95 {out[n]['p95_s']}s")
    return out


async def _reader(session, questions: list[str], timeout_s: float) -> tuple[list, list[str]]:
    asked, failed = [], []
    for q in questions:
        try:
            asked.append(await session.ask(q, timeout_s))
        except NoAnswer as exc:
            failed.append(str(exc))
    return asked, failed


async def on_the_page(server, questions: list[str], levels: list[int], timeout_s: float) -> dict[int, dict]:
    from playwright.async_api import async_playwright

    out = {}
    async with async_playwright() as p:
        browser = await launch(p)
        try:
            url = server.url
            warm = await open_session(browser, url, 0, timeout_s)     # the first visit loads the model
            for q in WARM_UP:
                await warm.ask(q, timeout_s)
            await warm.close()
            for n in levels:
                sessions = await asyncio.gather(*(open_session(browser, url, i, timeout_s) for i in range(n)))
                t, cpu = time.monotonic(), server.cpu_seconds()
                runs = await asyncio.gather(*(_reader(s, qs, timeout_s)
                                              for s, qs in zip(sessions, shares(questions, n))))
                wall, cpu = time.monotonic() - t, server.cpu_seconds() - cpu
                for s in sessions:
                    await s.close()
                asked = [a for done, _ in runs for a in done]
                failed = [f for _, fails in runs for f in fails]
                seconds = [a.seconds for a in asked]
                searched = [a.searched for a in asked if a.searched is not None]
                problems = [f"{a.question}: {pr}" for a in asked for pr in a.problems]
                out[n] = {"sessions": n, "asked": len(asked) + len(failed), "answered": sum(a.answer is not None
                                                                                            for a in asked),
                          "p50_s": pct(seconds, 50), "p95_s": pct(seconds, 95),
                          "max_s": round(max(seconds), 3) if seconds else None,
                          "search_in_page_p50_s": pct(searched, 50), "search_in_page_p95_s": pct(searched, 95),
                          "wall_s": round(wall, 2), "answers_per_minute": round(60 * len(asked) / wall, 1),
                          "server_cpu_s_per_answer": round(cpu / max(len(asked), 1), 3),
                          "no_answer": failed, "problems": problems}
                log(f"page, {n} at once: p50 {out[n]['p50_s']}s p95 {out[n]['p95_s']}s, "
                    f"{len(failed)} without an answer, {len(problems)} problems")
        finally:
            await browser.close()
    return out


def report(res: dict) -> str:
    m, m2 = res["machine"], res["machine_after"]
    head = (f"Page load benchmark, {res['questions']} questions a level, {m['date']}, {m['cpu']} x{m['cores']}, "
            f"load {m['load_avg_1m']} at start, {m2['load_avg_1m']} at end; index of {res['index']['documents']} "
            f"documents, {res['index']['chunks']} chunks")
    keys = [("p50_s", "page, Enter to answer p50 s"), ("p95_s", "page, Enter to answer p95 s"),
            ("max_s", "page, slowest s"), ("search_in_page_p50_s", "search inside the page p50 s"),
            ("in_process.p50_s", "Searcher.ask in process p50 s"), ("in_process.p95_s", "Searcher.ask in process p95 s"),
            ("page_vs_in_process_p50", "page / in process, p50"), ("answers_per_minute", "page answers a minute"),
            ("server_cpu_s_per_answer", "server CPU s an answer"), ("in_process.cpu_s_per_answer",
                                                                    "in process CPU s an answer"),
            ("answered", "answered (a quote shown)"), ("in_process.answered", "answered in process"),
            ("no_answer", "no answer in time"), ("problems", "errors seen")]

    def cell(r: dict, key: str):
        for part in key.split("."):
            r = r[part]
        return len(r) if isinstance(r, list) else r

    rows = [[label] + [cell(r, k) for r in res["levels"].values()] for k, label in keys]
    return head + "\n" + table(["figure"] + [f"{n} at once" for n in res["levels"]], rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", default="1,4,8", help="Readers at once, comma separated.")
    ap.add_argument("--questions", type=int, default=48,
                    help="Gold questions (benchmarks/gold/sample.jsonl) asked at each level, shared out.")
    ap.add_argument("--index", type=Path, default=None,
                    help="Serve a copy of this index (built with the real model) instead of building one of corpus/.")
    ap.add_argument("--cache", type=Path, default=CACHE_DIR, help="Embedding cache for building the index.")
    ap.add_argument("--timeout", type=float, default=300, help="Seconds a question may take before it counts as "
                                                                  "unanswered.")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)", file=sys.stderr)
        return 1
    levels = [int(s) for s in args.sessions.split(",")]
    questions = gold_questions(args.questions)
    res = {"machine": machine(), "questions": len(questions), "top_k": TOP_K, "sessions": levels}
    with tempfile.TemporaryDirectory(prefix="minutes-page-load-") as tmp:
        folder = Path(tmp) / "index"
        if args.index:
            shutil.copytree(args.index, folder)
            from index.status import index_status

            info = index_status(folder)
            res["index"] = {"documents": info["documents"], "chunks": info["chunks"], "build_s": None}
        else:
            log(f"building an index of corpus/ (embeddings cached in {args.cache})")
            res["index"] = build_index(folder, args.cache)
        log("in process: the baseline")
        baseline = in_process(folder, questions, levels)
        log("the page: `minutes serve` and Chromium")
        with serving(folder, Path(tmp) / "serve.log") as server:
            page = asyncio.run(on_the_page(server, questions, levels, args.timeout))
        server_log = (Path(tmp) / "serve.log").read_text(errors="replace")
    res["levels"] = {}
    for n in levels:
        r = {**page[n], "in_process": baseline[n]}
        r["page_vs_in_process_p50"] = round(r["p50_s"] / max(baseline[n]["p50_s"], 1e-6), 1)
        res["levels"][str(n)] = r
    res["server_tracebacks"] = server_log.count("Traceback")
    res["machine_after"] = machine()
    print(json.dumps(res) if args.json else report(res))
    failed = any(r["no_answer"] or r["problems"] for r in res["levels"].values()) or res["server_tracebacks"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
