"""The web page: officers ask a question of the minutes and see the quoted answer, its source and its context.

Run with `minutes serve`; the index folder comes from $MINUTES_INDEX.
"""
from __future__ import annotations

import logging
import os
import re
import sqlite3
import time
from datetime import date
from pathlib import Path

import streamlit as st

from index import browse
from index.config import INDEX, default_index
from index.embed import ModelNotFound, SentenceEmbedder
from index.errors import IndexNotFound, StoreError
from index.search import Answer, Filters, Passage, Result, Searcher
from index.status import index_status
from ui import actions, render, views

log = logging.getLogger("minutes.web")
EXAMPLES = [
    "What was the 101 target?",
    "What is the forecast overspend?",
    "How many police officers does the force have?",
    "When did the network outage start?",
]
INDEX_PROBLEMS = (StoreError, ModelNotFound, sqlite3.Error, OSError, ValueError)

CSS = """
<style>
[data-testid="stMainBlockContainer"] {padding-top: 2.5rem;}
.mq-quote {font-size: 1.25rem; line-height: 1.5; border-left: 4px solid #d97706; padding: .2rem 0 .2rem 1rem;
           margin: .3rem 0 .8rem 0;}
.mq-cite {color: #374151; font-size: .95rem; margin-bottom: .6rem;}
.mq-cite b {color: #111827;}
.mq-passage {line-height: 1.6; color: #1f2937;}
.mq-context {background: #f9fafb; border-radius: .4rem; padding: .7rem .9rem; margin-bottom: .6rem;}
mark.mq-answer {background: #fde68a; padding: 0 .1rem; border-radius: .15rem;}
mark.mq-term {background: #dbeafe; padding: 0 .05rem; border-radius: .15rem;}
.mq-label {text-transform: uppercase; letter-spacing: .05em; font-size: .75rem; color: #6b7280;
           font-weight: 600;}
.mq-meta {color: #6b7280; font-size: .85rem;}
.mq-table-wrap {max-height: 70vh; overflow-y: auto; border: 1px solid #e5e7eb; border-radius: .5rem;}
.mq-table {width: 100%; border-collapse: collapse; font-size: .9rem; margin: 0;}
.mq-table th {position: sticky; top: 0; background: #f9fafb; text-align: left; font-weight: 600; color: #374151;}
.mq-table th, .mq-table td {padding: .45rem .6rem; border: none; border-bottom: 1px solid #e5e7eb;
                            vertical-align: top;}
.mq-actions td.mq-col-0, .mq-actions td.mq-col-1 {white-space: nowrap;}
.mq-actions td.mq-col-3 {width: 45%;}
.mq-actions tr.mq-overdue td.mq-col-0 {color: #b91c1c; font-weight: 600;}
.mq-facts td:last-child {width: 40%; color: #4b5563;}
</style>
"""


@st.cache_resource(show_spinner=False)
def _embedder(spec: str | None) -> SentenceEmbedder:
    return SentenceEmbedder(spec)       # cheap: the model itself loads on first use


@st.cache_resource(show_spinner="Loading the language model ...")
def _warm(spec: str | None) -> bool:
    """Load the model once the page is drawn, so the first question does not wait for it."""
    _embedder(spec).encode(["warm up"])
    return True


@st.cache_resource(show_spinner="Opening the index ...")
def _searcher(folder: str, spec: str | None) -> Searcher:
    return Searcher(Path(folder), embedder=_embedder(spec))


def _stop(title: str, detail: str) -> None:
    st.error(f"**{title}**\n\n{render.md_label(detail)}")
    st.stop()


def _index_folder() -> Path:
    return Path(os.environ.get(INDEX.envvar) or default_index()).expanduser()


def _open(folder: Path) -> tuple[dict, Searcher | None]:
    """The index's status and its searcher, or a plain message and a stopped page."""
    try:
        status = index_status(folder)
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


def _filters(status: dict, folder: Path) -> tuple[Filters, int]:
    with browse.reading(folder) as store:
        first, last = browse.date_range(store)
        all_series = browse.series(store)
        docs = browse.documents(store)
    with st.sidebar:
        st.header("Filter the minutes")
        f = Filters()
        if first and last:
            lo, hi = date.fromisoformat(first), date.fromisoformat(last)
            picked = st.date_input("Meeting dates", value=(lo, hi), min_value=lo, max_value=hi,
                                   format="DD/MM/YYYY", key="dates")
            if isinstance(picked, (tuple, list)) and len(picked) == 2 and (picked[0], picked[1]) != (lo, hi):
                f.since, f.until = picked[0].isoformat(), picked[1].isoformat()
        if all_series:
            f.series = st.multiselect("Meeting series", all_series, key="series",
                                      placeholder="All series")
        f.documents = st.multiselect("Documents", [path for _, path in docs], key="documents",
                                     placeholder="All documents")
        top_k = st.slider("Passages to show", 1, 10, 5, key="top_k")
        if f.active():
            st.button("Clear filters", on_click=_clear_filters, type="tertiary")
        st.divider()
        views.status_panel(status)
    return f, top_k


def _clear_filters() -> None:
    for key in ("dates", "series", "documents"):
        st.session_state.pop(key, None)


def _use_example(question: str) -> None:
    st.session_state["question"] = question


