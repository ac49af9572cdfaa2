"""Postings made chunk by chunk, laid out as one CSR by term with a counting sort: bounded memory.

A build used to hold every token of the corpus as one int64 array and sort 64-bit (term,
sentence) keys (`np.unique`): 1.6 GB at 1M sentences, about 15 GB extrapolated to 10M.
Here each chunk of sentences is reduced to its postings where it is made (a worker process):
its distinct terms in order of first appearance, and per term its sentences ascending with their
term frequencies. The parent keeps 5 bytes a posting (int32 sentence, uint8 tf) and the chunk's
term counts; once every chunk is in, each term's place in the CSR is known (df summed over the
chunks) and every chunk's runs are copied into place, chunk after chunk, so sentences stay
ascending within a term with no sort over the whole corpus. The CSR is laid out where the
caller's `Allocate` puts it: a build's are memory maps in the generation's own files (int32
sentences, the narrowest tf), so the postings leave its memory once placed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Allocate",
    "ChunkPostings",
    "CsrBuilder",
    "chunk_postings",
    "count_dtype",
    "id_dtype",
    "in_memory",
    "reread",
]

# Where `CsrBuilder.finish` lays an array out: (name, length, dtype) -> a writable array of that
# shape (a build passes `store.GenerationWriter.allocate`: a memory map in the generation's folder).
Allocate = Callable[[str, int, np.dtype], np.ndarray]


def id_dtype(n_docs: int) -> np.dtype:
    """The type of a posting's document id: int32 (4 bytes) while every id fits, else int64.

    2^31 sentences is far beyond 10M; this is the guard should an index ever get there.
    """
    return np.dtype(np.int32 if n_docs <= np.iinfo(np.int32).max + 1 else np.int64)


def count_dtype(top: int) -> np.dtype:
    """The narrowest unsigned type holding counts up to `top` (a term frequency, a length)."""
    for dtype in (np.uint8, np.uint16, np.uint32):
        if top <= np.iinfo(dtype).max:
            return np.dtype(dtype)
    return np.dtype(np.int64)


def in_memory(name: str, length: int, dtype: np.dtype) -> np.ndarray:
    """An `Allocate` that makes a plain array (tests, small builds in memory)."""
    return np.empty(length, dtype=dtype)


def reread(array: np.ndarray) -> np.ndarray:
    """A memory-mapped array flushed and mapped again read-only (others returned as they are):
    the pages written through the writable map leave the process once it is dropped, and come
    back only where something reads them.
    """
    if not isinstance(array, np.memmap) or not array.filename or not array.size:
        return array
    array.flush()
    again: np.ndarray = np.load(array.filename, mmap_mode="r", allow_pickle=False)
    return again


@dataclass(frozen=True, slots=True)
class ChunkPostings:
    """The postings of a chunk of sentences, grouped by the chunk's own term ids (0..n-1)."""

    counts: np.ndarray  # sentences holding each local term (every local term occurs)
    sentences: np.ndarray  # int32, chunk-local sentence ids, ascending within a term's run
    tf: np.ndarray  # the narrowest unsigned type (`count_dtype`): uint8 unless a term occurs 256 times in a sentence


def chunk_postings(flat: np.ndarray, lengths: np.ndarray, n_terms: int) -> ChunkPostings:
    """Postings of sentences given as a flat array of local term ids (0..n_terms-1) and lengths."""
    n_sent = len(lengths)
    if not len(flat):
        empty = np.zeros(0, dtype=np.int32)
        return ChunkPostings(np.zeros(n_terms, dtype=np.int64), empty, empty.astype(np.uint8))
    sent_of = np.repeat(np.arange(n_sent, dtype=np.int64), lengths)
    keys = np.asarray(flat, dtype=np.int64) * n_sent + sent_of
    del sent_of
    keys, tf = np.unique(keys, return_counts=True)  # by term, then sentence
    terms = keys // n_sent
    sentences = (keys - terms * n_sent).astype(np.int32)
    counts = np.bincount(terms, minlength=n_terms)
    return ChunkPostings(counts, sentences, tf.astype(count_dtype(int(tf.max()) if len(tf) else 0)))


class CsrBuilder:
    """Collects chunks in sentence order, then lays every posting out as one CSR by global term."""

    def __init__(self) -> None:
        self._chunks: list[tuple[np.ndarray, ChunkPostings, int]] = []  # (global ids, postings, offset)
        self._df = np.zeros(0, dtype=np.int64)
        self._n_sentences = 0
        self._tf_top = 0  # the largest term frequency seen: the saved type is the narrowest holding it

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
        if len(postings.tf):
            self._tf_top = max(self._tf_top, int(postings.tf.max()))
        self._chunks.append((global_ids, postings, self._n_sentences))
        self._n_sentences += n_sentences

    def finish(self, n_terms: int, allocate: Allocate = in_memory) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(indptr, docs, tf) over `n_terms` terms; each chunk is released once placed.

        `docs` (int32 below 2^31 sentences, `id_dtype`) and `tf` (the narrowest unsigned
        type) are laid out where `allocate` puts them: a build writes them straight into the
        generation's files, so the postings leave its memory as they are placed.
        """
        df = np.zeros(n_terms, dtype=np.int64)
        df[: len(self._df)] = self._df
        indptr = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        docs = allocate("docs", int(indptr[-1]), id_dtype(self._n_sentences))
        tf = allocate("tf", int(indptr[-1]), count_dtype(self._tf_top))
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
