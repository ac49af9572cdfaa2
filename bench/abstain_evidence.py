"""Evidence for answering, each on its own against the abstention's trade-off curve:
`python -m bench.abstain_evidence [SQUAD_PATH] [--news PATH] [--fit COLUMNS]`.

Issue 17's news row is held back by answerable questions whose first sentence is right but
which abstain (news set A's largest class, round 18). A flat lower bar answers them one for one
with on-topic questions the articles cannot answer. This bench asks whether a piece of evidence
does better than the flat bar: each evidence column (a share in 0-1, or a flag) is added to the
support with a weight, alone, and the outcome is set beside the flat bars' curve, on the tuned
parts only: news set A (the first 120 rows of tests/data/news_questions.tsv; set B is never
asked here) and SQuAD dev even articles 0-11 (the index of the even articles: questions of the
odd ones cannot be answered, as in `bench.squad`'s abstention check).

Round 21 (abst21) adds other people's seed questions (`seed_questions_others_{a,b,c,d}.tsv` and
the own set, all tuned on; part E is never asked here): answerable and on-topic `?` rows, on the
one-article seed corpus, where the consensus is always 1 and the question's names weigh nothing.
Its columns read what tells a reader "this sentence answers" rather than "it shares words": the
sentence's words beyond the question's (`new`), the question's length, the share of its words
(not their idf) in the sentence or title, the share of its weight the articles lack; and a
second bar for a question that wants a date, a name or a place the sentence shown lacks
(round 21's `TYPE_BAR`, measured and not shipped: the switch is on branch `s21-abst21`, 0e72c84). `--fit COLUMNS` learns a small logistic model on the listed columns
(with `geo` and `concentration`), two folds by question, each fold's model read on the other
fold at the flat bar's answerable SQuAD abstention of its own fold (round 11's calibration).

Questions are ranked by `answers.rank` as `Corpus.answer` ranks them (names and stories), k=30
(the first 30 shown, for the concentration at other depths); the abstention is
`answers.abstains` with the evidence's bonus added to the support (the number and money vetoes and
the opinion check as they stand).
Article-level questions (`index.answer.details`) are not applied: figures can differ from
`bench.news_questions` and `bench.seed_questions` by a question or two. Round 19, docs/answers.md.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.answer import answers, last_look, rerank
from index.answer import question as question_types
from index.answer import stories as stories_
from index.answer.query import Query
from index.corpus import Corpus
from index.search import tokens
from tests.question_sets import (
    MEANTIME,
    ROOT,
    SEED_OTHERS_A,
    SEED_OTHERS_B,
    SEED_OTHERS_C,
    SEED_OTHERS_D,
    SEED_TSV,
    TOPICAL,
    meantime_corpus,
    news_rows,
    seed_rows,
)

from . import squad_data
from .squad import _halves

# the kinds the second bar reads (round 21, abst21; answers.py had them as TYPE_BAR_KINDS on its branch)
TYPE_BAR_KINDS = frozenset({question_types.TIME, question_types.PERSON, question_types.PLACE})

SET_A = 120  # news rows 0-119 (tuned on); set B is never asked here
DEPTH = 30
WEIGHTS = (0.05, 0.085, 0.1, 0.2, 0.3)
BARS = (0.72, 0.70, 0.685, 0.67, 0.65, 0.63, 0.60)
SECOND_BARS = (0.72, 0.75, 0.78, 0.80, 0.85, 1.0)  # for a date, name or place the sentence lacks
SEED_PARTS = (SEED_TSV, SEED_OTHERS_A, SEED_OTHERS_B, SEED_OTHERS_C, SEED_OTHERS_D)  # tuned; never E
Asked = tuple[str, Callable[[int], bool] | None, bool]  # question, is-right (None: unanswerable), on-topic


@dataclass
class Row:
    """One question: what the abstention reads and each evidence column."""

    answerable: bool
    right: bool  # the sentence shown first is the gold one
    support: float  # sqrt(cov_sentence x cov_context) + CONSENSUS x concentration
    geo: float
    vetoed: bool  # the number veto (type_missing), the money veto (money_missing) or the opinion check
    evidence: dict[str, float]
    untyped: bool = False  # the question wants a date, name or place the sentence shown lacks
    topical: bool = False  # unanswerable, on the articles' topic (news and seed `?` rows)
    key: str = ""  # the question (the folds of `--fit`)


_FIGURES = re.compile(r"\d|\b(?:hundred|thousand|million|billion|trillion)s?\b", re.IGNORECASE)


def _in_figures(text: str, spans: list[tuple[int, int]]) -> bool:
    """Whether one of the sentence's number spans is in figures or has a scale word (round 19's
    NUMBER_SUPPORT read it; "first", "two" are said in passing, a stated amount is not).
    """
    return any(_FIGURES.search(text, s, e) for s, e in spans)


def _concentration(docs: list[int], depth: int) -> float:
    best = docs[:depth]
    return sum(d == best[0] for d in best) / len(best) if best else 0.0


def _confidence(look: last_look.Model | None, corpus: Corpus, query: Query, r: answers.Ranked) -> float:
    """The last look's view of the sentence shown: 1 - the chance it gives the likelier of the next
    two of being the answer instead (1 when it does not apply). Its stage-1 columns are computed
    again over the three shown, so `art_bm25` is scaled by their best, not the pool's: near the
    model's input, not equal to it.
    """
    k = min(look.k, len(r.ids)) if look else 0
    if look is None or k < 2:
        return 1.0
    ids = r.ids[:k]
    scored = rerank.rescore(corpus.bm25, query, ids, corpus.layout, last_look.stage1_columns(look))
    assert scored.F is not None
    second = np.array([rerank.stage2(p.text, query)[0] for p in corpus.passages(ids.tolist())])
    names = rerank.STAGE1 + rerank.STAGE2
    F = np.hstack([scored.F, second])[:, [names.index(f) for f in look.features]]
    return 1.0 - float(look.probability(last_look.pair_rows(F, r.scores[:k])).max())


def rows_of(corpus: Corpus, asked: list[Asked]) -> list[Row]:
    """The rows of `asked` ((question, is-right-for-a-passage-id or None when unanswerable, on-topic))."""
    index, layout = corpus.bm25, corpus.layout
    doc_col = np.asarray(layout["doc"])
    article_terms: dict[str, set[str]] = {}
    lead_terms: dict[str, set[str]] = {}
    out = []
    for text, is_right, topical in asked:
        query = corpus.prepare(text)
        r = answers.rank(query, index, corpus, DEPTH, corpus.entities(), corpus)
        if not len(r.ids) or not query.known:
            continue
        leader = int(r.ids[0])
        p = corpus.passage(leader)
        if p.doc_id not in article_terms:
            passages = corpus.passages_of(p.doc_id)
            article_terms[p.doc_id] = {t for q in passages for t in tokens.tokenize(q.text)}
            lead_terms[p.doc_id] = {t for q in passages[:2] for t in tokens.tokenize(q.text)}
        F, *_ = rerank.features(index, query, np.array([leader]), layout, full=True)
        f = dict(zip(rerank.STAGE1, F[0].tolist(), strict=True))
        mass = (query.mass + query.unknown) or 1.0
        known = sorted(((k.term, k.weight * k.times) for k in query.known), key=lambda kw: -kw[1])
        title = stories_.title_terms(corpus.story_title(corpus.story_row(p.doc_id)))
        docs = doc_col[r.ids].tolist()
        geo = math.sqrt(max(r.cov_sentence, 0.0) * max(r.cov_context, 0.0))
        figures = r.kind == question_types.NUMBER and _in_figures(p.text, r.typed.get(leader, []))
        look = last_look.model() if last_look.applies(query.text, list(query.terms)) else None
        said = tokens.tokenize(p.text)
        terms, own = set(query.terms), query.own
        judged = question_types.judgement(query.text)
        untyped = query.kind in TYPE_BAR_KINDS and rerank.types_read(query) and leader not in r.typed
        evidence = {
            "typed (the wanted type in the sentence)": float(r.kind is not None and leader in r.typed),
            "figures (a number question, a number in figures)": float(figures),
            "title (question's idf share in the story's title)": sum(w for t, w in known if t in title) / mass,
            "lead (... in its title and first two sentences)": sum(
                w for t, w in known if t in title or t in lead_terms[p.doc_id]
            )
            / mass,
            "rarest (the question's rarest term in the story)": float(
                not query.unknown and known[0][0] in article_terms[p.doc_id]
            ),
            "article (idf share anywhere in the story)": f["art"],
            "related (WordNet-related share, rerank's rel)": f["rel"],
            "gap (lead over the best other story)": r.gap,
            "last look (1 - its best challenger's chance)": _confidence(look, corpus, query, r),
            "concentration at 20 instead of 10": _concentration(docs, 20) - _concentration(docs, 10),
            "concentration at 30 instead of 10": _concentration(docs, 30) - _concentration(docs, 10),
            # Round 20, a penalty: the rarest question word the sentence's context lacks (0-1 of the
            # largest idf): an on-topic question the story cannot answer asks about a thing it never names.
            "missing (minus the rarest question term absent from the context)": -r.missing,
            # Round 21 (abst21): what the sentence says beyond the question, and the question's words by count.
            "new (minus the share of the sentence's terms the question lacks)": -sum(t not in terms for t in said)
            / max(len(said), 1),
            "length (the question's own terms, log1p / 3)": math.log1p(len(own)) / 3,
            "count (share of the question's words in the sentence or its title)": sum(
                t in said or t in title for t in own
            )
            / max(len(own), 1),
            "unknown (minus the share of the question's weight the articles lack)": -query.unknown / mass,
            "fits (no type asked, or the sentence holds it)": float(query.kind is None or leader in r.typed),
        }
        right = is_right is not None and is_right(leader)
        out.append(
            Row(
                is_right is not None,
                right,
                geo + answers.CONSENSUS * r.concentration,
                geo,
                r.type_missing or r.money_missing or (judged is not None and not (judged & set(said))),
                evidence,
                bool(untyped),
                topical,
                text,
            )
        )
    return out


def _decide(row: Row, bonus: float, bar: float, second: float | None = None) -> bool:
    """Abstains: the veto, or the support plus `bonus` below the bar (`second` for a date, name or
    place the sentence lacks).
    """
    if row.vetoed:
        return True
    own = bar
    if row.untyped and second is not None:
        own = max(own, second)
    return row.support + bonus < own


def outcome(
    rows: list[Row], bonus: Callable[[Row], float], bar: float, second: float | None = None
) -> tuple[int, int, int, int, int]:
    """(right and answered, answerable abstained, unanswerable abstained, answerable, unanswerable)."""
    ans = [r for r in rows if r.answerable]
    un = [r for r in rows if not r.answerable]
    abst = [_decide(r, bonus(r), bar, second) for r in ans]
    right = sum(r.right and not a for r, a in zip(ans, abst, strict=True))
    return right, sum(abst), sum(_decide(r, bonus(r), bar, second) for r in un), len(ans), len(un)


def _weighted(name: str, weight: float) -> Callable[[Row], float]:
    """The bonus of one evidence column at one weight."""
    return lambda row: weight * row.evidence[name]


def _holds(corpus: Corpus, options: list[str]) -> Callable[[int], bool]:
    """Right when the passage holds one of the expected texts (the news questions' rule)."""
    return lambda pid: any(x in corpus.passage(pid).text for x in options)


def _line(
    name: str,
    parts: tuple[list[Row], list[Row], list[Row]],
    bonus: Callable[[Row], float],
    bar: float,
    second: float | None = None,
) -> str:
    """One rule's row: news A and seed (right and answered, on-topic abstained), SQuAD 0-11."""
    news, seed, squad = parts
    n, e, s = (outcome(p, bonus, bar, second) for p in parts)
    return (
        f"| {name} | {n[0]} | {n[2]} of {n[4]} | {e[0]} of {e[3]} | {e[2]} of {e[4]} | {s[0]} "
        f"| {s[1]} ({100 * s[1] / max(s[3], 1):.1f}%) | {s[2]} ({100 * s[2] / max(s[4], 1):.1f}%) |"
    )


FIT_BASE = ("geo", "concentration")


def _column(row: Row, name: str) -> float:
    if name == "geo":
        return row.geo
    if name == "concentration":
        return (row.support - row.geo) / answers.CONSENSUS
    return next(v for k, v in row.evidence.items() if k.split(" ")[0] == name)


def _fold(row: Row) -> int:
    return int(hashlib.sha1(row.key.encode()).hexdigest(), 16) % 2


def logistic(X: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = 1.0) -> np.ndarray:
    """Weighted L2 logistic regression by Newton's method on standardised columns: (mean, scale,
    coefficients with the intercept last) as one array of rows.
    """
    mean, scale = X.mean(axis=0), X.std(axis=0) + 1e-9
    Z = np.hstack([(X - mean) / scale, np.ones((len(X), 1))])
    b = np.zeros(Z.shape[1])
    ridge = l2 * np.r_[np.ones(len(b) - 1), 0.0]
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-Z @ b))
        grad = Z.T @ (w * (p - y)) + ridge * b
        hess = (Z * (w * p * (1 - p))[:, None]).T @ Z + np.diag(ridge)
        b -= np.linalg.solve(hess, grad)
    return np.vstack([np.r_[mean, 0.0], np.r_[scale, 1.0], b])


