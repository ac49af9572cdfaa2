"""Speed at scale: `python -m bench.scale [SQUAD_JSON] [--sizes 10000,100000,1000000]`.

Builds corpora of about 10k, 100k and 1M sentences by replicating the SQuAD articles under
distinct ids, then for each size prints build time, index size on disk, load time, resident
memory of the serving process, and query p50/p95 (question string -> top 10) over 1,000
SQuAD questions; and, in the same run on the same tokens, rank-bm25's `get_scores` + top 10
(on 100 questions at 1M, 1,000 below), with the ratio and a parity check of the top 10.
Load, memory and query time are measured in a fresh process that only opens the index.

`python -m bench.scale --sentences N [--layers] [--rank-bm25] [--no-peers]`: one living-index run
(issue 16): build time and peak memory (BM25 apart from the layers unless `--layers`), index
size, open and spawn-to-first-answer, resident memory, exact top-10 (`Corpus.search`) p50/p95 and
queries/s with 1 and 2 threads, `answer()` p95, the time to add one article until it is answered,
then to assemble the live layers on first use (`Corpus.prepare_layers`), and to remove it; tantivy and bm25s on the same tokens as
peers (`pip install -e '.[peers]'`), rank-bm25 parity with `--rank-bm25`.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import squad_data

if TYPE_CHECKING:
    from index.corpus import Corpus

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "squad-dev-even.json"
PEERS = ("tantivy", "bm25s")
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
        sum(corpus.bm25.doc_freq(corpus.bm25.vocab[t]) for t in tokens.tokenize(q) if t in corpus.bm25.vocab)
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


def _rss_split() -> dict[str, float]:
    """This process's resident memory by kind (Linux): its own anonymous memory, and the mapped file
    pages it touched (the index's, the page cache's: `index.search.resident` trims them past a budget).
    """
    split: dict[str, float] = {}
    with contextlib.suppress(OSError), open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(("RssAnon:", "RssFile:", "RssShmem:")):
                name, value = line.split()[:2]
                split[name.rstrip(":")] = int(value) / 1024
    return split


def _no_layers() -> None:
    """Replace the recogniser and tagger by nothing (in this process): BM25 measured apart from layers."""
    from index.search import layers

    def analyse(articles: list, rows: object, workers: int | None = None) -> tuple[list, list]:
        # by count: iterating a build's `LazyArticles` unpacks every body (at 10M about 20 s, serial)
        return [[] for _ in range(len(articles))], [[] for _ in range(len(articles))]

    layers.analyse = analyse  # type: ignore[assignment]


class _Steps:
    """Wall and CPU seconds of named steps, in order."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        self.wall[name] = time.perf_counter() - wall
        self.cpu[name] = time.process_time() - cpu

    def figures(self) -> dict[str, float]:
        """{name}_s and {name}_cpu_s of each step."""
        out = {}
        for name, wall in self.wall.items():
            out[f"{name}_s"], out[f"{name}_cpu_s"] = wall, self.cpu[name]
        return out


