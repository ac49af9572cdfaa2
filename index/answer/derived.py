"""What the answer room works out once per index: the one cache keyed on the postings engine.

The rerank's passage columns and article/paragraph statistics, the spelling buckets, the related
term ids and the alias intersections depend only on the index (and its passage table), so they
are made on first use and kept beside it. Keyed weakly: a replaced index (after a reindex) takes
its derived tables with it. `Kept` is that keeping, for the other owners the answer room reads
(an entity index's looked-up runs, a corpus's article titles and dates).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import numpy as np

from index.answer.layout import Units
from index.search.postings import Postings


@dataclass(slots=True)
class Derived:
    """The tables of one index (each filled by the module that reads it)."""

    units: Units | None = None  # rerank: the layout's article and paragraph runs
    unit_stats: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # rerank
    stories: tuple[int, np.ndarray | None] | None = None  # rerank: (TITLE_STORY, which articles are that
    #                                                         short; None: none is)
    buckets: dict[str, list[str]] | None = None  # spelling: vocabulary by first letter
    sized: dict[tuple[str, int], list[str]] | None = None  # spelling: ... and length
    related: dict[int, np.ndarray] = field(default_factory=dict)  # related: term id -> ids
    holding: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict)  # aliases: terms -> passages
    elsewhere: dict[tuple[object, ...], np.ndarray] = field(default_factory=dict)  # aliases: term, forms -> passages


T = TypeVar("T")


class Kept(Generic[T]):
    """A value worked out once per owner object (an index, an entity index, a corpus) and kept
    beside it, weakly: a replaced owner (after a reindex) takes its value with it.
    """

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._values: weakref.WeakKeyDictionary[Any, T] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def of(self, owner: object) -> T | None:
        """The owner's value (made empty on first use); None when `owner` cannot be weakly referenced."""
        try:
            found = self._values.get(owner)
            if found is None:
                with self._lock:
                    found = self._values.setdefault(owner, self._make())
        except TypeError:
            return None
        return found


_tables: Kept[Derived] = Kept(Derived)


def of(index: Postings) -> Derived:
    """The derived tables of `index` (empty on first use)."""
    found = _tables.of(index)
    if found is None:
        raise TypeError(f"{type(index).__name__} cannot be weakly referenced")
    return found


__all__ = ["Derived", "Kept", "of"]
