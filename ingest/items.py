"""Numbered agenda items in clean minutes text: which line-start numbers are items, and their titles.

A line may start with a number for many reasons (a list inside an item, an
agenda printed before the minutes, an address). Items are the longest run of
candidate numbers that goes up in plausible steps, read in one numbering
scheme ("2.1", "22/18" or a roll-call number such as "98-3480").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model import AgendaItem, CleanText

_AFTER = r"(?=\t|$|[ \t]+[A-Z\u00c0-\u00de\"'\u2018\u201c(])"
_ROLL = re.compile(r"^(\d{2})-(\d{1,4})[ \t]+(?:\d{1,3}\.[ \t]+)?(?=[A-Z(])")
# "22/18", and an English town or parish council's minute number "Min. No. 103/24" / "Minute 103/24".
_SLASH = re.compile(rf"^(?:Min(?:ute)?\.?[ \t]+(?:No\.?[ \t]+)?)?(\d{{1,3}})/(\d{{2}})(?![\d/])[.:]?{_AFTER}")
# "C/24/031 APOLOGIES", "FC/23/045": a council's minute numbers with its body's letters and the year.
_PREFIXED = re.compile(rf"^(?P<letters>[A-Z]{{1,4}})[ \t]*/[ \t]*(?P<year>\d{{2}})[ \t]*/[ \t]*(?P<n>\d{{1,4}})(?![\d/])[.:]?{_AFTER}")
# "P 121/24 LA04/2024/0712/F – ...": a Northern Irish committee's letters, then the number and the year.
_LETTERED = re.compile(rf"^(?P<letters>[A-Z]{{1,4}})[ \t]+(?P<n>\d{{1,4}})/(?P<year>\d{{2}})(?![\d/])[.:]?{_AFTER}")
# "IV. NEW BUSINESS": a US board's items numbered in Roman numerals (a full stop after, a capital word on).
_ROMAN = re.compile(r"^(?P<r>X{0,3}(?:IX|IV|V?I{0,3}))\.[ \t]+(?=[A-Z][A-Za-z]+)")
# "MIN. NO. KCA/WENR/023/04/2024: CONSIDERATION OF PETITION": a county assembly committee's minute numbers,
# a reference, the minute's number in the sitting, the year.
_MINUTE_REF = re.compile(rf"^Min(?:ute)?\.?[ \t]+No\.?[ \t]+(?P<prefix>(?:[A-Z0-9]{{1,8}}/){{0,4}}?)(?P<n>\d{{1,3}})"
                         rf"/(?P<year>(?:19|20)\d{{2}})[.:]?{_AFTER}", re.I)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
_ROMAN_MIN = 3  # a run of fewer Roman-numbered lines is a list or an initial ("I. Smith"), not the agenda
_ITEM_WORD = re.compile(rf"^(?:Agenda[ \t]+)?Item[ \t]+([1-9]\d{{0,2}}(?:\.\d{{1,2}})*)[.:]?{_AFTER}", re.I)
_DOTTED = re.compile(rf"^([1-9]\d{{0,2}}(?:\.(?:0|[1-9]\d?)){{0,2}})(\.?){_AFTER}")

_MAX_STEP = 10
_MAX_ROLL_STEP = 25

_OPENER = re.compile(
    r"[ \t](?=(?:The|A|An|It|There|This|That|These|Those|He|She|They|We|Following|Members|Cllr|Councillor|"
    r"Councillors|Mr|Mrs|Ms|Dr|Circulated|Proposed|Resolved|Moved|Apologies were|Apologies had)\s+\S)"
)
_STARTS_SENTENCE = re.compile(
    r"(?:The|A|An|It|There|This|That|These|Those|He|She|They|We|All|Mr|Mrs|Ms|Dr|Cllr|Councillors?|Members|"
    r"[A-Z]{2,3})\s+[a-z]"
)
_INLINE_NUMBER = re.compile(r"[ \t](?=\d{1,3}(?:\.\d{1,3}){1,3}\.?[ \t])")
_DASH_REPORT = re.compile(
    r"[ \t][-\u2013\u2014][ \t](?=\S+(?:\s+\S+)?\s+(?:reported|noted|commented|advised|stated|confirmed|asked|"
    r"explained|said|agreed|provided|presented|informed|shared)\b)"
)
_ENUMERATOR = re.compile(r"^(?:[IVX]{1,4}\.\s+)?\([A-Za-z]\)\s+|^[IVX]{1,4}\.\s+(?=[A-Z(])")
_SUBLIST = re.compile(r"[ \t]\(?[a-z1-9]\)[ \t]")
_SENTENCE_END = re.compile(r"[.!?](?=[ \t]+[A-Z\"\u201c]|$)")
_ABBREVIATIONS = frozenset("mr mrs ms dr no nos st co rd inc ltd vs cllr approx ref dept".split())
_CONNECTORS = frozenset("by of to from and the for with in on at a an as into than or via per".split())
_MAX_TITLE = 150


@dataclass
class _Candidate:
    start: int  # offset of the line in the text
    line_end: int
    scheme: str
    key: tuple[int, ...]
    number: str
    rest: str  # the line after the number
    weak: bool
    weight: float = 1.0


def find_items(text: CleanText) -> list[AgendaItem]:
    """Agenda items in order; each runs from its number to the next item's number."""
    candidates = _candidates(text.text)
    chain = _best_chain(candidates)
    if not _plausible(chain, len(text.text)):
        chain = []
    items: list[AgendaItem] = []
    for n, cand in enumerate(chain):
        end = chain[n + 1].start if n + 1 < len(chain) else len(text.text)
        title = _title(cand, text.text)
        items.append(AgendaItem(number=cand.number, title=title, start=cand.start, end=end, page=text.page_at(cand.start)))
    return items


