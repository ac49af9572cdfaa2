"""A title says which story a question is about: its words lift every sentence of that story."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from index.answer import rerank, stories
from index.corpus import Corpus
from tests.conftest import corpus_of, jsonl_text

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
    return corpus_of(base, {"deals.jsonl": jsonl_text(ARTICLES)})


def _deal_sentences(corpus: Corpus) -> list[str]:
    """The stories of the two "deal was worth" sentences, in the order they are shown."""
    hits = corpus.answer(QUESTION, k=5).hits
    return [h.passage.doc_id for h in hits if h.passage.text.startswith("The deal")]


def test_the_title_picks_the_story(two: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _deal_sentences(two) == ["tanker", "order"]
    monkeypatch.setattr(stories, "TITLE", 0.0)
    monkeypatch.setitem(rerank.WEIGHTS, "title", 0.0)  # the title as each sentence's context (round 20)
    rerank.reload()
    try:
        assert _deal_sentences(two) == ["order", "tanker"]  # its body names Boeing and the tanker
    finally:
        monkeypatch.undo()
        rerank.reload()


def test_one_story_gains_alike(two: Corpus) -> None:
    query = two.prepare(QUESTION)
    ids = np.array([p.pid for p in two.passages_of("tanker")] + [p.pid for p in two.passages_of("order")])
    doc = two.layout["doc"]
    gain = stories.story_bonus(query, ids, doc, two)
    assert gain[0] == gain[1] > 0 and not gain[2:].any()


DATED = [
    {
        "id": "monday",
        "title": "Markets",
        "date": "2008-10-06",
        "text": "Shares of the bank fell 20% in trading.\n\nTraders sold.",
    },
    {
        "id": "tuesday",
        "title": "Markets",
        "date": "2008-10-07",
        "text": "Shares of the bank fell 35%.\n\nTraders sold.",
    },
]


FILLER = [
    {
        "id": f"town-{i}",
        "title": f"Town news {i}",
        "text": f"The council met on day {i}.\n\nTrading at the farm market was slow.",
    }
    for i in range(8)
]


@pytest.fixture(scope="module")
def days(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    base = tmp_path_factory.mktemp("days")
    return corpus_of(base, {"days.jsonl": jsonl_text(DATED + FILLER)})


def test_a_date_in_the_question_picks_the_story(days: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    question = "how much did bank shares fall in trading on october 7 2008"
    assert stories.question_dates(question)
    assert days.answer(question).hits[0].passage.doc_id == "tuesday"
    monkeypatch.setattr(stories, "DATED", 0.0)
    assert days.answer(question).hits[0].passage.doc_id == "monday"  # it says "trading"


def test_no_year_no_date() -> None:
    assert stories.question_dates("what may happen on october 7") == []


def test_a_day_without_a_year_picks_the_story_of_that_day(days: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    """Round 25 (story25): "on october 7" dates the story published that day, whatever its year."""
    question = "how much did bank shares fall in trading on october 7"
    assert stories.question_dates(question) == [] and stories.question_days(question) == [(10, 7)]
    assert days.answer(question).hits[0].passage.doc_id == "tuesday"  # as shipped
    monkeypatch.setattr(stories, "YEARLESS", False)
    assert days.answer(question).hits[0].passage.doc_id == "monday"  # it says "trading"


def test_the_days_a_question_names_without_a_year() -> None:
    assert stories.question_days("where did the dow close on feb 23") == [(2, 23)]
    assert stories.question_days("how much did the ftse drop on sept 17?") == [(9, 17)]
    assert stories.question_days("how much did the ftse fall on 24 october 2008") == []  # a year: question_dates
    assert stories.question_days("what happened in march") == []  # a month says too little
    assert stories.question_days("who is the ceo of gm") == []


def test_a_story_of_the_day_or_the_two_after() -> None:
    day = stories.after_day
    assert stories.YEARLESS_SLACK == dt.timedelta(days=2)
    assert day(dt.date(2009, 2, 23), 2, 23) and day(dt.date(2009, 2, 24), 2, 23) and day(dt.date(2009, 2, 25), 2, 23)
    assert not day(dt.date(2009, 2, 26), 2, 23) and not day(dt.date(2009, 2, 22), 2, 23)
    assert not day(dt.date(2007, 2, 27), 2, 23)  # another year's story, four days after (news set D's "feb 23")
    assert day(dt.date(2010, 1, 1), 12, 30)  # a story of the new year on the days after December 30
    assert day(dt.date(2008, 3, 1), 2, 29) and not day(dt.date(2009, 3, 1), 2, 29)  # no February 29 in 2009
