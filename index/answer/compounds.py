"""A closed compound the articles write open: "timezone" read as "time zone".

People type "timezone", "inhouse", "cyberattack" where an article writes "time zone", "in-house",
"cyber attack"; the joined word is no index term, so it weighs the most an idf can (the
abstention reads that) and matches nothing. The speller cannot help: no single article word is
near. `read` splits such a word in two when both halves are index terms that some passage holds
together (so "slippage" is not read "slip page" over articles that never say them in one
sentence) and the word is not English by the switched-on word lists (index.answer.spelling.is_word: a common word such as
"understand" or "therapist" is never split, nor a word the speller would fix, nor a capitalised
word, which may be a name, nor at an ending that is also a word: "jobless"). Like the phrasal
verbs (index.answer.phrasal), only `Query.text` changes; the question quoted back is as typed.
"""

from __future__ import annotations

import re

import numpy as np

from index.answer import spelling
from index.search import tokens
from index.search.postings import Postings

COMPOUNDS = True  # round 21 (docs/answers.md, seedq21); off: questions read as typed
MIN_PART = 3  # letters of each half: "a" + "head" or "in" + "side" are not compounds here
MIN_WORD = 2 * MIN_PART + 1
# Endings that are words too: "jobless" is not "job less", "lifelike" not "life like".
SUFFIXES = frozenset("less ness like wise ward wards hood hoods able ful".split())
_LOWER = re.compile(r"(?<![\w'-])[a-z]{" + str(MIN_WORD) + r",40}(?![\w'-])")


def _term(part: str, index: Postings) -> int | None:
    """The term id of `part` when it is one word the index holds (a stopword is no term)."""
    stems = tokens.tokenize(part)
    return index.vocab.get(stems[0]) if len(stems) == 1 else None


def together(a: int, b: int, index: Postings) -> bool:
    """True when some passage holds both terms (the rarer's passages looked up in the other's)."""
    rare, other = sorted((a, b), key=index.doc_freq)
    ids, among = np.asarray(index.doc_ids(rare)), np.asarray(index.doc_ids(other))
    if not len(ids) or not len(among):
        return False
    at = np.minimum(np.searchsorted(among, ids), len(among) - 1)
    return bool(np.any(among[at] == ids))


def split(word: str, index: Postings) -> str | None:
    """`word` as two index terms ("time zone"), or None: its stem is an index term, an English
    word, a typo the speller fixes, or no split gives two terms found together (the longest
    first half wins).
    """
    stems = tokens.tokenize(word)
    if len(stems) != 1 or stems[0] in index.vocab or spelling.is_word(stems[0]):
        return None
    for at in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        if word[at:] in SUFFIXES:
            continue
        left, right = _term(word[:at], index), _term(word[at:], index)
        if left is not None and right is not None and together(left, right, index):
            return None if spelling.fix(stems[0], index) is not None else f"{word[:at]} {word[at:]}"
    return None


def read(text: str, index: Postings) -> str:
    """`text` with each lower-case closed compound the articles write open split in two."""
    if not COMPOUNDS:
        return text
    return _LOWER.sub(lambda m: split(m.group(), index) or m.group(), text)


__all__ = ["COMPOUNDS", "MIN_PART", "read", "split", "together"]
