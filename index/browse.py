"""Read-only views of an index for the web page: meetings, their people, items, business and actions, and source
files."""
from __future__ import annotations

import json
import mimetypes
import os
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

from index import action_status, roles
from index.config import MODEL
from index.embed import model_for_index
from index.proceedings import Business, business
from index.filters import Filters
from index.query import content_terms, fts_query
from index.store import Store
from ingest.model import AgendaItem, Attendee


@dataclass
class MeetingRow:
    id: int
    document_id: int
    document: str
    title: str | None
    series: str | None
    date: str | None
    chair: str | None
    venue: str | None
    minute_taker: str | None
    next_meeting_date: str | None
    attendees: int = 0
    items: int = 0
    actions: int = 0


ACTION_LINE = "Action line"
SENTENCE = "Sentence"


@dataclass
class ActionRow:
    id: int                           # of its row in actions, or in facts for an action read from a sentence
    text: str
    owner: str | None
    due: str | None                   # ISO; None where the minutes give no date (their words stay in ``text``)
    item: str | None
    page: int | None
    meeting_id: int
    meeting: str | None
    date: str | None
    series: str | None
    document: str
    document_id: int
    start: int | None = None          # offsets in the meeting's text, where the words could be found there
    end: int | None = None
    read_from: str = ACTION_LINE      # ACTION_LINE, or SENTENCE: "The Clerk agreed to write to ..."
    holder: roles.Owner | None = None  # the owner as a role and the person who held it at the meeting
    reports: list[action_status.Report] = field(default_factory=list)  # what later minutes said of it, oldest first

    def status(self, as_of: date) -> action_status.Status:
        """Open, done, ongoing, superseded or overdue, as the minutes stood on ``as_of``."""
        return action_status.status(self.due, self.reports, as_of)


@dataclass
class MeetingDetail:
    meeting: MeetingRow
    attendees: list[Attendee] = field(default_factory=list)
    items: list[AgendaItem] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)
    business: Business = field(default_factory=Business)


@dataclass
class SourceFile:
    """An indexed document's original file on disk, found by its id in the store."""

    id: int
    name: str
    path: Path
    kind: str | None
    mime: str

    def read(self) -> bytes:
        return self.path.read_bytes()


@contextmanager
def reading(folder: Path, collections: Iterable[str] | None = None) -> Iterator[Store]:
    """The store opened for one page run; every query inside sees one committed state, and only the
    ``collections`` a reader is cleared for (every collection when None)."""
    store = Store(Path(folder), collections=collections)
    try:
        with store.snapshot():
            yield store
    finally:
        store.close()


def status(store: Store) -> dict:
    """What the page says of the index, as this store's reader may see it: counts and failed files of the
    collections it reads; the last run's report (which names files of every collection) only for a store
    that reads them all."""
    meta = store.meta()
    counts = store.counts()
    return {
        "index": str(store.folder),
        "documents": counts["documents"],
        "meetings": counts["meetings"],
        "chunks": counts["chunks"],
        "model": meta.get("model_name"),
        "generation": int(meta.get("generation", 0)),
        "last_ingest": store.last_run(),
        "failed": store.failed_documents(),
    }


def mentions(store: Store, question: str) -> bool:
    """Whether some passage this store may read holds every content word of ``question``: an example is
    offered only to a reader whose minutes speak of it."""
    words = [fts_query([t]) for t in content_terms(question)]
    match = " AND ".join(w for w in words if w)
    return bool(match) and bool(store.keyword_search(match, 1))


def model_spec(folder: Path) -> str | None:
    """Which model a reader must load for this index: the setting, else the one that built it."""
    env = os.environ.get(MODEL.envvar)
    if env:
        return env
    store = Store(Path(folder))
    try:
        meta = store.meta()
    finally:
        store.close()
    return model_for_index(meta)


_MEETINGS_SQL = """
SELECT m.id, m.document_id, d.path, m.title, m.series, m.date, m.chair, m.venue, m.minute_taker,
       m.next_meeting_date,
       (SELECT count(*) FROM attendees a WHERE a.meeting_id = m.id),
       (SELECT count(*) FROM items i WHERE i.meeting_id = m.id),
       (SELECT count(*) FROM actions x WHERE x.meeting_id = m.id)
FROM meetings m JOIN documents d ON d.id = m.document_id
"""


