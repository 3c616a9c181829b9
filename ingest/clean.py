"""Cleaning extracted minutes text: extraction debris out, every word kept, pages mapped.

Output layout, which the structure parser and the chunker rely on: one logical
line per heading, item number, list item, table row or paragraph; paragraphs
separated by a blank line; table cells separated by a tab; lines broken in the
middle of a sentence joined with a single space.
"""
from __future__ import annotations

import html
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.markdown import strip_stray
from ingest.model import CleanText, RawDocument

# --- character level -------------------------------------------------------

_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_BLOCK_TAGS = "p|div|br|li|ul|ol|table|tbody|thead|tfoot|tr|h[1-6]|hr|blockquote|section|article|header|footer"
_INLINE_TAGS = "span|strong|b|i|em|u|font|a|sup|sub|small|big|mark|s|strike|del|ins|abbr|cite|code"
# A run of block tags is one break: "</li><li>" must not read as a blank line between paragraphs.
_BLOCK_TAG = re.compile(rf"(?:[ \t\n]*</?(?:{_BLOCK_TAGS})\b[^<>]*>)+[ \t\n]*", re.I)
_CELL_TAG = re.compile(r"</?(?:td|th)\b[^<>]*>", re.I)
_INLINE_TAG = re.compile(rf"</?(?:{_INLINE_TAGS})\b[^<>]*>", re.I)
_ENTITY = re.compile(r"&(?:#\d{1,6}|#x[0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_CONVERTER_LINK_TEXT = re.compile(r"^\s*(?:original|source)\s+(?:file|document|pdf|link)\s*$", re.I)
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_COLUMN_GAP = re.compile(r" {5,}")
_TAB_RUN = re.compile(r"[ \t]*\t[ \t]*")
_SPACE_RUN = re.compile(r" {2,}")

# --- lines -------------------------------------------------------------------

_BULLET_GLYPHS = "\u2022\u25cf\u25aa\u25a0\u25e6\u2023\u2043\u2219\u00b7\u27a2\u25ba\u25b6\u2713\u2714\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8"
_LEADING_BULLET = re.compile(rf"^(?:[{_BULLET_GLYPHS}]+|[-*\u2013](?=\s)|o(?=\s+[A-Z]))\s*")
_INLINE_BULLET = re.compile(rf"\s+[{_BULLET_GLYPHS}]+\s+")
# After a full stop, an "Action:" or a numbered heading ("... All in favour. 2.0 Election of Vice Chair") starts a line.
_INLINE_ACTION = re.compile(
    r"(?<=[.!?])\s+(?=(?:Actions?|ACTIONS?)\s*:|[1-9]\d?\.(?:\d{1,2})?\s+[A-Z][a-z]+\s+(?:[a-z]+\s+)?[A-Z])"
)
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^[-\u2013\u2014]\s*\d{1,4}\s*[-\u2013\u2014]$", re.I
)
_BARE_INT = re.compile(r"^\d{1,4}$")
_INLINE_PAGE_MARK = re.compile(r"(?<![\w/.,])(?:Page\s+)?(\d{1,3}) of (\d{1,3})(?![\w/])")
_SUPERSCRIPT = re.compile(r"(?<![\d,.])(\d{1,2}) (st|nd|rd|th|ST|ND|RD|TH)\b")

