"""A chain whose segments lost sentences is read where probed (`SkippingIds`): the same ids,
binary searches and float32 weights as the laid-out list (`_read`), for random removals,
repeated terms and escaped (tf, length) pairs, and no whole list read or weighed.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from index.search import live as live_module
from index.search.bm25 import BM25, BM25Params
from index.search.live import LiveBM25, SegmentPostings
from index.search.live_ids import SkippingIds

WORDS = "council budget river bridge election mayor school storm harbour railway".split()


def _docs(rng: random.Random, n: int) -> list[list[str]]:
    """Sentences of many lengths repeating their words: more than 256 (tf, length) pairs (escapes)."""
    out = []
    for _ in range(n):
        length = rng.randint(1, 90)
        words = WORDS[: rng.randint(1, len(WORDS))]
        out.append([rng.choice(words) if rng.random() < 0.5 else words[0] for _ in range(length)])
    return out


def _chain(rng: random.Random, sizes: tuple[int, ...], share: float) -> LiveBM25:
    parts, offset = [], 0
    for size in sizes:
        docs = _docs(rng, size)
        saved = BM25.build(docs)
        live = np.array([rng.random() >= share for _ in docs])
        pid_map = None if live.all() else np.where(live, np.cumsum(live) - 1 + offset, -1)
        parts.append(
            SegmentPostings(saved.terms, saved.indptr, saved.docs, saved.pairs, saved.doc_len, offset, pid_map)
        )
        offset += int(live.sum())
    return LiveBM25(parts, BM25Params())


def _laid_out(chain: LiveBM25, tid: int) -> tuple[np.ndarray, np.ndarray]:
    return chain._read(tid)  # today's path: every posting mapped through pid_map and weighed


@pytest.mark.parametrize("seed", range(8))
def test_skipping_ids_answer_as_the_laid_out_list(seed: int) -> None:
    rng = random.Random(seed)
    chain = _chain(rng, (400, rng.randint(0, 30), rng.randint(1, 9)), share=rng.choice([0.005, 0.02, 0.1, 0.4]))
    assert any(w.pairs.escaped for w in chain._weighers)  # escaped pairs are weighed apart
    skipping = 0
    for tid in range(len(chain.terms)):
        ids, weights = _laid_out(chain, tid)
        got = chain.doc_ids(tid)
        skipping += isinstance(got, SkippingIds)
        assert len(got) == len(ids)
        np.testing.assert_array_equal(np.asarray(got), ids)
        keys = np.array([-3, -1, 0, chain.n_docs - 1, chain.n_docs, chain.n_docs + 5, *ids, *(ids + 1), *(ids - 1)])
        keys = np.concatenate([keys, np.array(rng.sample(range(chain.n_docs), min(50, chain.n_docs)))])
        for typed in (keys, keys.astype(np.int32)):
            np.testing.assert_array_equal(got.searchsorted(typed), ids.searchsorted(typed))
        np.testing.assert_array_equal(got.take(keys, mode="clip"), ids.take(keys, mode="clip"))
        positions = np.array(rng.choices(range(len(ids)), k=20), dtype=np.intp)
        np.testing.assert_array_equal(got[positions], ids[positions])
        np.testing.assert_array_equal(got[-1 - positions], ids[-1 - positions])
        for at in (np.arange(len(ids)), positions, positions[:0]):
            w = chain.weights_at(tid, at)
            assert w.dtype == np.float32
            np.testing.assert_array_equal(w, weights[at])  # bit for bit
    assert skipping  # the few removals are stepped over, not laid out


def test_a_chain_with_few_removals_is_read_where_probed(monkeypatch: pytest.MonkeyPatch) -> None:
    chain = _chain(random.Random(5), (300, 20, 4), share=0.01)
    assert chain._parts[0].pid_map is not None
    want = {tid: _laid_out(chain, tid) for tid in range(len(chain.terms))}

    def whole_list(*args: object) -> tuple[np.ndarray, np.ndarray]:
        raise AssertionError("read and weighed the whole list")

    monkeypatch.setattr(chain, "_postings", whole_list)
    monkeypatch.setattr(chain, "_read", whole_list)
    for tid, (ids, weights) in want.items():
        got = chain.doc_ids(tid)
        assert isinstance(got, SkippingIds)
        probes = np.array([0, len(ids) // 2, len(ids) - 1])
        np.testing.assert_array_equal(got[probes], ids[probes])
        np.testing.assert_array_equal(got.searchsorted(ids[probes]), probes)
        np.testing.assert_array_equal(chain.weights_at(tid, probes[::-1]), weights[probes[::-1]])


def test_many_removals_against_a_short_list_lay_it_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live_module, "REMOVED_CURSOR_SHARE", 0)
    chain = _chain(random.Random(2), (100, 5), share=0.2)
    for tid in range(len(chain.terms)):
        got, (ids, weights) = chain.doc_ids(tid), _laid_out(chain, tid)
        assert isinstance(got, np.ndarray)
        np.testing.assert_array_equal(got, ids)
        np.testing.assert_array_equal(chain.weights_at(tid, np.arange(len(ids))), weights)


def test_kept_pieces_are_bounded_and_stay_right(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live_module, "PIECES_KEPT", 2)
    chain = _chain(random.Random(9), (200, 10), share=0.02)
    for _ in range(2):  # the second round reads terms whose pieces were dropped and worked out again
        for tid in range(len(chain.terms)):
            np.testing.assert_array_equal(np.asarray(chain.doc_ids(tid)), _laid_out(chain, tid)[0])
            assert len(chain._kept_pieces) <= 2
