"""Markdown to the words a reader sees, parsed with markdown-it-py: whole .md files and stray markup in any text.

A parser, not patterns, decides what is markup: "1\\." stays a number, an
underscore inside a word stays, a lone asterisk stays. Raw HTML is passed on
for ``ingest.clean`` to strip (one home for tags), comments excepted.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

_DOCUMENT = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
# Converters leave links and bold in text that is not Markdown. Only those are read there: escapes,
# code spans and entities in a PDF's text are the minutes' own characters.
_STRAY = MarkdownIt("zero").enable(["link", "image", "emphasis", "strikethrough"])
_MAYBE_STRAY = re.compile(r"[*_~\[]")
# Markers the parser left unpaired ("**Meeting** **4th May****.**", a transcript's "*****") are debris too.
_STAR_RUN = re.compile(r"(?:\*[ \t]*){3,}")
_PAIR_RUN = re.compile(r"\*\*|__")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
# Pipe rows GFM does not take for a table (no delimiter line, or lazily inside a list item) are rows all the same.
PIPE_ROW = re.compile(r"^[ \t>]*\|.*\|[ \t]*$")
DELIMITER_ROW = re.compile(r"^[ \t>]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$")


def to_text(source: str) -> str:
    """A Markdown document as plain text with one line per source line.

    Headings, list items and paragraph lines stay on their lines (blank lines
    too), so the cleaner can tell a wrapped line from a new one; an ordered
    item keeps its number ("2."); a table row is its cells joined by tabs.
    """
    lines = source.split("\n")
    out = [""] * len(lines)
    number: tuple[str, int] | None = None  # an ordered item's number not yet written, with its line
    in_row = False
    for token in _DOCUMENT.parse(source):
        kind = token.type
        if kind == "list_item_open" and token.info and token.map:
            number = (token.info + token.markup, token.map[0])
        elif kind == "tr_open" and token.map:
            # Cells are split from the source line: GFM drops those past the header's count, words and all.
            _place(out, token.map[0], _row(lines[token.map[0]]))
            in_row = True
        elif kind == "tr_close":
            in_row = False
        elif kind in ("inline", "fence", "code_block", "html_block") and token.map and not in_row:
            text, line = _block_text(token, lines), token.map[0] + (kind == "fence")
            if number and number[1] == line and kind == "inline":
                text = f"{number[0]} {text}"
            elif number:
                _place(out, number[1], number[0])
            number = None
            _place(out, line, text)
        elif kind == "list_item_close" and number:
            _place(out, number[1], number[0])  # an item with no text ("7." alone) still has its number
            number = None
    return "\n".join(out)


def strip_stray(line: str) -> str:
    """One line of any text without the links and emphasis markers a converter left in it."""
    if not _MAYBE_STRAY.search(line):
        return line
    text = _inline_text(_STRAY.parseInline(line)[0].children or [])
    return _PAIR_RUN.sub("", _STAR_RUN.sub(" ", text))


def _block_text(token: Token, lines: list[str]) -> str:
    if token.type == "inline":
        text = _inline_text(token.children or []).split("\n")
        first = token.map[0] if token.map else 0
        for k, source in enumerate(lines[first:first + len(text)]):
            if DELIMITER_ROW.match(source):
                text[k] = ""
            elif PIPE_ROW.match(source):
                text[k] = _row(source)
        return "\n".join(text)
    text = token.content.removesuffix("\n")
    if token.type == "html_block":
        # A comment is nobody's words; its line breaks stay so the lines after it keep their place.
        text = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    return text


def _inline_text(children: Sequence[Token]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "html_inline" and not child.content.startswith("<!--"):
            parts.append(child.content)
        # Images are pictures (a logo, a signature), not minutes; link and emphasis markers carry no words.
    return "".join(parts)


def _row(source_line: str) -> str:
    """A table row's cells joined by tabs, split as GFM splits them: at pipes not escaped."""
    cells = source_line.strip(" \t").lstrip("> \t").removeprefix("|")
    if cells.endswith("|") and not cells.endswith("\\|"):
        cells = cells[:-1]
    texts = [_inline_text(_DOCUMENT.parseInline(cell.strip())[0].children or []) for cell in _UNESCAPED_PIPE.split(cells)]
    return "\t".join(texts).rstrip("\t")


def _place(out: list[str], line: int, text: str) -> None:
    for k, part in enumerate(text.split("\n")):
        at = min(line + k, len(out) - 1)
        out[at] = f"{out[at]} {part}" if out[at] and part else out[at] or part
