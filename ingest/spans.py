"""Where minutes state a fact: their lines and sentences, region by region, and facts pinned to them.

A region is the text before the first agenda item or one item, so a span built here never
crosses an item boundary. Facts quote the shortest verbatim span that states them: the
sentence (or line) that holds the words, trimmed to those words when the "sentence" is a
run-on table row or transcript line.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ingest.items import item_at
from ingest.model import AgendaItem, CleanText, Fact
from ingest.sentences import sentence_spans

_HEADING_WORDS = 14  # a longer "title" is the item's first sentence cut short, not a heading
LONG = 250  # longer "sentences" are flattened tables or transcript: quote just the words that state the fact
LIST_LONG = 1000  # an attendance list is one long line and is quoted whole up to this

# An item's number or a list enumerator at the start of a line ("7.2", "22/18", "(b)", "1)").
LEADING_NUMBER = re.compile(
    r"^(?:\d{2}-\d{1,5}[ \t]+)?(?:\(?[0-9]{1,3}(?:[./][0-9]{1,3})*[.)]?|\([a-z]{1,4}\)|[a-z][.)]|[IVX]{1,4}\.)"
    r"(?:[ \t]+\([^)\n]{1,20}\))?[ \t]+"
)

_LINE = re.compile(r"[^\n]+")
_NUMBER_ONLY = re.compile(r"\(?[0-9]{1,3}(?:[./][0-9]{1,3})*[.)]?|\([a-z]{1,4}\)|[a-z][.)]")


@dataclass(frozen=True)
class Unit:
    """A sentence, or a line where a line ends one; ``region`` indexes ``Minutes.regions``."""

    start: int
    end: int
    region: int


class Minutes:
    """A meeting's clean text cut into regions (head, then one per item), lines and sentences."""

    def __init__(self, text: CleanText, items: list[AgendaItem]):
        self.clean = text
        self.text = text.text
        self.items = items
        bounds = [0] + [item.start for item in items] + [len(self.text)]
        self.regions = [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a] or [(0, len(self.text))]
        self.units: list[Unit] = []
        for n, (start, end) in enumerate(self.regions):
            spans = sentence_spans(self.text, start, end)
            for k, (s, e) in enumerate(spans):
                prev = self.units[-1] if self.units and k else None
                if prev and _NUMBER_ONLY.fullmatch(self.text, prev.start, prev.end) and "\n" not in self.text[prev.end:s]:
                    self.units[-1] = Unit(prev.start, e, n)  # "1." and "Apologies ..." are one sentence
                else:
                    self.units.append(Unit(s, e, n))
        self._starts = [u.start for u in self.units]
        self._lines: dict[int, list[tuple[int, int]]] = {}

    # --- reading ----------------------------------------------------------------

    def lines(self, region: int) -> list[tuple[int, int]]:
        """(start, end) of each non-blank line of a region."""
        if region not in self._lines:
            start, end = self.regions[region]
            self._lines[region] = [
                (start + m.start(), start + m.end()) for m in _LINE.finditer(self.text[start:end]) if m.group().strip()
            ]
        return self._lines[region]

    def region_units(self, region: int) -> list[Unit]:
        lo, hi = self.regions[region]
        return self.units[bisect.bisect_left(self._starts, lo):bisect.bisect_left(self._starts, hi)]

    def unit_at(self, offset: int) -> Unit | None:
        n = bisect.bisect_right(self._starts, offset) - 1
        if n >= 0 and self.units[n].start <= offset < self.units[n].end:
            return self.units[n]
        return None

    def unit_index(self, unit: Unit) -> int:
        return bisect.bisect_left(self._starts, unit.start)

    def region_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right([r[0] for r in self.regions], offset) - 1)

    def words(self, start: int, end: int) -> str:
        return self.text[start:end]

    def body(self, unit: Unit, title: bool = True) -> tuple[int, str]:
        """A unit's text without the item number or enumerator it opens with (and, with ``title``, the item's
        heading when the minute runs on after it on the same line), and where that text starts."""
        text = self.text[unit.start:unit.end]
        m = LEADING_NUMBER.match(text)
        cut = m.end() if m else 0
        item = item_at(self.items, unit.start)
        heading = item.title if item and title and item.start == unit.start else ""
        if heading and len(heading.split()) <= _HEADING_WORDS and text.startswith(heading, cut):
            rest = text[cut + len(item.title):]
            if rest.strip(" \t:.-\u2013"):  # "26/18 Minutes of the Meeting The minutes were approved."
                cut += len(item.title) + len(rest) - len(rest.lstrip(" \t:.-\u2013"))
        return unit.start + cut, text[cut:]

    # --- quoting ----------------------------------------------------------------

    def span(self, lo: int, hi: int, limit: int = LONG) -> tuple[int, int]:
        """The units that hold ``text[lo:hi]``, trimmed to those words where the units run on past ``limit``."""
        first, last = self.unit_at(lo), self.unit_at(max(lo, hi - 1))
        start = first.start if first else lo
        end = last.end if last else hi
        if end - start > limit:
            start = max(start, lo)
            if end - start > limit:
                end = hi
        region = self.regions[self.region_of(lo)]
        start, end = max(start, region[0]), min(end, region[1])
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return start, end

    def fact(
        self, kind: str, value: str, span: tuple[int, int], motion: int | None = None, detail: str | None = None
    ) -> Fact:
        start, end = span
        item = item_at(self.items, start)
        return Fact(
            kind=kind, value=value, start=start, end=end, motion=motion, detail=detail,
            item=item.number if item else None, page=self.clean.page_at(start),
        )


def tidy(text: str) -> str:
    """A value as written, without the punctuation and quotes around it."""
    text = " ".join(text.split())
    text = text.strip(" \t,;:-\u2013\u2014").lstrip("\"'\u2018\u201c")
    return text.rstrip(" .,;:(\"'\u2019\u201d").strip()
