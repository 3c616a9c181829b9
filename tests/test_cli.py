"""The `minutes` command line: its JSON contracts, exit codes and one-line errors, through CliRunner and a subprocess."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from index.embed import HashEmbedder
from ui.cli import main

ANSWER_KEYS = {"text", "document", "title", "date", "item", "page", "collection"}
PASSAGE_KEYS = {"rank", "score", "text", "document", "title", "date", "item", "page", "collection"}
INGEST_KEYS = {"added", "updated", "unchanged", "removed", "failed", "chunks", "seconds"}

MINUTES = {
    "monthly-assurance-2023-03-16.txt": """\
Monthly Assurance Meeting March 2023

Date: Thursday 16 March 2023, 2:00 pm
Chair: Gareth Pennington

Name                Capacity
Gareth Pennington   Police and Crime Commissioner (PCC)
Karen Doyle         Head of Contact Management (HCM)

1
The 101 target

The HCM reported that 78.9% of 101 calls were answered within 30 seconds in February, against a
target of 80%.

2
Workforce

The force had 2,309 police officers at the end of February.
""",
    "sub/joint-audit-committee-2023-07-25.md": """\
# Joint Audit Committee - 25 July 2023

Date: Tuesday 25 July 2023

## 1 Internal audit

The auditors gave reasonable assurance on payroll controls, with two recommendations on overtime.
""",
}


@pytest.fixture
def hashed_model(monkeypatch):
    """Every model the command line loads is the hashing embedder; counts how often one is made."""
    made = []

    def factory(spec=None, *args, **kwargs):
        made.append(spec)
        return HashEmbedder()

    import index.search.pipeline
    import index.sync

    monkeypatch.setattr(index.search.pipeline, "SentenceEmbedder", factory)
    monkeypatch.setattr(index.sync, "SentenceEmbedder", factory)
    return made


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def one_line_error(result) -> str:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def built_index(tmp_path_factory) -> Path:
    from index.sync import Ingester

    root = tmp_path_factory.mktemp("cli")
    corpus = write(root / "corpus", MINUTES)
    report = Ingester(root / "index", embedder=HashEmbedder(), progress=False).run([corpus])
    assert report.added == len(MINUTES) and not report.failed, report.failed
    return root


@pytest.fixture
def index_dir(built_index, tmp_path, hashed_model) -> Path:
    """A private copy of an index of MINUTES, with its corpus beside it in tmp_path / "corpus"."""
    shutil.copytree(built_index / "corpus", tmp_path / "corpus")
    shutil.copytree(built_index / "index", tmp_path / "index")
    return tmp_path / "index"


# -- ask ------------------------------------------------------------------------

def check_contract(obj: dict, question: str) -> None:
    assert set(obj) == {"question", "answer", "later", "passages"}
    assert obj["question"] == question
    if obj["answer"] is not None:
        assert set(obj["answer"]) == ANSWER_KEYS
        assert isinstance(obj["answer"]["text"], str) and obj["answer"]["text"]
    for n, p in enumerate(obj["passages"], 1):
        assert set(p) == PASSAGE_KEYS
        assert p["rank"] == n and isinstance(p["score"], float)
        assert p["page"] is None or isinstance(p["page"], int)
        assert p["date"] is None or len(p["date"]) == 10


def test_ask_json_contract(index_dir):
    question = "What was the 101 target?"
    result = run("ask", question, "--index", str(index_dir), "--json")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    check_contract(obj, question)
    assert obj["answer"] is not None and "101" in obj["answer"]["text"]
    # `document` is relative to the folder given to ingest, subfolders included.
    documents = {p["document"] for p in obj["passages"]}
    assert documents <= set(MINUTES) and obj["answer"]["document"] in MINUTES


def test_ask_top_k_and_filters(index_dir):
    result = run("ask", "overtime payroll target officers", "--index", str(index_dir), "--json", "--top-k", "1")
    assert len(json.loads(result.stdout)["passages"]) == 1
    result = run("ask", "overtime payroll target officers", "--index", str(index_dir), "--json",
                 "--since", "2023-07-01", "--until", "2023-12-31")
    assert result.exit_code == 0
    dates = {p["date"] for p in json.loads(result.stdout)["passages"]}
    assert dates == {"2023-07-25"}


def test_ask_from_stdin_loads_the_model_once(index_dir, hashed_model):
    questions = ["What was the 101 target?", "", "How many police officers?", "payroll assurance"]
    before = len(hashed_model)
    result = run("ask", "--index", str(index_dir), "--json", input="\n".join(questions) + "\n")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    asked = [q for q in questions if q]
    assert len(lines) == len(asked)
    for line, question in zip(lines, asked):
        check_contract(json.loads(line), question)
    assert len(hashed_model) - before == 1


def test_ask_plain_text_quotes_and_cites(index_dir):
    result = run("ask", "What was the 101 target?", "--index", str(index_dir))
    assert result.exit_code == 0
    assert "101" in result.stdout and "monthly-assurance-2023-03-16.txt" in result.stdout


def test_ask_on_an_empty_index_answers_null(tmp_path, hashed_model):
    empty = tmp_path / "nothing"
    empty.mkdir()
    folder = tmp_path / "index"
    assert run("ingest", str(empty), "--index", str(folder)).exit_code == 0
    result = run("ask", "What was the 101 target?", "--index", str(folder), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"question": "What was the 101 target?", "answer": None, "later": None, "passages": []}
    result = run("ask", "What was the 101 target?", "--index", str(folder))
    assert result.exit_code == 0 and "No answer" in result.stdout


def test_ask_on_a_missing_index_is_one_line(tmp_path):
    result = run("ask", "What was the 101 target?", "--index", str(tmp_path / "none"), "--json")
    assert result.exit_code != 0
    line = one_line_error(result)
    assert str(tmp_path / "none") in line and "minutes ingest" in line
    assert result.stdout == ""
    assert not (tmp_path / "none").exists()


@pytest.mark.parametrize("command", [["ask", "What was the 101 target?"], ["status", "--json"], ["ingest"]])
def test_a_damaged_index_is_one_line(tmp_path, hashed_model, command):
    folder = tmp_path / "index"
    folder.mkdir()
    (folder / "minutes.sqlite").write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    corpus = write(tmp_path / "corpus", MINUTES)
    args = command + ([str(corpus)] if command == ["ingest"] else []) + ["--index", str(folder)]
    result = run(*args)
    assert result.exit_code == 3, result.output
    assert "minutes.sqlite" in one_line_error(result)


def test_damage_found_mid_query_is_one_line(index_dir, monkeypatch):
    import sqlite3

    import index.search.pipeline

    def damaged(self, *args, **kwargs):
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(index.search.Searcher, "ask", damaged)
    result = run("ask", "What was the 101 target?", "--index", str(index_dir), "--json")
    assert result.exit_code == 3
    assert "malformed" in one_line_error(result)


def test_ask_uses_the_environment_index(index_dir, monkeypatch):
    monkeypatch.setenv("MINUTES_INDEX", str(index_dir))
    result = run("ask", "What was the 101 target?", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["answer"] is not None


@pytest.mark.parametrize("option, value", [("--since", "2023-13-01"), ("--since", "last week"),
                                           ("--until", "21/10/2021"), ("--top-k", "0"), ("--top-k", "many")])
def test_ask_bad_option_is_a_usage_error(index_dir, option, value):
    result = run("ask", "What was the 101 target?", "--index", str(index_dir), option, value)
    assert result.exit_code == 2
    assert option in result.stderr and "Traceback" not in result.output


def test_ask_on_an_index_of_another_model_is_one_line(index_dir, monkeypatch):
    import index.search.pipeline

    class Other(HashEmbedder):
        name = "another-model"

    monkeypatch.setattr(index.search.pipeline, "SentenceEmbedder", lambda spec=None: Other())
    result = run("ask", "What was the 101 target?", "--index", str(index_dir))
    assert result.exit_code != 0
    line = one_line_error(result)
    assert HashEmbedder.name in line and "another-model" in line


def test_ingest_with_another_model_is_one_line_and_changes_nothing(index_dir, tmp_path, monkeypatch):
    import index.sync

    class Other(HashEmbedder):
        name = "another-model"

    monkeypatch.setattr(index.sync, "SentenceEmbedder", lambda spec=None: Other())
    before = json.loads(run("status", "--index", str(index_dir), "--json").stdout)
    (tmp_path / "corpus" / "new.txt").write_text("Monthly Assurance Meeting\n\nThe fleet has 412 vehicles.\n")
    result = run("ingest", str(tmp_path / "corpus"), "--index", str(index_dir), "--json")
    assert result.exit_code == 3
    line = one_line_error(result)
    assert HashEmbedder.name in line and "another-model" in line
    after = json.loads(run("status", "--index", str(index_dir), "--json").stdout)
    assert (after["documents"], after["chunks"], after["generation"]) == \
        (before["documents"], before["chunks"], before["generation"])


def test_ask_with_a_model_folder_that_is_not_a_model(index_dir, tmp_path, monkeypatch):
    import index.embed
    import index.search.pipeline

    monkeypatch.setattr(index.search.pipeline, "SentenceEmbedder", index.embed.SentenceEmbedder)
    result = run("ask", "What was the 101 target?", "--index", str(index_dir), "--model", str(tmp_path))
    assert result.exit_code != 0
    one_line_error(result)


# -- ingest ----------------------------------------------------------------------

def test_ingest_json_contract_and_rerun(tmp_path, hashed_model):
    corpus = write(tmp_path / "corpus", MINUTES)
    folder = tmp_path / "index"
    first = run("ingest", str(corpus), "--index", str(folder), "--json")
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    assert set(report) == INGEST_KEYS
    assert report["added"] == len(MINUTES) and report["failed"] == [] and report["chunks"] > 0
    again = json.loads(run("ingest", str(corpus), "--index", str(folder), "--json").stdout)
    assert (again["added"], again["unchanged"], again["chunks"]) == (0, len(MINUTES), 0)
    (corpus / "monthly-assurance-2023-03-16.txt").unlink()
    gone = json.loads(run("ingest", str(corpus), "--index", str(folder), "--json").stdout)
    assert gone["removed"] == 1


def test_a_failed_file_is_tried_again_next_run(tmp_path, hashed_model):
    corpus = write(tmp_path / "corpus", {**MINUTES, "later.txt": b""})
    folder = tmp_path / "index"
    first = run("ingest", str(corpus), "--index", str(folder), "--json")
    assert first.exit_code == 5
    assert [f["document"] for f in json.loads(first.stdout)["failed"]] == ["later.txt"]
    (corpus / "later.txt").write_text("Finance Committee\n\nThe budget of £4.2m was agreed.\n", encoding="utf-8")
    second = run("ingest", str(corpus), "--index", str(folder), "--json")
    assert second.exit_code == 0, second.output
    report = json.loads(second.stdout)
    assert report["failed"] == [] and report["added"] + report["updated"] == 1
    assert json.loads(run("status", "--index", str(folder), "--json").stdout)["failed"] == []


def test_non_ascii_names_and_single_files(tmp_path, hashed_model):
    corpus = write(tmp_path / "corpus", {"réunion-café-2023.txt": "Réunion du comité\n\nLe café coûte 2,50 €.\n"})
    folder = tmp_path / "index"
    result = run("ingest", str(corpus / "réunion-café-2023.txt"), "--index", str(folder), "--json")
    assert result.exit_code == 0, result.output
    obj = json.loads(run("ask", "Combien coûte le café ?", "--index", str(folder), "--json").stdout)
    assert obj["passages"] and obj["passages"][0]["document"] == "réunion-café-2023.txt"
    assert "café" in obj["passages"][0]["text"]


def test_ingest_with_a_bad_file_exits_five_and_names_it(tmp_path, hashed_model):
    corpus = write(tmp_path / "corpus", {**MINUTES, "broken.pdf": b"%PDF-1.4 this is not a pdf"})
    result = run("ingest", str(corpus), "--index", str(tmp_path / "index"), "--json")
    assert result.exit_code == 5, result.output
    report = json.loads(result.stdout)
    assert [f["document"] for f in report["failed"]] == ["broken.pdf"]
    assert report["failed"][0]["error"] and "\n" not in report["failed"][0]["error"]
    assert report["added"] == len(MINUTES)


def test_ingest_where_nothing_can_be_read_exits_three(tmp_path, hashed_model):
    corpus = write(tmp_path / "corpus", {"broken.pdf": b"%PDF-1.4 nothing", "empty.txt": b""})
    result = run("ingest", str(corpus), "--index", str(tmp_path / "index"))
    assert result.exit_code == 3, result.output


def test_ingest_of_a_missing_folder_is_one_line(tmp_path, hashed_model):
    result = run("ingest", str(tmp_path / "no-such-folder"), "--index", str(tmp_path / "index"))
    assert result.exit_code == 3
    assert "no-such-folder" in one_line_error(result)


def test_ingest_of_an_unreadable_folder_is_one_line_and_keeps_the_index(tmp_path, hashed_model, monkeypatch):
    corpus = write(tmp_path / "corpus", MINUTES)
    folder = tmp_path / "index"
    assert run("ingest", str(corpus), "--index", str(folder)).exit_code == 0
    # Root reads any folder whatever its mode, so the refusal is made where the folder is listed.
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path) == corpus or Path(path) == corpus.resolve():
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = run("ingest", str(corpus), "--index", str(folder), "--json")
    monkeypatch.setattr(os, "scandir", real_scandir)
    assert result.exit_code != 0
    assert "corpus" in one_line_error(result)
    status = json.loads(run("status", "--index", str(folder), "--json").stdout)
    assert status["documents"] == len(MINUTES)


def test_ingest_while_another_runs_exits_four(tmp_path, hashed_model):
    from filelock import FileLock

    from index.sync import LOCK_NAME

    corpus = write(tmp_path / "corpus", MINUTES)
    folder = tmp_path / "index"
    folder.mkdir()
    with FileLock(str(folder / LOCK_NAME)):
        result = run("ingest", str(corpus), "--index", str(folder))
    assert result.exit_code == 4
    assert "running" in one_line_error(result)


# -- status -----------------------------------------------------------------------

def test_status_json(index_dir):
    result = run("status", "--index", str(index_dir), "--json")
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["documents"] == len(MINUTES) and info["meetings"] == len(MINUTES) and info["chunks"] > 0
    assert info["model"] == HashEmbedder.name
    last = info["last_ingest"]
    assert last["added"] == len(MINUTES) and last["failed"] == [] and last["finished_at"] >= last["started_at"]
    plain = run("status", "--index", str(index_dir))
    assert plain.exit_code == 0 and HashEmbedder.name in plain.stdout


def test_status_of_an_empty_index(tmp_path, hashed_model):
    empty = tmp_path / "nothing"
    empty.mkdir()
    folder = tmp_path / "index"
    assert run("ingest", str(empty), "--index", str(folder)).exit_code == 0
    result = run("status", "--index", str(folder), "--json")
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert (info["documents"], info["meetings"], info["chunks"], info["model"]) == (0, 0, 0, None)
    plain = run("status", "--index", str(folder))
    assert plain.exit_code == 0 and "Documents: 0" in plain.stdout


def test_status_lists_failed_files(tmp_path, hashed_model):
    corpus = write(tmp_path / "corpus", {**MINUTES, "broken.docx": b"PK\x03\x04 not a docx"})
    folder = tmp_path / "index"
    run("ingest", str(corpus), "--index", str(folder))
    info = json.loads(run("status", "--index", str(folder), "--json").stdout)
    assert [f["document"] for f in info["failed"]] == ["broken.docx"]
    assert [f["document"] for f in info["last_ingest"]["failed"]] == ["broken.docx"]


def test_status_on_a_missing_index_is_one_line(tmp_path):
    result = run("status", "--index", str(tmp_path / "none"), "--json")
    assert result.exit_code != 0
    one_line_error(result)


# -- eval -----------------------------------------------------------------------------

def test_eval_prints_hit_at_k(index_dir, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(g) for g in [
        {"q": "What was the 101 target?", "doc": "monthly-assurance-2023-03-16.txt", "expect": ["80%"]},
        {"q": "payroll assurance", "doc": "joint-audit-committee-2023-07-25.md", "expect": ["reasonable assurance"]},
    ]) + "\n", encoding="utf-8")
    result = run("eval", str(gold), "--index", str(index_dir))
    assert result.exit_code == 0, result.output
    assert "hit@1" in result.stdout and "hit@3" in result.stdout
    for mode in ("hybrid", "keyword", "dense"):
        assert mode in result.stdout
    assert "settings: dense=True" in result.stdout
    figures = json.loads(run("eval", str(gold), "--index", str(index_dir), "--json", "--mode", "keyword").stdout)
    assert set(figures["runs"]) == {"keyword"}
    assert figures["runs"]["keyword"]["questions"] == 2 and 0 <= figures["runs"]["keyword"]["hit_at_1"] <= 1
    assert figures["settings"]["rrf_k"] > 0 and figures["split"] == "all"


def test_eval_ablation_turns_each_signal_off(index_dir, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"q": "What was the 101 target?", "doc": "monthly-assurance-2023-03-16.txt",
                                "expect": ["80%"], "kinds": ["figure"]}) + "\n", encoding="utf-8")
    figures = json.loads(run("eval", str(gold), "--index", str(index_dir), "--json", "--mode", "hybrid",
                             "--ablate").stdout)
    assert {"hybrid", "no dates", "no meetings", "no structure", "no sentence vectors"} <= set(figures["runs"])
    # The learned ranking is off by default, so what only qualifies it is not turned off as a signal.
    assert "no learned not latest" not in figures["runs"]
    assert figures["runs"]["hybrid"]["by_kind"]["figure"]["questions"] == 1


def test_eval_with_a_bad_gold_file_is_one_line(index_dir, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"q": "fine", "doc": "a.txt"}\nnot json\n', encoding="utf-8")
    result = run("eval", str(gold), "--index", str(index_dir))
    assert result.exit_code != 0
    assert ":2:" in one_line_error(result)


# -- help -------------------------------------------------------------------------------

def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from _commands(command, prefix + (name,))


def test_every_command_has_help_with_an_example():
    names = []
    top = run("--help")
    assert top.exit_code == 0 and "Example:" in top.stdout
    for path, command in _commands(main):
        names.append(path[-1])
        result = run(*path, "--help")
        assert result.exit_code == 0, path
        assert "Example:" in result.stdout, f"`minutes {' '.join(path)} --help` has no Example:"
        assert command.help and command.help.strip()
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"`minutes {' '.join(path)}` option {param.name} has no help"
    assert {"ingest", "ask", "status", "serve", "eval"} <= set(names)


# -- the real model, and a real process --------------------------------------------------

def test_ask_with_the_real_model(tmp_path, real_embedder, monkeypatch):
    import index.search.pipeline
    from index.sync import Ingester

    corpus = write(tmp_path / "corpus", MINUTES)
    folder = tmp_path / "index"
    Ingester(folder, embedder=real_embedder, progress=False).run([corpus])
    # The session's model stands in for the one the command would load: loaded once for the whole run.
    monkeypatch.setattr(index.search.pipeline, "SentenceEmbedder", lambda spec=None: real_embedder)
    questions = ["What was the 101 target?", "What is the recipe for lemon drizzle cake?"]
    result = run("ask", "--index", str(folder), "--json", input="\n".join(questions) + "\n")
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    check_contract(first, questions[0])
    check_contract(second, questions[1])
    assert first["answer"] is not None and "101" in first["answer"]["text"]
    assert first["answer"]["document"] == "monthly-assurance-2023-03-16.txt"
    assert first["answer"]["date"] == "2023-03-16" and first["answer"]["page"] == 1
    assert second["answer"] is None


def test_subprocess_ask_from_stdin_on_an_empty_index(tmp_path):
    from index.sync import Ingester

    empty = tmp_path / "nothing"
    empty.mkdir()
    Ingester(tmp_path / "index", embedder=HashEmbedder(), progress=False).run([empty])
    questions = ["What was the 101 target?", "Qu'a dit le « CC » ? 😀"]
    env = {**os.environ, "MINUTES_INDEX": str(tmp_path / "index"), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "-m", "ui.cli", "ask", "--json"], input="\n".join(questions) + "\n",
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert [json.loads(line) for line in proc.stdout.splitlines()] == [
        {"question": q, "answer": None, "later": None, "passages": []} for q in questions]


def test_subprocess_missing_index_has_no_traceback(tmp_path):
    env = {**os.environ, "MINUTES_INDEX": str(tmp_path / "none")}
    proc = subprocess.run([sys.executable, "-m", "ui.cli", "ask", "anything"], capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode not in (0, 1) and proc.stdout == ""
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