def _pss_mb(pids: list[int]) -> float:
    """Proportional set size of these processes together (forked workers share the parent's pages:
    their RSS counts those pages again, their PSS a share of them)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
                total += next((int(line.split()[1]) for line in fh if line.startswith("Pss:")), 0)
        except OSError:  # exited, or not Linux
            pass
    return total / 1024


# What `do_build` times inside `build.build`, as (owner, attribute, phase): the build's own functions,
# looked up by `build.build` at call time, so a wrapper on them times that call and changes nothing.
PHASES = (
    ("index.ingest.sentences", "train_splitter", "train"),
    ("index.search.bm25:BM25", "from_builder", "sort"),
    ("index.search.layers", "analyse", "layers"),
    ("index.search.layers", "assemble", "layers"),
    ("index.search.layers", "dump_inputs", "layers"),
    ("index.search.store:GenerationWriter", "commit", "commit"),
)


@contextlib.contextmanager
def _phases(steps: dict[str, list[float]]) -> Iterator[None]:
    """Time each call of `PHASES`' functions (in this process) into `steps[phase]`: [start, end]
    wall (perf_counter) of its first and last calls, and the calls' wall and this process's CPU
    seconds summed (`wall`, `cpu`). The originals are put back on exit."""
    import importlib

    saved = []
    for owner, name, phase in PHASES:
        module, _, cls = owner.partition(":")
        target: Any = importlib.import_module(module)
        if cls:
            target = getattr(target, cls)
        original = target.__dict__[name]
        function = original.__func__ if isinstance(original, classmethod) else original

        def timed(*args: Any, _f: Any = function, _phase: str = phase, **kwargs: Any) -> Any:
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return _f(*args, **kwargs)
            finally:
                end = time.perf_counter()
                got = steps.setdefault(_phase, [wall, end, 0.0, 0.0])
                got[1] = end
                got[2] += end - wall
                got[3] += time.process_time() - cpu

        setattr(target, name, classmethod(timed) if isinstance(original, classmethod) else timed)
        saved.append((target, name, original))
    try:
        yield
    finally:
        for target, name, original in reversed(saved):
            setattr(target, name, original)


def build_phases(steps: dict[str, list[float]], start: float, end: float) -> dict[str, float]:
    """Wall seconds of a build's phases in order, from `_phases`' stamps: Punkt's training, the split
    (from the training's end to the counting sort: the workers), the sort, the layers, the commit,
    and `other` (the rest of `build.build`: the lock, the seeds' listing and hash, the metadata)."""
    out = {name: steps[name][2] for name in ("train", "sort", "layers", "commit") if name in steps}
    if "train" in steps and "sort" in steps:
        out["split"] = steps["sort"][0] - steps["train"][1]
    out["other"] = (end - start) - sum(out.values())
    return {
        name: round(out[name], 3) for name in ("train", "split", "sort", "layers", "commit", "other") if name in out
    }


def do_build(seeds: Path, index: Path, workers: int | None, with_layers: bool) -> dict:
    """Run in a fresh process: build, report wall and CPU time and peak memory (this process, and
    its workers: the largest RSS of each, and the peak of their PSS summed, sampled every 0.2 s)."""
    import resource
    import threading

    import psutil

    from index.search import build as builder

    if not with_layers:
        _no_layers()
    me, peak, done = psutil.Process(), [0.0], threading.Event()

    sampler_cpu = [0.0]

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], _pss_mb([me.pid, *(c.pid for c in me.children(recursive=True))]))
        sampler_cpu[0] = time.thread_time()  # its own CPU, counted in the build's (a thread of this process)

    def cpu_s() -> float:  # this process and its waited-for workers, user + system
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    steps: dict[str, list[float]] = {}
    with _phases(steps):
        t0, cpu0 = time.perf_counter(), cpu_s()
        builder.build(seeds, index, workers=workers)
        end = time.perf_counter()
    build_s = end - t0
    done.set()
    sampler.join()
    phases = build_phases(steps, t0, end)
    layers = steps.get("layers", [0.0, 0.0, 0.0, 0.0])
    return {
        "build_s": build_s,
        "build_cpu_s": cpu_s() - cpu0,  # on a shared machine CPU time, not wall time, compares two builds
        # Issue 16's figure: the build less the layers (with them off, assembled from empty inputs)
        "bm25_build_s": build_s - layers[2],
        "layers_s": layers[2],
        "layers_cpu_s": layers[3],
        "phases_s": phases,
        "sampler_cpu_s": sampler_cpu[0],
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "workers_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "peak_pss_all_mb": peak[0],
    }


