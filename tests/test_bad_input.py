"""A folder holding anything at all: each bad file is reported with a reason a clerk reads, every good file goes in,
and the next run tries the bad ones again and clears them once they are fixed. Every file here is made by the test."""
from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import index.sync
from index.embed import HashEmbedder
from index.status import index_status
from index.sync import Ingester
from tests.minutes_files import (docx_bytes, encrypted_pdf, fact, image_only_pdf, minutes_text, pdf_bytes,
                                 write_minutes)
from tests.test_sync import chunk_count, consistent, db, fts_hits
from ui.cli import main

MAX_BYTES = 1_000_000
# What each bad file is, and words its reason must hold: the file's name is always there too.
BAD = {
    "corrupt.pdf": "damaged",
    "secret.pdf": "password-protected",
    "scan.pdf": "no text layer",
    "empty.txt": "is empty",
    "junk.docx": "not a Word document",
    "binary.txt": "binary data, not text",
    "too big.txt": "over the",
}
GOOD = ["Café minutes — März 2019.txt", "board  minutes   with spaces .txt", "minutes.docx", "minutes.pdf",
        "sub folder/nested.md"]
SKIPPED = ["notes.xlsx", "photo.jpg", "README", "link.txt", "linked folder", "pipe.txt", ".hidden.txt",
           "~$minutes.docx"]


def run(index: Path, folder: Path) -> index.sync.Report:
    return Ingester(index, embedder=HashEmbedder(), progress=False, max_bytes=MAX_BYTES).run([folder])


