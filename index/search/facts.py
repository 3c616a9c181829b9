"""The business of a meeting answered from its structure: who moved, who seconded, how the vote went,
who sent apologies, when the next meeting is ... read at ingest as facts with the span that states them.

A question that asks for one of these names the kinds of fact it wants (``wanted``). The meeting is the
one the question names (by body, place or date), else, for facts of no particular topic (attendance, the
next meeting, the close), the latest meeting that records such a fact; facts tied to a topic (a motion,
a decision, an action, an interest) are chosen by how well their words and their passage fit the question.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from index.query import MEETING_WORD, POSSESSIVE, STOPWORDS, Question, words
from index.search.settings import Settings
from index.search.types import Passage
from index.store import StoredFact
from ingest.names import TITLE
from ingest.votes import VOTE_LABEL
from ingest.words import MONTHS

# What a question asks for, as patterns over its words, each with the kinds of fact that answer it.
_ATTENDED_ASKED = r"^\s*(did|has|had)\b.*\battend(ed)?\b|^\s*(was|were)\b.*\b(present|in attendance)\b"
_INTENTS: list[tuple[re.Pattern, tuple[str, ...]]] = [(re.compile(p, re.I), k) for p, k in [
    (r"\b(propos\w+|mov(ed|er)) and second\w*|\bsecond\w* and (propos|mov)\w*", ("mover", "seconder")),
    (r"\bsecond(ed|er)\b", ("seconder",)),
    (r"\bwho (first )?(propos|mov|put forward|nominat)\w*|\b(propos|mov)ed by whom\b|\b(mover|proposer)\b",
     ("mover",)),
    # "Who voted for the calendar?" names people; "how many voted for it?" asks for the count.
    (r"^(?!.*\bhow many\b).*(\bvoted (for|in favou?r)\b|\bwho (supported|backed)\b|\b(ayes|yeas)\b)",
     ("voted_for", "tally")),
    (r"\bvoted? against\b|\bopposed\b|\bnays?\b|\bvoted no\b|\bdissent", ("against",)),
    (r"\babstain", ("abstained",)),
    # "How many councillors supported the motion?" asks for a count of votes; "How many residents supported
    # the scheme in the survey?" asks for a figure: only members vote.
    (r"\b(vote|tally|how many votes|by how many|votes? (for|to)|final count|vote count)\b|\b(the|a|recorded) division (on|was)\b|\bresult of the division\b|\bdivision (was )?(called|requested|recorded)\b|\broll call\b|\bhow many\b[\w\s'\u2019-]{0,40}?"
     r"\bvot(ed|ing)\b|\bhow many (councillors|members|commissioners|trustees|directors)\b[\w\s'\u2019-]{0,20}?"
     r"\b(supported|backed|opposed)\b", ("tally", "result")),
    (r"\b(carried|passed|defeated|lost|outcome|result)\b.*\b(motion|vote|proposal|resolution)\b|"
     r"\b(motion|vote|proposal|resolution)\b.*\b(carried|pass|passed|defeated|lost|outcome|result)\b|"
     # "Did the pavilion fee waiver pass?", "Was the amendment carried?"
     r"^\s*(did|was|were)\b.*\b(pass|passed|carry|carried|fail|failed|defeated|lost)\W*$|"
     # "What happened to the proposal to give the roof job to the cheapest bidder?"
     r"\bwhat (happened|became) (to|of) (the|a|an|his|her|their) (proposal|motion|amendment|resolution)\b",
     ("result", "tally")),
    (r"\bapolog|\b(couldn'?t|could not|unable to|did not|didn'?t) (make|attend|come)\b|\b(sent|gave) (their |his |her )?"
     r"regrets\b|\bexcused\b|\bleave of absence\b", ("apologies",)),
    (r"\babsent\b|\bstay(ed)? away\b|\bmiss(ed|ing)\b.*\b(meeting|session)\b|"
     r"\bmissed (the |a |its )?([\w'\u2019-]+ ){0,2}(cabinet|board|council|committee|panel)\b|"
     r"\b(who|which [\w ]+?) (was|were) missing\b|\b(was|were)(n'?t| not) (there|present|at)\b|\bnot present\b|"
     # "Why was Director Osei not at the board meeting?", "Why was Hon. Cheruiyot away from the sitting?"
     r"\b(was|were)\b[\w\s.'\u2019-]{1,40}?\bnot (there|present\b|at (the|this|that|its) ([\w'\u2019-]+ ){0,4}?"
     r"(meeting|sitting|session|board|committee|council|panel|cabinet)\b)|"
     r"\b(away from|not at) (the|this|that|its) ([\w'\u2019-]+ ){0,4}?(meeting|sitting|session)\b",
     ("absent", "apologies", "vote_absent")),
    (r"\b(arriv\w*|came|come|turn(ed)? up|got there|get there) (late|in late|after)\b|\b(what time|when) did .* (arrive|join|return|rejoin)\b|\blate arriv|"
     r"\b(what time|when) did .* (turn up|show up|get (to|there|in)|come in)\b",
     ("arrived",)),
    (r"\b(left|leave|depart\w*)\b.*\b(early|meeting|before)\b|\bwhat time did .* (leave|depart)\b|"
     r"\b(left|leave|withdr[ae]w\w*|step(ped)? out) (of |from )?the (room|chamber|hall|table|meeting)\b", ("left",)),
    (r"\bwho (was|were)? ?(present|there|in attendance)\b|\bwho attended\b|\bwhich (members|councillors)\b.*"
     r"\b(present|there|attend)\w*|\bwho (was|were) the (members|councillors) (present|in attendance)\b", ("present",)),
    # "Did Cllr Smith attend the March meeting?", "Was Cllr Smith present?": the rows naming them say.
    (_ATTENDED_ASKED, ("present", "apologies", "absent")),
    (r"\bwho (chair\w*|presid\w*)\b|\b(chair(ed|s)?|presided|cathaoirleach)\b.*\bmeeting\b|\bin the chair\b|"
     r"\bpresiding officer\b|\belected (as )?(the )?(chair\w*|mayor|cathaoirleach)\b", ("chair",)),
    (r"\bclerk\b|\b(took|takes?|taking|recorded|wrote) (the )?(minutes|notes)\b|\bminute[- ]?taker\b|\bsecretary\b",
     ("clerk",)),
    (r"\binterests?\b.*\bdeclar|\bdeclar\w*\b.*\b(interests?|conflicts?)\b|\bconflicts? of interest\b|\brecus(ed|al|e)\b|"
     r"\b(had|has|have|with) (a |an )?((pecuniary|personal|prejudicial|disclosable|registrable) interests?|conflicts?)\b|"
     r"\b(nature|kind|type) of .*\b(interest|conflict)\b|\bwhat (interest|conflict)s? (did|had|has|does|do)\b|\bwhat was (his|her|their) (interest|conflict)\b",
     ("interest",)),
    (r"\bnext\b(\s+[\w'-]+){0,4}?\s+(meeting|meet|session|assembly|agm|egm)\b|\b(following|subsequent) meeting\b|"
     r"\bnext\b(\s+[\w'-]+){0,3}?\s+(committee|board|panel|council|forum|cabinet)\s*\??$|\bmeet(s)? next\b|\bdate of the next\b|"
     r"\bmeeting (held )?after\b", ("next_meeting",)),
    (r"\b(close|closed|end|ended|finish\w*|adjourn\w*|conclud\w*)\b.*\b(meeting|session|business)?\b",
     ("closed",)),
    (r"\b(start\w*|begin|began|begun|open|opened|commenc\w*|conven\w*|called to order)\b", ("started",)),
    # A decision: "What did the panel decide at the confirmation hearing?", "How did the council decide to ...?"
    (r"\b(what|how) did\b(\s+[\w'\u2019-]+){1,8}?\s+(decide|resolve|agree|conclude|recommend)\b|"
     r"\bwhat (was|were) (decided|resolved|agreed)\b|\bwhat (decision|resolution)\b", ("resolution", "motion")),
    # A deadline: "By what date must the chair send HR the refusal?", "By when should members receive the draft?"
    # (a task's, not a decision's: the resolutions of other items say "must" too)
    (r"^\s*(by when|by what date|when)\b[^?]*\b(must|should|has to|have to|needs? to|is due to|are due to)\b",
     ("action",)),
    # A task set at a meeting: "What was the DCC asked to provide?", "What did the ACC have to give the PCC?"
    (r"^(?!.*\bhow (many|much)\b).*\b(ask|asked|required|tasked|agreed?|undert\w+|promised|volunteered|have|has|had|needs?|needed|"
     r"was|were|(?<=^who )(is|are)|(?<=^by when )(is|are)|(?<=^when )(is|are))\b(\s+[\w'\u2019]+){0,4}?\s+to\s+"
     r"(do|give|provide|bring|circulate|share|send|present|report|produce|prepare|write|confirm|supply|submit|"
     r"publish|arrange|contact|invite|find|look|investigate|check|update|review|raise|add|apply|get|obtain|book|order|"
     r"organi[sz]e|chase|draft|lead|seek|inform|notify|advise|email|phone|call|set\s+up)\b|"
     r"\bwhat actions?\b|\baction (was|were) (agreed|set|given|taken)\b|"
     r"\bwho (is|was|are|were) (responsible|in charge|tasked|taking (it )?forward|following (it )?up)\b",
     ("action", "resolution")),
]]
# ... and its beginning, not the start of an outage or of a scheme.
_STARTING = re.compile(r"\b(what time|when)\b(?!.*\bnext\b).*\b(meeting|session|agm|egm)\b([\s,]+[\w'\u2019]+){0,5}?[\s,]+"
                       r"(start\w*|begin|began|begun|open|opened|commenc\w*|conven\w*|get under ?way)\b", re.I)
# A closing question speaks of the meeting's end, not of "the end of March" or of when some work will
# be finished.
_CLOSE_VERB = r"(close|closed|closing|end|ended|finish\w*|conclud\w*)"
_CLOSING = re.compile(r"\b(what time|when)\b.*\b(meeting|session|proceedings|agm|egm)\b([\s,]+[\w'\u2019-]+){0,10}?[\s,]+"
                      + _CLOSE_VERB + r"\b|\b(what time|when)\b.*\b" + _CLOSE_VERB +
                      r"\s+(the\s+|its\s+|their\s+)?([\w&'\u2019/-]+\s+){0,4}?(meeting|session|proceedings|business)\b|\badjourn|"
                      # "What time did the planning committee close?": the body closing, nothing after it.
                      r"\b(what time|when)\b.*\b(committee|panel|council|board|cabinet|forum|assembly)\s+"
                      + _CLOSE_VERB + r"\W*$", re.I)
# Facts that belong to no topic of the meeting: the meeting itself answers.
MEETING_LEVEL = frozenset({"present", "apologies", "absent", "chair", "clerk", "started", "next_meeting", "closed"})
# Words of an intent: they say what kind of fact is wanted, not what it is about.
_INTENT_WORDS = frozenset("""propose proposed proposal proposer move moved mover second seconded seconder vote
voted votes favour favor supported against abstain abstained carried passed result outcome apologies apology
attend attended present absent chair chaired next meeting meet close closed end ended adjourn adjourned declared declare interest
interests who whom when time start started begin began open opened commence commenced""".split())
# ... and those that ask for a row of the meeting itself: "who was the minute taker" needs no line saying "minute",
# "did Dr Shah attend the governors' meeting" no line saying "Governors present".
ASKING_WORDS = _INTENT_WORDS | frozenset("minute minutes taker took clerk secretary governors trustees directors members "
                                         "councillors commissioners attend attended present".split())


def wanted(q: Question) -> tuple[str, ...]:
    """The kinds of fact the question asks for, most specific first; empty when it asks for none."""
    kinds: list[str] = []
    for pattern, ks in _INTENTS:
        if "closed" in ks and not _CLOSING.search(q.text) or "started" in ks and not _STARTING.search(q.text):
            continue
        if pattern.search(q.text):
            kinds.extend(k for k in ks if k not in kinds)
    if _WITHOUT_APOLOGY.search(q.text):   # "absent without apologies": those who sent none
        kinds = [k for k in kinds if k != "apologies"]
    if kinds and set(kinds) <= _COUNTS and _WHO.search(q.text):
        return ()   # "Who asked for a recorded vote?": an outcome or a count names no one
    if _WHY_ASKED.search(q.text) and not _TIME_ASKED.search(q.text):
        # "Why did Cllr Rees leave the room?": a time of leaving gives no reason, the interest they declared
        # does; an apology's row or a late arrival's may give one.
        kinds = list(dict.fromkeys(k for k in (["interest"] if "left" in kinds else []) + kinds if k in _WITH_REASONS))
    if "closed" in kinds and _TIME_ASKED.search(q.text):
        kinds = [k for k in kinds if k != "chair"]   # "At what time did the Chair close the meeting?"
    if {"mover", "seconder"} & set(kinds):
        # "Who moved accepting the apologies?": the motion is the question, the apologies its topic.
        kinds = [k for k in kinds if k not in _ATTENDANCE]
    return tuple(kinds)


_COUNTS = frozenset({"tally", "result"})
_WHY_ASKED = re.compile(r"^\W*why\b|\bfor what reason\b", re.I)
_WITH_REASONS = frozenset({"apologies", "absent", "interest"})
_SAYS_WHY = frozenset({"interest"})
_ATTENDANCE = frozenset({"present", "apologies", "absent", "vote_absent", "chair", "clerk"})
_TIME_ASKED = re.compile(r"\bwhat time\b|\bwhen did\b", re.I)
_WHO = re.compile(r"^\s*(who|whom|whose)\b", re.I)


_ATTENDED = re.compile(_ATTENDED_ASKED, re.I)
_WITHOUT_APOLOGY = re.compile(r"\bwithout\s+(?:(?:giving|sending|any|an|a)\s+)*(?:apolog|excuse|leave\b)", re.I)


@dataclass
class FactPick:
    facts: list[StoredFact]        # the facts the quote states (one, a list of names, or a motion's parts)
    start: int                     # the quote's offsets in the meeting's clean text
    end: int
    score: float

    @property
    def meeting_id(self) -> int:
        return self.facts[0].meeting_id


# Kinds the minutes give as a list of names, one row a person: asked without a name, the list answers.
_LISTS = frozenset({"present", "apologies", "absent", "voted_for", "against", "abstained", "passed", "vote_absent"})
# Those who voted one way, each named: asked for them where only a count is recorded, the count answers.
VOTERS = frozenset({"voted_for", "against", "abstained"})
# Kinds of a motion's outcome and parts, weighed by what was moved and by whom.
MOTION_PARTS = frozenset({"mover", "seconder", "result", "tally", "voted_for", "against", "abstained", "passed",
                          "vote_absent"})
# Kinds that answer "who": asked only by a question about a person.
_PEOPLE = frozenset({"present", "chair", "clerk"})
_WHY = re.compile(r"\bwhy\b|\bfor what reason\b|\bwhat (was|were) the reasons?\b|\bwhat reasons?\b", re.I)
_ASKS_PERSON = re.compile(r"\b(who|whom|whose|which (\w+ )?(councillors?|members?|person|officer|people))\b", re.I)


def pick(q: Question, kinds: tuple[str, ...], facts: list[StoredFact], passages: list[Passage],
         named: dict[int, float], dates: dict[int, str | None], naming: list[str], s: Settings,
         quote: Callable[[int, int, int], str] = lambda m, a, b: "",
         item_starts: dict[tuple[int, str], int] | None = None, titles: dict[int, str] | None = None,
         motion_words: dict[tuple[int, int], tuple[str, str]] | None = None,
         places: frozenset[str] = frozenset()) -> FactPick | None:
    """The fact (or facts) that answer ``q`` among ``facts`` of the candidate meetings; ``quote`` gives the
    text of a meeting's span (a person is found in the line that names them with their role, a motion by
    the words before it and the opening of its item, found by ``item_starts``). ``motion_words`` gives, by
    (meeting, motion), what was moved and who moved and seconded it: "how did the vote go on Flagg's motion to appoint ..."
    is answered by the result of that motion, not of the next one in the same item; of what was moved, the
    words ``places`` (those meetings are called by: "Limerick", "County") name no one."""
    item_starts = item_starts or {}
    titles = titles or {}
    motion_words = motion_words or {}
    window = announced_window(q)
    who = bool(_ASKS_PERSON.search(q.text))
    if not who and not _ATTENDED.search(q.text):
        kinds = tuple(k for k in kinds if k not in _PEOPLE)
    facts = [f for f in facts if f.kind in kinds]
    if not facts:
        return None
    dated = bool(q.dates or q.period)
    # "the council", "the panel" name the body meeting, not what a motion of it was about.
    # "the minutes" of an earlier meeting are what a motion approves: a topic, not a body.
    topic = {t for t in q.topic(naming).terms if t not in _INTENT_WORDS
             and (t == "minutes" or not MEETING_WORD.fullmatch(t))}
    person = _person_words(q, naming)
    titled = _titled(q)
    # "Why was he late, and what time did he get there?": the row giving the time answers what it can.
    why = bool(_WHY.search(q.text)) and not _TIME_ASKED.search(q.text)
    by_meeting = {p.meeting_id: p for p in reversed(passages)}
    # "When is the next meeting?", "Who takes the minutes of the panel?": asked of a meeting without a date,
    # of the meetings the question may mean the latest that records it answers, however well an older one's
    # passage ranks.
    # Of the meetings whose rows name the person asked about, if any do: "Did Janet Wells send apologies?" is
    # answered by the meeting she sent them to, not by the latest meeting's apologies.
    theirs = [f for f in facts if person and _overlap(person, f.value) > 0.0] or facts
    newest = None if dated else max(
        (d for d in (dates.get(f.meeting_id) for f in theirs if f.kind in MEETING_LEVEL) if d), default=None)
    recency = _recency(dates)
    # The rows of absence of each meeting: names that may stand in the sentence of the apology asked about.
    absences: dict[int, list[StoredFact]] = {}
    for x in facts if why else ():
        if x.kind in ABSENCES:
            absences.setdefault(x.meeting_id, []).append(x)
    best: FactPick | None = None
    for group in _groups(facts, kinds, listed=not person):
        f = group[0]
        start, end = min(x.start for x in group), max(x.end for x in group)
        covered = {x.kind for x in group}
        asked = [k for k in kinds[:2] if k in covered] or kinds[:1]
        if who and kinds[0] in _LISTS and not covered & _LISTS:
            asked = []      # "Who voted for ...?": a count names no one
        score = s.fact_meeting * named.get(f.meeting_id, 0.0) + s.fact_coverage * len(asked) / min(len(kinds), 2)
        if f.kind == "next_meeting" and window and f.detail and window[0] <= f.detail[:10] <= window[1]:
            # It announces the meeting the question names by its time: the meeting asked about.
            score += s.fact_meeting + s.fact_topic * _overlap(topic, titles.get(f.meeting_id, ""))
        if f.kind not in MEETING_LEVEL:
            # A motion, a decision, an interest: the words of the item it stands in say what it is about.
            context = quote(f.meeting_id, max(0, start - s.fact_context), end)
            opened = item_starts.get((f.meeting_id, f.item)) if f.item else None
            if opened is not None and opened < start - s.fact_context:
                # The item's opening lines say what it is about ("Part VIII - Parklet at West Square") when
                # its debate puts them far above the motion.
                context += " " + quote(f.meeting_id, opened, min(opened + s.fact_context, start - s.fact_context))
            fit = _overlap(topic, " ".join(x.value + " " + (x.detail or "") for x in group) + " " + context + " "
                           + motion_words.get((f.meeting_id, f.motion), ("", ""))[0])
            # Interests are declared at the start, whatever the item: at a meeting the question names, any
            # declaration answers "who declared an interest at ...".
            if topic and fit == 0.0 and not (f.kind == "interest" and named.get(f.meeting_id)):
                continue    # about something else: this motion does not answer a question about that
            if f.kind == "action" and len(topic) >= 3 and fit < s.fact_action_fit:
                continue    # "Who is to submit the North Quay grant application?": not the precept's submission
            score += s.fact_topic * fit
            if s.fact_topic_own:
                # ... and the words of the fact's own lines most: the item around it may speak of much else.
                score += s.fact_topic_own * _overlap(topic, quote(f.meeting_id, start, end))
        if person:
            said = " ".join(x.value for x in group) + " " + quote(f.meeting_id, start, end)
            if f.kind not in _LISTS and (f.meeting_id, f.motion) in motion_words:
                what, who = motion_words[(f.meeting_id, f.motion)]
                said += " " + who + " " + " ".join(w for w in words(what) if w not in places)
            if titled and _overlap(titled, said) == 0.0 and f.kind not in _PEOPLE:
                continue    # about someone else: "Why did Cllr X send apologies?" is not answered by Y's
            score += s.fact_person * _overlap(person, said)
        if why and f.kind not in _SAYS_WHY and not any(x.kind == "apologies" and x.detail for x in group):
            # A reason is asked for: an apology's recorded reason, words beside its names, or a next sentence
            # about the person ("She is recovering from surgery."), quoted with it; a declaration of interest
            # says why its member left the room.
            if f.kind != "apologies":
                continue
            text = quote(f.meeting_id, 0, None)
            # The question's capitalised words that name someone in these rows ("Harbour" names no one).
            who = {w for w in titled or person if _overlap({w}, " ".join(x.value for x in group)) > 0}
            if not _says_more(text, group, who, absences.get(f.meeting_id, [])):
                further = _goes_on(text, f, who) if who else None
                if further is None:
                    continue
                end = max(end, further)
        passage = _passage_holding(passages, f.meeting_id, start, end)
        if passage is not None:
            score += s.fact_passage * passage.score / passages[0].score
        elif f.meeting_id in by_meeting:
            score += s.fact_passage * 0.5 * by_meeting[f.meeting_id].score / passages[0].score
        if f.kind in MEETING_LEVEL and not dated:
            # The question names no date: of the meetings it may mean, the latest is the one meant.
            score += s.fact_latest * recency(dates.get(f.meeting_id))
            if newest is not None and dates.get(f.meeting_id) == newest:
                score += s.fact_now
        # Asked without a name, the whole list answers rather than its first row.
        if best is None or score > best.score + 1e-9 or (not person and score > best.score - 1e-9
                                                          and len(group) > len(best.facts)):
            best = FactPick(group, start, end, score)
    return best


# The words of a row of apologies or absences that are not a reason: the list's own words and titles, and
# what a meeting does with the list ("RESOLVED to accept the apologies", "for this meeting").
_LISTING = frozenset("""apologies apology absence absent received receive sent send were was noted accepted given
tendered offered inability unable attend attendance from for and also councillor councillors cllr cllrs mr mrs ms
miss dr mayor member members county parish district borough town city council vice chair chairman
clerk meeting this tonight today evening accept resolved agreed approved be""".split())


_BREAK = re.compile(r"[.!?](?=\s)|\n")
ABSENCES = ("apologies", "absent", "vote_absent")
# A sentence that goes on about the person just named: "He is recovering from surgery."
_GOES_ON = re.compile(r"\s*(?:he|she|they|his|her|their)\b", re.I)


def reason_unrecorded(q: Question, kinds: tuple[str, ...], absences: Callable[[], list[StoredFact]],
                      sure: set[int], naming: list[str], text_of: Callable[[int], str]) -> list[StoredFact]:
    """"Why did Cllr X send apologies?" of a meeting whose minutes record X's apology or absence in lines
    that say nothing but who: the rows that say so, for the minutes do not say why. Empty when a row has a
    recorded reason or any other word (", who was unwell", or a next sentence about X), or the meeting
    records nothing of X. ``absences`` gives the sure meetings' rows of every kind of absence."""
    if not _WHY.search(q.text) or not {"apologies", "absent"} & set(kinds) or not sure:
        return []
    people = _titled(q) or _person_words(q, naming)
    found = absences()
    rows = [f for f in found if f.meeting_id in sure and (not people or _overlap(people, f.value) > 0)]
    if not rows or any(f.kind == "apologies" and f.detail for f in rows):
        return []
    for row in rows:
        text = text_of(row.meeting_id)
        start, end = _sentence(text, row.start, row.end)
        beside = [f for f in found if f.meeting_id == row.meeting_id and f.start < end and start < f.end] or [row]
        if _says_more(text, beside, people) or (people and _goes_on(text, row, people) is not None):
            return []     # something besides who: it may be why
    return rows


