"""Motions and resolutions as numbered motions: the pieces minutes say them in, grouped.

Minutes say a motion in pieces, often over several lines: "Proposed by Councillor X;" /
"Seconded by Councillor Y;" / "And Resolved:" / "That ...". ``proposals.py`` and ``votes.py``
read each piece as a ``Said``; here the pieces of one agenda item that follow one another
closely become one motion, and every fact of it carries the motion's number.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ingest.model import Fact
from ingest.proposals import proposal_said, resolution_said, sentence_before
from ingest.spans import Minutes, tidy
from ingest.votes import Said, vote_said

RECENT = 300  # characters between the pieces of one motion; further apart they are two
LISTED = 3000  # ... unless the motion ends "as follows:" and lists what it moves before its result

_AND_THAT = re.compile(r"(?:AND|And)[ \t]+(?:THAT|That|that)\b")
_UNANIMOUS = re.compile(r"\bunanimous(?:ly)?\b", re.I)
_POINTING_WORDS = frozenset({"and", "which", "this", "it", "that"})
_ROLE_ORDER = {"anchor": 0, "resolution": 1, "second": 2, "result": 3, "tally": 4, "votes": 5, "proposer": 6, "notice": 7}


@dataclass
class _Motion:
    number: int
    end: int
    what: tuple[int, int] | None = None
    quote_from: int | None = None  # where the words that say ``what`` begin ("It was agreed that ...")
    weak: tuple[int, int] | None = None  # words before "Proposed by", used when nothing better says what
    wants: str | None = None  # "back" or "notice": what was moved is said before the proposal
    first: int = 0
    from_resolution: bool = False  # opened by "It was agreed ..." and so still open to its "Prop. X, 2nd Y"
    awaits: bool = False
    lists: bool = False
    filled: set[str] = field(default_factory=set)
    facts: list[Fact] = field(default_factory=list)


def find_motions(minutes: Minutes) -> list[Fact]:
    """Every motion and resolution, numbered in the order the minutes give them."""
    facts: list[Fact] = []
    counter = [0]
    for region in range(len(minutes.regions)):
        facts.extend(_region_motions(minutes, region, counter))
    return facts


def _region_motions(minutes: Minutes, region: int, counter: list[int]) -> list[Fact]:
    said = _accepted(proposal_said(minutes, region) + resolution_said(minutes, region) + vote_said(minutes, region), minutes.text)
    said = _with_awaited_lines(minutes, region, said)
    notices = [s for s in said if s.role == "notice"]
    motions: list[_Motion] = []
    cur: _Motion | None = None
    for s in said:
        if s.role == "notice":
            continue
        if s.role == "proposer":  # "In proposing the Motion, Councillor X ..." names the mover of the notice
            target = next((m for m in reversed(motions) if m.wants == "notice"), None)
            if target is None:
                target = _new(counter, motions, s)
                target.wants = "notice"
            _apply(minutes, target, s)
            continue
        recent = cur is not None and s.start - cur.end <= RECENT
        if s.role == "text":
            if not (recent and cur.awaits):
                continue
        elif s.role == "anchor" and cur is not None and _same_proposal(cur, s):
            pass
        elif s.role == "anchor":
            joins = recent and cur.from_resolution and "mover" not in cur.filled and (
                s.what is None or s.weak or (cur.what is not None and s.what[0] < cur.what[1] and cur.what[0] < s.what[1]))
            cur = cur if joins else _new(counter, motions, s)
        elif s.role == "second":  # "This proposal was seconded" refers to a sentence, not to a motion before it
            joins = recent and "seconder" not in cur.filled and (not (s.back or s.notice) or "mover" in cur.filled)
            cur = cur if joins else _new(counter, motions, s)
        elif s.role == "result":
            listed = cur is not None and cur.lists and s.start - cur.end <= LISTED
            cur = cur if (recent or listed) and "result" not in cur.filled else _new(counter, motions, s)
        elif s.role == "tally":
            if not (recent and "tally" not in cur.filled):
                if not s.opens:
                    continue
                cur = _new(counter, motions, s)
        elif s.role == "votes":
            cur = cur if recent else _new(counter, motions, s)
        elif s.role == "resolution":
            cur = _new(counter, motions, s)
            cur.from_resolution = True
        _apply(minutes, cur, s)
        cur.end = max(cur.end, s.end)
    facts: list[Fact] = []
    for motion in motions:
        if motion.what is None:
            motion.what, motion.quote_from = _wanted(minutes, motion, notices) or (motion.weak, None)
        what = motion.what
        value = tidy(minutes.words(*what)) if what else ""
        if value and motion.filled - {"resolution"}:
            lo = what[0] if motion.quote_from is None else min(what[0], motion.quote_from)
            motion.facts.insert(0, minutes.fact("motion", value, minutes.span(lo, what[1]), motion.number))
        facts.extend(motion.facts)
    return facts


def _same_proposal(cur: _Motion, s: Said) -> bool:
    """ "the following amendment was proposed by X as follows: ..." then, after the amendment, "Proposed by X;"."""
    mover = next((f.value for f in cur.facts if f.kind == "mover"), None)
    return bool(mover) and mover == s.mover and not cur.filled & {"seconder", "result"} and s.start - cur.end <= 4 * RECENT


def _new(counter: list[int], motions: list[_Motion], s: Said) -> _Motion:
    counter[0] += 1
    motion = _Motion(counter[0], s.end, first=s.start)
    motions.append(motion)
    return motion


def _apply(minutes: Minutes, motion: _Motion, s: Said) -> None:
    span = minutes.span(min(s.start, s.what[0]) if s.what else s.start, s.end)
    motion.lists = motion.lists or s.lists
    if s.role == "text":  # the line after "And Resolved:", or an "AND THAT ..." after it
        motion.what = motion.what or s.what
        _add(minutes, motion, "resolution", tidy(minutes.words(*s.what)), minutes.span(*s.what))
        return
    for kind, value in (("mover", s.mover), ("seconder", s.seconder), ("result", s.result), ("tally", s.tally)):
        if value and kind not in motion.filled:
            _add(minutes, motion, kind, value, span)
    for kind, person in s.votes:
        _add(minutes, motion, kind, person, span)
    motion.awaits = motion.awaits or s.awaits
    if s.what and s.resolution:  # quoted from the words that resolve ("It was agreed that ...")
        _add(minutes, motion, "resolution", tidy(minutes.words(*s.what)), minutes.span(min(s.start, s.what[0]), s.what[1]))
        unanimous = _UNANIMOUS.search(minutes.words(s.start, s.what[1]))
        if unanimous and "result" not in motion.filled:
            _add(minutes, motion, "result", unanimous.group(), span)
    if s.what and not s.weak:
        if motion.what is None:
            motion.what, motion.quote_from = s.what, s.start
        return
    if s.what:
        motion.weak = motion.weak or s.what
    if s.back or s.notice:
        motion.wants = motion.wants or ("notice" if s.notice else "back")
        motion.first = min(motion.first, s.start)


def _add(minutes: Minutes, motion: _Motion, kind: str, value: str, span: tuple[int, int]) -> None:
    if value:
        motion.filled.add(kind)
        motion.facts.append(minutes.fact(kind, value, span, motion.number))


def _wanted(minutes: Minutes, motion: _Motion, notices: list[Said]) -> tuple[tuple[int, int], int] | None:
    """What a motion that refers back ("this was seconded", "The Motion was proposed") moved, and where the
    words that say it begin ("I will move at the next Meeting that ...")."""
    if motion.wants == "back":
        before = sentence_before(minutes, motion.first)
        if before:
            return before, before[0]
    near = [n for n in notices if n.start < motion.first and n.what]
    if motion.wants != "notice":
        near = [n for n in near if motion.first - n.end <= 2 * RECENT]
    return (near[-1].what, near[-1].start) if near else None


def _with_awaited_lines(minutes: Minutes, region: int, said: list[Said]) -> list[Said]:
    """After "And Resolved:" the next line says what was resolved, and "AND THAT ..." lines go on."""
    lines = list(minutes.lines(region))
    extra: list[Said] = []
    for s in said:
        if not s.awaits:
            continue
        following = lines[bisect.bisect_left(lines, (s.end, 0)):]
        for n, (lo, hi) in enumerate(following):
            unit = minutes.unit_at(lo)
            start = minutes.body(unit)[0] if unit and unit.start == lo else lo
            if n and not _AND_THAT.match(minutes.text, start, hi):
                break
            extra.append(Said(lo, hi, "text", what=(start, hi)))
    taken = {k.start for k in said}
    merged = said + [e for e in extra if e.start not in taken]
    return sorted(merged, key=lambda s: s.start)


def _accepted(said: list[Said], text: str) -> list[Said]:
    """The pieces in text order, without those another piece has already read, and with each ``what``
    stopping where the next piece begins ("It was agreed ..., this was proposed by ...")."""
    said.sort(key=lambda s: (s.start, _ROLE_ORDER[s.role], -(s.end - s.start)))
    kept: list[Said] = []
    read_to = resolved_to = -1  # how far the kept pieces, and the kept resolutions' words, reach
    for s in said:
        inside = s.start < read_to or (s.role == "resolution" and s.start < resolved_to)
        if not inside:
            kept.append(s)
            read_to = max(read_to, s.end)
            if s.resolution and s.what:
                resolved_to = max(resolved_to, s.what[1])
    starts = [k.start for k in kept]
    for s in kept:
        if s.what and s.role != "notice":
            n = bisect.bisect_right(starts, s.what[0])
            nxt = starts[n] if n < len(starts) and starts[n] < s.what[1] else s.what[1]
            if nxt < s.what[1]:  # "... no objections, and this was proposed by": drop the words that point on
                nxt = s.what[0] + len(_without_pointing_words(text[s.what[0]:nxt]))
            s.what = (s.what[0], nxt) if nxt - s.what[0] > 1 else None
    return kept


def _without_pointing_words(text: str) -> str:
    """``text`` cut before the words at its end that point on to what follows ("..., and this")."""
    end = len(text.rstrip(" \t\n,;"))
    while end:
        start = max(text.rfind(sep, 0, end) for sep in " \t\n,;") + 1
        if text[start:end].lower() not in _POINTING_WORDS:
            break
        end = len(text[:start].rstrip(" \t\n,;"))
    return text[:end]
