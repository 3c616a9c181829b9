"""Milvus filter expressions built from values, never from text pasted into a template.

milvus-lite 3.2.2 refuses expression templates (`{name}` with expr_params), so every value is written as a
literal here: integers through int(), strings in double quotes with the backslash and the quote escaped,
and characters the expression lexer does not read as themselves refused.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
# A string literal holds any character but these: a backslash or a quote would end or bend it; the
# lexer reads control characters as escapes of its own.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class UnsafeValue(ValueError):
    "A value that cannot be written as a literal in a filter expression"


def string(value: str) -> str:
    if not isinstance(value, str):
        raise UnsafeValue(f"{value!r} is not text")
    if _CONTROL.search(value):
        raise UnsafeValue(f"{value!r} holds a control character")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def strings(values: Iterable[str]) -> str:
    return "[" + ", ".join(string(v) for v in values) + "]"


def integers(values: Iterable[int]) -> str:
    return "[" + ", ".join(str(int(v)) for v in values) + "]"


def date_key(iso: str | None) -> int:
    """YYYY-MM-DD as the integer YYYYMMDD the collection filters on; 0 where the date is unknown."""
    if not iso or not _ISO.fullmatch(iso[:10]):
        return 0
    return int(iso[:10].replace("-", ""))


@dataclass(frozen=True)
class Where:
    """What a reader may see and what they filter on: one expression put in every request of a query."""
    collections: frozenset[str] | None = None     # None: the server's own account, every collection
    since: str | None = None
    until: str | None = None
    series: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    ids: tuple[int, ...] | None = None

    def among(self, ids: Iterable[int]) -> "Where":
        return Where(self.collections, self.since, self.until, self.series, self.documents, tuple(ids))

    def expr(self) -> str:
        terms = []
        if self.collections is not None:
            # An empty clearance reads nothing; `in []` says so to the engine.
            terms.append(f"collection in {strings(sorted(self.collections))}")
        if self.since:
            key = date_key(self.since) if _ISO.fullmatch(self.since) else 0
            if not key:
                raise UnsafeValue(f"{self.since!r} is not a date YYYY-MM-DD")
            terms.append(f"date >= {key}")
        if self.until:
            key = date_key(self.until) if _ISO.fullmatch(self.until) else 0
            if not key:
                raise UnsafeValue(f"{self.until!r} is not a date YYYY-MM-DD")
            terms.append(f"(date > 0 and date <= {key})")
        if self.series:
            terms.append(f"series in {strings(self.series)}")
        if self.documents:
            terms.append(f"document in {strings(self.documents)}")
        if self.ids is not None:
            terms.append(f"id in {integers(self.ids)}")
        return " and ".join(terms)
