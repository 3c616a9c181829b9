"""Walking folders of minutes: the supported files under a folder, never through symlinks, and their hashes."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from ingest.loaders import SUPPORTED_SUFFIXES


@dataclass
class Found:
    path: Path
    rel: str                          # relative to the folder walked, with forward slashes
    size: int


@dataclass
class Target:
    root: Path                        # absolute
    scoped: bool                      # a folder: files of it missing from the walk are removed
    files: list[Found]
    unreadable: list[str] = field(default_factory=list)   # subfolders that could not be listed
    skipped: int = 0


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def walk(root: Path) -> Target:
    """Supported files under ``root``, never through symlinks, and how many others were passed over.

    Raises ``OSError`` when ``root`` itself cannot be listed; a subfolder that cannot be is noted
    in ``unreadable`` so that the documents already indexed from it are kept.
    """
    target = Target(Path(root), True, [])
    skipped = 0
    stack = [(Path(root), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            if not prefix:
                raise
            target.unreadable.append(prefix.rstrip("/"))
            continue
        subfolders = []
        for entry in entries:
            name = entry.name
            try:
                if entry.is_symlink():
                    skipped += 1
                elif entry.is_dir(follow_symlinks=False):
                    if not name.startswith("."):
                        subfolders.append((Path(entry.path), f"{prefix}{name}/"))
                elif not entry.is_file(follow_symlinks=False):
                    skipped += 1          # a pipe or device would block or never end
                elif (name.startswith((".", "~$")) or os.path.splitext(name)[1].lower() not in SUPPORTED_SUFFIXES):
                    skipped += 1
                else:
                    size = entry.stat(follow_symlinks=False).st_size
                    target.files.append(Found(Path(entry.path), prefix + name, size))
            except OSError:
                skipped += 1              # gone between listing and looking: the next run sees it
        stack.extend(reversed(subfolders))
    target.skipped = skipped
    return target
