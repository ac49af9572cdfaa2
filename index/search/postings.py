"""The seam between the answer room and the postings engine.

Rerank, spelling, related words, aliases and coverage ask these questions of the index and
nothing else, so another engine (segments scored at query time, a compiled library, a remote
shard) plugs in by implementing this protocol. `index.search.bm25.BM25` is the first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np

from index.search.live_ids import SkippingIds


class Postings(Protocol):
    """A BM25 postings engine over passages numbered 0..n_docs-1."""

    # Read-only properties: an engine may hold them as plain attributes (a dict, a list).
    @property
    def n_docs(self) -> int:
        """How many passages the engine holds."""
        ...

    @property
    def vocab(self) -> Mapping[str, int]:
        """Term -> term id."""
        ...

    @property
    def terms(self) -> Sequence[str]:
        """Term id -> term."""
        ...

    def term_idf(self, tid: int) -> float:
        """rank-bm25's idf of a term (negative idfs already floored)."""
        ...

    def doc_freq(self, tid: int) -> int:
        """How many passages hold the term."""
        ...

    def doc_lengths(self) -> np.ndarray:
        """Token count of every passage (int array of length n_docs)."""
        ...

    def postings(self, tid: int) -> tuple[np.ndarray, np.ndarray]:
        """The passages holding a term (ascending) and the term's BM25 weight in each."""
        ...

    def doc_ids(self, tid: int) -> np.ndarray | SkippingIds:
        """The passages holding a term, ascending, in the engine's own integer type (a view where
        it can, or read where probed: `SkippingIds`): what a binary search of a long list reads
        without weighing every posting.
        """
        ...

    def weights_at(self, tid: int, positions: np.ndarray) -> np.ndarray:
        """The term's BM25 weights (float32, equal to `postings`') at these positions of `doc_ids(tid)`."""
        ...

    def group_doc_freq(self, group_of: np.ndarray) -> np.ndarray:
        """Per term id, how many groups of passages hold the term, where `group_of[pid]` is the
        group of each passage, non-decreasing in pid (articles, paragraphs): the document
        frequencies of BM25 over larger units, which the rerank reads for every term at once.
        """
        ...

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        """Dense BM25 scores of every passage, equal to rank-bm25's `get_scores`."""
        ...

    def top(self, tokens: Sequence[str], k: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """The k best passages matching at least one term, best first, and their scores."""
        ...


__all__ = ["Postings"]
