"""The things search hands back: passages, the answer, the result of one question, and its filters."""
from __future__ import annotations

from dataclasses import dataclass, field

from index.filters import Filters  # noqa: F401 (re-exported: the search takes them)


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
    start: int = 0                    # offsets of the passage in its meeting's clean text
    end: int = 0
    dense: float | None = None        # cosine with the question (plus its best sentence's, with sentence vectors)
    dense_rank: int | None = None
    keyword_rank: int | None = None
    collection: str = "default"

    def to_json(self) -> dict:
        return {"rank": self.rank, "score": round(self.score, 6), "text": self.text, "document": self.document,
                "title": self.title, "date": self.date, "item": self.item, "page": self.page,
                "collection": self.collection}


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
    meeting_id: int = 0
    fact: str | None = None           # the kind of fact it was read as ("seconder", "apologies" ...), if any
    support: tuple[float | None, float] = (None, 0.0)   # the span's cosine with the question, its share of the words
    collection: str = "default"

    def to_json(self) -> dict:
        return {"text": self.text, "document": self.document, "title": self.title, "date": self.date,
                "item": self.item, "page": self.page, "collection": self.collection}


@dataclass
class Result:
    question: str
    answer: Answer | None
    passages: list[Passage] = field(default_factory=list)
    later: Answer | None = None       # what a later meeting says on the topic, when the answer is older
    history: list = field(default_factory=list)   # HistoryPoint: the figure as each meeting reported it

    def to_json(self) -> dict:
        return {"question": self.question, "answer": self.answer.to_json() if self.answer else None,
                "later": self.later.to_json() if self.later else None,
                "passages": [p.to_json() for p in self.passages]}
