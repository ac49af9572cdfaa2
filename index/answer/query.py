"""A question prepared once: the `Query` every stage of the answer reads.

Ranking a question needs its kind (index.answer.question), the frame nouns of "what year" to
leave out, its index terms before and after spelling fixes, what a conversation carries
(index.answer.prior), each known term's idf, the idf mass, and the adjacent term pairs. These
were worked out again by the rerank, its second pass, the story evidence and the last look;
`prepare` now makes them once, and the stages read the frozen value it returns.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import numpy as np

from index.answer import british, chatforms, compounds, numwords, phrasal, spelling
from index.answer import question as question_types
from index.answer.prior import Prior, with_terms
from index.models import QuestionError
from index.search import tokens
from index.search.postings import Postings

MAX_QUESTION_CHARS = 1000
SPELLING = True  # unknown question words: synonym, then nearest vocabulary term
# Round 25 (bgidf25): the abstention's coverage weighs a question word at most its idf in general
# news plus LIFT (`background`), so a word common anywhere ("get", "came", "happen") cannot make a
# small corpus abstain; the search and the ranking keep the corpus's own idf.
BACKGROUND = True
# Added to the background's idf (per paragraph or story) before it caps a sentence's idf: chosen on
# the tune parts (news A and D, SQuAD 0-11 with the bar re-fitted to keep its 89 answerable
# abstentions, seed A-I), the only value that lost nothing there. Held out it lost nothing and
# withheld fewer answers (SQuAD 12-23, the off-corpus proxy) while abstaining on as many or more
# unanswerable questions (news B+C+E, the off-corpus proxy): docs/answers.md, round 25, bgidf25.
LIFT = 2.0


class Known(NamedTuple):
    """A query term the index holds: its id, how often the query says it (a conversation's carried
    term counts as a share of once: `Prior.carried`), its idf (floored at 0).
    """

    term: str
    tid: int
    times: float
    weight: float


@dataclass(frozen=True, slots=True)
class Query:
    """Everything the ranking reads of one question, made by `prepare` (never by hand)."""

    question: str  # the question as asked, cleaned (what the answer quotes back)
    text: str  # the question as analysis reads it (question.plain, chatforms.read, british.read, compounds.read,
    #           numwords.read, phrasal.read)
    kind: str | None  # TIME, NUMBER, PERSON, PLACE or None (index.answer.question)
    frame: frozenset[str]  # frame nouns of "what year" / "how many", left out of `terms`
    words: tuple[str, ...]  # every index term of `text`
    terms: tuple[str, ...]  # what is searched: words without the frame nouns (unless that leaves
    #                         none), spelling fixed, then the terms a conversation carries
    known: tuple[Known, ...]  # the terms the index holds, in first-seen order
    idf: Mapping[str, float]  # the engine's idf of each known term (not floored)
    mass: float  # idf mass of the known terms (counts included)
    unknown: float  # weight of the terms the index lacks (each weighs the most an idf can)
    pairs: frozenset[tuple[str, str]]  # adjacent distinct terms
    prior: Prior | None = None  # what a conversation carries (stories and terms)
    before: Query | None = None  # the same question before spelling fixes (None: nothing fixed)

    @property
    def as_typed(self) -> Query:
        """The query before spelling fixes (itself when nothing was fixed)."""
        return self.before or self

    @property
    def own(self) -> tuple[str, ...]:
        """The question's own terms (unknown ones too), without frame nouns, once each."""
        return tuple(dict.fromkeys(t for t in self.words if t not in self.frame))


def clean_question(question: str) -> str:
    """Drop control and format characters, collapse whitespace; reject empty or huge input."""
    if not isinstance(question, str):
        raise QuestionError("The question must be text.")
    # Printable ASCII holds none of those categories (the usual question: no pass per character).
    kept = (
        question
        if question.isascii() and question.isprintable()
        else "".join(
            " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
            for ch in question
            if unicodedata.category(ch) not in ("Cf", "Cs", "Co", "Cn")
        )
    )
    cleaned = " ".join(kept.split())
    if not cleaned:
        raise QuestionError("The question is empty: type a few words about the articles.")
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"The question is {len(cleaned):,} characters long; please keep it under {MAX_QUESTION_CHARS:,}."
        )
    return cleaned


