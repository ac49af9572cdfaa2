"""A removal saves what the removed articles held, so that no reader of the chain recounts the
segment over its postings; the saved sums equal a recount, and sums that do not fit are not used."""

import json
import random
from pathlib import Path

import numpy as np
import pytest

from index.corpus import Corpus
from index.search import live, segments, store, tombstones
from index.search.live import LiveBM25

WORDS = "council budget river bridge election mayor school storm harbour railway festival museum ferry".split()


def _article(i: int, rng: random.Random) -> dict[str, str]:
    paragraphs = [
        " ".join(" ".join(rng.choices(WORDS, k=rng.randint(2, 6))).capitalize() + "." for _ in range(rng.randint(1, 3)))
        for _ in range(rng.randint(1, 3))
    ]
    return {"id": f"w{i}", "title": f"Wire {i}", "text": "\n\n".join(paragraphs)}


def _wire(seeds: Path, lines: list[str]) -> None:
    (seeds / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _reader(corpus: Corpus) -> Corpus:
    """A fresh reader of the corpus's generation (not the view its writer remembered)."""
    head = corpus.saved.path
    segments.recall(head.name)
    return Corpus(corpus.seeds_dir, corpus.index_dir, store.load(head, store.read_meta(head)))


def _recounted(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> tuple[list[np.ndarray], dict[str, np.ndarray]]:
    """The live counts of each segment and the unit counts, as a reader ignoring the sums has them
    (recounted over the postings: the old way).
    """
    with monkeypatch.context() as patched:
        patched.setattr(segments, "saved_removed", lambda head: {})
        old_way = _reader(corpus)
        bm25 = old_way.bm25
        assert isinstance(bm25, LiveBM25)
        units = {unit: bm25.unit_doc_freq(unit) for unit in ("doc", "key")}
        return [part.live_df for part in bm25._parts], {u: c for u, c in units.items() if c is not None}


@pytest.fixture
def saved_always(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tombstones, "MIN_POSTINGS", 0)  # these segments are small: save their sums anyway


def test_removals_in_the_base_are_read_from_their_saved_sums(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, saved_always: None
) -> None:
    rng = random.Random(3)
    seeds, index_dir = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    lines = [json.dumps(_article(i, rng)) for i in range(20)]
    _wire(seeds, lines)
    corpus = Corpus.open(seeds, index_dir)
    _wire(seeds, lines[:3] + lines[4:])  # w3 out of the base
    corpus = corpus.reindex()
    (seeds / "late.txt").write_text("Ferry operators met the mayor.\n\nThe museum opened.", encoding="utf-8")
    corpus = corpus.reindex()  # a commit removing nothing carries the sums on
    _wire(seeds, lines[:3] + lines[4:9] + lines[10:])  # and w9: added to them
    corpus = corpus.reindex()
    head = corpus.saved
    base = head.meta["segments"][0]
    assert sorted(head.meta["deleted"][base]) == [3, 9]
    sums = tombstones.saved_removed(head)
    assert sums[base].rows == 2

    calls: list[bool] = []
    less = live._less

    def spying(*args: np.ndarray) -> np.ndarray | None:
        out = less(*args)
        calls.append(out is not None)
        return out

    def no_recount(*args: object, **kwargs: object) -> np.ndarray:
        raise AssertionError("a reader recounted a segment over its postings")

    monkeypatch.setattr(live, "_less", spying)
    monkeypatch.setattr(live, "run_counts", no_recount)
    reader = _reader(corpus)
    units = {unit: reader.bm25.unit_doc_freq(unit) for unit in ("doc", "key")}
    assert calls and all(calls)  # live df, articles, paragraphs: from the sums
    monkeypatch.undo()
    scanned, recounted = _recounted(corpus, monkeypatch)
    assert isinstance(reader.bm25, LiveBM25)
    for part, want in zip(reader.bm25._parts, scanned, strict=True):
        np.testing.assert_array_equal(part.live_df, want)
    for unit in ("doc", "key"):
        np.testing.assert_array_equal(units[unit], recounted[unit])
    whole = Corpus.open(seeds, tmp_path / "whole")  # and the scores are a whole build's
    for question in ("council budget river", "ferry mayor", "museum storm harbour"):
        ours, theirs = reader.search(question, 50), whole.search(question, 50)
        np.testing.assert_allclose(sorted(s for _, s in ours), sorted(s for _, s in theirs), rtol=1e-6)


def test_sums_that_do_not_cover_the_tombstones_are_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(5)
    seeds, index_dir = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    lines = [json.dumps(_article(i, rng)) for i in range(12)]
    _wire(seeds, lines)
    corpus = Corpus.open(seeds, index_dir)
    _wire(seeds, lines[1:])  # w0 out, its sums not saved (a small segment)
    corpus = corpus.reindex()
    assert not tombstones.saved_removed(corpus.saved)
    monkeypatch.setattr(tombstones, "MIN_POSTINGS", 0)
    _wire(seeds, lines[1:5] + lines[6:])  # w5 out: both removals are counted now
    corpus = corpus.reindex()
    base = corpus.saved.meta["segments"][0]
    assert tombstones.saved_removed(corpus.saved)[base].rows == 2
    reader = _reader(corpus)
    scanned, recounted = _recounted(corpus, monkeypatch)
    assert isinstance(reader.bm25, LiveBM25)
    np.testing.assert_array_equal(reader.bm25._parts[0].live_df, scanned[0])
    np.testing.assert_array_equal(reader.bm25.unit_doc_freq("key"), recounted["key"])
    # Sums covering fewer rows than the tombstones are left aside: the reader recounts.
    short = tombstones.Removed(
        1, np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    )
    assert segments._covering(short, [1, 2]) is None
    assert live._less(np.array([1, 0]), np.array([1]), np.array([1])) is None  # below zero: damaged
