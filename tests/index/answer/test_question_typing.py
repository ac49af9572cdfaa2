"""Questions as people type them in chat: markup, mentions, emoji, chat spellings and typos
are read past, and what is quoted never changes.
"""

from __future__ import annotations

import pytest

from index.answer import spelling
from index.answer.question import plain
from index.corpus import Corpus

TAKES_EFFECT = "The restriction will take effect July 10"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("@everyone **when** does the _ban_ start??", "when does the ban start?"),
        ("<@123> <@!45> <@&67> <#89> @here who ~~banned~~ it", "who banned it"),
        ("||spoiler|| `code` ***bold italic*** __under__", "spoiler code bold italic under"),
        ("> quoted line\nwhy!!!", "quoted line why!"),
        ("<:pepe:123456> <a:dance:42> why 🎉👍🏽 now", "why now"),
        ("snake_case stays", "snake_case stays"),
        ("wen did u ppl start, whats next", "when did you people start, what is next"),
    ],
)
def test_plain_reads_past_chat_markup(typed: str, read: str) -> None:
    assert plain(typed) == read


def test_markup_and_mentions_answer_like_the_plain_question(seed_corpus: Corpus) -> None:
    typed = seed_corpus.answer("@everyone **when** does the _ban_ take effect??")
    clean = seed_corpus.answer("when does the ban take effect")
    assert not typed.abstained and not clean.abstained
    assert [h.passage.pid for h in typed.hits] == [h.passage.pid for h in clean.hits]
    assert typed.question == "@everyone **when** does the _ban_ take effect??"  # shown as typed


def test_chat_spellings_and_typos_answer_from_the_seed(seed_corpus: Corpus) -> None:
    answer = seed_corpus.answer("wen does the ban tak efect")
    assert not answer.abstained and TAKES_EFFECT in answer.hits[0].passage.text


def test_whats_is_spelt_out_and_the_question_answered(seed_corpus: Corpus) -> None:
    answer = seed_corpus.answer("whats the deadline for the claude code ban")
    assert not answer.abstained and answer.hits  # "whats" no longer counts as an unknown word


def test_typos_are_corrected_to_the_nearest_frequent_term(seed_corpus: Corpus) -> None:
    assert spelling.fix("efect", seed_corpus.bm25) == "effect"
    assert spelling.fix("tak", seed_corpus.bm25) == "take"
    assert spelling.fix("qx", seed_corpus.bm25) is None  # too short to guess
    assert spelling.fix("zzzzzzz", seed_corpus.bm25) is None
