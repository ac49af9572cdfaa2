"""Related terms: WordNet synonyms and derivationally related forms of a question term.

"where did the traders *bring* the plague" is answered by "the traders fled, *taking* the
plague by ship into Sicily". The reranker (feature `rel`) counts part of a question term's
weight when a sentence lacks the term but holds a related one. The list is
`data/related_en.txt`, derived from WordNet 3.0 by `python -m tools.make_related` (terms are
index.search.tokens stems, so no lemmatiser is needed at query time).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np

from index.answer import derived
from index.search.postings import Postings

_NONE = np.zeros(0, dtype=np.int64)


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """Stem -> its related stems, space-separated (the shipped list, read once; kept as one
    string a term, about 5 MB, where tuples of strings would take 18 MB).
    """
    text = resources.files("index.data").joinpath("related_en.txt").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            term, _, others = line.partition(" ")
            out[term] = others
    return out


def related_of(term: str) -> tuple[str, ...]:
    """The stems related to the stem `term` (empty if none)."""
    return tuple(_table().get(term, "").split())


def related_ids(index: Postings, term_id: int) -> np.ndarray:
    """Vocabulary ids of the terms related to `term_id` that occur in the index (cached)."""
    per_index = derived.of(index).related
    got = per_index.get(term_id)
    if got is None:
        others = related_of(index.terms[term_id])
        got = np.array([index.vocab[t] for t in others if t in index.vocab], dtype=np.int64) if others else _NONE
        per_index[term_id] = got
    return got


__all__ = ["related_ids", "related_of"]
