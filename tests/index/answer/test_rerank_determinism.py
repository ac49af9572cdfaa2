"""The rerank's features are the same floats in every process: a sum over a set of strings
(iterated in the order of the process's hash seed) was added up in that order (round 22, look22
found a learnt threshold one ulp apart between two runs)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from index.answer import rerank
from index.answer.query import Query


class _InOrder(frozenset):  # type: ignore[type-arg]
    """Pairs that meet another set in a given order, as a set of str does under some hash seed."""

    order: tuple[tuple[str, str], ...] = ()

    def __and__(self, other: Iterable[object]) -> list[tuple[str, str]]:  # type: ignore[override]
        seen = set(other)
        return [p for p in self.order if p in seen]


def _pairs(order: list[tuple[str, str]]) -> _InOrder:
    pairs = _InOrder(order)
    pairs.order = tuple(order)
    return pairs


def test_the_bigram_column_does_not_depend_on_the_order_a_set_iterates() -> None:
    terms = ("alpha", "beta", "gamma", "delta")
    # the three adjacent pairs weigh .1, .2 and .3: (.1 + .2) + .3 != (.3 + .2) + .1 in floats
    idf = {"alpha": 0.1, "beta": 0.1, "gamma": 0.3, "delta": 0.3}
    order = list(zip(terms, terms[1:], strict=False))
    base = Query("q", "q", None, frozenset(), terms, terms, (), idf, 1.0, 0.0, frozenset(order))
    text = "Alpha beta gamma delta."
    columns = [
        rerank.stage2(text, dataclasses.replace(base, pairs=_pairs(o)))[0][rerank.STAGE2.index("bigram")]
        for o in (order, order[::-1])
    ]
    assert columns[0] == columns[1]
