"""Round 24: other people's seed questions, a ninth blind part (seed_questions_others_i.tsv held
out); what chat wraps a question in ("hey bot", "ngl", "serious question", "explain") weighs
nothing when the articles lack it (data/light_en.txt), and a few chat spellings
(data/chat_en.txt). docs/answers.md, seedq24."""

from __future__ import annotations

import pytest

from index.answer import spelling
from index.answer.question import plain
from index.corpus import Corpus
from index.search import tokens

ROUND_24_LIGHT = "hey hi hello yo wait nah idk ngl tbh imo rn bot verbatim exactly though seriously serious question context explain cannot"


@pytest.mark.parametrize("word", ROUND_24_LIGHT.split())
def test_chat_wrapping_is_light(word: str) -> None:
    assert all(spelling.is_light(t) for t in tokens.tokenize(word))


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("wen is teh ban", "when is the ban"),  # not bent into the article's "tech"
        ("wdym backdoor", "what do you mean backdoor"),
        ("whyd alibaba ban it", "why did alibaba ban it"),
        ("howd they find out", "how did they find out"),
    ],
)
def test_round_24_chat_spellings(typed: str, read: str) -> None:
    assert plain(typed) == read


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ngl idk what model distillation is, can you explain", "the practice of training one AI model"),
        ("hey bot what is alibaba replacing claude code with", "instead adopt Qoder"),
        ("hello, serious question: how many fraudulent accounts were there", "nearly 25,000 fraudulent accounts"),
    ],
)
def test_a_wrapped_question_is_answered(
    seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch, typed: str, expected: str
) -> None:
    a = seed_corpus.answer(typed)
    assert not a.abstained and expected in a.hits[0].passage.text
    new = {t for w in ROUND_24_LIGHT.split() for t in tokens.tokenize(w)}
    old = spelling.light_words() - new
    monkeypatch.setattr(spelling, "light_words", lambda: old)  # before round 24: each weighed as missing
    assert seed_corpus.answer(typed).abstained


@pytest.mark.parametrize(
    ("typed", "fixed"),
    [
        ("fraudlent", "fraudul"),  # "fraudulent": the stemmer left the typo whole
        ("restriciton", "restrict"),
        ("sourdough", None),  # "sourd" is one letter from the article's "source": too short a start
        ("claudecod", None),  # a run-together name is no typo of its first word's stem ("claud")
    ],
)
def test_a_typo_the_stemmer_left_whole_is_read_by_its_start(seed_corpus: Corpus, typed: str, fixed: str | None) -> None:
    assert typed not in seed_corpus.bm25.vocab
    assert spelling.fix(typed, seed_corpus.bm25) == fixed


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("how many fraudlent accounts were there", "nearly 25,000 fraudulent accounts"),
        ("what is the restriciton about", "The restriction will take effect July 10"),
    ],
)
def test_a_question_with_a_whole_typo_is_answered(
    seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch, typed: str, expected: str
) -> None:
    a = seed_corpus.answer(typed)
    assert not a.abstained and expected in a.hits[0].passage.text
    monkeypatch.setattr(spelling, "STEM_TYPOS", False)  # before round 24: the typo weighed as missing
    assert seed_corpus.answer(typed).abstained


ROUND_24_FRAME = "story stories article articles news piece reason reasons first place"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("what reason did alibaba give for banning claude code", "has banned employees from using"),
        ("what does the news piece say about qoder", "instead adopt Qoder"),
    ],
)
def test_the_text_named_and_a_vague_frame_noun_weigh_nothing(
    seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch, typed: str, expected: str
) -> None:
    assert all(spelling.is_light(t) for t in tokens.tokenize(ROUND_24_FRAME))
    a = seed_corpus.answer(typed)
    assert not a.abstained and expected in a.hits[0].passage.text
    old = spelling.light_words() - set(tokens.tokenize(ROUND_24_FRAME))
    monkeypatch.setattr(spelling, "light_words", lambda: old)  # before round 24: weighed as missing
    assert seed_corpus.answer(typed).abstained
