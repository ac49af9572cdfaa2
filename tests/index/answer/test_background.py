"""A question word weighs in the abstention's coverage at most what general news weighs it
(`query.BACKGROUND`, round 25): a common verb a small corpus holds once cannot make it abstain."""

from __future__ import annotations

import numpy as np
import pytest

from index.answer import query as query_
from index.answer import rerank
from index.corpus import Corpus
from tests.conftest import corpus_of, jsonl_text
from tests.index.answer.test_abstention import unrelated_articles

# "came" is in one sentence of 500 (a rare word here, common in news); the pier's sentence lacks it.
STORIES = [
    {"id": "pier", "title": "Harbour pier", "text": "The harbour pier reopened on Thursday."},
    {"id": "storm", "title": "Storm", "text": "The storm came in March and tore away the decking of a jetty upstream."},
]
QUESTION = "when the pier came back"


@pytest.fixture(autouse=True)
def lift(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests' own LIFT (the figures below are worked out for it, whatever the module's is)."""
    monkeypatch.setattr(query_, "LIFT", 1.0)


@pytest.fixture(scope="module")
def harbour(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    base = tmp_path_factory.mktemp("harbour")
    return corpus_of(base, {"local.jsonl": jsonl_text(unrelated_articles(100) + STORIES)})


def test_the_table_lists_common_words_and_leaves_rare_ones_out() -> None:
    table = query_.background_idf()
    assert table["came"] < table["pier"] < 8
    assert "zorblat" not in table


def test_a_common_word_is_capped_and_a_rare_one_keeps_its_weight(harbour: Corpus) -> None:
    q = harbour.prepare(QUESTION)
    before = {k.term: k.weight for k in q.known}
    capped = query_.background(q, harbour.bm25)
    after = {k.term: k.weight for k in capped.known}
    table = query_.background_idf()
    assert after["came"] == pytest.approx(table["came"] + 1.0)
    assert after["came"] < before["came"]
    assert after["pier"] == before["pier"]  # rarer in news than its idf here
    assert capped.mass == pytest.approx(sum(after.values()))
    assert q.mass == pytest.approx(sum(before.values()))  # the query itself is left as it was


def test_an_unknown_common_word_is_capped_too(harbour: Corpus) -> None:
    q = harbour.prepare("when did the pier reopen for the mayor")  # "mayor": no article says it
    assert q.unknown > 0
    capped = query_.background(q, harbour.bm25)
    assert capped.unknown == pytest.approx(query_.background_idf()["mayor"] + 1.0)
    assert capped.unknown < q.unknown


@pytest.mark.parametrize("on", [False, True])
def test_a_common_verb_the_corpus_holds_once_abstains_only_without_the_background(
    harbour: Corpus, monkeypatch: pytest.MonkeyPatch, on: bool
) -> None:
    monkeypatch.setattr(query_, "BACKGROUND", on)
    a = harbour.answer(QUESTION)
    assert a.hits[0].passage.text == "The harbour pier reopened on Thursday."
    assert a.abstained is not on


@pytest.mark.parametrize("question", [QUESTION, "when did the pier reopen for the mayor"])
def test_the_capped_coverage_from_the_rescore_rows_is_a_fresh_rescore_to_the_bit(
    harbour: Corpus, question: str
) -> None:
    """Round 26: `rerank.coverage` re-weighs the rows the pool's rescore kept instead of rescoring
    the leader with the capped query; every candidate's two coverages are the same floats."""
    index, layout = harbour.bm25, harbour.layout
    q = harbour.prepare(question)
    capped = query_.background(q, index)
    ids, _ = index.top(list(q.terms), 20)
    scored = rerank.order(rerank.rescore(index, q, ids, layout))
    for at, pid in enumerate(scored.ids.tolist()):
        assert rerank.coverage(scored, at, q) == (float(scored.cov_sentence[at]), float(scored.cov_context[at]))
        fresh = rerank.rescore(index, capped, np.array([pid]), layout)
        assert rerank.coverage(scored, at, capped) == (float(fresh.cov_sentence[0]), float(fresh.cov_context[0]))
        # ... and `coverage_of` (the as-typed query's: no weighed column) is that rescore's too.
        assert rerank.coverage_of(index, capped, pid, layout) == rerank.coverage(scored, at, capped)
    assert any(rerank.coverage(scored, at, capped) != rerank.coverage(scored, at, q) for at in range(len(ids)))
