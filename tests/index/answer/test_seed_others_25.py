"""Round 25: other people's seed questions, a tenth blind part (seed_questions_others_j.tsv held
out); a British spelling the articles write the American way is read their way
(index.answer.british). docs/answers.md, seedq25."""

from __future__ import annotations

import pytest

from index.answer import british
from index.answer.query import prepare
from index.corpus import Corpus
from index.search import tokens


def _vocab(*words: str) -> set[str]:
    return {t for w in words for t in tokens.tokenize(w)}


@pytest.mark.parametrize(
    ("typed", "american"),
    [
        ("organisations", "organizations"),
        ("favouring", "favoring"),
        ("behaviour", "behavior"),
        ("organised", "organized"),
        ("analysed", "analyzed"),
        ("centre", "center"),
        ("defence", "defense"),
        ("catalogue", "catalog"),
        ("programme", "program"),
    ],
)
def test_a_british_spelling_is_read_as_the_articles_write_it(typed: str, american: str) -> None:
    assert british.american(typed, _vocab(american)) == american


def test_articles_in_british_spelling_are_read_as_typed() -> None:
    vocab = _vocab("organisations", "organizations")
    assert british.american("organisations", vocab) is None  # the articles hold the typed word
    assert british.read("chinese organisations", vocab) == "chinese organisations"
    assert british.american("travelled", _vocab("traveled")) is None  # the stemmer reads it already


@pytest.mark.parametrize("word", ["evidence", "colours", "hourly", "fourth", "sentence"])
def test_no_respelling_the_articles_lack(word: str) -> None:
    # "evidense", "colors", "horly", "forth" are no article word here: nothing is made up
    assert british.american(word, _vocab("evidence", "forth")) is None


def test_the_seed_reads_british_spellings(seed_corpus: Corpus) -> None:
    q = prepare("why are chinese organisations favouring local tools", seed_corpus.bm25)
    assert "chinese organizations favoring local tools" in q.text
    assert q.question == "why are chinese organisations favouring local tools"  # quoted as typed


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("why are chinese firms favouring homegrown tools", "increasingly favoring domestic"),
        ("is claude code checking for chinese organisations", "associated with Chinese organizations"),
    ],
)
def test_a_british_question_finds_its_sentence(
    seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch, typed: str, expected: str
) -> None:
    assert expected in seed_corpus.answer(typed).hits[0].passage.text
    monkeypatch.setattr(british, "BRITISH", False)
    assert expected not in seed_corpus.answer(typed).hits[0].passage.text