def _sentence(text: str, a: int, b: int) -> tuple[int, int]:
    """The sentence or line holding ``text[a:b]``."""
    start = max((m.end() for m in _BREAK.finditer(text, max(0, a - 2000), a)), default=0)
    after = _BREAK.search(text, max(b - 1, a))
    return start, after.start() if after else len(text)


def _says_more(text: str, listed: list[StoredFact], people: set[str] | frozenset = frozenset(),
               others: list[StoredFact] = ()) -> bool:
    """Whether the sentences or lines holding ``listed`` (rows of apologies or absences) say anything but
    who: ", who was unwell", "due to work commitments". Asked about ``people``, only the words before the
    list and those between their name and the next name count (another's ", who was unwell" is not theirs);
    ``others`` are rows that may stand in the same sentence."""
    if not listed:
        return False
    start, end = _sentence(text, min(f.start for f in listed), max(f.end for f in listed))
    sentence = text[start:end]
    lower = sentence.lower()
    spots = sorted((i, i + len(v), f) for f in {x.id: x for x in [*listed, *others]}.values()
                   for v in (f.value.lower(),)
                   for i in [lower.find(v)] if v and i >= 0)
    if people and spots:
        parts = [sentence[:spots[0][0]]]
        for n, (i, j, f) in enumerate(spots):
            if _overlap(set(people), f.value) > 0:
                parts.append(sentence[j:spots[n + 1][0] if n + 1 < len(spots) else len(sentence)])
        said = set(words(" ".join(parts)))
    else:
        said = set(words(sentence))
    return bool(said - {w for _, _, f in spots for w in words(f.value)} - {w for f in listed for w in words(f.value)}
                - _LISTING - STOPWORDS)


