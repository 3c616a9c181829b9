"""How minutes say a motion was proposed and seconded, what was moved, and what the meeting resolved.

Each reader returns ``Said`` pieces (see ``votes.py``) for ``motions.py`` to group. The forms read:
"Proposed by Councillor X;" / "Seconded by Councillor Y;", "Proposed. Cllr X, Seconded Cllr Y, all agreed",
"Prop. AB, 2nd CD", "Moved by X to adopt", "Moved: Cr X", "Motion by X, second by Y", "A motion was made by X
and seconded by Y to ...", "X moved, seconded by Y, to adopt ...", "The report was proposed by X, seconded by Y, and agreed",
"On (Upon) the proposal of X, seconded by Y, it was agreed to ...", "Cllr X proposed ..., Cllr Y seconded",
"The Motion was seconded by ...", notices of motion ("I will move at the next Meeting that ..."),
"RESOLVED that ...", "DECISION: ...", "It was agreed that ...", "The Panel agreed ...".
"""
from __future__ import annotations

import re

from ingest.names import COLLECTIVE, PERSON, bare_name, name_led
from ingest.spans import Minutes
from ingest.votes import RESULT_TAIL, Said

_BEFORE = 300  # characters before a proposal read for what it moved ("The report, as circulated, was proposed")
_AFTER = 600  # characters after "X proposed" read for its seconder and result

_SECOND = (
    rf"(?:[ \t]*(?:[,;.][ \t]*)?(?:and[ \t]+)?(?:(?:this|which|it)[ \t]+was[ \t]+)?(?:[Ss]econded|SECONDED|[Ss]econder(?=[ \t]*:)|2nd)"
    rf"(?:[ \t]*(?:by|BY)(?![a-z]))?[ \t.:;,-]*(?P<seconder>{PERSON}))"
)
_PROPOSED = re.compile(  # "Proposed by Councillor X;", "Proposed. Cllr X, Seconded Cllr Y, all agreed", "Prop. AB, 2nd CD"
    # "... was approved, proposed by X and seconded by Y": lower case after a comma too, when "by" follows.
    rf"(?<![\w])(?:Proposed|PROPOSED|Proposer(?=[ \t]*:)|PROPOSER(?=[ \t]*:)|Prop\b\.?|(?<=\()proposed|(?<=,[ \t])proposed(?=[ \t]+by\b))(?P<by>[ \t]*(?:by|BY)(?![a-z]))?(?P<sep>[ \t.:;,-]*)(?P<mover>{PERSON})"
    rf"{_SECOND}?{RESULT_TAIL}?"
)
_MOVED = re.compile(  # US "Moved by X to adopt", "Moved by X and seconded by Y", "Motion by X, second by Y",
    # "A motion was made by X and seconded by Y to approve ...";
    # Australian "Moved: Cr X"
    rf"(?<![\w])(?:(?:Moved|MOVED)(?P<by>[ \t]+(?:by|BY))?(?:[ \t]*:[ \t]*|[ \t]+)"
    rf"|(?<!On a )(?<!Upon a )(?<!on a )(?<!upon a )(?:[Mm]otion|MOTION)[ \t]+(?:was[ \t]+)?(?:made[ \t]+)?by[ \t]+"
    # a US council's "Motion: Baptiste. Second: Schultz." and "Motion to deny: Schultz."
    rf"|(?<![^\n])[ \t]*(?:Motion|MOTION)(?:[ \t]+to[ \t]+[a-z][^:\n]{{0,60}}?)?[ \t]*:[ \t]*"
    # "M/S/C (Ellis/Moreno) to approve ...", "It was moved and seconded (Jim Taylor / Ann Lowe) that ..."
    rf"|(?P<pair>\bM/S(?:/C)?|\bMSC|\b[Mm]oved[ \t]+and[ \t]+seconded"
    # "Motion to approve (Smith/Jones) carried unanimously."
    rf"|\b(?:Motion|MOTION)[ \t]+to[ \t]+[a-z][^()\n]{{0,60}}?(?=[ \t]*\([^()\n/]{{1,40}}/[^()\n/]{{1,40}}\)))"
    rf"[ \t]*:?[ \t]*\(?[ \t]*(?=[^\n/]{{1,60}}/))"
    rf"(?P<mover>{PERSON})(?:(?:[ \t]+and[ \t]+seconded|[ \t]*,[ \t]*(?:and[ \t]+)?second(?:ed)?)[ \t]+by[ \t]+"
    rf"(?P<seconder>{PERSON})"
    rf"|[ \t]*[.;,/]?[ \t]+(?:Second|SECOND|Seconded|SECONDED)[ \t]*:[ \t]*(?P<second2>{PERSON})"
    rf"|(?(pair)[ \t]*/[ \t]*(?P<second3>{PERSON})[ \t]*\)?))?"
)
_MOTION_BELOW = re.compile(r"(?:[ \t,;/]*(?:Seconded|SECONDED)\b[^\n]*)?[ \t]*:?[ \t]*\n(?:[ \t]*(?:Seconded|SECONDED)\b[^\n]*\n)?"
                           r"[ \t]*(?P<what>(?:That|THAT)\b[^\n]+)")
