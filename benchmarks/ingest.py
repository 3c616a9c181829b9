"""Ingest throughput against raw model.encode on the same chunk texts, and the no-change rerun.

Usage: python benchmarks/ingest.py [--json] [--files 1000] [--repeat 1]

For the sample corpus (corpus/) and the real files (../shared/data/opcc and council-minutes): a full
`Ingester.run` into an empty temporary index with the real model (loaded and warmed first, so neither
side pays for loading it), then `model.encode` on exactly the chunk texts that run embedded, in the
same process. With --repeat N both are run N times in turn and the fastest of each kept, which damps
the noise of a shared machine. The per-stage split (read = load+clean+structure, chunk, encode, store)
times each stage on its own over the same files. The rerun is a second `minutes ingest` over 1,000
small synthetic files that have not changed: in process, and as the command a nightly job runs.
"""
from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]  # this file's name shadows `ingest`
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from benchmarks import _synth  # noqa: E402
from benchmarks._common import (CACHE_DIR, ROOT, SHARED_DATA, add_embedder_option, log, machine,  # noqa: E402
                                make_embedder, table)

SETS = {"corpus": [ROOT / "corpus"], "real": [SHARED_DATA / "opcc", SHARED_DATA / "council-minutes"]}
TARGET_RATIO = 0.8


def stored_texts(folder: Path) -> tuple[list[str], list[str]]:
    """The chunk texts the run embedded, as Chunk.embed_text builds them, and any sentences it embedded too."""
    from index.store import Store

    store = Store(folder)
    rows = store.conn.execute("SELECT header, text FROM chunks ORDER BY id").fetchall()
    sentences = []
    if store.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sentences'").fetchone():
        sentences = [t[a:b] for t, a, b in store.conn.execute(
            'SELECT c.text, s.start, s."end" FROM sentences s JOIN chunks c ON c.id = s.chunk_id ORDER BY s.rowid')]
    store.close()
    return [f"{h}\n{t}" if h else t for h, t in rows], sentences


def stages(paths: list[Path], emb, texts: list[str]) -> dict:
    """Seconds spent reading, chunking and storing the same files, each stage timed on its own."""
    from index.store import Store
    from ingest.chunk import chunk_meeting
    from ingest.loaders import SUPPORTED_SUFFIXES
    from ingest.pipeline import read_meeting

    files = [f for p in paths for f in sorted(p.rglob("*"))
             if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES and not f.name.startswith(".")]
    read_s = chunk_s = 0.0
    done = []
    for f in files:
        t = time.perf_counter()
        try:
            m = read_meeting(f)
        except Exception:           # the run reports such a file as failed; it has no chunks to time
            continue
        t2 = time.perf_counter()
        cs = chunk_meeting(m, emb.count_tokens, emb.max_tokens)
        t3 = time.perf_counter()
        read_s, chunk_s = read_s + t2 - t, chunk_s + t3 - t2
        done.append((f, m, cs))
    import numpy as np

    with tempfile.TemporaryDirectory(prefix="minutes-ingest-store-") as tmp:
        store = Store(Path(tmp), create=True)
        t = time.perf_counter()
        for f, m, cs in done:
            with store.transaction() as conn:
                store.put_document(conn, f.name, str(f.parent), f.name, 0, "txt", m, cs,
                                   np.zeros((len(cs), emb.dim), np.float32))
                store.bump_generation(conn)
        store_s = time.perf_counter() - t
        store.close()
    return {"read_s": round(read_s, 4), "chunk_s": round(chunk_s, 4), "store_s": round(store_s, 4)}


def throughput(paths: list[Path], emb, repeat: int, torch_emb=None) -> dict:
    from index.sync import Ingester

    ingest_s, encode_s, all_s, torch_s, texts, sentences, report = [], [], [], [], [], [], None
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="minutes-ingest-bench-") as tmp:
            t = time.perf_counter()
            report = Ingester(Path(tmp), embedder=emb, progress=False).run(paths)
            ingest_s.append(time.perf_counter() - t)
            texts, sentences = stored_texts(Path(tmp))
        t = time.perf_counter()
        emb.encode(texts)
        encode_s.append(time.perf_counter() - t)
        if torch_emb is not None:       # the baseline the issue sets: raw torch model.encode of the same texts
            t = time.perf_counter()
            torch_emb.encode(texts)
            torch_s.append(time.perf_counter() - t)
        if sentences:                   # everything the run embedded, in one call as the run makes it
            t = time.perf_counter()
            emb.encode(texts + sentences)
            all_s.append(time.perf_counter() - t)
    n = len(texts)
    ingest_cps, encode_cps = n / min(ingest_s), n / min(encode_s)
    out = {"files": report.added + len(report.failed), "failed": len(report.failed), "chunks": n,
           "ingest_s": round(min(ingest_s), 2), "encode_s": round(min(encode_s), 2),
           "ingest_chunks_per_s": round(ingest_cps, 1), "encode_chunks_per_s": round(encode_cps, 1),
           "ratio": round(ingest_cps / encode_cps, 3), "runs_ingest_s": [round(x, 2) for x in ingest_s],
           "runs_encode_s": [round(x, 2) for x in encode_s], "sentences": len(sentences)}
    if torch_s:
        torch_cps = n / min(torch_s)
        out.update(torch_encode_s=round(min(torch_s), 2), torch_encode_chunks_per_s=round(torch_cps, 1),
                   ratio_to_torch=round(ingest_cps / torch_cps, 3))
    if all_s:
        # How close ingest comes to the encoding work it chose to do (chunks and sentences).
        out.update(encode_all_s=round(min(all_s), 2), ratio_to_all_encoded=round(min(all_s) / min(ingest_s), 3))
    return {**out, **stages(paths, emb, texts)}


