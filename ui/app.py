"""The web page: officers ask a question of the minutes and see the quoted answer, its source and its context.

Run with `minutes serve`; the index folder comes from $MINUTES_INDEX, the access policy from $MINUTES_POLICY.
Everything the page reads goes through a store opened for the reader's clearance (ui/clearance.py).
"""
from __future__ import annotations

import logging
import os
import re
import sqlite3
import time
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import streamlit as st

from index import browse
from index.audit import DEFAULT_RETENTION_DAYS, AuditLog, audit_path
from index.config import AUDIT_DAYS, INDEX, default_index
from index.embed import ModelNotFound, SentenceEmbedder, serving_threads
from index.errors import IndexNotFound, StoreError
from index.search import Filters, Result, Searcher
from index.search import span
from index.store import Store
from ui import actions, answer, clearance, history, render, share, style, views
from ui.clearance import Reader
from ui.names import Names

log = logging.getLogger("minutes.web")
EXAMPLES = [
    "What was the 101 target?",
    "What is the forecast overspend?",
    "How many police officers does the force have?",
    "When did the network outage start?",
]
INDEX_PROBLEMS = (StoreError, ModelNotFound, sqlite3.Error, OSError, ValueError)


@st.cache_resource(show_spinner=False)
def _embedder(spec: str | None) -> SentenceEmbedder:
    # Cheap: the model itself loads on first use. Threads set here, once for the page's process.
    return SentenceEmbedder(spec, threads=serving_threads())


@st.cache_resource(show_spinner="Loading the language model ...")
def _warm(spec: str | None) -> bool:
    """Load the model once the page is drawn, so the first question does not wait for it."""
    _embedder(spec).encode(["warm up"])
    span.prepare()
    return True


@st.cache_resource(show_spinner="Opening the index ...")
def _searcher(folder: str, spec: str | None) -> Searcher:
    return Searcher(Path(folder), embedder=_embedder(spec))


def _stop(title: str, detail: str) -> None:
    st.error(f"**{title}**\n\n{render.md_label(detail)}")
    st.stop()


def _index_folder() -> Path:
    return Path(os.environ.get(INDEX.envvar) or default_index()).expanduser()


def _open(folder: Path, reader: Reader) -> tuple[dict, Searcher | None]:
    """The index's status as the reader may see it and its searcher, or a plain message and a stopped page."""
    try:
        with browse.reading(folder, reader.collections) as store:
            status = browse.status(store)
    except IndexNotFound:
        _stop("There is no index here yet.", f"No index was found in {folder}. To build it from a folder of "
                                              f"minutes: minutes ingest PATH --index {folder}")
    except StoreError as exc:
        _stop("The index cannot be read.", str(exc))
    except (sqlite3.Error, OSError, ValueError) as exc:
        _stop("The index cannot be read.",
              f"{folder} looks damaged ({exc}). Rebuild it: minutes ingest --index {folder}")
    if not status["chunks"]:
        return status, None
    try:
        spec = browse.model_spec(folder)
        return status, _searcher(str(folder.resolve()), spec)
    except INDEX_PROBLEMS as exc:
        _stop("The index cannot be searched.", str(exc))


@st.cache_data(show_spinner=False)
def _names(folder: str, generation: int, cleared: tuple[str, ...] | None) -> Names:
    """How the titles and series a reader may see are shown; learnt again whenever the index changes."""
    with browse.reading(Path(folder), cleared) as store:
        rows = browse.titles_and_series(store)
    return Names.of([t for t, _ in rows], [s for _, s in rows])


@st.cache_data(show_spinner=False)
def _examples(folder: str, generation: int, cleared: tuple[str, ...] | None) -> list[int]:
    """Which example questions the reader's minutes speak of (their places in EXAMPLES)."""
    with browse.reading(Path(folder), cleared) as store:
        return [i for i, q in enumerate(EXAMPLES) if browse.mentions(store, q)]


@dataclass
class Chosen:
    """The sidebar's choices: the filters the reader set (their clearance is the reader's, not a choice), and
    what they picked, as shown."""

    filters: Filters
    top_k: int
    series: list[str]
    show_scores: bool


