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
from index.search.csr import id_dtype
from index.search.live import LiveBM25, SegmentPostings
from index.search.pairs import PairCodes
from index.search.store import PASSAGE_DTYPE, Saved
from index.search.tombstones import Removed, saved_removed
from index.search.units import ARRAYS as UNIT_ARRAYS
from index.search.units import checked_runs, checked_tokens

__all__ = ["Catalogue", "ChainRows", "View", "catalogue", "extend", "first_rows", "merge", "recall", "remember"]

_last: dict[str, View] = {}  # the view a commit just made, by generation name (reopened at once)


def remember(generation: str, view: View) -> None:
    """Keep the live view of a commit just written, so that opening it does not merge again."""
    _last.clear()
    _last[generation] = view


def recall(generation: str) -> View | None:
    """The view `remember`ed for this generation, once (None otherwise)."""
    return _last.pop(generation, None)


class ChainRows:
    """The live passage rows of a chain, read where they lie: each segment's saved rows (memory-mapped)
    with its articles renumbered and its removed sentences skipped, never copied whole at open.

    A view pid is a row here: the segments' live rows one after another. What a reader takes:
    `len`, a row or rows by pid (`rows[pid]`, `rows[pids]`, `rows[lo:hi]`: gathered per segment, the
    `doc` field renumbered), a whole column by name (`rows["doc"]`: concatenated once and kept, a
    saved column's own view for a single generation), `firsts` (each article's first pid) and
    `whole()` (every row in one array: what a merge writes). A single generation without removals
    is its saved rows as they are. The only per-sentence ids are those of segments with removals
    (their live rows); thread-safe (a column made twice by two threads is the same).
    """

    def __init__(
        self,
        parts: Sequence[np.ndarray],
        lives: Sequence[np.ndarray | None],
        docs: Sequence[np.ndarray],
        firsts: Sequence[np.ndarray | None] | None = None,
    ) -> None:
        """`parts`: each segment's saved rows; `lives`: its live rows ascending (None: all live);
        `docs`: its article row -> the view's (-1 if removed; only the live ones are read);
        `firsts`: its saved first row of each article row, then its rows (`first_doc`,
        index.search.units; None: worked out from its `doc` column when asked).
        """
        self._parts, self._lives, self._docs = list(parts), list(lives), list(docs)
        self._firsts = list(firsts) if firsts is not None else [None] * len(self._parts)
        sizes = [len(p) if live is None else len(live) for p, live in zip(self._parts, self._lives, strict=True)]
        self.starts = np.zeros(len(sizes) + 1, dtype=np.int64)  # each segment's first view pid, then the total
        np.cumsum(sizes, out=self.starts[1:])
        # A segment's articles move by a constant unless some of them are removed (then its `docs` map).
        self._shifts: list[int | None] = [
            (int(d[0]) if len(d) else 0) if live is None else None
            for d, live in zip(self._docs, self._lives, strict=True)
        ]
        dtypes = [p.dtype for p in self._parts]
        self.dtype = np.result_type(*dtypes) if dtypes else PASSAGE_DTYPE
        self._columns: dict[str, np.ndarray] = {}
        self._whole: np.ndarray | None = None
        self._fit: list[bool] = []  # `fits` of the first segments, once checked (carried by `appended`)

    def __len__(self) -> int:
        return int(self.starts[-1])

    @property
    def saved(self) -> np.ndarray | None:
        """The saved rows themselves when they are the view's (one segment, nothing removed)."""
        if len(self._parts) == 1 and self._lives[0] is None and self._shifts[0] == 0:
            return self._parts[0]
        return None

    def __getitem__(self, key: str | int | slice | np.ndarray | Sequence[int]) -> np.ndarray:
        if isinstance(key, str):
            return self.column(key)
        if isinstance(key, slice):
            return self.take(np.arange(*key.indices(len(self)), dtype=np.int64))
        if isinstance(key, (int, np.integer)):
            pid = int(key) + len(self) if int(key) < 0 else int(key)
            return self.take(np.asarray([pid], dtype=np.int64))[0]  # type: ignore[no-any-return]
        return self.take(np.asarray(key, dtype=np.int64))

    def take(self, pids: np.ndarray) -> np.ndarray:
        """The rows at these view pids (in range), gathered from their segments."""
        saved = self.saved
        if saved is not None:
            rows: np.ndarray = saved[pids]
            return rows
        pids = np.asarray(pids, dtype=np.int64)
        seg = np.searchsorted(self.starts, pids, side="right") - 1
        out = np.empty(len(pids), dtype=self.dtype)
        # the segments present (not np.unique: its first call imports numpy.ma, 0.02 s of a CLI process)
        for s in np.flatnonzero(np.bincount(seg, minlength=len(self._parts))).tolist():
            at = seg == s
            local = pids[at] - self.starts[s]
            live = self._lives[s]
            rows = self._parts[s][local if live is None else live[local]]
            out[at] = rows
            out["doc"][at] = self._doc_column(s, rows["doc"])
        return out

    def table(self, names: Sequence[str]) -> np.ndarray:
        """These fields of every live row in one new array, written segment by segment (the
        `doc` field renumbered): the saved rows themselves for a single generation.
        """
        saved = self.saved
        if saved is not None:
            return saved
        unsaved = sum(len(rows) for rows, f in zip(self._parts, self._firsts, strict=True) if f is None)
        if tuple(names) == ("doc",) and 2 * unsaved < len(self):
            # Rows lie article by article: each article's row repeated over its live rows, from
            # the saved firsts (`firsts`; a segment saved without them reads its own `doc` column),
            # not gathered from every row (0.04 -> 0.015 CPU s at 10M).
            firsts = self.firsts()
            doc = np.repeat(np.arange(len(firsts) - 1, dtype=self.dtype["doc"]), np.diff(firsts))
            table: np.ndarray = doc.view(np.dtype([("doc", self.dtype["doc"])]))
            return table
        out = np.empty(len(self), dtype=[(name, self.dtype[name]) for name in names])
        for s, (rows, live) in enumerate(zip(self._parts, self._lives, strict=True)):
            lo, hi = int(self.starts[s]), int(self.starts[s + 1])
            for name in names:
                piece = rows[name] if live is None else rows[name][live]
                out[name][lo:hi] = self._doc_column(s, piece) if name == "doc" else piece
        return out

    def column(self, name: str) -> np.ndarray:
        """One field over every live row (the `doc` field renumbered), made once."""
        saved = self.saved
        if saved is not None:
            return saved[name]
        col = self._columns.get(name)
        if col is None:
            pieces = []
            for s, (rows, live) in enumerate(zip(self._parts, self._lives, strict=True)):
                piece = rows[name] if live is None else rows[name][live]
                pieces.append(self._doc_column(s, piece) if name == "doc" else piece)
            col = np.concatenate(pieces) if pieces else np.zeros(0, dtype=self.dtype[name])
            self._columns[name] = col
        return col

    def _doc_column(self, s: int, doc: np.ndarray) -> np.ndarray:
        shift = self._shifts[s]
        if shift is None:
            return np.asarray(self._docs[s][doc], dtype=doc.dtype)
        return np.asarray(doc + shift) if shift else doc

    def firsts(self, segment: int = 0) -> np.ndarray:
        """The first view pid of each of the view's articles, then the number of rows (int64):
        from each segment's saved firsts (O(articles)), or else its own `doc` column, without
        making the view's. From `segment` on, the
        articles of the later segments only (a chain's additions, without a pass over its base).
        """
        out = [np.zeros(0, dtype=np.int64)]
        for s, (rows, live) in enumerate(zip(self._parts, self._lives, strict=True)):
            if s < segment:
                continue
            docs, saved = self._docs[s], self._firsts[s]
            local = first_rows(rows["doc"], len(docs))[:-1] if saved is None else np.asarray(saved[:-1], dtype=np.int64)
            if live is not None:
                local = np.searchsorted(live, local)  # a removed article's rows are not live
            out.append(local[docs >= 0] + self.starts[s])
        out.append(np.asarray([len(self)], dtype=np.int64))
        firsts: np.ndarray = np.concatenate(out)
        return firsts

    def fits(self) -> bool:
        """Whether each segment's rows name only its own articles (a pass over the `doc` columns;
        the segments an `appended` view shares were checked already: only the new one is read).
        """
        for s in range(len(self._fit), len(self._parts)):
            rows, docs = self._parts[s], self._docs[s]
            if len(rows) and int(rows["doc"].max()) >= len(docs):
                return False
            self._fit.append(True)
        return True

    def appended(self, rows: np.ndarray, docs: np.ndarray) -> ChainRows:
        """These rows with a segment's saved `rows` after them, none removed (its article row ->
        the view's: `docs`): the earlier segments' parts are shared, nothing is copied.
        """
        more = ChainRows([*self._parts, rows], [*self._lives, None], [*self._docs, docs], [*self._firsts, None])
        more._fit = list(self._fit)
        return more

    def live_rows(self, s: int) -> int:
        """How many of the view's rows come from segment `s`."""
        return int(self.starts[s + 1] - self.starts[s])

    def whole(self) -> np.ndarray:
        """Every live row in one array (a copy for a chain: 210 MB at ten million sentences; kept)."""
        saved = self.saved
        if saved is not None:
            return saved
        if self._whole is None:
            self._whole = self.take(np.arange(len(self), dtype=np.int64)) if len(self) else np.zeros(0, self.dtype)
        return self._whole


