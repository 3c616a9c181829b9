"""Reading files in a worker process with a time and a memory limit, so that no file can hang a night's run.

A PDF with a pathological content stream, a DOCX that is a zip bomb or a 200 MB HTML page is read in a
separate process (one, reused from file to file, started only when a file must be read). Past the time
limit the worker is killed and the file reported failed with that reason; past the memory limit the
worker's allocation fails (or the worker dies) and the file is reported the same way. Either way the run
goes on with a fresh worker, and the next run tries the file again. The libraries' own warnings (pypdf's
"EOF marker not found" and the like) come back with the file's name and go to the log.
"""
from __future__ import annotations

import logging
import os
import pickle
import select
import struct
import subprocess
import sys
from pathlib import Path

from ingest.errors import IngestError
from ingest.model import Meeting

log = logging.getLogger("minutes.ingest")

DEFAULT_READ_TIMEOUT = 120.0
DEFAULT_READ_MEMORY_MB = 2048
STARTUP_TIMEOUT = 120          # loading the parsers, once a run, on a slow or busy machine


def _send(stream, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("<Q", len(data)) + data)
    stream.flush()


def _recv(stream):
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError("the reader stopped")
    (size,) = struct.unpack("<Q", head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the reader stopped")
    return pickle.loads(data)


def serve(memory_mb: int) -> None:
    """The worker (``python -m index.reader MB``): read each file asked for on stdin, answer on stdout with
    its meeting or the reason it could not be read. Only this process's own parent talks to it."""
    import resource
    import traceback
    import warnings

    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    requests = os.fdopen(os.dup(0), "rb")
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)       # whatever a library prints goes to stderr, never into the replies
    from ingest.pipeline import read_meeting

    captured: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            captured.append(f"{record.name}: {record.getMessage()}")

    root = logging.getLogger()
    root.handlers[:] = [Collect(level=logging.WARNING)]
    root.setLevel(logging.WARNING)
    _send(replies, ("ready", None, []))     # the parsers are loaded: from here on only reading is timed
    while True:
        try:
            path, source, max_bytes = _recv(requests)
        except EOFError:
            return
        captured.clear()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                reply = ("ok", read_meeting(Path(path), source=source, max_bytes=max_bytes))
            except MemoryError:
                reply = ("memory", None)
            except IngestError as exc:
                reply = ("failed", str(exc))
            except OSError as exc:
                reply = ("oserror", (exc.errno, exc.strerror, str(exc)))
            except Exception as exc:   # a parser bug: reported for this file, the run goes on
                reply = ("bug", f"{type(exc).__name__}: {exc}")
                captured.append(traceback.format_exc())
        notes = captured + [f"{w.category.__name__}: {w.message}" for w in caught]
        try:
            _send(replies, (*reply, notes))
        except MemoryError:
            _send(replies, ("memory", None, notes))


class FileReader:
    """Reads files one at a time in a worker process, within a time and a memory limit."""

    def __init__(self, timeout: float = DEFAULT_READ_TIMEOUT, memory_mb: int = DEFAULT_READ_MEMORY_MB):
        self.timeout = timeout
        self.memory_mb = memory_mb
        self._process: subprocess.Popen | None = None

    def _start(self) -> None:
        # A fresh interpreter: no model threads, no store connection, nothing of the caller's __main__.
        self._process = subprocess.Popen([sys.executable, "-m", "index.reader", str(self.memory_mb)],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        ready, _, _ = select.select([self._process.stdout], [], [], STARTUP_TIMEOUT)
        try:
            if not ready or _recv(self._process.stdout)[0] != "ready":
                raise EOFError
        except EOFError:
            self.stop()
            raise IngestError(f"the file reader did not start within {STARTUP_TIMEOUT} s (or within "
                              f"{self.memory_mb} MB of memory)") from None

    def read(self, path: Path, source: str, max_bytes: int) -> Meeting:
        """The meeting in ``path``; raises IngestError with the reason it could not be read in time or
        within memory, OSError as the file system gave it."""
        if self._process is None or self._process.poll() is not None:
            self._start()
        name = Path(path).name
        proc = self._process
        try:
            _send(proc.stdin, (str(path), source, max_bytes))
            ready, _, _ = select.select([proc.stdout], [], [], self.timeout)
            if not ready:
                self.stop()
                raise IngestError(f"{name} took longer than {self.timeout:g} s to read; it will be tried again "
                                  "next run")
            kind, payload, notes = _recv(proc.stdout)
        except (EOFError, BrokenPipeError, ConnectionResetError):
            self.stop()
            raise IngestError(f"{name} could not be read within {self.memory_mb} MB of memory (the reader "
                              "stopped); it will be tried again next run") from None
        for note in notes:
            log.warning("%s: %s", source, note)
        if kind == "ok":
            return payload
        if kind == "memory":
            self.stop()
            raise IngestError(f"{name} needs more than {self.memory_mb} MB of memory to read; it will be tried "
                              "again next run")
        if kind == "oserror":
            errno, strerror, text = payload
            raise OSError(errno, strerror or text)
        if kind == "bug":
            raise IngestError(f"{name} could not be read because of an error in this program ({payload})")
        raise IngestError(payload)

    def stop(self) -> None:
        proc, self._process = self._process, None
        if proc is None:
            return
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


if __name__ == "__main__":
    serve(int(sys.argv[1]))
