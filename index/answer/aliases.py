"""Names said another way: a question's "GM" also finds sentences that say "General Motors".

The entity index (index.entity_index) merges the surface forms of one entity across the
corpus (`General Motors Corporation`, `General Motors`, `GM`). A question that names an
entity by one form should find sentences that use another. For every run of up to MAX_WORDS
words of the question that the entity index knows, each of the run's terms is found where
the term itself is, or where every term of another of the entity's forms is (a sentence
holding `general` and `motors` counts as holding `gm`). The result is, per question term, the
sorted passages that hold it only through another form (index.rerank reads them beside the
term's own postings), and the other forms' terms, which widen BM25's candidates. Every list is
read by binary searches of the shortest one's passages (index.answer.sorted_ids): at 10M
sentences a form's common word ("new", "united") holds millions of passages.
"""

from __future__ import annotations

from collections.abc import Sized
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

import numpy as np

from index.answer import derived
from index.answer.query import Query
from index.answer.sorted_ids import holds
from index.search import tokens
from index.search.live_ids import SkippingIds
from index.search.postings import Postings

MAX_WORDS = 4  # longest run of question words looked up as a name
MAX_FORMS = 6  # forms of one entity considered (most entities have one to three)
CACHE_SIZE = 4096  # forms whose sentences are kept per index
ELSEWHERE_IDS = 1 << 23  # sentence ids (8 bytes each) kept per index by `held_elsewhere`
RUN_CACHE_SIZE = 65_536  # runs of question words looked up, kept per entity index


class Names(Protocol):
    """What is read of the entity index: an entity by name or alias."""

    def get(self, name: str) -> _Entity | None:
        """The entity called `name` or with `name` as an alias, if any."""
        ...


class _Entity(Protocol):
    name: str
    aliases: list[str]


@dataclass(frozen=True, slots=True)
class Aliases:
    """Per question term, the sorted passages holding it through another name of the same
    entity and not by itself (none of its own postings); and the terms of those other names
    (for candidate retrieval only).
    """

    elsewhere: dict[str, np.ndarray] = field(default_factory=dict)
    extra_terms: tuple[str, ...] = ()


NONE = Aliases()


_EMPTY = np.zeros(0, dtype=np.int64)


def _doc_ids(index: Postings, term: str) -> np.ndarray | SkippingIds:
    """The term's passages, ascending (a view of the engine's list; empty for an unknown term)."""
    tid = index.vocab.get(term)
    return _EMPTY if tid is None else index.doc_ids(tid)


def _holding_all(index: Postings, terms: list[str]) -> np.ndarray:
    """Sentences holding every one of `terms` (sorted int64); kept per index, since the same few
    names come back question after question. The shortest list is copied and searched for in
    the others: proportional to it, not to the longest.
    """
    key = tuple(sorted(set(terms)))
    cache = derived.of(index).holding
    out = cache.get(key)
    if out is not None:
        return out
    lists = sorted((_doc_ids(index, t) for t in key), key=len)
    out = lists[0].astype(np.int64) if lists else _EMPTY
    for other in lists[1:]:
        if not len(out):
            break
        out = out[holds(other, out)]
    if len(cache) >= CACHE_SIZE:
        cache.clear()
    cache[key] = out
    return out


def held_elsewhere(index: Postings, term: str, forms: tuple[tuple[str, ...], ...]) -> np.ndarray:
    """The sentences holding every term of one of `forms` and not `term` (sorted int64), kept
    per index up to ELSEWHERE_IDS ids in all: a common name's other forms ("America", "US") hold
    millions of sentences at 10M, and the same names come back question after question.
    """
    cache = derived.of(index).elsewhere
    key = (term, *forms)
    kept = cache.get(key)
    if kept is not None:
        return kept
    held = [_holding_all(index, list(f)) for f in forms]
    widened = held[0] if len(held) == 1 else np.unique(np.concatenate(held))  # each sorted and unique
    out: np.ndarray = widened[~holds(_doc_ids(index, term), widened)]
    if len(cache) >= CACHE_SIZE or sum(map(len, cache.values())) + len(out) > ELSEWHERE_IDS:
        cache.clear()
    cache[key] = out
    return out


@lru_cache(maxsize=65536)
def _terms_of(run: str) -> tuple[str, ...]:
    """The index terms of a run of question words: the same short runs ("who is", "the
    first") come back question after question, and `find` reads every run of up to MAX_WORDS.
    """
    return tuple(tokens.tokenize(run))


_looked_up: derived.Kept[dict[str, _Entity | None]] = derived.Kept(dict)


def _entity(names: Names, run: str) -> _Entity | None:
    """`names.get(run)`, kept per entity index (an entity index never changes; a corpus that
    changes makes a new one): a question reads up to 4 x its words runs, about thirty look-ups,
    each normalising its run twice, and runs ("who is", "super bowl") come back question after
    question.
    """
    known = _looked_up.of(names)
    if known is None:  # not weakly referable: looked up every time
        return names.get(run)
    if run in known:
        return known[run]
    if len(known) >= RUN_CACHE_SIZE:
        known.clear()
    found = known[run] = names.get(run)
    return found


def find(index: Postings, names: Names | None, query: Query) -> Aliases:
    """Where the question terms that name an entity by one of its forms are held by another form."""
    if names is None or (isinstance(names, Sized) and not len(names)):
        return NONE  # no entity index, or an empty one (a corpus indexed without its names layer)
    words = query.text.split()
    wanted = set(query.terms)
    elsewhere: dict[str, np.ndarray] = {}
    extra: list[str] = []
    n = len(words)
    for size in range(min(MAX_WORDS, n), 0, -1):
        for start in range(n - size + 1):
            run = " ".join(words[start : start + size]).strip(" ?!.,;:\"'()")
            run_terms = [t for t in _terms_of(run) if t in wanted and t not in elsewhere]
            if not run_terms:
                continue
            entity = _entity(names, run)
            if entity is None:
                continue
            forms = [entity.name, *entity.aliases][:MAX_FORMS]
            others = [list(_terms_of(f)) for f in forms]
            others = [o for o in others if o and not set(o) & set(run_terms)]
            if not others:
                continue
            forms_key = tuple(tuple(sorted(set(o))) for o in others)
            if not any(len(_holding_all(index, list(o))) for o in forms_key):
                continue
            for term in run_terms:
                elsewhere[term] = held_elsewhere(index, term, forms_key)
            extra += [t for o in others for t in o if t not in wanted]
    return Aliases(elsewhere, tuple(dict.fromkeys(extra)))


__all__ = ["Aliases", "NONE", "Names", "find"]