def meetings(store: Store) -> list[MeetingRow]:
    """Every meeting, latest first; meetings whose date is unknown come last."""
    rows = store.conn.execute(_MEETINGS_SQL + " ORDER BY m.date IS NULL, m.date DESC, d.path").fetchall()
    out = [MeetingRow(*tuple(r)) for r in rows]
    # Counted as the actions view lists them, sentences beyond Action: lines included.
    counts = Counter(a.meeting_id for a in actions(store))
    for m in out:
        m.actions = counts[m.id]
    return out


def meeting(store: Store, meeting_id: int) -> MeetingDetail | None:
    row = store.conn.execute(_MEETINGS_SQL + " WHERE m.id = ?", (meeting_id,)).fetchone()
    if row is None:
        return None
    q = store.conn.execute
    attendees = [Attendee(r[0], r[1], r[2]) for r in
                 q("SELECT name, role, acronym FROM attendees WHERE meeting_id = ? ORDER BY id", (meeting_id,))]
    items = [AgendaItem(r[0], r[1], r[2] or 0, r[3] or 0, r[4]) for r in
             q('SELECT number, title, start, "end", page FROM items WHERE meeting_id = ? ORDER BY id', (meeting_id,))]
    found = actions(store, meeting_id=meeting_id)
    d = MeetingDetail(MeetingRow(*tuple(row)), attendees, items, found, business(store, meeting_id))
    d.meeting.actions = len(found)
    return d


_ACTION_MEETING = "m.id, m.title, m.date, m.series, d.path, d.id"
# An Action: line keeps the words after "Action:", not where they stand: instr finds them (1-based, 0 when
# absent). substr and instr count characters, as Python's offsets do.
_ACTION_LINES_SQL = f"""
SELECT x.id, x.text, x.owner, x.due, x.item, x.page, {_ACTION_MEETING},
       nullif(instr(m.text, x.text), 0) - 1, nullif(instr(m.text, x.text), 0) - 1 + length(x.text)
FROM actions x JOIN meetings m ON m.id = x.meeting_id JOIN documents d ON d.id = m.document_id
ORDER BY x.id
"""
_ACTION_FACTS_SQL = f"""
SELECT f.id, substr(m.text, f.start + 1, f."end" - f.start), f.value, f.detail, f.item, f.page, {_ACTION_MEETING},
       f.start, f."end"
FROM facts f JOIN meetings m ON m.id = f.meeting_id JOIN documents d ON d.id = m.document_id
WHERE f.kind = 'action' ORDER BY f.start, f.id
"""


_ACTION_UPDATES_SQL = """
SELECT f.detail, f.value, substr(m.text, f.start + 1, f."end" - f.start), m.id, m.title, m.date, m.series, d.path,
       d.id, f.item, f.page, f.start, f."end"
FROM facts f JOIN meetings m ON m.id = f.meeting_id JOIN documents d ON d.id = m.document_id
WHERE f.kind = 'action_update' ORDER BY m.date, f.start
"""
_HOLDINGS_SQL = """
SELECT a.name, a.role, a.acronym, m.id, m.series, m.date FROM attendees a JOIN meetings m ON m.id = a.meeting_id
ORDER BY a.id
"""


def actions(store: Store, meeting_id: int | None = None) -> list[ActionRow]:
    """Actions across meetings (or of one), latest meeting first, in the order the minutes give them, each with
    its owner's role and person and what later minutes said of it.

    Action: lines, and the actions read from sentences ("The Clerk agreed to write to ..."). An Action: line
    is read as a sentence too: a sentence overlapping an Action: line of its meeting is that line, listed once.
    """
    # Every meeting's actions, even for one meeting's: a later statement is matched against them all.
    lines = [ActionRow(*tuple(r)) for r in store.conn.execute(_ACTION_LINES_SQL)]
    by_meeting: dict[int, list[ActionRow]] = {}
    for a in lines:
        by_meeting.setdefault(a.meeting_id, []).append(a)
    sentences = [ActionRow(*tuple(r), read_from=SENTENCE) for r in store.conn.execute(_ACTION_FACTS_SQL)]
    rows = _in_meeting_order(lines + [s for s in sentences if not _listed(s, by_meeting.get(s.meeting_id, []))])
    reports = [action_status.Report(*tuple(r)) for r in store.conn.execute(_ACTION_UPDATES_SQL)]
    for a, said in zip(rows, action_status.link(rows, reports, store.meeting_cards(), ACTION_LINE)):
        a.reports = said
    people = role_holders(store)
    for a in rows:
        a.holder = people.owner(a.owner, a.meeting_id, a.series, a.date)
    return [a for a in rows if meeting_id is None or a.meeting_id == meeting_id]


