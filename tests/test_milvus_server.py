"""The milvus://HOST:PORT path against milvus-lite run as a server on 127.0.0.1: the client speaks to it over
gRPC as it would to a Milvus server, and the page and the nightly job can share it."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.backends import ledger, open_backend
from index.backends.expr import Where
from index.search import Filters, Searcher
from index.store import Store
from index.sync import Ingester
from tests.conftest import CORPUS

pytest.importorskip("milvus_lite")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def milvus_server(tmp_path):
    port = _free_port()
    exe = Path(sys.executable).with_name("milvus-lite")
    proc = subprocess.Popen([str(exe), "server", "--data-dir", str(tmp_path / "server.db"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, proc.communicate()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "the server never listened"
            time.sleep(0.2)
    yield f"milvus://127.0.0.1:{port}"
    open_backend(f"milvus://127.0.0.1:{port}").engine.close()
    proc.terminate()
    proc.wait(timeout=30)


def test_ingest_and_ask_through_a_server(milvus_server, tmp_path, hash_embedder):
    folder = tmp_path / "index"
    public, secret = tmp_path / "public", tmp_path / "secret"
    public.mkdir()
    secret.mkdir()
    for f in CORPUS.iterdir():
        shutil.copy(f, (secret if f.name.startswith("police-and-crime-panel") else public) / f.name)
    Ingester(folder, embedder=hash_embedder, progress=False, store=milvus_server, collection="public").run([public])
    Ingester(folder, embedder=hash_embedder, progress=False, store=milvus_server, collection="secret").run([secret])
    engine = open_backend(milvus_server).engine
    store = Store(folder)
    try:
        assert engine.stamps() == ledger.ledger_stamps(store)
        secret_ids = set(store.chunk_ids_where(documents=[f.name for f in secret.iterdir()]))
    finally:
        store.close()
    qvec = hash_embedder.encode(["panel precept"])[0]
    assert {c for c, _ in engine.dense(qvec, 500, Where())} & secret_ids
    cleared = Where(collections=frozenset(["public"]))
    assert not {c for c, _ in engine.hybrid(qvec, "panel precept", 50, cleared, 10)} & secret_ids

    searcher = Searcher(folder, embedder=hash_embedder, store=milvus_server)
    result = searcher.ask("What was the 101 target?")
    assert result.answer is not None and "101" in result.answer.text
    reader = searcher.ask("What Band D precept did the panel support?", filters=Filters(collections=["public"]))
    assert all(p.collection == "public" for p in reader.passages)
