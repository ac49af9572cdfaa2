"""The compiled top k (`index.search._topk`) and numpy's paths give the same ids and float32 scores."""

from __future__ import annotations

import logging
import random
import shutil
import sysconfig

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.search import bm25 as bm25_module
from index.search import live as live_module
from index.search.bm25 import BM25, BM25Params
from index.search.live import LiveBM25
from tests.index.search.reference_top import PATHS, reference_top, top_path
from tests.index.search.test_live import WORDS, _segment
from tests.index.search.test_top_k import COMMON, RARE, corpus_strategy

ABSENT = ["nowhere"]
queries = st.lists(st.sampled_from(COMMON + RARE + ABSENT), min_size=1, max_size=8)  # repeats and absent terms


def _scratch_is_zero() -> bool:
    """The kernel's floats and bits are left zeroed (its uint32 are written before they are read)."""
    work = getattr(bm25_module._spare, "work", None)
    if work is None:
        return True
    block = bm25_module.KERNEL_BLOCK
    return not work[: 4 * block].any() and not work[8 * block :].any()


def test_a_machine_with_a_c_compiler_builds_the_kernel():
    """`pip install -e .` (make install, make test) builds it wherever the compiler Python was built with is found."""
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        pytest.skip(f"no C compiler ({compiler}): the numpy path runs")
    assert bm25_module._topk is not None


@pytest.mark.parametrize("path", PATHS)
@settings(max_examples=120, deadline=None)
@given(corpus=corpus_strategy, query=queries, k=st.integers(1, 100))
def test_each_path_equals_a_term_order_scatter(path, corpus, query, k):
    """Copies of sentences (exact ties to the lower id), filler of common terms, repeated and
    absent query terms, k 1-100: ids and float32 scores of a scatter in term order, sorted."""
    rare, filler, copies = corpus
    index = BM25.build(rare * copies + filler)
    with top_path(path):
        ids, scores = index.top(query, k)
        assert _scratch_is_zero()
    assert ids.dtype == np.int64 and scores.dtype == np.float64
    assert (ids.tolist(), scores.tolist()) == reference_top(index, query, k)


@pytest.mark.parametrize("path", PATHS)
@settings(max_examples=60, deadline=None)
@given(
    corpus=st.lists(st.lists(st.sampled_from(RARE), max_size=1).map(lambda r: [*r, *COMMON]), min_size=4, max_size=90),
    query=queries,
    k=st.integers(1, 100),
)
def test_weights_of_any_sign(path, corpus, query, k):
    """Terms in every sentence have negative idfs (rank-bm25's floor): scores of any sign."""
    index = BM25.build(corpus)
    with top_path(path):
        ids, scores = index.top(query, k)
    assert (ids.tolist(), scores.tolist()) == reference_top(index, query, k)


@pytest.mark.parametrize("path", PATHS)
def test_nothing_to_rank_gives_empty_arrays(path):
    index = BM25.build([["a", "b"], ["b"], []])
    with top_path(path):
        for query, k in (([], 10), (ABSENT, 10), (["a"], 0), (["a", "b"], -1)):
            ids, scores = index.top(query, k)
            assert ids.dtype == np.int64 and scores.dtype == np.float64
            assert ids.tolist() == scores.tolist() == []
        assert index.top(["a", "b", "b"], 100)[0].tolist() == [0, 1]  # fewer documents than k


@pytest.mark.parametrize("cursor_share", [0, 1, 10**9])  # removals read from `pid_map`, either, stepped over
@pytest.mark.parametrize("seed", range(8))
def test_a_chain_with_removals_ranks_alike_on_both_paths(seed, cursor_share, monkeypatch):
    """Segments (offsets: coded lists) and removed sentences (`pid_map`: weighed lists): the
    kernel's top k equals numpy's."""
    rng = random.Random(seed)
    parts, offset = [], 0
    for size in (300, 40, 7, 90):
        docs = [
            [rng.choice(WORDS[: rng.randint(2, len(WORDS))]) for _ in range(rng.randint(0, 6))] for _ in range(size)
        ]
        dead = {i for i in range(size) if rng.random() < 0.3} if rng.random() < 0.5 else set()
        parts.append(_segment(docs, offset, dead))
        offset += size - len(dead)
    live = LiveBM25(parts, BM25Params())
    monkeypatch.setattr(live_module, "REMOVED_CURSOR_SHARE", cursor_share)
    for _ in range(30):
        query = [rng.choice(WORDS + ABSENT) for _ in range(rng.randint(1, 5))]
        for k in (1, 7, 100):
            got = {}
            for path in PATHS:
                with top_path(path):
                    ids, scores = live.top(query, k)
                got[path] = (ids.tolist(), scores.tolist())
            assert got["kernel"] == got["numpy"] == got["kernel, blocks of 64"] == reference_top(live, query, k)


def _many_pairs(copies: int) -> list[list[str]]:
    """Sentences holding "x" at more than 256 (tf, length) pairs: some postings escape the table."""
    return [
        ["x"] * tf + ["f"] * (length - tf) for length in range(1, 46) for tf in range(1, min(length, 12) + 1)
    ] * copies