# A line starting like this is a new unit, never the tail of the line before.
_STRUCTURAL = re.compile(
    r"^(?:(?:"
    r"\d{1,3}(?:\.\d{1,3}){1,3}\.?"  # 2.1  2.1.3
    r"|[1-9]\d{0,2}[.)]"  # 1.  1)
    r"|\d{1,3}/\d{2}"  # 22/18
    r"|\(?[a-z]\)|\([A-Z]\)"  # a)  (a)  (A)
    r"|\(?[ivx]{1,4}[.)]"  # iv.  (ii)
    r"|(?:Agenda\s+)?Item\s+\d{1,3}(?:\.\d{1,3})*[.:]?"
    r")(?=\t|$|\s+[A-Z\u00c0-\u00de(\"'\u2018\u201c\u00a3\u20ac$])"
    r"|\d{2}-\d{1,4}(?=\s+(?:[A-Z]|\([a-zA-Z]\)|\d{1,3}\.\s))"  # 98-3480: roll call numbers
    r"|(?:\(?[a-z]\)|\([A-Z]\))(?=\s+(?:[A-Z]{1,4}/)?\d{2,4}/\d))"  # b) 24/01532/FUL: a lettered item opening with a reference
)
_LABEL = re.compile(r"^[A-Z][A-Za-z\u2019' ]{0,30}[A-Za-z](?:\s*\([^)\n]{1,30}\))?\s*:(?=\s|$)")
_BARE_NUMBER_LINE = re.compile(r"^\(?(?:\d{1,3}(?:[./]\d{1,3}){0,3}|[a-z]|[ivx]{1,4})[.):]?$", re.I)
_CLOSED = re.compile(r"[.!?:;][\"'\u2019\u201d)\]]*$")
_ABBREVIATION_END = re.compile(
    r"(?:\b[A-Z]|\b(?i:Mr|Mrs|Ms|Dr|Co|St|No|Nos|Cllr|Rev|Prof|Supt|Insp|Sgt|approx|ref|e\.g|i\.e))\.$"
)
_ROW_END = re.compile(r"\([A-Z][A-Za-z&]{1,7}\)$")
_SENTENCE_INSIDE = re.compile(r"[a-z]{2}[.!?] +[A-Z]")
_FUNCTION_WORDS = frozenset(
    "a an the of to and or nor by for in on at with from as that which who whom whose is was were be been "
    "are has have had not but their his her its our your this these those into onto upon than per via if "
    "when where whether would will shall should could can may must being all any each such both between "
    "under over about after before during including regarding re".split()
)


@dataclass
class _Line:
    """One source line, or one logical line once broken lines are joined."""

    text: str
    page: int
    bullet: bool = False
    gap: int = 0  # blank lines before it in the source
    soft: bool = False  # a page break (or removed page furniture) precedes it
    marks: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, page) where a page's text begins

    def __post_init__(self) -> None:
        if not self.marks:
            self.marks = [(0, self.page)]


# --- public ------------------------------------------------------------------


def clean(raw: RawDocument) -> CleanText:
    """Clean ``raw`` into one text with a map back to its pages."""
    pages = [_page_lines(page) for page in raw.pages]
    _drop_running_furniture(pages)
    lines = _flatten(pages)
    _drop_leading_link(lines)
    lines = _drop_page_markers(lines)
    layout = _layout(lines)
    joined = _join(lines, layout)
    return _emit(joined, len(raw.pages), layout)


# --- per page ----------------------------------------------------------------

_RULE = "\x00rule"


def _page_lines(text: str) -> list[str | tuple[str, bool]]:
    """A page as lines: "" for a blank line, _RULE for a Markdown rule, else (text, is_bullet)."""
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _strip_html(text)
    text = _strip_inline_page_marks(text)
    out: list[str | tuple[str, bool]] = []
    for line in text.split("\n"):
        if _MD_RULE.match(line):
            out.append(_RULE)
            continue
        line = _SPACE_RUN.sub(" ", strip_stray(_normalise_spaces(line))).strip(" \t")
        if not line:
            out.append("")
            continue
        if _PAGE_NUMBER.match(line):
            out.append((line, False))
            continue
        out.extend(_split_bullets(line))
    return out


def _strip_html(text: str) -> str:
    if "<" in text:
        text = _BLOCK_TAG.sub("\n", text)
        text = _CELL_TAG.sub("\t", text)
        text = _INLINE_TAG.sub("", text)
    if "&" in text and _ENTITY.search(text):
        text = html.unescape(text)
    return text


