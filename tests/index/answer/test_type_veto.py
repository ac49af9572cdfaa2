"""A question that wants a number abstains when the sentence shown first holds none (round 18,
news18: `answers.TYPE_VETO`), however much of the question's words it holds; a close sentence of
the same story that holds one is put first before that (`answers.TYPE_FIRST`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.answer import answers, rerank
from index.corpus import Corpus
from tests.conftest import corpus_of

COOK = """Apple names Tim Cook chief executive

Apple said on Wednesday that Tim Cook will lead the company as its chief executive.

Tim Cook ran the company's day to day operations while Steve Jobs was on medical leave.

The company opened 14 new stores in China last year and plans 25 more.

Chrysler was sold by Daimler in 2007 after the merger of 1998 failed.
"""

LOCAL = """Town council approves road repairs

The council of Millbrook approved road repairs on Monday.

Residents asked for a new bus line to the regional hospital.
"""


@pytest.fixture(scope="module")
def cook(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return corpus_of(tmp_path_factory.mktemp("type-veto"), {"cook.md": COOK, "local.md": LOCAL})


@pytest.fixture
def no_veto():
    kept = answers.TYPE_VETO
    answers.TYPE_VETO = frozenset()
    try:
        yield
    finally:
        answers.TYPE_VETO = kept


def test_a_number_question_whose_best_sentence_holds_no_number_abstains(cook: Corpus) -> None:
    a = cook.answer("how old is tim cook")
    assert a.abstained
    assert "Tim Cook" in a.hits[0].passage.text  # the closest sentences are still shown
    assert a.reason == answers.NO_NUMBER  # says why, not "match too little"


def test_without_the_veto_the_same_question_answers(cook: Corpus, no_veto: None) -> None:
    a = cook.answer("how old is tim cook")
    assert not a.abstained  # every word of the question is in the sentence: coverage alone passes


def test_a_number_question_whose_best_sentence_holds_one_answers(cook: Corpus) -> None:
    a = cook.answer("how many new stores did apple open in china")
    assert not a.abstained
    assert "14 new stores" in a.hits[0].passage.text


def test_a_number_the_question_already_says_is_not_an_answer(cook: Corpus) -> None:
    a = cook.answer("how much did daimler pay for chrysler in 1998")
    assert a.abstained
    assert "Daimler" in a.hits[0].passage.text


def test_a_question_that_wants_no_number_is_not_vetoed(cook: Corpus) -> None:
    a = cook.answer("who ran the day to day operations at apple")
    assert not a.abstained


def jet(base: Path, second: str) -> Corpus:
    """The leader (every word of the question, no number) then a sentence with the number."""
    text = (
        "Airbus shows its new jet\n\nAirbus showed its new long range jet in Toulouse on Monday, with quieter "
        f"engines and a wider cabin. {second}\n\nThe company's shares rose in early trading.\n"
    )
    return corpus_of(base, {"jet.md": text, "local.md": LOCAL, "cook.md": COOK})


JET = "how many engines does the new airbus jet have"


@pytest.fixture(scope="module")
def close_jet(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return jet(
        tmp_path_factory.mktemp("close-jet"),
        "Its 4 engines power the jet, which seats up to 500 passengers on two decks.",
    )


@pytest.fixture
def no_last_look():
    """The learnt last look off: it may move the same sentence up by itself."""
    kept = answers.LAST_LOOK
    answers.LAST_LOOK = False
    try:
        yield
    finally:
        answers.LAST_LOOK = kept


def test_a_close_sentence_of_the_leaders_story_that_holds_the_number_comes_first(
    close_jet: Corpus, no_last_look: None
) -> None:
    a = close_jet.answer(JET)
    assert "Its 4 engines" in a.hits[0].passage.text
    assert not a.abstained


def test_without_type_first_the_leader_without_a_number_stays_first_and_abstains(
    close_jet: Corpus, no_last_look: None
) -> None:
    kept, title = answers.TYPE_FIRST, rerank.WEIGHTS["title"]
    answers.TYPE_FIRST = False
    rerank.WEIGHTS["title"] = 0.0  # the title (round 20) lifts the numbered sentence too: off, to see TYPE_FIRST alone
    rerank.reload()
    try:
        a = close_jet.answer(JET)
    finally:
        answers.TYPE_FIRST = kept
        rerank.WEIGHTS["title"] = title
        rerank.reload()
    assert "quieter engines" in a.hits[0].passage.text
    assert a.abstained


def test_the_veto_reads_the_sentence_shown_first(tmp_path) -> None:
    """The last look may put a sentence with the number first although the rerank's leader holds
    none: that answer is not vetoed."""
    a = jet(tmp_path, "The jet has 4 engines.").answer(JET)
    assert "4 engines" in a.hits[0].passage.text
    assert not a.abstained


def test_the_veto_does_not_move_when_unrelated_articles_arrive(tmp_path: Path) -> None:
    """The veto reads the sentence shown, not the corpus: among 100 unrelated local articles (with
    numbers in every one) the age question still abstains and the store count still answers."""
    local = {
        f"local-{i:03d}.md": LOCAL.replace("Millbrook", f"Town {i}") + f"\nIt cost {i + 2} million.\n"
        for i in range(100)
    }
    crowded = corpus_of(tmp_path, {"cook.md": COOK, **local})
    assert crowded.answer("how old is tim cook").abstained
    a = crowded.answer("how many new stores did apple open in china")
    assert not a.abstained
    assert "14 new stores" in a.hits[0].passage.text
