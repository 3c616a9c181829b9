"""Each benchmark runs end to end on tiny sizes and prints the figures it promises (plumbing, not speed)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, shared_data

BENCH = ROOT / "benchmarks"


def run_bench(name: str, *args: str, cache: Path) -> dict:
    cmd = [sys.executable, str(BENCH / name), "--json", "--embedder", "hash", "--cache", str(cache), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def test_query_benchmark_reports_each_stage(tmp_path):
    plot = tmp_path / "scale.png"
    res = run_bench("query.py", "--sizes", "200,400", "--queries", "8", "--pool", "40", "--plot", str(plot),
                    cache=tmp_path)
    r = res["sizes"]["400"]
    for key in ("p50_ms", "p95_ms", "embed_p50_ms", "dense_p50_ms", "dense_alone_p50_ms", "faiss_p50_ms",
                "keyword_p50_ms", "bm25s_p50_ms", "fuse_p50_ms", "answer_p50_ms", "rss_mb", "dense_vs_faiss",
                "keyword_vs_bm25s"):
        assert r[key] > 0, key
    assert r["p95_ms"] >= r["p50_ms"]
    assert r["index_type"] == "IndexFlatIP" and r["recall_at_10"] == 1.0  # exact search agrees with itself
    assert res["p50_ms"] == r["p50_ms"] and set(res["targets"]) >= {"p50_ms", "keyword_vs_bm25s"}
    assert r["keyword_engine"] == "tantivy" and r["sentence_cache"] is True
    assert res["plot"] == str(plot) and plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_ingest_benchmark_compares_with_encode_and_reruns_without_work(tmp_path):
    res = run_bench("ingest.py", "--sets", "corpus", "--repeat", "1", "--files", "12", cache=tmp_path)
    c = res["sets"]["corpus"]
    assert c["chunks"] > 0 and c["failed"] == 0
    # both rates and the ratio are printed rounded, so compare within the rounding
    assert c["ratio"] == pytest.approx(c["ingest_chunks_per_s"] / c["encode_chunks_per_s"], rel=0.01, abs=0.0011)
    assert c["read_s"] > 0 and c["chunk_s"] > 0
    r = res["rerun"]
    assert r["first_chunks"] >= 12 and r["unchanged"] == 12 and r["rerun_loaded_model"] is False


def test_gold_eval_scores_three_modes(tmp_path):
    res = run_bench("gold_eval.py", "--sets", "sample", "--limit", "4", cache=tmp_path)
    s = res["sets"]["sample"]
    assert s["questions"] == 4 and s["chunks"] > 0
    for mode in ("hybrid", "keyword", "dense"):
        assert 0.0 <= s[mode]["hit_at_1"] <= s[mode]["hit_at_5"] <= 1.0
    assert s["keyword"]["hit_at_5"] > 0  # exact words of a gold question do find its passage
    assert s["timing"]["hybrid_p50_ms"] > 0 and s["timing"]["keyword_p50_ms"] > 0
    assert s["unanswerable"]["questions"] > 0 and 0 <= s["unanswerable"]["abstained"] <= s["unanswerable"]["questions"]
    assert sum(k["questions"] for k in s["by_kind"].values()) >= 4


def test_forms_benchmark_scores_the_product_beside_passages_alone(tmp_path):
    res = run_bench("forms_eval.py", "--limit", "6", cache=tmp_path)
    for run in (res["product"], res["structure_off"]):
        assert run["n"] == 6 == len(run["rows"]) and run["business_n"] + run["content_n"] == 6
        assert 0.0 <= run["answer_hit"] <= 1.0 and 0.0 <= run["first_passage"] <= 1.0
    # Asked with the structure off, no answer is read from the minutes' facts.
    assert all(r["fact"] is None for r in res["structure_off"]["rows"])
    assert res["gold"] == "benchmarks/gold/forms.jsonl"


def test_qmsum_benchmark_scores_every_method_per_domain(tmp_path):
    data = shared_data("qmsum")
    res = run_bench("qmsum.py", "--meetings", "1", "--data", str(data), cache=tmp_path)
    assert res["meetings"] == 3 and res["chunks"] > 0
    for method in ("hybrid", "keyword", "bm25s", "faiss"):
        figs = res["methods"][method]
        assert set(figs) == {"Academic", "Product", "Committee", "overall"}
        o = figs["overall"]
        assert 0.0 <= o["recall_at_1"] <= o["recall_at_3"] <= o["recall_at_5"] <= o["recall_at_10"] <= 1.0
        assert o["recall_at_1"] <= o["mrr"] <= o["recall_at_10"]
    assert res["methods"]["bm25s"]["overall"]["recall_at_10"] > 0  # the span mapping finds relevant passages


@pytest.mark.slow
def test_page_load_benchmark_times_the_page_beside_searcher_ask(tmp_path):
    from benchmarks._page import CHROMIUM

    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    pytest.importorskip("playwright.async_api")
    cmd = [sys.executable, str(BENCH / "page_load.py"), "--json", "--sessions", "1,2", "--questions", "4",
           "--cache", str(tmp_path)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    res = json.loads(proc.stdout)
    assert res["questions"] == 4 and res["index"]["documents"] == 17 and set(res["levels"]) == {"1", "2"}
    for r in res["levels"].values():
        assert r["asked"] == 4 and r["no_answer"] == [] and r["problems"] == []
        assert 0 < r["p50_s"] <= r["p95_s"] <= r["max_s"] and r["search_in_page_p50_s"] > 0
        assert r["server_cpu_s_per_answer"] > 0
        b = r["in_process"]
        assert 0 < b["p50_s"] <= b["p95_s"] and r["page_vs_in_process_p50"] > 0
        assert r["answered"] == b["answered"]        # the page answers what Searcher.ask answers
    assert res["server_tracebacks"] == 0
    assert {"load_avg_1m", "cores", "cpu"} <= set(res["machine"]) and "load_avg_1m" in res["machine_after"]
