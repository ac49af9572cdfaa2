"""The names layer's speed and exact output: `python -m bench.names_speed SET [--code DIR] [--dump OUT]`.

SET is `conll` (CoNLL-2003 dev), `meantime` (all 120 articles) or `squad` (the SQuAD dev
paragraphs, split by the recogniser's fallback splitter). `--speed` times `find_mentions` over
every document (CPU time, best of `--runs` passes, after a warm-up), as `bench.ner --speed` does;
`--dump OUT` writes every mention (start, end, text, type, canonical name) a line a document, for
`cmp` against another checkout's. `--code DIR` runs that checkout's `index` (e.g. `main`'s, made
with `git archive main | tar -x -C DIR`), so old and new code can be alternated in one session.
`--phases` (with `--speed`) also splits the best pass's CPU time into the CRF's features
(`features.doc_features`), the CRF (`crf.label_ids`: crfsuite's set, Viterbi, marginals) and the rest.
`--against DIR` times this checkout's `find_mentions` and DIR's alternately, document by
document in one process (both copies of `index` imported side by side, the order flipped each
document and pass): on a shared machine the only comparison steadier than the noise.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
SETS = {
    "conll": DATA / "conll2003" / "dev.jsonl",
    "meantime": DATA / "meantime" / "meantime_en.jsonl",
    "squad": DATA / "squad-dev-even.json",
}

Doc = tuple[str, str, list[int] | None]  # id, text, sentence starts (None: the fallback splitter)


def load(name: str, data: Path | None = None) -> list[Doc]:
    """The documents of one set."""
    path = data or SETS[name]
    if name == "squad":
        articles = json.loads(path.read_text(encoding="utf-8"))["data"]
        return [(f"{a['title']}-{k}", p["context"], None) for a in articles for k, p in enumerate(a["paragraphs"])]
    rows: list[dict[str, Any]] = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [(r["doc_id"], r["text"], [s[0] for s in r["sentences"]] if r.get("sentences") else None) for r in rows]


def _timed(fn: Callable[..., Any], spent: dict[str, float], name: str) -> Callable[..., Any]:
    """`fn`, adding the CPU time of each call to `spent[name]`."""

    def run(*args: Any, **kwargs: Any) -> Any:
        t0 = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - t0

    return run


def _time_phases(spent: dict[str, float]) -> None:
    """Time the recogniser's two CRF phases (the same functions, wrapped where it calls them)."""
    from index.names import crf, recogniser

    recogniser.doc_features = _timed(recogniser.doc_features, spent, "features")  # type: ignore[attr-defined]
    if hasattr(crf, "label_ids"):  # crfsuite fed attribute ids (a checkout before it: `label`)
        crf.label_ids = _timed(crf.label_ids, spent, "crf")
    else:
        crf.label = _timed(crf.label, spent, "crf")


def _import_recogniser(root: Path) -> Any:
    """`index.names.recogniser` imported from the checkout at `root`, as a copy of its own: the
    `index` modules already imported are set aside first (the returned functions keep theirs).
    """
    for name in [m for m in sys.modules if m == "index" or m.startswith("index.")]:
        del sys.modules[name]
    sys.path.insert(0, str(root.resolve()))
    try:
        module = importlib.import_module("index.names.recogniser")
    finally:
        sys.path.pop(0)
    if not Path(module.__file__ or "").resolve().is_relative_to(root.resolve()):
        raise SystemExit(f"{root}: its index was not the one imported")
    return module


def alternate(name: str, docs: list[Doc], sentences: int, against: Path, passes: int) -> None:
    """Print, per pass, the CPU time of DIR's and this checkout's `find_mentions` over `docs`,
    taken alternately document by document (warm-up: the first 50 documents, both sides).
    """
    here = Path(__file__).resolve().parent.parent
    theirs = _import_recogniser(against).find_mentions
    ours = _import_recogniser(here).find_mentions
    for _, text, starts in docs[:50]:
        theirs(text, starts)
        ours(text, starts)
    for p in range(passes):
        spent = {theirs: 0.0, ours: 0.0}
        for d, (_, text, starts) in enumerate(docs):
            for fn in (theirs, ours) if (p + d) % 2 == 0 else (ours, theirs):
                t0 = time.process_time()
                fn(text, starts)
                spent[fn] += time.process_time() - t0
        a, b = spent[theirs], spent[ours]
        print(
            f"{name} pass {p + 1} (load {os.getloadavg()[0]:.1f}): {against} {a:.3f} s ({sentences / a:,.0f}/s), "
            f"this {b:.3f} s ({sentences / b:,.0f}/s), {100 * (a - b) / a:+.1f} % less CPU"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("set", choices=sorted(SETS))
    ap.add_argument("--data", type=Path, default=None, help="the set's file, when not in ../shared/data")
    ap.add_argument("--code", type=Path, default=None, help="a checkout whose `index` to run instead of this one")
    ap.add_argument("--dump", type=Path, default=None)
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--phases", action="store_true", help="--speed: the CRF features' and crfsuite's share")
    ap.add_argument("--against", type=Path, default=None, help="a checkout to alternate with, in this process")
    args = ap.parse_args(argv)
    if args.against:
        from index.names.rules import fallback_sentence_starts as split

        docs = load(args.set, args.data)
        n = sum(len(s) if s is not None else len(split(t)) for _, t, s in docs)
        alternate(args.set, docs, n, args.against, args.runs)
        return 0
    if args.code:
        sys.path.insert(0, str(args.code.resolve()))
    from index.names.recogniser import find_mentions
    from index.names.rules import fallback_sentence_starts

    docs = load(args.set, args.data)
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as fh:
            for doc_id, text, starts in docs:
                found = [[m.start, m.end, m.text, m.type, m.canonical] for m in find_mentions(text, starts)]
                fh.write(json.dumps([doc_id, found], ensure_ascii=False) + "\n")
        print(f"wrote {args.dump}")
    if args.speed:
        n = sum(len(s) if s is not None else len(fallback_sentence_starts(t)) for _, t, s in docs)
        for _, text, starts in docs[:50]:
            find_mentions(text, starts)  # warm-up: model, gazetteers, caches
        spent = {"features": 0.0, "crf": 0.0}
        if args.phases:
            _time_phases(spent)
        best = float("inf")
        phases = dict(spent)
        for _ in range(args.runs):
            spent.update(features=0.0, crf=0.0)
            t0 = time.process_time()
            for _, text, starts in docs:
                find_mentions(text, starts)
            took = time.process_time() - t0
            if took < best:
                best, phases = took, dict(spent)
        print(f"{args.set}: {n} sentences in {best:.3f} s CPU (best of {args.runs}) = {n / best:,.0f} sentences/s")
        if args.phases:
            rest = best - phases["features"] - phases["crf"]
            print(f"  doc_features {phases['features']:.3f} s, crf.label {phases['crf']:.3f} s, rest {rest:.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
