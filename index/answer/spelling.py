"""A question word that occurs nowhere in the articles: try a synonym, then a spelling fix.

Only out-of-vocabulary terms are touched, so a question that already matches the articles is
never rewritten. Synonyms come from the small hand-written `data/synonyms_en.txt`; the
spelling fix is the vocabulary term (sharing the first letter: a bucket built once per index)
closest by difflib's ratio (at least CUTOFF) for terms of 4 letters or more, and for 3-letter
terms ("tak") the one at one edit (rapidfuzz's optimal string alignment), the most frequent in
the articles on ties. METHOD "edits" uses edits for every length (at most 2 for terms over 4
letters): it fixed a few more seeded typos in bench.typos but turned 1.5% more of SQuAD's
unanswerable questions into answers (docs/conversations.md), so it is not the default.

A word that is already English is not a typo: it is left as typed when the articles lack it
(after the synonyms), rather than bent into the nearest article word ("too" -> "tool"), which
answered questions about what the articles never say (round 17, docs/answers.md; round 17's own
rule for kept stopwords moved no question once the light and common words below held "too", and
was removed in round 28, ablate28). The same for WordNet terms (`SKIP_WORDNET`, "meaning" ->
"mechanism") paid on most held-out sets but lost two of news set B's questions: off. Nor a
light word (`data/light_en.txt`: "still", "even", "get", "people"; `LIGHT`), which also weighs
nothing when the articles lack it (index.answer.query.weigh): a filler the articles need not say
made paraphrased questions abstain (round 18, docs/answers.md). Nor a common lower-case English
word of the lists the name finder learnt from unlabelled text (`COMMON`, round 20): "what's the
deal with the backdoors" read "detail", "what problem ..." read "probe".

A misspelt word the stemmer leaves whole ("fraudlent") keeps an ending no stem has ("fraudul"),
so its ratio falls under CUTOFF; when nothing passes, its first letters are compared with the
stems a few letters shorter (`STEM_TYPOS`, round 24, docs/answers.md).
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from index.answer import derived, related
from index.names import lexicon
from index.search import tokens
from index.search.postings import Postings

METHOD = "difflib"  # or "edits" (see the module docstring)
CUTOFF = 0.8  # difflib
MIN_LENGTH = 4  # difflib: shorter terms have too many neighbours at edit distance 1
_FLOOR = 100 * CUTOFF - 1e-3  # rapidfuzz's prefilter (0-100), a hair under against rounding
MIN_EDIT_LENGTH = 3  # edits: terms of 3-4 letters allow one edit, longer ones two
SKIP_WORDNET = False  # nor a WordNet term: measured, not shipped (loses 2 of news set B's 120)
LIGHT = True  # nor a light word, which also weighs nothing when unknown (round 18)
COMMON = True  # nor a common lower-case English word of the learnt name lists (round 20)
STEM_TYPOS = True  # a misspelt word the stemmer left whole, read by its start (round 24)
STEM_TYPO_LENGTH = 7  # shorter typos end too near their stem for the start to say more


@lru_cache(maxsize=1)
def synonyms() -> dict[str, list[str]]:
    """Each term of data/synonyms_en.txt and the other terms of its group."""
    text = resources.files("index.data").joinpath("synonyms_en.txt").read_text(encoding="utf-8")
    groups: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            terms = list(dict.fromkeys(tokens.tokenize(line)))
            for term in terms:
                groups.setdefault(term, []).extend(t for t in terms if t != term)
    return groups


@lru_cache(maxsize=1)
def light_words() -> frozenset[str]:
    """The terms of data/light_en.txt (stems, as questions are read)."""
    text = resources.files("index.data").joinpath("light_en.txt").read_text(encoding="utf-8")
    return frozenset(t for line in text.splitlines() if not line.startswith("#") for t in tokens.tokenize(line))


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Stems of the common lower-case English words the name finder learnt from unlabelled text
    (index.names.lexicon: `common_words`, `lower_words`): "deal", "problem", "goal" are not typos
    of an article's "detail", "probe", "global".
    """
    return frozenset(t for word in lexicon.common_words() | lexicon.lower_words() for t in tokens.tokenize(word))


def is_light(term: str) -> bool:
    """True when the term is a light word (and the switch is on): no typo, and no weight."""
    return LIGHT and term in light_words()


