"""The answer as the page shows it: the quoted sentence with its citation and context, what a later meeting of
the series says, controls to copy, share and judge it, and the other passages with why each is listed."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from index import browse
from index.search import Answer, Passage
from index.store import Store
from ui import feedback, render, views
from ui.names import Names


@dataclass
class Asked:
    """What the answer's controls need to know about the question it answers."""

    question: str
    folder: Path            # the index folder, where verdicts are kept
    link: str               # the share link: this question with these filters
    label: Callable[[str], str] = str   # a collection's handling label, as the reader's policy gives it


def handling(label: str) -> str:
    """A collection's handling label (OFFICIAL-SENSITIVE ...) as a small inert badge."""
    return f'<span class="mq-handling" title="Handling label">{render.esc(label)}</span>'


def relation(p: Passage, answer: Answer | None) -> str | None:
    """Why a passage is listed beside the answer, in words; None without an answer to relate it to."""
    if answer is None:
        return None
    if p.meeting_id == answer.meeting_id:
        return "From the same meeting"
    if p.date and answer.date and p.date != answer.date:
        return "Earlier meeting" if p.date < answer.date else "Later meeting"
    return "Another meeting on the same day" if p.date and p.date == answer.date else "Another meeting"


def copy_text(a: Answer | Passage, names: Names) -> str:
    """The citation an officer pastes into a report: meeting, date, item, page and file."""
    return render.citation(names.title(a.title), a.date, a.item, a.page, a.document, sep=", ")


def live_region(question: str, searched: bool, answer: Answer | None, names: Names) -> None:
    """Said by a screen reader when the answer arrives; the question again on paper, where the box is hidden.

    Drawn first at the same place on every run, answer or not, so the browser keeps the one region and
    announces what changes in it (a region that appears with its text already in it is often not read).
    """
    if not question or not searched:
        said = ""
    elif answer is None:
        said = "No sentence in the minutes answers this question."
    else:
        cite = render.citation(names.title(answer.title), answer.date, answer.item, answer.page)
        said = f"Answer: {' '.join(answer.text.split())} From {cite}."
    st.markdown(f'<div class="mq-sr-only" role="status" aria-live="polite" aria-atomic="true">{render.esc(said)}'
                f'</div><div class="mq-print-only mq-question-print">'
                f'{render.esc("Question: " + question) if question else ""}</div>', unsafe_allow_html=True)


def answer_card(answer: Answer, passage: Passage | None, later: Answer | None, terms: re.Pattern | None,
                store: Store, names: Names, asked: Asked) -> None:
    with st.container(border=True, key="answer-card"):
        title = names.title(answer.title)
        as_written = ""
        if answer.title and title != " ".join(answer.title.split()):
            as_written = f' · titled “{render.esc(answer.title)}” in the document'
        cite = render.citation(title, answer.date, answer.item, answer.page)
        st.markdown(
            f'<div class="mq-answer-card"><div class="mq-label">Answer, quoted from the minutes '
            f'{handling(asked.label(answer.collection))}</div>'
            f'<div class="mq-quote mq-answer-text">{render.marked(answer.text)}</div>'
            f'<div class="mq-cite"><b>{render.esc(cite)}</b><br>'
            f'<span class="mq-meta">{render.esc(answer.document)}{as_written}</span></div></div>',
            unsafe_allow_html=True)
        if later is not None:
            # The card's label covers the later quote too, unless the later minutes are handled otherwise.
            other = asked.label(later.collection)
            later_line(later, terms, store, names, other if other != asked.label(answer.collection) else None)
        if passage is not None:
            span = (answer.start - passage.start, answer.end - passage.start)
            if passage.text[span[0]:span[1]] != answer.text:
                span = None
            st.markdown(f'<div class="mq-label">In context</div><div class="mq-passage mq-context">'
                        f'{render.marked(passage.text, terms, span)}</div>', unsafe_allow_html=True)
        document_id = passage.document_id if passage else None
        if document_id:
            views.source_buttons(store, document_id, answer.page, key="answer")
        controls(answer, names, asked)


def later_line(later: Answer, terms: re.Pattern | None, store: Store, names: Names, label: str | None = None) -> None:
    """One line saying a later meeting of the series spoke to the topic, and the later minutes behind it; with
    their handling label where it is not the answer's."""
    cite = render.citation(names.title(later.title), later.date, later.item, later.page)
    badge = f"{handling(label)} " if label else ""
    st.markdown(f'<div class="mq-later"><span class="mq-label">{render.esc("Later:")}</span> {badge}'
                f'<b>{render.esc(render.nice_date(later.date))}</b> — '
                f'<span class="mq-later-text">“{render.esc(" ".join(later.text.split()))}”</span> '
                f'<span class="mq-meta">{render.esc(cite)} · {render.esc(later.document)}</span></div>',
                unsafe_allow_html=True)
    found = browse.meeting_text(store, later.meeting_id)
    if found is None:
        return
    text, document_id = found
    with st.expander(render.md_label(f"Read it in the minutes of {render.nice_date(later.date)}"), key="later"):
        window, span = excerpt(text, later.start, later.end)
        st.markdown(f'<div class="mq-passage mq-excerpt">{render.marked(window, terms, span)}</div>',
                    unsafe_allow_html=True)
        views.source_buttons(store, document_id, later.page, key="later")


