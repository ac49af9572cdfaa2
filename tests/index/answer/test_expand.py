"""Round 21: the neighbours of BM25's best sentences join the pool (rerank.expand), so an answer
sentence that says none of the question's words can still be ranked (SQuAD's MRR, docs/answers.md)."""

from __future__ import annotations

import numpy as np
import pytest

from index.answer import answers, rerank
from index.corpus import Corpus
from tests.conftest import corpus_of, jsonl_text

ARTICLES = [
    {
        "id": "tower",
        "title": "A tower in Paris",
        "text": "The iron tower was designed by the engineer Gustave Eiffel for a world fair.\n\n"
        "Eiffel's company built the iron tower on the Champ de Mars. It opened to visitors in March 1889. "
        "Crowds queued for hours.\n\n"
        "Critics wrote letters against it in the newspapers.",
    },
    {
        "id": "bridge",
        "title": "A bridge in Porto",
        "text": "Gustave Eiffel's company also built an iron bridge over the Douro.\n\nTrains crossed it for a century.",
    },
]
QUESTION = "when did eiffel's company build the iron tower"
ANSWER = "It opened to visitors in March 1889."


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    base = tmp_path_factory.mktemp("expand")
    return corpus_of(base, {"tower.jsonl": jsonl_text(ARTICLES)})


def _pid(corpus: Corpus, text: str) -> int:
    return next(p.pid for p in corpus.all_passages() if p.text == text)