def _goes_on(text: str, row: StoredFact, people: set[str]) -> int | None:
    """The end of the sentence after the one that lists ``row`` when it speaks of the person again, else None."""
    _, end = _sentence(text, row.start, row.end)
    if text[end:end + 1] == "\n":
        return None     # the line ends: what follows is another line of the minutes
    nxt = _BREAK.search(text, end + 1)
    stop = nxt.start() + (1 if nxt and nxt.group() != "\n" else 0) if nxt else len(text)
    following = text[end + 1:stop]
    if following.strip() and (_GOES_ON.match(following) or _overlap(people, following) > 0):
        return stop
    return None


# How minutes state a seconder or a vote's count, whether or not a row was read as one: minutes that never
# do have not recorded it.
_STATED = {
    # "seconded", "Seconder:", "second: Cllr X", "M/S" (not "the second network link")
    "seconder": re.compile(r"\bseconde[dr]\b|\bseconds\s+(?:the|this)\b|\bsecond(?:ed)?\s*(?:by\b|:)|\bM/S\b|\b2nd\b",
                           re.I),
    # "8 votes to 3", "5-1" (not a time's "10:00 - 12:00"), "unanimously", "Nays:", "voted", "For: 6", "9/2"
    "tally": re.compile(r"(?<![:.\d])\b\d{1,3}\s*(?:votes?\s+)?(?:to|-|\u2013)\s*\d{1,3}\b(?![:.]\d)|\bunanim|"
                        r"\bnem\.?\s*con|\ball\s+in\s+favou?r|\b(?:yeas?|ayes|nays?|noes|for|against)\s*:|\bvoted\b|"
                        r"\bvotes?\s+(?:for|against|in)\b|\b(?:for|against|in\s+favou?r)\s*[-\u2013]\s*\d{1,2}\b|"
                        r"\b(?:against|in\s+favou?r)\s+\d{1,2}\b(?![\d/.,:])|"
                        r"(?<![\d/])\b\d{1,2}\s*/\s*\d{1,2}\b(?!/)", re.I),
}
# A question that asks for a count, not only whether a vote was carried.
_COUNT_ASKED = re.compile(r"\bhow many\b|\bby how much\b|\btally\b|\bcount\b|\bmargin\b|\bnumbers?\b", re.I)


