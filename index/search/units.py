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

Each generation also saves where its units begin (`first_doc`, `first_key`: the first passage of
each article row and of each paragraph, then its number of passages): the rerank's runs
(`index.answer.layout.Units`) are otherwise one pass over every passage row on a fresh process's
first answer (0.15 CPU s at ten million sentences, and as long again to copy a chain's two columns
first). A chain's are its segments' shifted to the view's ids (`view_runs`), linear in the
paragraphs; a segment saved without them (an older generation, a commit not yet written) works
its own out from its rows.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

_NOT_YET = np.iinfo(np.int64).max  # an article's first passage not known yet (`view_runs`)

__all__ = [
    "ARRAYS",
    "RUNS",
    "TOKENS",
    "RunPart",
    "UnitCounts",
    "UnitRuns",
    "checked_runs",
    "checked_tokens",
    "counted_units",
    "paragraph_starts",
    "run_counts",
    "saved_runs",
    "saved_tokens",
    "unit_ids",
    "view_runs",
    "view_tokens",
]

ARRAYS = {"doc": "unit_df_doc", "key": "unit_df_key"}  # unit -> the array a generation saves
RUNS = {"doc": "first_doc", "key": "first_key"}  # unit -> its first passages, saved by a generation
TOKENS = {"doc": "tokens_doc"}  # unit -> the tokens of each of its units (articles), saved by a generation
BLOCK = 1 << 20  # postings compared at a time: about 20 bytes each of transients at a build's commit
THREADED_POSTINGS = 1 << 22  # postings past which `counted_units` counts its units in threads


@runtime_checkable
class UnitCounts(Protocol):
    """An engine that knows its unit document frequencies without reading its postings."""

    def unit_doc_freq(self, unit: str) -> np.ndarray | None:
        """Per term id, how many units ("doc", "key") hold it; None when not known."""
        ...


@runtime_checkable
class UnitRuns(Protocol):
    """An engine that knows where its articles and paragraphs begin without reading its rows."""

    def unit_runs(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(first passage of each article row, first passage of each paragraph), each then the
        number of passages (int64), as `index.answer.layout.units_of` makes them; None when not known.
        """
        ...

    def unit_lengths(self, unit: str) -> np.ndarray | None:
        """Tokens of each unit of `unit_runs` (float64), as `Units.lengths` sums them from the
        sentence lengths; None when not known.
        """
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
    """The arrays a generation saves: each unit's document frequency per term of its vocabulary.

    Past `THREADED_POSTINGS` the units are counted in two threads (numpy's gathers and sums release
    the GIL): a build's commit runs after its workers are done, with the other cores idle (10M
    sentences: 5.0 s serial, 3.2 s threaded; the same arrays).
    """

    def count(unit: str) -> np.ndarray:
        return run_counts(indptr, docs, unit_ids(passages, unit))

    nnz = int(indptr[-1]) if len(indptr) > 1 else 0
    if nnz < THREADED_POSTINGS or (os.cpu_count() or 1) < 2:
        return {name: count(unit) for unit, name in ARRAYS.items()}
    from concurrent.futures import ThreadPoolExecutor  # here: only a large commit pays for the import

    with ThreadPoolExecutor(len(ARRAYS)) as pool:
        counting = {name: pool.submit(count, unit) for unit, name in ARRAYS.items()}
        return {name: future.result() for name, future in counting.items()}


def paragraph_starts(passages: np.ndarray) -> np.ndarray:
    """The rows that open a paragraph, in rows laid out article by article, paragraph by paragraph:
    one comparison pass over the "doc" and "paragraph" columns.
    """
    doc, par = passages["doc"], passages["paragraph"]
    opens = np.ones(len(passages), dtype=bool)
    np.not_equal(doc[1:], doc[:-1], out=opens[1:])
    opens[1:] |= par[1:] != par[:-1]
    return np.flatnonzero(opens)


def saved_runs(passages: np.ndarray, n_articles: int) -> dict[str, np.ndarray]:
    """The runs a generation saves (`RUNS`): `first_key`, the first passage of each paragraph (a run
    of one (article, paragraph) in rows stored article by article), then the number of passages;
    `first_doc`, the first passage of each of its `n_articles` article rows (an article without
    passages: the next's), then the number. int32 while the passages fit.
    """
    n = len(passages)
    doc = passages["doc"]
    starts = paragraph_starts(passages)
    firsts = np.append(starts, n)
    dtype = np.int32 if n < 2**31 else np.int64
    by_doc = firsts[np.searchsorted(np.asarray(doc[starts]), np.arange(n_articles + 1))]
    return {RUNS["doc"]: by_doc.astype(dtype), RUNS["key"]: firsts.astype(dtype)}


def saved_tokens(first_doc: np.ndarray, lengths: np.ndarray) -> dict[str, np.ndarray]:
    """The article token counts a generation saves (`TOKENS`): the sentence `lengths` summed over
    each article row's run of `first_doc` (`saved_runs`; an article without passages: 0), int64.
    """
    first = np.asarray(first_doc, dtype=np.int64)
    sums = np.zeros(max(len(first) - 1, 0), dtype=np.int64)
    held = np.flatnonzero(first[1:] > first[:-1])  # the articles with passages: each runs to the next's
    if len(held):  # summed in int32 as `Units.lengths` sums them (an article is at most 5 MB of text)
        sums[held] = np.add.reduceat(np.asarray(lengths).astype(np.int32), first[held])
    return {TOKENS["doc"]: sums}


def checked_tokens(arrays: Mapping[str, np.ndarray], n_articles: int) -> np.ndarray | None:
    """A generation's saved article token counts when present and of its shape (else None)."""
    tokens = arrays.get(TOKENS["doc"])
    if tokens is None or tokens.ndim != 1 or len(tokens) != n_articles or tokens.dtype.kind not in "iu":
        return None
    return tokens


def view_tokens(parts: Sequence[np.ndarray], deads: Sequence[np.ndarray | None], n_units: int) -> np.ndarray:
    """The tokens of each of a chain's live articles (each segment's `saved_tokens` less its removed
    article rows, `deads`), the first `n_units` of them (`view_runs` trims the articles after the
    last one with passages), as float64: what `Units.lengths("doc", ...)` gives.
    """
    pieces = [
        np.asarray(tokens, dtype=np.int64) if dead is None else np.asarray(tokens, dtype=np.int64)[~dead]
        for tokens, dead in zip(parts, deads, strict=True)
    ]
    whole = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)
    return whole[:n_units].astype(np.float64)


