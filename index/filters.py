"""The filters a reader sets (dates, series, documents): one definition that search and every view share.

The store turns them into SQL (`Store.chunk_ids_where`, `Store.meeting_ids_where`); the views over rows
already read use `admits`, which says the same in Python.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Filters:
    since: str | None = None          # ISO dates, inclusive
    until: str | None = None
    series: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    # The collections the reader is cleared for; None is the server's own account, which reads them all.
    collections: list[str] | None = None

    def active(self) -> bool:
        return bool(self.since or self.until or self.series or self.documents) or self.collections is not None

    def admits(self, when: str | None, series: str | None, document: str) -> bool:
        """Whether a meeting of this date, series and document passes, as the search applies them."""
        if self.since and not (when and when >= self.since):
            return False
        if self.until and not (when and when <= self.until):
            return False
        if self.series and series not in self.series:
            return False
        return not self.documents or document in self.documents
