"""Round 28 (fix28): what the round's QA lanes left, on the command line and in `bot.rules`."""

from __future__ import annotations

import pytest

from bot.rules import asks_about_the_articles


@pytest.mark.parametrize(
    "text",
    [
        "what articles do you have?",
        "What can you answer?",
        "how do I ask?",
        "what do you know about?",
        "How do I use this bot?",
        "which stories do you cover?",
        "what is indexed?",
    ],
)
def test_questions_about_the_articles_or_asking_are_recognised(text):
    assert asks_about_the_articles(text)


@pytest.mark.parametrize(
    "text",
    [
        "what do you know about GM?",
        "what can you tell me about the ban?",
        "how do I ask for a refund under the new rules?",
        "which articles do you have about General Motors?",
        "what did you say about Qoder?",
        "when does the ban take effect?",
    ],
)
def test_a_news_question_holding_you_is_not_taken_for_one(text):
    """The recognition is of the whole message: one that names something is asked of the articles."""
    assert not asks_about_the_articles(text)


def test_the_chat_tells_what_is_indexed_not_an_abstention(run):
    """qa28discord: "what articles do you have?" and "how do I ask?" abstained ("No word of the
    question occurs in the articles"), in the chat as on Discord; a news question with "you" in it
    is still answered."""
    code, out, _ = run("chat", stdin="what articles do you have?\nhow do I ask?\nwhat do you know about Qoder?\n")
    assert code == 0
    assert out.count("I have 1 news article indexed (") == 2, out
    assert "No word of the question" not in out
    assert "Alibaba’s in-house AI coding platform" in out, out