_SAYS_PART = {"seconder": _STATED["seconder"],
              "mover": re.compile(r"\bpropos\w*|\bmov(?:ed|er|es)\b|\bmotion\b|\bM/S\b|\bnominat\w*", re.I)}


def says_part(kinds: tuple[str, ...], text: str) -> bool:
    """Whether a passage's quote can say the part of a motion asked for: asked who seconded, a quote that
    seconds nothing does not."""
    if not kinds or kinds[0] not in _SAYS_PART:
        return True
    return bool(_SAYS_PART[kinds[0]].search(text))


def part_unrecorded(q: Question, kinds: tuple[str, ...], motions: list[StoredFact], parts: list[StoredFact],
                    texts: list[str]) -> bool:
    """"Who seconded ...?", "How many voted for ...?" of meetings whose minutes record motions or resolutions
    and never a seconder, or never a count ("Moved by Hensley to adopt. Motion Carried.", "Resolved: the
    Committee approved the plan."): the minutes do not say. "Was it carried?" asks no count. ``parts`` are the
    facts of the kinds asked for, of the meetings asked about."""
    pattern = _STATED.get(kinds[0]) if kinds else None
    if pattern is None:
        return False
    if kinds[0] == "tally" and not _COUNT_ASKED.search(q.text):
        # "How did the vote go?", "Was it carried?": a recorded result answers, or the words after a motion
        # moved ("Proposed by X, seconded by Y, the council agreed to ..."); minutes that record decisions
        # alone ("The PCC agreed ...") record no vote.
        if any(f.kind in ("result", "mover") for f in [*parts, *motions]):
            return False
    return (bool(motions) and not any(f.kind == kinds[0] for f in parts)
            and not any(pattern.search(t) for t in texts))


