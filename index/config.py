"""Settings, declared once: name, environment variable, default and what it is for."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# The sample minutes: a wheel carries them inside this package (pyproject's index.corpus), a checkout at its root.
_PACKAGED_CORPUS = Path(__file__).with_name("corpus")
DEFAULT_CORPUS = _PACKAGED_CORPUS if _PACKAGED_CORPUS.is_dir() else PROJECT_ROOT / "corpus"


@dataclass(frozen=True)
class Setting:
    name: str
    envvar: str
    help: str


INDEX = Setting("index", "MINUTES_INDEX",
                "Index folder. Default: $MINUTES_INDEX, else ~/.local/share/minutes-qa/index.")
MODEL = Setting("model", "MINUTES_MODEL",
                "Folder of a sentence-transformers model. Default: the packaged all-MiniLM-L6-v2.")
MAX_MB = Setting("max_mb", "MINUTES_MAX_MB", "Files larger than this many MB are refused. Default: 50.")


def default_index() -> Path:
    env = os.environ.get(INDEX.envvar)
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "minutes-qa" / "index"
READ_TIMEOUT = Setting("read_timeout", "MINUTES_READ_TIMEOUT",
                       "Seconds one file may take to read before it is reported failed. Default: 120.")
READ_MEMORY = Setting("read_memory_mb", "MINUTES_READ_MEMORY_MB",
                      "Megabytes of memory reading one file may take before it is reported failed. Default: 2048.")
POLICY = Setting("policy", "MINUTES_POLICY", "The access policy (TOML): who may read which collection.")
AUDIT_DAYS = Setting("audit_days", "MINUTES_AUDIT_DAYS",
                     "Days the audit trail keeps a question asked on the page. Default: 365.")
STORE = Setting("store", "MINUTES_STORE",
                "Where chunks, their text and vectors are searched: sqlite (default: the SQLite file and its "
                "FAISS and tantivy caches), milvus:PATH.db (milvus-lite, in this process) or milvus://HOST:PORT "
                "(a Milvus server or cluster; $MINUTES_MILVUS_USER and $MINUTES_MILVUS_TOKEN sign in).")
OFFICE = Setting("office", "MINUTES_OFFICE",
                 "The office whose chunks this ledger writes to a Milvus store shared with other offices; each "
                 "office reads and writes only its own rows there. Default: default.")
