"""Who was there: present, chair, clerk, apologies (with reasons), absences, late arrivals and early departures.

Each person is one row; rows read from one line or sentence share its span. "There were no
apologies" and "None were declared" name nobody and so give no rows.
"""
from __future__ import annotations

import re

from ingest.dates import time_at
from ingest.model import Attendee, Fact, Meeting
from ingest.names import NAME, OFFICE, OFFICE_TITLE, PEOPLE, PERSON, TITLE, bare_name, name_led, split_people
from ingest.people import CHAIR_OF, LABEL_GLOSS, attendance_start, column_person, is_role, parse_people
from ingest.spans import LIST_LONG, Minutes, tidy
from ingest.votes import in_vote

_CHAIR_ROLE = re.compile(r"\b(?:chair|chairman|chairperson|chairwoman|cathaoirleach|presiding|conven[eo]r)\b", re.I)
_NOT_CHAIR = re.compile(r"\b(?:vice|deputy|co)[- ]", re.I)
# "Chris Moffat (Membership Secretary)" keeps the members' list, not the minutes.
_OTHER_SECRETARY = re.compile(r"\b(?:membership|fixtures?|social|press|competitions?|match|events?|"
                              r"permanent|cabinet|private)[ \t]+secretary\b", re.I)
_CLERK_ROLE = re.compile(r"\b(?:clerk|minute[- ]?taker|minutes|secretary|meetings[ \t]+administrator)\b", re.I)
_CLERK_LABEL = re.compile(r"(?:(?:Parish|Town|City|Council)[ \t]+)?Clerk[ \t]*(?::|\u2013|-)[ \t]*(?P<who>[A-Z][^\n,;\u2013]{2,40}?)(?=[ \t]*(?:[-,;\u2013]|$))")
# "The Chairman welcomed the new Parish Clerk Mrs Mandy Maguire", "introduced the Clerk, Jo Bell": a clerk named
# as the meeting greets them.
_CLERK_WELCOMED = re.compile(
    rf"\b(?:welcomed|introduced)[ \t]+(?:the[ \t]+)?(?:new[ \t]+)?(?:(?:Parish|Town|City|Council)[ \t]+)?Clerk,?[ \t]+"
    rf"(?P<who>(?:{OFFICE_TITLE}[ \t]+)?{NAME})")
_ELECTED = re.compile(
    # "Cllr Brown was duly elected Chair", "RESOLVED: That Cllr Brown be elected Chair of the Council"
    rf"(?P<who>{PERSON})[ \t]+(?:was|were|be)[ \t]+(?:[a-z][a-z ]{{0,60}}?[ \t]+)?(?:re-?)?elected[ \t]+(?:as[ \t]+)?(?:the[ \t]+)?"
    r"(?:Chair(?:man|person|woman)?|Cathaoirleach|Mayor|President)\b|"
    rf"(?P<took>{PERSON})[ \t]+(?:took|was[ \t]+in)[ \t]+the[ \t]+[Cc]hair\b|"
    # "Councillor R Adams in the Chair", a line of its own at the head of the minutes
    rf"(?<![^\n])[ \t]*(?P<seated>{PERSON})[ \t]+in[ \t]+the[ \t]+[Cc]hair[ \t.]*(?=\n|$)|"
    rf"\b(?i:meeting|session)[ \t]+was[ \t]+chaired[ \t]+by[ \t]+(?P<by>{PERSON})|"
    # "Mayor Garcia called the meeting to order at 6:30 PM": who opens a US or Canadian meeting presides.
    rf"(?P<opened>{PERSON})[ \t]+(?:called[ \t]+the[ \t]+meeting[ \t]+to[ \t]+order|presided)\b"
)

