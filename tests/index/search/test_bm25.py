"""BM25 scores must equal rank-bm25's BM25Okapi (the oracle) on the same tokens."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from index.search.bm25 import BM25, BM25Params
from tests.index.search.reference_top import PATHS, top_path

WORDS = [f"w{i}" for i in range(40)]
docs_strategy = st.lists(st.lists(st.sampled_from(WORDS), max_size=15), min_size=1, max_size=60)
query_strategy = st.lists(st.sampled_from(WORDS + ["unknown"]), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(docs=docs_strategy, query=query_strategy)
def test_scores_equal_rank_bm25(docs, query):
    if sum(map(len, docs)) == 0:
        return  # rank-bm25 divides by zero on a corpus without tokens
    oracle = BM25Okapi(docs).get_scores(query)
    ours = BM25.build(docs).scores(query)
    np.testing.assert_allclose(ours, oracle, rtol=1e-5, atol=1e-9)


@pytest.mark.parametrize("path", PATHS)  # the compiled kernel and numpy's paths
@settings(max_examples=150, deadline=None)
@given(docs=docs_strategy, query=query_strategy, k=st.integers(1, 12))
def test_top_k_equals_rank_bm25_ranking(path, docs, query, k):
    if sum(map(len, docs)) == 0:
        return
    oracle = BM25Okapi(docs).get_scores(query)
    with top_path(path):
        ids, scores = BM25.build(docs).top(query, k)
    matched = np.array([any(t in d for t in query) for d in docs])
    expected = np.sort(oracle[matched])[::-1][:k]
    np.testing.assert_allclose(scores, expected, rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(oracle[ids], scores, rtol=1e-5, atol=1e-9)
    assert len(set(ids.tolist())) == len(ids)


@pytest.mark.parametrize("path", PATHS)
@settings(max_examples=100, deadline=None)
@given(
    docs=docs_strategy,
    query=query_strategy,
    k1=st.floats(0.1, 3.0),  # k1 = 0 makes rank-bm25 divide 0 by 0 where a term is absent
    b=st.floats(0.0, 0.95),  # ... as does b = 1 in an empty passage
)
def test_other_k1_and_b_equal_rank_bm25_at_the_same_values(path, docs, query, k1, b):
    # Issue 17 (bm25p28): k1 and b are chosen on data; parity must hold at whatever values are passed.
    if sum(map(len, docs)) == 0:
        return
    oracle = BM25Okapi(docs, k1=k1, b=b, epsilon=0.25).get_scores(query)
    index = BM25.build(docs, BM25Params(k1=k1, b=b))
    np.testing.assert_allclose(index.scores(query), oracle, rtol=1e-5, atol=1e-9)
    with top_path(path):
        ids, scores = index.top(query, 5)
    np.testing.assert_allclose(oracle[ids], scores, rtol=1e-5, atol=1e-9)


def test_repeated_query_terms_count_twice_like_rank_bm25():
    docs = [["a", "b"], ["b", "c"], ["c", "d", "a"], ["e"]]
    np.testing.assert_allclose(BM25.build(docs).scores(["a", "a"]), BM25Okapi(docs).get_scores(["a", "a"]))


def test_ties_break_by_document_order():
    ids, _ = BM25.build([["x"], ["y"], ["x"], ["x"], ["z"]]).top(["x"], 2)
    assert ids.tolist() == [0, 2]


def test_parity_on_the_seed_article(seed_corpus):
    from index.search.tokens import tokenize

    docs = [tokenize(p.text) for p in seed_corpus.all_passages()]
    oracle = BM25Okapi(docs)
    for question in ["When does the ban take effect?", "fraudulent accounts Claude", "Qoder platform"]:
        q = tokenize(question)
        np.testing.assert_allclose(seed_corpus.bm25.scores(q), oracle.get_scores(q), rtol=1e-5)


def test_top_k_is_exact_on_a_larger_skewed_corpus():
    """Zipf-distributed terms: long and short postings mixed, float32 scratch sums."""
    import random

    rng = random.Random(7)
    vocab = [f"t{i}" for i in range(400)]
    weights = [1 / (i + 1) for i in range(400)]  # Zipf: a few very common terms
    docs = [rng.choices(vocab, weights, k=rng.randint(3, 20)) for _ in range(3000)]
    ours, oracle = BM25.build(docs), BM25Okapi(docs)
    for _ in range(200):
        query = rng.sample(vocab[:5], 2) + rng.sample(vocab[50:], rng.randint(1, 4))
        ids, scores = ours.top(query, 10)
        expected = oracle.get_scores(query)
        np.testing.assert_allclose(scores, np.sort(expected)[::-1][:10], rtol=1e-5)
        np.testing.assert_allclose(expected[ids], scores, rtol=1e-5)


def test_ties_go_to_the_lower_id_with_many_terms_and_many_copies():
    """A corpus of repeated articles (as news syndication makes): equal scores everywhere; the
    top k must be the lowest ids among equals, whichever posting list they sit in."""
    import random

    rng = random.Random(3)
    vocab = [f"t{i}" for i in range(60)]
    base = [rng.choices(vocab, k=rng.randint(2, 9)) for _ in range(40)]
    docs = base * 25
    index, oracle = BM25.build(docs), BM25Okapi(docs)
    for _ in range(100):
        query = rng.sample(vocab, rng.randint(1, 5))
        k = rng.randint(1, 30)
        ids, scores = index.top(query, k)
        dense = index.scores(query)
        matched = (
            np.flatnonzero(dense > 0)
            if (dense > 0).any()
            else np.flatnonzero([any(t in d for t in query) for d in docs])
        )
        expected = matched[np.lexsort((matched, -np.round(dense[matched], 9)))][:k]
        assert ids.tolist() == expected.tolist()
        np.testing.assert_allclose(scores, oracle.get_scores(query)[ids], rtol=1e-5)


def test_bm25_is_a_postings_engine() -> None:
    """The answer room's seam: BM25 answers the protocol's questions from its own arrays."""
    from index.search.postings import Postings

    docs = [["a", "b", "a"], ["b", "c"], ["c"]]
    engine: Postings = BM25.build(docs)
    tid = engine.vocab["b"]
    ids, weights = engine.postings(tid)
    assert ids.tolist() == [0, 1]
    assert engine.doc_freq(tid) == 2
    assert engine.doc_lengths().tolist() == [3, 2, 1]
    dense = engine.scores(["b"])
    assert np.allclose(dense[ids], weights)
    okapi = BM25Okapi(docs)
    assert engine.term_idf(tid) == okapi.idf["b"]
