"""The chunks in one Milvus collection: text with an analyzer, its BM25 sparse field, the dense field, and the
scalar fields filters and citations read; the hybrid query run inside the engine.

Every filter, the reader's collections above all, is the ``expr`` of each AnnSearchRequest: pymilvus 3.0.2
drops a ``filter=`` given to ``hybrid_search`` itself without a word, so nothing may rely on it.
"""
from __future__ import annotations

import logging
import os
import threading

import numpy as np

from dataclasses import replace

from index.backends.expr import Where, string, strings
from index.errors import StoreError

# Version 2: rows keyed by office and chunk id, so that offices can share one collection.
COLLECTION = "minutes_chunks_v2"
USER_ENV, TOKEN_ENV = "MINUTES_MILVUS_USER", "MINUTES_MILVUS_TOKEN"
# VARCHAR lengths are bytes. A chunk is at most 256 word pieces and its header a line, far below TEXT_BYTES.
TEXT_BYTES, NAME_BYTES, SHORT_BYTES = 65535, 4096, 1024
# HNSW as Milvus's own examples set it for sentence vectors of a few hundred dimensions.
HNSW = {"M": 16, "efConstruction": 200}
SEARCH_EF = 128
# The analyzer FTS5's porter tokenizer approximates: words, lower case, English stems.
ANALYZER = {"tokenizer": "standard", "filter": ["lowercase", {"type": "stemmer", "language": "english"}]}
FILTERED = ("office", "collection", "document", "series", "date", "meeting_id")
# Primary keys are "<office>/<chunk id>": each office's ledger numbers its chunks from 1, and two offices
# writing one collection must not overwrite each other's rows.
ID_BYTES = SHORT_BYTES + 24

_clients: dict[str, object] = {}
# Collections loaded through each client: a reopened milvus-lite file, or a client made anew, holds them released.
_loaded: set[tuple[str, str]] = set()
_clients_lock = threading.Lock()


class EngineUnavailable(StoreError):
    "The Milvus store cannot be reached or opened"


def _client(uri: str):
    # milvus-lite serves one file from one embedded server a process: every user of a file shares a client.
    with _clients_lock:
        if uri not in _clients:
            from pymilvus import MilvusClient
            from pymilvus.exceptions import MilvusException

            if uri.endswith(".db"):
                _quiet_lite()
            kwargs = {}
            if os.environ.get(USER_ENV):
                kwargs["user"] = os.environ[USER_ENV]
            if os.environ.get(TOKEN_ENV):
                kwargs["token"] = os.environ[TOKEN_ENV]
            try:
                _clients[uri] = MilvusClient(uri=uri, **kwargs)
            except (MilvusException, OSError, RuntimeError) as exc:
                hint = (": milvus-lite lets one process open a file at a time; for the page and the nightly job "
                        "together run `milvus-lite server --data-dir FILE.db` and use milvus://HOST:PORT"
                        if uri.endswith(".db") else "")
                raise EngineUnavailable(f"cannot open the Milvus store {uri} ({exc}){hint}") from None
        return _clients[uri]


def _quiet_lite() -> None:
    # milvus-lite's in-process server lacks AllocTimestamp: the query iterator asks for it, logs a traceback and
    # a warning, and reads at the client's time instead, which is what one process needs. Real errors still
    # reach the caller as exceptions.
    logging.getLogger("grpc._server").setLevel(logging.CRITICAL)
    logging.getLogger("pymilvus.client.iterator.query_iterator").setLevel(logging.ERROR)


def release(uri: str) -> None:
    """Close a client, and for a milvus-lite file stop its embedded server, which holds the file's lock
    until then (closing the client alone keeps it)."""
    with _clients_lock:
        client = _clients.pop(uri, None)
        _loaded.difference_update({k for k in _loaded if k[0] == uri})
    if client is not None:
        client.close()
    if uri.endswith(".db"):
        from milvus_lite.server_manager import server_manager_instance

        server_manager_instance.release_server(uri)


def _cut(value: str | None, limit: int) -> str:
    data = (value or "").encode("utf-8")
    return value or "" if len(data) <= limit else data[:limit].decode("utf-8", "ignore")


def office_name(value: str | None = None) -> str:
    """The office a ledger writes as: $MINUTES_OFFICE, else "default". Safe in a filter literal and a key."""
    from index.config import OFFICE

    office = (value or os.environ.get(OFFICE.envvar) or "default").strip()
    if not office or len(office.encode("utf-8")) > SHORT_BYTES:
        raise StoreError(f"{office!r} is not an office name: 1 to {SHORT_BYTES} bytes")
    string(office)       # refuses control characters with a clear message
    return office


