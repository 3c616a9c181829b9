"""What a meeting's minutes record of its business, grouped for reading: motions with their votes, resolutions,
attendance, declarations of interest and the close, each with the words of the minutes that say it."""
from __future__ import annotations

from dataclasses import dataclass, field

from index.store import Store, StoredFact

# The parts of a vote; a resolution alone is a decision without a recorded vote.
VOTE_PARTS = ("motion", "mover", "seconder", "result", "tally", "voted_for", "against", "abstained", "passed",
              "vote_absent")
ATTENDANCE = ("apologies", "absent", "arrived", "left")
NONE = "none"   # the value of a row saying the minutes record none of its kind ("There were no apologies")


@dataclass
class Quoted:
    """One fact with the verbatim span of the minutes it was read from."""

    kind: str
    value: str
    detail: str | None      # an apology's reason, a time, what an interest concerns
    item: str | None
    page: int | None
    start: int
    end: int
    quote: str


@dataclass
class Motion:
    """A motion and its vote. Several names a part: a roll call lists everyone who voted against."""

    number: int
    text: str | None                # what was moved, else what was resolved
    resolution: str | None          # what was resolved, where the minutes word it apart from the motion
    item: str | None
    page: int | None
    mover: list[str] = field(default_factory=list)
    seconder: list[str] = field(default_factory=list)
    result: list[str] = field(default_factory=list)
    tally: list[str] = field(default_factory=list)
    voted_for: list[str] = field(default_factory=list)
    against: list[str] = field(default_factory=list)
    abstained: list[str] = field(default_factory=list)
    passed: list[str] = field(default_factory=list)
    vote_absent: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)   # the spans its parts were read from, overlaps joined


@dataclass
class Business:
    motions: list[Motion] = field(default_factory=list)
    resolutions: list[Quoted] = field(default_factory=list)   # decisions that are not part of a motion shown
    attendance: list[Quoted] = field(default_factory=list)    # apologies, absences, arrivals, departures
    interests: list[Quoted] = field(default_factory=list)
    closed: list[Quoted] = field(default_factory=list)
    started: list[Quoted] = field(default_factory=list)


def business(store: Store, meeting_id: int) -> Business:
    """All of a meeting's business below, read with one query."""
    facts, text = _read(store, meeting_id, None)
    return Business(_motions(facts, text), _resolutions(facts), _of(facts, ATTENDANCE), _of(facts, ("interest",)),
                    _of(facts, ("closed",)), _of(facts, ("started",)))


def motions(store: Store, meeting_id: int) -> list[Motion]:
    return _motions(*_read(store, meeting_id, VOTE_PARTS + ("resolution",)))


def resolutions(store: Store, meeting_id: int) -> list[Quoted]:
    return _resolutions(_read(store, meeting_id, VOTE_PARTS + ("resolution",))[0])


def attendance_facts(store: Store, meeting_id: int) -> list[Quoted]:
    """Apologies (detail: the reason), absences, late arrivals and early departures (detail: the time)."""
    return _quoted(store, meeting_id, ATTENDANCE)


def interests(store: Store, meeting_id: int) -> list[Quoted]:
    return _quoted(store, meeting_id, ("interest",))


# -- grouping -------------------------------------------------------------------

Facts = list[tuple[StoredFact, Quoted]]


def _read(store: Store, meeting_id: int, kinds: tuple[str, ...] | None) -> tuple[Facts, str]:
    """A meeting's facts (of some kinds) with their quotes, and the meeting's text they quote."""
    rows = store.facts([meeting_id], list(kinds) if kinds else None)
    text = store.meeting_text(meeting_id) if rows else ""
    return [(f, Quoted(f.kind, f.value, f.detail, f.item, f.page, f.start, f.end, text[f.start:f.end]))
            for f in rows], text


def _quoted(store: Store, meeting_id: int, kinds: tuple[str, ...]) -> list[Quoted]:
    return [q for _, q in _read(store, meeting_id, kinds)[0]]


def _of(facts: Facts, kinds: tuple[str, ...]) -> list[Quoted]:
    return [q for f, q in facts if f.kind in kinds]


def _voted(facts: Facts) -> dict[int, list[Quoted]]:
    """The parts of each motion that has a vote part, by motion number, in the order of the minutes."""
    grouped: dict[int, list[Quoted]] = {}
    for f, q in facts:
        if f.motion is not None:
            grouped.setdefault(f.motion, []).append(q)
    return {n: parts for n, parts in grouped.items() if any(q.kind in VOTE_PARTS for q in parts)}


def _motions(facts: Facts, text: str) -> list[Motion]:
    out = []
    for number, parts in sorted(_voted(facts).items()):
        moved = next((q.value for q in parts if q.kind == "motion"), None)
        resolved = next((q.value for q in parts if q.kind == "resolution"), None)
        m = Motion(number, moved or resolved, resolved if moved and resolved != moved else None,
                   parts[0].item, parts[0].page, quotes=_quotes(parts, text))
        names = {"mover": m.mover, "seconder": m.seconder, "result": m.result, "tally": m.tally,
                 "voted_for": m.voted_for, "against": m.against, "abstained": m.abstained, "passed": m.passed,
                 "vote_absent": m.vote_absent}
        for q in parts:
            if q.kind in names and q.value not in names[q.kind]:
                names[q.kind].append(q.value)
        out.append(m)
    return out


def _resolutions(facts: Facts) -> list[Quoted]:
    """Resolutions that no motion shown already carries: decisions recorded without a vote."""
    voted = _voted(facts)
    return [q for f, q in facts if f.kind == "resolution" and f.motion not in voted]


def _quotes(parts: list[Quoted], text: str) -> list[str]:
    """The spans a motion's parts were read from, in the order of the minutes, overlapping spans joined.

    A tally's span often starts a word into its mover's: to a reader both are the one sentence.
    """
    spans: list[list[int]] = []
    for q in sorted(parts, key=lambda q: q.start):
        if spans and q.start < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], q.end)
        else:
            spans.append([q.start, q.end])
    return [text[s:e] for s, e in spans]
