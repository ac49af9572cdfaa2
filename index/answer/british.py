"""A British spelling the articles write the American way: "organisations" read "organizations".

People type "why are chinese organisations favouring home-grown tools" where an American article
writes "organizations" and "favoring". The stemmer keeps the spellings apart ("organis" against
"organ", "favour" against "favor"), and the speller leaves a common English word as typed
(index.answer.spelling.is_word), so the word weighs the most an idf can (the abstention reads
that) and matches nothing. `read` puts the American spelling in the word's place by the regular
correspondences (-our/-or, -ise/-ize, -isation/-ization, -yse/-yze, -tre/-ter, -ence/-ense,
-ogue/-og, -mme/-m; the stemmer already reads "travelled" as "travel"), only when the articles
lack the typed word's stem and hold the respelt one's: British articles, which hold "organis", are
read as typed, and a respelling that is no article word ("evidense") is never made. Like the
compounds (index.answer.compounds), only `Query.text` changes; the question quoted back is as typed.
"""

from __future__ import annotations

import re
from collections.abc import Container

from index.search import tokens

BRITISH = True  # round 25 (docs/answers.md, seedq25); off: questions read as typed
# (British, American) in the order tried; the first respelling whose stem the articles hold wins.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), american)
    for pattern, american in (
        (r"(?<=[a-z]{2})our(?=[a-z]*$)", "or"),  # favour(ing), behaviour, colours
        (r"(?<=[a-z]{3})is(?=(?:e|es|ed|ing|er|ers|ation|ations)$)", "iz"),  # organise(d), organisation(s)
        (r"(?<=[a-z]{2})ys(?=(?:e|es|ed|ing)$)", "yz"),  # analyse(d)
        (r"(?<=[a-z]{2})tre(?=s?$)", "ter"),  # centre(s)
        (r"(?<=[a-z]{2})ence(?=s?$)", "ense"),  # defence, licence
        (r"(?<=[a-z]{2})ogue(?=s?$)", "og"),  # catalogue(s)
        (r"(?<=[a-z]{3})mme(?=s?$)", "m"),  # programme(s)
    )
)
_LOWER = re.compile(r"(?<![\w'-])[a-z]{5,40}(?![\w'-])")


def american(word: str, vocab: Container[str]) -> str | None:
    """The American spelling of the lower-case `word` whose stem the articles hold, or None (the
    articles hold the word's own stem, or no respelling is an article word).
    """
    stems = tokens.tokenize(word)
    if len(stems) != 1 or stems[0] in vocab:
        return None
    for pattern, spelt in _RULES:
        respelt = pattern.sub(spelt, word, count=1)
        if respelt != word:
            found = tokens.tokenize(respelt)
            if len(found) == 1 and found[0] in vocab:
                return respelt
    return None


def read(text: str, vocab: Container[str]) -> str:
    """`text` with each lower-case British spelling the articles write the American way respelt."""
    if not BRITISH:
        return text
    return _LOWER.sub(lambda m: american(m.group(), vocab) or m.group(), text)


__all__ = ["BRITISH", "american", "read"]
