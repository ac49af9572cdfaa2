"""A question asked alone: the story whose whole text holds the question most (rerank's article
BM25) is preferred a little more (`stories.ARTICLE`), but not by the abstention, nor for a follow-up;
a one-story corpus keeps its scores."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from index.answer import answers, rerank, stories
from index.corpus import Corpus
from tests.conftest import corpus_of, jsonl_text

# The asked story says "yacht", "race" and "Sydney" across its sentences; its sibling holds the
# three words in one sentence, which by itself wins.
ARTICLES = [
    {
        "id": "asked",
        "text": (
            "The yacht Wild Oats won the race to Hobart.\n\n"
            "The race started in Sydney on Boxing Day.\n\n"
            "The yacht's crew celebrated the race win in Sydney.\n\n"
            "Another yacht in the race lost its mast near Sydney."
        ),
    },
    {
        "id": "sibling",
        "text": "A yacht race from Sydney drew record crowds at the harbour.\n\nTickets sold out early.",
    },
]
QUESTION = "which yacht was in the sydney race"


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    base = tmp_path_factory.mktemp("story_evidence")
    return corpus_of(base, {"yachts.jsonl": jsonl_text(ARTICLES)})


def _first_story(corpus: Corpus) -> str:
    return corpus.answer(QUESTION, k=3).hits[0].passage.doc_id


def test_the_story_holding_the_question_across_sentences_wins(two: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stories, "ARTICLE", 0.0)
    assert _first_story(two) == "sibling"  # its one sentence holds every word
    monkeypatch.setattr(stories, "ARTICLE", 2.0)  # a two-story corpus: its idf says little
    assert _first_story(two) == "asked"


def test_the_abstention_reads_the_order_without_it(two: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    query = two.prepare(QUESTION)

    def ranked(weight: float) -> answers.Ranked:
        monkeypatch.setattr(stories, "ARTICLE", weight)
        return answers.rank(query, two.bm25, two, 3, stories=two)

    off, on = ranked(0.0), ranked(2.0)
    assert int(on.ids[0]) != int(off.ids[0])  # the order moved...
    assert answers.support(on) == answers.support(off)
    monkeypatch.setattr(answers, "ARTICLE_DECIDES", True)
    assert answers.support(ranked(2.0)) != answers.support(off)  # ... the support reads it only when told


def test_gain_is_the_article_column_for_short_stories_only(two: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stories, "ARTICLE", 0.5)
    query = two.prepare(QUESTION)
    ids = np.array([p.pid for p in two.passages_of("asked")] + [p.pid for p in two.passages_of("sibling")])
    scored = rerank.rescore(two.bm25, query, ids, two.layout)
    short = np.sort(ids)
    gain = stories.article_bonus(query, scored, short)
    art = scored.F[:, rerank.STAGE1.index("art_bm25")]
    assert np.allclose(gain, 0.5 * (art - art.max())) and gain[0] == gain[1] == 0 > gain[-1]
    assert not stories.article_bonus(query, scored, np.sort(ids[:4])).any()  # one short story: its own best
    assert not stories.article_bonus(query, scored, ids[:0]).any()  # no story short enough: nothing


def test_a_follow_up_with_stories_to_prefer_gains_nothing(two: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    from index.answer.prior import Prior
    from index.answer.query import with_prior

    monkeypatch.setattr(stories, "ARTICLE", 0.5)
    query = with_prior(two.prepare(QUESTION), Prior(docs={1: 0.1}), two.bm25)
    ids = np.array([p.pid for p in two.passages_of("asked")] + [p.pid for p in two.passages_of("sibling")])
    scored = rerank.rescore(two.bm25, query, ids, two.layout)
    assert not stories.article_bonus(query, scored, np.sort(ids)).any()
    assert stories.article_bonus(two.prepare(QUESTION), scored, np.sort(ids)).any()  # alone: it would


def test_one_story_keeps_its_scores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The seed's case: one article, every answer and its "strong match" labels as without it."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "one.jsonl").write_text(json.dumps(ARTICLES[0]) + "\n", encoding="utf-8")
    corpus = Corpus.open(seeds, tmp_path / "index")

    def shown(weight: float) -> list[tuple[int, float]]:
        monkeypatch.setattr(stories, "ARTICLE", weight)
        return [(h.passage.pid, h.score) for h in corpus.answer(QUESTION, k=3).hits]

    assert shown(0.3) == shown(0.0)
