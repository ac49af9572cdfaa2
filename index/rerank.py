"""Rerank BM25's best sentences with what lies around them and with what the question wants.

A sentence rarely repeats its article's subject: "The restriction will take effect July 10"
answers "when does alibaba's ban start" although neither "Alibaba" nor "ban" is in it. So a
fixed number of BM25 candidates (`POOL`, independent of the corpus size), plus the +-WINDOW
same-paragraph neighbours of the best `EXPAND` of them (an answer sentence that shares no
word with the question but sits next to one that does), is rescored with

    score = sum over query terms t of
              bm25 weight of t in the sentence
            + (t not in the sentence) * idf(t) * (ALPHA if t is in a neighbouring sentence
                                                        of the same paragraph (+-WINDOW)
                                                   else BETA if t is elsewhere in the article
                                                   or in its title)
    divided by the query's idf mass (so the score is a share, comparable across questions),
    + ART x the share of that mass found anywhere in the sentence's article,
    + PAR x the share found anywhere in its paragraph (the question was asked of a paragraph),
    + GAMMA when the question wants a date / number / name and the sentence holds one that
      the question does not already say (see index.question).

Every look-up is a binary search in a term's postings (sorted by passage id), so the cost is
(query terms) x ((POOL + 2 x WINDOW x EXPAND) x window) searches, whatever the corpus size.
"""

from __future__ import annotations

import weakref
from collections import Counter
from dataclasses import dataclass

import numpy as np

from .bm25 import BM25

POOL = 100     # BM25 candidates rescored
WINDOW = 2     # neighbours on each side (same paragraph) that count as the sentence's context
ALPHA = 0.2    # a query term found only in the paragraph window, as a share of its idf
BETA = 0.0     # ... found only elsewhere in the article (or its title): measured, hurts
GAMMA = 0.15   # the sentence holds an expression of the wanted type (share of the query mass)
MU = 0.5       # share of a term's weight that depends on how rare it is within the article
TF_CAP = -1    # < 0: a sentence term weighs its idf (no tf, no length norm); > 0: cap at TF_CAP*idf
DELTA = 0.0    # per query bigram found as adjacent terms in the sentence (share of its idf)
ART = 0.25     # article prior: share of the query's idf mass found anywhere in the article
PAR = 0.25     # paragraph prior: share of the query's idf mass found in the sentence's paragraph
TITLE = 0.0    # a query term in the article's title (not in the sentence): share of its idf
EXPAND = 10    # the best EXPAND candidates bring their paragraph window (+-WINDOW) into the pool
TYPE_DEPTH = 30  # how many of the rescored candidates are checked for the wanted type

_doc_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass(slots=True)
class Scored:
    """Rescored candidates, best first, with what the abstention decision needs."""

    ids: np.ndarray        # passage ids
    scores: np.ndarray     # combined score (share of the question's idf mass, plus bonuses)
    cov_sentence: np.ndarray  # idf share of the question's terms present in the sentence
    cov_context: np.ndarray   # ... present in the sentence, its window or its article
    typed: np.ndarray      # the sentence holds an expression of the wanted type
    missing: np.ndarray | None = None  # highest idf of a question term absent from the context,
    #                                    as a share of the highest possible idf


