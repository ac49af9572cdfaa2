"""Evidence for answering, each on its own against the abstention's trade-off curve:
`python -m bench.abstain_evidence [SQUAD_PATH] [--news PATH]`.

Issue 17's news row is held back by answerable questions whose first sentence is right but
which abstain (news set A's largest class, round 18). A flat lower bar answers them one for one
with on-topic questions the articles cannot answer. This bench asks whether a piece of evidence
does better than the flat bar: each evidence column (a share in 0-1, or a flag) is added to the
support with a weight, alone, and the outcome is set beside the flat bars' curve, on the tuned
parts only: news set A (the first 120 rows of tests/data/news_questions.tsv; set B is never
asked here) and SQuAD dev even articles 0-11 (the index of the even articles: questions of the
odd ones cannot be answered, as in `bench.squad`'s abstention check).

Questions are ranked by `answers.rank` as `Corpus.answer` ranks them (names and stories), k=30
(the first 30 shown, for the concentration at other depths); the abstention is
`answers.abstains` with the evidence's bonus added to the support (the number veto and
NUMBER_SUPPORT as they stand: run with NUMBER_SUPPORT off to see the base rule). Article-level
questions (`index.answer.details`) and the opinion check are not applied: figures can differ
from `bench.news_questions` by a question or two. Round 19, docs/answers.md.
"""

from __future__ import annotations

import argparse
import math
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
from tests.question_sets import MEANTIME, TOPICAL, meantime_corpus, news_rows

from . import squad_data
from .squad import _halves

SET_A = 120  # news rows 0-119 (tuned on); set B is never asked here
DEPTH = 30
WEIGHTS = (0.05, 0.085, 0.1, 0.2, 0.3)
BARS = (0.72, 0.70, 0.685, 0.67, 0.65, 0.63, 0.60)


@dataclass
class Row:
    """One question: what the abstention reads and each evidence column."""

    answerable: bool
    right: bool  # the sentence shown first is the gold one
    support: float  # sqrt(cov_sentence x cov_context) + CONSENSUS x concentration
    geo: float
    vetoed: bool  # the number veto (type_missing)
    figures: bool
    evidence: dict[str, float]


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


def rows_of(corpus: Corpus, asked: list[tuple[str, Callable[[int], bool] | None]]) -> list[Row]:
    """The rows of `asked` ((question, is-right-for-a-passage-id or None when unanswerable))."""
    index, layout = corpus.bm25, corpus.layout
    doc_col = np.asarray(layout["doc"])
    article_terms: dict[str, set[str]] = {}
    lead_terms: dict[str, set[str]] = {}
    out = []
    for text, is_right in asked:
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
        figures = r.kind == question_types.NUMBER and answers.in_figures(leader, r.typed, corpus.passage)
        look = last_look.model() if last_look.applies(query.text, list(query.terms)) else None
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
        }
        right = is_right is not None and is_right(leader)
        out.append(
            Row(
                is_right is not None,
                right,
                geo + answers.CONSENSUS * r.concentration,
                geo,
                r.type_missing,
                figures,
                evidence,
            )
        )
    return out


def _decide(row: Row, bonus: float, bar: float) -> bool:
    """Abstains: the veto, or the support plus `bonus` below the bar (NUMBER_SUPPORT's own bar
    for figures when it is on).
    """
    if row.vetoed:
        return True
    number_bar = answers.NUMBER_SUPPORT
    own = min(bar, number_bar) if row.figures and number_bar is not None else bar
    return row.support + bonus < own


def outcome(rows: list[Row], bonus: Callable[[Row], float], bar: float) -> tuple[int, int, int, int, int]:
    """(right and answered, answerable abstained, unanswerable abstained, answerable, unanswerable)."""
    ans = [r for r in rows if r.answerable]
    un = [r for r in rows if not r.answerable]
    abst = [_decide(r, bonus(r), bar) for r in ans]
    right = sum(r.right and not a for r, a in zip(ans, abst, strict=True))
    return right, sum(abst), sum(_decide(r, bonus(r), bar) for r in un), len(ans), len(un)


def _weighted(name: str, weight: float) -> Callable[[Row], float]:
    """The bonus of one evidence column at one weight."""
    return lambda row: weight * row.evidence[name]


def _holds(corpus: Corpus, options: list[str]) -> Callable[[int], bool]:
    """Right when the passage holds one of the expected texts (the news questions' rule)."""
    return lambda pid: any(x in corpus.passage(pid).text for x in options)


def _line(name: str, news: list[Row], squad: list[Row], bonus: Callable[[Row], float], bar: float) -> str:
    n, s = outcome(news, bonus, bar), outcome(squad, bonus, bar)
    return (
        f"| {name} | {n[0]} | {n[2]} of {n[4]} | {s[0]} | {s[1]} ({100 * s[1] / max(s[3], 1):.1f}%) "
        f"| {s[2]} ({100 * s[2] / max(s[4], 1):.1f}%) |"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("squad", type=Path, nargs="?", default=MEANTIME.parent.parent / "squad-dev-even.json")
    ap.add_argument("--news", type=Path, default=MEANTIME)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = meantime_corpus(Path(tmp), args.news)
        asked: list[tuple[str, Callable[[int], bool] | None]] = []
        for _, question, expected in news_rows()[:SET_A]:
            if expected == TOPICAL:
                asked.append((question, None))
            else:
                options = expected.split(" || ")
                asked.append((question, _holds(corpus, options)))
        news = rows_of(corpus, asked)
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
                asked.append((q.text, gold.__contains__))
            else:
                asked.append((q.text, None))
        squad = rows_of(corpus, asked)
    print(f"NUMBER_SUPPORT {answers.NUMBER_SUPPORT}; news set A {len(news)} questions, SQuAD 0-11 {len(squad)}")
    print(
        "| rule | news A right and answered | news A on-topic abstained | SQuAD 0-11 right and answered | answerable abstained | unanswerable abstained |"
    )
    print("|---|---|---|---|---|---|")
    for bar in BARS:
        print(_line(f"flat bar {bar}", news, squad, lambda r: 0.0, bar))
    for name in news[0].evidence if news else []:
        for w in WEIGHTS:
            print(_line(f"{name} x {w}", news, squad, _weighted(name, w), answers.MIN_SUPPORT))


if __name__ == "__main__":
    main()