@pytest.mark.parametrize("cursor_share", [0, 10**9])
@pytest.mark.parametrize("path", PATHS)
def test_escaped_pairs_weigh_as_numpy_does(path, cursor_share, monkeypatch):
    """More than 256 (tf, length) pairs: the escaped postings' own weights (times a repeated
    term's count), on a whole index, on a chain of two segments, and on one whose segments have
    removals (ids through `pid_map`)."""
    whole = BM25.build(_many_pairs(2))
    assert whole.pairs.escaped
    n = len(_many_pairs(1))
    first, second = _segment(_many_pairs(1), 0, set()), _segment(_many_pairs(1), n, set())
    chain = LiveBM25([first, second], BM25Params())
    dead = set(range(0, n, 3))  # removals among the escaped postings: their escapes are passed over
    removed = LiveBM25([_segment(_many_pairs(1), 0, dead), _segment(_many_pairs(1), n - len(dead), {5})], BM25Params())
    assert removed._weighers[0].escapes is not None
    monkeypatch.setattr(live_module, "REMOVED_CURSOR_SHARE", cursor_share)
    for index in (whole, chain, removed):
        for query in (["x"], ["x", "x", "f"], ["f", "x"], ["f", "f", "f"]):
            for k in (1, 10, 100, 1000):
                with top_path(path):
                    ids, scores = index.top(query, k)
                assert (ids.tolist(), scores.tolist()) == reference_top(index, query, k)


def test_the_kernel_weighs_coded_lists_and_refuses_bad_ones():
    kernel = bm25_module._topk
    if kernel is None:
        pytest.skip("the compiled top k is not built here")
    work = np.zeros(64 * 8 + 8, dtype=np.uint8)
    out_ids, out_scores = np.empty(3, dtype=np.int64), np.empty(3, dtype=np.float32)
    tf, den = np.array([1, 2], dtype=np.float32), np.array([2, 2], dtype=np.float32)  # weights 1.5, 3 at scale 3
    codes, none = np.array([0, 1, 1], dtype=np.uint8), (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))

    def coded(docs, count=1, offset=0, escapes=none, pid_map=None, kind=np.int64, removed=None):
        return (np.array(docs, dtype=kind), codes[: len(docs)], tf, den, 3.0, count, offset, *escapes, pid_map, removed)

    for docs in ([0, 100, 5], [-1, 2, 4]):  # back to an earlier block, negative: never written outside the block
        with pytest.raises(ValueError, match="ascending"):
            kernel.top([coded(docs)], 3, 64, work, out_ids, out_scores)
        assert not work.any()
    with pytest.raises(ValueError, match="ascending"):  # an id outside the segment's map
        kernel.top([coded([0, 1, 7], pid_map=np.arange(3))], 3, 64, work, out_ids, out_scores)
    with pytest.raises(TypeError):  # int16 ids
        kernel.top([coded([0, 1, 2], kind=np.int16)], 3, 64, work, out_ids, out_scores)
    with pytest.raises(ValueError, match="work"):
        kernel.top([coded([0, 1, 2])], 3, 1 << 10, work, out_ids, out_scores)
    # int32 ids plus an offset, count 2 (x 2 in float32), one escape: 0.25 as given.
    escape = (np.array([2], dtype=np.int64), np.array([0.25], dtype=np.float32))
    assert kernel.top([coded([1, 4, 9], 2, 10, escape, kind=np.int32)], 3, 64, work, out_ids, out_scores) == 3
    assert out_ids.tolist() == [14, 11, 19] and out_scores.tolist() == [6.0, 3.0, 0.25]
    # A segment with removals: ids through its map (-1 skipped); the removed first posting's escape is passed over.
    escapes = (np.array([0, 1], dtype=np.int64), np.array([0.5, 0.75], dtype=np.float32))
    mapped = coded([0, 1, 2], escapes=escapes, pid_map=np.array([-1, 30, 31]))
    assert kernel.top([mapped], 3, 64, work, out_ids, out_scores) == 2
    assert out_ids[:2].tolist() == [31, 30] and out_scores[:2].tolist() == [3.0, 0.75]
    stepped = coded([0, 1, 2], offset=30, escapes=escapes, removed=np.array([0]))  # the same, by the removed ids
    assert kernel.top([stepped], 3, 64, work, out_ids, out_scores) == 2
    assert out_ids[:2].tolist() == [31, 30] and out_scores[:2].tolist() == [3.0, 0.75]
    assert not work[: 4 * 64].any() and not work[8 * 64 :].any()


def test_the_path_in_use_is_logged_once(caplog, monkeypatch):
    monkeypatch.setattr(bm25_module, "_logged", [])
    index = BM25.build([["a", "b"], ["b"]])
    with caplog.at_level(logging.DEBUG, logger="verbatim.index"):
        index.top(["a"], 3)
        index.top(["b"], 3)
    said = [r.getMessage() for r in caplog.records if r.getMessage().startswith("BM25.top")]
    assert said == [
        f"BM25.top: {'numpy path' if bm25_module._topk is None else 'compiled kernel (index.search._topk)'}"
    ]
