"""Plain text and Markdown loaders, and the byte decoding every text format shares."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from ingest import markdown
from ingest.errors import EmptyFile, NoText, NotText
from ingest.model import RawDocument

# Control characters that never appear in real text (tab, newlines, form feed and
# vertical tab do); a file with many of them is binary whatever its name says.
_CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1A, 0x1B} | {0x7F}
_MAX_CONTROL_SHARE = 0.02
_SAMPLE = 1 << 16


def decode(data: bytes, name: str, declared: str | None = None) -> str:
    """Bytes to text: a BOM wins, then UTF-8, then a declared charset, then cp1252, then latin-1.

    Valid non-ASCII UTF-8 almost never happens by accident, so it is tried before
    a declared charset, which is often wrong on old web pages. Raises ``NotText``
    for binary data.
    """
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return _check_text(data[len(bom):].decode(codec), name)
            except UnicodeDecodeError:
                break
    _refuse_binary(data, name)
    candidates = ["utf-8"]
    if declared:
        candidates.append(declared)
    candidates += ["cp1252", "latin-1"]
    for codec in candidates:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    raise AssertionError("latin-1 decodes any bytes")


def _refuse_binary(data: bytes, name: str) -> None:
    sample = data[:_SAMPLE]
    if b"\x00" in sample:
        raise NotText(f"{name} holds binary data, not text")
    controls = sum(1 for byte in sample if byte in _CONTROL)
    if controls > _MAX_CONTROL_SHARE * len(sample):
        raise NotText(f"{name} holds binary data, not text")


def _check_text(text: str, name: str) -> str:
    sample = text[:_SAMPLE]
    if "\x00" in sample or sum(1 for ch in sample if ord(ch) in _CONTROL) > _MAX_CONTROL_SHARE * len(sample):
        raise NotText(f"{name} holds binary data, not text")
    return text


_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b]")


def normalise_newlines(text: str) -> str:
    """Every line break as ``\\n`` (Word's vertical tab and Unicode separators included)."""
    return _NEWLINES.sub("\n", text).replace("\x00", "")


def split_pages(text: str) -> list[str]:
    """Form feeds separate pages; one closing the last page does not open another."""
    pages = text.split("\f")
    if len(pages) > 1 and not pages[-1].strip():
        pages.pop()
    return pages


def read_text(path: Path, data: bytes) -> RawDocument:
    text = normalise_newlines(decode(data, path.name))
    if not text.strip():
        raise EmptyFile(f"{path.name} is empty")
    return RawDocument(path=str(path), kind="text", pages=[pipe_tables(page) for page in split_pages(text)])


def pipe_tables(text: str) -> str:
    """A table typed with pipes in a plain-text file ("| Action | Responsible | Due |" over "|---|---|---|"),
    its rows as every other table's: the cells joined by tabs, the line of dashes dropped. Rows without
    that line under their head are left as written."""
    lines = text.split("\n")
    out: list[str] = []
    n = 0
    while n < len(lines):
        if (n + 1 < len(lines) and markdown.PIPE_ROW.match(lines[n]) and markdown.DELIMITER_ROW.match(lines[n + 1])):
            out.append(_cells(lines[n]))
            n += 2
            while n < len(lines) and markdown.PIPE_ROW.match(lines[n]):
                out.append(_cells(lines[n]))
                n += 1
            continue
        out.append(lines[n])
        n += 1
    return "\n".join(out)


def _cells(line: str) -> str:
    cells = line.strip(" \t").removeprefix("|").removesuffix("|")
    return "\t".join(cell.strip() for cell in cells.split("|")).rstrip("\t")


def read_markdown(path: Path, data: bytes) -> RawDocument:
    text = normalise_newlines(decode(data, path.name))
    if not text.strip():
        raise EmptyFile(f"{path.name} is empty")
    metadata, body = front_matter(text)
    # Page by page: the parser reads a form feed as a blank line and would lose the page break.
    pages = [markdown.to_text(page) for page in split_pages(body)]
    if not any(page.strip() for page in pages):
        raise NoText(f"{path.name} has no text besides its header")
    return RawDocument(path=str(path), kind="markdown", pages=pages, metadata=metadata)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split a leading YAML block from the text. A block that is not a YAML mapping is left in place."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        data = yaml.safe_load(match.group(1) or "")
    except yaml.YAMLError:
        return {}, text
    if not isinstance(data, dict):
        return {}, text
    metadata = {str(key): _as_string(value) for key, value in data.items() if value is not None}
    return metadata, text[match.end():]


def _as_string(value: object) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(_as_string(item) for item in value if item is not None)
    return str(value)
