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

from . import lexicon as lex
from .rules import Doc, Tok, gazetteer_matches

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
) -> list[list[list[str]]]:
    """Feature lists for every token of every sequence in `spans` (`gaz`: the gazetteer matches,
    `caps_line`: `all_caps_lines`, computed here when not given).
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
    base: list[list[str]] = []
    ctx: list[tuple[str, ...]] = []
    for k, t in enumerate(toks):
        w = t.text
        feats = list(_word_features(w))
        feats.append("k=" + t.kind)
        lw = w.lower()
        if w[:1].isupper():
            if low[lw]:
                feats.append("lowdoc")
            if cap_mid[lw]:
                feats.append("capdoc")
            if not low[lw] and not cap_mid[lw]:
                feats.append("nodoc")
        if t.initial:
            feats.append("initial")
        if caps_line[k]:
            feats.append("capsline")
        elif t.title_line:
            feats.append("titleline")
        g = gaz_tag[k]
        if g:
            feats.append("gz=" + g)
        base.append(feats)
        short = _shape(w)[0]
        ctx.append(("w=" + lw, "sh=" + short, "gz=" + g if g else "gz=", "cap" if w[:1].isupper() else "nocap"))
    out = []
    for i, j in spans:
        seq = []
        for k in range(i, j):
            feats = ["bias", *base[k]]
            if k == i:
                feats.append("BOS")
            if k == j - 1:
                feats.append("EOS")
            for d in (-2, -1, 1, 2):
                q = k + d
                if i <= q < j:
                    feats.extend(_neighbour(d, ctx[q]))
            if k > i:
                feats.append("ww=" + ctx[k - 1][0] + "|" + ctx[k][0])
                feats.append("ss=" + ctx[k - 1][1] + "|" + ctx[k][1])
            if k + 1 < j:
                feats.append("ws=" + ctx[k][0] + "|" + ctx[k + 1][0])
            seq.append(feats)
        out.append(seq)
    return out
