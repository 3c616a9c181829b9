"""One ingest per index: an exclusive lock the operating system drops when its holder dies."""
from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from index.errors import AlreadyRunning

try:
    import fcntl
except ImportError:  # not POSIX: the filelock package does the same job
    fcntl = None

log = logging.getLogger("minutes.ingest")
LOCK_NAME = "ingest.lock"
# A run holding the lock longer than a night is stuck, not busy.
STUCK_AFTER_S = 20 * 3600


class IngestLock:
    """One ingest per index: an exclusive lock on <index>/ingest.lock, dropped by the OS when its holder dies."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / LOCK_NAME
        self._fd: int | None = None
        self._fallback = None

    def acquire(self) -> None:
        busy = AlreadyRunning(f"another `minutes ingest` is running on the index {self.path.parent}; "
                              "this run did nothing. Try again when it ends")
        if fcntl is None:
            from filelock import FileLock, Timeout

            self._fallback = FileLock(str(self.path))
            try:
                self._fallback.acquire(timeout=0)
            except Timeout:
                raise busy from None
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(fd, 32).decode(errors="replace").strip()
            held = time.time() - os.fstat(fd).st_mtime
            os.close(fd)
            if holder.isdigit():
                busy.args = (busy.args[0].replace("`minutes ingest`", f"`minutes ingest` (process {holder})"),)
            if held > STUCK_AFTER_S:
                # Every later night would find the same lock: say so where a monitor looks, not quietly.
                busy.args = (f"another `minutes ingest` (process {holder or 'unknown'}) has held the index "
                             f"{self.path.parent} for {held / 3600:.0f} hours: it is probably stuck. New minutes "
                             f"are not going in; stop that process and run again",)
                log.error(busy.args[0])
            raise busy from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fallback is not None:
            self._fallback.release()
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
