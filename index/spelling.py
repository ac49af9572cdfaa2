"""A question word that occurs nowhere in the articles: try a synonym, then a spelling fix.

Only out-of-vocabulary terms are touched, so a question that already matches the articles is
never rewritten. Synonyms come from the small hand-written `data/synonyms_en.txt`; the
spelling fix is the closest vocabulary term of similar length (difflib ratio >= CUTOFF),
looked up among terms sharing the first letter, a bucket built once per index.
"""

from __future__ import annotations

import difflib
import weakref
from functools import lru_cache
from importlib import resources

from . import tokens
from .bm25 import BM25

CUTOFF = 0.8
MIN_LENGTH = 4  # shorter terms have too many neighbours at edit distance 1
_buckets: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@lru_cache(maxsize=1)
def synonyms() -> dict[str, list[str]]:
    text = resources.files("index.data").joinpath("synonyms_en.txt").read_text(encoding="utf-8")
    groups: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            terms = list(dict.fromkeys(tokens.tokenize(line)))
            for term in terms:
                groups.setdefault(term, []).extend(t for t in terms if t != term)
    return groups


def _bucket(index: BM25, first: str) -> list[str]:
    by_first = _buckets.get(index)
    if by_first is None:
        by_first = {}
        for term in index.terms:
            if term and not term[0].isdigit():
                by_first.setdefault(term[0], []).append(term)
        _buckets[index] = by_first
    return by_first.get(first, [])


def fix(term: str, index: BM25) -> str | None:
    """A vocabulary term to use instead of the unknown `term`, or None."""
    for other in synonyms().get(term, ()):
        if other in index.vocab:
            return other
    if len(term) < MIN_LENGTH or term[0].isdigit():
        return None
    near = [t for t in _bucket(index, term[0]) if abs(len(t) - len(term)) <= 2]
    best = difflib.get_close_matches(term, near, n=1, cutoff=CUTOFF)
    return best[0] if best else None


def correct(query: list[str], index: BM25) -> tuple[list[str], set[str]]:
    """The query with unknown terms replaced where possible, and the replacements made."""
    out, replaced = [], set()
    for term in query:
        if term not in index.vocab:
            new = fix(term, index)
            if new is not None:
                replaced.add(new)
                term = new
        out.append(term)
    return out, replaced