def prepare(question: str, index: Postings, prior: Prior | None = None) -> Query:
    """The one preparation of a question (raises QuestionError for an empty or huge one)."""
    cleaned = clean_question(question)
    text = british.read(chatforms.read(question_types.plain(cleaned), index), index.vocab)
    text = phrasal.read(numwords.read(compounds.read(text, index), index.vocab), index.vocab)
    frame = frozenset(question_types.frame_terms(text))
    words = tokens.tokenize(text)
    typed = [t for t in words if t not in frame] or words
    spelt = spelling.correct(typed, index)[0] if SPELLING else typed
    kind = question_types.expected_type(text)
    return _weighed(cleaned, text, kind, frame, tuple(words), spelt, typed, prior, index)


def with_prior(query: Query, prior: Prior | None, index: Postings) -> Query:
    """`query` (prepared without a prior) with what a conversation carries (its terms searched
    too): the text is not read again.
    """
    if prior is None:
        return query
    if query.prior is not None:
        raise ValueError("the query already carries a prior")
    typed = list(query.as_typed.terms)
    return _weighed(
        query.question, query.text, query.kind, query.frame, query.words, list(query.terms), typed, prior, index
    )


def _weighed(
    question: str,
    text: str,
    kind: str | None,
    frame: frozenset[str],
    words: tuple[str, ...],
    spelt: list[str],
    typed: list[str],
    prior: Prior | None,
    index: Postings,
    fixes: Mapping[str, str] | None = None,
) -> Query:
    terms = with_terms(spelt, prior)
    before = None
    if spelt != typed:  # the as-typed query weighs each fixed word as its fix (see `weigh`)
        fixed = {t: s for t, s in zip(typed, spelt, strict=True) if t != s}
        before = _weighed(question, text, kind, frame, words, typed, typed, prior, index, fixed)
    shares = _carried_share(spelt, terms[len(spelt) :], prior, index)
    known, idf, mass, unknown = weigh(terms, index, fixes, shares)
    pairs = frozenset((a, b) for a, b in zip(terms, terms[1:], strict=False) if a != b)
    return Query(question, text, kind, frame, words, tuple(terms), known, idf, mass, unknown, pairs, prior, before)


def _carried_share(
    own: Sequence[str], carried: Sequence[str], prior: Prior | None, index: Postings
) -> dict[str, float]:
    """How much of once each carried term counts: their idf mass scaled to at most `prior.carried`
    of the question's own known mass, so that a sentence holding the follow-up's own words beats
    one holding only the carried ones ("how long is the detour?" after the repairs' cost). A
    follow-up with no known word of its own ("when?") carries them whole.
    """
    if prior is None or not carried or prior.carried == float("inf"):
        return {}

    def mass(terms: Sequence[str]) -> float:
        return sum(max(index.term_idf(index.vocab[t]), 0.0) for t in dict.fromkeys(terms) if t in index.vocab)

    own_mass, carried_mass = mass(own), mass(carried)
    if own_mass <= 0 or carried_mass <= prior.carried * own_mass:
        return {}
    share = prior.carried * own_mass / carried_mass
    return dict.fromkeys(carried, share)


def top_idf(index: Postings) -> float:
    """The most an idf can be in `index`, log((N + .5) / .5): an unknown word's weight (1 when empty)."""
    return float(np.log((index.n_docs + 0.5) / 0.5)) if index.n_docs else 1.0


def unknown_weight(term: str, index: Postings, fixes: Mapping[str, str] | None, top: float) -> float:
    """An unknown `term`'s weight: `top` (`top_idf`), or the idf of the vocabulary term `fixes`
    names in its place (spelling's stand-in), as `weigh` and `background` weigh it.
    """
    stand_in = index.vocab.get(fixes[term]) if fixes and term in fixes else None
    return top if stand_in is None else max(index.term_idf(stand_in), 0.0)


