"""A term's live passages over a chain where a segment lost sentences, read only where probed.

A segment with removals maps its sentence s to the live id offset + s - (its removed sentences
below s), the removed ones skipped (`SegmentPostings.pid_map`'s values). Laying a long list out
that way reads, maps and weighs every posting (a common term holds millions at 10M sentences);
the rerank probes a few hundred of them. `SkippingIds` answers the rerank's and the aliases'
reads (`searchsorted`, indexing, `take`, `len`) from the segments' saved ids with binary
searches, stepping over the term's few removed postings: the same values as the laid-out list,
each probe O(log list + log removed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Piece", "SkippingIds"]


_LIMITS: dict[np.dtype, tuple[int, int]] = {}  # an integer type's bounds (np.iinfo costs microseconds)


def search(docs: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """`docs.searchsorted(keys)` with the keys in the saved ids' type where they fit (numpy
    searches in a common type: int64 keys would copy a whole int32 list; as
    `index.answer.sorted_ids.fit`, which the search room does not import).
    """
    if keys.dtype != docs.dtype and keys.size:
        limits = _LIMITS.get(docs.dtype)
        if limits is None:
            info = np.iinfo(docs.dtype)
            limits = _LIMITS[docs.dtype] = (int(info.min), int(info.max))
        if limits[0] <= int(keys.min()) and int(keys.max()) <= limits[1]:
            keys = keys.astype(docs.dtype)
    found: np.ndarray = docs.searchsorted(keys)
    return found


@dataclass(frozen=True, slots=True)
class Piece:
    """One segment's postings of a term (saved ids, ascending) and what of them is removed."""

    number: int  # the segment's number in the chain
    local: int  # the term's id in the segment
    lo: int  # the term's first posting in the segment's arrays
    docs: np.ndarray  # the segment's saved ids of the term (a view)
    offset: int  # live id of the segment's first live sentence
    removed: np.ndarray  # the segment's removed sentences (int64, ascending; empty: none)
    below: np.ndarray  # removed[i] - i: the live sentences below each removed one
    hits: np.ndarray  # positions in `docs` of the removed postings (ascending)
    shift: np.ndarray  # hits[j] - j: the live postings before each removed one
    dead: np.ndarray  # the removed postings' sentences (int64)
    length: int  # live postings

    @classmethod
    def of(cls, number: int, local: int, lo: int, docs: np.ndarray, offset: int, removed: np.ndarray) -> Piece:
        """The piece of `docs` (saved ids) with `removed` (the segment's removed ids, ascending) skipped."""
        hits, dead = _NONE, _NONE
        if len(removed) and len(docs):
            at = search(docs, removed)
            held = docs.take(at, mode="clip") == removed  # clip: past the end
            hits, dead = at[held], removed[held]
        below = removed - np.arange(len(removed), dtype=np.int64)
        shift = hits - np.arange(len(hits))
        return cls(number, local, lo, docs, offset, removed, below, hits, shift, dead, len(docs) - len(hits))

    def raw(self, q: np.ndarray) -> np.ndarray:
        """Positions in `docs` of the live postings at positions `q` of this piece."""
        if not len(self.hits):
            return q
        raw: np.ndarray = q + np.searchsorted(self.shift, q, "right")
        return raw

    def live(self, s: np.ndarray) -> np.ndarray:
        """Live ids of the segment's (live) sentences `s`."""
        s = s.astype(np.int64)
        if len(self.removed):
            s -= np.searchsorted(self.removed, s)
        if self.offset:
            s += self.offset
        return s

    def count_below(self, keys: np.ndarray) -> np.ndarray:
        """How many of this piece's live ids are below each key (int64 keys)."""
        u = keys - self.offset if self.offset else keys
        s = u + np.searchsorted(self.below, u, "right") if len(self.removed) else u.copy()  # the u-th live sentence
        np.maximum(s, 0, out=s)
        count: np.ndarray = search(self.docs, s)
        if len(self.dead):
            count -= np.searchsorted(self.dead, s)
        return count


_NONE = np.zeros(0, dtype=np.int64)


class SkippingIds:
    """A term's live passages, ascending, as the concatenation of its pieces' live ids (disjoint,
    ascending from piece to piece), never laid out unless asked (`astype`, `__array__`).
    """

    dtype = np.dtype(np.intp)  # the laid-out list's type (`LiveBM25._read`'s)

    def __init__(self, pieces: list[Piece]) -> None:
        self.pieces = pieces
        self._ends = np.cumsum([p.length for p in pieces], dtype=np.int64)
        self._length = int(self._ends[-1]) if len(pieces) else 0

    def __len__(self) -> int:
        return self._length

    @property
    def shape(self) -> tuple[int]:
        """One dimension, as a list's."""
        return (self._length,)

    def searchsorted(self, keys: Any) -> np.ndarray:
        """`np.searchsorted(list, keys)` (side "left"): the live ids below each key, summed over the pieces."""
        keys = np.asarray(keys).astype(np.int64)
        out = self.pieces[0].count_below(keys) if self.pieces else np.zeros(keys.shape, dtype=np.intp)
        for piece in self.pieces[1:]:
            out += piece.count_below(keys)
        return out

    def locate(self, positions: Any) -> list[tuple[int, np.ndarray | None, np.ndarray]]:
        """Per piece holding some of these positions (numpy's negative ones counted from the end):
        its number in `pieces`, which positions (None: all) and their positions in its `docs`.
        """
        pos = np.asarray(positions, dtype=np.intp)
        if not pos.size:
            return []
        low, high = int(pos.min()), int(pos.max())
        if low < 0:
            pos = np.where(pos < 0, pos + self._length, pos)
            low = int(pos.min())
        if low < 0 or high >= self._length:
            raise IndexError(f"index out of bounds for a list of {self._length} passages")
        if len(self.pieces) == 1:
            return [(0, None, self.pieces[0].raw(pos))]
        piece_of = np.searchsorted(self._ends, pos, "right")
        out, start = [], 0
        for i, piece in enumerate(self.pieces):
            mine = piece_of == i
            if mine.any():
                out.append((i, mine, piece.raw(pos[mine] - start)))
            start += piece.length
        return out

    def __getitem__(self, positions: Any) -> np.ndarray:
        """The live ids at these positions (an integer array)."""
        out = np.empty(np.shape(positions), dtype=np.intp)
        for i, mine, raw in self.locate(positions):
            piece = self.pieces[i]
            if mine is None:
                out[...] = piece.live(piece.docs[raw])
            else:
                out[mine] = piece.live(piece.docs[raw])
        return out

    def take(self, positions: Any, mode: str = "raise") -> np.ndarray:
        """`ndarray.take` (mode "clip": positions past either end read the end)."""
        pos = np.asarray(positions, dtype=np.intp)
        if mode == "clip" and self._length:
            pos = np.clip(pos, 0, self._length - 1)
        return self[pos]

    def astype(self, dtype: Any) -> np.ndarray:
        """The whole list laid out (a copy in `dtype`)."""
        parts = [piece.live(np.delete(piece.docs, piece.hits)) for piece in self.pieces]
        out = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        return out.astype(dtype)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self.astype(self.dtype if dtype is None else dtype)
