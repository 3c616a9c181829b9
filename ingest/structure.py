"""Reading clean minutes as minutes: title, body, date, venue, people, agenda items, actions, next meeting.

Fields are read from what the minutes say; what they do not say stays empty. The business of
the meeting (motions, votes, attendance, interests ...) is read into ``Meeting.facts`` by
``business.find_facts``.
"""
from __future__ import annotations

import re

from ingest.actions import find_actions
from ingest.business import find_facts
from ingest.closing import find_next_meeting
from ingest.dates import date_in_name, find_dates, find_time, first_year, year_in_name
from ingest.items import find_items
from ingest.model import CleanText, Meeting
from ingest.glossary import find_glossary
from ingest.words import MONTH_ALTERNATION, WEEKDAY_ALTERNATION
from ingest.people import find_attendees, find_chair, find_minute_taker

_HEAD_MIN = 3000  # the attendance and the date may sit inside the first item (a roll call)
_WEEKDAYS = rf"(?:{WEEKDAY_ALTERNATION})"
_MONTH_WORDS = rf"(?:{MONTH_ALTERNATION})\b"
_DATE_WORD = re.compile(rf"\b(?:{_MONTH_WORDS}|{_WEEKDAYS}\b|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_WORDS}|(?:19|20)\d\d\b)", re.I)
_TITLE_PREFIX = re.compile(
    r"^(?:draft|official|summary|minutes|notes|record|meeting\s+notes|proceedings|of|the|an?|at|for)\b[\s:,\u2013-]*",
    re.I,
)
_TITLE_SUFFIX = re.compile(r"[\s\u2013,-]*\b(?:meeting\s+notes|minutes|notes|summary|report|draft)(?:\s+(?:for|of))?\s*$", re.I)
_BODY_WORD = re.compile(
    r"\b(?:council|committee|board|commission|authority|panel|assembly|forum|trust|partnership|PC|district|cabinet)\b",
    re.I,
)
_SMALL_WORDS = frozenset("of and the for in on at to a an by".split())
_DATE_LABEL = re.compile(
    rf"^\s*(?:Date(?:\s+held|\s+of\s+(?:the\s+)?meeting)?|Meeting\s+date|When)\s*(?::|\t|\s(?=\d|{_WEEKDAYS}))\s*(?P<rest>.+)$",
    re.I | re.M,
)
_VENUE_LABEL = re.compile(r"\b(?:Venue|Location|Place)\b\s*:?\s+(?P<v>[^\t\n]+)", re.I)
_HELD_AT = re.compile(
    rf"\bheld\s+(?:at|in)\s+(?!\d)(?P<v>.+?)(?=\s+(?:on|at)\s|,?\s+{_WEEKDAYS}\b|,\s*on\b|\s*$)", re.I | re.M
)
_PLACE = r"(?:Hall|Centre|Center|Chamber|Chambers|Room|HQ|Headquarters|House|Church|Offices?|Library|Pavilion|School|Hotel)"
_AFTER_TIME = re.compile(
    rf"\d(?:[.:]\d\d)?\s*[ap]\.?m\.?\s+(?:in\s+|at\s+)?(?P<v>(?:the\s+)?[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*){{0,5}}\s+{_PLACE})\b"
)
_PLACE_LINE = re.compile(rf"^(?P<v>[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*){{0,4}}\s+{_PLACE})\s*$", re.M)
_HELD_WORD = re.compile(r"\s+(?:was\s+|were\s+)?held\b.*$", re.I | re.S)


def parse(text: CleanText, source: str, metadata: dict[str, str]) -> Meeting:
    """Read the structure of one meeting's clean minutes."""
    body = text.text
    meeting = Meeting(source=source, text=body, page_starts=list(text.page_starts))
    meeting.items = find_items(text)
    head_end = meeting.items[0].start if meeting.items else min(len(body), _HEAD_MIN)
    head = body[:head_end] if head_end > 0 else body[:_HEAD_MIN]
    meeting.title = _title(body, metadata)
    stated = metadata.get("series") or metadata.get("body") or metadata.get("committee")
    meeting.series = stated.strip() if stated else (series_of(meeting.title) if meeting.title else None)
    meeting.date, date_line = _meeting_date(head, meeting.title, metadata, source)
    meeting.time = _meeting_time(date_line) or _labelled_time(head)
    meeting.venue = _venue(head)
    region_end = max(head_end, min(len(body), _HEAD_MIN))
    meeting.attendees = find_attendees(body, region_end)
    meeting.chair = find_chair(body[:region_end], meeting.attendees)
    meeting.minute_taker = find_minute_taker(body[:region_end], meeting.attendees)
    meeting.glossary = find_glossary(body, meeting.attendees)
    meeting.actions = find_actions(text, meeting.items, meeting.date)
    upcoming = find_next_meeting(body, meeting.items, meeting.date)
    if upcoming:
        meeting.next_meeting_date, meeting.next_meeting_theme = upcoming.date, upcoming.theme
    meeting.facts = find_facts(text, meeting, region_end)
    return meeting


