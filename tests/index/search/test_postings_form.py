"""The postings' stored form: 5 bytes a posting (int32 id, one byte coding the (tf, sentence length)
pair), weights computed when a query reads them, laid out by a build straight into the generation's files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from index.ingest.files import load_seeds
from index.search import bm25 as bm25_module
from index.search import build as builder
from index.search import store
from index.search.bm25 import BM25, length_norms, posting_weights
from index.search.csr import CsrBuilder, chunk_postings, count_dtype, id_dtype, in_memory

WORDS = "council budget river bridge election mayor school storm harbour railway festival museum".split()


def test_ids_are_int32_until_they_would_overflow() -> None:
    assert id_dtype(0) == np.int32 and id_dtype(10_000_000) == np.int32
    assert id_dtype(2**31) == np.int32  # ids 0 .. 2^31 - 1 all fit
    assert id_dtype(2**31 + 1) == np.int64  # the guard: one id more and ids widen


def test_counts_take_the_narrowest_type() -> None:
    assert [count_dtype(n) for n in (0, 255, 256, 65_535, 65_536)] == [
        np.uint8,
        np.uint8,
        np.uint16,
        np.uint16,
        np.uint32,
    ]


def test_a_term_frequency_over_255_widens_tf_and_scores_stay_exact() -> None:
    docs = [["storm"] * 300 + ["bridge"], ["storm", "river"], ["bridge", "mayor"], ["school"]]
    index = BM25.build(docs)
    assert index.pairs.tf.dtype == np.uint16 and index.pairs.largest_tf() == 300
    assert index.doc_len.dtype == np.uint16 and index.doc_len.tolist() == [301, 2, 2, 1]  # a length over 255 widens
    oracle = BM25Okapi(docs, k1=1.5, b=0.75, epsilon=0.25)
    for query in (["storm"], ["storm", "bridge"], ["bridge", "mayor", "storm"]):
        np.testing.assert_allclose(index.scores(query), oracle.get_scores(query), rtol=1e-6)
        ids, _ = index.top(query, k=4)
        assert ids.tolist() == sorted(ids.tolist(), key=lambda d: (-oracle.get_scores(query)[d], d))


def test_query_weights_equal_a_whole_pass_to_the_bit() -> None:
    rng = np.random.default_rng(3)
    docs = [[str(w) for w in rng.choice(WORDS, size=int(rng.integers(1, 30)))] for _ in range(300)]
    index = BM25.build(docs)
    whole = posting_weights(
        index.indptr,
        index.docs,
        index.pairs.tf_between(),
        length_norms(index.doc_len, index.params),
        index.idf,
        index.params,
    )
    for tid in range(len(index.terms)):
        ids, weights = index.postings(tid)
        lo, hi = index.indptr[tid], index.indptr[tid + 1]
        assert ids.dtype == np.intp and np.array_equal(ids, index.docs[lo:hi])
        assert weights.dtype == np.float32 and np.array_equal(weights.view(np.uint32), whole[lo:hi].view(np.uint32))


def _seeds(folder: Path) -> None:
    folder.mkdir()
    rng = np.random.default_rng(5)
    with (folder / "wire.jsonl").open("w", encoding="utf-8") as fh:
        for i in range(40):
            text = " ".join(
                " ".join(str(w) for w in rng.choice(WORDS, size=int(rng.integers(3, 12)))).capitalize() + "."
                for _ in range(20)
            )
            fh.write(json.dumps({"id": f"w{i}", "title": f"Wire {i}", "text": text}) + "\n")


def test_a_build_saves_five_bytes_a_posting_and_no_weights(tmp_path: Path) -> None:
    seeds, index_dir = tmp_path / "seeds", tmp_path / "index"
    _seeds(seeds)
    generation = builder.build(seeds, index_dir, workers=1, layers=False)
    saved = store.load(generation, store.read_meta(generation))
    assert not (generation / "weights.npy").exists() and "weights" not in saved.arrays
    nnz = saved.meta["bm25_sidecar"]["n_postings"]
    assert not (generation / "tf.npy").exists() and not (generation / "posting_len.npy").exists()
    per_posting = {name: saved.arrays[name] for name in ("docs", "pair")}
    assert all(a.shape == (nnz,) for a in per_posting.values())
    assert [a.dtype for a in per_posting.values()] == [np.int32, np.uint8]
    assert sum(a.dtype.itemsize for a in per_posting.values()) == 5
    assert len(saved.arrays["pair_tf"]) <= 256
    assert saved.arrays["doc_len"].dtype == np.uint8  # every sentence under 256 tokens: a byte each
    # the same arrays, to the type, as an in-memory index of the same articles
    _, bm25 = builder.split_and_index(load_seeds(seeds).articles, workers=1)
    for name, array in bm25.arrays().items():
        assert saved.arrays[name].dtype == array.dtype and np.array_equal(saved.arrays[name], array), name


def _collected(docs: list[list[str]]) -> tuple[list[str], CsrBuilder, np.ndarray]:
    vocab: dict[str, int] = {}
    csr = CsrBuilder()
    for lo, hi in ((0, 7), (7, len(docs))):
        local: dict[str, int] = {}
        flat = np.array([local.setdefault(t, len(local)) for d in docs[lo:hi] for t in d], dtype=np.int64)
        lengths = np.array([len(d) for d in docs[lo:hi]], dtype=np.int64)
        remap = np.fromiter((vocab.setdefault(t, len(vocab)) for t in local), dtype=np.int64, count=len(local))
        csr.add(remap, chunk_postings(flat, lengths, len(local)), hi - lo)
    return list(vocab), csr, np.array([len(d) for d in docs], dtype=np.int64)


def test_postings_laid_out_in_the_generation_files_equal_in_memory(tmp_path: Path) -> None:
    rng = np.random.default_rng(9)
    docs = [[str(w) for w in rng.choice(WORDS, size=int(rng.integers(0, 15)))] for _ in range(20)]
    mem = BM25.from_builder(*_collected(docs), allocate=in_memory)
    with store.GenerationWriter(tmp_path / "index") as writer:
        mapped = BM25.from_builder(*_collected(docs), allocate=writer.allocate)
        for name in ("docs", "pair"):
            assert store.mapped_file(mapped.arrays()[name]) is not None, name  # in the generation's file
            assert not mapped.arrays()[name].flags.writeable, name  # written, then mapped again read-only
        generation = writer.commit({"probe": 1}, mapped.arrays())
    for name, array in mem.arrays().items():
        on_disk = np.load(generation / f"{name}.npy")
        assert on_disk.dtype == array.dtype and np.array_equal(on_disk, array), name
    for query in (["storm"], ["storm", "bridge", "museum"]):
        for got, want in zip(mapped.top(query, 5), mem.top(query, 5), strict=True):
            assert np.array_equal(got, want)


def test_an_allocated_array_must_be_committed_as_it_is(tmp_path: Path) -> None:
    with store.GenerationWriter(tmp_path / "index") as writer:
        writer.allocate("docs", 4, np.dtype(np.int32))[:] = [1, 2, 3, 4]
        with pytest.raises(ValueError, match="allocated"):
            writer.commit({}, {"docs": np.array([9, 9, 9, 9], dtype=np.int32)})  # another array: refused
    with store.GenerationWriter(tmp_path / "index") as writer:
        writer.allocate("tf", 3, np.dtype(np.uint8))
        with pytest.raises(ValueError, match="not committed"):
            writer.commit({}, {})
    with store.GenerationWriter(tmp_path / "index") as writer:
        with pytest.raises(ValueError):
            writer.allocate("../docs", 3, np.dtype(np.uint8))
        empty = writer.allocate("docs", 0, np.dtype(np.int32))
        generation = writer.commit({}, {"docs": empty})
    assert np.load(generation / "docs.npy").dtype == np.int32


def test_recent_postings_are_kept_within_their_bound_and_read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(4)
    docs = [[str(w) for w in rng.choice(WORDS, size=int(rng.integers(1, 20)))] for _ in range(200)]
    monkeypatch.setattr(bm25_module, "RECENT_POSTINGS", 150)  # a few terms' worth
    index, fresh = BM25.build(docs), BM25.build(docs)
    for tid in [*range(len(WORDS)), *range(len(WORDS))]:
        ids, weights = index.postings(tid)
        want_ids, want_weights = fresh._read(tid)
        assert np.array_equal(ids, want_ids) and np.array_equal(weights, want_weights)
        assert not ids.flags.writeable and not weights.flags.writeable
        recent = index._recent._lists
        assert sum(len(i) for i, _ in recent.values()) == index._recent.held <= 150
        assert len(ids) > 150 or next(reversed(recent)) == tid  # the last read is kept (if it fits)
    assert index.top(["storm", "bridge"], 5)[0].tolist() == fresh.top(["storm", "bridge"], 5)[0].tolist()