def test_the_best_candidates_bring_their_paragraph_neighbours(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    built = _pid(corpus, "Eiffel's company built the iron tower on the Champ de Mars.")
    opened, crowds = _pid(corpus, ANSWER), _pid(corpus, "Crowds queued for hours.")
    designed = _pid(corpus, "The iron tower was designed by the engineer Gustave Eiffel for a world fair.")
    cand = np.array([built, designed], dtype=np.int64)
    got = rerank.expand(corpus.bm25, cand, corpus.layout)
    # the pool first, as it came; then the neighbours in the same paragraph only (not the
    # paragraph before: `designed` is alone in its own), each once, in id order
    assert got[:2].tolist() == [built, designed]
    assert got[2:].tolist() == sorted([opened, crowds])
    monkeypatch.setattr(rerank, "EXPAND", 1)
    assert rerank.expand(corpus.bm25, cand[::-1], corpus.layout).tolist() == [designed, built]
    monkeypatch.setattr(rerank, "EXPAND", 0)
    assert rerank.expand(corpus.bm25, cand, corpus.layout) is cand


def test_the_neighbours_take_the_last_places_of_a_full_pool(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    built = _pid(corpus, "Eiffel's company built the iron tower on the Champ de Mars.")
    opened, crowds = _pid(corpus, ANSWER), _pid(corpus, "Crowds queued for hours.")
    designed = _pid(corpus, "The iron tower was designed by the engineer Gustave Eiffel for a world fair.")
    bridge, trains = (_pid(corpus, t) for t in (ARTICLES[1]["text"].split("\n\n")))
    monkeypatch.setattr(rerank, "EXPAND", 1)
    full = np.array([built, designed, bridge, trains], dtype=np.int64)
    got = rerank.expand(corpus.bm25, full, corpus.layout, size=4)
    assert got.tolist() == [built, designed, opened, crowds]  # the same cost: 4 candidates
    # a neighbour BM25 already offered in the last places stays; the last other one makes room
    tail = np.array([built, designed, crowds, bridge], dtype=np.int64)
    assert rerank.expand(corpus.bm25, tail, corpus.layout, size=4).tolist() == [built, designed, crowds, opened]
    assert len(rerank.expand(corpus.bm25, full, corpus.layout, size=10)) == 6  # room left: nothing goes


def test_an_answer_without_the_questions_words_is_ranked(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    shown = [h.passage.text for h in corpus.answer(QUESTION, k=10).hits]
    assert ANSWER in shown
    monkeypatch.setattr(rerank, "EXPAND", 0)  # round 11-20's pool: BM25 never offers it
    assert ANSWER not in [h.passage.text for h in corpus.answer(QUESTION, k=10).hits]


def _support(corpus: Corpus, question: str) -> tuple[float, float, float, float, float, list[int]]:
    r = answers.rank(corpus.prepare(question), corpus.bm25, corpus, 10, stories=corpus)
    return r.cov_sentence, r.cov_context, r.concentration, r.score, r.gap, r.ids.tolist()


@pytest.mark.parametrize("question", [QUESTION, "who built the iron tower", "crowds at the tower"])
def test_the_abstention_reads_bm25s_own_candidates(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch, question: str
) -> None:
    *support, shown = _support(corpus, question)
    monkeypatch.setattr(rerank, "EXPAND", 0)
    *before, shown_before = _support(corpus, question)
    assert support == before  # coverage, consensus, score and lead as without the neighbours
    if question == QUESTION:
        assert shown != shown_before  # ... while the order shown has them


def test_offered_only_drops_the_joined_and_moves_the_typed_first_again(corpus: Corpus) -> None:
    query = corpus.prepare("how many visitors queued at the iron tower")  # a number: TYPE_FIRST
    doc = np.asarray(corpus.layout["doc"])
    a, b, c = (
        _pid(corpus, t)
        for t in (ANSWER, "Crowds queued for hours.", "Critics wrote letters against it in the newspapers.")
    )
    ids = np.array([a, b, c], dtype=np.int64)
    scored = rerank.Scored(ids, np.array([3.0, 2.0, 1.95]), np.ones(3), np.ones(3), np.array([True, False, True]))
    kept = answers.offered_only(scored, np.array([a]), query, doc)
    assert kept.ids.tolist() == [c, b]  # the one with a number within TYPE_MARGIN of the leader moves first
    assert answers.offered_only(scored, np.zeros(0, np.int64), query, doc) is scored


def _numpy_pooled(first: np.ndarray, cand: np.ndarray, size: int) -> tuple[list[int], list[int]]:
    """The pool as squad21 wrote it in numpy calls (the window clipped to the layout, then kept
    to the paragraph): the reference speed21's Python-int `pooled` must equal.
    """
    top = cand[: rerank.EXPAND].astype(np.int64)
    offsets = np.array([o for o in range(-rerank.WINDOW, rerank.WINDOW + 1) if o])
    win = np.clip(top[:, None] + offsets[None, :], 0, first[-1] - 1)
    par = np.searchsorted(first, np.concatenate([top, win.ravel()]), side="right") - 1
    near = set(win[par[len(top) :].reshape(win.shape) == par[: len(top), None]].tolist())
    extra = sorted(near.difference(cand.tolist()))
    over = len(cand) + len(extra) - max(len(cand), size)
    drop = [i for i in range(len(cand) - 1, rerank.EXPAND - 1, -1) if int(cand[i]) not in near][: max(over, 0)]
    return np.delete(cand, drop).tolist() + extra, extra


class _Index:
    """A stand-in index: `pooled` reads only the layout's runs (kept per index object)."""


@pytest.mark.parametrize("expand", [1, 3, 10])
def test_pooled_equals_the_numpy_reference(monkeypatch: pytest.MonkeyPatch, expand: int) -> None:
    # paragraphs of 1-5 sentences, articles of 1-4 paragraphs: the window crosses a paragraph's
    # and the layout's ends; pools of every fullness, neighbours already offered in the last places
    rng = np.random.default_rng(21)
    sizes = rng.integers(1, 6, 300)
    par = np.repeat(np.arange(len(sizes)), sizes)
    layout = np.zeros(len(par), dtype=[("doc", np.int32), ("paragraph", np.int32)])
    layout["doc"], layout["paragraph"] = par // 3, par % 3
    first = np.concatenate([[0], np.cumsum(sizes)])
    monkeypatch.setattr(rerank, "EXPAND", expand)
    index = _Index()
    for trial in range(400):
        n = int(rng.integers(1, 40))
        cand = rng.choice(len(par), n, replace=False).astype(np.int64)
        if trial % 3 == 0:  # the neighbours of the first in the pool's tail
            cand = np.array(list(dict.fromkeys([*cand.tolist(), *range(max(0, cand[0] - 2), cand[0] + 3)]))[:n])
            cand = cand[cand < len(par)]
        size = int(rng.integers(1, 50))
        got, joined = rerank.pooled(index, cand, layout, size)  # type: ignore[arg-type]
        want, extra = _numpy_pooled(first, cand, size)
        if not extra:
            assert got is cand and not len(joined)
            continue
        assert got.tolist() == want and joined.tolist() == extra
        assert got.dtype == joined.dtype == np.int64
