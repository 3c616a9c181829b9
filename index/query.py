"""Reading a question: its words, a safe FTS5 query, acronym expansions, its type and any date it names."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

STOPWORDS = frozenset("""
a about above after again against all am an and any are aren't as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here hers
herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once
only or other our ours ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours yourself yourselves tell me please say said give gave given
get got there's what's was were anything something thing things any many much
""".split())

_WORD = re.compile(r"\d+(?:[.,:/]\d+)*%?|[^\W\d_]+(?:['\u2019][^\W\d_]+)*|\d+(?:st|nd|rd|th)", re.UNICODE)
_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_LATEST = re.compile(r"\b(latest|most recent|current(ly)?|now|recent(ly)?|last|newest|up to date|so far)\b", re.I)


@dataclass
class Question:
    text: str
    terms: list[str]                    # content words and numbers, lowercased
    kind: str                           # "number", "date", "person", "place" or "other"
    expansions: list[str] = field(default_factory=list)   # acronyms and the roles they stand for
    month: tuple[int, int | None] | None = None             # (month, year) the question names
    year: int | None = None
    wants_latest: bool = False

    @property
    def dense_text(self) -> str:
        return f"{self.text} ({'; '.join(self.expansions)})" if self.expansions else self.text


def question_kind(text: str) -> str:
    t = text.lower().strip()
    if re.search(r"\b(how (many|much|long|often|far|quickly|fast|big)|percentage|proportion|per ?cent|figures?|"
                 r"amounts?|costs?|price|budget|targets?|rates?|totals?|precept|number of|sum of)\b", t):
        return "number"
    if re.search(r"^(when|what (date|time|day|month|year)|by when|on what date)\b|\b(which|what) (date|day|month)\b",
                 t):
        return "date"
    if re.search(r"^(who|whom|whose)\b|\b(which|what) (person|officer|councillor|member|officers|members)\b|"
                 r"\bwho\b", t):
        return "person"
    if re.search(r"^where\b|\b(which|what) (venue|place|location|building)\b", t):
        return "place"
    return "other"


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


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


def fts_query(terms: list[str], phrases: list[str] = ()) -> str:
    """An FTS5 MATCH expression ORing the terms and phrases; empty when nothing is searchable."""
    tokens = [_fts_token(t) for t in terms] + [_fts_token(p) for p in phrases]
    tokens = list(dict.fromkeys(t for t in tokens if t))
    return " OR ".join(tokens)


def named_month(text: str) -> tuple[tuple[int, int | None] | None, int | None]:
    """The (month, year) or year the question names, e.g. "the March 2022 meeting"."""
    t = text.lower()
    m = re.search(r"\b(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?,?\s+(?:of\s+)?((?:19|20)\d\d)\b", t)
    if m:
        return (_MONTHS[m.group(1)], int(m.group(2))), int(m.group(2))
    y = re.search(r"\b((?:19|20)\d\d)\b", t)
    return None, int(y.group(1)) if y else None


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


def parse_question(text: str, glossary: dict[str, set[str]] | None = None) -> Question:
    text = " ".join(text.split())
    month, year = named_month(text)
    return Question(
        text=text,
        terms=content_terms(text),
        kind=question_kind(text),
        expansions=expansions_for(text, glossary or {}),
        month=month,
        year=year,
        wants_latest=bool(_LATEST.search(text)),
    )
