"""BM25 with the exact scores of `rank_bm25.BM25Okapi`, at a cost proportional to the
postings of the query's terms rather than to the number of documents.

rank-bm25 loops in Python over every document for every query term. Here the postings are
stored in a CSR layout (`indptr` per term, then each posting's document, term frequency and
document length: 6 bytes a posting below 2^31 documents), and each (term, document) pair's
contribution `idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))` is computed when a
query reads the posting (a few element-wise float32 operations, the same for a whole build and a
chain of segments), so a query is a few vectorised scatter-adds.
Formula, idf floor (`epsilon * average idf` for negative idfs) and repeated query terms
counting twice all follow rank-bm25 0.2.2; the tests use it as the oracle.

`BM25.top` runs the compiled kernel `index.search._topk` (built at install when a C compiler is
found: `setup.py`) and else the numpy paths below; both give the same ids and float32 scores.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from types import ModuleType
from typing import Any

import numpy as np

from index.search.csr import Allocate, CsrBuilder, chunk_postings, count_dtype, id_dtype, in_memory, reread
from index.search.live_ids import SkippingIds
from index.search.pairs import ESCAPE, PairCodes, encode_pairs
from index.search.recent import RecentLists
from index.search.units import ARRAYS as UNIT_ARRAYS
from index.search.units import RunPart, checked_runs, checked_tokens, run_counts, view_runs, view_tokens

_topk: ModuleType | None
try:  # the optional compiled top k (setup.py); without it, the numpy paths
    from index.search import _topk
except ImportError:  # pragma: no cover - a machine without a C compiler
    _topk = None

log = logging.getLogger("verbatim.index")
FLOAT_MARGIN = 1e-5  # relative slack of `BM25.top`'s bounds for float32 rounding
MAX_BOUNDED_TERMS = 64  # ... which covers sums of up to this many terms (64 x 6e-8 < 1e-5)
PRUNE_MIN_POSTINGS = 10_000  # from this many postings of positive weights `_top_scatter` reads nothing back
SKIP_SHARE = 0.5  # lists are skipped once their bounds sum below this share of the floor
SEARCH_PER_GATHER = 8  # a binary search costs about this many reads of a skipped list's postings
MAXSCORE_MIN_POSTINGS = 1_000_000  # below: `_top_scatter` (faster at every size measured at 1M sentences)
BLOCK_DOCS = 1 << 20  # `_top_blocked` scores this many documents at a time: 4 MB of scratch stay in the caches
BLOCKED_MIN_POSTINGS = 100_000  # ... for queries of at least this many postings over more documents than that
RECENT_POSTINGS = 1 << 22  # postings (12 bytes each once weighted) an index keeps of the terms read last
DENSE_ZERO_SHARE = 16  # lists to zero holding 1/16 of a range's entries: the whole range zeroed (memset 15x a posting)
WEIGHT_BLOCK = 1 << 22  # postings weighted at a time (`posting_weights`)
KERNEL_BLOCK = 1 << 16  # documents the compiled kernel scores at a time: its 520 KiB of scratch a thread stay in L2


@dataclass(frozen=True, slots=True)
class BM25Params:
    """rank-bm25's BM25Okapi defaults."""

    k1: float = 1.5
    b: float = 0.75
    epsilon: float = 0.25


