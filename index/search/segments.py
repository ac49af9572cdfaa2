"""The live view of a chain of segments: what a reader searches after adds, replacements and removals.

An index is a chain of generations, Lucene's way: the first is a whole build (or a merge), each
later one is a *segment* holding only the articles that commit added, and the newest names the
earlier ones (`segments`) and the articles removed from them (`deleted`: tombstones, rows of
each segment's articles). Segments never change once written; a commit writes a new segment and
moves `CURRENT` (see `index.search.store`).

BM25's scores depend on the whole live corpus (the number of sentences, their average length,
each term's document frequency), so an add or a removal changes every weight. Segments therefore
keep term frequencies, not weights: `merge` sums the live statistics from the segments and
weights each posting when a query reads it (`index.search.live.LiveBM25`), so opening a chain
rescores nothing and rank-bm25's scores stay exact. A chain of one segment without tombstones
(after a build or a merge) is read as it is, memory-mapped (`BM25`, weighted at query time too).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.search.bm25 import BM25, BM25Params
from index.search.live import LiveBM25, SegmentPostings
from index.search.store import PASSAGE_DTYPE, Saved, release
from index.search.tombstones import Removed, saved_removed
from index.search.units import ARRAYS as UNIT_ARRAYS

__all__ = ["Catalogue", "View", "catalogue", "extend", "first_rows", "merge", "recall", "remember"]

_last: dict[str, View] = {}  # the view a commit just made, by generation name (reopened at once)


def remember(generation: str, view: View) -> None:
    """Keep the live view of a commit just written, so that opening it does not merge again."""
    _last.clear()
    _last[generation] = view


def recall(generation: str) -> View | None:
    """The view `remember`ed for this generation, once (None otherwise)."""
    return _last.pop(generation, None)


@dataclass
class View:
    """The live articles and sentences of a chain, numbered densely (a passage id is a row here)."""

    segments: list[Saved]
    articles: list[dict[str, Any]]  # article metadata, in index order
    hashes: list[str]  # content hash of each article (what a reindex compares)
    origin: np.ndarray  # (articles, 2): segment number and row in that segment
    passages: np.ndarray  # PASSAGE_DTYPE, `doc` is the row in `articles`
    bm25: BM25
    maps: list[np.ndarray] | None = None  # per segment: its pid -> view pid, -1 if removed (`pid_maps`)
    postings: list[SegmentPostings] | None = None  # a chain's: what `bm25` is made of (`extend` reuses them)

    @property
    def pid_maps(self) -> list[np.ndarray]:
        """Per segment, its pid -> view pid (-1 if removed). A single generation's, the identity, is
        made on first use (80 MB at ten million sentences, which an answer never reads).
        """
        if self.maps is None:
            self.maps = [np.arange(len(self.passages), dtype=np.int64)]
        return self.maps

    def body_bytes(self, doc: int) -> bytes:
        """The UTF-8 body of the article at this row."""
        seg, row = int(self.origin[doc, 0]), int(self.origin[doc, 1])
        return self.segments[seg].body_bytes(row)


def first_rows(doc: np.ndarray, n_docs: int | None = None) -> np.ndarray:
    """`np.searchsorted(doc, np.arange(n_docs + 1))` of an ascending article column (the first
    passage of each article row, an empty one's the next's; `n_docs` defaults to the last row + 1),
    in one comparison pass: searchsorted copies a strided column first, and the saved rows' `doc`
    field is unaligned (21-byte rows): 0.2-0.3 s at ten million sentences against about 0.05 s.
    """
    n = len(doc)
    opens = np.ones(n, dtype=bool)  # a passage opening an article
    np.not_equal(doc[1:], doc[:-1], out=opens[1:])
    starts = np.flatnonzero(opens)
    present = np.asarray(doc[starts], dtype=np.int64)
    if n_docs is None:
        n_docs = int(present[-1]) + 1 if n else 0
    firsts: np.ndarray = np.append(starts, n)[np.searchsorted(present, np.arange(n_docs + 1))]
    return firsts


def _single(saved: Saved) -> View:
    meta = saved.meta
    n = len(meta["articles"])
    origin = np.zeros((n, 2), dtype=np.int64)
    origin[:, 1] = np.arange(n)
    passages = saved.arrays["passages"]
    return View(
        segments=[saved],
        articles=meta["articles"],
        hashes=meta.get("article_hashes", [""] * n),
        origin=origin,
        passages=passages,
        bm25=BM25.from_saved(meta["vocab"], saved.arrays, meta["bm25_sidecar"]),
    )


@dataclass
class Catalogue:
    """The live articles of a chain without their sentences or postings: what a commit compares."""

    articles: list[dict[str, Any]]
    hashes: list[str]
    origin: np.ndarray  # (articles, 2): segment number and row in that segment


def catalogue(segments: Sequence[Saved], deleted: Mapping[str, Collection[int]]) -> Catalogue:
    """The live articles of `segments` less the `deleted` rows (linear in the articles only)."""
    articles: list[dict[str, Any]] = []
    hashes: list[str] = []
    origins = []
    for number, saved in enumerate(segments):
        n_articles = len(saved.meta["articles"])
        gone = set(deleted.get(saved.path.name, ()))
        rows = [r for r in range(n_articles) if r not in gone] if gone else range(n_articles)
        seg_hashes = saved.meta.get("article_hashes", [""] * n_articles)
        articles.extend(saved.meta["articles"][r] for r in rows)
        hashes.extend(seg_hashes[r] for r in rows)
        origins.append(np.stack([np.full(len(rows), number, dtype=np.int64), np.asarray(rows, dtype=np.int64)], axis=1))
    origin = np.concatenate(origins) if origins else np.zeros((0, 2), dtype=np.int64)
    return Catalogue(articles, hashes, origin)


def _covering(sums: Removed | None, gone: Collection[int]) -> Removed | None:
    """The saved sums of a segment's removals if they cover exactly its tombstones (else it recounts)."""
    return sums if gone and sums is not None and sums.rows == len(set(gone)) else None