def _strip_inline_page_marks(text: str) -> str:
    """Running page marks inside the text ("January 12, 2011  7 of 18") left by converters that lost line breaks."""
    by_total: dict[str, list[re.Match[str]]] = {}
    for m in _INLINE_PAGE_MARK.finditer(text):
        by_total.setdefault(m.group(2), []).append(m)
    cuts: list[tuple[int, int]] = []
    for total, marks in by_total.items():
        numbers = [int(m.group(1)) for m in marks]
        if len(marks) < 3 or numbers != sorted(set(numbers)) or numbers[-1] > int(total):
            continue
        # The words running before the number on most pages ("January 12, 2011") are part of the header.
        fragments = [_line_fragment(text, m.start()) for m in marks]
        prefix, count = Counter(f.strip() for f in fragments).most_common(1)[0]
        use_prefix = count >= max(3, len(marks) // 2) and len(prefix) >= 4
        for m, fragment in zip(marks, fragments):
            start = m.start()
            if use_prefix and fragment.strip() == prefix:
                start -= len(fragment) - (len(fragment) - len(fragment.lstrip()))
            cuts.append((start, m.end()))
    for start, end in sorted(cuts, reverse=True):
        text = text[:start] + " " + text[end:]
    return text


def _line_fragment(text: str, end: int) -> str:
    start = max(text.rfind("\n", 0, end) + 1, end - 40)
    return text[start:end]


def _normalise_spaces(line: str) -> str:
    line = _SPACES.sub(" ", line)
    line = _COLUMN_GAP.sub("\t", line)
    line = _TAB_RUN.sub("\t", line)
    line = _SPACE_RUN.sub(" ", line)
    return line.strip(" \t")


def _split_bullets(line: str) -> list[tuple[str, bool]]:
    parts: list[tuple[str, bool]] = []
    bullet = False
    m = _LEADING_BULLET.match(line)
    if m and m.end() < len(line):
        bullet, line = True, line[m.end():]
    for n, piece in enumerate(_INLINE_BULLET.split(line)):
        for k, sub in enumerate(_INLINE_ACTION.split(piece)):
            sub = sub.strip(" \t")
            if sub:
                parts.append((sub, (bullet or n > 0) and k == 0))
    return parts


# --- page furniture ------------------------------------------------------------


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.lower()).strip()


def _drop_running_furniture(pages: list[list[str | tuple[str, bool]]]) -> None:
    """Remove page numbers and lines that recur at the top or bottom of most pages."""
    if len(pages) < 2:
        return
    edges: list[list[int]] = []
    for lines in pages:
        filled = [i for i, line in enumerate(lines) if isinstance(line, tuple)]
        edges.append(sorted(set(filled[:2] + filled[-2:])))
    counts: Counter[str] = Counter()
    for lines, idx in zip(pages, edges):
        counts.update({_furniture_key(lines[i][0]) for i in idx})
    threshold = max(3, math.ceil(0.5 * len(pages)))
    for lines, idx in zip(pages, edges):
        filled = [i for i, line in enumerate(lines) if isinstance(line, tuple)]
        outer = {filled[0], filled[-1]} if filled else set()
        for i in idx:
            text = lines[i][0]
            repeated = counts[_furniture_key(text)] >= threshold and _looks_like_furniture(text)
            if repeated or (i in outer and _PAGE_NUMBER.match(text)):
                lines[i] = ""


def _looks_like_furniture(line: str) -> bool:
    # A repeated line ending in a full stop is a recurring sentence ("Motion Carried 7-0."), not a header.
    return len(line) <= 80 and not line.endswith(".") and not _STRUCTURAL.match(line)


def _flatten(pages: list[list[str | tuple[str, bool]]]) -> list[_Line | str]:
    """All pages as one sequence of lines; "" stands for a blank line, _RULE for a rule."""
    out: list[_Line | str] = []
    for number, lines in enumerate(pages, start=1):
        first = True
        for line in lines:
            if isinstance(line, tuple):
                item = _Line(_fix_superscripts(line[0]), number, bullet=line[1])
                item.soft = first and number > 1
                first = False
                out.append(item)
            else:
                out.append(line)
    return out


