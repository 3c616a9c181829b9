"""Test-only pause points, so crash tests can SIGKILL an ingest at a chosen instant.

Inactive unless the environment variable MINUTES_TEST_PAUSE is set; only tests/test_crash.py and
tests/test_concurrency.py set it, in the environment of a subprocess they kill. Its value is ``stage`` or ``stage:n``:
the n-th time (default the first) the run reaches ``stage`` it writes its pid to
``<index folder>/paused-<stage>`` and sleeps until it is killed. Stages: ``embedded`` (a batch
of chunks is embedded, nothing of it written), ``writing`` (inside a document's transaction,
its rows inserted, not committed), ``faiss`` (the new cache file written beside the live one,
not yet renamed over it).
"""
from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path

ENV = "MINUTES_TEST_PAUSE"
_reached: Counter[str] = Counter()


def pause_point(stage: str, folder: Path) -> None:
    spec = os.environ.get(ENV)
    if not spec:
        return
    name, _, nth = spec.partition(":")
    if name != stage:
        return
    _reached[stage] += 1
    if _reached[stage] != int(nth or 1):
        return
    (Path(folder) / f"paused-{stage}").write_text(str(os.getpid()))
    while True:
        time.sleep(60)
