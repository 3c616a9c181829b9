"""Actions: who is to do what by when, from "Action:" lines, action logs and the sentences that give someone
a task.

``find_actions`` reads the "Action:" lines ("Action: Clerk to ...", "... meeting. ACTION: Treasurer", the task
then the sentence before the label) and the rows of an action log (a table headed "Action | Owner | Due")
that make up ``Meeting.actions``. ``action_facts``
reads those and also "The Clerk agreed to ...", "X to do Y by Z", "X was asked to ...",
"It was agreed that X would ...", each a Fact whose value is the owner and detail the due date.
"""
from __future__ import annotations

import re

from ingest.dates import resolve_due
from ingest.items import item_at
from ingest.model import Action, AgendaItem, CleanText, Fact
from ingest.names import PEOPLE, TITLE, bare_name, is_collective, name_led, names_someone, split_people
from ingest.spans import Minutes
from ingest.words import MONTH_NAMES, WEEKDAY_NAMES

# "Action: Clerk to write ..." on a line of its own or after the sentence it follows up ("... Action – SG to
# invite the auditor by 31 October.").
_ACTION_LINE = re.compile(r"(?:^|(?<=[.!?][ \t]))[ \t]*(?:Actions?|ACTIONS?)(?:[ \t]+(?:[Pp]oints?|POINTS?))?"
                          r"(?:[ \t]*\((?P<who>[^()\n]{1,40})\))?\s*[:\-\u2013]\s*(?P<body>.+)$", re.M)
# "ACTION: JB – order the bins – 15 March 2024": who, what and when set apart by dashes.
_DASHED = re.compile(r"(?P<owner>[A-Z][\w.'\u2019&/]*(?:\s+[A-Z][\w.'\u2019&/]*){0,3})\s+[\u2013\u2014-]\s+(?P<what>.+?)"
                     r"(?:\s+[\u2013\u2014-]\s+(?P<when>[^\u2013\u2014]+?))?\.?$")
# "The Treasurer will draft a revised policy. ACTION: Treasurer": the label names only who; the sentence
# before it on the line says what.
_OWNER_ONLY = re.compile(r"[A-Z][\w.'\u2019&/]*(?:\s+(?:and\s+|&\s+)?[A-Z][\w.'\u2019&/]*){0,3}\.?")
# "Action by: Treasurer" with "Target date: 31 January 2025" on the next line, under the decision it carries out.
_ACTION_BY = re.compile(r"^[ \t]*Action[ \t]+by[ \t]*:[ \t]*(?P<who>[^\n]{2,80})\n[ \t]*(?:Target[ \t]+date|Due(?:[ \t]+date)?|"
                        r"Deadline|By[ \t]+when)[ \t]*:[ \t]*(?P<when>[^\n]{2,80})", re.M | re.I)
_ACTIONS_HEADING = re.compile(r"^[ \t]*(?:(?i:summary[ \t]+of[ \t]+)?(?:ACTIONS?|Actions?)(?:[ \t]+(?i:points|log|arising|agreed))?)"
                              r"[ \t]*:?[ \t]*$", re.M)
_LISTED_ACTION = re.compile(r"\n[ \t]*(?:\d{1,2}[.)]|[-*\u2022])[ \t]+(?P<owner>[A-Z][^\n\u2013\u2014]{1,80}?)[ \t]+[\u2013\u2014-][ \t]+"
                            r"(?P<what>[a-z][^\n]*?)(?:[ \t]+[\u2013\u2014-][ \t]+(?P<when>(?i:by|before|no[ \t]+later[ \t]+than)"
                            r"[^\n]+?))?\.?[ \t]*(?=\n|$)")