_APOLOGY_SENT = re.compile(
    r"\b(?:[Aa]n[ \t]+)?[Aa]polog(?:y|ies)\b(?:[ \t]+for[ \t]+(?:absence|(?:his|her|their)[ \t]+(?:absence|inability[ \t]+to"
    r"[ \t]+attend(?:[ \t]+the[ \t]+[Mm]eeting)?)))?(?:[ \t]+(?:were|was|had[ \t]+been|have[ \t]+been|has[ \t]+been))?[ \t]+"
    r"(?:received|submitted|tendered|noted|given|presented|accepted|recorded)(?:[ \t]+and[ \t]+(?:accepted|noted|approved))?"
    r"[ \t]+(?:from|by|on[ \t]+behalf[ \t]+of)[ \t]+"
    # "The Clerk reported apologies from Cllr Smith", "Leave of absence was granted to Cllr Smith"
    r"|\b(?:reported|noted|received|read|presented)[ \t]+(?:the[ \t]+)?apolog(?:y|ies)[ \t]+(?:from|of)[ \t]+"
    r"|\b[Ll]eave[ \t]+of[ \t]+absence[ \t]+(?:was[ \t]+|had[ \t]+been[ \t]+)?(?:granted|given|approved)[ \t]+to[ \t]+"
)
_APOLOGY_LABEL = re.compile(
    # "Directors absent (excused):" (a US district's board)
    r"^(?:To[ \t]+(?:receive|note)(?:[ \t]+and[ \t]+accept)?[ \t]+)?"
    r"(?:(?i:directors|members|councillors|trustees|commissioners|governors)[ \t]+(?=(?i:absent)))?"
    r"(?i:apologies|regrets|excused|leave[ \t]+of[ \t]+absence"
    # a works council's "Absent (excused):" sent apologies; "Absent (unexcused):" is absent
    r"|absent[ \t]*\((?:excused|with[ \t]+apolog(?:y|ies))\))(?:[ \t]+(?i:for[ \t]+absence))?"
    # "Apologies received and consented:" (school governors), "Apologies accepted:"
    r"(?:[ \t]+(?:received(?:[ \t]+and[ \t]+(?:consented|accepted|noted|approved))?(?:[ \t]+from)?|from|accepted|noted|consented))?"
    rf"{LABEL_GLOSS}[ \t]*(?::-|:|\u2013|-)[ \t]*"
)
_APOLOGY_HEADING = re.compile(
    r"^(?i:(?:to[ \t]+receive[ \t]+(?:and[ \t]+accept[ \t]+)?)?(?:apologies|regrets|absent[ \t]+with[ \t]+apolog(?:y|ies))(?:[ \t]+(?:for[ \t]+absence|and[ \t]+substitutes?))?)[ \t]*[.:]?$"
)
# "Apologies were received from:" with the names on the lines below
_FROM_BELOW = re.compile(r"^(?:An[ \t]+)?[Aa]polog(?:y|ies)\b[^:\n]{0,60}\b(?:from|by)[ \t]*:[ \t]*$")
_INNER_APOLOGIES = re.compile(r"[.;][ \t]+((?i:apologies|regrets)(?:[ \t]+(?i:for[ \t]+absence))?[ \t]*:)")
_SENT_APOLOGIES = re.compile(
    rf"(?P<who>{PEOPLE})[ \t]+(?:had[ \t]+|has[ \t]+)?(?:sent|tendered|gave|offered|given)[ \t]+(?:(?:his|her|their)[ \t]+)?"
    r"apolog(?:y|ies)\b(?P<ctx>[^.\n]*)"
)
_FOR_THIS_MEETING = re.compile(r"\b(?:to|for)[ \t]+(?:the|this|tonight's|today's)[ \t]+meeting|\bfor[ \t]+(?:his|her|their[ \t]+)?absence", re.I)
# "sent apologies for the next meeting", "... for the Annual Parish Meeting on 7 May": another meeting's apology.
_FOR_ANOTHER_MEETING = re.compile(r"\bfor[ \t]+(?:the[ \t]+)?(?:next|following|forthcoming|coming|future|[A-Z]\w*[ \t]+(?:\w+[ \t]+){0,2})"
                                  r"(?:meeting|meetings)\b", re.I)
# "Absent:", and "Councilmembers absent:" / "Members absent:" after the body's plural.
_ABSENT_LABEL = re.compile(r"(?<![\w])(?:Absent|ABSENT|(?<=s[ \t])absent|Not[ \t]+present|NOT[ \t]+PRESENT)"
                           r"(?:[ \t]+without[ \t]+apolog(?:y|ies)|[ \t]*\((?:unexcused|without[ \t]+apolog(?:y|ies)|no[ \t]+apolog(?:y|ies))\))?[ \t]*:")
