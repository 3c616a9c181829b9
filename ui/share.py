"""The share link: the question and the filters in the page's address, read when the page opens and written when
a question is asked, so a link reopens the same question with the same filters.

    ?q=What+was+the+101+target%3F&from=2022-01-01&to=2023-12-31&series=Police+and+Crime+Panel&doc=a.pdf&k=5

Series are named as the page shows them. A value the index does not know (a document since removed, a date
outside the minutes) is left out rather than refused: the link still opens, with what still applies.
"""
from __future__ import annotations

from collections.abc import MutableMapping
from datetime import date
from urllib.parse import urlencode

import streamlit as st

DEFAULT_TOP_K = 5
TOP_K_RANGE = (1, 10)
LISTS = ("series", "doc")     # parameters that repeat


def _day(text: str | None, lo: date, hi: date) -> date | None:
    try:
        d = date.fromisoformat(text or "")
    except ValueError:
        return None
    return d if lo <= d <= hi else None


def read_once(state: MutableMapping, series: list[str], documents: list[str], lo: date | None,
              hi: date | None) -> None:
    """Put what the address asks for into the widgets' state, once a session, before any widget is drawn."""
    if state.get("shared-read"):
        return
    state["shared-read"] = True
    params = st.query_params
    if params.get("q"):
        state["question"] = params["q"]
    if lo and hi:
        since, until = _day(params.get("from"), lo, hi) or lo, _day(params.get("to"), lo, hi) or hi
        if since <= until and (since, until) != (lo, hi):
            state["dates"] = (since, until)
    picked = [s for s in params.get_all("series") if s in series]
    if picked:
        state["series"] = picked
    docs = [d for d in params.get_all("doc") if d in documents]
    if docs:
        state["documents"] = docs
    k = params.get("k", "")
    if k.isdigit() and TOP_K_RANGE[0] <= int(k) <= TOP_K_RANGE[1]:
        state["top_k"] = int(k)


def params(question: str, since: str | None, until: str | None, series: list[str], documents: list[str],
           top_k: int) -> dict[str, str | list[str]]:
    """The address's parameters for a question and its filters; defaults left out to keep links short."""
    out: dict[str, str | list[str]] = {"q": question}
    if since:
        out["from"] = since
    if until:
        out["to"] = until
    if series:
        out["series"] = list(series)
    if documents:
        out["doc"] = list(documents)
    if top_k != DEFAULT_TOP_K:
        out["k"] = str(top_k)
    return out


def write(wanted: dict[str, str | list[str]]) -> None:
    """The page's address made to say ``wanted``; left alone when it already does (each write is a message)."""
    current = {k: st.query_params.get_all(k) if k in LISTS else st.query_params.get(k) for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


def link(wanted: dict[str, str | list[str]]) -> str:
    """The full address to share. Where the page's own address is unknown (a test), a relative one."""
    try:
        base = (st.context.url or "").rstrip("/")
    except Exception:  # no browser behind this run
        base = ""
    return f"{base}/?{urlencode(wanted, doseq=True)}"
