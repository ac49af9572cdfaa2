"""A question that wants a number answers on less support when the sentence shown gives one in
figures (round 19, news19: `answers.NUMBER_SUPPORT`): the article states the amount and says
the rest of the question in its own words ("staff" / "employees"). Measured and left off by
default (it did not carry to news set B: docs/answers.md); these tests switch it on at the .60
that was measured."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from index.answer import answers
from index.answer import question as question_types
from index.corpus import Corpus
from tests.conftest import corpus_of

BOEING = """Boeing opens a design centre in Moscow

Boeing said on Tuesday that it will expand its work in Russia.

The company has a Moscow design centre that has 1,400 employees and a contract for titanium parts.

A second Moscow design centre opened as the first of its kind in the region.

Boeing expects Russian airlines to buy more jets over the next years.
"""

LOCAL = """Town council approves road repairs

The council of Millbrook approved road repairs on Monday.

Residents asked for a new bus line to the regional hospital, and people at the meeting said work on the roads should start soon.
"""

AIRBUS = """Airbus opens an engineering office in Moscow

Airbus said its engineering office in Moscow will work with Russian suppliers.

The office is the first Airbus centre in Russia.
"""

QUESTION = "how many staff does boeing have in moscow"  # its support falls between the two bars


def _corpus(base: Path, boeing: str) -> Corpus:
    return corpus_of(base, {"boeing.md": boeing, "local.md": LOCAL, "airbus.md": AIRBUS})


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return _corpus(tmp_path_factory.mktemp("figures"), BOEING)


@pytest.fixture(scope="module")
def words_only(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """The same articles, the staff sentence saying "its first employees" instead of a figure."""
    text = BOEING.replace("that has 1,400 employees and a contract", "that hired its first employees under a contract")
    return _corpus(tmp_path_factory.mktemp("words-only"), text)


MEASURED = 0.60  # the bar that was measured (round 19)


@contextlib.contextmanager
def _number_support(value: float | None) -> Iterator[None]:
    kept = answers.NUMBER_SUPPORT
    answers.NUMBER_SUPPORT = value
    try:
        yield
    finally:
        answers.NUMBER_SUPPORT = kept


@pytest.fixture(autouse=True)
def on() -> Iterator[None]:
    with _number_support(MEASURED):
        yield


@pytest.fixture
def off(on: None) -> Iterator[None]:
    with _number_support(None):
        yield


def _support(corpus: Corpus, question: str) -> tuple[answers.Ranked, float]:
    r = answers.rank(corpus.prepare(question), corpus.bm25, corpus, 3, corpus.entities(), corpus)
    geo = float(np.sqrt(r.cov_sentence * r.cov_context))
    return r, geo + answers.CONSENSUS * r.concentration


def test_the_question_sits_between_the_two_bars(figures: Corpus) -> None:
    assert answers.NUMBER_SUPPORT is not None
    r, support = _support(figures, QUESTION)
    assert answers.NUMBER_SUPPORT <= support < answers.MIN_SUPPORT  # what the tests below rest on
    assert r.figures


def test_a_number_given_in_figures_answers(figures: Corpus) -> None:
    a = figures.answer(QUESTION)
    assert not a.abstained
    assert "1,400 employees" in a.hits[0].passage.text


def test_without_the_lower_bar_the_same_question_abstains(figures: Corpus, off: None) -> None:
    a = figures.answer(QUESTION)
    assert a.abstained
    assert a.reason == answers.TOO_LITTLE
    assert "1,400 employees" in a.hits[0].passage.text


def test_an_ordinal_is_not_a_stated_amount(words_only: Corpus) -> None:
    r, support = _support(words_only, QUESTION)
    assert answers.NUMBER_SUPPORT is not None and answers.NUMBER_SUPPORT <= support < answers.MIN_SUPPORT
    assert not r.figures and not r.type_missing  # "first" is a number word: not vetoed, not figures
    assert words_only.answer(QUESTION).abstained


def test_a_question_that_wants_no_number_keeps_the_bar(figures: Corpus) -> None:
    a = figures.answer("what staff does boeing have in moscow")
    assert a.abstained  # the same sentence and support, but no amount was asked for
    assert "1,400 employees" in a.hits[0].passage.text


@pytest.mark.parametrize(
    ("sentence", "stated"),
    [
        ("Apple shares slid $19.37 in after hours trading.", True),
        ("GM saw a 45% drop in vehicle sales.", True),
        ("The centre has 1,400 employees.", True),
        ("Over eight million iPhones will have been sold.", True),
        ("Singapore Airlines is the first airline to fly it.", False),
        ("The two companies signed a deal.", False),
    ],
)
def test_in_figures_reads_only_the_number_spans(sentence: str, stated: bool) -> None:
    spans = question_types.answer_spans(sentence, question_types.NUMBER, {"how", "mani"})
    assert spans  # every sentence holds a number span; only figures or a scale word count

    class One:
        text = sentence

    assert answers.in_figures(7, {7: spans}, lambda pid: One()) is stated  # type: ignore[arg-type,return-value]
    assert not answers.in_figures(8, {7: spans}, lambda pid: One())  # type: ignore[arg-type,return-value]
