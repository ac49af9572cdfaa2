"""BM25's k1 and b screened on retrieval alone: `python -m bench.bm25_grid [--squad-articles N] [--k1 ...] [--b ...]`.

Issue 17: the sentence index uses rank-bm25's defaults (k1 1.5, b 0.75), never chosen on data.
This screen asks, for each (k1, b) of a small grid, whether BM25 alone (no rerank, no abstention)
puts the sentence holding the answer first (top 1) and in the pool of 100 the rerank reads
(top 100, MRR over 100 ranks), on tuned data only:

- SQuAD train (`../shared/data/squad-train-v1.1-explorer.json`): a seeded sample of articles
  (`--squad-articles`, seed `SEED`), all their sentences one corpus. Its `answer_start` is the
  answer's first occurrence in the paragraph (the file's README), wrong where the answer occurs
  earlier: only questions whose answer occurs once in its paragraph are asked.
- CoQA's tune part (`bench.coqa.load(..., "train")`: the 80% of articles not held out), every turn
  with a rationale, asked alone; first turns apart (later ones lean on the conversation).

One corpus is built per data set with today's parameters; every other setting reads the same
saved postings with other k1 and b (`BM25(...)` over the same arrays: idf does not depend on
them). Questions are the index terms of the question (`tokens.tokenize`), as `Corpus.search`.
The product end to end at a setting: `bench.bm25_params`.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from index.corpus import Corpus
from index.search.bm25 import BM25, BM25Params
from index.search.tokens import tokenize

from . import coqa, squad_data

DATA = Path("../shared/data")
SEED = 28
DEPTH = 100  # the rerank's pool (rerank.POOL)
K1S = (0.6, 0.9, 1.2, 1.5, 2.0)
BS = (0.3, 0.5, 0.75, 1.0)

Asked = list[tuple[list[str], set[int]]]  # the question's terms and the gold passages


def squad_sample(path: Path, n_articles: int, folder: Path) -> tuple[Corpus, Asked]:
    """A corpus of `n_articles` seeded SQuAD train articles and their questions whose answer text
    occurs exactly once in its paragraph (so `answer_start` is the answer's own place)."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    picked = set(random.Random(SEED).sample(range(len(data)), n_articles))
    unique = {
        qa["id"]
        for number in picked
        for paragraph in data[number]["paragraphs"]
        for qa in paragraph["qas"]
        if qa.get("answers") and paragraph["context"].count(qa["answers"][0]["text"]) == 1
    }
    records, questions = squad_data.load(path)
    keep = {f"squad{number:03d}" for number in picked}
    corpus = squad_data.corpus_of([r for r in records if r["id"] in keep], folder)
    asked = [
        (tokenize(q.text), {p.pid for p in corpus.passages_of(q.doc_id) if p.char_start <= q.answer_pos < p.char_end})
        for q in questions
        if q.doc_id in keep and q.qid in unique
    ]
    return corpus, asked


def coqa_tune(path: Path, folder: Path, first_only: bool) -> tuple[Corpus, Asked, Asked]:
    """A corpus of CoQA's tune articles; every turn with a rationale, and the first turns."""
    records, turns = coqa.load(path, "train")
    corpus = squad_data.corpus_of(records, folder, "coqa.jsonl")
    spanned = [t for t in turns if t.start >= 0]
    every = [] if first_only else [(tokenize(t.text), coqa.gold(corpus, t)) for t in spanned]
    first = [(tokenize(t.text), coqa.gold(corpus, t)) for t in spanned if t.turn == 1]
    return corpus, every, first


def at_params(index: BM25, params: BM25Params) -> BM25:
    """The same saved postings weighed with other k1 and b."""
    return BM25(index.terms, index.indptr, index.docs, index.pairs, index.idf, index.doc_len, params)


def scores(index: BM25, asked: Asked) -> dict[str, float]:
    """Share of questions whose gold sentence is BM25's first, in its first DEPTH, and MRR@DEPTH."""
    top1 = in_pool = rr = 0.0
    for terms, gold in asked:
        ids = index.top(terms, DEPTH)[0].tolist()
        rank = next((i for i, pid in enumerate(ids, start=1) if pid in gold), None)
        if rank is not None:
            top1 += rank == 1
            in_pool += 1
            rr += 1 / rank
    n = max(len(asked), 1)
    return {"top1": top1 / n, "top100": in_pool / n, "mrr": rr / n}


def grid(sets: dict[str, tuple[BM25, Asked]], k1s: Sequence[float], bs: Sequence[float]) -> list[dict[str, Any]]:
    """Every set's scores at every (k1, b)."""
    rows = []
    for k1 in k1s:
        for b in bs:
            row: dict[str, Any] = {"k1": k1, "b": b}
            for name, (index, asked) in sets.items():
                row[name] = scores(at_params(index, BM25Params(k1=k1, b=b)), asked)
            rows.append(row)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--squad", type=Path, default=DATA / "squad-train-v1.1-explorer.json")
    ap.add_argument("--coqa", type=Path, default=DATA / "coqa" / "coqa_train_cnn.json")
    ap.add_argument("--squad-articles", type=int, default=40, help="SQuAD train articles sampled (seed SEED)")
    ap.add_argument("--k1", type=float, nargs="+", default=K1S)
    ap.add_argument("--b", type=float, nargs="+", default=BS)
    ap.add_argument("--coqa-first", action="store_true", help="CoQA's first turns only (faster)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        squad_corpus, squad_asked = squad_sample(args.squad, args.squad_articles, Path(tmp) / "squad")
        coqa_corpus, coqa_every, coqa_first = coqa_tune(args.coqa, Path(tmp) / "coqa", args.coqa_first)
        sets = {"squad": (squad_corpus.bm25, squad_asked), "coqa first": (coqa_corpus.bm25, coqa_first)}
        if coqa_every:
            sets["coqa all"] = (coqa_corpus.bm25, coqa_every)
        assert all(isinstance(index, BM25) for index, _ in sets.values())
        print(
            f"SQuAD train: {args.squad_articles} articles (seed {SEED}), {len(squad_corpus)} sentences, "
            f"{len(squad_asked)} questions; CoQA tune: {len(coqa_corpus)} sentences, "
            f"{len(coqa_first)} first turns, {len(coqa_every)} turns"
        )
        names = list(sets)
        print("| k1 | b | " + " | ".join(f"{n} top1 | {n} top100 | {n} MRR" for n in names) + " |")
        print("|---|---|" + "---|---|---|" * len(names))
        for row in grid({n: (i, a) for n, (i, a) in sets.items()}, args.k1, args.b):
            cells = [f"{row[n]['top1']:.3f} | {row[n]['top100']:.3f} | {row[n]['mrr']:.3f}" for n in names]
            print(f"| {row['k1']} | {row['b']} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
