"""The keyword cache: a tantivy index of every chunk's text and header, beside the FAISS cache.

SQLite's FTS5 scores every chunk that matches any word of an OR query before it sorts; at a hundred
thousand chunks that is most of a question's time. tantivy (Lucene's design, in Rust) keeps the same BM25
but prunes with block-max WAND and reads memory-mapped segments, so a top-50 query costs about a
millisecond at that size (benchmarks/README.md). The store stays the source of truth: this folder is a
cache of one committed generation, rebuilt whole when it is missing, stale or damaged, written in a
temporary folder and renamed into place, so a reader never opens half of one.

No user text reaches tantivy's query parser: a question's words are run through the same analyzer as
the chunks and become term and phrase queries built in code. A reader's collections and the page's
filters are clauses of the same query, so the engine never returns a chunk the reader may not see.
"""
from __future__ import annotations

import functools
import json
import logging
import math
import os
import shutil
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import tantivy

from index.durable import alive, fsync_dir
from index.pause import pause_point

log = logging.getLogger(__name__)

KEYWORDS_NAME = "keywords"
FORWARD_NAME = "forward"            # each chunk's words in order, as ids: what FTS5's formula counts
# BM25's constants as FTS5 fixes them.
K1, B = 1.2, 0.75
ANALYZER = "minutes"
# A word longer than this is a run of digits or a URL, never what a question asks for.
LONGEST_WORD = 40
_BATCH_HEAP = 128_000_000


def analyzer() -> tantivy.TextAnalyzer:
    """Words as FTS5's porter unicode61 tokenizer reads them: split at non-letters, lower case, accents
    folded, English stems ("councillors" and "councillor" match)."""
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(LONGEST_WORD))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .filter(tantivy.Filter.stemmer("english"))
            .build())


def _schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_integer_field("id", indexed=True, fast=True)
    b.add_text_field("collection", tokenizer_name="raw", index_option="basic")
    # One field of header and text, as FTS5 reads a row: a word's document frequency is the documents
    # holding it in either, and a document's length is both together.
    b.add_text_field("body", tokenizer_name=ANALYZER, index_option="position")
    return b.build()


