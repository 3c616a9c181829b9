"""The figure an answer quotes, as each meeting of its series reported it: a small chart and the same as a table."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from index.search.history import HistoryPoint
from ui import render
from ui.names import Names

# A history's unit as the search reads it, and how the axis speaks of it. Sums of money are stored in units
# of their currency; the axis counts them in the scale the minutes wrote.
_SCALES = {"m": (1e6, "million"), "bn": (1e9, "billion")}
COLOUR = "#b45309"      # the answer's amber, dark enough to stand out on white (5:1)


def axis(unit: str) -> tuple[str, float]:
    """The axis title for a unit and what to divide values by: ("£ million", 1e6) for "£m"."""
    if unit == "%":
        return "Per cent", 1.0
    for suffix, (scale, word) in _SCALES.items():
        if len(unit) == 1 + len(suffix) and unit.endswith(suffix) and not unit[0].isalnum():
            return f"{unit[0]} {word}", scale
    if len(unit) == 1 and not unit.isalnum():
        return unit, 1.0
    return unit[:1].upper() + unit[1:], 1.0


def frame(points: list[HistoryPoint], names: Names) -> pd.DataFrame:
    title, scale = axis(points[0].unit)
    return pd.DataFrame([{
        "Meeting date": pd.Timestamp(p.date), "Figure": p.value / scale, "As written": p.written, "Quote": p.quote,
        "Citation": render.citation(names.title(p.title), p.date, p.item, p.page, p.document),
    } for p in points]).rename(columns={"Figure": title})


def describe(points: list[HistoryPoint]) -> str:
    """The chart in words, for a screen reader: each figure with its date."""
    return "; ".join(f"{p.written} on {render.nice_date(p.date)}" for p in points)


def show(points: list[HistoryPoint], quoted_meeting: int, names: Names) -> None:
    if not points:
        return
    title, _ = axis(points[0].unit)
    data = frame(points, names)
    st.subheader("The figure over time", anchor="history")
    st.caption(render.md_label(f"{title}, as each meeting reported it, from {render.nice_date(points[0].date)} to "
                               f"{render.nice_date(points[-1].date)}. Point at a meeting for its quote."))
    line = alt.Chart(data).mark_line(color=COLOUR, point=alt.OverlayMarkDef(size=70, filled=True, color=COLOUR))
    chart = line.encode(
        x=alt.X("Meeting date:T", title="Meeting date", axis=alt.Axis(format="%b %Y"), scale=alt.Scale(padding=12)),
        y=alt.Y(f"{title}:Q", title=title, scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("Meeting date:T", format="%-d %B %Y"), alt.Tooltip("As written:N", title="Figure"),
                 alt.Tooltip("Quote:N"), alt.Tooltip("Citation:N")],
    ).properties(height=260)
    st.altair_chart(chart, key="history-chart", alt=f"Line chart of the figure by meeting date: {describe(points)}.")
    rows = [[render.nice_date(p.date), p.written, p.quote,
             f"{names.title(p.title) or p.document}\n{'item ' + p.item if p.item else ''}",
             str(p.page) if p.page else ""] for p in points]
    classes = ["mq-quoted" if p.meeting_id == quoted_meeting else "" for p in points]
    table = render.table(["Meeting date", "Figure", "Quote", "Meeting", "Page"], rows, classes,
                         css_class="mq-table mq-history")
    st.markdown(f'<div class="mq-table-wrap">{table}</div>', unsafe_allow_html=True)
