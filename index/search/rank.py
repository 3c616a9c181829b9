"""Ranking: the candidate rankings fused, then the meetings a question names and the time it names count."""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.query import Question
from index.search.settings import Settings
from index.search.span import covers
from index.search.types import Passage
from index.store import StoredChunk
from ingest.dates import DEADLINE_DATE, deadline_at, find_dates
from ingest.words import MONTH_NAMES, squash


def fuse(rankings: list[list[tuple[int, float]]], s: Settings, weights: list[float] | None = None
         ) -> dict[int, float]:
    """Reciprocal rank fusion: each ranking gives weight / (k + rank)."""
    scores: dict[int, float] = {}
    for n, ranking in enumerate(rankings):
        w = weights[n] if weights else 1.0
        for r, (cid, _) in enumerate(ranking, 1):
            scores[cid] = scores.get(cid, 0.0) + w / (s.rrf_k + r)
    return scores


def top_score(s: Settings) -> float:
    """What a passage first in one ranking gets: the unit every boost is measured in."""
    return 1.0 / (s.rrf_k + 1)


def boost_named_meetings(scores: dict[int, float], chunks: dict[int, StoredChunk], named: dict[int, float],
                         s: Settings) -> None:
    """Passages of the meetings the question names come first, in proportion to how surely it names them."""
    if not named:
        return
    for cid, c in chunks.items():
        weight = named.get(c.meeting_id, 0.0)
        if weight:
            scores[cid] += s.meeting_boost * top_score(s) * weight


@dataclass
class DateSignals:
    """What a passage shares with the time a question names."""

    financial_year: bool = False      # names the financial year ("2023/24") the question names
    day: bool = False                 # names the very day the question names
    period: bool = False              # is of a meeting held in (or just after) the period, or names its month
    period_months: int = 0            # how long that period is
    asking: bool = False              # is of the meeting that asked for what the question asks became of


def date_signals(q: Question, chunks: dict[int, StoredChunk], s: Settings) -> dict[int, DateSignals]:
    out = {cid: DateSignals() for cid in chunks}
    if q.financial_years:
        # Budgets, precepts and performance years are named by financial year; the passage that
        # names the same year, or stands in an item whose title names it, is about it.
        fy = re.compile(r"\b(" + "|".join(rf"{y}\s*[/-]\s*(?:{y + 1}|{(y + 1) % 100:02d})"
                                          for y in q.financial_years) + r")\b")
        for cid, c in chunks.items():
            out[cid].financial_year = bool(fy.search(c.text) or fy.search(c.header or ""))
    # "to reach 2,305 by 31 March 2023" names a deadline, not the day a figure was taken: it answers a
    # question about that day only when the question too asks what was due by it.
    by = DEADLINE_DATE.search(q.text) is not None
    if q.dates:
        # A day the question names ("on 31 March 2023") is the day a figure was taken: the passage naming it.
        for cid, c in chunks.items():
            # A passage naming the day its own meeting was held (a heading) says only which meeting it is.
            out[cid].day = any(d.iso() in q.dates and d.iso() != c.date and (by or not deadline_at(c.text, d.start))
                               for d in find_dates(c.text) if d.year)
    months = q.period_months
    if months:
        first, last = months[0], months[-1]
        lag = s.reporting_lag_months
        # A month's figures are reported at the meetings that follow it.
        end_y, end_m = last[0] + (last[1] + lag - 1) // 12, (last[1] + lag - 1) % 12 + 1
        lo, hi = f"{first[0]:04d}-{first[1]:02d}", f"{end_y:04d}-{end_m:02d}-99"
        named = re.compile(r"\b(" + "|".join(f"{MONTH_NAMES[m - 1]}\\s+(of\\s+)?{y}" for y, m in months) + r")\b",
                           re.I)
        for cid, c in chunks.items():
            out[cid].period = bool((c.date and lo <= c.date <= hi)
                                   or any(by or not deadline_at(c.text, m.start()) for m in named.finditer(c.text)))
            out[cid].period_months = len(months)
    if q.asked_in:
        y, m, y2, m2 = q.asked_in
        lo, hi = f"{y:04d}-{m:02d}", f"{y2:04d}-{m2:02d}-99"
        for cid, c in chunks.items():
            out[cid].asking = bool(c.date and lo <= c.date <= hi)
    return out


def boost_dates(q: Question, scores: dict[int, float], signals: dict[int, DateSignals], s: Settings) -> None:
    """Minutes are dated: a question naming a time says which meetings, or which passages, it means."""
    top = top_score(s)
    for cid, sig in signals.items():
        if sig.financial_year:
            scores[cid] += top * s.financial_year_boost
        if sig.day:
            scores[cid] += top * s.date_text_boost
        if sig.asking:
            # It records the asking; a later meeting says what became of it.
            scores[cid] -= top * s.period_boost
        if sig.period:
            n = sig.period_months
            scores[cid] += top * (s.period_boost if n == 1 else s.period_boost_quarter if n <= 6
                                  else s.period_boost_year)


