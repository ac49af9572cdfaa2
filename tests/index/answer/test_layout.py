"""The rerank's article and paragraph runs equal what sorting and searching the columns gives."""

from __future__ import annotations

import random

import numpy as np
import pytest

from index.answer.layout import units_of
from index.search.store import PASSAGE_DTYPE


@pytest.mark.parametrize("seed", range(20))
def test_runs_match_searches_of_the_columns(seed: int) -> None:
    rng = random.Random(seed)
    rows = []
    for doc in range(rng.randint(1, 12)):
        if rng.random() < 0.25:  # an article without sentences (its row has no passage)
            continue
        for paragraph in sorted(rng.sample(range(6), rng.randint(1, 4))):
            rows.extend((doc, paragraph, s, 0, 1, False, 0) for s in range(rng.randint(1, 4)))
    if not rows:
        rows.append((0, 0, 0, 0, 1, False, 0))
    layout = np.array(rows, dtype=PASSAGE_DTYPE)
    lengths = np.array([rng.choice([0, 1, 5, 40]) for _ in rows], dtype=np.int32)
    runs = units_of(layout)
    doc = layout["doc"].astype(np.int64)
    key = doc * (1 << 32) + layout["paragraph"]
    key_unit = np.unique(key, return_inverse=True)[1]
    np.testing.assert_array_equal(runs.doc, doc)
    paragraph = runs.paragraph_of(np.arange(len(rows)))
    np.testing.assert_array_equal(paragraph, key_unit)
    np.testing.assert_array_equal(runs.unit("key"), key_unit)
    np.testing.assert_array_equal(runs.doc_first, np.searchsorted(doc, np.arange(doc.max() + 2)))
    np.testing.assert_array_equal(runs.paragraph_first[paragraph], np.searchsorted(key, key, "left"))
    np.testing.assert_array_equal(runs.paragraph_first[paragraph + 1], np.searchsorted(key, key, "right"))
    grid = np.arange(len(rows)).reshape(-1, 1) + np.array([-1, 0, 1])  # any shape, as the rerank's windows
    np.testing.assert_array_equal(
        runs.paragraph_of(np.clip(grid, 0, len(rows) - 1)), key_unit[np.clip(grid, 0, len(rows) - 1)]
    )
    for unit, col in (("doc", doc), ("key", key_unit)):
        want = np.bincount(col, weights=lengths.astype(np.float64))
        got = runs.lengths(unit, lengths)
        np.testing.assert_array_equal(got, want)  # exactly: integer sums
        assert got.dtype == want.dtype
