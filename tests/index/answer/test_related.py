"""WordNet-related terms (index.answer.related) and the two rerank features of round 4: `rel` (a
sentence holding a related word of a question term it lacks) and `art_bm25` (its article's
BM25 score)."""

from __future__ import annotations

import json
import math
import re
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from index.answer import answers, rerank
from index.answer.query import prepare
from index.answer.related import _table, related_ids, related_of
from index.corpus import Corpus
from index.search import tokens


def test_related_terms_hold_synonyms_and_derivations():
    assert "take" in related_of("bring")  # synonym (a frequent sense of "bring")
    assert "health" in related_of("healthi")  # derivation: healthy -> health
    assert "tv" in related_of("televis")
    assert "take" in related_of("took") and "took" in related_of("take")  # irregular inflections
    assert "child" in related_of("children")
    assert related_of("qwzx") == ()


def test_shipped_list_is_in_index_stems_and_carries_the_wordnet_licence():
    text = resources.files("index.data").joinpath("related_en.txt").read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any("WordNet 3.0" in line for line in header)
    assert any("Princeton University" in line for line in header)
    rows = [line.split() for line in text.splitlines() if line and not line.startswith("#")]
    assert len(rows) > 30_000
    assert all(re.fullmatch(r"[a-z0-9]+", term) for row in rows for term in row)
    # keyed by today's tokenizer and stemmer (a stemmer change would silently empty it)
    for word in ("bring", "healthy", "television", "purchased", "forbids", "quickly"):
        assert tokens.tokenize(word)[0] in _table(), word


def _corpus(tmp_path_factory, name: str, articles: dict[str, str]) -> Corpus:
    """A corpus of `articles` (id -> text, paragraphs separated by blank lines)."""
    tmp = tmp_path_factory.mktemp(name)
    seeds = tmp / "seeds"
    seeds.mkdir()
    with (seeds / "a.jsonl").open("w") as f:
        for doc_id, text in articles.items():
            f.write(json.dumps({"id": doc_id, "title": doc_id, "text": text}) + "\n")
    return Corpus.open(seeds, tmp / "ix")


@pytest.fixture(scope="module")
def plague(tmp_path_factory) -> Corpus:
    return _corpus(
        tmp_path_factory,
        "plague",
        {
            "kaffa": "The plague reached the traders in Kaffa.\n",
            "sicily": "The traders fled, taking the plague to Sicily.\n",
            "grain": "Ships bring grain to the port every spring.\n",
            "wool": "Carts bring wool to the market.\n",
            **{f"filler{i}": f"Filler article number {i} talks about weather.\n" for i in range(6)},
        },
    )


def test_related_ids_are_vocabulary_terms(plague):
    index = plague.bm25
    ids = related_ids(index, index.vocab["bring"]).tolist()
    assert index.vocab["take"] in ids
    assert all(0 <= i < len(index.terms) for i in ids)


def test_a_sentence_holding_a_related_word_of_a_missing_question_word_ranks_first(plague, monkeypatch):
    """ "bring" is in neither sentence; "taking" is related to it (WordNet): that sentence
    wins the rerank, where without the feature the lower id (Kaffa) would. (The learnt last
    look, index.answer.last_look, is off here: on this two-sentence corpus it prefers the Kaffa sentence,
    which holds a place.)"""
    monkeypatch.setattr(answers, "LAST_LOOK", False)
    answer = plague.answer("where did the traders bring the plague", k=2)
    assert answer.hits[0].passage.text == "The traders fled, taking the plague to Sicily."
    index, layout = plague.bm25, plague.layout
    query = prepare("traders bring plague", index)
    assert query.terms == ("trader", "bring", "plagu")
    pool = np.array([0, 1], dtype=np.int64)
    F, *_ = rerank.features(index, query, pool, layout)
    rel = F[:, rerank.STAGE1.index("rel")]
    assert rel[0] == 0.0
    assert rel[1] == pytest.approx(float(index.idf[index.vocab["bring"]]) / query.mass)


def test_article_bm25_feature_is_the_articles_bm25_over_the_best_in_the_pool(seed_corpus_small):
    """tf = the article's sentences holding the term, idf over articles, length = the article's
    terms: checked against a direct computation."""
    corpus = seed_corpus_small
    index, layout = corpus.bm25, corpus.layout
    query = prepare("traders plague grain", index)
    assert query.terms == ("trader", "plagu", "grain")
    pool = np.arange(len(corpus), dtype=np.int64)
    F, *_ = rerank.features(index, query, pool, layout, full=True)
    got = F[:, rerank.STAGE1.index("art_bm25")]
    n = len(corpus)
    unit_of = [int(layout["doc"][p]) for p in range(n)]
    sentences = [set(tokens.tokenize(corpus.passage(p).text)) for p in range(n)]
    units = sorted(set(unit_of))
    length = {u: sum(int(index.doc_len[p]) for p in range(n) if unit_of[p] == u) for u in units}
    mean = sum(length.values()) / len(units)

    def score(u) -> float:
        total = 0.0
        for term in query.terms:
            tf = sum(term in sentences[p] for p in range(n) if unit_of[p] == u)
            df = sum(any(term in sentences[p] for p in range(n) if unit_of[p] == v) for v in units)
            idf = math.log1p((len(units) - df + 0.5) / (df + 0.5))
            norm = rerank.ART_K1 * (1 - rerank.ART_B + rerank.ART_B * length[u] / mean)
            total += idf * tf * (rerank.ART_K1 + 1) / (tf + norm)
        return total

    want = np.array([score(unit_of[p]) for p in range(n)])
    assert np.allclose(got, want / want.max())
    assert got.max() == 1.0


