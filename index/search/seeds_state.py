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
from typing import Any, TypeGuard

__all__ = ["Edit", "SeedChanges", "article_hash", "changes", "seeds_hash", "stat_of"]


def _stat(path: Path) -> list[int]:
    try:
        st = path.stat()
    except OSError:
        return [-1, -1, -1]
    return [st.st_size, st.st_mtime_ns, st.st_ino]


UNREADABLE = "unreadable:"  # what stands for the hash of a file that could not be read
# The same, as releases before round 27 saved it (hashed): an upgraded index tries those files again too.
_OLD_UNREADABLE = frozenset(hashlib.sha256(f"{UNREADABLE}{n}".encode()).hexdigest() for n in [None, *range(256)])


def _sha(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            while block := fh.read(1 << 20):
                digest.update(block)
    except OSError as exc:  # named by its error: it is skipped with a warning when read
        return f"{UNREADABLE}{exc.errno}"
    return digest.hexdigest()


def _trusted(before: Any, stat: list[int]) -> TypeGuard[list[Any]]:
    """Whether a file's saved state stands for it unread: its stat is the same, and it was read.
    A file that could not be read is tried again at every look: making it readable (chmod, a
    disk back) changes no size, mtime or inode, and it would otherwise stay out of the index.
    """
    return (
        isinstance(before, list)
        and len(before) == 4
        and before[:3] == stat
        and not str(before[3]).startswith(UNREADABLE)
        and before[3] not in _OLD_UNREADABLE
    )


@dataclass(frozen=True)
class Edit:
    """Records the writer took out of a collection file itself (`Corpus.remove`), nothing else:
    the file's stat just before and just after, and the ids of the records removed.
    """

    before: list[int]
    after: list[int]
    ids: frozenset[str]


def stat_of(path: Path) -> list[int]:
    """A file's size, modification time (ns) and inode, as the saved state holds them."""
    return _stat(path)


@dataclass
class SeedChanges:
    """Files added or changed (by content), files gone, files the writer edited (`Edit`: relative
    path -> the ids it removed), and the state to save with the next commit.
    """

    changed: list[Path] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    state: dict[str, list[Any]] = field(default_factory=dict)  # relative path -> [size, mtime_ns, inode, sha256]
    edited: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def any(self) -> bool:
        """Whether anything must be reindexed."""
        return bool(self.changed or self.removed or self.edited)


def changes(
    files: Iterable[Path], root: Path, saved: Mapping[str, Any] | None, edits: Mapping[str, Edit] | None = None
) -> SeedChanges:
    """Compare `files` with the state saved by the last commit (None: everything is new).

    A file in `edits` whose saved stat is the edit's `before` and whose stat now is its `after`
    changed by that edit alone: it is neither hashed nor read again (a record taken out of a
    1.5 GB collection no longer re-reads it whole); its state's hash names the edit instead, so
    that any later change of the file is hashed and read as usual.
    """
    saved = saved or {}
    edits = edits or {}
    out = SeedChanges()
    for path in files:
        rel = path.relative_to(root).as_posix()
        stat = _stat(path)
        before = saved.get(rel)
        if _trusted(before, stat):
            out.state[rel] = list(before)
            continue
        edit = edits.get(rel)
        if edit is not None and isinstance(before, list) and len(before) == 4 and before[:3] == edit.before:
            if stat == edit.after:
                out.state[rel] = [*stat, _edited_sha(str(before[3]), edit.ids)]
                out.edited[rel] = edit.ids
                continue
        sha = _sha(path)
        out.state[rel] = [*stat, sha]
        if not (isinstance(before, list) and len(before) == 4 and before[3] == sha):
            out.changed.append(path)
    out.removed = sorted(set(saved) - set(out.state))
    return out


def _edited_sha(before: str, ids: Iterable[str]) -> str:
    """What names a file's content after an `Edit`: its hash before and the ids taken out."""
    return "edit:" + hashlib.sha256("\0".join([before, *sorted(ids)]).encode("utf-8")).hexdigest()


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
