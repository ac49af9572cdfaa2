"""Issue 20, item 8: nothing super-linear on user-controlled text.

Every stage that reads an article's text (front matter and metadata, sentence split, BM25
tokens, entity mentions) is timed on adversarial strings at n, 4n and 16n characters: linear
work grows about 4x a step, quadratic 16x; the test fails when both steps grow more than 10x
(CPU caches can make one step up to ~3x slower per character than the other, never both). n
is calibrated per stage and string (doubled from 1,000 until a run takes 2 ms, at most
64,000 characters); CPU time of the thread (the machine is shared: wall time counts other
processes), best of two interleaved runs, garbage collector off. Punkt training and the
temporal tagger's date strings are measured by `python -m bench.adversarial` (the dates issue
fixes the tagger) and are not asserted here.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest

from index import names
from index.ingest import sentences
from index.ingest.articles import parse_text
from index.search import tokens

STEP, GROWTH = 4, 10.0
MIN_SECONDS, MAX_N = 0.002, 64_000

STRINGS: dict[str, Callable[[int], str]] = {
    "a*n": lambda n: "a" * n,
    "'1,'*n": lambda n: "1," * (n // 2),
    "'Mr. '*n": lambda n: "Mr. " * (n // 4),
    "'July 4, 2026 '*n": lambda n: "July 4, 2026 " * (n // 13),
    "'January '*n": lambda n: "January " * (n // 8),
    "nested brackets": lambda n: "([{" * (n // 6) + "}])" * (n // 6),
}


def _parse(text: str) -> object:
    return parse_text("x", "---\ndate: 2026-07-04\nauthor: [A, B]\n---\n" + text + "\nEnd.")


STAGES: dict[str, Callable[[str], object]] = {
    "parse": _parse,
    "split": lambda text: sentences.split_body(text, sentences.default_splitter()),
    "tokens": tokens.tokenize,
    "entities": names.find_mentions,
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
    texts = [make(n), make(STEP * n), make(STEP * STEP * n)]
    fn(texts[-1])  # warm: the first run of a size pays for fresh memory
    times = [float("inf")] * 3
    for _ in range(2):  # interleaved, so that a busy moment of the machine hits every size
        times = [min(t, _best(fn, text, 1)) for t, text in zip(times, texts, strict=True)]
    steps = [times[1] / times[0], times[2] / times[1]]
    assert min(steps) <= GROWTH, f"{stage} on {name}: {times} s at n={n:,}, {STEP}n, {STEP * STEP}n"
