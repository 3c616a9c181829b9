"""The int8 ONNX encoder beside the torch model it is exported from: same vectors to within rounding, same
ranking, an index built by one searched by the other, and torch whenever the export cannot be had."""
from __future__ import annotations

import json
import logging
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

import index.embed
import index.encoder as enc
from index.embed import SentenceEmbedder
from index.encoder import CACHE_ENV, ENCODER_ENV, ExportFailed
from tests.conftest import CORPUS

pytestmark = pytest.mark.slow

SENTENCES = [
    "The committee approved the revised budget for 2024/25, including a precept increase of 4.9%.",
    "Apologies were received from Councillor Hughes and the Deputy Chief Constable.",
    "The Head of Contact Management reported that 81.2% of 101 calls were answered within 30 seconds.",
    "The network outage began at 06:40 on 3 May and lasted just over four hours.",
    "Action: the clerk to circulate the draft minutes to members by Friday.",
    "The force currently employs 1,842 police officers and 310 PCSOs.",
    "Members asked about the backlog of misconduct investigations open for more than twelve months.",
    "The meeting closed at 4:15 pm.",
]


@pytest.fixture(scope="session")
def export_cache(tmp_path_factory) -> Path:
    """One real export for the whole session, made the way a first search makes it."""
    cache = tmp_path_factory.mktemp("encoder-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(CACHE_ENV, str(cache))
        name, path = index.embed.resolve_model(None)
        folder = enc.ensure_export(name, path)
    assert enc.problem_with(folder, path) is None
    return cache


@pytest.fixture
def cache(export_cache, monkeypatch) -> Path:
    monkeypatch.setenv(CACHE_ENV, str(export_cache))
    monkeypatch.delenv(ENCODER_ENV, raising=False)
    monkeypatch.setattr(index.embed, "_unavailable", {})
    return export_cache


@pytest.fixture(scope="session")
def torch_embedder() -> SentenceEmbedder:
    return SentenceEmbedder(encoder="torch")


@pytest.fixture
def int8(cache) -> SentenceEmbedder:
    return SentenceEmbedder(encoder="onnx-int8")


def export_folder() -> Path:
    name, path = index.embed.resolve_model(None)
    return enc.export_folder(name, path)


def copy_of_session_export(cache: Path, calls: list):
    """A stand-in for the exporter that copies the session's real export: the rebuild and race logic
    under test, without a second export's CPU."""
    source = cache / export_folder().name
    source_bytes = {p.name: p.read_bytes() for p in source.iterdir()}

    def run_export(model_path, out):
        calls.append(Path(out))
        for name, data in source_bytes.items():
            (Path(out) / name).write_bytes(data)

    return run_export


def copy_cache(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("*.lock"))
    return dest


# -- the same vectors -------------------------------------------------------------------------------

def test_int8_vectors_are_close_to_torch(int8, torch_embedder):
    a = int8.encode(SENTENCES)
    b = torch_embedder.encode(SENTENCES)
    assert int8.backend == "onnx-int8" and torch_embedder.backend == "torch"
    assert a.dtype == np.float32 and a.shape == b.shape == (len(SENTENCES), int8.dim)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(a * b, axis=1)
    assert cosines.min() > 0.98, cosines
    # Still a model of meaning, not of rounding: unlike sentences stay well apart.
    assert float(a[0] @ a[7]) < 0.5


def test_int8_ranks_minutes_sentences_as_torch_does(int8, torch_embedder):
    for question in ("How many police officers does the force have?", "When did the network outage start?",
                     "What share of 101 calls were answered in time?"):
        orders, scores = [], []
        for emb in (int8, torch_embedder):
            q = emb.encode([question])[0]
            scores.append(emb.encode(SENTENCES) @ q)
            orders.append(list(np.argsort(-scores[-1])))
        assert orders[0][0] == orders[1][0], question
        # Below the answer the sentences are unrelated and within hundredths of each other: which of two
        # such near-ties comes third depends on the CPU's int8 kernels (7-bit weights without VNNI). Each of
        # int8's top three must be one torch puts in its top three or scores as closely as its third.
        third = scores[1][orders[1][2]]
        for i in orders[0][:3]:
            assert i in orders[1][:3] or scores[1][i] >= third - 0.03, (question, orders)


def test_one_text_alone_and_in_a_batch_agree(int8):
    alone = np.stack([int8.encode([s])[0] for s in SENTENCES[:4]])
    batch = int8.encode(SENTENCES[:4])
    assert np.sum(alone * batch, axis=1).min() > 0.99
    assert int8.encode([]).shape == (0, int8.dim)


def test_an_index_built_with_torch_is_searched_with_int8_and_back(tmp_path, int8, torch_embedder):
    from index.search import Searcher
    from index.sync import Ingester

    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(CORPUS / "monthly-assurance-2024-03-21.txt", src)
    question = "What share of 101 calls were answered within 30 seconds in February 2024?"
    answers = {}
    for built_by, asked_by in ((torch_embedder, int8), (int8, torch_embedder)):
        folder = tmp_path / f"index-{built_by.backend}"
        report = Ingester(folder, embedder=built_by, progress=False).run([src])
        assert report.added == 1 and not report.failed
        result = Searcher(folder, embedder=asked_by).ask(question)
        assert result.answer is not None and "81.2%" in result.answer.text
        answers[built_by.backend] = result.answer.text
    from index.store import Store

    meta = Store(tmp_path / "index-onnx-int8").meta()
    assert meta["model_name"] == "all-MiniLM-L6-v2"            # the model, never the encoder
    assert answers["torch"] == answers["onnx-int8"]


# -- threads ------------------------------------------------------------------------------------------

def test_threads_reach_the_onnx_session(cache, monkeypatch):
    one = SentenceEmbedder(encoder="onnx-int8", threads=1)
    assert one.model.session.get_session_options().intra_op_num_threads == 1
    monkeypatch.setenv(enc.THREADS_ENV, "2")
    two = SentenceEmbedder(encoder="onnx-int8")
    assert two.threads == 2 and two.model.session.get_session_options().intra_op_num_threads == 2
    assert index.embed.serving_threads() == 2
    monkeypatch.delenv(enc.THREADS_ENV)
    assert index.embed.serving_threads() == 1 and SentenceEmbedder().threads is None


def test_batches_run_side_by_side_give_the_vectors_one_at_a_time_gives(cache, monkeypatch):
    monkeypatch.delenv(enc.THREADS_ENV, raising=False)
    side_by_side = SentenceEmbedder(encoder="onnx-int8", batch_size=8)
    in_turn = SentenceEmbedder(encoder="onnx-int8", batch_size=8, threads=1)
    assert side_by_side.model.parallel == enc._cores() and in_turn.model.parallel == 1
    assert side_by_side.model.session.get_session_options().intra_op_num_threads == 1
    texts = [s * (1 + i % 3) for i, s in enumerate(SENTENCES * 5)]       # several batches of mixed lengths
    a, b = side_by_side.encode(texts), in_turn.encode(texts)
    assert a.shape == b.shape == (len(texts), in_turn.dim)
    assert np.sum(a * b, axis=1).min() > 0.9999      # each row is its own text's vector, in order


# -- falling back to torch ------------------------------------------------------------------------

def test_an_export_that_cannot_be_written_falls_back_to_torch_with_a_warning(cache, tmp_path, monkeypatch, caplog,
                                                                            torch_embedder):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "encoder"))
    emb = SentenceEmbedder()
    with caplog.at_level(logging.WARNING, logger="index.embed"):
        vecs = emb.encode(SENTENCES[:3])
    assert emb.backend == "torch" and "encoder cache" in emb.fallback_reason
    assert np.allclose(vecs, torch_embedder.encode(SENTENCES[:3]), atol=1e-5)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "int8 ONNX encoder" in r.getMessage()]
    assert len(warnings) == 1 and "running the torch model instead" in warnings[0].getMessage()


