"""Whether an action is done: what later minutes of its series report of it, and its status as of a date.

Ingest reads each statement such as "Action 1 from June (101 improvement trajectory): complete." as an
``action_update`` fact (``ingest.action_updates``). Here a statement is matched to the action it speaks
of: one set at an earlier meeting of the same series, at the meeting the statement names ("from June",
"from the previous meeting") when it names one, whose words hold the statement's description of it
("101 improvement trajectory"); a number ("Action 2 from March") breaks a tie, or picks the action where
the statement gives no description.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol, Sequence

from index.query import content_terms
from ingest.action_updates import DONE, ONGOING, SUPERSEDED, Reference, read_reference

OPEN, OVERDUE = "open", "overdue"
STATES = (OPEN, DONE, ONGOING, SUPERSEDED, OVERDUE)

# How much of a statement's description of an action the action's own words must hold. A statement that
# names the action's meeting has few candidates: half its words will do. One that names no meeting could
# speak of any earlier action of the series: three quarters of its words, and at least two.
PINNED_SHARE = 0.5
LOOSE_SHARE = 0.75
LOOSE_WORDS = 2


@dataclass(frozen=True)
class Report:
    """A later meeting's statement of what became of an action, with its citation."""

    status: str                 # DONE, ONGOING or SUPERSEDED
    reference: str              # the words that name the action: "Action 1 from June (...)"
    quote: str                  # the statement, verbatim
    meeting_id: int
    meeting: str | None         # the reporting meeting's title
    date: str | None
    series: str | None
    document: str
    document_id: int
    item: str | None
    page: int | None
    start: int
    end: int


@dataclass(frozen=True)
class Status:
    state: str                  # one of STATES
    report: Report | None       # the latest statement known on the day, if any


class Meeting(Protocol):
    id: int
    series: str | None
    date: str | None


class Action(Protocol):
    """What matching reads of an action (``index.browse.ActionRow`` is one)."""

    text: str
    meeting_id: int
    series: str | None
    date: str | None
    start: int | None
    read_from: str


def link(actions: Sequence[Action], reports: Sequence[Report], meetings: Sequence[Meeting],
         action_line: str) -> list[list[Report]]:
    """For each action, the statements that speak of it, oldest first. ``action_line`` is the ``read_from`` of
    actions read from "Action:" lines, the ones a statement's number counts."""
    found: list[list[Report]] = [[] for _ in actions]
    for r in reports:
        for n in _spoken_of(r, actions, meetings, action_line):
            found[n].append(r)
    for reports_of in found:
        reports_of.sort(key=lambda r: (r.date or "", r.start))
    return found


def status(due: str | None, reports: Sequence[Report], as_of: date) -> Status:
    """Done, superseded or ongoing as the last statement known on ``as_of`` says; else overdue where the due
    date has passed, else open. Ongoing past its due date is overdue: it was not reported done."""
    known = [r for r in reports if r.date and r.date <= as_of.isoformat()]
    last = known[-1] if known else None
    if last and last.status in (DONE, SUPERSEDED):
        return Status(last.status, last)
    if due and _as_date(due) and _as_date(due) < as_of:
        return Status(OVERDUE, last)
    return Status(ONGOING if last else OPEN, last)


def _spoken_of(r: Report, actions: Sequence[Action], meetings: Sequence[Meeting], action_line: str) -> list[int]:
    """Which actions (by position) a statement speaks of: all of a meeting's for "all actions", else one."""
    ref = read_reference(r.reference)
    if ref is None or not r.date or not r.series:
        return []
    earlier = [n for n, a in enumerate(actions) if a.date and a.date < r.date and _same(a.series, r.series)]
    if ref.pinned:
        named = _named_meetings(ref, r, meetings)
        earlier = [n for n in earlier if actions[n].meeting_id in named]
    if ref.every or not earlier:
        return earlier if ref.every else []
    numbered = _numbered(ref, [actions[n] for n in earlier], action_line)
    if not ref.description:
        if numbered is not None:
            return [earlier[numbered]]
        return earlier if ref.pinned and len(earlier) == 1 else []
    wanted = _terms(ref.description)
    scored = []
    for k, n in enumerate(earlier):
        a = actions[n]
        shared = len(wanted & _terms(a.text))
        share = shared / len(wanted) if wanted else 0.0
        enough = share >= PINNED_SHARE if ref.pinned else (share >= LOOSE_SHARE and shared >= LOOSE_WORDS)
        if shared and enough:
            # Ties: the action the number names, an Action: line over a sentence, the latest meeting, the first.
            scored.append(((share, k == numbered, a.read_from == action_line, a.date or "", -(a.start or 0)), n))
    return [max(scored)[1]] if scored else []


def _named_meetings(ref: Reference, r: Report, meetings: Sequence[Meeting]) -> set[int]:
    """The meetings of the statement's series that a reference names: the one before it ("previous"), or the
    ones held in the month it names, in its year or, without one, the last such month before the statement."""
    before = [m for m in meetings if m.date and m.date < r.date and _same(m.series, r.series)]
    if ref.previous:
        last = max((m.date for m in before), default=None)
        return {m.id for m in before if m.date == last}
    said = date.fromisoformat(r.date)
    year = ref.year or (said.year if ref.month <= said.month else said.year - 1)
    held = {m.id: _as_date(m.date) for m in before}
    return {n for n, d in held.items() if d and (d.year, d.month) == (year, ref.month) and ref.day in (None, d.day)}


def _numbered(ref: Reference, candidates: list[Action], action_line: str) -> int | None:
    """The position among ``candidates`` of "Action N": the Nth Action: line of its meeting, where the reference
    names one meeting."""
    if ref.number is None or len({a.meeting_id for a in candidates}) != 1:
        return None
    lines = sorted((k for k, a in enumerate(candidates) if a.read_from == action_line),
                   key=lambda k: (candidates[k].start is None, candidates[k].start or 0))
    return lines[ref.number - 1] if 0 < ref.number <= len(lines) else None


def _terms(text: str) -> set[str]:
    """Content words, plural or not: "plans" is "plan"."""
    return {w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in content_terms(text)}


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b) and " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _as_date(iso: str | None) -> date | None:
    try:
        return date.fromisoformat(iso) if iso else None
    except ValueError:
        return None
