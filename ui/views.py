"""The page's browsing views: the status strip, source downloads, the meetings list and the actions list."""
from __future__ import annotations

import time
from datetime import date

import pandas as pd
import streamlit as st

from index import browse
from index.search import Filters
from index.store import Store
from ui import render
from ui.actions import actions_table
from ui.clearance import Reader
from ui.names import Names
from ui.proceedings import business_sections, closing_section


def _when(epoch: float | None) -> str:
    return time.strftime("%d %b %Y at %H:%M", time.localtime(epoch)) if epoch else "never"


OPEN_TO_ANYONE = ("Sign-in is off: this page is open to anyone who can reach it, and shows every collection of "
                  "minutes.")


def status_strip(status: dict, reader: Reader) -> None:
    """One line saying what the page searches (the counts are of what the reader may read), whether sign-in is
    off, and a plain warning for each file that could not be read."""
    last = status.get("last_ingest") or {}
    cleared = f" · cleared for {reader.cleared_for()}" if reader.signed_in else ""
    st.caption(render.md_label(
        f"Searching {status['documents']} documents · {status['meetings']} meetings · "
        f"{status['chunks']} passages · last updated {_when(last.get('finished_at'))}{cleared}"))
    if not reader.signed_in:
        st.caption(f":material/lock_open: {render.md_label(OPEN_TO_ANYONE)}")
    failed = status.get("failed") or []
    if failed:
        names = ", ".join(f["document"] for f in failed[:3]) + (" and others" if len(failed) > 3 else "")
        label = f"{len(failed)} file{'s' if len(failed) != 1 else ''} could not be read: {names}"
        with st.expander(render.md_label(label), icon="⚠️"):
            st.dataframe(pd.DataFrame([{"Document": f["document"], "Why": f["error"]} for f in failed]),
                         hide_index=True, width="stretch")


def status_panel(status: dict) -> None:
    """The sidebar's fuller account of the index, for whoever looks after it."""
    last = status.get("last_ingest") or {}
    lines = [f"Folder: {status['index']}", f"Model: {status.get('model') or 'none yet'}",
             f"Last ingest: {_when(last.get('finished_at'))}"]
    if "added" in last:       # a run's report names files of every collection: the server's own account only
        lines.append(f"{last.get('added', 0)} added, {last.get('updated', 0)} updated, "
                     f"{last.get('unchanged', 0)} unchanged, {last.get('removed', 0)} removed, "
                     f"{len(last.get('failed') or [])} failed")
    with st.expander("About this index"):
        st.caption("  \n".join(render.md_label(line) for line in lines))


def _media_url(src: browse.SourceFile) -> str | None:
    """A URL the browser can open the file at, served by Streamlit's own media endpoint."""
    try:
        from streamlit import runtime

        if not runtime.exists():
            return None
        url = runtime.get_instance().media_file_mgr.add(str(src.path), src.mime, f"minutes-source-{src.id}")
    except Exception:  # a viewer link is a convenience; the download still works without it
        return None
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}{url}" if base else url


def source_buttons(store: Store, document_id: int, page: int | None, key: str) -> None:
    """A download of the original file, found by its id in the index, and for a PDF a link to the page."""
    src = browse.source_file(store, document_id)
    if src is None:
        st.caption("The original file is no longer where it was read from.")
        return
    row = st.container(horizontal=True)
    row.download_button(f"Download {src.name}", data=src.read, file_name=src.name, mime=src.mime,
                        key=f"download-{key}-{src.id}", on_click="ignore", icon=":material/download:",
                        type="tertiary")
    if src.path.suffix.lower() == ".pdf":
        url = _media_url(src)
        if url:
            label = f"Open the PDF at page {page}" if page else "Open the PDF"
            row.link_button(label, f"{url}#page={page}" if page else url, icon=":material/open_in_new:",
                            type="tertiary")


def meetings_tab(store: Store, f: Filters, names: Names) -> None:
    every = browse.meetings(store)
    rows = [m for m in every if browse.in_filters(f, m.date, m.series, m.document)]
    if not rows:
        st.info("No meetings match the filters." if every else "The index holds no meetings yet.")
        return
    st.caption(f"{len(rows)} of {len(every)} meetings" + (", as filtered in the sidebar" if f.active() else ""))
    st.dataframe(pd.DataFrame([{
        "Date": browse.as_date(m.date), "Meeting": names.title(m.title), "Series": names.series(m.series),
        "Chair": m.chair, "Venue": m.venue, "Attendees": m.attendees, "Items": m.items, "Actions": m.actions,
        "Document": m.document, "Title as written": m.title} for m in rows]),
        hide_index=True, width="stretch", key="meetings-table",
        column_config={"Date": st.column_config.DateColumn(format="D MMM YYYY")})
    labels = {m.id: f"{render.nice_date(m.date)} · {names.title(m.title) or m.document}" for m in rows}
    picked = st.selectbox("Open a meeting", list(labels), format_func=labels.get, key="meeting")
    detail = browse.meeting(store, picked) if picked is not None else None
    if detail is not None:
        _meeting_detail(store, detail, names)


def _meeting_detail(store: Store, d: browse.MeetingDetail, names: Names) -> None:
    m = d.meeting
    with st.container(border=True):
        st.subheader(render.md_label(names.title(m.title) or m.document))
        written = m.title if m.title and names.title(m.title) != " ".join(m.title.split()) else None
        facts = [("Date", render.nice_date(m.date)), ("Series", names.series(m.series)),
                 ("Title as written", written), ("Chair", m.chair), ("Venue", m.venue), ("Minutes by", m.minute_taker),
                 ("Next meeting", render.nice_date(m.next_meeting_date) if m.next_meeting_date else None)]
        st.caption("  \n".join(render.md_label(f"{k}: {v}") for k, v in facts if v))
        left, right = st.columns(2)
        with left:
            st.markdown("**Attendees**")
            if d.attendees:
                st.dataframe(pd.DataFrame([{"Name": a.name, "Role": a.role, "Acronym": a.acronym}
                                           for a in d.attendees]), hide_index=True, width="stretch")
            else:
                st.caption("No attendance list was found in these minutes.")
        with right:
            st.markdown("**Agenda items**")
            if d.items:
                st.dataframe(pd.DataFrame([{"Item": i.number or "", "Title": i.title, "Page": i.page}
                                           for i in d.items]), hide_index=True, width="stretch")
            else:
                st.caption("No numbered agenda items were found in these minutes.")
        business_sections(d.business)
        st.markdown("**Actions**")
        if d.actions:
            actions_table(d.actions, date.today(), with_meeting=False)
        else:
            st.caption("No actions were recorded in these minutes.")
        closing_section(d.business)
        source_buttons(store, m.document_id, None, key=f"meeting-{m.id}")
