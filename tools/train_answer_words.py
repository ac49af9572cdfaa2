"""Learn index.answer.answer_words' table: `python -m tools.train_answer_words`.

Data (never the SQuAD development set, never CoQA's held-out 20%, never the news questions):
- SQuAD v1.1 train (`../shared/data/squad-train-v1.1-explorer.json`): the answer sentence
  (holding `answer_start`, the answer's first occurrence) against the other sentences of its
  paragraph;
- CoQA's CNN stories outside bench.coqa's held-out 20%: the first sentence the rationale
  overlaps against the story's sentences it does not overlap (the lede included).
For each question, up to NEGATIVES negatives; each pair is the difference of the two sentences'
feature vectors (cue x feature, answer_words.sentence_features beyond the question's words),
with a random sign: a logistic regression without intercept on those rows is a pairwise ranker.

Folds by article, as tools.train_ranker (`_fold`, a hash of the doc id): `--fit-fold 0` learns on
fold 0 and reports within-story P@1 on fold 1 (and the reverse with 1); `--fit-fold all` learns on
both for shipping. Seeded; about two minutes on one core.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse

from index.answer import answer_words
from index.ingest.sentences import default_splitter, split_body
from tools.train_ranker import _fold

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
NEGATIVES = 4  # negatives per question
MIN_BIGRAM = 200  # a wh-word + next-word cue must open this many training questions
MIN_COUNT = 20  # a cue x feature column must occur in this many training sentences
KEEP = 0.01  # weights smaller than this are not shipped

Item = tuple[str, list[str], int, int]  # question, the unit's sentences, gold index, fold


def squad(path: Path, limit: int, rng: random.Random) -> list[Item]:
    """(question, paragraph sentences, gold sentence, fold) of SQuAD-train questions."""
    splitter = default_splitter()
    items: list[Item] = []
    for number, article in enumerate(json.loads(path.read_text(encoding="utf-8"))["data"]):
        fold = _fold(f"squadtrain{number:03d}")
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            spans = list(splitter.span_tokenize(context))
            if len(spans) < 2:
                continue
            sents = [context[s:e] for s, e in spans]
            for qa in paragraph["qas"]:
                start = qa["answers"][0]["answer_start"]
                gold = next((i for i, (s, e) in enumerate(spans) if s <= start < e), -1)
                if gold >= 0:
                    items.append((qa["question"], sents, gold, fold))
    rng.shuffle(items)
    return items[:limit]


def coqa(path: Path) -> list[Item]:
    """(question, story sentences, first rationale sentence, fold) of CoQA's training turns."""
    from bench import coqa as coqa_bench

    records, turns = coqa_bench.load(path, "train")
    splitter = default_splitter()
    stories = {}
    for r in records:
        spans = [(s.start, s.end) for s in split_body(r["text"], splitter)]
        stories[r["id"]] = (spans, [r["text"][s:e] for s, e in spans])
    items: list[Item] = []
    for t in turns:
        if t.start < 0:
            continue
        spans, sents = stories[t.doc_id]
        hits = [i for i, (s, e) in enumerate(spans) if s < t.end and t.start < e]
        if hits and len(sents) > 1:
            # the other rationale sentences are neither positive nor negative: dropped
            keep = [i for i in range(len(sents)) if i == hits[0] or i not in hits]
            items.append((t.text, [sents[i] for i in keep], keep.index(hits[0]), _fold(t.doc_id)))
    return items


def featurize(items: list[Item], bigrams: frozenset[str]) -> list[list[list[str]]]:
    """Per item, per sentence: its cue x feature keys."""
    out = []
    for question, sents, _, _ in items:
        skip = frozenset(answer_words._QWORD.findall(question.lower()))
        cs = answer_words.cues(question, bigrams)
        out.append([[f"{c}\t{f}" for c in cs for f in answer_words.sentence_features(s, skip)] for s in sents])
    return out


