"""Chunks: whole sentences, never across an agenda item, within the model's word-piece limit, offsets verbatim."""
from __future__ import annotations

from pathlib import Path

import pytest

from index.embed import default_model_path, load_token_counter
from ingest.chunk import chunk_meeting
from ingest.errors import IngestError
from ingest.model import AgendaItem, Meeting
from ingest.pipeline import read_meeting
from ingest.sentences import sentence_spans
from tests.conftest import CORPUS, shared_data

LIMIT = 256


@pytest.fixture(scope="module")
def count():
    return load_token_counter(default_model_path())


def _real_files() -> list[Path]:
    files = sorted(CORPUS.iterdir())
    for folder in ("opcc", "council-minutes"):
        try:
            files += sorted(shared_data(folder).iterdir())
        except pytest.skip.Exception:
            pass
    return [f for f in files if f.suffix.lower() in {".pdf", ".docx", ".html", ".md", ".txt"}
            and f.name != "SOURCES.txt"]


def _check_chunks(meeting: Meeting, chunks, count) -> None:
    assert chunks, meeting.source
    items = sorted(meeting.items, key=lambda i: i.start)
    bounds = [i.start for i in items]
    for c in chunks:
        assert meeting.text[c.start:c.end] == c.text
        # The model reads at most LIMIT word pieces and silently drops the rest.
        assert count(c.embed_text) <= LIMIT, (meeting.source, count(c.embed_text), c.text[:80])
        assert not any(c.start < b < c.end for b in bounds), f"{meeting.source}: chunk crosses an item start"
        if c.item:
            owner = [i for i in items if i.start <= c.start < max(i.end, i.start + 1) or i.start <= c.start]
            assert owner and owner[-1].label == c.item


@pytest.mark.parametrize("path", _real_files(), ids=lambda p: p.name)
def test_no_chunk_of_a_real_file_is_truncated_or_crosses_an_item(path: Path, count) -> None:
    try:
        meeting = read_meeting(path)
    except IngestError:
        pytest.skip(f"{path.name} is refused by the loaders")
    _check_chunks(meeting, chunk_meeting(meeting, count, LIMIT), count)


def test_long_sentence_without_stops_is_split_to_fit(count) -> None:
    text = "Item one " + " ".join(f"word{n}" for n in range(900))
    meeting = Meeting(source="x.txt", text=text, page_starts=[0], title="Panel")
    chunks = chunk_meeting(meeting, count, LIMIT)
    assert len(chunks) > 3
    assert all(count(c.embed_text) <= LIMIT for c in chunks)
    assert " ".join(c.text for c in chunks).split() == text.split()


def test_chunks_keep_whole_sentences_and_pages(count) -> None:
    sentences = [f"Sentence number {n} reports that the figure was {n * 7} calls." for n in range(60)]
    first, second = " ".join(sentences[:30]), " ".join(sentences[30:])
    text = f"1. Performance\n{first}\n\n2. Budget\n{second}"
    b = text.index("2. Budget")
    meeting = Meeting(source="m.txt", text=text, page_starts=[0, text.index("Sentence number 45")],
                      title="Monthly Assurance Meeting", date="2022-03-17",
                      items=[AgendaItem("1", "Performance", 0, b), AgendaItem("2", "Budget", b, len(text))])
    chunks = chunk_meeting(meeting, count, LIMIT)
    spans = {(s, e) for s, e in sentence_spans(text)}
    starts, ends = {s for s, _ in spans}, {e for _, e in spans}
    for c in chunks:
        assert c.start in starts and c.end in ends, c.text[:60]
        assert "17 March 2022" in c.header and c.item in c.header
    assert {c.item for c in chunks} == {"1 Performance", "2 Budget"}
    assert any(c.page == 2 for c in chunks) and any(c.page == 1 for c in chunks)
