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

from index.query import Question, words
from index.search.settings import Settings
from index.search.types import Passage
from index.store import StoredFact

# What a question asks for, as patterns over its words, each with the kinds of fact that answer it.
_INTENTS: list[tuple[re.Pattern, tuple[str, ...]]] = [(re.compile(p, re.I), k) for p, k in [
    (r"\b(propos\w+|mov(ed|er)) and second\w*|\bsecond\w* and (propos|mov)\w*", ("mover", "seconder")),
    (r"\bsecond(ed|er)\b", ("seconder",)),
    (r"\bwho (first )?(propos|mov|put forward|nominat)\w*|\b(propos|mov)ed by whom\b|\b(mover|proposer)\b",
     ("mover",)),
    (r"\bvoted? against\b|\bopposed\b|\bnays?\b|\bvoted no\b|\bdissent", ("against",)),
    (r"\babstain", ("abstained",)),
    (r"\b(vote|tally|how many votes|by how many|votes? (for|to))\b|\broll call\b", ("tally", "result")),
    (r"\b(carried|passed|defeated|lost|outcome|result)\b.*\b(motion|vote|proposal|resolution)\b|"
     r"\b(motion|vote|proposal|resolution)\b.*\b(carried|passed|defeated|lost|outcome|result)\b", ("result", "tally")),
    (r"\bapolog|\b(couldn'?t|could not|unable to|did not|didn'?t) (make|attend|come)\b|\bsent (their )?regrets\b",
     ("apologies",)),
    (r"\babsent\b|\bmiss(ed|ing)\b.*\b(meeting|session)\b|\bwas(n'?t| not) (there|present)\b|\bnot present\b",
     ("absent", "apologies", "vote_absent")),
    (r"\b(arriv\w*|came|come) (late|in late|after)\b|\bwhat time did .* (arrive|join)\b|\blate arriv", ("arrived",)),
    (r"\b(left|leave|depart\w*)\b.*\b(early|meeting|before)\b|\bwhat time did .* (leave|depart)\b", ("left",)),
    (r"\bwho (was|were)? ?(present|there|in attendance)\b|\bwho attended\b|\bwhich (members|councillors)\b.*"
     r"\b(present|there|attend)\w*", ("present",)),
    (r"\bwho (chair\w*|presid\w*)\b|\b(chair(ed|s)?|presided|cathaoirleach)\b.*\bmeeting\b|\bin the chair\b",
     ("chair",)),
    (r"\bclerk\b|\btook (the )?(minutes|notes)\b|\bminute[- ]?taker\b|\bsecretary\b", ("clerk",)),
    (r"\binterests?\b.*\bdeclar|\bdeclar\w*\b.*\binterests?\b|\bconflict of interest\b", ("interest",)),
    (r"\bnext (\w+ )?(meeting|meet)\b|\bmeet(s)? next\b|\bnext (\w+ )?(session|assembly)\b|\bdate of the next\b",
     ("next_meeting",)),
    (r"\b(close|closed|end|ended|finish\w*|adjourn\w*|conclud\w*)\b.*\b(meeting|session|business)?\b",
     ("closed",)),
]]
# A closing question speaks of the meeting's end, not of "the end of March".
_CLOSING = re.compile(r"\b(what time|when)\b.*\b(close|closed|end|ended|finish\w*|adjourn\w*|conclud\w*)\b|"
                      r"\badjourn", re.I)
# Facts that belong to no topic of the meeting: the meeting itself answers.
MEETING_LEVEL = frozenset({"present", "apologies", "absent", "chair", "clerk", "next_meeting", "closed"})
# Words of an intent: they say what kind of fact is wanted, not what it is about.
_INTENT_WORDS = frozenset("""propose proposed proposal proposer move moved mover second seconded seconder vote
voted votes against abstain abstained carried passed result outcome apologies apology attend attended present
absent chair chaired next meeting meet close closed end ended adjourn adjourned declared declare interest
interests who whom when time""".split())


def wanted(q: Question) -> tuple[str, ...]:
    """The kinds of fact the question asks for, most specific first; empty when it asks for none."""
    kinds: list[str] = []
    for pattern, ks in _INTENTS:
        if "closed" in ks and not _CLOSING.search(q.text):
            continue
        if pattern.search(q.text):
            kinds.extend(k for k in ks if k not in kinds)
    return tuple(kinds)


