"""Time of `Corpus.answer(q, k=3)`, what a Discord or CLI question costs:
`python -m bench.answer_time [PATH] [--code DIR] [--passes N] [--sentences N --index DIR]`.

The corpus is the SQuAD file's sentences (built into a temporary index), the questions every
fifth of its questions (1,080 for squad-dev-even.json), after 100 warm-up questions; each pass
prints p50 and p95 of the wall time and of the process's CPU time (the machine is shared: CPU
time is the steadier figure). `--code DIR` loads the `index` package from another checkout of
the project (for instance `git archive main | tar -x -C /tmp/base`), so that two versions of
the library can be timed alternately with the same harness on the same machine.

`--sentences N --index DIR`: the SQuAD articles replicated to N sentences (bench.scale's corpus,
BM25 without the entity and timeline layers, as `bench.scale --sentences`), built once into DIR
and reused by later runs; the questions are the file's first `--questions` (bench.scale's).

`--dump FILE` writes, per question, whether it abstained and the top-3 passage ids, scores
(exact: float hex), highlights and answer spans as JSON lines; `--answers FILE` writes the same
for every question of the SQuAD file, the news questions and the seed questions on their own
corpora, without timing: two versions answer identically when their files are identical (`cmp`).
`--stages` prints, instead of the passes, the CPU time of each stage of `answer()` (search,
rerank features, second pass, story evidence, last look, aliases...) over all the questions and
over the slowest 5%.
`--interleave DIR` times, instead of one checkout's passes, DIR's `Corpus.answer` and this
checkout's in one process (each `index` package copied under another name), question by question
alternately, and counts identical answers: the fairest comparison on a shared machine.
`--top-base DIR` times, instead of answers, the exact top-k alone: this checkout's `BM25.top` and
DIR's (`DIR/index/search/bm25.py` loaded as a module over the same arrays) alternately question by
question, on the searches `answer()` makes (its terms and aliases, k = the rerank's pool) and on
`Corpus.search`'s (the question's tokens, k = 10): CPU ns a posting, p50/p95, and whether ids and
float32 scores are identical. `--no-recent`: this checkout keeps no postings between reads
(`bm25.RECENT_POSTINGS` 0: every read widens the ids and weighs the postings again).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import numpy as np

from . import squad_data
from .scale import DEFAULT_DATA, do_build, make_corpus

if TYPE_CHECKING:
    from index.corpus import Corpus


def _replicated(path: Path, sentences: int, folder: Path) -> tuple[Path, Path]:
    """Seeds and index of the replicated corpus in `folder`, built on first use."""
    seeds, index = folder / "seeds", folder / "index"
    if not index.exists():
        records, _ = squad_data.load(path)
        if not (seeds / "corpus.jsonl").exists():
            make_corpus(records, sentences, seeds)
        print(f"built {folder}: {do_build(seeds, index, None, False)}", flush=True)
    return seeds, index


def _record(answer: object) -> dict[str, object]:
    hits = getattr(answer, "hits", [])[:3]
    return {
        "abstained": bool(getattr(answer, "abstained", False)),
        "ids": [h.passage.pid for h in hits],
        "scores": [float(h.score).hex() for h in hits],
        "highlights": [h.highlights for h in hits],
        "spans": [h.answer_spans for h in hits],
    }


def dump_answers(ask: Callable[[str], object], questions: Iterable[str], out: TextIO, what: str) -> None:
    """One JSON line per question: the answer's abstention, top-3 ids and exact scores."""
    for question in questions:
        out.write(json.dumps({"set": what, "q": question, **_record(ask(question))}) + "\n")


def all_answers(path: Path, out: TextIO) -> None:
    """Every SQuAD, news and seed question on its own corpus (the identity check)."""
    from index.corpus import Corpus
    from tests.question_sets import MEANTIME, ROOT, meantime_corpus, news_rows, seed_rows

    records, questions = squad_data.load(path)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = squad_data.corpus_of(records, Path(tmp))
        dump_answers(lambda q: corpus.answer(q, k=3), [q.text for q in questions], out, "squad")
    if MEANTIME.exists():
        with tempfile.TemporaryDirectory() as tmp:
            corpus = meantime_corpus(Path(tmp))
            dump_answers(lambda q: corpus.answer(q, k=3), [q for _, q, _ in news_rows()], out, "news")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Corpus.open(ROOT / "seeds", Path(tmp) / "index")
        dump_answers(lambda q: corpus.answer(q, k=3), [q for q, _ in seed_rows()], out, "seed")


