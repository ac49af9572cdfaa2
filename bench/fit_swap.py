"""Learn index.answer.last_look's model (the last look at the top three) and measure it out of sample.

`python -m bench.fit_swap ../shared/data/squad-dev-even.json [--crossfit] [--write]`

Needs scikit-learn (`pip install -e '.[train]'`); the bot does not. The candidate pools and
their features are bench.fit_rerank's (the same as `index.answer.answers.rank`). For every question
of the training articles whose leader and one of the next K-1 differ in being the answer
sentence, one example: index.answer.last_look.pair_rows of the two, labelled 1 when the challenger is the
answer. A HistGradientBoostingClassifier (depth 3, 150 trees, learning rate .05, L2 1.0;
deterministic) learns them.

Printed: P@1 and MRR of the current ranking and with the model, for a model learnt on the tune
half (articles 0-11) read on the held-out half, and with --crossfit also one learnt on the
held-out half read on the tune half and the whole set scored that way (every question by a
model that never saw its article), and the two cross-validation folds inside the tune half.
--write stores the tune-half model as index/data/swap_model.json, with a few of its inputs and
scikit-learn's raw outputs for them (tests/index/answer/test_last_look.py checks index.answer.last_look against those).
--read FILE reads a look learnt elsewhere (`python -m tools.train_ranker --swap-out FILE`: SQuAD
train and CoQA, never this set) on both halves, no refit: the floor with no model trained on it
(round 22, docs/answers.md).
--param KEY=VALUE (a JSON value; repeatable) and --drop COLUMN,... change the recipe for one run
(the ensemble's parameters, the columns the look reads) without editing PARAMS and COLUMNS;
--where prints, per half, where the look learnt on the other half loses against the one learnt on
the same half, by class of question; --refits N the cross-fitted figure's mean and spread over N
refits, each look learnt on a random REFIT_SHARE of its half's questions (round 26, docs/answers.md).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

from index.answer import last_look, rerank

from . import fit_rerank, squad_data

COLUMNS: tuple[str, ...] = rerank.STAGE1 + rerank.STAGE2
K = 3
PARAMS = {
    "max_depth": 3,
    "max_iter": 150,
    "learning_rate": 0.05,
    "l2_regularization": 1.0,
    "early_stopping": False,
    "random_state": 0,
}
TUNE, HELD = set(range(12)), set(range(12, 24))
REFIT_SHARE, REFIT_SEED = 0.9, 26  # --refits: each refit learns from this share of its half's questions


def prepared(d: dict) -> list[dict]:
    """Per question: its article, the gold rank after the rerank, and the pair rows of its top K."""
    w = np.array([rerank.WEIGHTS.get(f, 0.0) for f in fit_rerank.NAMES])
    cols = [fit_rerank.NAMES.index(f) for f in COLUMNS]
    out = []
    for F, gold, ids, doc, applies in zip(d["F"], d["gold"], d["ids"], d["doc"], d["applies"], strict=True):
        item = {"doc": doc, "rank": None, "rows": np.zeros((0, 3 * len(cols) + 1)), "gold": [], "applies": applies}
        if len(ids):
            o, s = fit_rerank.order_pool(F, ids, w)
            g = np.flatnonzero(gold[o][:100])
            item["rank"] = int(g[0]) + 1 if len(g) else None
            top = o[:K]
            item["rows"] = last_look.pair_rows(F[top][:, cols], s[: len(top)])
            item["gold"] = [bool(gold[i]) for i in top]
        out.append(item)
    return out


def examples(items: list[dict], docs: set[int]) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for it in items:
        if it["doc"] not in docs:
            continue
        for j in range(1, len(it["gold"])):
            if it["gold"][0] != it["gold"][j]:
                xs.append(it["rows"][j - 1])
                ys.append(it["gold"][j])
    return np.array(xs), np.array(ys, dtype=int)


def train(items: list[dict], docs: set[int]):
    from sklearn.ensemble import HistGradientBoostingClassifier

    X, y = examples(items, docs)
    return HistGradientBoostingClassifier(**PARAMS).fit(X, y)


def to_json(clf, about: str, threshold: float) -> dict:
    """The fitted ensemble as index.answer.last_look reads it (scikit-learn's tree arrays, no pickle)."""
    import sklearn

    trees = []
    for (predictor,) in clf._predictors:  # binary classification: one tree per iteration
        nodes = predictor.nodes
        if nodes["is_categorical"].any():
            raise ValueError("categorical splits are not supported")
        trees.append(
            {
                "feature": nodes["feature_idx"].tolist(),
                "threshold": nodes["num_threshold"].tolist(),
                "left": nodes["left"].tolist(),
                "right": nodes["right"].tolist(),
                "leaf": nodes["is_leaf"].astype(bool).tolist(),
                "value": nodes["value"].tolist(),
                "depth": int(nodes["depth"].max()),
            }
        )
    return {
        "format": last_look.FORMAT,
        "about": about,
        "sklearn": sklearn.__version__,
        "params": dict(PARAMS),
        "features": list(COLUMNS),
        "k": K,
        "threshold": threshold,
        "baseline": float(np.ravel(clf._baseline_prediction)[0]),
        "trees": trees,
    }


def scored(items: list[dict], docs: set[int], model: last_look.Model | None) -> tuple[float, float]:
    """P@1 and MRR over the questions of `docs`, with the model's last look where
    index.answer.last_look.applies (or without)."""
    p1 = mrr = 0.0
    n = 0
    for it in items:
        if it["doc"] not in docs:
            continue
        n += 1
        r = it["rank"]
        if model is not None and it["applies"]:
            j = last_look.pick(model, it["rows"])
            if j and r is not None:
                r = 1 if r == j + 1 else (r + 1 if r <= j else r)
        p1 += r == 1
        mrr += 1 / r if r else 0.0
    return p1 / max(n, 1), mrr / max(n, 1)


def openers(path: Path, d: dict) -> list[list[bool]]:
    """Per question of `d` (fit_rerank.load's pools of `path`): whether each of its best K by the
    rerank opens its paragraph (the pool ids are those of the same corpus, indexed again here)."""
    w = np.array([rerank.WEIGHTS.get(f, 0.0) for f in fit_rerank.NAMES])
    with tempfile.TemporaryDirectory() as tmp:
        corpus = squad_data.corpus_of(squad_data.load(path)[0], Path(tmp))
        out = []
        for F, ids in zip(d["F"], d["ids"], strict=True):
            top = ids[fit_rerank.order_pool(F, ids, w)[0][:K]] if len(ids) else ids
            passages = [corpus.passage(int(p)) for p in top.tolist()]
            before = [corpus.passage(p.pid - 1) if p.pid else None for p in passages]
            out.append(
                [
                    b is None or (b.doc_id, b.paragraph) != (p.doc_id, p.paragraph)
                    for b, p in zip(before, passages, strict=True)
                ]
            )
    return out


CLASSES = [
    "all",
    "the pool misses the answer",
    "the look is not read (yes/no, < 3 terms)",
    "gold below the best K",
    "gold first (the look can only lose)",
    "gold 2nd or 3rd (the look can win)",
    "  leader opens its paragraph",
    "  leader inside its paragraph",
    "  leader's lead < .02 over a challenger (a near tie)",
    "  leader's lead >= .02",
]


def classes(it: dict, opens: list[bool]) -> list[str]:
    """The classes of one question for --where: where its gold stands before the look, and for a
    question the look may win (gold in the best K, look read) the leader's place and lead."""
    r = it["rank"]
    if r is None:
        return ["the pool misses the answer"]
    if not it["applies"]:
        return ["the look is not read (yes/no, < 3 terms)"]
    if r > K:
        return ["gold below the best K"]
    lead = float(np.min(it["rows"][:, -1])) if len(it["rows"]) else 1.0
    return [
        "gold first (the look can only lose)" if r == 1 else "gold 2nd or 3rd (the look can win)",
        "  leader opens its paragraph" if opens[0] else "  leader inside its paragraph",
        "  leader's lead < .02 over a challenger (a near tie)" if lead < 0.02 else "  leader's lead >= .02",
    ]


def where(items: list[dict], opens: list[list[bool]], models: dict[str, tuple]) -> None:
    """Right first and MRR per class with the look learnt on the same half (in sample) and on the
    other half (cross-fitted), and how often each moved the leader."""
    for half, (docs, same, other) in models.items():
        c: Counter = Counter()
        for it, op in zip(items, opens, strict=True):
            if it["doc"] not in docs:
                continue
            ranks = {}
            for name, m in (("in", same), ("cross", other)):
                j = last_look.pick(m, it["rows"]) if it["applies"] else 0
                r = it["rank"]
                if j and r is not None:
                    r = 1 if r == j + 1 else (r + 1 if r <= j else r)
                ranks[name] = r
                c[name + " moved", "all"] += bool(j)
            for k in CLASSES[:1] + classes(it, op):
                c["n", k] += 1
                c["without", k] += it["rank"] == 1
                for name, r in ranks.items():
                    c[name, k] += r == 1
                    c[name + " rr", k] += 1 / r if r else 0.0
        print(
            f"{half}: the look moved the leader {c['in moved', 'all']} times in sample, {c['cross moved', 'all']} cross-fitted"
        )
        print("| class | questions | right first: without / in sample / cross-fitted | MRR in sample / cross-fitted |")
        print("|---|---|---|---|")
        for k in sorted({k for _, k in c}, key=CLASSES.index):
            n = c["n", k]
            print(
                f"| {k} | {n} | {c['without', k]} / {c['in', k]} / {c['cross', k]} ({c['cross', k] - c['in', k]:+d}) "
                f"| {c['in rr', k] / n:.4f} / {c['cross rr', k] / n:.4f} |"
            )


def elsewhere(items: list[dict], model: last_look.Model) -> dict[str, tuple[float, float]]:
    """P@1 and MRR per half and whole with a look learnt on other data (tools.train_ranker's
    SQuAD train and CoQA), read as it is: no question of this set taught it, so both halves
    and the whole are held out (the issue's floor "with no model trained on it").
    """
    return {
        "tune": scored(items, TUNE, model),
        "held-out": scored(items, HELD, model),
        "whole": scored(items, TUNE | HELD, model),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", type=Path)
    ap.add_argument("--crossfit", action="store_true")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--threshold", type=float, default=0.5, help="probability over which the challenger moves first")
    ap.add_argument("--read", type=Path, help="a look learnt elsewhere, read on both halves (no refit)")
    ap.add_argument(
        "--param", action="append", default=[], help="KEY=VALUE (JSON): the ensemble's parameter for this run"
    )
    ap.add_argument("--drop", default="", help="columns the look does not read in this run (comma-separated)")
    ap.add_argument("--where", action="store_true", help="per half and class: in sample against cross-fitted")
    ap.add_argument("--refits", type=int, default=0, help="the cross-fitted figure's spread over N subsampled refits")
    args = ap.parse_args()
    global COLUMNS
    for pair in args.param:
        key, value = pair.split("=", 1)
        PARAMS[key] = json.loads(value)
    COLUMNS = tuple(f for f in COLUMNS if f not in args.drop.split(","))
    d = fit_rerank.load(args.path)
    items = prepared(d)
    about = (
        "Verbatim's last-look model (index/answer/last_look.py), learnt by `python -m bench.fit_swap` "
        "on the questions of articles 0-11 of squad-dev-even.json (SQuAD v1.1, Rajpurkar "
        "et al. 2016, CC BY-SA 4.0)."
    )

    def learnt(docs: set[int], share: float = 1.0, rng: np.random.Generator | None = None) -> last_look.Model:
        chosen = items if rng is None else [it for it in items if rng.random() < share]
        return last_look.from_json(to_json(train(chosen, docs), about, args.threshold))

    tune = learnt(TUNE)
    print(
        "without: tune %.4f / %.4f, held-out %.4f / %.4f, whole %.4f / %.4f (P@1 / MRR)"
        % (scored(items, TUNE, None) + scored(items, HELD, None) + scored(items, TUNE | HELD, None))
    )
    print("learnt on tune, read on held-out: {:.4f} / {:.4f}".format(*scored(items, HELD, tune)))
    if args.read:
        read = elsewhere(items, last_look.from_json(json.loads(args.read.read_text(encoding="utf-8"))))
        print(
            f"learnt elsewhere ({args.read.name}), read: "
            + ", ".join("{} {:.4f} / {:.4f}".format(part, *figures) for part, figures in read.items())
        )
    if args.crossfit:
        held = learnt(HELD)
        t, h = scored(items, TUNE, held), scored(items, HELD, tune)
        n_t = sum(it["doc"] in TUNE for it in items)
        n_h = sum(it["doc"] in HELD for it in items)
        print("learnt on held-out, read on tune: {:.4f} / {:.4f}".format(*t))
        whole = tuple((a * n_t + b * n_h) / (n_t + n_h) for a, b in zip(t, h, strict=True))
        print("whole set, each half by the model of the other: {:.4f} / {:.4f}".format(*whole))
        a, b = set(range(0, 12, 2)), set(range(1, 12, 2))
        for tr, te in ((a, b), (b, a)):
            m = learnt(tr)
            print(
                "  inside the tune half: without %.4f / %.4f, learnt on the other fold %.4f / %.4f"
                % (scored(items, te, None) + scored(items, te, m))
            )
    if args.refits:
        rng = np.random.default_rng(REFIT_SEED)
        n_t, n_h = (sum(it["doc"] in part for it in items) for part in (TUNE, HELD))
        figures = []
        for _ in range(args.refits):
            t, h = (
                scored(items, TUNE, learnt(HELD, REFIT_SHARE, rng)),
                scored(items, HELD, learnt(TUNE, REFIT_SHARE, rng)),
            )
            figures.append([(a * n_t + b * n_h) / (n_t + n_h) for a, b in zip(t, h, strict=True)])
        f = np.array(figures)
        mean, sd = f.mean(axis=0), f.std(axis=0, ddof=1)
        print(
            f"whole set cross-fitted, {args.refits} refits on {REFIT_SHARE:.0%} of each half: "
            f"mean {mean[0]:.4f} / {mean[1]:.4f}, sd {sd[0]:.4f} / {sd[1]:.4f}, "
            f"range {f[:, 0].min():.4f}-{f[:, 0].max():.4f} / {f[:, 1].min():.4f}-{f[:, 1].max():.4f}"
        )
    if args.where:
        held = learnt(HELD)
        where(items, openers(args.path, d), {"tune 0-11": (TUNE, tune, held), "held-out 12-23": (HELD, held, tune)})
    if args.write:
        clf = train(items, TUNE)
        data = to_json(clf, about, args.threshold)
        X, _ = examples(items, HELD)
        sample = X[:: max(1, len(X) // 20)][:20]
        data["check"] = {"rows": sample.tolist(), "raw": clf.decision_function(sample).tolist()}
        out = Path(last_look.__file__).parent.parent / "data" / last_look.MODEL_FILE
        out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {out} ({out.stat().st_size:,} bytes, {len(data['trees'])} trees)")


if __name__ == "__main__":
    main()
