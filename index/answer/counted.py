"""The number of the thing asked (round 27, count27): "how many workers" is answered by a number
*of* workers.

Round 26 (abst26) found the largest class of on-topic questions answered on news sets G and D to
be a number of another thing: the number veto (round 18) takes any number, so "how many workers
does bethlehem steel employ" answers with "a 54% drop". Here a number counts for a question with a
counted noun ("how many *workers*", "how much *oil*", "the number of *jobs*") only when that noun,
or a word `related` to it, stands next to it in the sentence ("1,200 workers", "12 of its
workers", "workers, 1,200 of them"): at most NEAR words away, with no clause mark (.;:!?()) and no
other number between them. Two uses, each its own switch:
- COUNT_RANK: the rerank's stage-2 type bonus (`rerank.refine`) counts only attached numbers.
- COUNT_VETO: the question abstains (`answers.NO_COUNT`) when the sentence shown holds no number
  of the thing asked (the number veto already passed it: it holds some number).
A question with no counted noun ("how much did gm earn", "how many were killed", "how many
people") keeps round 18's reading. Linear in the sentence; no tagger.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from index.answer import related
from index.answer.query import Query
from index.search import tokens

COUNT_RANK = False  # held out news +2 right and answered, but seed A falls under its floor (count27: off)
COUNT_VETO = False  # held out it withholds 5 right news answers for 7 abstentions (measured, off)
NEAR = 3  # words (stopwords free) from a number to its noun, either side
WALK = 8  # ... and at most this many words, stopwords counted
PREFIX = 4  # a stem this long that starts another names the same thing
TYPO = 5  # ... and one this long a letter from another

# The words after "how many" / "how much" / "number of", up to the first word that ends the noun
# phrase (an auxiliary, a preposition, a question word...): "how many new *cars* did gm sell".
# Not "how much of its production" (a share of it: "30% of its North American production").
_ASK = re.compile(
    r"\b(?:(?:how|hw|hwo)\s+(?P<much>much)(?!\s+of\b)|(?:how|hw|hwo)\s+(?:many|mny|manny)|(?:number|amount)\s+of)"
    r"\s+(?:of\s+(?:the|its|their|his|her|our|those|these)\s+)?(?P<phrase>(?:[a-z][\w'-]*\s*){1,4})"
)
_ENDS = frozenset(
    "do does did is are was were be been being have has had will would can could should shall may might must "
    "there of in on at to for from by with per as than that which who whom whose when where why how "
    "a an the this these those it its they their he she his her we you i and or but not".split()
)
# Nouns that count anything (news says "12 killed", "3 dead"), and money, which the money veto reads.
GENERIC = frozenset(
    "people ppl persons person times thing things ones one money cash dollars dollar much many more".split()
)

# A noun that counts whatever the story is about ("selling over 7,500,000 units"): of any thing.
COUNTERS = frozenset(tokens.tokenize("units"))


@dataclass(frozen=True, slots=True)
class Counted:
    """What a question counts: the terms that name it, and whether it asks "how much" (then an
    amount of money is a measure of it: "how much debt" over "$34.3 billion").
    """

    nouns: frozenset[str]
    much: bool


@lru_cache(maxsize=1024)
def reading(question: str) -> Counted | None:
    """What the question counts or measures: every word of the phrase after "how many" / "how
    much" / "number of" (no tagger says which is the noun: "the number of jobs cut") and the last
    one's `related` terms ("workers" -> "work"); None when it counts no particular thing.
    """
    m = _ASK.search(tokens.normalise(question))
    if not m:
        return None
    words: list[str] = []
    for w in m.group("phrase").split():
        if w in _ENDS:
            break
        words.append(w)
    if not words or words[-1] in GENERIC or words[-1].endswith("ed"):  # "how many died": no noun
        return None
    head = tokens.tokenize(words[-1])
    if not head:
        return None
    nouns = frozenset(tokens.tokenize(" ".join(words))) | frozenset(related.related_of(head[0])) | COUNTERS
    return Counted(nouns, bool(m.group("much")))


def of_query(query: Query) -> Counted | None:
    """`reading` of the question, its words' spelling fixes added ("dealerhsips" -> "dealership")."""
    got = reading(query.text)
    if got is None or query.before is None:
        return got
    fixes = {b: t for b, t in zip(query.before.terms, query.terms, strict=False) if b != t and b in got.nouns}
    if not fixes:
        return got
    more = set(fixes.values()).union(*(related.related_of(t) for t in fixes.values()))
    return Counted(got.nouns | more, got.much)


def noun_terms(question: str) -> frozenset[str]:
    """The terms naming what the question counts (empty: no particular thing)."""
    got = reading(question)
    return got.nouns if got else frozenset()


