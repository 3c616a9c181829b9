"""The actions view: every action across meetings with its status (what later minutes said of it), owner as role
and person, due date and meeting; filtered by owner (a name, a role or an acronym), sorted, downloadable."""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from index import browse, roles
from index.action_status import DONE, ONGOING, OPEN, OVERDUE, SUPERSEDED, Report, Status
from index.search import Filters
from index.store import Store
from ui import render

FAR_FUTURE = date.max
LABELS = {OPEN: "Open", DONE: "Done", ONGOING: "Ongoing", SUPERSEDED: "Superseded", OVERDUE: "Overdue"}


def _due_key(a: browse.ActionRow) -> date:
    return browse.as_date(a.due) or FAR_FUTURE


def _meeting_key(a: browse.ActionRow) -> int:
    d = browse.as_date(a.date)
    return -d.toordinal() if d else 0


def _owner(a: browse.ActionRow) -> str:
    return a.holder.label if a.holder else ""


SORTS = {
    "Due date, earliest first": lambda a: (_due_key(a), _meeting_key(a)),
    "Meeting date, latest first": lambda a: (_meeting_key(a), _due_key(a)),
    "Owner": lambda a: (a.owner is None, _owner(a).lower(), _due_key(a)),
}


def _said(s: Status) -> str:
    """Which meeting reported it, for the status cell: "reported 17 March 2022"."""
    if s.report is None:
        return ""
    ongoing = " ongoing" if s.state == OVERDUE else ""
    return f"reported{ongoing} {render.nice_date(s.report.date)}"


def actions_table(rows: list[browse.ActionRow], as_of: date, with_meeting: bool = True) -> None:
    columns = ["Status", "Due", "Owner", "Action"] + (["Meeting"] if with_meeting else []) + ["Item", "Page"]
    cells, classes = [], []
    for a in rows:
        s = a.status(as_of)
        row = [f"{LABELS[s.state]}\n{_said(s)}".strip(), render.nice_date(a.due) if a.due else "", _owner(a),
               " ".join(a.text.split())]
        if with_meeting:
            row.append(f"{a.meeting or a.document}\n{render.nice_date(a.date)}")
        row += [a.item or "", str(a.page) if a.page else ""]
        cells.append(row)
        classes.append(f"mq-{s.state}")
    table = render.table(columns, cells, classes, css_class="mq-table mq-actions")
    st.markdown(f'<div class="mq-table-wrap">{table}</div>', unsafe_allow_html=True)


def _frame(rows: list[browse.ActionRow], as_of: date) -> pd.DataFrame:
    out = []
    for a in rows:
        s, h = a.status(as_of), a.holder
        r = s.report
        out.append({"Status": LABELS[s.state], "Due": a.due, "Owner": a.owner, "Role": h.role if h else None,
                    "Person": h.person if h else None, "Action": a.text, "Meeting": a.meeting, "Meeting date": a.date,
                    "Item": a.item, "Page": a.page, "Document": a.document, "Read from": a.read_from,
                    "Reported at": r.meeting if r else None, "Reported on": r.date if r else None,
                    "Report": r.quote if r else None, "Report document": r.document if r else None,
                    "Report page": r.page if r else None})
    return pd.DataFrame(out)


def _quote_block(title: str, r: Report) -> str:
    """A later meeting's words about an action with their citation, as inert HTML."""
    cite = render.citation(r.meeting, r.date, r.item, r.page, r.document)
    return (f'<div class="mq-context"><div class="mq-label">{render.esc(title)}</div>'
            f'<div class="mq-quote">{render.esc(" ".join(r.quote.split()))}</div>'
            f'<div class="mq-cite">{render.esc(cite)}</div></div>')


def reports_section(rows: list[browse.ActionRow], as_of: date) -> None:
    """What later minutes said of each action, their words quoted, behind an expander."""
    said = [(a, a.status(as_of)) for a in rows]
    said = [(a, s) for a, s in said if s.report is not None]
    if not said:
        return
    with st.expander(f"What later minutes said of these actions ({len(said)})", icon=":material/format_quote:"):
        blocks = [_quote_block(f"{LABELS[s.state]}: {' '.join(a.text.split())}", s.report) for a, s in said]
        st.markdown("".join(blocks), unsafe_allow_html=True)


