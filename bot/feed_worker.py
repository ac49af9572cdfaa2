"""The feed worker: one process, apart from the bot's, that polls feeds and stores their stories.

Why: a poll's work is CPU work (page extraction with trafilatura and htmldate, sentence
splitting, names and timeline analysis, indexing). In the bot's process it competes for the GIL
with the event loop that must acknowledge every interaction within 3 s. Here it runs in a
spawned process (never forked: the bot's process holds the event loop's and the builders'
threads), so the bot's process only opens the generation the worker committed and assembles its
layers. It runs at the bot's CPU priority: a nice value 10 higher made a loaded machine's poll
3 times slower with no better acknowledgements (docs/feeds.md, Load).

The worker lives as long as the bot (started on the first poll): it keeps its polite client
(robots.txt and host spacing) and its corpus (the writer's view of the index, so successive
commits are incremental) between polls. It dies with the bot: a clean exit terminates it (a
daemon process), and a watchdog thread in it ends it within a second of the bot's death by
SIGKILL (not `index.search.workers.die_with_parent`: Linux sends the parent-death signal when
the *thread* that started the child ends, and the bot starts the worker from a passing thread).
Requests are (operation, argument) pairs on a pipe, one at a time; a worker that died is
started again on the next request.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from index.corpus import Corpus, feeds

__all__ = ["FeedWorker", "Stored", "WorkerSetup"]

log = logging.getLogger("verbatim.feeds")

WATCH_SECONDS = 1.0  # how often the worker looks whether the bot is still there


@dataclass(frozen=True)
class WorkerSetup:
    """What the worker needs to poll and store: the folders and the feed client's settings."""

    seeds_dir: Path
    index_dir: Path
    day_first: bool = False
    allow_private: bool = False
    timeout: float = 10.0
    host_spacing: float = 1.0
    log_level: int = logging.WARNING  # the bot's: the worker's log lines go to the bot's stderr


@dataclass
class Stored:
    """What storing a batch of stories did (`Corpus.add_files` in the worker)."""

    refused: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    reindex_problem: str | None = None
    commits: int = 0  # index commits the batch made (0 or 1)


class _Worker:
    """The worker's side: its client, its corpus, and one method per operation."""

    def __init__(self, setup: WorkerSetup) -> None:
        self.setup = setup
        self.client = feeds.PoliteClient(
            allow_private=setup.allow_private, timeout=setup.timeout, host_spacing=setup.host_spacing
        )
        self.corpus: Corpus | None = None

    def poll(self, urls: list[str]) -> feeds.Poll:
        return feeds.poll_feeds(feeds.feeds_file(self.setup.seeds_dir), self.client, only_due=False, urls=urls)

    def store(self, files: list[tuple[str, bytes]]) -> Stored:
        if self.corpus is None:
            s = self.setup
            self.corpus = Corpus.open(s.seeds_dir, s.index_dir, day_first=s.day_first)
        change = self.corpus.add_files(files, replace=True)
        self.corpus = change.corpus if change.corpus is not None else self.corpus
        committed = bool(change.changed) and change.reindex_problem is None
        return Stored(change.refused, change.failed, change.reindex_problem, int(committed))


def _watch_parent(parent: int) -> None:
    """End this process as soon as `parent` is gone (its children are then adopted by another)."""
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def _serve(conn: Connection, parent: int, setup: WorkerSetup) -> None:
    """The worker process: answer requests until the pipe closes or the bot is gone."""
    logging.basicConfig(level=setup.log_level, format="%(asctime)s %(levelname)-8s %(name)s [feed worker] %(message)s")
    threading.Thread(target=_watch_parent, args=(parent,), name="verbatim-watch-parent", daemon=True).start()
    worker = _Worker(setup)
    operations: dict[str, Callable[[Any], Any]] = {"poll": worker.poll, "store": worker.store}
    try:
        while True:
            try:
                op, arg = conn.recv()
            except (EOFError, OSError):
                return
            try:
                result: Any = operations[op](arg)
            except Exception as exc:  # handed to the bot, which logs it and goes on
                conn.send(("error", f"{type(exc).__name__}: {exc}"))
            else:
                conn.send(("ok", result))
    finally:
        worker.client.close()


class FeedWorker:
    """The bot's side of the worker; thread-safe, blocking (call it from a thread, not the loop)."""

    def __init__(self, setup: WorkerSetup) -> None:
        self.setup = setup
        self._lock = threading.Lock()
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self.starts = 0  # how many worker processes were started (a test reads it)

    def poll(self, urls: list[str]) -> feeds.Poll:
        """Fetch and extract these feeds' new items in the worker (nothing written)."""
        poll: feeds.Poll = self._call("poll", urls)
        return poll

    def store(self, stories: list[feeds.Story]) -> Stored:
        """Store and index these stories in the worker: one commit for the whole batch."""
        stored: Stored = self._call("store", [(story.filename, story.data) for story in stories])
        return stored

    @property
    def pid(self) -> int | None:
        """The worker's process id while it runs."""
        process = self._process
        return process.pid if process is not None and process.is_alive() else None

    def close(self) -> None:
        """Stop the worker now, even when it is busy (the bot is closing: a poll it was storing
        is stored again at the next poll, as its items were not marked seen).
        """
        process = self._process
        if process is not None and process.is_alive():
            process.kill()  # a call in flight then fails with OSError and cleans up
        if self._lock.acquire(blocking=False):
            try:
                self._stop()
            finally:
                self._lock.release()

    def _call(self, op: str, arg: Any) -> Any:
        with self._lock:
            if self._conn is None or self._process is None or not self._process.is_alive():
                self._start()
            assert self._conn is not None
            try:
                self._conn.send((op, arg))
                status, value = self._conn.recv()
            except (EOFError, OSError) as exc:
                self._stop()
                raise OSError(f"the feed worker stopped ({type(exc).__name__})") from exc
        if status == "error":
            raise OSError(f"the feed worker failed: {value}")
        return value

    def _start(self) -> None:
        self._stop()
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(
            target=_serve, args=(theirs, os.getpid(), self.setup), name="verbatim-feed-worker", daemon=True
        )
        process.start()
        theirs.close()
        self._process, self._conn = process, ours
        self.starts += 1
        log.info("feeds: worker process %s started", process.pid)

    def _stop(self) -> None:
        conn, process = self._conn, self._process
        self._conn = self._process = None
        if conn is not None:
            conn.close()
        if process is not None:
            process.join(timeout=2)
            if process.is_alive():
                process.kill()
                process.join(timeout=2)
