"""One tokenizer for documents and questions, so that both sides of BM25 see the same terms.

Unicode is normalised (NFKC, curly quotes to straight, accents removed) so that `Anthropic’s`
matches `Anthropic` and `café` matches `cafe`; text is case-folded; possessive `'s` is
dropped; numbers keep their digits (`25,000` and `25000` are the same term); English
stopwords (NLTK's list, shipped, less the words a question can turn on: "most", "before",
"not") are removed; words are stemmed with nltk's English Snowball stemmer, ported
(`index.search.snowball`: the same stems without importing nltk).
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from functools import lru_cache
from itertools import chain, filterfalse, repeat
from typing import Any

import numpy as np

from index import wordlists
from index.search import snowball

TOKENIZER_VERSION = "4"  # 3: joiners and soft hyphens inside a word dropped; 4: "won", "haven", "Ma" indexed

_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
    }
)
# Invisible inside a word, and not a word break: a soft hyphen (HTML's &shy;), zero-width
# (non-)joiners, the word joiner and a byte-order mark. Dropped, so "co\u00adoperate" is
# "cooperate"; zero-width spaces and direction marks stay separators, as the pattern reads them.
_JOINERS = dict.fromkeys(map(ord, "\u00ad\u200c\u200d\u2060\ufeff"))
_JOINERS_AS_LETTERS = dict.fromkeys(_JOINERS, "a")
# A number with thousands separators or a decimal part, or a run of letters/digits.
# Possessive 's (after quote normalisation) is consumed so it never becomes a term.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+(?:'[^\W\d_]+)*", re.UNICODE)
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?:\D|$))")


NLTK_STOPWORDS: frozenset[str] = frozenset(wordlists.lines("stopwords_en.txt"))
# Words of NLTK's list that decide which sentence answers a question, so they are indexed:
# "the *most* rainfall", "*before* the war", "*not* equal to NP", "*only* one region". Measured on
# SQuAD (docs/quality.md, round 5): P@1 +.5 point on the tune half, +.8 on the held-out half.
KEPT_STOPWORDS = frozenset(
    "most more few before after during against between under over above below off out up down "
    "only same no not nor further again once own all any both each other some such very too "
    "than".split()
)
# NLTK's list holds the pieces of contractions ("won't", "don't", "haven't", "shan't", "ma'am") as
# words, but those pieces are English words and names of their own, and a contraction is one term
# here ("won't" -> "wont"): "who *won* the election", the Korean *won*, a safe *haven*, Jack *Ma*,
# *Don* King, *Shan* State were never searched (round 22).
CONTRACTION_PIECES = frozenset("won don haven ma shan".split())
STOPWORDS: frozenset[str] = NLTK_STOPWORDS - KEPT_STOPWORDS - CONTRACTION_PIECES


def normalise(text: str) -> str:
    """Fold the Unicode variants a reader treats as the same: width, quotes, accents, case."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", text.translate(_JOINERS)).translate(_QUOTES)
    if not text.isascii():
        # Combining marks dropped with the loop in C (a generator was a tenth of a build's tokenising).
        text = "".join(filterfalse(unicodedata.combining, unicodedata.normalize("NFKD", text)))
    return text.casefold()


@lru_cache(maxsize=500_000)
def stem(word: str) -> str:
    """Snowball stem, cached: news vocabulary repeats, and stemming is the slow step."""
    return snowball.stem(word)


def words(text: str) -> list[str]:
    """Normalised surface words (before stopwords and stemming), numbers without separators."""
    out: list[str] = []
    for match in _TOKEN.finditer(normalise(text)):
        word = match.group()
        if word[0].isdigit():
            word = _THOUSANDS.sub("", word).rstrip(".,")
        elif word.endswith("'s"):
            word = word[:-2]
        out.append(word.replace("'", ""))
    return out


