"""The plain top k the fast `BM25.top` paths must equal to the bit (shared by the search tests)."""

from __future__ import annotations

import numpy as np

from index.search.bm25 import BM25


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
