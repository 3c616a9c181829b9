"""`minutes serve` as a service: stopped with SIGTERM or SIGINT, it stops its Streamlit server too and
leaves nothing listening on the port."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT
from tests.test_browser import _free_port, _wait_healthy

pytestmark = pytest.mark.slow


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_serve_stops_the_page_and_frees_the_port(corpus_index_copy, tmp_path, sig):
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--index", str(corpus_index_copy),
                                 "--port", str(port)], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(port, proc, log)
        children = _children(proc.pid)
        assert children, "Streamlit runs as a child of `minutes serve`"
        proc.send_signal(sig)            # to `minutes serve` alone, as systemd's stop or a Ctrl-C sends it
        proc.wait(timeout=30)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and (_listening(port) or any(os.path.exists(f"/proc/{c}") for c in children)):
            time.sleep(0.2)
        assert not _listening(port), "nothing is left listening on the port"
        assert not any(os.path.exists(f"/proc/{c}") for c in children), "Streamlit stopped with it"
    finally:
        if proc.poll() is None:
            proc.kill()
