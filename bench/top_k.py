"""Exact top 10 against main's and tantivy's, on a saved index: `python -m bench.top_k INDEX BASE [--tantivy DIR]`.

Opens INDEX read-only (`store.load` + `BM25.from_saved` of its current generation: one
generation, no chain), loads BASE's `index/search/bm25.py` as a module over the same arrays
(main's code, say `git show main:index/search/bm25.py`), and times `top(tokens, 10)` of both
and tantivy's `searcher.search(query, 10)` on a tantivy index of the same tokens, rotating the
order question by question: CPU time (`time.process_time`) of each, so that other processes on
the machine count less. SQuAD's first `--questions` questions, even ones (tuning) and odd ones
(held out) apart: p50/p95 ms, ns a posting, and whether ids and float32 scores are identical.
`--k 100`: the best 100 instead (as `answer()` asks; tantivy's stay 10).
`--threads`: then wall queries/s of each with 1 and 2 threads (`ThreadPoolExecutor`), chunks of
100 questions rotating over engines and thread counts (`threads_run`), with the process's CPU time
over wall time of each (a loaded machine gives a second thread no second core: 1.0 x then).
`--tantivy-from SEEDS`: build the tantivy index first (into `--tantivy`, if missing) from the
corpus's passages as index terms, as `bench.scale` does for its peers.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from bench import squad_data
from bench.scale import DEFAULT_DATA
from index.search import store
from index.search.bm25 import BM25
from index.search.tokens import tokenize


def open_index(index_dir: Path) -> BM25:
    """The BM25 of the chain's base generation (the current one when it has no segments),
    memory-mapped, without checksums (read-only use): a chain's later segments hold few sentences.
    """
    generation = store.current_generation(index_dir)
    head = store.load(generation, store.read_meta(generation), verify=False)
    saved = store.load_chain(head, verify=False)[0]
    return BM25.from_saved(saved.meta["vocab"], saved.arrays, saved.meta["bm25_sidecar"])


def base_engine(path: Path, ours: BM25) -> Any:
    """BASE's `BM25` (its bm25.py loaded as a module) over our arrays (those it knows)."""
    spec = importlib.util.spec_from_file_location("base_bm25", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["base_bm25"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module.BM25(ours.terms, ours.indptr, ours.docs, ours.pairs, ours.idf, ours.doc_len, ours.params)


def build_tantivy(seeds: Path, index_dir: Path, folder: Path) -> Path:
    """A tantivy index of the corpus's passages as their index terms (as `bench.scale.peers`)."""
    import tantivy

    from index.corpus import Corpus

    corpus = Corpus.open(seeds, index_dir)
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("body", stored=False, tokenizer_name="whitespace", index_option="freq")
    builder.add_integer_field("pid", stored=True, fast=True)
    folder.mkdir(parents=True)
    idx = tantivy.Index(builder.build(), path=str(folder))
    writer = idx.writer(heap_size=500_000_000, num_threads=2)
    for pid, passage in enumerate(corpus.all_passages()):
        writer.add_document(tantivy.Document(body=" ".join(corpus.tokenize(passage.text)), pid=pid))
    writer.commit()
    writer.wait_merging_threads()
    return folder


def tantivy_engine(folder: Path) -> Callable[[list[str]], Any]:
    """tantivy's top 10 of a question's tokens, as `bench.scale.peers` queries it."""
    import tantivy

    idx = tantivy.Index.open(str(folder))
    searcher = idx.searcher()

    def search(toks: list[str]) -> Any:
        return searcher.search(idx.parse_query(" ".join(toks), ["body"]), 10)

    return search


def threads_run(engines: dict[str, Callable[[list[str]], Any]], asked: list[list[str]], rounds: int) -> None:
    """Wall queries a second of each engine with 1 and 2 threads: the questions in chunks of
    100, each chunk run by every engine and thread count in turn (rotating), `rounds` times, so
    that a change in the machine's load falls on all of them alike.
    """
    wall: dict[tuple[str, int], float] = {(name, t): 0.0 for name in engines for t in (1, 2)}
    cpu: dict[tuple[str, int], float] = dict.fromkeys(wall, 0.0)
    done: dict[tuple[str, int], int] = dict.fromkeys(wall, 0)
    configs = list(wall)
    pools = {t: ThreadPoolExecutor(t) for t in (1, 2)}
    for r in range(rounds):
        for c, lo in enumerate(range(0, len(asked), 100)):
            chunk = asked[lo : lo + 100]
            for j in range(len(configs)):
                name, t = configs[(r + c + j) % len(configs)]
                w0, c0 = time.perf_counter(), time.process_time()
                list(pools[t].map(engines[name], chunk))
                wall[name, t] += time.perf_counter() - w0
                cpu[name, t] += time.process_time() - c0
                done[name, t] += len(chunk)
    for pool in pools.values():
        pool.shutdown()
    for name in engines:
        one, two = done[name, 1] / wall[name, 1], done[name, 2] / wall[name, 2]
        print(
            f"  {name}: 1 thread {one:.1f} q/s, 2 threads {two:.1f} q/s ({two / one:.2f} x);"
            f" CPU / wall {cpu[name, 1] / wall[name, 1]:.2f} and {cpu[name, 2] / wall[name, 2]:.2f}"
            " (2.00: two cores busy; below, the machine gave no second core)"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("index", type=Path)
    ap.add_argument("base", type=Path, help="the bm25.py to compare with")
    ap.add_argument("--tantivy", type=Path, default=None, help="a tantivy index of the same tokens")
    ap.add_argument("--tantivy-from", type=Path, default=None, help="SEEDS: build it into --tantivy first")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--questions", type=int, default=1000)
    ap.add_argument("--threads", action="store_true")
    ap.add_argument("--rounds", type=int, default=2, help="with --threads: passes over the questions")
    ap.add_argument("--base-label", default="main", help="the base's name in the figures")
    ap.add_argument("--k", type=int, default=10, help="how many best documents (tantivy: always 10)")
    args = ap.parse_args()
    if args.tantivy_from is not None and args.tantivy is not None and not args.tantivy.exists():
        build_tantivy(args.tantivy_from, args.index, args.tantivy)
    t0 = time.perf_counter()
    ours = open_index(args.index)
    base = base_engine(args.base, ours)
    engines: dict[str, Callable[[list[str]], Any]] = {
        args.base_label: lambda toks: base.top(toks, args.k),
        "this": lambda toks: ours.top(toks, args.k),
    }
    if args.tantivy is not None:
        engines["tantivy"] = tantivy_engine(args.tantivy)
    print(f"opened {ours.n_docs:,} documents in {time.perf_counter() - t0:.2f} s")
    _, questions = squad_data.load(args.data)
    asked = [toks for q in questions[: args.questions] if (toks := tokenize(q.text))]
    postings = [sum(ours.doc_freq(ours.vocab[t]) for t in set(toks) if t in ours.vocab) for toks in asked]
    names = list(engines)
    spent: dict[str, list[float]] = {name: [] for name in names}
    same = 0
    for i, toks in enumerate(asked):
        got = {}
        for j in range(len(names)):
            name = names[(i + j) % len(names)]
            c0 = time.process_time()
            got[name] = engines[name](toks)
            spent[name].append(time.process_time() - c0)
        same += bool(
            np.array_equal(got[args.base_label][0], got["this"][0])
            and np.array_equal(got[args.base_label][1].astype(np.float32), got["this"][1].astype(np.float32))
        )
    print(f"{len(asked)} questions, {args.base_label} and this identical (ids, float32 scores): {same} / {len(asked)}")
    for half, name_half in ((0, "even (tuned)"), (1, "odd (held out)")):
        n_post = sum(postings[half::2])
        print(f"{name_half}: {len(asked[half::2])} q., {n_post / len(asked[half::2]):,.0f} postings a question")
        for name in names:
            cpu = spent[name][half::2]
            print(
                f"  {name}: p50 {1000 * statistics.median(cpu):.2f} ms, p95 {1000 * float(np.percentile(cpu, 95)):.2f}"
                f" ms, {1e9 * sum(cpu) / n_post:.1f} ns CPU a posting"
            )
    if args.threads:
        threads_run(engines, asked, args.rounds)


if __name__ == "__main__":
    main()
