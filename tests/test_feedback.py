"""Officers' verdicts on answers: appended as JSON lines beside the index, listed by `minutes feedback` as gold
questions that `minutes eval` reads."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from index.eval import load_gold
from ui import feedback
from ui.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "index"
    path.mkdir()
    return path


def test_record_appends_one_line_per_verdict_and_reads_back(folder):
    feedback.record(folder, "What was the 101 target?", "The 101 target is 80%.", "a.md", 2, "right")
    feedback.record(folder, "Who chaired?", "Cllr Café chaired.", "b/c.pdf", None, "wrong")
    lines = (folder / "feedback.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert set(first) == {"time", "question", "answer", "verdict"}
    assert first["answer"] == {"text": "The 101 target is 80%.", "document": "a.md", "page": 2}
    found, bad = feedback.read(folder)
    assert [(v.question, v.text, v.document, v.page, v.verdict) for v in found] == [
        ("What was the 101 target?", "The 101 target is 80%.", "a.md", 2, "right"),
        ("Who chaired?", "Cllr Café chaired.", "b/c.pdf", None, "wrong")]
    assert bad == []


def test_a_verdict_is_right_or_wrong(folder):
    with pytest.raises(feedback.BadVerdict):
        feedback.record(folder, "q", "a", "d", 1, "maybe")
    assert not (folder / "feedback.jsonl").exists()


def test_the_latest_verdict_on_a_question_and_answer_counts(folder):
    feedback.record(folder, "What was the 101 target?", "The 101 target is 80%.", "a.md", 2, "wrong")
    feedback.record(folder, "Who chaired?", "Cllr Smith chaired.", "b.md", 1, "right")
    feedback.record(folder, "What  was the 101 target?", "The 101 target is 80%.", "a.md", 2, "right")
    kept = feedback.candidates(feedback.read(folder)[0])
    assert [(v.question.split()[0], v.verdict) for v in kept] == [("What", "right"), ("Who", "right")]


def test_feedback_command_prints_gold_candidates_that_eval_reads(folder, tmp_path):
    feedback.record(folder, "What was the 101 target?", "The 101 target is 80%.", "a.md", 2, "right")
    feedback.record(folder, "Who chaired?", "Cllr Café chaired.", "b.pdf", None, "wrong")
    result = run("feedback", "--index", str(folder), "--json")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [json.loads(line) for line in lines] == [
        {"q": "What was the 101 target?", "doc": "a.md", "expect": ["The 101 target is 80%."], "verdict": "right"},
        {"q": "Who chaired?", "doc": "b.pdf", "expect": ["Cllr Café chaired."], "verdict": "wrong"}]
    gold = tmp_path / "from-officers.jsonl"
    gold.write_text(result.stdout, encoding="utf-8")
    assert [(g.q, g.doc, g.expect) for g in load_gold(gold)] == [
        ("What was the 101 target?", "a.md", ["The 101 target is 80%."]),
        ("Who chaired?", "b.pdf", ["Cllr Café chaired."])]
    text = run("feedback", "--index", str(folder))
    assert text.exit_code == 0
    first = text.stdout.splitlines()[:3]
    assert first[:2] == ["[right] What was the 101 target?", "  “The 101 target is 80%.”"]
    assert first[2].startswith("  — a.md, page 2 (")


def test_feedback_command_reads_the_index_folder_from_the_environment(folder, monkeypatch):
    feedback.record(folder, "Who chaired?", "Cllr Smith chaired.", "b.md", 1, "right")
    monkeypatch.setenv("MINUTES_INDEX", str(folder))
    result = run("feedback", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["q"] == "Who chaired?"


def test_feedback_command_with_no_verdicts_says_so(folder):
    result = run("feedback", "--index", str(folder), "--json")
    assert result.exit_code == 0 and result.stdout == ""
    assert "No verdicts recorded yet" in result.stderr


def test_feedback_command_skips_a_damaged_line_and_says_which(folder):
    feedback.record(folder, "Who chaired?", "Cllr Smith chaired.", "b.md", 1, "right")
    with open(folder / "feedback.jsonl", "a", encoding="utf-8") as f:
        f.write('{"time": "2026-01-01T00:00:00Z", "question": "cut sh\n{"verdict": "maybe"}\n')
    feedback.record(folder, "Who seconded?", "Cllr Jones seconded.", "b.md", 1, "wrong")
    result = run("feedback", "--index", str(folder), "--json")
    assert result.exit_code == 0
    assert [json.loads(line)["q"] for line in result.stdout.splitlines()] == ["Who chaired?", "Who seconded?"]
    assert "feedback.jsonl:2 is not a verdict" in result.stderr and "feedback.jsonl:3 is not a verdict" in result.stderr


def test_feedback_command_on_a_missing_index_folder_fails_plainly(tmp_path):
    result = run("feedback", "--index", str(tmp_path / "nowhere"))
    assert result.exit_code == 3
    assert "no index folder" in result.stderr and "Traceback" not in result.output
