"""A question that asks for an amount of money abstains when the sentence shown first gives none
(round 24, newsd24: `answers.MONEY_VETO`): "how much did singapore airlines pay for the first
a380" is not answered by "... will be receiving the first four aircraft", whose "four" passes
the number veto."""

from __future__ import annotations

import pytest

from index.answer import answers
from index.corpus import Corpus
from tests.conftest import corpus_of

JETS = """Airlines take their new jets

Singapore Airlines is the first airline to fly the A380 and will be receiving the first four aircraft.

China Eastern Airlines is paying 9.9 billion yuan for twenty new A320 jets.

The 13-inch MacBook Air weighs 1.35 kg, less than the 13-inch MacBook Pro.
"""

LOCAL = """Town council approves road repairs

The council of Millbrook approved road repairs on Monday.

Residents asked for a new bus line to the regional hospital.
"""

PAY = "how much did singapore airlines pay for the first a380"


@pytest.fixture(scope="module")
def jets(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return corpus_of(tmp_path_factory.mktemp("money-veto"), {"jets.md": JETS, "local.md": LOCAL})


@pytest.fixture
def no_money_veto():
    kept = answers.MONEY_VETO
    answers.MONEY_VETO = False
    try:
        yield
    finally:
        answers.MONEY_VETO = kept


def test_a_money_question_whose_sentence_gives_no_amount_abstains(jets: Corpus) -> None:
    a = jets.answer(PAY)
    assert a.abstained
    assert "first four aircraft" in a.hits[0].passage.text  # the closest sentence is still shown
    assert a.reason == answers.NO_MONEY


def test_without_the_money_veto_the_same_question_answers(jets: Corpus, no_money_veto: None) -> None:
    assert not jets.answer(PAY).abstained  # "four" is a number: the number veto lets it through


def test_a_price_asked_with_is_and_no_amount_abstains(jets: Corpus) -> None:
    a = jets.answer("how much is the 13 inch macbook air")
    assert a.abstained and a.reason == answers.NO_MONEY


def test_a_money_question_whose_sentence_gives_an_amount_answers(jets: Corpus) -> None:
    a = jets.answer("how much is china eastern paying for the a320 jets")
    assert not a.abstained
    assert "9.9 billion yuan" in a.hits[0].passage.text


def test_a_count_is_not_a_money_question(jets: Corpus) -> None:
    a = jets.answer("how many a380 aircraft will singapore airlines receive first")
    assert not a.abstained


@pytest.mark.parametrize(
    "question",
    [
        "how much did apple pay the beatles",
        "how much does the iphone cost",
        "how much is the new macbook air",
        "how much money did cats protection lose",
        "how much are the five 737s worth",
        "how much was the bailout worth",
    ],
)
def test_money_is_asked(question: str) -> None:
    assert answers.wants_money(question)


@pytest.mark.parametrize(
    "question",
    [
        "how much did the dow fall",
        "how much is the dow down today",
        "how much does the iphone 4 weigh",
        "how many planes did ryanair buy",
        "who paid for the repairs",  # not a number question
        "how many customers does sky have as a pay-tv broadcaster",  # a count
        "what percentage of money raised will go to charity",  # a share
        "how much is the sieve method of gas production used",
    ],
)
def test_money_is_not_asked(question: str) -> None:
    assert not answers.wants_money(question)


@pytest.mark.parametrize(
    "text",
    [
        "the program costs $99 to join",
        "available for US$ 29",
        "a total of # 11.2 million saved",  # MEANTIME writes the pound sign as '#'
        "for 9.9 billion yuan",
        "paid 7 billion euros",
        "fined 300 million pounds",
        "at 5 cents a share",
    ],
)
def test_an_amount_of_money_is_held(text: str) -> None:
    assert answers.holds_money(text)


@pytest.mark.parametrize(
    "text",
    ["receiving the first four aircraft", "the 13-inch MacBook Pro", "fell 3.2 percent to 1,299"],
)
def test_no_amount_of_money_is_held(text: str) -> None:
    assert not answers.holds_money(text)
