"""Where each passage's article and paragraph begin and end: the rerank's tables of a passage layout.

The rerank looks at a candidate's article and paragraph (its neighbours, the bounds a term's
postings are counted between, the unit's BM25 length norm). It used to keep contiguous copies of
the layout's article and paragraph columns, an int64 (article, paragraph) key and a float64 norm
per passage: 320 MB at ten million sentences, made in about 15 passes over them on a fresh
process's first answer. A layout is stored article by article, paragraph by paragraph, so each
paragraph is a run of passages: the first passage of each article and paragraph say the same
(16 MB at ten million sentences, one pass over the two columns). A passage's paragraph number
is a binary search of those firsts (`paragraph_of`), made for the candidates a question looks
at: a one-question process (`python -m bot ask`) no longer numbers ten million passages (an
int32 each) to read a few hundred. The article column itself is read from the layout where a
candidate needs it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.search.segments import first_rows
from index.search.units import paragraph_starts

__all__ = ["Units", "units_of"]


@dataclass(frozen=True, slots=True)
class Units:
    """A layout's articles and paragraphs as runs of passages."""

    doc: np.ndarray  # each passage's article row (the layout's own column: a view, not a copy)
    doc_first: np.ndarray  # first passage of article row d (d = 0 .. last article + 1; empty: the next's)
    paragraph_first: np.ndarray  # first passage of each paragraph, then the number of passages

    def paragraph_of(self, pids: np.ndarray) -> np.ndarray:
        """The paragraph of each passage (any shape), numbered 0.. over the whole layout."""
        found: np.ndarray = np.searchsorted(self.paragraph_first, pids, side="right") - 1
        return found

    def unit(self, unit: str) -> np.ndarray:
        """Each passage's unit: "doc" its article row, "key" its paragraph number (int32, made
        whole here: only an engine without saved unit counts asks for it).
        """
        if unit == "doc":
            return self.doc
        first = self.paragraph_first
        return np.repeat(np.arange(len(first) - 1, dtype=np.int32), np.diff(first))

    def lengths(self, unit: str, passage_lengths: np.ndarray) -> np.ndarray:
        """Tokens of each unit (float64, as `np.bincount(unit, weights=lengths)` sums them: exactly)."""
        first = self.doc_first if unit == "doc" else self.paragraph_first
        lengths = np.asarray(passage_lengths)
        if not len(lengths):
            return np.zeros(len(first) - 1)
        if lengths.dtype != np.int32:  # summed in int32, which holds any unit (an article is at most
            lengths = lengths.astype(np.int32)  # 5 MB); uint8 lengths would wrap; a dtype= argument casts slowly
        starts = np.minimum(first[:-1], len(lengths) - 1)  # an empty last unit: zeroed below
        sums = np.add.reduceat(lengths, starts)
        sums[first[1:] == first[:-1]] = 0  # reduceat gives an empty run its next element
        return sums.astype(np.float64)


def units_of(layout: np.ndarray) -> Units:
    """The article and paragraph runs of a layout sorted by (article, paragraph), as a stored one is:
    one comparison pass over the two columns; the articles' firsts from the paragraphs' (an
    article opens a paragraph).
    """
    doc = layout["doc"]
    n = len(layout)
    starts = paragraph_starts(layout)
    paragraph_first = np.append(starts, n).astype(np.int64)
    doc_first = first_rows(np.asarray(doc[starts], dtype=np.int64))  # over paragraphs: then as passages
    return Units(np.asarray(doc), np.append(starts, n)[doc_first].astype(np.int64), paragraph_first)
