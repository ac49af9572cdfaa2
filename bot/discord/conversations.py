"""One conversation per (user, channel) for the Discord bot, forgotten after 10 minutes of silence.

A follow-up ("what year?") is read in the story of the same person's previous questions in
the same channel. The clock is injectable so that expiry is tested without sleeping; the
table is pruned of expired entries as it is used. A change of the corpus (an ingest, a
removal, a reindex, a feed poll that adds stories) carries every conversation over to the new
index (`Conversation.move_to`: its stories re-keyed by article id): the bot calls `move_to`
after each swap, so no conversation keeps the old index alive, and `get` moves one it meets
on an older corpus (noted there, on the event loop, and made as its next question starts in
its thread). Neither waits for a question being answered (the move is made as it ends).
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
    last_used: float


class Conversations:
    """Conversations by (user id, channel id), thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, expiry: float = EXPIRY_SECONDS) -> None:
        self.clock, self.expiry = clock, expiry
        self._entries: dict[tuple[int, int], _Entry] = {}
        self._expired: dict[tuple[int, int], None] = {}  # keys whose conversation expired, oldest first
        self._lock = threading.Lock()

    def get(
        self,
        corpus: Corpus,
        user: int,
        channel: int,
        *,
        starts_from: tuple[int, int] | None = None,
        replying: bool = False,
    ) -> Conversation:
        """The live conversation of this user in this channel (carried over to `corpus` if it
        was made on an older one), or a new one. A new one goes on from a copy of the live
        conversation `starts_from` (user id, channel id) when there is one: the user's own in the
        parent channel, in a thread opened from an answer. `replying`: the user replied to an
        answer of `starts_from`'s conversation, which points at its story, so its copy takes the
        place of a conversation the user has here (in a busy channel theirs is often about
        something else). `Conversation.fork` waits for a question being answered on it: call
        `get` off the event loop when `starts_from` is given.
        """
        now = self.clock()
        key, forked = (user, channel), None
        with self._lock:
            self._prune(now)
            mine = self._entries.get(key)
            source = self._entries.get(starts_from) if starts_from not in (None, key) else None
        if source is not None and (mine is None or replying):
            forked = source.conversation.fork()  # outside the table's lock: it may wait for a question
        with self._lock:
            entry = self._entries.pop(key, None)
            if entry is None or (forked is not None and replying):
                entry = _Entry(forked if forked is not None else Conversation(corpus), now)  # new: asks `corpus`
            entry.last_used = now
            self._entries[key] = entry  # re-inserted: the dict's order is the use order
            self._expired.pop(key, None)
        entry.conversation.move_to(corpus, now=False)  # made as its next question starts, off the loop
        return entry.conversation

    def expired(self, user: int, channel: int) -> bool:
        """Whether this user's conversation in this channel was forgotten after `expiry` seconds
        of silence and no question was asked there since (a "when?" is then told why it has no
        earlier question: the member did ask one).
        """
        with self._lock:
            self._prune(self.clock())
            return (user, channel) in self._expired

    def holds(self, user: int, channel: int) -> bool:
        """Whether this user has a live conversation in this channel (one not yet expired)."""
        with self._lock:
            entry = self._entries.get((user, channel))
            return entry is not None and self.clock() - entry.last_used <= self.expiry

    def move_to(self, corpus: Corpus) -> int:
        """Carry every live conversation over to `corpus` (after the bot swapped it in), so
        none keeps the old index's memory alive; how many there were. A few dict look-ups per
        story of each (run it off the event loop: the table may hold thousands).
        """
        with self._lock:
            self._prune(self.clock())
            live = [entry.conversation for entry in self._entries.values()]
        for conversation in live:
            conversation.move_to(corpus)
        return len(live)

    def reset(self, user: int, channel: int, fresh: Corpus | None = None) -> bool:
        """Forget this user's conversation in this channel; whether there was one. With `fresh`
        ("New topic"), an empty conversation on it takes its place, so that the next question
        in a thread does not start again from a copy of the parent channel's (`get`).
        """
        with self._lock:
            had = self._entries.pop((user, channel), None) is not None
            self._expired.pop((user, channel), None)
            if fresh is not None:
                self._entries[(user, channel)] = _Entry(Conversation(fresh), self.clock())
            return had

    def __len__(self) -> int:
        return len(self._entries)

    def _prune(self, now: float) -> None:
        for key in [k for k, e in self._entries.items() if now - e.last_used > self.expiry]:
            del self._entries[key]
            self._expired[key] = None
        while len(self._expired) > MAX_CONVERSATIONS:
            del self._expired[next(iter(self._expired))]
        while len(self._entries) > MAX_CONVERSATIONS:
            del self._entries[next(iter(self._entries))]
