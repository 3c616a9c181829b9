"""DOCX loader: body paragraphs and tables in document order, with Word's list numbers written out."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn

from ingest.errors import CorruptFile, NoText, PasswordProtected
from ingest.loaders.text import normalise_newlines
from ingest.model import RawDocument

# Word saves password-protected .docx files inside an OLE container, as it does old .doc files.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

_P, _TBL, _SDT, _SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
_TR, _TC, _VAL = qn("w:tr"), qn("w:tc"), qn("w:val")
_T, _TAB, _BR, _CR, _NO_BREAK_HYPHEN = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:noBreakHyphen")
# Tab stops in paragraph properties are also w:tab; mc:Fallback repeats what mc:Choice holds.
_SKIP_UNDER = frozenset({qn("w:pPr"), "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"})


def read(path: Path, data: bytes) -> RawDocument:
    name = path.name
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise PasswordProtected(f"{name} is password-protected: save a copy without a password")
        raise CorruptFile(f"{name} is an old Word .doc file named .docx: open it in Word and save it as .docx")
    if not data.startswith(b"PK"):
        raise CorruptFile(f"{name} is not a Word document: it is damaged or another kind of file renamed")
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise CorruptFile(f"{name} is not a readable Word document: {' '.join(str(exc).split())}") from exc
    numbers = _Numbering(document)
    lines = list(_block_lines(document.element.body, numbers))
    text = normalise_newlines("\n".join(lines))
    if not text.strip():
        raise NoText(f"{name} opened but holds no text")
    return RawDocument(path=str(path), kind="docx", pages=[text], metadata=_metadata(document))


def _metadata(document) -> dict[str, str]:
    # python-docx invents a core part titled "Word Document" when a file has none.
    try:
        core = document.part.package.part_related_by(RT.CORE_PROPERTIES)
    except KeyError:
        return {}
    title = core.core_properties.title
    return {"title": " ".join(title.split())} if title and title.strip() else {}


def _block_lines(parent, numbers: "_Numbering"):
    """Lines of a body (or table cell): a paragraph is a line, a table row is a line."""
    for child in parent.iterchildren():
        if child.tag == _P:
            yield numbers.prefix(child) + _paragraph_text(child)
        elif child.tag == _TBL:
            for row in child.iterchildren(_TR):
                cells = [" ".join(line.strip() for line in _block_lines(cell, numbers) if line.strip())
                         for cell in row.iterchildren(_TC)]
                yield "\t".join(cells)
        elif child.tag == _SDT:
            # Content controls (cover pages, form fields) wrap ordinary paragraphs and tables.
            for content in child.iterchildren(_SDT_CONTENT):
                yield from _block_lines(content, numbers)


def _paragraph_text(p) -> str:
    """Visible text of a paragraph, tracked insertions included and deletions left out.

    Walking the XML rather than python-docx's runs keeps text inside ``w:ins``,
    fields and text boxes.
    """
    parts: list[str] = []
    for element in p.iter(_T, _TAB, _BR, _CR, _NO_BREAK_HYPHEN, _P):
        if element is not p and _skipped(element, p):
            continue
        tag = element.tag
        if tag == _T:
            parts.append(element.text or "")
        elif tag == _TAB:
            parts.append("\t")
        elif tag == _NO_BREAK_HYPHEN:
            parts.append("-")
        elif element is not p:
            parts.append("\n")
    return "".join(parts)


def _skipped(element, stop) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in _SKIP_UNDER:
            return True
        parent = parent.getparent()
    return False


class _Numbering:
    """Word's automatic list numbers ("2.3", "b)"), which live in numbering.xml, not in the text."""

    def __init__(self, document) -> None:
        self._styles = {}
        for style in document.styles.element.iterchildren(qn("w:style")):
            self._styles[style.get(qn("w:styleId"))] = style
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}
        self._levels: dict[str, dict[int, tuple[int, str, str, str]]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            root = None
        if root is not None:
            self._read(root)
        self._counters: dict[str, dict[int, int]] = {}
        self._started: set[str] = set()

    def _read(self, root) -> None:
        for abstract in root.iterchildren(qn("w:abstractNum")):
            levels = {}
            for lvl in abstract.iterchildren(qn("w:lvl")):
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = (
                    int(_child_val(lvl, "w:start") or 1),
                    _child_val(lvl, "w:numFmt") or "decimal",
                    _child_val(lvl, "w:lvlText") or "",
                    _child_val(lvl, "w:suff") or "tab",
                )
            self._levels[abstract.get(qn("w:abstractNumId"))] = levels
        for num in root.iterchildren(qn("w:num")):
            overrides = {}
            for override in num.iterchildren(qn("w:lvlOverride")):
                start = _child_val(override, "w:startOverride")
                if start is not None:
                    overrides[int(override.get(qn("w:ilvl"), "0"))] = int(start)
            self._nums[num.get(qn("w:numId"))] = (_child_val(num, "w:abstractNumId") or "", overrides)

    def prefix(self, p) -> str:
        num_id, level = self._num_pr(p)
        if num_id is None or num_id not in self._nums:
            return ""
        abstract_id, overrides = self._nums[num_id]
        levels = self._levels.get(abstract_id, {})
        if level not in levels:
            return ""
        counters = self._counters.setdefault(abstract_id, {})
        if overrides and num_id not in self._started:
            self._started.add(num_id)
            counters.clear()
        for deeper in [ilvl for ilvl in counters if ilvl > level]:
            del counters[deeper]  # a new "2." restarts its "a.", "b." sub-items
        start = overrides.get(level, levels[level][0])
        counters[level] = counters[level] + 1 if level in counters else start
        _, fmt, template, suffix = levels[level]
        if fmt in ("bullet", "none") or not template:
            return ""

        def value(match_level: int) -> str:
            lvl_start, lvl_fmt = levels.get(match_level, (1, "decimal", "", ""))[:2]
            return _format(counters.get(match_level, overrides.get(match_level, lvl_start)), lvl_fmt)

        marker = template
        for ilvl in range(level, -1, -1):
            marker = marker.replace(f"%{ilvl + 1}", value(ilvl))
        return marker + {"tab": "\t", "space": " "}.get(suffix, "")

    def _num_pr(self, p) -> tuple[str | None, int]:
        """The list a paragraph belongs to: its own numPr, else its style's (styles inherit)."""
        num_id = level = None
        p_pr = p.find(qn("w:pPr"))
        style_id = None
        if p_pr is not None:
            num_id, level = _num_pr_values(p_pr)
            style_id = _child_val(p_pr, "w:pStyle")
        seen = set()
        while (num_id is None or level is None) and style_id and style_id not in seen:
            seen.add(style_id)
            style = self._styles.get(style_id)
            if style is None:
                break
            style_ppr = style.find(qn("w:pPr"))
            if style_ppr is not None:
                style_num, style_level = _num_pr_values(style_ppr)
                num_id = num_id if num_id is not None else style_num
                level = level if level is not None else style_level
            style_id = _child_val(style, "w:basedOn")
        if num_id in (None, "0"):
            return None, 0
        return num_id, level or 0


def _num_pr_values(p_pr) -> tuple[str | None, int | None]:
    num_pr = p_pr.find(qn("w:numPr"))
    if num_pr is None:
        return None, None
    level = _child_val(num_pr, "w:ilvl")
    return _child_val(num_pr, "w:numId"), int(level) if level is not None else None


def _child_val(element, tag: str) -> str | None:
    child = element.find(qn(tag))
    return None if child is None else child.get(_VAL)


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while n > 0:
            n, rest = divmod(n - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out += numeral * count
    return out
