"""A question that wants a date, a name or a place answers only on more support when the sentence
shown holds none it does not already say (round 21, abst21: `answers.TYPE_BAR`): the sentence
names the question's subject, and what was asked is not in it. These tests switch it on at the
.75 chosen on the tuned rows (docs/answers.md), whatever the default."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.answer import answers
from index.corpus import Corpus
from tests.conftest import corpus_of
from tests.index.answer.test_number_support import AIRBUS, BOEING, LOCAL

QUESTION = "when did the second moscow design centre open its doors"  # "doors" is in no article
SECOND = "A second Moscow design centre opened as the first of its kind in the region."
DATED = "A second Moscow design centre opened in March 2009 as the first of its kind in the region."
CHOSEN = 0.75


def _corpus(base: Path, boeing: str) -> Corpus:
    return corpus_of(base, {"boeing.md": boeing, "local.md": LOCAL, "airbus.md": AIRBUS})


@pytest.fixture(scope="module")
def undated(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return _corpus(tmp_path_factory.mktemp("undated"), BOEING)


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """The same articles, the second centre's sentence giving the month it opened."""
    assert SECOND in BOEING
    return _corpus(tmp_path_factory.mktemp("dated"), BOEING.replace(SECOND, DATED))


@contextlib.contextmanager
def _type_bar(value: float | None) -> Iterator[None]:
    kept = answers.TYPE_BAR
    answers.TYPE_BAR = value
    try:
        yield
    finally:
        answers.TYPE_BAR = kept


@pytest.fixture(autouse=True)
def on() -> Iterator[None]:
    with _type_bar(CHOSEN):
        yield


@pytest.fixture
def off(on: None) -> Iterator[None]:
    with _type_bar(None):
        yield


def _ranked(corpus: Corpus, question: str) -> answers.Ranked:
    return answers.rank(corpus.prepare(question), corpus.bm25, corpus, 3, corpus.entities(), corpus)


def test_the_question_sits_between_the_two_bars(undated: Corpus) -> None:
    r = _ranked(undated, QUESTION)
    assert answers.MIN_SUPPORT <= answers.support(r) < CHOSEN  # what the tests below rest on
    assert r.untyped and not r.type_missing


def test_a_date_question_whose_sentence_gives_no_date_abstains(undated: Corpus) -> None:
    a = undated.answer(QUESTION)
    assert a.abstained
    assert a.reason == answers.NO_TYPE
    assert a.hits[0].passage.text == SECOND  # still shown as the closest passage


def test_without_the_second_bar_the_same_question_answers(undated: Corpus, off: None) -> None:
    assert not _ranked(undated, QUESTION).untyped  # not read when off
    a = undated.answer(QUESTION)
    assert not a.abstained
    assert a.hits[0].passage.text == SECOND


def test_the_same_question_answers_when_the_sentence_gives_the_date(dated: Corpus) -> None:
    r = _ranked(dated, QUESTION)
    assert not r.untyped and answers.support(r) < CHOSEN
    a = dated.answer(QUESTION)
    assert not a.abstained
    assert "March 2009" in a.hits[0].passage.text


def test_a_question_that_wants_no_type_keeps_the_bar(undated: Corpus) -> None:
    question = "did the second moscow design centre open its doors"
    r = _ranked(undated, question)
    assert r.kind is None and not r.untyped
    assert answers.MIN_SUPPORT <= answers.support(r) < CHOSEN
    assert not undated.answer(question).abstained


def test_well_supported_questions_answer_without_the_type(undated: Corpus) -> None:
    r = _ranked(undated, "when will the bus line to the hospital run")
    assert r.untyped and answers.support(r) >= CHOSEN
    assert not undated.answer("when will the bus line to the hospital run").abstained


def test_a_number_question_keeps_its_veto(undated: Corpus) -> None:
    r = _ranked(undated, "how many doors does the second moscow design centre have")
    assert not r.untyped  # numbers have their own rule (TYPE_VETO)
