"""Round 22: other people's seed questions, a seventh blind part (seed_questions_others_g.tsv held
out) and the question-side fixes that paid on A to F (docs/answers.md, seedq22)."""

from __future__ import annotations

import pytest

from index.answer import numwords, phrasal
from index.answer import question as question_types
from index.answer.question import plain
from index.corpus import Corpus
from index.search import tokens


def _vocab(text: str) -> set[str]:
    return set(tokens.tokenize(text))


ARTICLE = _vocab(
    "The firm instructed employees to stop. Tools identify whether users are abroad. The employee said so."
)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("what did alibaba tell its staff to do", "what did alibaba instructed its staff to do"),
        ("what were they told to use", "what were they instructed to use"),
        ("wut tool r they told 2 use", "wut tool r they instructed 2 use"),
        ("how did claude code tell if someone was in china", "how did claude code identify if someone was in china"),
        ("can it tell whether i use a proxy", "can it identify whether i use a proxy"),
    ],
)
def test_tell_is_read_in_its_instruct_or_determine_sense(typed: str, read: str) -> None:
    assert phrasal.read(typed, ARTICLE) == read


@pytest.mark.parametrize(
    "typed",
    [
        "who told reporters about the ban",  # the say sense: the synonyms read it "said"
        "what did he tell the court",
        "what did she tell to the press",  # "to" before a determiner: no verb follows
        "did they tell you anything",
    ],
)
def test_tell_in_its_say_sense_is_left_as_typed(typed: str) -> None:
    assert phrasal.read(typed, ARTICLE) == typed


def test_tell_is_left_when_the_articles_say_it_or_hold_no_verb_of_the_sense() -> None:
    typed = "what did alibaba tell its staff to do"
    assert phrasal.read(typed, ARTICLE | _vocab("tell")) == typed  # the articles may say it as asked
    assert phrasal.read(typed, _vocab("The employee said so.")) == typed  # nothing to read it as


def test_the_senses_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(phrasal, "SENSES", False)
    assert phrasal.read("what did alibaba tell its staff to do", ARTICLE) == "what did alibaba tell its staff to do"


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("what did alibaba tell its staff to do", "has instructed employees"),
        ("how did claude code tell if someone was in china", "time zone and proxy settings"),
    ],
)
def test_tell_finds_the_sentence_that_answers(
    seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch, typed: str, first: str
) -> None:
    assert first in seed_corpus.answer(typed).hits[0].passage.text
    monkeypatch.setattr(phrasal, "SENSES", False)  # "tell" read "said": the employee's sentences, Qoder's
    assert first not in seed_corpus.answer(typed).hits[0].passage.text


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


@pytest.mark.parametrize(
    ("typed", "framed"),
    [
        ("is the backdoor thing true", "true"),
        ("25,000 accounts, is that right?", "right"),
        ("is it true that alibaba banned claude", "true"),
        ("alibaba banned claude code? for real?", "real"),
        ("ALIBABA BANS CLAUDE CODE? is this real", "real"),
    ],
)
def test_a_confirmation_asked_frames_its_truth_word(typed: str, framed: str) -> None:
    assert tokens.tokenize(framed)[0] in question_types.frame_terms(typed)


@pytest.mark.parametrize(
    "typed",
    ["what is the true cost", "is he the right person", "who is right", "what is real", "was the real name kept"],
)
def test_a_truth_word_that_is_asked_about_stays(typed: str) -> None:
    assert not question_types.frame_terms(typed)


def test_a_confirmation_answers(seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    a = seed_corpus.answer("is the backdoor thing true")
    assert not a.abstained and "citing alleged security risks" in a.hits[0].passage.text
    monkeypatch.setattr(question_types, "CONFIRM", False)  # "true" weighed as a word the article lacks
    assert seed_corpus.answer("is the backdoor thing true").abstained


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
