"""A corpus of one short article: every word of it is in most of its passages, so rank-bm25's idf
is negative for all of them (floored at a share of a negative mean) and no question word would
weigh; the coverages the abstention reads were nothing, and every question abstained."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import corpus_of

PIER = "---\ntitle: Pier reopens\n---\nThe pier reopened on Thursday after six months of repairs.\n"


def test_a_one_sentence_article_answers_what_it_says(tmp_path: Path) -> None:
    corpus = corpus_of(tmp_path, {"pier.md": PIER})
    for question in ("When did the pier reopen?", "What reopened after six months of repairs?"):
        answer = corpus.answer(question, k=1)
        assert not answer.abstained, (question, answer.reason)
        assert answer.hits[0].passage.text.startswith("The pier reopened")
    assert corpus.answer("who is the ceo of alibaba", k=1).abstained  # what it does not say


def test_words_in_most_passages_weigh_equally_not_nothing(tmp_path: Path) -> None:
    query = corpus_of(tmp_path, {"pier.md": PIER}).prepare("when did the pier reopen")
    assert [(k.term, k.weight) for k in query.known] == [("pier", 1.0), ("reopen", 1.0)]
    assert query.mass == 2.0 and query.unknown == 0.0
