"""BM25 with the exact scores of `rank_bm25.BM25Okapi`, at a cost proportional to the
postings of the query's terms rather than to the number of documents.

rank-bm25 loops in Python over every document for every query term. Here each (term,
document) pair's whole contribution `idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))`
is computed once at build time and stored in a CSR layout (`indptr` per term, then the
documents and weights of its postings), so a query is a few vectorised scatter-adds.
Formula, idf floor (`epsilon * average idf` for negative idfs) and repeated query terms
counting twice all follow rank-bm25 0.2.2; the tests use it as the oracle.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np


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
        weights: np.ndarray,
        idf: np.ndarray,
        doc_len: np.ndarray,
        params: BM25Params = BM25Params(),
    ) -> None:
        self.terms = list(vocab)
        self.vocab = {term: i for i, term in enumerate(self.terms)}
        # Plain ndarray views: memory maps stay mapped, minus np.memmap's per-slice overhead.
        self.indptr, self.docs, self.weights = np.asarray(indptr), np.asarray(docs), np.asarray(weights)
        self.idf, self.doc_len, self.params = np.asarray(idf), np.asarray(doc_len), params
        self.n_docs = int(len(doc_len))
        self._local = threading.local()  # one zeroed scratch array per thread
        # Term frequency of each posting: what segments are merged and rescored from when the
        # corpus statistics change (an add or a removal changes every weight).
        self.tf: np.ndarray = np.zeros(0, dtype=np.uint16)
        # The length of each posting's sentence (uint8, or uint16 if one is longer): lets a chain
        # weight a posting at query time without gathering the per-sentence norms (5 ns a posting).
        self.posting_len: np.ndarray | None = None

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
        n_docs, n_terms = len(lengths), len(vocab)
        doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
        keys = flat * max(n_docs, 1) + doc_of
        keys, tf = np.unique(keys, return_counts=True)  # sorted by term, then document
        term_of = keys // max(n_docs, 1)
        # int64, not int32: numpy converts int32 indices on every scatter and gather, which
        # measured about 1.6x slower per query at 1M sentences than the 4 bytes it saves.
        docs = (keys - term_of * max(n_docs, 1)).astype(np.int64)
        df = np.bincount(term_of, minlength=n_terms)
        indptr = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        return cls.from_postings(vocab, indptr, docs, tf, lengths, params)

    @classmethod
    def from_postings(
        cls,
        vocab: list[str],
        indptr: np.ndarray,
        docs: np.ndarray,
        tf: np.ndarray,
        lengths: np.ndarray,
        params: BM25Params = BM25Params(),
    ) -> BM25:
        """Score postings (CSR by term: documents ascending, term frequencies) with the statistics
        of exactly these documents: what a build and a merge of segments both end with.

        Every term must have at least one posting (rank-bm25's average idf is over the terms
        present); `lengths` counts every document, empty ones included.
        """
        idf = rank_bm25_idf(np.diff(indptr), len(lengths), params)
        weights = posting_weights(indptr, docs, tf, length_norms(lengths, params), idf, params)
        index = cls(vocab, indptr, docs, weights, idf.astype(np.float64), lengths.astype(np.int32), params)
        index.tf = tf.astype(np.uint16) if len(tf) and int(tf.max()) <= np.iinfo(np.uint16).max else tf.astype(np.int32)
        index.posting_len = posting_lengths(lengths, docs)
        return index

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

        Work is proportional to the query terms' postings: each term's weights are added
        into a per-thread float32 scratch array (`np.add.at`, the fastest scatter in numpy
        2). The k-th best score among the documents of the shorter posting lists is a floor
        that the longest list's documents are compared with (a cheap mask instead of a
        partial sort over all of them); the survivors are ranked exactly. Exact MaxScore
        pruning was tried and measured slower at 1M sentences (README): numpy pays per call,
        not per posting skipped.
        """
        terms = self._query_terms(tokens)
        if not terms or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        if len(terms) == 1:
            ids, weights = self._postings(terms[0][0])
            return _best(ids.astype(np.int64), weights.astype(np.float64) * terms[0][1], k)
        buf = self._scratch()
        postings = []
        for tid, count in terms:
            ids, weights = self._postings(tid)
            np.add.at(buf, ids, weights if count == 1 else weights * np.float32(count))
            postings.append(ids)
        longest = postings.pop(max(range(len(postings)), key=lambda i: len(postings[i])))
        rest = np.concatenate(postings)
        rest_vals, long_vals = buf[rest], buf[longest]
        buf[rest] = 0.0
        buf[longest] = 0.0
        # A floor under the k-th best score: the k-th best of any k distinct documents. A
        # document is listed at most once per term, so the best k x terms entries of `rest`
        # hold at least k distinct documents whenever `rest` has them.
        keep = k * len(terms)
        sub_docs, sub_vals = rest, rest_vals
        if len(rest) > keep:
            part = np.argpartition(rest_vals, len(rest) - keep)[len(rest) - keep :]
            sub_docs, sub_vals = rest[part], rest_vals[part]
        _, first = np.unique(sub_docs, return_index=True)
        distinct = sub_vals[first]
        if len(distinct) >= k:
            floor = np.partition(distinct, len(distinct) - k)[len(distinct) - k]
        elif len(long_vals) >= k:  # few documents outside the longest list
            floor = np.partition(long_vals, len(long_vals) - k)[len(long_vals) - k]
        else:
            floor = -np.inf
        in_rest, in_long = rest_vals >= floor, long_vals >= floor
        cand = np.concatenate((rest[in_rest], longest[in_long]))
        vals = np.concatenate((rest_vals[in_rest], long_vals[in_long]))
        cand, first = np.unique(cand, return_index=True)
        return _best(cand, vals[first].astype(np.float64), k)

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

    def group_doc_freq(self, group_of: np.ndarray) -> np.ndarray:
        """Per term, how many groups of passages hold it (`group_of[pid]` non-decreasing in pid):
        runs of one group within a term's postings, counted for every term at once in O(postings).
        """
        of_posting = np.asarray(group_of)[np.asarray(self.docs)]
        indptr = np.asarray(self.indptr, dtype=np.int64)
        opens = np.ones(len(of_posting), dtype=np.uint8)  # a posting opening a (term, group) run
        np.not_equal(of_posting[1:], of_posting[:-1], out=opens[1:])
        del of_posting
        starts = indptr[:-1]
        nonempty = starts < indptr[1:]
        opens[starts[nonempty]] = 1
        df = np.zeros(len(starts))
        if nonempty.any():
            df[nonempty] = np.add.reduceat(opens, starts[nonempty], dtype=np.int64)
        return df

    def _postings(self, tid: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = self.indptr[tid], self.indptr[tid + 1]
        return self.docs[lo:hi], self.weights[lo:hi]

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
            "weights": self.weights,
            "idf": self.idf,
            "doc_len": self.doc_len,
            "tf": self.tf,
            **({} if self.posting_len is None else {"posting_len": self.posting_len}),
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
        indptr, docs, weights = arrays["indptr"], arrays["docs"], arrays["weights"]
        if (
            len(vocab) != n_terms
            or indptr.shape != (n_terms + 1,)
            or docs.shape != (nnz,)
            or weights.shape != (nnz,)
            or arrays["idf"].shape != (n_terms,)
            or arrays["doc_len"].shape != (n_docs,)
            or arrays["tf"].shape != (nnz,)
            or (n_terms and int(indptr[-1]) != nnz)
        ):
            raise ValueError("index arrays do not match their sidecar")
        index = cls(vocab, indptr, docs, weights, arrays["idf"], arrays["doc_len"], BM25Params(**sidecar["params"]))
        index.tf = np.asarray(arrays["tf"])
        if "posting_len" in arrays:  # absent from indexes built before it (a chain gathers the lengths then)
            if arrays["posting_len"].shape != (nnz,):
                raise ValueError("index arrays do not match their sidecar")
            index.posting_len = np.asarray(arrays["posting_len"])
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


def posting_lengths(lengths: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """The length of each posting's sentence, in the smallest unsigned type that holds them all."""
    lengths = np.asarray(lengths)
    top = int(lengths.max()) if len(lengths) else 0
    dtype = np.uint8 if top <= np.iinfo(np.uint8).max else np.uint16 if top <= np.iinfo(np.uint16).max else np.uint32
    out: np.ndarray = lengths.astype(dtype)[np.asarray(docs)]
    return out


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
    """Every posting's weight idf tf (k1 + 1) / (tf + K[doc]), in float32 and in place (two arrays
    of the postings' length): the same arithmetic, in the same order, as `live.LiveBM25` does
    at query time, so a merged index and a chain score alike to the bit.
    """
    weight = np.asarray(tf).astype(np.float32)
    denominator = norms[np.asarray(docs)]
    denominator += weight
    weight *= np.repeat((idf * (params.k1 + 1)).astype(np.float32), np.diff(indptr))
    weight /= denominator
    return weight


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
    "idf_of",
    "length_norms",
    "norms_of_lengths",
    "posting_lengths",
    "posting_weights",
    "rank_bm25_idf",
]
