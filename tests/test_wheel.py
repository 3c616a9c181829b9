"""`minutes` from an installed wheel, away from the checkout: built, installed into a fresh venv, ingest and ask.

The fresh venv gets the wheel alone (`--no-deps`, `--no-index`: nothing is downloaded, torch least of all); its
dependencies are the project venv's, reached through a .pth file naming that venv's site-packages. A .pth line
that is a plain path adds the folder without reading the .pth files in it, so the checkout's editable install
(itself a .pth) stays out, and `index`, `ingest` and `ui` can only come from the wheel.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT

PACKAGES = ("index", "ingest", "ui")
SOURCES = ("pyproject.toml", "README.md", "corpus", *PACKAGES)
GOLD = ROOT / "benchmarks" / "gold" / "sample.jsonl"


def _run(cmd: list, cwd: Path, env: dict, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _clean_env(tmp_path: Path) -> dict:
    """No way back to the checkout: no PYTHONPATH, no user site, no package index."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_", "VIRTUAL_ENV"))}
    return {**env, "PYTHONNOUSERSITE": "1", "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HOME": str(tmp_path / "home")}


def _build_wheel(tmp_path: Path, env: dict) -> Path:
    """The wheel of a copy of the sources, so the build writes nothing into the checkout."""
    src = tmp_path / "src"
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            src.mkdir(exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    dist = tmp_path / "dist"
    proc = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                 "-w", dist, src], tmp_path, env)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    (wheel,) = dist.glob("minutes_qa-*.whl")
    return wheel


def _fresh_venv(tmp_path: Path, wheel: Path, env: dict) -> Path:
    venv = tmp_path / "venv"
    proc = _run([sys.executable, "-m", "venv", "--without-pip", venv], tmp_path, env)
    assert proc.returncode == 0, proc.stderr
    python = venv / "bin" / "python"
    # The wheel goes in before the .pth: with the project venv in view pip would take the checkout's
    # editable install for this one and leave the wheel out.
    proc = _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel],
                tmp_path, env)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path,
                     env).stdout.strip())
    assert not (site / "torch").exists()
    (site / "project-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return venv


@pytest.mark.slow
def test_installed_wheel_ingests_and_answers_outside_the_checkout(tmp_path):
    env = _clean_env(tmp_path)
    (tmp_path / "home").mkdir()
    wheel = _build_wheel(tmp_path, env)

    names = set(zipfile.ZipFile(wheel).namelist())
    sources = {p.relative_to(ROOT).as_posix() for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")
               if "__pycache__" not in p.parts}
    assert sources - names == set(), "modules left out of the wheel: list their package in pyproject.toml"
    corpus = {f.name for f in CORPUS.iterdir() if f.is_file()}
    assert {f"index/corpus/{name}" for name in corpus} <= names

    venv = _fresh_venv(tmp_path, wheel, env)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert not elsewhere.resolve().is_relative_to(ROOT)
    python, minutes = venv / "bin" / "python", venv / "bin" / "minutes"

    where = _run([python, "-c", "import index, ui.cli, torch; print(index.__file__); print(torch.__file__)"],
                 elsewhere, env)
    assert where.returncode == 0, where.stderr
    package_file, torch_file = where.stdout.split()
    assert Path(package_file).is_relative_to(venv)                 # the wheel's code, not the checkout's
    assert Path(torch_file).is_relative_to(Path(sysconfig.get_paths()["purelib"]))   # reused, never fetched

    minutes_copy = tmp_path / "minutes"
    shutil.copytree(CORPUS, minutes_copy)
    index = tmp_path / "index"
    ingest = _run([minutes, "ingest", minutes_copy, "--index", index, "--json"], elsewhere, env)
    assert ingest.returncode == 0, ingest.stderr[-3000:]
    report = json.loads(ingest.stdout)
    assert report["added"] == len(corpus) and report["failed"] == []

    gold = json.loads(GOLD.read_text(encoding="utf-8").splitlines()[0])
    ask = _run([minutes, "ask", gold["q"], "--index", index, "--json"], elsewhere, env)
    assert ask.returncode == 0, ask.stderr[-3000:]
    answer = json.loads(ask.stdout)["answer"]
    assert answer is not None and answer["document"] == gold["doc"]
    assert all(e in answer["text"] for e in gold["expect"]), answer["text"]

    # With no PATH, ingest reads the sample minutes the wheel carries: the same 17 files, so nothing to embed.
    bare = _run([minutes, "ingest", "--index", index, "--json"], elsewhere, env)
    assert bare.returncode == 0, bare.stderr[-3000:]
    again = json.loads(bare.stdout)
    assert (again["unchanged"], again["added"], again["removed"], again["failed"]) == (len(corpus), 0, 0, [])
