"""The answer span: the sentence that answers, verbatim from the top passages, fitted to the question's type."""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field

import simplemma

from index.query import LATEST, POSSESSIVE, WORD, Question, american, words
from index.search.settings import Settings
from ingest.dates import DEADLINE_DATE
from ingest.names import TITLE
from ingest.votes import VOTE_LABEL
from ingest.sentences import answer_spans
from ingest.words import MONTH_ALTERNATION, MONTHS, WEEKDAY_ALTERNATION

_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
                     r"fifty|hundred|thousand|million|half|quarter)\b", re.I)
_MONTH = rf"(?:{MONTH_ALTERNATION})"
_DATE = re.compile(r"\b\d{1,2}(st|nd|rd|th)?\s+" + _MONTH + r"\b|\b" + _MONTH + r"\s+\d{1,2}\b|\b" + _MONTH +
                   r"\s+(19|20)\d\d\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{1,2}[:.]\d\d\b|\b\d{1,2}\s*(am|pm)\b|"
                   rf"\b({WEEKDAY_ALTERNATION}|today|tomorrow|next (week|month))\b|"
                   r"\b(19|20)\d\d\b", re.I)
_PERSON = re.compile(r"\b(Cllr|Councillor|Mr|Mrs|Ms|Dr|Chair|Clerk|Commissioner|Constable|Superintendent|Officer|"
                     r"Director|Manager|Mayor|Inspector|[A-Z]{2,5})\b|\b[A-Z][a-z]+ [A-Z][a-z]+\b")
_PLACE = re.compile(r"\b(at|in|venue|hall|room|HQ|headquarters|centre|center|building|office)\b", re.I)
_PRONOUN_START = re.compile(r"^(This|It|These|They|He|She|That|Those|Its|Their|His|Her|However|In addition|Also)\b")
# A member's question as the minutes report it ("The CEx asked whether the pay supplement would continue.")
# shares the question's words; the reply after it holds the answer.
_ASKED = re.compile(r"\b(?:ask|asks|asked|enquired|inquired|queried|wondered|requested an update|sought "
                    r"clarification)\s+(?:\w+\s+){0,3}?(?:whether|if|how|why|what|"
                    r"when|where|who|which|about)\b|\?\s*$", re.I)
# A line that puts a paper before the meeting ("Circulated, report of the Senior Executive Engineer dated 16th
# May, 2023 outlining ...", "The report of the Director was circulated.") names its subject; what it found is
# said after it.
_TABLED = re.compile(r"^\W*(?:\(\w{1,4}\)\s*)?(?:circulated|submitted|tabled)\b|^[^.]{0,160}\b(?:was|were|had been)\s+"
                     r"(?:circulated|tabled)\b", re.I)
# A question asking for a deadline itself: "By what date must staff report back?", "When is it due?"
_ASKS_DEADLINE = re.compile(r"\bby (?:what|which) (?:date|day|time|month)\b|\bby when\b|\bdeadline\b|\bdue\b|"
                            r"\btarget date\b", re.I)
_ASKS_WHY = re.compile(r"^\W*why\b|\bfor what reasons?\b|\bwhat (?:was|were) the reasons?\b|\bwhat reasons?\b|"
                       r"\bhow come\b|\bon what grounds\b", re.I)
_REASON = re.compile(r"\b(?:because|reasons?|due to|owing to|as a result of|so that|in order to|on the grounds|grounds of|"
                     r"given that|citing|cited)\b|"
                     # "RESOLVED to object, as internal illumination would be harmful": "as" with a clause of its own.
                     r",\s+as\s+(?:[\w'\u2019-]+\s+){1,4}?(?:was|were|is|are|had|has|have|would|could|did|does|do|will)\b",
                     re.I)


def asks_why(question: Question) -> bool:
    return bool(_ASKS_WHY.search(question.text))


def gives_reason(text: str) -> bool:
    # "Councillor Gino Ferraro – medical appointment": an apology's row gives its reason after a dash
    return bool(_REASON.search(text) or _DASHED_REASON.search(text))


_DASHED_REASON = re.compile(r"(?m)^[^\n]{2,60}?[ \t][\u2013\u2014-][ \t]+[a-z][a-z]+[^\n]*$")


# "Is the churchyard bench repair done?", "Has the backlog been cleared?": asked whether something is done, the
# sentence saying it was completed answers, not the line listing its cost.
_ASKS_DONE = re.compile(r"^\W*(?:is|are|was|were|has|have|had)\b.*\b(?:done|completed?|finished|fixed|repaired|"
                        r"in\s+place|delivered|carried\s+out|cleared|resolved|closed|implemented|installed|sorted)\b", re.I)
