"""A serving process drops the index's mapped pages past a budget, and answers the same after."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from index.corpus import Corpus
from index.search import resident

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")


@linux_only
def test_a_trim_past_the_budget_drops_the_mapped_pages(tmp_path: Path) -> None:
    path = tmp_path / "big.npy"
    np.save(path, np.arange(4 << 20, dtype=np.int64))  # 32 MB
    mapped = np.load(path, mmap_mode="r")
    pages = resident.MappedPages([mapped], budget=1 << 40, every=1)
    assert int(mapped.sum()) == (4 << 20) * ((4 << 20) - 1) // 2  # every page read: resident now
    before = resident.file_backed_bytes()
    assert before is not None
    assert not pages.trim() and pages.trims == 0  # under the budget: kept
    pages.budget = 0
    assert pages.trim() and pages.trims == 1
    after = resident.file_backed_bytes()
    assert after is not None and after < before - (24 << 20)
    assert int(mapped[-1]) == (4 << 20) - 1  # still readable: mapped again from the page cache


@linux_only
def test_answers_are_the_same_when_every_query_trims(seeds_dir: Path, index_dir: Path) -> None:
    questions = ["who won the election", "when did the storm hit", "what did the council decide"]
    kept = Corpus.open(seeds_dir, index_dir)
    expected = [(kept.search(q), [h.passage.pid for h in kept.answer(q).hits]) for q in questions]
    trimmed = Corpus.open(seeds_dir, index_dir)
    trimmed.pages.budget, trimmed.pages.every = 0, 1
    got = [(trimmed.search(q), [h.passage.pid for h in trimmed.answer(q).hits]) for q in questions]
    assert got == expected
    assert trimmed.pages.trims == 2 * len(questions)


def test_the_budget_is_looked_at_once_every_few_queries(tmp_path: Path) -> None:
    path = tmp_path / "small.npy"
    np.save(path, np.arange(1024, dtype=np.int64))
    pages = resident.MappedPages([np.load(path, mmap_mode="r")], budget=0, every=4)
    looked = [pages.trim() for _ in range(8)]
    assert looked == [False, False, False, True] * 2 or not sys.platform.startswith("linux")
    assert pages.trims == (2 if sys.platform.startswith("linux") else 0)
