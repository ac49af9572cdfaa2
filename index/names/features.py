"""Token features for the names CRF, at training and at inference.

A document is tokenised by the recogniser's own tokenizer (`rules.tokenize`, raw text with
character offsets) and cut into sequences at sentence starts and line breaks (a name never crosses
either). Each token gets features that carry over to news the model never saw: the word, its
shape, affixes and casing; whether the same word is written lower case (or capitalised
mid-sentence) elsewhere in the document; its position in the sentence; whether its line is all
capitals (a headline); the shipped gazetteers and first-name list; and the features of its
neighbours (window of two words either side).

At inference (`doc_features` with the model's `known` features) the same features come from
parts built once per word type, only those the model weighs, as the model's attribute ids (each
token's packed in one bytes object, `crf.label_ids`): the lists are training's lists filtered in
order (tests/index/names/test_features.py), so the labels are the same.
"""

from __future__ import annotations

import re
import struct
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from itertools import repeat
from operator import add
from typing import overload

from index.names import lexicon as lex
from index.names.rules import Doc, Tok, gazetteer_matches


class _ShapeTable(dict[int, str]):
    """Code point -> its shape letter for `str.translate`: "X" upper case, "x" lower, "d" a digit,
    else the character itself; outside the Basic Multilingual Plane every character stays itself.
    Filled as characters are met: the whole plane made at import (65,536 characters) took 0.015-0.02
    CPU s of every process that reads names, a one-article ingest among them.
    """

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        shape = ch
        if code < 0x10000:
            shape = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        self[code] = shape
        return shape


_SHAPE_TABLE = _ShapeTable()
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


_FLAGS = ((1, "lowdoc"), (2, "capdoc"), (4, "nodoc"), (8, "initial"), (16, "capsline"), (32, "titleline"))


@lru_cache(maxsize=262144)
def _token_features(word: str, kind: str, flags: int, gaz_tag: str) -> tuple[str, ...]:
    """A token's own features (cached: the same word in the same position recurs): "bias", the
    word's features, its kind, the document and position flags, its gazetteer tag.
    """
    feats = ["bias", *_word_features(word), "k=" + kind]
    feats.extend(name for bit, name in _FLAGS if flags & bit)
    if gaz_tag:
        feats.append("gz=" + gaz_tag)
    return tuple(feats)


_OFFSETS = (-2, -1, 1, 2)


def _shown(word: str, gaz_tag: str) -> tuple[str, str, str, str]:
    """What a token shows its neighbours: its word and short shape, gazetteer tag, capitalisation."""
    return ("w=" + word.lower(), "sh=" + _shape(word)[0], "gz=" + gaz_tag, "cap" if word[:1].isupper() else "nocap")


@lru_cache(maxsize=65536)
def _context(word: str, gaz_tag: str) -> tuple[tuple[str, ...], ...]:
    """What a token shows its neighbours (word, short shape, gazetteer tag, capitalisation), as
    ((word feature, shape feature), then its features seen from offsets -2, -1, +1, +2).
    """
    own = _shown(word, gaz_tag)
    seen = tuple(_neighbour(d, own) for d in _OFFSETS)
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
    """Token ranges [i, j) of the sequences the CRF labels: cut at sentence starts and newlines.
    A sequence starts at the first token at or after each sentence start, and at the first token
    after each newline (no token holds a newline); found by bisection, not token by token.
    """
    toks = doc.toks
    if not toks:
        return []
    cuts = set(sentence_starts) if sentence_starts is not None else set(doc.fallback_starts)
    starts = [t.start for t in toks]
    text = doc.text
    first = {bisect_left(starts, c) for c in cuts}
    newline = text.find("\n")
    while newline >= 0:
        first.add(bisect_right(starts, newline))
        newline = text.find("\n", newline + 1)
    bounds = [0, *sorted(k for k in first if 0 < k < len(toks)), len(toks)]
    return list(zip(bounds[:-1], bounds[1:], strict=True))


def _gaz_tags(toks: Sequence[Tok], gaz: dict[int, tuple[int, str]]) -> list[str]:
    """Per token: "B" or "I" and the type of the gazetteer entry it is in, or ""."""
    gaz_tag = [""] * len(toks)
    for i, (j, etype) in gaz.items():
        gaz_tag[i] = "B" + etype
        for q in range(i + 1, j):
            gaz_tag[q] = "I" + etype
    return gaz_tag


def _position_flags(doc: Doc, caps_line: list[bool]) -> list[int]:
    """Per token: the `_FLAGS` bits (casing elsewhere in the document, sentence start, headline)."""
    low, cap_mid = doc.low, doc.cap_mid
    casing: dict[str, int] = {}  # a word's document flags, decided once per word type
    out = []
    for t, caps in zip(doc.toks, caps_line, strict=True):
        w = t.text
        flags = casing.get(w)
        if flags is None:
            flags = 0
            if w[:1].isupper():
                lw = w.lower()
                flags = (
                    (1 if low[lw] else 0) | (2 if cap_mid[lw] else 0) | (4 if not low[lw] and not cap_mid[lw] else 0)
                )
            casing[w] = flags
        if t.initial:
            flags |= 8
        if caps:
            flags |= 16
        elif t.title_line:
            flags |= 32
        out.append(flags)
    return out