_WAS_ABSENT = re.compile(rf"(?P<who>{PEOPLE})[ \t]+(?:was|were)[ \t]+(?:absent|not[ \t]+present)\b")
_ARRIVED = re.compile(
    # "Cllr Tom Bexley – Harwood District Council (arrived at 10:25 a.m.)": whom they represent stands between.
    rf"(?P<who>{PERSON})(?:[ \t]+[A-Z]{{2,3}})?(?:[ \t]+[\u2013\u2014-][ \t]+[A-Z][^().\n\u2013\u2014]{{1,60}}?"
    rf"(?:[ \t]*\([^()\n]{{1,40}}\))?(?=[ \t]*\())?"
    # "Director S. Gill, City of Port Alder (arrived 9:48 a.m.)": or after a comma, before the bracket
    # (not another person of a list: "Odette Lapierre, Maeve Tennant (arrived 6:20 p.m.)")
    rf"(?:,[ \t]+(?!{NAME}[ \t]*\()[A-Z][^().,\n\u2013\u2014]{{1,60}}?(?=[ \t]*\((?:arrived|joined|left|departed)\b))?"
    r"[ \t]*(?:\([ \t]*(?P<verb1>arrived|joined|left|departed)[ \t]+(?:at[ \t]+)?"
    r"|(?P<verb2>arrived|joined[ \t]+the[ \t]+meeting(?:[ \t]+(?:remotely|online|virtually|in[ \t]+person|by[ \t]+video))?"
    r"|left[ \t]+the[ \t]+(?:meeting|room|chamber)|left|departed|returned(?:[ \t]+to[ \t]+the[ \t]+(?:meeting|room|chamber))?"
    r"|entered[ \t]+the[ \t]+(?:meeting|room|chamber)|(?:exited|withdrew[ \t]+from)[ \t]+the[ \t]+(?:meeting|room|chamber)"
    r"|re-?joined(?:[ \t]+the[ \t]+meeting)?)"
    r"(?:[ \t]+(?:late|early))?(?:[ \t]+(?:during|in)[ \t]+(?:this|the|item)[^.\n\d]{0,30}?(?=[ \t]+at\b))?(?:[ \t]+at)?[ \t]*)"
)
# The verbs the name-led patterns turn on (see ``names.name_led``).
_CHAIR_VERB = re.compile(r"\belected\b|\b(?:took|in)[ \t]+the[ \t]+[Cc]hair\b|\bchaired[ \t]+by\b|\bcalled[ \t]+the[ \t]+meeting"
                         r"[ \t]+to[ \t]+order\b|\bpresided\b")
_APOLOGY_VERB = re.compile(r"\b(?:sent|tendered|gave|offered|given)\b")
_ABSENT_VERB = re.compile(r"\b(?:was|were)[ \t]+(?:absent|not[ \t]+present)\b")
_ARRIVED_VERB = re.compile(r"\(?\b(?:arrived|joined|left|departed|returned|re-?joined|entered|exited|withdrew)\b")
_PLURAL_ROLE = re.compile(r"\b(?:[A-Z][a-z]+[ \t]+){0,3}(?:Councillors|Cllrs\.?|Members|Commissioners|Officers|Representatives)\b,?[ \t]*")
_LIST_MAX = 1500  # characters of a list of names read at most: no meeting lists more people than this holds
_LIST_STOP = re.compile(r"(?<![\s.][A-Z])\.(?=\s|$)|\b(?:Apologies|Regrets|Excused|Leave[ \t]+of[ \t]+absence|Present|Absent"
                        r"|In[ \t]+attendance)\b")
_LABEL_ABOVE = re.compile(r"(?im)^[ \t]*[^\n:]{0,40}\b(?:chair|presiding|clerk|minutes)\b[^\n:]{0,20}:[ \t]*\n(?:[ \t]*\n)*"
                          rf"[ \t]*(?:{TITLE}[ \t]+)?\Z")
_LABEL_WORDS = {"chair": ("chair", "presiding"), "clerk": ("clerk", "minutes")}
# What the meeting did with the apologies, said after them: "Cllr Stone - work. Apologies accepted."
_APOLOGIES_TAKEN = re.compile(r"(?i)^(?:(?:the[ \t]+|these[ \t]+|all[ \t]+)?apologies[ \t]+(?:were[ \t]+)?|(?:these|they)[ \t]+were[ \t]+)?"
                              r"(?:duly[ \t]+)?(?:accepted|noted|received|approved)(?:[ \t]+and[ \t]+(?:accepted|noted|approved))?[.;]?$")
_NAME_REASON = re.compile(rf"(?P<who>{PERSON})[ \t]*(?:[\u2013\u2014-]|:)[ \t]*(?P<reason>[a-z][^.;]{{1,80}})$")
_MOTION_LINE = re.compile(r"^(?:Moved|Proposed|Seconded|Motion|Resolved|Carried|Agreed|That)\b", re.I)
_REASON = re.compile(r"\b(?:due[ \t]+to|because[ \t]+of|owing[ \t]+to)[ \t]+(?P<reason>[^,;.()]+)")


