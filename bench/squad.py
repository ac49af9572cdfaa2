"""Sentence-retrieval quality on SQuAD: `python -m bench.squad PATH [--no-baseline] [--limit N]`.

All sentences of all articles in PATH form one corpus (an article a document). Each question
should find the sentence holding its first answer: a hit is a passage of the right article
whose [char_start, char_end) covers the answer's start. Reports P@1, R@5 and MRR (over 100 ranks) for
Verbatim's `answer()` and, in the same run on the same passages and tokens, for
`rank_bm25.BM25Okapi`. Then the abstention check: index the even-numbered articles only and
ask every question; those of the odd-numbered articles cannot be answered.

Every figure is also given per half of the articles: the first half (articles 0-11 of the
24 in squad-dev-even.json, where the parameters were tuned) and the second (held out).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from index.corpus import Corpus
from index.search import tokens

from . import squad_data

DEPTH = 100  # MRR is taken over the first 100 ranks; P@1 and R@5 need far less


def _baseline_terms(text: str) -> list[str]:
    """The issue's baseline terms: stemmed words without NLTK's whole stopword list (Verbatim
    itself indexes a few of those words, tokens.KEPT_STOPWORDS)."""
    return tokens.tokenize_with(text, tokens.NLTK_STOPWORDS)


def _passage_hits(corpus: Corpus, q: squad_data.Question) -> set[int]:
    return {p.pid for p in corpus.passages_of(q.doc_id) if p.char_start <= q.answer_pos < p.char_end}


def _metrics(ranks: list[int | None]) -> dict:
    n = len(ranks)
    return {
        "P@1": sum(r == 1 for r in ranks) / n,
        "R@5": sum(r is not None and r <= 5 for r in ranks) / n,
        "MRR": sum(1 / r for r in ranks if r) / n,
    }


def _rank(ids: list[int], gold: set[int]) -> int | None:
    for i, pid in enumerate(ids[:DEPTH], start=1):
        if pid in gold:
            return i
    return None


def _halves(records: list[dict]) -> dict[str, set[str]]:
    """Article ids of the tune half (first half of the articles) and the held-out half."""
    cut = (len(records) + 1) // 2
    return {
        f"tune {0}-{cut - 1}": {r["id"] for r in records[:cut]},
        f"held-out {cut}-{len(records) - 1}": {r["id"] for r in records[cut:]},
    }


def _per_half(questions, values, halves, fn):
    out = {}
    for name, ids in halves.items():
        picked = [v for q, v in zip(questions, values, strict=True) if q.doc_id in ids]
        if picked:
            out[name] = fn(picked)
    return out


def _share(flags: list[bool]) -> float:
    return sum(flags) / max(len(flags), 1)


def evaluate(path: Path, baseline: bool = True, limit: int | None = None) -> dict:
    records, questions = squad_data.load(path)
    if limit:
        questions = questions[:limit]
    halves = _halves(records)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = squad_data.corpus_of(records, Path(tmp) / "all")
        ours, times = [], []
        for q in questions:
            start = time.perf_counter()
            answer = corpus.answer(q.text, k=DEPTH)
            times.append(time.perf_counter() - start)
            ours.append(_rank([h.passage.pid for h in answer.hits], _passage_hits(corpus, q)))
        result = {
            "sentences": len(corpus),
            "articles": len(records),
            "questions": len(questions),
            "verbatim": _metrics(ours),
            "halves": {"verbatim": _per_half(questions, ours, halves, _metrics)},
            "query_ms_p50": 1000 * statistics.median(times),
            "query_ms_p95": 1000 * float(np.percentile(times, 95)),
        }
        if baseline:
            from rank_bm25 import BM25Okapi

            docs = [_baseline_terms(p.text) for p in corpus.all_passages()]
            ref = BM25Okapi(docs)
            ranks = []
            for q in questions:
                scores = ref.get_scores(_baseline_terms(q.text))
                top = np.argsort(-scores, kind="stable")[:DEPTH].tolist()
                ranks.append(_rank(top, _passage_hits(corpus, q)))
            result["rank_bm25"] = _metrics(ranks)
            result["halves"]["rank_bm25"] = _per_half(questions, ranks, halves, _metrics)

        # Abstention: a corpus of the even-numbered articles; odd-numbered ones are unanswerable.
        kept = {r["id"] for i, r in enumerate(records) if i % 2 == 0}
        half = squad_data.corpus_of([r for r in records if r["id"] in kept], Path(tmp) / "half")
        answerable = [q for q in questions if q.doc_id in kept]
        unanswerable = [q for q in questions if q.doc_id not in kept]
        un_flags = [half.answer(q.text).abstained for q in unanswerable]
        an_flags = [half.answer(q.text).abstained for q in answerable]
        result["abstain_unanswerable"] = _share(un_flags)
        result["abstain_answerable"] = _share(an_flags)
        result["abstain_questions"] = (len(answerable), len(unanswerable))
        result["halves"]["abstain"] = {
            name: (
                _share([f for q, f in zip(unanswerable, un_flags, strict=True) if q.doc_id in ids]),
                _share([f for q, f in zip(answerable, an_flags, strict=True) if q.doc_id in ids]),
            )
            for name, ids in halves.items()
        }
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", type=Path, help="SQuAD v1.1 JSON, e.g. ../shared/data/squad-dev-even.json")
    ap.add_argument("--no-baseline", action="store_true", help="skip rank-bm25 (slow)")
    ap.add_argument("--limit", type=int, help="ask only the first N questions")
    args = ap.parse_args()
    r = evaluate(args.path, baseline=not args.no_baseline, limit=args.limit)
    print(f"corpus: {r['articles']} articles, {r['sentences']} sentences; {r['questions']} questions")
    print("| system | P@1 | R@5 | MRR |\n|---|---|---|---|")
    for name in ("rank_bm25", "verbatim"):
        if name in r:
            m = r[name]
            print(f"| {name} | {m['P@1']:.3f} | {m['R@5']:.3f} | {m['MRR']:.3f} |")
    print(f"verbatim answer() time: p50 {r['query_ms_p50']:.2f} ms, p95 {r['query_ms_p95']:.2f} ms")
    a, u = r["abstain_questions"]
    print(
        f"abstention (index of even articles): abstains on {100 * r['abstain_unanswerable']:.1f}% "
        f"({round(r['abstain_unanswerable'] * u)}) of {u} unanswerable questions, wrongly on "
        f"{100 * r['abstain_answerable']:.1f}% ({round(r['abstain_answerable'] * a)}) of {a} answerable ones"
    )
    print("per half (P@1 R@5 MRR; abstained on unanswerable / wrongly on answerable):")
    for half in r["halves"]["abstain"]:
        parts = [
            f"{name} {m[half]['P@1']:.3f} {m[half]['R@5']:.3f} {m[half]['MRR']:.3f}"
            for name, m in r["halves"].items()
            if name != "abstain" and half in m
        ]
        u, a = r["halves"]["abstain"][half]
        print(f"  {half}: " + ("; ".join(parts) or "no questions") + f"; abstention {100 * u:.1f}% / {100 * a:.1f}%")


if __name__ == "__main__":
    main()
