"""Round 21: other people's seed questions, a sixth blind part (seed_questions_others_f.tsv held
out) and the question-side fixes that paid on A to E (docs/answers.md, seedq21)."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.answer import compounds, details
from index.answer.question import plain
from index.corpus import Corpus
from tests.conftest import corpus_of


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


def test_a_closed_compound_is_read_as_the_article_writes_it(seed_corpus: Corpus) -> None:
    assert compounds.split("timezone", seed_corpus.bm25) == "time zone"
    assert compounds.read("does claude code look at your timezone", seed_corpus.bm25).endswith("your time zone")


@pytest.mark.parametrize(
    "word",
    [
        "developers",  # an index term
        "understand",  # an English word (the common words), though "under" and "stand" might be terms
        "backdor",  # a typo the speller fixes
        "timeline",  # "time" is a term, "line" is not
        "aistandard",  # halves too short ("ai")
    ],
)
def test_other_words_are_not_split(seed_corpus: Corpus, word: str) -> None:
    assert compounds.split(word, seed_corpus.bm25) is None


def test_halves_never_said_together_are_not_a_compound(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    corpus = corpus_of(tmp_path / "one", {"a.md": "The page was blank.\n\nShe began to slip on the ice.\n"})
    assert compounds.split("slippage", corpus.bm25) is None
    corpus2 = corpus_of(tmp_path / "two", {"b.md": "Skaters slip off the page of the rink.\n"})
    assert compounds.split("slippage", corpus2.bm25) == "slip page"


def test_a_capitalised_word_may_be_a_name_and_is_kept(seed_corpus: Corpus) -> None:
    assert compounds.read("Timezone", seed_corpus.bm25) == "Timezone"


def test_the_compound_finds_the_sentence(seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    q = "does claude code look at your timezone"
    a = seed_corpus.answer(q)
    assert not a.abstained and "time zone and proxy settings" in a.hits[0].passage.text
    monkeypatch.setattr(compounds, "COMPOUNDS", False)  # "timezone" weighs as a missing word
    assert "time zone and proxy settings" not in seed_corpus.answer(q).hits[0].passage.text


def test_an_ending_that_is_a_word_is_no_half(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = corpus_of(tmp_path, {"a.md": "The new job pays less than the old one.\n"})
    assert compounds.split("jobless", corpus.bm25) is None
    monkeypatch.setattr(compounds, "SUFFIXES", frozenset())  # what the first version read
    assert compounds.split("jobless", corpus.bm25) == "job less"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("-# since when has claude code had this check", "since when has claude code had this check"),
        ("# who wrote this article", "who wrote this article"),
        ("### is qoder better than claude code", "is qoder better than claude code"),
        ("#ClaudeCode ban when", "#ClaudeCode ban when"),  # a hashtag is no header
    ],
)
def test_discord_headers_and_subtext_are_markup(typed: str, read: str) -> None:
    assert plain(typed) == read


def test_a_header_question_about_the_article_is_read_as_one(seed_corpus: Corpus) -> None:
    a = seed_corpus.answer("# who wrote this article")
    assert a.kind == "article" and any(d.value == "Kashmira Konduparty" for d in a.details)
