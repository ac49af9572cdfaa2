"""The chunked build (postings per chunk, counting sort by term) equals one sort over every token."""

from __future__ import annotations

import numpy as np
import pytest

from index.search import bm25 as bm25_module
from index.search.bm25 import BM25, BM25Params, length_norms, posting_weights
from index.search.csr import CsrBuilder, chunk_postings
from tests.index.search.reference_top import reference_top


def _corpus(seed: int, n_sent: int = 300, n_words: int = 60) -> tuple[list[list[str]], list[str]]:
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(n_words)]
    docs = [[words[int(w)] for w in rng.zipf(1.5, size=int(rng.integers(0, 12))) % n_words] for _ in range(n_sent)]
    return docs, words


def _by_chunks(docs: list[list[str]], cuts: list[int]) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """What `build.split_and_index` does: local vocabularies per chunk, mapped onto a global one."""
    vocab: dict[str, int] = {}
    csr = CsrBuilder()
    for lo, hi in zip([0, *cuts], [*cuts, len(docs)], strict=True):
        local: dict[str, int] = {}
        flat = [local.setdefault(t, len(local)) for d in docs[lo:hi] for t in d]
        lengths = np.array([len(d) for d in docs[lo:hi]], dtype=np.int32)
        postings = chunk_postings(np.array(flat, dtype=np.int64), lengths, len(local))
        remap = np.fromiter((vocab.setdefault(t, len(vocab)) for t in local), dtype=np.int64, count=len(local))
        csr.add(remap, postings, hi - lo)
    return list(vocab), *csr.finish(len(vocab))


@pytest.mark.parametrize("seed", range(5))
def test_chunks_lay_out_the_same_csr_as_one_sort(seed: int) -> None:
    docs, _ = _corpus(seed)
    whole = BM25.build(docs)
    cuts = sorted({int(c) for c in np.random.default_rng(seed).integers(1, len(docs), size=6)})
    vocab, indptr, got_docs, tf = _by_chunks(docs, cuts)
    assert vocab == whole.terms
    assert np.array_equal(indptr, whole.indptr)
    assert np.array_equal(got_docs, whole.docs) and got_docs.dtype == np.int32  # 4 bytes a posting
    assert np.array_equal(tf, whole.pairs.tf_between())
    # and against the definition: each term's sentences ascending, with their counts
    for tid, term in enumerate(vocab):
        expected = [(i, d.count(term)) for i, d in enumerate(docs) if term in d]
        lo, hi = indptr[tid], indptr[tid + 1]
        assert list(zip(got_docs[lo:hi].tolist(), tf[lo:hi].tolist(), strict=True)) == expected


def test_empty_chunks_and_sentences_keep_their_place() -> None:
    docs = [[], ["a", "b"], [], [], ["b"], []]
    vocab, indptr, got_docs, tf = _by_chunks(docs, [1, 3, 4, 5])
    assert vocab == ["a", "b"]
    assert indptr.tolist() == [0, 1, 3]
    assert got_docs.tolist() == [1, 1, 4]
    assert tf.tolist() == [1, 1, 1]


def test_weights_in_blocks_equal_one_pass_to_the_bit(monkeypatch: pytest.MonkeyPatch) -> None:
    docs, _ = _corpus(7, n_sent=500)
    index = BM25.build(docs)
    tf = index.pairs.tf_between()
    norms = length_norms(index.doc_len, index.params)
    whole = posting_weights(index.indptr, index.docs, tf, norms, index.idf, BM25Params())
    monkeypatch.setattr(bm25_module, "WEIGHT_BLOCK", 5)  # many blocks, some terms longer than one
    blocked = posting_weights(index.indptr, index.docs, tf, norms, index.idf, BM25Params())
    assert blocked.dtype == np.float32
    assert np.array_equal(blocked.view(np.uint32), whole.view(np.uint32))
    # the definition, in float64
    k1, b = 1.5, 0.75
    avgdl = index.doc_len.mean()
    term_of = np.repeat(np.arange(len(index.terms)), np.diff(index.indptr))
    dl = index.doc_len[index.docs]
    exact = index.idf[term_of] * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))
    assert np.allclose(blocked, exact, rtol=1e-5)


@pytest.mark.parametrize("min_postings", [0, 10**9])  # the MaxScore path, the scatter path
def test_top_skips_the_longest_list_and_stays_exact_to_the_bit(
    monkeypatch: pytest.MonkeyPatch, min_postings: int
) -> None:
    """A term in nearly every sentence (low weight) beside rare ones: the bound skips its list
    (MaxScore); copies of sentences make exact ties. Ids and float32 scores equal a scatter of
    every list in term order, for many queries and k."""
    monkeypatch.setattr(bm25_module, "MAXSCORE_MIN_POSTINGS", min_postings)
    monkeypatch.setattr(bm25_module, "_topk", None)  # numpy's paths (the kernel's: test_topk_kernel.py)
    rng = np.random.default_rng(11)
    words = [f"w{i}" for i in range(200)]
    base = [["the", *(words[int(w)] for w in rng.zipf(1.3, size=int(rng.integers(1, 10))) % 200)] for _ in range(400)]
    docs = base + base[:150]  # copies: equal scores, ordered by id
    index = BM25.build(docs)
    queries = [["the", *rng.choice(words, size=int(rng.integers(1, 5))).tolist()] for _ in range(150)]
    queries += [["the", "the", "w1", "w2", "w1"], ["w0", "w1"], ["the", "unknown"]]
    for query in queries:
        for k in (1, 3, 10, 40):
            ids, scores = index.top(query, k)
            assert (ids.tolist(), scores.tolist()) == reference_top(index, query, k), (query, k)