def action_detail(store: Store, rows: list[browse.ActionRow], as_of: date) -> None:
    """One action opened: its owner, status and the words that reported it, and links to both pages."""
    from ui.views import source_buttons   # here: views imports this module

    labels: dict[str, browse.ActionRow] = {}
    for a in rows:
        label = f"{render.nice_date(a.date)} · {_owner(a) or 'no owner'} · {' '.join(a.text.split())[:90]}"
        while label in labels:      # the same words given twice at one meeting
            label += " (again)"
        labels[label] = a
    picked = st.selectbox("Open an action", list(labels), key="action-open", index=None,
                          placeholder="Choose an action to see its source and what later minutes said of it")
    if picked is None:
        return
    a = labels[picked]
    s = a.status(as_of)
    with st.container(border=True):
        who = a.holder
        lines = [f"Status: {LABELS[s.state]}", f"Owner: {who.label}" if who else "Owner: not named",
                 f"Role: {who.role}" if who and who.role else "", f"Due: {render.nice_date(a.due)}" if a.due else "",
                 render.citation(a.meeting, a.date, a.item, a.page, a.document)]
        st.caption("  \n".join(render.md_label(line) for line in lines if line))
        st.markdown(f'<div class="mq-quote">{render.esc(" ".join(a.text.split()))}</div>', unsafe_allow_html=True)
        source_buttons(store, a.document_id, a.page, key=f"action-{a.read_from}-{a.id}")
        for r in reversed(a.reports):
            if r.date and r.date <= as_of.isoformat():
                st.markdown(_quote_block(f"{LABELS.get(r.status, r.status)}, as reported", r), unsafe_allow_html=True)
                source_buttons(store, r.document_id, r.page, key=f"report-{r.meeting_id}-{r.start}")


def actions_tab(store: Store, f: Filters) -> None:
    every = browse.actions(store)
    rows = [a for a in every if browse.in_filters(f, a.date, a.series, a.document)]
    if not rows:
        st.info("No actions match the filters." if every else "No actions were found in these minutes.")
        return
    c1, c2, c3, c4 = st.columns([2, 2, 1.3, 1.7], vertical_alignment="bottom")
    owners = [a.holder for a in every]
    picked = c1.multiselect("Owner", roles.choices(owners), key="action-owner", accept_new_options=True,
                            placeholder="Everyone: a name, role or acronym",
                            help="A name (Marcus Obi), a role (Chief Constable) or an acronym (CC). One some owner "
                                 "has exactly picks exactly those; other words find every owner whose name or role "
                                 "holds them.")
    words = c2.text_input("Action mentions", key="action-words", placeholder="e.g. budget")
    as_of = c3.date_input("Status as of", value=date.today(), min_value=date(1990, 1, 1),
                          max_value=date(2100, 12, 31), format="DD/MM/YYYY", key="action-as-of")
    sort = c4.selectbox("Sort by", list(SORTS), key="action-sort")
    only_overdue = st.toggle("Only overdue actions", key="action-overdue")
    if picked:
        # Read against every owner, so that words name a role exactly however the sidebar filters the rows.
        keep = {id(a) for q in picked for a, ok in zip(every, roles.select(q, owners)) if ok}
        rows = [a for a in rows if id(a) in keep]
    if words.strip():
        needle = words.strip().lower()
        rows = [a for a in rows if needle in a.text.lower() or needle in _owner(a).lower()]
    if only_overdue:
        rows = [a for a in rows if a.status(as_of).state == OVERDUE]
    if not rows:
        st.info("No actions match.")
        return
    rows = sorted(rows, key=SORTS[sort])
    counts = {k: sum(1 for a in rows if a.status(as_of).state == k) for k in LABELS}
    top = st.container(horizontal=True, vertical_alignment="center")
    top.caption(f"{len(rows)} action{'s' if len(rows) != 1 else ''} as of {render.nice_date(as_of.isoformat())}: "
                + ", ".join(f"{n} {LABELS[k].lower()}" for k, n in counts.items() if n) + ". "
                "Done means later minutes of the same meeting series reported it complete; overdue, that its due "
                "date has passed and no later minutes reported it done. Actions are read from Action: lines and "
                "from sentences that give someone a task.")
    top.download_button("Download as CSV", _frame(rows, as_of).to_csv(index=False).encode("utf-8-sig"),
                        file_name="actions.csv", mime="text/csv", key="actions-csv", on_click="ignore",
                        icon=":material/download:", type="tertiary")
    actions_table(rows, as_of)
    reports_section(rows, as_of)
    action_detail(store, rows, as_of)