class KeywordIndex:
    """BM25 over chunk header and text: tantivy finds and orders the matches, and the head of its order
    is scored again with FTS5's own formula (``rescore``), so the ranking is the one the gold sets were
    tuned on while the cost stays that of a pruned top-k query."""

    def __init__(self, index: tantivy.Index, path: Path, stamp: tuple[int, str], forward: "Forward"):
        self.index = index
        self.path = path
        self.stamp = stamp
        self.schema = index.schema
        self.forward = forward
        self._analyzer = analyzer()
        self._searcher = index.searcher()
        self._phrases_of = functools.lru_cache(maxsize=64)(self._phrases_uncached)

    @property
    def size(self) -> int:
        return self._searcher.num_docs

    def words(self, text: str) -> list[str]:
        return self._analyzer.analyze(text)

    def _phrases(self, terms: Iterable[str]) -> list[tuple[tuple[str, ...], tantivy.Query, float]]:
        # A question's search and the rescoring of its head ask for the same terms' statistics.
        return self._phrases_of(tuple(terms))

    def _phrases_uncached(self, terms: tuple[str, ...]) -> list[tuple[tuple[str, ...], tantivy.Query, float]]:
        """Each distinct term as (its words, its query, FTS5's IDF), terms no document holds left out."""
        out = []
        n = max(self.size, 1)
        for words in dict.fromkeys(tuple(self.words(t)) for t in terms):
            if not words:
                continue
            if len(words) == 1:
                query = tantivy.Query.term_query(self.schema, "body", words[0])
                df = self._searcher.doc_freq("body", words[0])
            else:
                query = tantivy.Query.phrase_query(self.schema, "body", list(words))
                df = self._searcher.search(query, 1, count=True).count
            if df:
                out.append((words, query, _fts5_idf(n, df)))
        return out

    def search(self, terms: Iterable[str], limit: int, allowed: list[int] | None = None,
               collections: Iterable[str] | None = None) -> list[tuple[int, float]]:
        """(chunk id, score, higher is better) of the chunks matching any of ``terms`` (a term of more
        than one word is a phrase), only among ``allowed`` chunks and ``collections`` when given."""
        if limit <= 0 or (allowed is not None and not allowed):
            return []
        n = max(self.size, 1)
        should = []
        for words, query, idf in self._phrases(terms):
            # tantivy weighs a phrase by the sum of its words' Lucene IDFs, which stay positive for a
            # word in most documents; FTS5 by the phrase's own IDF, almost nothing for such a word.
            theirs = sum(_lucene_idf(n, self._searcher.doc_freq("body", w)) for w in words)
            should.append((tantivy.Occur.Should, tantivy.Query.boost_query(query, idf / theirs)))
        if not should:
            return []
        query = tantivy.Query.boolean_query(should)
        must = []
        if collections is not None:
            names = sorted(set(collections))
            if not names:
                return []
            must.append(tantivy.Query.term_set_query(self.schema, "collection", names))
        if allowed is not None:
            must.append(tantivy.Query.term_set_query(self.schema, "id", [int(c) for c in allowed]))
        if must:
            # The filters only admit; the score is the words' alone.
            query = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, query)] + [(tantivy.Occur.Must, tantivy.Query.const_score_query(m, 0.0))
                                                  for m in must])
        hits = self._searcher.search(query, limit, count=False).hits
        if not hits:
            return []
        ids = self._searcher.fast_field_values("id", [address for _, address in hits])
        return [(int(c), float(score)) for c, (score, _) in zip(ids, hits)]

    def rescore(self, terms: Iterable[str], chunk_ids: list[int],
                weights: tuple[float, float] = (1.0, 0.4)) -> list[tuple[int, float]]:
        """FTS5's ``bm25(chunks_fts, text weight, header weight)`` of ``chunk_ids``, negated so that higher
        is better, best first: a phrase's count in each column weighted and summed, then saturated once
        against the row's whole length. Counted in the forward file, so no text is read or analysed."""
        fw = self.forward
        want = np.asarray(list(chunk_ids), dtype=np.int64)
        rows = np.searchsorted(fw.ids, want)
        inside = rows < len(fw.ids)
        rows, want = rows[inside], want[inside]
        rows = rows[fw.ids[rows] == want]
        phrases = [(words, idf) for words, _, idf in self._phrases(terms)]
        if not len(rows) or not phrases:
            return []
        starts, ends, heads = fw.offsets[rows], fw.offsets[rows + 1], fw.header[rows]
        lengths = ends - starts
        doc = np.repeat(np.arange(len(rows)), lengths)
        pos = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        tokens = fw.tokens[np.repeat(starts, lengths) + pos]
        in_header = pos < np.repeat(heads, lengths)
        norm = K1 * (1 - B + B * lengths / fw.average_length)
        score = np.zeros(len(rows))
        for words, idf in phrases:
            ids = [fw.vocabulary.get(w) for w in words]
            if any(i is None for i in ids):
                continue
            k = len(ids)
            hit = tokens[:len(tokens) - k + 1] == ids[0] if len(tokens) >= k else np.zeros(0, bool)
            for j in range(1, k):
                hit &= (tokens[j:len(tokens) - k + 1 + j] == ids[j]) & (doc[j:len(doc) - k + 1 + j] == doc[:len(doc) - k + 1]) \
                    & (in_header[j:len(in_header) - k + 1 + j] == in_header[:len(in_header) - k + 1])
            where = np.flatnonzero(hit)
            f = (weights[0] * np.bincount(doc[where][~in_header[where]], minlength=len(rows))
                 + weights[1] * np.bincount(doc[where][in_header[where]], minlength=len(rows)))
            score += idf * f * (K1 + 1) / (f + norm)
        found = np.flatnonzero(score > 0)
        order = found[np.argsort(-score[found], kind="stable")]
        return [(int(fw.ids[rows[i]]), float(score[i])) for i in order]