class BM25:
    """An immutable BM25 index over documents given as token lists."""

    def __init__(
        self,
        vocab: Sequence[str],
        indptr: np.ndarray,
        docs: np.ndarray,
        pairs: PairCodes,
        idf: np.ndarray,
        doc_len: np.ndarray,
        params: BM25Params = BM25Params(),
    ) -> None:
        self.terms = list(vocab)
        self.vocab = {term: i for i, term in enumerate(self.terms)}
        # Plain ndarray views: memory maps stay mapped, minus np.memmap's per-slice overhead.
        # `docs` is int32 below 2^31 documents (`id_dtype`); a query widens only the slices it reads.
        self.indptr, self.docs = np.asarray(indptr), np.asarray(docs)
        # Each posting's (term frequency, sentence length) as one byte naming the pair in a small
        # table (`index.search.pairs`): its weight is computed from them when a query reads it.
        self.pairs = pairs
        # Sentence lengths in the narrowest unsigned type (a byte each at every size measured).
        self.idf, self.doc_len, self.params = np.asarray(idf), narrow_lengths(doc_len), params
        self.n_docs = int(len(doc_len))
        self._local = threading.local()  # one zeroed scratch array per thread
        self._recent = RecentLists(RECENT_POSTINGS)  # the lists read last, shared by the threads
        self._largest: dict[int, float] = {}  # term id -> its largest weight (`top`'s bounds)
        self._total = int(self.doc_len.sum(dtype=np.int64))
        self._idf_scaled = (self.idf * (params.k1 + 1)).astype(np.float32)  # the weight's numerator but tf
        self._weigher = PairWeigher.of(pairs, self.indptr, self.n_docs, self._total, params)
        self.unit_df: dict[str, np.ndarray] = {}  # saved units holding each term (index.search.units)
        self.runs: tuple[np.ndarray, np.ndarray] | None = None  # saved (first_doc, first_key): `unit_runs`
        self.tokens: np.ndarray | None = None  # saved tokens of each article row: `unit_lengths`

    # ----------------------------------------------------------------- building
    @classmethod
    def build(cls, documents: Iterable[Sequence[str]], params: BM25Params = BM25Params()) -> BM25:
        """Index token lists; term ids are given in order of first appearance."""
        vocab: dict[str, int] = {}
        flat: list[int] = []
        lengths: list[int] = []
        for tokens in documents:
            lengths.append(len(tokens))
            flat.extend([vocab.setdefault(t, len(vocab)) for t in tokens])
        return cls.from_term_ids(
            list(vocab), np.asarray(flat, dtype=np.int64), np.asarray(lengths, dtype=np.int64), params
        )

    @classmethod
    def from_term_ids(
        cls, vocab: list[str], flat: np.ndarray, lengths: np.ndarray, params: BM25Params = BM25Params()
    ) -> BM25:
        """Index documents given as one flat array of term ids and the length of each doc."""
        postings = chunk_postings(flat, lengths, len(vocab))
        indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(postings.counts, out=indptr[1:])
        docs = postings.sentences.astype(id_dtype(len(lengths)), copy=False)
        return cls.from_postings(vocab, indptr, docs, postings.tf, lengths, params)

    @classmethod
    def from_postings(
        cls,
        vocab: list[str],
        indptr: np.ndarray,
        docs: np.ndarray,
        tf: np.ndarray,
        lengths: np.ndarray,
        params: BM25Params = BM25Params(),
        pairs: PairCodes | None = None,
    ) -> BM25:
        """An index of postings (CSR by term: documents ascending, term frequencies) with the
        statistics of exactly these documents: what a build and a merge of segments both end with.

        Every term must have at least one posting (rank-bm25's average idf is over the terms
        present); `lengths` counts every document, empty ones included. `docs` is kept as given
        when already of the narrowest type (`id_dtype`): a build lays it out straight into the
        generation's files, and its `pairs` too (else they are coded here, in memory).
        """
        idf = rank_bm25_idf(np.diff(indptr), len(lengths), params)
        docs = np.asarray(docs)
        docs = docs.astype(id_dtype(len(lengths)), copy=False)
        if pairs is None:
            pairs = encode_pairs(tf, docs, narrow_lengths(lengths))
        return cls(vocab, indptr, docs, pairs, idf.astype(np.float64), lengths, params)

    @classmethod
    def from_builder(
        cls,
        vocab: list[str],
        csr: CsrBuilder,
        lengths: np.ndarray,
        params: BM25Params = BM25Params(),
        allocate: Allocate = in_memory,
    ) -> BM25:
        """The index of a build's collected postings, laid out where `allocate` puts them (a
        build: memory maps in the generation's files, flushed and mapped again read-only, so the
        postings leave the build's memory once written).
        """
        lengths = np.asarray(lengths)

        def tf_into_pairs(name: str, length: int, dtype: np.dtype) -> np.ndarray:
            """A byte-wide tf is laid out in the generation's "pair" file, coded there in place."""
            if name == "tf":
                return allocate("pair", length, dtype) if dtype == np.uint8 else in_memory(name, length, dtype)
            return allocate(name, length, dtype)

        indptr, docs, tf = csr.finish(len(vocab), tf_into_pairs)
        docs = reread(docs)
        out = tf if tf.dtype == np.uint8 else None
        coded = encode_pairs(tf, docs, narrow_lengths(lengths), allocate, out)
        pairs = replace(coded, codes=reread(coded.codes))
        return cls.from_postings(vocab, indptr, docs, tf, lengths, params, pairs)

    # ----------------------------------------------------------------- querying
    def _query_terms(self, tokens: Iterable[str]) -> list[tuple[int, int]]:
        counts = Counter(self.vocab[t] for t in tokens if t in self.vocab)
        return sorted(counts.items())

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        """Dense scores of every document: rank-bm25's `get_scores` (for tests and tools)."""
        out = np.zeros(self.n_docs, dtype=np.float64)
        for tid, count in self._query_terms(tokens):
            ids, weights = self._postings(tid)
            out[ids] += weights.astype(np.float64) * count
        return out

    def top(self, tokens: Sequence[str], k: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """The k best documents that match at least one term, best first (ties: lower id).

        Exact, with work proportional to the postings read. A query of fewer than
        `MAXSCORE_MIN_POSTINGS` postings is answered by `_top_scatter` (from
        `PRUNE_MIN_POSTINGS`, of positive weights: `_top_positive`, no read-back); a larger one
        by `_top_blocked` over more than `BLOCK_DOCS` documents, else by `_top_maxscore`, which
        skips the longest lists whose weights cannot lift a document into the top k (MaxScore
        over the lists sorted by length).
        """
        terms = self._query_terms(tokens)
        if not terms or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        _log_path()
        if _topk is not None:
            return self._top_compiled(terms, k)
        lists: list[tuple[np.ndarray, np.ndarray]] = []
        for tid, count in terms:
            ids, weights = self._postings(tid)
            lists.append((ids, weights if count == 1 else weights * np.float32(count)))
        if len(lists) == 1:
            return _best(lists[0][0].astype(np.int64), lists[0][1].astype(np.float64), k)
        postings = sum(len(ids) for ids, _ in lists)
        if (
            postings < min(PRUNE_MIN_POSTINGS, MAXSCORE_MIN_POSTINGS)  # bounds cost more than they save
            or len(lists) > MAX_BOUNDED_TERMS  # rounding past the margin
            or not all(self.term_idf(tid) > 0 for tid, _ in terms)  # weights of any sign: no bound
        ):
            return self._top_scatter(lists, k)
        if self.n_docs > BLOCK_DOCS and postings >= BLOCKED_MIN_POSTINGS:
            return _top_blocked(self._scratch(), lists, k, BLOCK_DOCS)
        if postings < MAXSCORE_MIN_POSTINGS:  # skipping lists costs more numpy calls than it saves
            return self._top_scatter(lists, k, positive=True)
        bounds = [self._largest_weight(tid) * count for tid, count in terms]
        return _top_maxscore(self._scratch(), lists, bounds, k)

    def _top_compiled(self, terms: list[tuple[int, int]], k: int) -> tuple[np.ndarray, np.ndarray]:
        """`top` in one call of the compiled kernel, which scatters every list in term order and
        keeps the k best (ties: lower id) with the GIL released: `_top_scatter`'s float32 sums.
        The lists go as saved (`_kernel_lists`: 5 bytes a posting read, weighed in the kernel).
        """
        lists: list[KernelList] = []
        for tid, count in terms:
            lists.extend(self._kernel_lists(tid, count))
        k = min(k, sum(len(kernel_list[1]) for kernel_list in lists))
        out_ids, out_scores = np.empty(k, dtype=np.int64), np.empty(k, dtype=np.float32)
        assert _topk is not None
        found = _topk.top(lists, k, KERNEL_BLOCK, _kernel_work(KERNEL_BLOCK), out_ids, out_scores)
        return out_ids[:found], out_scores[:found].astype(np.float64)

    def _kernel_lists(self, tid: int, count: int) -> list[KernelList]:
        """The term's postings for the compiled kernel: its saved ids and pair codes, weighed there."""
        lo, hi = int(self.indptr[tid]), int(self.indptr[tid + 1])
        return [self._weigher.kernel_list(self._idf_scaled[tid], tid, count, self.docs, lo, hi, 0)]

    def _largest_weight(self, tid: int) -> float:
        """A term's largest weight (its list's MaxScore bound), remembered: weights never change."""
        if tid not in self._largest:
            weights = self._postings(tid)[1]
            self._largest[tid] = float(weights.max()) if len(weights) else 0.0
        return self._largest[tid]

    def _top_scatter(
        self, lists: list[tuple[np.ndarray, np.ndarray]], k: int, positive: bool = False
    ) -> tuple[np.ndarray, np.ndarray]:
        """Every list added in term order, then read back once against a floor: the k-th best
        total among the documents of the shortest list holding k (any k distinct documents give
        one, whatever the weights' signs). Each list keeps its documents at or above the floor
        and is zeroed, so a document met again in a later list reads 0 and is kept once.

        With `positive` weights, `_top_positive` instead: no read-back (a document's total is
        its partial sum in the last list holding it).
        """
        buf = self._scratch()
        if positive:
            cand, vals, _ = _top_positive(buf, lists, k, (0, len(buf)), float("-inf"))
            return _best(cand.astype(np.int64, copy=False), vals.astype(np.float64), k)
        for i, (ids, weights) in enumerate(lists):
            _add_list(buf, ids, weights, first=not i)
        id_lists = [ids for ids, _ in lists]
        # no list of k documents (or a floor a zeroed entry would pass): every document is read back
        cand, vals = _read_back(buf, id_lists, _floor(buf, id_lists, k))
        return _best(cand, vals.astype(np.float64), k)

    # ----------------------------------------------------------------- the Postings protocol
    def term_idf(self, tid: int) -> float:
        """rank-bm25's idf of a term (negative idfs already floored)."""
        return float(self.idf[tid])

    def doc_freq(self, tid: int) -> int:
        """How many passages hold the term."""
        return int(self.indptr[tid + 1] - self.indptr[tid])

    def doc_lengths(self) -> np.ndarray:
        """Token count of every passage."""
        return self.doc_len

    def postings(self, tid: int) -> tuple[np.ndarray, np.ndarray]:
        """The passages holding a term (ascending) and the term's BM25 weight in each."""
        return self._postings(tid)

    def doc_ids(self, tid: int) -> np.ndarray | SkippingIds:
        """The passages holding a term, ascending: a view of the saved ids (int32 mostly), read
        where a binary search touches them (the rerank probes a few hundred passages of lists of
        millions at 10M sentences; a chain's segment with removals: `SkippingIds`).
        """
        docs: np.ndarray = self.docs[int(self.indptr[tid]) : int(self.indptr[tid + 1])]
        return docs

    def weights_at(self, tid: int, positions: np.ndarray) -> np.ndarray:
        """The term's weights at these positions of `doc_ids(tid)`: `_read`'s arithmetic on those
        postings only (element-wise: the same float32 values as the whole list's).
        """
        at = np.asarray(positions, dtype=np.intp) + int(self.indptr[tid])
        return self._weigher.at(self._idf_scaled[tid], tid, at)

    def group_doc_freq(self, group_of: np.ndarray) -> np.ndarray:
        """Per term, how many groups of passages hold it (`group_of[pid]` non-decreasing in pid):
        runs of one group within a term's postings, counted for every term at once in O(postings).
        """
        return run_counts(self.indptr, self.docs, group_of).astype(np.float64)

    def unit_doc_freq(self, unit: str) -> np.ndarray | None:
        """Per term, how many units ("doc", "key") hold it, as the generation saved it (None: not saved)."""
        return self.unit_df.get(unit)

    def unit_runs(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Where each article row and each paragraph begins, as the generation saved it (None: not saved)."""
        if self.runs is None:
            return None
        return view_runs([RunPart(*self.runs, offset=0, pid_map=None, dead=None)], self.n_docs)

    def unit_lengths(self, unit: str) -> np.ndarray | None:
        """Tokens of each article of `unit_runs` (float64), as the generation saved them (None: not
        saved, or a unit other than "doc").
        """
        runs = self.unit_runs() if unit == "doc" and self.tokens is not None else None
        if runs is None or self.tokens is None:
            return None
        return view_tokens([self.tokens], [None], len(runs[0]) - 1)

    def _postings(self, tid: int) -> tuple[np.ndarray, np.ndarray]:
        """The term's documents (intp) and weights, read-only, kept for the next reads of any
        thread (`index.search.recent`: the lists read last, up to `RECENT_POSTINGS` postings).
        """
        hit = self._recent.get(tid)
        if hit is not None:
            return hit
        ids, weights = self._read(tid)
        self._recent.keep(tid, ids, weights)
        return ids, weights

    def _read(self, tid: int) -> tuple[np.ndarray, np.ndarray]:
        """The term's documents (intp: numpy scatters and gathers with them unconverted) and weights."""
        lo, hi = int(self.indptr[tid]), int(self.indptr[tid + 1])
        return self.docs[lo:hi].astype(np.intp), self._weigher.between(self._idf_scaled[tid], tid, lo, hi)

    def _scratch(self) -> np.ndarray:
        """A zeroed float32 array per thread (whoever touches it zeroes what it touched)."""
        buf = getattr(self._local, "buf", None)
        if buf is None or len(buf) != self.n_docs:
            buf = self._local.buf = np.zeros(self.n_docs, dtype=np.float32)
        return buf

    # ----------------------------------------------------------------- persistence
    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays to save (the vocabulary and parameters go in the JSON sidecar)."""
        return {
            "indptr": self.indptr,
            "docs": self.docs,
            "idf": self.idf,
            "doc_len": self.doc_len,
            **self.pairs.arrays(),
        }

    def sidecar(self) -> dict[str, Any]:
        """The sizes and parameters saved as JSON next to the arrays, checked again on loading."""
        return {
            "params": asdict(self.params),
            "n_docs": self.n_docs,
            "n_terms": len(self.terms),
            "n_postings": int(len(self.docs)),
        }

    @classmethod
    def from_saved(cls, vocab: list[str], arrays: dict[str, np.ndarray], sidecar: dict[str, Any]) -> BM25:
        """Rebuild from saved arrays, checking that their shapes agree with the sidecar."""
        n_terms, n_docs, nnz = sidecar["n_terms"], sidecar["n_docs"], sidecar["n_postings"]
        indptr, docs = arrays["indptr"], arrays["docs"]
        if (
            len(vocab) != n_terms
            or indptr.shape != (n_terms + 1,)
            or docs.shape != (nnz,)
            or docs.dtype != id_dtype(n_docs)
            or arrays["idf"].shape != (n_terms,)
            or arrays["doc_len"].shape != (n_docs,)
            or (n_terms and int(indptr[-1]) != nnz)
        ):
            raise ValueError("index arrays do not match their sidecar")
        index = cls(
            vocab,
            indptr,
            docs,
            PairCodes.from_arrays(arrays, nnz),
            arrays["idf"],
            arrays["doc_len"],
            BM25Params(**sidecar["params"]),
        )
        index.unit_df = {
            unit: arrays[name]
            for unit, name in UNIT_ARRAYS.items()
            if name in arrays and arrays[name].shape == (n_terms,)
        }
        if "body_offsets" in arrays:
            n_articles = len(arrays["body_offsets"]) - 1
            index.runs = checked_runs(arrays, n_docs, n_articles)
            index.tokens = checked_tokens(arrays, n_articles) if index.runs is not None else None
        return index


def idf_of(index: BM25, tokens: Iterable[str]) -> float:
    """Sum of the idf of the known query terms (used to judge how much of a question matched)."""
    return float(sum(index.idf[index.vocab[t]] for t in tokens if t in index.vocab))


def rank_bm25_idf(df: np.ndarray, n_docs: int, params: BM25Params) -> np.ndarray:
    """rank-bm25's idf of terms present in `df` documents out of `n_docs`: ln((N - df + 0.5) /
    (df + 0.5)), negative ones replaced by epsilon x the average idf (over the terms present).
    """
    if not len(df):
        return np.zeros(0, dtype=np.float64)
    idf = np.log(n_docs - df + 0.5) - np.log(df + 0.5)
    floor = params.epsilon * (float(idf.sum()) / len(df))
    return np.where(idf < 0, floor, idf)


def narrow_lengths(lengths: np.ndarray) -> np.ndarray:
    """Sentence lengths in the narrowest unsigned type their values fit (`count_dtype`: a byte a
    sentence while none is longer than 255 tokens; the values are checked, never assumed). Kept
    as they are when already unsigned and at most 16 bits (a saved index: no pass over them).
    """
    lengths = np.asarray(lengths)
    if lengths.dtype.kind == "u" and lengths.dtype.itemsize <= 2:
        return lengths
    if len(lengths) and int(lengths.min()) < 0:
        raise ValueError("a sentence length is negative")
    return lengths.astype(count_dtype(int(lengths.max()) if len(lengths) else 0))


def query_weights(
    tf: np.ndarray, lengths: np.ndarray, scale: np.floating, n_docs: int, total: int, params: BM25Params
) -> np.ndarray:
    """The float32 weights idf tf (k1 + 1) / (tf + K) of postings (`scale`: the term's idf
    (k1 + 1) in float32), K from each posting's sentence length (element-wise). One arithmetic,
    in one order, for a whole build, a merge and a chain of segments (`PairWeigher` applies it to
    its table of pairs): they score alike to the bit.
    """
    weight = tf.astype(np.float32)
    denominator = norms_of_lengths(lengths, n_docs, total, params)
    denominator += weight
    weight *= scale
    weight /= denominator
    return weight


# A list as the compiled kernel reads it: (docs, codes, tf by code, tf + K by code, idf (k1 + 1),
# count, offset, escaped positions, their weights, pid_map or None, removed ids or None).
KernelList = tuple[Any, ...]
_NO_ESCAPES = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))


@dataclass(frozen=True, slots=True)
class PairWeigher:
    """Weighs postings by their pair codes: the table of the pairs' weights is computed once a
    read (at most 256 floats: `query_weights`' arithmetic, in its order, on the table's tf and
    lengths: the same float32 bits) and gathered by code; escaped postings are weighed apart.
    """

    pairs: PairCodes
    tf: np.ndarray  # each code's tf in float32
    denominator: np.ndarray  # each code's tf + K, float32
    escapes: list[int] | None  # each term's first entry in the escape arrays (terms + 1); None: no escapes
    n_docs: int
    total: int
    params: BM25Params

    @classmethod
    def of(cls, pairs: PairCodes, indptr: np.ndarray, n_docs: int, total: int, params: BM25Params) -> PairWeigher:
        """The weigher of `pairs` (CSR by `indptr`) under these corpus statistics (a chain's: the live ones)."""
        tf = pairs.tf.astype(np.float32)
        denominator = norms_of_lengths(pairs.length, n_docs, total, params)
        denominator += tf
        # A plain list: a read looks its term's escapes up in ~100 ns, no numpy call (terms x 8 bytes).
        escapes = np.searchsorted(pairs.escape_at, indptr).tolist() if pairs.escaped else None
        return cls(pairs, tf, denominator, escapes, n_docs, total, params)

    def table(self, scale: np.floating) -> np.ndarray:
        """Each code's weight for a term of this idf (k1 + 1)."""
        weight: np.ndarray = self.tf * scale
        weight /= self.denominator
        return weight

    def kernel_list(
        self,
        scale: np.floating,
        term: int,
        count: int,
        docs: np.ndarray,
        lo: int,
        hi: int,
        offset: int,
        pid_map: np.ndarray | None = None,
        removed: np.ndarray | None = None,
    ) -> KernelList:
        """The term's postings at lo..hi-1 (its whole list) as the compiled kernel reads them:
        ids (`docs`, plus `offset`; or through `pid_map`, -1 skipped; or, given the segment's
        `removed` ids instead, plus `offset` less the removed ids below, the removed skipped),
        codes and this weigher's tables (the kernel computes `table`'s float32 weights, times
        count), and the escaped postings' positions in lo..hi-1 and weights (`_escaped`, times
        count: numpy's float32 product).
        """
        at, weights = _NO_ESCAPES
        if self.escapes is not None:
            first, last = self.escapes[term], self.escapes[term + 1]
            if last > first:
                at = self.pairs.escape_at[first:last] - lo
                weights = self._escaped(scale, slice(first, last))
                if count != 1:
                    weights = weights * np.float32(count)
        codes = self.pairs.codes[lo:hi]
        return (
            docs[lo:hi],
            codes,
            self.tf,
            self.denominator,
            float(scale),
            count,
            offset,
            at,
            weights,
            pid_map,
            removed,
        )

    def between(self, scale: np.floating, term: int, lo: int, hi: int) -> np.ndarray:
        """The float32 weights of the term's postings at lo..hi-1 (its whole list)."""
        weights: np.ndarray = np.take(self.table(scale), self.pairs.codes[lo:hi])
        if self.escapes is not None:
            first, last = self.escapes[term], self.escapes[term + 1]
            if last > first:
                weights[self.pairs.escape_at[first:last] - lo] = self._escaped(scale, slice(first, last))
        return weights

    def at(self, scale: np.floating, term: int, positions: np.ndarray) -> np.ndarray:
        """The float32 weights of the term's postings at these positions (any order)."""
        codes = self.pairs.codes[positions]
        weights: np.ndarray = np.take(self.table(scale), codes)
        if self.escapes is not None and self.escapes[term + 1] > self.escapes[term]:
            rare = np.flatnonzero(codes == ESCAPE)  # with escapes, the code names no pair of the table
            if len(rare):
                first, last = self.escapes[term], self.escapes[term + 1]
                slot = np.searchsorted(self.pairs.escape_at[first:last], positions[rare]) + first
                np.minimum(slot, last - 1, out=slot)
                weights[rare] = self._escaped(scale, slot)
        return weights

    def _escaped(self, scale: np.floating, which: slice | np.ndarray) -> np.ndarray:
        """The weights of these escaped postings (entries of the escape arrays), from their own pairs."""
        pairs = self.pairs
        return query_weights(
            pairs.escape_tf[which], pairs.escape_len[which], scale, self.n_docs, self.total, self.params
        )


def length_norms(lengths: np.ndarray, params: BM25Params) -> np.ndarray:
    """Each document's length norm K = k1 (1 - b + b dl / avgdl), float32 (one per document)."""
    return norms_of_lengths(lengths, len(lengths), int(np.asarray(lengths).sum(dtype=np.int64)), params)


def norms_of_lengths(lengths: np.ndarray, n_docs: int, total: int, params: BM25Params) -> np.ndarray:
    """K = k1 (1 - b + b dl / avgdl) of the given lengths, float32: the same arithmetic as
    `length_norms`, so a norm made from a posting's saved length equals its sentence's norm.
    """
    k1, b = params.k1, params.b
    if not total:
        return np.full(len(lengths), k1, dtype=np.float32)
    return (k1 * (1 - b) + (k1 * b * n_docs / total) * np.asarray(lengths)).astype(np.float32)


def posting_weights(
    indptr: np.ndarray, docs: np.ndarray, tf: np.ndarray, norms: np.ndarray, idf: np.ndarray, params: BM25Params
) -> np.ndarray:
    """Every posting's weight idf tf (k1 + 1) / (tf + K[doc]), in float32: the same arithmetic, in
    the same order, as `live.LiveBM25` does at query time, so a merged index and a chain score
    alike to the bit. Computed in blocks of whole terms (`WEIGHT_BLOCK` postings), so that the
    temporaries stay bounded at 10M sentences (150M postings).
    """
    tf, docs, indptr = np.asarray(tf), np.asarray(docs), np.asarray(indptr)
    scaled = (idf * (params.k1 + 1)).astype(np.float32)
    out = np.empty(len(tf), dtype=np.float32)
    first = 0
    while first < len(indptr) - 1:  # blocks of whole terms: temporaries bounded, not per posting
        last = max(first + 1, int(np.searchsorted(indptr, indptr[first] + WEIGHT_BLOCK, side="right")) - 1)
        last = min(last, len(indptr) - 1)
        lo, hi = int(indptr[first]), int(indptr[last])
        weight = out[lo:hi]
        weight[...] = tf[lo:hi]
        denominator = norms[docs[lo:hi]]
        denominator += weight
        weight *= np.repeat(scaled[first:last], np.diff(indptr[first : last + 1]))
        weight /= denominator
        first = last
    return out


def _top_blocked(
    buf: np.ndarray, lists: list[tuple[np.ndarray, np.ndarray]], k: int, step: int
) -> tuple[np.ndarray, np.ndarray]:
    """Exact top k of lists of positive weights, `step` documents at a time: `_top_positive`
    on each range of document ids in turn, so the scratch array's part being written and read
    stays in the caches (at 10M documents the whole 40 MB does not: a scatter there costs 2-3
    times as much a posting). The floor carries over: the k-th best score kept so far.
    """
    edges = np.arange(step, len(buf), step)
    cuts = [np.concatenate(([0], np.searchsorted(ids, edges), [len(ids)])) for ids, _ in lists]
    floor = float("-inf")
    cand, vals = np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.float32)
    for block in range(len(edges) + 1):
        part = [
            (ids[cut[block] : cut[block + 1]], weights[cut[block] : cut[block + 1]])
            for (ids, weights), cut in zip(lists, cuts, strict=True)
            if cut[block] < cut[block + 1]
        ]
        if not part:
            continue
        more_ids, more_vals, floor = _top_positive(buf, part, k, (block * step, (block + 1) * step), floor)
        cand, vals = np.concatenate((cand, more_ids)), np.concatenate((vals, more_vals))
        if len(vals) >= k:  # k documents scored: the k-th best of them is a floor for the rest
            floor = max(floor, float(np.partition(vals, len(vals) - k)[len(vals) - k]))
            keep = np.flatnonzero(vals >= floor)
            cand, vals = cand[keep], vals[keep]
    return _best(cand.astype(np.int64, copy=False), vals.astype(np.float64), k)


def _read_back(buf: np.ndarray, lists: list[np.ndarray], floor: float) -> tuple[np.ndarray, np.ndarray]:
    """The documents of `lists` with their totals summed in `buf`, each once, and `buf` zeroed at
    them: those at or above a positive `floor` (a later list reads 0 where an earlier one zeroed,
    below the floor: kept once), else every document, sorted by id (no list held k of them).
    """
    if not floor > 0:
        every = np.concatenate(lists)
        vals = buf[every]
        buf[every] = 0.0
        cand, first = np.unique(every, return_index=True)
        return cand, vals[first]
    kept_ids, kept_vals = [], []
    for ids in lists:
        vals = buf[ids]
        keep = np.flatnonzero(vals >= floor)
        kept_ids.append(ids[keep])
        kept_vals.append(vals[keep])
        buf[ids] = 0.0
    return np.concatenate(kept_ids).astype(np.int64, copy=False), np.concatenate(kept_vals)


def _top_maxscore(
    buf: np.ndarray, lists: list[tuple[np.ndarray, np.ndarray]], bounds: list[float], k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Exact top k of lists of positive weights (`bounds`: each list's largest), skipping the
    longest lists that cannot matter.

    1. Lists are added into the zeroed float32 scratch `buf` shortest first (the first
       assigned, the others by `_add_list`). After each, a floor under the k-th best score: the
       k-th best partial sum among the documents of the shortest added list holding k (any k
       distinct documents give one; with positive weights a partial sum is at most the score).
    2. Once the largest weights of the lists not yet added sum to less than the floor, those
       lists are skipped (MaxScore): a document only in them cannot reach the top k.
    3. Each added list is read back once, keeping its documents whose partial sum plus the
       skipped lists' bound reaches the floor, and zeroed, so a document met again in a later
       list reads 0 and is kept once.
    4. The skipped lists are added to the candidates shortest first (binary searches when the
       candidates are few, else one read of the list against them marked in `buf`); after each,
       those whose partial sum plus the bounds of the lists left cannot reach the k-th best
       partial sum leave (`_near_kth`). Those left near the k-th best are summed again in
       term order (binary search in each list): the same float32 additions as one scatter in
       term order, so scores do not depend on what was skipped.
    The floor and the thresholds each carry a relative margin (`FLOAT_MARGIN`) for float32 sums
    made in another order (at most `MAX_BOUNDED_TERMS` terms x 2^-24 each).
    """
    order = sorted(range(len(lists)), key=lambda i: len(lists[i][0]))
    floor, added = float("-inf"), 0
    while added < len(order):
        rest = sum(bounds[i] for i in order[added:])
        if rest < floor * SKIP_SHARE:
            break
        _add_list(buf, *lists[order[added]], first=not added)
        added += 1
        if sum(bounds[i] for i in order[:added]) > rest - bounds[order[added - 1]]:  # else no floor would do
            floor = _floor(buf, [lists[i][0] for i in order[:added]], k) * (1 - FLOAT_MARGIN)
    skipped = order[added:]
    bound = sum(bounds[i] for i in skipped)
    threshold = floor * (1 - FLOAT_MARGIN) - bound
    read = [lists[i][0] for i in order[:added]]
    cand, approx = _read_back(buf, read, threshold)  # without a positive threshold: every document
    ascending = len(read) == 1 or not threshold > 0  # one list's documents, or `unique`'s
    for i in skipped:  # shortest first; candidates that cannot reach the k-th best leave after each
        cand, approx = _near_kth(cand, approx, k, bound)
        ids, weights = lists[i]
        if len(cand) * SEARCH_PER_GATHER < len(ids):  # few: binary searches (sorted keys)
            if not ascending:
                by_id = np.argsort(cand)
                cand, approx, ascending = cand[by_id], approx[by_id], True
            approx = approx + _weights_in(cand, ids, weights)
        else:  # many: marked in the zeroed scratch (their partial sums are positive), the list read once
            buf[cand] = approx
            vals = buf[ids]
            hit = np.flatnonzero(vals > 0)
            buf[ids[hit]] = vals[hit] + weights[hit]
            approx = buf[cand]
            buf[cand] = 0.0
        bound -= bounds[i]
    if len(cand) > k:  # sums in another order are within the margin: keep those near the k-th
        kth = np.partition(approx, len(approx) - k)[len(approx) - k]
        near = np.flatnonzero(approx >= kth * (1 - 2 * FLOAT_MARGIN))
        cand = cand[near]
    cand = np.sort(cand)  # sorted keys for the binary searches
    return _best(cand, _term_order_scores(cand, lists).astype(np.float64), k)


def _near_kth(cand: np.ndarray, approx: np.ndarray, k: int, bound: float) -> tuple[np.ndarray, np.ndarray]:
    """The candidates whose partial sums (`approx`, at most their scores) plus `bound` (the
    largest weights of the lists not yet added) may reach the k-th best partial sum, a floor
    under the k-th best score (margins for float32 sums in another order).
    """
    if len(cand) <= k:
        return cand, approx
    kth = np.partition(approx, len(approx) - k)[len(approx) - k] * (1 - FLOAT_MARGIN)
    near = np.flatnonzero(approx >= kth * (1 - FLOAT_MARGIN) - bound)
    return cand[near], approx[near]


def _add_list(
    buf: np.ndarray,
    ids: np.ndarray,
    weights: np.ndarray,
    first: bool,
    into: np.ndarray | None = None,
    write: bool = True,
) -> np.ndarray:
    """Add one list's weights into `buf` (the first assigned: 0 + w is w, the same sums) and
    return the sums at its documents (read-only for the caller), gathered into `into` if
    given, else into `_gather`'s array; with `write` False they are only returned.

    A gather, an add and an assignment, the same float32 sums as `np.add.at` (a list holds a
    document once): each of the three releases the GIL for its loop, where `np.add.at`'s
    one-index loop holds it throughout, so a second searching thread waited on every scatter.
    """
    if first:
        if write:
            buf[ids] = weights
        return weights
    sums = _gather(buf, ids) if into is None else buf.take(ids, out=into, mode="wrap")
    sums += weights
    if write:
        buf[ids] = sums
    return sums


_spare = threading.local()
_logged: list[bool] = []


def _log_path() -> None:
    """Say once a process, at debug level, which top k runs (the compiled kernel or numpy's)."""
    if not _logged:
        _logged.append(True)
        log.debug("BM25.top: %s", "compiled kernel (index.search._topk)" if _topk is not None else "numpy path")


def _kernel_work(block: int) -> np.ndarray:
    """The thread's scratch for the compiled kernel's blocks of `block` documents: a float and a
    uint32 a document, and a bit; the floats and bits zeroed here once and left zeroed by the
    kernel (laid out by the block: a new one for another block size).
    """
    work: np.ndarray | None = getattr(_spare, "work", None)
    if work is None or len(work) != block * 8 + block // 8:
        work = _spare.work = np.zeros(block * 8 + block // 8, dtype=np.uint8)
    return work


def _spare_floats(n: int) -> np.ndarray:
    """The thread's own reused float32 array of at least n entries: a fresh array of a long
    list's length costs the kernel a zeroed page every 4 KB.
    """
    out: np.ndarray | None = getattr(_spare, "out", None)
    if out is None or len(out) < n:
        out = _spare.out = np.empty(max(n, 2 * (0 if out is None else len(out))), dtype=np.float32)
    return out


def _gather(buf: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """`buf[ids]` into `_spare_floats` (valid until its next use): `take` without its bounds
    check (`wrap`: the ids are in range), which would otherwise copy through a temporary.
    """
    return buf.take(ids, out=_spare_floats(len(ids))[: len(ids)], mode="wrap")


def _top_positive(
    buf: np.ndarray, lists: list[tuple[np.ndarray, np.ndarray]], k: int, span: tuple[int, int], floor: float
) -> tuple[np.ndarray, np.ndarray, float]:
    """The distinct documents of lists of positive weights (ids within `span` of the zeroed
    `buf`) whose float32 totals, summed in the lists' order, may be in the top k: those
    reaching `floor` raised to the k-th best partial sum of the shortest list holding k (at
    most its documents' k-th best total); that floor is returned. `buf` is left zeroed.

    Each list's partial sums come back from its scatter (`_add_list`, into one spare array)
    and a document's total is the partial sum of the last list holding it: its sums in the
    lists before are at most that (positive weights, monotone rounding), so the documents
    reaching the floor in any list, each kept from the last list holding it, are those whose
    totals reach it, with their totals. No list is read back, the last is never written, and the written
    ones are zeroed range-wide when dense enough (`DENSE_ZERO_SHARE`).
    """
    spare = _spare_floats(sum(len(ids) for ids, _ in lists))
    sums, at = [], 0
    for i, (ids, weights) in enumerate(lists):
        sums.append(_add_list(buf, ids, weights, not i, spare[at : at + len(ids)], write=i < len(lists) - 1))
        at += len(ids)
    enough = [vals for vals in sums if len(vals) >= k]
    if enough:
        shortest = min(enough, key=len)
        floor = max(floor, float(np.partition(shortest, len(shortest) - k)[len(shortest) - k]))
    kept_ids, kept_vals = [], []
    for (ids, _), vals in zip(lists, sums, strict=True):
        keep = np.flatnonzero(vals >= floor)
        kept_ids.append(ids[keep])
        kept_vals.append(vals[keep])
    written = [ids for ids, _ in lists[:-1]]
    if sum(len(ids) for ids in written) * DENSE_ZERO_SHARE >= span[1] - span[0]:
        buf[span[0] : span[1]] = 0.0
    else:
        for ids in written:
            buf[ids] = 0.0
    if sum(len(ids) > 0 for ids in kept_ids) > 1:  # a document kept from several lists: from the last
        kept_ids, kept_vals = _from_last_list(buf, kept_ids, kept_vals)
    return np.concatenate(kept_ids), np.concatenate(kept_vals), floor


def _from_last_list(
    buf: np.ndarray, kept_ids: list[np.ndarray], kept_vals: list[np.ndarray]
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Each document once, from the last list that kept it: its total (a document kept from a
    list at a partial sum is kept from the last list holding it, at a sum no smaller). The later
    lists' documents are marked in the zeroed `buf`, and the marks zeroed after: work in the
    documents kept, not a sort of them.
    """
    out_ids: list[np.ndarray] = []
    out_vals: list[np.ndarray] = []
    for ids, vals in zip(reversed(kept_ids), reversed(kept_vals), strict=True):
        if out_ids:
            fresh = np.flatnonzero(buf[ids] == 0)
            ids, vals = ids[fresh], vals[fresh]
        buf[ids] = 1.0
        out_ids.append(ids)
        out_vals.append(vals)
    for ids in out_ids:
        buf[ids] = 0.0
    return out_ids, out_vals


def _weights_in(cand: np.ndarray, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The list's weight of each document of `cand` (0 where the list lacks it): binary search."""
    out = np.zeros(len(cand), dtype=np.float32)
    if len(ids):
        pos = np.searchsorted(ids, cand)
        np.minimum(pos, len(ids) - 1, out=pos)
        hit = np.flatnonzero(ids[pos] == cand)
        out[hit] = weights[pos[hit]]
    return out


def _term_order_scores(cand: np.ndarray, lists: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """The float32 scores of documents `cand`, each list's weight added in the lists' order: the
    same additions as a scatter in that order (adding the 0 of a list lacking a document is exact).
    """
    out = np.zeros(len(cand), dtype=np.float32)
    for ids, weights in lists:
        out += _weights_in(cand, ids, weights)
    return out


def _floor(buf: np.ndarray, lists: list[np.ndarray], k: int) -> float:
    """The k-th best score in `buf` among the documents of the shortest list with at least k
    (distinct, as a list holds a document once): at most the k-th best overall. -inf if none.
    """
    enough = [ids for ids in lists if len(ids) >= k]
    if not enough:
        return float("-inf")
    vals = buf[min(enough, key=len)]
    return float(np.partition(vals, len(vals) - k)[len(vals) - k])


def _best(cand: np.ndarray, vals: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best of distinct documents `cand`, best first, ties to the lower id."""
    if len(vals) > k:
        keep = vals >= np.partition(vals, len(vals) - k)[len(vals) - k]
        cand, vals = cand[keep], vals[keep]
    order = np.lexsort((cand, -vals))[:k]
    return cand[order], vals[order]


__all__ = [
    "BM25",
    "BM25Params",
    "PairWeigher",
    "idf_of",
    "length_norms",
    "narrow_lengths",
    "norms_of_lengths",
    "posting_weights",
    "rank_bm25_idf",
]