def _groups(facts: list[StoredFact], kinds: tuple[str, ...], listed: bool) -> list[list[StoredFact]]:
    """Candidate answers: each fact with the other wanted facts of its motion or its span (a mover and
    seconder, an adjournment and its time); and, asked without a name, a meeting's whole list of names
    where the minutes give one (the apologies, those absent)."""
    out: list[list[StoredFact]] = []
    seen: set[tuple] = set()
    # A question naming a series may name thousands of meetings: facts are grouped within their meeting only.
    of_meeting: dict[int, list[StoredFact]] = {}
    for f in facts:
        of_meeting.setdefault(f.meeting_id, []).append(f)
    for f in facts:
        here = of_meeting[f.meeting_id]
        group = [g for g in here if (g.start < f.end and f.start < g.end)
                 or (len(kinds) > 1 and f.motion is not None and g.motion == f.motion)]
        key = tuple(sorted(g.id for g in group))
        if key not in seen:
            seen.add(key)
            out.append(group)
        if listed and f.kind in _LISTS:
            names = _contiguous([g for g in here if g.kind == f.kind and g.item == f.item], f)
            key = tuple(sorted(g.id for g in names))
            if len(names) > 1 and key not in seen:
                seen.add(key)
                out.append(names)
    return out


def _contiguous(same: list[StoredFact], f: StoredFact, gap: int = 120) -> list[StoredFact]:
    """The rows around ``f`` whose spans follow one another closely: one list in the minutes."""
    same = sorted(same, key=lambda g: g.start)
    i = same.index(f)
    lo = hi = i
    while lo > 0 and same[lo].start - same[lo - 1].end <= gap:
        lo -= 1
    while hi < len(same) - 1 and same[hi + 1].start - same[hi].end <= gap:
        hi += 1
    return same[lo:hi + 1]