@overload
def doc_features(
    doc: Doc,
    spans: Sequence[tuple[int, int]],
    gaz: dict[int, tuple[int, str]] | None = None,
    caps_line: list[bool] | None = None,
    known: None = None,
) -> list[list[list[str]]]: ...


@overload
def doc_features(
    doc: Doc,
    spans: Sequence[tuple[int, int]],
    gaz: dict[int, tuple[int, str]] | None = None,
    caps_line: list[bool] | None = None,
    *,
    known: Mapping[str, int],
) -> list[list[bytes]]: ...


def doc_features(
    doc: Doc,
    spans: Sequence[tuple[int, int]],
    gaz: dict[int, tuple[int, str]] | None = None,
    caps_line: list[bool] | None = None,
    known: Mapping[str, int] | None = None,
) -> list[list[list[str]]] | list[list[bytes]]:
    """Feature lists for every token of every sequence in `spans` (`gaz`: the gazetteer matches,
    `caps_line`: `all_caps_lines`, computed here when not given). With `known` (at inference: the
    model's features and their attribute ids, `crf.attribute_ids`) only those features are
    listed, as their ids in the same order, a token's packed in one bytes object (C `int`s, as
    `crf.label_ids` hands them to crfsuite): the CRF's labels and probabilities are the same, and
    they come faster.
    """
    toks = doc.toks
    if gaz is None:
        gaz = gazetteer_matches(toks)
    if caps_line is None:
        caps_line = all_caps_lines(doc.text, toks)
    gaz_tag = _gaz_tags(toks, gaz)
    flags = _position_flags(doc, caps_line)
    if known is not None:
        return _known_features(_Known.of(known), doc.words, doc.kinds, spans, gaz_tag, flags)
    base: list[tuple[str, ...]] = []
    ctx: list[tuple[tuple[str, ...], ...]] = []
    for t, f, g in zip(toks, flags, gaz_tag, strict=True):
        base.append(_token_features(t.text, t.kind, f, g))
        ctx.append(_context(t.text, g))
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
            here = ctx[k][0]
            if k > i:
                before = ctx[k - 1][0]
                feats.append("ww=" + before[0] + "|" + here[0])
                feats.append("ss=" + before[1] + "|" + here[1])
            if k + 1 < j:
                feats.append("ws=" + here[0] + "|" + ctx[k + 1][0][0])
            seq.append(feats)
        out.append(seq)
    return out


class _Known:
    """A model's feature set made ready for inference: every feature it weighs as its attribute
    id, and the word and shape pair features looked up by their left part, then their right part.
    """

    def __init__(self, known: Mapping[str, int]) -> None:
        self.encoded = {f: _ATTRIBUTE_ID.pack(k) for f, k in known.items()}
        # the pair features by left part, then right part ("w=new" -> "w=york" -> the tuple a
        # token's features add): no pair string is built at inference, and a word that is the
        # left part of no pair the model weighs has the one shared empty map
        self.ww = self._pairs("ww=")
        self.ws = self._pairs("ws=")
        self.ss = self._pairs("ss=")
        self.bos = self.only(("BOS",))
        self.eos = self.only(("EOS",))
        self.token = lru_cache(maxsize=131072)(self._token)

    def _pairs(self, prefix: str) -> dict[str, dict[str, bytes]]:
        """The features starting with `prefix` by their left part, then their right part. A
        pair is found when `left + "|" + right` is the feature, so every `|` of it is a possible
        cut (a token may be "|" itself): each cut is kept.
        """
        out: dict[str, dict[str, bytes]] = {}
        for f, b in self.encoded.items():
            if f.startswith(prefix):
                pair = f[len(prefix) :]
                for cut in (k for k, ch in enumerate(pair) if ch == "|"):
                    out.setdefault(pair[:cut], {})[pair[cut + 1 :]] = b
        return out

    @staticmethod
    def of(known: Mapping[str, int]) -> _Known:
        """The one `_Known` of a model's feature ids (a model is read once, its ids kept)."""
        hit = _MODELS.get(id(known))
        if hit is None or hit[0] is not known:
            if len(_MODELS) >= 4:
                _MODELS.clear()
            hit = _MODELS[id(known)] = (known, _Known(known))
        return hit[1]

    def only(self, feats: Iterable[str]) -> bytes:
        """The features the model weighs, in order, as their packed ids."""
        enc = self.encoded
        return b"".join([enc[f] for f in feats if f in enc])

    def _token(self, word: str, kind: str, flags: int, gaz_tag: str) -> _TokenFeatures:
        """Everything a token contributes to its own and its neighbours' features."""
        # the training side's caches are left alone: this cache holds the result
        own = _shown(word, gaz_tag)
        minus2, minus1, plus1, plus2 = (self.only(_neighbour.__wrapped__(d, own)) for d in _OFFSETS)
        return (
            self.only(_token_features.__wrapped__(word, kind, flags, gaz_tag)),
            minus2,
            minus1,
            plus1,
            plus2,
            own[0],
            own[1],
            self.ww.get(own[0], _NO_PAIRS),
            self.ws.get(own[0], _NO_PAIRS),
            self.ss.get(own[1], _NO_PAIRS),
        )


