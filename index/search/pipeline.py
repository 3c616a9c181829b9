"""The search pipeline: candidates → the meetings a question names → ranking → the answer span."""
from __future__ import annotations

import logging
import re
import threading
from pathlib import Path

import faiss

from index import keywords, sentence_cache
from index.backends import open_backend
from index.backends.expr import Where
from index.embed import Embedder, SentenceEmbedder, model_for_index
from index.keywords import KeywordIndex
from index.sentence_cache import SentenceVectors
from index.query import MEETING_WORD, Question, parse_question, words
from index.search import candidates, facts, features, history, rank
from index.search.history import HistoryPoint
from index.search.meetings import MeetingNames, surely_named
from index.search.ranker import load_ranker
from index.search.span_model import load_span_model
from index.search.candidates import SentenceScores
from index.search.settings import DEFAULT, Settings
from index.search.span import asks_why, best_sentence_ranking, choose_span, covers, gives_reason, holds_kind, complete, span_candidates, span_type
from index.search.types import Answer, Filters, Passage, Result
from index.store import Store, StoredFact
from index.vectors import VectorIndex, load_or_build
from ingest.model import CleanText
from ingest.words import MONTHS as MONTH_WORDS

log = logging.getLogger(__name__)


_ORDINALS = "first|second|third|fourth|final|last"
_ORDINAL = re.compile(rf"\b({_ORDINALS})\s+(\w+)", re.I)


