"""Round 23's three synonym groups grown by a word people type for the article's (measured and taken
back in round 23, seedq23: tuned +7, H 0), taken up in round 24 when they paid on the held-out part I
(docs/answers.md, seedq24)."""

from __future__ import annotations

import pytest

from index.answer import spelling
from index.corpus import Corpus


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("comment", "address"),  # "has alibaba commented on": the article "has not publicly addressed"
        ("staffer", "employe"),  # "anthropic's staffer": "a company employee"
        ("switch", "instead"),  # "supposed to switch to": "instead adopt Qoder"
        ("swap", "instead"),  # "swap claude code for"
    ],
)
def test_a_word_the_article_lacks_is_read_as_its_synonym(seed_corpus: Corpus, typed: str, read: str) -> None:
    assert typed not in seed_corpus.bm25.vocab
    assert spelling.fix(typed, seed_corpus.bm25) == read


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("has alibaba commented on the allegations", "has not publicly addressed the allegations"),
        ("what are alibaba devs supposed to switch to", "instead adopt Qoder"),
        ("what did alibaba tell its workers to switch to", "instead adopt Qoder"),
        ("where did the anthropic staffer post about it", "social media platform X"),
    ],
)
def test_a_question_in_the_synonym_is_answered(seed_corpus: Corpus, question: str, sentence: str) -> None:
    a = seed_corpus.answer(question)
    assert not a.abstained and sentence in a.hits[0].passage.text
