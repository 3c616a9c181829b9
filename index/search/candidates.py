"""Candidate passages: one function per source, each a ranking of (chunk id, score), best first."""
from __future__ import annotations

import numpy as np

from index.keywords import KeywordIndex
from index.query import Question, fts_query, spelling_variants
from index.search.settings import Settings
from index.sentence_cache import SentenceVectors
from index.store import Store
from index.vectors import VectorIndex

# (start, end, cosine with the question) of each stored sentence of a chunk, offsets in the chunk's text.
SentenceScores = dict[int, list[tuple[int, int, float]]]


def dense(vectors: VectorIndex, qvec: np.ndarray, allowed: list[int] | None, k: int) -> list[tuple[int, float]]:
    if allowed is not None:
        return vectors.search_subset(qvec, allowed, k)
    return vectors.search(qvec, k)


def keyword(store: Store, q: Question, allowed: list[int] | None, s: Settings, limit: int,
            engine: KeywordIndex | None = None) -> list[tuple[int, float]]:
    """The keyword ranking from the keyword cache when there is one, else from SQLite's FTS5; either way
    narrowed to the store's collections inside the query."""
    weights = (s.bm25_text_weight, s.bm25_header_weight)
    if engine is not None and s.keyword_engine == "tantivy":
        terms = [*q.terms, *spelling_variants(q.terms), *q.expansions]
        found = engine.search(terms, limit, allowed, store.collections)
        # The head, where ranks decide, is scored by FTS5's formula over the stored text; the tail keeps
        # the engine's order, below the head.
        head = found[:s.keyword_exact]
        exact = engine.rescore(terms, [c for c, _ in head], weights)
        floor = exact[-1][1] if exact else float("inf")
        return exact + [(c, min(x, floor)) for c, x in found[len(head):]]
    match = fts_query([*q.terms, *spelling_variants(q.terms)], q.expansions)
    if not match:
        return []
    inline = allowed is not None and len(allowed) < s.max_inline_ids
    return store.keyword_search(match, limit, allowed, inline, weights)


def rescore(store: Store, vectors: VectorIndex, qvec: np.ndarray | None, dense_hits: list[tuple[int, float]],
            keyword_pool: list[tuple[int, float]], s: Settings, cache: SentenceVectors | None = None
            ) -> tuple[list[tuple[int, float]], list[tuple[int, float]], SentenceScores]:
    """Score every candidate by both signals, so a passage one ranking found late or missed is ranked
    by the other on its merits rather than counted as absent.

    With sentence vectors a passage's dense score adds its best sentence's similarity to its own: the
    sentence that answers stands out less in the passage's vector than in its own.
    """
    head = keyword_pool[:s.candidates]
    union = list(dict.fromkeys([c for c, _ in dense_hits] + [c for c, _ in head]))
    sentences: SentenceScores = {}
    if qvec is not None and union:
        dense_hits = vectors.search_subset(qvec, union, len(union))
        sentences = cache.scores(qvec, union) if cache is not None else sentence_scores(store, qvec, union)
        if s.sentence_vectors and sentences:
            dense_hits = sorted(((c, x + max((y for _, _, y in sentences.get(c, [])), default=x))
                                 for c, x in dense_hits), key=lambda cx: cx[1], reverse=True)
    # The pool's own order, ties included: breaking ties by the dense order would count dense twice.
    wanted = set(union)
    return dense_hits, [(c, x) for c, x in keyword_pool if c in wanted], sentences


def sentence_scores(store: Store, qvec: np.ndarray, chunk_ids: list[int]) -> SentenceScores:
    """The same scores read from the store, for an index folder without a sentence cache."""
    out: SentenceScores = {}
    for cid, rows in store.sentence_vectors(chunk_ids).items():
        sims = np.stack([v for _, _, v in rows]) @ qvec
        out[cid] = [(a, b, float(x)) for (a, b, _), x in zip(rows, sims)]
    return out


def engine(search, q: Question, qvec: np.ndarray | None, where, s: Settings, store: Store,
           cache: SentenceVectors | None = None
           ) -> tuple[list[tuple[int, float]], list[tuple[int, float]], SentenceScores]:
    """The candidates of a search engine holding the chunks (index/backends): its in-engine hybrid query
    picks them, then each is scored by both signals within the same filter, as ``rescore`` does for the
    caches, so the ranking and the answer span work on them as on the caches' candidates."""
    # The baselines are settings of the same query: dense alone asks no words, keyword alone no vector.
    text = " ".join([*q.terms, *q.expansions]) if s.keyword else ""
    qvec = qvec if s.dense else None
    picked = search.hybrid(qvec, text, s.candidates, where, s.rrf_k)
    union = [c for c, _ in picked]
    if not union:
        return [], [], {}
    among = where.among(union)
    dense_hits = search.dense(qvec, len(union), among) if qvec is not None else []
    pool = engine_keyword(search, store, q, text, len(union), among, s)
    sentences: SentenceScores = {}
    if s.dense and s.keyword and qvec is not None:
        sentences = cache.scores(qvec, union) if cache is not None else sentence_scores(store, qvec, union)
        if s.sentence_vectors and sentences:
            dense_hits = sorted(((c, x + max((y for _, _, y in sentences.get(c, [])), default=x))
                                 for c, x in dense_hits), key=lambda cx: cx[1], reverse=True)
    return dense_hits, pool, sentences


def engine_keyword(search, store: Store, q: Question, text: str, k: int, where, s: Settings
                   ) -> list[tuple[int, float]]:
    """BM25 of the chunks ``where.ids`` names, best first: from the ledger's FTS5 or from the engine."""
    if not text:
        return []
    if s.engine_keyword_scores == "ledger" and where.ids is not None:
        match = fts_query([*q.terms, *spelling_variants(q.terms)], q.expansions)
        # The ids came through the reader's filter in the engine; the store is narrowed to their clearance too.
        return store.keyword_search(match, k, list(where.ids), True,
                                    (s.bm25_text_weight, s.bm25_header_weight)) if match else []
    return search.keyword(text, k, where)
