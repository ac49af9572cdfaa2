"""The plain top k the fast `BM25.top` paths must equal to the bit (shared by the search tests)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest

from index.search import bm25 as bm25_module
from index.search.bm25 import BM25

PATHS = ("numpy", "kernel", "kernel, blocks of 64")  # `BM25.top`'s two implementations (`top_path`)


@contextmanager
def top_path(path: str) -> Iterator[None]:
    """`BM25.top` on one path: numpy's (no kernel), or the compiled kernel (by default blocks,
    or blocks of 64 documents: a small corpus then spans several). Skipped where it is not built.
    """
    with pytest.MonkeyPatch.context() as patch:
        if path == "numpy":
            patch.setattr(bm25_module, "_topk", None)
        elif bm25_module._topk is None:
            pytest.skip("the compiled top k is not built here (no C compiler at install)")
        if path == "kernel, blocks of 64":
            patch.setattr(bm25_module, "KERNEL_BLOCK", 64)
        yield


def reference_top(index: BM25, query: list[str], k: int) -> tuple[list[int], list[float]]:
    """One float32 scatter of every list in term order, then a full sort (ties: lower id)."""
    buf = np.zeros(index.n_docs, dtype=np.float32)
    touched = np.zeros(index.n_docs, dtype=bool)
    for tid, count in index._query_terms(query):
        ids, weights = index.postings(tid)
        np.add.at(buf, ids, weights if count == 1 else weights * np.float32(count))
        touched[ids] = True
    docs = np.flatnonzero(touched)
    order = np.lexsort((docs, -buf[docs].astype(np.float64)))[:k]
    return docs[order].tolist(), buf[docs[order]].astype(np.float64).tolist()