# --- title and series ------------------------------------------------------------


def _title(body: str, metadata: dict[str, str]) -> str | None:
    stated = " ".join(metadata.get("title", "").split())
    if stated and _sensible_title(stated):
        return stated
    lines = [line.strip() for line in body.split("\n", 40)[:40] if re.search(r"[A-Za-z]{3}", line)]
    first = lines[0] if lines else ""
    first = first.split("\t")[0]
    first = _HELD_WORD.sub("", first).strip(" ,.:;\u2013-")
    if len(first) > 150:
        first = first[:150].rsplit(" ", 1)[0]
    # "Hexley Town Council" over "Planning Committee", "Severnvale NHS Trust" over "Board of Directors": the
    # line under the body's name says which of its meetings this is.
    below = [_HELD_WORD.sub("", _MINUTES_OF.sub("", line)).strip(" ,.:;\u2013-") for line in lines[1:3]]
    # "County Assembly of Kiriwa" over "Third Assembly (Second Session)" over "Sectoral Committee on Water,
    # Environment and Natural Resources": a committee's line two down says more than the session's
    below = [line for n, line in enumerate(below) if n == 0 or _COMMITTEE.search(line)]
    below.sort(key=lambda line: not _COMMITTEE.search(line))
    for second in below:
        if _under_title(first, second):
            return f"{first} \u2013 {second}"
    return first or None


def _under_title(first: str, second: str) -> bool:
    """Whether ``second``, a line under the title ``first``, names which of the body's meetings this is."""
    # A comma marks an address ("Town Hall, High Street"), unless a committee is named before it
    comma = "," in second and not _COMMITTEE.search(second.split(",")[0])
    return bool(first and len(first) <= 70 and second and len(second) <= 70 and _MEETING_KIND.search(second)
                and re.search(r"[A-Za-z]{3}", _MEETING_KIND.sub("", re.sub(r"\b(?:the|of|minutes|notes)\b", "", second,
                                                                            flags=re.I)))
                and not comma
                and not re.search(r"\d|:\s|\b(?:present|date|time|venue|agenda|room|hall|chamber|via|zoom|teams|"
                                  r"online|virtual|remote)\b", second, re.I)
                and second.lower() not in first.lower() and first.lower() not in second.lower())


_MINUTES_OF = re.compile(r"^(?:(?:draft\s+)?minutes\s+of\s+(?:the\s+)?|minutes\s*[\u2013:-]\s*)", re.I)
_MEETING_KIND = re.compile(r"\b(?:committee|board|panel|sub-committee|cabinet|assembly|forum|meeting|session)\b", re.I)
_COMMITTEE = re.compile(r"\b(?:committee|board|panel|sub-committee|cabinet)\b", re.I)


def _sensible_title(title: str) -> bool:
    """A document property, not a file name or an editor's default ("Microsoft Word - x.doc")."""
    if re.search(r"\.(?:pdf|docx?|rtf|odt|txt|html?)\b|^microsoft\b|^untitled\b", title, re.I):
        return False
    return len(re.findall(r"[A-Za-z]{2,}", title)) >= 2


_GENERIC_BODY = re.compile(r"(?i:(?:board|council|committee|commission|trustees|directors|governors)"
                           r"(?:\s+of\s+(?:directors|trustees|governors|commissioners))?)")