def checked_runs(
    arrays: Mapping[str, np.ndarray], n_passages: int, n_articles: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """A generation's saved (`first_doc`, `first_key`) when present and of its shape (else None:
    the reader works them out again from the rows).
    """
    doc, key = arrays.get(RUNS["doc"]), arrays.get(RUNS["key"])
    if doc is None or key is None or doc.ndim != 1 or key.ndim != 1:
        return None
    if len(doc) != n_articles + 1 or not len(key) or int(doc[-1]) != n_passages or int(key[-1]) != n_passages:
        return None
    if int(key[0]) != 0 or int(doc[0]) != 0 or bool(np.any(key[1:] < key[:-1])):
        return None
    return doc, key


@dataclass(frozen=True, slots=True)
class RunPart:
    """One segment's runs and where its passages sit in a chain's view."""

    first_doc: np.ndarray  # segment-local (`saved_runs`)
    first_key: np.ndarray
    offset: int  # view id of its first passage when none is removed
    pid_map: np.ndarray | None  # its passage -> view passage, -1 if removed (None: none removed)
    dead: np.ndarray | None  # per article row, whether it is removed (None: none removed)


def view_runs(parts: Sequence[RunPart], total: int) -> tuple[np.ndarray, np.ndarray]:
    """The chain's (first passage of each article row, of each paragraph), then `total`, in view
    ids, trimmed as `index.answer.layout.units_of` leaves them (up to the last article with passages):
    each segment's live paragraphs and articles shifted, or mapped where it has removals (whole
    articles go, so a live paragraph's first passage is live). Linear in the paragraphs.
    """
    keys: list[np.ndarray] = []
    docs: list[np.ndarray] = []
    for part in parts:
        key = np.asarray(part.first_key[:-1], dtype=np.int64)
        doc = np.asarray(part.first_doc, dtype=np.int64)
        if part.pid_map is None:
            keys.append(key + part.offset)
            docs.append(doc[:-1] + part.offset)  # an empty article's is the next's: still right here
            continue
        mapped = np.asarray(part.pid_map)[key]
        keys.append(mapped[mapped >= 0].astype(np.int64))
        live = np.ones(len(doc) - 1, dtype=bool) if part.dead is None else ~np.asarray(part.dead, dtype=bool)
        present = doc[:-1] < doc[1:]  # an article with passages (its first one is live if it is)
        firsts = np.full(len(doc) - 1, _NOT_YET, dtype=np.int64)
        firsts[present] = np.asarray(part.pid_map)[doc[:-1][present]]
        docs.append(firsts[live])
    end = np.asarray([total], dtype=np.int64)
    key_first = np.concatenate([*keys, end])
    full = np.concatenate([*docs, end])
    # an empty article (and one whose next was removed) takes the next article's first passage
    full = np.minimum.accumulate(full[::-1])[::-1]
    filled = np.flatnonzero(full[:-1] < full[1:])
    return full[: (int(filled[-1]) + 2 if len(filled) else 1)], key_first
