"""The question is prepared once (index.answer.query), and the answer room reads the index only
through the Postings protocol (index.search.postings): an engine with nothing else answers the same.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pytest

from index.answer import answers, spelling
from index.answer import query as query_module
from index.answer import question as question_types
from index.answer.prior import Prior
from index.answer.query import prepare, with_prior
from index.corpus import Corpus
from index.search.bm25 import BM25
from index.search.postings import Postings

TYPO = "when does the ban take efect"  # a wh-question of 3+ terms (the last look reads it), a fix


def _counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    """Count the calls of `module.name` (a list holding one counter)."""
    calls = [0]
    real: Callable[..., Any] = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_a_question_is_prepared_once_per_answer_even_after_a_spelling_fix(
    seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    prepared = prepare(TYPO, seed_corpus.bm25)
    assert prepared.before is not None and "effect" in prepared.terms  # the fix happened
    assert prepared.kind == question_types.TIME
    made = _counting(monkeypatch, answers, "prepare")
    by_corpus = _counting(monkeypatch, query_module, "prepare")  # Corpus.answer prepares it first
    weighed = _counting(monkeypatch, query_module, "weigh")
    read = _counting(monkeypatch, question_types, "plain")
    fixed = _counting(monkeypatch, spelling, "correct")
    typed = _counting(monkeypatch, question_types, "expected_type")
    answer = seed_corpus.answer(TYPO)
    assert answer.hits and "take effect July 10" in answer.hits[0].passage.text
    assert made[0] + by_corpus[0] == 1 and read == [1] and fixed == [1] and typed == [1]
    assert weighed == [2]  # the terms as searched, and as typed (the abstention reads both)


def test_a_conversation_prepares_each_question_once(seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    conversation = seed_corpus.conversation()
    conversation.ask("when does the ban take effect")
    by_corpus = _counting(monkeypatch, query_module, "prepare")
    by_answer = _counting(monkeypatch, answers, "prepare")
    read = _counting(monkeypatch, question_types, "plain")
    conversation.ask("what year?")  # a follow-up: the last question's terms join it
    assert by_corpus[0] + by_answer[0] == 1 and read == [1]


def test_a_prior_joins_a_prepared_query_as_if_prepared_with_it(seed_corpus: Corpus) -> None:
    index = seed_corpus.bm25
    prior = Prior({0: 0.5}, ("alibaba", "ban"))
    joined = with_prior(prepare("what year did it efect", index), prior, index)
    assert joined == prepare("what year did it efect", index, prior)
    assert joined.terms[-2:] == ("alibaba", "ban") and joined.before is not None
    assert joined.before.terms[-2:] == ("alibaba", "ban")
    with pytest.raises(ValueError):
        with_prior(joined, prior, index)


class OnlyPostings:
    """A postings engine with the protocol's members and nothing else (BM25 behind it): any read
    of BM25's arrays by the answer room fails here.
    """

    def __init__(self, inner: BM25) -> None:
        self._inner = inner

    @property
    def n_docs(self) -> int:
        return self._inner.n_docs

    @property
    def vocab(self) -> Mapping[str, int]:
        return self._inner.vocab

    @property
    def terms(self) -> Sequence[str]:
        return self._inner.terms

    def term_idf(self, tid: int) -> float:
        return self._inner.term_idf(tid)

    def doc_freq(self, tid: int) -> int:
        return self._inner.doc_freq(tid)

    def doc_lengths(self) -> np.ndarray:
        return self._inner.doc_lengths()

    def postings(self, tid: int) -> tuple[np.ndarray, np.ndarray]:
        return self._inner.postings(tid)

    def doc_ids(self, tid: int) -> np.ndarray:
        return self._inner.doc_ids(tid)

    def weights_at(self, tid: int, positions: np.ndarray) -> np.ndarray:
        return self._inner.weights_at(tid, positions)

    def group_doc_freq(self, group_of: np.ndarray) -> np.ndarray:
        return self._inner.group_doc_freq(group_of)

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        return self._inner.scores(tokens)

    def top(self, tokens: Sequence[str], k: int = 10) -> tuple[np.ndarray, np.ndarray]:
        return self._inner.top(tokens, k)


@pytest.mark.parametrize(
    "question",
    [
        "when does the ban take effect",
        TYPO,
        "how many fraudulent accounts",
        "who reported the backdoor",
        "did alibaba ban claude",
        "what is the capital of france",
    ],
)
def test_an_engine_with_only_the_protocol_answers_the_same(seed_corpus: Corpus, question: str) -> None:
    engine: Postings = OnlyPostings(seed_corpus.bm25)
    names = seed_corpus.entities()
    want = answers.answer(question, seed_corpus.bm25, seed_corpus, 5, 1, names=names, stories=seed_corpus)
    got = answers.answer(question, engine, seed_corpus, 5, 1, names=names, stories=seed_corpus)
    assert got.to_json() == want.to_json()
    assert [h.score for h in got.hits] == [h.score for h in want.hits]  # bit for bit, not rounded


def test_group_doc_freq_counts_the_groups_holding_each_term() -> None:
    """The one bulk read the rerank needs (article and paragraph document frequencies)."""
    docs = [["a", "b"], ["a"], ["c"], ["a", "c"], ["b"], []]
    group_of = np.array([0, 0, 1, 1, 2, 2])
    engine = BM25.build(docs)
    got = engine.group_doc_freq(group_of)
    want = [len({int(group_of[d]) for d, doc in enumerate(docs) if term in doc}) for term in engine.terms]
    assert got.tolist() == want == [2, 2, 1]
