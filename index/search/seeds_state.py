"""What the seeds folder held when an index was built, told apart from what it holds now cheaply.

A seeds file of 1.5 GB took most of a 2.8 s start to hash on every open. The sidecar keeps each
file's size, modification time (ns) and inode with its SHA-256; opening compares the first three
with `os.stat` and hashes only the files whose stat differs (an atomic write makes a new inode).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["SeedChanges", "article_hash", "changes", "seeds_hash"]


def _stat(path: Path) -> list[int]:
    try:
        st = path.stat()
    except OSError:
        return [-1, -1, -1]
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def _sha(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            while block := fh.read(1 << 20):
                digest.update(block)
    except OSError as exc:  # hashed by its error: it is skipped with a warning when read
        digest.update(f"unreadable:{exc.errno}".encode())
    return digest.hexdigest()


@dataclass
class SeedChanges:
    """Files added or changed (by content), files gone, and the state to save with the next commit."""

    changed: list[Path] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    state: dict[str, list[Any]] = field(default_factory=dict)  # relative path -> [size, mtime_ns, inode, sha256]

    @property
    def any(self) -> bool:
        """Whether anything must be reindexed."""
        return bool(self.changed or self.removed)


def changes(files: Iterable[Path], root: Path, saved: Mapping[str, Any] | None) -> SeedChanges:
    """Compare `files` with the state saved by the last commit (None: everything is new)."""
    saved = saved or {}
    out = SeedChanges()
    for path in files:
        rel = path.relative_to(root).as_posix()
        stat = _stat(path)
        before = saved.get(rel)
        if isinstance(before, list) and len(before) == 4 and before[:3] == stat:
            out.state[rel] = list(before)
            continue
        sha = _sha(path)
        out.state[rel] = [*stat, sha]
        if not (isinstance(before, list) and len(before) == 4 and before[3] == sha):
            out.changed.append(path)
    out.removed = sorted(set(saved) - set(out.state))
    return out


def seeds_hash(state: Mapping[str, list[Any]]) -> str:
    """One hash of the seeds' names and contents (from the per-file hashes: nothing is re-read)."""
    digest = hashlib.sha256()
    for rel in sorted(state):
        digest.update(rel.encode("utf-8") + b"\0" + str(state[rel][3]).encode() + b"\0")
    return digest.hexdigest()


def article_hash(meta: Mapping[str, Any], body: str) -> str:
    """What tells an article's versions apart: its metadata and its text."""
    digest = hashlib.sha256(repr(sorted(meta.items())).encode("utf-8") + b"\0")
    digest.update(body.encode("utf-8"))
    return digest.hexdigest()