def boost_latest(scores: dict[int, float], chunks: dict[int, StoredChunk], s: Settings,
                 q: Question | None = None) -> None:
    """Among the passages that answer about as well as the best, the latest meeting's is current. A passage
    holding every word the question asks about answers as well even when it ranks lower: a later meeting
    often says the current thing in a line of its own ("Action from March: complete. The PCC agreed ...")
    that shares fewer words with the question than the older report that argued it."""
    if not chunks:
        return
    best = max(scores[cid] for cid in chunks)
    band = [cid for cid in chunks if chunks[cid].date and (
        scores[cid] >= s.latest_band * best
        or (q is not None and scores[cid] >= s.latest_cover_band * best and covers(q, chunks[cid].text)))]
    dates = sorted({chunks[cid].date for cid in band})
    if len(dates) < 2:
        return
    for cid in band:
        scores[cid] += s.latest_boost * top_score(s) * dates.index(chunks[cid].date) / (len(dates) - 1)


def order(scores: dict[int, float], chunks: dict[int, StoredChunk], top_k: int, s: Settings,
          dense: dict[int, float], dense_rank: dict[int, int], keyword_rank: dict[int, int]) -> list[Passage]:
    """The best ``top_k`` passages, a passage overlapping a better one of its meeting left out."""
    ranked = sorted((c for c in scores if c in chunks), key=scores.get, reverse=True)
    kept: list[StoredChunk] = []
    squashed: dict[int, str] = {}
    for cid in ranked:
        c = chunks[cid]
        if any(_near_duplicate(c, k, s.near_duplicate, squashed) for k in kept):
            continue
        kept.append(c)
        if len(kept) >= top_k:
            break
    return [Passage(rank=i, score=scores[c.id], text=c.text, document=c.document, title=c.title, date=c.date,
                    item=c.item, page=c.page, chunk_id=c.id, meeting_id=c.meeting_id, document_id=c.document_id,
                    series=c.series, start=c.start, end=c.end, dense=dense.get(c.id),
                    dense_rank=dense_rank.get(c.id), keyword_rank=keyword_rank.get(c.id), collection=c.collection)
            for i, c in enumerate(kept, 1)]


def _near_duplicate(a: StoredChunk, b: StoredChunk, share: float, squashed: dict[int, str] | None = None) -> bool:
    if a.meeting_id == b.meeting_id:
        overlap = min(a.end, b.end) - max(a.start, b.start)
        return overlap > share * min(a.end - a.start, b.end - b.start)
    if squashed is None:
        return squash(a.text) == squash(b.text)
    for c in (a, b):
        if c.id not in squashed:
            squashed[c.id] = squash(c.text)
    return squashed[a.id] == squashed[b.id]


def lead_with(chunk: StoredChunk, passages: list[Passage]) -> list[Passage]:
    """The passages with the one holding the answer first (kept if listed, else put in), renumbered."""
    first = next((p for p in passages if p.chunk_id == chunk.id), None)
    if first is None:
        top = passages[0].score if passages else 1.0
        first = Passage(rank=1, score=top, text=chunk.text, document=chunk.document, title=chunk.title,
                        date=chunk.date, item=chunk.item, page=chunk.page, chunk_id=chunk.id,
                        meeting_id=chunk.meeting_id, document_id=chunk.document_id, series=chunk.series,
                        start=chunk.start, end=chunk.end, collection=chunk.collection)
        rest = passages[:max(len(passages) - 1, 0)] if passages else []
    else:
        rest = [p for p in passages if p is not first]
    out = [first] + [p for p in rest if not _near_duplicate_passage(first, p)]
    for i, p in enumerate(out, 1):
        p.rank = i
    return out


def _near_duplicate_passage(a: Passage, b: Passage) -> bool:
    return a.meeting_id == b.meeting_id and min(a.end, b.end) - max(a.start, b.start) > 0


def lead_with_passage(offset: int, meeting_id: int, passages: list[Passage]) -> list[Passage]:
    """The passages with the one holding ``offset`` of its meeting first, renumbered; as they were
    when none holds it."""
    first = next((p for p in passages if p.meeting_id == meeting_id and p.start <= offset < p.end), None)
    if first is None or first is passages[0]:
        return passages
    out = [first] + [p for p in passages if p is not first]
    for i, p in enumerate(out, 1):
        p.rank = i
    return out