def probe_live(seeds: Path, index: Path, questions: list[str], spawned: float, with_layers: bool) -> dict:
    """Run in a fresh process: open, first answer, latencies, threads, then add one article and remove it.

    `first` and `add` break the first answer and the add down into steps, each as wall and CPU
    seconds (`_Steps`; CPU is what a loaded machine does not inflate): the interpreter's start
    (spawn to here), importing the answer path, opening, the stemmer's lazy import (nltk),
    and the first answer; the add's commit, then its first search and answer.
    """
    entered, start_cpu = time.time(), time.process_time()
    from concurrent.futures import ThreadPoolExecutor

    import psutil

    steps = _Steps()
    with steps.step("imports"):
        if not with_layers:
            _no_layers()
        from index.corpus import Corpus
    with steps.step("open"):
        corpus = Corpus.open(seeds, index)
    with steps.step("stemmer"):
        from index.search import tokens

        tokens.tokenize("warming up")
    with steps.step("answer"):
        corpus.answer(questions[0], k=3)
    first_answer_s = time.time() - spawned
    open_s = steps.wall["open"]
    first = {"start_s": entered - spawned if spawned else 0.0, "start_cpu_s": start_cpu, **steps.figures()}
    engines: dict[str, dict[str, float]] = {}
    for engine in ("numpy",):
        times = []
        for question in questions:
            t1 = time.perf_counter()
            corpus.search(question, 10)
            times.append(time.perf_counter() - t1)
        figures = {"p50_ms": _p(times, 50), "p95_ms": _p(times, 95)}
        for threads in (1, 2):
            with ThreadPoolExecutor(threads) as pool:
                t1 = time.perf_counter()
                list(pool.map(lambda q: corpus.search(q, 10), questions))
                figures[f"qps_{threads}"] = len(questions) / (time.perf_counter() - t1)
        engines[engine] = figures
    answer_times = []
    for question in questions:
        t1 = time.perf_counter()
        corpus.answer(question, k=3)
        answer_times.append(time.perf_counter() - t1)
    rss = psutil.Process().memory_info().rss / 2**20
    rss_split = _rss_split()
    extra = seeds / "zz-breaking.txt"
    # "Zanzibar" mid-sentence: a name the recogniser takes (a sentence starter needs evidence).
    extra.write_text(
        "Ferry operators in Zanzibar announced a quarrelsome xylophone festival on Tuesday.\n", encoding="utf-8"
    )
    adding = _Steps()
    with adding.step("commit"):
        added = corpus.reindex()
    with adding.step("search"):
        found = added.search("zanzibar xylophone festival", 1)
    with adding.step("answer"):
        hit = added.answer("zanzibar xylophone festival", k=1).hits
    commit_s = adding.wall["commit"]
    search_s = commit_s + adding.wall["search"]
    add_s = search_s + adding.wall["answer"]
    assert found and hit and hit[0].passage.doc_id == "zz-breaking", "the added article is not answered"
    chain = chain_queries(added, questions)
    t1 = time.perf_counter()
    if hasattr(added, "prepare_layers"):  # entities, timeline, suggestions of the live view, on first use
        added.prepare_layers()
    layers_s = time.perf_counter() - t1
    entity_found = any("zz-breaking" in e.articles for e in added.entities().all())
    extra.unlink()
    removing = _Steps()
    with removing.step("commit"):
        removed = added.reindex()
    remove_s = removing.wall["commit"]
    assert not removed.search("zanzibar xylophone"), "the removed article is still answered"
    return {
        "passages": len(corpus),
        "open_s": open_s,
        "first_answer_s": first_answer_s,
        "first": first,
        "rss_mb": rss,
        "rss_split_mb": rss_split,
        "search": engines,
        "answer_p50_ms": _p(answer_times, 50),
        "answer_p95_ms": _p(answer_times, 95),
        "add_one_s": add_s,
        "add_commit_s": commit_s,
        "add_searched_s": search_s,
        "add": adding.figures(),
        "chain": chain,
        "layers_after_add_s": layers_s,
        "added_article_has_entities": entity_found,
        "remove_one_s": remove_s,
        "remove": removing.figures(),
        "segments_after_add": len(added.saved.meta.get("segments", [])),
    }


def chain_queries(corpus: Corpus, questions: list[str]) -> dict[str, Any]:
    """A chain (base + one added article) read by a fresh reader: the time to open it, and its
    top-10 with query-time weights against the same postings merged and scored at open (what the
    earlier engine served), interleaved question by question in this one process.
    """
    from concurrent.futures import ThreadPoolExecutor

    from index.corpus import Corpus
    from index.search import segments, store, tokens

    head = corpus.saved.path
    segments.recall(head.name)
    t0 = time.perf_counter()
    reader = Corpus(corpus.seeds_dir, corpus.index_dir, store.load(head, store.read_meta(head)))
    open_s = time.perf_counter() - t0
    live = reader.bm25
    t0 = time.perf_counter()
    merged = live.compact() if hasattr(live, "compact") else live
    compact_s = time.perf_counter() - t0
    queries = [tokens.tokenize(q) for q in questions]
    times: dict[str, list[float]] = {"live": [], "merged": []}
    same = 0
    for q in queries:
        for name, engine in (("live", live), ("merged", merged)):
            t1 = time.perf_counter()
            ids, scores = engine.top(q, 10)
            times[name].append(time.perf_counter() - t1)
        same += bool(np.allclose(live.top(q, 10)[1], merged.top(q, 10)[1], rtol=1e-5))
    out: dict[str, Any] = {
        "open_s": open_s,
        "compact_s": compact_s,
        "same_top10_scores": same,
        "questions": len(queries),
    }
    for name, engine in (("live", live), ("merged", merged)):
        figures = {
            "p50_ms": _p(times[name], 50),
            "p95_ms": _p(times[name], 95),
            "mean_ms": 1000 * statistics.mean(times[name]),
        }
        for threads in (1, 2):
            with ThreadPoolExecutor(threads) as pool:
                t1 = time.perf_counter()
                list(pool.map(lambda q, e=engine: e.top(q, 10), queries))
                figures[f"qps_{threads}"] = len(queries) / (time.perf_counter() - t1)
        out[name] = figures
    return out