def holdings_of(store: Store, wanted: list[str]) -> list[roles.Holding]:
    """The attendance rows whose role holds one of ``wanted`` or whose acronym is one: every row that could
    name it (``roles.holds`` decides), without reading an archive's every row."""
    wanted = [" ".join(w.casefold().split()) for w in wanted if w.strip()]
    if not wanted:
        return []
    where = " OR ".join(["instr(lower(a.role), ?) > 0 OR lower(a.acronym) = ?"] * len(wanted))
    sql = _HOLDINGS_SQL.replace("ORDER BY", f"WHERE {where} ORDER BY")
    return [roles.Holding(*tuple(r)) for r in store.conn.execute(sql, [x for w in wanted for x in (w, w)])]


def role_holders(store: Store) -> roles.Roles:
    """Who held which role at each meeting, from the attendance tables and the glossaries."""
    return roles.Roles([roles.Holding(*tuple(r)) for r in store.conn.execute(_HOLDINGS_SQL)], store.glossary_pairs())


def _listed(sentence: ActionRow, lines: list[ActionRow]) -> bool:
    """Whether an action read from a sentence is one of its meeting's Action: lines: their spans overlap, or the
    line's words are in the sentence (the store tidied its spacing, or the same line stands twice and instr found
    the first)."""
    words = " ".join(sentence.text.split())
    for a in lines:
        line = " ".join(a.text.split())
        if (a.start is not None and a.start < sentence.end and sentence.start < a.end) or (line and line in words):
            return True
    return False


def _in_meeting_order(rows: list[ActionRow]) -> list[ActionRow]:
    """Latest meeting first (unknown dates last), then by document, then in the order of the minutes."""
    rows = sorted(rows, key=lambda a: (a.start is None, a.start or 0))
    rows = sorted(rows, key=lambda a: a.document)
    return sorted(rows, key=lambda a: a.date or "", reverse=True)   # stable: equal keys keep their order


def series(store: Store) -> list[str]:
    return [r[0] for r in store.conn.execute(
        "SELECT DISTINCT series FROM meetings WHERE series IS NOT NULL AND series != '' ORDER BY series")]


def documents(store: Store) -> list[tuple[int, str]]:
    """(id, path) of the documents that are searchable."""
    return [(r[0], r[1]) for r in store.conn.execute("SELECT id, path FROM documents WHERE status = 'ok' ORDER BY path")]


def date_range(store: Store) -> tuple[str | None, str | None]:
    row = store.conn.execute("SELECT min(date), max(date) FROM meetings WHERE date IS NOT NULL").fetchone()
    return (row[0], row[1]) if row else (None, None)


def titles_and_series(store: Store) -> list[tuple[str | None, str | None]]:
    """(title, series) of every meeting, as written: what the page learns its names from."""
    return [(r[0], r[1]) for r in store.conn.execute("SELECT title, series FROM meetings ORDER BY id")]


def meeting_text(store: Store, meeting_id: int) -> tuple[str, int] | None:
    """A meeting's clean text, in which answers' offsets point, and its document's id."""
    row = store.conn.execute("SELECT text, document_id FROM meetings WHERE id = ?", (int(meeting_id),)).fetchone()
    return (row[0], row[1]) if row else None


def source_file(store: Store, document_id: int) -> SourceFile | None:
    """The original file of an indexed document, or None when it is not in the index or no longer on disk.

    Only a path the store holds is ever opened, and only inside the folder it was ingested from.
    """
    row = store.conn.execute("SELECT id, path, root, kind FROM documents WHERE id = ? AND status = 'ok'",
                             (int(document_id),)).fetchone()
    if row is None or not row["root"]:
        return None
    root = Path(row["root"]).resolve()
    path = (root / row["path"]).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return SourceFile(row["id"], path.name, path, row["kind"], mime)


def page_text(store: Store, meeting_id: int, page: int) -> str | None:
    """The clean text of one page of a meeting, as it was indexed."""
    row = store.conn.execute("SELECT text, page_starts FROM meetings WHERE id = ?", (meeting_id,)).fetchone()
    if row is None:
        return None
    starts = json.loads(row["page_starts"] or "[0]") or [0]
    if not 1 <= page <= len(starts):
        return None
    end = starts[page] if page < len(starts) else len(row["text"])
    return row["text"][starts[page - 1]:end]


def as_date(iso: str | None) -> date | None:
    """The date of an ISO string; None for none or for words such as "end of March"."""
    try:
        return date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def in_filters(f: Filters, when: str | None, series: str | None, document: str) -> bool:
    """Whether a meeting passes the page's filters, as the search applies them."""
    return f.admits(when, series, document)