"""Growth of every stage that reads user-controlled text, on adversarial strings (issue 20, item 8).

For each string and stage: seconds at n and 4n characters and the ratio (linear ~4, quadratic
~16). Stages: front matter + metadata (`parse_text`, dated so no inference), sentence split
(untrained Punkt and Punkt trained on the text, as a build does), BM25 tokens, entity
mentions, and the temporal tagger's publication-date inference (dates are being fixed
elsewhere; their strings are here so the fix can be measured).

    python -m bench.adversarial [--n 20000] [--stages parse,split,...]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from index import names
from index import time as timex
from index.ingest import sentences
from index.ingest.articles import parse_text
from index.search import tokens

STRINGS: dict[str, Callable[[int], str]] = {
    "a*n": lambda n: "a" * n,
    "'1,'*n": lambda n: "1," * (n // 2),
    "'Mr. '*n": lambda n: "Mr. " * (n // 4),
    "'July 4, 2026 '*n": lambda n: "July 4, 2026 " * (n // 13),
    "'January '*n": lambda n: "January " * (n // 8),
    "nested ([{": lambda n: (
        "(" * (n // 6) + "[" * (n // 6) + "{" * (n // 6) + "}" * (n // 6) + "]" * (n // 6) + ")" * (n // 6)
    ),
    "'By a '*n": lambda n: "By " + "a " * (n // 2),
    "'READ: '+x*n": lambda n: "READ: " + "x" * n,
    "'# '*n": lambda n: "# " * (n // 2),
    "'A. '*n": lambda n: "A. " * (n // 3),
    "newlines": lambda n: "\n" * n,
    "'Apple Inc '*n": lambda n: "Apple Inc " * (n // 10),
}


def _parse(text: str) -> object:
    return parse_text("x", "---\ndate: 2026-07-04\n---\n" + text + "\nEnd.")


def _split(text: str) -> object:
    return sentences.split_body(text, sentences.default_splitter())


def _train(text: str) -> object:
    return sentences.split_body(text, sentences.train_splitter([text]))


STAGES: dict[str, Callable[[str], object]] = {
    "parse": _parse,
    "split": _split,
    "train+split": _train,
    "tokens": tokens.tokenize,
    "entities": names.find_mentions,
    "dates": timex.infer_publication_date,
}


def timed(fn: Callable[[str], object], text: str, repeat: int = 2) -> float:
    """Best of `repeat` runs (the machine is shared: the minimum is the least disturbed)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.thread_time()
        fn(text)
        best = min(best, time.thread_time() - started)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--stages", default=",".join(STAGES))
    ap.add_argument("--budget", type=float, default=20.0, help="skip the 4n run when n took longer than this")
    args = ap.parse_args()
    print(f"{'string':22} {'stage':12} {'n s':>8} {'4n s':>8} {'ratio':>6}")
    for name, make in STRINGS.items():
        for stage in args.stages.split(","):
            fn = STAGES[stage]
            small = timed(fn, make(args.n))
            if small > args.budget:
                print(f"{name:22} {stage:12} {small:8.3f} {'skipped':>8}")
                continue
            large = timed(fn, make(4 * args.n))
            print(f"{name:22} {stage:12} {small:8.3f} {large:8.3f} {large / max(small, 1e-4):6.1f}", flush=True)


if __name__ == "__main__":
    main()
