"""The live view of a chain of segments: what a reader searches after adds, replacements and removals.

An index is a chain of generations, Lucene's way: the first is a whole build (or a merge), each
later one is a *segment* holding only the articles that commit added, and the newest names the
earlier ones (`segments`) and the articles removed from them (`deleted`: tombstones, rows of
each segment's articles). Segments never change once written; a commit writes a new segment and
moves `CURRENT` (see `index.search.store`).

BM25's scores depend on the whole live corpus (the number of sentences, their average length,
each term's document frequency), so an add or a removal changes every weight. Each segment
therefore keeps the term frequency of its postings, and `merge` lays the live postings of
every segment out as one CSR (a counting sort by term: linear in the postings) and scores them
with the statistics of exactly the live sentences, as a build from scratch would: rank-bm25's
scores stay exact. A chain of one segment without tombstones (the usual case) is read as it
is, memory-mapped, with the weights saved by its build.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from index.search.bm25 import BM25, BM25Params
from index.search.store import PASSAGE_DTYPE, Saved

__all__ = ["View", "merge", "recall", "remember"]

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
    pid_maps: list[np.ndarray] = field(default_factory=list)  # per segment: its pid -> view pid, -1 if removed

    def body_bytes(self, doc: int) -> bytes:
        """The UTF-8 body of the article at this row."""
        seg, row = int(self.origin[doc, 0]), int(self.origin[doc, 1])
        saved = self.segments[seg]
        offsets = saved.arrays["body_offsets"]
        return bytes(saved.bodies[int(offsets[row]) : int(offsets[row + 1])])


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
        pid_maps=[np.arange(len(passages), dtype=np.int64)],
    )


def merge(segments: Sequence[Saved], deleted: Mapping[str, Collection[int]], params: BM25Params) -> View:
    """The live view of `segments` (oldest first) less the `deleted` article rows of each (by name)."""
    if len(segments) == 1 and not deleted.get(segments[0].path.name):
        return _single(segments[0])
    vocab: dict[str, int] = {}
    articles: list[dict[str, Any]] = []
    hashes: list[str] = []
    origins, rows_out, lengths_out, pid_maps = [], [], [], []
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # per segment: global terms, pids, tf
    pid_offset = 0
    for number, saved in enumerate(segments):
        meta, arrays = saved.meta, saved.arrays
        n_articles = len(meta["articles"])
        dead = np.zeros(n_articles, dtype=bool)
        gone = list(deleted.get(saved.path.name, ()))
        if gone:
            dead[np.asarray(gone, dtype=np.int64)] = True
        live_rows = np.flatnonzero(~dead)
        new_row = np.full(n_articles, -1, dtype=np.int64)
        new_row[live_rows] = len(articles) + np.arange(len(live_rows))
        articles.extend(meta["articles"][r] for r in live_rows.tolist())
        seg_hashes = meta.get("article_hashes", [""] * n_articles)
        hashes.extend(seg_hashes[r] for r in live_rows.tolist())
        origins.append(np.stack([np.full(len(live_rows), number, dtype=np.int64), live_rows], axis=1))

        rows = np.asarray(arrays["passages"])
        live = ~dead[rows["doc"]] if len(rows) else np.zeros(0, dtype=bool)
        pid_map = np.where(live, np.cumsum(live) - 1 + pid_offset, -1)
        pid_maps.append(pid_map)
        kept = rows[live].copy()
        kept["doc"] = new_row[kept["doc"]]
        rows_out.append(kept)
        lengths_out.append(np.asarray(arrays["doc_len"])[live])
        pid_offset += int(live.sum())

        indptr, docs, tf = np.asarray(arrays["indptr"]), np.asarray(arrays["docs"]), np.asarray(arrays["tf"])
        remap = np.fromiter(
            (vocab.setdefault(t, len(vocab)) for t in meta["vocab"]), dtype=np.int64, count=len(meta["vocab"])
        )
        terms = remap[np.repeat(np.arange(len(remap), dtype=np.int64), np.diff(indptr))]
        if not live.all():
            keep = live[docs]
            terms, docs, tf = terms[keep], docs[keep], tf[keep]
        parts.append((terms, pid_map[docs], tf))

    names = list(vocab)
    counts = np.zeros(len(names), dtype=np.int64)
    for terms, _, _ in parts:
        counts += np.bincount(terms, minlength=len(names))
    present = counts > 0  # a term whose every sentence was removed leaves the vocabulary
    new_id = np.cumsum(present) - 1
    names = [t for t, keep in zip(names, present.tolist(), strict=True) if keep]
    counts = counts[present]
    indptr_out = np.zeros(len(names) + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr_out[1:])
    total = int(indptr_out[-1])
    docs_out = np.empty(total, dtype=np.int64)
    tf_out = np.empty(total, dtype=np.int32)
    filled = np.zeros(len(names), dtype=np.int64)  # postings of each term placed so far
    for terms, pids, tf in parts:
        if not len(terms):
            continue
        terms = new_id[terms]
        # Within a segment a term's postings are contiguous and ascending by sentence, and every
        # segment's sentences come after the previous segment's: placing each segment's run of
        # a term after the runs already placed keeps every posting list ascending.
        starts = np.flatnonzero(np.r_[True, terms[1:] != terms[:-1]])
        rank = np.arange(len(terms)) - np.repeat(starts, np.diff(np.r_[starts, len(terms)]))
        pos = indptr_out[terms] + filled[terms] + rank
        docs_out[pos] = pids
        tf_out[pos] = tf
        filled += np.bincount(terms, minlength=len(names))
    passages = np.concatenate(rows_out) if rows_out else np.zeros(0, dtype=PASSAGE_DTYPE)
    lengths = np.concatenate(lengths_out) if lengths_out else np.zeros(0, dtype=np.int64)
    return View(
        segments=list(segments),
        articles=articles,
        hashes=hashes,
        origin=np.concatenate(origins) if origins else np.zeros((0, 2), dtype=np.int64),
        passages=passages,
        bm25=BM25.from_postings(names, indptr_out, docs_out, tf_out, lengths.astype(np.int64), params),
        pid_maps=pid_maps,
    )
