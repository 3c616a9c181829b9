"""Scoring an index against gold questions: hit@k, MRR and whether the answer sentence holds the facts."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from index.search import Result, Searcher

KS = (1, 3, 5)


@dataclass
class Gold:
    q: str
    doc: str
    expect: list[str]


def load_gold(path: Path) -> list[Gold]:
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            expect = obj.get("expect", [])
            # One expected string written bare would otherwise be split into its letters.
            expect = [expect] if isinstance(expect, str) else list(expect)
            if not isinstance(obj["q"], str) or not obj["q"].strip() or not isinstance(obj["doc"], str) \
                    or not all(isinstance(e, str) for e in expect):
                raise TypeError('"q" and "doc" must be text and "expect" a list of text')
            out.append(Gold(obj["q"], obj["doc"], expect))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"{path}:{n}: not a gold question ({exc})")
    return out


def _norm(text: str) -> str:
    text = re.sub(r"(\w)-\s+(\w)", r"\1\2", text)   # hyphenation debris
    return " ".join(text.lower().split())


def holds(text: str, expect: list[str]) -> bool:
    t = _norm(text)
    return all(_norm(e) in t or _norm(e).replace("-", "") in t for e in expect)


def _same_doc(document: str, doc: str) -> bool:
    return document == doc or Path(document).name == doc


def first_hit(result: Result, gold: Gold) -> int | None:
    for p in result.passages:
        if _same_doc(p.document, gold.doc) and holds(p.text, gold.expect):
            return p.rank
    return None


@dataclass
class Scores:
    n: int = 0
    hits: dict[int, int] = field(default_factory=lambda: {k: 0 for k in KS})
    rr: float = 0.0
    answer_hits: int = 0
    misses: list[dict] = field(default_factory=list)

    def add(self, gold: Gold, result: Result) -> None:
        self.n += 1
        rank = first_hit(result, gold)
        for k in KS:
            self.hits[k] += int(rank is not None and rank <= k)
        self.rr += 1.0 / rank if rank else 0.0
        a = result.answer
        answered = a is not None and _same_doc(a.document, gold.doc) and holds(a.text, gold.expect)
        self.answer_hits += int(answered)
        if rank != 1 or not answered:
            top = result.passages[0] if result.passages else None
            self.misses.append({"q": gold.q, "doc": gold.doc, "expect": gold.expect, "rank": rank,
                                "answer": a.text if a else None,
                                "top": f"{top.document}: {top.text[:160]}" if top else None})

    def figures(self) -> dict:
        n = max(self.n, 1)
        return {"questions": self.n, **{f"hit_at_{k}": round(self.hits[k] / n, 4) for k in KS},
                "mrr": round(self.rr / n, 4), "answer_hit": round(self.answer_hits / n, 4)}


def evaluate(searcher: Searcher, golds: list[Gold], mode: str = "hybrid", top_k: int = 5) -> Scores:
    scores = Scores()
    for g in golds:
        scores.add(g, searcher.ask(g.q, top_k=max(top_k, max(KS)), mode=mode))
    return scores
