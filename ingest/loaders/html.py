"""HTML loader: the visible text of a page, with block elements on their own lines."""
from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import Declaration, Doctype, ProcessingInstruction

from ingest.errors import NoText
from ingest.loaders.text import decode, normalise_newlines
from ingest.model import RawDocument

_INVISIBLE = frozenset({"script", "style", "noscript", "template", "head", "title", "svg", "iframe", "object", "canvas"})
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "thead",
    "tfoot", "tr", "ul", "body", "html", "center",
})
_CELLS = frozenset({"td", "th"})
_SKIPPED_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# Web pages that say latin-1 are written in cp1252 (browsers decode them so).
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def read(path: Path, data: bytes) -> RawDocument:
    text = decode(data, path.name, declared=_declared_charset(data))
    soup = BeautifulSoup(text, "html.parser")
    metadata = {}
    if soup.title and soup.title.get_text(strip=True):
        metadata["title"] = " ".join(soup.title.get_text().split())
    parts: list[str] = []
    _walk(soup, parts, preformatted=False)
    body = _tidy(normalise_newlines("".join(parts)))
    if not body.strip():
        raise NoText(f"{path.name} opened but holds no visible text")
    return RawDocument(path=str(path), kind="html", pages=[body], metadata=metadata)


def _declared_charset(data: bytes) -> str | None:
    match = _CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    return _CHARSET_ALIASES.get(name, name)


def _walk(node: Tag, parts: list[str], preformatted: bool) -> None:
    for child in node.children:
        if isinstance(child, _SKIPPED_STRINGS):
            continue
        if isinstance(child, NavigableString):
            # HTML shows any run of spaces and newlines as one space, except in <pre>.
            parts.append(str(child) if preformatted else re.sub(r"[ \t\n\r\f]+", " ", str(child)))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name.lower()
        if name in _INVISIBLE or _hidden(child):
            continue
        if name == "br":
            parts.append("\n")
        elif name in _CELLS:
            _walk(child, parts, preformatted)
            parts.append("\t")
        elif name in _BLOCKS:
            parts.append("\n")
            _walk(child, parts, preformatted or name == "pre")
            parts.append("\n")
        else:
            _walk(child, parts, preformatted)


def _hidden(tag: Tag) -> bool:
    return tag.has_attr("hidden") or bool(_HIDDEN_STYLE.search(str(tag.get("style", ""))))


def _tidy(text: str) -> str:
    """Trim each line, drop the tab after a row's last cell, and keep at most one blank line in a row."""
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"[ ]*\t[ ]*", "\t", line).strip(" ").rstrip("\t")
        lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