# "... and agreed by all the Members that ...", "... seconded by Y and RESOLVED to note the report"
_FORWARD = re.compile(r"(?:[ \t]+by[ \t]+all(?:[ \t]+the)?[ \t]+\w+)?[ \t]+(?=that\b)|(?<=RESOLVED|resolved)[ \t]+(?=to[ \t]+[a-z])")
_MOTION_PREFIX = re.compile(r"\bMotion[ \t]+(?P<what>to[ \t][^:\n]{1,150}):[ \t]*$")
_PASSIVE = re.compile(  # "The report, as circulated, was proposed by X, seconded by Y, and agreed."
    rf"\b(?:was|were|being|been)[ \t]+(?:duly[ \t]+)?(?:proposed|moved|nominated)(?:[ \t]+as[ \t]+a[ \t]+(?:true|correct)[ \t]+record)?"
    rf"[ \t]+by[ \t]+(?P<mover>{PERSON}){_SECOND}?{RESULT_TAIL}?"
)
_ON_PROPOSAL = re.compile(  # Irish "On the proposal of X, seconded by Y, it was agreed to ..."
    rf"\b(?:On|Upon|upon)[ \t]+(?:the|a)[ \t]+(?:proposal|motion)[ \t]+(?:(?:duly[ \t]+)?made[ \t]+)?(?:of|by|from)[ \t]+(?P<mover>{PERSON}){_SECOND}[ \t]*(?:,[ \t]*)?"
    r"(?:it[ \t]+was[ \t]+(?:unanimously[ \t]+)?(?P<verb>agreed|resolved|decided|proposed)"
    r"|the[ \t]+\w+(?:[ \t]+\w+)?[ \t]+(?:(?:was|were)[ \t]+)?(?P<verb2>approved|agreed|resolved|adopted|decided|awarded|granted|accepted"
    r"|voted(?:[ \t]+(?:by[ \t]+)?(?P<count>\d{1,2}[ \t]*(?:to|-|\u2013)[ \t]*\d{1,2}))?))\b[ \t]*"
)
_ACTIVE = re.compile(  # "Cllr X proposed approval of ..., Cllr Y seconded it, all agreed"
    rf"(?P<mover>{PERSON})[ \t]+(?:formally[ \t]+|also[ \t]+|then[ \t]+)?(?P<verb>proposed|moved|nominated|made[ \t]+(?:a|the)[ \t]+motion)"
    rf"(?:[ \t]+(?!by\b)|(?=,))"
)
# The verbs that the name-led patterns turn on (see ``names.name_led``).
_ACTIVE_VERB = re.compile(r"\b(?:proposed|moved|nominated|made[ \t]+(?:a|the)[ \t]+motion)\b")
_SECONDED_VERB = re.compile(r"[Ss]econded|SECONDED")
_MOVED_WHAT = re.compile(r"(?i:that\b|(?:the[ \t]+)?(?:adoption|approval|acceptance|motion|amendment|recommendation|resolution)\b"
                         r"|to[ \t]+(?:adopt|approve|accept|defer|amend|receive|note|refer|deny|reject|refuse|grant|award"
                         r"|authori[sz]e|waive|table|postpone|rescind|ratify|endorse|suspend|adjourn|continue|appoint"
                         r"|allocate|ask|request|direct|instruct|recommend|confirm|remove|approve)\b)")
