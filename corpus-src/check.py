"""Checks the built corpus and the gold questions, and writes the gold JSONL from gold.yaml.

Run from the project root:

    .venv/bin/python corpus-src/check.py           # check only
    .venv/bin/python corpus-src/check.py --write   # check, then write benchmarks/gold/sample.jsonl

Extraction here is deliberately plain (pypdf page text, python-docx paragraphs
and tables, HTML without style and script, raw text and Markdown): a gold string
that only these readers can find is one the product's readers can find too.
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOLD_SRC = Path(__file__).resolve().parent / "gold.yaml"
GOLD_OUT = ROOT / "benchmarks" / "gold" / "sample.jsonl"

# A passage of about 150 words; every expected string of a question must fit in one.
MAX_SPAN_CHARS = 800
MIN_WORDS, MAX_WORDS = 600, 1500

STOPWORDS = set("""
a about after again all also an and any are as at be been before being by can could did do does
for from had has have he her his how i in into is it its many much of on or our over said she so
than that the their them then there these they this those to was we were what when where which
who whom why will with would you your per more most first last new now still each other
""".split())


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def light_clean(text: str) -> str:
    """Undoes the debris the sample files carry, the way any cleaner would."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
    text = re.sub(r"\b(\d{1,2}) (st|nd|rd|th)\b", r"\1\2", text)
    return text.replace("\u2022", " ")


def extract_pages(path: Path) -> list[str]:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        import pypdf

        return [page.extract_text() or "" for page in pypdf.PdfReader(path).pages]
    if suffix == ".docx":
        import docx

        document = docx.Document(path)
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            parts += ["\t".join(cell.text for cell in row.cells) for row in table.rows]
        return ["\n".join(parts)]
    if suffix in {".html", ".htm"}:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag in soup(["style", "script", "head"]):
            tag.decompose()
        return [soup.get_text("\n")]
    return [path.read_text(encoding="utf-8")]


def load_corpus() -> dict[str, list[str]]:
    return {p.name: [normalise(light_clean(t)) for t in extract_pages(p)] for p in sorted(CORPUS.iterdir())
            if p.is_file() and not p.name.startswith(".")}


def best_span(text: str, needles: list[str]) -> tuple[int, int] | None:
    """Shortest (start, end) window of text holding every needle, or None."""
    positions = {n: [m.start() for m in re.finditer(re.escape(n), text)] for n in needles}
    if any(not v for v in positions.values()):
        return None
    best = None
    for anchor in needles:
        for start in positions[anchor]:
            lo, hi = start, start + len(anchor)
            for other in needles:
                nearest = min(positions[other], key=lambda p: abs(p - start))
                lo, hi = min(lo, nearest), max(hi, nearest + len(other))
            if best is None or hi - lo < best[1] - best[0]:
                best = (lo, hi)
    return best


def doc_frequency(corpus: dict[str, list[str]]) -> Counter:
    df: Counter = Counter()
    for pages in corpus.values():
        df.update(set(re.findall(r"[a-z][a-z'-]+", " ".join(pages))))
    return df


def check_corpus(corpus: dict[str, list[str]]) -> list[str]:
    problems = []
    for name, pages in corpus.items():
        words = len(" ".join(pages).split())
        if not MIN_WORDS <= words <= MAX_WORDS:
            problems.append(f"{name}: {words} words, outside {MIN_WORDS}-{MAX_WORDS}")
        text = " ".join(pages)
        for leak in ("bannertext", "datalayer", "font-family", "{th}", "{-}"):
            if leak in text:
                problems.append(f"{name}: extracted text holds {leak!r}")
    return problems


def check_gold(gold: list[dict], corpus: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    problems, notes = [], []
    df = doc_frequency(corpus)
    seen_q = set()
    for i, entry in enumerate(gold, 1):
        q, doc, expect = entry["q"], entry["doc"], [normalise(e) for e in entry["expect"]]
        label = f"#{i} {q!r}"
        if q in seen_q:
            problems.append(f"{label}: duplicate question")
        seen_q.add(q)
        if doc not in corpus:
            problems.append(f"{label}: no document {doc}")
            continue
        if not expect or any(not 1 <= len(e.split()) <= 6 for e in expect):
            problems.append(f"{label}: expect strings must be 1-6 words")
        pages = corpus[doc]
        spans = [(n, best_span(page, expect)) for n, page in enumerate(pages, 1)]
        spans = [(n, s) for n, s in spans if s]
        if not spans:
            whole = best_span(" ".join(pages), expect)
            missing = [e for e in expect if e not in " ".join(pages)]
            problems.append(f"{label}: {'missing ' + str(missing) if missing else 'split across pages'} in {doc}")
            continue
        page_no, (lo, hi) = min(spans, key=lambda s: s[1][1] - s[1][0])
        if hi - lo > MAX_SPAN_CHARS:
            problems.append(f"{label}: expected strings {hi - lo} chars apart in {doc}")
        others = [name for name, other in corpus.items()
                  if name != doc and best_span(" ".join(other), expect) is not None]
        if others and "latest" not in entry["kinds"]:
            notes.append(f"{label}: expect strings also found in {others}")
        if "paraphrase" in entry["kinds"]:
            window = pages[page_no - 1][max(0, lo - 250):hi + 250]
            words = set(re.findall(r"[a-z][a-z'-]+", q.lower())) - STOPWORDS
            shared = sorted(w for w in words if w in window.split() and df[w] <= len(corpus) // 2)
            if shared:
                notes.append(f"{label}: paraphrase shares rarer words {shared}")
    return problems, notes


def main(argv: list[str]) -> int:
    corpus = load_corpus()
    gold = yaml.safe_load(GOLD_SRC.read_text(encoding="utf-8"))
    problems = check_corpus(corpus)
    gold_problems, notes = check_gold(gold, corpus)
    problems += gold_problems
    for note in notes:
        print("note:", note)
    for problem in problems:
        print("PROBLEM:", problem)
    kinds = Counter(k for entry in gold for k in entry["kinds"])
    print(f"{len(corpus)} documents, {len(gold)} questions; by kind: {dict(sorted(kinds.items()))}")
    if problems:
        return 1
    if "--write" in argv:
        GOLD_OUT.parent.mkdir(parents=True, exist_ok=True)
        with GOLD_OUT.open("w", encoding="utf-8") as out:
            for entry in gold:
                out.write(json.dumps({"q": entry["q"], "doc": entry["doc"], "expect": entry["expect"],
                                      "kinds": list(entry["kinds"])}, ensure_ascii=False) + "\n")
        print(f"wrote {GOLD_OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