def _fix_superscripts(line: str) -> str:
    def join(m: re.Match[str]) -> str:
        n, suffix = int(m.group(1)), m.group(2).lower()
        return m.group(1) + m.group(2) if suffix == _ordinal_suffix(n) else m.group(0)

    return _SUPERSCRIPT.sub(join, line)


def _ordinal_suffix(n: int) -> str:
    if 11 <= n % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _drop_leading_link(lines: list[_Line | str]) -> None:
    """A converter's "[Original file](url)" line at the top is a pointer, not minutes."""
    for i, line in enumerate(lines):
        if isinstance(line, _Line):
            if _CONVERTER_LINK_TEXT.match(line.text):
                lines[i] = ""
            return


def _drop_page_markers(lines: list[_Line | str]) -> list[_Line]:
    """Page numbers standing alone inside a single-page text, and the rules that announce them."""
    soft_at: set[int] = set()
    drop: set[int] = set()
    for i, line in enumerate(lines):
        if line == _RULE:
            drop.add(i)
            nxt = _next_filled(lines, i)
            if nxt is not None and _PAGE_NUMBER.match(lines[nxt].text):
                drop.add(nxt)
                soft_at.add(nxt)
    chains: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        if isinstance(line, _Line) and _BARE_INT.match(line.text) and i not in drop:
            value = int(line.text)
            chain = chains.pop(value, [])
            chain.append(i)
            chains[value + 1] = chain
    for chain in chains.values():
        # Page numbers interrupt sentences; item numbers standing alone never do.
        if len(chain) >= 2 and any(_mid_sentence(lines, i) for i in chain):
            drop.update(chain)
            soft_at.update(chain)
    out: list[_Line] = []
    gap, soft = 0, False
    for i, line in enumerate(lines):
        if i in drop or line == _RULE:
            soft = soft or i in soft_at
            if i not in soft_at and line == _RULE:
                gap += 1
            continue
        if isinstance(line, str):
            gap += 1
            continue
        line.gap, line.soft = gap, line.soft or soft
        out.append(line)
        gap, soft = 0, False
    return out


def _next_filled(lines: list[_Line | str], i: int) -> int | None:
    for j in range(i + 1, len(lines)):
        if isinstance(lines[j], _Line):
            return j
        if lines[j] == _RULE:
            return None
    return None


def _mid_sentence(lines: list[_Line | str], i: int) -> bool:
    before, after = _prev_filled(lines, i), _next_filled(lines, i)
    if before is None or after is None:
        return False
    return not _CLOSED.search(lines[before].text) and lines[after].text[:1].islower()


def _prev_filled(lines: list[_Line | str], i: int) -> int | None:
    for j in range(i - 1, -1, -1):
        if isinstance(lines[j], _Line):
            return j
    return None


# --- joining broken lines --------------------------------------------------------


@dataclass
class _Layout:
    width: int  # typical length of a full line, when the source wraps lines at a width
    wrapped: bool
    blank_soft: bool  # blank lines are wrapping debris, not paragraph breaks


def _layout(lines: list[_Line]) -> _Layout:
    lengths = sorted(len(line.text) for line in lines if "\t" not in line.text)
    if len(lengths) < 8:
        return _Layout(0, False, False)
    width = lengths[int(0.9 * (len(lengths) - 1))]
    full = sum(1 for n in lengths if n >= 0.75 * width)
    wrapped = width <= 160 and full >= 0.25 * len(lengths)
    after_blank = sum(1 for line in lines[1:] if line.gap == 1)
    blank_soft = wrapped and after_blank >= 0.6 * (len(lines) - 1)
    return _Layout(width, wrapped, blank_soft)


def _join(lines: list[_Line], layout: _Layout) -> list[_Line]:
    out: list[_Line] = []
    last_physical = ""
    for line in lines:
        if out:
            prev = out[-1]
            soft = line.soft or line.gap == 0 or (layout.blank_soft and line.gap == 1)
            glue = _glue(prev, last_physical, line, soft, layout)
            if glue is not None:
                if glue == "-":  # a word hyphenated across the break: drop the hyphen
                    prev.text = prev.text[:-1]
                    glue = ""
                offset = len(prev.text) + len(glue)
                prev.text += glue + line.text
                prev.marks.extend((offset + off, page) for off, page in line.marks)
                last_physical = line.text
                continue
        out.append(line)
        last_physical = line.text
    return out


