"""Round 26 (untitled26): an article without a title is read through the title made from its lede.

The lede is every sentence's context (rerank's `title` column) and the story's title evidence
(`stories.story_bonus`), as a written title is. Reading none lost on every tuned part (docs/answers.md,
untitled26); these pin the reading kept.
"""

from __future__ import annotations

from pathlib import Path

from bot.wording import short_title
from index.corpus import Corpus
from tests.conftest import corpus_of, jsonl_text
from tests.index.answer.test_title_context import ANSWER, ARTICLES, QUESTION

UNTITLED = [{key: value for key, value in article.items() if key != "title"} for article in ARTICLES]
LEDE = "The Beatles' label Apple Corps lost its court case"


def _corpus(tmp_path: Path) -> Corpus:
    return corpus_of(tmp_path, {"apple.jsonl": jsonl_text(UNTITLED)})


def test_the_derived_title_is_the_lede_and_citations_say_untitled(tmp_path: Path) -> None:
    article = _corpus(tmp_path).article("corps")
    assert article.title_derived and article.title.startswith(LEDE)
    assert short_title(article).startswith("Untitled (\u201cThe Beatles' label")


def test_the_lede_is_the_context_of_the_answer_deeper_in_the_story(tmp_path: Path) -> None:
    assert _corpus(tmp_path).answer(QUESTION).hits[0].passage.text.startswith(ANSWER)
