"""PDF loader: the text layer page by page with pypdf, so citations keep their page numbers."""
from __future__ import annotations

import io
import logging
from pathlib import Path

from pypdf import PdfReader
from pypdf import PasswordType
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

from ingest.errors import CorruptFile, IngestError, NoText, NoTextLayer, PasswordProtected
from ingest.loaders.text import normalise_newlines
from ingest.model import RawDocument

log = logging.getLogger(__name__)

# The PDF standard lets the header sit anywhere in the first kilobyte.
_HEADER_WINDOW = 1024


def read(path: Path, data: bytes) -> RawDocument:
    name = path.name
    if b"%PDF-" not in data[:_HEADER_WINDOW]:
        raise CorruptFile(f"{name} is not a PDF: it does not start like one (damaged, or another kind of file renamed)")
    try:
        reader = PdfReader(io.BytesIO(data))
    except PdfReadError as exc:
        raise CorruptFile(f"{name} is a damaged PDF: {_one_line(exc)}") from exc
    _unlock(reader, name)
    try:
        page_objects = list(reader.pages)
    except FileNotDecryptedError as exc:
        raise PasswordProtected(f"{name} is password-protected: save a copy without a password") from exc
    if not page_objects:
        raise NoText(f"{name} has no pages")
    pages: list[str] = []
    failed: list[int] = []
    for number, page in enumerate(page_objects, start=1):
        try:
            pages.append(normalise_newlines(page.extract_text() or ""))
        except Exception as exc:  # one broken page should not cost the other pages
            log.warning("%s: page %d could not be read: %s", name, number, _one_line(exc))
            failed.append(number)
            pages.append("")
    if len(failed) == len(pages):
        raise CorruptFile(f"{name} is a damaged PDF: none of its {len(pages)} pages could be read")
    if not any(page.strip() for page in pages):
        raise NoTextLayer(f"{name} has no text layer: scanned pages need OCR")
    return RawDocument(path=str(path), kind="pdf", pages=pages, metadata=_metadata(reader))


def _unlock(reader: PdfReader, name: str) -> None:
    """Open owner-locked PDFs (no password needed to read); refuse those needing one."""
    if not reader.is_encrypted:
        return
    try:
        result = reader.decrypt("")
    except DependencyError as exc:
        raise IngestError(f"{name} uses encryption this installation cannot open: {_one_line(exc)}") from exc
    except (PdfReadError, NotImplementedError) as exc:
        raise CorruptFile(f"{name} is encrypted in a way that cannot be read: {_one_line(exc)}") from exc
    if result == PasswordType.NOT_DECRYPTED:
        raise PasswordProtected(f"{name} is password-protected: save a copy without a password")


def _metadata(reader: PdfReader) -> dict[str, str]:
    try:
        info = reader.metadata
        title = info.title if info else None
    except Exception:  # a broken info dictionary should not lose the text
        return {}
    if isinstance(title, str) and title.strip():
        return {"title": " ".join(title.split())}
    return {}


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
