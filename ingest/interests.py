"""Declarations of interest: who declared one, and what or which item it concerned.

"Mr M Wells declared an interest in item 11.2", "GK noted her interest as the Parish Council's
representative", "Cllr X and Cllr Y repeated their standing declarations", "Mayor Davis declares a
conflict of interest", "Councillor Martin declared a conflict on item 6.1". "No declarations were made"
names nobody and gives no row.
"""
from __future__ import annotations

import re

from ingest.model import Fact
from ingest.names import PEOPLE, PERSON, bare_name, name_led, split_people
from ingest.people import is_role
from ingest.spans import Minutes, tidy

_DECLARED = re.compile(
    # "The Chair, Cllr Adams, declared ...": the name set off by commas.
    rf"(?P<who>{PEOPLE}),?[ \t]+(?:(?:stated|said|noted|confirmed|advised|indicated|reported)[ \t]+that[ \t]+(?:she|he|they)[ \t]+)?"
    r"(?:declared|declares|declare|noted|disclosed|registered|repeated|made|restated|reminded[ \t]+members[ \t]+of"
    r"|(?:has|had)(?=[ \t]+an?[ \t]))[ \t]+"
    r"(?:(?:a|an|her|his|their|the)[ \t]+)?(?P<what>(?:[\w-]+[ \t]+){0,3}?(?:interests?|declarations?|conflicts?)\b)"
)
# "Declarations of interest: Cllr Smith (item 5, landowner); Cllr Jones – item 7."
_LABEL = re.compile(r"(?:Declarations?[ \t]+of[ \t]+(?:\w+[ \t]+)?interests?|Interests?[ \t]+declared|DECLARATIONS?[ \t]+OF[ \t]+"
                    r"INTERESTS?|Recused|RECUSED|Recusals?)[ \t]*[:\u2013-][ \t]*(?=\S)")
_SENTENCE_END = re.compile(r"(?<![\s.][A-Z])\.(?=\s|$)")
_LABELLED = re.compile(rf"[ \t]*(?P<who>{PERSON})[ \t]*(?:[\u2013\u2014-][ \t]*)?(?P<what>[^;]*)")
_DECLARED_THAT = re.compile(rf"(?P<who>{PEOPLE})[ \t]+declared[ \t]+that[ \t]+(?=\S)")
# A US or Canadian member steps aside for a conflict: "Councilmember Nguyen recused herself from item 7.2 because ...".
_RECUSED = re.compile(rf"(?P<who>{PEOPLE})[ \t]+recused[ \t]+(?:himself|herself|themselves|themself)[ \t]+(?=from\b)")
# The words the name-led patterns turn on (see ``names.name_led``), and how much detail follows at most.
_INTEREST = re.compile(r"\b(?:interests?|declarations?|conflicts?)\b")
_THAT = re.compile(r"\bdeclared[ \t]+that\b")
_RECUSAL = re.compile(r"\brecused\b")
_DETAIL = 300
_DETAIL_END = re.compile(r",[ \t]*and\b|[ \t]+and[ \t]+(?:abstain|left|withdrew|took|apologised|did)|\.(?=\s|$)")


def find_interests(minutes: Minutes) -> list[Fact]:
    """One row per person who declared an interest; ``detail`` says what or which item."""
    facts: list[Fact] = []
    text = minutes.text
    for unit in minutes.units:
        for pattern, verb in ((_DECLARED, _INTEREST), (_DECLARED_THAT, _THAT), (_RECUSED, _RECUSAL)):
            for m in name_led(pattern, verb, text, unit.start, unit.end):
                stop = min(unit.end, m.end() + _DETAIL)
                end = _DETAIL_END.search(text, m.end(), stop)
                rest_end = end.start() if end else stop
                rest = text[m.end():rest_end]
                detail = tidy((m.group("what") + rest) if "what" in m.groupdict() and m.group("what") else rest)
                span = minutes.span(m.start(), rest_end)
                people = split_people(m.group("who"))
                if len(people) == 2 and is_role(people[0]) and text[m.start("who"):m.end("who")].count(",") == 1:
                    people = people[1:]     # "The Chair, Cllr Adams, declared ...": one person, named after the office
                for person in people:
                    facts.append(minutes.fact("interest", person, span, detail=detail or None))
    facts += _labelled(minutes)
    return facts


def _labelled(minutes: Minutes) -> list[Fact]:
    text = minutes.text
    facts: list[Fact] = []
    for region in range(len(minutes.regions)):
        for lo, hi in minutes.lines(region):
            # At the line's start, or after a sentence on it ("Ayes: Ortega, Schultz. Recused: Nguyen.")
            label = next((m for m in _LABEL.finditer(text, lo, hi)
                          if m.start() == lo or text[m.start() - 2:m.start()] in (". ", "; ")), None)
            if not label:
                continue
            end = _SENTENCE_END.search(text, label.end(), hi)
            hi_body = end.start() if end else hi
            body_end = hi_body - len(text[lo:hi_body]) + len(text[lo:hi_body].rstrip(" .\t"))
            pos = label.end()
            for part in re.finditer(r"[^;]+", text[pos:body_end]):
                m = _LABELLED.fullmatch(part.group())
                if not m or re.fullmatch(r"(?i)none\b.*|nil|n/?a", part.group().strip()):
                    continue
                what = m.group("what").strip(" \u2013-")
                if what.startswith("(") and what.endswith(")"):
                    what = what[1:-1]
                what = tidy(what) or None
                facts.append(minutes.fact("interest", bare_name(m.group("who")), minutes.span(lo, hi), detail=what))
    return facts