@pytest.fixture(scope="module")
def seed_corpus_small(tmp_path_factory) -> Corpus:
    return _corpus(
        tmp_path_factory,
        "arts",
        {
            "a": "The plague reached the traders.\n\nTraders sold grain. Traders sold grain again.\n",
            "b": "The traders fled, taking the plague to Sicily. It was spring.\n",
            "c": "Ships bring grain to the port every spring.\n",
        },
    )


@pytest.fixture(scope="module")
def scattered(tmp_path_factory) -> Corpus:
    """The question's words are all in one article, but in different paragraphs."""
    return _corpus(
        tmp_path_factory,
        "scattered",
        {
            "fresno": "The university opened a new library in Fresno on Monday.\n\n"
            "California weather was mild that year.\n\n"
            "The original plan had to be changed twice.\n\n"
            "The state budget was approved late.\n\n"
            "The name of the team was chosen by fans.\n",
            **{f"other{i}": f"Another article number {i} talks about weather and a fair.\n" for i in range(4)},
        },
    )


def test_context_coverage_counts_article_only_terms_at_a_share(scattered):
    """Context coverage (abstention): a question term in the sentence's paragraph counts fully,
    one found only elsewhere in its article counts ARTICLE_ONLY (a long article holds every
    word of many questions it cannot answer)."""
    index, layout = scattered.bm25, scattered.layout
    query = prepare("university fresno california original", index)
    assert query.terms == ("univers", "fresno", "california", "origin")
    F, cov_s, cov_c, *_ = rerank.features(index, query, np.array([0], dtype=np.int64), layout)
    idf = {t: float(index.idf[index.vocab[t]]) for t in query.terms}
    total = sum(idf.values())
    here = idf["univers"] + idf["fresno"]
    assert cov_s[0] == pytest.approx(here / total)
    assert rerank.ARTICLE_ONLY == 0.5
    want = (here + 0.5 * (total - here)) / total
    assert cov_c[0] == pytest.approx(want)


def test_a_question_whose_words_are_scattered_over_an_article_abstains(scattered):
    """The best sentence holds 2 of its 9 words, the article the rest: geometric mean .37,
    under the one-article bar MIN_SUPPORT - CONSENSUS = .385; counting article-only words
    fully it would be .47, and answer."""
    answer = scattered.answer("What was the original California State University at Fresno name, budget plan and team?")
    assert answer.abstained
    assert not scattered.answer("When did the university in Fresno open its library?").abstained


def test_abstention_weighs_how_concentrated_the_best_sentences_are():
    """Round 4: equal coverage, but candidates scattered over many articles (a topic the
    articles do not cover) abstain where candidates from one article answer."""
    from index.answer.answers import CONSENSUS, MIN_SUPPORT, Ranked, abstains

    geo = MIN_SUPPORT - CONSENSUS * 0.5  # needs at least half of the best in one article
    r = Ranked([], None, np.zeros(0), np.zeros(0), cov_sentence=geo, cov_context=geo)
    r.concentration = 1.0
    assert not abstains(r)
    r.concentration = 0.3
    assert abstains(r)


def test_concentration_is_the_share_of_the_best_sentences_in_the_best_ones_article(plague):
    from index.answer.answers import CONSENSUS_DEPTH, rank

    query = plague.prepare("where did the traders bring the plague")
    r = rank(query, plague.bm25, plague, 3)
    pool = rank(query, plague.bm25, plague, CONSENSUS_DEPTH).ids
    docs = [plague.passage(int(p)).doc_id for p in pool]
    assert r.concentration == pytest.approx(docs.count(docs[0]) / len(docs))
    assert 0 < r.concentration < 1


def test_a_syndicated_story_does_not_look_scattered(tmp_path_factory):
    """The same article under three ids (one wire story, three outlets): the copies of the
    best sentence count once, so the question is answered as with one copy."""
    text = (Path(__file__).resolve().parents[3] / "seeds" / "000_e228878e0c08bf80.txt").read_text(encoding="utf-8")
    one = _corpus(tmp_path_factory, "one", {"a": text})
    three = _corpus(tmp_path_factory, "three", {"a": text, "b": text, "c": text})
    for question in ("does claude code check time zone", "did anthropic dispute the backdoor claim"):  # borderline
        assert not one.answer(question).abstained
        answer = three.answer(question)
        assert not answer.abstained, question
        assert answer.hits[0].passage.text == one.answer(question).hits[0].passage.text
