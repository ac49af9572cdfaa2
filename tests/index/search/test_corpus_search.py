"""`Corpus.search` and `Corpus.tokenize`: the public search surface equals rank-bm25 on the same tokens."""

from pathlib import Path

import numpy as np
from rank_bm25 import BM25Okapi

from index.corpus import Corpus


def test_search_scores_equal_rank_bm25(corpus: Corpus) -> None:
    passages = list(corpus.all_passages())
    oracle = BM25Okapi([corpus.tokenize(p.text) for p in passages])
    for question in ["did alibaba ban claude", "what is distillation", "anthropic models security review"]:
        terms = corpus.tokenize(question)
        scores = oracle.get_scores(terms)
        got = corpus.search(question, k=10)
        assert got, question
        matched = [i for i, p in enumerate(passages) if set(terms) & set(corpus.tokenize(p.text))]
        expected = sorted((scores[i] for i in matched), reverse=True)[:10]
        np.testing.assert_allclose([s for _, s in got], expected, rtol=1e-5)
        np.testing.assert_allclose([scores[pid] for pid, _ in got], expected, rtol=1e-5)


def test_tokenize_gives_index_terms(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("The councils’ budgets were cut by 25,000 pounds.", encoding="utf-8")
    corpus = Corpus.open(seeds, tmp_path / "index")
    assert corpus.tokenize("The councils’ budgets were cut by 25,000 pounds.") == [
        "council",
        "budget",
        "cut",
        "25000",
        "pound",
    ]
    assert corpus.search("budget")[0][0] == 0
    assert corpus.search("nothing here at all") == []


def test_a_word_broken_by_an_invisible_soft_hyphen_is_found(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("The ferry operators agreed to co\u00adoperate with the inquiry.", encoding="utf-8")
    (seeds / "b.txt").write_text("The zoo opened a penguin house.", encoding="utf-8")
    corpus = Corpus.open(seeds, tmp_path / "index")
    assert [pid for pid, _ in corpus.search("will they cooperate")] == [0]
