"""A figure's history: the same figure as successive meetings report it, each read from a quoted sentence.

A figure is read only from the words of a quote, with its unit (a percentage, a sum of money with its
currency and scale, a count of a named thing); a meeting whose quote holds no figure in the answer's
unit gives no point, never a guessed one. Numbers the question itself names ("101", "999", a year) are
names, not figures.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.query import Question, words

# "74.1%", "74.1 per cent"; "£2.3m", "€1,050,000", "$18,750", "£0.6 million"; "2,302 police officers".
_PERCENT = re.compile(r"(?<![\w.,])(\d+(?:\.\d+)?)\s*(?:%|per\s*cent\b|percent\b)", re.I)
_MONEY = re.compile(r"([£€$])\s?(\d[\d,]*(?:\.\d+)?)\s*(bn|billion|m|million|k|thousand)?\b", re.I)
_COUNT = re.compile(r"(?<![\w.,£€$:/-])(\d{1,3}(?:,\d{3})+|\d+)(?![\d.,:/%-])\s+((?:[a-z][a-z-]+\s+){0,2}[a-z][a-z-]+)",
                    re.I)
_SCALE = {"bn": 1e9, "billion": 1e9, "m": 1e6, "million": 1e6, "k": 1e3, "thousand": 1e3}
_NOT_THINGS = frozenset("""of to in on at by for and or the a an per from with than january february march april
may june july august september october november december seconds minutes hours days weeks months years""".split())


@dataclass
class Figure:
    value: float
    unit: str           # "%", "£m" (currency and scale), or the thing counted ("police officers")
    written: str        # the figure as the quote writes it
    start: int          # offsets of the figure inside the quote
    end: int


@dataclass
class HistoryPoint:
    date: str
    value: float
    unit: str
    written: str
    quote: str
    document: str
    title: str | None
    item: str | None
    page: int | None
    meeting_id: int


def figures(text: str, question: Question) -> list[Figure]:
    """Every figure a quote states, in order, the numbers the question names left out."""
    named = {w for w in words(question.text) if any(ch.isdigit() for ch in w)}
    out: list[Figure] = []
    for m in _PERCENT.finditer(text):
        out.append(Figure(float(m.group(1)), "%", m.group(0), m.start(), m.end()))
    for m in _MONEY.finditer(text):
        scale = (m.group(3) or "").lower()
        value = float(m.group(2).replace(",", "")) * _SCALE.get(scale, 1.0)
        out.append(Figure(value, m.group(1) + ("m" if scale in ("m", "million") else "bn" if scale in (
            "bn", "billion") else ""), m.group(0), m.start(), m.end()))
    for m in _COUNT.finditer(text):
        number, thing = m.group(1), m.group(2).lower()
        if number in named or re.fullmatch(r"(19|20)\d\d", number):
            continue
        head: list[str] = []
        for w in thing.split():   # the thing counted: the words up to the first that is not a noun's
            if w in _NOT_THINGS:
                break
            head.append(w)
        if not head or any(f.start <= m.start() < f.end for f in out):
            continue
        written = text[m.start():m.start(2)] + " ".join(m.group(2).split()[:len(head)])
        out.append(Figure(float(number.replace(",", "")), " ".join(head), written, m.start(),
                          m.start() + len(written)))
    return sorted((f for f in out if f.written.split("%")[0].strip() not in named), key=lambda f: f.start)


def in_unit(text: str, question: Question, unit: str) -> Figure | None:
    return next((f for f in figures(text, question) if f.unit == unit), None)