class Searcher:
    """Answers questions from one index folder. Safe to share between threads of one process."""

    def __init__(self, folder: Path, embedder: Embedder | None = None, model: str | None = None,
                 settings: Settings = DEFAULT, store: str | None = None):
        self.folder = Path(folder)
        self.store = Store(self.folder)
        # Where chunks are searched (--store): the SQLite file's own caches, or a search engine.
        self.backend = open_backend(store)
        self._size = 0
        # One store a clearance: each reads only its collections (see Store._clear_for).
        self._cleared: dict[frozenset[str], Store] = {}
        self.settings = settings
        self._embedder = embedder
        self._model_spec = model
        self._lock = threading.Lock()
        self._vectors: VectorIndex | None = None
        self._keywords: KeywordIndex | None = None
        self._sentences: SentenceVectors | None = None
        self._glossary: dict[str, set[str]] = {}
        self._names = MeetingNames([])
        self._generation = -1
        self._ranker = None
        self._ranker_loaded = False
        # Called with (question, candidate ids, their chunks, their features) before ranking: how the
        # learned ranking's training data is gathered, by the same code that ranks.
        self.on_candidates = None
        self._span_model_ = None
        self._span_model_loaded = False
        # Called with (question, top passages, their candidate spans, the words naming its meeting) before a
        # span is chosen: how the span model's training data is gathered.
        self.on_spans = None
        self._check_model()
        # One question at a time: FAISS's thread pool spinning beside torch's costs far more than it saves.
        faiss.omp_set_num_threads(1)

    # -- setup --------------------------------------------------------------
    def _check_model(self) -> None:
        meta = self.store.meta()
        if "model_name" not in meta:
            return
        if self._embedder is None:
            self._embedder = SentenceEmbedder(model_for_index(meta, self._model_spec))
        self.store.check_settings(self._embedder.name, str(self._embedder.path), int(meta["dim"]),
                                  meta.get("chunker", ""))

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = SentenceEmbedder(self._model_spec)
        return self._embedder

    def refresh(self) -> None:
        """Follow the store: reload vectors and glossary when a nightly run has committed."""
        generation = self.store.generation()
        if generation == self._generation and (self._vectors is not None or self.backend.engine is not None):
            return
        engine = self.backend.engine
        if engine is None:
            self._vectors = load_or_build(self.store)
            self._keywords = self._load_keywords()
            self._size = self._vectors.size
        else:
            self._size = engine.count()
        self._sentences = self._load_sentences()
        self._glossary = self._load_glossary()
        self._names = MeetingNames(self.store.meeting_cards())
        self._generation = generation

    def _load_keywords(self) -> KeywordIndex | None:
        try:
            return keywords.load_or_build(self.store)
        except (OSError, ValueError, RuntimeError) as exc:
            # FTS5 in the store answers the same question, only slower at scale.
            log.warning("keyword cache unavailable (%s): keyword search reads SQLite's FTS5", exc)
            return None

    def _load_sentences(self) -> SentenceVectors | None:
        try:
            return sentence_cache.load_or_build(self.store)
        except (OSError, ValueError) as exc:
            log.warning("sentence cache unavailable (%s): sentence vectors are read from the store", exc)
            return None

    def _load_glossary(self) -> dict[str, set[str]]:
        gloss: dict[str, set[str]] = {}
        for acr, exp in self.store.glossary_pairs():
            # "CC", "PCC", but also "DoF" and "CEx": at least two capitals, no spaces.
            if acr and exp and 1 < len(acr) <= 8 and " " not in acr and sum(ch.isupper() for ch in acr) >= 2:
                gloss.setdefault(acr, set()).add(" ".join(exp.split()))
        return gloss

    def _span_model(self):
        if not self._span_model_loaded:
            self._span_model_, self._span_model_loaded = load_span_model(), True
        return self._span_model_

    def _learned_ranker(self):
        if not self._ranker_loaded:
            self._ranker, self._ranker_loaded = load_ranker(), True
        return self._ranker

    # -- search -------------------------------------------------------------
    def _store_for(self, collections: list[str] | None) -> Store:
        if collections is None:
            return self.store
        key = frozenset(collections)
        if key not in self._cleared:
            self._cleared[key] = Store(self.folder, collections=key)
        return self._cleared[key]

    def ask(self, question: str, top_k: int = 5, filters: Filters | None = None,
            settings: Settings | None = None) -> Result:
        """Answer ``question`` as a reader cleared for ``filters.collections`` sees the index (every
        collection when None): every read goes through a store that can only read those."""
        filters = filters or Filters()
        with self._lock:
            everything = self.store
            self.refresh()
            self.store = self._store_for(filters.collections)
            try:
                return self._ask(question, top_k, filters, settings or self.settings)
            finally:
                self.store = everything

    def _ask(self, question: str, top_k: int, filters: Filters, s: Settings) -> Result:
        q = parse_question(question, self._glossary)
        # A question without a single word ("?!", an emoji) asks nothing that a quote could answer.
        if not q.text or not re.search(r"\w", q.text) or (self._size == 0 and not q.terms):
            return Result(question, None, [])
        with self.store.snapshot():
            allowed = self._allowed(filters)
            qvec = None
            if s.dense and self._size:
                qvec = self.embedder.encode([q.dense_text])[0]
            if self.backend.engine is not None:
                dense, keyword, pool, sentences = self._engine_candidates(q, qvec, filters, s)
            else:
                dense, keyword, pool, sentences = self._cache_candidates(q, qvec, allowed, s)
            named = self._names.named(q, s) if s.meetings else {}
            if s.meetings and s.meeting_described and q.described:
                # The meeting whose passage best says that business, if it is one of those the body's name
                # leaves (two of the panel's); a word any body's meetings go by ("the committee meeting that
                # ...") gives way to the business.
                sure = surely_named(named, s)
                generic = all(MEETING_WORD.fullmatch(w) for w in self._names.name_words(q, s))
                # Of the meetings the body's name leaves when it names some: "the police and crime panel meeting
                # that considered the precept" is a panel's, whichever parish also set one.
                # A word any body's meetings go by ("the panel meeting that ...") keeps to its meetings only while
                # one of them says the business about as well as the best.
                described = self._described_meeting(q.described, filters, allowed, s, sure,
                                                    s.meeting_described_share if generic else 0.0)
                if described is not None and (not sure or described in sure or generic):
                    named = {described: 1.0}
            scoped = self._scoped(q, qvec, named, allowed, s, pool)
            answering: list[tuple[int, float]] = []
            if s.answer_ranking and sentences and q.kind not in s.answer_ranking_skip:
                texts = {cid: c.text for cid, c in self.store.chunks_by_id(list(sentences)).items()}
                naming = self._names.name_words(q, s) if s.meetings else []
                answering = best_sentence_ranking(q, texts, sentences, naming, s)
            ranked = self._rank(q, dense, keyword, top_k, s, named, scoped, answering)
            passages = ranked[:top_k]
            answer = None
            kinds = facts.wanted(q) if s.structure else ()
            if not kinds and s.structure and facts.asks_of_a_meeting(q) and not self._held_as_named(q, s):
                kinds = ("next_meeting",)
            silent = False
            if kinds:
                answer, passages, silent = self._answer_from_facts(q, kinds, passages, named, filters, s)
                if answer is None and not silent and set(kinds) <= facts.VOTERS:
                    # "Who voted against?" where the minutes give only the count ("carried (3 for, 1
                    # against)"): the count is what they say of it.
                    answer, passages, silent = self._answer_from_facts(q, ("tally",), passages, named, filters, s)
            elif s.roles:
                answer, passages = self._answer_from_role(q, passages, filters, surely_named(named, s))
            if answer is None and not silent:
                answer = self._answer(q, passages, sentences, s, surely_named(named, s))
                if answer is not None and not facts.says_part(kinds, answer.text):
                    answer = None   # "Who seconded ...?": a passage that seconds nothing does not say
                if answer is not None and s.lead_with_answer:
                    # The passages lead with the one the answer is quoted from: the card and the first
                    # passage below it say the same thing.
                    passages = rank.lead_with_passage(answer.start, answer.meeting_id, passages)
                    answer.passage_rank = next((p.rank for p in passages if p.meeting_id == answer.meeting_id
                                                and p.start <= answer.start < p.end), answer.passage_rank)
            later = self._later(q, answer, ranked, sentences, s) if answer and not answer.fact else None
            trend = self._history(q, answer, ranked, sentences, s) if answer and not answer.fact else []
        return Result(question, answer, passages, later, trend)

    def _described_meeting(self, business: str, filters: Filters, allowed: list[int] | None,
                           s: Settings, among: set[int] | None = None, share: float = 0.0) -> int | None:
        """The meeting a question names by its business ("the meeting that co-opted the new councillor"): the
        meeting of the passage that best says so, asked on its own."""
        q = parse_question(business, self._glossary)
        if not q.terms:
            return None
        qvec = self.embedder.encode([q.dense_text])[0] if s.dense and self._size else None
        if self.backend.engine is not None:
            dense, keyword, _, _ = self._engine_candidates(q, qvec, filters, s)
        else:
            dense, keyword, _, _ = self._cache_candidates(q, qvec, allowed, s)
        ranked = self._rank(q, dense, keyword, 1, s)
        # "the Orchard Commons first reading" is not the meeting that held its second reading
        ordinal = _ORDINAL.search(business)
        if ordinal:
            other = re.compile(rf"\b(?!{ordinal.group(1)}\b)(?:{_ORDINALS})\s+{re.escape(ordinal.group(2))}\b", re.I)
            same = re.compile(rf"\b{ordinal.group(1)}\s+{re.escape(ordinal.group(2))}\b", re.I)
            ranked = sorted(ranked, key=lambda p: bool(other.search(p.text)) and not same.search(p.text))
        if among and ranked:
            held = next((p for p in ranked if p.meeting_id in among), None)
            if held is not None and held.score >= share * ranked[0].score:
                return held.meeting_id
            return ranked[0].meeting_id if share else None
        return ranked[0].meeting_id if ranked else None

    def _cache_candidates(self, q: Question, qvec, allowed: list[int] | None, s: Settings):
        dense = candidates.dense(self._vectors, qvec, allowed, s.candidates) if qvec is not None else []
        # One keyword query gives both the ranking (its head) and the scores of the dense
        # candidates (its deeper pool): a second query filtered by rowid rescans every match.
        pool = candidates.keyword(self.store, q, allowed, s, s.keyword_pool, self._keywords) if s.keyword else []
        keyword = pool[:s.candidates]
        sentences: SentenceScores = {}
        if s.dense and s.keyword:
            dense, keyword, sentences = candidates.rescore(self.store, self._vectors, qvec, dense, pool, s,
                                                           self._sentences)
        return dense, keyword, pool, sentences

    def _where(self, f: Filters, ids: list[int] | None = None) -> Where:
        """The filters and the reader's clearance, as the engine applies them inside each request."""
        return Where(self.store.collections, f.since, f.until, tuple(f.series), tuple(f.documents),
                     None if ids is None else tuple(ids))

    def _engine_candidates(self, q: Question, qvec, filters: Filters, s: Settings):
        dense, pool, sentences = candidates.engine(self.backend.engine, q, qvec, self._where(filters), s,
                                                   self.store, self._sentences)
        pool = pool if s.keyword else []
        return dense, pool[:s.candidates], pool, sentences

    def _allowed(self, f: Filters) -> list[int] | None:
        if not f.active():
            return None
        return self.store.chunk_ids_where(f.since, f.until, f.series, f.documents)   # through the clearance

    def _scoped(self, q: Question, qvec, named: dict[int, float], allowed: list[int] | None,
                s: Settings, pool: list[tuple[int, float]] = ()) -> list[list[tuple[int, float]]]:
        """Both rankings again inside the meetings the question surely names, so that their passages
        compete among themselves rather than with every meeting's."""
        sure = sorted(surely_named(named, s))
        if not sure or len(sure) >= len(self._names.cards):
            return []
        if s.meeting_topic:
            # Inside the meetings it names, the body's name and the date say nothing about which passage answers.
            topic = q.topic(self._names.name_words(q, s))
            if topic.text != q.text:
                q = topic
                qvec = self.embedder.encode([q.dense_text])[0] if qvec is not None else None
        engine = self.backend.engine
        share = len(sure) / max(len(self._names.cards), 1)
        if engine is None and allowed is None and self._by_filter(share, s):
            return self._scoped_by_filter(q, qvec, set(sure), share, s, pool)
        ids = self.store.chunk_ids_of_meetings(sure)
        if allowed is not None:
            keep = set(allowed)
            ids = [c for c in ids if c in keep]
        if not ids:
            return []
        out = []
        if engine is not None:
            where = self._where(Filters(), ids)
            if qvec is not None:
                out.append(engine.dense(qvec, s.candidates, where))
            if s.keyword:
                out.append(candidates.engine_keyword(engine, self.store, q, " ".join([*q.terms, *q.expansions]),
                                                     s.candidates, where, s))
            return out
        if qvec is not None:
            out.append(candidates.dense(self._vectors, qvec, ids, s.candidates))
        if s.keyword and s.meeting_requery:
            out.append(candidates.keyword(self.store, q, ids, s, s.candidates, self._keywords))
        elif s.keyword:
            inside = set(ids)
            out.append([(c, x) for c, x in pool if c in inside][:s.candidates])
        return out

    def _depth(self, share: float, s: Settings) -> int:
        return min(self._size, max(s.candidates, int(s.candidates * s.scope_depth / max(share, 1e-9))))

    def _by_filter(self, share: float, s: Settings) -> bool:
        """Whether meetings holding ``share`` of the index are searched by filtering the whole index's
        rankings rather than by scoring each of their chunks: when they hold several times more chunks
        than the filtered rankings would read (a series of a large archive), not for a few meetings."""
        if s.scope_path != "auto":
            return s.scope_path == "filter"
        chunks = share * self._size
        return chunks > s.scope_exact_max and chunks > s.scope_filter_ratio * self._depth(share, s)

    def _scoped_by_filter(self, q: Question, qvec, sure: set[int], share: float, s: Settings,
                          pool: list[tuple[int, float]] = ()) -> list[list[tuple[int, float]]]:
        """The rankings inside meetings named by the hundred ("the Police and Crime Panel" of a large
        archive): each ranking of the whole index, deep enough to hold about ``scope_depth`` times the
        candidates among those meetings, kept to them. Scoring each of their chunks one by one would cost
        more than the rest of the question."""
        deep = self._depth(share, s)
        dense = self._vectors.search(qvec, deep) if qvec is not None else []
        keyword = [] if not s.keyword else (candidates.keyword(self.store, q, None, s, deep, self._keywords)
                                            if s.meeting_requery else list(pool))
        meeting_of = self.store.meetings_of_chunks(list({c for c, _ in dense} | {c for c, _ in keyword}))
        return [[(c, x) for c, x in ranking if meeting_of.get(c) in sure][:s.candidates]
                for ranking in (dense, keyword) if ranking]

    def _rank(self, q: Question, dense: list[tuple[int, float]], keyword: list[tuple[int, float]], top_k: int,
              s: Settings, named: dict[int, float] | None = None,
              scoped: list[list[tuple[int, float]]] = (), answering: list[tuple[int, float]] = ()
              ) -> list[Passage]:
        # Inside the meetings the question names, the rankings by topic decide; the plain rankings, led by
        # the words naming the meeting, count for less.
        outer = s.meeting_outer_weight if scoped else 1.0
        scores = rank.fuse([dense, keyword, *scoped, list(answering)], s,
                           [outer, outer] + [1.0] * len(scoped) + [s.answer_ranking_weight])
        if not scores:
            return []
        pool = sorted(scores, key=scores.get, reverse=True)[: max(top_k * 4, s.rank_pool)]
        chunks = self.store.chunks_by_id(pool)
        fused = {cid: scores[cid] for cid in pool if cid in chunks}
        scores = dict(fused)
        if named:
            rank.boost_named_meetings(scores, chunks, named, s)
        signals = rank.date_signals(q, chunks, s) if s.dates else {}
        if s.dates:
            rank.boost_dates(q, scores, signals, s)
        if s.latest and q.wants_latest and not q.period_months:
            sure = surely_named(named or {}, s)
            rank.boost_latest(scores, {c: x for c, x in chunks.items() if not sure or x.meeting_id in sure}, s, q)
        # Asked how things stand now, the hand-set recency signals decide: the model, trained on questions of
        # every kind, undoes them (present-tense answers 0.833 -> 0.625 on the dev part it never saw).
        use = s.learned and not (q.wants_latest and s.learned_not_latest)
        ranker = self._learned_ranker() if use else None
        if self.on_candidates is not None or ranker is not None:
            ids = list(fused)
            x = features.matrix(q, ids, chunks, fused, scores, dense, keyword, list(answering), named or {},
                                signals)
            if self.on_candidates is not None:
                self.on_candidates(q, ids, chunks, x)
            if ranker is not None and ids:
                # The model says the order; the hand-set scores, handed out best first in that order, keep
                # the scale the quote's weighing and the recency band were set on (a model's raw outputs
                # can be negative, so one passage's score over the best's would mean nothing).
                learned = ranker.predict(x)
                spread = sorted((scores.get(cid, 0.0) for cid in ids), reverse=True)
                by_model = sorted(range(len(ids)), key=lambda i: -learned[i])
                scores = {ids[i]: v for i, v in zip(by_model, spread)}
        return rank.order(scores, chunks, len(scores), s, dict(dense),
                          {cid: r for r, (cid, _) in enumerate(dense, 1)},
                          {cid: r for r, (cid, _) in enumerate(keyword, 1)})

    # -- the answer ---------------------------------------------------------
    def _answer_from_facts(self, q: Question, kinds: tuple[str, ...], passages: list[Passage],
                           named: dict[int, float], filters: Filters, s: Settings
                           ) -> tuple[Answer | None, list[Passage], bool]:
        """The answer read from the minutes' structure, its passage listed first; (None, passages, False)
        when the structure holds nothing for the question, (None, passages, True) when it shows that the
        minutes do not say (an apology recorded without a reason)."""
        sure = surely_named(named, s)
        window = facts.announced_window(q) if "next_meeting" in kinds else None
        announcing = set(self.store.meetings_announcing(*window)) if window else set()
        if sure:
            meetings = sure | announcing
        elif set(kinds) <= facts.MEETING_LEVEL:
            meetings = set(self.store.meetings_with_facts(list(kinds)))
        else:
            meetings = {p.meeting_id for p in passages} | set(named)
        if len(meetings) > s.fact_meetings_max and not set(kinds) <= facts.MEETING_LEVEL:
            # A motion is weighed by the words of its item, read from its meeting's text: of a series of
            # thousands of meetings, those of the passages found and the latest ones are read.
            latest = sorted((c for c in self._names.cards if c.id in meetings), key=lambda c: c.date or "",
                            reverse=True)[:s.fact_meetings_max]
            meetings = ({p.meeting_id for p in passages} & meetings) | {c.id for c in latest}
        meetings |= announcing
        if filters.active():
            meetings &= set(self.store.meeting_ids_where(filters.since, filters.until, filters.series,
                                                         filters.documents))
        found = self.store.facts(sorted(meetings), list(kinds))
        dates = {c.id: c.date for c in self._names.cards if c.id in meetings}
        naming = self._names.name_words(q, s)
        texts: dict[int, str] = {}

        def quote(meeting_id: int, start: int, end: int) -> str:
            if meeting_id not in texts:
                texts[meeting_id] = self.store.meeting_text(meeting_id)
            return texts[meeting_id][start:end]

        if s.fact_silence:
            unsaid = facts.reason_unrecorded(
                q, kinds, lambda: self.store.facts(sorted(sure), list(facts.ABSENCES)), sure, naming,
                lambda m: quote(m, 0, None))
            if unsaid:
                chunk = self.store.chunk_at(unsaid[0].meeting_id, unsaid[0].start)
                return None, (rank.lead_with(chunk, passages) if chunk is not None else passages), True
            if sure and len(sure) <= s.fact_silence_meetings and facts.part_unrecorded(
                    q, kinds, self.store.facts(sorted(sure), ["motion", "mover", "result", "resolution"]),
                    [f for f in found if f.meeting_id in sure],
                    [quote(m, 0, None) for m in sorted(sure)]):
                return None, passages, True
        best = facts.pick(q, kinds, found, passages, {m: w for m, w in named.items() if m in meetings}, dates,
                          naming, s, quote, self.store.item_starts(sorted({f.meeting_id for f in found
                                                                           if f.kind not in facts.MEETING_LEVEL})),
                          {c.id: f"{c.title or ''} {c.series or ''}" for c in self._names.cards if c.id in announcing},
                          self._motion_words(found) if facts.MOTION_PARTS & set(kinds) else None,
                          self._names.vocabulary if s.meetings else frozenset())
        if best is None or best.score < s.fact_min:
            return None, passages, False
        chunk = self.store.chunk_at(best.meeting_id, best.start)
        if chunk is None:
            return None, passages, False
        start, end = best.start, best.end
        if s.fact_complete:
            quote(best.meeting_id, 0, 0)
            # The citation names the meeting: its title's words, and the question's words for a meeting ("the
            # board meeting"), do not make the quote take in the title or "called the meeting to order".
            titled = [*naming, *words(chunk.title or ""), *words(chunk.series or ""),
                      *(w for w in q.terms if MEETING_WORD.fullmatch(w)
                        or best.facts[0].kind in facts.MEETING_LEVEL and w in facts.ASKING_WORDS
                        # "the harbour board's May meeting": the month names the meeting, not a date to quote
                        or q.month is not None and w in MONTH_WORDS)]
            start, end = complete(q, texts[best.meeting_id], start, end, chunk.start, max(chunk.end, end), titled,
                                  s.fact_quote_max)
            if best.facts[0].kind == "next_meeting":
                end = facts.next_meeting_about(q, texts[best.meeting_id], end, s.fact_next_line_max)
            if {"tally", "result"} & set(kinds):
                end = facts.roll_call_after(texts[best.meeting_id], end, start + s.fact_quote_max)
        answer = Answer(text=quote(best.meeting_id, start, end), document=chunk.document, title=chunk.title,
                        date=chunk.date, item=chunk.item, page=self._page(best.meeting_id, start) or chunk.page,
                        passage_rank=1, start=start, end=end, meeting_id=best.meeting_id, fact=best.facts[0].kind,
                        collection=chunk.collection)
        return answer, rank.lead_with(chunk, passages), False

    def _motion_words(self, found: list[StoredFact]) -> dict[tuple[int, int], tuple[str, str]]:
        """What each motion of ``found`` moved, and who moved and seconded it, by (meeting, motion)."""
        what: dict[tuple[int, int], str] = {}
        who: dict[tuple[int, int], str] = {}
        meetings = sorted({f.meeting_id for f in found if f.motion is not None})
        for f in self.store.facts(meetings, ["motion", "mover", "seconder"]) if meetings else []:
            if f.motion is not None:
                side = what if f.kind == "motion" else who
                side[(f.meeting_id, f.motion)] = f"{side.get((f.meeting_id, f.motion), '')} {f.value}"
        return {key: (what.get(key, ""), who.get(key, "")) for key in what.keys() | who.keys()}

    def _held_as_named(self, q: Question, s: Settings) -> bool:
        """Whether the index holds the minutes of a meeting held in the time the question names and called by
        its other words ("the April 2022 monthly assurance meeting"): then they say what it was."""
        window = facts.when_asked(q)
        if window is None:
            return True
        words = {w for w in q.topic(self._names.name_words(q, s)).terms} | set(self._names.name_words(q, s))
        words = {w for w in words if not w.isdigit() and w not in MONTH_WORDS and not MEETING_WORD.fullmatch(w)}
        for c in self._names.cards:
            if c.date and window[0] <= c.date <= window[1]:
                called = set(re.findall(r"[a-z]+", f"{c.title or ''} {c.series or ''}".lower()))
                if not words or words & called:
                    return True
        return False

    def _answer_from_role(self, q: Question, passages: list[Passage], filters: Filters, sure: set[int] = frozenset()
                          ) -> tuple[Answer | None, list[Passage]]:
        """"Who is the CC?": the row of the attendance table naming the role's holder at the meeting meant,
        quoted; (None, passages) when the question names no role some table lists. Of the meetings the
        question surely names ("the treasurer of the food bank"), where any lists the role."""
        asked = facts.roles_asked(q.text)
        if not asked:
            return None, passages
        from index.browse import holdings_of

        holdings = holdings_of(self.store, asked)         # through the reader's clearance
        if filters.active():
            inside = set(self.store.meeting_ids_where(filters.since, filters.until, filters.series,
                                                      filters.documents))
            holdings = [h for h in holdings if h.meeting_id in inside]
        held = (facts.role_holding(asked, [h for h in holdings if h.meeting_id in sure], facts.when_asked(q))
                if sure else None) or facts.role_holding(asked, holdings, facts.when_asked(q))
        if held is None:
            return None, passages
        rows = [f for f in self.store.facts([held.meeting_id], ["present", "chair", "clerk"])
                if " ".join(f.value.split()) == " ".join(held.name.split())]
        if not rows:
            return None, passages
        text = self.store.meeting_text(held.meeting_id)
        # The row that gives the role beside the name, rather than a "Chair:" line naming them only.
        row = max(rows, key=lambda f: (f.kind == "present", f.start))
        chunk = self.store.chunk_at(held.meeting_id, row.start)
        if chunk is None:
            return None, passages
        answer = Answer(text=text[row.start:row.end].strip(), document=chunk.document, title=chunk.title,
                        date=chunk.date, item=chunk.item, page=self._page(held.meeting_id, row.start) or chunk.page,
                        passage_rank=1, start=row.start, end=row.end, meeting_id=held.meeting_id, fact="role",
                        collection=chunk.collection)
        return answer, rank.lead_with(chunk, passages)

    def _answer(self, q: Question, passages: list[Passage], sentences: SentenceScores, s: Settings,
                sure: set[int] = frozenset()) -> Answer | None:
        if not passages:
            return None
        top = passages[:s.answer_from]
        if q.wants_latest and s.latest and len(top) > 1:
            # How things stand now: the quote comes from the latest of the passages that answer as well,
            # among the meetings the question names when it names some ("the West Mercia target").
            # A passage further down holding every word asked about is in the band too (see boost_latest).
            band = [p for p in passages if p.score >= s.latest_band * top[0].score and p.date
                    and (p in top or covers(q, p.text)) and (not sure or p.meeting_id in sure)]
            if band:
                newest = max(p.date for p in band)
                latest = [p for p in band if p.date == newest]
                found, fit = self._quote(q, latest if s.latest_quote_only else
                                         latest + [p for p in top if p not in latest], sentences, s, top[0].score)
                best, best_fit = self._quote(q, top, sentences, s)
                # The latest passage's span must answer about as well as the best span of the top passages:
                # a passage can rank in the band for its topic without stating what is asked.
                kind = span_type(q)
                # Asked "how large", a latest quote without a figure does not say how things stand now.
                lacks = (kind is not None and best is not None and found is not None
                         and bool(kind.search(best.text)) and not kind.search(found.text))
                # A latest span holding every word asked about says how things stand now, even when an older
                # one argued it at more length.
                share = (s.latest_cover_share if found is not None and covers(q, found.text)
                         else s.latest_span_share)
                if found is not None and (best is None or fit >= share * best_fit) and not lacks:
                    return found
                return best
        return self._quote(q, top, sentences, s)[0]

    def _quote(self, q: Question, top: list[Passage], sentences: SentenceScores, s: Settings,
               reference: float | None = None) -> tuple[Answer | None, float]:
        """The span of ``top`` (passages, best first) that answers, or None when none is likely enough,
        with its fit; passages are weighed against ``reference`` (the best passage's score), else top[0]'s."""
        if not self._relevant(q, top, sentences, s):
            return None, 0.0
        weights = [p.score / (reference or top[0].score) for p in top]
        sims = [{(a, b): x for a, b, x in sentences.get(p.chunk_id, [])} for p in top]
        naming = self._names.name_words(q, s) if s.meetings else []
        spans = span_candidates(q, [p.text for p in top], weights, sims, [p.item for p in top], s, naming,
                                self._names.vocabulary if s.meetings else frozenset())
        if self.on_spans is not None:
            self.on_spans(q, top, spans, naming)
        pick = choose_span(spans, self._span_model() if s.learned_span else None)
        if pick is None:
            return None, 0.0
        if pick.sim is not None and pick.sim < s.span_min_sim and pick.overlap < s.span_min_overlap:
            return None, 0.0     # no span is likely enough: saying so beats a quote that does not answer

        def quote(c):
            t = top[c.passage].text
            return complete(q, t, c.start, c.end, 0, len(t), naming, s.span_quote_max) if s.span_complete else (
                c.start, c.end)

        a, b = quote(pick)
        if q.kind in s.span_kind_required and not holds_kind(q, top[pick.passage].text[a:b]):
            # Asked how many, a quote without a figure does not answer; a span nearly as likely that holds
            # one does ("I will ask how much was spent" just before "In 2022 the council spent €821,378").
            near = sorted((c for c in spans if c is not pick and c.score >= s.span_kind_share * pick.score),
                          key=lambda c: c.score, reverse=True)
            pick = next((c for c in near if holds_kind(q, top[c.passage].text[slice(*quote(c))])), None)
            if pick is None:
                return None, 0.0
            a, b = quote(pick)
        if s.span_reason_share and asks_why(q) and not gives_reason(top[pick.passage].text[a:b]):
            # Asked why, a quote giving no reason does not answer; a span nearly as likely that gives one does
            # ("Directors opposed to the permit cited the two objections ..." under the motion it defeated).
            # ... and says about as much of what was asked (not the PCC's reasons for the rise a councillor opposed)
            near = sorted((c for c in spans if c is not pick and c.score >= s.span_reason_share * pick.score
                           and (c.sim or 0.0) >= s.span_reason_sim_share * (pick.sim or 0.0)
                           and c.overlap > 0.0 and c.overlap >= s.span_reason_overlap_share * pick.overlap),
                          key=lambda c: c.score, reverse=True)
            reasoned = next((c for c in near if gives_reason(top[c.passage].text[slice(*quote(c))])), None)
            if reasoned is not None:
                pick = reasoned
                a, b = quote(pick)
        p = top[pick.passage]
        start, end = p.start + a, p.start + b
        return Answer(text=p.text[a:b], document=p.document, title=p.title, date=p.date,
                      item=p.item, page=self._page(p.meeting_id, start) or p.page, passage_rank=p.rank,
                      start=start, end=end, meeting_id=p.meeting_id, support=(pick.sim, pick.overlap),
                      collection=p.collection), pick.score

    def _later(self, q: Question, answer: Answer, ranked: list[Passage], sentences: SentenceScores,
               s: Settings) -> Answer | None:
        """What a later meeting of the same series says on the question's topic, when the answer is
        quoted from an older one and the question names no time of its own."""
        if not s.later or not answer.date or q.period or q.dates or q.financial_years:
            return None
        quoted = next((p for p in ranked if p.meeting_id == answer.meeting_id), None)
        if quoted is None:
            return None
        series = quoted.series
        newer = [p for p in ranked if p.date and p.date > answer.date and (not series or p.series == series)
                 and p.score >= s.later_band * quoted.score]
        if not newer:
            return None
        type_re = span_type(q)
        for p in sorted(newer, key=lambda p: (p.date, p.score), reverse=True):
            found = self._answer(q, [p], sentences, s.with_(answer_from=1))
            if found is not None and (type_re is None or type_re.search(found.text)):
                return found
        return None

    def _history(self, q: Question, answer: Answer, ranked: list[Passage], sentences: SentenceScores,
                 s: Settings) -> list[HistoryPoint]:
        """The figure the answer quotes, as each meeting of its series reports it, oldest first: one
        point a meeting, each read from a quoted sentence in the answer's unit, or none."""
        if not s.history or q.kind != "number":
            return []
        first = next(iter(history.figures(answer.text, q)), None)
        quoted = next((p for p in ranked if p.meeting_id == answer.meeting_id), None)
        if first is None or quoted is None:
            return []
        best: dict[int, Passage] = {}
        for p in ranked:
            if p.date and p.series == quoted.series and p.score >= s.history_band * quoted.score:
                best.setdefault(p.meeting_id, p)
        points = []
        for meeting_id, p in best.items():
            found = answer if meeting_id == answer.meeting_id else self._answer(q, [p], sentences,
                                                                                s.with_(answer_from=1))
            figure = history.in_unit(found.text, q, first.unit) if found else None
            if figure is not None:
                points.append(HistoryPoint(p.date, figure.value, figure.unit, figure.written, found.text,
                                           found.document, found.title, found.item, found.page, meeting_id))
        points.sort(key=lambda x: x.date)
        return points if len(points) >= s.history_min_points else []

    def _relevant(self, q: Question, top: list[Passage], sentences: SentenceScores, s: Settings) -> bool:
        if any(p.chunk_id in sentences for p in top):
            best_dense = max((x for p in top for _, _, x in sentences.get(p.chunk_id, [])), default=None)
        else:
            best_dense = max((p.dense for p in top if p.dense is not None), default=None)
        terms = set(q.terms)
        if not terms:
            return best_dense is not None and best_dense >= s.min_dense
        text = " ".join(p.text.lower() for p in top)
        coverage = sum(1 for t in terms if re.search(r"\b" + re.escape(t), text)) / len(terms)
        if best_dense is None:
            return coverage >= s.min_coverage
        return best_dense >= s.min_dense or coverage >= s.min_coverage

    def _page(self, meeting_id: int, offset: int) -> int | None:
        starts = self.store.page_starts(meeting_id)
        return CleanText("", starts).page_at(offset) if starts else None
