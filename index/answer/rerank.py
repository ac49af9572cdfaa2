"""Rerank BM25's best sentences with what lies around them and with what the question wants.

A sentence rarely repeats its article's subject: "The restriction will take effect July 10"
answers "when does alibaba's ban start" although neither "Alibaba" nor "ban" is in it. So a
fixed number of BM25 candidates (`POOL`, independent of the corpus size) is rescored with

    score = sum over query terms t of
              idf(t) x (1 - MU + MU x rarity of t within the article) if t is in the sentence
            + ALPHA x idf(t) if t is only in a neighbouring sentence of the same paragraph
                             (+-WINDOW)
    divided by the query's idf mass (so the score is a share, comparable across questions),
    + PAR x the share of that mass found in its paragraph (the question was asked of a paragraph),
    + REL x the share of the terms the sentence lacks but holds a WordNet-related term of
      (index.answer.related: "bring" / "taking", "healthy" / "health"),
    + ART_BM25 x the BM25 score of the sentence's article over the best in the pool,
    + TITLE x the share of the mass whose terms the sentence lacks but its article's title says
      (round 20: a story's lede repeats its title and won on those words alone; the title is
      every sentence's context, as the paragraph is),
    + GAMMA when the question wants a date / number / name and the sentence holds one that
      the question does not already say (see index.answer.question).

That is WEIGHTS . features (`features`, `stage2`): the features are named columns so that
bench.fit_rerank can fit other weights; only the columns with a weight are computed here.

The pool is BM25's best POOL, its last places given to the same-paragraph neighbours of its best
EXPAND (`expand`): an
answer sentence that says none of the question's words ("It opened in 1998.") sits next to the
one that does, and BM25 alone never offers it (round 21 brought back round 10's expansion, at 3
instead of 10: on SQuAD it pays below the first place, where MRR reads).

Every look-up is a binary search in a term's postings (sorted by passage id, read in place by
`Postings.doc_ids`: no list is copied or weighed whole), so the cost is (query terms) x (POOL x
window) searches, logarithmic in the corpus size. (Round 11 removed the
article prior ART: it did not pay on held-out sets; docs/answers.md.)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from index.answer import derived, related
from index.answer import layout as layout_units
from index.answer import question as question_types
from index.answer.query import Query
from index.answer.sorted_ids import fit, search
from index.search import tokens, units
from index.search.postings import Postings

POOL = 100  # candidates rescored: BM25's best
EXPAND = 3  # ... the last places given to the same-paragraph neighbours (+-WINDOW) of BM25's best
#             EXPAND (round 21: SQuAD's second and third places; docs/answers.md)
WINDOW = 2  # neighbours on each side (same paragraph) that count as the sentence's context
ALPHA = 0.2  # a query term found only in the paragraph window, as a share of its idf
GAMMA = 0.15  # the sentence holds an expression of the wanted type (share of the query mass)
MU = 0.5  # share of a term's weight that depends on how rare it is within the article
PAR = 0.25  # paragraph prior: share of the query's idf mass found in the sentence's paragraph
PRON = 0.2  # the sentence opens with a pronoun: the previous sentences' query terms count again
ARTICLE_ONLY = 0.5  # context coverage: a question term found only elsewhere in the article counts
#                    this much (its paragraph counts fully): a big article holds every word
REL = 0.25  # a query term absent from the sentence, which holds a WordNet-related term
ART_BM25 = 0.3  # the article's BM25 score for the question, as a share of the pool's best
ART_K1, ART_B = 1.2, 0.75  # BM25 parameters of that article score
TITLE = 0.35  # a query term only in the sentence's article title (round 20: chosen on news set A and
#               SQuAD dev even articles 0-11; docs/answers.md)
TITLE_STORY = 60  # ... in articles of at most this many sentences: a news story's title sums it up
#                   (MEANTIME's are 2-43 sentences); a reference article's names the topic of
#                   hundreds, which its questions repeat (SQuAD's are 94-453; docs/answers.md)
TYPE_DEPTH = 30  # how many of the rescored candidates are checked for the wanted type
# Round 27 (role27): a question asking for a person by a role or an act ("who is the ceo of gm",
# `question.role_asked`) counts only a person's name as its type, not the company it names.
ROLE_PERSON = True

_OFFSETS = np.array([o for o in range(-WINDOW, WINDOW + 1) if o], dtype=np.int64)  # the window


@dataclass(slots=True)
class Scored:
    """Rescored candidates, best first, with what the abstention decision needs."""

    ids: np.ndarray  # passage ids
    scores: np.ndarray  # combined score (share of the question's idf mass, plus bonuses)
    cov_sentence: np.ndarray  # idf share of the question's terms present in the sentence
    cov_context: np.ndarray  # ... in the sentence or its paragraph (ARTICLE_ONLY if only
    #                           elsewhere in its article)
    typed: np.ndarray  # the sentence holds an expression of the wanted type
    missing: np.ndarray | None = None  # highest idf of a question term absent from the context,
    #                                    as a share of the highest possible idf
    prev: np.ndarray | None = None  # idf share of the question only in the previous sentences
    F: np.ndarray | None = None  # the stage-1 feature rows (for index.answer.last_look's last look)
    held: tuple[np.ndarray, np.ndarray] | None = None  # per candidate (rows) and known query term
    #   (columns, the query's order): whether the sentence holds it, and the share its context
    #   counts it at (1, ARTICLE_ONLY or 0): `coverage` weighs them again without a search


def _units(index: Postings, layout: np.ndarray) -> layout_units.Units:
    """The layout's article and paragraph runs (index.answer.layout), made once per index: as the
    index saved them (`index.search.units.UnitRuns`), else from the layout's rows.
    """
    tables = derived.of(index)
    if tables.units is None:
        runs = index.unit_runs() if isinstance(index, units.UnitRuns) else None
        if runs is None:
            tables.units = layout_units.units_of(layout)
        else:
            tables.units = layout_units.Units(np.asarray(layout["doc"]), *runs)
    return tables.units


def expand(index: Postings, cand: np.ndarray, layout: np.ndarray, size: int = POOL) -> np.ndarray:
    """The candidates `cand` (BM25's order) followed by the same-paragraph neighbours (+-WINDOW)
    of the best EXPAND that are not among them, in id order. They take the places of BM25's last
    candidates that are no such neighbour, so the pool holds at most max(len(cand), size) and its
    cost does not grow (round 21).
    """
    return pooled(index, cand, layout, size)[0]


def pooled(index: Postings, cand: np.ndarray, layout: np.ndarray, size: int = POOL) -> tuple[np.ndarray, np.ndarray]:
    """`expand`'s pool and the neighbours it joined (sorted ids). A dozen ids at most: one
    search for the best ones' paragraphs, the rest in Python ints (each numpy call on so few ids
    costs more than the work; speed21: 26 -> 12 us a pool alone, about 90 -> 30 inside `answer()`).
    """
    if not EXPAND or not len(cand):
        return cand, cand[:0]
    first = _units(index, layout).paragraph_first
    top = cand[:EXPAND].tolist()
    near: set[int] = set()
    for pid, at in zip(top, first.searchsorted(top, side="right").tolist(), strict=True):  # paragraph + 1
        near.update(range(max(pid - WINDOW, first.item(at - 1)), min(pid + WINDOW + 1, first.item(at))))
    offered = cand.tolist()
    extra = sorted(near.difference(offered))
    if not extra:
        return cand, cand[:0]
    over = len(offered) + len(extra) - max(len(offered), size)
    cut, kept = len(offered), []  # the pool is full: the last candidates that are no neighbour make room
    while over > 0 and cut > EXPAND:
        cut -= 1
        if offered[cut] in near:
            kept.append(offered[cut])
        else:
            over -= 1
    joined = np.array(extra, dtype=np.int64)
    tail = np.array(kept[::-1] + extra, dtype=np.int64) if kept else joined
    return np.concatenate([cand[:cut].astype(np.int64, copy=False), tail]), joined


def in_stories(index: Postings, layout: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """The candidates `ids` whose article has at most TITLE_STORY sentences (the `title` column's)."""
    tables = derived.of(index)
    if tables.stories is None or tables.stories[0] != TITLE_STORY:  # once per index
        runs = _units(index, layout)
        lengths = np.diff(runs.doc_first)
        tables.stories = (TITLE_STORY, lengths <= TITLE_STORY if (lengths <= TITLE_STORY).any() else None)
    mask = tables.stories[1]
    if mask is None:  # no story in this corpus (reference articles only): nothing to look up
        return ids[:0]
    kept: np.ndarray = ids[mask[_units(index, layout).doc[ids]]]
    return kept


def _bm25_stats(index: Postings, layout: np.ndarray, unit: str) -> tuple[np.ndarray, np.ndarray]:
    """For BM25 over larger units than sentences (unit "doc": articles, "key": paragraphs):
    per term, its idf over units; per unit (`_units(...).unit(unit)` of a passage), its length
    norm ART_K1 x (1 - ART_B + ART_B x unit length / mean unit length). Made once per index, in
    O(postings) unless the engine saved its unit counts (`index.search.units`).
    """
    per_index = derived.of(index).unit_stats
    cached = per_index.get(unit)
    if cached is None:
        runs = _units(index, layout)
        saved = index.unit_doc_freq(unit) if isinstance(index, units.UnitCounts) else None
        df = index.group_doc_freq(runs.unit(unit)) if saved is None else np.asarray(saved, dtype=np.float64)
        summed = index.unit_lengths(unit) if isinstance(index, units.UnitRuns) else None  # as saved
        lengths = runs.lengths(unit, index.doc_lengths()) if summed is None else summed
        n_units = max(int((lengths > 0).sum()), 1)
        idf = np.log1p((n_units - df + 0.5) / (df + 0.5))
        mean = lengths.sum() / n_units or 1.0
        norm = ART_K1 * (1 - ART_B + ART_B * lengths / mean)
        cached = (idf, norm)
        per_index[unit] = cached
    return cached


def _bm25_part(count: np.ndarray, idf: np.ndarray, tf: np.ndarray, norm: np.ndarray) -> np.ndarray:
    """Each query term's (rows) BM25 contribution to a unit (article, paragraph) holding it tf times."""
    part: np.ndarray = count * idf * tf * (ART_K1 + 1) / (tf + norm)
    return part


def _total(rows: np.ndarray) -> np.ndarray:
    """The rows summed one after the other, first to last (as a loop adding each would)."""
    total: np.ndarray = np.add.accumulate(rows, axis=0)[-1]
    return total


def _over_best(x: np.ndarray) -> np.ndarray:
    """`x` as a share of its largest value (0 when nothing scored)."""
    top = x.max() if len(x) else 0.0
    return x / top if top > 0 else np.zeros_like(x)


# Stage-1 features (every candidate of the pool; all shares of the question's known idf mass):
#   sent      idf of the query terms in the sentence
#   local     ... each times its in-article rarity log(1+n/df)/log(1+n)
#   win       ... terms only in the +-WINDOW same-paragraph neighbours
#   prev/next ... only in the previous / next neighbours (a subset of win)
#   art, par  ... found anywhere in the article / in the paragraph
#   bm25      the sentence's BM25 weights (tf, length norm)
#   first     the sentence opens its paragraph
#   loglen    log(1 + sentence length in terms)
#   rel       idf of the query terms absent from the sentence that holds a WordNet-related term
#             (index.answer.related: synonyms of frequent senses, derivations such as health/healthy)
#   art_bm25  BM25 of the sentence's article (tf = its sentences holding the term), divided by
#             the best article score in the pool: a tf-aware, length-normalised article prior
#   title     idf of the query terms absent from the sentence but in its article's title (round 20:
#             the title is every sentence's context, so the lede's repeating it does not decide)
# Stage-2 features (the best TYPE_DEPTH after stage 1; reads the sentence):
#   typed     it holds an expression of the wanted type the question does not say
#   prox      matched distinct terms / the shortest token span holding them all (0 if < 2)
#   bigram    idf of the query bigrams found adjacent in the sentence (share of the mass; weight 0
#             here, read by index.answer.last_look's model)
#   new       share of the sentence's terms that are not in the question
#   pron_prev the sentence opens with a pronoun ("It", "They", "This"...) x prev: its subject is
#             likely named just before
STAGE1 = (
    "sent",
    "local",
    "win",
    "prev",
    "next",
    "art",
    "par",
    "bm25",
    "first",
    "loglen",
    "rel",
    "art_bm25",
    "title",
)
STAGE2 = ("typed", "prox", "bigram", "new", "pron_prev")
HAND_SET = {  # the weights before any learning (rounds 1-6; `title` round 20)
    "sent": 1 - MU,
    "local": MU,
    "win": ALPHA,
    "par": PAR,
    "typed": GAMMA,
    "pron_prev": PRON,
    "rel": REL,
    "art_bm25": ART_BM25,
    "title": TITLE,
}


WEIGHTS = dict(HAND_SET)  # the weights in use (the fitting scripts and bench.ablate change them)
_PRONOUN = re.compile(r"\W*(?:it|he|she|they|this|these|those|his|her|its|their|there|such)\b", re.IGNORECASE)


def reload() -> None:
    """Recompute the weight vectors from WEIGHTS (after a fitting script changed it)."""
    global _W1, _W2, _NEED1, _NEED2
    _W1 = np.array([WEIGHTS.get(f, 0.0) for f in STAGE1])
    _W2 = np.array([WEIGHTS.get(f, 0.0) for f in STAGE2])
    _NEED1 = frozenset(f for f, w in zip(STAGE1, _W1, strict=False) if w)
    _NEED2 = frozenset(f for f, w in zip(STAGE2, _W2, strict=False) if w)


_W1 = _W2 = np.zeros(0)
_NEED1 = _NEED2 = frozenset[str]()
reload()


def features(
    index: Postings,
    query: Query,
    cand: np.ndarray,
    layout: np.ndarray,
    full: bool = False,
    extra: frozenset[str] = frozenset(),
    elsewhere: Mapping[str, np.ndarray] | None = None,
    titled: Mapping[str, np.ndarray] | None = None,
    cover_only: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Stage-1 feature matrix (len(cand) x len(STAGE1)), the coverages and the rows they sum:
    (F, cov_sentence, cov_context, missing, (in sentence, in context): one row a known term, one
    column a candidate; `Scored.held` transposed). Only the columns with a weight, and those in
    `extra`, are computed unless `full` (the fitting script wants them all); the others stay 0.
    `elsewhere`: per query term, the sorted passage ids that count as holding it besides its
    own postings (they hold another name of the same entity: index.answer.aliases). `titled`: per
    query term, the sorted article rows whose title holds it (index.answer.stories.title_rows).
    `cover_only`: no column the coverages do not read (`coverage_of`; F is then no score).
    """
    need = frozenset(STAGE1) if full else _NEED1 | extra | ({"prev"} if PRON else set())
    need = frozenset() if cover_only else need
    known, mass, unknown = query.known, query.mass, query.unknown
    n = len(cand)
    F = np.zeros((n, len(STAGE1)))
    if n == 0 or not known:
        z = np.zeros(n)
        return F, z, z, z, (np.zeros((0, n), dtype=bool), np.zeros((0, n)))
    runs = _units(index, layout)
    cand = cand.astype(np.int64)
    cdoc, cpar = runs.doc[cand].astype(np.int64), runs.paragraph_of(cand)
    win = np.clip(cand[:, None] + _OFFSETS[None, :], 0, len(runs.doc) - 1)
    win_ok = (runs.paragraph_of(win) == cpar[:, None]) & (win != cand[:, None])  # the same paragraph run
    before = _OFFSETS < 0
    dlo, dhi = runs.doc_first[cdoc], runs.doc_first[cdoc + 1]
    plo, phi = runs.paragraph_first[cpar], runs.paragraph_first[cpar + 1]
    n_art = (dhi - dlo).astype(np.float64)

    sent = np.zeros(n)
    local_s = np.zeros(n)
    win_s = np.zeros(n)
    prev_s = np.zeros(n)
    next_s = np.zeros(n)
    art_s = np.zeros(n)
    par_s = np.zeros(n)
    bm = np.zeros(n)
    rel_s = np.zeros(n)
    art_bm = np.zeros(n)
    if "art_bm25" in need:
        art_idf, art_norm = _bm25_stats(index, layout, "doc")
        cnorm = art_norm[cdoc]
    found_ctx = np.zeros(n)
    top_idf = float(np.log((index.n_docs + 0.5) / 0.5))
    missing = np.full(n, top_idf if unknown else 0.0)
    by_tid = {index.vocab[t]: p for t, p in (elsewhere or {}).items() if t in index.vocab and len(p)}
    lengths = index.doc_lengths()
    # Every look-up of a term is one binary search of its postings for all of these at once:
    # the candidates and their windows (held?), then the article and paragraph bounds (counts).
    # The rest is worked out for all terms at once, one row a term, and each feature summed over
    # the rows in the terms' order (np.add.accumulate: the same additions as a loop would make).
    n_terms, n_held = len(known), n + win.size
    # A term's list is read only where these probes fall (`doc_ids`: no copy, no weights), with
    # the probes searched once each and in ascending order (neighbouring probes share the pages a
    # binary search reads): at 10M sentences a common term holds millions of passages.
    probes = np.concatenate([cand, win.ravel(), dlo, dhi, plo, phi])
    order = np.argsort(probes, kind="stable")
    at_key = np.empty_like(order)
    at_key[order] = np.arange(len(order))  # the probes' places among `keys`
    keys = probes[order]
    typed_keys: dict[np.dtype, np.ndarray] = {}  # `keys` in each list type met (`fit`), cast once
    by_id = np.argsort(cand, kind="stable")  # the candidates' positions, by ascending id
    held = np.empty((n_terms, n_held), dtype=bool)
    bounds = np.empty((n_terms, 4 * n), dtype=np.intp)
    related_rows = np.zeros((n_terms, n), dtype=bool)
    for row, (_, tid, count, _idf) in enumerate(known):
        own = index.doc_ids(tid)
        own_keys = typed_keys.get(own.dtype)
        if own_keys is None:
            own_keys = typed_keys[own.dtype] = fit(keys, own.dtype)
        found = own.searchsorted(own_keys)[at_key]
        pos_c = np.minimum(found[:n_held], len(own) - 1)
        held[row] = own[pos_c] == probes[:n_held]
        more = by_tid.get(tid)
        if more is None:
            bounds[row] = found[n_held:]
        else:  # held through another name too; disjoint from `own`, so the counts add up
            found_more = search(more, keys)[at_key]
            held[row] |= more.take(found_more[:n_held], mode="clip") == probes[:n_held]
            bounds[row] = found[n_held:] + found_more[n_held:]
        if "bm25" in need:  # weighed only where the sentence holds the term
            opos = pos_c[:n]
            own_at = own[opos] == cand
            own_weights = np.zeros(n)
            own_weights[own_at] = index.weights_at(tid, opos[own_at])
            bm += count * own_weights
        if "rel" in need:  # read only where the sentence lacks the term (the feature's mask)
            lacking = by_id[~held[row, by_id]]  # ascending ids: the searches walk the lists forwards
            others = related.related_ids(index, tid).tolist() if len(lacking) else []
            if others:
                probe, got = cand[lacking], np.zeros(len(lacking), dtype=bool)
                typed_probe: dict[np.dtype, np.ndarray] = {}
                for other in others:
                    docs = index.doc_ids(other)
                    at = typed_probe.get(docs.dtype)
                    if at is None:
                        at = typed_probe[docs.dtype] = fit(probe, docs.dtype)
                    got |= docs.take(docs.searchsorted(at), mode="clip") == probe  # clip: past the end
                related_rows[row, lacking] = got
    ci = np.array([k.times * k.weight for k in known])[:, None]
    in_sent = held[:, :n]
    not_sent = ~in_sent
    hit = held[:, n:].reshape(n_terms, *win.shape) & win_ok
    in_win = hit.any(axis=2) & not_sent
    df_art = bounds[:, n : 2 * n] - bounds[:, :n]
    in_art = df_art > 0
    tf_par = bounds[:, 3 * n :] - bounds[:, 2 * n : 3 * n]
    in_par = tf_par > 0
    in_sent_ci = ci * in_sent
    sent = _total(in_sent_ci)
    if "local" in need:
        local = np.log1p(n_art / np.maximum(df_art, 1)) / np.log1p(n_art)
        local_s = _total(in_sent_ci * local)
    win_s = _total(ci * in_win)
    if "prev" in need or "next" in need:
        prev_s = _total(ci * (hit[:, :, before].any(axis=2) & not_sent))
        next_s = _total(ci * (hit[:, :, ~before].any(axis=2) & not_sent))
    art_s = _total(ci * in_art)
    if "rel" in need:
        rel_s = _total(ci * (related_rows & not_sent))
    times, tids = np.array([k.times for k in known])[:, None], [k.tid for k in known]
    if "art_bm25" in need:
        art_bm = _total(_bm25_part(times, art_idf[tids][:, None], df_art, cnorm))
    if "par" in need:
        par_s = _total(ci * in_par)
    title_s = np.zeros(n)
    if "title" in need and titled:
        in_title = np.zeros((n_terms, n), dtype=bool)
        for row, k in enumerate(known):
            rows = titled.get(k.term)
            if rows is not None and len(rows):
                in_title[row] = rows.take(rows.searchsorted(cdoc), mode="clip") == cdoc
        title_s = _total(ci * (in_title & not_sent))
    idf_col = np.array([k.weight for k in known])[:, None]
    missing = np.maximum(missing, np.where(in_art | in_sent | in_win, 0.0, idf_col).max(axis=0))
    near = in_sent | in_win | in_par
    in_ctx = near + ARTICLE_ONLY * (in_art & ~near)
    found_ctx = _total(ci * in_ctx)
    scale = 1.0 / mass if mass else 1.0
    F[:, 0] = sent * scale
    F[:, 1] = local_s * scale
    F[:, 2] = win_s * scale
    F[:, 3] = prev_s * scale
    F[:, 4] = next_s * scale
    F[:, 5] = art_s * scale
    F[:, 6] = par_s * scale
    F[:, 7] = bm * scale
    F[:, 8] = cand == plo
    F[:, 9] = np.log1p(lengths[cand].astype(np.float64))
    F[:, 10] = rel_s * scale
    F[:, 11] = _over_best(art_bm)
    F[:, 12] = title_s * scale
    denom = (mass + unknown) or 1.0
    return F, sent / denom, found_ctx / denom, missing / top_idf, (in_sent, in_ctx)


def rescore(
    index: Postings,
    query: Query,
    cand: np.ndarray,
    layout: np.ndarray,
    extra: frozenset[str] = frozenset(),
    elsewhere: Mapping[str, np.ndarray] | None = None,
    titled: Mapping[str, np.ndarray] | None = None,
) -> Scored:
    """Context scores of the candidates `cand` (not yet sorted): WEIGHTS . stage-1 features
    (`extra`: more columns to compute and keep in `.F`, for index.answer.last_look; `elsewhere`:
    see `features`; `titled`: see `features`).
    """
    F, cov_s, cov_c, missing, (in_sent, in_ctx) = features(
        index, query, cand, layout, extra=extra, elsewhere=elsewhere, titled=titled
    )
    return Scored(
        cand.astype(np.int64),
        F @ _W1,
        cov_s,
        cov_c,
        np.zeros(len(cand), dtype=bool),
        missing,
        F[:, STAGE1.index("prev")],
        F,
        (in_sent.T, in_ctx.T),
    )


def coverage_of(
    index: Postings, query: Query, pid: int, layout: np.ndarray, elsewhere: Mapping[str, np.ndarray] | None = None
) -> tuple[float, float]:
    """The sentence and context coverage of the passage `pid` for `query` as `rescore` gives them,
    without the weighed columns (BM25 weights, related terms, the article's BM25) they do not read:
    the abstention's as-typed query, whose terms the pool was not rescored with.
    """
    cand = np.array([pid], dtype=np.int64)
    _, cov_s, cov_c, _, _ = features(index, query, cand, layout, elsewhere=elsewhere, cover_only=True)
    return float(cov_s[0]), float(cov_c[0])


def coverage(scored: Scored, at: int, query: Query) -> tuple[float, float]:
    """The sentence and context coverage of `scored`'s candidate at position `at` with `query`'s
    weights: the query it was rescored with, or the same terms weighed otherwise (the abstention's
    `query.background`), summed as `features` sums them (the same additions, the same floats)
    from the rows it kept (`Scored.held`), without searching a postings list again.
    """
    if scored.held is None:
        raise ValueError("coverage reads the rows `rescore` keeps")
    in_sent, in_ctx = scored.held
    if not query.known:
        return 0.0, 0.0
    if in_sent.shape[1] != len(query.known):
        raise ValueError("coverage weighs the terms the candidates were rescored with")
    ci = np.array([k.times * k.weight for k in query.known])
    denom = (query.mass + query.unknown) or 1.0
    return float(_total(ci * in_sent[at]) / denom), float(_total(ci * in_ctx[at]) / denom)


def _shortest_span(positions: dict[str, list[int]]) -> int:
    """Length of the shortest token window holding every key of `positions` at least once."""
    events = sorted((p, t) for t, ps in positions.items() for p in ps)
    have: Counter[str] = Counter()
    need, best, left = len(positions), len(events) and 1 << 30, 0
    covered = 0
    for _right, (p, t) in enumerate(events):
        have[t] += 1
        covered += have[t] == 1
        while covered == need:
            best = min(best, p - events[left][0] + 1)
            lt = events[left][1]
            have[lt] -= 1
            covered -= have[lt] == 0
            left += 1
    return best


@lru_cache(maxsize=question_types.SPAN_CACHE)
def _sentence_terms(text: str) -> tuple[str, ...]:
    """The terms of a sentence (the last look reads the same best sentences question after
    question, as `question.answer_spans` does).
    """
    return tuple(tokens.tokenize(text))


def stage2(text: str, query: Query, full: bool = True, prev: float = 0.0) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Stage-2 features of one sentence and its spans of the wanted type (without `full`,
    only the answer type unless another stage-2 feature has a weight).
    """
    terms, pairs, mass = set(query.terms), query.pairs, query.mass
    f = np.zeros(len(STAGE2))
    spans = _typed_spans(text, query, terms)
    f[0] = bool(spans)
    if prev and _PRONOUN.match(text):
        f[4] = prev
    if not full and not (_NEED2 - {"typed", "pron_prev"}):
        return f, spans
    sent = _sentence_terms(text)
    positions: dict[str, list[int]] = {}
    for i, t in enumerate(sent):
        if t in terms:
            positions.setdefault(t, []).append(i)
    if len(positions) >= 2:
        f[1] = len(positions) / _shortest_span(positions)
    if pairs and mass:
        for a, b in sorted(pairs & set(zip(sent, sent[1:], strict=False))):  # summed in one order: the
            # same float in every process (a set of str iterates by the hash seed)
            ia, ib = query.idf.get(a, 0.0), query.idf.get(b, 0.0)
            f[2] += (ia + ib) / 2 / mass
    if sent:
        f[3] = sum(t not in terms for t in sent) / len(sent)
    return f, spans


def _typed_spans(text: str, query: Query, terms: set[str]) -> list[tuple[int, int]]:
    """The sentence's expressions of the wanted type the question does not say: for a question
    asking for a person by a role (ROLE_PERSON), its persons' names only.
    """
    if not query.kind:
        return []
    if role_person(query):
        return question_types.person_spans(text, terms)
    return question_types.answer_spans(text, query.kind, terms)


def role_person(query: Query) -> bool:
    """Whether only a person's name counts as the question's type: it asks for a person by a role
    or an act (`question.role_asked`) and ROLE_PERSON is on (`answers.type_first` reads it too).
    """
    return ROLE_PERSON and query.kind == question_types.PERSON and question_types.role_asked(query.text)


def _reads(scored: Scored, query: Query) -> list[int] | None:
    """Positions of the sentences `refine` reads (None: it reads none and changes nothing):
    the best TYPE_DEPTH, less those with nothing to read them for (no answer type wanted, no
    pronoun feature to weigh, and only those two stage-2 features weighted).
    """
    kind = query.kind
    if not _W2.any() or not (kind or _NEED2 - {"typed"}):
        return None
    depth = min(TYPE_DEPTH, len(scored.ids))
    if kind or not _NEED2 <= {"typed", "pron_prev"}:
        return list(range(depth))
    prev = scored.prev if scored.prev is not None else np.zeros(len(scored.ids))
    return np.flatnonzero(prev[:depth]).tolist()


def types_read(query: Query) -> bool:
    """Whether `refine` looks for the answer type in the best sentences (so that `typed` says
    something): the question wants a type and the stage-2 features have weights.
    """
    return query.kind is not None and bool(_W2.any())


def to_read(scored: Scored, query: Query) -> list[int]:
    """The passage ids `refine` will read, best first (so that a caller can read them at once)."""
    reads = _reads(scored, query)
    return scored.ids[reads].tolist() if reads else []


def refine(
    scored: Scored, query: Query, text_of: Callable[[int], str]
) -> tuple[Scored, dict[int, list[tuple[int, int]]]]:
    """Second pass over the best TYPE_DEPTH (already ordered): read the sentences, add
    WEIGHTS . stage-2 features (answer type, proximity, bigrams...), reorder. Returns the
    spans of the wanted type.
    """
    reads = _reads(scored, query)
    if reads is None:
        return scored, {}
    prev = scored.prev if scored.prev is not None else np.zeros(len(scored.ids))
    bonus = np.zeros(len(scored.ids))
    typed: dict[int, list[tuple[int, int]]] = {}
    more = query.prior.typed if query.prior is not None else 0.0  # a type-only follow-up ("when?")
    for i in reads:
        pid = int(scored.ids[i])
        f, spans = stage2(text_of(pid), query, full=False, prev=float(prev[i]))
        if spans:
            typed[pid] = spans
        bonus[i] = f @ _W2 + more * f[0]
    scored.scores = scored.scores + bonus
    scored.typed = np.array([pid in typed for pid in scored.ids.tolist()], dtype=bool)
    return order(scored), typed


def order(scored: Scored) -> Scored:
    """Best first; ties by passage id."""
    return take(scored, np.lexsort((scored.ids, -scored.scores)))


def take(scored: Scored, idx: np.ndarray) -> Scored:
    """The candidates in the order `idx` (positions)."""
    return Scored(
        scored.ids[idx],
        scored.scores[idx],
        scored.cov_sentence[idx],
        scored.cov_context[idx],
        scored.typed[idx],
        None if scored.missing is None else scored.missing[idx],
        None if scored.prev is None else scored.prev[idx],
        None if scored.F is None else scored.F[idx],
        None if scored.held is None else (scored.held[0][idx], scored.held[1][idx]),
    )


__all__ = [
    "POOL",
    "EXPAND",
    "Scored",
    "expand",
    "pooled",
    "features",
    "rescore",
    "coverage",
    "coverage_of",
    "stage2",
    "refine",
    "to_read",
    "role_person",
    "types_read",
    "order",
    "take",
    "reload",
    "in_stories",
]
