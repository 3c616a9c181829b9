"""The business of a meeting as facts: motions and votes, attendance, interests, actions and what became of
earlier ones, next meeting, close.

``find_facts`` is called by ``structure.parse`` once the items, attendees, chair and actions are
read; each reader works on the same ``Minutes`` (the clean text cut into items and sentences) and
every fact quotes the shortest span of the clean text that states it.
"""
from __future__ import annotations

from ingest.action_updates import action_update_facts
from ingest.actions import action_facts
from ingest.attendance import find_attendance
from ingest.closing import closing_facts
from ingest.interests import find_interests
from ingest.model import FACT_KINDS, CleanText, Fact, Meeting
from ingest.motions import find_motions
from ingest.items import item_at
from ingest.spans import Minutes

import re

# "There were no apologies", "No Declarations of Interest made", "Apologies: none", and under an item
# about them, "None were declared": the minutes say there were none, which answers "were there any?".
_NONE = re.compile(r"\b(?:no|none|nil)\b", re.I)
_OF_KIND = {"apologies": re.compile(r"\bapolog", re.I), "interest": re.compile(r"\b(?:interests?|declar\w*)\b", re.I)}

# One row per person for these, however often the minutes name them; the first statement is the quote.
_ONCE_A_PERSON = frozenset({"present", "chair", "clerk", "apologies", "absent"})


def find_facts(text: CleanText, meeting: Meeting, attendance_end: int) -> list[Fact]:
    """Every fact of the meeting, in text order; ``attendance_end`` bounds the attendance list."""
    minutes = Minutes(text, meeting.items)
    facts = (
        find_motions(minutes)
        + find_attendance(minutes, meeting, attendance_end)
        + find_interests(minutes)
        + action_facts(minutes, meeting.date)
        + action_update_facts(minutes)
        + closing_facts(minutes, meeting.date)
    )
    return _tidy(facts + _none_recorded(minutes, facts))


def _none_recorded(minutes: Minutes, found: list[Fact]) -> list[Fact]:
    """A row with value "none" where the minutes state that there were no apologies or interests."""
    out: list[Fact] = []
    for kind, words in _OF_KIND.items():
        if any(f.kind == kind for f in found):
            continue
        for unit in minutes.units:
            text = minutes.text[unit.start:unit.end]
            if len(text) > 120 or not _NONE.search(text):
                continue
            item = item_at(minutes.items, unit.start)
            if words.search(text) or (item is not None and words.search(item.title) and not words.search(
                    text.replace(item.title, ""))):
                # The heading alone ("2. Apologies") is not the statement; the words after it are.
                if item is not None and minutes.text[unit.start:unit.end].strip().endswith(item.title):
                    continue
                out.append(minutes.fact(kind, "none", (unit.start, unit.end)))
                break
    return out


def _tidy(facts: list[Fact]) -> list[Fact]:
    order = {kind: n for n, kind in enumerate(FACT_KINDS)}
    seen: dict[tuple, int] = {}
    kept: list[Fact] = []
    for fact in sorted(facts, key=lambda f: (f.start, f.motion or 0, order[f.kind])):
        if not fact.value or fact.end <= fact.start:
            continue
        name = " ".join(fact.value.lower().split())
        key = (fact.kind, name) if fact.kind in _ONCE_A_PERSON else (fact.kind, name, fact.start, fact.motion)
        if key not in seen:
            seen[key] = len(kept)
            kept.append(fact)
        elif fact.detail and not kept[seen[key]].detail:
            # "Cllr Helen Cartwright | Apologies" in the table, then "... from Cllr Helen Cartwright, owing to a
            # family bereavement": the statement with the reason is the one to quote
            kept[seen[key]] = fact
    return sorted(kept, key=lambda f: (f.start, f.motion or 0, order[f.kind]))