def find_attendance(minutes: Minutes, meeting: Meeting, attendance_end: int) -> list[Fact]:
    """Attendance facts; ``attendance_end`` is where the attendance list may end (as ``structure`` reads it)."""
    facts = _present(minutes, meeting, attendance_end)
    facts += _apologies(minutes)
    facts += _absent(minutes)
    facts += _status_rows(minutes)
    facts += _roll_call(minutes)
    facts += _comings_and_goings(minutes)
    return facts


# "Roll call: Trustee Szabo – Present; Trustee Quill – Absent.": each member with their status.
_ROLL_LINE = re.compile(r"^[ \t]*(?i:roll[ \t]+call)[ \t]*:", re.M)
_ROLL_ENTRY = re.compile(rf"(?P<who>{PERSON})[ \t]*[\u2013\u2014:-][ \t]*(?P<status>(?i:present|here|absent|excused|"
                         r"not[ \t]+present|absent[ \t]+\(excused\)))\b")
_ROLL_KIND = {"present": "present", "here": "present", "absent": "absent", "not present": "absent",
              "excused": "apologies", "absent (excused)": "apologies"}


def _roll_call(minutes: Minutes) -> list[Fact]:
    text = minutes.text
    facts: list[Fact] = []
    for line in _ROLL_LINE.finditer(text):
        end = text.find("\n", line.end())
        end = len(text) if end < 0 else end
        for m in _ROLL_ENTRY.finditer(text, line.end(), end):
            kind = _ROLL_KIND[" ".join(m.group("status").lower().split())]
            facts.append(minutes.fact(kind, bare_name(m.group("who")), minutes.span(m.start(), m.end())))
    return facts


# "Cllr C Holt<TAB>Apologies", "Cllr E Moss<TAB>Absent": an attendance table's status column.
_STATUS_ROW = re.compile(r"(?P<who>[^\t\n]+)\t(?:[^\t\n]*\t)?[ \t]*(?P<status>(?i:apologies(?:[ \t]+(?:received|given|sent))?"
                         r"|apology|sent[ \t]+apologies|absent(?:[ \t]+with(?P<without>out)?[ \t]+apologies)?))[ \t]*$")


def _status_rows(minutes: Minutes) -> list[Fact]:
    facts: list[Fact] = []
    for lo, hi in minutes.lines(0):
        m = _STATUS_ROW.match(minutes.text, lo, hi)
        if not m:
            continue
        people = parse_people(m.group("who"))
        if len(people) != 1 or is_role(people[0].name):
            continue
        status = m.group("status").lower()
        kind = "absent" if status.startswith("absent") and (m.group("without") or "apolog" not in status) else "apologies"
        facts.append(minutes.fact(kind, people[0].name, minutes.span(lo, hi)))
    return facts


# --- present, chair, clerk ---------------------------------------------------------------


def _present(minutes: Minutes, meeting: Meeting, attendance_end: int) -> list[Fact]:
    text = minutes.text
    end = min(len(text), max(attendance_end, 1))
    begin = attendance_start(text, end) or 0
    facts: list[Fact] = []
    # "Dr Helen Ashworth - Chair" beside "Colin Fairbrother - Chair of Audit and Risk Committee": the one
    # who chairs another body is not the chair of this meeting.
    plain_chair = any(_is_chair(p) and not CHAIR_OF.search(p.role or "") for p in meeting.attendees)
    for person in meeting.attendees:
        found = _find_name(text, person.name, begin, end) or _find_name(text, person.name, 0, end)
        if not found:
            continue
        span = minutes.span(*_quote_from_label(minutes, found, begin), limit=LIST_LONG)
        facts.append(minutes.fact("present", person.name, span))
        if _is_chair(person) and not (plain_chair and CHAIR_OF.search(person.role or "")):
            facts.append(minutes.fact("chair", person.name, span))
        if person.role and _CLERK_ROLE.search(person.role) and not _OTHER_SECRETARY.search(person.role):
            facts.append(minutes.fact("clerk", person.name, span))
    for name, kind in ((meeting.chair, "chair"), (meeting.minute_taker, "clerk")):
        found = _find_name(text, name, 0, end) if name else None
        if found:
            # "PRESENT IN THE CHAIR:\n\nCouncillor G. Mitchell, Mayor.": the label on the line above says why
            # the name is there, and is quoted with it.
            label = _LABEL_ABOVE.search(text, max(0, found[0] - 80), found[0])
            said = label.group(0).lower() if label else ""
            start = label.start() if any(w in said for w in _LABEL_WORDS[kind]) else found[0]
            facts.append(minutes.fact(kind, name, minutes.span(start, found[1], limit=LIST_LONG)))
    for region in range(len(minutes.regions)):
        for lo, hi in minutes.lines(region):
            m = _CLERK_LABEL.match(text, lo, hi)
            if m:
                facts.append(minutes.fact("clerk", tidy(m.group("who")), minutes.span(lo, hi)))
            for m in _CLERK_WELCOMED.finditer(text, lo, hi):
                facts.append(minutes.fact("clerk", bare_name(m.group("who")), minutes.span(m.start(), m.end())))
            for m in name_led(_ELECTED, _CHAIR_VERB, text, lo, hi):
                who = bare_name(m.group("who") or m.group("took") or m.group("seated") or m.group("by") or m.group("opened"))
                if m.group("opened") and re.fullmatch(rf"(?:[Tt]he[ \t]+)?{OFFICE}", who):
                    continue   # "The Chair called the meeting to order" names no one
                facts.append(minutes.fact("chair", who, minutes.span(m.start(), m.end())))
    return facts