def _overlap(terms: set[str], text: str) -> float:
    if not terms:
        return 0.0
    have = set(words(text))
    return sum(1 for t in terms if t in have or any(w.startswith(t[:5]) for w in have if len(t) > 5)) / len(terms)


_PLACE_OR_BODY = re.compile(
    r"\b(?:[A-Z][a-z'\u2019-]+\s+){1,3}(?:Street|Road|Lane|Avenue|Drive|Way|Park|Hall|Centre|Center|Church|School|"
    r"Library|Station|Bridge|Square|Green|Estate|Ward|Association|Club|Society|Trust|Hospital|Hospice|Field|Playground)\b")


def _person_words(q: Question, naming: list[str]) -> set[str]:
    """Capitalised words of the question that are not its first word nor name its meeting: a person."""
    first = re.match(r"\W*[A-Za-z'\u2019-]+", q.text)
    text = q.text[first.end():] if first else q.text
    # "the Elm Street water main", "the Fernside Residents' Association": a place or a body, no one's name.
    text = _PLACE_OR_BODY.sub(" ", text)
    toks = [POSSESSIVE.sub("", t).lower() for t in re.findall(r"\b[A-Z][a-z'\u2019-]+\b", text)]
    return {t for t in toks if t not in MONTHS} - set(naming) - _INTENT_WORDS - {
        "council", "councillor", "cllr", "mr", "mrs", "ms", "dr", "member", "members", "commissioner"}


