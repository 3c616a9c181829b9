"""Hybrid search: dense (FAISS) and keyword (FTS5 BM25) rankings fused, filtered, and an answer picked."""
from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import faiss
import numpy as np

from index.answer import pick_sentence
from index.embed import DEFAULT_MODEL_NAME, Embedder, SentenceEmbedder
from index.query import Question, fts_query, parse_question
from index.store import Store, StoredChunk
from index.vectors import VectorIndex, load_or_build
from ingest.model import CleanText

# A small k lets the head of each ranking count: both rankings here cover the same candidates.
RRF_K = 10
REPORTING_LAG_MONTHS = 2
LATEST_BAND = 0.7
MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december")
CANDIDATES = 50
KEYWORD_POOL = 1000
MAX_INLINE_IDS = 30000
ANSWER_FROM = 3
# Below both, the best passage shares too little with the question to be quoted as its answer.
MIN_DENSE = 0.30
MIN_COVERAGE = 0.5


@dataclass
class Passage:
    rank: int
    score: float
    text: str
    document: str
    title: str | None
    date: str | None
    item: str | None
    page: int | None
    chunk_id: int = 0
    meeting_id: int = 0
    document_id: int = 0
    series: str | None = None
    start: int = 0
    end: int = 0
    dense: float | None = None        # cosine with the question (plus its best sentence's, in hybrid search)
    dense_rank: int | None = None
    keyword_rank: int | None = None

    def to_json(self) -> dict:
        return {"rank": self.rank, "score": round(self.score, 6), "text": self.text, "document": self.document,
                "title": self.title, "date": self.date, "item": self.item, "page": self.page}


@dataclass
class Answer:
    text: str
    document: str
    title: str | None
    date: str | None
    item: str | None
    page: int | None
    passage_rank: int = 1
    start: int = 0                    # offsets in the meeting's clean text
    end: int = 0

    def to_json(self) -> dict:
        return {"text": self.text, "document": self.document, "title": self.title, "date": self.date,
                "item": self.item, "page": self.page}


@dataclass
class Result:
    question: str
    answer: Answer | None
    passages: list[Passage] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"question": self.question, "answer": self.answer.to_json() if self.answer else None,
                "passages": [p.to_json() for p in self.passages]}


@dataclass
class Filters:
    since: str | None = None          # ISO dates, inclusive
    until: str | None = None
    series: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)

    def active(self) -> bool:
        return bool(self.since or self.until or self.series or self.documents)