def _is_chair(person: Attendee) -> bool:
    role = person.role or ""
    # "Cllr David Okafor (Vice-Chair, in the Chair)": the vice-chair who chaired this meeting
    return bool(_CHAIR_ROLE.search(role)) and (not _NOT_CHAIR.search(role) or bool(_IN_THE_CHAIR.search(role)))


_IN_THE_CHAIR = re.compile(r"\bin[ \t]+the[ \t]+chair\b", re.I)


def _find_name(text: str, name: str, start: int, end: int) -> tuple[int, int] | None:
    words = [re.escape(w) for w in name.split()]
    m = re.compile(r"(?<![\w])" + r"[ \t]+".join(words) + r"(?![\w])").search(text, start, end)
    return (m.start(), m.end()) if m else None


def _quote_from_label(minutes: Minutes, found: tuple[int, int], label: int) -> tuple[int, int]:
    """A list that runs on inside a long line is quoted from its label ("THOSE PRESENT WERE: ...")."""
    unit = minutes.unit_at(found[0])
    if unit and unit.start < label < found[0]:
        return label, found[1]
    return found


# --- apologies -----------------------------------------------------------------------------


def _apologies(minutes: Minutes) -> list[Fact]:
    text = minutes.text
    facts: list[Fact] = []
    for region in range(len(minutes.regions)):
        lines = list(minutes.lines(region))
        heading = _apology_item(minutes, region)
        for n, (lo, hi) in enumerate(lines):
            for m in _APOLOGY_SENT.finditer(text, lo, hi):
                if _NO_APOLOGY.search(text, max(lo, m.start() - 4), m.start() + 7):
                    continue   # "No apology was received from Cllr Wilde": he sent none
                unit = minutes.unit_at(m.start())
                facts += _apology_rows(minutes, m.end(), unit.end if unit else hi, (m.start(), unit.end if unit else hi))
            start, body = _line_body(minutes, lo, hi)
            label = _APOLOGY_LABEL.match(body)
            inner = None if label else _INNER_APOLOGIES.search(body)
            if inner:   # "Attendance: 34 members. Apologies: Ruth Adeyemi, Colin Marsh."
                start, body = start + inner.start(1), body[inner.start(1):]
                label = _APOLOGY_LABEL.match(body)
            if label and body[label.end():].strip():
                facts += _apology_rows(minutes, start + label.end(), hi, (lo, hi))
            elif label or _APOLOGY_HEADING.match(body) or _FROM_BELOW.match(body) or (heading and n == 0):
                facts += _listed_below(minutes, lines[n + 1:n + 5])
            for m in name_led(_SENT_APOLOGIES, _APOLOGY_VERB, text, lo, hi):
                if _FOR_ANOTHER_MEETING.search(m.group("ctx")) and not _FOR_THIS_MEETING.search(m.group("ctx")):
                    continue
                if heading or region == 0 or _FOR_THIS_MEETING.search(m.group("ctx")):
                    people = split_people(m.group("who"))
                    # "Cllr Smith had given apologies due to illness": one person's reason said after them.
                    why = _REASON.search(m.group("ctx")) if len(people) == 1 else None
                    for person in people:
                        facts.append(minutes.fact("apologies", person, minutes.span(m.start(), m.end()),
                                                  detail=tidy(why.group("reason")) if why else None))
    return facts