_ACTIVE_SECOND = re.compile(
    rf"[ \t]*(?:,[ \t]*and\b|,|;|\band\b)[ \t]*(?:(?:this|which|it)[ \t]+was[ \t]+)?(?:seconded[ \t]+by[ \t]+(?P<s1>{PERSON})"
    rf"|(?P<s2>{PERSON})[ \t]+seconded\b(?:[ \t]+(?:it|the[ \t]+(?:motion|proposal)))?){RESULT_TAIL}?"
)
_ACTIVE_RESULT = re.compile(
    r"[ \t]*(?:,|;|\band\b)[ \t]*(?P<result>(?i:all[ \t]+agreed|all[ \t]+in[ \t]+favou?r|agreed[ \t]+by[ \t]+all"
    r"|carried(?:[ \t]+unanimously)?|unanimously[ \t]+agreed))\b"
)
_SECONDED = re.compile(
    rf"(?:(?<![\w])(?:[Ss]econded|SECONDED|Seconder(?=[ \t]*:)|SECONDER(?=[ \t]*:))(?:[ \t]+(?:by|BY))?[ \t]*(?::[ \t]*)?(?P<s1>{PERSON})"
    rf"|(?P<s2>{PERSON})[ \t]+seconded\b(?![ \t]+by)){RESULT_TAIL}?"
)
_WAS = r"(?:[ \t]+(?:was|were|has[ \t]+been|had[ \t]+been))?"
_BACK = re.compile(rf"(?:^|[ \t,;])(?:and[ \t]+)?(?:this|it|which|this[ \t]+(?:proposal|motion)|the[ \t]+proposal"
                   rf"|the[ \t]+(?:notice[ \t]+of[ \t]+)?motion){_WAS}[ \t]*,?$", re.I)
_NOTICE = re.compile(
    r"\b(?:I|We)[ \t]+(?:will|shall|wish[ \t]+to|would[ \t]+like[ \t]+to|hereby|formally)?[ \t]*(?:move|propose)"
    r"(?:[ \t]+at[ \t]+the[ \t]+next[ \t]+[Mm]eeting)?[ \t]*,?[ \t]+(?=\S)"
)
_PROPOSER = re.compile(rf"\bIn[ \t]+proposing[ \t]+the[ \t]+(?:[Mm]otion|[Nn]otice[ \t]+of[ \t]+[Mm]otion)[ \t]*(?:,[ \t]*)?(?P<mover>{PERSON})")

_RESOLVED = re.compile(r"^(?:And[ \t]+|AND[ \t]+)?(?:RESOLVED|Resolved|(?:AGREED|Agreed)(?=[ \t]*:))(?:[ \t]*[:,\u2013-]|[ \t]+(?=that\b|THAT\b|to\b))"
                       r"[ \t]*(?=\S)")
_DECISION = re.compile(r"^(?:DECISIONS?|Decisions?)[ \t]*:[ \t]*(?=\S)")
_IT_WAS = re.compile(
    r"\b[Ii]t[ \t]+was[ \t]+(?:then[ \t]+|also[ \t]+|further[ \t]+|subsequently[ \t]+)?(?P<unanimous>unanimously[ \t]+)?"
    r"(?:agreed|resolved|decided|RESOLVED|AGREED)\b[ \t]*(?:that[ \t]+|THAT[ \t]+)?(?=\S)"
)
_BODY_DECIDED = re.compile(
    rf"\b(?:[Tt]he[ \t]+)?{COLLECTIVE}[ \t]+(?:then[ \t]+|also[ \t]+|all[ \t]+|therefore[ \t]+)?(?P<unanimous>unanimously[ \t]+)?"
    r"(?:agreed|resolved|decided|approved|endorsed|adopted|supported|recommended|AGREED|RESOLVED)\b"
)
_WORD = re.compile(r"\w")
_NOTICE_REF = re.compile(rf"\b(?:notice[ \t]+of[ \t]+)?motion{_WAS}$", re.I)


def proposal_said(minutes: Minutes, region: int) -> list[Said]:
    """Proposals, seconders and notices of motion in one region, as ``Said`` pieces."""
    text = minutes.text
    said: list[Said] = []
    for lo, hi in minutes.lines(region):
        for m in _PROPOSED.finditer(text, lo, hi):
            if m.group("by") or re.search(r"[.:]", m.group("sep")) or m.group("seconder"):
                said.append(_proposal(minutes, m, lo, hi))
        for m in _MOVED.finditer(text, lo, hi):
            said.append(_moved(minutes, m, hi))
        for m in _PASSIVE.finditer(text, lo, hi):
            said.append(_passive(minutes, m, hi))
        for m in _ON_PROPOSAL.finditer(text, lo, hi):
            unit_end = _unit_end(minutes, m.end(), hi)
            # "the Council voted 5 to 2 to approve": a vote was taken; its count is read as a tally.
            agreed = (m.group("verb") or m.group("verb2") or "proposed").split()[0] not in ("proposed", "voted")
            result = (m.group("verb") or m.group("verb2")) if agreed else None
            said.append(Said(m.start(), m.end(), "anchor", mover=bare_name(m.group("mover")),
                             seconder=bare_name(m.group("seconder")), result=result, tally=m.group("count"),
                             what=(m.end(), unit_end), resolution=agreed))
        for m in name_led(_ACTIVE, _ACTIVE_VERB, text, lo, hi):
            s = _active(minutes, m, hi)
            if s:
                said.append(s)
        for m in name_led(_SECONDED, _SECONDED_VERB, text, lo, hi):
            who = m.group("s1") or m.group("s2")
            before = _before(minutes, m.start(), lo)
            said.append(Said(m.start(), m.end(), "second", seconder=bare_name(who), result=m.group("result"),
                             back=bool(_BACK.search(before)), notice=_names_notice(before)))
        for m in _NOTICE.finditer(text, lo, hi):
            said.append(Said(m.start(), m.end(), "notice", what=(m.end(), _unit_end(minutes, m.end(), hi))))
        for m in _PROPOSER.finditer(text, lo, hi):
            said.append(Said(m.start(), m.end(), "proposer", mover=bare_name(m.group("mover"))))
    return said