def _postings(
    saved: Saved, offset: int, pid_map: np.ndarray | None, rows: np.ndarray, removed: Removed | None
) -> SegmentPostings:
    """A segment's saved postings, its live sentences starting at `offset` in the view."""
    meta, arrays = saved.meta, saved.arrays
    return SegmentPostings(
        vocab=meta["vocab"],
        indptr=arrays["indptr"],
        docs=arrays["docs"],
        tf=arrays["tf"],
        doc_len=arrays["doc_len"],
        offset=offset,
        pid_map=pid_map,
        posting_len=arrays.get("posting_len"),
        unit_df={unit: arrays[name] for unit, name in UNIT_ARRAYS.items() if name in arrays},
        rows=rows,
        removed=removed,
    )


def merge(segments: Sequence[Saved], deleted: Mapping[str, Collection[int]], params: BM25Params) -> View:
    """The live view of `segments` (oldest first) less the `deleted` article rows of each (by name).

    Nothing is rescored: the postings stay in their segments (memory-mapped) and are weighted at
    query time with the live statistics (`index.search.live.LiveBM25`). Linear in the articles
    and sentences (their rows and lengths), plus a scan of the postings of segments with removals.
    """
    if len(segments) == 1 and not deleted.get(segments[0].path.name):
        return _single(segments[0])
    articles: list[dict[str, Any]] = []
    hashes: list[str] = []
    origins, rows_out, pid_maps = [], [], []
    postings: list[SegmentPostings] = []
    removed = saved_removed(segments[-1]) if segments else {}  # what removals took, saved by them
    pid_offset = 0
    for number, saved in enumerate(segments):
        meta, arrays = saved.meta, saved.arrays
        n_articles = len(meta["articles"])
        gone = list(deleted.get(saved.path.name, ()))
        dead = np.zeros(n_articles, dtype=bool)
        if gone:
            dead[np.asarray(gone, dtype=np.int64)] = True
        live_rows = np.flatnonzero(~dead)
        new_row = np.full(n_articles, -1, dtype=np.int64)
        new_row[live_rows] = len(articles) + np.arange(len(live_rows))
        seg_hashes = meta.get("article_hashes", [""] * n_articles)
        if gone:
            articles.extend(meta["articles"][r] for r in live_rows.tolist())
            hashes.extend(seg_hashes[r] for r in live_rows.tolist())
        else:
            articles.extend(meta["articles"])
            hashes.extend(seg_hashes)
        origins.append(np.stack([np.full(len(live_rows), number, dtype=np.int64), live_rows], axis=1))

        rows = np.asarray(arrays["passages"])
        pid_map: np.ndarray | None = None
        if gone:
            live = ~dead[rows["doc"]] if len(rows) else np.zeros(0, dtype=bool)
            pid_map = np.where(live, np.cumsum(live) - 1 + pid_offset, -1)
            kept = rows[live]
            kept["doc"] = new_row[kept["doc"]]
            pid_maps.append(pid_map)
        else:  # the usual case (the first segment, new ones): every row kept, shifted
            kept = rows
            if int(new_row[0] if n_articles else 0):
                kept = rows.copy()
                kept["doc"] += int(new_row[0])
            pid_maps.append(np.arange(pid_offset, pid_offset + len(rows), dtype=np.int64))
        rows_out.append(kept)
        postings.append(_postings(saved, pid_offset, pid_map, rows, _covering(removed.get(saved.path.name), gone)))
        pid_offset += len(kept)
    passages = np.concatenate(rows_out) if rows_out else np.zeros(0, dtype=PASSAGE_DTYPE)
    for saved in segments:  # copied: their mapped pages need not stay resident (210 MB at 10M)
        release(saved.arrays["passages"])
    return View(
        segments=list(segments),
        articles=articles,
        hashes=hashes,
        origin=np.concatenate(origins) if origins else np.zeros((0, 2), dtype=np.int64),
        passages=passages,
        bm25=LiveBM25(postings, params),
        maps=pid_maps,
        postings=postings,
    )


