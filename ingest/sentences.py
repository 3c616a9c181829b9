"""Sentence boundaries in minutes text, as character spans, so quotes stay verbatim."""
from __future__ import annotations

import re

# Abbreviations that end with a full stop but rarely end a sentence in minutes.
_ABBREV = {
    "cllr", "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "vs", "etc", "e.g", "i.e", "eg", "ie",
    "approx", "dept", "supt", "supts", "insp", "sgt", "det", "ch", "co", "ltd", "inc", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "cf", "para", "ref", "fig", "vol", "a.m", "p.m",
    "hon", "rev", "gen", "col", "capt", "lt", "cmdr", "esq",
}

_BOUNDARY = re.compile(r"[.!?][\"'\u2019\u201d)\]]*(?=\s+[\"'\u2018\u201c(\[]?[A-Z0-9\u00c0-\u00de•])")


def _ends_with_abbrev(text: str) -> bool:
    m = re.search(r"([A-Za-z.]+)\.\s*$", text)
    if not m:
        return False
    word = m.group(1).lower()
    # Single letters ("J. Smith") are initials, not sentence ends.
    return word in _ABBREV or len(word) == 1


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of sentences in ``text[start:end]``; a line break always ends one."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text[start:end]):
        ls, le = start + m.start(), start + m.end()
        cur = ls
        for b in _BOUNDARY.finditer(text, ls, le):
            candidate = text[cur:b.end()]
            if _ends_with_abbrev(candidate.rstrip("\"'\u2019\u201d)]")):
                continue
            _append(spans, text, cur, b.end())
            cur = b.end()
        _append(spans, text, cur, le)
    return spans


def _append(spans: list[tuple[int, int]], text: str, s: int, e: int) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        spans.append((s, e))


# A vote's parts follow the motion they decide: "Moved by X to adopt. Motion Carried 6-1. Nays: Y."
_VOTE_PART = re.compile(r"^(?:Motion\s+(?:Carried|Failed|Lost|Passed)|Carried|Lost|Nays?|Ayes?|Yeas?|Pass|Absent|"
                        r"Abstain\w*|Roll\s+call|Vote)\b", re.I)


# "J. Hopkins Joinery – bench repair ............ £240.00": a ledger's row runs on past its dots to its amount.
_LEADER = re.compile(r"\.{4,}\s*$")
_LIST_MARKER = re.compile(r"[ \t]*\((?:[a-zA-Z]|[ivxIVX]{1,4}|\d{1,2})\)[ \t]+")

# "Min. No. 103/24 ...": the label of a minute's number is no sentence of its own.
_NUMBER_LABEL = re.compile(r"(?:Min|Minute|Item|Ref|Para)\.", re.I)


# "Chloe Short. Rory Coyne.": names listed on one line, each closed by a full stop, are one list.
_NAME_ITEM = re.compile(r"(?:^|(?<=:)\s*|(?<=\.)\s)[A-Z][\w'\u2019-]+(?: [A-Z][\w'\u2019-]+){1,2}\.?$")


def _ends_with_title(text: str) -> bool:
    """"Cllr." or "J.": a title or an initial, which a name follows; "p.m." may well end a sentence."""
    m = re.search(r"([A-Za-z.]+)\.\s*$", text)
    return bool(m) and (len(m.group(1)) == 1 or (m.group(1).lower() in _ABBREV
                                                  and m.group(1).lower() not in ("a.m", "p.m", "etc")))


def answer_spans(text: str) -> list[tuple[int, int]]:
    """Spans a quote may be: sentences as a general segmenter (sentencex) finds them inside each line,
    joined where minutes need it. A line break always ends one (a roll-call line, "Chair: X", a table
    row, a bullet); a title ("Cllr.") or an initial does not; a closing parenthetical, a lower-case
    continuation and the parts of a vote stay with the sentence they belong to.

    The chunker keeps ``sentence_spans``: its boundaries are part of an index's format.
    """
    from sentencex import segment

    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text):
        line, base = m.group(), m.start()
        pieces: list[tuple[int, int]] = []
        # The segmenter reads a line opening "(b) " as one parenthetical and splits none of it: the marker is
        # left out of what it reads and given back to the first sentence.
        marker = _LIST_MARKER.match(line)
        pos = marker.end() if marker else 0
        for seg in segment("en", line[pos:]):
            seg = seg.strip()
            if not seg:
                continue
            at = line.find(seg, pos)
            if at < 0:
                continue
            pieces.append((at, at + len(seg)))
            pos = at + len(seg)
        if not pieces:
            continue
        if marker:
            pieces[0] = (0, pieces[0][1])
        merged = [pieces[0]]
        for s, e in pieces[1:]:
            prev = line[merged[-1][0]:merged[-1][1]]
            cur = line[s:e]
            if (_ends_with_title(prev) or cur[:1].islower() or cur.startswith("(") or _LEADER.search(prev)
                    or _VOTE_PART.match(cur) or _NUMBER_LABEL.fullmatch(prev)
                    or _NAME_ITEM.fullmatch(cur) and _NAME_ITEM.search(prev)):
                merged[-1] = (merged[-1][0], e)
            else:
                merged.append((s, e))
        for s, e in merged:
            _append(spans, text, base + s, base + e)
    return spans
