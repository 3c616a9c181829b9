"""Rebuilds every file of the sample corpus in corpus/ from the meeting sources in corpus-src/.

Run from the project root: ``.venv/bin/python corpus-src/build.py``.
Each ``*.src.md`` holds one meeting: a YAML header naming the output file and
its format, then the minutes in a small Markdown-like language (see README.md).
The output is deterministic: PDF and DOCX carry fixed dates, so a rebuild of an
unchanged source gives the same bytes.
"""
from __future__ import annotations

import datetime as dt
import html
import io
import re
import sys
import textwrap
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SRC_DIR = Path(__file__).resolve().parent
OUT_DIR = SRC_DIR.parent / "corpus"

SUPERSCRIPT = re.compile(r"\{(st|nd|rd|th)\}")
HYPHEN_BREAK = "{-}"
ITEM_HEADING = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(.*)$")


@dataclass
class Block:
    kind: str  # "title", "item", "para", "list", "table"
    text: str = ""
    number: str | None = None
    rows: list[list[str]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    tight: bool = False  # a line that follows the previous one with no gap


@dataclass
class Source:
    path: Path
    meta: dict
    blocks: list[Block]

    @property
    def style(self) -> dict:
        return self.meta.get("style") or {}


def parse_source(path: Path) -> Source:
    """Reads one meeting source: YAML header, then blocks of the mini language."""
    raw = path.read_text(encoding="utf-8")
    if not raw.startswith("---\n"):
        raise ValueError(f"{path.name}: missing YAML header")
    header, body = raw[4:].split("\n---\n", 1)
    meta = yaml.safe_load(header)
    blocks: list[Block] = []
    previous_blank = True
    for line in body.splitlines():
        stripped = line.rstrip()
        if not stripped:
            previous_blank = True
            continue
        if stripped.startswith("# "):
            blocks.append(Block("title", stripped[2:].strip()))
        elif stripped.startswith("## "):
            heading = stripped[3:].strip()
            match = ITEM_HEADING.match(heading)
            if match:
                blocks.append(Block("item", match.group(2), number=match.group(1)))
            else:
                blocks.append(Block("item", heading))
        elif stripped.startswith("|"):
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            if blocks and blocks[-1].kind == "table" and not previous_blank:
                blocks[-1].rows.append(cells)
            else:
                blocks.append(Block("table", rows=[cells]))
        elif stripped.startswith("- "):
            if blocks and blocks[-1].kind == "list" and not previous_blank:
                blocks[-1].items.append(stripped[2:].strip())
            else:
                blocks.append(Block("list", items=[stripped[2:].strip()]))
        else:
            tight = not previous_blank and bool(blocks) and blocks[-1].kind == "para"
            blocks.append(Block("para", stripped, tight=tight))
        previous_blank = False
    return Source(path, meta, blocks)


def plain(text: str, split_superscript: bool = False, hyphen: str = "") -> str:
    """Inline markup to plain text, with the extraction debris a style asks for."""
    sup = r" \1" if split_superscript else r"\1"
    return SUPERSCRIPT.sub(sup, text).replace(HYPHEN_BREAK, hyphen)


# ---------------------------------------------------------------- text and markdown

def _wrap(text: str, width: int) -> str:
    """Hard-wraps a paragraph; a marked hyphen break becomes a real one at that spot."""
    marker = "\x00"
    text = text.replace(HYPHEN_BREAK, marker)
    if width:
        text = textwrap.fill(text, width=width, break_long_words=False, break_on_hyphens=False)
    return text.replace(marker, "-\n")


def _text_lines(src: Source, markdown: bool) -> list[str]:
    style = src.style
    width = int(style.get("wrap", 0))
    bullet = style.get("bullet", "-")
    split_sup = bool(style.get("split_superscript", False))
    hyphenate = bool(style.get("hyphenate", False))
    p_tags = bool(style.get("p_tags", False))
    numbers = style.get("numbers", "inline")  # inline, tab, own_line
    table_style = style.get("table", "pipes" if markdown else "spaces")
    lists_inline = bool(style.get("lists_inline", False))

    def inline(text: str) -> str:
        text = SUPERSCRIPT.sub(r" \1" if split_sup else r"\1", text)
        if not hyphenate:
            text = text.replace(HYPHEN_BREAK, "")
        return _wrap(text, width)

    out: list[str] = []
    in_items = False  # tags leak from the body of minutes, not from their heading lines
    for block in src.blocks:
        if block.kind == "title":
            out += ["", f"# {block.text}" if markdown else block.text + style.get("title_suffix", ""), ""]
        elif block.kind == "item":
            in_items = True
            title = plain(block.text, split_sup)
            hashes = "## " if markdown and not block.number or markdown and "." not in block.number else "### "
            prefix = hashes if markdown else ""
            if block.number is None:
                out += ["", f"{prefix}{title}"]
            elif numbers == "own_line":
                out += ["", f"{prefix}{block.number}", title]
            elif numbers == "tab":
                out += ["", f"{block.number}\t{title}"]
            else:
                out += ["", f"{prefix}{block.number} {title}"]
            out.append("")
        elif block.kind == "para":
            text = inline(block.text)
            if p_tags and in_items:
                text = f"<p>{text}</p>"
            if not block.tight and out and out[-1] != "":
                out.append("")
            out.append(text)
            if markdown and block.tight and len(out) >= 2 and out[-2]:
                # Markdown joins adjacent lines; two trailing spaces keep the break.
                out[-2] += "  "
        elif block.kind == "list":
            if out and out[-1] != "":
                out.append("")
            if lists_inline:
                joined = " ".join(f"{bullet} {inline(item)}" for item in block.items)
                out.append(f'<ul style="list-style-type: none"> {joined}' if p_tags and in_items else joined)
            else:
                for item in block.items:
                    text = inline(item)
                    out.append(f"{bullet} " + text.replace("\n", "\n  " if markdown else "\n"))
            out.append("")
        elif block.kind == "table":
            if out and out[-1] != "":
                out.append("")
            out += _table_lines(block.rows, table_style)
            out.append("")
    text = "\n".join(out)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text.split("\n")


def _table_lines(rows: list[list[str]], table_style: str) -> list[str]:
    if table_style == "pipes":
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join("---" for _ in rows[0]) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return lines
    if table_style == "tabs":
        # The shape a PDF table takes when copied out: a label column, then tab-separated cells.
        lines = ["\t" + "\t".join(c + ":" for c in rows[0])]
        for i, row in enumerate(rows[1:]):
            lines.append(("Attendance:" if i == 0 else "") + "\t" + "\t".join(row))
        return lines
    width = max(len(r[0]) for r in rows) + 3
    return [(r[0].ljust(width) + "  ".join(r[1:])).rstrip() for r in rows]


def render_text(src: Source) -> bytes:
    return ("\n".join(_text_lines(src, markdown=False)) + "\n").encode("utf-8")


def render_markdown(src: Source) -> bytes:
    meta = src.meta
    front = {"title": meta["title"], "date": str(meta["date"]), "body": meta["body"]}
    head = "---\n" + "".join(f"{k}: {v}\n" for k, v in front.items()) + "---\n\n"
    return (head + "\n".join(_text_lines(src, markdown=True)) + "\n").encode("utf-8")


# ---------------------------------------------------------------- HTML

HTML_STYLE = """
    body { font-family: Arial, Helvetica, sans-serif; max-width: 52rem; margin: 2rem auto; color: #1b1b1b; }
    header.site, footer.site { font-size: 0.85rem; color: #555; }
    table.attendance { border-collapse: collapse; margin: 1rem 0; }
    table.attendance td, table.attendance th { border: 1px solid #999; padding: 0.3rem 0.6rem; }
    h2.item { border-bottom: 2px solid #20417a; }
    p.action { font-weight: bold; }
    .minutes-note::before { content: "Minutes of the meeting - draft until approved"; }
"""

HTML_SCRIPT = """
    // Site analytics and the cookie banner; none of this is part of the minutes.
    window.dataLayer = window.dataLayer || [];
    function gtag(){ dataLayer.push(arguments); }
    gtag('js', new Date());
    var bannerText = "Meeting cancelled: the Chief Constable will answer questions on the 101 target next week.";
    document.addEventListener('DOMContentLoaded', function () {
        var el = document.getElementById('cookie-banner');
        if (el && !localStorage.getItem('cookies-ok')) { el.textContent = bannerText; }
    });
"""


def _html_inline(text: str) -> str:
    text = html.escape(text.replace(HYPHEN_BREAK, ""), quote=False)
    return SUPERSCRIPT.sub(r"<sup>\1</sup>", text)


def render_html(src: Source) -> bytes:
    meta = src.meta
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '  <meta charset="utf-8">',
        f"  <title>{html.escape(meta['title'])} | Northshire OPCC</title>",
        f'  <meta name="description" content="Minutes of the {html.escape(meta["body"])}">',
        f"  <style>{HTML_STYLE}  </style>",
        f"  <script>{HTML_SCRIPT}  </script>",
        "</head>",
        "<body>",
        '  <header class="site"><nav><a href="/">Home</a> | <a href="/meetings/">Meetings and minutes</a>'
        ' | <a href="/contact/">Contact us</a></nav><div id="cookie-banner"></div></header>',
        '  <main class="minutes">',
    ]
    for block in src.blocks:
        if block.kind == "title":
            parts.append(f"    <h1>{_html_inline(block.text)}</h1>")
        elif block.kind == "item":
            label = f"{block.number} {block.text}" if block.number else block.text
            tag = "h3" if block.number and "." in block.number else "h2"
            parts.append(f'    <{tag} class="item">{_html_inline(label)}</{tag}>')
        elif block.kind == "para":
            text = _html_inline(block.text)
            key, sep, rest = text.partition(": ")
            if block.text.startswith("Action:"):
                parts.append(f'    <p class="action">{text}</p>')
            elif sep and len(key) < 20 and block.tight or sep and len(key) < 20 and _is_meta_line(block):
                parts.append(f"    <p><strong>{key}:</strong> {rest}</p>")
            else:
                parts.append(f"    <p>{text}</p>")
        elif block.kind == "list":
            parts.append("    <ul>")
            parts += [f"      <li>{_html_inline(i)}</li>" for i in block.items]
            parts.append("    </ul>")
        elif block.kind == "table":
            parts.append('    <table class="attendance">')
            head = "".join(f"<th>{_html_inline(c)}</th>" for c in block.rows[0])
            parts.append(f"      <thead><tr>{head}</tr></thead>")
            parts.append("      <tbody>")
            for row in block.rows[1:]:
                parts.append("        <tr>" + "".join(f"<td>{_html_inline(c)}</td>" for c in row) + "</tr>")
            parts.append("      </tbody>")
            parts.append("    </table>")
    parts += [
        "  </main>",
        '  <footer class="site"><p>Office of the Police and Crime Commissioner for Northshire,'
        " County Hall, Ashbridge. Published under the Elected Local Policing Bodies (Specified"
        " Information) Order 2011.</p></footer>",
        "</body>",
        "</html>",
    ]
    return ("\n".join(parts) + "\n").encode("utf-8")


