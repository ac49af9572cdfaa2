"""Round 22: other people's seed questions, a seventh blind part (seed_questions_others_g.tsv held
out); a pasted link is no question word (docs/answers.md, seedq22). Number words read as the articles'
digits: round 22's reading, left on branch s22-seedq22 then, taken up in round 23 when it paid on
the held-out part H (docs/answers.md, seedq23)."""

from __future__ import annotations

import pytest

from index.answer import numwords
from index.answer import question as question_types
from index.answer.question import plain
from index.corpus import Corpus
from index.search import tokens


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("re <https://example.com/news/alibaba-claude-ban> what is it", "re what is it"),
        ("see www.example.org/a?b=1 who wrote it", "see who wrote it"),
        ("HTTPS://EXAMPLE.COM/X when", "when"),
        ("what is http or www", "what is http or www"),  # words, not links
    ],
)
def test_a_pasted_link_is_removed(typed: str, read: str) -> None:
    assert plain(typed) == read


def test_a_question_around_a_link_answers(seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    typed = "re <https://example.com/news/alibaba-claude-ban> what is alibaba replacing claude code with"
    a = seed_corpus.answer(typed)
    assert not a.abstained and "adopt Qoder" in a.hits[0].passage.text
    monkeypatch.setattr(question_types, "LINKS", False)  # "https", "example", "com", "news" weighed as missing
    assert seed_corpus.answer(typed).abstained


def _vocab(text: str) -> set[str]:
    return set(tokens.tokenize(text))


@pytest.mark.parametrize(
    ("phrase", "number"),
    [
        ("twenty five thousand", 25000),
        ("twenty-five", 25),
        ("two hundred and five", 205),
        ("forty two thousand five hundred", 42500),
        ("twelve", 12),
        ("seven", 7),
        ("nineteen eighty four", None),  # a year said in words is no one number
        ("two three", None),
    ],
)
def test_the_value_of_number_words(phrase: str, number: int | None) -> None:
    assert numwords.value(phrase) == number


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("twenty five thousand accounts, is that right?", "25000 accounts, is that right?"),
        ("Twenty-Eight million chats", "28 million chats"),
        ("nine accounts", "nine accounts"),  # under 10: news writes it in words
        ("thirty accounts", "thirty accounts"),  # the articles lack 30 too
    ],
)
def test_number_words_are_read_as_the_articles_write_them(typed: str, read: str) -> None:
    assert numwords.read(typed, _vocab("nearly 25,000 accounts and 28 million chats")) == read


def test_number_words_the_articles_hold_are_left(monkeypatch: pytest.MonkeyPatch) -> None:
    vocab = _vocab("the thirteen colonies, 13 of them")
    assert numwords.read("how many were the thirteen colonies", vocab) == "how many were the thirteen colonies"
    monkeypatch.setattr(numwords, "NUMWORDS", False)
    assert numwords.read("twenty five thousand", _vocab("25,000")) == "twenty five thousand"


def test_a_number_in_words_answers(seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    typed = "twenty five thousand accounts, is that right?"
    a = seed_corpus.answer(typed)
    assert not a.abstained and "25,000 fraudulent accounts" in a.hits[0].passage.text
    monkeypatch.setattr(numwords, "NUMWORDS", False)
    assert seed_corpus.answer(typed).abstained
