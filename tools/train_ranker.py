"""Learn the rerank's weights and the abstention from large data: `python -m tools.train_ranker`.

Data (never the SQuAD development set, never CoQA's held-out 20%, never the news questions):
- SQuAD v1.1 training set (`../shared/data/squad-train-v1.1-explorer.json`): a seeded sample of
  its articles in one corpus. Its `answer_start` is the answer's first occurrence in the
  paragraph, so the gold sentences are those of the question's paragraph that hold the answer text.
- CoQA's CNN stories (`../shared/data/coqa/coqa_train_cnn.json`) outside bench.coqa's held-out
  20% (`bench.coqa.heldout`), in one corpus: gold sentences overlap the turn's rationale.

Ranker: for every question, the pool `index.answer.answers.rank` rescores (BM25 top POOL plus paragraph
windows) with all stage-1 features and the stage-2 features of its best STAGE2_DEPTH; a linear
model with a listwise softmax loss (bench.fit_rerank.fit). Folds split by article (two folds by
a hash of the article id): each fold is scored by weights fitted on the other, beside the
hand-set weights, and the final weights are fitted on both and written to --out with the fold
figures. Then index.answer.last_look's last look is relearnt under those weights and measured the same way
(written to --swap-out only if it pays on both folds).

Abstention: every question is asked twice, of its corpus and of the same corpus without its
article (the BM25 candidates of that article are dropped), and a logistic regression on what
the ranking says about its leader (coverages, consensus, score) learns to tell the two apart;
its threshold refuses ABSTAIN_ANSWERABLE of the answerable training questions.

Nothing is copied into index/data by itself: a part ships only when it pays on the held-out
folds and keeps the seed and news checks (docs/answers.md: none of the learnt weights, the
abstention or the relearnt last look did, so `rerank.WEIGHTS` are the hand-set ones and nothing
reads a ranker file: docs/tidy.md). Seeded; about 10 minutes on one core (pools and abstention
rows are cached in /tmp).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bench import squad_data
from index.answer import aliases, answers, last_look, rerank
from index.answer.query import prepare
from index.corpus import Corpus
from index.search.bm25 import BM25

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
OUT = Path("ranker_candidate.json")  # the candidate weights and their fold figures (docs/answers.md)
NAMES = rerank.STAGE1 + rerank.STAGE2
STAGE2_DEPTH = 40  # stage 2 is read for the best 40 by the hand-set stage-1 weights
FIXED: tuple[str, ...] = ()  # features kept at their hand-set weight (`--fixed`)
ABSTAIN_FEATURES = ("geo", "cov_sentence", "cov_context", "missing", "score", "terms")
ABSTAIN_ANSWERABLE = 0.10
THRESHOLDS = (0.5, 0.6, 0.7, 0.8)  # the last look's move-up probability, chosen on the folds
POOL_CODE = (  # the modules a pool's features come from (paths under index/)
    "answer/rerank.py",
    "answer/question.py",
    "answer/aliases.py",
    "search/tokens.py",
    "answer/related.py",
    "answer/spelling.py",
    "search/bm25.py",
    "ingest/sentences.py",
)


def _fold(article: str) -> int:
    return int(hashlib.sha1(article.encode()).hexdigest(), 16) % 2


def squad_items(path: Path, n_articles: int, n_questions: int, seed: int) -> tuple[list[dict], list[tuple]]:
    """Records of a seeded sample of articles and (question, doc id, gold char spans) items."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    rng = random.Random(seed)
    picked = sorted(rng.sample(range(len(data)), min(n_articles, len(data))))
    records, items = [], []
    for number in picked:
        article = data[number]
        doc_id = f"squadtrain{number:03d}"
        parts, offset = [], 0
        for paragraph in article["paragraphs"]:
            context = paragraph["context"].replace("\n", " ")
            for qa in paragraph["qas"]:
                text = qa["answers"][0]["text"] if qa.get("answers") else ""
                starts = [offset + i for i in _occurrences(context, text)]
                if starts:
                    items.append((qa["question"], doc_id, [(s, s + len(text)) for s in starts]))
            parts.append(context)
            offset += len(context) + 2
        records.append({"id": doc_id, "title": article["title"].replace("_", " "), "text": "\n\n".join(parts)})
    return records, rng.sample(items, min(n_questions, len(items)))


