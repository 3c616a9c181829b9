"""How minutes record a vote: its result, its tally and who voted against, passed, abstained or was absent.

Each reader returns ``Said`` records: what one clause says about a motion, with the words
that say it. ``motions.py`` groups them into motions. The patterns are written for minutes
in general: UK ("all agreed", "4 in favour, 2 against"), Irish ("And Resolved:") and US
("Motion Carried 6-1. Nays: Daniels. Pass: Flagg. Absent: Vlassis.", "(Y-5)").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.names import GROUP_TITLE, PERSON, bare_name, name_led, split_people
from ingest.spans import Minutes, tidy


@dataclass
class Said:
    """What one clause says about a motion; ``start``/``end`` are the words that say it."""

    start: int
    end: int
    role: str  # "anchor", "second", "result", "tally", "votes", "resolution", "notice", "proposer"
    mover: str | None = None
    seconder: str | None = None
    result: str | None = None
    tally: str | None = None
    votes: list[tuple[str, str]] = field(default_factory=list)  # (fact kind, person)
    what: tuple[int, int] | None = None  # where what was moved or resolved is written
    weak: bool = False  # ``what`` is only the words before "Proposed by" (a heading, say)
    back: bool = False  # "this was seconded by ...": what was moved is said just before
    notice: bool = False  # "The Motion was proposed by ...": what was moved is the notice of motion
    awaits: bool = False  # "And Resolved:": the next line says what was resolved
    resolution: bool = False  # ``what`` is also a resolution of the meeting
    opens: bool = True  # may start a motion of its own (a bare "(Y-5)" may not)
    lists: bool = False  # "Moved by X to address ... as follows:": a list follows before the result


_RESULT_WORDS = (
    r"(?i:all[ \t]+(?:agreed|in[ \t]+favou?r)|(?:unanimously[ \t]+)?(?:carried|agreed|adopted|approved|resolved|accepted)"
    r"(?:[ \t]+(?:unanimously|nem\.?[ \t]*con\.?))?)"
)
# A result said at the end of a proposal: "..., seconded by Cllr Y, all agreed".
RESULT_TAIL = rf"(?:[ \t]*(?:[,;][ \t]*)?(?:and[ \t]+)?(?P<result>{_RESULT_WORDS})\b)"

_MOTION_RESULT = re.compile(
    r"\b(?P<result>(?:[Mm]otion|MOTION)[ \t]+(?:was[ \t]+|WAS[ \t]+)?(?:[Cc]arried|CARRIED|[Ff]ailed|FAILED|[Ll]ost|LOST"
    r"|[Dd]efeated|DEFEATED|[Ww]ithdrawn|WITHDRAWN|[Pp]assed|PASSED|[Aa]pproved|APPROVED|[Aa]dopted|ADOPTED))\b"
    # "Motion carried 6-1", "Motion carried unanimously (4-0)"
    r"(?:(?:[ \t]+(?:unanimously|UNANIMOUSLY))?[ \t]*\(?(?P<tally>\d{1,2}(?:-\d{1,2}){1,3})\b\)?)?"
)
_PUT_TO_VOTE = re.compile(
    r"\b(?i:the[ \t]+(?:motion|proposal|amendment|resolution|recommendation)[ \t]+was[ \t]+(?:then[ \t]+)?"
    # "... was put to the vote by a show of hands and was declared LOST 3-4."
    r"(?:put[ \t]+to[ \t]+the[ \t]+vote(?:[ \t]+by[ \t]+(?:a[ \t]+)?show[ \t]+of[ \t]+hands)?[ \t]+and[ \t]+(?:was[ \t]+)?)?"
    r"(?:declared[ \t]+)?)"
    r"(?P<result>(?i:carried|lost|defeated|agreed|adopted|approved|withdrawn|unanimous|passed|rejected|fell)"
    r"(?:[ \t]+unanimously)?)\b(?:[ \t]*\(?(?P<tally>\d{1,2}[ \t]*[\u2013-][ \t]*\d{1,2})\b\)?)?"
)
_BARE_RESULT = re.compile(
    r"^(?P<result>(?i:carried|agreed|lost|defeated)(?:[ \t]+(?i:unanimously|nem\.?[ \t]*con\.?))?"
    r"|(?i:all[ \t]+in[ \t]+favou?r)|(?i:unanimously[ \t]+(?:agreed|carried)))"
    # "CARRIED 4/1", "Carried (5-2)": Australian and New Zealand minutes give the count beside it.
    r"(?:[ \t]+\(?(?P<tally>\d{1,2}[ \t]*[/\u2013-][ \t]*\d{1,2})\)?)?[ \t]*[.!]?$"
)
_RESOLVED_ALONE = re.compile(r"^(?:And[ \t]+|AND[ \t]+)?(?P<result>(?:(?i:agreed)[ \t]+(?:and|&)[ \t]+)?(?i:resolved))[ \t]*:?$")
_BY_A = re.compile(r"\bby[ \t]+an?[ \t]+(?P<result>(?:unanimous|majority)[ \t]+(?:decision|vote))\b")

_NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|twenty"
_NUM = rf"(?:(?<![\w\u00a3$\u20ac.,/-])\d{{1,2}}(?![\d%/:-]|[.,]\d)|\b(?i:{_NUMBER_WORDS})\b)"
_VOTES_TO = re.compile(rf"(?:\b(?P<result>(?i:carried|lost|defeated|passed|approved|agreed|rejected|adopted))[ \t]+)?"
                       rf"(?P<count>\bby[ \t]+(?P<tally>{_NUM}[ \t]+votes?[ \t]+to[ \t]+{_NUM}))")
# "CARRIED by 3 votes (Cllrs Okafor, Cartwright and Rao) to 2 (Cllrs Pemberton and Wilde)": who, beside each count
_BY_NAMED = re.compile(rf"\bby[ \t]+{_NUM}[ \t]+votes?[ \t]*\((?P<for>[^()\n]{{2,160}})\)[ \t]+to[ \t]+{_NUM}"
                       r"(?:[ \t]+votes?)?[ \t]*\((?P<against>[^()\n]{2,160})\)")
# "the Council voted 5 to 2 to approve": a count said with the verb.
_MONTHS = r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
_PLAIN_NUM = rf"(?:(?<![\w\u00a3$\u20ac.,/])\d{{1,2}}(?![\d%/:]|[.,]\d)|\b(?i:{_NUMBER_WORDS})\b)"  # "10-2" too
_VOTED_COUNT = re.compile(rf"\bvoted[ \t]+(?:by[ \t]+)?(?P<tally>{_PLAIN_NUM}[ \t]*(?:to|-|\u2013)[ \t]*{_PLAIN_NUM})"
                          rf"(?![ \t]*{_MONTHS})")
_COUNT = rf"{_NUM}[ \t]+(?:(?:were|votes?|members?)[ \t]+)?(?:vot(?:ed|ing)[ \t]+)?"
_IN_FAVOUR = re.compile(
    # "(9 yes, 0 no, 1 abstention)": a works council's count
    rf"(?P<tally>{_COUNT}(?P<side>in[ \t]+favou?r|for|yes(?=[ \t]*,[ \t]*{_NUM}[ \t]+no\b))\b"
    rf"(?P<rest>(?:[ \t]*(?:,|;|and|with)[ \t]*{_COUNT}(?:against|no|abstained|abstentions?|abstaining)\b){{0,2}}))"
)
# "there voted: For 4, Against 2, Abstentions 0" (English councils' recorded counts), "For: 5; Against: 1".
# "In favour: 6. Against: 2. Abstained: 1.", "AYES: 4 NOES: 1 ABSENT: 0".
_LABEL_COUNTS = re.compile(
    r"\b(?P<tally>(?:For|FOR|In[ \t]+favou?r|IN[ \t]+FAVOU?R|Ayes|AYES|Yeas|YEAS)[ \t]*:?[ \t]*\d{1,3}[ \t]*[,;.]?[ \t]*"
    r"(?:Against|AGAINST|Noes|NOES|Nays|NAYS)[ \t]*:?[ \t]*\d{1,3}"
    r"(?:[ \t]*[,;.]?[ \t]*(?:Abstentions?|ABSTENTIONS?|Abstain(?:ed)?|ABSTAIN(?:ED)?|Absent|ABSENT)[ \t]*:?[ \t]*\d{1,3})*)\b")
# "Motion passed on a 4–1 vote (Councilmember Lee opposed).", "carried on a vote of 4 to 1", "Vote: 5-0."
_ON_A_VOTE = re.compile(r"\bon[ \t]+an?[ \t]+(?P<tally>\d{1,2}[ \t]*[\u2013-][ \t]*\d{1,2})[ \t]+vote\b"
                        r"|\bon[ \t]+an?[ \t]+vote[ \t]+of[ \t]+(?P<tally2>\d{1,2}[ \t]*(?:to|[\u2013-])[ \t]*\d{1,2})\b"
                        r"|\b(?:Vote|VOTE)[ \t]*:[ \t]*(?P<tally3>\d{1,2}(?:[ \t]*[\u2013-][ \t]*\d{1,2}){1,3})\b")
_VOTE_UNANIMOUS = re.compile(r"\b(?:Vote|VOTE)[ \t]*:[ \t]*(?P<result>(?i:unanimous(?:ly)?(?:[ \t]+(?:approved|carried|in[ \t]+favou?r))?))")
_OPPOSED = re.compile(rf"\((?P<who>{PERSON}(?:[ \t]*(?:,|and|&)[ \t]*{PERSON}){{0,3}})[ \t]+(?:opposed|dissenting|voting[ \t]+(?:no|against))\)")
_ROLL_TALLY = re.compile(r"\((?P<tally>Y-\d{1,2}(?:[ \t,]*N-\d{1,2})?)\)")
# "Carried, 28 for, 4 against, 2 abstentions.": the result, then its count (read as a tally on its own).
_RESULT_THEN_COUNT = re.compile(r"(?P<result>(?i:carried|agreed|lost|defeated|approved))[ \t]*[,;:][ \t]*"
                                rf"(?={_NUM}[ \t]+(?:for|in[ \t]+favou?r|votes?)\b)")

# The labels of a roll call's lists, matched without regard to case: "Nays: Flagg.", "AYES:", "Abstentions:".
VOTE_LABEL = r"(?:yeas?|ayes?|nays?|noes|pass(?:ed)?|absent|abstain\w*|abstentions?|for|against|in[ \t]+favou?r)"
_LABEL = re.compile(
    r"(?<![\w])(?P<label>Nays|NAYS|Nay|Noes|NOES|Ayes|AYES|Yeas|YEAS|Yea|YEA|Aye|AYE|Pass|PASS|Absent|ABSENT|Abstain(?:ed|ing|s)?"
    r"|Abstentions?|ABSTAIN(?:ED|ING|S)?|Against|AGAINST|Vot(?:ing|ed)[ \t]+[Aa]gainst|Those[ \t]+voting[ \t]+against"
    # "OPPOSED: Directors Fontaine and Gill" under a carried motion (a Canadian board's minutes)
    r"|Opposed|OPPOSED|Dissenting|DISSENTING"
    # "Votes in favour: 6 (...); Votes against: 1 (Cllr Azzopardi)" (a Maltese local council)
    r"|Votes[ \t]+(?:against|in[ \t]+favou?r|for)"
    r"|(?:Voting|VOTING)[ \t]+(?:Aye|AYE|Yea|YEA|Yes|YES|For|FOR|Nay|NAY|No|NO)"
    r"|For|FOR|In[ \t]+[Ff]avou?r|IN[ \t]+FAVOU?R)"
    # "For (12): ...", "Against (5): ...": a recorded vote's count between the label and its colon
    # ... or, in a recorded vote's table, "Nay (1)" and a tab before the names
    r"(?:(?:[ \t]*\(\d{1,3}\))?[ \t]*:|[ \t]*\(\d{1,3}\)\t)"
)
# "Vote: Aye – Ortega, Baptiste; Nay – none.": a roll call's lists headed with a dash.
_DASH_LABEL = re.compile(r"(?<![\w])(?P<label>Ayes?|AYES?|Yeas?|YEAS?|Nays?|NAYS?|Noes|NOES)[ \t]+[\u2013\u2014-][ \t]+(?=[A-Za-z])")
_LABEL_KIND = {"nay": "against", "noe": "against", "aga": "against", "vot": "against", "tho": "against",
               "opp": "against", "dis": "against",
               "pas": "passed", "abs": "abstained", "aye": "voted_for", "yea": "voted_for", "for": "voted_for",
               "in ": "voted_for", "in\t": "voted_for", "yes": "voted_for", "no": "against"}
# "For:" heads many lists ("For: information"); it lists votes only beside a list of those against or abstaining.
_AGAINST_LABEL = re.compile(r"(?<![\w])(?:Nays?|NAYS?|Noes|NOES|Against|AGAINST|Abstain\w*|ABSTAIN\w*|Abstentions?"
                            r"|Opposed|OPPOSED|Dissenting|DISSENTING)"
                            r"(?:(?:[ \t]*\(\d{1,3}\))?[ \t]*:|[ \t]*\(\d{1,3}\)\t)")
_VOTE_COUNT = re.compile(r"[ \t]*\(\d{1,3}\)")
_COUNT_THEN_NAMES = re.compile(r"[ \t]*\d{1,3}[ \t]*\((?P<who>[^()\n]{2,120})\)[ \t.]*")   # "Against: Councillors Adams, Davies and Fox (3)"
# "(5 for, 1 against, 1 abstention (Cllr Clarke))": who abstained or voted against, named after the count.
_NAMED_AFTER_COUNT = re.compile(
    rf"{_NUM}[ \t]+(?P<side>against|abstentions?|abstained|abstaining)[ \t]*\((?P<who>[^()\n]{{2,80}})\)")
_NEXT_LINE = re.compile(r"[ \t]*\n[ \t\n]*([^\n]*)")
# "Against (5): Alderman Gawley; Councillors Lavery and Quinn": a semicolon before another group's title goes on.
_LIST_END = re.compile(rf"(?<![\s.][A-Z])(?<!\bMr|\bMs|\bDr)(?<!\bMrs|\bHon|\bRev|\bEng)(?<!\bProf)\.(?=\s|$)|[*\[]|;(?![ \t]*{GROUP_TITLE}\b)")
_PERSON_VOTE = re.compile(  # people joined by "and" only: "seconded by X, Y abstained" names two roles
    rf"(?P<who>{PERSON}(?:[ \t]+(?:and|&)[ \t]+{PERSON}){{0,3}})[ \t]+(?:(?:has|had)[ \t]+)?(?P<verb>abstained|abstains|abstaining|voted[ \t]+against"
    # "The motion failed 2-2, with Trustees Ellis and Moreno voting no."
    r"|votes[ \t]+against|declined[ \t]+to[ \t]+vote|voted[ \t]+(?:no|nay)|voting[ \t]+(?:against|no|nay)|dissenting|dissented"
    # "Councillors Jacobs and Fraser asked that their votes against be recorded."
    r"|(?:asked|requested|wished)[ \t]+(?:that|for)[ \t]+(?:his|her|their)[ \t]+votes?[ \t]+against)\b"
)
# A roll call taken name by name: "Trustee Ellis – aye; Trustee Moreno – aye; Trustee Whitfield – nay."
_EACH_VOTE = rf"(?P<who>{PERSON})[ \t]*(?:[\u2013\u2014:-]|,)[ \t]*(?P<vote>(?i:aye|yes|yea|nay|no|abstain(?:ed)?|absent))\b"
_EACH_VOTES = re.compile(rf"{_EACH_VOTE}(?:[ \t]*[;,][ \t]*(?:and[ \t]+)?{_EACH_VOTE.replace('?P<who>', '').replace('?P<vote>', '')}){{1,}}")
_EACH_ONE = re.compile(_EACH_VOTE)
_EACH_KIND = {"aye": "voted_for", "yes": "voted_for", "yea": "voted_for", "nay": "against", "no": "against",
              "abstain": "abstained", "abstained": "abstained", "absent": "vote_absent"}
_INTEREST_ABSTAINS = re.compile(
    rf"(?P<who>{PERSON})[ \t]+(?:declares|declared)[ \t]+(?:a[ \t]+)?(?:conflict[ \t]+of[ \t]+interest|(?:an[ \t]+)?interest)"
    r"\b[^.\n]{0,40}?\babstain"
)
# The verbs the name-led patterns turn on (see ``names.name_led``).
_VOTED_VERB = re.compile(r"abstain|voted[ \t]+against|votes?[ \t]+against|voted[ \t]+no|voted[ \t]+nay|voting[ \t]+(?:against|no|nay)|dissent"
                         r"|declined[ \t]+to[ \t]+vote")
_DECLARES = re.compile(r"\bdeclare[sd]\b")
_VOTE_WORD = re.compile(r"\b(?:Carried|CARRIED|carried|Failed|FAILED|Lost|LOST|Nays|NAYS|Yeas|Ayes|Pass|Moved|MOTION|Motion|[Vv]ote)\b")
_ROLL_WORD = re.compile(r"\b(?:Present|PRESENT|ROLL[ \t]+CALL|Roll[ \t]+[Cc]all|[Aa]ttendance)\b")


def in_vote(text: str, region_start: int, offset: int) -> bool:
    """Whether a label at ``offset`` ("Absent:") belongs to a vote just recorded rather than to a roll call."""
    window = text[max(region_start, offset - 200):offset]
    vote = max((m.end() for m in _VOTE_WORD.finditer(window)), default=-1)
    roll = max((m.end() for m in _ROLL_WORD.finditer(window)), default=-1)
    return vote > roll


def vote_said(minutes: Minutes, region: int) -> list[Said]:
    """Results, tallies and vote lists in one region, in text order."""
    text = minutes.text
    said: list[Said] = []
    for lo, hi in minutes.lines(region):
        for m in _MOTION_RESULT.finditer(text, lo, hi):
            said.append(Said(m.start(), m.end(), "result", result=m.group("result"), tally=m.group("tally")))
        for m in _PUT_TO_VOTE.finditer(text, lo, hi):
            said.append(Said(m.start(), m.end(), "result", result=m.group("result"), tally=m.group("tally")))
        for m in _BY_A.finditer(text, lo, hi):
            said.append(Said(m.start(), m.end(), "result", result=m.group("result")))
        for m in _VOTES_TO.finditer(text, lo, hi):
            # "carried by 5 votes to 2": the result and its count are said apart, so that a
            # reading of the result elsewhere ("Motion carried") does not swallow the count
            if m.group("result"):
                said.append(Said(m.start(), m.end("result"), "result", result=m.group("result")))
            said.append(Said(m.start("count"), m.end(), "tally", tally=m.group("tally")))
        for m in _BY_NAMED.finditer(text, lo, hi):
            votes = [(kind, p) for kind, group in (("voted_for", "for"), ("against", "against"))
                     for p in split_people(m.group(group)) if re.fullmatch(PERSON, p)]
            if votes:   # from the first bracket: the count before it is read as the tally
                said.append(Said(m.start("for") - 1, m.end(), "votes", votes=votes, opens=False))
        for m in _VOTED_COUNT.finditer(text, lo, hi):
            said.append(Said(m.start(), m.end(), "tally", tally=m.group("tally")))
        for m in _IN_FAVOUR.finditer(text, lo, hi):
            if "favo" in m.group("side") or m.group("rest"):  # "12 for the year" is no tally
                said.append(Said(m.start(), m.end(), "tally", tally=tidy(m.group("tally"))))
        for m in _NAMED_AFTER_COUNT.finditer(text, lo, hi):
            names = [p for p in split_people(m.group("who")) if re.fullmatch(PERSON, p)]
            if names:
                kind = "against" if m.group("side") == "against" else "abstained"
                # From the bracket: the count before it is the tally's, read as one piece with "5 for, 1 against".
                said.append(Said(m.start("who") - 1, m.end(), "votes", votes=[(kind, p) for p in names], opens=False))
        for m in _LABEL_COUNTS.finditer(text, lo, hi):
            said.append(Said(m.start(), m.end(), "tally", tally=tidy(m.group("tally"))))
        for m in _ON_A_VOTE.finditer(text, lo, hi):
            said.append(Said(m.start(), m.end(), "tally", tally=m.group("tally") or m.group("tally2") or m.group("tally3"),
                             opens=False))
        for m in _VOTE_UNANIMOUS.finditer(text, lo, hi):
            said.append(Said(m.start(), m.end(), "result", result=m.group("result"), opens=False))
        for m in _OPPOSED.finditer(text, lo, hi):
            said.append(Said(m.start(), m.end(), "votes", votes=[("against", p) for p in split_people(m.group("who"))],
                             opens=False))
        for m in _ROLL_TALLY.finditer(text, lo, hi):
            said.append(Said(m.start(), m.end(), "tally", tally=m.group("tally"), opens=False))
        said.extend(_labelled_votes(minutes, region, lo, hi))
        for m in _EACH_VOTES.finditer(text, lo, hi):
            votes = [(_EACH_KIND[v.group("vote").lower()], bare_name(v.group("who")))
                     for v in _EACH_ONE.finditer(text, m.start(), m.end())]
            said.append(Said(m.start(), m.end(), "votes", votes=votes))
        for m in name_led(_PERSON_VOTE, _VOTED_VERB, text, lo, hi):
            kind = "abstained" if "abstain" in m.group("verb") or "decline" in m.group("verb") else "against"
            said.append(Said(m.start(), m.end(), "votes", votes=[(kind, p) for p in split_people(m.group("who"))]))
        for m in name_led(_INTEREST_ABSTAINS, _DECLARES, text, lo, hi):
            said.append(Said(m.start(), m.end(), "votes", votes=[("abstained", p) for p in split_people(m.group("who"))]))
    for unit in minutes.region_units(region):
        start, body = minutes.body(unit)
        for pattern, awaits in ((_BARE_RESULT, False), (_RESOLVED_ALONE, True)):
            m = pattern.match(body.strip())
            if m:
                said.append(Said(unit.start, unit.end, "result", result=m.group("result"), awaits=awaits,
                                 tally=m.groupdict().get("tally")))
        m = _RESULT_THEN_COUNT.match(text, start + len(body) - len(body.lstrip()), unit.end)
        if m:   # the result word only: the count after it is read as the tally
            said.append(Said(unit.start, m.end("result"), "result", result=m.group("result")))
    return said


def _labelled_votes(minutes: Minutes, region: int, lo: int, hi: int) -> list[Said]:
    """ "Nays: Flagg and Hensley." "Pass: Flagg." "Absent:" (inside a vote) - one row per person."""
    text = minutes.text
    labels = sorted([*_LABEL.finditer(text, lo, hi), *_DASH_LABEL.finditer(text, lo, hi)], key=lambda m: m.start())
    said: list[Said] = []
    region_start, region_end = minutes.regions[region]
    for n, m in enumerate(labels):
        word = m.group("label").lower()
        if word.startswith("voting ") and not word.endswith("against"):   # "Voting Aye:", "Voting Nay:"
            word = word.split()[-1]
        if word.startswith("votes ") and not word.endswith("against"):    # "Votes in favour:", "Votes for:"
            word = "for"
        kind = "vote_absent" if word.startswith("absent") else _LABEL_KIND.get(word[:3])
        if kind is None or (kind == "vote_absent" and not in_vote(text, region_start, m.start())):
            continue
        if word.startswith("for") and not _AGAINST_LABEL.search(text, m.end(), min(region_end, hi + 200)):
            continue
        end = labels[n + 1].start() if n + 1 < len(labels) else hi
        body_start = m.end()
        if not text[body_start:end].strip() and n + 1 == len(labels):  # "Nays:" ends the line, the names follow
            nxt = _NEXT_LINE.match(text, hi, region_end)
            if not nxt:
                continue
            body_start, end = nxt.start(1), nxt.end(1)
            follow = _LABEL.search(text, body_start, end)
            end = follow.start() if follow else end
        cut = _LIST_END.search(text, body_start, end)
        body_end = cut.start() if cut else end
        body = _VOTE_COUNT.sub("", text[body_start:body_end])
        counted = _COUNT_THEN_NAMES.fullmatch(body)   # "Noes: 1 (Hon. Mercy Rotich)": the count, then who
        names = [p for p in split_people(counted.group("who") if counted else body) if re.fullmatch(PERSON, p)]
        if names:
            # From the bracket when a count comes first: the label and its count are read as the tally.
            start = text.index("(", body_start, body_end) if counted else m.start()
            said.append(Said(start, body_end, "votes", votes=[(kind, p) for p in names]))
    return said
