"""Officers' verdicts on answers: one JSON line per verdict in feedback.jsonl beside the index, read back as
gold-question candidates for `minutes eval`.

A plain append-only file rather than a table in the store: the nightly ingest owns the store, the page only
ever reads it, and whoever reviews the verdicts can open the file with any tool.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

FILE_NAME = "feedback.jsonl"
VERDICTS = ("right", "wrong")


class BadVerdict(ValueError):
    """A verdict other than right or wrong."""


@dataclass
class Verdict:
    time: str                 # UTC, ISO 8601
    question: str
    text: str                 # the answer as shown
    document: str
    page: int | None
    verdict: str              # "right" or "wrong"

    def to_json(self) -> dict:
        return {"time": self.time, "question": self.question,
                "answer": {"text": self.text, "document": self.document, "page": self.page}, "verdict": self.verdict}

    def gold(self) -> dict:
        """The verdict as a gold question for `minutes eval`; the verdict says whether to keep it or fix it."""
        return {"q": self.question, "doc": self.document, "expect": [self.text], "verdict": self.verdict}


def path(folder: Path) -> Path:
    return Path(folder) / FILE_NAME


def record(folder: Path, question: str, text: str, document: str, page: int | None, verdict: str) -> Verdict:
    """Append one verdict. One write of one line, so two officers answering at once never interleave."""
    if verdict not in VERDICTS:
        raise BadVerdict(f"a verdict is right or wrong, not {verdict!r}")
    v = Verdict(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), question, text, document, page, verdict)
    line = (json.dumps(v.to_json(), ensure_ascii=False) + "\n").encode("utf-8")
    fd = os.open(path(folder), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)
    return v


def read(folder: Path) -> tuple[list[Verdict], list[int]]:
    """Every verdict recorded, oldest first, and the numbers of lines that could not be read (a line cut short
    by a full disk, an edit by hand)."""
    file = path(folder)
    if not file.exists():
        return [], []
    out, bad = [], []
    for n, line in enumerate(file.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            a = obj["answer"]
            if obj["verdict"] not in VERDICTS or not isinstance(obj["question"], str) \
                    or not isinstance(a["text"], str) or not isinstance(a["document"], str):
                raise ValueError
            out.append(Verdict(str(obj.get("time", "")), obj["question"], a["text"], a["document"], a.get("page"),
                               obj["verdict"]))
        except (ValueError, KeyError, TypeError):
            bad.append(n)
    return out, bad


def candidates(verdicts: list[Verdict]) -> list[Verdict]:
    """One verdict per question and answer: the latest, since an officer may change their mind. In the order
    the questions were first judged."""
    latest: dict[tuple[str, str, str], Verdict] = {}
    for v in verdicts:
        key = (" ".join(v.question.split()), v.document, " ".join(v.text.split()))
        latest[key] = v
    return list(latest.values())