def excerpt(text: str, start: int, end: int, margin: int = 400) -> tuple[str, tuple[int, int] | None]:
    """The paragraph around a span of a meeting's text (at most ``margin`` characters either side) and where
    the span lies in it."""
    if not 0 <= start < end <= len(text):
        return text[:2 * margin], None
    lo = text.rfind("\n\n", max(0, start - margin), start)
    lo = lo + 2 if lo != -1 else max(0, start - margin)
    hi = text.find("\n\n", end, end + margin)
    hi = hi if hi != -1 else min(len(text), end + margin)
    return text[lo:hi], (start - lo, end - lo)


def controls(answer: Answer, names: Names, asked: Asked) -> None:
    """Copy the citation, share the question, and say whether the answer is right."""
    row = st.container(horizontal=True, vertical_alignment="center", key="answer-controls")
    with row.popover("Copy citation", icon=":material/content_copy:"):
        st.code(copy_text(answer, names), language=None, wrap_lines=True)
    with row.popover("Share", icon=":material/link:"):
        st.caption("This link opens the page with the same question and filters.")
        st.code(asked.link, language=None, wrap_lines=True)
    with row:
        verdict_buttons(answer, asked)


def verdict_buttons(answer: Answer, asked: Asked) -> None:
    key = (asked.question, answer.document, answer.start)
    given = st.session_state.get("verdicts", {}).get(key)
    with st.container(horizontal=True, vertical_alignment="center", key="verdict"):
        # Both stay plain buttons: Streamlit's primary red under white text is 3.6:1, too faint to read.
        for verdict, icon in (("right", ":material/thumb_up:"), ("wrong", ":material/thumb_down:")):
            st.button(f"This answer is {verdict}", icon=":material/check:" if given == verdict else icon,
                      key=f"verdict-{verdict}", on_click=_record, args=(answer, asked, verdict))
        if given:
            st.caption(f"Thank you: recorded that this answer is {given}.")
    problem = st.session_state.pop("verdict-problem", None)
    if problem:
        st.warning(render.md_label(f"The verdict could not be recorded: {problem}"))


def _record(answer: Answer, asked: Asked, verdict: str) -> None:
    try:
        feedback.record(asked.folder, asked.question, answer.text, answer.document, answer.page, verdict)
    except OSError as exc:   # a read-only index folder, a full disk: say so, keep the page
        st.session_state["verdict-problem"] = str(exc)
        return
    st.session_state.setdefault("verdicts", {})[(asked.question, answer.document, answer.start)] = verdict


def passages_list(passages: list[Passage], answer: Answer | None, terms: re.Pattern | None, store: Store,
                  names: Names, heading: str, show_scores: bool, label: Callable[[str], str] = str) -> None:
    meetings = {p.meeting_id for p in passages}
    st.subheader(heading)
    if len(meetings) > 1:
        # Minutes overtake each other: what was said most recently usually matters most.
        passages = sorted(passages, key=lambda p: (p.date or "", -p.rank), reverse=True)
        st.caption(f"From {len(meetings)} meetings, latest first.")
    for p in passages:
        with st.container(border=True, key=f"passage-{p.rank}"):
            text, cut = render.snippet(p.text, terms)
            cite = render.citation(names.title(p.title), p.date, p.item, p.page)
            why = relation(p, answer)
            why = f'<span class="mq-why">{render.esc(why + ":")}</span> ' if why else ""
            meta = p.document + (f" · rank {p.rank} · score {p.score:.3f}" if show_scores else "")
            st.markdown(
                f'<div class="mq-cite">{handling(label(p.collection))} {why}<b>{render.esc(cite)}</b> '
                f'<span class="mq-meta">· {render.esc(meta)}</span>'
                f'</div><div class="mq-passage mq-other-text">{render.marked(text, terms)}</div>',
                unsafe_allow_html=True)
            if cut:
                with st.expander("Whole passage"):
                    st.markdown(f'<div class="mq-passage">{render.marked(p.text, terms)}</div>',
                                unsafe_allow_html=True)
            views.source_buttons(store, p.document_id, p.page, key=f"p{p.rank}")
