"""Answer quality behaviours: abstention, the seed question set, answer spans, question types."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.answer.question import NUMBER, PERSON, PLACE, TIME, answer_spans, expected_type
from index.corpus import Corpus
from tests.question_sets import evaluate, seed_rows

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def seed_corpus(tmp_path_factory) -> Corpus:
    return Corpus.open(ROOT / "seeds", tmp_path_factory.mktemp("seed") / "index")


def test_unanswerable_question_abstains(seed_corpus):
    a = seed_corpus.answer("what is the capital of france")
    assert a.abstained


def test_answerable_question_answers_with_the_right_sentence(seed_corpus):
    a = seed_corpus.answer("when does the ban take effect")
    assert not a.abstained
    assert "take effect July 10" in a.hits[0].passage.text
    # a synonym-rewritten word counts half towards abstention, but the ranking uses it
    assert "take effect July 10" in seed_corpus.answer("when does alibabas ban start").hits[0].passage.text


def test_seed_question_set_at_least_90_percent(seed_corpus):
    # With the synonym list (docs/answers.md, round 11: it touches no held-out question, and
    # without it this set falls to 76.5% and "when does the ban start" abstains).
    r = evaluate(seed_corpus, seed_rows())
    assert r["n"][0] >= 30
    assert r["first"] >= 0.90, [x[0] for x in r["results"] if not x[2]]
    assert r["abstained_unanswerable"] == 1.0
    # On the article's topic the words are there and the answer is not ("how many employees does
    # alibaba have" meets "A company employee wrote..."): 6 of 10 abstain today (README).
    assert r["abstained_topical"] >= 0.6, [x[0] for x in r["results"] if x[1] == "?" and not x[2]]


def test_answer_span_highlights_the_date_and_the_number(seed_corpus):
    a = seed_corpus.answer("when does the ban take effect")
    hit = a.hits[0]
    assert [hit.passage.text[s:e] for s, e in hit.answer_spans] == ["July 10"]
    a = seed_corpus.answer("how many fraudulent accounts")
    hit = a.hits[0]
    texts = [hit.passage.text[s:e] for s, e in hit.answer_spans]
    assert "25,000" in texts
    assert hit.to_json()["answer_spans"]


def test_typo_in_a_question_word_is_corrected(seed_corpus):
    a = seed_corpus.answer("what is model distilation")
    assert "training one AI model" in a.hits[0].passage.text


@pytest.mark.parametrize(
    "question, kind",
    [
        ("when does alibabas ban start", TIME),
        ("What year did the Carolina Panthers form?", TIME),
        ("how many fake accounts did they use", NUMBER),
        ("What percentage of the vote did he get", NUMBER),
        ("who runs qwen", PERSON),
        ("Which company makes Claude?", PERSON),
        ("where is alibaba based", PLACE),
        ("In which country is Alibaba?", PLACE),
        ("what is qoder", None),
    ],
)
def test_question_type(question, kind):
    assert expected_type(question) == kind


def test_answer_spans_leave_out_the_question_own_words():
    text = "Alibaba said on Tuesday that Qoder replaces Claude Code."
    assert answer_spans(text, TIME, {"alibaba"}) == [(16, 23)]
    names = [text[s:e] for s, e in answer_spans(text, PERSON, {"alibaba", "claud", "code"})]
    assert names == ["Tuesday", "Qoder"]


def test_early_years_are_dates():
    text = "The duchy began in 911 as a fief; Caesar died in 44 B.C. with 300 men by his side."
    assert [text[s:e] for s, e in answer_spans(text, TIME, set())] == ["911", "44 B.C"]
    text = "They bought 2 ad slots and 3 ce certificates."
    assert answer_spans(text, TIME, set()) == []
    assert [text[s:e] for s, e in answer_spans(text, NUMBER, set())] == ["2", "3"]


def test_a_count_is_not_the_day_of_a_date():
    text = "On May 21, 2013, the owners paid $1.2 billion for 3 sites."
    assert [text[s:e] for s, e in answer_spans(text, NUMBER, set())] == ["$1.2 billion", "3"]


def test_rerank_score_is_the_weighted_sum_of_its_features(seed_corpus):
    import numpy as np

    from index.answer import rerank

    index, layout = seed_corpus.bm25, seed_corpus.layout
    query = seed_corpus.prepare("alibaba ban anthropic")
    assert query.terms == ("alibaba", "ban", "anthrop")
    ids, _ = index.top(list(query.terms), 20)
    pool = ids
    F, cov_s, cov_c, *_ = rerank.features(index, query, pool, layout)
    assert F.shape == (len(pool), len(rerank.STAGE1))
    weights = np.array([rerank.WEIGHTS.get(f, 0.0) for f in rerank.STAGE1])
    assert np.allclose(rerank.rescore(index, query, pool, layout).scores, F @ weights)
    assert np.all(cov_s <= cov_c + 1e-12)


def test_shortest_span_of_matched_terms():
    from index.answer.rerank import _shortest_span

    assert _shortest_span({"a": [0, 9], "b": [5, 10]}) == 2
    assert _shortest_span({"a": [3]}) == 1


def test_a_sentence_opening_with_a_pronoun_inherits_the_previous_sentences_terms(seed_corpus):
    """Round 3 (PRON): "It opened in 1931" after "The tower ..." answers a question about the
    tower; with equal scores, the pronoun sentence whose question terms sit just before wins."""
    import numpy as np

    from index.answer import rerank

    texts = {0: "The tower opened in 1931.", 1: "It opened in 1931."}
    scored = rerank.Scored(
        np.array([0, 1]),
        np.array([1.0, 1.0]),
        np.zeros(2),
        np.zeros(2),
        np.zeros(2, dtype=bool),
        np.zeros(2),
        np.array([0.5, 0.5]),
    )
    query = seed_corpus.prepare("alibaba")
    assert query.kind is None
    out, _ = rerank.refine(scored, query, texts.__getitem__)
    assert out.ids.tolist() == [1, 0]
    assert out.scores[0] == 1.0 + rerank.PRON * 0.5
