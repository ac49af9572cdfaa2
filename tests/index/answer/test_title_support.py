"""The question's share in the story's title adds to the support (round 20, newsc20:
`answers.TITLE_WEIGHT`, news19's "title's share"): a question about the story's own subject
names it in its headline. Measured and left off by default (on news sets B and C it answered as
many on-topic unanswerable questions as answerable ones: docs/answers.md); these tests switch it
on at the .085 that was measured."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from index.answer import answers
from index.corpus import Corpus
from tests.conftest import corpus_of
from tests.index.answer.test_number_support import AIRBUS, BOEING, LOCAL

QUESTION = "how many staff does boeing have in moscow"  # its support falls just under the bar
MEASURED = 0.085  # the weight that was measured (round 20)


def _corpus(base: Path, boeing: str) -> Corpus:
    return corpus_of(base, {"boeing.md": boeing, "local.md": LOCAL, "airbus.md": AIRBUS})


@pytest.fixture(scope="module")
def named(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return _corpus(tmp_path_factory.mktemp("named"), BOEING)


@pytest.fixture(scope="module")
def unnamed(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """The same story under a headline that names neither Boeing nor Moscow."""
    text = BOEING.replace("Boeing opens a design centre in Moscow", "A planemaker's new design centre")
    return _corpus(tmp_path_factory.mktemp("unnamed"), text)


@contextlib.contextmanager
def _title_weight(value: float | None) -> Iterator[None]:
    kept = answers.TITLE_WEIGHT
    answers.TITLE_WEIGHT = value
    try:
        yield
    finally:
        answers.TITLE_WEIGHT = kept


@pytest.fixture(autouse=True)
def on() -> Iterator[None]:
    with _title_weight(MEASURED):
        yield


def _support(corpus: Corpus, question: str) -> tuple[answers.Ranked, float]:
    r = answers.rank(corpus.prepare(question), corpus.bm25, corpus, 3, corpus.entities(), corpus)
    geo = float(np.sqrt(r.cov_sentence * r.cov_context))
    return r, geo + answers.CONSENSUS * r.concentration


def test_the_question_sits_under_the_bar_and_its_title_lifts_it(named: Corpus) -> None:
    r, support = _support(named, QUESTION)
    assert support < answers.MIN_SUPPORT <= support + MEASURED * r.title  # what the tests below rest on
    assert 0 < r.title < 1


def test_a_question_named_in_the_headline_answers(named: Corpus) -> None:
    a = named.answer(QUESTION)
    assert not a.abstained
    assert "1,400 employees" in a.hits[0].passage.text


def test_switched_off_the_same_question_abstains(named: Corpus) -> None:
    with _title_weight(None):
        r, _ = _support(named, QUESTION)
        a = named.answer(QUESTION)
    assert r.title == 0.0  # not read when off
    assert a.abstained and a.reason == answers.TOO_LITTLE
    assert "1,400 employees" in a.hits[0].passage.text


def test_a_headline_that_does_not_name_it_keeps_the_bar(unnamed: Corpus) -> None:
    r, support = _support(unnamed, QUESTION)
    assert r.title == 0.0 and support < answers.MIN_SUPPORT
    assert unnamed.answer(QUESTION).abstained


def test_title_share_counts_idf_mass_and_unknown_words_as_missing(named: Corpus) -> None:
    query = named.prepare("boeing moscow zzyzxq")
    assert query.unknown > 0
    whole = answers.title_share(named.prepare("boeing moscow"), "Boeing opens a design centre in Moscow")
    assert whole == pytest.approx(1.0)
    share = answers.title_share(query, "Boeing opens a design centre in Moscow")
    assert 0 < share < 1
    assert answers.title_share(query, "") == 0.0
