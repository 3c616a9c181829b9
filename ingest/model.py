"""The things that flow through ingest: a loaded file, a meeting read from it, and its chunks."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RawDocument:
    """What every loader returns: the text of a file, page by page, plus metadata.

    ``pages`` holds one string per page (formats without pages give one page).
    Lines inside a page are separated by ``\\n``; a heading or list item stands on
    its own line. ``metadata`` carries what the format states about itself
    (YAML front matter, an HTML ``<title>``, DOCX core properties), never guessed.
    """

    path: str
    kind: str  # "pdf", "docx", "html", "markdown", "text"
    pages: list[str]
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass
class CleanText:
    """Cleaned text of a whole document with a map back to its pages.

    ``page_starts[i]`` is the offset in ``text`` where page ``i + 1`` begins;
    it is non-decreasing and starts at 0.
    """

    text: str
    page_starts: list[int]

    def page_at(self, offset: int) -> int:
        """The 1-based page holding the character at ``offset``."""
        lo, hi = 0, len(self.page_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.page_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1


@dataclass
class Attendee:
    name: str
    role: str | None = None
    acronym: str | None = None


@dataclass
class AgendaItem:
    """A numbered item; ``start``/``end`` are offsets of its span in the clean text."""

    number: str | None
    title: str
    start: int
    end: int
    page: int | None = None

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}".strip() if self.number else self.title


@dataclass
class Action:
    text: str
    owner: str | None = None
    due: str | None = None  # ISO date, or None where the words give none (they stay in ``text``)
    item: str | None = None  # number of the agenda item it sits under
    page: int | None = None


# The reader of structure (people, items, actions, facts). A new version makes the nightly run read the
# structure of every stored meeting again, from its stored text, without embedding anything.
STRUCTURE_VERSION = "structure-52-vote-table"

# What minutes record about the business of a meeting, one kind a row.
FACT_KINDS = (
    "motion", "mover", "seconder", "result", "tally", "voted_for", "against", "abstained", "passed", "vote_absent",
    "present", "apologies", "absent", "arrived", "left", "chair", "clerk", "interest",
    "resolution", "action", "action_update", "started", "next_meeting", "closed",
)


@dataclass
class Fact:
    """One thing the minutes record, with the span it was read from.

    ``start``/``end`` are offsets in the meeting's clean text of the shortest span that states it
    (a sentence, a roll-call line, an attendance line): the quote an answer gives. ``value`` is the
    words the fact names (a person, a result, a tally, a time, what was moved). Facts of one motion
    share ``motion``. ``detail`` carries what qualifies the value: an apology's reason, the item of a
    declared interest, the ISO date or time of a next meeting, an arrival or departure, a due date.
    """

    kind: str
    value: str
    start: int
    end: int
    motion: int | None = None
    detail: str | None = None
    item: str | None = None  # number of the agenda item it sits under
    page: int | None = None


@dataclass
class Meeting:
    """One meeting's minutes, read from its clean text. Unknown fields stay empty."""

    source: str
    text: str
    page_starts: list[int]
    title: str | None = None
    series: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    time: str | None = None
    venue: str | None = None
    chair: str | None = None
    minute_taker: str | None = None
    attendees: list[Attendee] = field(default_factory=list)
    glossary: dict[str, str] = field(default_factory=dict)  # acronym -> expansion
    items: list[AgendaItem] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    next_meeting_date: str | None = None
    next_meeting_theme: str | None = None
    facts: list[Fact] = field(default_factory=list)

    def page_at(self, offset: int) -> int:
        return CleanText(self.text, self.page_starts).page_at(offset)


@dataclass
class Chunk:
    """A passage to embed and search. Never crosses an agenda item.

    ``start``/``end`` are offsets into the meeting's clean text, so
    ``meeting.text[start:end] == text``.
    """

    text: str
    header: str
    start: int
    end: int
    page: int | None
    item: str | None  # item label, e.g. "2.3 Current OCC performance"
    ordinal: int = 0

    @property
    def embed_text(self) -> str:
        return f"{self.header}\n{self.text}" if self.header else self.text
