"""The acronyms minutes use and what they stand for: "Chief Constable (CC)" lets a question about the Chief Constable find "the CC"."""
from __future__ import annotations

import re

from ingest.model import Attendee
from ingest.people import HONORIFIC

_ACR_PAREN = re.compile(r"\(([A-Z][A-Za-z&]{1,9})\)")
_CONNECTORS = frozenset({"of", "and", "for", "the", "&", "in", "on", "to", "at", "-", "\u2013", "/"})


def find_glossary(text: str, attendees: list[Attendee]) -> dict[str, str]:
    """Acronym -> expansion, from attendees' roles and "Full Name (ACR)" anywhere in the text."""
    glossary: dict[str, str] = {}
    for person in attendees:
        if not person.acronym or person.acronym in glossary:
            continue
        expansion = _expansion(person.role.split(), person.acronym) if person.role else None
        if expansion is None and _initials_of(person.acronym, person.name):
            expansion = person.name
        if expansion:
            glossary[person.acronym] = expansion
    for m in _ACR_PAREN.finditer(text):
        acronym = m.group(1)
        if sum(c.isupper() for c in acronym) < 2 or acronym in glossary:
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        words = text[line_start:m.start()].split()[-10:]
        expansion = _expansion(words, acronym)
        if expansion:
            glossary[acronym] = expansion
    return glossary


def _expansion(words: list[str], acronym: str) -> str | None:
    """The shortest run of trailing words (or leading, for a role) whose initials spell ``acronym``."""
    letters = [c for c in acronym.upper() if c.isalpha()]
    capitals = [c for c in acronym if c.isupper()]
    for target in (letters, capitals):
        for start in range(len(words) - 1, -1, -1):
            initials = _initials(words[start:])
            if initials == target:
                return _tidy(words[start:])
        # a role that goes on after its acronym: "Assistant Chief Constable Local Policing (ACC)"
        for end in range(1, len(words) + 1):
            if _initials(words[:end]) == target:
                return _tidy(words[:end])
    return None


def _initials(words: list[str]) -> list[str]:
    out = []
    for word in words:
        word = word.strip("\"'\u2018\u2019\u201c\u201d,.:;")
        if not word or word.lower() in _CONNECTORS:
            continue
        if not word[0].isupper():
            return []
        out.append(word[0])
    return out


def _tidy(words: list[str]) -> str:
    text = " ".join(words).strip("\"'\u2018\u201c,.:; ")
    return re.sub(r"['\u2019]s$", "", text)


def _initials_of(acronym: str, name: str) -> bool:
    """Whether ``acronym`` is made from the letters of ``name`` in order, starting with its first ("DHO" of Dave Horkan)."""
    name = re.sub(rf"^{HONORIFIC}\s+", "", name)
    letters = name.lower()
    if not letters or acronym[0].lower() != letters[0]:
        return False
    it = iter(letters)
    return all(c in it for c in acronym.lower() if c.isalpha())
