"""Round 22 (qa22): which messages to the bot only thank or acknowledge (`says_thanks`): they get
a short reply instead of being read as a follow-up that quotes the answer again. A question that
holds such a word stays a question."""

from __future__ import annotations

import pytest

from bot.rules import MAX_QUESTION, check_question, says_thanks


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


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("  when does the ban take effect?  ", None),
        ("Help!", "/ask"),
        ("thanks!", "Glad to help"),
        ("x" * (MAX_QUESTION + 1), "characters long"),
    ],
)
def test_what_ask_and_a_mention_say_instead_of_an_answer_is_one_function(text, said):
    """Round 26 (tidy26): `/ask` and a mention read the question and the replies that stand for an
    answer (a broken rule, help, thanks) through `asking.instead_of_answer`, no longer two copies."""
    from bot.discord.asking import instead_of_answer

    question, instead = instead_of_answer(text, "Verbatim")
    assert (instead is None) is (said is None)
    assert said is None or said in instead
    if said is None:
        assert question == check_question(text)