_TITLED = re.compile(rf"\b{TITLE}\.?\s+"
                     r"((?:[A-Z]\.\s*)*[A-Z][a-z'\u2019-]+(?:\s+[A-Z][a-z'\u2019-]+)?)")


def _titled(q: Question) -> set[str]:
    """The surnames of the people the question names with a title ("Cllr David Fenwick", "Mrs V Lynch")."""
    return {m.group(1).split()[-1].lower() for m in _TITLED.finditer(q.text)}


def _passage_holding(passages: list[Passage], meeting_id: int, start: int, end: int) -> Passage | None:
    for p in passages:
        if p.meeting_id == meeting_id and p.start <= start and end <= p.end:
            return p
    return None


def _recency(dates: dict[int, str | None]) -> Callable[[str | None], float]:
    """Where a date stands among ``dates``: 0 for the earliest, 1 for the latest."""
    known = sorted({d for d in dates.values() if d})
    place = {d: i / (len(known) - 1) for i, d in enumerate(known)} if len(known) > 1 else {}
    return lambda date: place.get(date, 0.0) if date else 0.0


# A question about what the next meeting will take ("and what is its theme?"), not only when it is.
_ABOUT = re.compile(r"\b(theme|thematic|topic|about|agenda|main item|focus|consider|discuss)\w*", re.I)
_FOOTER = re.compile(r"\bpage \d+\b|\bpublished\b|^(signed|chair|date)\b", re.I)


