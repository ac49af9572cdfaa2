"""Speed at scale: `python -m bench.scale [SQUAD_JSON] [--sizes 10000,100000,1000000]`.

Builds corpora of about 10k, 100k and 1M sentences by replicating the SQuAD articles under
distinct ids, then for each size prints build time, index size on disk, load time, resident
memory of the serving process, and query p50/p95 (question string -> top 10) over 1,000
SQuAD questions; and, in the same run on the same tokens, rank-bm25's `get_scores` + top 10
(on 100 questions at 1M, 1,000 below), with the ratio and a parity check of the top 10.
Load, memory and query time are measured in a fresh process that only opens the index.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from . import squad_data

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "squad-dev-even.json"
SQUAD_SENTENCES = 5078  # sentences of one copy of squad-dev-even.json with Verbatim's splitter


def _p(times: list[float], q: float) -> float:
    return 1000 * float(np.percentile(times, q))


def make_corpus(records: list[dict], sentences: int, folder: Path) -> int:
    """Write enough copies of the SQuAD articles, under distinct ids, to reach `sentences`."""
    copies = max(1, math.ceil(sentences / SQUAD_SENTENCES))
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "corpus.jsonl").open("w", encoding="utf-8") as fh:
        for copy in range(copies):
            for record in records:
                fh.write(json.dumps({**record, "id": f"{record['id']}-c{copy:04d}"}) + "\n")
    return copies


def probe(seeds: Path, index: Path, questions: list[str]) -> dict:
    """Run in a fresh process: open the saved index, ask, report times and memory."""
    import psutil

    from index.corpus import Corpus
    from index.search import tokens

    proc = psutil.Process()
    start = time.perf_counter()
    corpus = Corpus.open(seeds, index)
    load = time.perf_counter() - start
    rss_loaded = proc.memory_info().rss
    top_times, answer_times = [], []
    for question in questions:
        t0 = time.perf_counter()
        corpus.bm25.top(tokens.tokenize(question), 10)
        top_times.append(time.perf_counter() - t0)
    for question in questions:
        t0 = time.perf_counter()
        corpus.answer(question, k=10)
        answer_times.append(time.perf_counter() - t0)
    postings = [
        sum(
            int(corpus.bm25.indptr[corpus.bm25.vocab[t] + 1] - corpus.bm25.indptr[corpus.bm25.vocab[t]])
            for t in tokens.tokenize(q)
            if t in corpus.bm25.vocab
        )
        for q in questions
    ]
    return {
        "load_s": load,
        "rss_loaded_mb": rss_loaded / 2**20,
        "rss_mb": proc.memory_info().rss / 2**20,
        "top_p50_ms": _p(top_times, 50),
        "top_p95_ms": _p(top_times, 95),
        "answer_p50_ms": _p(answer_times, 50),
        "answer_p95_ms": _p(answer_times, 95),
        "postings_mean": statistics.mean(postings),
        "passages": len(corpus),
    }


def rank_bm25_run(seeds: Path, index: Path, questions: list[str]) -> dict:
    """rank-bm25 on the same passages and tokens, with a top-10 parity check against ours."""
    from rank_bm25 import BM25Okapi

    from index.corpus import Corpus
    from index.search import tokens

    corpus = Corpus.open(seeds, index)
    t0 = time.perf_counter()
    docs = [tokens.tokenize(p.text) for p in corpus.all_passages()]
    ref = BM25Okapi(docs)
    build = time.perf_counter() - t0
    del docs
    gc.collect()
    times, identical, worst = [], 0, 0.0
    for question in questions:
        q = tokens.tokenize(question)
        t0 = time.perf_counter()
        scores = ref.get_scores(q)
        top = np.argsort(-scores, kind="stable")[:10]
        times.append(time.perf_counter() - t0)
        ids, ours = corpus.bm25.top(q, 10)
        theirs = scores[top][: len(ours)]
        if len(ours):
            worst = max(worst, float(np.max(np.abs(ours - theirs) / np.maximum(np.abs(theirs), 1e-12))))
            # Same ranking up to ties: our documents have exactly the scores rank-bm25 ranks there.
            same = np.allclose(scores[ids], theirs, rtol=1e-5) and len(ours) == min(
                10, int((scores > 0).sum()) or len(ours)
            )
            identical += bool(same)
        else:
            identical += bool(not np.any(scores > 0))
    return {
        "build_s": build,
        "p50_ms": _p(times, 50),
        "p95_ms": _p(times, 95),
        "questions": len(questions),
        "identical_top10": identical,
        "max_rel_diff": worst,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--questions", type=int, default=1000)
    ap.add_argument("--baseline-questions-1m", type=int, default=100)
    ap.add_argument("--workers", type=int, default=None, help="build processes (default: one per core)")
    ap.add_argument("--probe", nargs=2, metavar=("SEEDS", "INDEX"), help=argparse.SUPPRESS)
    ap.add_argument("--baseline", nargs=2, metavar=("SEEDS", "INDEX"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    records, all_questions = squad_data.load(args.path)
    questions = [q.text for q in all_questions[: args.questions]]
    if args.probe:
        print(json.dumps(probe(Path(args.probe[0]), Path(args.probe[1]), questions)))
        return
    if args.baseline:
        n = int(os.environ.get("BENCH_BASELINE_QUESTIONS", len(questions)))
        print(json.dumps(rank_bm25_run(Path(args.baseline[0]), Path(args.baseline[1]), questions[:n])))
        return

    from index.search import build as builder

    print(f"cores: {os.cpu_count()}; questions: {len(questions)} from {args.path.name}")
    header = (
        "| sentences | build s | index MB | load s | RSS MB | top-10 p50 ms | top-10 p95 ms | "
        "answer() p50 ms | answer() p95 ms | postings/query | rank-bm25 p50 ms | rank-bm25 p95 ms | "
        "p95 ratio | top-10 identical | max rel diff |"
    )
    print(header + "\n|" + "---|" * (header.count("|") - 1), flush=True)
    for size in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
            seeds, index = Path(tmp) / "seeds", Path(tmp) / "index"
            make_corpus(records, size, seeds)
            t0 = time.perf_counter()
            generation = builder.build(seeds, index, workers=args.workers)
            build_s = time.perf_counter() - t0
            # The corpus file this benchmark wrote is still being flushed to disk by the kernel
            # (the index itself is fsynced): finish that first, or the writeback competes with
            # the serving process measured next.
            os.sync()
            disk = sum(p.stat().st_size for p in generation.iterdir()) / 2**20
            run = [sys.executable, "-m", "bench.scale", str(args.path), "--questions", str(len(questions))]
            got = json.loads(
                subprocess.run(
                    run + ["--probe", str(seeds), str(index)], check=True, capture_output=True, text=True
                ).stdout
            )
            n_base = args.baseline_questions_1m if got["passages"] > 500_000 else len(questions)
            base = json.loads(
                subprocess.run(
                    run + ["--baseline", str(seeds), str(index)],
                    check=True,
                    capture_output=True,
                    text=True,
                    env={**os.environ, "BENCH_BASELINE_QUESTIONS": str(n_base)},
                ).stdout
            )
        row = (
            f"| {got['passages']:,} | {build_s:.1f} | {disk:.0f} | {got['load_s']:.2f} | {got['rss_mb']:.0f} | "
            f"{got['top_p50_ms']:.2f} | {got['top_p95_ms']:.2f} | {got['answer_p50_ms']:.2f} | "
            f"{got['answer_p95_ms']:.2f} | {got['postings_mean']:,.0f} | {base['p50_ms']:.0f} | "
            f"{base['p95_ms']:.0f} | {base['p95_ms'] / got['top_p95_ms']:.0f}x | "
            f"{base['identical_top10']}/{base['questions']} | {base['max_rel_diff']:.1e} |"
        )
        print(row, flush=True)


if __name__ == "__main__":
    main()