def _filters(status: dict, folder: Path, names: Names, reader: Reader) -> Chosen:
    with browse.reading(folder, reader.collections) as store:
        first, last = browse.date_range(store)
        docs = [path for _, path in browse.documents(store)]
    choices = names.choices()
    lo, hi = (date.fromisoformat(first), date.fromisoformat(last)) if first and last else (None, None)
    state = st.session_state
    share.read_once(state, list(choices), docs, lo, hi)
    # A value the index no longer holds (a series renamed, a document removed) would break its widget.
    for key, known in (("series", choices), ("documents", docs)):
        kept = [v for v in state.get(key, []) if v in known]
        if kept != state.get(key, []):
            state[key] = kept
    dates = state.get("dates")
    # A range the reader never narrowed follows the minutes: a meeting ingested since the page opened, dated
    # after (or before) the range it offered then, is searched too, not filtered out unasked.
    offered = state.get("dates-offered")
    state["dates-offered"] = (lo, hi)
    if lo and offered and offered != (lo, hi) and dates and tuple(dates) == offered:
        state["dates"] = dates = (lo, hi)
    narrowed = bool(state.get("series") or state.get("documents") or (lo and dates and tuple(dates) != (lo, hi)))
    f = Filters()
    with st.sidebar:
        st.header("Filter the minutes")
        # Always drawn, above the filters: a button that appears, or moves as a list of choices closes, loses
        # the click that was meant for it.
        st.button("Clear filters", on_click=_clear_filters, args=(lo, hi), type="tertiary", key="clear-filters",
                  icon=":material/filter_alt_off:", disabled=not narrowed)
        if lo and hi:
            picked = st.date_input("Meeting dates", value=(lo, hi), min_value=lo, max_value=hi,
                                   format="DD/MM/YYYY", key="dates",
                                   help="Type a date and press Enter, or pick one from the calendar.")
            if isinstance(picked, (tuple, list)) and len(picked) == 2 and (picked[0], picked[1]) != (lo, hi):
                f.since, f.until = picked[0].isoformat(), picked[1].isoformat()
        shown_series = st.multiselect("Meeting series", list(choices), key="series", placeholder="All series") \
            if choices else []
        f.series = [written for shown in shown_series for written in choices[shown]]
        f.documents = st.multiselect("Documents", docs, key="documents", placeholder="All documents")
        state.setdefault("top_k", share.DEFAULT_TOP_K)
        top_k = st.slider("Passages to show", *share.TOP_K_RANGE, key="top_k")
        show_scores = st.toggle("Show scores", key="show-scores",
                                help="Each passage's rank and score in the search, for whoever tunes it.")
        st.divider()
        views.status_panel(status)
    return Chosen(f, top_k, list(shown_series), show_scores)


def _clear_filters(lo: date | None, hi: date | None) -> None:
    """Set, not forget: a widget whose state is only deleted keeps showing the old choice in the browser."""
    if lo and hi:
        st.session_state["dates"] = (lo, hi)
    st.session_state["series"] = []
    st.session_state["documents"] = []


def _use_example(question: str) -> None:
    st.session_state["question"] = question


def ask_tab(searcher: Searcher | None, chosen: Chosen, folder: Path, generation: int, names: Names,
            reader: Reader) -> None:
    question = st.text_input("Ask a question", key="question", placeholder="e.g. What was the 101 target?",
                             help="Type a plain question and press Enter. The answer is always a sentence "
                                  "quoted from the minutes, with where it came from.")
    result = _answer(searcher, question, chosen, generation, reader) \
        if question and searcher is not None else None
    answer.live_region(question, result is not None, result[0].answer if result else None, names)
    if not question:
        share.write({})                           # a cleared question leaves no stale link behind
        offered = _examples(str(folder.resolve()), generation, reader.collections) if searcher is not None else []
        if offered:
            st.caption("Or try one of these:")
            row = st.container(horizontal=True)
            for i in offered:
                row.button(EXAMPLES[i], key=f"example-{i}", on_click=_use_example, args=(EXAMPLES[i],))
        return
    if searcher is None:
        if reader.signed_in:
            st.info("None of the minutes you are cleared for are in the index yet, so there is nothing to search.")
        else:
            st.info("The index holds no minutes yet, so there is nothing to search. "
                    "Add files to the corpus folder and run `minutes ingest`.")
        return
    f = chosen.filters
    wanted = share.params(question, f.since, f.until, chosen.series, f.documents, chosen.top_k)
    share.write(wanted)
    asked = answer.Asked(question, folder, share.link(wanted), reader.label)
    with browse.reading(folder, reader.collections) as store:
        show_result(result[0], chosen, result[1], store, names, asked)


