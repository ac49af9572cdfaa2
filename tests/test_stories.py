"""A title says which story a question is about: its words lift every sentence of that story."""

from __future__ import annotations

import json

import numpy as np
import pytest

from index.answer import answers, stories
from index.corpus import Corpus

ARTICLES = [
    {
        "id": "order",
        "title": "Airbus wins an order from Qatar",
        "text": "The deal was worth $8 billion.\n\nBoeing lost a tanker contest last year.",
    },
    {
        "id": "tanker",
        "title": "Boeing tanker lease collapses",
        "text": "The deal was worth $23 billion.\n\nCongress asked for an inquiry.",
    },
]
QUESTION = "how much was the boeing tanker deal worth"


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    base = tmp_path_factory.mktemp("stories")
    seeds = base / "seeds"
    seeds.mkdir()
    with (seeds / "deals.jsonl").open("w", encoding="utf-8") as fh:
        for record in ARTICLES:
            fh.write(json.dumps(record) + "\n")
    return Corpus.open(seeds, base / "index")


def _deal_sentences(corpus: Corpus) -> list[str]:
    """The stories of the two "deal was worth" sentences, in the order they are shown."""
    hits = corpus.answer(QUESTION, k=5).hits
    return [h.passage.doc_id for h in hits if h.passage.text.startswith("The deal")]


def test_the_title_picks_the_story(two: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _deal_sentences(two) == ["tanker", "order"]
    monkeypatch.setattr(stories, "TITLE", 0.0)
    assert _deal_sentences(two) == ["order", "tanker"]  # its body names Boeing and the tanker


def test_one_story_gains_alike(two: Corpus) -> None:
    query, _ = answers.rerank_query(QUESTION, two.bm25)
    ids = np.array([p.pid for p in two.passages_of("tanker")] + [p.pid for p in two.passages_of("order")])
    doc = two._passages["doc"]
    gain = stories.story_bonus(two.bm25, QUESTION, query, ids, doc, two)
    assert gain[0] == gain[1] > 0 and not gain[2:].any()