_TERMS: dict[str, str] = {}  # raw normalised match -> term ("" for stopwords); bounded below
_TERMS_MAX = 1_000_000
# A whitespace-separated chunk of normalised text ("said,", "(1990)", "u.s.") -> its terms. No
# match of `_TOKEN` holds whitespace, so a text's terms are its chunks' terms in order, and
# `str.split` (in C) with one lookup a chunk replaces the pattern's scan of every character.
_CHUNKS: dict[str, tuple[str, ...]] = {}
_CHUNKS_MAX = 500_000


def _term(raw: str, stopwords: frozenset[str] = STOPWORDS) -> str:
    if raw[0].isdigit():
        return _THOUSANDS.sub("", raw).rstrip(".,")
    word = (raw[:-2] if raw.endswith("'s") else raw).replace("'", "")
    return "" if not word or word in stopwords else stem(word)


def _chunk_terms(chunk: str) -> tuple[str, ...]:
    """The terms of one chunk, its raw words' terms remembered (`_TERMS`)."""
    terms = []
    for raw in _TOKEN.findall(chunk):
        term = _TERMS.get(raw)
        if term is None:
            if len(_TERMS) > _TERMS_MAX:
                _TERMS.clear()
            term = _TERMS[raw] = _term(raw)
        if term:
            terms.append(term)
    return tuple(terms)


def tokenize(text: str) -> list[str]:
    """The BM25 terms of a text: words minus stopwords, stemmed (numbers kept as they are).

    The same chunk of text between two spaces always gives the same terms, so terms are cached
    per chunk: this is the index build's hot loop.
    """
    chunks = normalise(text).split()
    try:  # every chunk seen before: the split, the lookups and the join run in C
        return list(chain.from_iterable(map(_CHUNKS.__getitem__, chunks)))
    except KeyError:
        if len(_CHUNKS) > _CHUNKS_MAX:
            _CHUNKS.clear()
        for chunk in chunks:
            if chunk not in _CHUNKS:
                _CHUNKS[chunk] = _chunk_terms(chunk)
        return list(chain.from_iterable(map(_CHUNKS.__getitem__, chunks)))


def raw_chunks(text: str) -> list[str]:
    """The whitespace chunks of `text` that `TermTable.sentence_terms` reads as `tokenize` reads
    `text`: `text.split()`, but in a non-ASCII text a backtick as an apostrophe. `normalise` reads
    ` as ' (`_QUOTES`) except in an ASCII text, which it only lower-cases, so an ASCII chunk with
    a backtick ("a`b") has the terms of the text it comes from, which a chunk alone cannot tell.
    """
    return text.split() if text.isascii() or "`" not in text else text.replace("`", "'").split()


