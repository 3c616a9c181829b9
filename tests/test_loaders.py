"""Tests for the format loaders: every format, every way a file can be bad, and the real data."""
from __future__ import annotations

import functools
import io
import os
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from ingest.errors import (
    CorruptFile,
    EmptyFile,
    FileTooLarge,
    IngestError,
    NoText,
    NoTextLayer,
    NotText,
    PasswordProtected,
    UnsupportedFormat,
    Unreadable,
)
from ingest.loaders import SUPPORTED_SUFFIXES, load
from ingest.model import RawDocument

DATA = Path(__file__).parents[1] / ".." / "shared" / "data"


# --- files made for the tests -------------------------------------------------

def make_pdf(pages: list[str], title: str | None = None) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 8, text)
    if title:
        pdf.set_title(title)
    return bytes(pdf.output())


def encrypt(data: bytes, user_password: str, owner_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def three_page_pdf() -> bytes:
    return make_pdf(
        ["Monthly Assurance Meeting\n1. Welcome", "2.3 Current OCC performance\nThe 101 target was met.", "Next meeting"],
        title="Monthly Assurance Meeting October 2021",
    )


def write(tmp_path: Path, name: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


# --- PDF ----------------------------------------------------------------------

def test_pdf_read_page_by_page(tmp_path: Path, three_page_pdf: bytes) -> None:
    doc = load(write(tmp_path, "minutes.pdf", three_page_pdf))
    assert doc.kind == "pdf"
    assert len(doc.pages) == 3
    assert doc.pages[0].splitlines() == ["Monthly Assurance Meeting", "1. Welcome"]
    assert "The 101 target was met." in doc.pages[1]
    assert "101" not in doc.pages[0] + doc.pages[2]
    assert doc.metadata == {"title": "Monthly Assurance Meeting October 2021"}


def test_pdf_suffix_is_case_insensitive(tmp_path: Path, three_page_pdf: bytes) -> None:
    assert len(load(write(tmp_path, "MINUTES.PDF", three_page_pdf)).pages) == 3


def test_pdf_blank_page_keeps_numbering(tmp_path: Path) -> None:
    doc = load(write(tmp_path, "gap.pdf", make_pdf(["first", "", "third"])))
    assert [page.strip() for page in doc.pages] == ["first", "", "third"]


def test_owner_locked_pdf_is_read(tmp_path: Path, three_page_pdf: bytes) -> None:
    locked = encrypt(three_page_pdf, user_password="", owner_password="x")
    assert PdfReader(io.BytesIO(locked)).is_encrypted
    doc = load(write(tmp_path, "locked.pdf", locked))
    assert "The 101 target was met." in doc.pages[1]


def test_pdf_needing_password_is_refused(tmp_path: Path, three_page_pdf: bytes) -> None:
    path = write(tmp_path, "secret.pdf", encrypt(three_page_pdf, user_password="u", owner_password="x"))
    with pytest.raises(PasswordProtected, match="secret.pdf"):
        load(path)


@pytest.mark.parametrize("mangle", [
    lambda data: data[: len(data) // 2],
    lambda data: b"%PDF-1.4\n" + bytes(range(256)) * 20,
    lambda data: b"this is not a pdf at all, just words\n" * 20,
])
def test_damaged_pdf_is_corrupt(tmp_path: Path, three_page_pdf: bytes, mangle) -> None:
    path = write(tmp_path, "damaged.pdf", mangle(three_page_pdf))
    with pytest.raises(CorruptFile, match="damaged.pdf"):
        load(path)


def test_image_only_pdf_has_no_text_layer(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    path = write(tmp_path, "scan.pdf", bytes(pdf.output()))
    with pytest.raises(NoTextLayer, match="scan.pdf has no text layer"):
        load(path)


# --- DOCX ---------------------------------------------------------------------

def docx_bytes(build) -> bytes:
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_keeps_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    def build(document):
        document.core_properties.title = "Monthly Assurance Meeting"
        document.add_heading("Attendance", level=1)
        document.add_paragraph("Present at the meeting:")
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "John Campion", "Police and Crime Commissioner (PCC)"
        table.cell(1, 0).text, table.cell(1, 1).text = "Rachel Jones", "Assistant Chief Constable (ACC)"
        document.add_paragraph("After the table.")

    doc = load(write(tmp_path, "minutes.docx", docx_bytes(build)))
    assert doc.kind == "docx"
    assert doc.pages[0].splitlines() == [
        "Attendance",
        "Present at the meeting:",
        "John Campion\tPolice and Crime Commissioner (PCC)",
        "Rachel Jones\tAssistant Chief Constable (ACC)",
        "After the table.",
    ]
    assert doc.metadata == {"title": "Monthly Assurance Meeting"}


def test_docx_writes_out_list_numbers(tmp_path: Path) -> None:
    def build(document):
        document.add_paragraph("Apologies", style="List Number")
        document.add_paragraph("Minutes of the last meeting", style="List Number")
        document.add_paragraph("A point", style="List Bullet")

    lines = load(write(tmp_path, "agenda.docx", docx_bytes(build))).pages[0].splitlines()
    assert lines == ["1.\tApologies", "2.\tMinutes of the last meeting", "A point"]


def test_docx_merged_cells_are_not_repeated(tmp_path: Path) -> None:
    def build(document):
        table = document.add_table(rows=2, cols=3)
        table.cell(0, 0).merge(table.cell(0, 2)).text = "Actions"
        for col, text in enumerate(["Owner", "Due", "Task"]):
            table.cell(1, col).text = text

    lines = load(write(tmp_path, "merged.docx", docx_bytes(build))).pages[0].splitlines()
    assert lines == ["Actions", "Owner\tDue\tTask"]


def test_docx_tracked_changes_show_the_current_text(tmp_path: Path) -> None:
    def build(document):
        paragraph = document.add_paragraph("Agreed: ")
        w = nsdecls("w")
        paragraph._p.append(parse_xml(f'<w:ins {w} w:id="1" w:author="Clerk"><w:r><w:t>yes</w:t></w:r></w:ins>'))
        paragraph._p.append(parse_xml(f'<w:del {w} w:id="2" w:author="Clerk"><w:r><w:delText>no</w:delText></w:r></w:del>'))

    assert load(write(tmp_path, "tracked.docx", docx_bytes(build))).pages == ["Agreed: yes"]


def test_docx_without_core_properties_has_no_invented_title(tmp_path: Path) -> None:
    source = zipfile.ZipFile(io.BytesIO(docx_bytes(lambda document: document.add_paragraph("Minutes"))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                continue
            if info.filename == "_rels/.rels":
                data = re.sub(rb"<Relationship [^>]*core-properties[^>]*/>", b"", data)
            archive.writestr(info, data)
    doc = load(write(tmp_path, "bare.docx", out.getvalue()))
    assert doc.pages == ["Minutes"]
    assert doc.metadata == {}


def test_junk_named_docx_is_corrupt(tmp_path: Path) -> None:
    with pytest.raises(CorruptFile, match="junk.docx"):
        load(write(tmp_path, "junk.docx", bytes(range(256)) * 8))


def test_zip_that_is_not_docx_is_corrupt(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(CorruptFile, match="archive.docx"):
        load(write(tmp_path, "archive.docx", out.getvalue()))


def test_old_word_file_named_docx_is_explained(tmp_path: Path) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024
    with pytest.raises(CorruptFile, match=r"\.doc"):
        load(write(tmp_path, "old.docx", ole))


def test_docx_without_text(tmp_path: Path) -> None:
    with pytest.raises(NoText, match="blank.docx"):
        load(write(tmp_path, "blank.docx", docx_bytes(lambda document: document.add_paragraph(""))))


# --- HTML ---------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><title>Monthly
  Assurance Meeting</title>
<style>body { color: red; }</style>
<script>var secret = "do not show";</script>
</head>
<body>
<noscript>Enable scripts</noscript>
<h1>Minutes</h1><p>The meeting   opened at
10:00 &amp; closed at 12:00 &ndash; on time.</p>
<ul><li>Apologies</li><li>Declarations</li></ul>
<div hidden>hidden text</div>
<table><tr><th>Name</th><th>Role</th></tr><tr><td>Rachel Jones</td><td>ACC</td></tr></table>
Line one<br>Line two
<!-- a comment -->
</body></html>"""


def test_html_visible_text_on_lines(tmp_path: Path) -> None:
    doc = load(write(tmp_path, "minutes.html", PAGE))
    text = doc.pages[0]
    assert doc.kind == "html"
    assert doc.metadata == {"title": "Monthly Assurance Meeting"}
    for absent in ("color: red", "do not show", "Enable scripts", "hidden text", "a comment", "DOCTYPE"):
        assert absent not in text
    lines = text.splitlines()
    for line in ("Minutes", "Apologies", "Declarations", "Name\tRole", "Rachel Jones\tACC", "Line one", "Line two"):
        assert line in lines
    assert "The meeting opened at 10:00 & closed at 12:00 \u2013 on time." in lines
    assert "Monthly" not in text


def test_htm_in_cp1252_with_declared_charset(tmp_path: Path) -> None:
    page = '<html><head><meta charset="windows-1252"></head><body><p>caf\xe9 costs \xa33,000</p></body></html>'
    doc = load(write(tmp_path, "page.HTM", page, encoding="cp1252"))
    assert doc.pages[0] == "caf\xe9 costs \xa33,000"


def test_html_without_visible_text(tmp_path: Path) -> None:
    with pytest.raises(NoText, match="empty.html"):
        load(write(tmp_path, "empty.html", "<html><head><title>T</title></head><body><script>x()</script></body></html>"))


def test_binary_named_html_is_not_text(tmp_path: Path) -> None:
    with pytest.raises(NotText, match="image.html"):
        load(write(tmp_path, "image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)))


# --- Markdown -----------------------------------------------------------------

def test_markdown_front_matter_and_markup(tmp_path: Path) -> None:
    source = (
        "---\n"
        'title: "Parish Council May"\n'
        "date: 2012-06-08\n"
        "categories:\n  - parish\n  - minutes\n"
        "---\n"
        "# Minutes of the **Annual** Meeting\n"
        "<!-- draft note -->\n"
        "Held at the [village hall](https://example.org/hall \"Hall\").\n"
        "![logo](logo.png)\n"
        "***\n"
        "- Apologies from __Mrs Crisp__\n"
        "* Declarations: *none*\n"
        "1\\. Election of Chairman\n"
        "| Item | Cost |\n|---|---|\n| Grass cutting | \u00a3120 |\n"
    )
    doc = load(write(tmp_path, "minutes.md", source))
    assert doc.kind == "markdown"
    assert doc.metadata == {"title": "Parish Council May", "date": "2012-06-08", "categories": "parish, minutes"}
    lines = [line for line in doc.pages[0].splitlines() if line.strip()]
    assert lines == [
        "Minutes of the Annual Meeting",
        "Held at the village hall.",
        "Apologies from Mrs Crisp",
        "Declarations: none",
        "1. Election of Chairman",
        "Item\tCost",
        "Grass cutting\t\u00a3120",
    ]


def test_markdown_broken_front_matter_keeps_text(tmp_path: Path) -> None:
    doc = load(write(tmp_path, "broken.md", "---\ntitle: [unclosed\n---\nThe meeting opened.\n"))
    assert doc.metadata == {}
    assert "The meeting opened." in doc.pages[0]


def test_markdown_with_only_front_matter(tmp_path: Path) -> None:
    with pytest.raises(NoText, match="header.md"):
        load(write(tmp_path, "header.md", "---\ntitle: x\n---\n\n"))


# --- plain text and encodings ---------------------------------------------------

# The quote, euro and dash sit where cp1252 and latin-1 differ.
PRICE = "The caf\xe9 contract was \xa33,000 a year; the Council\u2019s \u20ac50 fee \u2013 agreed."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_text_encodings(tmp_path: Path, encoding: str, suffix: str) -> None:
    doc = load(write(tmp_path, f"minutes{suffix}", f"Minutes\r\n{PRICE}\r\n", encoding=encoding))
    assert doc.pages == [f"Minutes\n{PRICE}\n"]


def test_latin1_bytes_undefined_in_cp1252_still_decode(tmp_path: Path) -> None:
    doc = load(write(tmp_path, "odd.txt", b"caf\xe9 \x81 \xa33,000"))
    assert doc.pages[0].startswith("caf\xe9 ")


def test_form_feed_splits_pages(tmp_path: Path) -> None:
    doc = load(write(tmp_path, "pages.txt", "page one\fpage two\f"))
    assert doc.kind == "text"
    assert doc.pages == ["page one", "page two"]


def test_binary_named_txt_is_not_text(tmp_path: Path) -> None:
    with pytest.raises(NotText, match="data.txt"):
        load(write(tmp_path, "data.txt", os.urandom(4096) + b"\x00"))


def test_control_characters_make_it_binary(tmp_path: Path) -> None:
    with pytest.raises(NotText):
        load(write(tmp_path, "controls.md", bytes(range(1, 32)) * 50))


def test_non_ascii_file_name(tmp_path: Path) -> None:
    doc = load(write(tmp_path, "r\xe9union caf\xe9.txt", PRICE))
    assert doc.pages == [PRICE]
    assert doc.path.endswith("r\xe9union caf\xe9.txt")


# --- whole-file checks ------------------------------------------------------------

@pytest.mark.parametrize("name", ["empty.txt", "empty.pdf", "empty.docx", "empty.html", "empty.md"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    with pytest.raises(EmptyFile, match=name):
        load(write(tmp_path, name, b""))


def test_whitespace_only_file_is_empty(tmp_path: Path) -> None:
    with pytest.raises(EmptyFile):
        load(write(tmp_path, "blank.txt", " \r\n\t\n"))
    with pytest.raises(EmptyFile):
        load(write(tmp_path, "bom.txt", "\ufeff  \n", encoding="utf-8"))


def test_file_too_large(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", "x" * 3000)
    with pytest.raises(FileTooLarge, match=r"big.txt is 2.9 KB, over the 1000 bytes limit"):
        load(path, max_bytes=1000)
    assert load(path, max_bytes=3000).pages == ["x" * 3000]


@pytest.mark.parametrize("name", ["minutes.xlsx", "minutes.doc", "README", "photo.jpg"])
def test_unsupported_format(tmp_path: Path, name: str) -> None:
    with pytest.raises(UnsupportedFormat, match=name):
        load(write(tmp_path, name, b"something"))


def test_supported_suffixes() -> None:
    assert SUPPORTED_SUFFIXES == {".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt"}


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(Unreadable, match="gone.txt"):
        load(tmp_path / "gone.txt")
    (tmp_path / "folder.pdf").mkdir()
    with pytest.raises(Unreadable, match="folder"):
        load(tmp_path / "folder.pdf")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_permission_denied(tmp_path: Path) -> None:
    path = write(tmp_path, "locked.txt", "text")
    path.chmod(0)
    try:
        with pytest.raises(Unreadable, match="permission denied"):
            load(path)
    finally:
        path.chmod(0o600)


# --- real data --------------------------------------------------------------------

REAL_FOLDERS = [DATA / "opcc", DATA / "council-minutes"]


@functools.cache
def load_real(path: Path) -> RawDocument | IngestError:
    """Each real file is read once for all the tests below: real PDFs take a second each."""
    try:
        return load(path)
    except IngestError as exc:
        return exc


def real_files() -> list[Path]:
    return sorted(p for folder in REAL_FOLDERS if folder.is_dir() for p in folder.iterdir() if p.is_file())


@pytest.mark.skipif(not real_files(), reason="../shared/data is absent")
@pytest.mark.parametrize("path", real_files(), ids=lambda p: p.name)
def test_real_file_loads_or_says_why(path: Path) -> None:
    doc = load_real(path)
    if isinstance(doc, IngestError):
        assert path.name in str(doc)
        assert type(doc) is not IngestError, "a real file should fail for a specific reason"
        return
    assert doc.pages and any(page.strip() for page in doc.pages)
    assert all("\r" not in page for page in doc.pages)


@pytest.mark.skipif(not (DATA / "council-minutes").is_dir(), reason="../shared/data/council-minutes is absent")
def test_real_pdfs_keep_their_page_count() -> None:
    pdfs = sorted((DATA / "council-minutes").glob("us_desmoines_*.pdf"))
    assert pdfs
    for path in pdfs:
        doc = load_real(path)
        assert isinstance(doc, RawDocument), doc
        assert len(doc.pages) == len(PdfReader(path).pages), path.name
        assert sum(1 for page in doc.pages if page.strip()) >= len(doc.pages) - 1, path.name


@pytest.mark.skipif(not (DATA / "council-minutes").is_dir(), reason="../shared/data/council-minutes is absent")
def test_real_markdown_front_matter() -> None:
    for path in sorted((DATA / "council-minutes").glob("uk_parish_*.md")):
        doc = load_real(path)
        assert isinstance(doc, RawDocument), doc
        assert doc.metadata.get("title"), path.name
        assert not doc.pages[0].lstrip().startswith("---"), path.name
        assert "categories:" not in doc.pages[0], path.name
