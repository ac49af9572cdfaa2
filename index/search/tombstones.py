"""What a segment's removed articles take out of its saved counts, worked out once, at the removal.

A reader of a chain needs, per term of each segment, how many *live* sentences hold it (BM25's
df) and how many live articles and paragraphs (the rerank's units, `index.search.units`). A
segment saves those counts for all its articles; once some are removed (tombstones), every
reader recounted over all the segment's postings: for a removal in a 10M-sentence base, a scan
of 148M postings, about 7 CPU s in every process until the next merge.

Removed articles are whole, their text is saved, and the tokenizer is the index's own (a change
of it rebuilds the index). So the commit that removes an article tokenizes its sentences again,
as the build did, and saves what they held: per term of the segment, the sentences, articles and
paragraphs removed, summed over every removal since the segment was written. Each commit adds
its own removals to the previous head's sums (proportional to the change) and saves them in the
new head (`removed_rows`: how many tombstoned rows of each earlier segment the sums cover;
`removed_counts`: rows of (segment, term, sentences, articles, paragraphs)). Readers subtract
them (`index.search.live`); sums that do not cover a segment's tombstones exactly, or a
sentence that does not tokenize back to its saved length, are not used: that segment is
recounted over its postings as before. Small segments are left to that recount (it is cheap).
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from index.search import tokens
from index.search.store import Saved

__all__ = ["ROWS", "COUNTS", "MIN_POSTINGS", "Removed", "carried", "count_removed", "saved_removed", "to_arrays"]

ROWS = "removed_rows"  # per earlier segment of the head (`meta["segments"]`): tombstoned rows covered
COUNTS = "removed_counts"  # (n, 5) int64: segment position, term, sentences, articles, paragraphs
MIN_POSTINGS = 1 << 20  # a segment with fewer postings is recounted by its readers (milliseconds)


@dataclass(frozen=True)
class Removed:
    """Per segment-local term (distinct, ascending), what the segment's removed articles held."""

    rows: int  # tombstoned article rows these sums cover
    terms: np.ndarray
    sentences: np.ndarray
    articles: np.ndarray
    paragraphs: np.ndarray

    def plus(self, other: Removed) -> Removed:
        """The sums over both sets of removed rows (which must not overlap)."""
        terms = np.concatenate([self.terms, other.terms])
        unique, where = np.unique(terms, return_inverse=True)

        def summed(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            return np.bincount(where, weights=np.concatenate([a, b]), minlength=len(unique)).astype(np.int64)

        return Removed(
            self.rows + other.rows,
            unique.astype(np.int64),
            summed(self.sentences, other.sentences),
            summed(self.articles, other.articles),
            summed(self.paragraphs, other.paragraphs),
        )

    def unit(self, unit: str) -> np.ndarray:
        """The removed units ("doc": articles, "key": paragraphs) of each of `terms`."""
        return self.articles if unit == "doc" else self.paragraphs


def _none() -> Removed:
    empty = np.zeros(0, dtype=np.int64)
    return Removed(0, empty, empty, empty, empty)


def count_removed(segment: Saved, rows: Collection[int]) -> Removed | None:
    """What the articles at `rows` of `segment` held, from their saved text tokenized again;
    None when a sentence does not give back its saved number of terms (readers then recount).
    Proportional to those articles' text, plus one pass over the segment's vocabulary list.
    """
    passages, lengths = segment.arrays["passages"], segment.arrays["doc_len"]
    doc_column = passages["doc"]
    per_term: dict[str, list[int]] = {}  # term -> [sentences, articles, paragraphs]
    for row in sorted(rows):
        lo, hi = bisect.bisect_left(doc_column, row), bisect.bisect_left(doc_column, row + 1)
        body = segment.body_bytes(row).decode("utf-8")
        in_article: set[str] = set()
        in_paragraph: dict[int, set[str]] = {}
        for pid in range(lo, hi):
            sentence = passages[pid]
            terms = tokens.tokenize(body[int(sentence["start"]) : int(sentence["end"])])
            if len(terms) != int(lengths[pid]):
                return None
            distinct = set(terms)
            for term in distinct:
                per_term.setdefault(term, [0, 0, 0])[0] += 1
            in_article |= distinct
            in_paragraph.setdefault(int(sentence["paragraph"]), set()).update(distinct)
        for term in in_article:
            per_term[term][1] += 1
        for held in in_paragraph.values():
            for term in held:
                per_term[term][2] += 1
    ids = {term: i for i, term in enumerate(segment.meta["vocab"]) if term in per_term}
    if len(ids) != len(per_term):  # a removed sentence's term the segment does not know
        return None
    order = sorted(per_term, key=ids.__getitem__)
    counts = np.array([per_term[t] for t in order], dtype=np.int64).reshape(-1, 3)
    term_ids = np.array([ids[t] for t in order], dtype=np.int64)
    return Removed(len(set(rows)), term_ids, counts[:, 0], counts[:, 1], counts[:, 2])


def saved_removed(head: Saved) -> dict[str, Removed]:
    """The sums the head saved, by segment name (none for a head without them)."""
    names: Sequence[str] = head.meta.get("segments", [])
    if ROWS not in head.arrays or COUNTS not in head.arrays:
        return {}
    covered = np.asarray(head.arrays[ROWS], dtype=np.int64)
    table = np.asarray(head.arrays[COUNTS], dtype=np.int64).reshape(-1, 5)
    if len(covered) != len(names):
        return {}
    out = {}
    for position, name in enumerate(names):
        if covered[position] <= 0:
            continue
        mine = table[table[:, 0] == position]
        out[name] = Removed(int(covered[position]), mine[:, 1], mine[:, 2], mine[:, 3], mine[:, 4])
    return out


def carried(
    chain: Sequence[Saved],
    before: Mapping[str, Collection[int]],
    after: Mapping[str, Collection[int]],
) -> dict[str, Removed]:
    """The sums the next head saves: the current head's (`chain[-1]`), plus the articles this
    commit removes (`after` less `before`, rows by segment name) tokenized again. A large
    segment whose earlier removals have no sums gets them all counted now; a small one none.
    """
    previous = saved_removed(chain[-1]) if chain else {}
    out: dict[str, Removed] = {}
    for saved in chain:
        name = saved.path.name
        gone = set(after.get(name, ()))
        if not gone or len(saved.arrays["docs"]) < MIN_POSTINGS:
            continue
        old = set(before.get(name, ()))
        known = previous.get(name)
        if known is not None and known.rows == len(old) and old <= gone:
            new = count_removed(saved, gone - old) if gone - old else _none()
            total = None if new is None else known.plus(new)
        else:
            total = count_removed(saved, gone)
        if total is not None:
            out[name] = total
    return out


def to_arrays(removed: Mapping[str, Removed], segment_names: Sequence[str]) -> dict[str, np.ndarray]:
    """The head's two arrays for `removed` (its earlier segments `segment_names`, in order)."""
    if not removed:
        return {}
    covered = np.zeros(len(segment_names), dtype=np.int64)
    tables = []
    for position, name in enumerate(segment_names):
        sums = removed.get(name)
        if sums is None:
            continue
        covered[position] = sums.rows
        columns = [np.full(len(sums.terms), position), sums.terms, sums.sentences, sums.articles, sums.paragraphs]
        tables.append(np.stack([np.asarray(c, dtype=np.int64) for c in columns], axis=1))
    table = np.concatenate(tables) if tables else np.zeros((0, 5), dtype=np.int64)
    return {ROWS: covered, COUNTS: table}
