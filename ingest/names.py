"""How minutes name people inside a sentence ("Cllr K. Ryan", "Council Member Hensley", "the Clerk", "GK").

These are regular-expression pieces for the business readers (motions, votes, attendance,
actions), plus the few word lists that tell a person from a pronoun or a whole body.
Every piece is bounded: a name is at most four words, so a search stays linear.
"""
from __future__ import annotations

import re
from typing import Iterator

from ingest.people import HONORIFIC

# Offices a person holds on the body, written before the name; the value drops them.
OFFICE_TITLE = (
    r"(?:Cllrs?\.?|Clr\.?|Crs?\.?|Councillors?|Council[ \t]+Members?|Councilmember|Commissioners?|Alderman|Alderwoman"
    r"|(?:Deputy[ \t]+|Vice[- ])?Mayor(?:[ \t]+[Pp]ro[ \t]+[Tt]em(?:pore)?)?|Supervisors?|Trustees?|Aldermen"
    r"|Selectm[ae]n|Selectwoman|Select[ \t]+Board[ \t]+Members?|Chair(?:man|person|woman)?(?=[ \t]+[A-Z][a-z]+[ \t]+[A-Z])"
    # "Director MacAulay", "Alternate Director Chen" (sitting for a director, a regional district's board)
    r"|(?:Alternate[ \t]+)?Directors?(?=[ \t]+(?:[A-Z]\.[ \t]*[A-Z]|[A-Z][a-z][\w'\u2019]*\b))"
    # New Zealand local boards: "Member A Adams", "Chairperson A Adams"
    r"|(?:Member|Chairperson|Deputy[ \t]+Chairperson)(?=[ \t]+[A-Z][a-z]*\.?[ \t]+[A-Z][a-z]))"
)
# Any title written before a person's name, an office's or a courtesy title: "Cllr", "Council Member", "Mrs".
TITLE = rf"(?:{OFFICE_TITLE}|{HONORIFIC})"
# Offices named instead of a person ("the Clerk agreed to ...", "Clerk to chase").
OFFICE = (
    r"(?i:(?:parish[ \t]+|town[ \t]+|city[ \t]+|deputy[ \t]+)?clerk|(?:vice[- ])?chair(?:man|person|woman)?"
    r"|treasurer|secretary|cathaoirleach|mayor|president|proper[ \t]+officer|responsible[ \t]+financial[ \t]+officer)"
)
# Words that open a clause but name nobody.
_NOT_A_NAME = (
    r"(?:He|She|It|They|We|I|You|His|Her|Their|This|That|These|Those|There|Here|The|A|An|All|Any|Each|Every|No|None"
    r"|Members?|Everyone|Following|After|Before|Once|When|If|In|On|At|As|For|From|With|Also|Then|Other"
    r"|Action|Actions|Resolved|Proposed|Seconded|Moved|Motion|Decision|Item|Minutes|Agreed|Carried|Noted|Apologies|Present"
    r"|First|Second|Third|Final|Further|Next|Last|New"
    r"|Absent|Nays|Ayes|Yeas|Pass|Reply|Question|Notice|Councillors|Officers|Staff|Public|Both|Some|Several)"
)
# Words that end a name when they follow it: another person's title, or the words after a name in a motion.
_NEVER_INSIDE = rf"(?:{OFFICE_TITLE}|All|ALL|And|The|Carried|CARRIED|Agreed|Resolved|Seconded|Proposed|Prop|Motion|Declaration)"
# A word of a name: an honorific ("Ms."), an initial ("K.") or a capitalised word; only those may end in a stop.
# An initial stands alone: the "C." of "AFC." or the "M." of "AGM." is the end of a word.
_WORD = rf"(?:{HONORIFIC}(?=[ \t])|(?<![\w])[A-Z]\.|[A-Z\u00c0-\u00de][\w'\u2019\-]*(?<!['\u2019]s))"  # not "Council's"
# Words of one name are joined by spaces; a tab is a table's column break.
NAME = rf"(?!{_NOT_A_NAME}\b){_WORD}(?: +(?!{_NEVER_INSIDE}\b){_WORD}){{0,3}}(?: *\([A-Z]{{1,2}}\))?"
# One person as a sentence names them. No capturing groups: callers wrap it in their own.
# After a title, an initial "A" opens a name ("Member A Adams", "Cllr A Smith"), not an article.
PERSON = rf"(?:(?:[Tt]he +)?{OFFICE}\b(?! +[A-Z])|{OFFICE_TITLE} +(?:A\.? +)?{NAME}|{NAME})"
# Two or more people: "Cllr Sue Lintern, Cllr Mandy Leamon and Cllr Daphne Clements".
PEOPLE = rf"{PERSON}(?:[ \t]*(?:,|&|/|\band\b)[ \t]*(?:and[ \t]+)?{PERSON}){{0,6}}"