_DECISION_LABEL = re.compile(r"^(?:Decision|Resolved|Agreed)[ \t]*:[ \t]*", re.I)
# An action log as a table: a header row naming the action and its owner, then one row per action.
_TABLE_HEAD = re.compile(r"^(?=[^\n]*\t)(?=[^\n]*\b(?:Actions?|Task|What)\b)(?=[^\n]*\b(?:Owner|Who|Lead|By\s+whom|Responsible)\b)"
                         r"[^\n]+$", re.M | re.I)
_OWNER = re.compile(r"^(?P<owner>[A-Z][\w.'\u2019&/]*(?:\s+(?:and\s+)?[A-Z][\w.'\u2019&/]*){0,4})\s+to\s+\w")
_DUE = re.compile(r"\b(?:by|before|no later than)\s+(?P<due>[^.;]+?)\s*(?=[.;]?\s*$|\s(?:by|before)\s)", re.I)

_WHEN = re.compile(  # words that can say when: "by 4 November", "by the July meeting", "by the end of the year"
    rf"\d|\b(?:{'|'.join(MONTH_NAMES + WEEKDAY_NAMES)}|meeting|week|month|year|end|next|close|spring|summer|autumn|winter"
    r"|tomorrow|today|date|quarter|deadline)\b", re.I)
_UNDERTAKES = r"(?:agreed|undertook|offered|volunteered|promised)[ \t]+to"
_AGREED_TO = re.compile(rf"(?P<owner>{PEOPLE})[ \t]+(?:has[ \t]+|had[ \t]+|also[ \t]+)?{_UNDERTAKES}[ \t]+(?!be\b)(?=[a-z])")
_ASKED_TO = re.compile(rf"(?P<owner>{PEOPLE})[ \t]+(?:was|were)[ \t]+(?:asked|requested|instructed|tasked)[ \t]+to[ \t]+(?!be\b)(?=[a-z])")
_WOULD = re.compile(
    rf"\bagreed[ \t]+that[ \t]+(?:the[ \t]+)?(?P<owner>{PEOPLE})[ \t]+(?:would|should|will|is[ \t]+to|are[ \t]+to)[ \t]+(?!be\b)(?=[a-z])"
)
# "Clerk to chase ...", "KN to send details ...": a task at the start of a sentence or clause (not after
# "the Mill Manager, Gavin Berry to advise ...", where the name only says who the manager is).
_TO_DO = re.compile(rf"(?P<owner>{PEOPLE})[ \t]+to[ \t]+(?!be\b|the\b|an?\b)(?=[a-z]+\b)")
# "The Clerk will contact the highways department": a task said in the future tense, read like "X to do" at
# the start of a sentence or clause, by someone named (not "The Council will ...", a body's intent).
_WILL = re.compile(rf"(?P<owner>{PEOPLE})[ \t]+(?:will|is[ \t]+to)[ \t]+(?!be\b|have\b|need\b|not\b|also\b)"
                   rf"(?=[a-z]+[ \t]+(?:the|a|an|to|with|on|all|any|this|that|these|those|them|him|her|up|out|back)\b)")


_TASK = 300  # characters of a task read for its due date
_CLAUSE = re.compile(r"[,;:][ \t]+")
_VERBS = {_AGREED_TO: re.compile(_UNDERTAKES), _ASKED_TO: re.compile(r"asked|requested|instructed|tasked"),
          _WOULD: re.compile(r"agreed[ \t]+that")}


_NO_TASK = re.compile(r"\s*(?:the|this|that|it|these|those)\b", re.I)


def find_actions(text: CleanText, items: list[AgendaItem], meeting_date: str | None) -> list[Action]:
    """The "Action:" lines and the rows of an action table, each with its owner, due date, item and page."""
    actions: list[Action] = []
    for start, _, body, owner, when in _labelled(text.text):
        item = item_at(items, start)
        actions.append(Action(text=body, owner=owner, due=due(when, meeting_date), item=item.number if item else None,
                              page=text.page_at(start)))
    return actions


