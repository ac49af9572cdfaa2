"""Fit the reranker's feature weights on the tune half of SQuAD (a dev script, not run by the bot).

`python -m bench.fit_rerank ../shared/data/squad-dev-even.json [--heldout]`
`python -m bench.fit_rerank --coqa ../shared/data/coqa/coqa_train_cnn.json [SQUAD]` (news, round 27)

For every question, the same pool as `index.answer.answers.rank` (BM25 top POOL and the neighbours
of its best EXPAND, rerank.expand) with its stage-1 and stage-2 features (index.answer.rerank.features /
stage2; here stage 2 is computed for the whole pool). A linear model is fitted with a
listwise softmax loss (the gold sentence against the rest of its pool, L2-regularised, plain
numpy gradient descent) on questions of articles 0-11 only; the figures are those of the
two-stage procedure the bot runs (stage 1 on the pool, stage 2 on the best TYPE_DEPTH).
Held-out figures are printed only with --heldout. Features are cached in /tmp (npz).

`--coqa PATH` builds the same pools for CoQA's CNN stories (news): the first turns with a rationale
of the tune part (`bench.coqa.load(..., "train")`: the held-out 20 % is never read), asked alone
over one corpus of those stories, as `bench.coqa --first` asks them; gold = the sentences
overlapping the rationale (`bench.coqa.gold`). Later turns are left out: asked alone they often
cannot be answered without the conversation. Folds are by story (even / odd story number), and
with a SQuAD path too both sets are fitted together (SQuAD's even / odd articles beside them),
each inner held-out fold reported apart.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from index.answer import last_look, rerank, stories
from index.search import build
from index.search.bm25 import BM25Params

from . import coqa, squad_data
from .squad import _halves, _passage_hits

NAMES = rerank.STAGE1 + rerank.STAGE2
COQA_DOC = 1000  # CoQA's story n is doc COQA_DOC + n (SQuAD's articles are 0-23)


def _pool(corpus, text: str, gold: set[int], out: dict) -> None:
    """Append one question's pool (as index.answer.answers.rank builds it) to `out`."""
    query = corpus.prepare(text)
    index, layout = corpus.bm25, corpus.layout
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
    out["F"].append(np.hstack([F1, F2]))
    out["gold"].append(np.array([int(p) in gold for p in cand.tolist()], dtype=bool))
    out["ids"].append(cand.astype(np.int64))
    out["applies"].append(last_look.applies(query.text, terms))
    out["short"].append(np.isin(cand, rerank.in_stories(index, layout, cand)))


def _empty() -> dict:
    return {"F": [], "gold": [], "ids": [], "half": [], "doc": [], "applies": [], "short": []}


def extract(path: Path) -> dict:
    records, questions = squad_data.load(path)
    halves = list(_halves(records).values())
    out = _empty()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = squad_data.corpus_of(records, Path(tmp))
        for q in questions:
            _pool(corpus, q.text, _passage_hits(corpus, q), out)
            out["half"].append(0 if q.doc_id in halves[0] else 1)
            out["doc"].append(int(q.doc_id[5:]))
    return out


def _coqa_first_turns(path: Path, limit: int) -> Iterator[tuple[Any, coqa.Turn, int]]:
    """CoQA's first turns with a rationale, tune part only (`limit`: of its first N stories), each
    with the one corpus of those stories (in a temporary folder while the turns are read) and its
    story's number in the tune part: what `extract_coqa` pools and `agreement` asks.
    """
    records, turns = coqa.load(path, "train")
    if limit:
        records = records[:limit]
    number = {r["id"]: i for i, r in enumerate(records)}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = squad_data.corpus_of(records, Path(tmp), "coqa.jsonl")
        for t in turns:
            if t.turn == 1 and t.start >= 0 and t.doc_id in number:
                yield corpus, t, number[t.doc_id]


def extract_coqa(path: Path, limit: int = 0) -> dict:
    """Pools of CoQA's first turns with a rationale, tune part only (half 0; doc COQA_DOC + the
    story's number in the tune part; `limit`: the first N stories)."""
    out = _empty()
    for corpus, t, number in _coqa_first_turns(path, limit):
        _pool(corpus, t.text, coqa.gold(corpus, t), out)
        out["half"].append(0)
        out["doc"].append(COQA_DOC + number)
    return out


def agreement(path: Path, limit: int = 0) -> tuple[int, int, int, int]:
    """CoQA's tune first turns (as extract_coqa): how often the proxy's first sentence (the
    two-stage order with the article bonus, rerank.WEIGHTS) is the bot's first answer
    (`Corpus.answer`), and how often each is right. Round 27: 71% with main's weights, and a
    weight the proxy favoured lost the bot 18 turns while winning the proxy 10."""
    w = np.array([rerank.WEIGHTS.get(f, 0.0) for f in NAMES])
    n = same = proxy = bot = 0
    for corpus, t, _ in _coqa_first_turns(path, limit):
        gold, pool = coqa.gold(corpus, t), _empty()
        _pool(corpus, t.text, gold, pool)
        F, ids, short = pool["F"][0], pool["ids"][0], pool["short"][0]
        first = int(ids[order_pool(F, ids, w, short=short)[0][0]]) if len(ids) else -1
        hits = corpus.answer(t.text, k=1).hits
        shown = hits[0].passage.pid if hits else -2
        n, same, proxy, bot = n + 1, same + (first == shown), proxy + (first in gold), bot + (shown in gold)
    return n, same, proxy, bot


