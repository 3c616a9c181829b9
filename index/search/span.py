"""The answer span: the sentence that answers, verbatim from the top passages, fitted to the question's type."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from index.query import Question, words
from index.search.settings import Settings
from ingest.sentences import sentence_spans

_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
                     r"fifty|hundred|thousand|million|half|quarter)\b", re.I)
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
_DATE = re.compile(r"\b\d{1,2}(st|nd|rd|th)?\s+" + _MONTH + r"\b|\b" + _MONTH + r"\s+\d{1,2}\b|\b" + _MONTH +
                   r"\s+(19|20)\d\d\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{1,2}[:.]\d\d\b|\b\d{1,2}\s*(am|pm)\b|"
                   r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow|next (week|month))\b|"
                   r"\b(19|20)\d\d\b", re.I)
_PERSON = re.compile(r"\b(Cllr|Councillor|Mr|Mrs|Ms|Dr|Chair|Clerk|Commissioner|Constable|Superintendent|Officer|"
                     r"Director|Manager|Mayor|Inspector|[A-Z]{2,5})\b|\b[A-Z][a-z]+ [A-Z][a-z]+\b")
_PLACE = re.compile(r"\b(at|in|venue|hall|room|HQ|headquarters|centre|center|building|office)\b", re.I)
_PRONOUN_START = re.compile(r"^(This|It|These|They|He|She|That|Those|Its|Their|His|Her|However|In addition|Also)\b")
_TYPE = {"number": _NUMBER, "date": _DATE, "person": _PERSON, "place": _PLACE}


@dataclass
class SentencePick:
    passage: int        # index into the passages it was taken from
    start: int          # offsets inside that passage's text
    end: int
    score: float


def _stem(w: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def pick_sentence(question: Question, passages: list[str], weights: list[float],
                  similarities: list[dict[tuple[int, int], float]] | None = None,
                  headings: list[str | None] | None = None, settings: Settings | None = None) -> SentencePick | None:
    """The sentence (or two adjacent ones) across ``passages`` that best answers ``question``.

    ``weights`` are the passages' relevance, highest first; a sentence's own fit to the question
    decides within and across the passages that rank closely. ``similarities`` gives, per passage,
    the cosine of each sentence span with the question where sentence vectors are stored.
    ``headings`` gives each passage's agenda item label: a heading names a topic, never answers.
    """
    st = settings or Settings()
    terms = {_stem(t) for t in question.terms}
    for e in question.expansions:
        terms.update(_stem(w) for w in words(e))
    if not passages:
        return None
    # Words frequent across the candidate passages say little about which sentence answers.
    df: dict[str, int] = {}
    per_passage = []
    for text in passages:
        ws = {_stem(w) for w in words(text)}
        per_passage.append(ws)
        for w in ws & terms:
            df[w] = df.get(w, 0) + 1
    n = len(passages)
    idf = {t: math.log(1 + (n + 1) / (df.get(t, 0) + 0.5)) for t in terms}
    total = sum(idf.values()) or 1.0
    type_re = _TYPE.get(question.kind)
    best: SentencePick | None = None
    for p, (text, weight) in enumerate(zip(passages, weights)):
        spans = sentence_spans(text)
        sims = similarities[p] if similarities else {}
        heading = _squash(headings[p]) if headings and headings[p] else None
        for i, (s, e) in enumerate(spans):
            sent = text[s:e]
            if heading and not sent.rstrip().endswith((".", "?", "!")) and (
                    _squash(sent).startswith(heading) or _squash(sent) == _squash(heading.split(" ", 1)[-1])):
                continue
            sw = {_stem(w) for w in words(sent)}
            overlap = sum(idf[t] for t in terms & sw) / total
            sim = sims.get((s, e))
            score = weight * (st.span_base + overlap if sim is None else max(sim, 0.0) + overlap)
            if type_re is not None and type_re.search(sent):
                score *= st.span_type_bonus
            if len(sent) < st.span_short_chars:
                score *= st.span_short_factor
            if _looks_like_heading(sent):
                score *= st.span_heading_factor
            start = s
            if i > 0 and _PRONOUN_START.match(sent):
                start = spans[i - 1][0]
            if best is None or score > best.score:
                best = SentencePick(p, start, e, score)
    return best


def _looks_like_heading(sentence: str) -> bool:
    """Titles and item headings name a topic; they rarely state the answer."""
    ws = sentence.split()
    if len(ws) > 14 or sentence.rstrip().endswith((".", "?", "!")):
        return False
    caps = sum(1 for w in ws if w[:1].isupper() or w.isupper())
    return caps >= 0.6 * len(ws)


def _squash(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))
