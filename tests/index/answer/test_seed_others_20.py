"""Round 20: other people's seed questions, a fifth blind part (seed_questions_others_e.tsv held
out) and the question-side fixes that paid on A to D (docs/answers.md, seedq20)."""

from __future__ import annotations

import pytest

from index.answer import question, spelling
from index.corpus import Corpus
from index.search import tokens


@pytest.fixture
def common_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spelling, "COMMON", False)


@pytest.mark.parametrize(("typed", "bent"), [("deal", "detail"), ("problem", "probe"), ("goal", "global")])
def test_common_english_words_are_not_typos(seed_corpus: Corpus, typed: str, bent: str) -> None:
    term = tokens.tokenize(typed)[0]
    assert spelling.is_word(term)
    assert spelling.fix(term, seed_corpus.bm25) is None


@pytest.mark.usefixtures("common_off")
@pytest.mark.parametrize(("typed", "bent"), [("deal", "detail"), ("problem", "probe"), ("goal", "global")])
def test_common_words_were_bent_without_the_switch(seed_corpus: Corpus, typed: str, bent: str) -> None:
    assert spelling.fix(tokens.tokenize(typed)[0], seed_corpus.bm25) == tokens.tokenize(bent)[0]


@pytest.mark.parametrize(("typo", "word"), [("efect", "effect"), ("acount", "account"), ("anthropc", "anthropic")])
def test_typos_are_still_fixed(seed_corpus: Corpus, typo: str, word: str) -> None:
    assert spelling.fix(typo, seed_corpus.bm25) == tokens.tokenize(word)[0]


def test_a_common_word_keeps_its_sense_in_a_question(seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    q = "what's the deal with the backdoors"
    top = seed_corpus.answer(q).hits[0].passage.text
    assert "citing alleged security risks" in top or "Some researchers described" in top
    monkeypatch.setattr(spelling, "COMMON", False)  # "deal" read "detail": Alibaba's denial first
    top = seed_corpus.answer(q).hits[0].passage.text
    assert "citing alleged security risks" not in top and "Some researchers described" not in top


@pytest.mark.parametrize(
    ("typed", "kind", "frame"),
    [
        ("`claude code` ban start date?", question.TIME, {"date"}),
        ("launch date", question.TIME, {"date"}),
        ("alibaba claude code deadline?", question.TIME, {"deadlin"}),
        ("what report had the date", None, set()),  # a question word: not a bare noun phrase
        ("did they set the date for the vote in april", None, set()),  # the noun does not end it
    ],
)
def test_a_noun_phrase_ending_in_its_date_noun_asks_a_date(typed: str, kind: str | None, frame: set[str]) -> None:
    text = question.plain(typed)
    assert question.expected_type(text) == kind
    assert question.frame_terms(text) == frame


@pytest.mark.usefixtures("fresh_rules")
def test_date_phrases_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(question, "DATE_PHRASES", False)
    assert question.expected_type("claude code ban start date") is None  # ("launch date": round 18's rule)


@pytest.mark.parametrize(
    ("typed", "framed"),
    [
        ("who is behind claude code", True),
        ("whos behind the attack", True),
        ("who was behind the 1999 coup?", True),
        ("what is behind the library", False),  # a place
        ("who sat behind the driver", False),
    ],
)
def test_who_is_behind_frames_behind_when_switched_on(
    typed: str, framed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(question, "BEHIND", True)  # measured and left off (CoQA held out)
    assert ("behind" in question.frame_terms(question.plain(typed))) is framed


@pytest.mark.usefixtures("fresh_rules")
@pytest.mark.parametrize(
    ("switch", "asked", "expected"),
    [
        ("DATE_PHRASES", "`claude code` ban start date?", "The restriction will take effect July 10"),
    ],
)
def test_round_20_question_rules_answer(
    seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch, switch: str, asked: str, expected: str
) -> None:
    a = seed_corpus.answer(asked)
    assert not a.abstained and expected in a.hits[0].passage.text
    monkeypatch.setattr(question, switch, False)
    question._first_rule.cache_clear()
    assert seed_corpus.answer(asked).abstained  # the noun weighed as a word the article lacks


@pytest.mark.usefixtures("fresh_rules")
def test_who_is_behind_answers_only_when_switched_on(seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = "who is behind claude code"
    assert seed_corpus.answer(asked).abstained  # off by default: "behind" weighed as a word the article lacks
    monkeypatch.setattr(question, "BEHIND", True)
    a = seed_corpus.answer(asked)
    assert not a.abstained and "Anthropic’s AI-powered coding assistant Claude Code" in a.hits[0].passage.text