@dataclass
class FactPick:
    facts: list[StoredFact]        # the facts the quote states (one, or the mover and seconder of one motion)
    start: int                     # the quote's offsets in the meeting's clean text
    end: int
    score: float

    @property
    def meeting_id(self) -> int:
        return self.facts[0].meeting_id


def pick(q: Question, kinds: tuple[str, ...], facts: list[StoredFact], passages: list[Passage],
         named: dict[int, float], dates: dict[int, str | None], naming: list[str], s: Settings) -> FactPick | None:
    """The fact (or facts) that answer ``q`` among ``facts`` of the candidate meetings."""
    facts = [f for f in facts if f.kind in kinds]
    if not facts:
        return None
    topic = {t for t in q.terms if t not in _INTENT_WORDS and t not in set(naming)}
    person = _person_words(q, naming)
    by_passage = {p.meeting_id: p for p in reversed(passages)}
    best: FactPick | None = None
    groups = _group(facts, kinds)
    for group in groups:
        f = group[0]
        start, end = min(x.start for x in group), max(x.end for x in group)
        coverage = len({x.kind for x in group}) / len(kinds[:2] if set(kinds[:2]) <= {x.kind for x in group}
                                                       else kinds[:1])
        score = s.fact_meeting * named.get(f.meeting_id, 0.0) + s.fact_coverage * min(coverage, 1.0)
        text = " ".join(x.value + " " + (x.detail or "") for x in group)
        if f.kind not in MEETING_LEVEL or topic & set(words(text)):
            score += s.fact_topic * _overlap(topic, text)
        if person:
            score += s.fact_person * _overlap(person, " ".join(x.value for x in group))
        passage = _passage_holding(passages, f.meeting_id, start, end)
        if passage is not None:
            score += s.fact_passage * passage.score / passages[0].score
        elif f.meeting_id in by_passage:
            score += s.fact_passage * 0.5 * by_passage[f.meeting_id].score / passages[0].score
        if f.kind in MEETING_LEVEL and not named:
            # The question names no meeting: the latest that records such a fact is the one meant.
            score += s.fact_latest * _recency(dates.get(f.meeting_id), dates)
        if best is None or score > best.score:
            best = FactPick(group, start, end, score)
    return best


def _group(facts: list[StoredFact], kinds: tuple[str, ...]) -> list[list[StoredFact]]:
    """Facts quoted together: the wanted kinds of one motion when the question wants several (mover and
    seconder), else each span once (a list of apologies is one line)."""
    out: dict[tuple, list[StoredFact]] = {}
    for f in facts:
        if len(kinds) > 1 and f.motion is not None and kinds[0] in ("mover", "seconder"):
            key = (f.meeting_id, "motion", f.motion)
        else:
            key = (f.meeting_id, f.start, f.end)
        out.setdefault(key, []).append(f)
    return list(out.values())


def _overlap(terms: set[str], text: str) -> float:
    if not terms:
        return 0.0
    have = set(words(text))
    return sum(1 for t in terms if t in have or any(w.startswith(t[:5]) for w in have if len(t) > 5)) / len(terms)


def _person_words(q: Question, naming: list[str]) -> set[str]:
    """Capitalised words of the question that are not its first word nor name its meeting: a person."""
    toks = re.findall(r"\b[A-Z][a-z'\u2019-]+\b", q.text)[1:]
    return {t.lower() for t in toks} - set(naming) - _INTENT_WORDS - {"council", "councillor", "cllr", "mr", "mrs",
                                                                    "ms", "dr", "member", "members", "commissioner"}


def _passage_holding(passages: list[Passage], meeting_id: int, start: int, end: int) -> Passage | None:
    for p in passages:
        if p.meeting_id == meeting_id and p.start <= start and end <= p.end:
            return p
    return None


def _recency(date: str | None, dates: dict[int, str | None]) -> float:
    known = sorted({d for d in dates.values() if d})
    if not date or len(known) < 2:
        return 0.0
    return known.index(date) / (len(known) - 1)
