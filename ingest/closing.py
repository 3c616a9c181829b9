"""How a meeting begins and ends: the time it started, the time it closed and the date of the next one."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ingest.dates import find_dates, time_at
from ingest.items import item_at
from ingest.model import AgendaItem, Fact
from ingest.spans import Minutes, tidy
from ingest.words import MONTH_ALTERNATION, MONTH_NAMES, WEEKDAY_NAMES

_NEXT_MEETING = re.compile(r"\b(?:next|following)\s+(?:\w+\s+){0,3}(?:meeting|AGM|EGM)\b|\bwill\s+next\s+meet\b|\bmeet\s+next\s+(?:on|at|in)\b"
                           r"|\bwill\s+meet\s+again\b|\b(?:future|forthcoming)\s+meeting\s+dates?\b|\bdates?\s+of\s+(?:future|forthcoming)\s+meetings\b",
                           re.I)
_ANNOUNCE = re.compile(r"\b(?:dates?|held|will\s+be|would\s+be|is\s+(?:on|the|due)|scheduled|arranged|confirm\w*|time|venue|"
                       r"take\s+place|next\s+meet|meet\s+next|meet\s+again)\b"
                       # "The next regular meeting is Tuesday, February 4, 2025"
                       r"|\bis\s+(?=(?:" + "|".join(WEEKDAY_NAMES) + r")\b)"
                       # "Next regular meeting: Tuesday, March 12, 2024 at 6:30 p.m.": a label names what follows.
                       r"|(?:^|[.;])\s*(?:the\s+)?(?:next|following)\s+(?:\w+\s+){0,3}(?:meeting|AGM|EGM)\s*[:\u2013-]", re.I)
_THEME = re.compile(r"\b(?:theme|thematic|topic|focus)\b", re.I)
# "It was agreed the June Monthly Meeting would be held on ...", "to hold the April Meeting of the District on ..."
_MONTH = "(?:" + "|".join(MONTH_NAMES) + ")"
_MONTH_MEETING = re.compile(rf"\b(?:hold|held)\b[^.\n]{{0,40}}?\bthe\s+{_MONTH}\s+(?:\w+\s+)?meeting\b"
                            rf"|\bthe\s+{_MONTH}\s+(?:\w+\s+)?meeting\b[^.\n]{{0,40}}?\b(?:be|been)\s+held\b", re.I)
_LINE_REACH = 400  # characters either side of "next meeting" read as its line
_VALUE_MAX = 160  # characters of "Tuesday 12 April 2022 at 7.30pm in the Village Hall" kept as the value
_DATE_REACH = 200  # characters after "the June Meeting ... held" in which its date is written
_WEEKDAY_BEFORE = re.compile("(?:" + "|".join(WEEKDAY_NAMES) + r"),?\s*(?:the\s+)?$", re.I)
_NEW_CLAUSE = re.compile(r"\s+(?=(?:The|It|This|There|Members|Councillors)\s)")

_CLOSED = re.compile(
    r"(?i:\b(?:meeting|council|business|session)[ \t]+(?:was[ \t]+|then[ \t]+)?(?:declared[ \t]+)?(?:closed|ended|concluded|terminated|finished|closes)"
    r"|\b(?:closure|close)[ \t]+of[ \t]+the[ \t]+meeting[ \t]+was"
    r"|\b(?:closed|adjourned)[ \t]+the[ \t]+meeting|\bdeclared[ \t]+the[ \t]+meeting[ \t]+closed"
    r"|\b(?:closure|close|end)[ \t]+of[ \t]+(?:the[ \t]+)?meeting(?=[ \t]*:)"     # "Close of meeting: 20:40"
    r"|\b(?:adjourned|adjourn))(?:[ \t]*:[ \t]*|[ \t]+)(?:at[ \t]+)?(?=\d)"     # "Meeting closed: 8.47 pm"
)
# "closed at 21.10": a 24-hour time written with a stop, read only where a close is said (elsewhere it is a figure).
_DOTTED_CLOCK = re.compile(r"(?P<h>1[3-9]|2[0-3])\.(?P<m>[0-5]\d)\b(?!\.\d)")
_TEMPORARY = re.compile(r"[ \t]*(?:to|for|until|while|so)\b", re.I)  # "adjourned at 8.26 pm to allow ..."
_AT_TIME_ADJOURNED = re.compile(
    r"\b(?i:at)[ \t]+(?=\d)(?P<time>[^,\n]{2,14}?)[ \t]*,?[ \t]+(?:the[ \t]+)?(?i:council|meeting|committee|panel|board|commission)"
    r"[ \t]+(?:was[ \t]+)?(?i:adjourned|closed|ended|rose)\b"
)
_TIME_RANGE = re.compile(r"^[ \t]*Time[ \t]*[:\-\u2013]?[ \t]+[^\n]*?(?:\bto\b|\buntil\b|[\u2013-])[ \t]*(?=\d)", re.I | re.M)


# How a meeting began. In its heading: "Time: 2:00 pm to 4:40 pm", "Date: Thursday 21 October, 10:30 am"; a
# time written just after the meeting's date ("January 2, 1996 4:30 P.M.", "13th May 2014 at 7.20pm") or after
# "held" ("held on Monday 10th October 2022 at 2.00 pm"). In its body: "The Chair opened the meeting at 7.30pm",
# "The meeting commenced at 7pm", "called to order at 7:00 p.m.".
_START_LABEL = re.compile(r"^[ \t*_]*(?:time|start(?:ing)?\s+time|meeting\s+time|date(?:\s+and\s+time)?|when)[ \t*_]*[:\-\u2013]",
                          re.I | re.M)
_AFTER_DATE = re.compile(rf"(?:\b(?:19|20)\d\d|\b(?:{MONTH_ALTERNATION})\b)[ \t]*,?[ \t]*(?:at[ \t]+|[\-\u2013][ \t]*)?(?=\d)"
                         r"|\bheld\b[^\n]{0,120}?\bat[ \t]+(?=\d)", re.I)
_STARTED = re.compile(
    r"(?i:\b(?:meeting|council|session|business)[ \t]+(?:was[ \t]+)?(?:opened|commenced|started|began|convened)"
    r"|\b(?:opened|commenced|started|began|convened)[ \t]+the[ \t]+meeting|\bcalled[ \t]+(?:the[ \t]+meeting[ \t]+)?to[ \t]+order)"
    r"[ \t]+(?:at[ \t]+)(?=\d)"
)
_OPENS_NEXT = re.compile(r"\W*(?:the\s+)?(?:next|following)\s+(?:\w+\s+){0,3}(?:meeting|AGM|EGM)\b", re.I)
_HEAD_REACH = 1500  # characters of the heading read for the start when no item is found


def _started(minutes: Minutes) -> Fact | None:
    """The time the meeting began, from its heading or the line saying so, with the span it is read from."""
    text = minutes.text
    head_end = min(minutes.items[0].start if minutes.items else _HEAD_REACH, _HEAD_REACH)
    found: list[tuple[int, int, tuple[str, str]]] = []   # (line start, time's end, time)
    for m in _START_LABEL.finditer(text, 0, head_end):
        end = text.find("\n", m.end())
        end = head_end if end < 0 else min(end, head_end)
        for d in re.finditer(r"(?<![\d.:])\d", text[m.end():end]):
            when = time_at(text, m.end() + d.start())
            if when:
                found.append((m.start(), m.end() + d.start() + len(when[0]), when))
                break
    if not found:
        for m in _AFTER_DATE.finditer(text, 0, head_end):
            line = text.rfind("\n", 0, m.start()) + 1
            # "Date of next meeting 10 May, 7pm", "The next meeting is scheduled for Tuesday 12 March at 7pm" (not
            # a heading's "Draft Minutes Subject to the Approval at the next Meeting Ordinary Meeting ... at 7.00 pm")
            if _NEXT_MEETING.search(text, max(line, m.start() - 40), m.end()) or _OPENS_NEXT.match(text, line, m.start()):
                continue
            when = time_at(text, m.end())
            if when:
                found.append((line, m.end() + len(when[0]), when))
                break
    if not found:
        m = _STARTED.search(text)
        if m:
            when = time_at(text, m.end())
            if when:
                unit = minutes.unit_at(m.start())
                found.append((unit.start if unit else m.start(), m.end() + len(when[0]), when))
    if not found:
        return None
    lo, hi, when = found[0]
    return minutes.fact("started", when[0], minutes.span(lo, hi), detail=when[1])


@dataclass
class NextMeeting:
    """The next meeting as the minutes announce it: ISO date, theme, and where its date is written."""

    date: str
    theme: str | None
    start: int  # the date mention in the clean text
    end: int


def find_next_meeting(body: str, items: list[AgendaItem], meeting_date: str | None) -> NextMeeting | None:
    """Date and theme of the next meeting, from the line or item that announces it."""
    for m in _NEXT_MEETING.finditer(body):
        # The line around the words, read no further than _LINE_REACH either side: a run-on line is no heading.
        newline = body.rfind("\n", max(0, m.start() - _LINE_REACH), m.start())
        line_start = newline + 1 if newline >= 0 else max(0, m.start() - _LINE_REACH)
        line_end = body.find("\n", m.end(), m.end() + _LINE_REACH)
        line_end = min(len(body), m.end() + _LINE_REACH) if line_end < 0 else line_end
        line = body[line_start:line_end]
        if not _ANNOUNCE.search(line) and len(line) > 40:  # "I will ask at the next meeting ..." announces nothing
            continue
        window_end = line_end
        if len(line) <= 120 or line.rstrip().endswith(":"):  # a heading: the date is below it
            item = item_at(items, m.start())
            end = item.end if item and item.start <= m.start() < item.end else line_end + 300
            window_end = min(end, line_end + 400)
        found = _future_date(body, m.start(), window_end, meeting_date)
        if found:
            window = body[m.start():window_end]
            theme = next((ln.strip(" .") for ln in window.split("\n")[1:] if _THEME.search(ln)), None)
            return NextMeeting(found[0], theme, found[1], found[2])
    for m in _MONTH_MEETING.finditer(body):
        line_end = body.find("\n", m.end(), m.end() + _DATE_REACH)
        found = _future_date(body, m.start(), min(len(body), m.end() + _DATE_REACH) if line_end < 0 else line_end,
                             meeting_date)
        if found:
            return NextMeeting(found[0], None, found[1], found[2])
    return None


# "12/04/2022", "12.04.22": a date in figures, read only where the next meeting is announced, where the
# reading that falls soon after the meeting settles whether the day or the month comes first.
_NUMERIC_DATE = re.compile(r"(?<![\d/.\u00a3$\u20ac])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)"
                           r"(?P<y>(?:19|20)\d\d|\d\d)(?![\d/.]\d|\d)")


def _numeric_dates(text: str, meeting_date: str) -> list[tuple[str, int, int]]:
    """Figure dates in ``text`` that can be read one way only as a date within half a year after the meeting."""
    held = dt.date.fromisoformat(meeting_date)
    out = []
    for m in _NUMERIC_DATE.finditer(text):
        a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
        y = y if y > 99 else 2000 + y if 2000 + y <= held.year + 1 else 1900 + y
        readings = set()
        for day, month in ((a, b), (b, a)):
            try:
                when = dt.date(y, month, day)
            except ValueError:
                continue
            if 0 < (when - held).days <= 183:
                readings.add(when.isoformat())
        if len(readings) == 1:
            out.append((readings.pop(), m.start(), m.end()))
    return out


def _future_date(body: str, start: int, end: int, meeting_date: str | None) -> tuple[str, int, int] | None:
    """The first date after the meeting; a date without a year is the next one to come, within half a year."""
    year = int(meeting_date[:4]) if meeting_date else None
    named = find_dates(body[start:end])
    if meeting_date:
        numeric = _numeric_dates(body[start:end], meeting_date)
        if numeric and (not named or numeric[0][1] < named[0].start):
            iso, a, b = numeric[0]
            return iso, start + a, start + b
    for mention in named:
        iso = mention.iso(year)
        if iso and meeting_date and iso <= meeting_date:
            iso = None if mention.year or year is None else mention.iso(year + 1)
            if iso and (dt.date.fromisoformat(iso) - dt.date.fromisoformat(meeting_date)).days > 183:
                iso = None
        if iso:
            return iso, start + mention.start, start + mention.end
    return None


def _dotted_clock(text: str, pos: int) -> tuple[str, str] | None:
    m = _DOTTED_CLOCK.match(text, pos)
    return (m.group(), f"{m.group('h')}:{m.group('m')}") if m else None


def closing_facts(minutes: Minutes, meeting_date: str | None) -> list[Fact]:
    """The time the meeting started, the next meeting (its date, time and venue as written) and the time the
    meeting closed."""
    facts: list[Fact] = []
    started = _started(minutes)
    if started:
        facts.append(started)
    text = minutes.text
    nxt = find_next_meeting(text, minutes.items, meeting_date)
    if nxt:
        unit = minutes.unit_at(nxt.start)
        lo = nxt.start
        weekday = _WEEKDAY_BEFORE.search(text, max(0, lo - 14), lo)
        lo = weekday.start() if weekday and (not unit or weekday.start() >= unit.start) else lo
        hi = unit.end if unit else nxt.end
        clause = _NEW_CLAUSE.search(text, nxt.end, hi)
        hi = clause.start() if clause else hi
        if hi - lo > _VALUE_MAX:  # date, time and venue; not the rest of a run-on line
            hi = max(nxt.end, text.rfind(" ", lo, lo + _VALUE_MAX))
        facts.append(minutes.fact("next_meeting", tidy(text[lo:hi]), minutes.span(lo, hi), detail=nxt.date))
    for region in range(len(minutes.regions)):
        for lo, hi in minutes.lines(region):
            for m in _CLOSED.finditer(text, lo, hi):
                when = time_at(text, m.end()) or _dotted_clock(text, m.end())
                if when and not _TEMPORARY.match(text, m.end() + len(when[0])):
                    facts.append(minutes.fact("closed", when[0], minutes.span(m.start(), m.end() + len(when[0])),
                                              detail=when[1]))
            for m in _AT_TIME_ADJOURNED.finditer(text, lo, hi):
                when = time_at(text, m.start("time"))
                if when:
                    facts.append(minutes.fact("closed", when[0], minutes.span(m.start(), m.end()), detail=when[1]))
    head_end = minutes.items[0].start if minutes.items else len(text)
    for m in _TIME_RANGE.finditer(text, 0, head_end):  # "Time: 2:00 pm to 5:10 pm" in the heading
        when = time_at(text, m.end())
        if when:
            facts.append(minutes.fact("closed", when[0], minutes.span(m.start(), m.end() + len(when[0])), detail=when[1]))
    return facts
