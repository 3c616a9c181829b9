"""Which meetings a question names: by the body, place or series in their titles and venues, and by date.

Read only from what the store says each meeting is called (title, series, venue, date); nothing is
written by hand for particular bodies. A word names meetings in proportion to how few of them carry it
(its inverse document frequency over meetings): "Stoke Ferry" or "audit" single out a body, "council"
or "police" do not. A date names the meetings held on it, or in the month it names when the question
speaks of a meeting ("the October 2022 panel").
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from index.query import MEETING_WORD, POSSESSIVE, Question, content_terms
from index.search.settings import Settings
from index.store import MeetingCard
from ingest.dates import find_dates, iso_date
from ingest.words import MONTH_NAMES, MONTHS

# Words every title carries whatever the body: they name no meeting in particular.
_GENERIC = frozenset("""meeting meetings minutes notes summary proceedings official draft regular record report
held of the and for at on in""".split())


def _name_text(card: MeetingCard) -> str:
    # A web page's title ends with its site's name; a venue's aside in brackets names nothing.
    title = (card.title or "").split(" | ")[0]
    venue = re.sub(r"\([^)]*\)", " ", card.venue or "")
    return " ".join(x for x in (title, card.series, venue) if x)


def _plain_words(text: str) -> set[str]:
    return {w for w in content_terms(text)
            if w not in _GENERIC and w not in MONTHS and not any(ch.isdigit() for ch in w)}


def _name_words(card: MeetingCard) -> set[str]:
    return _plain_words(_name_text(card))


def _squash(text: str) -> str:
    return " " + " ".join(content_terms(text)) + " "


def surely_named(named: dict[int, float], s: Settings) -> set[int]:
    """The meetings a question names surely enough to be searched, answered and kept to on their own."""
    return {m for m, w in named.items() if w >= s.meeting_scope}


def proper_phrases(text: str) -> list[str]:
    """Runs of two or more capitalised words inside the question ("West Square", "Annual Service Delivery
    Plan", "Des Moines"); a possessive ends one ("Limerick's | Annual ...")."""
    runs: list[list[str]] = []
    current: list[str] = []
    for i, m in enumerate(re.finditer(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*|\S", text)):
        word = m.group()
        if i > 0 and word[:1].isupper() and word[:1].isalpha():
            current.append(word)
            if POSSESSIVE.search(word):
                runs.append(current)
                current = []
        else:
            runs.append(current)
            current = []
    runs.append(current)
    return [" ".join(r) for r in runs if len(r) >= 2]


_TITLED = re.compile(r"(?<=\s)[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*){0,3}\s+(?:of|for)\s+(?:the\s+)?"
                     r"[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*){0,3}")


_OF_FOR = re.compile(r"\s+(?:of|for)\s+(?:the\s+)?")


def titled_phrases(text: str) -> list[str]:
    """Capitalised phrases joined by "of" or "for" ("Director of Education", "Portfolio Holder for Finance"),
    which name a role or a thing as a whole."""
    return [m.group() for m in _TITLED.finditer(text)]


# A name of at most four words: an unbounded run of capitalised words backtracks quadratically.
_LIST = re.compile(r"[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*){0,3}(?:\s*(?:,|&|\band\b)\s*[A-Z][\w'\u2019-]*"
                   r"(?:\s+[A-Z][\w'\u2019-]*){0,3}){2,}")


def name_lists(text: str) -> list[list[str]]:
    """Lists of three or more capitalised names in the question ("Ahlers, Cooney, Dorweiler, Haynie, Smith
    & Albee", "Stoke Ferry, Northwold and Boughton"), each as its names."""
    return [[x.strip() for x in re.split(r"\s*(?:,|&|\band\b)\s*", m.group()) if x.strip()]
            for m in _LIST.finditer(text)]


# Kinds of body a question may call one by ("the shire", "the trust"), beside the words for a meeting; not
# "club" or "association", which questions mostly ask about ("the bowling club's licence").
_BODY_NOUNS = frozenset("shire trust borough parish".split())
# Those a body is made of, named for the body: "when will the harbour commissioners next meet?"
_MEMBERS = frozenset("commissioners trustees governors supervisors aldermen selectmen".split())


def naming_words(text: str) -> list[str]:
    """The words with which a question could name a meeting: proper nouns (capitalised inside the
    sentence: "Stoke Ferry", "Des Moines"), words of a body ("panel", "committee"), the two words
    before one ("the audit committee", "monthly assurance meeting"), a kind of body ("the shire", "the shire's")."""
    tokens = list(re.finditer(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*", text))
    out: list[str] = []
    for i, m in enumerate(tokens):
        word = m.group()
        base = POSSESSIVE.sub("", word)
        body = MEETING_WORD.fullmatch(base) is not None or base.lower() in _BODY_NOUNS
        # "the harbour board's May meeting", "the harbour commissioners": the words before the body's
        near_body = any(MEETING_WORD.fullmatch(POSSESSIVE.sub("", t.group())) or t.group().lower() in _MEMBERS
                        for t in tokens[i + 1:i + 3])
        proper = i > 0 and word[:1].isupper()
        if body or near_body or proper:
            out.extend(content_terms(word))
    return list(dict.fromkeys(out))


@dataclass
class MeetingNames:
    """The names of an index's meetings, read once per generation of the store."""

    cards: list[MeetingCard]

    def __post_init__(self) -> None:
        self._words = {c.id: _name_words(c) for c in self.cards}
        self._texts = {c.id: _squash(_name_text(c)) for c in self.cards}
        # Each word, the meetings called by it; each day and month, the meetings held then: a question looks
        # up the few it names rather than reading every meeting's name (50,000 in a national archive).
        self._called: dict[str, list[int]] = {}
        for m, ws in self._words.items():
            for w in ws:
                self._called.setdefault(w, []).append(m)
        df = {w: len(ms) for w, ms in self._called.items()}
        self._on_day: dict[str, list[int]] = {}
        self._in_month: dict[str, list[int]] = {}
        # "The March meeting", its year unsaid: the meetings held in March of any year, by month and by day.
        self._in_month_of_any_year: dict[int, list[tuple[int, int]]] = {}
        for c in self.cards:
            if c.date:
                self._on_day.setdefault(c.date, []).append(c.id)
                self._in_month.setdefault(c.date[:7], []).append(c.id)
                if len(c.date) >= 10 and c.date[5:7].isdigit() and c.date[8:10].isdigit():
                    self._in_month_of_any_year.setdefault(int(c.date[5:7]), []).append((int(c.date[8:10]), c.id))
        # Every word some meeting is called by: bodies and places, whichever meeting the question means.
        self.vocabulary = frozenset(df)
        n = max(len(self.cards), 1)
        self._idf = {w: math.log(n / k) for w, k in df.items()}
        self._dates = {c.date for c in self.cards if c.date}
        self._months = {d[:7] for d in self._dates}
        # One question asks for its naming words at several stages; the answer depends on its text only.
        self._naming: dict[tuple[str, float], list[str]] = {}

    def named(self, q: Question, s: Settings) -> dict[int, float]:
        """Meeting id -> how surely the question names it, in (0, 1]; empty when it names none."""
        by_name = self._by_name(q, s)
        by_date = self._by_date(q)
        ids = set(by_name) | set(by_date)
        if not ids:
            return {}
        if by_name and by_date:
            # Both said: the meetings that fit both are the ones meant.
            return {m: (by_name.get(m, 0.0) + by_date.get(m, 0.0)) / 2 for m in ids}
        return by_name or by_date

    def name_words(self, q: Question, s: Settings) -> list[str]:
        """The words of the question that name meetings (and so say nothing about which passage answers):
        the body's or place's name, and the date of a meeting ("of 4 May 2012"), which every passage of
        that meeting shares whether it answers or not."""
        key = (q.text, s.meeting_min_idf)
        if key not in self._naming:
            if len(self._naming) >= 256:
                self._naming.clear()
            self._naming[key] = self._name_words(q, s)
        return list(self._naming[key])

    def _name_words(self, q: Question, s: Settings) -> list[str]:
        # A word only one meeting is called by singles it out, however few meetings there are (of two).
        out = [t for t in naming_words(q.text) if self._idf.get(t, 0.0) >= s.meeting_min_idf
               or len(self._called.get(t, ())) == 1 < len(self.cards)]
        # A name of several words names a meeting only when some meeting is called by it: "West Square"
        # or "the Annual Service Delivery Plan" is a place or a thing, not West Dereham or an annual meeting.
        other: set[str] = set()
        kept: set[str] = set()
        for phrase in proper_phrases(q.text):
            if MEETING_WORD.search(phrase) or self._calls(phrase):
                continue
            # "the Lakeshore Pines Director": a body's name of two words or more may lead it ("West Square" is a
            # place, not West Dereham).
            ws = phrase.split()
            lead = next((k for k in range(len(ws) - 1, 1, -1) if self._calls(" ".join(ws[:k]))), 0)
            other |= set(content_terms(" ".join(ws[lead:])))
        for phrase in titled_phrases(q.text):
            if MEETING_WORD.search(phrase) or self._calls(phrase):
                continue
            head, obj = _OF_FOR.split(phrase, maxsplit=1)
            # "the Hexley Director of Planning": the body's name leads the role ...
            ws = head.split()
            lead = next((k for k in range(len(ws), 0, -1) if self._calls(" ".join(ws[:k]))), 0)
            kept |= set(content_terms(" ".join(ws[:lead])))
            other |= set(content_terms(" ".join(ws[lead:])))
            # ... or follows it ("the Mayor of Lakeshore Pines"), unless a meeting is called by it as the object of
            # its own "of" ("Education" of a "Board of Education" is not the "Director of Education"'s).
            if self._calls(obj) and not self._object_of_another(obj):
                kept |= set(content_terms(obj))
            else:
                other |= set(content_terms(obj))
        other -= kept
        for names in name_lists(q.text):
            # A list most of whose names name no meeting lists people or a firm ("Haynie, Smith & Albee"):
            # the one that happens to be a meeting's venue word is not meant as its name.
            calling = [n for n in names if self._calls(n)]
            if 2 * len(calling) < len(names):
                other |= {w for n in names for w in content_terms(n)}
        out = [t for t in out if t not in other]
        if self._by_date(q):
            held = self._dates
            for d in find_dates(q.text):
                if d.year and iso_date(d.year, d.month, d.day) in held:
                    out.extend(content_terms(q.text[d.start:d.end]))
            if q.names_meeting and q.month and q.month[1] and f"{q.month[1]:04d}-{q.month[0]:02d}" in self._months:
                out.extend([MONTH_NAMES[q.month[0] - 1].lower(), str(q.month[1])])
            elif q.month and q.month[1] is None:
                out.extend([MONTH_NAMES[q.month[0] - 1].lower(), *([str(q.month_day)] if q.month_day else [])])
        return list(dict.fromkeys(out))

    def _object_of_another(self, phrase: str) -> bool:
        """Whether some meeting's name has ``phrase`` after its own "of" or "for" ("Board of Education")."""
        pattern = re.compile(r"\b(?:of|for)\s+(?:the\s+)?" + r"\s+".join(map(re.escape, phrase.lower().split())) + r"\b")
        keys = _plain_words(phrase)
        pool = min((self._called.get(w, []) for w in keys), key=len) if keys else []
        return any(pattern.search(_name_text(c).lower()) for c in self.cards if c.id in set(pool))

    def _calls(self, phrase: str) -> bool:
        """Whether some meeting is called by ``phrase``, its words in that order."""
        squashed = _squash(phrase)
        keys = _plain_words(phrase)
        if any(w not in self._called for w in keys):
            return False
        # Only meetings called by each of its words can hold the phrase: look in the fewest of them.
        pool = min((self._called[w] for w in keys), key=len) if keys else self._texts
        return any(squashed in self._texts[m] for m in pool)

    def _by_name(self, q: Question, s: Settings) -> dict[int, float]:
        terms = self.name_words(q, s)
        if not terms:
            return {}
        scores: dict[int, float] = {}
        for t in dict.fromkeys(terms):
            for m in self._called.get(t, ()):
                scores[m] = scores.get(m, 0.0) + self._idf[t]
        best = max(scores.values(), default=0.0)
        if best <= 0:
            return {}
        return {m: x / best for m, x in scores.items() if x > 0}

    def _by_date(self, q: Question) -> dict[int, float]:
        out: dict[int, float] = {}
        for d in q.dates:
            out.update(dict.fromkeys(self._on_day.get(d, ()), 1.0))
        if q.names_meeting and q.month and q.month[1]:
            out.update(dict.fromkeys(self._in_month.get(f"{q.month[1]:04d}-{q.month[0]:02d}", ()), 1.0))
        elif q.month and q.month[1] is None:
            held = self._in_month_of_any_year.get(q.month[0], ())
            out.update(dict.fromkeys((m for day, m in held if q.month_day in (None, day)), 1.0))
        return out