def _proposal(minutes: Minutes, m: re.Match[str], lo: int, hi: int) -> Said:
    unit = minutes.unit_at(m.start())
    start = max(minutes.body(unit)[0] if unit else m.start(), m.start() - _BEFORE)
    before = minutes.words(start, m.start()) if start < m.start() else ""
    what = (start, m.start()) if len(before.split()) >= 2 else None
    # "The accounts were accepted (proposed Ann Lowe, seconded Jim Taylor).": the sentence says what was moved.
    said = bool(what) and minutes.text[m.start() - 1:m.start()] == "("
    return Said(m.start(), m.end(), "anchor", mover=bare_name(m.group("mover")),
                seconder=bare_name(m.group("seconder")) if m.group("seconder") else None,
                result=m.group("result"), what=(start, m.start() - 1) if said else what, weak=not said, back=not said)


def _moved(minutes: Minutes, m: re.Match[str], hi: int) -> Said:
    end = _unit_end(minutes, m.end(), hi)
    rest = minutes.words(m.end(), min(end, m.end() + _BEFORE))
    to = re.match(r"[ \t,]*(?=(?:to|that)\b)", rest)
    what = (m.end() + to.end(), end) if to else None
    weak = False
    unit = minutes.unit_at(m.start())
    if not what and unit:  # "APPROVING AGENDA, AS PRESENTED: Moved by X." moves what its heading says
        start = max(minutes.body(unit, title=False)[0], m.start() - _BEFORE)
        if len(minutes.words(start, m.start()).split()) >= 2:
            what, weak = (start, m.start()), True
    if not what:   # "Moved: Cr Nguyen\nSeconded: Cr Walsh\nThat Council adopt ...": the motion on the lines below
        below = _MOTION_BELOW.match(minutes.text, m.end(), min(len(minutes.text), m.end() + _AFTER))
        if below:
            what = (below.start("what"), below.end("what"))
    look = max(0, m.start() - 160)
    prefix = _MOTION_PREFIX.search(minutes.words(look, m.start()))
    start = m.start()
    if prefix:  # "Motion to accept the substitute ordinance: Moved by ..."
        what, start = (look + prefix.start("what"), look + prefix.end("what")), look + prefix.start()
    second = m.group("seconder") or m.group("second2") or m.group("second3")
    return Said(start, m.end(), "anchor", mover=bare_name(m.group("mover")),
                seconder=bare_name(second) if second else None, what=what, weak=weak,
                lists=minutes.text[end - 1:end] == ":")


def _passive(minutes: Minutes, m: re.Match[str], hi: int) -> Said:
    """ "The report, as circulated, was proposed by X, seconded by Y, and agreed": what comes before the verb."""
    unit = minutes.unit_at(m.start())
    clause_start = minutes.body(unit)[0] if unit else m.start()
    clause_start = min(max(clause_start, m.start() - _BEFORE), m.start())
    before = minutes.words(clause_start, m.start())
    end = _unit_end(minutes, m.end(), hi)
    s = Said(m.start(), m.end(), "anchor", mover=bare_name(m.group("mover")),
             seconder=bare_name(m.group("seconder")) if m.group("seconder") else None, result=m.group("result"))
    forward = _FORWARD.match(minutes.text, m.end(), end)
    back = _BACK.search(before)
    if back:  # quote "this was proposed by", "it was proposed by", not just "was proposed by"
        s.start = clause_start + back.start() + len(back.group()) - len(back.group().lstrip(" \t,;"))
    if forward:  # "it was proposed by X and agreed by all the Members that ..."
        s.what = (forward.end(), end)
    elif _names_notice(before):
        s.notice = True
    elif back:  # "It was proposed to approve ..., this was proposed by X"
        clause = before[:back.start()].rstrip(" ,")
        if len(clause.split()) >= 3:
            s.what = (clause_start, clause_start + len(clause))
        else:
            s.back = True
    elif before.strip():
        cut = before.rfind(", ") + 2 if len(before.split()) > 12 and ", " in before else 0
        s.what = (clause_start + cut, clause_start + len(before.rstrip(" ,")))
    else:
        s.back = True
    return s


