"""Postings made chunk by chunk, laid out as one CSR by term with a counting sort: bounded memory.

A build used to hold every token of the corpus as one int64 array and sort 64-bit (term,
sentence) keys (`np.unique`): 1.6 GB at 1M sentences, about 15 GB extrapolated to 10M.
Here each chunk of sentences is reduced to its postings where it is made (a worker process):
its distinct terms in order of first appearance, and per term its sentences ascending with their
term frequencies. The parent keeps 6 bytes a posting (int32 sentence, uint16 tf) and the chunk's
term counts; once every chunk is in, each term's place in the CSR is known (df summed over the
chunks) and every chunk's runs are copied into place, chunk after chunk, so sentences stay
ascending within a term with no sort over the whole corpus.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["ChunkPostings", "CsrBuilder", "chunk_postings"]

_TF16 = np.iinfo(np.uint16).max


@dataclass(frozen=True, slots=True)
class ChunkPostings:
    """The postings of a chunk of sentences, grouped by the chunk's own term ids (0..n-1)."""

    counts: np.ndarray  # sentences holding each local term (every local term occurs)
    sentences: np.ndarray  # int32, chunk-local sentence ids, ascending within a term's run
    tf: np.ndarray  # uint16 (int32 if a term occurs more than 65,535 times in one sentence)


def chunk_postings(flat: np.ndarray, lengths: np.ndarray, n_terms: int) -> ChunkPostings:
    """Postings of sentences given as a flat array of local term ids (0..n_terms-1) and lengths."""
    n_sent = len(lengths)
    if not len(flat):
        empty = np.zeros(0, dtype=np.int32)
        return ChunkPostings(np.zeros(n_terms, dtype=np.int64), empty, empty.astype(np.uint16))
    sent_of = np.repeat(np.arange(n_sent, dtype=np.int64), lengths)
    keys = np.asarray(flat, dtype=np.int64) * n_sent + sent_of
    del sent_of
    keys, tf = np.unique(keys, return_counts=True)  # by term, then sentence
    terms = keys // n_sent
    sentences = (keys - terms * n_sent).astype(np.int32)
    counts = np.bincount(terms, minlength=n_terms)
    small = not len(tf) or int(tf.max()) <= _TF16
    return ChunkPostings(counts, sentences, tf.astype(np.uint16 if small else np.int32))


class CsrBuilder:
    """Collects chunks in sentence order, then lays every posting out as one CSR by global term."""

    def __init__(self) -> None:
        self._chunks: list[tuple[np.ndarray, ChunkPostings, int]] = []  # (global ids, postings, offset)
        self._df = np.zeros(0, dtype=np.int64)
        self._n_sentences = 0
        self._tf_dtype = np.dtype(np.uint16)

    def add(self, global_ids: np.ndarray, postings: ChunkPostings, n_sentences: int) -> None:
        """A chunk's postings; `global_ids[local]` is each local term's id in the whole vocabulary.

        Chunks must come in sentence order: the chunk's sentences follow the previous chunks'.
        """
        global_ids = np.asarray(global_ids, dtype=np.int64)
        if len(global_ids):
            top = int(global_ids.max()) + 1
            if top > len(self._df):
                self._df = np.concatenate((self._df, np.zeros(top - len(self._df), dtype=np.int64)))
            self._df[global_ids] += postings.counts  # a chunk's terms are distinct
        self._tf_dtype = np.promote_types(self._tf_dtype, postings.tf.dtype)
        self._chunks.append((global_ids, postings, self._n_sentences))
        self._n_sentences += n_sentences

    def finish(self, n_terms: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(indptr, docs int64, tf) over `n_terms` terms; each chunk is released once placed."""
        df = np.zeros(n_terms, dtype=np.int64)
        df[: len(self._df)] = self._df
        indptr = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        docs = np.empty(int(indptr[-1]), dtype=np.int64)
        tf = np.empty(int(indptr[-1]), dtype=self._tf_dtype)
        filled = indptr[:-1].copy()  # where each term's next run goes
        chunks, self._chunks = self._chunks, []
        chunks.reverse()
        while chunks:
            ids, postings, offset = chunks.pop()
            counts = postings.counts
            starts = np.cumsum(counts) - counts  # each local term's first posting in the chunk
            pos = np.arange(len(postings.sentences), dtype=np.int64)
            pos += np.repeat(filled[ids] - starts, counts)
            docs[pos] = postings.sentences + np.int64(offset)
            tf[pos] = postings.tf
            filled[ids] += counts
            del ids, postings, counts, starts, pos
        return indptr, docs, tf
