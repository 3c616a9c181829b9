"""Minutes in forms the bundled and real files do not use, asked end to end in one index.

Usage: python benchmarks/forms_eval.py [--json] [--gold benchmarks/gold/forms.jsonl] [--folder tests/forms]

tests/forms/ holds minutes of forty-two bodies (a Scottish community council, an Australian shire, a
Canadian town, an NHS trust board, US school and city boards, Welsh, Northern Irish and English councils,
police and crime panels, a university's governors, a housing association, a works council ...), written
with their questions (benchmarks/gold/forms.jsonl) by someone who had not read this code. The readers of
`ingest/` were grown on them, so they are a development set: a round of new minutes, asked once before any
change for it (`--gold` and `--folder`), says how the product does on minutes it has never seen.

Beside the product, the same index asked with the structure off (every answer quoted from the passages,
as a general retrieval stack would): what reading minutes as minutes buys. Answer-hit is the share of
questions whose quote holds every expected string, from the expected file; top passage the share whose
first passage does. By kind of question, as the question's writer labelled it.
"""
from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]  # benchmarks/ingest.py shadows `ingest`
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import json  # noqa: E402
import tempfile  # noqa: E402

from benchmarks._common import CACHE_DIR, ROOT, add_embedder_option, log, machine, make_embedder, table  # noqa: E402

BUSINESS = {"motion", "vote", "attendance", "interest", "next-meeting", "closing", "action", "chair"}


def score(searcher, golds, settings) -> dict:
    from index.eval import holds

    rows = []
    for g in golds:
        r = searcher.ask(g.q, settings=settings)
        a = r.answer
        answered = a is not None and Path(a.document).name == g.doc and holds(a.text, g.expect)
        first = bool(r.passages) and Path(r.passages[0].document).name == g.doc and holds(r.passages[0].text,
                                                                                          g.expect)
        rows.append({"q": g.q, "kinds": g.kinds, "answer": answered, "first": first,
                     "quoted": a.text if a else None, "from": Path(a.document).name if a else None,
                     "fact": a.fact if a else None})
    return {"rows": rows, **_figures(rows)}


def _figures(rows: list[dict]) -> dict:
    def share(rs, key):
        return sum(r[key] for r in rs) / len(rs) if rs else 0.0

    business = [r for r in rows if BUSINESS & set(r["kinds"])]
    content = [r for r in rows if not BUSINESS & set(r["kinds"])]
    return {"n": len(rows), "answer_hit": share(rows, "answer"), "first_passage": share(rows, "first"),
            "business_n": len(business), "business_answer": share(business, "answer"),
            "content_n": len(content), "content_answer": share(content, "answer")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, default=ROOT / "benchmarks" / "gold" / "forms.jsonl")
    ap.add_argument("--folder", type=Path, default=ROOT / "tests" / "forms")
    ap.add_argument("--json", action="store_true", help="print the figures and every question's result as JSON")
    ap.add_argument("--limit", type=int, default=None, help="the first N questions only")
    ap.add_argument("--cache", type=Path, default=CACHE_DIR, help="folder of the embedding cache")
    add_embedder_option(ap)
    args = ap.parse_args()

    from index.eval import load_gold
    from index.search import DEFAULT, Searcher
    from index.sync import Ingester

    golds = load_gold(args.gold)[:args.limit]
    emb = make_embedder(args.embedder, args.cache)
    with tempfile.TemporaryDirectory() as tmp:
        log(f"indexing {args.folder}")
        report = Ingester(Path(tmp) / "index", embedder=emb, progress=False).run([args.folder])
        if report.failed:
            raise SystemExit(f"could not read {report.failed}")
        s = Searcher(Path(tmp) / "index", embedder=emb)
        try:
            product = score(s, golds, DEFAULT)
            passages = score(s, golds, DEFAULT.with_(structure=False))
        finally:
            s.store.close()
    if args.json:
        print(json.dumps({"gold": str(args.gold.relative_to(ROOT)) if args.gold.is_relative_to(ROOT) else str(args.gold),
                          "machine": machine(), "product": product, "structure_off": passages}, indent=1,
                         ensure_ascii=False))
        return
    print(f"{args.gold.name}: {len(golds)} questions over {args.folder.name}/ (one index)\n")
    rows = [[name, r["answer_hit"], r["first_passage"], r["business_answer"], r["content_answer"]]
            for name, r in (("product", product), ("structure off", passages))]
    print(table(["", "answer", "first passage", f"business ({product['business_n']})",
                 f"content ({product['content_n']})"], rows))


if __name__ == "__main__":
    main()