def _bucket(index: Postings, first: str) -> list[str]:
    tables = derived.of(index)
    by_first = tables.buckets
    if by_first is None:
        by_first = {}
        for term in index.terms:
            if term and not term[0].isdigit():
                by_first.setdefault(term[0], []).append(term)
        tables.buckets = by_first
    return by_first.get(first, [])


def _sized(index: Postings, first: str, size: int) -> list[str]:
    """The vocabulary terms starting with `first` of `size` characters (made once per index,
    so a fix reads the few lengths near its word's rather than the whole letter's bucket).
    """
    tables = derived.of(index)
    by_size = tables.sized
    if by_size is None:
        _bucket(index, first)  # the buckets by first letter, made once
        by_size = {}
        for letter, bucket in (tables.buckets or {}).items():
            for term in bucket:
                by_size.setdefault((letter, len(term)), []).append(term)
        tables.sized = by_size
    return by_size.get((first, size), [])


def fix(term: str, index: Postings) -> str | None:
    """A vocabulary term to use instead of the unknown `term`, or None."""
    for other in synonyms().get(term, ()):
        if other in index.vocab:
            return other
    if is_word(term):
        return None
    if METHOD == "edits" or len(term) < MIN_LENGTH:
        return _nearest_by_edits(term, index)
    if term[0].isdigit():
        return None
    near = [t for size in range(len(term) - 2, len(term) + 3) for t in _sized(index, term[0], size)]
    # difflib's ratio counts matching blocks, a common subsequence: it is never above the Indel
    # similarity (rapidfuzz's fuzz.ratio, 2 x LCS / total length), so the terms under CUTOFF by
    # that one cannot pass difflib's, which then reads only the few left (its best does not
    # depend on their order).
    near = [
        t for t, _, _ in process.extract(term, near, scorer=fuzz.ratio, processor=None, score_cutoff=_FLOOR, limit=None)
    ]
    best = difflib.get_close_matches(term, near, n=1, cutoff=CUTOFF)
    if best:
        return best[0]
    return _stem_of_typo(term, index) if STEM_TYPOS else None


def _stem_of_typo(term: str, index: Postings) -> str | None:
    """A vocabulary stem the typed word's start spells closely ("fraudlent" -> "fraudul",
    "restriciton" -> "restrict"): the stemmer leaves a misspelt word whole, so its ending matches
    no stem's. Stems of 6 letters or more, 2 to 4 shorter than the word, each against as many of
    its first letters (difflib's ratio at least CUTOFF, after the same prefilter as `fix`); the
    closest kept, the longest on ties.
    """
    if len(term) < STEM_TYPO_LENGTH:
        return None
    found: tuple[float, int, str] | None = None
    for size in range(max(STEM_TYPO_LENGTH - 1, len(term) - 4), len(term) - 1):
        start = term[:size]
        near = process.extract(
            start, _sized(index, term[0], size), scorer=fuzz.ratio, processor=None, score_cutoff=_FLOOR, limit=None
        )
        for stem, _, _ in near:
            score = difflib.SequenceMatcher(None, start, stem).ratio()
            if score >= CUTOFF and (found is None or (score, size) > found[:2]):
                found = (score, size, stem)
    return found[2] if found else None


def is_word(term: str) -> bool:
    """True when the term is an English word by the switched-on lists, so not a typo."""
    if is_light(term):
        return True
    if COMMON and term in common_words():
        return True
    return SKIP_WORDNET and bool(related.related_of(term))


def _nearest_by_edits(term: str, index: Postings) -> str | None:
    """The vocabulary term fewest edits away (ties: the most frequent), or None."""
    if len(term) < MIN_EDIT_LENGTH or term[0].isdigit():
        return None
    most = 1 if len(term) <= 4 else 2
    found = process.extract(term, _bucket(index, term[0]), scorer=OSA.distance, score_cutoff=most, limit=None)
    if not found:
        return None

    def frequency(choice: str) -> int:
        return index.doc_freq(index.vocab[choice])

    return min(found, key=lambda f: (f[1], -frequency(f[0]), f[0]))[0]


def correct(query: list[str], index: Postings) -> tuple[list[str], set[str]]:
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
