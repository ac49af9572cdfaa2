"""Round 26 (untitled26): an article without a title is read through the title made from its lede.

The lede is every sentence's context (rerank's `title` column) and the story's title evidence
(`stories.story_bonus`), as a written title is; `stories.DERIVED_TITLE` off reads none. Each test
opens its own corpus: a corpus's titles are read once (`stories.titles_and_dates`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.wording import short_title
from index.answer import stories
from index.corpus import Corpus
from tests.conftest import corpus_of, jsonl_text
from tests.index.answer.test_title_context import ANSWER, ARTICLES, QUESTION

UNTITLED = [{key: value for key, value in article.items() if key != "title"} for article in ARTICLES]
LEDE = "The Beatles' label Apple Corps lost its court case"


def _corpus(tmp_path: Path) -> Corpus:
    return corpus_of(tmp_path, {"apple.jsonl": jsonl_text(UNTITLED)})


def test_the_shipped_reading() -> None:
    assert stories.DERIVED_TITLE is True


def test_the_derived_title_is_the_lede_and_citations_say_untitled(tmp_path: Path) -> None:
    article = _corpus(tmp_path).article("corps")
    assert article.title_derived and article.title.startswith(LEDE)
    assert short_title(article).startswith("Untitled (\u201cThe Beatles' label")


def test_the_lede_is_the_context_of_the_answer_deeper_in_the_story(tmp_path: Path) -> None:
    assert _corpus(tmp_path).answer(QUESTION).hits[0].passage.text.startswith(ANSWER)


def test_switched_off_the_lede_wins_and_citations_are_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stories, "DERIVED_TITLE", False)
    corpus = _corpus(tmp_path)
    hit = corpus.answer(QUESTION).hits[0]
    assert hit.passage.doc_id == "corps" and hit.passage.text.startswith(LEDE)
    assert short_title(corpus.article("corps")).startswith("Untitled (\u201cThe Beatles' label")


@pytest.mark.parametrize("derived", [True, False])
def test_title_rows_and_story_bonus_read_a_derived_title_only_when_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, derived: bool
) -> None:
    monkeypatch.setattr(stories, "DERIVED_TITLE", derived)
    corpus = _corpus(tmp_path)
    query = corpus.prepare(QUESTION)
    ids = np.array([p.pid for p in corpus.passages_of("corps")])
    rows = stories.title_rows(query, ids, corpus.layout["doc"], corpus)
    bonus = stories.story_bonus(query, ids, corpus.layout["doc"], corpus)
    assert ("corp" in rows) is derived
    assert bool((bonus > 0).all()) is derived


def test_a_written_title_is_read_with_the_switch_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stories, "DERIVED_TITLE", False)
    corpus = corpus_of(tmp_path, {"apple.jsonl": jsonl_text(ARTICLES)})
    query = corpus.prepare(QUESTION)
    ids = np.array([p.pid for p in corpus.passages_of("corps")])
    assert "corp" in stories.title_rows(query, ids, corpus.layout["doc"], corpus)