_DONE = re.compile(r"\b(?:done|complete[ds]?|completion|finished|fixed|repaired|in\s+place|delivered|carried\s+out|"
                   r"cleared|resolved|closed|implemented|installed|up\s+to\s+date|now\s+(?:open|live|in\s+use))\b", re.I)
_LEDGER_ROW = re.compile(r"\.{4,}")
_TITLE_SMALL = frozenset("a an and at by for in of on or the to with".split())
# What tells when or where in a text rather than how many: dates, years and financial years, times of day,
# and the numbers of items and paragraphs ("8.1.3", "15.1", "11)").
_NOT_QUANTITY = re.compile(
    r"\b\d{1,2}\s*(?:st|nd|rd|th)?\s+" + _MONTH + r"\b\.?(?:,?\s+(?:19|20)\d\d)?|"
    r"\b" + _MONTH + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+(?:19|20)\d\d)?|\b" + _MONTH + r"\s+(?:19|20)\d\d\b|"
    r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{1,2}[:.]\d\d\s*(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d\d\b|"
    r"\b\d{1,2}\s*(?:am|pm)\b|(?<![£$€\d.,])\b(?:19|20)\d\d(?:\s*[/-]\s*(?:19|20)?\d\d)?\b(?![.,]?\d|\s*%)|"
    r"(?m:^\s*\d+(?:\.\d+)*[.)]?(?=\s))|"
    # "Conference Room 2", "item 5.2", "page 3", "No. 3": a name or a reference, no count
    r"\b(?:room|item|page|para(?:graph)?|appendix|annex|section|minute|no\.?)\s*\d+(?:\.\d+)*\b(?!\s*%)", re.I)


class _Quantity:
    """A figure of how many or how much: a number that is no date, year, time or item number."""

    @staticmethod
    def search(text: str):
        return _NUMBER.search(_NOT_QUANTITY.sub(" ", text))


_TYPE = {"number": _Quantity, "date": _DATE, "person": _PERSON, "place": _PLACE}
# The unit a figure asked for comes in: asked what share, a percentage; asked what something cost or paid,
# an amount of money. A figure in another unit ("2,241 officers" for "what share were women?") is a
# weaker answer than one in the unit asked for.
_ASKS_SHARE = re.compile(r"\b(?:what|which)\s+(?:percentage|proportion|share|per\s?cent|fraction)\b|"
                         r"\bper\s?cent(?:age)?\b|%", re.I)
_ASKS_MONEY = re.compile(r"\bhow much (?:money|cash)\b|\b(?:what|how much)\b[^?]{0,80}?\b(?:cost|costs|costing|"
                         r"spend|spent|paid|pay|payment|fee|fees|price|refund|grant|salary|allocated?|"
                         r"funding|owes?|owed|charge|income|revenue|quotes?|quoted|quotation|tenders?|bids?|"
                         r"estimates?|invoices?|budget|overspend|underspend|deficit|surplus|reserves?|"
                         r"precept|donations?|loan|rent|award(?:ed)?|contract)\b|[£$€]", re.I)
_ASKS_TIME = re.compile(r"\bhow (?:much|many)\s+(?:\w+\s+)?(?:time|hours?|days?|weeks?|months?|years?|minutes?)\b", re.I)
_SHARE = re.compile(r"\d\s*%|\bper\s?cent\b|\bpercent", re.I)
_MONEY = re.compile(r"[£$€]\s*\d|\b(?:GBP|USD|EUR|CAD|AUD|NZD)\s*\d|\b\d[\d,.]*\s*(?:p|pence|pounds?|euros?|dollars?|cents?)\b", re.I)
_SHARE_OR_MONEY = re.compile(f"{_SHARE.pattern}|{_MONEY.pattern}", re.I)


def asked_unit(question: Question) -> re.Pattern | None:
    """What a figure in the unit the question asks for looks like, where it asks for one."""
    if question.kind != "number" or _ASKS_TIME.search(question.text):
        return None     # "How much weekly time will the clerk be paid for?" asks for hours
    share, money = _ASKS_SHARE.search(question.text), _ASKS_MONEY.search(question.text)
    if share and money:
        return _SHARE_OR_MONEY
    return _SHARE if share else _MONEY if money else None