def join(a: dict, b: dict) -> dict:
    """Two extractions as one (SQuAD's and CoQA's docs do not collide: COQA_DOC)."""
    return {k: list(a[k]) + list(b[k]) for k in a}


def load(path: Path, kind: str = "squad", limit: int = 0) -> dict:
    # every module, word list and model of the library may change a feature (the tokenizer in
    # index/search too: a cache keyed on index/answer alone outlived TOKENIZER_VERSION 4)
    library = Path(rerank.__file__).parent.parent
    tag = "" if kind == "squad" else f"{kind}{limit}"
    if build.DEFAULT_PARAMS != BM25Params():  # the pools at other k1 and b (`bench.bm25_params`)
        tag += f"bm25{build.DEFAULT_PARAMS.k1},{build.DEFAULT_PARAMS.b}"
    digest = hashlib.sha1(f"{path}v5{tag}".encode())
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
            "short": np.split(z["short"], cut),
            "half": z["half"].tolist(),
            "doc": z["doc"].tolist(),
            "applies": z["applies"].tolist(),
        }
    d = extract(path) if kind == "squad" else extract_coqa(path, limit)
    np.savez(
        cache,
        F=np.vstack(d["F"]),
        gold=np.concatenate(d["gold"]),
        ids=np.concatenate(d["ids"]),
        short=np.concatenate(d["short"]),
        half=np.array(d["half"]),
        doc=np.array(d["doc"]),
        applies=np.array(d["applies"]),
        lens=np.array([len(g) for g in d["gold"]]),
    )
    return d


def article_lift(F: np.ndarray, short: np.ndarray) -> np.ndarray:
    """`stories.article_bonus` of one pool asked alone (the bot adds it to stage 1): ARTICLE x how
    far a short story's candidate's `art_bm25` falls behind the best short story's, 0 elsewhere.
    Without it, a fit on news would learn again, as an `art_bm25` weight, what the bonus gives."""
    if not stories.ARTICLE or not short.any():
        return np.zeros(len(F))
    art = F[:, rerank.STAGE1.index("art_bm25")]
    return np.where(short, stories.ARTICLE * (art - art[short].max()), 0.0)


