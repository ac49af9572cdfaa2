"""`segments.ChainRows`: a chain's live rows read where they lie equal the copy `merge` used to make."""

import numpy as np
import pytest

from index.search.segments import ChainRows
from index.search.store import PASSAGE_DTYPE, narrow_rows


def _segment(rng: np.random.Generator, n_articles: int) -> np.ndarray:
    """Saved rows of one segment: articles in order, one to five sentences each (some narrowed)."""
    sizes = rng.integers(1, 6, n_articles)
    rows = np.zeros(int(sizes.sum()), dtype=PASSAGE_DTYPE)
    rows["doc"] = np.repeat(np.arange(n_articles), sizes)
    rows["paragraph"] = rng.integers(0, 4, len(rows))
    rows["sentence"] = np.arange(len(rows))
    rows["start"] = rng.integers(0, 10_000, len(rows))
    rows["end"] = rows["start"] + 5
    rows["related"] = rng.random(len(rows)) < 0.3
    rows["related_date"] = rng.integers(0, 3, len(rows)) * 738_000
    return narrow_rows(rows) if rng.random() < 0.5 else rows


def _chain(seed: int) -> tuple[ChainRows, np.ndarray, list[np.ndarray], int]:
    """A chain of random segments with random removals, its rows, the copy of them as `merge`
    made it (each segment's live rows, articles renumbered densely), each article's rows, and
    how many live articles the first segment holds."""
    rng = np.random.default_rng(seed)
    parts, lives, docs, kept = [], [], [], []
    n_live = 0
    for _ in range(int(rng.integers(1, 5))):
        rows = _segment(rng, int(rng.integers(1, 8)))
        n = int(rows["doc"][-1]) + 1
        dead = rng.random(n) < (0.3 if rng.random() < 0.6 else 0.0)
        new_row = np.full(n, -1, dtype=np.int64)
        new_row[~dead] = n_live + np.arange(int((~dead).sum()))
        n_live += int((~dead).sum())
        alive = ~dead[rows["doc"]]
        copy = np.asarray(rows[alive]).astype(PASSAGE_DTYPE)
        copy["doc"] = new_row[copy["doc"]]
        parts.append(rows)
        lives.append(np.flatnonzero(alive) if dead.any() else None)
        docs.append(new_row)
        kept.append(copy)
    whole = np.concatenate(kept)
    by_article = [np.flatnonzero(whole["doc"] == d) for d in range(n_live)]
    return ChainRows(parts, lives, docs), whole, by_article, int((docs[0] >= 0).sum())


def _same(got: np.ndarray, expected: np.ndarray) -> None:
    assert got.dtype.names == expected.dtype.names
    for name in expected.dtype.names:
        assert got[name].tolist() == expected[name].tolist(), name


@pytest.mark.parametrize("seed", range(40))
def test_a_chains_rows_read_in_place_equal_the_merged_copy(seed: int) -> None:
    rows, whole, by_article, in_first = _chain(seed)
    if not len(whole):  # every article removed
        assert len(rows) == 0 and len(rows.whole()) == 0 and rows.firsts().tolist() == [0]
        return
    rng = np.random.default_rng(1000 + seed)
    assert len(rows) == len(whole)
    pids = rng.integers(0, len(whole), 25)
    _same(rows.take(pids), whole[pids])
    _same(rows[pids], whole[pids])
    _same(rows[3 : len(whole) - 2], whole[3 : len(whole) - 2])
    assert rows[-1]["doc"] == whole[-1]["doc"] and rows[0]["sentence"] == whole[0]["sentence"]
    _same(rows.whole(), whole)
    for name in PASSAGE_DTYPE.names:
        assert rows.column(name).tolist() == whole[name].tolist(), name
        assert rows[name].tolist() == whole[name].tolist(), name
    table = rows.table(("doc", "paragraph"))
    assert table["doc"].tolist() == whole["doc"].tolist()
    assert table["paragraph"].tolist() == whole["paragraph"].tolist()
    firsts = [int(pids[0]) for pids in by_article] + [len(whole)]
    assert rows.firsts().tolist() == firsts
    assert rows.firsts(1).tolist() == firsts[in_first:]  # the later segments' articles only
    assert rows.fits()


def test_a_single_generation_is_its_saved_rows_without_a_copy() -> None:
    saved = _segment(np.random.default_rng(3), 5)
    rows = ChainRows([saved], [None], [np.arange(5)])
    assert rows.saved is saved and rows.whole() is saved and rows.table(("doc",)) is saved
    assert np.shares_memory(rows.column("doc"), saved)


def test_rows_naming_an_article_past_their_segments_do_not_fit() -> None:
    saved = _segment(np.random.default_rng(4), 5)
    rows = ChainRows([saved, saved], [None, None], [np.arange(5), np.arange(5, 9)])  # the second has 4 articles
    assert not rows.fits()