def _docs_of(index: BM25, layout) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Contiguous copies of the doc and paragraph column, and a sorted (doc, paragraph) key
    (made once per index)."""
    cached = _doc_cache.get(index)
    if cached is None:
        doc = np.ascontiguousarray(layout["doc"], dtype=np.int32)
        par = np.ascontiguousarray(layout["paragraph"], dtype=np.int32)
        cached = (doc, par, doc.astype(np.int64) * (1 << 32) + par)
        _doc_cache[index] = cached
    return cached


def query_weights(index: BM25, query: list[str]) -> tuple[list[tuple[int, int]], float, float]:
    """(term id, count) of the known terms, their idf mass, and the mass of unknown terms."""
    unknown_weight = float(np.log((index.n_docs + 0.5) / 0.5)) if index.n_docs else 1.0
    counts = Counter(query)
    known, unknown = [], 0.0
    for term, count in counts.items():
        if term in index.vocab:
            known.append((index.vocab[term], count))
        else:
            unknown += unknown_weight * count
    return known, sum(max(float(index.idf[t]), 0.0) * c for t, c in known), unknown


def expand(index: BM25, cand: np.ndarray, layout) -> np.ndarray:
    """The candidates plus the same-paragraph neighbours (+-WINDOW) of the best EXPAND."""
    if not EXPAND or not len(cand):
        return cand
    doc_col, par_col, key_col = _docs_of(index, layout)
    top = cand[:EXPAND].astype(np.int64)
    offsets = np.array([o for o in range(-WINDOW, WINDOW + 1) if o], dtype=np.int64)
    win = np.clip(top[:, None] + offsets[None, :], 0, len(doc_col) - 1)
    ok = key_col[win] == key_col[top][:, None]
    extra = np.setdiff1d(win[ok], cand)
    return np.concatenate([cand.astype(np.int64), extra])


def rescore(index: BM25, query: list[str], cand: np.ndarray, layout,
            title_terms=None) -> Scored:
    """Context scores of the candidates `cand` (not yet sorted)."""
    known, mass, unknown = query_weights(index, query)
    n = len(cand)
    if n == 0 or not known:
        z = np.zeros(n)
        return Scored(cand, z, z, z, np.zeros(n, dtype=bool))
    doc_col, par_col, key_col = _docs_of(index, layout)
    cand = cand.astype(np.int64)
    cdoc, cpar = doc_col[cand], par_col[cand]
    offsets = np.array([o for o in range(-WINDOW, WINDOW + 1) if o], dtype=np.int64)
    win = np.clip(cand[:, None] + offsets[None, :], 0, len(doc_col) - 1)
    win_ok = (doc_col[win] == cdoc[:, None]) & (par_col[win] == cpar[:, None]) \
        & (win != cand[:, None])
    dlo = np.searchsorted(doc_col, cdoc, "left")
    dhi = np.searchsorted(doc_col, cdoc, "right")
    ckey = key_col[cand]
    plo = np.searchsorted(key_col, ckey, "left")
    phi = np.searchsorted(key_col, ckey, "right")
    found_par = np.zeros(n)
    titles = None
    if title_terms is not None:
        titles = [title_terms(int(d)) for d in cdoc]

    total = np.zeros(n)
    found_sent = np.zeros(n)
    found_ctx = np.zeros(n)
    found_art = np.zeros(n)
    top_idf = float(np.log((index.n_docs + 0.5) / 0.5))
    missing = np.full(n, top_idf if unknown else 0.0)
    for tid, count in known:
        lo, hi = int(index.indptr[tid]), int(index.indptr[tid + 1])
        docs = index.docs[lo:hi]
        idf = max(float(index.idf[tid]), 0.0)
        pos = np.searchsorted(docs, cand)
        pos_c = np.minimum(pos, len(docs) - 1)
        in_sent = docs[pos_c] == cand
        w = np.where(in_sent, index.weights[lo:hi][pos_c].astype(np.float64), 0.0)
        wpos = np.minimum(np.searchsorted(docs, win), len(docs) - 1)
        in_win = ((docs[wpos] == win) & win_ok).any(axis=1) & ~in_sent
        in_art = (np.searchsorted(docs, dhi) - np.searchsorted(docs, dlo)) > 0
        found_art += count * idf * in_art
        if PAR:
            found_par += count * idf * ((np.searchsorted(docs, phi) - np.searchsorted(docs, plo)) > 0)
        missing = np.maximum(missing, np.where(in_art | in_sent | in_win, 0.0, idf))
        if titles is not None:
            term = index.terms[tid]
            in_art |= np.fromiter((term in t for t in titles), dtype=bool, count=n)
        in_art &= ~in_sent & ~in_win
        if TF_CAP < 0:
            w = idf * in_sent
        elif TF_CAP:
            w = np.minimum(w, TF_CAP * idf)
        if MU:
            n_art = (dhi - dlo).astype(np.float64)
            df_art = np.maximum(np.searchsorted(docs, dhi) - np.searchsorted(docs, dlo), 1)
            local = np.log1p(n_art / df_art) / np.log1p(n_art)
            w = w * (1 - MU + MU * local)
        total += count * (w + idf * (ALPHA * in_win + BETA * in_art))
        found_sent += count * idf * in_sent
        found_ctx += count * idf * (in_sent | in_win | in_art)
    denom = (mass + unknown) or 1.0
    if ART:
        total = total + ART * found_art
    if PAR:
        total = total + PAR * found_par
    return Scored(cand, total / mass if mass else total, found_sent / denom, found_ctx / denom,
                  np.zeros(n, dtype=bool), missing / top_idf)


def refine(index: BM25, scored: Scored, query: list[str], kind: str | None,
           text_of) -> tuple[Scored, dict[int, list[tuple[int, int]]]]:
    """Second pass over the best TYPE_DEPTH (already ordered): read the sentences, add the
    answer-type bonus and the phrase bonus, reorder. Returns the spans of the wanted type."""
    from . import question as question_types
    from . import tokens
    if not (kind and GAMMA) and not DELTA:
        return scored, {}
    known, mass, _ = query_weights(index, query)
    terms = set(query)
    pairs = {(a, b) for a, b in zip(query, query[1:]) if a != b} if DELTA else set()
    bonus = np.zeros(len(scored.ids))
    typed: dict[int, list[tuple[int, int]]] = {}
    for i, pid in enumerate(scored.ids[:TYPE_DEPTH].tolist()):
        text = text_of(pid)
        if kind and GAMMA:
            spans = question_types.answer_spans(text, kind, terms)
            if spans:
                typed[pid] = spans
                bonus[i] += GAMMA
        if pairs and mass:
            sent = tokens.tokenize(text)
            found = pairs & set(zip(sent, sent[1:]))
            for a, b in found:
                ia = float(index.idf[index.vocab[a]]) if a in index.vocab else 0.0
                ib = float(index.idf[index.vocab[b]]) if b in index.vocab else 0.0
                bonus[i] += DELTA * (ia + ib) / 2 / mass
    scored.scores = scored.scores + bonus
    scored.typed = np.array([pid in typed for pid in scored.ids.tolist()], dtype=bool)
    return order(scored), typed


def order(scored: Scored) -> Scored:
    """Best first; ties by passage id."""
    idx = np.lexsort((scored.ids, -scored.scores))
    return Scored(scored.ids[idx], scored.scores[idx], scored.cov_sentence[idx],
                  scored.cov_context[idx], scored.typed[idx],
                  None if scored.missing is None else scored.missing[idx])


__all__ = ["POOL", "Scored", "expand", "rescore", "order", "query_weights"]
