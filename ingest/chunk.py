"""Item-aware chunks: whole sentences, never crossing an agenda item, sized by the model's tokenizer."""
from __future__ import annotations

import re
from typing import Callable

from ingest.model import Chunk, Meeting
from ingest.sentences import sentence_spans
from ingest.words import spoken_date

# Passages near this size pinpoint an answer while keeping its context;
# the hard ceiling is the model's own limit.
TARGET_TOKENS = 160
HEADER_MAX_CHARS = 160
# A header never leaves the passage fewer word pieces than this (a title in Korean takes three a character).
MIN_BODY_TOKENS = 32
CHUNKER_VERSION = "items-sentences-v2"
# Before the first item, minutes give the date, chair, venue and who attended.
PREAMBLE_LABEL = "Meeting details and attendance"

def chunk_header(meeting: Meeting, item_label: str | None) -> str:
    parts = [p for p in (meeting.title or meeting.series, spoken_date(meeting.date), item_label) if p]
    header = " | ".join(parts)
    return header[:HEADER_MAX_CHARS]


def _spans_of_items(meeting: Meeting) -> list[tuple[int, int, str | None]]:
    """(start, end, item label) covering the whole text: the preamble, then each item."""
    items = sorted(meeting.items, key=lambda i: i.start)
    if not items:
        return [(0, len(meeting.text), None)]
    spans: list[tuple[int, int, str | None]] = []
    if items[0].start > 0:
        spans.append((0, items[0].start, None))
    for n, item in enumerate(items):
        end = items[n + 1].start if n + 1 < len(items) else len(meeting.text)
        spans.append((item.start, max(item.start, end), item.label))
    return spans


def _split_long(text: str, s: int, e: int, fits: Callable[[int, int], bool]) -> list[tuple[int, int]]:
    """Cut an over-long sentence at clause marks, then at spaces, into pieces that fit."""
    pieces: list[tuple[int, int]] = []
    cur = s
    while cur < e:
        if fits(cur, e):
            pieces.append((cur, e))
            break
        cuts = [m.end() for m in re.finditer(r"[;:,]\s|\s", text[cur:e])]
        best = None
        lo, hi = 0, len(cuts) - 1
        while lo <= hi:  # the longest prefix that fits
            mid = (lo + hi) // 2
            if fits(cur, cur + cuts[mid]):
                best, lo = cuts[mid], mid + 1
            else:
                hi = mid - 1
        if best is None:  # no space to cut at within the limit: Chinese, a row of figures, a dotted leader
            best = _longest_prefix(cur, e, fits)
        pieces.append((cur, cur + best))
        cur += best
        while cur < e and text[cur].isspace():
            cur += 1
    return [(a, b) for a, b in ((a, _rstrip(text, a, b)) for a, b in pieces) if b > a]


def _longest_prefix(s: int, e: int, fits: Callable[[int, int], bool]) -> int:
    """How many characters from ``s`` fit (at least one, so that cutting always moves on)."""
    best, lo, hi = 1, 1, e - s
    while lo <= hi:
        mid = (lo + hi) // 2
        if fits(s, s + mid):
            best, lo = mid, mid + 1
        else:
            hi = mid - 1
    return best


def _fit_header(header: str, count_tokens: Callable[[str], int], room: int) -> str:
    if not header or count_tokens(header + "\n") <= room:
        return header
    return header[:_longest_prefix(0, len(header), lambda a, b: count_tokens(header[a:b] + "\n") <= room)]


def _rstrip(text: str, s: int, e: int) -> int:
    while e > s and text[e - 1].isspace():
        e -= 1
    return e


def chunk_meeting(
    meeting: Meeting,
    count_tokens: Callable[[str], int],
    max_tokens: int,
    target_tokens: int = TARGET_TOKENS,
) -> list[Chunk]:
    """Chunks of ``meeting``; each ``embed_text`` fits ``max_tokens`` word pieces."""
    text = meeting.text
    chunks: list[Chunk] = []
    for start, end, label in _spans_of_items(meeting):
        header = chunk_header(meeting, label or (PREAMBLE_LABEL if meeting.items else None))
        header = _fit_header(header, count_tokens, max_tokens - MIN_BODY_TOKENS)
        # The header and the newline joining it are part of what the model reads.
        budget = max_tokens - count_tokens(header + "\n") if header else max_tokens
        target = min(target_tokens, budget)

        def fits(a: int, b: int, limit: int = budget) -> bool:
            return count_tokens(text[a:b]) <= limit

        units: list[tuple[int, int]] = []
        for s, e in sentence_spans(text, start, end):
            units.extend([(s, e)] if fits(s, e) else _split_long(text, s, e, fits))
        group: list[tuple[int, int]] = []
        for unit in units:
            if group and not fits(group[0][0], unit[1], target):
                chunks.append(_make(meeting, header, label, group[0][0], group[-1][1], len(chunks)))
                # One sentence of overlap keeps a fact that straddles the cut findable from both sides.
                tail = group[-1]
                group = [tail] if fits(tail[0], unit[1], target) and tail != unit else []
            group.append(unit)
        if group:
            chunks.append(_make(meeting, header, label, group[0][0], group[-1][1], len(chunks)))
    return chunks


def _make(meeting: Meeting, header: str, label: str | None, s: int, e: int, ordinal: int) -> Chunk:
    return Chunk(
        text=meeting.text[s:e], header=header, start=s, end=e,
        page=meeting.page_at(s), item=label, ordinal=ordinal,
    )
