"""`doc_ids` and `weights_at`, the rerank's reads of a long list: the same ids and float32 weights
as `postings`, for a build and for a chain of segments with removals, and no copy of a build's ids.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from index.search.bm25 import BM25, BM25Params
from index.search.live import LiveBM25, SegmentPostings

WORDS = "council budget river bridge election mayor school storm harbour railway".split()


def _docs(rng: random.Random, n: int) -> list[list[str]]:
    return [[rng.choice(WORDS[: rng.randint(1, len(WORDS))]) for _ in range(rng.randint(1, 8))] for _ in range(n)]


def _chain(rng: random.Random, removals: bool = True) -> LiveBM25:
    parts, offset = [], 0
    for size in (30, 12, 5):
        docs = _docs(rng, size)
        saved = BM25.build(docs)
        live = np.array([rng.random() > 0.3 or not removals for _ in docs])
        pid_map = np.where(live, np.cumsum(live) - 1 + offset, -1) if removals else None
        parts.append(
            SegmentPostings(saved.terms, saved.indptr, saved.docs, saved.pairs, saved.doc_len, offset, pid_map)
        )
        offset += int(live.sum())
    return LiveBM25(parts, BM25Params())


@pytest.mark.parametrize("seed", range(3))
def test_doc_ids_and_weights_at_are_the_postings(seed: int) -> None:
    rng = random.Random(seed)
    engines = [BM25.build(_docs(rng, 60)), _chain(rng), _chain(rng, removals=False)]
    for engine in engines:
        for tid in range(len(engine.terms)):
            ids, weights = engine.postings(tid)
            got = engine.doc_ids(tid)
            np.testing.assert_array_equal(got, ids)
            assert np.all(np.diff(got) > 0)
            positions = np.array(sorted(rng.sample(range(len(ids)), min(len(ids), 3))), dtype=np.intp)
            for at in (np.arange(len(ids)), positions, positions[:0]):
                w = engine.weights_at(tid, at)
                assert w.dtype == np.float32
                np.testing.assert_array_equal(w, weights[at])  # bit for bit


def test_a_builds_doc_ids_are_a_view_of_its_saved_ids() -> None:
    engine = BM25.build(_docs(random.Random(7), 200))
    tid = int(np.argmax(np.diff(engine.indptr)))
    got = engine.doc_ids(tid)
    assert np.shares_memory(got, engine.docs)
    assert got.dtype == engine.docs.dtype == np.int32


def test_a_chain_without_removals_is_read_where_probed(monkeypatch: pytest.MonkeyPatch) -> None:
    chain = _chain(random.Random(3), removals=False)
    want = {tid: chain.postings(tid) for tid in range(len(chain.terms))}

    def whole_list(tid: int) -> tuple[np.ndarray, np.ndarray]:
        raise AssertionError("read and weighed the whole list")

    monkeypatch.setattr(chain, "_postings", whole_list)
    for tid, (ids, weights) in want.items():
        np.testing.assert_array_equal(chain.doc_ids(tid), ids)
        np.testing.assert_array_equal(chain.weights_at(tid, np.arange(len(ids))[::-1]), weights[::-1])