_NO_APOLOGY = re.compile(r"\b(?:No|no)[ \t]+(?:[Aa]polog)")


def _apology_item(minutes: Minutes, region: int) -> bool:
    start = minutes.regions[region][0]
    item = next((i for i in minutes.items if i.start == start), None)
    return bool(item and re.match(r"(?i)(?:to[ \t]+receive[ \t]+(?:and[ \t]+accept[ \t]+)?)?apolog", item.title))


def _line_body(minutes: Minutes, lo: int, hi: int) -> tuple[int, str]:
    """A line without the item number it opens with (its heading kept: "To receive Apologies: X, Y")."""
    unit = minutes.unit_at(lo)
    if unit and unit.start == lo:
        start, _ = minutes.body(unit, title=False)
        return start, minutes.text[start:hi]
    return lo, minutes.text[lo:hi]


_NOBODY_LINE = re.compile(r"(?i)(?:nil|none|n/?a|nobody|no[ \t]+apologies(?:[ \t]+(?:were[ \t]+)?(?:received|given))?)[ \t]*\.?")


_OTHER_HEADING = re.compile(r"(?i:(?:members[ \t]+)?(?:absent|present|in[ \t]+attendance|attendance))\b[^\n]{0,30}")
_ABSENT_HEADING = re.compile(r"(?:Absent|ABSENT)(?:[ \t]+(?i:without[ \t]+apolog(?:y|ies)))?")
_NUMBERED = re.compile(r"[ \t]*\d{1,2}[.)][ \t]+")


def _listed_below(minutes: Minutes, lines: list[tuple[int, int]]) -> list[Fact]:
    """Name-list lines under an "Apologies" heading, until the first line that is a sentence."""
    facts: list[Fact] = []
    for lo, hi in lines:
        if _APOLOGY_HEADING.match(minutes.text[lo:hi].strip()):
            continue  # the heading itself, on the line below the item's number
        if minutes.text[lo:hi].rstrip().endswith(":") or _OTHER_HEADING.fullmatch(minutes.text[lo:hi].strip()):
            break     # the label or heading of another list ("STAFF PRESENT:", "ABSENT")
        if _APOLOGY_LABEL.match(minutes.text[lo:hi].strip()) or _NOBODY_LINE.fullmatch(minutes.text[lo:hi].strip()):
            break     # "Apologies: None.", "Excused: Smith, Jones.": a labelled line, read as such; "Nil."
        if _is_name_list(minutes.text[lo:hi]):
            facts += _apology_rows(minutes, lo, hi, (lo, hi))
            continue
        given = _with_reasons(minutes, lo, hi) or _one_with_reason(minutes, lo, hi)
        if not given:
            break
        facts += given
    return facts


# "Director K. Osei, Electoral Area D (Mill Creek) - medical leave": one person a line, whom they represent
# after a comma, the reason after a dash.
_LINE_REASON = re.compile(r"(?P<who>[^\n]{3,90}?)[ \t]+[\u2013\u2014-][ \t]+(?P<reason>[a-z][^\n]{1,100}?)[ \t.]*")


def _one_with_reason(minutes: Minutes, lo: int, hi: int) -> list[Fact]:
    m = _LINE_REASON.fullmatch(minutes.text, lo, hi)
    people = column_person(m.group("who")) if m else []
    if len(people) != 1 or is_role(people[0].name):
        return []
    return [minutes.fact("apologies", people[0].name, minutes.span(lo, hi), detail=tidy(m.group("reason")))]


def _with_reasons(minutes: Minutes, lo: int, hi: int) -> list[Fact]:
    """ "Cllr Frost – family commitment. Cllr Gray – unwell.": each person with their reason, or nothing
    when any part of the line is not of that form."""
    facts = []
    for m in re.finditer(r"[^.;]+[.;]?", minutes.text[lo:hi]):
        piece = m.group(0).strip()
        if not piece:
            continue
        found = _NAME_REASON.match(piece.rstrip(".;"))
        if facts and not found and _APOLOGIES_TAKEN.match(piece):
            continue
        if not found or is_role(found.group("who")):
            return []
        start = lo + m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        facts.append(minutes.fact("apologies", bare_name(found.group("who")), minutes.span(start, start + len(piece)),
                                  detail=tidy(found.group("reason"))))
    return facts


