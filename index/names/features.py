"""Token features for the names CRF: the same code computes them at training and at inference.

A document is tokenised by the recogniser's own tokenizer (`rules.tokenize`, raw text with
character offsets) and cut into sequences at sentence starts and line breaks (a name never crosses
either). Each token gets features that carry over to news the model never saw: the word, its
shape, affixes and casing; whether the same word is written lower case (or capitalised
mid-sentence) elsewhere in the document; its position in the sentence; whether its line is all
capitals (a headline); the shipped gazetteers and first-name list; and the features of its
neighbours (window of two words either side).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from index.names import lexicon as lex
from index.names.rules import Doc, Tok, gazetteer_matches

FEATURE_VERSION = "1"

_SHAPE_TABLE = {}
for _c in range(0x10000):
    _ch = chr(_c)
    if _ch.isupper():
        _SHAPE_TABLE[_c] = "X"
    elif _ch.islower():
        _SHAPE_TABLE[_c] = "x"
    elif _ch.isdigit():
        _SHAPE_TABLE[_c] = "d"
_RUNS = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def _shape(word: str) -> tuple[str, str]:
    """(short shape, capped long shape): `McDonald` -> (`XxXx`, `XxXxxxxx`)."""
    long = word.translate(_SHAPE_TABLE)
    return _RUNS.sub(r"\1", long), long[:8]


@lru_cache(maxsize=65536)
def _word_features(word: str) -> tuple[str, ...]:
    """Features of a word that do not depend on its context (cached: news repeats words)."""
    low = word.lower()
    short, long = _shape(word)
    feats = ["w=" + low, "sh=" + short, "ls=" + long]
    if len(word) > 2:
        feats += ["p2=" + low[:2], "p3=" + low[:3], "s2=" + low[-2:], "s3=" + low[-3:]]
        if len(word) > 4:
            feats += ["p4=" + low[:4], "s4=" + low[-4:]]
    if word[:1].isupper():
        feats.append("cap")
        if word.isupper():
            feats.append("upper")
    if word in lex.first_names():
        feats.append("first")
    if low in lex.common_words():
        feats.append("common")
    if any(ch.isdigit() for ch in word):
        feats.append("digit")
    if "-" in word:
        feats.append("hyphen")
    if len(word) == 1:
        feats.append("len1")
    elif len(word) > 12:
        feats.append("long")
    return tuple(feats)


@lru_cache(maxsize=262144)
def _neighbour(offset: int, ctx: tuple[str, ...]) -> tuple[str, ...]:
    """A neighbour's features, prefixed with its offset ("-1:w=the")."""
    p = str(offset) + ":"
    return tuple(p + c for c in ctx)


@lru_cache(maxsize=65536)
def _known_word_features(word: str, known: frozenset[str]) -> tuple[str, ...]:
    return tuple(f for f in _word_features(word) if f in known)


@lru_cache(maxsize=262144)
def _known_neighbour(offset: int, ctx: tuple[str, ...], known: frozenset[str]) -> tuple[str, ...]:
    return tuple(f for f in _neighbour(offset, ctx) if f in known)


_FLAGS = ((1, "lowdoc"), (2, "capdoc"), (4, "nodoc"), (8, "initial"), (16, "capsline"), (32, "titleline"))


@lru_cache(maxsize=262144)
def _token_features(word: str, kind: str, flags: int, gaz_tag: str, known: frozenset[str] | None) -> tuple[str, ...]:
    """A token's own features (cached: the same word in the same position recurs): "bias", the
    word's features, its kind, the document and position flags, its gazetteer tag.
    """
    feats = ["bias", *(_word_features(word) if known is None else _known_word_features(word, known)), "k=" + kind]
    feats.extend(name for bit, name in _FLAGS if flags & bit)
    if gaz_tag:
        feats.append("gz=" + gaz_tag)
    return tuple(feats)


_OFFSETS = (-2, -1, 1, 2)


@lru_cache(maxsize=65536)
def _context(word: str, gaz_tag: str, known: frozenset[str] | None) -> tuple[tuple[str, ...], ...]:
    """What a token shows its neighbours (word, short shape, gazetteer tag, capitalisation), as
    ((word feature, shape feature), then its features seen from offsets -2, -1, +1, +2).
    """
    own = ("w=" + word.lower(), "sh=" + _shape(word)[0], "gz=" + gaz_tag, "cap" if word[:1].isupper() else "nocap")
    seen = tuple(_neighbour(d, own) if known is None else _known_neighbour(d, own, known) for d in _OFFSETS)
    return (own[:2], *seen)