def _occurrences(context: str, text: str) -> list[int]:
    out, i = [], context.find(text) if text else -1
    while i >= 0:
        out.append(i)
        i = context.find(text, i + 1)
    return out


def coqa_items(path: Path, n_questions: int, seed: int) -> tuple[list[dict], list[tuple]]:
    from bench import coqa

    records, turns = coqa.load(path, "train")
    items = [(t.text, t.doc_id, [(t.start, t.end)]) for t in turns if t.start >= 0]
    return records, random.Random(seed).sample(items, min(n_questions, len(items)))


class Without:
    """The corpus's BM25 with one article's sentences left out of the candidates (`drop`, a pid
    range): the same question asked of the corpus without its story."""

    def __init__(self, index: BM25) -> None:
        self._index = index
        self.drop = (0, 0)

    def __getattr__(self, name: str):
        return getattr(self._index, name)

    def top(self, query, k: int = 10):
        ids, scores = self._index.top(query, k + 400)
        keep = (ids < self.drop[0]) | (ids >= self.drop[1])
        return ids[keep][:k], scores[keep][:k]


def pools(corpus: Corpus, items: list[tuple], name: str) -> dict:
    """Per question: the pool's features (stage 1 all, stage 2 for the best STAGE2_DEPTH), the
    gold flags, the pool ids and the article fold."""
    index, layout = corpus.bm25, corpus.layout
    w1 = np.array([rerank.WEIGHTS.get(f, 0.0) for f in rerank.STAGE1])
    out: dict = {"F": [], "gold": [], "ids": [], "fold": [], "source": [], "doc": [], "applies": []}
    for question, doc_id, spans in items:
        query = prepare(question, index)
        terms = list(query.terms)
        named = aliases.find(index, corpus.entities(), query)
        search = terms + list(named.extra_terms)
        ids, _ = index.top(search, rerank.POOL) if terms else (np.zeros(0, np.int64), None)
        cand = rerank.expand(index, ids, layout)
        F1, *_ = rerank.features(index, query, cand, layout, full=True, elsewhere=named.elsewhere)
        F2 = np.zeros((len(cand), len(rerank.STAGE2)))
        prev = F1[:, rerank.STAGE1.index("prev")]
        for i in np.argsort(-(F1 @ w1), kind="stable")[:STAGE2_DEPTH].tolist():
            F2[i] = rerank.stage2(corpus.passage(int(cand[i])).text, query, prev=float(prev[i]))[0]
        gold = {p.pid for p in corpus.passages_of(doc_id) if any(p.char_start < e and s < p.char_end for s, e in spans)}
        out["F"].append(np.hstack([F1, F2]).astype(np.float32))
        out["gold"].append(np.array([int(p) in gold for p in cand.tolist()], dtype=bool))
        out["ids"].append(cand.astype(np.int64))
        out["fold"].append(_fold(doc_id))
        out["source"].append(name)
        out["doc"].append(_fold(doc_id))  # bench.fit_swap selects questions by this number
        out["applies"].append(last_look.applies(query.text, terms))
    return out