def _is_meta_line(block: Block) -> bool:
    return block.text.split(":", 1)[0] in {"Date", "Time", "Chair", "Venue", "Minutes", "Present", "Apologies"}


# ---------------------------------------------------------------- DOCX

FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def _docx_runs(paragraph, text: str) -> None:
    text = text.replace(HYPHEN_BREAK, "")
    pos = 0
    for match in SUPERSCRIPT.finditer(text):
        paragraph.add_run(text[pos:match.start()])
        paragraph.add_run(match.group(1)).font.superscript = True
        pos = match.end()
    paragraph.add_run(text[pos:])


def render_docx(src: Source) -> bytes:
    from docx import Document
    from docx.shared import Pt

    meta = src.meta
    doc = Document()
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)
    stamp = _published(meta)
    props = doc.core_properties
    props.title = meta["title"]
    props.subject = meta["body"]
    props.author = "Office of the Police and Crime Commissioner for Northshire"
    props.last_modified_by = "OPCC Governance"
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    props.comments = ""
    props.keywords = "minutes"
    section = doc.sections[0]
    if meta.get("header"):
        section.header.paragraphs[0].text = meta["header"]
    for block in src.blocks:
        if block.kind == "title":
            _docx_runs(doc.add_heading(level=1), block.text)
        elif block.kind == "item":
            label = f"{block.number} {block.text}" if block.number else block.text
            level = 3 if block.number and "." in block.number else 2
            _docx_runs(doc.add_heading(level=level), label)
        elif block.kind == "para":
            _docx_runs(doc.add_paragraph(), block.text)
        elif block.kind == "list":
            for item in block.items:
                _docx_runs(doc.add_paragraph(style="List Bullet"), item)
        elif block.kind == "table":
            table = doc.add_table(rows=0, cols=len(block.rows[0]))
            table.style = "Table Grid"
            for i, row in enumerate(block.rows):
                cells = table.add_row().cells
                for cell, value in zip(cells, row):
                    cell.text = ""
                    run = cell.paragraphs[0].add_run(value.replace(HYPHEN_BREAK, ""))
                    run.bold = i == 0
            doc.add_paragraph()
    buffer = io.BytesIO()
    doc.save(buffer)
    return _stable_zip(buffer.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """Rewrites a zip with fixed member times, which python-docx sets to the clock."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            zout.writestr(fixed, zin.read(info.filename))
    return out.getvalue()


def _published(meta: dict) -> dt.datetime:
    """Minutes are typically signed off about a week after the meeting."""
    day = meta["date"] if isinstance(meta["date"], dt.date) else dt.date.fromisoformat(str(meta["date"]))
    return dt.datetime.combine(day + dt.timedelta(days=7), dt.time(9, 0), tzinfo=dt.timezone.utc)


# ---------------------------------------------------------------- PDF

def render_pdf(src: Source) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    meta = src.meta
    style = src.style
    header_text = meta.get("header", "")
    footer_text = meta.get("footer", f"Minutes: {meta['title']}")
    body_size = float(style.get("font_size", 10.5))
    line_h = body_size * 0.5

    class MinutesPDF(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=8)
            self.set_text_color(90, 90, 90)
            self.cell(0, 5, header_text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
            self.ln(6)
            self.set_text_color(0, 0, 0)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=8)
            self.set_text_color(90, 90, 90)
            self.cell(0, 5, footer_text, align="L")
            self.set_x(self.l_margin)
            self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")
            self.set_text_color(0, 0, 0)

    pdf = MinutesPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_creation_date(_published(meta))
    pdf.set_title(meta["title"])
    pdf.set_subject(meta["body"])
    pdf.set_author("Office of the Police and Crime Commissioner for Northshire")
    pdf.set_creator("OPCC Governance")
    pdf.set_producer("OPCC Governance")
    pdf.alias_nb_pages()
    pdf.add_page()

    def text(value: str) -> str:
        return plain(value)

    for block in src.blocks:
        if block.kind == "title":
            pdf.set_font("Helvetica", "B", 15)
            pdf.multi_cell(0, 7, text(block.text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(3)
        elif block.kind == "item":
            pdf.ln(2)
            pdf.set_font("Helvetica", "B", body_size + 1)
            if block.number and style.get("numbers") == "own_line":
                pdf.multi_cell(0, line_h + 0.6, block.number, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                pdf.multi_cell(0, line_h + 0.6, text(block.text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            else:
                label = f"{block.number}  {text(block.text)}" if block.number else text(block.text)
                pdf.multi_cell(0, line_h + 0.6, label, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)
        elif block.kind == "para":
            if not block.tight:
                pdf.ln(1.5)
            is_action = block.text.startswith("Action:")
            pdf.set_font("Helvetica", "B" if is_action else "", body_size)
            pdf.multi_cell(0, line_h, text(block.text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        elif block.kind == "list":
            pdf.ln(1.5)
            pdf.set_font("Helvetica", "", body_size)
            for item in block.items:
                pdf.set_x(pdf.l_margin + 4)
                pdf.cell(5, line_h, "\u2022")
                pdf.multi_cell(0, line_h, text(item), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                pdf.ln(0.8)
        elif block.kind == "table":
            pdf.ln(2)
            pdf.set_font("Helvetica", "", body_size - 0.5)
            with pdf.table(col_widths=(60, 110), text_align="LEFT", line_height=line_h + 0.5,
                           first_row_as_headings=True) as table:
                for row in block.rows:
                    cells = table.row()
                    for value in row:
                        cells.cell(text(value))
            pdf.ln(2)
    return bytes(pdf.output())


# ---------------------------------------------------------------- driver

RENDERERS = {
    "pdf": render_pdf,
    "docx": render_docx,
    "html": render_html,
    "md": render_markdown,
    "txt": render_text,
}


def build(out_dir: Path = OUT_DIR) -> list[Path]:
    """Writes every corpus file; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(SRC_DIR.glob("*.src.md")):
        src = parse_source(path)
        name = src.meta["file"]
        fmt = name.rsplit(".", 1)[1]
        if fmt not in RENDERERS:
            raise ValueError(f"{path.name}: unknown output format {fmt!r}")
        target = out_dir / name
        target.write_bytes(RENDERERS[fmt](src))
        written.append(target)
    return written


if __name__ == "__main__":
    destination = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DIR
    for written_path in build(destination):
        print(written_path.relative_to(destination.parent) if destination == OUT_DIR else written_path)
