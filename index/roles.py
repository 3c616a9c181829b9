"""Who held a role when, from the attendance tables, and an action's owner read as a role and a person.

Minutes name an owner as they name people in their text: by an acronym ("CC"), a role ("Acting Chief
Constable"), an office ("Clerk") or a name ("Cllr Reed"). The attendance table of the action's meeting says
who that was; where it lists nobody so named, the nearest meeting that does (its own series first). A filter
by owner takes a name, a role or an acronym: one that some owner has exactly selects exactly those ("CC" is
not ACC, DCC or the Acting Chief Constable); other words find every owner whose name or role holds them
("Chief", "Obi").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ingest.names import bare_name
from ingest.people import HONORIFIC

_TITLE = re.compile(rf"^(?:{HONORIFIC}[ \t]+)+")
_WRITTEN_ACRONYM = re.compile(r"^(?P<role>.*?)[ \t]*\((?P<acronym>[A-Z][A-Za-z&]{1,9})\)$")
_PARENTHESIS = re.compile(r"[ \t]*\([^)]*\)")


@dataclass(frozen=True)
class Holding:
    """One row of a meeting's attendance table: a person and the role they held there."""

    name: str
    role: str | None
    acronym: str | None
    meeting_id: int
    series: str | None
    date: str | None


@dataclass(frozen=True)
class Owner:
    """An action's owner as written, and the role and person that were at its meeting."""

    written: str
    role: str | None = None
    acronym: str | None = None
    person: str | None = None
    by_name: bool = False           # the minutes named the person, not the role

    @property
    def label(self) -> str:
        """ "CC — Marcus Obi"; the person alone where the minutes named them; as written where nobody is known."""
        if not self.person:
            return self.written
        return self.person if self.by_name else f"{self.written} — {self.person}"

    @property
    def choice(self) -> str | None:
        """The role as the owner filter offers it: "Chief Constable (CC)"."""
        if self.by_name:
            return None
        if self.role and self.acronym:
            return f"{self.role} ({self.acronym})"
        return self.role or self.written


class Roles:
    """The attendance tables of an index, asked who an owner was at a meeting."""

    def __init__(self, holdings: list[Holding], glossary: list[tuple[str, str]] = ()):
        self.holdings = holdings
        self.at: dict[int, list[Holding]] = {}
        for h in holdings:
            self.at.setdefault(h.meeting_id, []).append(h)
        self.glossary = {acronym: expansion for acronym, expansion in glossary}

    def owner(self, written: str | None, meeting_id: int, series: str | None, when: str | None) -> Owner | None:
        if not written or not written.strip():
            return None
        written = " ".join(written.split())
        wanted = re.sub(r"^the[ \t]+", "", written, flags=re.I)
        for test, by_name in ((_has_acronym, False), (_has_role, False), (_has_name, True)):
            held = self._holder(lambda h: test(h, wanted), meeting_id, series, when)
            if held:
                return Owner(written, held.role, held.acronym, held.name, by_name)
        expansion = self.glossary.get(written)
        return Owner(written, role=expansion, acronym=written if expansion else None)

    def _holder(self, test, meeting_id: int, series: str | None, when: str | None) -> Holding | None:
        """Who the meeting lists so; else who the nearest meeting does, its own series first."""
        here = [h for h in self.at.get(meeting_id, []) if test(h)]
        if here:
            return here[0]
        found = [h for h in self.holdings if test(h)]
        if not found:
            return None
        return min(found, key=lambda h: (_key(h.series or "") != _key(series or ""), _days(h.date, when),
                                         (h.date or "") > (when or "")))


def holds(h: Holding, wanted: str) -> bool:
    """Whether ``h`` held the role ``wanted`` names, by its acronym or its title ("CC", "Chief Constable"); a
    longer title is another role ("Deputy Chief Constable" is not the Chief Constable)."""
    wanted = re.sub(r"^the[ \t]+", "", " ".join(wanted.split()), flags=re.I)
    return _has_acronym(h, wanted) or _has_role(h, wanted)


def select(query: str, owners: list[Owner | None]) -> list[bool]:
    """Which owners a filter's words pick: exactly those it names when it names some exactly ("CC", "Chief
    Constable", "Chief Constable (CC)", "Marcus Obi"); else those whose words hold all of its words."""
    wanted = _key(query)
    if not wanted:
        return [True] * len(owners)
    exact = [o is not None and _exactly(o, query) for o in owners]
    if any(exact):
        return exact
    words = set(_words(query))
    return [o is not None and words <= set(_words(" ".join(filter(None, (o.written, o.role, o.acronym, o.person)))))
            for o in owners]


def choices(owners: list[Owner | None]) -> list[str]:
    """What the owner filter offers: each role (with its acronym) and each person, once, in alphabetical order."""
    found = {c for o in owners if o for c in (o.choice, o.person) if c}
    return sorted(found, key=str.casefold)


def _exactly(o: Owner, query: str) -> bool:
    wanted = _key(query)
    if wanted in {_key(o.written), _key(o.acronym or ""), _key(o.person or "")} or wanted in _forms(o.role):
        return True
    written = _WRITTEN_ACRONYM.match(" ".join(query.split()))     # "Chief Constable (CC)", as ``choices`` offers
    return bool(written) and (_key(written.group("acronym")) == _key(o.acronym or "")
                              or (_key(written.group("role")) in _forms(o.role) and not o.acronym))


def _has_acronym(h: Holding, wanted: str) -> bool:
    return bool(h.acronym) and _key(h.acronym) == _key(wanted)


def _has_role(h: Holding, wanted: str) -> bool:
    return _key(wanted) in _forms(h.role)


def _has_name(h: Holding, wanted: str) -> bool:
    """ "Cllr Reed", "Mr T Reed", "Tom Reed" are Tom Reed; "Reed" alone is too, where the name is its surname."""
    name = _key(_TITLE.sub("", h.name)).split()
    said = _key(_TITLE.sub("", bare_name(wanted))).split()
    if not name or not said or said[-1] != name[-1]:
        return False
    return all(w == n or (len(w.rstrip(".")) == 1 and n.startswith(w.rstrip("."))) for w, n in zip(said[:-1], name))


def _forms(role: str | None) -> set[str]:
    """A role and the parts a reader may name it by: "Chief Executive, OPCC" is also "Chief Executive"."""
    if not role:
        return set()
    bare = _PARENTHESIS.sub("", role)
    return {_key(role), _key(bare)} | {_key(part) for part in bare.split(",") if part.strip()}


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _days(a: str | None, b: str | None) -> int:
    try:
        return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)
    except (TypeError, ValueError):
        return 1 << 30