@dataclass
class View:
    """The live articles and sentences of a chain, numbered densely (a passage id is a row here)."""

    segments: list[Saved]
    articles: list[dict[str, Any]]  # article metadata, in index order
    hashes: list[str]  # content hash of each article (what a reindex compares)
    origin: np.ndarray  # (articles, 2): segment number and row in that segment
    rows: ChainRows  # the live passage rows where they lie (PASSAGE_DTYPE fields, `doc` a row in `articles`)
    bm25: BM25
    maps: list[np.ndarray | None] | None = None  # per segment with removals: its pid -> view pid (`pid_maps`)
    postings: list[SegmentPostings] | None = None  # a chain's: what `bm25` is made of (`extend` reuses them)

    @property
    def passages(self) -> np.ndarray:
        """Every live row in one array: the saved rows of a single generation, a chain's copied
        once on first use (a merge or the whole layers' assembly; readers use `rows`).
        """
        return self.rows.whole()

    @property
    def pid_maps(self) -> list[np.ndarray]:
        """Per segment, its pid -> view pid (-1 if removed). Those of segments without removals
        (a range: 40 MB at ten million sentences, in int32 while the ids fit) are made on first
        use: by the layers of a chain (its names, on a chain's first answer), never by a search.
        """
        maps = self.maps or [None] * len(self.segments)
        if any(m is None for m in maps):
            starts, ids = self.rows.starts, id_dtype(len(self.rows))
            maps = [np.arange(starts[s], starts[s + 1], dtype=ids) if m is None else m for s, m in enumerate(maps)]
            self.maps = list(maps)
        return maps  # type: ignore[return-value]  # every entry made above

    def pid_map(self, s: int) -> np.ndarray:
        """Segment `s`'s map alone (`pid_maps[s]`): a segment without removals is a range, made
        here without the others' (a chain's first answer reads its added segments' only).
        """
        known = self.maps[s] if self.maps else None
        if known is not None:
            return known
        starts = self.rows.starts
        return np.arange(starts[s], starts[s + 1], dtype=id_dtype(len(self.rows)))

    def body_bytes(self, doc: int) -> bytes:
        """The UTF-8 body of the article at this row."""
        seg, row = int(self.origin[doc, 0]), int(self.origin[doc, 1])
        return self.segments[seg].body_bytes(row)

    def packed_body(self, doc: int) -> bytes:
        """The article's body as its segment's `bodies.bin` holds it (`store.Saved.packed_body`)."""
        seg, row = int(self.origin[doc, 0]), int(self.origin[doc, 1])
        return self.segments[seg].packed_body(row)


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


