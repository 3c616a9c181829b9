"""Retrieval quality on the QMSum test split: our hybrid search beside BM25 (bm25s), dense (FAISS) and FTS5.

Usage: python benchmarks/qmsum.py [--json] [--meetings N] [--data ../shared/data/qmsum]

Each meeting's transcript is one document, a speaker turn a line ("Speaker: words"), annotation marks
such as {vocalsound} dropped. It is chunked by the project's own chunker (ingest.chunk.chunk_meeting on a
Meeting with no agenda items: whole sentences, a line always ends one, about 160 word pieces, one
sentence of overlap). All 35 meetings share one index, built with the real model (embeddings cached
under benchmarks/.cache/). A passage is relevant to a specific query when it lies in that query's
meeting and its characters overlap the turns of one of the query's relevant_text_spans.
recall@k is the share of queries with a relevant passage in the top k; MRR counts the first one in the
top 10.
"""
from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]  # benchmarks/ingest.py shadows `ingest`
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import inspect  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

import numpy as np  # noqa: E402

from benchmarks._common import (CACHE_DIR, SHARED_DATA, add_embedder_option, log, machine,  # noqa: E402
                                make_embedder, table)

DOMAINS = ("Academic", "Product", "Committee")
KS = (1, 3, 5, 10)
METHODS = ("hybrid", "keyword", "dense_ours", "bm25s", "faiss")
_MARK = re.compile(r"\{\w+\}")


@dataclass
class Transcript:
    domain: str
    name: str
    text: str
    turns: list[tuple[int, int]]                     # character span of each speaker turn
    queries: list[tuple[str, list[tuple[int, int]]]] = field(default_factory=list)   # question, relevant spans

    @property
    def source(self) -> str:
        return f"{self.domain}/{self.name}.txt"


def read_transcript(path: Path, domain: str) -> Transcript:
    data = json.loads(path.read_text(encoding="utf-8"))
    lines, turns, pos = [], [], 0
    for turn in data["meeting_transcripts"]:
        words = " ".join(_MARK.sub(" ", turn["content"]).split())
        if not words:
            turns.append((pos, pos))
            continue
        line = f"{' '.join(turn['speaker'].split())}: {words}"
        lines.append(line)
        turns.append((pos, pos + len(line)))
        pos += len(line) + 1
    t = Transcript(domain, path.stem, "\n".join(lines), turns)
    for q in data.get("specific_query_list", []):
        spans = []
        for s, e in q["relevant_text_span"]:
            s, e = int(s), int(e)
            if 0 <= s <= e < len(turns):
                spans.append((turns[s][0], turns[e][1]))
        if spans:
            t.queries.append((q["query"], spans))
    return t


def load(data: Path, meetings: int | None = None, domains=DOMAINS) -> list[Transcript]:
    out = []
    for d in domains:
        files = sorted((data / "data" / d / "test").glob("*.json"))
        out.extend(read_transcript(f, d) for f in files[:meetings])
    return out


def build_index(folder: Path, transcripts: list[Transcript], emb) -> tuple[list, np.ndarray, dict]:
    """Chunk, embed and store every transcript; the chunks (source, Chunk) and their vectors, in store order."""
    from index.store import Store
    from ingest.chunk import CHUNKER_VERSION, chunk_meeting
    from ingest.model import Meeting
    from ingest.sentences import sentence_spans

    t0 = time.perf_counter()
    per = []
    for t in transcripts:
        m = Meeting(source=t.source, text=t.text, page_starts=[0])
        per.append((t, m, chunk_meeting(m, emb.count_tokens, emb.max_tokens)))
    t1 = time.perf_counter()
    flat = [(t.source, c) for t, _, cs in per for c in cs]
    log(f"{len(flat)} chunks from {len(transcripts)} transcripts; embedding")
    vecs = emb.encode([c.embed_text for _, c in flat])
    store = Store(folder, create=True)
    # Where the store keeps a vector per sentence, write them as the nightly ingest does.
    sentences = None
    if "sentences" in inspect.signature(store.put_document).parameters:
        spans = [sentence_spans(c.text) for _, c in flat]
        svecs = iter(emb.encode([c.text[a:b] for (_, c), ss in zip(flat, spans) for a, b in ss]))
        sentences = [[(a, b, next(svecs)) for a, b in ss] for ss in spans]
    t2 = time.perf_counter()
    with store.transaction() as conn:
        store.record_settings(conn, emb.name, str(emb.path), emb.dim, CHUNKER_VERSION, emb.max_tokens)
        off = 0
        for t, m, cs in per:
            extra = {"sentences": sentences[off:off + len(cs)]} if sentences is not None else {}
            store.put_document(conn, t.source, str(folder), t.name, len(t.text), "txt", m, cs,
                               vecs[off:off + len(cs)], **extra)
            off += len(cs)
        store.bump_generation(conn)
    store.close()
    timing = {"chunk_s": round(t1 - t0, 1), "embed_s": round(t2 - t1, 1), "encoded_now": getattr(emb, "encoded", None),
              "store_s": round(time.perf_counter() - t2, 1), "sentence_vectors": sentences is not None}
    return flat, vecs, timing


def first_relevant(ranked: list[tuple[str, int, int]], source: str, spans: list[tuple[int, int]]) -> int | None:
    for rank, (src, s, e) in enumerate(ranked, 1):
        if src == source and any(s < b and e > a for a, b in spans):
            return rank
    return None


