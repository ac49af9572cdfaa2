"""Round 28 (seedq28): a sentence opening with a bare definite noun phrase read as a pronoun
(`rerank.DEFINITE`, measured and committed off: docs/answers.md)."""

from __future__ import annotations

import numpy as np
import pytest

from index.answer import rerank
from index.corpus import Corpus


@pytest.mark.parametrize(
    ("text", "anaphor"),
    [
        ("The restriction will take effect July 10.", True),
        ("The employee said the mechanism would be removed.", True),
        ("The latest dispute deepens a growing rift.", True),
        ("The company said on Monday it would sell the unit.", True),
        ("The ban of Claude Code signals a shift.", False),  # a complement: it names its own referent
        ("The number of accounts rose.", False),
        ("The St. Louis company earned $45.2 million.", False),  # a name inside
        ("Alibaba has denied wrongdoing.", False),
        ("The end.", False),
    ],
)
def test_a_bare_definite_opening_reads_as_an_anaphor_only_with_the_switch(
    text: str, anaphor: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rerank, "DEFINITE", True)
    assert rerank.opens_with_anaphor(text) is anaphor
    monkeypatch.setattr(rerank, "DEFINITE", False)
    assert rerank.opens_with_anaphor(text) is False
    assert rerank.opens_with_anaphor("It opened in 1931.")  # round 3's pronouns either way


def _scored() -> rerank.Scored:
    return rerank.Scored(
        np.array([0, 1]),
        np.array([1.0, 1.0]),
        np.zeros(2),
        np.zeros(2),
        np.zeros(2, dtype=bool),
        np.zeros(2),
        np.array([0.5, 0.5]),
    )


def test_with_the_switch_the_definite_sentence_gains_the_pronoun_bonus(
    seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = {0: "Alibaba opened it in 1931.", 1: "The company opened it in 1931."}
    query = seed_corpus.prepare("alibaba")
    out, _ = rerank.refine(_scored(), query, texts.__getitem__)
    assert out.ids.tolist() == [0, 1]  # off (the shipped state): a tie kept in its order
    monkeypatch.setattr(rerank, "DEFINITE", True)
    out, _ = rerank.refine(_scored(), query, texts.__getitem__)
    assert out.ids.tolist() == [1, 0]
    assert out.scores[0] == 1.0 + rerank.PRON * 0.5


def test_the_seed_article_removal_question_finds_the_employee_sentence_only_with_the_switch(
    seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert rerank.DEFINITE is False
    question = "will anthropic remove the feature"
    assert "would be removed" not in seed_corpus.answer(question).hits[0].passage.text
    monkeypatch.setattr(rerank, "DEFINITE", True)
    assert "would be removed" in seed_corpus.answer(question).hits[0].passage.text