# Bodies that decide as a whole: "The Panel agreed ...", never a person who agreed to do something.
COLLECTIVE = (
    r"(?:Panel|Committee|Sub-Committee|Council|Councillors|Parish[ \t]+Council(?:lors)?|Members|Board|Commission"
    r"|Cabinet|Authority|Assembly|Trustees|Governors|Directors|Meeting|Group|Forum|Partnership)"
)
_COLLECTIVE = re.compile(rf"(?:^|\s){COLLECTIVE}$")
_OFFICE_ONLY = re.compile(rf"(?:[Tt]he[ \t]+)?{OFFICE}")
_ACRONYM = re.compile(r"[A-Z][A-Za-z]?[A-Z]{1,4}")
_LEADING_TITLE = re.compile(rf"^(?:[Tt]he[ \t]+)?(?:{OFFICE_TITLE}[ \t]+)?")
# The titles a group of voters goes by: "Against (5): Alderman Gawley; Councillors Lavery and Quinn".
GROUP_TITLE = (r"(?:Councill?ors?|Aldermen|Alderman|Cllrs?\.?|Crs?\.?|Members?|Trustees?|Supervisors?|Commissioners?|"
               r"Directors?|Governors?)")
_SPLIT = re.compile(rf"[ \t]*(?:,|&|/|\band\b|;(?=[ \t]*{GROUP_TITLE}\b))[ \t]*(?:and[ \t]+)?")


_REACH = 200  # characters before its verb that a list of names may take ("Cllr X, Cllr Y and Cllr Z agreed")
_TAIL = 240  # characters after the verb that such a pattern may still read


def name_led(pattern: re.Pattern[str], verb: re.Pattern[str], text: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
    """Matches of a pattern that opens with a name and turns on a verb ("X seconded", "X agreed to").

    A name can start anywhere, so such a pattern is tried only in a short window before each
    place its verb occurs, which keeps a long line (a flattened table, a transcript) linear.
    """
    done = lo
    for v in verb.finditer(text, lo, hi):
        if v.start() < done:
            continue
        start = max(done, v.start() - _REACH)
        if start > done:
            start = max(done, text.rfind(" ", done, start) + 1)  # not from the middle of a name
        m = pattern.search(text, start, min(hi, v.end() + _TAIL))
        if m and m.start() <= v.start() < m.end():
            done = m.end()
            yield m


def bare_name(person: str) -> str:
    """The person without the office written before the name: "Councillor O'Donoghue" -> "O'Donoghue"."""
    person = " ".join(person.split()).strip(" ,;:")
    if person.endswith(".") and not re.search(rf"(?:\b[A-Z]|{HONORIFIC})$", person):
        person = person[:-1]  # the full stop of the sentence, not of an initial ("K.")
    bare = _LEADING_TITLE.sub("", person)
    return bare if re.search(r"[A-Za-z]", bare) else person


def split_people(people: str) -> list[str]:
    """The people of a PEOPLE match, one each, titles dropped."""
    out: list[str] = []
    for part in _SPLIT.split(people):
        name = bare_name(part)
        if name and not is_collective(name):
            out.append(name)
    return out


def names_someone(name: str) -> bool:
    """Whether a bare name surely names a person or office ("Clerk", "KN", "Jo Bruce", "Mr Smith"), not a
    capitalised word that opens a sentence ("Work to improve ...")."""
    name = name.strip()
    if re.match(r"[A-Z][a-z]{3,}ing\b", name):
        return False  # "Authorizing Finance Director to draw warrants": an agenda line, not a task given
    return bool(
        _OFFICE_ONLY.fullmatch(name) or _ACRONYM.fullmatch(name) or re.match(rf"{HONORIFIC}[ \t]", name)
        or len(re.findall(r"\b[A-Z\u00c0-\u00de][\w'\u2019-]*", name)) >= 2
    )


def is_collective(name: str) -> bool:
    return bool(_COLLECTIVE.search(name.strip()))