def scores(ranks: list[int | None]) -> dict:
    n = max(len(ranks), 1)
    out = {f"recall_at_{k}": round(sum(r is not None and r <= k for r in ranks) / n, 4) for k in KS}
    out["mrr"] = round(sum(1.0 / r for r in ranks if r) / n, 4)
    out["queries"] = len(ranks)
    return out


def bm25s_ranker(flat: list):
    import bm25s

    try:
        import Stemmer

        stem = Stemmer.Stemmer("english")
    except ImportError:              # PyStemmer is optional for bm25s; the figures say which ran
        stem = None
    tokens = bm25s.tokenize([c.embed_text for _, c in flat], stopwords="en", stemmer=stem, show_progress=False)
    bm = bm25s.BM25()
    bm.index(tokens, show_progress=False)

    def rank(q: str, k: int) -> list[int]:
        qt = bm25s.tokenize([q], stopwords="en", stemmer=stem, show_progress=False)
        docs, sc = bm.retrieve(qt, k=min(k, len(flat)), show_progress=False, n_threads=1)
        return [int(d) for d, s in zip(docs[0], sc[0]) if s > 0]

    return rank, ("PyStemmer english" if stem else "none")


def run(transcripts: list[Transcript], emb, folder: Path, keyword_engine: str = "tantivy") -> dict:
    import faiss

    from index.search import Searcher, Settings

    flat, vecs, timing = build_index(folder, transcripts, emb)
    searcher = Searcher(folder, embedder=emb)
    bm25, stemmer = bm25s_ranker(flat)
    exact = faiss.IndexFlatIP(vecs.shape[1])
    exact.add(vecs)
    k = max(KS)
    ranks: dict[str, dict[str, list]] = {m: {d: [] for d in DOMAINS} for m in METHODS}
    t0 = time.perf_counter()
    for t in transcripts:
        for q, spans in t.queries:
            for mode, name in (("hybrid", "hybrid"), ("keyword", "keyword"), ("dense", "dense_ours")):
                res = searcher.ask(q, top_k=k, settings=Settings.baseline(mode).with_(keyword_engine=keyword_engine))
                ranked = [(p.document, p.start, p.end) for p in res.passages]
                ranks[name][t.domain].append(first_relevant(ranked, t.source, spans))
            for name, rows in (("bm25s", bm25(q, k)),
                               ("faiss", exact.search(emb.encode([q]), k)[1][0].tolist())):
                ranked = [(flat[i][0], flat[i][1].start, flat[i][1].end) for i in rows if i >= 0]
                ranks[name][t.domain].append(first_relevant(ranked, t.source, spans))
    timing["search_s"] = round(time.perf_counter() - t0, 1)
    figures = {m: {**{d: scores(r) for d, r in by.items() if r}, "overall": scores(sum(by.values(), []))}
               for m, by in ranks.items()}
    margins = {}
    for part in figures["hybrid"]:
        best = max(("bm25s", "faiss"), key=lambda m: figures[m][part]["mrr"])
        margins[part] = {"best_baseline": best,
                         **{key: round(figures["hybrid"][part][key] - figures[best][part][key], 4)
                            for key in ("mrr", "recall_at_1", "recall_at_5", "recall_at_10")}}
    return {"chunks": len(flat), "meetings": len(transcripts), "keyword_engine": keyword_engine,
            "sentence_vectors": timing.pop("sentence_vectors"),
            "bm25s_stemmer": stemmer, "timing": timing,
            "methods": figures, "margins": margins,
            "hybrid_ahead_everywhere": all(m["mrr"] > 0 for m in margins.values())}


def report(res: dict) -> str:
    m = res["machine"]
    lines = [f"QMSum test split: {res['meetings']} meetings, {res['chunks']} chunks, {m['date']}, {m['cpu']} "
             f"x{m['cores']}; bm25s stemmer: {res['bm25s_stemmer']}; seconds {res['timing']}"]
    parts = list(res["methods"]["hybrid"])
    for part in parts:
        figs = {meth: res["methods"][meth][part] for meth in METHODS}
        rows = [[meth] + [f[f"recall_at_{k}"] for k in KS] + [f["mrr"]] for meth, f in figs.items()]
        n = res["methods"]["hybrid"][part]["queries"]
        lines += ["", f"{part} ({n} queries)", table(["method"] + [f"R@{k}" for k in KS] + ["MRR"], rows)]
        g = res["margins"][part]
        lines.append(f"hybrid - {g['best_baseline']}: MRR {g['mrr']:+.3f}, R@1 {g['recall_at_1']:+.3f}, "
                     f"R@5 {g['recall_at_5']:+.3f}, R@10 {g['recall_at_10']:+.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=SHARED_DATA / "qmsum")
    ap.add_argument("--meetings", type=int, default=None, help="Only the first N meetings of each domain.")
    ap.add_argument("--cache", type=Path, default=CACHE_DIR)
    ap.add_argument("--keyword-engine", choices=["tantivy", "fts5"], default="tantivy",
                    help="The keyword stage's engine: the tantivy cache (the product) or SQLite's FTS5.")
    ap.add_argument("--json", action="store_true")
    add_embedder_option(ap)
    args = ap.parse_args(argv)
    if not (args.data / "data").is_dir():
        print(f"QMSum data not found in {args.data}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    transcripts = load(args.data, args.meetings)
    emb = make_embedder(args.embedder, args.cache)
    with tempfile.TemporaryDirectory(prefix="minutes-qmsum-") as tmp:
        res = run(transcripts, emb, Path(tmp), args.keyword_engine)
    res["machine"] = machine()
    res["embedder"] = emb.name
    res["seconds"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(res) if args.json else report(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
