"""Round 27: other people's seed questions, a twelfth blind part (seed_questions_others_l.tsv held
out); the frames chat asks in ("what's the deal with", "is it true", "right?", "in plain
english", "what's the point of", "trying to") weigh nothing when the articles lack their word
(data/light_en.txt). docs/answers.md, seedq27."""

from __future__ import annotations

import pytest

from index.answer import spelling
from index.corpus import Corpus
from index.search import tokens

ROUND_27_LIGHT = "try tries tried trying true right plain point deal"


@pytest.mark.parametrize("word", ROUND_27_LIGHT.split())
def test_a_chat_frame_word_is_light(word: str) -> None:
    assert all(spelling.is_light(t) for t in tokens.tokenize(word))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("whats the deal with distillation", "the practice of training one AI model"),
        ("true that anthropic disputed it", "Anthropic has disputed that characterization"),
        ("model distillation in plain words?", "the practice of training one AI model"),
    ],
)
def test_a_question_in_a_chat_frame_is_answered(
    seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch, typed: str, expected: str
) -> None:
    a = seed_corpus.answer(typed)
    assert not a.abstained and expected in a.hits[0].passage.text
    old = spelling.light_words() - set(tokens.tokenize(ROUND_27_LIGHT))
    monkeypatch.setattr(spelling, "light_words", lambda: old)  # before round 27: each weighed as missing
    assert seed_corpus.answer(typed).abstained