class MilvusEngine:
    name = "milvus"

    def __init__(self, uri: str, collection: str = COLLECTION, office: str | None = None):
        self.uri = uri
        self.collection = collection
        self.office = office_name(office)
        self._prefix = self.office + "/"

    @property
    def address(self) -> str:
        """Where this ledger's chunks live: the server or file, the collection and the office's rows in it."""
        return f"{self.uri}#{self.collection}/{self.office}"

    # -- keys: the ledger's chunk ids, the engine's "<office>/<id>" -------------
    def _key(self, chunk_id: int) -> str:
        return f"{self._prefix}{int(chunk_id)}"

    @staticmethod
    def _chunk_id(key: str) -> int:
        return int(str(key).rsplit("/", 1)[1])

    def _expr(self, where: Where) -> str:
        """The reader's filter with this office's rows only, its chunk ids written as the engine's keys."""
        terms = [f"office == {string(self.office)}"]
        rest = replace(where, ids=None).expr()
        if rest:
            terms.append(rest)
        if where.ids is not None:
            terms.append(f"id in {strings(self._key(c) for c in where.ids)}")
        return " and ".join(terms)

    # -- the collection -----------------------------------------------------
    @property
    def client(self):
        return _client(self.uri)

    def close(self) -> None:
        release(self.uri)

    def exists(self) -> bool:
        return self.client.has_collection(self.collection)

    def _ready(self) -> bool:
        """Whether the collection exists, loaded for search (a reopened file holds it released)."""
        key = (self.uri, self.collection)
        if key in _loaded:
            return True
        if not self.exists():
            return False
        self.client.load_collection(self.collection)
        _loaded.add(key)
        return True

    def create(self, dim: int) -> None:
        from pymilvus import DataType, Function, FunctionType

        if self.exists():
            self._ready()
            return
        c = self.client
        s = c.create_schema(auto_id=False, enable_dynamic_field=False)
        s.add_field("id", DataType.VARCHAR, max_length=ID_BYTES, is_primary=True)   # "<office>/<chunk id>"
        s.add_field("office", DataType.VARCHAR, max_length=SHORT_BYTES)
        s.add_field("text", DataType.VARCHAR, max_length=TEXT_BYTES, enable_analyzer=True, analyzer_params=ANALYZER)
        s.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        s.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
        s.add_field("document", DataType.VARCHAR, max_length=NAME_BYTES)
        s.add_field("collection", DataType.VARCHAR, max_length=SHORT_BYTES)
        s.add_field("series", DataType.VARCHAR, max_length=SHORT_BYTES)
        s.add_field("date", DataType.INT64)                              # YYYYMMDD, 0 when unknown
        s.add_field("meeting_id", DataType.INT64)
        s.add_field("item", DataType.VARCHAR, max_length=SHORT_BYTES)
        s.add_field("page", DataType.INT64)                              # -1 when unknown
        s.add_field("start", DataType.INT64)
        s.add_field("end", DataType.INT64)
        s.add_field("stamp", DataType.INT64)                             # what reconcile compares with the ledger
        s.add_function(Function(name="text_bm25", function_type=FunctionType.BM25,
                                input_field_names=["text"], output_field_names=["sparse"]))
        ip = c.prepare_index_params()
        ip.add_index("vector", index_type="HNSW", metric_type="COSINE", params=HNSW)
        ip.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
        for name in FILTERED:
            ip.add_index(name, index_type="INVERTED")
        c.create_collection(self.collection, schema=s, index_params=ip)
        self._ready()

    # -- writing ------------------------------------------------------------
    def upsert(self, rows: list[dict]) -> None:
        """Rows keyed by the ledger's chunk ids, written as this office's."""
        if not rows:
            return
        self.create(len(rows[0]["vector"]))
        rows = [{**r, "id": self._key(r["id"]), "office": self.office} for r in rows]
        for n in range(0, len(rows), 1000):
            self.client.upsert(self.collection, rows[n:n + 1000])

    def delete_ids(self, ids: list[int]) -> None:
        if ids and self._ready():
            for n in range(0, len(ids), 5000):
                self.client.delete(self.collection, filter=self._expr(Where(ids=tuple(ids[n:n + 5000]))))

    def delete_documents(self, paths: list[str]) -> None:
        if paths and self._ready():
            self.client.delete(self.collection, filter=self._expr(Where(documents=tuple(paths))))

    def delete_stale(self, path: str, keep: list[int]) -> None:
        """A document's chunks other than ``keep``: what an update left of its old version."""
        if self._ready():
            expr = self._expr(Where(documents=(path,)))
            if keep:
                expr += f" and not (id in {strings(self._key(c) for c in keep)})"
            self.client.delete(self.collection, filter=expr)

    def flush(self) -> None:
        if self._ready():
            self.client.flush(self.collection)

    # -- reading ------------------------------------------------------------
    def count(self) -> int:
        if not self._ready():
            return 0
        # Strong: a server's default (bounded staleness) may not count the rows a run has just written.
        rows = self.client.query(self.collection, filter=self._expr(Where()), output_fields=["count(*)"],
                                 consistency_level="Strong")
        return int(rows[0]["count(*)"]) if rows else 0

    def stamps(self) -> dict[int, int]:
        """Every chunk id the collection holds with its stamp."""
        if not self._ready():
            return {}
        out: dict[int, int] = {}
        it = self.client.query_iterator(self.collection, batch_size=5000, filter=self._expr(Where()),
                                        output_fields=["stamp"], consistency_level="Strong")
        try:
            while True:
                batch = it.next()
                if not batch:
                    break
                out.update((self._chunk_id(r["id"]), int(r["stamp"])) for r in batch)
        finally:
            it.close()
        return out

    def vectors(self, ids: list[int]) -> dict[int, np.ndarray]:
        if not ids or not self._ready():
            return {}
        rows = self.client.get(self.collection, ids=[self._key(c) for c in ids], output_fields=["vector"])
        return {self._chunk_id(r["id"]): np.asarray(r["vector"], dtype=np.float32) for r in rows}

    # -- search -------------------------------------------------------------
    def dense(self, qvec: np.ndarray, k: int, where: Where) -> list[tuple[int, float]]:
        if k <= 0 or not self._ready() or where.ids == ():
            return []
        hits = self.client.search(self.collection, data=[_vec(qvec)], anns_field="vector", filter=self._expr(where),
                                  limit=min(k, 16384), output_fields=["id"],
                                  search_params={"metric_type": "COSINE", "params": {"ef": max(SEARCH_EF, k)}})
        return [(self._chunk_id(h["id"]), float(h["distance"])) for h in hits[0]]

    def keyword(self, text: str, k: int, where: Where) -> list[tuple[int, float]]:
        if k <= 0 or not text.strip() or not self._ready() or where.ids == ():
            return []
        hits = self.client.search(self.collection, data=[text], anns_field="sparse", filter=self._expr(where),
                                  limit=min(k, 16384), output_fields=["id"], search_params={"metric_type": "BM25"})
        return [(self._chunk_id(c), x) for c, x in _bm25(hits[0])]

    def hybrid(self, qvec: np.ndarray | None, text: str, k: int, where: Where, rrf_k: int
               ) -> list[tuple[int, float]]:
        """Both rankings fused by RRF inside the engine, each request carrying the whole filter."""
        from pymilvus import AnnSearchRequest, RRFRanker

        if k <= 0 or not self._ready() or where.ids == ():
            return []
        expr = self._expr(where)
        reqs = []
        if qvec is not None:
            reqs.append(AnnSearchRequest([_vec(qvec)], "vector", {"metric_type": "COSINE",
                                                                  "params": {"ef": max(SEARCH_EF, k)}}, k, expr=expr))
        if text.strip():
            reqs.append(AnnSearchRequest([text], "sparse", {"metric_type": "BM25"}, k, expr=expr))
        if len(reqs) == 1:
            return self.dense(qvec, k, where) if qvec is not None else self.keyword(text, k, where)
        if not reqs:
            return []
        hits = self.client.hybrid_search(self.collection, reqs, RRFRanker(rrf_k), limit=min(2 * k, 16384),
                                         output_fields=["id"])
        return [(self._chunk_id(h["id"]), float(h["distance"])) for h in hits[0]]


def _vec(qvec: np.ndarray) -> list[float]:
    return np.asarray(qvec, dtype=np.float32).tolist()


def _bm25(hits) -> list[tuple[str, float]]:
    # milvus-lite reports BM25 as a negated distance, a server as a positive score; either way the engine's
    # order is best first, and the score is its size.
    return [(h["id"], abs(float(h["distance"]))) for h in hits]