class TermTable:
    """The terms of whitespace chunks as integer ids, for the index build: a chunk's terms are
    looked up once (`_chunk_terms`, as `tokenize` finds them) and kept as ids in arrays, so that
    the terms of many sentences come out as one array, with no Python string per token.

    Chunks are the *raw* text's (`raw_chunks`), normalised one by one when first seen: a text's
    normalised chunks are its raw chunks' normalised chunks in order (`normalise` works code
    point by code point except NFKC's composition and reordering, which no whitespace character
    takes part in: none composes with a neighbour and all are starters; every whitespace
    character normalises to whitespace; checked for every code point beside every whitespace
    character), so no sentence is normalised whole.

    Ids are this table's own; `terms` names them. `reset` empties it (between two uses of the
    ids only: the build resets it before a batch once it holds `max_chunks` chunks).
    """

    def __init__(self, max_chunks: int = _CHUNKS_MAX) -> None:
        self.max_chunks = max_chunks
        self.reset()

    def reset(self) -> None:
        """Forget every chunk and term (ids handed out before are no longer valid)."""
        self._chunk_ids: dict[str, int] = {}
        self._term_ids: dict[str, int] = {}
        self.terms: list[str] = []  # id -> term
        self._starts = array("q")  # chunk id -> its first term in `_flat`
        self._counts = array("q")  # chunk id -> its number of terms
        self._flat = array("q")  # every known chunk's term ids, chunk after chunk

    def sentence_terms(self, chunks: list[str], per_sentence: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """(term ids of every token, in order; each sentence's number of terms) for sentences
        given as their whitespace chunks (`raw_chunks(text)`, or `normalise(text).split()`, or an
        ASCII text's lower-cased), all in `chunks`, and how many chunks each one has: the same terms as
        `tokenize` of each sentence.
        """
        get = self.chunk_ids().get
        ids = np.fromiter(map(get, chunks, repeat(-1)), dtype=np.int64, count=len(chunks))
        return self.terms_of(ids, [(at, chunks[at]) for at in np.flatnonzero(ids < 0).tolist()], per_sentence)

    def chunk_ids(self) -> dict[str, int]:
        """Known chunk -> id, to look a batch's chunks up in (`terms_of` then takes the ids); a
        table past `max_chunks` is emptied first, so a batch's ids stay valid through it.
        """
        if len(self._chunk_ids) > self.max_chunks:
            self.reset()
        return self._chunk_ids

    def terms_of(
        self, ids: np.ndarray, missing: list[tuple[int, str]], per_sentence: list[int] | np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """`sentence_terms` of chunks already looked up in `chunk_ids()`: their ids (int64, -1
        where not found) and the (position, chunk) of those not found, in order.
        """
        get = self._chunk_ids.get
        for at, chunk in missing:
            known = get(chunk)
            ids[at] = known if known is not None else self._add(chunk)
        starts = np.frombuffer(self._starts, dtype=np.int64)[ids]
        counts = np.frombuffer(self._counts, dtype=np.int64)[ids]
        ends = np.cumsum(counts)
        total = int(ends[-1]) if len(ends) else 0
        where = np.arange(total, dtype=np.int64) + np.repeat(starts - (ends - counts), counts)
        flat = np.frombuffer(self._flat, dtype=np.int64)[where]
        bounds = np.zeros(len(per_sentence) + 1, dtype=np.int64)
        np.cumsum(per_sentence, out=bounds[1:])
        upto = np.concatenate(([0], ends))[bounds]  # terms before each sentence's first chunk
        return flat, np.diff(upto)

    def _add(self, chunk: str) -> int:
        number = self._chunk_ids[chunk] = len(self._chunk_ids)
        self._starts.append(len(self._flat))
        # normalised, a chunk can be more than one ("a¨b" is "a b") or none (a soft hyphen)
        terms = tuple(chain.from_iterable(map(_chunk_terms, normalise(chunk).split())))
        self._counts.append(len(terms))
        ids = self._term_ids
        for term in terms:
            found = ids.get(term)
            if found is None:
                found = ids[term] = len(self.terms)
                self.terms.append(term)
            self._flat.append(found)
        return number


def tokenize_with(text: str, stopwords: frozenset[str]) -> list[str]:
    """`tokenize` with another stopword list (not cached): the issue's rank-bm25 baseline
    removes NLTK's whole list.
    """
    return [t for t in (_term(raw, stopwords) for raw in _TOKEN.findall(normalise(text))) if t]


def term_spans(text: str) -> list[tuple[int, int, str]]:
    """Where each BM25 term comes from in the *original* text, for highlighting.

    Normalisation can change lengths (NFKC, dropped accents), so words are found in the
    original text with a Unicode-aware pattern and each one is tokenised on its own.
    """
    spans = []
    text = text.translate(_QUOTES)
    # Joiners read as letters to find the word around them; the word's own text drops them.
    for match in _TOKEN.finditer(text.translate(_JOINERS_AS_LETTERS)):
        for term in _word_terms(text[match.start() : match.end()]):
            spans.append((match.start(), match.end(), term))
    return spans


@lru_cache(maxsize=65_536)
def _word_terms(word: str) -> tuple[str, ...]:
    """`tokenize` of one word, cached: every answer highlights its passages word by word."""
    return tuple(tokenize(word))


def settings() -> dict[str, Any]:
    """What the saved index must agree with to be reused: a change here forces a rebuild."""
    return {
        "version": TOKENIZER_VERSION,
        "stemmer": "snowball-english",
        "stopwords": len(STOPWORDS),
        "numbers": "digits-without-separators",
    }