def _saved_firsts(saved: Saved) -> np.ndarray | None:
    """The segment's saved first row of each article row (`first_doc`), when sound."""
    runs = checked_runs(saved.arrays, len(saved.arrays["passages"]), len(saved.meta["articles"]))
    return None if runs is None else runs[0]


def _single(saved: Saved) -> View:
    meta = saved.meta
    n = len(meta["articles"])
    origin = np.zeros((n, 2), dtype=np.int64)
    origin[:, 1] = np.arange(n)
    return View(
        segments=[saved],
        articles=meta["articles"],
        hashes=meta.get("article_hashes", [""] * n),
        origin=origin,
        rows=ChainRows([saved.arrays["passages"]], [None], [np.arange(n, dtype=np.int64)], [_saved_firsts(saved)]),
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
    saved: Saved,
    offset: int,
    pid_map: np.ndarray | None,
    removed: Removed | None,
    dead: np.ndarray | None = None,
) -> SegmentPostings:
    """A segment's saved postings, its live sentences starting at `offset` in the view (`dead`:
    which of its article rows are removed, when some are).
    """
    meta, arrays = saved.meta, saved.arrays
    n_articles = len(meta["articles"])
    runs = checked_runs(arrays, len(arrays["passages"]), n_articles)
    return SegmentPostings(
        vocab=meta["vocab"],
        indptr=arrays["indptr"],
        docs=arrays["docs"],
        pairs=PairCodes.from_arrays(arrays, len(arrays["docs"])),
        doc_len=arrays["doc_len"],
        offset=offset,
        pid_map=pid_map,
        unit_df={unit: arrays[name] for unit, name in UNIT_ARRAYS.items() if name in arrays},
        rows=arrays["passages"],
        removed=removed,
        articles=n_articles,
        dead=dead,
        runs=runs,
        tokens=checked_tokens(arrays, n_articles) if runs is not None else None,
    )


