"""Meeting titles and series names as the page shows them: one spelling for each, whatever the web page or the
typist made of it. The store keeps every title as written; only what the reader sees is tidied.

Tidied: a title in capitals ("NORTHSHIRE POLICE AND CRIME PANEL"), a web page's site name after a bar
("... | Northshire OPCC"), a trailing kind of document ("... - Meeting Notes"), a phrase written twice, and a
series that is another series with the body's own name in front ("Northshire Police and Crime Panel" beside
"Police and Crime Panel"). The body's name is learnt from the site names the index's own web pages carry,
never from a list, so a series named after a place that no page names as its body is left alone.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# " | Northshire OPCC", " — Northshire OPCC": a web page's <title> ends with the site that published it.
_SITE = re.compile(r"\s+[|\u2014]\s+(?P<site>[^|\u2014]*[A-Za-z][^|\u2014]*)$")
# "- Meeting Notes", "– Minutes", ": Draft minutes": what kind of document it is, not the meeting's name.
_KIND = re.compile(r"\s*[-\u2013\u2014:]\s*(?:draft\s+)?(?:meeting\s+notes|minutes|notes)\s*$", re.I)
_TWICE = re.compile(r"\b(?P<phrase>[A-Za-z][\w'&-]*(?:\s+[\w'&-]+)*?)\s+(?P=phrase)\b", re.I)
_SMALL = frozenset("a an and as at by for from in of on or the to with".split())


def _title_case(text: str) -> str:
    """Words in capitals as a title writes them; short words lower case; words with no vowel (PCC, JAC) kept."""
    out = []
    for n, word in enumerate(text.split()):
        lower = word.lower()
        if n and lower in _SMALL:
            out.append(lower)
        elif not re.search(r"[AEIOUY]", word) and word.isalpha():
            out.append(word)
        else:
            out.append("-".join(part[:1].upper() + part[1:].lower() for part in word.split("-")))
    return " ".join(out)


def _shouting(text: str) -> bool:
    letters = re.findall(r"[A-Za-z]", text)
    return len(letters) >= 6 and all(c.isupper() for c in letters)


def tidy(name: str | None) -> str | None:
    """A title or series as a reader should see it: no site name, no "- Meeting Notes", no phrase twice,
    capitals only where a title has them. None and blank stay as they are."""
    if not name or not name.strip():
        return name
    text = " ".join(name.split())
    text = _SITE.sub("", text)
    kind = _KIND.search(text)
    if kind and re.search(r"[A-Za-z]{3}", text[:kind.start()]):
        text = text[:kind.start()]
    while (twice := _TWICE.search(text)) and len(twice.group("phrase")) >= 3:
        text = text[:twice.start()] + twice.group("phrase") + text[twice.end():]
    text = text.strip(" ,;:\u2013\u2014-")
    return _title_case(text) if _shouting(text) else text


def site_of(title: str | None) -> str | None:
    """The site a web page's title names after its bar ("Northshire OPCC"), if it names one."""
    m = _SITE.search(" ".join((title or "").split()))
    return m.group("site").strip() if m else None


@dataclass(frozen=True)
class Names:
    """How one index's titles and series are shown, learnt from all of its titles and series at once."""

    body_words: frozenset[str] = frozenset()    # lower-case words of the site names its web pages carry
    shown: dict[str, str] = field(default_factory=dict)   # each series as written -> as shown

    @classmethod
    def of(cls, titles: Iterable[str | None], series: Iterable[str | None]) -> Names:
        words: set[str] = set()
        for t in titles:
            site = site_of(t)
            if site:
                words.update(w.lower() for w in re.findall(r"[\w'-]+", site))
        written = sorted({s for s in series if s and s.strip()})
        tidied: dict[str, str] = {}
        for s in map(tidy, written):
            # Two spellings differing only in case: the one written as a title, its words capitalised.
            if _capitals(s) > _capitals(tidied.get(s.lower(), "")):
                tidied[s.lower()] = s
        return cls(frozenset(words), {s: _fold(tidy(s), tidied, words) for s in written})

    def title(self, title: str | None) -> str | None:
        return tidy(title)

    def series(self, series: str | None) -> str | None:
        return self.shown.get(series) or tidy(series)

    def choices(self) -> dict[str, list[str]]:
        """Each series as shown, sorted, with the series as written that it stands for (what filters use)."""
        out: dict[str, list[str]] = {}
        for written, shown in self.shown.items():
            out.setdefault(shown, []).append(written)
        return dict(sorted(out.items(), key=lambda kv: kv[0].lower()))


def _capitals(text: str) -> int:
    return sum(w[:1].isupper() for w in text.split())


def _fold(shown: str, tidied: dict[str, str], body_words: set[str]) -> str:
    """A series that is another of the index's series with the body's name in front is that series; two
    spellings differing only in case are one."""
    words = shown.split()
    for n in range(1, len(words)):
        rest = " ".join(words[n:]).lower()
        if rest in tidied and all(w.lower() in body_words for w in words[:n]):
            return tidied[rest]
    return tidied.get(shown.lower(), shown)