def pairs(
    feats: list[list[list[str]]], items: list[Item], columns: dict[str, int], rng: random.Random
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Sparse pair rows (gold minus negative, random sign) and their labels."""
    rows, cols, vals, y = [], [], [], []
    r = 0
    for f, (_, sents, gold, _) in zip(feats, items, strict=True):
        negs = [i for i in range(len(sents)) if i != gold]
        for j in rng.sample(negs, min(NEGATIVES, len(negs))):
            sign = 1 if rng.random() < 0.5 else -1
            diff: Counter[int] = Counter()
            for k in f[gold]:
                if k in columns:
                    diff[columns[k]] += sign
            for k in f[j]:
                if k in columns:
                    diff[columns[k]] -= sign
            for c, v in diff.items():
                if v:
                    rows.append(r)
                    cols.append(c)
                    vals.append(float(v))
            y.append(int(sign > 0))
            r += 1
    X = sparse.csr_matrix((vals, (rows, cols)), shape=(r, len(columns)))
    return X, np.array(y)


def p_at_1(model: answer_words.Model, items: list[Item]) -> tuple[float, float]:
    """Within-unit P@1 of the model's score alone (ties: the earlier sentence) and of chance."""
    hits, chance = 0, 0.0
    for question, sents, gold, _ in items:
        scores = [model.score(question, s) for s in sents]
        hits += int(np.argmax(scores)) == gold
        chance += 1 / len(sents)
    n = max(len(items), 1)
    return hits / n, chance / n


def fit(
    items: list[Item], c: float, seed: int, min_count: int = MIN_COUNT, words: bool = True
) -> dict[str, dict[str, float]]:
    """The cue -> feature -> weight table learnt from `items` (without `words`: shapes only)."""
    from sklearn.linear_model import LogisticRegression

    opens = Counter(answer_words.cues(q)[0] for q, *_ in items)
    bigrams = frozenset(k for k, n in opens.items() if " " in k and n >= MIN_BIGRAM)
    feats = featurize(items, bigrams)
    counts: Counter[str] = Counter(k for f in feats for s in f for k in set(s))
    columns = {
        k: i for i, k in enumerate(sorted(k for k, n in counts.items() if n >= min_count and (words or "\t#" in k)))
    }
    X, y = pairs(feats, items, columns, random.Random(seed))
    print(f"  {len(items)} questions, {X.shape[0]} pairs, {X.shape[1]} columns, {len(bigrams)} bigram cues")
    clf = LogisticRegression(C=c, fit_intercept=False, solver="liblinear", max_iter=200)
    clf.fit(X, y)
    table: dict[str, dict[str, float]] = {}
    for k, w in zip(columns, clf.coef_[0].tolist(), strict=True):
        if abs(w) >= KEEP:
            cue, feat = k.split("\t")
            table.setdefault(cue, {})[feat] = round(w, 4)
    for cue in bigrams:  # a known bigram cue stays known even if none of its weights is kept
        table.setdefault(cue, {})
    return table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--squad", type=Path, default=DATA / "squad-train-v1.1-explorer.json")
    ap.add_argument("--coqa", type=Path, default=DATA / "coqa" / "coqa_train_cnn.json")
    ap.add_argument("--squad-questions", type=int, default=40000)
    ap.add_argument("--fit-fold", default="0", help="0 or 1 (report on the other fold), or all")
    ap.add_argument("--c", type=float, default=0.1, help="inverse L2 strength")
    ap.add_argument("--min-count", type=int, default=MIN_COUNT, help="sentences a column must occur in")
    ap.add_argument("--shapes-only", action="store_true", help="no word columns, only #num, #year...")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--out", type=Path, default=Path("answer_words_candidate.json"))
    args = ap.parse_args()
    sources = {"squad": squad(args.squad, args.squad_questions, random.Random(args.seed)), "coqa": coqa(args.coqa)}
    items = [it for part in sources.values() for it in part]
    fit_on = [it for it in items if args.fit_fold == "all" or it[3] == int(args.fit_fold)]
    table = fit(fit_on, args.c, args.seed, args.min_count, not args.shapes_only)
    report: dict[str, object] = {
        "fit_fold": args.fit_fold,
        "c": args.c,
        "min_count": args.min_count,
        "words": not args.shapes_only,
        "seed": args.seed,
    }
    if args.fit_fold != "all":
        model = answer_words.Model(table)
        for name, part in sources.items():
            held = [it for it in part if it[3] != int(args.fit_fold)]
            p, chance = p_at_1(model, held)
            print(f"held-out fold {name}: within-unit P@1 {p:.3f} (chance {chance:.3f}, {len(held)} questions)")
            report[f"heldout_{name}"] = {"p_at_1": round(p, 4), "chance": round(chance, 4), "questions": len(held)}
    data = {"format": answer_words.FORMAT, "meta": report, "weights": table}
    args.out.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {sum(len(t) for t in table.values())} weights over {len(table)} cues")


if __name__ == "__main__":
    main()
