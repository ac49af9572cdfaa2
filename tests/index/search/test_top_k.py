"""`BM25.top`'s MaxScore path skips several of the longest lists; results stay exact to the bit."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.search import bm25 as bm25_module
from index.search.bm25 import BM25
from tests.index.search.reference_top import reference_top, top_path

COMMON = ["a", "b", "c"]  # in most sentences: low weights, long lists
RARE = [f"r{i}" for i in range(12)]


sentence = st.lists(st.sampled_from(RARE), max_size=4).map(lambda rare: ["a", "b", *rare])
corpus_strategy = st.tuples(
    st.lists(sentence, min_size=5, max_size=40),
    st.lists(st.lists(st.sampled_from(COMMON), min_size=1, max_size=3), max_size=60),
    st.integers(1, 4),
)
query_strategy = st.lists(st.sampled_from(COMMON + RARE), min_size=2, max_size=7)


@pytest.fixture(autouse=True)
def numpy_path():
    """These tests are of the numpy paths (`BM25.top` without the compiled kernel; its own tests:
    test_topk_kernel.py)."""
    with top_path("numpy"):
        yield


@pytest.mark.parametrize(
    ("min_postings", "block_docs"),
    [(0, 1 << 20), (10**9, 1 << 20), (10**9, 3), (10**9, 16)],  # MaxScore, scatter, blocked (ranges of 3, 16)
)
@settings(max_examples=120, deadline=None)
@given(corpus=corpus_strategy, query=query_strategy, k=st.integers(1, 25))
def test_skipping_several_lists_keeps_ids_and_scores(min_postings, block_docs, corpus, query, k):
    """Sentences copied several times (exact ties), filler holding only common terms (documents
    a skipped list alone would bring in) and repeated query terms: the MaxScore path equals a
    term-order scatter with a full sort, ids and float32 scores (the scatter path reads back
    only the lists that may hold a document above the floor; the blocked path does so range by
    range of document ids, with ranges holding no list or fewer than k documents)."""
    rare, filler, copies = corpus
    index = BM25.build(rare * copies + filler)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bm25_module, "MAXSCORE_MIN_POSTINGS", min_postings)
        patch.setattr(bm25_module, "PRUNE_MIN_POSTINGS", 0)
        patch.setattr(bm25_module, "BLOCK_DOCS", block_docs)
        patch.setattr(bm25_module, "BLOCKED_MIN_POSTINGS", 0)
        ids, scores = index.top(query, k)
    assert (ids.tolist(), scores.tolist()) == reference_top(index, query, k)
    assert not index._scratch().any()  # left zeroed for the thread's next query (entry by entry or range by range)


def test_the_longest_lists_are_skipped_when_their_bounds_sum_below_the_floor(monkeypatch):
    """Common terms beside two rare ones held by many copies: the longest common lists are
    skipped (`SKIP_SHARE` of the floor), and the result is still the exact one."""
    monkeypatch.setattr(bm25_module, "MAXSCORE_MIN_POSTINGS", 0)
    monkeypatch.setattr(bm25_module, "PRUNE_MIN_POSTINGS", 0)
    docs = [["a", "b", "r0", "r1"]] * 30 + [["a", "b", "c"]] * 400 + [["a", "c", f"x{i}"] for i in range(300)]
    index = BM25.build(docs)
    added: list[int] = []
    real_add = bm25_module._add_list

    def spy(buf: np.ndarray, ids: np.ndarray, weights: np.ndarray, first: bool) -> None:
        added.append(len(ids))
        real_add(buf, ids, weights, first)

    monkeypatch.setattr(bm25_module, "_add_list", spy)
    query = ["a", "b", "r0", "r1", "c"]
    ids, scores = index.top(query, 10)
    assert (ids.tolist(), scores.tolist()) == reference_top(index, query, 10)
    assert ids.tolist() == list(range(10))
    assert added == [30, 30, 430]  # r0, r1 and b; a (730) and c (700) skipped


def test_a_later_range_with_better_documents_replaces_an_earlier_floor(monkeypatch):
    """Ranges of 4 documents: the first range's best set a floor, later ranges hold better and
    tied documents; the result equals the reference, and the blocked path ran."""
    monkeypatch.setattr(bm25_module, "BLOCK_DOCS", 4)
    monkeypatch.setattr(bm25_module, "BLOCKED_MIN_POSTINGS", 0)
    monkeypatch.setattr(bm25_module, "PRUNE_MIN_POSTINGS", 0)
    calls: list[int] = []
    real = bm25_module._top_blocked

    def spy(*args: object) -> tuple[np.ndarray, np.ndarray]:
        calls.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(bm25_module, "_top_blocked", spy)
    docs = [["a", "x"]] * 5 + [["a", "b", "r0"]] * 3 + [["c"]] * 6 + [["a", "b", "r0", "r1"]] * 3 + [["a"]] * 5
    index = BM25.build(docs)
    query = ["a", "b", "r0", "r1"]
    ids, scores = index.top(query, 5)
    assert (ids.tolist(), scores.tolist()) == reference_top(index, query, 5)
    assert ids.tolist()[:3] == [14, 15, 16] and calls == [1]


@settings(max_examples=60, deadline=None)
@given(
    corpus=st.lists(st.lists(st.sampled_from(RARE), max_size=1).map(lambda r: [*r, *COMMON]), min_size=4, max_size=30),
    query=st.lists(st.sampled_from(COMMON + RARE), min_size=2, max_size=5),
    k=st.integers(1, 12),
)
def test_weights_of_any_sign_keep_ids_and_scores(corpus, query, k):
    """Words in every sentence get negative idfs (rank-bm25's floor of a negative mean is
    negative too), rare words positive ones, and a rare word comes first in its sentence, so a
    common word's list comes last in term order: without bounds the scatter's floor must come
    from whole sums (a partial sum lacking a negative weight lies above the score)."""
    index = BM25.build(corpus)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bm25_module, "PRUNE_MIN_POSTINGS", 0)
        ids, scores = index.top(query, k)
    assert (ids.tolist(), scores.tolist()) == reference_top(index, query, k)


def test_a_negative_last_list_lowers_the_best_score_below_a_partial_sum():
    """One rare word (positive idf) and words in every sentence (negative): the best score is
    the rare word's weight plus a negative one, and it is still found."""
    index = BM25.build([["r1", *COMMON], ["r0", *COMMON], ["r0", *COMMON], COMMON, ["r0", *COMMON]])
    assert index.term_idf(index.vocab["r1"]) > 0 > index.term_idf(index.vocab["c"])
    for query in (["r1", "c"], ["r1", "a", "b"]):
        for k in (1, 2, 3):
            ids, scores = index.top(query, k)
            assert (ids.tolist(), scores.tolist()) == reference_top(index, query, k)
