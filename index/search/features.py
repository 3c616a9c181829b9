"""What is known of each candidate passage for one question, as numbers: the learned ranking's input.

Every feature is generic (scores and ranks from each ranking, what the question names and whether the
passage's meeting or text matches it, how much of the question the passage and its best sentence
hold); none names a body, a document or a question.
"""
from __future__ import annotations

import math

import numpy as np

from index.query import Question, words
from index.search.rank import DateSignals
from index.store import StoredChunk

FEATURES = (
    "fused", "hand", "dense", "dense_rank", "keyword", "keyword_rank", "answering", "answering_rank",
    "named", "named_any", "financial_year", "day", "period", "period_months", "recency", "wants_latest",
    "preamble", "coverage", "length", "kind_number", "kind_date", "kind_person", "kind_place", "meeting_share",
)


def matrix(q: Question, ids: list[int], chunks: dict[int, StoredChunk], fused: dict[int, float],
           hand: dict[int, float], dense: list[tuple[int, float]], keyword: list[tuple[int, float]],
           answering: list[tuple[int, float]], named: dict[int, float], dates: dict[int, DateSignals]) -> np.ndarray:
    """One row of FEATURES per candidate in ``ids``."""
    def ranks(ranking: list[tuple[int, float]]) -> tuple[dict[int, float], dict[int, float]]:
        top = max((abs(x) for _, x in ranking), default=1.0) or 1.0
        return ({c: x / top for c, x in ranking}, {c: 1.0 / r for r, (c, _) in enumerate(ranking, 1)})

    d_score, d_rank = ranks(dense)
    k_score, k_rank = ranks(keyword)
    a_score, a_rank = ranks(answering)
    top_fused = max(fused.values(), default=1.0) or 1.0
    top_hand = max(hand.values(), default=1.0) or 1.0
    known = sorted({c.date for c in chunks.values() if c.date})
    by_meeting: dict[int, int] = {}
    for cid in ids:
        by_meeting[chunks[cid].meeting_id] = by_meeting.get(chunks[cid].meeting_id, 0) + 1
    terms = set(q.terms)
    rows = []
    for cid in ids:
        c = chunks[cid]
        sig = dates.get(cid, DateSignals())
        have = set(words(c.text))
        rows.append([
            fused.get(cid, 0.0) / top_fused, hand.get(cid, 0.0) / top_hand,
            d_score.get(cid, 0.0), d_rank.get(cid, 0.0), k_score.get(cid, 0.0), k_rank.get(cid, 0.0),
            a_score.get(cid, 0.0), a_rank.get(cid, 0.0),
            named.get(c.meeting_id, 0.0), float(bool(named)),
            float(sig.financial_year), float(sig.day), float(sig.period), float(sig.period_months),
            known.index(c.date) / (len(known) - 1) if c.date and len(known) > 1 else 0.0, float(q.wants_latest),
            float(c.item is None), len(terms & have) / len(terms) if terms else 0.0, math.log1p(len(c.text)),
            float(q.kind == "number"), float(q.kind == "date"), float(q.kind == "person"), float(q.kind == "place"),
            by_meeting[c.meeting_id] / len(ids),
        ])
    return np.asarray(rows, dtype=np.float32).reshape(len(ids), len(FEATURES))
