"""Round 22 (qa22): which messages to the bot only thank or acknowledge (`says_thanks`): they get
a short reply instead of being read as a follow-up that quotes the answer again. A question that
holds such a word stays a question."""

from __future__ import annotations

import pytest

from bot.rules import says_thanks


@pytest.mark.parametrize(
    "text", ["thanks!", "Thanks", "thank you", "Thank you so much 🙏", "thx", "ty", "ok, got it", "great, thanks!"]
)
def test_a_thanks_or_an_acknowledgement_is_no_question(text):
    assert says_thanks(text)


@pytest.mark.parametrize(
    "text",
    [
        "thanks to whom?",
        "Great Britain",
        "is it ok?",
        "ok 123",
        "who got it?",
        "you",
        "so much",
        "thanks, and when does the ban take effect?",
        "thanks " * 10,
    ],
)
def test_a_question_holding_a_courtesy_word_is_still_a_question(text):
    assert not says_thanks(text)