def _labelled(text: str) -> list[tuple[int, int, str, str | None, str]]:
    """(start, end, what, owner, words giving when) of each "Action:" line and action-table row."""
    found = []
    for m in _ACTION_LINE.finditer(text):
        body = m.group("body").strip()
        start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
        if _OWNER_ONLY.fullmatch(body) and text[:start].strip():
            # The task is the sentence just before the label, on its line or the line above.
            line = text.rfind("\n", 0, start) + 1
            if not text[line:start].strip():
                line = text.rfind("\n", 0, max(line - 1, 0)) + 1
            before = text[line:start].rstrip()
            cut = before.rfind(". ", 0, len(before) - 1)
            sentence = cut + 2 if cut >= 0 else 0
            what = before[sentence:]
            if what and not _TABLE_HEAD.match(what):
                found.append((line + sentence, m.end(), what, body.rstrip("."), what))
                continue
        parts = [p for p in re.finditer(r"[^;]+", body) if p.group().strip()]
        if len(parts) > 1 and all(_OWNER.match(p.group().strip()) for p in parts):
            # "Actions: Cllr Brown to contact the police; Clerk to write to the landowner." - one each
            at = start + len(m.group(0).lstrip()) - len(m.group("body"))
            for p in parts:
                what = p.group().strip()
                lead = len(p.group()) - len(p.group().lstrip())
                found.append((at + p.start() + lead, at + p.start() + lead + len(what), what,
                              _OWNER.match(what).group("owner"), what))
            continue
        if m.group("who"):   # "Action (Clerk): order the bins by 1 April."
            found.append((start, m.end(), body, m.group("who").strip(), body))
            continue
        dashed = _DASHED.fullmatch(body)
        if dashed and not _OWNER.match(body):
            when = dashed.group("when") or ""
            found.append((start, m.end(), body, dashed.group("owner"), f"by {when}" if when else dashed.group("what")))
            continue
        owner = _OWNER.match(body)
        found.append((start, m.end(), body, owner.group("owner") if owner else None, body))
    for m in _ACTION_BY.finditer(text):
        # "Decision: ... / Action by: Treasurer / Target date: 31 January 2025": the task is the line above.
        line_end = text.rfind("\n", 0, m.start())
        line = text.rfind("\n", 0, max(line_end, 0)) + 1
        what = _DECISION_LABEL.sub("", text[line:max(line_end, line)].strip())
        if what and not _ACTION_LINE.match(what):
            found.append((line, m.end(), what, m.group("who").strip().rstrip("."), f"by {m.group('when')}"))
    for head in _ACTIONS_HEADING.finditer(text):
        # "SUMMARY OF ACTIONS" over "1. Committee Clerk (Ms. Rose Ouko) - draft report on the petition - by 14th
        # March 2024.": one numbered line an action, who, what and by when set apart by dashes
        for m in _LISTED_ACTION.finditer(text, head.end()):
            if text[head.end():m.start()].strip():
                break
            found.append((m.start("owner"), m.end(), m.group("what").strip(), m.group("owner").strip(),
                          m.group("when") or m.group("what")))
            head = m
    for head in _TABLE_HEAD.finditer(text):
        columns = [c.strip().lower() for c in head.group(0).split("\t")]
        what_col = next((i for i, c in enumerate(columns) if re.match(r"actions?|task|what", c)), None)
        who_col = next((i for i, c in enumerate(columns) if re.match(r"owner|who|lead|by whom|responsible", c)), None)
        when_col = next((i for i, c in enumerate(columns) if re.match(r"due|by when|deadline|date|when|target", c)), None)
        if what_col is None or who_col is None:
            continue
        pos = head.end() + 1
        rows = 0
        for row in text[pos:].split("\n"):
            cells = row.split("\t")
            if not row.strip() and not rows:
                pos += len(row) + 1       # the blank line a table's delimiter row leaves
                continue
            if len(cells) != len(columns) or not cells[what_col].strip():
                break
            rows += 1
            when = cells[when_col].strip() if when_col is not None else ""
            found.append((pos, pos + len(row), cells[what_col].strip(), cells[who_col].strip() or None,
                          f"by {when}" if when else ""))
            pos += len(row) + 1
    return sorted(found)


