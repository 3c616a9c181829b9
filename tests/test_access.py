"""Collections and clearance: a reader never receives a passage, count, meeting, action, fact, series, date
or file of a collection they are not cleared for, whatever part of the store reads it."""
from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from index import browse
from index.access import PolicyError, load_policy
from index.audit import AuditLog, audit_path
from index.embed import HashEmbedder
from index.filters import Filters
from index.search import Searcher
from index.store import Store
from index.sync import Ingester
from tests.minutes_files import fact, minutes_text, write_minutes

SENSITIVE_TITLE = "Professional Standards Board"


@pytest.fixture(scope="module")
def two_collections(tmp_path_factory):
    base = tmp_path_factory.mktemp("access")
    official, sensitive = base / "official", base / "sensitive"
    for n in (0, 1):
        write_minutes(official, n)
    sensitive.mkdir()
    for n in (7, 8):
        text = minutes_text(n).replace("Estates and Custody Board", SENSITIVE_TITLE)
        (sensitive / f"standards-{n}.txt").write_text(text, encoding="utf-8")
    idx = base / "index"
    assert Ingester(idx, embedder=HashEmbedder(), progress=False, collection="official").run([official]).added == 2
    assert Ingester(idx, embedder=HashEmbedder(), progress=False, collection="sensitive").run([sensitive]).added == 2
    return idx


def test_the_store_of_a_cleared_reader_reads_nothing_of_another_collection(two_collections):
    everything = Store(two_collections)
    reader = Store(two_collections, collections=["official"])
    try:
        assert everything.counts()["documents"] == 4 and reader.counts()["documents"] == 2
        assert reader.counts()["chunks"] < everything.counts()["chunks"]
        assert {d["path"] for d in reader.documents()} == {"estates-board-0000.txt", "estates-board-0001.txt"}
        assert reader.collection_names() == ["official"]
        all_ids = [r[0] for r in everything.conn.execute("SELECT id FROM chunks")]
        readable = set(reader.readable_chunk_ids())
        assert {c.collection for c in reader.chunks_by_id(all_ids).values()} == {"official"}
        assert set(reader.chunks_by_id(all_ids)) == readable
        assert set(reader.sentence_vectors(all_ids)) <= readable
        sensitive_meetings = [r[0] for r in everything.conn.execute(
            "SELECT m.id FROM meetings m JOIN documents d ON d.id = m.document_id WHERE d.collection = 'sensitive'")]
        assert reader.facts(sensitive_meetings) == [] and everything.facts(sensitive_meetings)
        assert reader.meeting_text(sensitive_meetings[0]) == ""
        assert all(c.id not in sensitive_meetings for c in reader.meeting_cards())
        match = '"' + fact(7).name.lower() + '"'
        assert everything.keyword_search(match, 50) and not reader.keyword_search(match, 50)
        ids, vecs = reader.vectors()
        assert set(ids.tolist()) == readable and len(vecs) == len(ids)
        # The run's report names files of every collection: a cleared reader gets when it ran, not what it read.
        assert reader.failed_documents() == []
        run = reader.last_run()
        assert run is not None and run["finished_at"] and not {"failed", "added", "report"} & set(run)
        assert {"failed", "added"} <= set(everything.last_run())
    finally:
        everything.close()
        reader.close()


def test_the_views_show_nothing_of_another_collection(two_collections):
    reader = Store(two_collections, collections=["official"])
    try:
        with reader.snapshot():
            meetings = browse.meetings(reader)
            assert {m.document for m in meetings} == {"estates-board-0000.txt", "estates-board-0001.txt"}
            assert SENSITIVE_TITLE not in " ".join(browse.series(reader))
            assert all(SENSITIVE_TITLE not in (a.meeting or "") for a in browse.actions(reader))
            assert {p for _, p in browse.documents(reader)} == {m.document for m in meetings}
            first, last = browse.date_range(reader)
            assert first == min(m.date for m in meetings) and last == max(m.date for m in meetings)
        everything = Store(two_collections)
        hidden = [r[0] for r in everything.conn.execute("SELECT id FROM documents WHERE collection = 'sensitive'")]
        hidden_meeting = everything.conn.execute(
            "SELECT id FROM meetings WHERE document_id = ?", (hidden[0],)).fetchone()[0]
        everything.close()
        assert browse.source_file(reader, hidden[0]) is None, "no file of another collection is served"
        assert browse.page_text(reader, hidden_meeting, 1) is None
        assert browse.meeting(reader, hidden_meeting) is None
    finally:
        reader.close()


def test_search_as_a_cleared_reader_never_returns_another_collections_passage(two_collections):
    searcher = Searcher(two_collections, embedder=HashEmbedder())
    try:
        question = fact(7).question
        assert any(fact(7).name in p.text for p in searcher.ask(question, top_k=10).passages)
        as_official = searcher.ask(question, top_k=20, filters=Filters(collections=["official"]))
        assert as_official.passages and all(p.collection == "official" for p in as_official.passages)
        assert all(fact(7).name not in p.text for p in as_official.passages)
        assert as_official.answer is None or as_official.answer.collection == "official"
        nobody = searcher.ask(question, filters=Filters(collections=[]))
        assert nobody.answer is None and nobody.passages == []
        # The server's account again, after a reader: the shared vectors were never narrowed.
        assert any(fact(7).name in p.text for p in searcher.ask(question, top_k=10).passages)
    finally:
        searcher.store.close()