def fit_report(parts: tuple[list[Row], list[Row], list[Row]], names: list[str]) -> None:
    """Two folds by question: a logistic model of "the sentence shown is right" against "the
    question has no answer" (wrong answerable rows left out), each part weighing the same, learnt
    on one fold and read on the other at the bar that abstains on as many of the learning fold's
    answerable SQuAD questions as the flat bar does; the flat bar's figures on the same fold beside.
    """
    columns = [*FIT_BASE, *names]
    for held in (0, 1):
        learn = [[r for r in p if _fold(r) != held] for p in parts]
        news, seed, squad = ([r for r in p if _fold(r) == held] for p in parts)
        read = (news, seed, squad)
        used = [[r for r in p if (r.right or not r.answerable) and not r.vetoed] for p in learn]
        rows = [r for p in used for r in p]
        weights = np.concatenate([np.full(len(p), 1000.0 / max(len(p), 1)) for p in used])  # each part the same
        X = np.array([[_column(r, c) for c in columns] for r in rows])
        model = logistic(X, np.array([float(r.answerable) for r in rows]), weights)

        def score(r: Row, model: np.ndarray = model) -> float:
            x = (np.array([_column(r, c) for c in columns]) - model[0, :-1]) / model[1, :-1]
            return float(x @ model[2, :-1] + model[2, -1])

        answerable = [r for r in learn[2] if r.answerable]
        flat = outcome(learn[2], lambda r: 0.0, answers.MIN_SUPPORT)[1]
        ranked = sorted(score(r) for r in answerable if not r.vetoed)
        cut = ranked[max(flat - sum(r.vetoed for r in answerable), 0)]

        def bonus(r: Row, score: Callable[[Row], float] = score, cut: float = cut) -> float:
            """The model's decision as a bonus on the support: below the bar exactly when below `cut`."""
            return score(r) - cut + answers.MIN_SUPPORT - r.support

        coefficients = dict(zip([*columns, "intercept"], np.round(model[2], 2).tolist(), strict=True))
        print(f"fold {held} read, learnt on the other: {coefficients}")
        print(_line("  flat bar (main)", read, lambda r: 0.0, answers.MIN_SUPPORT))
        print(_line("  logistic", read, bonus, answers.MIN_SUPPORT))