def _answer(searcher: Searcher, question: str, chosen: Chosen, generation: int,
            reader: Reader) -> tuple[Result, float]:
    """The search's result, as the reader's clearance lets it read the index, and how long it took; each
    question is recorded in the audit trail before its answer is shown. Widgets elsewhere rerun the page, so
    the same question with the same filters is not searched (or recorded) again."""
    f = replace(chosen.filters, collections=None if reader.collections is None else list(reader.collections))
    asked = (question, repr(f), chosen.top_k, generation, reader.account)
    last = st.session_state.get("last-result")
    if last and last[0] == asked:
        return last[1], last[2]
    t0 = time.perf_counter()
    try:
        result = searcher.ask(question, top_k=chosen.top_k + 1, filters=f)
    except INDEX_PROBLEMS as exc:
        _stop("The search failed.", str(exc))
    seconds = time.perf_counter() - t0
    _audit(reader, question, f, result)
    st.session_state["last-result"] = (asked, result, seconds)
    return result, seconds


def _audit_days() -> float:
    value = os.environ.get(AUDIT_DAYS.envvar)
    try:
        days = float(value) if value else DEFAULT_RETENTION_DAYS
    except ValueError:
        days = -1.0
    if days <= 0:
        log.warning("%s=%r is not a number of days; keeping the audit trail %s days", AUDIT_DAYS.envvar, value,
                    DEFAULT_RETENTION_DAYS)
        return DEFAULT_RETENTION_DAYS
    return days


def _audit(reader: Reader, question: str, f: Filters, result: Result) -> None:
    """Who asked what, with which filters and clearance, and which documents answered; no answer is shown
    that could not be recorded."""
    try:
        trail = AuditLog(audit_path(_index_folder()), _audit_days())
        try:
            trail.record(reader.account, question, f, result)
        finally:
            trail.close()
    except (sqlite3.Error, OSError):
        log.exception("the audit trail could not be written")
        _stop("The question could not be recorded.",
              "Every question asked here is recorded, and the record cannot be written just now, so no answer "
              "is shown. " + clearance.ASK_ADMIN)


def show_result(result: Result, chosen: Chosen, seconds: float, store: Store, names: Names,
                asked: answer.Asked) -> None:
    terms = render.term_pattern(result.question)
    found = result.answer
    others = [p for p in result.passages if not (found and p.rank == found.passage_rank)][:chosen.top_k]
    if found:
        source = next((p for p in result.passages if p.rank == found.passage_rank), None)
        answer.answer_card(found, source, result.later, terms, store, names, asked)
        history.show(result.history, found.meeting_id, names)
    else:
        narrowed = " with the filters you have set" if chosen.filters.active() else ""
        st.info(f"No sentence in the minutes{narrowed} answers this question. "
                + ("The nearest passages are below; they may still help." if others else
                   "Nothing near it was found either: try other words."))
    if others:
        answer.passages_list(others, found, terms, store, names, show_scores=chosen.show_scores,
                             heading="Other passages" if found else "Nearest passages", label=asked.label)
    if re.search(r"\bactions?\b", result.question, re.I):
        st.caption("Every action, with its owner and due date, is listed in the Actions tab.")
    st.caption(f"Searched in {seconds:.2f} s.")


def main() -> None:
    st.set_page_config(page_title="Minutes Q&A", page_icon=":material/gavel:", layout="wide")
    style.apply()
    st.title("Minutes Q&A")
    reader = clearance.reader()       # the sign-in screen, or a plain message, stops the page here
    st.caption("Ask a plain question of the meeting minutes. Every answer is a sentence quoted word for word "
               "from the minutes, with its meeting, date, agenda item and page.")
    folder = _index_folder()
    status, searcher = _open(folder, reader)
    names = _names(str(folder.resolve()), status["generation"], reader.collections)
    chosen = _filters(status, folder, names, reader)
    views.status_strip(status, reader)
    ask_pane, meetings_pane, actions_pane = st.tabs(["Ask", "Meetings", "Actions"])
    with ask_pane:
        ask_tab(searcher, chosen, folder, status["generation"], names, reader)
    with browse.reading(folder, reader.collections) as store:
        with meetings_pane:
            views.meetings_tab(store, chosen.filters, names)
        with actions_pane:
            actions.actions_tab(store, chosen.filters)
    if searcher is not None:
        try:
            _warm(browse.model_spec(folder))
        except INDEX_PROBLEMS as exc:
            _stop("The language model cannot be loaded.", str(exc))


def run() -> None:
    """The page, with any fault shown to the officer as one plain sentence; the detail goes to the log."""
    try:
        main()
    except Exception:  # Streamlit's stop and rerun are BaseExceptions and pass through
        log.exception("the page failed")
        st.error("Something went wrong on this page. The details are in the server's log; "
                 "please tell whoever looks after Minutes Q&A.")


run()
