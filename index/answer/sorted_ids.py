"""Binary searches of sorted passage ids (a term's postings) that read only where they probe.

At 10M sentences a common term's list holds millions of passages: the answer room looks up a
few hundred of them, so it never copies, widens or merges a whole list.
"""

from __future__ import annotations

import numpy as np

from index.search.live_ids import SkippingIds


def fit(keys: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """`keys` in the postings' type `dtype` where every key fits (else as they are): numpy
    searches in a common type of both, so int64 keys would copy a whole int32 list to search it.
    Cast once per question, the keys serve every term's list.
    """
    if keys.dtype == dtype or dtype.kind not in "iu" or keys.dtype.kind not in "iu" or not keys.size:
        return keys
    info = np.iinfo(dtype)
    if info.min <= keys.min() and keys.max() <= info.max:
        return keys.astype(dtype)
    return keys


def search(docs: np.ndarray | SkippingIds, keys: np.ndarray) -> np.ndarray:
    """`docs.searchsorted(keys)`, reading only where the keys fall (see `fit`)."""
    found: np.ndarray = docs.searchsorted(fit(keys, docs.dtype))
    return found


def holds(docs: np.ndarray | SkippingIds, ids: np.ndarray) -> np.ndarray:
    """Which of `ids` (any shape) are in the sorted postings `docs`."""
    if not len(docs):
        return np.zeros(np.shape(ids), dtype=bool)
    held: np.ndarray = docs.take(search(docs, ids), mode="clip") == ids  # clip: past the end
    return held


__all__ = ["fit", "holds", "search"]
