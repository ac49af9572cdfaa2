"""One byte a posting codes its (tf, sentence length) pair: exact round trips, escapes for the
pairs past the table's 256, and weights equal to the bit to the element-wise arithmetic."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from index.search import pairs as pairs_module
from index.search import store
from index.search.bm25 import BM25, BM25Params, query_weights
from index.search.csr import CsrBuilder, chunk_postings
from index.search.live import LiveBM25, SegmentPostings
from index.search.pairs import ESCAPE, PAIR_ARRAYS, PairCodes, encode_pairs

WORDS = "council budget river bridge election mayor school storm".split()


def _many_pairs(seed: int, n: int = 700) -> list[list[str]]:
    """Sentences of many lengths with a term repeated many times: far more than 256 pairs."""
    rng = random.Random(seed)
    docs = []
    for _ in range(n):
        length = rng.randint(1, 120)
        repeats = rng.randint(1, min(length, 40))
        docs.append(["storm"] * repeats + [rng.choice(WORDS) for _ in range(length - repeats)])
    return docs


def _truth(index: BM25, docs: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Each posting's tf and sentence length, from the documents themselves."""
    tf, lengths = [], []
    for tid, term in enumerate(index.terms):
        for doc in index.docs[index.indptr[tid] : index.indptr[tid + 1]].tolist():
            tf.append(docs[doc].count(term))
            lengths.append(len(docs[doc]))
    return np.array(tf), np.array(lengths)


@pytest.mark.parametrize("seed", range(3))
def test_codes_round_trip_with_escapes_and_weigh_to_the_bit(seed: int) -> None:
    docs = _many_pairs(seed)
    index = BM25.build(docs)
    pairs = index.pairs
    tf, lengths = _truth(index, docs)
    assert len(set(zip(tf.tolist(), lengths.tolist(), strict=True))) > 256 and pairs.escaped
    assert len(pairs.tf) == 256 and pairs.codes.dtype == np.uint8
    assert np.array_equal(pairs.tf_between(), tf) and np.array_equal(pairs.length_between(), lengths)
    assert (pairs.codes[pairs.escape_at] == ESCAPE).all() and (np.diff(pairs.escape_at) > 0).all()
    # the escaped pairs are the rarest: none of them is commoner than a pair of the table
    counts: dict[tuple[int, int], int] = {}
    for pair in zip(tf.tolist(), lengths.tolist(), strict=True):
        counts[pair] = counts.get(pair, 0) + 1
    table = set(zip(pairs.tf[:255].tolist(), pairs.length[:255].tolist(), strict=True))
    rare = set(zip(pairs.escape_tf.tolist(), pairs.escape_len.tolist(), strict=True))
    assert not table & rare and max(counts[p] for p in rare) <= min(counts[p] for p in table)
    rng = np.random.default_rng(seed)
    for tid in range(len(index.terms)):
        lo, hi = int(index.indptr[tid]), int(index.indptr[tid + 1])
        want = query_weights(
            tf[lo:hi], lengths[lo:hi], index._idf_scaled[tid], index.n_docs, index._total, index.params
        )
        _, weights = index.postings(tid)
        assert np.array_equal(weights.view(np.uint32), want.view(np.uint32))
        at = rng.integers(0, hi - lo, size=min(50, hi - lo))
        assert np.array_equal(index.weights_at(tid, at).view(np.uint32), want[at].view(np.uint32))
    oracle = BM25Okapi(docs, k1=1.5, b=0.75, epsilon=0.25)
    for query in (["storm"], ["storm", "river"], ["council", "storm", "mayor"]):
        np.testing.assert_allclose(index.scores(query), oracle.get_scores(query), rtol=1e-6)


def test_sorted_counting_and_coding_in_place_give_the_dense_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _many_pairs(7)
    index = BM25.build(docs)
    tf = index.pairs.tf_between()
    dense = index.pairs
    monkeypatch.setattr(pairs_module, "ENCODE_BLOCK", 97)  # many blocks, escapes in several
    sparse = encode_pairs(tf, index.docs, index.doc_len, dense_keys=0)  # np.unique instead of bincount
    in_place = tf.astype(np.uint8)
    coded = encode_pairs(in_place, index.docs, index.doc_len, out=in_place)  # the build's way
    assert coded.codes is in_place
    for other in (sparse, coded):
        for name, array in dense.arrays().items():
            assert np.array_equal(other.arrays()[name], array), name