def test_a_failing_export_warns_once_and_is_not_retried(cache, tmp_path, monkeypatch, caplog):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "empty-cache"))
    calls = []

    def broken(model_path, out):
        calls.append(out)
        raise ExportFailed("the exporter failed: RuntimeError: no")

    monkeypatch.setattr(enc, "run_export", broken)
    with caplog.at_level(logging.WARNING, logger="index.embed"):
        first, second = SentenceEmbedder(), SentenceEmbedder()
        assert first.encode(["one"]).shape == second.encode(["two"]).shape == (1, first.dim)
    assert first.backend == second.backend == "torch"
    assert len(calls) == 1                                   # the second embedder did not export again
    warnings = [r for r in caplog.records if "int8 ONNX encoder" in r.getMessage()]
    assert len(warnings) == 1 and "the exporter failed" in warnings[0].getMessage()
    assert not list((tmp_path / "empty-cache").glob(".*.tmp"))  # the failed attempt left nothing behind


def test_missing_onnxruntime_falls_back_to_torch(cache, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_onnxruntime(name, *args, **kwargs):
        if name == "onnxruntime" or name.startswith("onnxruntime."):
            raise ImportError("No module named 'onnxruntime'", name="onnxruntime")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_onnxruntime)
    emb = SentenceEmbedder()
    assert emb.encode(["hello"]).shape == (1, emb.dim)
    assert emb.backend == "torch" and "onnxruntime" in emb.fallback_reason


