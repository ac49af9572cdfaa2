"""One writer at a time per index folder, across processes (the bot, CLIs): `fcntl.flock` on a lock file.

Two builds at once deleted each other's generations (12 of 40 concurrent ingests failed). Every
build and commit holds this lock; a second writer waits, saying so once. Readers never take it:
they follow `CURRENT`, which always names a complete generation. The lock is re-entrant within
a process (a reindex that builds holds it once) and other threads of the process wait for it.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from index.ingest.files import process_umask

__all__ = ["LOCK_FILE", "writer_lock"]

LOCK_FILE = ".writer.lock"
log = logging.getLogger("verbatim.index")
_held: dict[Path, int] = {}  # index folder -> depth, for the thread holding _guard
_guard = threading.RLock()


@contextmanager
def writer_lock(index_dir: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the index folder's writer lock (waiting for another writer, with one log line);
    `on_wait` is called once before waiting, so a front end can say so (a CLI's `index build`
    holds it for minutes at millions of sentences).
    """
    key = Path(index_dir).resolve()
    with _guard:
        if _held.get(key):
            _held[key] += 1
            try:
                yield
            finally:
                _held[key] -= 1
            return
        key.mkdir(parents=True, exist_ok=True)
        fd = os.open(key / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o666 & ~process_umask())
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                log.warning("index: waiting for another writer of %s", key)
                if on_wait is not None:
                    on_wait()
                fcntl.flock(fd, fcntl.LOCK_EX)
            _held[key] = 1
            try:
                yield
            finally:
                _held.pop(key, None)
        finally:
            os.close(fd)  # closing releases the lock
