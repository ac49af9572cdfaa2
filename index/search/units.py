"""Document frequencies over units larger than a sentence (articles, paragraphs), saved per segment.

The rerank scores a question against whole articles and paragraphs with BM25
(`index.answer.rerank._bm25_stats`): per term, how many articles and how many paragraphs hold
it. Counting that reads every posting (6.5 s at ten million sentences, on a fresh process's
first answer and again after every commit), so each generation counts its own units once, when
it is written, and saves the counts beside its postings (`unit_df_doc`, `unit_df_key`: one int
per term of its vocabulary). An article never spans two segments, so a chain's counts are the
sums of its segments' (`index.search.live.LiveBM25`); a segment with removals recounts itself.

A unit is a run of passages: "doc" groups by the passage's article row, "key" by (article,
paragraph). Within a term's postings (passages ascending) each run of one unit opens once, so
a unit holding the term is counted once however many of its sentences hold it.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

__all__ = ["ARRAYS", "UnitCounts", "counted_units", "run_counts", "unit_ids"]

ARRAYS = {"doc": "unit_df_doc", "key": "unit_df_key"}  # unit -> the array a generation saves
BLOCK = 1 << 20  # postings compared at a time: about 20 bytes each of transients at a build's commit


@runtime_checkable
class UnitCounts(Protocol):
    """An engine that knows its unit document frequencies without reading its postings."""

    def unit_doc_freq(self, unit: str) -> np.ndarray | None:
        """Per term id, how many units ("doc", "key") hold it; None when not known."""
        ...


def unit_ids(passages: np.ndarray, unit: str) -> np.ndarray:
    """Each passage's unit, numbered 0.. in order of the sorted unit keys (as `np.unique` would)."""
    doc = np.asarray(passages["doc"], dtype=np.int64)
    if unit == "doc":
        return doc
    return key_ids(doc * (1 << 32) + np.asarray(passages["paragraph"], dtype=np.int64))


def key_ids(keys: np.ndarray) -> np.ndarray:
    """`np.unique(keys, return_inverse=True)[1]`, in O(n) when `keys` is already sorted (a corpus
    lays its passages out article by article, paragraph by paragraph).
    """
    if len(keys) and not bool(np.all(keys[1:] >= keys[:-1])):
        inverse: np.ndarray = np.unique(keys, return_inverse=True)[1]
        return inverse
    ids = np.zeros(len(keys), dtype=np.int64)
    if len(keys) > 1:
        np.cumsum(keys[1:] != keys[:-1], out=ids[1:])
    return ids


def run_counts(
    indptr: np.ndarray, docs: np.ndarray, group_of: np.ndarray, live: np.ndarray | None = None
) -> np.ndarray:
    """Per term of a CSR (`indptr`, `docs` ascending within a term), how many distinct groups
    (`group_of[doc]`, non-decreasing in doc) hold it; with `live` (per doc), only live docs count.
    Whole groups are removed, so a run's opening posting is live exactly when its group is.

    `BLOCK` postings at a time, counting the runs opened before each term's first posting (a
    prefix sum read at the term boundaries): memory stays O(BLOCK) at any size (a whole-array
    `np.add.reduceat(..., dtype=int64)` makes an 8-byte copy of every posting: 1.2 GB at 10M).
    """
    indptr = np.asarray(indptr, dtype=np.int64)
    n_terms = max(len(indptr) - 1, 0)
    nnz = int(indptr[-1]) if n_terms else 0
    if not nnz:
        return np.zeros(n_terms, dtype=np.int64)
    group_of = np.asarray(group_of)
    alive = None if live is None else np.asarray(live, dtype=bool)
    starts = indptr[:-1]
    before = np.zeros(len(indptr), dtype=np.int64)  # runs opened before each boundary of `indptr`
    opened = 0
    last = None  # the group of the posting before the block
    for lo in range(0, nnz, BLOCK):
        hi = min(lo + BLOCK, nnz)
        ids = np.asarray(docs[lo:hi])
        of_posting = group_of[ids]
        opens = np.empty(hi - lo, dtype=bool)  # a posting opening a (term, group) run
        opens[0] = last is None or of_posting[0] != last
        np.not_equal(of_posting[1:], of_posting[:-1], out=opens[1:])
        last = of_posting[-1]
        first, past = np.searchsorted(starts, [lo, hi])  # terms whose first posting is in the block
        opens[starts[first:past] - lo] = True
        if alive is not None:
            opens &= alive[ids]
        running = np.cumsum(opens, dtype=np.int64)
        inside, after = np.searchsorted(indptr, [lo, hi], side="right")  # boundaries in (lo, hi]
        before[inside:after] = opened + running[indptr[inside:after] - lo - 1]
        opened += int(running[-1])
    counts: np.ndarray = np.diff(before)
    return counts


def counted_units(indptr: np.ndarray, docs: np.ndarray, passages: np.ndarray) -> dict[str, np.ndarray]:
    """The arrays a generation saves: each unit's document frequency per term of its vocabulary."""
    return {name: run_counts(indptr, docs, unit_ids(passages, unit)) for unit, name in ARRAYS.items()}
