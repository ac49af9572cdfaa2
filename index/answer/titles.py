"""Story evidence from titles: a sentence gains when its article's title says the question.

A title names what the whole story is about ("GM files for bankruptcy"), and its words are
rarely repeated in the sentence that answers ("The company listed debts of $172.8 billion").
Each candidate gains TITLE x the share of the question's idf mass whose terms are in its
article's title; every sentence of one article gains the same, so this moves stories, not
sentences within one (a one-article corpus is unchanged). Titles are read through the
corpus (`title_of`, by article row) and their terms cached by text.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np

from index.answer import rerank
from index.search import tokens
from index.search.bm25 import BM25

TITLE = 0.5  # weight of the title's share of the question (chosen on news set A: docs/answers.md)


@lru_cache(maxsize=65536)
def title_terms(title: str) -> frozenset[str]:
    """The index terms of a title."""
    return frozenset(tokens.tokenize(title))


def title_bonus(
    index: BM25, query: list[str], ids: np.ndarray, doc_col: np.ndarray, title_of: Callable[[int], str] | None
) -> np.ndarray:
    """Per candidate, TITLE x the idf share of the question found in its article's title."""
    out = np.zeros(len(ids))
    if title_of is None or not TITLE or not len(ids):
        return out
    known, mass, _ = rerank.query_weights(index, query)
    if not mass:
        return out
    weight = {index.terms[tid]: max(float(index.idf[tid]), 0.0) * count for tid, count in known}
    docs, inverse = np.unique(np.asarray(doc_col)[ids], return_inverse=True)
    share = np.array(
        [sum(w for t, w in weight.items() if t in title_terms(title_of(int(d)))) / mass for d in docs.tolist()]
    )
    return TITLE * share[inverse]


__all__ = ["TITLE", "title_bonus", "title_terms"]
