"""The nightly sync: unchanged files cost a hash, changed ones are replaced, deleted ones removed, renames kept."""
from __future__ import annotations

import json
import logging
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from index.embed import HashEmbedder, SentenceEmbedder
from index.errors import NothingToIngest
from index.status import index_status
from index.store import DB_NAME, Store
from index.sync import IngestLock, Ingester
from index.vectors import FAISS_NAME, read_stamp
from tests.minutes_files import fact, minutes_text, write_minutes
from ui.cli import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
REPORT_KEYS = {"added", "updated", "unchanged", "removed", "failed", "chunks", "seconds"}


class CountingEmbedder(HashEmbedder):
    """The hashing embedder, counting every text it is asked to embed."""

    def __init__(self) -> None:
        self.texts = 0

    def encode(self, texts: list[str], show_progress: bool = False):
        self.texts += len(texts)
        return super().encode(texts)


def ingest(index: Path, *paths: Path, embedder=None, **kwargs):
    return Ingester(index, embedder=embedder or HashEmbedder(), progress=False, **kwargs).run(list(paths))


def db(index: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(index / DB_NAME)
    conn.row_factory = sqlite3.Row
    return conn


def chunk_count(index: Path, document: str) -> int:
    with db(index) as conn:
        return conn.execute("SELECT count(*) FROM chunks c JOIN meetings m ON m.id = c.meeting_id JOIN documents d "
                            "ON d.id = m.document_id WHERE d.path = ?", (document,)).fetchone()[0]


def fts_hits(index: Path, word: str) -> int:
    with db(index) as conn:
        return conn.execute("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?", (f'"{word}"',)).fetchone()[0]


def consistent(index: Path) -> None:
    """Whole documents only: every stored one has its meeting, chunks and FTS rows, and nothing is orphaned."""
    with db(index) as conn:
        q = conn.execute
        assert q("SELECT count(*) FROM documents d WHERE status = 'ok' AND NOT EXISTS "
                 "(SELECT 1 FROM meetings m JOIN chunks c ON c.meeting_id = m.id WHERE m.document_id = d.id)"
                 ).fetchone()[0] == 0
        assert q("SELECT count(*) FROM meetings m WHERE NOT EXISTS "
                 "(SELECT 1 FROM documents d WHERE d.id = m.document_id AND d.status = 'ok')").fetchone()[0] == 0
        chunk_ids = [r[0] for r in q("SELECT id FROM chunks ORDER BY id")]
        assert [r[0] for r in q("SELECT rowid FROM chunks_fts ORDER BY rowid")] == chunk_ids


@pytest.fixture
def source(tmp_path) -> Path:
    folder = tmp_path / "minutes"
    for n in range(6):
        write_minutes(folder, n)
    return folder


def test_first_run_adds_every_file_and_reports_the_documented_keys(tmp_path, source):
    index = tmp_path / "index"
    report = ingest(index, source)
    assert set(report.contract()) == REPORT_KEYS
    assert (report.added, report.updated, report.unchanged, report.removed, report.failed) == (6, 0, 0, 0, [])
    assert report.chunks == sum(chunk_count(index, p.name) for p in source.iterdir()) > 6
    consistent(index)
    from index.store import Store

    store = Store(index)
    assert read_stamp(index) == store.generation_stamp()
    store.close()


def test_a_second_run_skips_every_file_without_embedding(tmp_path, source):
    index = tmp_path / "index"
    ingest(index, source)
    faiss_before = (index / FAISS_NAME).stat().st_mtime_ns
    embedder = CountingEmbedder()
    report = ingest(index, source, embedder=embedder)
    assert (report.added, report.updated, report.unchanged, report.removed, report.chunks) == (0, 0, 6, 0, 0)
    assert embedder.texts == 0
    assert (index / FAISS_NAME).stat().st_mtime_ns == faiss_before


def test_a_run_with_nothing_new_never_loads_the_model(corpus_index_copy):
    embedder = SentenceEmbedder()
    report = Ingester(corpus_index_copy, embedder=embedder, progress=False).run([CORPUS])
    assert report.added == report.updated == report.chunks == 0 and report.unchanged > 0
    assert "model" not in embedder.__dict__, "the SentenceTransformer was loaded for a run with nothing to embed"


def test_the_command_line_with_nothing_new_never_imports_torch(corpus_index_copy):
    script = (
        "import json, sys\n"
        "from ui.cli import main\n"
        "try:\n"
        f"    main(['ingest', {str(CORPUS)!r}, '--index', {str(corpus_index_copy)!r}, '--json'])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code in (0, None), exc.code\n"
        "print(json.dumps(sorted(m for m in ('torch', 'sentence_transformers') if m in sys.modules)))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    report_line, loaded_line = out.stdout.strip().splitlines()
    assert json.loads(report_line)["unchanged"] == len(list(CORPUS.iterdir()))
    assert json.loads(loaded_line) == []


def test_a_changed_file_is_replaced_and_its_old_chunks_and_keywords_go(tmp_path, source):
    index = tmp_path / "index"
    ingest(index, source)
    old_name = fact(2).name
    assert fts_hits(index, old_name) > 0
    (source / "estates-board-0002.txt").write_text(minutes_text(102), encoding="utf-8")
    report = ingest(index, source)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 5)
    assert fts_hits(index, old_name) == 0
    assert fts_hits(index, fact(102).name) > 0
    with db(index) as conn:
        assert conn.execute("SELECT count(*) FROM chunks WHERE text LIKE ?", (f"%{old_name}%",)).fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 6
    consistent(index)


def test_a_deleted_file_is_removed_with_everything_it_held(tmp_path, source):
    index = tmp_path / "index"
    ingest(index, source)
    (source / "estates-board-0004.txt").unlink()
    report = ingest(index, source)
    assert (report.removed, report.unchanged) == (1, 5)
    assert chunk_count(index, "estates-board-0004.txt") == 0
    assert fts_hits(index, fact(4).name) == 0
    with db(index) as conn:
        assert conn.execute("SELECT count(*) FROM documents WHERE path = 'estates-board-0004.txt'").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM meetings").fetchone()[0] == 5
    consistent(index)


def test_a_renamed_file_is_not_embedded_again(tmp_path, source):
    index = tmp_path / "index"
    ingest(index, source)
    chunks = chunk_count(index, "estates-board-0003.txt")
    (source / "archive").mkdir()
    (source / "estates-board-0003.txt").rename(source / "archive" / "custody board 3.txt")
    embedder = CountingEmbedder()
    report = ingest(index, source, embedder=embedder)
    assert embedder.texts == 0
    assert (report.added, report.updated, report.removed, report.unchanged, report.chunks) == (0, 1, 0, 5, 0)
    assert report.renamed == 1
    assert chunk_count(index, "estates-board-0003.txt") == 0
    assert chunk_count(index, "archive/custody board 3.txt") == chunks
    with db(index) as conn:
        found = conn.execute("SELECT DISTINCT d.path FROM chunks_fts f JOIN chunks c ON c.id = f.rowid JOIN meetings m "
                             "ON m.id = c.meeting_id JOIN documents d ON d.id = m.document_id "
                             "WHERE chunks_fts MATCH ?", (f'"{fact(3).name}"',)).fetchall()
    assert [r[0] for r in found] == ["archive/custody board 3.txt"]


def test_a_moved_folder_keeps_its_documents_under_the_new_root(tmp_path, source):
    index = tmp_path / "index"
    ingest(index, source)
    moved = tmp_path / "moved"
    shutil.move(source, moved)
    embedder = CountingEmbedder()
    report = ingest(index, moved, embedder=embedder)
    assert (report.unchanged, report.added, embedder.texts) == (6, 0, 0)
    (moved / "estates-board-0001.txt").unlink()
    assert ingest(index, moved).removed == 1


def test_a_folder_that_became_empty_is_refused_not_purged(tmp_path, source):
    index = tmp_path / "index"
    ingest(index, source)
    for path in source.iterdir():
        path.unlink()
    with pytest.raises(NothingToIngest, match="mounted"):
        ingest(index, source)
    with db(index) as conn:
        assert conn.execute("SELECT count(*) FROM documents WHERE status = 'ok'").fetchone()[0] == 6


def test_a_missing_path_changes_nothing(tmp_path):
    index = tmp_path / "index"
    with pytest.raises(NothingToIngest, match="does not exist"):
        ingest(index, tmp_path / "nowhere")
    assert not (index / DB_NAME).exists()


def test_a_thousand_files_with_nothing_new(tmp_path):
    folder = tmp_path / "many"
    for n in range(1000):
        write_minutes(folder / f"{2000 + n % 20}", n)
    index = tmp_path / "index"
    first = ingest(index, folder)
    assert (first.added, first.failed) == (1000, [])
    embedder = CountingEmbedder()
    started = time.perf_counter()
    again = ingest(index, folder, embedder=embedder)
    seconds = time.perf_counter() - started
    assert (again.unchanged, again.added, again.updated, again.removed, again.chunks) == (1000, 0, 0, 0, 0)
    assert embedder.texts == 0
    print(f"no-change run over 1,000 files: {seconds:.2f}s")


def test_the_report_is_kept_in_the_index_and_shown_by_status(tmp_path, source, monkeypatch):
    import index.sync

    monkeypatch.setattr(index.sync, "SentenceEmbedder", lambda spec=None: HashEmbedder())
    (source / "broken.pdf").write_bytes(b"%PDF-1.4 a damaged file")
    (source / "notes.xlsx").write_bytes(b"not minutes")
    idx = tmp_path / "index"
    result = CliRunner().invoke(main, ["ingest", str(source), "--index", str(idx), "--json"])
    assert result.exit_code == 5, result.output
    printed = json.loads(result.stdout)
    assert set(printed) == REPORT_KEYS
    with db(idx) as conn:
        kept = json.loads(conn.execute("SELECT report FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0])
    assert {k: kept[k] for k in REPORT_KEYS - {"seconds"}} == {k: printed[k] for k in REPORT_KEYS - {"seconds"}}
    assert kept["skipped"] == 1
    status = index_status(idx)
    assert status["last_ingest"]["added"] == 6 and status["unfinished_ingest"] is None
    assert [f["document"] for f in status["failed"]] == ["broken.pdf"]
    shown = json.loads(CliRunner().invoke(main, ["status", "--index", str(idx), "--json"]).stdout)
    assert shown["last_ingest"]["failed"] == printed["failed"]
    text = CliRunner().invoke(main, ["status", "--index", str(idx)]).stdout
    assert "6 added" in text and "broken.pdf" in text


def test_exit_codes(tmp_path, source, monkeypatch):
    import index.sync

    monkeypatch.setattr(index.sync, "SentenceEmbedder", lambda spec=None: HashEmbedder())
    idx = tmp_path / "index"

    def run(*args: str):
        return CliRunner().invoke(main, ["ingest", *args, "--index", str(idx)])

    assert run(str(source)).exit_code == 0
    (source / "empty.txt").write_bytes(b"")
    assert run(str(source)).exit_code == 5                      # some failed, the rest went in
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    assert run(str(bad)).exit_code == 3                         # nothing could be done
    result = run(str(tmp_path / "nowhere"))
    assert result.exit_code == 3 and "nowhere" in result.stderr
    lock = IngestLock(idx)
    lock.acquire()
    try:
        result = run(str(source))
    finally:
        lock.release()
    assert result.exit_code == 4 and "another `minutes ingest`" in result.stderr
    assert CliRunner().invoke(main, ["ingest", "--max-mb", "0", str(source)]).exit_code == 2
    assert CliRunner().invoke(main, ["ingest", "--no-such-option"]).exit_code == 2
    helptext = " ".join(CliRunner().invoke(main, ["ingest", "--help"]).stdout.split())
    assert "0 every file is in" in helptext and "5 some files failed" in helptext and "6 the run stopped part-way" in helptext
    assert "3 nothing could be done" in helptext and "4 another ingest is running" in helptext


def test_progress_on_a_terminal_and_quiet_otherwise(tmp_path, source, capsys, monkeypatch):
    ingest_with = Ingester(tmp_path / "index", embedder=HashEmbedder(), progress=True)
    ingest_with.run([source])
    err = capsys.readouterr().err
    assert "Reading" in err and "6/6" in err and "Embedding" in err and "chunks" in err

    import index.sync

    monkeypatch.setattr(index.sync, "SentenceEmbedder", lambda spec=None: HashEmbedder())
    write_minutes(source, 50)
    result = CliRunner().invoke(main, ["ingest", str(source), "--index", str(tmp_path / "index")])
    assert result.exit_code == 0
    assert result.stderr == ""                                  # not a terminal: no bar
    assert "1 added" in result.stdout


def test_a_log_line_per_file_at_info(tmp_path, source, caplog):
    index = tmp_path / "index"
    with caplog.at_level(logging.INFO, logger="minutes.ingest"):
        ingest(index, source)
    added = [r.getMessage() for r in caplog.records if r.getMessage().startswith("added ")]
    assert sorted(m.split()[1].rstrip(":") for m in added) == sorted(p.name for p in source.iterdir())
    caplog.clear()
    (source / "estates-board-0000.txt").unlink()
    (source / "estates-board-0001.txt").write_text(minutes_text(201), encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="minutes.ingest"):
        ingest(index, source)
    messages = [r.getMessage() for r in caplog.records]
    assert "removed estates-board-0000.txt" in messages
    assert any(m.startswith("updated estates-board-0001.txt") for m in messages)
    assert sum(m.startswith("unchanged ") for m in messages) == 4


def test_a_single_file_path_is_ingested_and_never_removes_others(tmp_path, source):
    index = tmp_path / "index"
    ingest(index, source)
    extra = write_minutes(tmp_path / "elsewhere", 77)
    report = ingest(index, extra)
    assert report.added == 1 and report.removed == 0
    with db(index) as conn:
        assert conn.execute("SELECT count(*) FROM documents WHERE status = 'ok'").fetchone()[0] == 7


def test_an_index_read_by_an_older_reader_of_structure_gets_its_facts_without_embedding(tmp_path, source):
    """An index built before the facts table (its meetings unstamped, no facts) is brought up to date by
    the nightly run: structure read again from the stored text, nothing embedded, the generation moved."""
    index = tmp_path / "index"
    ingest(index, source)
    with db(index) as conn:
        expected = conn.execute("SELECT count(*) FROM facts").fetchone()[0]
        assert expected > 0
        conn.execute("DELETE FROM facts")
        conn.execute("UPDATE meetings SET structure_version = NULL")
        chunks_before = conn.execute("SELECT id, embedding FROM chunks ORDER BY id").fetchall()
        conn.commit()
    from index.store import Store

    store = Store(index)
    generation = store.generation()
    store.close()
    embedder = CountingEmbedder()
    report = ingest(index, source, embedder=embedder)
    assert embedder.texts == 0
    assert report.unchanged == 6 and report.restructured == 6 and report.chunks == 0
    with db(index) as conn:
        assert conn.execute("SELECT count(*) FROM facts").fetchone()[0] == expected
        assert conn.execute("SELECT id, embedding FROM chunks ORDER BY id").fetchall() == chunks_before
        for text, start, end in conn.execute(
                'SELECT m.text, f.start, f."end" FROM facts f JOIN meetings m ON m.id = f.meeting_id'):
            assert 0 <= start < end <= len(text)
    store = Store(index)
    assert store.generation() > generation
    store.close()
    again = ingest(index, source, embedder=embedder)
    assert again.restructured == 0, "a stamped meeting is not read again"


CLI_WITH_HASHING = """
import resource, signal, sys
from index.embed import HashEmbedder
import index.sync
index.sync.SentenceEmbedder = lambda spec=None: HashEmbedder()
limit = int(sys.argv[1])
if limit:
    # A full disk, as a file-size limit: writes past it fail instead of killing the process.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from ui.cli import main
main(sys.argv[2:])
"""


def test_a_disk_that_fills_part_way_keeps_what_was_committed_and_exits_six(tmp_path):
    source = tmp_path / "minutes"
    for n in range(40):
        write_minutes(source, n)
    idx = tmp_path / "index"

    def ingest_cli(limit: int):
        return subprocess.run([sys.executable, "-c", CLI_WITH_HASHING, str(limit), "ingest", str(source), "--index",
                               str(idx), "--json"], capture_output=True, text=True, timeout=300)

    full = ingest_cli(600_000)
    assert full.returncode == 6, full.stderr
    message = full.stderr.strip().splitlines()
    assert len(message) == 1 and "stopped part-way" in message[0] and "next run finishes" in message[0]
    consistent(idx)
    with db(idx) as conn:
        kept = conn.execute("SELECT count(*) FROM documents WHERE status = 'ok'").fetchone()[0]
    assert 0 < kept < 40
    from index.search import Searcher

    searcher = Searcher(idx, embedder=HashEmbedder())
    with db(idx) as conn:
        first = conn.execute("SELECT path FROM documents WHERE status = 'ok' ORDER BY id LIMIT 1").fetchone()[0]
    n = int(first.split("-")[-1].split(".")[0])
    result = searcher.ask(fact(n).question)
    assert any(str(fact(n).count) in p.text for p in result.passages), "what was committed stays searchable"
    searcher.store.close()
    again = ingest_cli(0)
    assert again.returncode == 0, again.stderr
    consistent(idx)
    with db(idx) as conn:
        assert conn.execute("SELECT count(*) FROM documents WHERE status = 'ok'").fetchone()[0] == 40


def test_a_lock_held_longer_than_a_night_is_reported_as_stuck(tmp_path, source, monkeypatch):
    import os

    import index.sync

    monkeypatch.setattr(index.sync, "SentenceEmbedder", lambda spec=None: HashEmbedder())
    idx = tmp_path / "index"
    idx.mkdir()
    lock = IngestLock(idx)
    lock.acquire()
    try:
        fresh = CliRunner().invoke(main, ["ingest", str(source), "--index", str(idx)])
        assert fresh.exit_code == 4 and "stuck" not in fresh.stderr
        day_ago = time.time() - 26 * 3600
        os.utime(idx / "ingest.lock", (day_ago, day_ago))
        stuck = CliRunner().invoke(main, ["ingest", str(source), "--index", str(idx)])
    finally:
        lock.release()
    assert stuck.exit_code == 4
    assert "26 hours" in stuck.stderr and "stuck" in stuck.stderr and str(os.getpid()) in stuck.stderr


def test_each_distinct_sentence_is_embedded_once(tmp_path):
    """Chunks overlap by a sentence and minutes repeat standing lines: a sentence's vector is computed once
    and stored for every place it occurs."""
    seen: list[str] = []

    class Counting(HashEmbedder):
        def encode(self, texts, show_progress=False):
            seen.extend(texts)
            return super().encode(texts)

    drop = tmp_path / "drop"
    for n in range(4):
        write_minutes(drop, n)
    idx = tmp_path / "index"
    Ingester(idx, embedder=Counting()).run([drop])
    store = Store(idx)
    try:
        chunks = store.counts()["chunks"]
        stored = store.conn.execute(
            'SELECT c.text, s.start, s."end" FROM sentences s JOIN chunks c ON c.id = s.chunk_id').fetchall()
        texts = [t[a:b] for t, a, b in stored]
        assert len(set(texts)) < len(texts), "the files repeat sentences, so the test says something"
        assert len(seen) == chunks + len(set(texts))
        assert len(set(seen[chunks:])) == len(seen[chunks:])
    finally:
        store.close()