def all_caps_lines(text: str, toks: Sequence[Tok]) -> list[bool]:
    """Per token: is its line written in capitals (a headline)? At least two words, 80 % upper."""
    out = [False] * len(toks)
    k = 0
    n = len(toks)
    line_start = 0
    for line in text.split("\n"):
        line_end = line_start + len(line)
        first = k
        while k < n and toks[k].start < line_end:
            k += 1
        words = [t.text for t in toks[first:k] if t.kind in ("word", "acr") and t.text[0].isalpha()]
        if len(words) >= 2 and sum(1 for w in words if w.isupper()) >= 0.8 * len(words):
            for q in range(first, k):
                out[q] = True
        line_start = line_end + 1
    return out


def sequences(doc: Doc, sentence_starts: Iterable[int] | None) -> list[tuple[int, int]]:
    """Token ranges [i, j) of the sequences the CRF labels: cut at sentence starts and newlines."""
    toks = doc.toks
    if not toks:
        return []
    cuts = sorted(set(sentence_starts) if sentence_starts is not None else set(doc.fallback_starts))
    out = []
    ci = 0
    i = 0
    for k in range(1, len(toks) + 1):
        if k < len(toks):
            t = toks[k]
            while ci < len(cuts) and cuts[ci] <= toks[k - 1].start:
                ci += 1
            new_sentence = ci < len(cuts) and cuts[ci] <= t.start
            if not new_sentence and "\n" not in doc.text[toks[k - 1].end : t.start]:
                continue
        out.append((i, k))
        i = k
    return out


def doc_features(
    doc: Doc,
    spans: Sequence[tuple[int, int]],
    gaz: dict[int, tuple[int, str]] | None = None,
    caps_line: list[bool] | None = None,
    known: frozenset[str] | None = None,
) -> list[list[list[str]]]:
    """Feature lists for every token of every sequence in `spans` (`gaz`: the gazetteer matches,
    `caps_line`: `all_caps_lines`, computed here when not given). With `known` (at inference: the
    model's features, `crf.known_attributes`) only those features are listed; the CRF's labels are
    the same, and they come faster.
    """
    toks = doc.toks
    if gaz is None:
        gaz = gazetteer_matches(toks)
    gaz_tag = [""] * len(toks)
    for i, (j, etype) in gaz.items():
        gaz_tag[i] = "B" + etype
        for q in range(i + 1, j):
            gaz_tag[q] = "I" + etype
    if caps_line is None:
        caps_line = all_caps_lines(doc.text, toks)
    low, cap_mid = doc.low, doc.cap_mid
    base: list[tuple[str, ...]] = []
    ctx: list[tuple[tuple[str, ...], ...]] = []
    for k, t in enumerate(toks):
        w = t.text
        flags = 0
        if w[:1].isupper():
            lw = w.lower()
            flags = (1 if low[lw] else 0) | (2 if cap_mid[lw] else 0) | (4 if not low[lw] and not cap_mid[lw] else 0)
        if t.initial:
            flags |= 8
        if caps_line[k]:
            flags |= 16
        elif t.title_line:
            flags |= 32
        g = gaz_tag[k]
        base.append(_token_features(w, t.kind, flags, g, known))
        ctx.append(_context(w, g, known))
    out = []
    for i, j in spans:
        seq = []
        for k in range(i, j):
            feats = list(base[k])
            if k == i:
                feats.append("BOS")
            if k == j - 1:
                feats.append("EOS")
            if k - 2 >= i:
                feats.extend(ctx[k - 2][1])
            if k - 1 >= i:
                feats.extend(ctx[k - 1][2])
            if k + 1 < j:
                feats.extend(ctx[k + 1][3])
            if k + 2 < j:
                feats.extend(ctx[k + 2][4])
            pairs = []
            here = ctx[k][0]
            if k > i:
                before = ctx[k - 1][0]
                pairs.append("ww=" + before[0] + "|" + here[0])
                pairs.append("ss=" + before[1] + "|" + here[1])
            if k + 1 < j:
                pairs.append("ws=" + here[0] + "|" + ctx[k + 1][0][0])
            feats.extend(pairs if known is None else [f for f in pairs if f in known])
            seq.append(feats)
        out.append(seq)
    return out
