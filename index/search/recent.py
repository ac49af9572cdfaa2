"""The weighed postings lists an index read last, shared by every thread searching it.

A question reads its terms' postings several times (the top k, the rerank's features, related
words) and the commonest terms come back question after question; reading a list widens its ids
and weighs every posting, about a quarter of the top k's CPU at ten million sentences when the
list is not kept. One store per index, not per thread, so that a second searching thread finds
the lists the first one weighed, and the memory they hold is counted once. The arrays kept are
read-only: a reader never changes them, so they are shared without copies; the lock guards only
the bookkeeping (a few dictionary operations), never a read or a weighing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

__all__ = ["RecentLists"]

Weighed = tuple[np.ndarray, np.ndarray]  # a term's ids (intp) and float32 weights


class RecentLists:
    """The lists read last, up to `budget` postings in all (least recently read dropped first)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._lists: OrderedDict[int, Weighed] = OrderedDict()
        self._held = 0  # postings held
        self._lock = threading.Lock()

    def get(self, tid: int) -> Weighed | None:
        """The term's kept list (now the most recently read), or None."""
        with self._lock:
            hit = self._lists.get(tid)
            if hit is not None:
                self._lists.move_to_end(tid)
            return hit

    def keep(self, tid: int, ids: np.ndarray, weights: np.ndarray) -> None:
        """Keep a term's list, made read-only (lists longer than the budget are not kept)."""
        ids.flags.writeable = weights.flags.writeable = False
        if len(ids) > self.budget:
            return
        with self._lock:
            if tid in self._lists:  # another thread read it meanwhile: one copy kept
                self._lists.move_to_end(tid)
                return
            self._held += len(ids)
            while self._held > self.budget:
                self._held -= len(self._lists.popitem(last=False)[1][0])
            self._lists[tid] = ids, weights

    @property
    def held(self) -> int:
        """How many postings are kept."""
        return self._held