def weigh(
    terms: Sequence[str],
    index: Postings,
    fixes: Mapping[str, str] | None = None,
    shares: Mapping[str, float] | None = None,
) -> tuple[tuple[Known, ...], dict[str, float], float, float]:
    """The known terms (first-seen order), their idf, their idf mass, and the mass of unknown terms.

    An unknown term weighs the most an idf can, log((N + .5) / .5), unless `fixes` names the
    vocabulary term spelling put in its place: then it weighs that term's idf; an unknown light
    word ("still", "get": index.answer.spelling.is_light) weighs nothing. The as-typed
    query (what the abstention reads beside the fixed one) would otherwise count a typo at a
    weight that grows with the corpus, so adding unrelated articles moved its coverage.
    `shares`: terms that count as this share of one occurrence (a conversation's carried terms).
    """
    top = top_idf(index)
    known: list[Known] = []
    idf: dict[str, float] = {}
    unknown = 0.0
    for term, count in Counter(terms).items():
        tid = index.vocab.get(term)
        if tid is None:
            if spelling.is_light(term):
                continue
            unknown += unknown_weight(term, index, fixes, top) * count
            continue
        idf[term] = index.term_idf(tid)
        times = count * shares[term] if shares and term in shares else count
        known.append(Known(term, tid, times, max(idf[term], 0.0)))
    if known and not any(k.weight for k in known):
        # Every known word is in most passages (a corpus of one short article: rank-bm25's idf is
        # negative, floored at a negative share of its mean), so none would weigh and every
        # coverage would be nothing: "when did the pier reopen" abstained on "The pier reopened
        # on Thursday". Equal weights let the coverages say which of the words a sentence holds.
        known = [k._replace(weight=1.0) for k in known]
    return tuple(known), idf, sum(k.weight * k.times for k in known), unknown


@lru_cache(maxsize=1)
def background_idf() -> dict[str, float]:
    """Index term -> its idf in general news and prose (`index/data/background_idf.txt`, made by
    `tools.make_background_idf`; a term rare there is not listed).
    """
    text = resources.files("index.data").joinpath("background_idf.txt").read_text(encoding="utf-8")
    out: dict[str, float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            term, idf = line.split("\t")
            out[term] = float(idf)
    return out


def background(
    query: Query,
    index: Postings,
    fixes: Mapping[str, str] | None = None,
    inflections: Callable[[str], Sequence[str]] = lambda term: (),
) -> Query:
    """`query` with each word's weight capped at its background idf + LIFT (what the abstention's
    coverage reads; a word the background does not list keeps its weight). An unknown word's weight
    is capped too, unless one of its `inflections` (do_support.forms_of: do-support weighed it in
    its place) is among the known terms. `fixes`: the spelling fixes `query` was weighed with (the
    as-typed query's), as `weigh` takes.
    """
    table = background_idf()
    known = tuple(k._replace(weight=min(k.weight, table[k.term] + LIFT)) if k.term in table else k for k in query.known)
    top = top_idf(index)
    held = {k.term for k in query.known}
    less = 0.0
    for term, count in Counter(query.terms).items():
        if term in index.vocab or term not in table or spelling.is_light(term):
            continue
        if any(f in held for f in inflections(term)):
            continue
        less += count * max(unknown_weight(term, index, fixes, top) - table[term] - LIFT, 0.0)
    mass = sum(k.weight * k.times for k in known)
    return replace(query, known=known, mass=mass, unknown=max(query.unknown - less, 0.0))


__all__ = [
    "MAX_QUESTION_CHARS",
    "SPELLING",
    "BACKGROUND",
    "LIFT",
    "background",
    "background_idf",
    "clean_question",
    "Known",
    "Query",
    "prepare",
    "top_idf",
    "unknown_weight",
    "weigh",
    "with_prior",
]
