"""BM25 over a chain of segments, weighted when a query reads a posting: a commit rescores nothing.

Lucene's way. Each segment keeps its postings as saved (CSR by its own term ids: sentences
ascending, term frequencies) and its sentences' lengths; none of them depends on the rest of the
corpus. What BM25 needs of the whole live corpus is summed from the segments when a chain is
opened: the number of live sentences, their average length, each term's document frequency over
the live sentences (a tombstoned sentence's terms are taken out, so scores stay exact), the idf
with rank-bm25's floor for negative idfs (epsilon x the average idf of the terms present), and one
length norm per sentence, K = k1 (1 - b + b dl / avgdl). That is linear in the vocabulary and the
sentences, never in the postings (except a scan of the segments that have tombstones). A
posting's weight, idf x tf (k1 + 1) / (tf + K[sentence]), is computed when a query reads it.

Readers go through `index.search.postings.Postings`; only a merge lays the chain out as one CSR
and scores it (`compact`, linear in the postings).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.search.bm25 import (
    BM25,
    RECENT_POSTINGS,
    BM25Params,
    KernelList,
    PairWeigher,
    narrow_lengths,
    rank_bm25_idf,
)
from index.search.csr import count_dtype, id_dtype
from index.search.live_ids import Piece, SkippingIds
from index.search.pairs import PairCodes
from index.search.recent import RecentLists
from index.search.tombstones import Removed
from index.search.units import (
    RUNS,
    TOKENS,
    RunPart,
    run_counts,
    saved_runs,
    saved_tokens,
    unit_ids,
    view_runs,
    view_tokens,
)

__all__ = ["LiveBM25", "SegmentPostings"]

REMOVED_CURSOR_SHARE = (
    1  # the kernel steps over a segment's removed ids while they are at most this x a list's postings
)
PIECES_KEPT = 4096  # terms whose `_pieces` are kept (each a few small arrays and views)
_UNKNOWN: list[Any] = []  # `_pieces` not worked out yet (None is an answer)


@dataclass(frozen=True, slots=True)
class SegmentPostings:
    """One segment's saved postings and where its sentences sit in the live view."""

    vocab: Sequence[str]  # the segment's own term ids -> terms
    indptr: np.ndarray
    docs: np.ndarray  # the segment's sentence ids, ascending within a term
    pairs: PairCodes  # each posting's (tf, sentence length) code (index.search.pairs)
    doc_len: np.ndarray  # tokens of each of the segment's sentences
    offset: int  # live id of the segment's first sentence when none of it is removed
    pid_map: np.ndarray | None = None  # segment sentence -> live sentence, -1 if removed (None: none removed)
    unit_df: Mapping[str, np.ndarray] | None = None  # saved units holding each term (index.search.units)
    rows: np.ndarray | None = None  # the segment's passages (PASSAGE_DTYPE): its units, to recount them
    removed: Removed | None = None  # what its removed articles held, saved at the removal (index.search.tombstones)
    articles: int = 0  # its article rows, live or not
    dead: np.ndarray | None = None  # per article row, whether it is removed (None: none is)
    runs: tuple[np.ndarray, np.ndarray] | None = None  # its saved (first_doc, first_key) (index.search.units)
    tokens: np.ndarray | None = None  # its saved tokens of each article row (with `runs` only)


@dataclass(frozen=True, slots=True)
class _Part:
    indptr: np.ndarray
    docs: np.ndarray
    pairs: PairCodes
    offset: int
    pid_map: np.ndarray | None
    remap: np.ndarray | None  # segment term id -> live term id (-1: none left); None: the same ids
    local_of: np.ndarray | None  # live term id -> segment term id (-1: absent); None: the same ids
    live_df: np.ndarray  # live sentences holding each of the segment's terms
    unit_df: Mapping[str, np.ndarray] | None
    rows: np.ndarray | None
    removed: Removed | None

    def span(self, tid: int) -> tuple[int, int, int] | None:
        """(segment term id, lo, hi) of the live term's postings in this segment; None when it
        holds none.
        """
        local = (tid if tid + 1 < len(self.indptr) else -1) if self.local_of is None else int(self.local_of[tid])
        if local < 0:
            return None
        lo, hi = int(self.indptr[local]), int(self.indptr[local + 1])
        return None if lo == hi else (local, lo, hi)