def due(body: str, meeting_date: str | None) -> str | None:
    """The deadline after the last "by" that gives a date, as ISO; None where none does ("by the July meeting",
    "by district from November 2023"): those words stay in the action's text, where a reader sees them."""
    phrases = [m.group("due").strip() for m in _DUE.finditer(body) if _WHEN.search(m.group("due"))]
    for words in reversed(phrases):
        iso = resolve_due(words, meeting_date)
        if iso:
            return iso
    return None


def action_facts(minutes: Minutes, meeting_date: str | None) -> list[Fact]:
    facts: list[Fact] = []
    taken: set[int] = set()  # units already read as an "Action:" line
    text = minutes.text
    for start, end, body, owner, when in _labelled(text):
        span = minutes.span(start, end)
        facts.append(minutes.fact("action", owner or body, span, detail=due(when, meeting_date)))
        taken.update(range(span[0], span[1]))
    for unit in minutes.units:
        if unit.start in taken:
            continue
        start, body = minutes.body(unit)
        sentence = text[start:unit.end]
        found = sorted(((m, pattern) for pattern in (_AGREED_TO, _ASKED_TO, _WOULD, _TO_DO, _WILL)
                        for m in _matches(pattern, sentence)), key=lambda mp: mp[0].start())
        for n, (m, pattern) in enumerate(found):
            owner = m.group("owner")
            if pattern in (_TO_DO, _WILL) and _after_a_name(sentence, m.start()):
                continue
            if is_collective(bare_name(owner)) and pattern is not _TO_DO:
                continue  # "The Councillors agreed to ..." is a decision, read as a resolution
            value = _owner_value(owner)
            people = split_people(owner)
            # A task ends where the sentence gives the next one ("Clerk to ..., Mr Collins to ...").
            task_end = found[n + 1][0].start() if n + 1 < len(found) else m.end() + _TASK
            task = sentence[m.end():min(task_end, m.end() + _TASK)].rstrip(" ,;")
            # "Cllr Jones agreed to ...": the title says a surname alone is someone, where a task follows
            # ("Cllr Jones agreed to the minutes being signed" is consent, not a task).
            if value and (all(names_someone(p) for p in people or [value])
                          or (len(people) <= 1 and re.match(rf"{TITLE}[ \t]", owner.strip())
                              and not _NO_TASK.match(task))):
                facts.append(minutes.fact("action", value, minutes.span(unit.start, unit.end),
                                          detail=due(task, meeting_date)))
    return facts


def _matches(pattern: re.Pattern[str], sentence: str) -> list[re.Match[str]]:
    """Matches of a name-led pattern, tried only where it can begin: just before its verb, or (for "X to do")
    at the start of a sentence or clause."""
    if pattern in (_TO_DO, _WILL):
        starts = [0] + [m.end() for m in _CLAUSE.finditer(sentence)]
        found = (pattern.match(sentence, start) for start in starts)
        return [m for m in found if m]
    return list(name_led(pattern, _VERBS[pattern], sentence, 0, len(sentence)))


def _after_a_name(sentence: str, start: int) -> bool:
    """ "sent to the Mill Manager, Gavin Berry to advise ...": after a comma that follows a capitalised word the
    name says who someone is; it gives no one a task."""
    before = sentence[max(0, start - 60):start].rstrip()
    word = re.search(r"(\S+),$", before)
    return bool(word) and word.group(1)[:1].isupper()


def _owner_value(owner: str) -> str | None:
    """The owner as written, without a leading "the" ("the Clerk" -> "Clerk")."""
    value = re.sub(r"^[Tt]he[ \t]+", "", " ".join(owner.split())).strip(" ,;")
    return value if re.search(r"[A-Za-z]", value) else None