def test_a_meeting_named_by_its_business_is_found_among_the_readers_collections_only(two_collections):
    # "the meeting that inspected the X custody suite" is looked for as the reader sees the index: a meeting
    # of another collection is never the one named, nor its chair the answer.
    searcher = Searcher(two_collections, embedder=HashEmbedder())
    try:
        question = f"Who chaired the meeting that inspected the {fact(7).name} custody suite?"
        assert searcher.ask(question).answer.collection == "sensitive"
        as_official = searcher.ask(question, filters=Filters(collections=["official"]))
        assert as_official.answer is None or as_official.answer.collection == "official"
        assert all(p.collection == "official" for p in as_official.passages)
    finally:
        searcher.store.close()


@pytest.mark.parametrize("name", ["official') OR 1=1 --", "' OR '1'='1", "official\"; DROP TABLE documents; --"])
def test_a_hostile_collection_name_reads_nothing(two_collections, name):
    reader = Store(two_collections, collections=[name])
    try:
        assert reader.counts()["documents"] == 0 and reader.readable_chunk_ids() == []
    finally:
        reader.close()
    with sqlite3.connect(two_collections / "minutes.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 4


def test_the_command_line_answers_as_a_cleared_reader(tmp_path, monkeypatch):
    import index.search.pipeline
    import index.sync
    from ui.cli import main

    monkeypatch.setattr(index.sync, "SentenceEmbedder", lambda spec=None: HashEmbedder())
    monkeypatch.setattr(index.search.pipeline, "SentenceEmbedder", lambda spec=None: HashEmbedder())
    official, sensitive, idx = tmp_path / "official", tmp_path / "sensitive", tmp_path / "index"
    write_minutes(official, 0)
    write_minutes(sensitive, 5)
    run = CliRunner().invoke
    assert run(main, ["ingest", str(official), "--index", str(idx), "--collection", "official"]).exit_code == 0
    assert run(main, ["ingest", str(sensitive), "--index", str(idx), "--collection", "sensitive"]).exit_code == 0
    seen = json.loads(run(main, ["ask", fact(5).question, "--index", str(idx), "--json"]).stdout)
    assert any(p["collection"] == "sensitive" for p in seen["passages"])
    cleared = json.loads(run(main, ["ask", fact(5).question, "--index", str(idx), "--collections", "official",
                                    "--json"]).stdout)
    assert all(p["collection"] == "official" and p["document"] != "estates-board-0005.txt"
               for p in cleared["passages"])
    assert cleared["answer"] is None or cleared["answer"]["collection"] == "official"
    bad = run(main, ["ingest", str(official), "--index", str(idx), "--collection", "no spaces allowed"])
    assert bad.exit_code == 3 and "collection name" in bad.stderr


def test_a_document_moves_collection_without_being_read_again(tmp_path):
    folder, idx = tmp_path / "minutes", tmp_path / "index"
    write_minutes(folder, 3)
    Ingester(idx, embedder=HashEmbedder(), progress=False, collection="official").run([folder])

    class NoEmbedding(HashEmbedder):
        def encode(self, texts, show_progress=False):
            raise AssertionError("a move embeds nothing")

    report = Ingester(idx, embedder=NoEmbedding(), progress=False, collection="sensitive").run([folder])
    assert report.moved == 1 and report.unchanged == 1 and report.chunks == 0
    store = Store(idx, collections=["official"])
    assert store.counts()["documents"] == 0
    store.close()


def test_the_policy_clears_readers_by_group_e_mail_and_domain(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text('''
[collections.official]
label = "OFFICIAL"
everyone = true

[collections.audit]
label = "OFFICIAL-SENSITIVE"
groups = ["opcc-audit"]
emails = ["Chief.Exec@opcc.example"]
domains = ["audit.example"]
''', encoding="utf-8")
    policy = load_policy(path)
    assert policy.cleared({"email": "anyone@else.example"}) == ["official"]
    assert policy.cleared({"email": "chief.exec@opcc.example"}) == ["audit", "official"]
    assert policy.cleared({"email": "x@audit.example"}) == ["audit", "official"]
    assert policy.cleared({"email": "x@y.example", "groups": ["opcc-audit"]}) == ["audit", "official"]
    assert policy.cleared({}) == [], "no identity, no clearance"
    assert policy.label("audit") == "OFFICIAL-SENSITIVE" and policy.label("unnamed") is None
    path.write_text('[collections.x]\nreaders = ["*"]\n', encoding="utf-8")
    with pytest.raises(PolicyError, match="unknown keys"):
        load_policy(path)


def test_the_audit_trail_records_questions_without_passage_text(two_collections, tmp_path):
    searcher = Searcher(two_collections, embedder=HashEmbedder())
    path = audit_path(tmp_path / "idx")
    log = AuditLog(path, retention_days=30)
    try:
        filters = Filters(since="2015-01-01", collections=["official"])
        result = searcher.ask(fact(0).question, filters=filters)
        log.record("jane.doe@opcc.example", fact(0).question, filters, result)
        log.conn.execute("INSERT INTO asked (at, user, question, filters, collections, answer_document, "
                         "passage_documents) VALUES (0, 'old@x', 'old', '{}', NULL, NULL, '[]')")
        log.record(None, "another", Filters(), searcher.ask("another"))
        rows = log.read()
        assert [r.question for r in rows] == [fact(0).question, "another"], "older than the retention: dropped"
        assert rows[0].user == "jane.doe@opcc.example" and rows[0].collections == ["official"]
        assert rows[0].filters["since"] == "2015-01-01" and rows[0].passage_documents
        assert [r.question for r in log.read(user="JANE.DOE@opcc.example")] == [fact(0).question]
    finally:
        log.close()
        searcher.store.close()
    raw = path.read_bytes() + (path.with_name(path.name + "-wal").read_bytes()
                               if path.with_name(path.name + "-wal").exists() else b"")
    assert fact(0).sentence.encode() not in raw and b"custody suite found" not in raw
    assert path.parent == (tmp_path).resolve() and not str(path).startswith(str((tmp_path / "idx").resolve()) + "/")