def order_pool(
    F: np.ndarray, ids: np.ndarray, w: np.ndarray, depth: int = rerank.TYPE_DEPTH, short: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The two-stage order of one pool (as index.answer.answers.rank): positions best first, and
    their final scores. `short`: the candidates in short stories (the article bonus)."""
    n1 = len(rerank.STAGE1)
    s = F[:, :n1] @ w[:n1]
    if short is not None:
        s = s + article_lift(F, short)
    o = np.lexsort((ids, -s))
    s2 = s[o].copy()
    s2[:depth] += F[o[:depth], n1:] @ w[n1:]
    again = np.lexsort((ids[o], -s2))
    return o[again], s2[again]


def evaluate(d: dict, w: np.ndarray, which: int, depth: int = rerank.TYPE_DEPTH) -> tuple:
    """P@1, R@5, MRR (100 ranks) of the two-stage procedure on half `which`."""
    ranks = []
    for F, gold, ids, h, doc, short in zip(d["F"], d["gold"], d["ids"], d["half"], d["doc"], d["short"], strict=True):
        if (h != which) if isinstance(which, int) else (doc not in which):
            continue
        if not len(ids):
            ranks.append(None)
            continue
        o, _ = order_pool(F, ids, w, depth, short)
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
    balance: bool = False,
) -> np.ndarray:
    """Listwise softmax: maximise log p(gold | pool) with p ~ exp(temp * score); `mask`
    selects the features that may move (the others stay at w0). `balance`: SQuAD's questions
    and CoQA's weigh the same in all (else every question weighs the same: SQuAD's 5,000
    outweigh CoQA's 1,200)."""
    Fs, Gs, news, lifts = [], [], [], []
    for F, gold, doc, short in zip(d["F"], d["gold"], d["doc"], d["short"], strict=True):
        if doc in which and gold.any() and not gold.all():
            Fs.append(F)
            Gs.append(gold)
            news.append(doc >= COQA_DOC)
            lifts.append(article_lift(F, short))
    q = np.ones(len(Fs))
    if balance:
        flags = np.array(news)
        for side in (flags, ~flags):
            if side.any():
                q[side] = len(Fs) / 2 / side.sum()
    m = max(len(g) for g in Gs)
    X = np.zeros((len(Fs), m, Fs[0].shape[1]))
    valid = np.zeros((len(Fs), m), dtype=bool)
    G = np.zeros((len(Fs), m))
    L = np.zeros((len(Fs), m))
    for i, (F, g, lift) in enumerate(zip(Fs, Gs, lifts, strict=True)):
        X[i, : len(g)] = F
        L[i, : len(g)] = lift
        valid[i, : len(g)] = True
        G[i, : len(g)] = g / g.sum()
    w = w0.copy()
    # Adam
    mo, v = np.zeros_like(w), np.zeros_like(w)
    for step in range(1, steps + 1):
        s = temp * (X @ w + L)
        s = np.where(valid, s, -np.inf)
        s -= s.max(axis=1, keepdims=True)
        p = np.exp(s)
        p /= p.sum(axis=1, keepdims=True)
        grad = temp * np.einsum("q,qc,qcf->f", q, p - G, X) / len(Fs) + l2 * (w - w0)
        grad *= mask
        mo = 0.9 * mo + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        w -= lr * 0.05 * (mo / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return w


def _fmt(r: tuple) -> str:
    return "{:.3f} {:.3f} {:.3f}".format(*r)


def news_folds(d: dict) -> list[tuple[set[int], dict[str, set[int]]]]:
    """Two folds by story (even / odd doc number) over the tune docs of `d`: (docs fitted on,
    {set: docs held out}), the held-out docs split by set (SQuAD 0-11, CoQA tune)."""
    docs = {doc for doc, h in zip(d["doc"], d["half"], strict=True) if h == 0}
    out = []
    for parity in (0, 1):
        train = {doc for doc in docs if doc % 2 == parity}
        held = docs - train
        sets = {"squad": {x for x in held if x < COQA_DOC}, "coqa": {x for x in held if x >= COQA_DOC}}
        out.append((train, {k: v for k, v in sets.items() if v}))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", type=Path, nargs="?", help="SQuAD's JSON (articles 0-11 are tuned on)")
    ap.add_argument("--coqa", type=Path, help="CoQA's JSON: also (or only) its tune part's first turns")
    ap.add_argument("--limit", type=int, default=0, help="CoQA: the first N stories of the tune part")
    ap.add_argument("--heldout", action="store_true")
    ap.add_argument("--l2", type=float, default=1e-3)
    ap.add_argument("--temp", type=float, default=10.0)
    ap.add_argument("--steps", type=int, default=400)
    ap.add_argument("--features", default=",".join(NAMES))
    ap.add_argument("--balance", action="store_true", help="with both sets: each weighs half of the loss")
    ap.add_argument("--bot", action="store_true", help="CoQA: the proxy's first sentence against the bot's answer")
    ap.add_argument("--save", type=Path, help="write the weights fitted on the whole tune part (JSON)")
    args = ap.parse_args()
    if args.path is None and args.coqa is None:
        ap.error("give SQuAD's path, --coqa PATH or both")
    w0 = np.array([rerank.WEIGHTS.get(f, 0.0) for f in NAMES])
    allowed = set(args.features.split(","))
    mask = np.array([f in allowed for f in NAMES], dtype=float)
    if args.coqa is not None:
        if args.bot:
            n, same, proxy, bot = agreement(args.coqa, args.limit)
            print(f"{n} first turns: the proxy's first is the bot's on {same}; right: proxy {proxy}, bot {bot}")
            return
        d = load(args.coqa, "coqa", args.limit)
        news = [i for i, doc in enumerate(d["doc"]) if doc >= COQA_DOC]
        print(
            f"CoQA tune part: {len(news)} first turns of {len({d['doc'][i] for i in news})} stories;",
            f"gold in the pool {sum(bool(d['gold'][i].any()) for i in news)};",
            f"pools in short stories (the article bonus) {sum(bool(d['short'][i].any()) for i in news)}",
        )
        if args.path is not None:
            d = join(load(args.path), d)
        for train, held in news_folds(d):
            wc = fit(d, train, mask, w0, args.l2, args.steps, temp=args.temp, balance=args.balance)
            for name, docs in held.items():
                print(
                    f"  inner held-out fold {name} ({len(docs)} docs): current {_fmt(evaluate(d, w0, docs))}",
                    f"fitted {_fmt(evaluate(d, wc, docs))}",
                )
        tune = {doc for doc, h in zip(d["doc"], d["half"], strict=True) if h == 0}
        w = fit(d, tune, mask, w0, args.l2, args.steps, temp=args.temp, balance=args.balance)
        fitted = {f: round(float(x), 3) for f, x in zip(NAMES, w, strict=True)}
        print("fitted:", fitted)
        if args.save:
            args.save.write_text(json.dumps(fitted, indent=1) + "\n", encoding="utf-8")
        return
    d = load(args.path)
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
