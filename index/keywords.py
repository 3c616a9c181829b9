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

import logging
import math
import os
import shutil
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import tantivy

from index.pause import pause_point

log = logging.getLogger(__name__)

KEYWORDS_NAME = "keywords"
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
    b.add_text_field("text", tokenizer_name=ANALYZER, index_option="position")
    b.add_text_field("header", tokenizer_name=ANALYZER, index_option="position")
    return b.build()


class KeywordIndex:
    """BM25 over chunk text and header, weighted as the FTS5 query weights its two columns."""

    def __init__(self, index: tantivy.Index, path: Path, stamp: tuple[int, str]):
        self.index = index
        self.path = path
        self.stamp = stamp
        self.schema = index.schema
        self._analyzer = analyzer()
        self._searcher = index.searcher()

    @property
    def size(self) -> int:
        return self._searcher.num_docs

    def words(self, text: str) -> list[str]:
        return self._analyzer.analyze(text)

    def search(self, terms: Iterable[str], limit: int, allowed: list[int] | None = None,
               collections: Iterable[str] | None = None, weights: tuple[float, float] = (1.0, 0.4)
               ) -> list[tuple[int, float]]:
        """(chunk id, BM25 score, higher is better) of the chunks matching any of ``terms`` (a term of more
        than one word is a phrase), only among ``allowed`` chunks and ``collections`` when given."""
        if limit <= 0 or (allowed is not None and not allowed):
            return []
        should = []
        n = max(self.size, 1)
        for words in dict.fromkeys(tuple(self.words(t)) for t in terms):
            if not words:
                continue
            queries = {field: (tantivy.Query.term_query(self.schema, field, words[0]) if len(words) == 1
                               else tantivy.Query.phrase_query(self.schema, field, list(words)))
                       for field, weight in zip(("text", "header"), weights) if weight > 0}
            # FTS5 weighs a phrase by the documents holding it in any column, and a word in more than
            # half the documents by almost nothing; tantivy sums its words' Lucene IDFs, which stay
            # positive. Scaling each clause to FTS5's IDF keeps the ranking the gold sets were tuned on.
            if len(words) == 1:
                df = max(self._searcher.doc_freq(f, words[0]) for f in queries)
                theirs = _lucene_idf(n, df)
            else:
                df = self._searcher.search(tantivy.Query.boolean_query(
                    [(tantivy.Occur.Should, q) for q in queries.values()]), 1, count=True).count
                theirs = sum(_lucene_idf(n, self._searcher.doc_freq("text", w)) for w in words)
            scale = _fts5_idf(n, df) / theirs if theirs > 0 else 0.0
            if df == 0 or scale <= 0:
                continue
            for field, weight in zip(("text", "header"), weights):
                if field in queries:
                    should.append((tantivy.Occur.Should, tantivy.Query.boost_query(queries[field], float(weight) * scale)))
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
        index = tantivy.Index.open(str(path))
        index.register_tokenizer(ANALYZER, analyzer())
        return KeywordIndex(index, path, stamp)
    except (ValueError, OSError, RuntimeError) as exc:
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
        for cid, text, header, collection in rows:
            writer.add_document(tantivy.Document(id=int(cid), text=text or "", header=header or "",
                                                 collection=collection or ""))
        writer.commit()
        writer.wait_merging_threads()
        _fsync_tree(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if not write:
        index.reload()
        return KeywordIndex(index, tmp, stamp)
    final = home / _name(stamp)
    pause_point("keywords", Path(index_folder))
    try:
        os.rename(tmp, final)
    except OSError:                      # built meanwhile by another process: theirs is the same state
        shutil.rmtree(tmp, ignore_errors=True)
    _fsync_dir(home)
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
            if _alive(pid):
                continue
        shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _fsync_tree(folder: Path) -> None:
    for path in folder.iterdir():
        if path.is_file():
            with open(path, "rb") as f:
                os.fsync(f.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
