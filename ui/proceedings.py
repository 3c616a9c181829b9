"""A meeting's business as the page shows it under the meeting: attendance, interests, motions and their votes,
resolutions, its start and its close, each row with the words of the minutes it was read from and their page."""
from __future__ import annotations

import streamlit as st

from index.proceedings import NONE, Business, Motion, Quoted
from ui import render

ATTENDANCE_LABELS = {"apologies": "Apologies", "absent": "Absent", "arrived": "Arrived late",
                     "left": "Left early"}
# Shown even when empty: what a row is, where it stands and the words it was read from.
ALWAYS = {"Motion", "Resolution", "Who", "Started at", "Closed at", "Item", "Page", "Quote"}


def business_sections(b: Business) -> None:
    """One table a kind of business, only for the kinds these minutes record."""
    if b.started:
        _section("Start of the meeting", ["Started at"], [[q.value] for q in b.started], b.started)
    if b.attendance:
        _section("Apologies, absences, arrivals and departures", ["Who", "Recorded", "Reason or time"],
                 [[_who(q), ATTENDANCE_LABELS.get(q.kind, q.kind), q.detail] for q in b.attendance], b.attendance)
    if b.interests:
        _section("Declarations of interest", ["Who", "Interest"],
                 [[_who(q), q.detail] for q in b.interests], b.interests)
    if b.motions:
        _section("Motions and votes", ["Motion", "Resolved", "Moved by", "Seconded by", "Result", "Tally",
                                       "For", "Against", "Abstained", "Passed", "Absent for the vote"],
                 [_motion_cells(m) for m in b.motions], b.motions)
    if b.resolutions:
        _section("Resolutions", ["Resolution"], [[q.value] for q in b.resolutions], b.resolutions)


def closing_section(b: Business) -> None:
    if b.closed:
        _section("Close of the meeting", ["Closed at"], [[q.value] for q in b.closed], b.closed)


def _who(q: Quoted) -> str:
    return "None" if q.value == NONE else q.value


def _names(values: list[str]) -> str:
    # Semicolons: one name can hold commas and "and" ("Cllr Trudy Mann and Cllr Mandy Leamon").
    return "; ".join(values)


def _motion_cells(m: Motion) -> list[str | None]:
    return [m.text, m.resolution, _names(m.mover), _names(m.seconder), _names(m.result), _names(m.tally),
            _names(m.voted_for), _names(m.against), _names(m.abstained), _names(m.passed), _names(m.vote_absent)]


def _section(title: str, columns: list[str], cells: list[list[str | None]], rows: list[Quoted | Motion]) -> None:
    """A heading and an escaped table; item, page and quote end every row; columns no row fills are left out."""
    columns = columns + ["Item", "Page", "Quote"]
    cells = [row + [r.item, str(r.page) if r.page else None, _quote(r)] for row, r in zip(cells, rows)]
    keep = [n for n, c in enumerate(columns) if c in ALWAYS or any(row[n] for row in cells)]
    st.markdown(f"**{title}** · {len(rows)}")
    table = render.table([columns[n] for n in keep], [[row[n] for n in keep] for row in cells],
                         css_class="mq-table mq-facts")
    st.markdown(f'<div class="mq-table-wrap">{table}</div>', unsafe_allow_html=True)


def _quote(r: Quoted | Motion) -> str:
    """The verbatim words; a motion's parts stated in separate sentences are joined by an ellipsis."""
    return " … ".join(r.quotes) if isinstance(r, Motion) else r.quote