_MODELS: dict[int, tuple[Mapping[str, int], _Known]] = {}  # by id of the mapping (kept: the id stays its own)
_NONE = b""
# a feature at inference: its attribute id as crfsuite's C `int`, so that a token's features are
# one bytes object (parts joined by `+`, in C) and a document's are read by numpy in one go
_ATTRIBUTE_ID = struct.Struct("=i")
_NO_PAIRS: dict[str, bytes] = {}
_Pairs = dict[str, bytes]
# (own features, then as seen from -2, -1, +1, +2; "w=word", "sh=shape"; the pair features
# this token starts as the left word of `ww=`, of `ws=`, as the left shape of `ss=`)
_TokenFeatures = tuple[
    bytes,
    bytes,
    bytes,
    bytes,
    bytes,
    str,
    str,
    _Pairs,
    _Pairs,
    _Pairs,
]


def _known_features(
    model: _Known,
    words: Sequence[str],
    kinds: Sequence[str],
    spans: Sequence[tuple[int, int]],
    gaz_tag: list[str],
    flags: list[int],
) -> list[list[bytes]]:
    """`doc_features` with `known`: each token type's features built once, the pair features of
    neighbours looked up by their parts, a token's features joined from the parts (in C for the
    tokens two or more from both ends of their sequence).
    """
    info = list(map(model.token, words, kinds, flags, gaz_tag))
    if not info:
        return [[] for _ in spans]
    base, m2, m1, p1, p2, wl, sh, wwl, wsl, ssl = zip(*info, strict=True)
    # the pair (k - 1, k): "ws=" at k - 1, "ww=" and "ss=" at k
    none = repeat(_NONE)
    get = dict.get
    ws = [*map(get, wsl[:-1], wl[1:], none), _NONE]
    wwss = [_NONE, *map(add, map(get, wwl[:-1], wl[1:], none), map(get, ssl[:-1], sh[1:], none))]
    # token k's features: base[k] + BOS/EOS + m2[k - 2] + m1[k - 1] + p1[k + 1] + p2[k + 2] + wwss[k] + ws[k]
    bos, eos = model.bos, model.eos
    out = []
    for i, j in spans:
        if j - i < 5:
            out.append([_edge_features(base, m2, m1, p1, p2, wwss, ws, bos, eos, i, j, k) for k in range(i, j)])
            continue
        inner = map(add, base[i + 2 : j - 2], m2[i : j - 4])
        inner = map(add, inner, m1[i + 1 : j - 3])
        inner = map(add, inner, p1[i + 3 : j - 1])
        inner = map(add, inner, p2[i + 4 : j])
        inner = map(add, inner, wwss[i + 2 : j - 2])
        inner = map(add, inner, ws[i + 2 : j - 2])
        # the two tokens at each end: `_edge_features` written out for a sequence of five or more
        out.append(
            [
                base[i] + bos + p1[i + 1] + p2[i + 2] + ws[i],
                base[i + 1] + m1[i] + p1[i + 2] + p2[i + 3] + wwss[i + 1] + ws[i + 1],
                *inner,
                base[j - 2] + m2[j - 4] + m1[j - 3] + p1[j - 1] + wwss[j - 2] + ws[j - 2],
                base[j - 1] + eos + m2[j - 3] + m1[j - 2] + wwss[j - 1],
            ]
        )
    return out


_Parts = Sequence[bytes]


def _edge_features(
    base: _Parts,
    m2: _Parts,
    m1: _Parts,
    p1: _Parts,
    p2: _Parts,
    wwss: _Parts,
    ws: _Parts,
    bos: bytes,
    eos: bytes,
    i: int,
    j: int,
    k: int,
) -> bytes:
    """Token k's features in the sequence [i, j), near an end: the neighbours it has."""
    return (
        base[k]
        + (bos if k == i else _NONE)
        + (eos if k == j - 1 else _NONE)
        + (m2[k - 2] if k - 2 >= i else _NONE)
        + (m1[k - 1] if k > i else _NONE)
        + (p1[k + 1] if k + 1 < j else _NONE)
        + (p2[k + 2] if k + 2 < j else _NONE)
        + (wwss[k] if k > i else _NONE)
        + (ws[k] if k + 1 < j else _NONE)
    )
