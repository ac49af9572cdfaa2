"""What the answer room works out once per index: the one cache keyed on the postings engine.

The rerank's passage columns and article/paragraph statistics, the spelling buckets, the related
term ids and the alias intersections depend only on the index (and its passage table), so they
are made on first use and kept beside it. Keyed weakly: a replaced index (after a reindex) takes
its derived tables with it.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field

import numpy as np

from index.search.postings import Postings


@dataclass(slots=True)
class Derived:
    """The tables of one index (each filled by the module that reads it)."""

    columns: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # rerank: doc, paragraph, key
    unit_stats: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # rerank
    buckets: dict[str, list[str]] | None = None  # spelling: vocabulary by first letter
    sized: dict[tuple[str, int], list[str]] | None = None  # spelling: ... and length
    related: dict[int, np.ndarray] = field(default_factory=dict)  # related: term id -> ids
    holding: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict)  # aliases: terms -> passages


_tables: weakref.WeakKeyDictionary[Postings, Derived] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def of(index: Postings) -> Derived:
    """The derived tables of `index` (empty on first use)."""
    found = _tables.get(index)
    if found is None:
        with _lock:
            found = _tables.setdefault(index, Derived())
    return found


__all__ = ["Derived", "of"]