def item_at(items: list[AgendaItem], offset: int) -> AgendaItem | None:
    """The item whose span holds ``offset`` (None before the first item)."""
    found = None
    for item in items:
        if item.start <= offset:
            found = item
        else:
            break
    return found


def _candidates(text: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    for m in re.finditer(r"[^\n]+", text):
        line, start = m.group(), m.start()
        cand = _read_number(line)
        if cand is None:
            continue
        scheme, key, number, consumed, weak = cand
        if consumed >= len(line.rstrip()) and not _titled(text, m.end()):
            continue  # a number alone on its line, then more figures: a table, not an item
        found.append(_Candidate(start, m.end(), scheme, key, number, line[consumed:].strip(" \t"), weak))
    for n, cand in enumerate(found):
        # An item is followed by its own text; an entry in a list of numbered lines (an agenda
        # printed before the minutes, a list inside an item) is not.
        following = (found[n + 1].start if n + 1 < len(found) else len(text)) - cand.start
        listed = _in_list_run(found, n, text)
        cand.weight = (0.5 if cand.weak else 1.0) * (0.6 if listed else 1.0) + 0.3 * min(1.0, following / 400)
    return found


def _titled(text: str, line_end: int) -> bool:
    nxt = re.match(r"\n+([^\n]+)", text[line_end:])
    return bool(nxt) and bool(re.search(r"[A-Za-z\u00c0-\u024f]", nxt.group(1))) and not _read_number(nxt.group(1))


def _in_list_run(found: list[_Candidate], n: int, text: str) -> bool:
    """Whether candidate ``n`` sits in a run of three or more numbered lines with nothing between them."""
    def adjacent(i: int) -> bool:  # candidate i+1 is on the line right after candidate i
        return 0 <= i < len(found) - 1 and found[i + 1].start == found[i].line_end + 1

    lo = n
    while adjacent(lo - 1):
        lo -= 1
    hi = n
    while adjacent(hi):
        hi += 1
    return hi - lo >= 2


def _read_number(line: str) -> tuple[str, tuple[int, ...], str, int, bool] | None:
    m = _MINUTE_REF.match(line)
    if m:
        number = f"{m.group('prefix')}{m.group('n')}/{m.group('year')}"
        return f"minute:{m.group('prefix')}/{m.group('year')}", (int(m.group("n")),), number, m.end(), False
    m = _ROLL.match(line)
    if m:
        return f"roll:{m.group(1)}", (int(m.group(2)),), f"{m.group(1)}-{m.group(2)}", m.end(), False
    m = _SLASH.match(line)
    if m:
        return f"slash:{m.group(2)}", (int(m.group(1)),), f"{m.group(1)}/{m.group(2)}", m.end(), False
    m = _ROMAN.match(line)
    if m and m.group("r"):
        return "roman", (_roman(m.group("r")),), m.group("r"), m.end(), False
    m = _PREFIXED.match(line)
    if m:
        number = f"{m.group('letters')}/{m.group('year')}/{m.group('n')}"
        return f"prefixed:{m.group('letters')}/{m.group('year')}", (int(m.group("n")),), number, m.end(), False
    m = _LETTERED.match(line)
    if m:
        number = f"{m.group('letters')} {m.group('n')}/{m.group('year')}"
        return f"lettered:{m.group('letters')}/{m.group('year')}", (int(m.group("n")),), number, m.end(), False
    m = _ITEM_WORD.match(line)
    if m:
        return "dotted", _key(m.group(1)), m.group(1), m.end(), False
    m = _DOTTED.match(line)
    if m:
        number = m.group(1)
        rest = line[m.end():].strip()
        weak = "." not in number and not m.group(2) and bool(rest) and not line[m.end():].startswith("\t")
        return "dotted", _key(number), number, m.end(), weak
    return None


def _key(number: str) -> tuple[int, ...]:
    parts = [int(p) for p in number.split(".")]
    while len(parts) > 1 and parts[-1] == 0:  # "3.0" heads the section that "3.1" continues
        parts.pop()
    return tuple(parts)


def _follows(a: _Candidate, b: _Candidate) -> bool:
    if a.scheme != b.scheme:
        return False
    ka, kb = a.key, b.key
    if kb <= ka:
        return False
    if b.weak:
        return len(kb) == 1 and kb[0] == ka[0] + 1
    max_step = _MAX_ROLL_STEP if a.scheme.startswith("roll") else _MAX_STEP
    level = next((i for i, (x, y) in enumerate(zip(ka, kb)) if x != y), min(len(ka), len(kb)))
    if level == len(ka):  # b opens a sub-item of a
        return kb[-1] <= max_step and all(c <= 1 for c in kb[len(ka):-1])
    if kb[level] - ka[level] > max_step:
        return False
    return all(c <= 2 for c in kb[level + 1:])


def _best_chain(candidates: list[_Candidate]) -> list[_Candidate]:
    """The heaviest chain of candidates whose numbers go up in plausible steps (ties go to the earliest)."""
    best: list[float] = []
    back: list[int] = []
    for i, cand in enumerate(candidates):
        score, prev = cand.weight, -1
        for j in range(i):
            if best[j] + cand.weight >= score - 1e-9 and _follows(candidates[j], cand):
                score, prev = best[j] + cand.weight, j
        best.append(score)
        back.append(prev)
    if not best or max(best) < 2:  # one lone number is no evidence of numbered items
        return []
    top = max(best)
    # On a tie the later chain wins: minutes follow the agenda they carry out.
    i = max(n for n, s in enumerate(best) if s >= top - 1e-9)
    chain: list[_Candidate] = []
    while i >= 0:
        chain.append(candidates[i])
        i = back[i]
    return chain[::-1]


def _plausible(chain: list[_Candidate], length: int) -> bool:
    """Agenda items start early in minutes; a short run of numbers deep in the text is a list inside it."""
    if chain and chain[0].scheme == "roman" and len(chain) < _ROMAN_MIN:
        return False
    return bool(chain) and (len(chain) >= 6 or chain[0].start <= max(2000, 0.25 * length))


def _roman(numeral: str) -> int:
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _title(cand: _Candidate, text: str) -> str:
    rest = cand.rest
    if not rest:
        nxt = re.match(r"\n+([^\n]+)", text[cand.line_end:])
        rest = nxt.group(1).strip() if nxt and not _read_number(nxt.group(1)) else ""
    return item_title(rest)


def item_title(line: str) -> str:
    """The heading words at the start of an item's line ("Current OCC performance The PCC was told...")."""
    line = line.split("\t")[0].strip()
    cut = len(line)
    for m in _SENTENCE_END.finditer(line):
        word = re.search(r"(\w+)$", line[:m.start()])
        if word and (len(word.group(1)) == 1 or word.group(1).lower() in _ABBREVIATIONS):
            continue
        cut = m.start()
        break
    # A line that opens like a sentence has no heading words in front of it.
    patterns = (_INLINE_NUMBER, _SUBLIST, _DASH_REPORT) if _STARTS_SENTENCE.match(line) else (
        _OPENER, _INLINE_NUMBER, _SUBLIST, _DASH_REPORT)
    cuts = [cut]
    for pattern in patterns:
        for m in pattern.finditer(line, 0, cut):
            before = line[:m.start()].split()
            if before and before[-1].lower() not in _CONNECTORS and _has_words(line[:m.start()]):
                cuts.append(m.start())
                break
    title = _ENUMERATOR.sub("", line[:min(cuts)])
    if len(title) > _MAX_TITLE:
        title = title[:_MAX_TITLE].rsplit(" ", 1)[0]
    return title.strip(" \t:;,-\u2013\u2014")


def _has_words(text: str) -> bool:
    """At least one word outside brackets: "(11/03 5.5)" alone is a reference, not a title."""
    return bool(re.search(r"[A-Za-z]{2,}", re.sub(r"\([^)]*\)", " ", text)))