def test_a_runtime_error_while_encoding_switches_to_torch(int8, monkeypatch, torch_embedder):
    assert int8.backend == "onnx-int8"

    def fails(*args, **kwargs):
        raise RuntimeError("onnxruntime: bad allocation")

    monkeypatch.setattr(int8.model, "encode", fails)
    vecs = int8.encode(SENTENCES[:2])
    assert int8.backend == "torch" and "bad allocation" in int8.fallback_reason
    assert np.allclose(vecs, torch_embedder.encode(SENTENCES[:2]), atol=1e-5)


def test_torch_never_touches_onnx(cache, tmp_path, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("the torch encoder reached the ONNX code")

    for attr in ("open_int8", "ensure_export", "run_export", "OnnxEncoder"):
        monkeypatch.setattr(enc, attr, forbidden)
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "untouched"))
    emb = SentenceEmbedder(encoder="torch")
    assert emb.encode(["hello"]).shape == (1, 384) and emb.backend == "torch" and emb.fallback_reason is None
    monkeypatch.setenv(ENCODER_ENV, "torch")
    assert SentenceEmbedder().encode(["hello"]).shape == (1, 384)
    assert not (tmp_path / "untouched").exists()


def test_the_encoder_setting(monkeypatch, caplog):
    monkeypatch.setenv(ENCODER_ENV, "torch")
    assert enc.requested_encoder() == "torch"
    monkeypatch.setenv(ENCODER_ENV, "pytorch")
    with caplog.at_level(logging.WARNING, logger="index.encoder"):
        assert enc.requested_encoder() == "onnx-int8"
    assert "MINUTES_ENCODER" in caplog.text
    with pytest.raises(ValueError):
        SentenceEmbedder(encoder="openvino")


# -- the cache: damaged, raced, reported -------------------------------------------------------------

