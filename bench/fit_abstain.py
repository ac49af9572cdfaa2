"""Fit the abstention rule on the tune half of SQuAD (a dev script, not run by the bot).

`python -m bench.fit_abstain ../shared/data/squad-dev-even.json [--heldout]`

As in bench.squad: an index of the even-numbered articles; questions of the odd-numbered ones
cannot be answered. For each question, the features of `index.answer.answers.rank` (k=3) that the
abstention may read; a logistic regression (numpy, L2) separates answerable from unanswerable
on the questions of articles 0-11 only, and the threshold is set so that 5% of the tune half's
answerable questions abstain. Cross-validation inside the tune half (articles 0,2,..,10 of each
kind vs 1,3,..,11 is impossible: answerable ones are even) splits whole articles:
{0,1,4,5,8,9} against {2,3,6,7,10,11}.
"""

from __future__ import annotations

import argparse
import math
import tempfile
from pathlib import Path

import numpy as np

from index.answer import question as question_types
from index.answer.answers import CONSENSUS, MIN_SUPPORT, rank
from index.search import tokens

from . import squad_data
from .squad import _halves


def feature_row(r, question: str, index, passage) -> list[float]:
    cs, cc = max(r.cov_sentence, 0.0), max(r.cov_context, 0.0)
    s = r.scores.tolist() + [0.0, 0.0]
    frame = question_types.frame_terms(question)
    raw = [t for t in tokens.tokenize(question) if t not in frame]
    unknown = sum(t not in index.vocab for t in set(raw)) / max(len(set(raw)), 1)
    best = set(tokens.tokenize(passage(int(r.ids[0])).text)) if len(r.ids) else set()
    idfs = [float(index.idf[index.vocab[t]]) for t in set(r.query) if t in index.vocab and t not in best]
    top = math.log((index.n_docs + 0.5) / 0.5)
    return [
        math.sqrt(cs * cc),
        cs,
        cc,
        r.missing,
        s[0],
        s[0] - s[1],
        math.log(1 + len(r.query)),
        float(r.kind is not None),
        float(len(r.ids) > 0 and int(r.ids[0]) in r.typed),
        unknown,
        max(idfs, default=0.0) / top,
        r.concentration,
    ]


NAMES = (
    "geo",
    "cov_sentence",
    "cov_context",
    "missing",
    "score",
    "gap",
    "log_terms",
    "kind",
    "typed",
    "unknown",
    "missing_sentence",
    "concentration",
)


def extract(path: Path):
    records, questions = squad_data.load(path)
    halves = list(_halves(records).values())
    kept = {r["id"] for i, r in enumerate(records) if i % 2 == 0}
    X, y, tune, doc = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        corpus = squad_data.corpus_of([r for r in records if r["id"] in kept], Path(tmp))
        for q in questions:
            # as Corpus.answer ranks (names and stories too), so the bar fits what the bot reads
            r = rank(corpus.prepare(q.text), corpus.bm25, corpus, 3, corpus.entities(), corpus)
            X.append(feature_row(r, q.text, corpus.bm25, corpus.passage))
            y.append(q.doc_id in kept)
            tune.append(q.doc_id in halves[0])
            doc.append(int(q.doc_id[5:]))
    return np.array(X), np.array(y), np.array(tune), np.array(doc)


def logistic(X: np.ndarray, y: np.ndarray, l2: float = 1e-2, steps: int = 50) -> np.ndarray:
    """Newton's method; X already has its bias column."""
    w = np.zeros(X.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(X @ w)))
        g = X.T @ (p - y) / len(y) + l2 * w
        H = (X * (p * (1 - p))[:, None]).T @ X / len(y) + l2 * np.eye(len(w))
        w -= np.linalg.solve(H, g)
    return w


def rates(score: np.ndarray, y: np.ndarray, threshold: float) -> tuple[float, float]:
    """(abstained on unanswerable, abstained on answerable) when score < threshold abstains."""
    ab = score < threshold
    return float(ab[~y].mean()), float(ab[y].mean())


def threshold_at(score: np.ndarray, y: np.ndarray, wrong: float = 0.05) -> float:
    return float(np.quantile(score[y], wrong))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", type=Path)
    ap.add_argument("--heldout", action="store_true")
    ap.add_argument("--features", default=",".join(NAMES))
    args = ap.parse_args()
    X, y, tune, doc = extract(args.path)
    cols = [NAMES.index(f) for f in args.features.split(",")]
    mu, sd = X[tune].mean(0), X[tune].std(0) + 1e-9
    Z = np.column_stack([np.ones(len(X)), ((X - mu) / sd)[:, cols]])
    par = (doc // 2) % 2 == 0  # articles {0,1,4,5,8,9} vs {2,3,6,7,10,11}: whole articles
    geo = X[:, 0]
    rule = geo + CONSENSUS * X[:, NAMES.index("concentration")]
    print(
        "current rule (geo + %.2f x concentration >= %.3f): tune %.1f%% / %.1f%%, held-out %.1f%% / %.1f%%"
        % (
            (CONSENSUS, MIN_SUPPORT)
            + tuple(100 * np.array(rates(rule[tune], y[tune], MIN_SUPPORT)))
            + tuple(100 * np.array(rates(rule[~tune], y[~tune], MIN_SUPPORT)))
        )
    )
    bar = threshold_at(rule[tune], y[tune], 0.045)
    print(
        "current rule's bar re-calibrated (4.5%% of the tune half's answerable abstain): %.3f (%.4f): "
        "tune %.1f%% / %.1f%%" % ((bar, bar) + tuple(100 * np.array(rates(rule[tune], y[tune], round(bar, 3)))))
    )
    for a, b in ((par, ~par), (~par, par)):
        w = logistic(Z[tune & a], y[tune & a])
        t = threshold_at(Z[tune & a] @ w, y[tune & a])
        tg = threshold_at(geo[tune & a], y[tune & a])
        print(
            "  cv: geo {:.1f}% / {:.1f}%".format(*100 * np.array(rates(geo[tune & b], y[tune & b], tg))),
            " model {:.1f}% / {:.1f}%".format(*100 * np.array(rates(Z[tune & b] @ w, y[tune & b], t))),
            f"| at 5% wrong on that fold: geo {100 * rates(geo[tune & b], y[tune & b], threshold_at(geo[tune & b], y[tune & b]))[0]:.1f}%, model {100 * rates(Z[tune & b] @ w, y[tune & b], threshold_at(Z[tune & b] @ w, y[tune & b]))[0]:.1f}%",
        )
    w = logistic(Z[tune], y[tune])
    t = threshold_at(Z[tune] @ w, y[tune])
    # the same model in raw feature units: sum(coef * x) + bias >= threshold answers
    coef = w[1:] / sd[cols]
    bias = w[0] - float(np.sum(w[1:] * mu[cols] / sd[cols]))
    print(
        "model:",
        {NAMES[c]: round(float(v), 4) for c, v in zip(cols, coef, strict=True)},
        "bias",
        round(bias, 4),
        "threshold",
        round(t, 4),
    )
    print("tune: {:.1f}% / {:.1f}%".format(*100 * np.array(rates(Z[tune] @ w, y[tune], t))))
    if args.heldout:
        print("held-out: {:.1f}% / {:.1f}%".format(*100 * np.array(rates(Z[~tune] @ w, y[~tune], t))))


if __name__ == "__main__":
    main()