def _is_name_list(line: str) -> bool:
    if _MOTION_LINE.match(line.strip()):
        return False   # "Moved Cr Smith / Seconded Cr Brown": the motion that received them
    bare = re.sub(r"\([^)]*\)", " ", line).strip(" .;")
    words = re.findall(r"[A-Za-z\u00c0-\u024f][\w'\u2019.-]*", bare)
    small = {"and", "of", "the", "at", "for", "de", "van", "von", "on", "behalf"}
    return bool(words) and len(words) <= 40 and not re.search(r"\d", bare) and all(
        w[0].isupper() or w.lower() in small for w in words
    )


def _apology_rows(minutes: Minutes, start: int, end: int, quote: tuple[int, int]) -> list[Fact]:
    body = minutes.text[start:min(end, start + _LIST_MAX)]
    # "Dev Patel (Men's Captain) – away with work": the reason after a dash is no part of the list of names.
    said = _DASHED_REASON.search(body)
    names = body[:said.start()] if said else body
    stated = said.group("reason") if said else None
    # "Cllr Claire Bassett – Portfolio Holder for Communities and Leisure (hospital appointment)": one person,
    # their office after the dash, the reason in brackets.
    one = _NAME_DASH_OFFICE.fullmatch(names.strip(" \t."))
    if one and re.fullmatch(rf"{PERSON}", one.group("who")):
        people = [p for p in parse_people(one.group("who")) if len(p.name) > 1]
        stated = stated or one.group("note")
    else:
        pieces = _EACH_FROM.split(names)
        if len(pieces) > 1 or _CLAUSE_REASON.search(names):
            # "from Cllr Helen Cartwright, owing to a family bereavement, and from Cllr Thomas Brennan, who was
            # detained by work commitments": each person with the reason said after them
            span = minutes.span(*quote, limit=LIST_LONG)
            facts = []
            for piece in pieces:
                said = _CLAUSE_REASON.search(piece)
                who = piece[:said.start()] if said else piece
                for person in parse_people(who.strip(" ,.;")):
                    if not is_role(person.name) and len(person.name) > 1:
                        facts.append(minutes.fact("apologies", person.name, span,
                                                  detail=tidy(said.group("reason")) if said else None))
            if facts:
                return facts
        people = [p for p in parse_people(_PLURAL_ROLE.sub("", names)) if not is_role(p.name) and len(p.name) > 1]
    span = minutes.span(*quote, limit=LIST_LONG)
    facts = []
    for person in people:
        reason = tidy(stated) if stated and len(people) == 1 else _reason(body, person.name, len(people) == 1)
        facts.append(minutes.fact("apologies", person.name, span, detail=reason))
    return facts


_EACH_FROM = re.compile(r",[ \t]+and[ \t]+(?:from[ \t]+)?|[ \t]+and[ \t]+from[ \t]+")
_CLAUSE_REASON = re.compile(r",[ \t]+(?:owing[ \t]+to|due[ \t]+to|because[ \t]+of|as[ \t]+(?:he|she|they)[ \t]+(?:was|were|is|are)"
                            r"|who[ \t]+(?:was|were|is|are|had)[ \t])[ \t]*(?P<reason>[^,;.]{2,100})")
_NAME_DASH_OFFICE = re.compile(r"(?P<who>[^,;()\n\u2013\u2014]{3,50}?)[ \t]+[\u2013\u2014-][ \t]+[A-Z][^,;()\n]{2,80}?"
                               r"(?:[ \t]*\((?P<note>[^()\n]{2,80})\))?")
_DASHED_REASON = re.compile(r"(?<=\))[ \t]+[\u2013\u2014-][ \t]+(?P<reason>[a-z][^,;\n()]{2,80}?)[ \t.]*$")


def _reason(body: str, name: str, alone: bool) -> str | None:
    found = _find_name(body, name, 0, len(body))
    if found:
        note = re.match(r"[ \t]*(?:[A-Z]{2,3}[ \t]*)?\((?P<note>[^)]{2,80})\)", body[found[1]:])
        if note and not re.fullmatch(r"[A-Z][A-Za-z]?[A-Z]*|Online|online|[A-Z]", note.group("note")) and not is_role(note.group("note")):
            return tidy(note.group("note"))
    m = _REASON.search(body) if alone else None
    return tidy(m.group("reason")) if m else None


# --- absent, arrived, left -----------------------------------------------------------------------