class LiveBM25(BM25):
    """The live sentences of a chain of segments as one BM25 index (rank-bm25's exact scores)."""

    def __init__(self, segments: Sequence[SegmentPostings], params: BM25Params) -> None:
        self.params = params
        self._local = threading.local()
        self._recent = RecentLists(RECENT_POSTINGS)  # the lists read last, shared by the threads
        self._largest: dict[int, float] = {}  # term id -> its largest live weight (`top`'s bounds)
        self._compact_lock = threading.Lock()
        self._compacted: BM25 | None = None
        self._units: dict[str, np.ndarray | None] = {}  # unit -> `unit_doc_freq`, once worked out
        self._segments = list(segments)
        self._runs: tuple[np.ndarray, np.ndarray] | None = None  # `unit_runs`, once worked out
        self._removed: dict[int, np.ndarray] = {}  # segment number -> its removed sentences (`_removed_ids`)
        self._kept_pieces: dict[int, list[Piece] | None] = {}  # term id -> `_pieces`
        first = list(segments[0].vocab) if segments else []
        vocab = dict(zip(first, range(len(first)), strict=True))
        remaps: list[np.ndarray | None] = [None] if segments else []
        for seg in segments[1:]:
            remaps.append(
                np.fromiter((vocab.setdefault(t, len(vocab)) for t in seg.vocab), dtype=np.int64, count=len(seg.vocab))
            )
        df = np.zeros(len(vocab), dtype=np.int64)
        live_dfs = []
        for seg, remap in zip(segments, remaps, strict=True):
            live_df = _live_df(seg)
            live_dfs.append(live_df)
            if remap is None:
                df[: len(live_df)] += live_df
            else:
                df[remap] += live_df  # a segment's terms are distinct
        terms = list(vocab)
        present = df > 0
        if not present.all():  # a term whose every sentence was removed leaves the vocabulary
            new_id = np.where(present, np.cumsum(present) - 1, -1)
            terms = [t for t, keep in zip(terms, present.tolist(), strict=True) if keep]
            vocab = dict(zip(terms, range(len(terms)), strict=True))
            df = df[present]
            remaps = [
                new_id[: len(seg.vocab)] if r is None else new_id[r] for seg, r in zip(segments, remaps, strict=True)
            ]
        self.terms, self.vocab = terms, vocab
        self._df = df
        self._parts = [
            _Part(
                indptr=np.asarray(seg.indptr),
                docs=np.asarray(seg.docs),
                pairs=seg.pairs,
                offset=seg.offset,
                pid_map=seg.pid_map,
                remap=remap,
                local_of=None if remap is None else _inverse(remap, len(terms)),
                live_df=live_df,
                unit_df=seg.unit_df,
                rows=seg.rows,
                removed=seg.removed,
            )
            for seg, remap, live_df in zip(segments, remaps, live_dfs, strict=True)
        ]
        lengths = [
            np.asarray(seg.doc_len) if seg.pid_map is None else np.asarray(seg.doc_len)[seg.pid_map >= 0]
            for seg in segments
        ]
        # in the segments' own narrow type (a byte a sentence: `narrow_lengths`), as a single
        # generation keeps them: an int32 copy cost 40 MB and 0.03 CPU s at ten million sentences
        self.doc_len = narrow_lengths(np.concatenate(lengths) if lengths else np.zeros(0, dtype=np.uint8))
        self.n_docs = int(len(self.doc_len))
        self.idf = rank_bm25_idf(df, self.n_docs, params)
        self._total = int(self.doc_len.sum(dtype=np.int64))
        # Each segment's pairs weighed under the live statistics.
        self._weighers = [
            PairWeigher.of(part.pairs, part.indptr, self.n_docs, self._total, params) for part in self._parts
        ]
        self._idf_scaled = (self.idf * (params.k1 + 1)).astype(np.float32)  # the weight's numerator but tf

    # ----------------------------------------------------------------- the Postings protocol
    def doc_freq(self, tid: int) -> int:
        """How many live passages hold the term."""
        return int(self._df[tid])

    def _read(self, tid: int) -> tuple[np.ndarray, np.ndarray]:
        """The term's live postings from every segment, weighted with the live statistics."""
        ids, weights = [], []
        scale = self._idf_scaled[tid]
        for part, weigher in zip(self._parts, self._weighers, strict=True):
            span = part.span(tid)
            if span is None:
                continue
            local, lo, hi = span
            docs, weight = part.docs[lo:hi], weigher.between(scale, local, lo, hi)
            if part.pid_map is None:  # intp: an int32 id plus the offset could overflow, and numpy
                pids = docs.astype(np.intp)  # scatters and gathers with intp ids unconverted
                if part.offset:
                    pids += part.offset
            else:
                pids = part.pid_map[docs]
                keep = pids >= 0
                if not keep.all():
                    pids, weight = pids[keep], weight[keep]
            ids.append(pids)
            weights.append(weight)
        if len(ids) == 1:
            return ids[0], weights[0]
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        return np.concatenate(ids), np.concatenate(weights)

    def _kernel_lists(self, tid: int, count: int) -> list[KernelList]:
        """The term's postings for the compiled kernel: each segment's saved ids (plus its
        offset; where it has removals, through its `pid_map` or its few removed ids) and codes,
        weighed there under the live statistics (`_read`'s arithmetic, without widening,
        gathering or weighing here).
        """
        out = []
        scale = self._idf_scaled[tid]
        for number, (part, weigher) in enumerate(zip(self._parts, self._weighers, strict=True)):
            span = part.span(tid)
            if span is None:
                continue
            local, lo, hi = span
            pid_map, removed = part.pid_map, None
            if pid_map is not None:
                removed = self._removed_ids(number)
                if len(removed) <= REMOVED_CURSOR_SHARE * (hi - lo):  # few: a cursor over them, no map read
                    pid_map = None
                else:
                    removed = None
            out.append(weigher.kernel_list(scale, local, count, part.docs, lo, hi, part.offset, pid_map, removed))
        return out

    def _removed_ids(self, number: int) -> np.ndarray:
        """Segment `number`'s removed sentences (its own ids, ascending), worked out once: where
        they are fewer than a list's postings the kernel steps over them instead of reading the
        segment's `pid_map` (8 bytes a posting, a cache miss a posting on a sparse list at 10M).
        """
        removed = self._removed.get(number)
        if removed is None:
            pid_map = self._parts[number].pid_map
            removed = np.zeros(0, dtype=np.int64) if pid_map is None else np.flatnonzero(pid_map < 0)
            self._removed[number] = removed  # two threads may both work it out: the same array
        return removed

    def _slices(self, tid: int) -> list[tuple[int, int, int, int]] | None:
        """(segment number, its term id, lo, hi) of the term's postings in each segment holding it, in live order;
        None when a segment with removals holds it (its ids go through `pid_map`: `_read` does).
        """
        out = []
        for number, part in enumerate(self._parts):
            span = part.span(tid)
            if span is None:
                continue
            local, lo, hi = span
            if part.pid_map is not None:
                return None
            out.append((number, local, lo, hi))
        return out

    def _pieces(self, tid: int) -> list[Piece] | None:
        """The term's postings in each segment holding it, in live order, each with its segment's
        removed sentences (`SkippingIds`); None where a segment's removed sentences outnumber
        `REMOVED_CURSOR_SHARE` x the term's postings there (its short list is laid out: `_read`).
        Kept for the next reads (the rerank reads a term's ids, then its weights, question after
        question), up to `PIECES_KEPT` terms.
        """
        kept = self._kept_pieces.get(tid, _UNKNOWN)  # one look-up: another thread may clear the dict
        if kept is not _UNKNOWN:
            return kept
        pieces: list[Piece] = []
        out: list[Piece] | None = pieces
        for number, part in enumerate(self._parts):
            span = part.span(tid)
            if span is None:
                continue
            local, lo, hi = span
            removed = self._removed_ids(number)  # the live ids are offset + id - removed below (`pid_map`)
            if len(removed) > REMOVED_CURSOR_SHARE * (hi - lo):
                out = None
                break
            pieces.append(Piece.of(number, local, lo, part.docs[lo:hi], part.offset, removed))
        if len(self._kept_pieces) >= PIECES_KEPT:
            self._kept_pieces.clear()
        self._kept_pieces[tid] = out  # two threads may both work it out: equal pieces
        return out

    def doc_ids(self, tid: int) -> np.ndarray | SkippingIds:
        """The live passages holding a term, ascending: the base segment's saved ids as a view
        when it alone holds the term, else the segments' ids (plus their offsets) in the ids'
        saved type, unweighted; where a segment with removals holds the term, its saved ids
        read where probed, the removed stepped over (`SkippingIds`: the values of `_read`'s
        list); `_read`'s list where the removed outnumber the term's postings there.
        """
        slices = self._slices(tid)
        if slices is None:
            pieces = self._pieces(tid)
            return self._postings(tid)[0] if pieces is None else SkippingIds(pieces)
        if not slices:
            return np.zeros(0, dtype=id_dtype(self.n_docs))
        parts = self._parts
        if len(slices) == 1 and not parts[slices[0][0]].offset:
            number, _, lo, hi = slices[0]
            view: np.ndarray = parts[number].docs[lo:hi]
            return view
        kind = id_dtype(self.n_docs)
        return np.concatenate(
            [parts[n].docs[lo:hi].astype(kind) + kind.type(parts[n].offset) for n, _, lo, hi in slices]
        )

    def weights_at(self, tid: int, positions: np.ndarray) -> np.ndarray:
        """The term's weights at these positions of `doc_ids(tid)`: `_read`'s arithmetic on
        those postings only (element-wise: the same float32 values).
        """
        slices = self._slices(tid)
        if slices is None:
            pieces = self._pieces(tid)
            if pieces is None:
                weights: np.ndarray = self._postings(tid)[1][positions]
                return weights
            out = np.empty(len(positions), dtype=np.float32)
            for i, mine, raw in SkippingIds(pieces).locate(positions):
                piece = pieces[i]
                weights = self._weighers[piece.number].at(self._idf_scaled[tid], piece.local, raw + piece.lo)
                if mine is None:
                    out[:] = weights
                else:
                    out[mine] = weights
            return out
        positions = np.asarray(positions, dtype=np.intp)
        out = np.empty(len(positions), dtype=np.float32)
        ends = np.cumsum([hi - lo for _, _, lo, hi in slices])
        segment_of = np.searchsorted(ends, positions, "right")
        start = 0
        for i, (number, local, lo, hi) in enumerate(slices):
            mine = segment_of == i
            if mine.any():
                out[mine] = self._weighers[number].at(self._idf_scaled[tid], local, positions[mine] - start + lo)
            start += hi - lo
        return out

    def group_doc_freq(self, group_of: np.ndarray) -> np.ndarray:
        """Per term, how many groups of passages hold it (`group_of[pid]` non-decreasing in pid),
        counted segment by segment over the live postings (a group, an article or a paragraph,
        never spans two segments), without laying the chain out as one CSR.
        """
        group_of = np.asarray(group_of)
        df = np.zeros(len(self.terms))
        for part in self._parts:
            pids = np.asarray(part.docs)
            if part.pid_map is not None:
                pids = part.pid_map[pids]
                pids = pids[pids >= 0]
            elif part.offset:
                pids = pids.astype(np.int64) + part.offset
            if not len(pids):
                continue
            of_posting = group_of[pids]
            opens = np.ones(len(of_posting), dtype=np.uint8)  # a posting opening a (term, group) run
            np.not_equal(of_posting[1:], of_posting[:-1], out=opens[1:])
            del of_posting
            starts = np.cumsum(part.live_df) - part.live_df  # each term's first live posting
            nonempty = part.live_df > 0
            opens[starts[nonempty]] = 1
            local = np.add.reduceat(opens, starts[nonempty], dtype=np.int64)
            ids = np.flatnonzero(nonempty) if part.remap is None else part.remap[nonempty]
            df[ids] += local
        return df

    def unit_doc_freq(self, unit: str) -> np.ndarray | None:
        """Per term, how many units ("doc": articles, "key": paragraphs) hold it: the counts each
        segment saved, summed (an article never spans two segments); a segment with removals
        subtracts what they held (saved by the removal's commit) or else recounts its own live
        postings. None when a segment has neither counts nor rows.
        """
        if unit in self._units:
            return self._units[unit]
        self._units[unit] = self._summed_units(unit)
        return self._units[unit]

    def unit_runs(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Where each live article row and paragraph begins (index.search.units.view_runs): each
        segment's saved runs shifted or mapped to live ids, or, for a segment saved without them,
        its own worked out from its rows. None when a segment has neither.
        """
        if self._runs is None:
            parts = []
            for seg in self._segments:
                runs = self._segment_runs(seg)
                if runs is None:
                    return None
                parts.append(RunPart(*runs, offset=seg.offset, pid_map=seg.pid_map, dead=seg.dead))
            self._runs = view_runs(parts, self.n_docs)
        return self._runs

    def unit_lengths(self, unit: str) -> np.ndarray | None:
        """Tokens of each live article of `unit_runs` (float64): each segment's saved counts less
        its removed articles, or, for a segment saved without them, its own summed from its
        sentence lengths. None for a unit other than "doc" or without runs.
        """
        runs = self.unit_runs() if unit == "doc" else None
        if runs is None:
            return None
        tokens = []
        for seg in self._segments:
            counts = seg.tokens
            if counts is None:
                first_doc = self._segment_runs(seg)
                if first_doc is None:
                    return None
                counts = saved_tokens(first_doc[0], np.asarray(seg.doc_len))[TOKENS["doc"]]
            tokens.append(counts)
        return view_tokens(tokens, [seg.dead for seg in self._segments], len(runs[0]) - 1)

    @staticmethod
    def _segment_runs(seg: SegmentPostings) -> tuple[np.ndarray, np.ndarray] | None:
        """A segment's (first_doc, first_key): saved, or worked out from its rows (None: neither)."""
        if seg.runs is not None:
            return seg.runs
        if seg.rows is None:
            return None
        made = saved_runs(seg.rows, seg.articles)
        return made[RUNS["doc"]], made[RUNS["key"]]

    def _summed_units(self, unit: str) -> np.ndarray | None:
        df = np.zeros(len(self.terms), dtype=np.int64)
        for part in self._parts:
            saved = None if part.unit_df is None else part.unit_df.get(unit)
            counts = None
            if saved is not None and len(saved) == len(part.indptr) - 1:
                counts = np.asarray(saved, dtype=np.int64)
                if part.pid_map is not None:  # removals: less what they held, if the removal saved it
                    gone = part.removed
                    counts = None if gone is None else _less(counts, gone.terms, gone.unit(unit))
            if counts is None:
                if part.rows is None:
                    return None
                live = None if part.pid_map is None else part.pid_map >= 0
                counts = run_counts(part.indptr, part.docs, unit_ids(part.rows, unit), live)
            if part.remap is None:
                df[: len(counts)] += counts
            else:  # a term with no live sentence left (remap -1) has no live unit either
                kept = part.remap >= 0
                df[part.remap[kept]] += counts[kept]
        return df

    # ----------------------------------------------------------------- one CSR, when asked for
    def compact(self) -> BM25:
        """The live postings laid out as one CSR and scored as a build from scratch would
        (`BM25.from_postings`): what a merge saves.

        A counting sort by term: each segment's run of a term is placed after the runs of the
        earlier segments (whose sentences all come first), so every list stays ascending.
        """
        with self._compact_lock:
            if self._compacted is not None:
                return self._compacted
            n_terms = len(self.terms)
            indptr = np.zeros(n_terms + 1, dtype=np.int64)
            np.cumsum(self._df, out=indptr[1:])
            docs_out = np.empty(int(indptr[-1]), dtype=id_dtype(self.n_docs))
            top_tf = max((part.pairs.largest_tf() for part in self._parts), default=0)
            tf_out = np.empty(int(indptr[-1]), dtype=count_dtype(top_tf))
            filled = np.zeros(n_terms, dtype=np.int64)  # postings of each term placed so far
            for part in self._parts:
                pids, tf = np.asarray(part.docs), part.pairs.tf_between()
                if part.pid_map is not None:
                    pids = part.pid_map[pids]
                    keep = pids >= 0
                    pids, tf = pids[keep], tf[keep]
                elif part.offset:
                    pids = pids.astype(np.int64) + part.offset
                if not len(pids):
                    continue
                used = part.live_df > 0
                ids = np.flatnonzero(used) if part.remap is None else part.remap[used]
                counts = part.live_df[used]
                local_start = np.cumsum(counts) - counts
                pos = np.arange(len(pids), dtype=np.int64)
                pos += np.repeat(indptr[ids] + filled[ids] - local_start, counts)
                docs_out[pos] = pids
                tf_out[pos] = tf
                filled[ids] += counts
            self._compacted = BM25.from_postings(self.terms, indptr, docs_out, tf_out, self.doc_len, self.params)
            return self._compacted

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays a merge saves (one CSR with its weights)."""
        return self.compact().arrays()

    def sidecar(self) -> dict[str, Any]:
        """The sizes and parameters saved beside `arrays`."""
        return self.compact().sidecar()


def _live_df(seg: SegmentPostings) -> np.ndarray:
    """Live sentences holding each of the segment's terms (a scan of its postings if any is removed)."""
    df = np.diff(np.asarray(seg.indptr)).astype(np.int64)
    if seg.pid_map is None or not len(df):
        return df
    if seg.removed is not None:  # saved by the commit that removed them: no scan
        live = _less(df, seg.removed.terms, seg.removed.sentences)
        if live is not None:
            return live
    dead = np.flatnonzero(seg.pid_map[np.asarray(seg.docs)] < 0)
    if len(dead):
        df -= np.bincount(np.searchsorted(seg.indptr, dead, side="right") - 1, minlength=len(df))
    return df


def _less(counts: np.ndarray, terms: np.ndarray, removed: np.ndarray) -> np.ndarray | None:
    """`counts` less `removed` at `terms` (distinct); None when they do not fit (a damaged
    file): the caller recounts over the postings.
    """
    terms = np.asarray(terms, dtype=np.int64)
    if len(terms) != len(removed) or (len(terms) and (terms.min() < 0 or terms.max() >= len(counts))):
        return None
    out = counts.copy()
    out[terms] -= np.asarray(removed, dtype=np.int64)
    return None if len(terms) and int(out[terms].min()) < 0 else out


def _inverse(remap: np.ndarray, n_terms: int) -> np.ndarray:
    """Live term id -> segment term id (-1 where the segment lacks the term)."""
    out = np.full(n_terms, -1, dtype=np.int64)
    has = remap >= 0
    out[remap[has]] = np.flatnonzero(has)
    return out