def extend(view: View, segment: Saved, params: BM25Params) -> View:
    """The live view of `view`'s chain with `segment` after it, a segment that only adds articles
    (a commit without tombstones): what a writer hands to the corpus it reopens after an add.

    The earlier segments' articles, pid maps and postings are reused as they are; only the new
    segment's rows are appended (the rows are one array here, so they are copied once: no
    earlier segment is read again) and the live statistics summed again (`LiveBM25`). A single
    generation read as saved has no parts to reuse: it is merged with the segment (`merge`).
    """
    if view.postings is None:
        if len(view.segments) != 1:
            raise ValueError("a view of a chain without its postings cannot be extended")
        return merge([*view.segments, segment], {}, params)
    n_docs, offset = len(view.articles), len(view.passages)
    rows = np.asarray(segment.arrays["passages"])
    shifted = rows.copy()
    shifted["doc"] += n_docs
    n_articles = len(segment.meta["articles"])
    number = len(view.segments)
    origin = np.stack([np.full(n_articles, number, dtype=np.int64), np.arange(n_articles, dtype=np.int64)], axis=1)
    postings = [*view.postings, _postings(segment, offset, None, rows, None)]
    return View(
        segments=[*view.segments, segment],
        articles=[*view.articles, *segment.meta["articles"]],
        hashes=[*view.hashes, *segment.meta.get("article_hashes", [""] * n_articles)],
        origin=np.concatenate([view.origin, origin]),
        passages=np.concatenate([view.passages, shifted]),  # field widths promoted, as `merge` does
        bm25=LiveBM25(postings, params),
        maps=[*view.pid_maps, np.arange(offset, offset + len(rows), dtype=np.int64)],
        postings=postings,
    )
