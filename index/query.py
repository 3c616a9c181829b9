"""Reading a question: its words, a safe FTS5 query, acronym expansions, its type and any date it names."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ingest.words import MONTHS, WEEKDAY_NAMES

STOPWORDS = frozenset("""
a about above after again against all am an and any are aren't as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here hers
herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once
only or other our ours ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours yourself yourselves tell me please say said give gave given
get got there's what's was were anything something thing things any many much
""".split())

POSSESSIVE = re.compile(r"['\u2019]s$")   # "Northwold's": the name is Northwold
_WORD = re.compile(r"\d+(?:[.,:/]\d+)*%?|[^\W\d_]+(?:['\u2019][^\W\d_]+)*|\d+(?:st|nd|rd|th)", re.UNICODE)
WORD = _WORD   # what counts as a word, shared with the answer span
LATEST = _LATEST = re.compile(r"\b(latest|most recent|current(ly)?|now|at present|presently|these days|today|recent(ly)?|newest|"
                     r"up to date|so far)\b", re.I)
# "Do call handlers still get ...?" asks how things stand now; "How much did the force still need to save in
# 2022/23?" asks of the time it names.
_STILL = re.compile(r"\bstill\b", re.I)
# A question in the present tense naming no time asks how things stand now: the latest meeting says.
# "How many venues have signed up", "what must the force keep": the present perfect and the modals ask
# how things stand now as much as "is" does.
_PRESENT = re.compile(r"^(?:\w+\s+){0,5}?(?:is|are|does|do|has|have|must|can|should|needs?)\b", re.I)
# "as reported in January 2024", "told in May": the month of the meeting that heard it.
_REPORTED = re.compile(r"\b(reported|told|announced|presented|said|heard)\s+(in|at|to [\w ]{0,30} in)\s+"
                       r"(the\s+)?(" + "|".join(MONTHS) + r")\b", re.I)
# Parts of a year that questions name; months inclusive.
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 14),
            "early": (1, 4), "mid": (5, 8), "middle of": (5, 8), "late": (9, 12), "end of": (10, 12),
            "start of": (1, 3), "beginning of": (1, 3), "first half of": (1, 6), "second half of": (7, 12)}


@dataclass
class Question:
    text: str
    terms: list[str]                    # content words and numbers, lowercased
    kind: str                           # "number", "date", "person", "place" or "other"
    expansions: list[str] = field(default_factory=list)   # acronyms and the roles they stand for
    month: tuple[int, int | None] | None = None             # (month, year) the question names
    month_day: int | None = None                            # the day of a meeting named without its year ("November 4")
    year: int | None = None
    wants_latest: bool = False
    period: tuple[int, int, int, int] | None = None         # (year, first month, last year, last month) named
    financial_years: list[int] = field(default_factory=list)  # first calendar years of "2023/24" and the like
    dates: list[str] = field(default_factory=list)          # full dates the question names, ISO
    names_meeting: bool = False                             # speaks of a meeting, its minutes or the body holding it
    described: str | None = None                            # the business a meeting is named by ("the meeting
                                                            # that co-opted the new councillor")
    asked_in: tuple[int, int, int, int] | None = None       # the period named as when something was asked for,
                                                            # when the question asks what became of it (``period``
                                                            # is then the months after)

    @property
    def period_months(self) -> list[tuple[int, int]]:
        """(year, month) pairs of the period the question names, in order."""
        if not self.period:
            return []
        y, m, y2, m2 = self.period
        out = []
        while (y, m) <= (y2, m2):
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def topic(self, naming: list[str]) -> "Question":
        """The question without the words that name its meeting and its date: what it asks about."""
        drop = set(naming)
        text = _DATE_WORDS.sub(" ", self.text)
        text = " ".join(w for w in text.split() if not (set(content_terms(w)) & drop))
        text = re.sub(r"\s+([,.?])", r"\1", text).strip(" ,")
        terms = [t for t in content_terms(text) if t not in drop]
        return replace(self, text=text or self.text, terms=terms or self.terms)

    @property
    def dense_text(self) -> str:
        return f"{self.text} ({'; '.join(self.expansions)})" if self.expansions else self.text


# A date as a question writes it, month or year alone included: dropped from what the question is about.
_DATE_WORDS = re.compile(r"\b(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) +
                         r")\b\.?(?:\s+\d{1,2}(?!\d)(?:st|nd|rd|th)?,?)?(?:\s+(?:19|20)\d\d)?|\b(?:19|20)\d\d\b", re.I)

# Words with which a question speaks of a meeting rather than of a topic: a date beside them is the meeting's.
MEETING_WORD = re.compile(r"\b(meetings?|minutes|panel|committee|council|session|hearing|board|assembly|cabinet|"
                           r"forum|agm|district)\b", re.I)


def full_dates(text: str) -> list[str]:
    """Dates the question writes with day, month and year ("21 October 2021", "January 14, 2022")."""
    from ingest.dates import find_dates

    return list(dict.fromkeys(d.iso() for d in find_dates(text) if d.year and d.iso()))


def question_kind(text: str) -> str:
    t = text.lower().strip()
    # Asking for the gist of a discussion, not one fact: no single sentence answers it.
    if re.search(r"\b(summari[sz]e|summary of|discussion|discussed|discuss|overview|thoughts?|opinions?|views?)\b|"
                 r"^what did .* (think|say|feel)\b", t):
        return "summary"
    # "When did the PCC agree the 85% target?" asks for a date, whatever figure it names.
    if re.search(r"^(when|by when|on what date|what (date|day|month|year))\b", t):
        return "date"
    if re.search(r"\b(how (many|much|long|often|far|quickly|fast|big)|percentage|proportion|per ?cent|figures?|"
                 r"amounts?|costs?|price|budget|targets?|rates?|totals?|precept|number of|sum of|overspend|underspend|"
                 r"spend(ing)?|reserves?|performance|levels?|scores?|points|(what|which) (share|fee|salary|payment|refund|"
                 r"grant|sum|value|ratio|multiplier))\b|\bhow (has|have) .* changed\b|\btrend\b|\bover time\b", t):
        return "number"
    if re.search(r"^what time\b|\b(which|what) (date|day|month)\b", t):    # "when ..." is a date, above
        return "date"
    if re.search(r"^(who|whom|whose)\b|\b(which|what) (two |three |four |five |other |\d+ )?((?!(?:did|do|does|was|were|is|are|has|have|had|will|would|"
                 r"can|could|should|the|of)\b)\w+ )?(person|people|officers?|councill?ors?|members?|trustees|governors|"
                 r"directors|commissioners|candidates|children|pupils|students|residents|volunteers|employees|"
                 r"nominees|individuals)\b|"
                 r"\bwho\b", t):
        return "person"
    if re.search(r"^where\b|\b(which|what) (venue|place|location|building)\b", t):
        return "place"
    return "other"


def words(text: str) -> list[str]:
    # "Northwold's clerk" asks about Northwold: the possessive is no part of the name.
    return [POSSESSIVE.sub("", w.lower()) for w in _WORD.findall(text)]


def content_terms(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for w in words(text):
        if w in STOPWORDS or (len(w) < 2 and not w.isdigit()):
            continue
        seen.setdefault(w, None)
    return list(seen)


def _fts_token(term: str) -> str:
    # Only word characters reach FTS5, always inside double quotes: no operator, column filter or
    # prefix syntax in a question can be read as query syntax.
    parts = re.findall(r"\w+", term, re.UNICODE)
    return '"' + " ".join(parts) + '"' if parts else ""


_AMERICAN = {"isation": "ization", "isations": "izations", "ise": "ize", "ised": "ized", "ises": "izes", "ising": "izing",
             "our": "or", "ours": "ors", "tre": "ter", "tres": "ters", "ence": "ense", "ences": "enses",
             "programme": "program", "programmes": "programs",
             "travelled": "traveled", "travelling": "traveling", "cancelled": "canceled", "cancelling": "canceling"}
_SPELLING = re.compile(r"(?<=\w{3})(?:isations?|is(?:e[sd]?|ing)|ours?)$|(?<=\w{2})tres?$|(?<=\w{2}[cf])ences?$|(?<=lic)ences?$"
                       r"|^(?:programmes?|travell(?:ed|ing)|cancell(?:ed|ing))$")


def american(word: str) -> str:
    """The American spelling of a British word ("organisation" -> "organization", "centre" -> "center"),
    else the word: minutes and questions written either way are about the same things."""
    return _SPELLING.sub(lambda m: _AMERICAN[m.group(0)], word)


def spelling_variants(terms: list[str]) -> list[str]:
    """The American spellings of those of ``terms`` written the British way, for the keyword search."""
    return [a for a in (american(t) for t in terms) if a not in terms]


def fts_query(terms: list[str], phrases: list[str] = ()) -> str:
    """An FTS5 MATCH expression ORing the terms and phrases; empty when nothing is searchable."""
    tokens = [_fts_token(t) for t in terms] + [_fts_token(p) for p in phrases]
    tokens = list(dict.fromkeys(t for t in tokens if t))
    return " OR ".join(tokens)


_MONTH_NAME = "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True))
# "the March meeting", "the November 4 council meeting", "the 4 November meeting", "the meeting held in
# March": a meeting named by its month, the year left unsaid. A month's name is capitalised ("may" asks).
_MEETING_MONTH = re.compile(
    # "the March meeting", "its November 4 council meeting": a determiner first, so that a first name ("Did
    # April Jones attend the council meeting?") is no month
    # ("the harbour board's May meeting": a body's possessive too)
    rf"\b(?:the|its|their|this|last|our|at|in|[\w-]+['\u2019]s)\s+(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+)?(?P<m1>{_MONTH_NAME})\.?"
    rf"(?:\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b)?"
    rf"(?:\s+[\w'\u2019-]+){{0,3}}?\s+(?:[Mm]eeting|[Pp]anel|[Cc]ommittee|[Cc]ouncil|[Ss]ession|[Bb]oard|[Aa]ssembly|"
    rf"[Cc]abinet|[Ff]orum|AGM)s?\b|"
    rf"\b(?i:meeting|panel|committee|council|session|board)s?\s+(?:held\s+)?(?:in|on|of)\s+(?:the\s+)?"
    rf"(?:(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?\s+)?(?P<m2>{_MONTH_NAME})\b(?:\s+(?P<d4>\d{{1,2}})\b)?")


def named_month(text: str) -> tuple[tuple[int, int | None] | None, int | None]:
    """The (month, year) or year the question names, e.g. "the March 2022 meeting"; (month, None) for a
    meeting named by its month alone ("the March meeting") when the question names no year at all."""
    t = text.lower()
    m = re.search(r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?,?\s+(?:of\s+)?((?:19|20)\d\d)\b", t)
    if m:
        return (MONTHS[m.group(1)], int(m.group(2))), int(m.group(2))
    y = re.search(r"\b((?:19|20)\d\d)\b", t)
    if y:
        return None, int(y.group(1))
    m = _MEETING_MONTH.search(text) or (_ON_DAY.search(text) if _OF_A_MEETING.search(text) else None)
    if m:
        return (MONTHS[next(g for g in m.group("m1", "m2") if g).lower()], None), None
    return None, None


# "Who was absent on February 11?", "When did they adjourn on 10 June?": a day of the year, said of the meeting.
# ... when the question speaks of a meeting or of what happens at one ("the bonfire on 5 November" is no meeting)
_OF_A_MEETING = re.compile(r"\b(?:meetings?|panel|committee|council|session|board|absent|adjourn\w*|attend\w*|"
                           r"apolog\w*|chair\w*|present|met|minutes|moved|seconded|voted?)\b", re.I)
_ON_DAY = re.compile(rf"\bon\s+(?:the\s+)?(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTH_NAME})\b|"
                     rf"(?P<m2>{_MONTH_NAME})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b)")


def _meeting_day(text: str, month: tuple[int, int | None] | None) -> int | None:
    """The day of the meeting named by its month alone ("the November 4 council meeting"), if written."""
    if not month or month[1] is not None:
        return None
    m = _MEETING_MONTH.search(text)
    day = m and next((int(d) for d in m.group("d1", "d2", "d3", "d4") if d), None)
    if m is None and _OF_A_MEETING.search(text):
        m = _ON_DAY.search(text)
        day = m and next((int(d) for d in m.group("d1", "d2") if d), None)
    return day if day and 1 <= day <= 31 else None


def named_period(text: str, month: tuple[int, int | None] | None, year: int | None) -> tuple[int, int, int, int] | None:
    """The stretch of time a question names: a month, a season or part of a year, or a year."""
    if month and month[1]:
        return (month[1], month[0], month[1], month[0])
    t = text.lower()
    words = "|".join(sorted((re.escape(k) for k in _SEASONS), key=len, reverse=True))
    m = re.search(rf"\b({words})[\s-]+((?:19|20)\d\d)\b", t)
    if m:
        first, last = _SEASONS[m.group(1)]
        y = int(m.group(2))
        return (y, first, y + (last - 1) // 12, (last - 1) % 12 + 1)
    if year and not re.search(rf"\b{year}\s*[/-]\s*\d\d\b|\b\d\d\d\d\s*[/-]\s*{str(year)[2:]}\b", t):
        return (year, 1, year, 12)
    return None


_FY = re.compile(r"\b((?:19|20)\d\d)\s*[/-]\s*((?:19|20)?\d\d)\b")


_FY_ENDING = re.compile(r"\b(?:financial\s+)?year\s+(?:ending|ended|to)\s+(?:31(?:st)?\s+)?march\s+((?:19|20)\d\d)\b", re.I)


def financial_years(text: str) -> list[int]:
    """Budget years as minutes write them ("2023/24", "2023-24", "2023/2024") or as a question may
    ("the financial year ending March 2023")."""
    out = []
    for a, b in _FY.findall(text):
        if (int(a) + 1) % 100 == int(b) % 100:
            out.append(int(a))
    out.extend(int(y) - 1 for y in _FY_ENDING.findall(text))
    return list(dict.fromkeys(out))


def expansions_for(text: str, glossary: dict[str, set[str]]) -> list[str]:
    """Acronyms in the question with what they stand for, and roles named in full with their acronym."""
    found: list[str] = []
    lower = text.lower()
    for acr, names in glossary.items():
        if re.search(r"(?<![\w])" + re.escape(acr) + r"(?![\w])", text):
            found.extend(sorted(names)[:3])
        for name in names:
            if len(name) > 3 and re.search(r"\b" + re.escape(name.lower()) + r"\b", lower):
                found.append(acr)
    return list(dict.fromkeys(found))


# "When did the PCC receive the trajectory he asked for in June 2021?": the time names the meeting that asked
# for something, and the question asks what became of it, which later meetings report.
_ASKED_FOR_THEN = re.compile(r"\b(?:asked\s+for|requested|called\s+for|commissioned|ordered|promised)\s+(?:at|in|on|during)\s+"
                             r"(?:the\s+)?(?:\w+\s+){0,3}?(?:19|20)\d\d\b", re.I)
_BECAME_OF = re.compile(r"^\s*(?:when|by\s+when|on\s+what\s+date|was|were|has|have|did)\b[^?]*\b(?:receive[ds]?|get|got|given|published|publish|"
                        r"deliver(?:ed)?|complete[ds]?|provided?|sent|submitted|presented|launched|done|finished|produced)\b",
                        re.I)
FOLLOW_UP_MONTHS = 6  # the meetings after the asking one at which what became of it is reported


def _followed_up(text: str, period: tuple[int, int, int, int] | None) -> tuple[int, int, int, int] | None:
    """The months after the period a question names as when something was asked for, when it asks what became
    of it; None otherwise."""
    if period is None or not _ASKED_FOR_THEN.search(text) or not _BECAME_OF.search(text):
        return None
    y, m = period[2], period[3]
    first = (y + m // 12, m % 12 + 1)
    last_index = y * 12 + (m - 1) + FOLLOW_UP_MONTHS
    return (first[0], first[1], last_index // 12, last_index % 12 + 1)


def parse_question(text: str, glossary: dict[str, set[str]] | None = None) -> Question:
    text = " ".join(text.split())
    month, year = named_month(text)
    asked_in = named_period(text, month, year)
    later = _followed_up(text, asked_in)
    if later is not None:
        # The meeting named asked; the meetings after it answer.
        month, year = None, None
    return Question(
        text=text,
        terms=content_terms(text),
        kind=question_kind(text),
        expansions=expansions_for(text, glossary or {}),
        month=month,
        month_day=_meeting_day(text, month),
        year=year,
        period=later or asked_in,
        financial_years=financial_years(text),
        wants_latest=bool(_LATEST.search(text)) or ((_PRESENT.search(text) is not None or _STILL.search(text) is not None)
                                                    and not year and not financial_years(text)),
        dates=full_dates(text),
        names_meeting=bool(MEETING_WORD.search(text) or _REPORTED.search(text)),
        asked_in=asked_in if later is not None else None,
        described=described_meeting(text),
    )


_DID = (r"(?:considered|discussed|approved|agreed|decided|debated|co-?opted|elected|set|fixed|noted|received|accepted|"
        r"adopted|heard|reviewed|voted\s+on|dealt\s+with|passed|rejected|refused|appointed|confirmed)")
# "at the precept meeting", "the co-option meeting": a meeting called by what it dealt with (lower case: a
# capitalised word names a body or a place, which the meetings' names say).
_CALLED_BY = re.compile(r"\b(?:the|its|their)\s+(?P<f>(?-i:(?:[a-z][\w-]+\s+)?[a-z][\w-]+))\s+meeting\b", re.I)
_DESCRIBED = re.compile(
    # "the meeting that co-opted the new councillor", "the panel meeting that considered the precept"
    # ("told the council that the road would close" reports what was said to it)
    r"(?<!told the )(?<!informed the )(?<!advised the )(?<!assured the )(?<!reminded the )(?<!warned the )"
    r"\b(?:meeting|session|panel|committee|council|board|assembly|hearing)s?\s+(?:that|which|where|at\s+which|in\s+which)\s+"
    r"(?P<a>[^?]+?)(?:\s+(?:close|closed|end|ended|finish|finished|adjourn\w*|start\w*|begin|began))?\s*\??$"
    # "when the panel considered the precept", "when the committee discussed the 2025 subscriptions"
    rf"|\bwhen\s+the\s+(?:[\w'\u2019-]+\s+){{0,2}}?(?P<b>{_DID}\s+[^?]+?)\s*\??$"
    # "What time did the council adjourn after awarding the Elm Street contract?"
    r"|\b(?:adjourn\w*|close[ds]?|end(?:ed)?|finish(?:ed)?|meet(?:ing)?)\s+after\s+(?P<d>(?:awarding|approving|adopting|agreeing|"
    r"considering|discussing|electing|co-?opting|appointing|setting|passing|refusing|rejecting)\s+[^?]+?)\s*\??$"
    # "the next regular meeting after the Orchard Commons first reading"
    r"|\bnext\s+(?:[\w-]+\s+){0,2}?meeting\s+after\s+(?P<e>the\s+[^?]+?)\s*\??$"
    # "the panel meeting on the precept"
    r"|\b(?:meeting|session)\s+(?:on|about)\s+(?P<c>the\s+[^?,]+?)(?:\s+(?:close|closed|end|ended|finish|finished))?\s*\??$",
    re.I)


def described_meeting(text: str) -> str | None:
    """The business by which a question names a meeting ("What time did the meeting that co-opted the new
    councillor close?" -> "co-opted the new councillor"); None when it names none so, or names it by a date."""
    found = [next(g for g in m.group("a", "b", "c", "d", "e") if g) for m in _DESCRIBED.finditer(text)]
    found += [m.group("f") for m in _CALLED_BY.finditer(text) if not set(m.group("f").lower().split()) & _MEETING_KINDS]
    for clause in found:
        clause = clause.strip()
        # Named by a date after all ("the meeting on 4 May 2012"): the date names it.
        words = re.findall(r"[^\W\d_]+", _DATE_WORDS.sub(" ", _FY.sub(" ", re.sub(r"\b\d+(?:st|nd|rd|th)\b", " ", clause))))
        if [w for w in words if w.lower() not in _NOT_BUSINESS and w not in WEEKDAY_NAMES]:
            return clause
    return None


_NOT_BUSINESS = frozenset("the of on in at held a an this that last next".split())
# Words that say which kind of meeting, not what it dealt with: "the annual meeting", "the next panel meeting".
_MEETING_KINDS = frozenset("""annual ordinary extraordinary special regular monthly quarterly general full public
private next last previous following first latest recent same other committee council panel board parish town
district city county community planning budget statutory inaugural emergency informal formal joint virtual online
remote hybrid members members' trustees governors directors cabinet assembly agm egm rescheduled reconvened adjourned
postponed cancelled second third fourth fifth zoom teams""".split())
