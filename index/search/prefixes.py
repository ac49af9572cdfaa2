"""Suggestions by prefix in well under a millisecond, whatever the number of names.

Autocomplete runs on every keystroke of every user, so it must not scan the collection: the
keys are kept sorted (a prefix is then one `bisect` range) next to the rank of the item each
key belongs to (0 is the best, e.g. the most mentioned entity). A short prefix can cover
most of the keys, so for every prefix whose range is larger than `SCAN_LIMIT` the best
`TOP` ranks are worked out when the structure is built; any other range is small enough to
reduce with numpy at query time. Built once with the saved layers, stored as JSON.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

__all__ = ["PrefixIndex", "merged", "word_suffixes"]

SCAN_LIMIT = 512  # a range this long is reduced at query time (tens of microseconds)
TOP = 25  # suggestions kept per large prefix (Discord shows at most 25)
_HIGH = "\U0010ffff"  # sorts after every character a key can hold


def _upper(prefix: str) -> str:
    return prefix + _HIGH


def word_suffixes(key: str) -> list[str]:
    """`key` from each word after the first: "general motors co" -> ["motors co", "co"]."""
    out = []
    for i in range(1, len(key)):
        if key[i - 1] in " -" and key[i] not in " -":
            out.append(key[i:])
    return out


class PrefixIndex:
    """Sorted (key, rank) pairs; `search(prefix)` gives the best ranks of keys with that prefix."""

    def __init__(self, keys: list[str], ranks: np.ndarray, top: dict[str, list[int]]) -> None:
        self.keys, self.ranks, self.top = keys, ranks, top

    @classmethod
    def build(cls, items: Iterable[Iterable[str]]) -> PrefixIndex:
        """`items` in rank order (best first), each with its keys (already normalised)."""
        flat_keys: list[str] = []
        flat_ranks: list[int] = []
        for rank, keys in enumerate(items):
            for k in keys:
                if k:
                    flat_keys.append(k)
                    flat_ranks.append(rank)
        # numpy sorts text by code point, as Python compares it; stable, so ties keep rank order
        order = np.argsort(np.array(flat_keys, dtype=str), kind="stable") if flat_keys else np.zeros(0, np.int64)
        ranks = np.asarray(flat_ranks, dtype=np.int32)[order] if flat_keys else np.zeros(0, np.int32)
        index = cls([flat_keys[i] for i in order.tolist()], ranks, {})
        index._precompute("", 0, len(index.keys))
        return index

    def _precompute(self, prefix: str, lo: int, hi: int) -> None:
        """Best ranks of every prefix whose range is too long to reduce at query time."""
        stack = [(prefix, lo, hi)]
        while stack:
            prefix, lo, hi = stack.pop()
            if hi - lo <= SCAN_LIMIT:
                continue
            self.top[prefix] = np.unique(self.ranks[lo:hi])[:TOP].tolist()
            depth, i = len(prefix), lo
            while i < hi:
                key = self.keys[i]
                if len(key) <= depth:
                    i += 1
                    continue
                child = key[: depth + 1]
                j = bisect_left(self.keys, _upper(child), i, hi)
                stack.append((child, i, j))
                i = j

    def search(self, prefix: str, limit: int = TOP) -> list[int]:
        """Ranks (best first, no repeats) of the items with a key starting with `prefix`."""
        if limit <= 0:
            return []
        lo = bisect_left(self.keys, prefix)
        hi = bisect_left(self.keys, _upper(prefix), lo)
        if hi - lo > SCAN_LIMIT and prefix in self.top and limit <= TOP:
            return self.top[prefix][:limit]
        ranks: list[int] = np.unique(self.ranks[lo:hi])[:limit].tolist()
        return ranks

    def __len__(self) -> int:
        return len(self.keys)

    def to_json(self) -> dict[str, Any]:
        """The keys, ranks and top lists as JSON values (saved with the layer)."""
        return {"keys": self.keys, "ranks": self.ranks.tolist(), "top": self.top}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PrefixIndex:
        """Check the shape (a saved layer is read from disk) and rebuild the arrays."""
        keys, ranks, top = data["keys"], data["ranks"], data["top"]
        if not (isinstance(keys, list) and isinstance(ranks, list) and len(keys) == len(ranks)):
            raise ValueError("a prefix index needs as many ranks as keys")
        if not isinstance(top, dict):
            raise ValueError("a prefix index's top lists must be a mapping")
        return cls(keys, np.asarray(ranks, dtype=np.int32), top)


def merged(groups: Sequence[list[int]], limit: int) -> list[int]:
    """The groups one after the other, without repeats, at most `limit`."""
    out: dict[int, None] = {}
    for group in groups:
        for rank in group:
            out.setdefault(rank)
            if len(out) >= limit:
                return list(out)
    return list(out)