# A person named by name or office: "Cllr Niamh Doherty", "Marcus Obi", "the DCC".
_SOMEONE = re.compile(rf"\b{TITLE}\.?(?:\s+[A-Z][\w'\u2019-]+){{1,3}}|"
                      r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b|\b[A-Z]{2,5}\b")
_NOT_NAMES = frozenset("the this that these those it its he she they his her their in on at a an if when as "
                       "after before during following cllr councillor mr mrs ms miss dr mayor alderman sir "
                       "dame".split())
# "Ashbridge Borough Council", "County Hall": capitalised words naming a body or a place, not a person.
_NOT_PERSON = re.compile(r"\b(?:Council|Borough|County|Committee|Panel|Board|Authority|Police|Force|Service|"
                         r"Parish|District|Hall|Street|Road|Lane|Chamber|Centre|Center|Office|Department|Trust|"
                         r"Court|Park|Church|School|Library|Station|Group|Team|Plan|Fund|Scheme|Act)\b")


def span_type(question: Question) -> re.Pattern | None:
    """The pattern a span answering this kind of question holds (a number, a date ...), if any."""
    return _TYPE.get(question.kind)


# A question that asks for a figure in so many words, not one that names a budget or a target.
_HOW_MANY = re.compile(r"\bhow (many|much)\b|\bwhat (percentage|proportion|share|number|amount|sum|total) of\b|"
                       r"\b(what|which) (salary|fee|price|sum|amount|payment|refund|grant)\b", re.I)


def holds_kind(question: Question, text: str) -> bool:
    """Whether ``text`` holds the kind of thing the question asks for (a figure, a date ...), where it asks
    for one; a member's question as reported holds only the question."""
    kind = _TYPE.get(question.kind)
    if kind is None or question.kind == "number" and not _HOW_MANY.search(question.text):
        return True
    said = " ".join(s for s in re.split(r"(?<=[.;!?])\s+", text) if not _ASKED.search(s))
    if not kind.search(said):
        return False
    # Asked what something cost, a figure in money answers ("with only 4 vacancies" does not).
    unit = asked_unit(question)
    return unit is None or bool(unit.search(said))


_HOW_MANY_OF = re.compile(r"\bhow many\s+(?:of\s+(?:the|our|its|their|these|those)\s+)?(?P<rest>.*)", re.I)
_COUNT_STOP = frozenset("did does do are were is was have has had will would can could must should now in of per a an "
                        "each at on for to from by that who which this".split())


def _counted(text: str) -> str | None:
    """The stem of what a "how many" question counts: "how many special constables does ..." -> "constabl",
    "how many of our officers went ..." -> "officer" (the word before the first verb or function word)."""
    m = _HOW_MANY_OF.search(text)
    if not m:
        return None
    head = None
    for w in re.findall(r"[\w'\u2019-]+", m.group("rest"))[:5]:
        w = w.lower()
        lemma = simplemma.lemmatize(w, lang="en")
        if w in _COUNT_STOP or w.endswith("ed") or (lemma != w and not w.endswith("s")):
            break
        head = w
    return _stem(POSSESSIVE.sub("", head)) if head else None


_WHAT_IS_THE = re.compile(
    r"^\s*(?:what|which)\s+(?:is|was|are|were|will be|would be|has been)\s+(?:the|its|their|his|her|our)\s+"
    r"(?P<np>(?:[\w'\u2019-]+\s+){0,3}?[\w'\u2019-]+)\s*(?:\b(?:for|of|on|in|to|at|by|from|that|which|with|under|"
    r"about|after|before|when|agreed|set|proposed|given)\b|[?,]|$)", re.I)
# Heads that name no thing of their own: the question's other words say what is asked.
_VAGUE_HEADS = frozenset("name names date dates time times result outcome status position view views reason "
                         "purpose point main latest figure figures number numbers amount total level value "
                         "theme subject topic question answer".split())


def _named_thing(text: str) -> str | None:
    """The stem of the thing a "what is the X ..." question asks for: "What is the current target for
    answering 101 calls?" -> "target". A span that does not name it reports something else (the month's
    figure, not the target)."""
    m = _WHAT_IS_THE.search(text)
    if not m:
        return None
    head = m.group("np").split()[-1]
    w = POSSESSIVE.sub("", head).lower()
    if (head[0].isupper() or w in _VAGUE_HEADS or (w.endswith("ed") and simplemma.lemmatize(w, lang="en") != w) or w in _COUNT_STOP
            or not w.isalpha()):
        return None
    return _stem(w)


_FY = re.compile(r"\b((?:19|20)\d\d)\s*[/-]\s*(?:(?:19|20)?\d\d)\b")
_YEAR = re.compile(r"(?<![\d/£$€.,])\b((?:19|20)\d\d)\b(?![/\d]|[.,]\d)")


def _years_asked(question: Question) -> tuple[frozenset[int], frozenset[int]] | None:
    """The financial years and the calendar years a question names its figure for, if it names some."""
    if question.financial_years:
        return frozenset(question.financial_years), frozenset()
    if question.period:
        y, _, y2, _ = question.period
        return frozenset(), frozenset(range(y, y2 + 1))
    return None


def _other_years(text: str, fys: frozenset[int], years: frozenset[int]) -> bool:
    """Whether ``text`` dates what it says to other years than those asked about ("in 2021/22" asked of
    2019/20; "on 31 August 2024" asked of September 2023), and to none of them."""
    if fys:
        said = {int(m.group(1)) for m in _FY.finditer(text)}
        return bool(said) and not said & fys
    said = {int(m.group(1)) for m in _YEAR.finditer(_FY.sub(" ", text))}
    return bool(said) and not said & years


def prepare() -> None:
    """Load the lemma dictionary now rather than on the first question."""
    _stem("upheld")


@dataclass
class SentencePick:
    passage: int        # index into the passages it was taken from
    start: int          # offsets inside that passage's text
    end: int
    score: float
    sim: float | None = None   # the span's cosine with the question, where a sentence vector is stored
    overlap: float = 0.0       # the share (idf-weighted) of the question's words the span holds
    features: list[float] = field(default_factory=list, repr=False)


@functools.lru_cache(maxsize=1 << 16)
def _stem(w: str) -> str:
    # "substituted" and "substitute" are one word to a question; so are "upheld" and "uphold".
    lemma = simplemma.lemmatize(w, lang="en")
    if not w.startswith(lemma[:max(3, len(lemma) - 2)]):
        w = lemma       # only where the word changes inside: regular endings are stripped below
    # British and American spellings are one word: "organisation", "organization"; "centre", "center".
    w = american(w)
    for suffix in ("ing", "ed", "es", "s", "e"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def span_candidates(question: Question, passages: list[str], weights: list[float],
                    similarities: list[dict[tuple[int, int], float]] | None = None,
                    headings: list[str | None] | None = None, settings: Settings | None = None,
                    naming: list[str] = (), places: frozenset[str] = frozenset()) -> list[SentencePick]:
    """Every span of ``passages`` that could answer ``question`` (see pick_sentence), in reading order,
    each with its hand-set fit and its SPAN_FEATURES."""
    st = settings or Settings()
    drop = {_stem(w) for w in naming}
    terms = {_stem(t) for t in question.terms} - drop
    for e in question.expansions:
        terms.update(_stem(w) for w in words(e))
    if not passages:
        return []
    # Words frequent across the candidate passages say little about which sentence answers.
    df: dict[str, int] = {}
    for text in passages:
        for w in _word_stems(text) & terms:
            df[w] = df.get(w, 0) + 1
    n = len(passages)
    idf = {t: math.log(1 + (n + 1) / (df.get(t, 0) + 0.5)) for t in terms}
    total = sum(idf.values()) or 1.0
    type_re = _TYPE.get(question.kind)
    # The people and roles the question names ("the Assistant Chief Constable", "Cllr Teskey") and the
    # acronyms they go by: a sentence about someone else answers a question about them less well.
    named = {w.lower() for w in re.findall(r"(?<!^)\b[A-Z][\w'\u2019-]+", question.text)} - {w.lower() for w in naming}
    named = {w for w in named if POSSESSIVE.sub("", w) not in places}
    named = {_stem(w) for w in named if w not in MONTHS} | {_stem(w) for e in question.expansions for w in words(e)
                                                            if e.isupper()}

    def mentions(text: str) -> bool:
        return bool(named & _word_stems(text))

    asks_deadline = bool(DEADLINE_DATE.search(question.text) or _ASKS_DEADLINE.search(question.text))
    # Asked about the papers themselves ("Which report was circulated ...?"), the line that tables one answers.
    tabled_counts = not re.search(r"\b(report|paper|circulat\w*|document|tabled|submitted)\b", question.text, re.I)
    # "Who replaced Peter Walsh?": a sentence naming only the people the question names does not say who.
    asked_words = {w.lower() for w in words(question.text)}

    def someone_else(mention: str) -> bool:
        names = [w.lower() for w in words(mention) if w.lower() not in _NOT_NAMES and w not in MONTHS]
        return bool(names) and not _NOT_PERSON.search(mention) and not any(w in asked_words for w in names)

    def holds_type(text: str) -> bool:
        if question.kind != "person":
            return bool(type_re.search(text))
        return any(someone_else(m.group(0)) for m in _SOMEONE.finditer(text))

    unit = asked_unit(question)
    why = bool(_ASKS_WHY.search(question.text))
    asks_done = bool(_ASKS_DONE.search(question.text))
    years_asked = _years_asked(question)
    # "How many special constables does the force have?": a count of something else does not answer.
    counted = _counted(question.text)
    thing = _named_thing(question.text)

    def fit(text: str, sim: float | None, weight: float, before: str = "", pair: bool = False,
            ) -> tuple[float, float, dict[str, float]]:
        # "must reach 2,305 by 31 March 2023" does not say what there was on 31 March 2023.
        said = text if asks_deadline else DEADLINE_DATE.sub(" ", text)
        overlap = sum(idf[t] for t in terms & _word_stems(said)) / total
        score = weight * (st.span_base + overlap if sim is None else max(sim, 0.0) + overlap)
        # Asked when something happened, the date it was due by is no answer ("Action: DCC to provide the
        # report by 31 January 2022" for "When was the report received?").
        typed = holds_type(said if question.kind == "date" else text) if type_re is not None else False
        if type_re is not None:
            score *= st.span_type_bonus if typed else (
                st.span_no_one_factor if question.kind == "person" else st.span_type_miss)
        other_unit = bool(typed and unit is not None and not unit.search(text))
        if other_unit:
            score *= st.span_unit_miss
        if counted and counted not in _word_stems(text):
            score *= st.span_count_miss
        if thing and thing not in _word_stems(text):
            score *= st.span_thing_miss
        if years_asked and _other_years(text, *years_asked):
            score *= st.span_period_miss
        # Asked why, the sentence that gives a reason ("because ...", "REASONS FOR DECISION: ...") answers.
        reason = why and bool(_REASON.search(text))
        if reason:
            score *= st.span_reason_bonus
        if asks_done and _DONE.search(text):
            score *= st.span_done_bonus
        short = len(text) < st.span_short_chars
        if short:
            score *= st.span_short_factor
        heading = _looks_like_heading(text)
        if heading:
            score *= st.span_heading_factor
        # A ledger's row ("Payee – what for ......... £240.00") says what was paid, not what was done.
        if question.kind != "number" and _LEDGER_ROW.search(text):
            score *= st.span_heading_factor
        if tabled_counts and _TABLED.search(text):
            score *= st.span_tabled_factor
        asked = bool(_ASKED.search(text.split(". ")[-1] if pair else text))
        if asked:
            score *= st.span_asked_factor
        # The person may be named just before, in the same item ("Request from Cllr X ... SPONSOR: X.
        # Moved by Y to refer ... for report back on 7 December"): the span is about them all the same.
        unnamed = bool(named and not mentions(before + " " + text) and any(mentions(t) for t in passages))
        if unnamed:
            score *= st.span_unnamed_factor
        seen = {"sim": -1.0 if sim is None else sim, "overlap": overlap, "typed": float(typed),
                "short": float(short), "heading": float(heading), "asked": float(asked),
                "unnamed": float(unnamed), "chars": float(len(text))}
        return score, overlap, seen

    out: list[SentencePick] = []
    for p, (text, weight) in enumerate(zip(passages, weights)):
        weight = weight ** st.span_passage_power
        stored = similarities[p] if similarities else {}
        heading = _squash(headings[p]) if headings and headings[p] else None
        units = [(a, b) for a, b in answer_spans(text) if not _is_heading(text[a:b], heading)]
        scored = []
        for i, (a, b) in enumerate(units):
            sim = _similarity(stored, a, b)
            score, overlap, seen = fit(text[a:b], sim, weight, text[max(0, a - st.span_context_chars):a])
            scored.append((a, b, sim, score, overlap))
            out.append(SentencePick(p, a, b, score, sim, overlap,
                                    _features(seen, p, weight, i, len(units), False, question)))
        for i, ((a, b, sa, x, oa), (c, d, sc, y, oc)) in enumerate(zip(scored, scored[1:])):
            # Two adjacent sentences only when the second adds words of the question the first lacks
            # (or a pronoun ties it to the first).
            # A line that introduces what follows ("The draw winners were :") is one answer with it.
            intro = text[a:b].endswith(":")
            if c - b > 3 and "\n\n" in text[b:c] and not intro:
                continue
            sims = [v for v in (sa, sc) if v is not None]
            score, overlap, seen = fit(text[a:d], max(sims) if sims else None, weight,
                                       text[max(0, a - st.span_context_chars):a], pair=True)
            asked = bool(_ASKED.search(text[a:b]))
            # ... or, asked why, the second gives the reason for the first ("REASONS FOR DECISION: ...").
            if (overlap <= max(oa, oc) + 1e-9 and not _PRONOUN_START.match(text[c:d]) and not asked and not intro
                    and not (why and _REASON.search(text[c:d]) and not _REASON.search(text[a:b]))):
                continue
            # A reported question and the reply after it are one answer.
            score *= st.span_reply_factor if asked else st.span_pair_factor
            out.append(SentencePick(p, a, d, score, max(sims) if sims else None, overlap,
                                    _features(seen, p, weight, i, len(units), True, question, asked,
                                              bool(_PRONOUN_START.match(text[c:d])))))
    return out


def pick_sentence(question: Question, passages: list[str], weights: list[float],
                  similarities: list[dict[tuple[int, int], float]] | None = None,
                  headings: list[str | None] | None = None, settings: Settings | None = None,
                  naming: list[str] = (), places: frozenset[str] = frozenset(), model=None) -> SentencePick | None:
    """The shortest span across ``passages`` that best answers ``question``: a sentence, a line, or two
    adjacent ones only when together they hold more of what is asked than either alone.

    ``weights`` are the passages' relevance, highest first; a span's own fit to the question decides
    within and across the passages that rank closely. ``similarities`` gives, per passage, the cosine
    with the question of each stored sentence. ``headings`` gives each passage's agenda item label: a
    heading names a topic, never answers. ``naming`` are the question's words that name its meeting:
    they chose the meeting and say nothing about which sentence answers. ``places`` are the words the
    index's meetings are called by ("Northshire", "Limerick"): a capitalised word among them is a body or
    a place, not a person a sentence must name. ``model`` (see span_model.py), when given, chooses among
    the same spans by their SPAN_FEATURES instead of the hand-set fit.
    """
    return choose_span(span_candidates(question, passages, weights, similarities, headings, settings, naming,
                                       places), model)


def choose_span(spans: list[SentencePick], model=None) -> SentencePick | None:
    """The span the hand-set fit puts first (the first of equals, as read), or the model's choice."""
    if not spans:
        return None
    if model is None:
        return max(spans, key=lambda c: c.score)
    return spans[model.choose(spans)]


# What a candidate span is, as numbers: its fit's parts, where it stands, what the question asks.
SPAN_FEATURES = ("sim", "overlap", "typed", "short", "heading", "asked", "unnamed", "chars", "passage", "weight",
                 "position", "first", "pair", "pair_asked", "pronoun", "kind_number", "kind_date", "kind_person",
                 "kind_place", "latest", "score", "sim_gap", "overlap_gap", "score_share", "sim_rank", "score_rank")


def _features(seen: dict[str, float], passage: int, weight: float, i: int, n: int, pair: bool,
              question: Question, pair_asked: bool = False, pronoun: bool = False) -> list[float]:
    kind = question.kind
    f = {**seen, "passage": float(passage), "weight": weight, "position": i / max(n, 1), "first": float(i == 0),
         "pair": float(pair), "pair_asked": float(pair_asked), "pronoun": float(pronoun),
         "kind_number": float(kind == "number"), "kind_date": float(kind == "date"),
         "kind_person": float(kind == "person"), "kind_place": float(kind == "place"),
         "latest": float(bool(question.wants_latest))}
    return [f.get(name, 0.0) for name in SPAN_FEATURES[:SPAN_FEATURES.index("score")]]


def span_matrix(spans: list[SentencePick]):
    """The spans' features with how each stands among the question's others (the gaps to the best
    similarity, overlap and fit, and their ranks), one row per span."""
    import numpy as np

    x = np.asarray([c.features for c in spans], dtype=np.float64).reshape(len(spans), -1)
    score = np.asarray([c.score for c in spans], dtype=np.float64)
    sim, overlap = x[:, SPAN_FEATURES.index("sim")], x[:, SPAN_FEATURES.index("overlap")]

    def rank(v):
        return np.argsort(np.argsort(-v, kind="stable"), kind="stable").astype(np.float64)

    top = score.max() if len(score) else 0.0
    extra = np.column_stack([score, sim.max() - sim, overlap.max() - overlap,
                             score / top if top > 0 else np.zeros_like(score), rank(sim), rank(score)])
    return np.hstack([x, extra])


def _similarity(stored: dict[tuple[int, int], float], a: int, b: int) -> float | None:
    """The cosine of the stored sentence that most of ``a..b`` is (spans at query time and the stored
    sentences of the chunker need not have the same bounds)."""
    best = None
    for (s, e), x in stored.items():
        overlap = min(b, e) - max(a, s)
        if overlap > 0.5 * min(b - a, e - s) and (best is None or x > best):
            best = x
    return best


def _is_heading(sentence: str, heading: str | None) -> bool:
    """The agenda item's own heading line: it names the topic, it never answers."""
    if not heading or sentence.rstrip().endswith((".", "?", "!")):
        return False
    squashed = _squash(sentence)
    return squashed.startswith(heading) or squashed == _squash(heading.split(" ", 1)[-1])


# A line that announces the minutes themselves ("Minutes of the meeting held on 25 July 2023", "MINUTES OF
# PROCEEDINGS AT MEETING OF ...", "Boughton Parish Council. Meeting 4th May 2012.") is their title, however long.
_MINUTES_TITLE = re.compile(r"^\W*(?:[\w'’&,.-]+\s+){0,8}?(?:minutes|notes)\s+of\b|"
                            r"^\W*(?:[A-Z][\w'’&-]*\s+){1,6}(?:council|committee|panel|board)\W+(?:meeting|minutes)\b",
                            re.I)
# ... unless it says something of them ("The minutes of the meeting held on 5 May were agreed").
_STATES = re.compile(r"\b(?:was|were|is|are|been|approved|agreed|noted|signed|accepted|confirmed|adopted|taken)\b",
                     re.I)


@functools.lru_cache(maxsize=1 << 14)
def _looks_like_heading(sentence: str) -> bool:
    """Titles and item headings name a topic; they rarely state the answer."""
    ws = sentence.split()
    first = sentence.strip().split("\n", 1)[0]
    if _MINUTES_TITLE.match(first) and len(first.split()) <= 25 and not _STATES.search(first):
        return True
    if sentence.rstrip().endswith((".", "?", "!")):
        return False
    # A line all in capitals and no sentence is a title or a heading at any length.
    if len(ws) >= 3 and not any(ch.islower() for ch in sentence):
        letters = [ch for ch in sentence if ch.isalpha()]
        if len(letters) >= 12 and all(ch.isupper() for ch in letters):
            return True
    if len(ws) > 14:
        return False
    # A title's dashes, numbers and small words ("Police and Crime Panel - 5 February 2024") are not
    # what makes it one: its capitalised words are.
    caps = sum(1 for w in ws if w[:1].isupper() or w.isupper())
    if caps >= 0.6 * len(ws):
        return True
    big = [w for w in ws if any(ch.isalpha() for ch in w) and w.lower() not in _TITLE_SMALL]
    return bool(big) and sum(1 for w in big if w[:1].isupper()) >= 0.75 * len(big)


def _squash(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


# A tally or the names under it ("Nays: Hensley.", "Motion Carried 5-1-1.") says nothing of what was voted on.
_TALLY = re.compile(rf"\s*(?:{VOTE_LABEL}\s*:|"
                    r"motion\s+(?:carried|failed|lost|passed|defeated)\b|carried\b|\(?\d+\s*-\s*\d+)", re.I)
_ROLL = re.compile(r"\b(?:roll call|present|yeas|ayes)\s*:|\bmotion\s+(?:carried|failed|lost|passed)\b|\bmoved by\b",
                   re.I)
_MOVED = re.compile(r"\b(?:moved|motion|proposed|on the proposal)\b", re.I)


def _with_its_motion(text: str, start: int, end: int, lo: int, limit: int) -> int:
    """Where a quote of a tally starts so that it holds its motion: the start of its line (the roll-call
    item) when that is short enough, else the sentence that moved it."""
    if not _TALLY.match(text, start):
        return start
    line = max(text.rfind("\n", lo, start) + 1, lo)
    if end - line <= limit:
        # The roll call or the vote it continues ("ROLL CALL: Present: ...\nAbsent: Cownie.", "Motion
        # Carried 5-1\nPass: Hensley.") is on the line before.
        for _ in range(2):
            if line <= lo:
                break
            before = max(text.rfind("\n", lo, line - 1) + 1, lo)
            if end - before > limit or not _ROLL.search(text, before, line):
                break
            line = before
        return line
    moved = [m.start() for m in _MOVED.finditer(text, line, start)]
    return moved[-1] if moved and end - moved[-1] <= limit else start


def _set_apart(text: str, a: int, b: int, lo: int) -> bool:
    """A heading on a line of its own after a blank line ("Approval of Minutes"): it starts another item, and
    what is written beyond it is about something else. (A numbered item's title may say what the item did,
    "3 Minutes of the meeting held on 8 November 2021"; a line with a colon is a figure's label.)"""
    line = text[a:b]
    return (text[max(lo, a - 2):a] == "\n\n" and text[b:b + 1] in ("\n", "") and ":" not in line
            and _looks_like_heading(line))


def complete(question: Question, text: str, start: int, end: int, lo: int, hi: int, naming: list[str] = (),
             limit: int = 400) -> tuple[int, int]:
    """``text[start:end]`` widened by the adjacent sentences (inside ``lo..hi``, its passage) that hold
    words of the question it lacks: "who moved it, and what was agreed" needs the motion and its mover.
    A sentence is added only while the quote stays under ``limit`` characters."""
    drop = {_stem(w) for w in naming}
    terms = {_stem(t) for t in question.terms} - drop
    start = _with_its_motion(text, start, end, lo, 2 * limit)
    units = [(lo + a, lo + b) for a, b in answer_spans(text[lo:hi])]

    def missing(a: int, b: int) -> set[str]:
        return terms - _word_stems(text[a:b])

    before = list(reversed([u for u in units if u[1] <= start]))
    after = [u for u in units if u[0] >= end]
    for side in (after[:2], before[:3]):
        # The farthest of the next few sentences that adds a word the quote lacks, and those between.
        reach = None
        for a, b in side:
            # A heading starts another item: what is written beyond it is about something else.
            if max(end, b) - min(start, a) > limit or _set_apart(text, a, b, lo):
                break
            if missing(start, end) - missing(a, b):
                reach = (a, b)
        if reach:
            start, end = min(start, reach[0]), max(end, reach[1])
    return start, end


@functools.lru_cache(maxsize=1 << 15)
def _word_stems(text: str) -> frozenset[str]:
    """The stemmed words of a span as a question's words are read (a possessive dropped)."""
    return frozenset(_stem(w) for w in words(text))


def covers(question: Question, text: str) -> bool:
    """Whether ``text`` holds every word the question asks about (at least two of them), as stems."""
    # "current", "now", "latest" ask when, not what: the later passage need not say them
    terms = {_stem(t) for t in question.terms if not LATEST.fullmatch(t)}
    return len(terms) >= 2 and terms <= _stems(text)


@functools.lru_cache(maxsize=1 << 14)
def _stems(text: str) -> frozenset[str]:
    """The stemmed words of a passage or a sentence: the same passages come back question after question."""
    return frozenset(map(_stem, set(WORD.findall(text.lower()))))


def best_sentence_ranking(question: Question, texts: dict[int, str], sentences: dict[int, list[tuple[int, int, float]]],
                          naming: list[str] = (), settings: Settings | None = None) -> list[tuple[int, float]]:
    """Passages ranked by the best answer each holds: a stored sentence's similarity to the question plus
    how many of its rarer words the sentence holds, for the kind of thing asked. The passage that
    answers is the one with a sentence that does."""
    st = settings or Settings()
    drop = {_stem(w) for w in naming}
    terms = {_stem(t) for t in question.terms} - drop
    stems = {cid: _stems(text) for cid, text in texts.items()}
    df: dict[str, int] = {}
    for ws in stems.values():
        for w in ws & terms:
            df[w] = df.get(w, 0) + 1
    n = len(texts)
    idf = {t: math.log(1 + (n + 1) / (df.get(t, 0) + 0.5)) for t in terms}
    total = sum(idf.values()) or 1.0
    type_re = _TYPE.get(question.kind)
    most = (max(st.span_type_bonus, st.span_type_miss, 0.0) if type_re is not None else 1.0) * max(
        st.span_heading_factor, 1.0)
    out = []
    for cid, text in texts.items():
        best = 0.0
        present = stems[cid] & terms
        reach = sum(idf[t] for t in present) / total          # the most a sentence's words can add
        # Most similar first: once even the most a sentence could score is no better, none after it is.
        for a, b, sim in sorted(sentences.get(cid, []), key=lambda abx: abx[2], reverse=True):
            if (max(sim, 0.0) + reach) * most <= best:
                break
            held = present & _stems(text[a:b]) if present else set()
            score = max(sim, 0.0) + sum(idf[t] for t in held) / total
            if score * most <= best:
                continue            # the factors below only shrink it, or grow it by at most ``most``
            sent = text[a:b]
            if type_re is not None:
                score *= st.span_type_bonus if type_re.search(sent) else st.span_type_miss
            if _looks_like_heading(sent):
                score *= st.span_heading_factor
            best = max(best, score)
        out.append((cid, best))
    return sorted(out, key=lambda x: x[1], reverse=True)
