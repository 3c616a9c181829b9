"""What minutes say of actions set at earlier meetings: "Action 1 from June (101 improvement trajectory): complete."

Each statement is a Fact of kind ``action_update``: its value is the words that name the action ("Action 1 from
June (101 improvement trajectory)"), its detail what became of it ("done", "ongoing", "superseded"), its span
the statement with what follows it on its line ("The trajectory was received on 14 July 2021.").
Which earlier action a statement speaks of is decided across meetings, by the index; ``read_reference``
reads those words back for it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model import Fact
from ingest.spans import Minutes
from ingest.words import MONTH_ALTERNATION, MONTHS

DONE, ONGOING, SUPERSEDED = "done", "ongoing", "superseded"

# "Action 1 from June (101 improvement trajectory)", "all actions from the previous meeting", "Action 3 (the
# recruitment plan)", "the action from the 17 March meeting". Months capitalised: "may" is a verb.
_REFERENCE = re.compile(
    r"(?P<all>\b[Aa]ll[ \t]+(?:(?:the|of[ \t]+the|outstanding|open)[ \t]+)*)?"
    r"\b(?:[Aa]ctions?|ACTIONS?)"
    r"(?:[ \t]+(?:[Nn]o\.?[ \t]*)?(?P<number>\d{1,3})\b(?![./]\d))?"
    r"(?:[ \t]+(?:from|of|set[ \t]+at|agreed[ \t]+at|arising[ \t]+from|raised[ \t]+at)[ \t]+(?:the[ \t]+)?"
    r"(?:(?P<day>[0-3]?\d)(?:st|nd|rd|th)?[ \t]+)?"
    rf"(?:(?P<month>{MONTH_ALTERNATION})\.?(?:,?[ \t]+(?P<year>(?:19|20)\d\d))?"
    r"|(?P<previous>previous|last|prior|preceding))"
    r"(?:[ \t]+meeting)?)?"
    r"(?:[ \t]*\((?P<description>[^()\n]{2,200})\))?"
)
# What became of it, read in the words that follow the reference. Negations come first: "not yet complete".
_STATUS = re.compile(
    r"\b(?P<ongoing>not[ \t]+(?:yet[ \t]+)?(?:been[ \t]+)?(?:complete|completed|done|received|closed|met)"
    r"|incomplete|ongoing|on-going|on[ \t]+track|in[ \t]+progress|under[ \t]*way|outstanding|carried[ \t]+(?:forward|over)"
    r"|deferred|pending|(?:remains?|still)[ \t]+open|partially[ \t]+(?:complete|completed|done))\b"
    r"|\b(?P<superseded>superseded|withdrawn|no[ \t]+longer[ \t]+(?:required|needed|relevant)|overtaken"
    r"|cancell?ed|dropped)\b"
    r"|\b(?P<done>complete|completed|done|closed|discharged|achieved|actioned|delivered|received|covered|addressed"
    r"|fulfilled|resolved|finished|presented|circulated|provided|published|submitted)\b",
    re.I,
)
# "... asked for the action from June to be completed": a wish, not a report.
_WISH = re.compile(r"\b(?:to|should|must|would|will|could)[ \t]+(?:now[ \t]+)?be[ \t]+$", re.I)
_REACH = 120     # characters after the reference where what became of it must be said
QUOTE_LIMIT = 600  # a statement quoted with the rest of its line, up to this many characters


@dataclass(frozen=True)
class Reference:
    """How a statement names the action it reports on; any part may be missing."""

    number: int | None = None       # "Action 2 from March": the second Action: line of that meeting
    every: bool = False             # "all actions from January"
    day: int | None = None
    month: int | None = None
    year: int | None = None
    previous: bool = False          # "from the previous meeting"
    description: str | None = None  # "(101 improvement trajectory)"

    @property
    def pinned(self) -> bool:
        """Whether it names the meeting the action was set at."""
        return self.month is not None or self.previous


def read_reference(words: str) -> Reference | None:
    """The parts of a reference as ``action_update_facts`` stores it, in a fact's value."""
    m = _REFERENCE.fullmatch(" ".join(words.split()))
    return _reference(m) if m else None


def action_update_facts(minutes: Minutes) -> list[Fact]:
    """Every statement of what became of an earlier meeting's action, in text order."""
    facts: list[Fact] = []
    text = minutes.text
    for m in _REFERENCE.finditer(text):
        ref = _reference(m)
        if ref is None:
            continue
        unit = minutes.unit_at(m.start())
        sentence_end = unit.end if unit else min(len(text), m.end() + _REACH)
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end == -1 else line_end
        # On its own line and sentence: a heading ("Actions from previous meetings") reports nothing.
        status = _status(text, m.end(), min(sentence_end, line_end, m.end() + _REACH))
        if status is None:
            continue
        start = max(unit.start if unit else m.start(), text.rfind("\n", 0, m.start()) + 1)
        end = max(sentence_end, line_end) if line_end - start <= QUOTE_LIMIT else sentence_end
        words = " ".join(m.group().split())
        facts.append(minutes.fact("action_update", words, minutes.span(start, end, limit=QUOTE_LIMIT), detail=status))
    return facts


def _reference(m: re.Match[str]) -> Reference | None:
    """A reference that names an earlier action: by its meeting or its words; "all" needs a meeting."""
    month = MONTHS[m.group("month").lower().rstrip(".")] if m.group("month") else None
    ref = Reference(
        number=int(m.group("number")) if m.group("number") else None, every=bool(m.group("all")),
        day=int(m.group("day")) if m.group("day") else None, month=month,
        year=int(m.group("year")) if m.group("year") else None, previous=bool(m.group("previous")),
        description=" ".join(m.group("description").split()) if m.group("description") else None)
    if ref.every:
        return ref if ref.pinned else None
    # A number alone ("Action 2: DCC to ...") is an action being set, not one reported on.
    return ref if ref.pinned or ref.description else None


def _status(text: str, start: int, end: int) -> str | None:
    """What the words after a reference say became of it: the first status word, unless it is only wished for."""
    for s in _STATUS.finditer(text, start, end):
        if _WISH.search(text, max(start, s.start() - 30), s.start()):
            return None
        return next(kind for kind in (ONGOING, SUPERSEDED, DONE) if s.group(kind))
    return None
