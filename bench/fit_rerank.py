"""Fit the reranker's feature weights on the tune half of SQuAD (a dev script, not run by the bot).

`python -m bench.fit_rerank ../shared/data/squad-dev-even.json [--heldout]`

For every question, the same pool as `index.answer.answers.rank` (BM25 top POOL and the neighbours
of its best EXPAND, rerank.expand) with its stage-1 and stage-2 features (index.answer.rerank.features /
stage2; here stage 2 is computed for the whole pool). A linear model is fitted with a
listwise softmax loss (the gold sentence against the rest of its pool, L2-regularised, plain
numpy gradient descent) on questions of articles 0-11 only; the figures are those of the
two-stage procedure the bot runs (stage 1 on the pool, stage 2 on the best TYPE_DEPTH).
Held-out figures are printed only with --heldout. Features are cached in /tmp (npz).
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
from pathlib import Path

import numpy as np

from index.answer import last_look, rerank

from . import squad_data
from .squad import _halves, _passage_hits

NAMES = rerank.STAGE1 + rerank.STAGE2


def extract(path: Path) -> dict:
    records, questions = squad_data.load(path)
    halves = list(_halves(records).values())
    out = {"F": [], "gold": [], "ids": [], "half": [], "doc": [], "applies": []}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = squad_data.corpus_of(records, Path(tmp))
        index, layout = corpus.bm25, corpus.layout
        for q in questions:
            query = corpus.prepare(q.text)
            terms = list(query.terms)
            ids, _ = index.top(terms, rerank.POOL) if terms else (np.zeros(0, np.int64), None)
            cand = rerank.expand(index, ids, layout)
            F1, *_ = rerank.features(index, query, cand, layout, full=True)
            prev = F1[:, rerank.STAGE1.index("prev")]
            F2 = np.array(
                [
                    rerank.stage2(corpus.passage(int(p)).text, query, prev=float(v))[0]
                    for p, v in zip(cand.tolist(), prev.tolist(), strict=True)
                ]
            ).reshape(-1, len(rerank.STAGE2))
            gold = _passage_hits(corpus, q)
            out["F"].append(np.hstack([F1, F2]))
            out["gold"].append(np.array([int(p) in gold for p in cand.tolist()], dtype=bool))
            out["ids"].append(cand.astype(np.int64))
            out["half"].append(0 if q.doc_id in halves[0] else 1)
            out["doc"].append(int(q.doc_id[5:]))
            out["applies"].append(last_look.applies(query.text, terms))
    return out


def load(path: Path) -> dict:
    # every module, word list and model of the library may change a feature (the tokenizer in
    # index/search too: a cache keyed on index/answer alone outlived TOKENIZER_VERSION 4)
    library = Path(rerank.__file__).parent.parent
    digest = hashlib.sha1(f"{path}v4".encode())
    for file in sorted(library.rglob("*")):
        if file.suffix in (".py", ".txt", ".json"):
            digest.update(file.read_bytes())
    key = digest.hexdigest()[:10]
    cache = Path(tempfile.gettempdir()) / f"verbatim-fit-{key}.npz"
    if cache.exists():
        z = np.load(cache)
        lens = z["lens"]
        cut = np.cumsum(lens)[:-1]
        return {
            "F": np.split(z["F"], cut),
            "gold": np.split(z["gold"], cut),
            "ids": np.split(z["ids"], cut),
            "half": z["half"].tolist(),
            "doc": z["doc"].tolist(),
            "applies": z["applies"].tolist(),
        }
    d = extract(path)
    np.savez(
        cache,
        F=np.vstack(d["F"]),
        gold=np.concatenate(d["gold"]),
        ids=np.concatenate(d["ids"]),
        half=np.array(d["half"]),
        doc=np.array(d["doc"]),
        applies=np.array(d["applies"]),
        lens=np.array([len(g) for g in d["gold"]]),
    )
    return d


def order_pool(
    F: np.ndarray, ids: np.ndarray, w: np.ndarray, depth: int = rerank.TYPE_DEPTH
) -> tuple[np.ndarray, np.ndarray]:
    """The two-stage order of one pool (as index.answer.answers.rank): positions best first, and
    their final scores."""
    n1 = len(rerank.STAGE1)
    s = F[:, :n1] @ w[:n1]
    o = np.lexsort((ids, -s))
    s2 = s[o].copy()
    s2[:depth] += F[o[:depth], n1:] @ w[n1:]
    again = np.lexsort((ids[o], -s2))
    return o[again], s2[again]


def evaluate(d: dict, w: np.ndarray, which: int, depth: int = rerank.TYPE_DEPTH) -> tuple:
    """P@1, R@5, MRR (100 ranks) of the two-stage procedure on half `which`."""
    ranks = []
    for F, gold, ids, h, doc in zip(d["F"], d["gold"], d["ids"], d["half"], d["doc"], strict=True):
        if (h != which) if isinstance(which, int) else (doc not in which):
            continue
        if not len(ids):
            ranks.append(None)
            continue
        o, _ = order_pool(F, ids, w, depth)
        g = np.flatnonzero(gold[o][:100])
        ranks.append(int(g[0]) + 1 if len(g) else None)
    n = len(ranks)
    return (
        sum(r == 1 for r in ranks) / n,
        sum(r is not None and r <= 5 for r in ranks) / n,
        sum(1 / r for r in ranks if r) / n,
    )


def fit(
    d: dict,
    which,
    mask: np.ndarray,
    w0: np.ndarray,
    l2: float = 1e-3,
    steps: int = 400,
    lr: float = 0.5,
    temp: float = 10.0,
) -> np.ndarray:
    """Listwise softmax: maximise log p(gold | pool) with p ~ exp(temp * score); `mask`
    selects the features that may move (the others stay at w0)."""
    Fs, Gs = [], []
    for F, gold, doc in zip(d["F"], d["gold"], d["doc"], strict=True):
        if doc in which and gold.any() and not gold.all():
            Fs.append(F)
            Gs.append(gold)
    m = max(len(g) for g in Gs)
    X = np.zeros((len(Fs), m, Fs[0].shape[1]))
    valid = np.zeros((len(Fs), m), dtype=bool)
    G = np.zeros((len(Fs), m))
    for i, (F, g) in enumerate(zip(Fs, Gs, strict=True)):
        X[i, : len(g)] = F
        valid[i, : len(g)] = True
        G[i, : len(g)] = g / g.sum()
    w = w0.copy()
    # Adam
    mo, v = np.zeros_like(w), np.zeros_like(w)
    for step in range(1, steps + 1):
        s = temp * (X @ w)
        s = np.where(valid, s, -np.inf)
        s -= s.max(axis=1, keepdims=True)
        p = np.exp(s)
        p /= p.sum(axis=1, keepdims=True)
        grad = temp * np.einsum("qc,qcf->f", p - G, X) / len(Fs) + l2 * (w - w0)
        grad *= mask
        mo = 0.9 * mo + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        w -= lr * 0.05 * (mo / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return w


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", type=Path)
    ap.add_argument("--heldout", action="store_true")
    ap.add_argument("--l2", type=float, default=1e-3)
    ap.add_argument("--temp", type=float, default=10.0)
    ap.add_argument("--steps", type=int, default=400)
    ap.add_argument("--features", default=",".join(NAMES))
    args = ap.parse_args()
    d = load(args.path)
    w0 = np.array([rerank.WEIGHTS.get(f, 0.0) for f in NAMES])
    allowed = set(args.features.split(","))
    mask = np.array([f in allowed for f in NAMES], dtype=float)
    print("current weights: tune {:.3f} {:.3f} {:.3f}".format(*evaluate(d, w0, 0)))
    a, b = set(range(0, 12, 2)), set(range(1, 12, 2))
    for tr, te in ((a, b), (b, a)):
        wc = fit(d, tr, mask, w0, args.l2, args.steps, temp=args.temp)
        print(
            "  cv within tune: current {:.3f} {:.3f} {:.3f}".format(*evaluate(d, w0, te)),
            "fitted {:.3f} {:.3f} {:.3f}".format(*evaluate(d, wc, te)),
        )
    w = fit(d, set(range(12)), mask, w0, args.l2, args.steps, temp=args.temp)
    print("fitted:", {f: round(float(x), 3) for f, x in zip(NAMES, w, strict=True)})
    print("fitted weights: tune {:.3f} {:.3f} {:.3f}".format(*evaluate(d, w, 0)))
    if args.heldout:
        print("current held-out {:.3f} {:.3f} {:.3f}".format(*evaluate(d, w0, 1)))
        print("fitted held-out {:.3f} {:.3f} {:.3f}".format(*evaluate(d, w, 1)))


if __name__ == "__main__":
    main()