def _absent(minutes: Minutes) -> list[Fact]:
    text = minutes.text
    facts: list[Fact] = []
    for region, (region_start, region_end) in enumerate(minutes.regions):
        lines = list(minutes.lines(region))
        for n, (lo, hi) in enumerate(lines):
            for m in _ABSENT_LABEL.finditer(text, lo, hi):
                if in_vote(text, region_start, m.start()):
                    continue
                body_start, body_end = m.end(), _list_end(text, m.end(), hi)
                if not text[body_start:body_end].strip() and n + 1 < len(lines):  # "Absent:" ends the line
                    body_start = lines[n + 1][0]
                    body_end = _list_end(text, body_start, lines[n + 1][1])
                for person in parse_people(_PLURAL_ROLE.sub("", text[body_start:body_end])):
                    # "Absent: Council Member Whitebird (regrets – representing the City at ...)": sent regrets
                    sent = _SENT_REGRETS.match(person.role or "") or _SENT_REGRETS.search(person.name)
                    name = _SENT_REGRETS.sub("", person.name).strip() if sent else person.name
                    facts.append(minutes.fact("apologies" if sent else "absent", name,
                                              minutes.span(m.start(), body_end, limit=LIST_LONG),
                                              detail=tidy(sent.group("why")) if sent and sent.group("why") else None))
            if _ABSENT_HEADING.fullmatch(text, lo, hi):
                # "ABSENT" over "1. Hon. Yusuf Dahir, MCA (Shanta Ward)": a numbered list, one a line
                for a, b in lines[n + 1:n + 40]:
                    if not _NUMBERED.match(text, a, b):
                        break
                    for person in column_person(text[a:b]):
                        facts.append(minutes.fact("absent", person.name, minutes.span(a, b)))
            for m in name_led(_WAS_ABSENT, _ABSENT_VERB, text, lo, hi):
                for person in split_people(m.group("who")):
                    facts.append(minutes.fact("absent", person, minutes.span(m.start(), m.end())))
    return facts


_SENT_REGRETS = re.compile(r"[ \t]*\(?(?i:regrets|apolog(?:y|ies)(?:[ \t]+(?:sent|given|received))?)"
                           r"(?:[ \t]*[\u2013\u2014:,-][ \t]*(?P<why>[^()]{2,80}))?\)?[ \t]*$")


def _list_end(text: str, start: int, end: int) -> int:
    end = min(end, start + _LIST_MAX)
    stop = _LIST_STOP.search(text, start, end)
    return stop.start() if stop else end


def _time_in_brackets(text: str, pos: int) -> tuple[str, str] | None:
    """ "arrived late (7.45pm)": the time in brackets just after the verb."""
    m = re.match(r"[ \t]*(?:late|early)?[ \t]*\(", text[pos:pos + 20])
    return time_at(text, pos + m.end()) if m else None


def _time_before(text: str, lo: int, pos: int) -> tuple[str, str] | None:
    """ "At 8.10pm Cllr Smith left the meeting.": the time the sentence opens with."""
    m = re.search(r"\b[Aa]t[ \t]+(?=\d)", text[max(lo, pos - 20):pos])
    if not m:
        return None
    start = max(lo, pos - 20) + m.end()
    when = time_at(text, start)
    return when if when and re.fullmatch(r"[ \t,]*", text[start + len(when[0]):pos]) else None


def _comings_and_goings(minutes: Minutes) -> list[Fact]:
    """ "Commissioner Leonard arrived at 9:36 a.m.", "Cllr Karin Newell KN (arrived 7.40pm)", "X left the meeting"."""
    text = minutes.text
    facts: list[Fact] = []
    for region in range(len(minutes.regions)):
        for lo, hi in minutes.lines(region):
            for m in name_led(_ARRIVED, _ARRIVED_VERB, text, lo, hi):
                verb = m.group("verb1") or m.group("verb2")
                when = time_at(text, m.end()) or _time_in_brackets(text, m.end()) or _time_before(text, lo, m.start())
                # "(left)", "has left the Panel", "returned the keys": without a time, nothing about this meeting
                bare_left = verb in ("left", "departed") or verb.startswith(("returned", "rejoined", "re-joined", "withdrew"))
                if (m.group("verb1") or bare_left) and not when:
                    continue
                who = re.sub(r"(?<=\w\w) [A-Z]{2,3}$", "", bare_name(m.group("who")))  # "Karin Newell KN (arrived"
                if re.fullmatch(OFFICE_TITLE, who) or not re.search(r"[A-Z]", who):
                    continue
                kind = "left" if verb.startswith(("left", "depart", "exited", "withdrew")) else "arrived"
                end = m.end() + len(when[0]) if when else m.end()
                facts.append(minutes.fact(kind, who, minutes.span(m.start(), end), detail=when[0] if when else None))
    return facts
