"""Round 26: chat forms of a question's words read as the articles write them ("3rd" -> "third",
"q3" -> "third quarter", "cfo" -> "chief financial officer"; index.answer.chatforms).
docs/answers.md, short26."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.answer import chatforms
from index.answer.query import prepare
from index.corpus import Corpus
from tests.conftest import corpus_of

EARNINGS = (
    "Acme Corp. said its results were mixed.\n\n"
    "Acme earned $12 million in the second quarter, a spokesman said.\n\n"
    "Acme earned $45 million in the third quarter, up from $30 million a year earlier.\n\n"
    "Sales for the first half rose 4% to $900 million.\n\n"
    "Acme named Jane Roe chief financial officer in March.\n\n"
    "John Smith, its chief executive officer, will retire.\n"
)


@pytest.fixture(scope="module")
def earnings(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return corpus_of(tmp_path_factory.mktemp("earnings"), {"acme.md": EARNINGS})


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("how much did acme earn in the 3rd quarter", "how much did acme earn in the third quarter"),
        ("how much did acme earn in Q3", "how much did acme earn in third quarter"),
        ("acme sales h1", "acme sales first half"),
        ("who is acme's cfo", "who is acme's chief financial officer"),
        ("who is the CEO", "who is the chief executive officer"),
        ("what happens on july 10th", "what happens on july 10"),
        ("the 4th of july", "the 4 of july"),
    ],
)
def test_a_chat_form_is_read_as_the_articles_write_it(earnings: Corpus, typed: str, read: str) -> None:
    assert chatforms.read(typed, earnings.bm25) == read


@pytest.mark.parametrize("typed", ["acme in q5", "acme h3 sales", "acme's 21st year", "aq3 results", "the vp"])
def test_other_forms_are_left_as_typed(earnings: Corpus, typed: str) -> None:
    """No fifth quarter or third half; 21st has no one-word ordinal; the vice president is not in the articles."""
    assert chatforms.read(typed, earnings.bm25) == typed


def test_a_form_the_articles_hold_is_read_as_typed(tmp_path: Path) -> None:
    corpus = corpus_of(
        tmp_path,
        {
            "a.md": "The Audi Q3 sold well.\n\nIts CEO said so in the 3rd Division, on 3rd Street.\n\n"
            "The chief said the third car was new.\n"
        },
    )
    assert chatforms.read("how did the q3 sell", corpus.bm25) == "how did the q3 sell"  # a name here
    assert chatforms.read("who is the ceo", corpus.bm25) == "who is the ceo"
    assert chatforms.read("the 3rd street", corpus.bm25) == "the 3rd street"  # "rd" as often as "third"


def test_the_words_are_read_as_the_short_form_where_the_articles_write_only_that(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    corpus = corpus_of(
        tmp_path / "one", {"a.md": "The CEO of Acme said the chief risk was low.\n\nAn executive left.\n"}
    )
    assert chatforms.read("who is the chief executive officer of acme", corpus.bm25) == "who is the ceo of acme"
    corpus2 = corpus_of(tmp_path / "two", {"b.md": "The band played its 3rd set and 2nd encore.\n"})
    assert chatforms.read("what was the third set", corpus2.bm25) == "what was the 3rd set"
    assert chatforms.read("the second encore", corpus2.bm25) == "the 2nd encore"


def test_off_reads_as_typed(earnings: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chatforms, "CHATFORMS", False)
    assert chatforms.read("how much did acme earn in q3", earnings.bm25) == "how much did acme earn in q3"


def test_the_question_is_quoted_as_typed(earnings: Corpus) -> None:
    q = prepare("who is acme's cfo", earnings.bm25)
    assert q.text == "who is acme's chief financial officer" and q.question == "who is acme's cfo"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("how much did acme earn in the 3rd quarter", "in the third quarter"),
        ("how much did acme earn in q3", "in the third quarter"),
        ("who is acme's cfo", "chief financial officer"),
    ],
)
def test_a_chat_form_finds_its_sentence(
    earnings: Corpus, monkeypatch: pytest.MonkeyPatch, typed: str, expected: str
) -> None:
    assert expected in earnings.answer(typed).hits[0].passage.text
    monkeypatch.setattr(chatforms, "CHATFORMS", False)
    assert expected not in earnings.answer(typed).hits[0].passage.text
