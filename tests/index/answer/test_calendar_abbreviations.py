"""A month's or weekday's abbreviation is read as its full name, never bent into a nearby word
(index.answer.spelling; round 25: "aug" read "aig", "feb" "few", "oct" "out").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index.answer import spelling
from index.corpus import Corpus
from tests.conftest import corpus_of

MARKETS = """---
title: Markets
date: 2008-10-27
---
Shares of AIG fell sharply after the insurer sold out of a few of its holdings.

The Dow closed at its lowest level in five years on Friday, October 24, a Thursday away from the last close.

Traders said the Federal Reserve would meet again on Wednesday.
"""


@pytest.fixture(scope="module")
def markets(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return corpus_of(Path(tmp_path_factory.mktemp("markets")), {"markets.md": MARKETS})


@pytest.mark.parametrize(("typed", "full"), [("oct", "octob"), ("fri", "friday"), ("thurs", "thursday")])
def test_an_abbreviation_reads_the_day_the_articles_write(markets: Corpus, typed: str, full: str) -> None:
    assert typed not in markets.bm25.vocab and full in markets.bm25.vocab
    assert spelling.fix(typed, markets.bm25) == full


@pytest.mark.parametrize("typed", ["aug", "feb", "jan", "sept", "nov", "tues"])
def test_an_abbreviation_of_a_day_the_articles_lack_is_left_as_typed(markets: Corpus, typed: str) -> None:
    assert typed not in markets.bm25.vocab
    assert spelling.fix(typed, markets.bm25) is None


def test_a_question_with_an_abbreviated_date_finds_its_sentence(markets: Corpus) -> None:
    answer = markets.answer("where did the dow close on fri oct 24", k=1)
    assert not answer.abstained
    assert "October 24" in answer.hits[0].passage.text