class Searcher:
    """Answers questions from one index folder. Safe to share between threads of one process."""

    def __init__(self, folder: Path, embedder: Embedder | None = None, model: str | None = None):
        self.store = Store(Path(folder))
        self._embedder = embedder
        self._model_spec = model
        self._lock = threading.Lock()
        self._vectors: VectorIndex | None = None
        self._glossary: dict[str, set[str]] = {}
        self._generation = -1
        self._check_model()
        # One question at a time: FAISS's thread pool spinning beside torch's costs far more than it saves.
        faiss.omp_set_num_threads(1)

    # -- setup --------------------------------------------------------------
    def _check_model(self) -> None:
        meta = self.store.meta()
        if "model_name" not in meta:
            return
        if self._embedder is None:
            spec = self._model_spec
            stored = meta.get("model_path")
            if spec is None and meta["model_name"] != DEFAULT_MODEL_NAME and stored and Path(stored).exists():
                spec = stored
            self._embedder = SentenceEmbedder(spec)
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
        if generation == self._generation and self._vectors is not None:
            return
        self._vectors = load_or_build(self.store)
        self._glossary = self._load_glossary()
        self._generation = generation

    def _load_glossary(self) -> dict[str, set[str]]:
        gloss: dict[str, set[str]] = {}
        rows = self.store.conn.execute(
            "SELECT acronym, expansion FROM glossary UNION SELECT acronym, role FROM attendees "
            "WHERE acronym IS NOT NULL AND role IS NOT NULL").fetchall()
        for acr, exp in rows:
            # "CC", "PCC", but also "DoF" and "CEx": at least two capitals, no spaces.
            if acr and exp and 1 < len(acr) <= 8 and " " not in acr and sum(ch.isupper() for ch in acr) >= 2:
                gloss.setdefault(acr, set()).add(" ".join(exp.split()))
        return gloss

    # -- search -------------------------------------------------------------
    def ask(self, question: str, top_k: int = 5, filters: Filters | None = None, mode: str = "hybrid") -> Result:
        filters = filters or Filters()
        with self._lock:
            self.refresh()
            q = parse_question(question, self._glossary)
            # A question without a single word ("?!", an emoji) asks nothing that a quote could answer.
            if not q.text or not re.search(r"\w", q.text) or self._vectors is None or (
                    self._vectors.size == 0 and not q.terms):
                return Result(question, None, [])
            with self.store.snapshot():
                allowed = self._allowed(filters) if filters.active() else None
                qvec = self.embedder.encode([q.dense_text])[0] if mode != "keyword" and self._vectors.size else None
                dense = self._dense(qvec, allowed) if qvec is not None else []
                # One keyword query gives both the ranking (its head) and the scores of the dense
                # candidates (its deeper pool): a second query filtered by rowid rescans every match.
                pool = self._keyword(q, allowed, limit=KEYWORD_POOL) if mode != "dense" else []
                keyword = pool[:CANDIDATES]
                sentences: dict[int, list[tuple[int, int, float]]] = {}
                if mode == "hybrid":
                    dense, keyword, sentences = self._complete(q, qvec, dense, keyword, pool)
                passages = self._fuse(q, dense, keyword, top_k, dated=mode == "hybrid")
                answer = self._answer(q, passages, sentences)
        return Result(question, answer, passages)

    def _allowed(self, f: Filters) -> list[int]:
        where, args = [], []
        if f.since:
            where.append("m.date >= ?")
            args.append(f.since)
        if f.until:
            where.append("m.date <= ?")
            args.append(f.until)
        if f.series:
            where.append(f"m.series IN ({','.join('?' * len(f.series))})")
            args.extend(f.series)
        if f.documents:
            where.append(f"d.path IN ({','.join('?' * len(f.documents))})")
            args.extend(f.documents)
        sql = ("SELECT c.id FROM chunks c JOIN meetings m ON m.id = c.meeting_id JOIN documents d "
               "ON d.id = m.document_id WHERE " + " AND ".join(where))
        return [r[0] for r in self.store.conn.execute(sql, args)]

    def _dense(self, vec: np.ndarray, allowed: list[int] | None) -> list[tuple[int, float]]:
        if allowed is not None:
            return self._vectors.search_subset(vec, allowed, CANDIDATES)
        return self._vectors.search(vec, CANDIDATES)

    def _complete(self, q: Question, qvec: np.ndarray | None, dense: list[tuple[int, float]],
                  keyword: list[tuple[int, float]], pool: list[tuple[int, float]]):
        """Score every candidate by both signals, so a passage one ranking found late or missed
        is ranked by the other on its merits rather than counted as absent.

        A passage's dense score adds its best sentence's similarity to its own: the sentence that
        answers stands out less in the passage's vector than in its own.
        """
        union = list(dict.fromkeys([c for c, _ in dense] + [c for c, _ in keyword]))
        sentences: dict[int, list[tuple[int, int, float]]] = {}
        if qvec is not None:
            dense = self._vectors.search_subset(qvec, union, len(union))
            stored = self.store.sentence_vectors(union)
            for cid, rows in stored.items():
                sims = np.stack([v for _, _, v in rows]) @ qvec
                sentences[cid] = [(a, b, float(x)) for (a, b, _), x in zip(rows, sims)]
            if sentences:
                dense = sorted(((c, s + max((x for _, _, x in sentences.get(c, [])), default=s))
                                for c, s in dense), key=lambda cs: cs[1], reverse=True)
        # The pool's own order, ties included: breaking ties by the dense order would count dense twice.
        wanted = set(union)
        keyword = [(c, s) for c, s in pool if c in wanted]
        return dense, keyword, sentences

    def _keyword(self, q: Question, allowed: list[int] | None, limit: int = CANDIDATES) -> list[tuple[int, float]]:
        match = fts_query(q.terms, q.expansions)
        if not match:
            return []
        sql = "SELECT rowid, bm25(chunks_fts, 1.0, 0.4) AS s FROM chunks_fts WHERE chunks_fts MATCH ?"
        args: list = [match]
        if allowed is not None and not allowed:
            return []
        # A filter of a few ids goes into the query; a wide one filters a deeper result afterwards.
        inline = allowed is not None and len(allowed) < MAX_INLINE_IDS
        if inline:
            sql += f" AND rowid IN ({','.join('?' * len(allowed))})"
            args.extend(allowed)
        sql += " ORDER BY s LIMIT ?"
        args.append(limit if allowed is None or inline else limit * 20)
        rows = self.store.conn.execute(sql, args).fetchall()
        if allowed is not None and not inline:
            keep = set(allowed)
            rows = [r for r in rows if r[0] in keep][:limit]
        return [(r[0], -r[1]) for r in rows]

    def _fuse(self, q: Question, dense: list[tuple[int, float]], keyword: list[tuple[int, float]],
              top_k: int, dated: bool = True) -> list[Passage]:
        scores: dict[int, float] = {}
        cosine = dict(dense)
        dense_rank = {cid: r for r, (cid, _) in enumerate(dense, 1)}
        keyword_rank = {cid: r for r, (cid, _) in enumerate(keyword, 1)}
        for ranking in (dense, keyword):
            for r, (cid, _) in enumerate(ranking, 1):
                scores[cid] = scores.get(cid, 0.0) + 1.0 / (RRF_K + r)
        if not scores:
            return []
        ordered = sorted(scores, key=scores.get, reverse=True)[: max(top_k * 4, 20)]
        chunks = self.store.chunks_by_id(ordered)
        if dated:  # the single rankings stay bare: they are the baselines hybrid is measured against
            self._meeting_bonus(q, scores, chunks)
        ordered = sorted((c for c in ordered if c in chunks), key=scores.get, reverse=True)
        kept: list[StoredChunk] = []
        for cid in ordered:
            c = chunks[cid]
            if any(_near_duplicate(c, k) for k in kept):
                continue
            kept.append(c)
            if len(kept) >= top_k:
                break
        return [Passage(rank=i, score=scores[c.id], text=c.text, document=c.document, title=c.title, date=c.date,
                        item=c.item, page=c.page, chunk_id=c.id, meeting_id=c.meeting_id, document_id=c.document_id,
                        series=c.series, start=c.start, end=c.end, dense=cosine.get(c.id),
                        dense_rank=dense_rank.get(c.id), keyword_rank=keyword_rank.get(c.id))
                for i, c in enumerate(kept, 1)]

    def _meeting_bonus(self, q: Question, scores: dict[int, float], chunks: dict[int, StoredChunk]) -> None:
        """Minutes are dated: a question naming a time, or asking for the latest, says which meeting."""
        top = 1.0 / (RRF_K + 1)
        if q.financial_years:
            # Budgets, precepts and performance years are named by financial year; the passage that
            # names the same year is about it.
            fy = re.compile(r"\b(" + "|".join(rf"{y}\s*[/-]\s*(?:{y + 1}|{(y + 1) % 100:02d})" for y in q.financial_years)
                            + r")\b")
            for cid, c in chunks.items():
                if fy.search(c.text):
                    scores[cid] += top * 0.7
        months = q.period_months
        if months:
            first, last = months[0], months[-1]
            # A month's figures are reported at the meetings that follow it.
            end_y, end_m = (last[0] + (last[1] + REPORTING_LAG_MONTHS - 1) // 12,
                            (last[1] + REPORTING_LAG_MONTHS - 1) % 12 + 1)
            lo, hi = f"{first[0]:04d}-{first[1]:02d}", f"{end_y:04d}-{end_m:02d}-99"
            named = re.compile(r"\b(" + "|".join(f"{MONTH_NAMES[m - 1]}\\s+(of\\s+)?{y}" for y, m in months) + r")\b",
                               re.I)
            strength = top if len(months) == 1 else top * 0.7 if len(months) <= 6 else top * 0.5
            for cid, c in chunks.items():
                held = bool(c.date) and lo <= c.date <= hi
                if held or named.search(c.text):
                    scores[cid] += strength
        elif q.wants_latest:
            # Among the passages that answer about as well as the best, the latest meeting's is current.
            best = max(scores[cid] for cid in chunks)
            band = [cid for cid in chunks if scores[cid] >= LATEST_BAND * best and chunks[cid].date]
            dates = sorted({chunks[cid].date for cid in band})
            for cid in band:
                if len(dates) > 1:
                    scores[cid] += top * dates.index(chunks[cid].date) / (len(dates) - 1)

    def _answer(self, q: Question, passages: list[Passage],
                sentences: dict[int, list[tuple[int, int, float]]] | None = None) -> Answer | None:
        if not passages:
            return None
        top = passages[:ANSWER_FROM]
        if not self._relevant(q, top, sentences or {}):
            return None
        weights = [p.score / top[0].score for p in top]
        sims = [{(a, b): x for a, b, x in (sentences or {}).get(p.chunk_id, [])} for p in top]
        pick = pick_sentence(q, [p.text for p in top], weights, sims, [p.item for p in top])
        if pick is None:
            return None
        p = top[pick.passage]
        start, end = p.start + pick.start, p.start + pick.end
        return Answer(text=p.text[pick.start:pick.end], document=p.document, title=p.title, date=p.date,
                      item=p.item, page=self._page(p.meeting_id, start) or p.page, passage_rank=p.rank,
                      start=start, end=end)

    def _relevant(self, q: Question, top: list[Passage], sentences: dict[int, list[tuple[int, int, float]]]) -> bool:
        if any(p.chunk_id in sentences for p in top):
            best_dense = max((x for p in top for _, _, x in sentences.get(p.chunk_id, [])), default=None)
        else:
            best_dense = max((p.dense for p in top if p.dense is not None), default=None)
        terms = set(q.terms)
        if not terms:
            return best_dense is not None and best_dense >= MIN_DENSE
        text = " ".join(p.text.lower() for p in top)
        coverage = sum(1 for t in terms if re.search(r"\b" + re.escape(t), text)) / len(terms)
        if best_dense is None:
            return coverage >= MIN_COVERAGE
        return best_dense >= MIN_DENSE or coverage >= MIN_COVERAGE

    def _page(self, meeting_id: int, offset: int) -> int | None:
        row = self.store.conn.execute("SELECT page_starts FROM meetings WHERE id = ?", (meeting_id,)).fetchone()
        if not row:
            return None
        starts = json.loads(row[0])
        return CleanText("", starts).page_at(offset) if starts else None


def _near_duplicate(a: StoredChunk, b: StoredChunk) -> bool:
    if a.meeting_id == b.meeting_id:
        overlap = min(a.end, b.end) - max(a.start, b.start)
        return overlap > 0.5 * min(a.end - a.start, b.end - b.start)
    return _norm(a.text) == _norm(b.text)


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))