def test_a_damaged_export_is_rebuilt(cache, tmp_path, monkeypatch, caplog, torch_embedder):
    private = copy_cache(cache, tmp_path / "cache")
    monkeypatch.setenv(CACHE_ENV, str(private))
    folder = export_folder()
    good = (folder / enc.MODEL_FILE).read_bytes()
    (folder / enc.MODEL_FILE).write_bytes(good[: len(good) // 3])          # a crash mid-copy, a full disk
    name, path = index.embed.resolve_model(None)
    assert "differs" in enc.problem_with(folder, path)

    calls: list = []
    monkeypatch.setattr(enc, "run_export", copy_of_session_export(cache, calls))
    with caplog.at_level(logging.WARNING, logger="index.encoder"):
        emb = SentenceEmbedder()
        vecs = emb.encode(SENTENCES)
    assert emb.backend == "onnx-int8" and len(calls) == 1
    assert "exporting it again" in caplog.text
    assert enc.problem_with(folder, path) is None and (folder / enc.MODEL_FILE).read_bytes() == good
    assert np.sum(vecs * torch_embedder.encode(SENTENCES), axis=1).min() > 0.98
    assert [p.name for p in private.iterdir() if not p.name.endswith(".lock")] == [folder.name]


def test_a_damaged_export_that_matches_its_manifest_is_rebuilt_when_it_will_not_load(cache, tmp_path, monkeypatch):
    private = copy_cache(cache, tmp_path / "cache")
    monkeypatch.setenv(CACHE_ENV, str(private))
    folder = export_folder()
    junk = b"not an onnx graph" * 100
    (folder / enc.MODEL_FILE).write_bytes(junk)
    manifest = json.loads((folder / enc.MANIFEST).read_text())
    manifest.update(bytes=len(junk), sha256=enc._sha256(folder / enc.MODEL_FILE))
    (folder / enc.MANIFEST).write_text(json.dumps(manifest))
    calls: list = []
    monkeypatch.setattr(enc, "run_export", copy_of_session_export(cache, calls))
    emb = SentenceEmbedder()
    assert emb.encode(["hello"]).shape == (1, 384)
    assert emb.backend == "onnx-int8" and len(calls) == 1


def test_a_damaged_export_that_cannot_be_rebuilt_falls_back_to_torch(cache, tmp_path, monkeypatch, caplog):
    private = copy_cache(cache, tmp_path / "cache")
    monkeypatch.setenv(CACHE_ENV, str(private))
    (export_folder() / enc.MANIFEST).write_text("{ half a manifest")

    def broken(model_path, out):
        raise ExportFailed("the exporter failed: MemoryError")

    monkeypatch.setattr(enc, "run_export", broken)
    with caplog.at_level(logging.WARNING):
        emb = SentenceEmbedder()
        assert emb.encode(["hello"]).shape == (1, 384)
    assert emb.backend == "torch" and "MemoryError" in emb.fallback_reason
    assert "unreadable" in caplog.text and "running the torch model instead" in caplog.text


def test_exports_racing_each_other_leave_one_whole_export(cache, tmp_path, monkeypatch):
    """Two exporters at once, even without the lock between them (a file system that refuses locks):
    each writes its own folder, the renames keep one whole export under the final name."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    calls: list = []
    copy = copy_of_session_export(cache, calls)
    both_writing = threading.Barrier(2, timeout=30)

    def slow_export(model_path, out):
        copy(model_path, out)
        both_writing.wait()

    class NoLock:
        def __init__(self, path):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(enc, "run_export", slow_export)
    monkeypatch.setattr(enc, "_export_lock", NoLock)
    name, path = index.embed.resolve_model(None)
    results, errors = [], []

    def export():
        try:
            results.append(enc.ensure_export(name, path))
        except Exception as exc:  # noqa: BLE001 - the assertion below shows it
            errors.append(exc)

    threads = [threading.Thread(target=export) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors and len(calls) == 2 and results[0] == results[1] == export_folder()
    assert enc.problem_with(results[0], path) is None
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [results[0].name]   # no temporary left


def test_with_the_lock_a_second_exporter_waits_and_uses_the_first_export(cache, tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    calls: list = []
    copy = copy_of_session_export(cache, calls)
    started = threading.Event()

    def slow_export(model_path, out):
        started.set()
        copy(model_path, out)
        threading.Event().wait(0.5)

    monkeypatch.setattr(enc, "run_export", slow_export)
    name, path = index.embed.resolve_model(None)
    results = []
    first = threading.Thread(target=lambda: results.append(enc.ensure_export(name, path)))
    first.start()
    assert started.wait(30)
    results.append(enc.ensure_export(name, path))
    first.join(60)
    assert len(calls) == 1 and results[0] == results[1] and enc.problem_with(results[0], path) is None


def test_status_says_which_encoder_a_search_would_use(cache, tmp_path, monkeypatch):
    name, path = index.embed.resolve_model(None)
    ready = enc.describe(name, path)
    assert ready == {"encoder": "onnx-int8", "export": str(export_folder()), "state": "ready"}
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "nothing-yet"))
    assert enc.describe(name, path)["state"].startswith("not exported yet")
    monkeypatch.setenv(ENCODER_ENV, "torch")
    assert enc.describe(name, path) == {"encoder": "torch", "export": None, "state": "torch asked for"}


def test_the_export_folder_follows_the_model_files(tmp_path):
    """Another model folder, or the same one edited, gets an export of its own rather than a stale one."""
    name, path = index.embed.resolve_model(None)
    copy = tmp_path / "model"
    shutil.copytree(path, copy)
    assert enc.fingerprint(copy) != enc.fingerprint(path)
    before = enc.fingerprint(copy)
    (copy / "config.json").write_text((copy / "config.json").read_text() + "\n")
    assert enc.fingerprint(copy) != before


def test_the_encoder_benchmark_reports_both_encoders(cache):
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    cmd = [sys.executable, str(ROOT / "benchmarks" / "encoder.py"), "--json", "--questions", "5", "--passages", "30"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env={**os.environ, CACHE_ENV: str(cache)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    r = json.loads(proc.stdout)
    for key in ("onnx_query_p50_ms", "torch_query_p50_ms", "onnx_passages_per_s", "torch_passages_per_s",
                "rss_onnx_only_mb"):
        assert r[key] > 0, key
    assert r["onnx_query_p95_ms"] >= r["onnx_query_p50_ms"] and r["questions"] == 5 and r["passages"] == 30
    assert r["passage_cosine_mean"] > 0.98 and r["question_cosine_min"] > 0.98
    assert r["onnx_export"].startswith(str(cache)) and r["machine"]["load_avg_1m"] >= 0