class Forward:
    """Every chunk's header and text as word ids, header first, memory-mapped: ``ids`` (ascending chunk
    ids), ``offsets`` (each chunk's first token, one more than chunks), ``header`` (its header's token
    count), ``tokens``, and the ``vocabulary`` of word to id."""

    def __init__(self, ids, offsets, header, tokens, vocabulary: dict[str, int]):
        self.ids, self.offsets, self.header, self.tokens = ids, offsets, header, tokens
        self.vocabulary = vocabulary
        self.average_length = max(float(offsets[-1]) / max(len(ids), 1), 1.0) if len(offsets) else 1.0

    @classmethod
    def open(cls, base: Path) -> "Forward":
        meta = json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))
        n, total = int(meta["documents"]), int(meta["tokens"])

        def arr(suffix: str, dtype: str, count: int) -> np.ndarray:
            path = base.with_suffix(suffix)
            if path.stat().st_size != count * np.dtype(dtype).itemsize:
                raise ValueError(f"{path.name} is not {count} values long")
            return np.memmap(path, dtype=dtype, mode="r", shape=(count,)) if count else np.zeros(0, dtype)

        offsets = np.asarray(arr(".offsets", "<i8", n + 1))
        if n + 1 and (offsets[0] != 0 or offsets[-1] != total):
            raise ValueError("the forward file's offsets do not add up")
        return cls(np.asarray(arr(".ids", "<i8", n)), offsets, np.asarray(arr(".header", "<i4", n)),
                   arr(".tokens", "<i4", total), {w: i for i, w in enumerate(meta["vocabulary"])})


class _ForwardWriter:
    def __init__(self, base: Path):
        self.base = base
        self.analyzer = analyzer()
        self.vocabulary: dict[str, int] = {}
        self.ids: list[int] = []
        self.offsets: list[int] = [0]
        self.header: list[int] = []
        self._tokens = open(base.with_suffix(".tokens"), "wb")
        self._headers: dict[str, list[int]] = {}

    def _ids(self, text: str) -> list[int]:
        v = self.vocabulary
        return [v.setdefault(w, len(v)) for w in self.analyzer.analyze(text)]

    def add(self, cid: int, header: str, text: str) -> None:
        head = self._headers.get(header)
        if head is None:
            if len(self._headers) > 10_000:
                self._headers.clear()           # a chunk's header is most often its neighbour's
            head = self._headers[header] = self._ids(header)
        body = head + self._ids(text)
        self._tokens.write(np.asarray(body, dtype="<i4").tobytes())
        self.ids.append(cid)
        self.header.append(len(head))
        self.offsets.append(self.offsets[-1] + len(body))

    def close(self) -> None:
        self._tokens.close()
        for suffix, values, dtype in ((".ids", self.ids, "<i8"), (".offsets", self.offsets, "<i8"),
                                      (".header", self.header, "<i4")):
            self.base.with_suffix(suffix).write_bytes(np.asarray(values, dtype=dtype).tobytes())
        vocabulary = list(self.vocabulary)          # in id order: ids were given as words came
        self.base.with_suffix(".json").write_text(json.dumps(
            {"documents": len(self.ids), "tokens": self.offsets[-1], "vocabulary": vocabulary}), encoding="utf-8")


def _lucene_idf(n: int, df: int) -> float:
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def _fts5_idf(n: int, df: int) -> float:
    idf = math.log((n - df + 0.5) / (df + 0.5))
    return idf if idf > 0 else 1e-6


def folder_of(index_folder: Path) -> Path:
    return Path(index_folder) / KEYWORDS_NAME


def _name(stamp: tuple[int, str]) -> str:
    token = "".join(ch for ch in stamp[1] if ch.isalnum())[:32]
    return f"g{stamp[0]}-{token or 'none'}"