def next_meeting_about(q: Question, text: str, end: int, limit: int) -> int:
    """The end of a next-meeting quote taken on to the line after it when the question asks what that
    meeting will take and that line says so ("Thematic - Budget and precept 2022/23.", "The main item
    will be ..."): the line right after the date, before any heading, footer or closing."""
    if not _ABOUT.search(q.text):
        return end
    m = re.match(r"[ \t]*(?:\n[ \t]*){0,2}([^\n]+)", text[end:])
    if not m:
        return end
    line = m.group(1).strip()
    if not line or len(line) > limit or _FOOTER.search(line) or re.match(r"\d+(\.\d+)*\s", line) \
            or re.search(r"\b(meeting|it) (closed|ended|concluded)\b", line, re.I):
        return end
    return end + m.end(1)


# The names of a roll call, each list on its own after the result ("Motion Carried 6-1. Nays: Y. Absent: Z.").
_ROLL_CALL = re.compile(rf"[ \t]*\n?[ \t]*{VOTE_LABEL}\s*:[^\n]*?(?:\.(?=\s)|\.?$|(?=\s+{VOTE_LABEL}\s*:))",
                        re.I | re.M)


def roll_call_after(text: str, end: int, limit: int) -> int:
    """The end of a vote's quote taken on over the roll call that follows its result: asked how a vote
    went, who voted which way is the rest of the answer."""
    while True:
        m = _ROLL_CALL.match(text, end)
        if not m or m.end() > limit or m.end() == end:
            return end
        end = m.end()


# "Who is the Chief Constable now?", "Who was the CFO in 2022?": a role, then perhaps when, where or of what.
_ROLE_ASKED = re.compile(r"^\s*who\s+(?:is|was|are|were|'s)\s+(?:the\s+)?(?:current\s+|present\s+|serving\s+)?"
                         r"(?P<rest>[^?]+?)\s*\??\s*$", re.I)
_ROLE_WORDS_MAX = 6


def roles_asked(text: str) -> list[str]:
    """The names of a role a "who is the ..." question may be asking for, longest first ("Head of Professional
    Standards now", "Head of Professional Standards", ... "Head"): the caller keeps the first that some
    attendance table holds, so the words of a time or a place after it ("in 2022", "of the OPCC") fall away."""
    m = _ROLE_ASKED.match(text)
    if not m:
        return []
    words = m.group("rest").strip(" ,.").split()[:_ROLE_WORDS_MAX + 4]
    out = []
    for n in range(min(len(words), _ROLE_WORDS_MAX), 0, -1):
        candidate = " ".join(words[:n]).strip(" ,.")
        if candidate and candidate not in out:
            out.append(candidate)
    return out


def when_asked(q: Question) -> tuple[str, str] | None:
    """The first and last ISO day of the time a question names, or None when it names none."""
    if q.dates:
        return min(q.dates), max(q.dates)
    if q.period:
        y, m, y2, m2 = q.period
        return f"{y:04d}-{m:02d}-01", f"{y2:04d}-{m2:02d}-31"
    if q.financial_years:
        first = min(q.financial_years)
        last = max(q.financial_years)
        return f"{first:04d}-04-01", f"{last + 1:04d}-03-31"
    return None


def role_holding(asked: list[str], holdings: list, when: tuple[str, str] | None):
    """Who held the role asked about at the meeting meant: of the meetings whose attendance table lists the
    role, the latest in the time the question names (else the latest before it), or the latest of all when it
    names none. None when no table lists the role."""
    from index.roles import holds

    for role in asked:
        held = [h for h in holdings if h.date and holds(h, role)]
        if held:
            break
    else:
        return None
    if when is not None:
        held = [h for h in held if when[0] <= h.date <= when[1]] or [h for h in held if h.date <= when[1]]
    return max(held, key=lambda h: h.date, default=None)


# "When was the May 2023 monthly assurance meeting?", "What was the theme of the April 2022 meeting?": what a
# meeting was, asked of one named by its time.
_OF_A_MEETING = re.compile(
    r"^\s*(?:when|where|what time|on what date|what day)\s+(?:was|is|will|did|does)\b[^?]*?\b(?:meeting|session)"
    r"(?:\s+(?:in|of|on|for)\s+[^?,]{1,30}?)?(?:\s+(?:be\s+)?(?:held|take place|start|begin|meet))?"
    r"\s*(?:,|\?|$|and\b)|"
    r"\b(?:theme|thematic topic|agenda|main item|focus|venue)\s+(?:of|for)\s+the\b[^?]*\bmeeting\b", re.I)


def asks_of_a_meeting(q: Question) -> bool:
    """Whether the question asks when, where or what a meeting it names by its time was."""
    return bool(_OF_A_MEETING.search(q.text)) and when_asked(q) is not None


def announced_window(q: Question) -> tuple[str, str] | None:
    """The time of the meeting a question asks about as one announced by the meeting before it: "the May 2023
    meeting", not "the next meeting after May 2023" (whose time names the meeting that announced it)."""
    if any(pattern.search(q.text) for pattern, ks in _INTENTS if "next_meeting" in ks):
        return None
    return when_asked(q)