def time_passes(corpus: Corpus, asked: list[str], warm: list[str], passes: int, label: str) -> None:
    """Warm up, then time every question `passes` times; print p50/p95 of wall and CPU time."""
    for question in warm:
        corpus.answer(question, k=3)
    for n in range(1, passes + 1):
        wall, cpu = [], []
        for question in asked:
            w0, c0 = time.perf_counter(), time.process_time()
            corpus.answer(question, k=3)
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
        print(
            f"{label}: pass {n}, {len(asked)} questions, answer(k=3) wall p50 "
            f"{1000 * statistics.median(wall):.2f} ms, p95 {1000 * float(np.percentile(wall, 95)):.2f} ms; "
            f"CPU p50 {1000 * statistics.median(cpu):.2f} ms, p95 {1000 * float(np.percentile(cpu, 95)):.2f} ms",
            flush=True,
        )


STAGES = {  # module of index.answer -> its functions timed by --stages (those it has: `--code`)
    "answers": ("prepare", "concentration", "one_per_story", "highlight"),
    "aliases": ("find",),
    "rerank": ("rescore", "refine", "coverage", "coverage_of"),
    "query": ("background",),
    "stories": ("story_bonus",),
    "last_look": ("apply",),
}


def time_stages(corpus: Corpus, asked: list[str], warm: list[str]) -> None:
    """CPU time per stage of answer() (each stage's function wrapped in place), over all the
    questions and over the slowest 5%: where a p95 goes.
    """
    import importlib

    spent: defaultdict[str, float] = defaultdict(float)

    def timed(fn: Callable[..., object], label: str) -> Callable[..., object]:
        def run(*args: object, **kwargs: object) -> object:
            c0 = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[label] += time.process_time() - c0

        return run

    for name, functions in STAGES.items():
        module = importlib.import_module(f"index.answer.{name}")
        for fn in functions:
            if hasattr(module, fn):  # `coverage` and `coverage_of` are round 26's
                setattr(module, fn, timed(getattr(module, fn), fn))
    engine = type(corpus.bm25)
    engine.top = timed(engine.top, "search")  # type: ignore[method-assign,assignment]
    for question in warm:
        corpus.answer(question, k=3)
    rows = []
    for question in asked:
        before, c0 = dict(spent), time.process_time()
        corpus.answer(question, k=3)
        rows.append((time.process_time() - c0, {k: v - before.get(k, 0.0) for k, v in spent.items()}))
    rows.sort(key=lambda r: r[0])
    for label, part in (("all", rows), ("slowest 5%", rows[-max(1, len(rows) // 20) :])):
        total = sum(r[0] for r in part) / len(part)
        stages: defaultdict[str, float] = defaultdict(float)
        for _, r in part:
            for k, v in r.items():
                stages[k] += v / len(part)
        shown = ", ".join(f"{k} {1000 * v:.2f}" for k, v in sorted(stages.items(), key=lambda kv: -kv[1]))
        print(
            f"{label}: {1000 * total:.2f} ms CPU a question: {shown}, other {1000 * (total - sum(stages.values())):.2f}"
        )


def _renamed(checkout: Path, name: str, into: Path) -> None:
    """`checkout`'s index/ copied into `into` as the package `name` (its own imports renamed),
    so that two versions of the library live in one process.
    """
    import re
    import shutil

    target = into / name
    shutil.copytree(checkout / "index", target, ignore=shutil.ignore_patterns("__pycache__"))
    pattern = re.compile(r"\b(from|import) index\b|(?<=[\"'])index(?=\.[a-z_]+[\"'])")
    for py in target.rglob("*.py"):
        text = py.read_text(encoding="utf-8")
        py.write_text(pattern.sub(lambda m: f"{m.group(1)} {name}" if m.group(1) else name, text), encoding="utf-8")


def interleave(seeds: Path, index: Path, base_dir: Path, asked: list[str], warm: list[str], passes: int) -> None:
    """`base_dir`'s `Corpus.answer` and this checkout's, both on the saved index, timed question
    by question alternately (which goes first swaps every question): CPU p50/p95 each, and how
    many answers are identical (abstention, ids, exact scores, highlights, spans).
    """
    import importlib

    with tempfile.TemporaryDirectory() as tmp:
        here = Path(__file__).resolve().parents[1]
        for name, checkout in (("verbatim_base", base_dir), ("verbatim_this", here)):
            _renamed(checkout, name, Path(tmp))
        sys.path.insert(0, tmp)
        corpora = {
            name: importlib.import_module(f"{name}.corpus").Corpus.open(seeds, index)
            for name in ("verbatim_base", "verbatim_this")
        }
        for question in warm:
            for corpus in corpora.values():
                corpus.answer(question, k=3)
        same = 0
        for n in range(1, passes + 1):
            cpu: dict[str, list[float]] = {name: [] for name in corpora}
            for i, question in enumerate(asked):
                got = {}
                for name in list(corpora)[:: 1 if i % 2 else -1]:
                    c0 = time.process_time()
                    got[name] = _record(corpora[name].answer(question, k=3))
                    cpu[name].append(time.process_time() - c0)
                same += got["verbatim_base"] == got["verbatim_this"]
            for name, spent in cpu.items():
                print(
                    f"{name}: pass {n}, {len(asked)} questions, CPU p50 {1000 * statistics.median(spent):.2f} ms, "
                    f"p95 {1000 * float(np.percentile(spent, 95)):.2f} ms",
                    flush=True,
                )
        print(f"identical answers: {same} / {passes * len(asked)}")


def _searches(corpus: Corpus, asked: list[str]) -> list[tuple[list[str], int]]:
    """The (tokens, k) of every `BM25.top` call `answer()` makes, then `Corpus.search`'s."""
    from index.search import tokens

    calls: list[tuple[list[str], int]] = []
    engine = corpus.bm25
    inner = engine.top

    def record(toks: Sequence[str], k: int = 10) -> tuple[np.ndarray, np.ndarray]:
        calls.append((list(toks), k))
        return inner(toks, k)

    engine.top = record  # type: ignore[method-assign]
    try:
        for question in asked:
            corpus.answer(question, k=3)
    finally:
        del engine.top
    return calls + [(tokens.tokenize(q), 10) for q in asked]


def time_top(corpus: Corpus, asked: list[str], base_dir: Path, rounds: int) -> None:
    """This checkout's `BM25.top` against `base_dir`'s on the same arrays, alternately."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("base_bm25", base_dir / "index" / "search" / "bm25.py")
    assert spec is not None and spec.loader is not None
    base_mod = importlib.util.module_from_spec(spec)
    sys.modules["base_bm25"] = base_mod  # its dataclasses look their module up
    spec.loader.exec_module(base_mod)
    ours = corpus.bm25
    if type(ours).__name__ != "BM25":
        ours = ours.compact()  # type: ignore[attr-defined]
    from index.search.bm25 import length_norms, posting_weights

    # The base's stored form (format 8: int64 ids, float32 weights saved) made from these postings;
    # the weights are the same float32 arithmetic as this checkout's query-time weights.
    weights = posting_weights(
        ours.indptr, ours.docs, ours.pairs.tf_between(), length_norms(ours.doc_len, ours.params), ours.idf, ours.params
    )
    docs64 = np.asarray(ours.docs, dtype=np.int64)
    base = base_mod.BM25(ours.terms, ours.indptr, docs64, weights, ours.idf, ours.doc_len, ours.params)
    calls = _searches(corpus, asked)
    postings = []
    for toks, _ in calls:
        tids = {ours.vocab[t] for t in toks if t in ours.vocab}
        postings.append(sum(ours.doc_freq(t) for t in tids))
    engines = {"base": base, "this": ours}
    spent: dict[str, dict[int, list[float]]] = {name: defaultdict(list) for name in engines}
    same = 0
    for _ in range(rounds):
        for i, (toks, k) in enumerate(calls):
            got = {}
            for name in ("base", "this") if i % 2 else ("this", "base"):
                c0 = time.process_time()
                got[name] = engines[name].top(toks, k)
                spent[name][k].append(time.process_time() - c0)
            same += bool(
                np.array_equal(got["base"][0], got["this"][0])
                and np.array_equal(got["base"][1].astype(np.float32), got["this"][1].astype(np.float32))
            )
    print(f"{len(calls)} searches x {rounds} rounds, ids and float32 scores identical: {same} / {rounds * len(calls)}")
    for k in sorted({k for _, k in calls}):
        n_post = sum(p for (_, kk), p in zip(calls, postings, strict=True) if kk == k) * rounds
        for name in engines:
            cpu = spent[name][k]
            print(
                f"k={k} {name}: {len(cpu)} searches, {1e9 * sum(cpu) / max(n_post, 1):.1f} ns CPU a posting, "
                f"p50 {1000 * statistics.median(cpu):.3f} ms, p95 {1000 * float(np.percentile(cpu, 95)):.3f} ms"
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--code", type=Path, default=None, help="checkout whose index/ is timed")
    ap.add_argument("--passes", type=int, default=2)
    ap.add_argument("--sentences", type=int, default=None, help="the SQuAD articles replicated to this size")
    ap.add_argument("--index", type=Path, default=None, help="with --sentences: folder of that corpus (reused)")
    ap.add_argument("--questions", type=int, default=200, help="with --sentences: the file's first questions")
    ap.add_argument("--dump", type=Path, default=None, help="write the timed questions' answers (JSONL)")
    ap.add_argument("--answers", type=Path, default=None, help="write every question's answer, no timing")
    ap.add_argument("--stages", action="store_true", help="CPU time per stage of answer() instead of passes")
    ap.add_argument("--top-base", type=Path, default=None, help="time BM25.top against DIR's, alternately")
    ap.add_argument("--interleave", type=Path, default=None, help="time answer() against DIR's, question by question")
    ap.add_argument("--no-recent", action="store_true", help="keep no postings between reads (RECENT_POSTINGS 0)")
    args = ap.parse_args()
    if args.code is not None:
        sys.path.insert(0, str(args.code.resolve()))
    from index.corpus import Corpus  # after --code: the library under test

    if args.no_recent:
        import index.search.bm25 as bm25_module

        bm25_module.RECENT_POSTINGS = 0  # type: ignore[attr-defined,unused-ignore]  # absent before round 12

    label = str(Path(sys.modules["index"].__file__ or "index").parent)
    if args.answers is not None:
        with args.answers.open("w", encoding="utf-8") as out:
            all_answers(args.path, out)
        print(f"{label}: answers written to {args.answers}")
        return
    records, questions = squad_data.load(args.path)
    with tempfile.TemporaryDirectory() as tmp:
        if args.sentences:
            folder = args.index or Path(tmp)
            seeds, index = _replicated(args.path, args.sentences, folder)
            asked = [q.text for q in questions[: args.questions]]
            warm = [q.text for q in questions[-50:]]
        else:
            seeds, index = Path(tmp) / "seeds", Path(tmp) / "index"
            seeds.mkdir()
            squad_data.write_jsonl(records, seeds / "squad.jsonl")
            asked = [q.text for q in questions[::5]]
            warm = asked[:100]
        if args.interleave is not None:
            Corpus.open(seeds, index)  # built (or checked) once, by this checkout
            interleave(seeds, index, args.interleave, asked, warm, args.passes)
            return
        t0 = time.perf_counter()
        corpus = Corpus.open(seeds, index)
        print(f"{label}: {len(corpus)} passages, opened in {time.perf_counter() - t0:.1f} s", flush=True)
        if args.top_base is not None:
            time_top(corpus, asked, args.top_base, args.passes)
        elif args.stages:
            time_stages(corpus, asked, warm)
        else:
            time_passes(corpus, asked, warm, args.passes, label)
        if args.dump is not None:
            with args.dump.open("w", encoding="utf-8") as out:
                dump_answers(lambda q: corpus.answer(q, k=3), asked, out, "timed")


if __name__ == "__main__":
    main()
