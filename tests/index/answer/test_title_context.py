"""Round 20: the title is every sentence's context, so a lede that repeats it does not win by that alone."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pytest

from index.answer import answers, rerank, stories
from index.corpus import Corpus
from tests.conftest import corpus_of, jsonl_text

ARTICLES = [
    {
        "id": "corps",
        "title": "Apple Corps loses court case against Apple Computer",
        "text": "The Beatles' label Apple Corps lost its court case against Apple Computer today in the High Court.\n\n"
        "The judge said the logo was used for a store, not for music.\n\n"
        "The song played in court during the demonstration was Le Freak by Chic.\n\n"
        "The label will appeal.",
    },
    {
        "id": "phone",
        "title": "Apple sells a new phone",
        "text": "Apple Computer sold a million phones.\n\nThe song charts were full of its adverts.",
    },
    {
        "id": "court",
        "title": "A court rules on music sales",
        "text": "A court in London ruled that a song may be sold online.\n\nThe label welcomed the ruling.",
    },
]
QUESTION = "what song did apple corps play in court"
ANSWER = "The song played in court"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    base = tmp_path_factory.mktemp("titles")
    return corpus_of(base, {"apple.jsonl": jsonl_text(ARTICLES)})


@pytest.fixture
def weight(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[float], None]]:
    """Set the title column's weight for one test (restored after it)."""

    def set_to(w: float) -> None:
        monkeypatch.setitem(rerank.WEIGHTS, "title", w)
        rerank.reload()

    yield set_to
    monkeypatch.undo()
    rerank.reload()


def test_the_shipped_weight() -> None:
    assert rerank.WEIGHTS["title"] == rerank.TITLE == 0.35


def test_the_answer_deeper_in_the_story_beats_the_lede_repeating_the_title(
    corpus: Corpus, weight: Callable[[float], None]
) -> None:
    assert corpus.answer(QUESTION).hits[0].passage.text.startswith(ANSWER)
    weight(0.0)
    first = corpus.answer(QUESTION).hits[0].passage
    assert first.doc_id == "corps" and first.text.startswith("The Beatles")  # the lede, as before round 20


def test_title_rows_name_the_articles_whose_title_holds_each_term(corpus: Corpus) -> None:
    query = corpus.prepare(QUESTION)
    ids = np.array([p.pid for p in corpus.all_passages()])
    rows = stories.title_rows(query, ids, corpus.layout["doc"], corpus)
    titled = {term: sorted(corpus.doc_id_of_row(int(r)) for r in got) for term, got in rows.items()}
    assert titled["corp"] == ["corps"]
    assert titled["court"] == ["corps", "court"]
    assert "song" not in titled and "play" not in titled


def test_the_column_reads_only_terms_the_sentence_lacks(corpus: Corpus) -> None:
    query = corpus.prepare(QUESTION)
    pids = [p.pid for p in corpus.passages_of("corps")]
    titled = stories.title_rows(query, np.array(pids), corpus.layout["doc"], corpus)
    F, *_ = rerank.features(corpus.bm25, query, np.array(pids), corpus.layout, full=True, titled=titled)
    title = F[:, rerank.STAGE1.index("title")]
    assert title[0] == 0  # the lede says every title term of the question itself
    assert title[2] > 0  # the answer lacks "apple" and "corps", which the title says


def _support(corpus: Corpus) -> tuple[float, float, float, float, float]:
    r = answers.rank(corpus.prepare(QUESTION), corpus.bm25, corpus, 3, stories=corpus)
    return r.cov_sentence, r.cov_context, r.concentration, r.score, r.gap


def test_the_abstention_reads_the_order_without_the_title(
    corpus: Corpus, weight: Callable[[float], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    with_title = _support(corpus)
    weight(0.0)
    assert _support(corpus) == with_title
    weight(0.35)
    monkeypatch.setattr(answers, "TITLE_DECIDES", True)  # reading the new leader: it says less of the question
    assert _support(corpus)[0] < with_title[0]


BARRA = [
    {
        "id": "barra",
        "title": "Mary Barra named chief of General Motors",
        "text": "General Motors today named Mary Barra as its new chief executive.\n\n"
        "Barra has worked at the firm for 33 years in engineering.\n\n"
        "She will replace Dan Akerson in January.",
    },
    {
        "id": "ford",
        "title": "Ford sales rise",
        "text": "Ford sold more cars in March.\n\nThe chief executive of Ford praised the workers.",
    },
    {
        "id": "cars",
        "title": "Car sales in Europe",
        "text": "Car sales in Europe fell for the sixth year.\n\nEngineering jobs were cut.",
    },
]
AGE = "how old is mary barra the engineer"  # the articles never give her age


@pytest.fixture(scope="module")
def barra(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    base = tmp_path_factory.mktemp("barra")
    return corpus_of(base, {"barra.jsonl": jsonl_text(BARRA)})


def test_a_number_the_title_lifted_does_not_lift_the_number_veto(
    barra: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = barra.answer(AGE)
    assert a.hits[0].passage.text.startswith("Barra has worked")  # lifted over the lede by the title
    assert a.abstained and a.reason == answers.NO_NUMBER  # the lede, which the support reads, gives no age
    monkeypatch.setattr(answers, "shown_typed", lambda *args: True)  # the veto reading the shown sentence only
    assert not barra.answer(AGE).abstained


def test_a_long_article_s_title_is_not_its_sentences_context(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rerank, "TITLE_STORY", 3)  # "corps" has four sentences: a reference article, not a story
    assert corpus.answer(QUESTION).hits[0].passage.text.startswith("The Beatles")
    monkeypatch.setattr(rerank, "TITLE_STORY", 4)
    assert corpus.answer(QUESTION).hits[0].passage.text.startswith(ANSWER)