def load(index_folder: Path, stamp: tuple[int, str]) -> KeywordIndex | None:
    """The cache of this generation, or None when it is missing or cannot be opened."""
    path = folder_of(index_folder) / _name(stamp)
    if not (path / "meta.json").is_file():
        return None
    try:
        forward = Forward.open(path / FORWARD_NAME)
        index = tantivy.Index.open(str(path))
        index.register_tokenizer(ANALYZER, analyzer())
        if index.searcher().num_docs != len(forward.ids):
            raise ValueError("the forward file and the index disagree")
        return KeywordIndex(index, path, stamp, forward)
    except (ValueError, OSError, RuntimeError, KeyError, TypeError, IndexError) as exc:
        log.warning("keyword cache %s cannot be opened (%s): building it again", path, exc)
        return None


def build(index_folder: Path, rows: Iterator[tuple[int, str, str, str]], stamp: tuple[int, str],
          write: bool = True) -> KeywordIndex:
    """Index (chunk id, text, header, collection) rows as generation ``stamp``.

    Written in a temporary folder and renamed into place; a folder another process renamed there first
    is as good as ours. ``write=False`` (a read-only index folder) keeps the cache in a temporary folder.
    """
    home = folder_of(index_folder)
    tmp = home / f".{_name(stamp)}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        if not write:
            raise PermissionError("not to be written")
        home.mkdir(exist_ok=True)
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
    except OSError:
        import tempfile
        tmp = Path(tempfile.mkdtemp(prefix="minutes-keywords-"))
        write = False
    try:
        index = tantivy.Index(_schema(), path=str(tmp))
        index.register_tokenizer(ANALYZER, analyzer())
        writer = index.writer(heap_size=_BATCH_HEAP, num_threads=1)
        forward = _ForwardWriter(tmp / FORWARD_NAME)
        for cid, text, header, collection in rows:
            forward.add(int(cid), header or "", text or "")
            writer.add_document(tantivy.Document(id=int(cid), body=f"{header or ''}\n{text or ''}",
                                                 collection=collection or ""))
        writer.commit()
        writer.wait_merging_threads()
        forward.close()
        _fsync_tree(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if not write:
        index.reload()
        return KeywordIndex(index, tmp, stamp, Forward.open(tmp / FORWARD_NAME))
    final = home / _name(stamp)
    pause_point("keywords", Path(index_folder))
    try:
        os.rename(tmp, final)
    except OSError:                      # built meanwhile by another process: theirs is the same state
        shutil.rmtree(tmp, ignore_errors=True)
    fsync_dir(home)
    opened = load(index_folder, stamp)
    if opened is None:
        raise OSError(f"the keyword cache {final} could not be opened after it was written")
    return opened


def load_or_build(store, write: bool = True) -> KeywordIndex:
    """The cache matching the store's committed state: the one on disk when current, else built now."""
    stamp = store.generation_stamp()
    cached = load(store.folder, stamp)
    if cached is not None:
        return cached
    if store.conn.in_transaction:
        return build(store.folder, store.keyword_rows(), stamp, write)
    with store.snapshot():
        stamp = store.generation_stamp()
        return load(store.folder, stamp) or build(store.folder, store.keyword_rows(), stamp, write)


def remove_others(index_folder: Path, keep: tuple[int, str]) -> None:
    """Delete every other generation's cache and any temporary folder whose process has died. A process
    still searching an older generation keeps reading its open files."""
    home = folder_of(index_folder)
    if not home.is_dir():
        return
    for path in home.iterdir():
        if path.name == _name(keep):
            continue
        if path.name.startswith("."):
            try:
                pid = int(path.name.rsplit(".", 3)[-3])
            except (IndexError, ValueError):
                continue
            if alive(pid):
                continue
        shutil.rmtree(path, ignore_errors=True)


def _fsync_tree(folder: Path) -> None:
    for path in folder.iterdir():
        if path.is_file():
            with open(path, "rb") as f:
                os.fsync(f.fileno())
    fsync_dir(folder)