def cached_pools(corpus: Corpus, items: list[tuple], name: str, key: str) -> dict:
    """`pools`, kept in /tmp under a key of the arguments and the library's code."""
    library = Path(rerank.__file__).parent.parent
    digest = hashlib.sha1(key.encode())
    for file in POOL_CODE:  # the modules a pool's features come from
        digest.update((library / file).read_bytes())
    cache = Path(tempfile.gettempdir()) / f"verbatim-pools-{name}-{digest.hexdigest()[:10]}.npz"
    if cache.exists():
        z = np.load(cache)
        cut = np.cumsum(z["lens"])[:-1]
        d = {k: np.split(z[k], cut) for k in ("F", "gold", "ids")}
        d.update({k: z[k].tolist() for k in ("fold", "doc", "applies")})
        d["source"] = [name] * len(d["fold"])
        return d
    d = pools(corpus, items, name)
    np.savez(
        cache,
        F=np.vstack(d["F"]),
        gold=np.concatenate(d["gold"]),
        ids=np.concatenate(d["ids"]),
        lens=np.array([len(g) for g in d["gold"]]),
        fold=np.array(d["fold"]),
        doc=np.array(d["doc"]),
        applies=np.array(d["applies"]),
    )
    return d


def _merge(a: dict, b: dict) -> dict:
    return {k: a[k] + b[k] for k in a}


def _select(d: dict, keep: Callable[[int, str], bool]) -> dict:
    idx = [i for i, (f, s) in enumerate(zip(d["fold"], d["source"], strict=False)) if keep(f, s)]
    return {k: [v[i] for i in idx] for k, v in d.items()}


def p_at_1(d: dict, w: np.ndarray) -> float:
    from bench.fit_rerank import order_pool

    hits = [
        bool(len(ids)) and bool(gold[order_pool(F, ids, w)[0][0]])
        for F, gold, ids in zip(d["F"], d["gold"], d["ids"], strict=False)
    ]
    return sum(hits) / max(len(hits), 1)


def fit(d: dict, w0: np.ndarray, l2: float, steps: int, fixed: frozenset[str] = frozenset()) -> np.ndarray:
    """Listwise weights; the `fixed` features keep their hand-set weight."""
    from bench.fit_rerank import fit as listwise

    dd = {"F": [F.astype(np.float64) for F in d["F"]], "gold": d["gold"], "doc": [0] * len(d["F"])}
    mask = np.array([f not in fixed for f in NAMES], dtype=float)
    return listwise(dd, {0}, mask, w0, l2=l2, steps=steps)