def series_of(title: str) -> str | None:
    """The body or series a title names, without dates: "Monthly Assurance Meeting October 2021" -> "Monthly Assurance Meeting"."""
    text = " ".join(title.split()).split(" | ")[0]  # a web page's title ends with its site's name
    m = _DATE_WORD.search(text)
    if m:
        before = text[:m.start()]
        text = before if re.search(r"[A-Za-z]{3}", before) else _DATE_WORD.sub(" ", text)
    text = text.strip(" ,.:;\u2013-")
    minutes = re.search(r"[\s\u2013:,-]*\b(?:draft\s+)?(?:minutes|meeting\s+notes|notes|summary|record)\b", text, re.I)
    if minutes and _BODY_WORD.search(text[:minutes.start()]):  # "X Panel - Minutes of the meeting of"
        text = text[:minutes.start()]
    previous = None
    while previous != text:
        previous = text
        text = _TITLE_PREFIX.sub("", text).strip(" ,.:;\u2013-")
    meeting_of = re.search(r"\bmeeting\s+of\s+(?:the\s+)?(?P<body>.+)$", text, re.I)
    named = re.sub(r"[\s\u2013-]+(?:(?:regular|ordinary|special|annual|monthly)\s+)?$", "",
                   text[:meeting_of.start()] if meeting_of else "", flags=re.I)
    if meeting_of and _GENERIC_BODY.fullmatch(meeting_of.group("body")) and len(re.findall(r"[A-Za-z]{2,}", named)) >= 2:
        # "Porthcarrow Harbour Commissioners – Ordinary Meeting of the Board": the body is named before
        text = named
    elif meeting_of and _BODY_WORD.search(meeting_of.group("body")):
        text = meeting_of.group("body")
    text = _TITLE_SUFFIX.sub("", text).strip(" ,.:;\u2013-")
    if _BODY_WORD.search(text):
        text = re.sub(r"[\s\u2013-]+(?:(?:annual|ordinary|special|monthly|extraordinary)\s+)?meeting\s*$", "", text, flags=re.I)
    text = " ".join(text.split()).strip(" ,.:;\u2013-")
    if not re.search(r"[A-Za-z]{2}", text):
        return None
    return _title_case(text) if text.isupper() else text


def _title_case(text: str) -> str:
    words = []
    for n, word in enumerate(text.lower().split()):
        if n and word in _SMALL_WORDS:
            words.append(word)
        else:
            words.append("-".join(part[:1].upper() + part[1:] for part in word.split("-")))
    return " ".join(words)


# --- date, time, venue -------------------------------------------------------------


def _meeting_date(head: str, title: str | None, metadata: dict[str, str], source: str) -> tuple[str | None, str]:
    """The meeting's date as the minutes state it, and the line it was read from."""
    candidates: list[tuple[str, int]] = []
    for m in _DATE_LABEL.finditer(head):
        candidates.append((m.group("rest"), m.start("rest")))
    candidates.append((head, 0))
    year = _context_year(title, metadata, source)
    for chunk, offset in candidates:
        for mention in find_dates(chunk):
            iso = mention.iso(year)
            if iso:
                return iso, _line_around(head, offset + mention.start)
    for stated in (title or "", metadata.get("title", "")):
        for mention in find_dates(stated):
            if mention.year and mention.iso():
                return mention.iso(), stated
    return date_in_name(source), ""


def _context_year(title: str | None, metadata: dict[str, str], source: str) -> int | None:
    for text in (title or "", metadata.get("title", "")):
        year = first_year(text)
        if year:
            return year
    return year_in_name(metadata.get("date", "")) or year_in_name(source)


def _line_around(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    end = len(text) if end < 0 else end
    return text[max(start, offset - 100):min(end, offset + 120)]


def _meeting_time(date_line: str) -> str | None:
    return find_time(date_line) if date_line else None


def _labelled_time(head: str) -> str | None:
    m = re.search(r"^\s*Time\s*[:\-\u2013]?\s+(?P<rest>.+)$", head, re.I | re.M)
    return find_time(m.group("rest")) if m else None


def _venue(head: str) -> str | None:
    top = "\n".join(line for line in head.split("\n") if line.strip())
    top = "\n".join(top.split("\n")[:5])
    for pattern, where in ((_VENUE_LABEL, head), (_HELD_AT, head), (_AFTER_TIME, head), (_PLACE_LINE, top)):
        m = pattern.search(where)
        if m:
            venue = m.group("v").strip(" ,.:;\u2013-")
            if re.search(r"[A-Za-z]{3}", venue) and len(venue) <= 120:
                return venue
    return None