def small_files(folder: Path, n: int) -> None:
    """``n`` short minutes files: a title, a date, two numbered items of a few sentences each."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        title, date, item = _synth.meeting_header(10_000 + i)
        r = random.Random(i)
        other = r.choice(_synth.TOPICS)
        body = [title, "", f"Date: {date}", "", item, _synth.passage(i, i, (2, 3)), "",
                f"{int(item.split('.')[0]) + 1}.1 {other[:1].upper()}{other[1:]}", _synth.passage(n + i, i, (2, 3))]
        (folder / f"minutes-{i:04d}.txt").write_text("\n".join(body) + "\n", encoding="utf-8")


def rerun(n_files: int, cache: Path, kind: str = "real") -> dict:
    from index.sync import Ingester

    with tempfile.TemporaryDirectory(prefix="minutes-rerun-") as tmp:
        files, index = Path(tmp) / "files", Path(tmp) / "index"
        small_files(files, n_files)
        t = time.perf_counter()
        first = Ingester(index, embedder=make_embedder(kind, cache), progress=False).run([files])
        first_s = time.perf_counter() - t
        fresh = make_embedder(kind, None)
        t = time.perf_counter()
        again = Ingester(index, embedder=fresh, progress=False).run([files])
        rerun_s = time.perf_counter() - t
        cli, cli_s = {}, None
        if kind == "real":            # the command reads with the packaged model, so only a real index fits it
            cmd = [sys.executable, "-m", "ui.cli", "ingest", str(files), "--index", str(index), "--json"]
            t = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, text=True, cwd=str(ROOT))
            cli_s = round(time.perf_counter() - t, 2)
            cli = json.loads(proc.stdout) if proc.returncode == 0 else {"error": proc.stderr[-500:]}
    return {"files": n_files, "first_chunks": first.chunks, "first_s": round(first_s, 1),
            "unchanged": again.unchanged, "rerun_s": round(rerun_s, 3),
            "rerun_loaded_model": "model" in fresh.__dict__, "rerun_cli_s": cli_s,
            "rerun_cli_unchanged": cli.get("unchanged"), "rerun_cli_reported_s": cli.get("seconds")}


def report(res: dict) -> str:
    m = res["machine"]
    lines = [f"Ingest benchmark, {m['date']}, {m['cpu']} x{m['cores']}, load {m['load_avg_1m']}"]
    keys = ["files", "failed", "chunks", "sentences", "ingest_s", "encode_s", "ingest_chunks_per_s",
            "encode_chunks_per_s", "ratio", "torch_encode_s", "torch_encode_chunks_per_s", "ratio_to_torch",
            "encode_all_s", "ratio_to_all_encoded", "read_s", "chunk_s", "store_s"]
    rows = [[k] + [res["sets"][s].get(k, "") for s in res["sets"]] for k in keys]
    lines.append(table(["figure"] + list(res["sets"]), rows))
    r = res.get("rerun")
    if r:
        lines.append(f"\nNo-change rerun over {r['files']} files: {r['rerun_s']:.2f} s in process "
                     f"({r['unchanged']} unchanged, model loaded: {r['rerun_loaded_model']}); "
                     f"{r['rerun_cli_s']} s as `minutes ingest --json` (reports {r['rerun_cli_reported_s']} s)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default=",".join(SETS), help="corpus, real, or both (comma separated).")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--files", type=int, default=1000, help="Small files for the no-change rerun; 0 skips it.")
    ap.add_argument("--cache", type=Path, default=CACHE_DIR, help="Embedding cache for the rerun's first ingest.")
    ap.add_argument("--json", action="store_true")
    add_embedder_option(ap)
    args = ap.parse_args(argv)
    emb = make_embedder(args.embedder, None)    # never the cache: encoding is what is measured
    res = {"machine": machine(), "embedder": emb.name, "sets": {}}
    emb.encode(["warm up the model before anything is timed"])
    res["encoder"] = getattr(emb, "backend", emb.name)
    torch_emb = None
    if args.embedder == "real" and res["encoder"] != "torch":
        from index.embed import SentenceEmbedder

        torch_emb = SentenceEmbedder(encoder="torch")
        torch_emb.encode(["warm up the model before anything is timed"])
    for name in [s for s in args.sets.split(",") if s]:
        paths = SETS[name]
        if not all(p.exists() for p in paths):
            res["sets"][name] = {"skipped": "absent"}
            continue
        log(f"{name}: ingest and encode, {args.repeat} time(s)")
        res["sets"][name] = throughput(paths, emb, args.repeat, torch_emb)
    if args.files:
        log(f"no-change rerun over {args.files} files")
        res["rerun"] = rerun(args.files, args.cache, args.embedder)
    res["ratio_target"] = TARGET_RATIO
    res["machine_after"] = machine()
    print(json.dumps(res) if args.json else report(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