def merge(segments: Sequence[Saved], deleted: Mapping[str, Collection[int]], params: BM25Params) -> View:
    """The live view of `segments` (oldest first) less the `deleted` article rows of each (by name).

    Nothing is rescored or copied: the postings and the passage rows stay in their segments
    (memory-mapped; `ChainRows` reads the rows where they lie) and the postings are weighted at
    query time with the live statistics (`index.search.live.LiveBM25`). Linear in the articles
    and the vocabularies; a segment with removals costs a pass over its rows (its live rows) and
    a scan of its postings.
    """
    if len(segments) == 1 and not deleted.get(segments[0].path.name):
        return _single(segments[0])
    articles: list[dict[str, Any]] = []
    hashes: list[str] = []
    origins, lives, docs, pid_maps = [], [], [], []
    parts: list[np.ndarray] = []
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

        rows = arrays["passages"]
        pid_map: np.ndarray | None = None
        live: np.ndarray | None = None
        if gone:
            alive = ~dead[rows["doc"]] if len(rows) else np.zeros(0, dtype=bool)
            live = np.flatnonzero(alive)
            pid_map = np.full(len(rows), -1, dtype=np.int64)
            pid_map[live] = pid_offset + np.arange(len(live))
        parts.append(rows)
        lives.append(live)
        docs.append(new_row)
        pid_maps.append(pid_map)
        covered = _covering(removed.get(saved.path.name), gone)
        postings.append(_postings(saved, pid_offset, pid_map, covered, dead if gone else None))
        pid_offset += len(rows) if live is None else len(live)
    return View(
        segments=list(segments),
        articles=articles,
        hashes=hashes,
        origin=np.concatenate(origins) if origins else np.zeros((0, 2), dtype=np.int64),
        rows=ChainRows(parts, lives, docs, [_saved_firsts(saved) for saved in segments]),
        bm25=LiveBM25(postings, params),
        maps=pid_maps,
        postings=postings,
    )


def extend(view: View, segment: Saved, params: BM25Params) -> View:
    """The live view of `view`'s chain with `segment` after it, a segment that only adds articles
    (a commit without tombstones): what a writer hands to the corpus it reopens after an add.

    The earlier segments' articles, rows, pid maps and postings are reused as they are (no
    segment is read again, no row copied: `ChainRows.appended`) and only the live statistics are
    summed again (`LiveBM25`, linear in the vocabularies and the sentence lengths).
    """
    prior = view.postings
    if prior is None:  # a single generation read as saved: its postings as the chain's first part
        if len(view.segments) != 1 or view.rows.saved is None:
            raise ValueError("a view of a chain without its postings cannot be extended")
        prior = [_postings(view.segments[0], 0, None, None)]
    n_docs, n_articles = len(view.articles), len(segment.meta["articles"])
    docs = np.arange(n_docs, n_docs + n_articles, dtype=np.int64)
    origin = np.stack([np.full(n_articles, len(view.segments), dtype=np.int64), docs - n_docs], axis=1)
    postings = [*prior, _postings(segment, len(view.rows), None, None)]
    return View(
        segments=[*view.segments, segment],
        articles=[*view.articles, *segment.meta["articles"]],
        hashes=[*view.hashes, *segment.meta.get("article_hashes", [""] * n_articles)],
        origin=np.concatenate([view.origin, origin]),
        rows=view.rows.appended(segment.arrays["passages"], docs),
        bm25=LiveBM25(postings, params),
        maps=[*(view.maps or [None] * len(view.segments)), None],
        postings=postings,
    )