def _glue(prev: _Line, last: str, line: _Line, soft: bool, layout: _Layout) -> str | None:
    """How ``line`` continues ``prev`` ("" or " " or "-" to unhyphenate), or None when it starts anew."""
    text = line.text
    first = text[0]
    if re.search(r"[A-Za-z0-9]-$", last) and not last.endswith("--") and first.isalnum() and not line.bullet:
        if last[-2].islower() and first.islower():
            return "-"
        return ""
    if line.bullet or _STRUCTURAL.match(text) or _LABEL.match(text) or "\t" in text or "\t" in prev.text:
        return None
    if _BARE_NUMBER_LINE.match(prev.text) or _PAGE_NUMBER.match(text):
        return None
    first = text[0]
    # A line ending "(ACR)" ends an attendance row, whatever its width.
    closed = (bool(_CLOSED.search(last)) and not _ABBREVIATION_END.search(last)) or bool(_ROW_END.search(last))
    if not closed and first.islower():
        return " "
    if not soft and line.gap > 1:
        return None
    if re.search(r"[A-Za-z0-9]-$", last) and not last.endswith("--") and first.isalnum():
        if last[-2].islower() and first.islower():
            return "-"
        return ""
    if closed:
        return " " if first.islower() else None
    ends_open = _last_word(last) in _FUNCTION_WORDS or last.endswith((",", "&", "\u2013", "-", "/", "("))
    if not soft or (_LABEL.match(prev.text) and not ends_open and len(text.split()) <= 3 and not _CLOSED.search(text)):
        # a "Venue: ..." field followed by a short heading ("Name Capacity") keeps them apart
        return " " if ends_open else None
    if ends_open or ((first.isdigit() or first == "(") and not _all_caps(last)):
        return " "
    if _SENTENCE_INSIDE.search(last) and not _all_caps(text):
        return " "
    if layout.wrapped and len(last) >= 0.65 * layout.width:
        return " "
    if _all_caps(last) and _all_caps(text) and text.split()[0].lower() in _FUNCTION_WORDS:
        return " "  # a title set one word a line: "MINUTES" / "OF" / "PROCEEDINGS"
    return None


def _last_word(line: str) -> str:
    m = re.search(r"([A-Za-z]+)\W*$", line)
    return m.group(1).lower() if m else ""


def _all_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and not any(c.islower() for c in letters)


# --- output ----------------------------------------------------------------------


def _emit(lines: list[_Line], page_count: int, layout: _Layout) -> CleanText:
    parts: list[str] = []
    firsts: dict[int, int] = {}
    offset = 0
    prev: _Line | None = None
    for line in lines:
        if prev is not None:
            sep = "\n\n" if _paragraph_break(prev, line, layout) else "\n"
            parts.append(sep)
            offset += len(sep)
        for off, page in line.marks:
            firsts.setdefault(page, offset + off)
        parts.append(line.text)
        offset += len(line.text)
        prev = line
    text = "".join(parts)
    starts: list[int] = []
    following = len(text)
    for page in range(page_count, 0, -1):
        following = min(following, firsts.get(page, following))
        starts.append(following)
    starts.reverse()
    if starts:
        starts[0] = 0
    return CleanText(text=text, page_starts=starts)


def _paragraph_break(prev: _Line, line: _Line, layout: _Layout) -> bool:
    if (line.gap == 0 and not line.soft) or _BARE_NUMBER_LINE.match(prev.text):
        return False
    if line.gap >= 1 and not layout.blank_soft and not line.soft:
        return True
    # Blank lines here are wrapping debris or page breaks: only a finished sentence ends a paragraph.
    return bool(_CLOSED.search(prev.text)) or line.gap > 1
