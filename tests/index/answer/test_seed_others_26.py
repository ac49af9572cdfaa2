"""Round 26: other people's seed questions, an eleventh blind part (seed_questions_others_k.tsv held
out); a verb of speech the articles lack neither searched nor weighed (index.answer.question.SPEECH;
measured, left off). docs/answers.md, seedq26."""

from __future__ import annotations

import pytest

from index.answer import question
from index.corpus import Corpus
from index.search import tokens

ARTICLE_WORDS = frozenset(tokens.tokenize("Anthropic disputed it, the source said, and Alibaba told staff"))


@pytest.mark.parametrize(
    ("asked", "speech"),
    [
        ("what did anthropic say about the backdoor", {"say"}),
        ("what does alibaba tell its staff", {"tell"}),
        ("anthropic says alibaba stole what", {"say"}),
        ("who told reporters about the ban", set()),  # the articles say "told": read as typed
        ("what has the employee said on x", set()),
        ("what did anthropic dispute", set()),
    ],
)
def test_a_verb_of_speech_the_articles_lack_frames_the_question(
    monkeypatch: pytest.MonkeyPatch, asked: str, speech: set[str]
) -> None:
    monkeypatch.setattr(question, "SPEECH", True)
    assert question.frame_terms(asked, ARTICLE_WORDS) == speech


def test_without_the_articles_or_the_switch_speech_is_searched(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = "what did anthropic say about the backdoor"
    assert question.frame_terms(asked, ARTICLE_WORDS) == set()  # off since round 26
    monkeypatch.setattr(question, "SPEECH", True)
    assert question.frame_terms(asked) == set()  # no vocabulary given (bench.fit_abstain)


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        # "tell" read "said" (a synonym) found "the source said" / "the employee said"
        ("how does claude code tell if a user is chinese", "capable of inspecting"),
        ("what did the developers say about claude code", "reports from developers"),
    ],
)
def test_a_question_with_a_verb_of_speech_finds_what_was_said(
    seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch, asked: str, expected: str
) -> None:
    monkeypatch.setattr(question, "SPEECH", True)
    assert expected in seed_corpus.answer(asked).hits[0].passage.text
    monkeypatch.setattr(question, "SPEECH", False)
    assert expected not in seed_corpus.answer(asked).hits[0].passage.text
