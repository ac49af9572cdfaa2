"""One conversation per (user, channel) for the Discord bot, forgotten after 10 minutes of silence.

A follow-up ("what year?") is read in the story of the same person's previous questions in
the same channel. The clock is injectable so that expiry is tested without sleeping; the
table is pruned of expired entries as it is used, and a conversation made on a corpus that
has since been swapped (reindex) is replaced, since its story rows name the old index.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from index.corpus import Conversation, Corpus

EXPIRY_SECONDS = 600.0
MAX_CONVERSATIONS = 10_000  # beyond this the least recently used are dropped


@dataclass(slots=True)
class _Entry:
    conversation: Conversation
    corpus: Corpus
    last_used: float


class Conversations:
    """Conversations by (user id, channel id), thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, expiry: float = EXPIRY_SECONDS) -> None:
        self.clock, self.expiry = clock, expiry
        self._entries: dict[tuple[int, int], _Entry] = {}
        self._lock = threading.Lock()

    def get(self, corpus: Corpus, user: int, channel: int) -> Conversation:
        """The live conversation of this user in this channel, or a new one."""
        now = self.clock()
        with self._lock:
            self._prune(now)
            key = (user, channel)
            entry = self._entries.pop(key, None)
            if entry is None or entry.corpus is not corpus:
                entry = _Entry(Conversation(corpus), corpus, now)  # asks this very object
            entry.last_used = now
            self._entries[key] = entry  # re-inserted: the dict's order is the use order
            return entry.conversation

    def reset(self, user: int, channel: int) -> bool:
        """Forget this user's conversation in this channel; whether there was one."""
        with self._lock:
            return self._entries.pop((user, channel), None) is not None

    def __len__(self) -> int:
        return len(self._entries)

    def _prune(self, now: float) -> None:
        for key in [k for k, e in self._entries.items() if now - e.last_used > self.expiry]:
            del self._entries[key]
        while len(self._entries) > MAX_CONVERSATIONS:
            del self._entries[next(iter(self._entries))]
