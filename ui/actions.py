"""The actions view: every action across meetings with owner, due date and meeting; filtered, sorted, overdue marked."""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from index import browse
from index.search import Filters
from index.store import Store
from ui import render

FAR_FUTURE = date.max


def state(a: browse.ActionRow, as_of: date) -> str:
    due = browse.as_date(a.due)
    if due is None:
        return "Date unclear" if a.due else "No due date"
    return "Overdue" if due < as_of else "Not yet due"


def _due_key(a: browse.ActionRow) -> date:
    return browse.as_date(a.due) or FAR_FUTURE


def _meeting_key(a: browse.ActionRow) -> int:
    d = browse.as_date(a.date)
    return -d.toordinal() if d else 0


SORTS = {
    "Due date, earliest first": lambda a: (_due_key(a), _meeting_key(a)),
    "Meeting date, latest first": lambda a: (_meeting_key(a), _due_key(a)),
    "Owner": lambda a: (a.owner is None, (a.owner or "").lower(), _due_key(a)),
}


def _due_text(a: browse.ActionRow) -> str:
    d = browse.as_date(a.due)
    return render.nice_date(a.due) if d else (a.due or "")


def actions_table(rows: list[browse.ActionRow], as_of: date, with_meeting: bool = True) -> None:
    columns = ["Status", "Due", "Owner", "Action"] + (["Meeting"] if with_meeting else []) + ["Item", "Page"]
    cells, classes = [], []
    for a in rows:
        s = state(a, as_of)
        row = [s, _due_text(a), a.owner or "", " ".join(a.text.split())]
        if with_meeting:
            row.append(f"{a.meeting or a.document}\n{render.nice_date(a.date)}")
        row += [a.item or "", str(a.page) if a.page else ""]
        cells.append(row)
        classes.append("mq-overdue" if s == "Overdue" else "")
    table = render.table(columns, cells, classes, css_class="mq-table mq-actions")
    st.markdown(f'<div class="mq-table-wrap">{table}</div>', unsafe_allow_html=True)


def _frame(rows: list[browse.ActionRow], as_of: date) -> pd.DataFrame:
    return pd.DataFrame([{"Status": state(a, as_of), "Due": a.due, "Owner": a.owner, "Action": a.text,
                          "Meeting": a.meeting, "Meeting date": a.date, "Item": a.item, "Page": a.page,
                          "Document": a.document, "Read from": a.read_from} for a in rows])


def actions_tab(store: Store, f: Filters) -> None:
    every = browse.actions(store)
    rows = [a for a in every if browse.in_filters(f, a.date, a.series, a.document)]
    if not rows:
        st.info("No actions match the filters." if every else "No actions were found in these minutes.")
        return
    c1, c2, c3, c4 = st.columns([2, 2, 1.3, 1.7], vertical_alignment="bottom")
    owners = sorted({a.owner for a in rows if a.owner})
    picked = c1.multiselect("Owner", owners, key="action-owner", placeholder="Everyone")
    words = c2.text_input("Action mentions", key="action-words", placeholder="e.g. budget")
    as_of = c3.date_input("Overdue as of", value=date.today(), min_value=date(1990, 1, 1),
                          max_value=date(2100, 12, 31), format="DD/MM/YYYY", key="action-as-of")
    sort = c4.selectbox("Sort by", list(SORTS), key="action-sort")
    only_overdue = st.toggle("Only overdue actions", key="action-overdue")
    if picked:
        rows = [a for a in rows if a.owner in picked]
    if words.strip():
        needle = words.strip().lower()
        rows = [a for a in rows if needle in a.text.lower() or needle in (a.owner or "").lower()]
    if only_overdue:
        rows = [a for a in rows if state(a, as_of) == "Overdue"]
    if not rows:
        st.info("No actions match.")
        return
    rows = sorted(rows, key=SORTS[sort])
    overdue = sum(1 for a in rows if state(a, as_of) == "Overdue")
    top = st.container(horizontal=True, vertical_alignment="center")
    top.caption(f"{len(rows)} actions, {overdue} overdue as of {render.nice_date(as_of.isoformat())}. "
                "Overdue means the due date has passed; later minutes may record it as done. Actions are read from "
                "Action: lines and from sentences that give someone a task.")
    top.download_button("Download as CSV", _frame(rows, as_of).to_csv(index=False).encode("utf-8-sig"),
                        file_name="actions.csv", mime="text/csv", key="actions-csv", on_click="ignore",
                        icon=":material/download:", type="tertiary")
    actions_table(rows, as_of)
