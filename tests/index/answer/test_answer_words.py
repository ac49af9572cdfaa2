"""The learnt answer-words column: inside the right story, the sentence that holds what the
question asks for beats the lede that only repeats the question's words."""

from __future__ import annotations

import json

import pytest

from index.answer import answer_words, rerank
from index.corpus import Corpus

STORY = {  # both sentences hold the question's words and a number: only the kind of number differs
    "id": "barra",
    "title": "A new chief",
    "text": (
        "General Motors named Mary Barra, who was paid $4.5 million last year, as its new chief executive.\n\n"
        "The carmaker said the move follows a long search.\n\n"
        "Mary Barra is 51 and has spent her whole career at the carmaker."
    ),
}
QUESTION = "how old is mary barra"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    base = tmp_path_factory.mktemp("answer_words")
    seeds = base / "seeds"
    seeds.mkdir()
    (seeds / "gm.jsonl").write_text(json.dumps(STORY) + "\n", encoding="utf-8")
    return Corpus.open(seeds, base / "index")


def test_cues_read_how_the_question_asks() -> None:
    assert answer_words.cues("How old is Mary Barra?") == ("how old", "how")
    assert answer_words.cues("so when did the ban start") == ("when",)
    assert answer_words.cues("did alibaba ban claude") == ("none",)
    assert answer_words.cues("how flimsy is it", frozenset({"how old"})) == ("how",)


def test_features_are_shapes_and_words_beyond_the_question() -> None:
    feats = answer_words.sentence_features("Barra, 51, joined GM in 1980 for $5 and 3%.", frozenset({"barra"}))
    assert {"#small", "#num", "#year", "#money", "#pct", "#cap", "joined"} <= feats
    assert "barra" not in feats
    assert "joined" not in answer_words.sentence_features("Barra joined GM.", words=False)


def test_the_shipped_model_learnt_what_each_question_wants() -> None:
    m = answer_words.model()
    assert m is not None
    assert m.weights["how old"]["#small"] > 0.5
    assert m.weights["when"]["#year"] > 0.5
    assert m.weights["who"]["#cap"] > 0.5
    assert m.score("how old is mary barra", "Barra is 51.") > m.score("how old is mary barra", "Barra is the chief.")


def test_a_damaged_model_is_refused() -> None:
    with pytest.raises(ValueError):
        answer_words.from_json({"format": "other", "weights": {}})


def _first(corpus: Corpus) -> str:
    hits = corpus.answer(QUESTION, k=3).hits
    return hits[0].passage.text if hits else ""


def test_the_age_beats_the_lede_that_repeats_the_question(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _first(corpus).startswith("Mary Barra is 51")
    monkeypatch.setitem(rerank.WEIGHTS, "lex", 0.0)
    rerank.reload()
    try:
        assert _first(corpus).startswith("General Motors named")
    finally:
        monkeypatch.undo()
        rerank.reload()