def make_bad(folder: Path) -> None:
    pdf = pdf_bytes([minutes_text(11), "Page two of the minutes."])
    (folder / "corrupt.pdf").write_bytes(pdf[: len(pdf) // 2])
    (folder / "secret.pdf").write_bytes(encrypted_pdf(pdf))
    (folder / "scan.pdf").write_bytes(image_only_pdf())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.docx").write_bytes(os.urandom(5000))
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "too big.txt").write_text(minutes_text(12) + "Padding. " * 200_000, encoding="utf-8")


def fix_bad(folder: Path) -> None:
    """What a clerk would do: save each one again properly."""
    for n, name in enumerate(sorted(BAD), start=20):
        path = folder / name
        if name.endswith(".pdf"):
            path.write_bytes(pdf_bytes([minutes_text(n)]))
        elif name.endswith(".docx"):
            path.write_bytes(docx_bytes(minutes_text(n)))
        else:
            path.write_text(minutes_text(n), encoding="utf-8")


@pytest.fixture
def drop(tmp_path) -> Path:
    """The folder new minutes are dropped into, holding good files, bad ones and things that are not minutes."""
    folder = tmp_path / "drop"
    write_minutes(folder, 1, GOOD[0])
    write_minutes(folder, 2, GOOD[1])
    (folder / GOOD[2]).write_bytes(docx_bytes(minutes_text(3)))
    (folder / GOOD[3]).write_bytes(pdf_bytes([minutes_text(4)]))
    (folder / "sub folder").mkdir()
    (folder / GOOD[4]).write_text(minutes_text(5), encoding="utf-8")
    make_bad(folder)
    (folder / "notes.xlsx").write_bytes(b"PK\x03\x04 a spreadsheet")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 a photo")
    (folder / "README").write_text("not minutes")
    (folder / ".hidden.txt").write_text(minutes_text(6))
    (folder / "~$minutes.docx").write_bytes(b"Word's lock file")
    outside = tmp_path / "outside"
    write_minutes(outside, 9)
    os.symlink(outside / "estates-board-0009.txt", folder / "link.txt")
    os.symlink(outside, folder / "linked folder")
    os.mkfifo(folder / "pipe.txt")          # opening it would wait for a writer forever
    return folder


def test_bad_files_are_reported_good_ones_go_in_and_fixed_ones_are_cleared(tmp_path, drop):
    idx = tmp_path / "index"
    report = run(idx, drop)
    reasons = {f["document"]: f["error"] for f in report.failed}
    assert set(reasons) == set(BAD)
    for name, words in BAD.items():
        reason = reasons[name]
        assert name in reason and words in reason, reason
        assert "\n" not in reason and "Traceback" not in reason and "Error(" not in reason
    assert report.added == len(GOOD)
    assert report.skipped == len(SKIPPED)
    with db(idx) as conn:
        ok = {r[0] for r in conn.execute("SELECT path FROM documents WHERE status = 'ok'")}
    assert ok == set(GOOD)
    for n, name in enumerate(GOOD, start=1):
        assert chunk_count(idx, name) > 0
        assert fts_hits(idx, fact(n).name) > 0, name
    assert fts_hits(idx, fact(9).name) == 0          # behind a symlink: never followed
    assert fts_hits(idx, fact(6).name) == 0          # hidden file
    consistent(idx)
    assert {f["document"] for f in index_status(idx)["failed"]} == set(BAD)

    again = run(idx, drop)                           # nothing fixed: each is tried again, and fails again
    assert {f["document"] for f in again.failed} == set(BAD)
    assert (again.unchanged, again.added) == (len(GOOD), 0)

    fix_bad(drop)
    fixed = run(idx, drop)
    assert fixed.failed == [] and fixed.added == len(BAD) and fixed.unchanged == len(GOOD)
    assert index_status(idx)["failed"] == []
    shown = CliRunner().invoke(main, ["status", "--index", str(idx)]).stdout
    assert "failed:" not in shown and "0 failed" in shown
    consistent(idx)


def test_a_bad_new_version_keeps_the_good_old_one_searchable(tmp_path):
    drop = tmp_path / "drop"
    good = write_minutes(drop, 1, "minutes.txt")
    before = good.read_bytes()
    write_minutes(drop, 2)
    idx = tmp_path / "index"
    run(idx, drop)
    chunks = chunk_count(idx, "minutes.txt")
    good.write_bytes(b"\x00\x01\x02 overwritten by a broken copy" * 100)
    report = run(idx, drop)
    assert [f["document"] for f in report.failed] == ["minutes.txt"]
    assert "binary data" in report.failed[0]["error"]
    assert chunk_count(idx, "minutes.txt") == chunks and fts_hits(idx, fact(1).name) > 0
    assert [f["document"] for f in index_status(idx)["failed"]] == ["minutes.txt"]
    good.write_bytes(before)
    restored = run(idx, drop)
    assert restored.failed == [] and restored.unchanged == 2
    assert index_status(idx)["failed"] == []


def test_a_file_that_vanishes_during_the_run_is_taken_as_deleted(tmp_path, monkeypatch):
    drop = tmp_path / "drop"
    for n in range(4):
        write_minutes(drop, n)
    idx = tmp_path / "index"
    run(idx, drop)
    (drop / "estates-board-0001.txt").write_text(minutes_text(101), encoding="utf-8")   # changed: to be read
    write_minutes(drop, 7)                                                                # new: to be read
    real = index.sync._read_meeting

    def read_after_a_delete(path: Path, rel: str, max_bytes: int, **kwargs):
        if rel in ("estates-board-0001.txt", "estates-board-0007.txt"):
            path.unlink()
        return real(path, rel, max_bytes, **kwargs)

    monkeypatch.setattr(index.sync, "_read_meeting", read_after_a_delete)
    report = run(idx, drop)
    assert report.failed == []
    assert (report.removed, report.unchanged, report.added) == (1, 3, 0)
    assert chunk_count(idx, "estates-board-0001.txt") == 0 and fts_hits(idx, fact(1).name) == 0
    consistent(idx)


def test_a_file_that_changes_during_the_run_is_read_next_run(tmp_path, monkeypatch):
    drop = tmp_path / "drop"
    for n in range(3):
        write_minutes(drop, n)
    real = index.sync._read_meeting

    def read_while_written(path: Path, rel: str, max_bytes: int, **kwargs):
        meeting = real(path, rel, max_bytes, **kwargs)
        if rel == "estates-board-0002.txt":
            with open(path, "a", encoding="utf-8") as f:
                f.write("A late addition by the minute taker.\n")
        return meeting

    monkeypatch.setattr(index.sync, "_read_meeting", read_while_written)
    idx = tmp_path / "index"
    report = run(idx, drop)
    assert report.added == 2
    assert report.failed == [{"document": "estates-board-0002.txt", "error":
                              "estates-board-0002.txt changed while it was being read; it will be read again "
                              "next run"}]
    assert chunk_count(idx, "estates-board-0002.txt") == 0
    monkeypatch.setattr(index.sync, "_read_meeting", real)
    later = run(idx, drop)
    assert later.failed == [] and later.added == 1
    with db(idx) as conn:
        text = conn.execute("SELECT m.text FROM meetings m JOIN documents d ON d.id = m.document_id "
                            "WHERE d.path = 'estates-board-0002.txt'").fetchone()[0]
    assert "late addition" in text


def test_the_size_limit_on_the_command_line(tmp_path, monkeypatch):
    monkeypatch.setattr(index.sync, "SentenceEmbedder", lambda spec=None: HashEmbedder())
    drop = tmp_path / "drop"
    write_minutes(drop, 1)
    text = minutes_text(2).encode()
    (drop / "huge.txt").write_bytes(text + b"x" * (30_000 - len(text)))
    result = CliRunner().invoke(main, ["ingest", str(drop), "--index", str(tmp_path / "index"), "--max-mb",
                                       "0.02", "--json"])
    assert result.exit_code == 5, result.output
    report = json.loads(result.stdout)
    assert report["added"] == 1
    assert report["failed"] == [{"document": "huge.txt", "error": "huge.txt is 29.3 KB, over the 20.5 KB limit "
                                 "for one file"}]


UNREADABLE = """
import json, sys
from pathlib import Path
from index.embed import HashEmbedder
from index.sync import Ingester
report = Ingester(Path(sys.argv[1]), embedder=HashEmbedder(), progress=False).run([Path(sys.argv[2])])
print(json.dumps(report.full()))
"""


def run_unprivileged(idx: Path, drop: Path) -> dict:
    """The ingest in a process that file permissions bind: root reads anything, so root's override is dropped."""
    cmd = [sys.executable, "-c", UNREADABLE, str(idx), str(drop)]
    if os.geteuid() == 0:
        cmd = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--inh-caps=-all", *cmd]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture
def can_lock_out(tmp_path) -> None:
    if os.geteuid() != 0:
        return
    probe = tmp_path / "probe"
    probe.write_text("x")
    probe.chmod(0)
    try:
        out = subprocess.run(["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--inh-caps=-all",
                              "cat", str(probe)], capture_output=True, timeout=30)
    except FileNotFoundError:
        pytest.skip("running as root, and setpriv (util-linux) is absent: root reads any file, so a file without "
                    "read permission cannot be made")
    finally:
        probe.chmod(0o600)
    if out.returncode == 0:
        pytest.skip("running as root and unable to drop CAP_DAC_OVERRIDE: root reads any file, so a file without "
                    "read permission cannot be made")


def test_files_and_folders_without_read_permission(tmp_path, can_lock_out):
    drop = tmp_path / "drop"
    for n in range(3):
        write_minutes(drop, n)
    write_minutes(drop / "2019", 5)
    idx = tmp_path / "index"
    first = run_unprivileged(idx, drop)
    assert first["added"] == 4 and first["failed"] == []
    locked = write_minutes(drop, 3, "locked.txt")
    locked.chmod(0)
    (drop / "2019").chmod(0)
    try:
        report = run_unprivileged(idx, drop)
    finally:
        locked.chmod(0o644)
        (drop / "2019").chmod(0o755)
    reasons = {f["document"]: f["error"] for f in report["failed"]}
    assert reasons == {
        "locked.txt": "cannot read locked.txt: permission denied",
        "2019/": "the folder 2019 cannot be read (permission denied?); the documents already indexed from it "
                 "were kept",
    }
    assert (report["unchanged"], report["removed"]) == (3, 0)
    assert chunk_count(idx, "2019/estates-board-0005.txt") > 0       # kept, though its folder could not be listed
    again = run_unprivileged(idx, drop)
    assert again["failed"] == [] and again["added"] == 1 and again["unchanged"] == 4
    assert index_status(idx)["failed"] == []


def test_names_from_everywhere_are_kept_as_they_are(tmp_path):
    drop = tmp_path / "drop"
    names = ["Ünïcödé — Ω minutes.txt", "日本語の議事録.md", "  leading and trailing  .txt", "emoji 📄 notes.txt",
             "sub dir/ещё протокол.txt"]
    for n, name in enumerate(names):
        (drop / name).parent.mkdir(parents=True, exist_ok=True)
        (drop / name).write_text(minutes_text(30 + n), encoding="utf-8")
    idx = tmp_path / "index"
    report = run(idx, drop)
    assert report.failed == [] and report.added == len(names)
    with db(idx) as conn:
        assert sorted(r[0] for r in conn.execute("SELECT path FROM documents")) == sorted(names)
    shutil.move(drop / names[1], drop / "sub dir" / names[1])
    moved = run(idx, drop)
    assert moved.renamed == 1 and moved.added == 0


# -- files that would hang or swamp a run ------------------------------------------------------------------

def slow_pdf(operators: int = 400_000) -> bytes:
    """A few kilobytes of PDF whose one page holds a content stream of a great many text operators:
    a reader takes seconds over it."""
    import zlib

    content = zlib.compress(b"BT /F1 12 Tf 72 700 Td " + b"(a) Tj 1 0 Td " * operators + b"ET")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def zip_bomb_docx(megabytes: int = 700) -> bytes:
    """A DOCX of a few hundred kilobytes whose document.xml unpacks to ``megabytes`` of text."""
    import io
    import zipfile

    from tests.minutes_files import docx_bytes

    base = zipfile.ZipFile(io.BytesIO(docx_bytes("Finance Committee\n\nThe budget was agreed.")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in base.infolist():
            data = base.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"The budget was agreed.", b"The budget was agreed. " + b"a" * (megabytes << 20))
            z.writestr(item, data)
    return out.getvalue()


def test_a_file_too_slow_or_too_big_to_read_fails_with_its_reason_and_the_rest_go_in(tmp_path, monkeypatch):
    monkeypatch.setattr(index.sync, "SentenceEmbedder", lambda spec=None: HashEmbedder())
    drop = tmp_path / "drop"
    for n in range(3):
        write_minutes(drop, n)
    (drop / "pathological.pdf").write_bytes(slow_pdf())
    (drop / "bomb.docx").write_bytes(zip_bomb_docx())
    idx = tmp_path / "index"
    started = time.monotonic()
    result = CliRunner().invoke(main, ["ingest", str(drop), "--index", str(idx), "--json", "--read-timeout", "3",
                                       "--read-memory-mb", "512"])
    assert time.monotonic() - started < 60, "no file may hold up the run"
    assert result.exit_code == 5, result.output
    report = json.loads(result.stdout)
    assert report["added"] == 3
    reasons = {f["document"]: f["error"] for f in report["failed"]}
    assert reasons["pathological.pdf"] == ("pathological.pdf took longer than 3 s to read; it will be tried again "
                                           "next run")
    assert "bomb.docx" in reasons and "512 MB" in reasons["bomb.docx"]
    # Tried again next run, and reported again while they stay as they are.
    again = CliRunner().invoke(main, ["ingest", str(drop), "--index", str(idx), "--json", "--read-timeout", "3",
                                      "--read-memory-mb", "512"])
    assert again.exit_code == 5 and json.loads(again.stdout)["unchanged"] == 3
    assert {f["document"] for f in json.loads(again.stdout)["failed"]} == {"pathological.pdf", "bomb.docx"}


def test_a_library_warning_goes_to_the_log_with_the_file_name(tmp_path, monkeypatch, caplog):
    from tests.minutes_files import pdf_bytes

    drop = tmp_path / "drop"
    drop.mkdir()
    data = pdf_bytes(["Finance Committee", "The budget of 4.2 million was agreed."])
    (drop / "no-eof.pdf").write_bytes(data[:data.rindex(b"%%EOF")])      # pypdf warns: EOF marker not found
    with caplog.at_level(logging.WARNING, logger="minutes.ingest"):
        report = Ingester(tmp_path / "index", embedder=HashEmbedder(), progress=False).run([drop])
    assert report.added + len(report.failed) == 1
    assert any(r.getMessage().startswith("no-eof.pdf: ") and "EOF" in r.getMessage() for r in caplog.records)