def test_at_most_256_pairs_need_no_escape() -> None:
    # tf 1..16 of "storm" in sentences of 16..31 tokens, the rest words of their own (tf 1): 256 pairs
    docs = [["storm"] * tf + [f"w{tf}_{n}_{i}" for i in range(n - tf)] for tf in range(1, 17) for n in range(16, 32)]
    index = BM25.build(docs)
    pairs = index.pairs
    assert not pairs.escaped and len(pairs.tf) == 256
    assert ESCAPE in pairs.codes.tolist()  # 255 names a pair here, not an escape
    oracle = BM25Okapi(docs, k1=1.5, b=0.75, epsilon=0.25)
    np.testing.assert_allclose(index.scores(["storm"]), oracle.get_scores(["storm"]), rtol=1e-6)


def test_saved_pairs_are_checked() -> None:
    index = BM25.build(_many_pairs(1, n=400))
    arrays, nnz = index.pairs.arrays(), len(index.docs)
    assert set(arrays) == set(PAIR_ARRAYS)
    PairCodes.from_arrays(arrays, nnz)
    broken = [
        {**arrays, "pair": arrays["pair"][:-1]},
        {**arrays, "pair": arrays["pair"].astype(np.uint16)},
        {**arrays, "pair_len": arrays["pair_len"][:-1]},
        {**arrays, "rare_at": arrays["rare_at"][::-1].copy()},
        {**arrays, "rare_at": arrays["rare_at"] - int(arrays["rare_at"][0]) - 1},  # a position before the first
        {**arrays, "rare_tf": arrays["rare_tf"][:-1]},
    ]
    for saved in broken:
        with pytest.raises(ValueError, match="pair arrays"):
            PairCodes.from_arrays(saved, nnz)


def test_a_chain_of_segments_with_escapes_weighs_as_a_whole_build() -> None:
    rng = random.Random(4)
    parts, live_docs, offset = [], [], 0
    for seed in (1, 2):
        docs = _many_pairs(seed, n=400)
        saved = BM25.build(docs)
        dead = {i for i in range(len(docs)) if rng.random() < 0.2}
        live = np.array([i not in dead for i in range(len(docs))])
        pid_map = np.where(live, np.cumsum(live) - 1 + offset, -1)
        parts.append(
            SegmentPostings(saved.terms, saved.indptr, saved.docs, saved.pairs, saved.doc_len, offset, pid_map)
        )
        live_docs.extend(d for i, d in enumerate(docs) if i not in dead)
        offset += int(live.sum())
    chain = LiveBM25(parts, BM25Params())
    whole = BM25.build(live_docs)
    merged = chain.compact()
    for term, tid in whole.vocab.items():
        want_ids, want = whole.postings(tid)
        for index in (chain, merged):
            ids, weights = index.postings(index.vocab[term])
            assert np.array_equal(ids, want_ids)
            assert np.array_equal(weights.view(np.uint32), want.view(np.uint32)), term
    for name, array in whole.pairs.arrays().items():
        assert np.array_equal(merged.pairs.arrays()[name], array), name


@pytest.mark.parametrize("repeats", [3, 300])  # tf a byte: coded in place in pair.npy; wider: coded from memory
def test_a_build_lays_the_codes_out_in_the_generation(tmp_path: Path, repeats: int) -> None:
    docs = [*_many_pairs(5, n=300), ["storm"] * repeats + ["river"]]
    vocab: dict[str, int] = {}
    flat = np.array([vocab.setdefault(t, len(vocab)) for d in docs for t in d], dtype=np.int64)
    lengths = np.array([len(d) for d in docs], dtype=np.int64)

    def collected() -> CsrBuilder:
        csr = CsrBuilder()
        csr.add(np.arange(len(vocab)), chunk_postings(flat, lengths, len(vocab)), len(docs))
        return csr

    mem = BM25.from_builder(list(vocab), collected(), lengths)
    with store.GenerationWriter(tmp_path / "index") as writer:
        mapped = BM25.from_builder(list(vocab), collected(), lengths, allocate=writer.allocate)
        assert store.mapped_file(mapped.pairs.codes) is not None and not mapped.pairs.codes.flags.writeable
        generation = writer.commit({}, mapped.arrays())
    assert not (generation / "tf.npy").exists() and (mapped.pairs.tf.dtype == np.uint16) == (repeats > 255)
    for name, array in mem.arrays().items():
        on_disk = np.load(generation / f"{name}.npy")
        assert on_disk.dtype == array.dtype and np.array_equal(on_disk, array), name