def relearn_last_look(d: dict, out: Path | None, applies_only: bool = False) -> dict:
    """index.answer.last_look's model relearnt on these pools under the learnt weights (bench.fit_swap's
    procedure), measured fold by fold; written to `out` only when it pays on both held-out folds.
    `applies_only`: learn only from the questions it is read for (last_look.applies)."""
    from bench import fit_swap

    items = fit_swap.prepared({**d, "F": [F.astype(np.float64) for F in d["F"]]})
    learn = [it for it in items if it["applies"]] if applies_only else items
    report: dict = {}
    models = {held: fit_swap.to_json(fit_swap.train(learn, {1 - held}), "fold", 0.5) for held in (0, 1)}
    best = (-1.0, 0.5)
    for threshold in THRESHOLDS:  # chosen by the mean P@1 over the held-out folds
        p1 = [
            fit_swap.scored(items, {h}, last_look.from_json({**models[h], "threshold": threshold}))[0] for h in (0, 1)
        ]
        print(f"last look, threshold {threshold}: held-out fold P@1 {p1[0]:.4f} {p1[1]:.4f}")
        best = max(best, (sum(p1) / 2, threshold))
    threshold = best[1]
    for held in (0, 1):
        m = last_look.from_json({**models[held], "threshold": threshold})
        report[f"fold {held}"] = {
            "without": fit_swap.scored(items, {held}, None),
            "with": fit_swap.scored(items, {held}, m),
        }
        print(
            f"last look (threshold {threshold}), held-out fold {held}: P@1/MRR without %.4f/%.4f, with %.4f/%.4f"
            % (report[f"fold {held}"]["without"] + report[f"fold {held}"]["with"])
        )
    report["pays"] = all(r["with"][0] > r["without"][0] for r in report.values())
    report["threshold"] = threshold
    if out is not None and report["pays"]:
        about = (
            "Verbatim's last-look model (index/answer/last_look.py), learnt by `python -m tools.train_ranker` on "
            "SQuAD v1.1 training questions (Rajpurkar et al. 2016, CC BY-SA 4.0) and CoQA CNN turns "
            "outside bench.coqa's held-out 20%, under the rerank weights fitted with it (--out)."
        )
        clf = fit_swap.train(learn, {0, 1})
        data = fit_swap.to_json(clf, about, threshold)
        X, _ = fit_swap.examples(items, {0, 1})
        sample = X[:: max(1, len(X) // 20)][:20]
        data["check"] = {"rows": sample.tolist(), "raw": clf.decision_function(sample).tolist()}
        out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    return report


# --- abstention ----------------------------------------------------------------------------


def abstention_rows(corpus: Corpus, items: list[tuple]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """answers.abstain_features of each question asked of the corpus (label 1) and of the corpus
    without its article (label 0), with the article folds."""
    without = Without(corpus.bm25)
    rows, labels, folds = [], [], []
    for question, doc_id, _ in items:
        pids = [p.pid for p in corpus.passages_of(doc_id)]
        for label, drop in ((1, (0, 0)), (0, (min(pids), max(pids) + 1))):
            without.drop = drop
            r = answers.rank(prepare(question, without), without, corpus, 3)  # type: ignore[arg-type]
            if not len(r.ids):
                continue
            rows.append(list(answers.abstain_features(r).values()))
            labels.append(label)
            folds.append(_fold(doc_id))
    return np.array(rows), np.array(labels), np.array(folds)


def fit_abstention(X: np.ndarray, y: np.ndarray, folds: np.ndarray, names: tuple[str, ...]) -> dict:
    """A logistic regression on the `names` columns; its threshold refuses ABSTAIN_ANSWERABLE of
    the answerable training questions; each fold measured by a model of the other."""
    from sklearn.linear_model import LogisticRegression

    X = X[
        :, [list(answers.abstain_features(answers.Ranked([], None, np.zeros(0), np.zeros(0)))).index(n) for n in names]
    ]

    report = {}
    for held in (0, 1):
        m = LogisticRegression(C=1.0, max_iter=1000).fit(X[folds != held], y[folds != held])
        p_tr = m.predict_proba(X[folds != held])[:, 1]
        cut = float(np.quantile(p_tr[y[folds != held] == 1], ABSTAIN_ANSWERABLE))
        p = m.predict_proba(X[folds == held])[:, 1]
        yy = y[folds == held]
        report[f"fold {held}"] = {
            "answerable abstained": float((p[yy == 1] < cut).mean()),
            "without their story abstained": float((p[yy == 0] < cut).mean()),
        }
    m = LogisticRegression(C=1.0, max_iter=1000).fit(X, y)
    cut = float(np.quantile(m.predict_proba(X)[y == 1, 1], ABSTAIN_ANSWERABLE))
    return {
        "features": list(names),
        "coef": [float(c) for c in m.coef_[0]],
        "intercept": float(m.intercept_[0]),
        "threshold": cut,
        "folds": report,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--squad", type=Path, default=DATA / "squad-train-v1.1-explorer.json")
    ap.add_argument("--coqa", type=Path, default=DATA / "coqa" / "coqa_train_cnn.json")
    ap.add_argument("--squad-articles", type=int, default=60)
    ap.add_argument("--questions", type=int, default=4000, help="per data set")
    ap.add_argument("--abstain-questions", type=int, default=2000, help="per data set")
    ap.add_argument("--l2", type=float, default=1e-3)
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--sources", default="squad,coqa", help="which data sets the ranker learns from")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--swap-out", type=Path, default=None, help="where the relearnt last look goes, if it pays")
    ap.add_argument("--fixed", default=",".join(FIXED), help="features kept at their hand-set weight")
    ap.add_argument("--abstain-features", default=",".join(ABSTAIN_FEATURES), help="what the learnt abstention reads")
    ap.add_argument(
        "--no-last-look", action="store_true", help="do not relearn and measure index.answer.last_look's model"
    )
    ap.add_argument("--ranker-only", action="store_true")
    ap.add_argument(
        "--look-applies-only", action="store_true", help="the last look learns only from questions it reads"
    )
    ap.add_argument("--abstain-only", action="store_true", help="keep the weights in --out, refit the abstention")
    args = ap.parse_args()
    rerank.WEIGHTS.clear()  # pools and comparisons start from the hand-set weights
    rerank.WEIGHTS.update(rerank.HAND_SET)
    rerank.reload()
    sources = {
        "squad": squad_items(args.squad, args.squad_articles, args.questions, args.seed),
        "coqa": coqa_items(args.coqa, args.questions, args.seed),
    }
    with tempfile.TemporaryDirectory() as tmp:
        corpora = {}
        for name, (records, _) in sources.items():
            corpora[name] = squad_data.corpus_of(records, Path(tmp) / name, f"{name}.jsonl")
        result: dict = json.loads(args.out.read_text()) if args.abstain_only else {}
        if not args.abstain_only:
            d = {"F": [], "gold": [], "ids": [], "fold": [], "source": [], "doc": [], "applies": []}
            for name, (_, items) in sources.items():
                key = f"{args.seed} {args.squad_articles} {args.questions} {STAGE2_DEPTH}"
                d = _merge(d, cached_pools(corpora[name], items, name, key))
                print(f"{name}: {len(items)} questions pooled", flush=True)
            fixed = frozenset(f for f in args.fixed.split(",") if f)
            learn_from = set(args.sources.split(","))
            w0 = np.array([rerank.HAND_SET.get(f, 0.0) for f in NAMES])
            folds = {}
            for held in (0, 1):
                w = fit(_select(d, lambda f, s, h=held: f != h and s in learn_from), w0, args.l2, args.steps, fixed)
                for src in sources:
                    test = _select(d, lambda f, s, h=held, src=src: f == h and s == src)
                    folds[f"{src} fold {held}"] = {"current": p_at_1(test, w0), "learnt": p_at_1(test, w)}
                    print(
                        f"held-out {src} fold {held}: P@1 current {p_at_1(test, w0):.3f} learnt {p_at_1(test, w):.3f}"
                    )
            w = fit(_select(d, lambda f, s: s in learn_from), w0, args.l2, args.steps, fixed)
            result = {
                "format": "verbatim-ranker-1",
                "weights": {f: round(float(x), 5) for f, x in zip(NAMES, w, strict=False)},
                "folds": folds,
                "trained_on": {k: len(v[1]) for k, v in sources.items()},
                "seed": args.seed,
            }
            args.out.write_text(json.dumps(result, indent=1) + "\n")
            print("weights:", result["weights"])
            rerank.WEIGHTS.update(result["weights"])
            rerank.reload()
            if not args.no_last_look:
                result["last_look"] = relearn_last_look(d, args.swap_out, args.look_applies_only)
            args.out.write_text(json.dumps(result, indent=1) + "\n")
        if not args.ranker_only:
            rerank.WEIGHTS.update(result["weights"])
            rerank.reload()
            X, y, f = [], [], []
            for name, (_, items) in sources.items():
                key = f"{name} {args.seed} {args.squad_articles} {args.questions} {args.abstain_questions} {result['weights']}"
                cache = (
                    Path(tempfile.gettempdir()) / f"verbatim-abstain-{hashlib.sha1(key.encode()).hexdigest()[:10]}.npz"
                )
                if cache.exists():
                    z = np.load(cache)
                    x, yy, ff = z["x"], z["y"], z["f"]
                else:
                    x, yy, ff = abstention_rows(corpora[name], items[: args.abstain_questions])
                    np.savez(cache, x=x, y=yy, f=ff)
                X.append(x)
                y.append(yy)
                f.append(ff)
            names = tuple(args.abstain_features.split(","))
            result["abstain"] = fit_abstention(np.vstack(X), np.concatenate(y), np.concatenate(f), names)
            print("abstention:", result["abstain"])
            args.out.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