def peers(seeds: Path, index: Path, questions: list[str], tmp: Path, engines: Sequence[str] = PEERS) -> dict:
    """tantivy and bm25s on the same passages and tokens (optional: `pip install tantivy bm25s`).

    bm25s takes its corpus as Python lists of token strings: about 2 GB a million sentences here,
    so at 10M it does not fit this machine's 24 GB (`--peer tantivy` leaves it out).
    """
    from index.corpus import Corpus

    corpus = Corpus.open(seeds, index)
    texts = [" ".join(corpus.tokenize(p.text)) for p in corpus.all_passages()]
    queries = [corpus.tokenize(q) for q in questions]
    exact = [[pid for pid, _ in corpus.search(q, 10)] for q in questions]
    out: dict = {}
    try:
        import tantivy
    except ImportError:
        tantivy = None
    if tantivy is not None and "tantivy" in engines:
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("body", stored=False, tokenizer_name="whitespace", index_option="freq")
        builder.add_integer_field("pid", stored=True, fast=True)
        folder = tmp / "tantivy"
        folder.mkdir()
        t0 = time.perf_counter()
        idx = tantivy.Index(builder.build(), path=str(folder))
        writer = idx.writer(heap_size=500_000_000, num_threads=2)
        for pid, text in enumerate(texts):
            writer.add_document(tantivy.Document(body=text, pid=pid))
        writer.commit()
        writer.wait_merging_threads()
        idx.reload()
        build_s = time.perf_counter() - t0
        searcher = idx.searcher()
        times, times100, recalled = [], [], 0
        for q, best in zip(queries, exact, strict=True):
            if not q:
                continue
            query = idx.parse_query(" ".join(q), ["body"])
            t1 = time.perf_counter()
            searcher.search(query, 10)
            times.append(time.perf_counter() - t1)
            t1 = time.perf_counter()
            hits = searcher.search(query, 100).hits
            times100.append(time.perf_counter() - t1)
            got = {searcher.doc(addr)["pid"][0] for _, addr in hits}
            recalled += set(best) <= got
        out["tantivy"] = {
            "build_s": build_s,
            "mb": sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20,
            "p95_ms": _p(times, 95),
            "p95_100_ms": _p(times100, 95),
            "exact_top10_in_top100": recalled / max(1, len(times)),
        }
    try:
        import bm25s
    except ImportError:
        bm25s = None
    if bm25s is not None and "bm25s" in engines:
        t0 = time.perf_counter()
        retriever = bm25s.BM25(k1=1.5, b=0.75)
        retriever.index([t.split() for t in texts], show_progress=False)
        build_s = time.perf_counter() - t0
        times = []
        for q in queries:
            if not q:
                continue
            t1 = time.perf_counter()
            retriever.retrieve([q], k=10, show_progress=False, n_threads=1)
            times.append(time.perf_counter() - t1)
        out["bm25s"] = {"build_s": build_s, "p95_ms": _p(times, 95)}
    return out


