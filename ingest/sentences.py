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
