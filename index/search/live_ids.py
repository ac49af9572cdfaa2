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


def search(docs: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """`docs.searchsorted(keys)` with the keys in the saved ids' type where they fit (numpy
    searches in a common type: int64 keys would copy a whole int32 list; as
    `index.answer.sorted_ids.fit`, which the search room does not import).
    """
    if keys.dtype != docs.dtype and keys.size:
        info = np.iinfo(docs.dtype)
        if info.min <= int(keys.min()) and int(keys.max()) <= info.max:
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
    dead: np.ndarray  # their sentences (int64)

    @classmethod
    def of(cls, number: int, local: int, lo: int, docs: np.ndarray, offset: int, removed: np.ndarray) -> Piece:
        """The piece of `docs` (saved ids) with `removed` (the segment's removed ids, ascending) skipped."""
        hits, dead = np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.int64)
        if len(removed) and len(docs):
            at = search(docs, removed)
            held = docs.take(at, mode="clip") == removed  # clip: past the end
            hits, dead = at[held], removed[held]
        below = removed - np.arange(len(removed), dtype=np.int64)
        return cls(number, local, lo, docs, offset, removed, below, hits, dead)

    def __len__(self) -> int:
        return len(self.docs) - len(self.hits)

    def raw(self, q: np.ndarray) -> np.ndarray:
        """Positions in `docs` of the live postings at positions `q` of this piece."""
        if not len(self.hits):
            return q
        shift = self.hits - np.arange(len(self.hits))  # live postings before each removed one
        raw: np.ndarray = q + np.searchsorted(shift, q, "right")
        return raw

    def live(self, s: np.ndarray) -> np.ndarray:
        """Live ids of the segment's (live) sentences `s`."""
        s = s.astype(np.int64)
        if len(self.removed):
            s -= np.searchsorted(self.removed, s)
        s += self.offset
        return s

    def count_below(self, keys: np.ndarray) -> np.ndarray:
        """How many of this piece's live ids are below each key (int64 keys)."""
        u = keys - self.offset
        s = u + np.searchsorted(self.below, u, "right") if len(self.removed) else u  # the u-th live sentence
        np.maximum(s, 0, out=s)
        count: np.ndarray = search(self.docs, s)
        if len(self.hits):
            count -= np.searchsorted(self.dead, s)
        return count


class SkippingIds:
    """A term's live passages, ascending, as the concatenation of its pieces' live ids (disjoint,
    ascending from piece to piece), never laid out unless asked (`astype`, `__array__`).
    """

    dtype = np.dtype(np.intp)  # the laid-out list's type (`LiveBM25._read`'s)

    def __init__(self, pieces: list[Piece]) -> None:
        self.pieces = pieces
        self._ends = np.cumsum([len(p) for p in pieces], dtype=np.int64)
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
        out = np.zeros(keys.shape, dtype=np.intp)
        for piece in self.pieces:
            out += piece.count_below(keys)
        return out

    def locate(self, positions: Any) -> tuple[np.ndarray, np.ndarray]:
        """Each position's piece and its position in that piece's `docs` (numpy's negative positions)."""
        pos = np.asarray(positions, dtype=np.intp)
        pos = np.where(pos < 0, pos + self._length, pos)
        if pos.size and (int(pos.min()) < 0 or int(pos.max()) >= self._length):
            raise IndexError(f"index out of bounds for a list of {self._length} passages")
        piece_of = np.searchsorted(self._ends, pos, "right")
        raw = np.empty(pos.shape, dtype=np.intp)
        start = 0
        for i, piece in enumerate(self.pieces):
            mine = piece_of == i
            if mine.any():
                raw[mine] = piece.raw(pos[mine] - start)
            start += len(piece)
        return piece_of, raw

    def __getitem__(self, positions: Any) -> np.ndarray:
        """The live ids at these positions (an integer array)."""
        piece_of, raw = self.locate(positions)
        out = np.empty(raw.shape, dtype=np.intp)
        for i, piece in enumerate(self.pieces):
            mine = piece_of == i
            if mine.any():
                out[mine] = piece.live(piece.docs[raw[mine]])
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