def _active(minutes: Minutes, m: re.Match[str], hi: int) -> Said | None:
    end = _unit_end(minutes, m.end(), hi)
    seconded_first = _ACTIVE_SECOND.match(minutes.text, m.end())   # "X moved, seconded by Y, to adopt ..."
    if m.group("verb") == "moved" and not _MOVED_WHAT.match(minutes.text, m.end()) and not seconded_first:
        return None  # "moved the bench": moved somewhere, not moved a motion
    second = _ACTIVE_SECOND.search(minutes.text, m.end(), min(end, m.end() + _AFTER))
    what_end = second.start() if second else end
    what = (m.end(), what_end) if what_end > m.end() else None
    if seconded_first:
        # "X moved, seconded by Y, to adopt ...", "X moved, and Y seconded, an amendment to limit ..."
        after = re.match(r"[ \t]*,?[ \t]*(?=(?:to|that|an?[ \t]+amendment|the[ \t]+(?:amendment|motion))\b)",
                         minutes.text[seconded_first.end():end])
        what = (seconded_first.end() + after.end(), end) if after else None
    s = Said(m.start(), second.end() if second else m.end(), "anchor", mover=bare_name(m.group("mover")), what=what)
    if second:
        s.seconder = bare_name(second.group("s1") or second.group("s2"))
        s.result = second.group("result")
        return s
    agreed = _ACTIVE_RESULT.search(minutes.text, m.end(), min(end, m.end() + _AFTER))
    if agreed:  # "The Chair proposed that ... and all agreed"
        s.result, s.end = agreed.group("result"), agreed.end()
        s.what = (m.end(), agreed.start()) if agreed.start() > m.end() else None
    return s


def resolution_said(minutes: Minutes, region: int) -> list[Said]:
    """ "RESOLVED that ...", "DECISION: ...", "It was agreed that ...", "The Panel agreed ..." in one region."""
    said: list[Said] = []
    for unit in minutes.region_units(region):
        start, body = minutes.body(unit)
        for pattern in (_RESOLVED, _DECISION):
            m = pattern.match(body)
            if m:
                nested = _IT_WAS.match(body, m.end())  # "DECISION: It was agreed that ..."
                what = start + (nested.end() if nested else m.end())
                said.append(Said(unit.start, what, "resolution", what=(what, unit.end), resolution=True))
        for m in _IT_WAS.finditer(minutes.text, unit.start, unit.end):
            said.append(Said(m.start(), m.end(), "resolution", what=(m.end(), unit.end), resolution=True))
        for m in _BODY_DECIDED.finditer(minutes.text, unit.start, unit.end):
            if not _WORD.search(minutes.text, m.end(), unit.end):
                continue  # "All Councillors agreed." says no more than that they agreed
            said.append(Said(m.start(), m.end(), "resolution", what=(m.start(), unit.end), resolution=True))
    return said


# --- where what was moved is written ---------------------------------------------------------


def _before(minutes: Minutes, offset: int, line_start: int) -> str:
    unit = minutes.unit_at(offset)
    start = max(line_start, unit.start if unit else line_start, offset - _BEFORE)
    return minutes.words(start, offset)


def _unit_end(minutes: Minutes, offset: int, line_end: int) -> int:
    unit = minutes.unit_at(max(0, offset - 1))
    return min(line_end, unit.end) if unit else line_end


def _names_notice(before: str) -> bool:
    return bool(_NOTICE_REF.search(before.strip(" ,")))


def sentence_before(minutes: Minutes, offset: int) -> tuple[int, int] | None:
    """The sentence before ``offset`` on the same line, which a "this was seconded" refers to."""
    unit = minutes.unit_at(offset)
    if unit is None:
        return None
    n = minutes.unit_index(unit)
    if n == 0:
        return None
    prev = minutes.units[n - 1]
    if prev.region != unit.region or "\n" in minutes.words(prev.end, unit.start):
        return None
    start, _ = minutes.body(prev)
    return start, prev.end