# A word or figure, or a clause mark: what the window walks over.
_PIECE = re.compile(r"[$€£¥]?\d+(?:[.,]\d+)*%?|[^\W_]+(?:['-][^\W_]+)*|[;:.!?()]")


_JOINS = frozenset(("and", "or", "but", "while", "whereas", "versus", "than"))
_SHARE = re.compile(r"%|percent|per cent", re.IGNORECASE)
_MONEY = re.compile(r"[$€£¥]")
_CURRENCY_BEFORE = re.compile(r"(?:\b(?:dlrs|usd|us|eur|rmb|yen)|[$€£¥#])\s?$", re.IGNORECASE)  # "dlrs 50 million"
_CURRENCY = re.compile(
    r"\s*(?:(?:million|billion|trillion|thousand)\s+)?(?:dollars?|cents?|euros?|pounds?|yen|yuan|rubles?|"
    r"roubles?|rupees?|francs?|marks?|pesos?|won)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=16_384)
def _pieces(text: str) -> tuple[tuple[int, int, tuple[str, ...] | None], ...]:
    """Each word's span and terms (None for a clause mark), in order (kept per text)."""
    out: list[tuple[int, int, tuple[str, ...] | None]] = []
    for m in _PIECE.finditer(text):
        word = m.group()
        if word in ";:.!?()":
            out.append((m.start(), m.end(), None))
        else:
            out.append((m.start(), m.end(), tuple(tokens.tokenize(word))))
    return tuple(out)


def attached(text: str, spans: list[tuple[int, int]], counted: Counted) -> list[tuple[int, int]]:
    """The number spans of `text` (`question.answer_spans`) of the thing counted: one of its
    terms at most NEAR words away, no clause mark or other number between. A share is never a
    count; an amount of money is a measure of a "how much" thing and of no "how many" thing.
    """
    if not spans:
        return []
    pieces = _pieces(text)
    starts = [p[0] for p in pieces]
    out = []
    for s, e in spans:
        money = bool(_MONEY.search(text, s, e) or _CURRENCY.match(text, e) or _CURRENCY_BEFORE.search(text, 0, s))
        if money and counted.much:
            out.append((s, e))
            continue
        if money or _SHARE.search(text, s, e):
            continue
        first, last = bisect_left(starts, s), bisect_left(starts, e)
        back = last == len(pieces) or not pieces[last][2]  # a word right after it is its own noun ("at three mills")
        if _near(text, pieces, range(last, min(len(pieces), last + WALK)), spans, counted.nouns) or (
            back and _near(text, pieces, range(first - 1, max(-1, first - WALK - 1), -1), spans, counted.nouns, _JOINS)
        ):
            out.append((s, e))
    return out


def _near(
    text: str,
    pieces: tuple[tuple[int, int, tuple[str, ...] | None], ...],
    walk: range,
    spans: list[tuple[int, int]],
    nouns: frozenset[str],
    stops: frozenset[str] = frozenset(),
) -> bool:
    """Whether one of `nouns` is met walking `walk` before a clause mark, another number or
    one of `stops` (looking back: "300 workers and 12 managers" does not count 12 workers).
    """
    words = 0
    for i in walk:
        start, end, terms = pieces[i]
        if (
            terms is None
            or (stops and text[start:end].lower() in stops)
            or any(s < end and start < e for s, e in spans)
        ):
            return False
        if nouns.intersection(terms) or any(_prefixed(t, nouns) for t in terms):
            return True
        words += bool(terms)  # a stopword is free ("60 of its new mid-sized A350 jets")
        if words >= NEAR:
            return False
    return False


def _prefixed(term: str, nouns: frozenset[str]) -> bool:
    """One stem starts the other, both of PREFIX letters or more ("dealer" / "dealership", "a350" /
    "a350s": the stemmer keeps a derivation or a figure's plural apart), or a stem of TYPO letters
    or more is one letter from the other (a typo the spelling left: "acount", "intract").
    """
    if len(term) < PREFIX:
        return False
    for n in nouns:
        if len(n) >= PREFIX and (n.startswith(term) or term.startswith(n)):
            return True
        if min(len(n), len(term)) >= TYPO and _one_edit(n, term):
            return True
    return False


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by one letter inserted, dropped or changed (linear)."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def of_thing(query: Query, text: str, spans: list[tuple[int, int]]) -> bool | None:
    """Whether a number span of `text` is of the thing the question counts (None: it counts no
    particular thing, so any number is read as before).
    """
    got = of_query(query)
    if got is None:
        return None
    return bool(attached(text, spans, got))


__all__ = ["COUNT_RANK", "COUNT_VETO", "NEAR", "Counted", "attached", "noun_terms", "of_query", "of_thing", "reading"]