def _holds_text(corpus: Corpus, expected: str) -> Callable[[int], bool] | None:
    return None if expected in ("", TOPICAL) else _holds(corpus, expected.split(" || "))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("squad", type=Path, nargs="?", default=MEANTIME.parent.parent / "squad-dev-even.json")
    ap.add_argument("--news", type=Path, default=MEANTIME)
    ap.add_argument("--fit", default="", help="columns (first word of their names) for a logistic model")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = meantime_corpus(Path(tmp), args.news)
        news = rows_of(corpus, [(q, _holds_text(corpus, e), e == TOPICAL) for _, q, e in news_rows()[:SET_A]])
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Corpus.open(ROOT / "seeds", Path(tmp) / "index")
        asked: list[Asked] = []
        for part in SEED_PARTS:  # off-topic rows left out: every bar here abstains on them all
            asked += [(q, _holds_text(corpus, e), e == TOPICAL) for q, e in seed_rows(part) if e]
        seed = rows_of(corpus, asked)
    records, questions = squad_data.load(args.squad)
    tune = next(iter(_halves(records).values()))
    kept = {r["id"] for i, r in enumerate(records) if i % 2 == 0}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = squad_data.corpus_of([r for r in records if r["id"] in kept], Path(tmp))
        asked = []
        for q in questions:
            if q.doc_id not in tune:
                continue
            if q.doc_id in kept:
                gold = {p.pid for p in corpus.passages_of(q.doc_id) if p.char_start <= q.answer_pos < p.char_end}
                asked.append((q.text, gold.__contains__, False))
            else:
                asked.append((q.text, None, False))
        squad = rows_of(corpus, asked)
    parts = (news, seed, squad)
    print(f"news set A {len(news)} questions, seed (own, A-D) {len(seed)}, SQuAD 0-11 {len(squad)}")
    if args.fit:
        fit_report(parts, args.fit.split(","))
        return
    print(
        "| rule | news A right and answered | news A on-topic abstained | seed right and answered "
        "| seed on-topic abstained | SQuAD 0-11 right and answered | answerable abstained | unanswerable abstained |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for bar in BARS:
        print(_line(f"flat bar {bar}", parts, lambda r: 0.0, bar))
    for second in SECOND_BARS:
        print(
            _line(
                f"second bar {second} for a date, name or place the sentence lacks",
                parts,
                lambda r: 0.0,
                answers.MIN_SUPPORT,
                second,
            )
        )
    for name in news[0].evidence if news else []:
        for w in WEIGHTS:
            print(_line(f"{name} x {w}", parts, _weighted(name, w), answers.MIN_SUPPORT))


if __name__ == "__main__":
    main()
