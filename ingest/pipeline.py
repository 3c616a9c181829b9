"""One file in, one Meeting and its Chunks out: loaders, cleaning, structure, chunking."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ingest.chunk import chunk_meeting
from ingest.clean import clean
from ingest.loaders import DEFAULT_MAX_BYTES, load
from ingest.model import Chunk, CleanText, Meeting
from ingest.structure import parse


def read_meeting(path: Path, source: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Meeting:
    """Load, clean and parse one file. Raises ``IngestError`` with a reason when it cannot."""
    raw = load(Path(path), max_bytes=max_bytes)
    text = clean(raw)
    return parse(text, source=source or Path(path).name, metadata=raw.metadata)


def read_file(
    path: Path,
    count_tokens: Callable[[str], int],
    max_tokens: int,
    source: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[Meeting, list[Chunk]]:
    meeting = read_meeting(path, source=source, max_bytes=max_bytes)
    return meeting, chunk_meeting(meeting, count_tokens, max_tokens)


def reread_structure(path: Path, source: str, text: str, page_starts: list[int],
                     max_bytes: int = DEFAULT_MAX_BYTES) -> Meeting:
    """The structure of a stored meeting read again from its stored clean text (so that every offset
    stays valid for its chunks), with the metadata its file states about itself."""
    try:
        metadata = load(Path(path), max_bytes=max_bytes).metadata
    except Exception:  # the text is what is read; a file that no longer loads only loses its metadata
        metadata = {}
    return parse(CleanText(text, page_starts), source=source, metadata=metadata)
