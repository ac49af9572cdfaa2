"""Where each passage's article and paragraph begin and end: the rerank's tables of a passage layout.

The rerank looks at a candidate's article and paragraph (its neighbours, the bounds a term's
postings are counted between, the unit's BM25 length norm). It used to keep contiguous copies of
the layout's article and paragraph columns, an int64 (article, paragraph) key and a float64 norm
per passage: 320 MB at ten million sentences, made in about 15 passes over them on a fresh
process's first answer. A layout is stored article by article, paragraph by paragraph, so each
paragraph is a run of passages: one int32 paragraph number per passage and the first passage of
each article and paragraph say the same (56 MB at ten million sentences, a few passes). The
article column itself is read from the layout where a candidate needs it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.search.segments import first_rows

__all__ = ["Units", "units_of"]


@dataclass(frozen=True, slots=True)
class Units:
    """A layout's articles and paragraphs as runs of passages."""

    doc: np.ndarray  # each passage's article row (the layout's own column: a view, not a copy)
    paragraph: np.ndarray  # each passage's paragraph, numbered 0.. over the whole layout (int32)
    doc_first: np.ndarray  # first passage of article row d (d = 0 .. last article + 1; empty: the next's)
    paragraph_first: np.ndarray  # first passage of each paragraph, then the number of passages

    def unit(self, unit: str) -> np.ndarray:
        """Each passage's unit: "doc" its article row, "key" its paragraph number."""
        return self.doc if unit == "doc" else self.paragraph

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
    """The article and paragraph runs of a layout sorted by (article, paragraph), as a stored one is."""
    doc, par = layout["doc"], layout["paragraph"]
    n = len(layout)
    opens = np.ones(n, dtype=bool)  # a passage opening a paragraph
    np.not_equal(doc[1:], doc[:-1], out=opens[1:])
    opens[1:] |= par[1:] != par[:-1]
    paragraph = opens.astype(np.int32)  # then numbered in place: cumsum casting bool was 0.2 s at 10M
    np.cumsum(paragraph, out=paragraph)
    paragraph -= 1
    paragraph_first = np.append(np.flatnonzero(opens), n).astype(np.int64)
    return Units(np.asarray(doc), paragraph, first_rows(doc).astype(np.int64), paragraph_first)