def _child(args: list[str], env: dict | None = None) -> dict:
    run = [sys.executable, "-m", "bench.scale", *args]
    done = subprocess.run(run, capture_output=True, text=True, env=env)
    if done.returncode:
        raise SystemExit(f"{' '.join(args[-4:])} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def live_run(args: argparse.Namespace, records: list[dict], questions: list[str]) -> None:
    """`--sentences N`: the living index's figures, with tantivy and bm25s as peers in the same run."""
    print(f"cores: {os.cpu_count()}; questions: {len(questions)} from {args.path.name}", flush=True)
    common = [str(args.path), "--questions", str(len(questions))]
    layer_flag = ["--layers"] if args.layers else []
    with contextlib.ExitStack() as stack:
        if args.keep:
            args.keep.mkdir(parents=True)
            tmp = str(args.keep)
        else:
            tmp = stack.enter_context(tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")))
        seeds, index = Path(tmp) / "seeds", Path(tmp) / "index"
        make_corpus(records, args.sentences, seeds)
        os.sync()
        built = _child([*common, *layer_flag, "--do-build", str(seeds), str(index)])
        disk = sum(p.stat().st_size for p in index.rglob("*") if p.is_file()) / 2**20
        print("build:", json.dumps({**built, "index_mb": disk}), flush=True)  # each part as it ends
        spawned = time.time()
        live = _child([*common, *layer_flag, "--spawned", str(spawned), "--probe-live", str(seeds), str(index)])
        print("live:", json.dumps(live), flush=True)
        row = {**built, "index_mb": disk, **live}
        if not args.no_peers:
            engines = [f"--peer={name}" for name in args.peer or PEERS]
            row["peers"] = _child([*common, *engines, "--peers", str(seeds), str(index), tmp])
        if args.rank_bm25:
            n = str(min(len(questions), 100 if live["passages"] > 500_000 else len(questions)))
            row["rank_bm25"] = _child(
                [*common, "--baseline", str(seeds), str(index)], {**os.environ, "BENCH_BASELINE_QUESTIONS": n}
            )
    print(json.dumps(row, indent=1), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--questions", type=int, default=1000)
    ap.add_argument("--baseline-questions-1m", type=int, default=100)
    ap.add_argument("--workers", type=int, default=None, help="build processes (default: one per core)")
    ap.add_argument("--probe", nargs=2, metavar=("SEEDS", "INDEX"), help=argparse.SUPPRESS)
    ap.add_argument("--baseline", nargs=2, metavar=("SEEDS", "INDEX"), help=argparse.SUPPRESS)
    ap.add_argument("--sentences", type=int, help="one living-index run at this size (issue 16's figures)")
    ap.add_argument("--layers", action="store_true", help="with --sentences: compute the entity and timeline layers")
    ap.add_argument("--no-peers", action="store_true", help="with --sentences: skip tantivy and bm25s")
    ap.add_argument("--peer", action="append", choices=PEERS, help="with --sentences: only this peer (repeatable)")
    ap.add_argument("--keep", type=Path, help="with --sentences: build in this new folder and keep it")
    ap.add_argument("--rank-bm25", action="store_true", help="with --sentences: rank-bm25 parity in the same run")
    ap.add_argument("--do-build", nargs=2, metavar=("SEEDS", "INDEX"), help=argparse.SUPPRESS)
    ap.add_argument("--probe-live", nargs=2, metavar=("SEEDS", "INDEX"), help=argparse.SUPPRESS)
    ap.add_argument("--peers", nargs=3, metavar=("SEEDS", "INDEX", "TMP"), help=argparse.SUPPRESS)
    ap.add_argument("--spawned", type=float, default=0.0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    from index.answer import answers

    # The corpus is copies of SQuAD's 24 articles standing for distinct articles of the same size:
    # merging word-for-word copies (answers.COPIES) there would read the whole pool for one or two
    # distinct hits, a corpus no desk has (CoQA's 1,393 stories hold 3 copies). Off in every
    # process of this benchmark, including the probes it spawns (each runs `main`).
    answers.COPIES = False
    records, all_questions = squad_data.load(args.path)
    questions = [q.text for q in all_questions[: args.questions]]
    if args.do_build:
        print(json.dumps(do_build(Path(args.do_build[0]), Path(args.do_build[1]), args.workers, args.layers)))
        return
    if args.probe_live:
        seeds, index = Path(args.probe_live[0]), Path(args.probe_live[1])
        print(json.dumps(probe_live(seeds, index, questions, args.spawned, args.layers)))
        return
    if args.peers:
        seeds, index, tmp = (Path(p) for p in args.peers)
        print(json.dumps(peers(seeds, index, questions, tmp, args.peer or PEERS)))
        return
    if args.sentences:
        live_run(args, records, questions)
        return
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
