"""The frozen test split of the gold questions: whole documents held out by a seeded draw.

Usage: python benchmarks/split.py [--write] [--check]

A third of each set's documents (rounded up) is drawn with SEED and held out: every gold question
whose answer lies in one of them is a test question, never looked at while ranking is tuned. The
draw and the sha256 of each gold file at freeze time are kept in benchmarks/gold/split.json;
`--check` fails when a gold file changed after the freeze (a test figure from a rewritten question
is not a figure).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPLIT = ROOT / "benchmarks" / "gold" / "split.json"
SEED = 20261201
SETS = {
    "sample": [ROOT / "corpus"],
    "real": [ROOT.parent / "shared" / "data" / "opcc", ROOT.parent / "shared" / "data" / "council-minutes"],
}
SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".md", ".txt"}


def documents(folders: list[Path]) -> list[str]:
    return sorted(p.name for f in folders for p in f.iterdir() if p.suffix.lower() in SUFFIXES)


def draw(names: list[str], seed: int = SEED) -> list[str]:
    rng = random.Random(seed)
    shuffled = list(names)
    rng.shuffle(shuffled)
    return sorted(shuffled[: -(-len(names) // 3)])


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help="draw the split and record the gold files' hashes")
    ap.add_argument("--check", action="store_true", help="fail if a gold file changed since the freeze")
    args = ap.parse_args()
    if args.write:
        out = {"seed": SEED, "rule": "ceil(n/3) documents of each set, random.Random(seed).shuffle of the sorted names",
               "sets": {}}
        for name, folders in SETS.items():
            docs = documents(folders)
            out["sets"][name] = {"documents": docs, "test": draw(docs)}
        SPLIT.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    split = json.loads(SPLIT.read_text(encoding="utf-8"))
    if args.check:
        bad = [f for f, h in split.get("gold_sha256", {}).items() if sha256(ROOT / f) != h]
        if bad:
            print(f"changed since the split was frozen: {', '.join(bad)}", file=sys.stderr)
            return 1
    for name, s in split["sets"].items():
        print(f"{name}: {len(s['test'])} of {len(s['documents'])} documents held out: {', '.join(s['test'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
