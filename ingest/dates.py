"""Dates and times as minutes write them ("Thursday 21 October", "7th March 2018", "January 2, 1996")."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Callable

from ingest.words import MONTH_ALTERNATION, MONTHS, WEEKDAY_ALTERNATION  # noqa: F401 (MONTHS re-exported)

_MONTH = rf"(?P<month>{MONTH_ALTERNATION})\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

# "21 October", "7th February 2018", "16TH MAY, 2023", "12TH DAY OF JANUARY, 2011"
_DAY_MONTH = re.compile(rf"\b{_DAY}(?:\s+day\s+of)?\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b", re.I)
# "January 2, 1996", "MAY 4TH 2010", "July 8th 2014"
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_DAY}(?!\d)(?:,?\s+{_YEAR})?\b(?!\s*(?:-|/))", re.I)
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")
_YEAR_ALONE = re.compile(r"(?<![\d/.,-])((?:19|20)\d\d)(?![\d/-])")
_ISO_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.]?([01]\d)[-_.]?([0-3]\d)(?!\d)")

_TIME = re.compile(
    r"\b(?P<h>[01]?\d|2[0-3])(?:[.:](?P<m>[0-5]\d))?\s*(?P<ampm>[ap]\.?\s?m\b\.?)"
    r"|\b(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)\b",
    re.I,
)


# Lower-case words that are month names only sometimes.
_AMBIGUOUS = frozenset({"may", "mar", "jan", "feb", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"})


@dataclass
class DateMention:
    start: int
    end: int
    day: int
    month: int
    year: int | None

    def iso(self, year: int | None = None) -> str | None:
        return iso_date(self.year or year, self.month, self.day)


def iso_date(year: int | None, month: int, day: int) -> str | None:
    if year is None:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def find_dates(text: str) -> list[DateMention]:
    """Every day-and-month mention in ``text``, in order, each with its year where one is written."""
    found: list[DateMention] = []
    for pattern in (_DAY_MONTH, _MONTH_DAY, _ISO):
        for m in pattern.finditer(text):
            month_text = m.group("month")
            month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower().rstrip(".")]
            day = int(m.group("day"))
            year = int(m.group("year")) if m.group("year") else None
            if not 1 <= day <= 31 or (month_text.islower() and month_text.rstrip(".") in _AMBIGUOUS):
                continue  # "may" the verb, "mar" the word
            if any(f.start < m.end() and m.start() < f.end for f in found):
                continue
            found.append(DateMention(m.start(), m.end(), day, month, year))
    return sorted(found, key=lambda d: d.start)


def first_year(text: str) -> int | None:
    m = _YEAR_ALONE.search(text)
    return int(m.group(1)) if m else None


def date_in_name(name: str) -> str | None:
    """A full date written in a file name ("minutes_2021-10-21.pdf"), if any."""
    m = _ISO_IN_NAME.search(name)
    return iso_date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def year_in_name(name: str) -> int | None:
    m = re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", name)
    return int(m.group(1)) if m else None


def find_time(text: str) -> str | None:
    """The first clock time in ``text`` as HH:MM (24-hour)."""
    for m in _TIME.finditer(text):
        clock = _clock(m)
        if clock:
            return clock
    return None


def time_at(text: str, pos: int) -> tuple[str, str] | None:
    """The clock time that starts at ``pos``: the words as written ("9.15pm") and HH:MM."""
    m = _TIME.match(text, pos)
    clock = _clock(m) if m else None
    if not m or not clock:
        return None
    written = m.group().rstrip()
    if re.search(r"\d\s*[ap]m\.$", written, re.I):  # "9pm." ends its sentence; "9 p.m." keeps its stop
        written = written[:-1]
    return written, clock


def _clock(m: re.Match[str]) -> str | None:
    if m.group("h24") is not None:
        return f"{int(m.group('h24')):02d}:{m.group('m24')}"
    hour, minute = int(m.group("h")), int(m.group("m") or 0)
    if hour > 12:
        return None
    pm = m.group("ampm").lower().startswith("p")
    return f"{(hour % 12) + (12 if pm else 0):02d}:{minute:02d}"


# Words a deadline may open with before its date: "the end of March 2025", "Friday 4 November", "w/c 6 May".
_DUE_LEAD = re.compile(rf"(?:(?:the|end|close|of|on|latest|w/c|week|commencing|beginning|{WEEKDAY_ALTERNATION})"
                       r"[\s,]+)*", re.I)
# "March 2025", "the end of March": a month alone means its last day; "the March meeting" is a meeting.
_MONTH_DUE = re.compile(rf"{_MONTH}(?:,?\s+{_YEAR})?\b(?!\s+(?:meeting|committee|board|panel|session)\b)", re.I)


def resolve_due(text: str, meeting_date: str | None) -> str | None:
    """A deadline as an ISO date when the words are a date ("16 July 2021", "Friday 4 November", "the end of
    March 2025"), else None: "district from November 2023" or "the July meeting" name no deadline.

    The date must open the words (after "the end of", a weekday ...). A date without a year falls in the
    year after the meeting, if past; a month alone means its last day.
    """
    text = text.strip()
    lead = _DUE_LEAD.match(text).end()
    mentions = find_dates(text)
    if mentions and mentions[0].start == lead:
        return _after_meeting(lambda year: mentions[0].iso(year), mentions[0].year, meeting_date)
    figures = _FIGURE_DATE.match(text, lead)
    if figures and meeting_date:
        return _figure_due(figures, meeting_date)
    m = _MONTH_DUE.match(text, lead)
    if not m or (m.group("month").islower() and m.group("month") in _AMBIGUOUS):
        return None
    month = MONTHS[m.group("month").lower().rstrip(".")]
    year = int(m.group("year")) if m.group("year") else None
    return _after_meeting(lambda y: _month_end(y, month), year, meeting_date)


# "by 31/03/2024", "by 1.4.24": a deadline in figures, read the way that falls after the meeting (day first
# where both do, as minutes in most places write it).
_FIGURE_DATE = re.compile(r"(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d\d|\d\d)(?![\d/.]\d)")


def _figure_due(m: re.Match[str], meeting_date: str) -> str | None:
    a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
    y = y if y > 99 else 2000 + y
    for day, month in ((a, b), (b, a)):
        try:
            when = dt.date(y, month, day).isoformat()
        except ValueError:
            continue
        if when >= meeting_date:
            return when
    return None


def _after_meeting(iso_in: Callable[[int | None], str | None], year: int | None, meeting_date: str | None) -> str | None:
    """The date in its written year, else in the meeting's year or, where that is past, the next one."""
    if year:
        return iso_in(year)
    if not meeting_date:
        return None
    held = dt.date.fromisoformat(meeting_date)
    due = iso_in(held.year)
    if due and due < meeting_date:
        due = iso_in(held.year + 1)
    return due


def _month_end(year: int | None, month: int) -> str | None:
    if year is None:
        return None
    first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return (first_of_next - dt.timedelta(days=1)).isoformat()


# A date given as a deadline: "by 31 March 2023", "before the end of June", "due by 5 May".
_DEADLINE_WORDS = (r"\b(?:by|before|until|till|no later than|deadline(?: of)?|due(?: on| by)?|target(?: of| date)?)"
                   r"\s+(?:the\s+)?(?:end\s+of\s+|start\s+of\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?")
_DEADLINE_BEFORE = re.compile(_DEADLINE_WORDS + "$", re.I)
# The deadline's words with the date they give, the year included.
DEADLINE_DATE = re.compile(_DEADLINE_WORDS + rf"(?:{MONTH_ALTERNATION})\b\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?,?"
                           r"(?:\s+(?:19|20)\d\d)?", re.I)


def deadline_at(text: str, start: int) -> bool:
    """Whether the date (or month) at ``start`` is given as a deadline."""
    return _DEADLINE_BEFORE.search(text, max(0, start - 40), start) is not None
