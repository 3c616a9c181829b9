"""Scoring against gold questions: reading the gold file, matching expected strings, hit@k, MRR and answer-hit."""
from __future__ import annotations

from pathlib import Path

import pytest

from index.embed import HashEmbedder
from index.eval import KS, Gold, Scores, evaluate, first_hit, holds, load_gold
from index.search import Answer, Passage, Result, Searcher, Settings

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "benchmarks" / "gold"


def passage(rank: int, document: str, text: str) -> Passage:
    return Passage(rank=rank, score=1.0 / rank, text=text, document=document, title=None, date=None, item=None,
                   page=None)


def answer(document: str, text: str) -> Answer:
    return Answer(text=text, document=document, title=None, date=None, item=None, page=None)


def test_load_gold(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"q": "What was the 101 target?", "doc": "a.pdf", "expect": ["80%", "101"]}\n\n'
                    '{"q": "Who chaired?", "doc": "b.txt"}\n', encoding="utf-8")
    golds = load_gold(path)
    assert golds == [Gold("What was the 101 target?", "a.pdf", ["80%", "101"]), Gold("Who chaired?", "b.txt", [])]


@pytest.mark.parametrize("line", ["not json", "[1, 2]", '"a string"', '{"doc": "a.pdf"}', '{"q": "x"}',
                                  '{"q": "x", "doc": "a.pdf", "expect": 80}', '{"q": "x", "doc": "a.pdf", "expect": [1]}',
                                  '{"q": "", "doc": "a.pdf"}'])
def test_a_bad_gold_line_names_its_line(tmp_path, line):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"q": "fine", "doc": "a.pdf", "expect": ["x"]}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"gold\.jsonl:2:"):
        load_gold(path)


def test_a_single_expected_string_is_not_split_into_letters(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"q": "What was the 101 target?", "doc": "a.pdf", "expect": "80%"}\n', encoding="utf-8")
    assert load_gold(path)[0].expect == ["80%"]


def test_holds():
    text = "The CC said the  improvement came from a full establish-\nment of call handlers (80% of 101 calls)."
    assert holds(text, ["full establishment", "80% of 101 CALLS"])
    assert holds(text, [])
    assert not holds(text, ["full establishment", "85%"])
    assert holds("a non- emergency number", ["non-emergency"])
    assert not holds("the 180% figure", ["80% of 101"])


def test_first_hit_needs_the_right_document_and_every_string():
    result = Result("q", None, [
        passage(1, "other.pdf", "The target was 80% of 101 calls."),
        passage(2, "sub/minutes-2021-10.pdf", "The target was 80%."),
        passage(3, "sub/minutes-2021-10.pdf", "The 101 target was 80% of calls."),
    ])
    assert first_hit(result, Gold("q", "minutes-2021-10.pdf", ["80%", "101"])) == 3
    assert first_hit(result, Gold("q", "sub/minutes-2021-10.pdf", ["80%"])) == 2
    assert first_hit(result, Gold("q", "minutes-2021-10.pdf", ["85%"])) is None
    assert first_hit(Result("q", None, []), Gold("q", "a.pdf", [])) is None


def test_scores():
    gold = Gold("q", "a.pdf", ["80%"])
    scores = Scores()
    scores.add(gold, Result("q", answer("a.pdf", "It was 80%."), [passage(1, "a.pdf", "It was 80%.")]))
    scores.add(gold, Result("q", answer("b.pdf", "It was 80%."), [passage(1, "b.pdf", "x"),
                                                                    passage(2, "a.pdf", "It was 80%.")]))
    scores.add(gold, Result("q", None, [passage(r, "b.pdf", "x") for r in range(1, 4)] +
                            [passage(4, "a.pdf", "80%")]))
    scores.add(gold, Result("q", None, []))
    f = scores.figures()
    assert f["questions"] == 4
    assert (f["hit_at_1"], f["hit_at_3"], f["hit_at_5"]) == (0.25, 0.5, 0.75)
    assert f["mrr"] == round((1 + 1 / 2 + 1 / 4) / 4, 4)
    assert f["answer_hit"] == 0.25
    assert [m["rank"] for m in scores.misses] == [2, 4, None]
    assert scores.misses[-1]["top"] is None and scores.misses[0]["answer"] == "It was 80%."


def test_no_questions_scores_zero():
    assert Scores().figures() == {"questions": 0, **{f"hit_at_{k}": 0.0 for k in KS}, "mrr": 0.0,
                                  "answer_hit": 0.0, "answered": 0.0, "quote_words": 0.0}


def test_evaluate_on_an_index(tmp_path):
    from index.sync import Ingester

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "monthly-2023-03-16.txt").write_text(
        "Monthly Assurance Meeting March 2023\n\nDate: Thursday 16 March 2023\n\n1\nContact\n\n"
        "The HCM reported that 78.9% of 101 calls were answered within 30 seconds.\n\n2\nFleet\n\n"
        "The fleet of 412 vehicles will move to electric power by 2030.\n", encoding="utf-8")
    (corpus / "audit-2023-07-25.md").write_text(
        "# Joint Audit Committee - 25 July 2023\n\n## 1 Payroll\n\n"
        "The auditors gave reasonable assurance on payroll controls.\n", encoding="utf-8")
    Ingester(tmp_path / "index", embedder=HashEmbedder(), progress=False).run([corpus])
    searcher = Searcher(tmp_path / "index", embedder=HashEmbedder())
    golds = [Gold("101 calls answered within 30 seconds", "monthly-2023-03-16.txt", ["78.9%"]),
             Gold("payroll controls assurance", "audit-2023-07-25.md", ["reasonable assurance"]),
             Gold("fleet vehicles electric", "monthly-2023-03-16.txt", ["412 vehicles"]),
             Gold("fleet vehicles electric", "monthly-2023-03-16.txt", ["a string in no document"])]
    for mode in ("hybrid", "keyword", "dense"):
        f = evaluate(searcher, golds, Settings.baseline(mode)).figures()
        assert f["questions"] == 4
        assert f["hit_at_1"] <= f["hit_at_3"] <= f["hit_at_5"] <= 0.75
        assert 0 <= f["mrr"] <= f["hit_at_5"]
    assert evaluate(searcher, golds, Settings.baseline("keyword")).figures()["hit_at_1"] == 0.75
    searcher.store.close()


@pytest.mark.parametrize("name", ["sample.jsonl", "real.jsonl"])
def test_the_project_gold_files_read(name):
    path = GOLD / name
    if not path.exists():
        pytest.skip(f"{path} is not written yet")
    golds = load_gold(path)
    assert golds and all(g.q.strip() and g.doc and g.expect for g in golds)
    questions = [g.q for g in golds]
    assert len(questions) == len(set(questions)), "a gold question appears twice"


def test_sample_gold_documents_exist():
    path = GOLD / "sample.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is not written yet")
    names = {p.name for p in (ROOT / "corpus").iterdir()}
    missing = {g.doc for g in load_gold(path)} - names
    assert not missing


def test_real_gold_documents_exist():
    path = GOLD / "real.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is not written yet")
    root = ROOT.parent / "shared" / "data"
    if not root.exists():
        pytest.skip(f"{root} is absent: the real minutes live beside the project in ../shared/data")
    names = {p.name for p in root.rglob("*") if p.is_file()}
    missing = {g.doc for g in load_gold(path)} - names
    assert not missing
