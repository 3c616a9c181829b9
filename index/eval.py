"""Scoring an index against gold questions: hit@k, MRR, whether the quote holds the facts, and its length."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from index.errors import GoldFileError
from index.search import Result, Searcher, Settings

KS = (1, 3, 5)
# The kinds of question about the business of a meeting, read from its structure.
BUSINESS_KINDS = frozenset({"motion", "vote", "attendance", "interest", "next-meeting", "closed", "action",
                            "decision"})


@dataclass
class Gold:
    q: str
    doc: str
    expect: list[str]
    kinds: list[str] = field(default_factory=list)


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
            kinds = obj.get("kinds", [])
            kinds = [kinds] if isinstance(kinds, str) else list(kinds)
            if not isinstance(obj["q"], str) or not obj["q"].strip() or not isinstance(obj["doc"], str) \
                    or not all(isinstance(e, str) for e in expect + kinds):
                raise TypeError('"q" and "doc" must be text, "expect" and "kinds" lists of text')
            out.append(Gold(obj["q"], obj["doc"], expect, kinds))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise GoldFileError(f"{path}:{n}: not a gold question ({exc})") from None
    return out


def split_part(golds: list[Gold], split_file: Path, part: str) -> list[Gold]:
    """The questions of one part of a frozen split ("dev" or "test"), by the documents it holds out."""
    if part == "all":
        return golds
    try:
        split = json.loads(Path(split_file).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GoldFileError(f"no frozen split beside the questions ({split_file}: {exc})") from None
    held = {d for s in split["sets"].values() for d in s["test"]}
    if part == "test":
        return [g for g in golds if Path(g.doc).name in held]
    if part == "dev":
        return [g for g in golds if Path(g.doc).name not in held]
    raise ValueError(f"unknown split part {part!r}: dev, test or all")


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
    answered: int = 0
    quote_words: int = 0
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
        if a is not None:
            self.answered += 1
            self.quote_words += len(a.text.split())
        if rank != 1 or not answered:
            top = result.passages[0] if result.passages else None
            self.misses.append({"q": gold.q, "doc": gold.doc, "expect": gold.expect, "kinds": gold.kinds,
                                "rank": rank, "answer": a.text if a else None,
                                "answer_doc": a.document if a else None,
                                "top": f"{top.document}: {top.text[:160]}" if top else None})

    def figures(self) -> dict:
        n = max(self.n, 1)
        return {"questions": self.n, **{f"hit_at_{k}": round(self.hits[k] / n, 4) for k in KS},
                "mrr": round(self.rr / n, 4), "answer_hit": round(self.answer_hits / n, 4),
                "answered": round(self.answered / n, 4),
                "quote_words": round(self.quote_words / max(self.answered, 1), 1)}


@dataclass
class Evaluation:
    """Scores overall, for the business-of-a-meeting questions, and for each kind of question."""

    overall: Scores = field(default_factory=Scores)
    by_kind: dict[str, Scores] = field(default_factory=dict)

    def add(self, gold: Gold, result: Result) -> None:
        self.overall.add(gold, result)
        groups = set(gold.kinds) | ({"business"} if BUSINESS_KINDS & set(gold.kinds) else set())
        for kind in groups:
            self.by_kind.setdefault(kind, Scores()).add(gold, result)

    def figures(self) -> dict:
        return self.overall.figures()

    @property
    def misses(self) -> list[dict]:
        return self.overall.misses

    def kinds(self) -> dict[str, dict]:
        return {k: self.by_kind[k].figures() for k in sorted(self.by_kind, key=lambda k: (k != "business", k))}


def evaluate(searcher: Searcher, golds: list[Gold], settings: Settings | None = None, top_k: int = 5) -> Evaluation:
    scores = Evaluation()
    for g in golds:
        scores.add(g, searcher.ask(g.q, top_k=max(top_k, max(KS)), settings=settings))
    return scores
