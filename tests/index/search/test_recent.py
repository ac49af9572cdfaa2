"""The weighed lists an index read last are shared by its threads, within their bound."""

import threading

import numpy as np
import pytest

from index.search import bm25 as bm25_module
from index.search.bm25 import BM25
from index.search.recent import RecentLists


def test_a_list_one_thread_read_is_not_read_again_by_another(monkeypatch: pytest.MonkeyPatch) -> None:
    index = BM25.build([["storm", "bridge"], ["storm"], ["bridge", "river"]] * 5)
    reads: list[int] = []
    read = index._read
    monkeypatch.setattr(index, "_read", lambda tid: reads.append(tid) or read(tid))
    monkeypatch.setattr(bm25_module, "_topk", None)  # numpy's path reads weighed lists (the kernel: none)
    want = index.top(["storm", "river"], 3)
    got: list[tuple[np.ndarray, np.ndarray]] = []
    other = threading.Thread(target=lambda: got.append(index.top(["storm", "river"], 3)))
    other.start()
    other.join()
    assert sorted(reads) == sorted({index.vocab["storm"], index.vocab["river"]})  # each read once
    assert np.array_equal(got[0][0], want[0]) and np.array_equal(got[0][1], want[1])


def test_least_recently_read_lists_leave_first_and_longer_ones_are_not_kept() -> None:
    recent = RecentLists(10)
    lists = {tid: (np.arange(n), np.ones(n, dtype=np.float32)) for tid, n in enumerate((4, 4, 4, 11))}
    recent.keep(0, *lists[0])
    recent.keep(1, *lists[1])
    assert recent.get(0) is not None  # now read after 1
    recent.keep(2, *lists[2])  # 12 postings: 1, read least recently, leaves
    assert recent.get(1) is None and recent.get(0) is not None and recent.get(2) is not None
    assert recent.held == 8
    recent.keep(3, *lists[3])  # longer than the bound: not kept, nothing dropped for it
    assert recent.get(3) is None and recent.held == 8
    assert not lists[3][0].flags.writeable  # handed out read-only all the same


def test_the_bound_is_read_when_the_index_is_made(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bm25_module, "RECENT_POSTINGS", 7)
    assert BM25.build([["a"]])._recent.budget == 7


def test_the_compiled_top_k_weighs_no_list_in_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """The kernel reads a whole index's saved ids and codes: no list is read, weighed or kept."""
    if bm25_module._topk is None:
        pytest.skip("the compiled top k is not built here")
    index = BM25.build([["storm", "bridge"], ["storm"], ["bridge", "river"]] * 5)
    monkeypatch.setattr(index, "_read", lambda tid: pytest.fail("a list was read"))
    assert index.top(["storm", "river"], 3)[0].tolist() == [2, 5, 8]  # "river": the rarer term
    assert index._recent.held == 0