def ask_tab(searcher: Searcher | None, filters: Filters, top_k: int, folder: Path, generation: int) -> None:
    question = st.text_input("Ask a question", key="question", placeholder="e.g. What was the 101 target?",
                             help="Type a plain question and press Enter. The answer is always a sentence "
                                  "quoted from the minutes, with where it came from.")
    if not question:
        st.caption("Or try one of these:")
        row = st.container(horizontal=True)
        for i, example in enumerate(EXAMPLES):
            row.button(example, key=f"example-{i}", on_click=_use_example, args=(example,))
        return
    if searcher is None:
        st.info("The index holds no minutes yet, so there is nothing to search. "
                "Add files to the corpus folder and run `minutes ingest`.")
        return
    # Widgets elsewhere on the page rerun the script; the same question need not be searched again.
    asked = (question, repr(filters), top_k, generation)
    last = st.session_state.get("last-result")
    if last and last[0] == asked:
        result, seconds = last[1], last[2]
    else:
        t0 = time.perf_counter()
        try:
            result = searcher.ask(question, top_k=top_k + 1, filters=filters)
        except INDEX_PROBLEMS as exc:
            _stop("The search failed.", str(exc))
        seconds = time.perf_counter() - t0
        st.session_state["last-result"] = (asked, result, seconds)
    with browse.reading(folder) as store:
        show_result(result, filters, top_k, seconds, store)


def show_result(result: Result, filters: Filters, top_k: int, seconds: float, store) -> None:
    terms = render.term_pattern(result.question)
    others = [p for p in result.passages if not (result.answer and p.rank == result.answer.passage_rank)][:top_k]
    if result.answer:
        source = next((p for p in result.passages if p.rank == result.answer.passage_rank), None)
        answer_card(result.answer, source, terms, store)
    else:
        narrowed = " with the filters you have set" if filters.active() else ""
        st.info(f"No sentence in the minutes{narrowed} answers this question. "
                + ("The nearest passages are below; they may still help." if others else
                   "Nothing near it was found either: try other words."))
    if others:
        passages_list(others, terms, store, heading="Other passages" if result.answer else "Nearest passages")
    if re.search(r"\bactions?\b", result.question, re.I):
        st.caption("Every action, with its owner and due date, is listed in the Actions tab.")
    st.caption(f"Searched in {seconds:.2f} s.")


def answer_card(answer: Answer, passage: Passage | None, terms, store) -> None:
    with st.container(border=True, key="answer-card"):
        cite = render.citation(answer.title, answer.date, answer.item, answer.page)
        st.markdown(
            f'<div class="mq-answer-card"><div class="mq-label">Answer, quoted from the minutes</div>'
            f'<div class="mq-quote mq-answer-text">{render.marked(answer.text)}</div>'
            f'<div class="mq-cite"><b>{render.esc(cite)}</b><br>'
            f'<span class="mq-meta">{render.esc(answer.document)}</span></div></div>',
            unsafe_allow_html=True)
        if passage is not None:
            span = (answer.start - passage.start, answer.end - passage.start)
            if passage.text[span[0]:span[1]] != answer.text:
                span = None
            st.markdown(f'<div class="mq-label">In context</div><div class="mq-passage mq-context">'
                        f'{render.marked(passage.text, terms, span)}</div>', unsafe_allow_html=True)
        document_id = passage.document_id if passage else None
        if document_id:
            views.source_buttons(store, document_id, answer.page, key="answer")


def passages_list(passages: list[Passage], terms, store, heading: str) -> None:
    meetings = {p.meeting_id for p in passages}
    st.subheader(heading)
    if len(meetings) > 1:
        # Minutes overtake each other: what was said most recently usually matters most.
        passages = sorted(passages, key=lambda p: (p.date or "", -p.rank), reverse=True)
        st.caption(f"From {len(meetings)} meetings, latest first.")
    for p in passages:
        with st.container(border=True, key=f"passage-{p.rank}"):
            text, cut = render.snippet(p.text, terms)
            cite = render.citation(p.title, p.date, p.item, p.page)
            st.markdown(
                f'<div class="mq-cite"><b>{render.esc(cite)}</b> '
                f'<span class="mq-meta">· {render.esc(p.document)} · rank {p.rank} · score {p.score:.3f}</span>'
                f'</div><div class="mq-passage">{render.marked(text, terms)}</div>', unsafe_allow_html=True)
            if cut:
                with st.expander("Whole passage"):
                    st.markdown(f'<div class="mq-passage">{render.marked(p.text, terms)}</div>',
                                unsafe_allow_html=True)
            views.source_buttons(store, p.document_id, p.page, key=f"p{p.rank}")


def main() -> None:
    st.set_page_config(page_title="Minutes Q&A", page_icon=":material/gavel:", layout="wide")
    st.markdown(CSS, unsafe_allow_html=True)
    st.title("Minutes Q&A")
    st.caption("Ask a plain question of the meeting minutes. Every answer is a sentence quoted word for word "
               "from the minutes, with its meeting, date, agenda item and page.")
    folder = _index_folder()
    status, searcher = _open(folder)
    filters, top_k = _filters(status, folder)
    views.status_strip(status)
    ask_pane, meetings_pane, actions_pane = st.tabs(["Ask", "Meetings", "Actions"])
    with ask_pane:
        ask_tab(searcher, filters, top_k, folder, status["generation"])
    with browse.reading(folder) as store:
        with meetings_pane:
            views.meetings_tab(store, filters)
        with actions_pane:
            actions.actions_tab(store, filters)
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
