"""Issue 20, item 8: nothing super-linear on user-controlled text.

Every stage that reads an article's text (front matter and metadata, sentence split with and
without Punkt training, BM25 tokens, entity mentions) is timed on adversarial strings at n and
4n characters: linear work grows about 4x, quadratic 16x; the test fails above 12x (CPU
caches make a large text up to ~2.5x slower per character than a small one, measured). n is
calibrated per stage and string (doubled from 1,000 until a run takes 5 ms, at most 1M
characters); best of three interleaved runs in CPU time of the thread (the machine is shared: wall time counts other
processes), garbage collector off. Punkt training (linear,
and slow) is measured by the benchmark only, like the temporal tagger. The
temporal tagger's date strings are measured by `python -m bench.adversarial` (the dates
issue fixes them) and are not asserted here.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest

from index import entities, sentences, tokens
from index.articles import parse_text

SCALE, GROWTH = 4, 12.0  # linear: 4x; quadratic: 16x; CPU caches add up to ~2.5x at these sizes
SLACK = 0.002  # seconds
MIN_SECONDS, MAX_N = 0.005, 1_000_000

STRINGS: dict[str, Callable[[int], str]] = {
    "a*n": lambda n: "a" * n,
    "'1,'*n": lambda n: "1," * (n // 2),
    "'Mr. '*n": lambda n: "Mr. " * (n // 4),
    "'July 4, 2026 '*n": lambda n: "July 4, 2026 " * (n // 13),
    "'January '*n": lambda n: "January " * (n // 8),
    "nested brackets": lambda n: "([{" * (n // 6) + "}])" * (n // 6),
    "'By a '*n": lambda n: "By " + "a " * (n // 2),
    "'READ: '+x*n": lambda n: "READ: " + "x" * n,
}


def _parse(text: str) -> object:
    return parse_text("x", "---\ndate: 2026-07-04\nauthor: [A, B]\n---\n" + text + "\nEnd.")


STAGES: dict[str, Callable[[str], object]] = {
    "parse": _parse,
    "split": lambda text: sentences.split_body(text, sentences.default_splitter()),
    "tokens": tokens.tokenize,
    "entities": entities.find_mentions,
}


def _best(fn: Callable[[str], object], text: str, repeat: int = 2) -> float:
    best = float("inf")
    gc.disable()
    try:
        for _ in range(repeat):
            started = time.thread_time()
            fn(text)
            best = min(best, time.thread_time() - started)
    finally:
        gc.enable()
    return best


@pytest.mark.parametrize("stage", list(STAGES))
@pytest.mark.parametrize("name", list(STRINGS))
def test_growth_is_linear(name, stage):
    fn, make = STAGES[stage], STRINGS[name]
    n = 1_000
    while _best(fn, make(n)) < MIN_SECONDS and n < MAX_N:
        n *= 2
    small_text, large_text = make(n), make(SCALE * n)
    fn(large_text)  # warm: the first run of a size pays for fresh memory
    small = large = float("inf")
    for _ in range(3):  # interleaved, so that a busy moment of the machine hits both sizes
        small = min(small, _best(fn, small_text, 1))
        large = min(large, _best(fn, large_text, 1))
    assert large <= GROWTH * small + SLACK, f"{stage} on {name}: {small:.4f}s at n={n:,}, {large:.4f}s at {SCALE}n"
