"""Format loaders: pick a reader by file suffix and turn any file into a RawDocument."""
from __future__ import annotations

import errno
from pathlib import Path
from typing import Callable

from ingest.errors import CorruptFile, EmptyFile, FileTooLarge, IngestError, UnsupportedFormat, Unreadable
from ingest.loaders import docx, html, pdf, text
from ingest.model import RawDocument

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

Reader = Callable[[Path, bytes], RawDocument]

_READERS: dict[str, Reader] = {
    ".pdf": pdf.read,
    ".docx": docx.read,
    ".html": html.read,
    ".htm": html.read,
    ".md": text.read_markdown,
    ".markdown": text.read_markdown,
    ".txt": text.read_text,
}

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_READERS)

# Formats people often drop in by mistake, with what to do about them.
_HINTS = {
    ".doc": "old Word .doc files are not read; open it in Word and save it as .docx",
    ".rtf": "RTF files are not read; save it as .docx or PDF",
    ".odt": "OpenDocument files are not read; save it as .docx or PDF",
}


def load(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Read one file into its text, page by page.

    Raises an ``IngestError`` subclass whose message names the file and says
    why it cannot be read; no other exception escapes for a bad file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        hint = _HINTS.get(suffix) or (
            f"files of type {suffix or '(no extension)'} are not read; "
            "use PDF, Word (.docx), HTML, Markdown or plain text"
        )
        raise UnsupportedFormat(f"{path.name}: {hint}")
    data = _read_bytes(path, max_bytes)
    if not data.strip():
        raise EmptyFile(f"{path.name} is empty")
    try:
        return reader(path, data)
    except IngestError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # parsers raise anything on damaged input; a clerk needs one reason
        raise CorruptFile(f"{path.name} could not be read, it may be damaged: {reason(exc)}") from exc


def reason(exc: BaseException) -> str:
    """One short line saying what a library complained about."""
    words = " ".join(str(exc).split()) or type(exc).__name__
    return words if len(words) <= 200 else words[:197] + "..."


def human_size(n: int) -> str:
    """A byte count as a clerk reads it: 512 bytes, 3.2 MB."""
    if n < 1024:
        return f"{n} bytes"
    value = float(n)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024:
            break
    return f"{value:.1f}".removesuffix(".0") + f" {unit}"


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        if path.is_dir():
            raise Unreadable(f"cannot read {path.name}: it is a folder, not a file")
        size = path.stat().st_size
        if size > max_bytes:
            raise _too_large(path, size, max_bytes)
        with path.open("rb") as handle:
            # Read one byte past the limit: the file may have grown since stat.
            data = handle.read(max_bytes + 1)
    except IngestError:
        raise
    except FileNotFoundError:
        raise Unreadable(f"cannot read {path.name}: the file is no longer there") from None
    except PermissionError:
        raise Unreadable(f"cannot read {path.name}: permission denied") from None
    except OSError as exc:
        why = exc.strerror or errno.errorcode.get(exc.errno or 0) or reason(exc)
        raise Unreadable(f"cannot read {path.name}: {why}") from None
    if len(data) > max_bytes:
        raise _too_large(path, len(data), max_bytes)
    return data


def _too_large(path: Path, size: int, max_bytes: int) -> FileTooLarge:
    return FileTooLarge(
        f"{path.name} is {human_size(size)}, over the {human_size(max_bytes)} limit for one file"
    )
