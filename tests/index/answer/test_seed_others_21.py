"""Round 21: other people's seed questions, a sixth blind part (seed_questions_others_f.tsv held
out) and the question-side fixes that paid on A to E (docs/answers.md, seedq21)."""

from __future__ import annotations

import pytest

from index.answer import details
from index.answer.question import plain
from index.corpus import Corpus


@pytest.mark.parametrize(
    "typed", ["which reporter filed this", "what journalist wrote this article", "Which writer penned the story?"]
)
def test_which_reporter_wrote_this_asks_for_the_byline(typed: str) -> None:
    asked = details.asks(plain(typed))
    assert asked is not None and asked.fields == (details.AUTHOR,) and asked.how == details.POINTED


@pytest.mark.parametrize("typed", ["which reporter covered the fire", "what writer wrote the novel"])
def test_which_reporter_of_an_event_is_not_about_the_article(typed: str) -> None:
    assert details.asks(plain(typed)) is None


def test_a_story_named_with_a_slash_is_still_named() -> None:
    asked = details.asks(plain("Author of the Alibaba/Claude piece?"))
    assert asked is not None and asked.how == details.NAMED and asked.about == "alibaba/claude"


@pytest.mark.parametrize("typed", ["which reporter filed this", "Author of the Alibaba/Claude piece?"])
def test_the_byline_answers(seed_corpus: Corpus, typed: str) -> None:
    a = seed_corpus.answer(typed)
    assert a.kind == "article" and not a.abstained
    assert any(d.value == "Kashmira Konduparty" for d in a.details)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("hw many accts", "how many accounts"),
        ("wich lab", "which lab"),
        ("when wuz it", "when was it"),
        ("rly?", "really?"),
        ("smth abt it", "something about it"),
    ],
)
def test_more_chat_spellings_are_spelt_out(typed: str, read: str) -> None:
    assert plain(typed) == read


def test_a_chat_filler_no_longer_weighs_as_a_missing_word(seed_corpus: Corpus) -> None:
    a = seed_corpus.answer("anthropic said smth abt removing the check?")
    assert not a.abstained and "would be removed in a future software update" in a.hits[0].passage.text
