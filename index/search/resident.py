"""Keep a serving process's resident set small: drop the index's mapped pages once queries touched many.

The postings, lengths, passage rows and bodies are memory-mapped: a query reads the pages of its
terms' lists, and every page read stays in the process's resident set (RSS) until the kernel needs
the memory. At ten million sentences 1,000 questions left about 700 MB of postings pages resident
(`docs.npy` 423 MB, `tf` and `posting_len` 130 MB each): counted as the process's memory though
they are the page cache's, shared and reclaimable. `MappedPages.trim` reads how many file-backed
pages the process has mapped (`/proc/self/statm`, a few microseconds) and, past `BUDGET_BYTES`,
drops the index's (`store.release`: `madvise(MADV_DONTNEED)` on a read-only map). The pages stay in
the page cache: a later read maps them again with a minor fault, no disk read. A budget rather than
a release after every query: the lists the questions share (the commonest terms) stay mapped between
trims, so the refaults are paid once a budget, not once a query.
"""

from __future__ import annotations

import mmap
import threading
from collections.abc import Iterable

import numpy as np

from index.search.store import release

__all__ = ["BUDGET_BYTES", "CHECK_EVERY", "MappedPages", "file_backed_bytes"]

BUDGET_BYTES = 256 << 20  # mapped file pages (the libraries' included) a process keeps before a trim
CHECK_EVERY = 16  # queries between two reads of /proc/self/statm (a read costs 50-80 us, 1-2% of a small answer)
_STATM = "/proc/self/statm"  # fields: size resident shared ... in pages (shared: file-backed and shmem)


def file_backed_bytes() -> int | None:
    """Bytes of file-backed pages this process has resident (None where /proc is not Linux's)."""
    try:
        with open(_STATM, encoding="ascii") as fh:
            fields = fh.read().split()
        return int(fields[2]) * mmap.PAGESIZE
    except (OSError, IndexError, ValueError):
        return None


class MappedPages:
    """The memory-mapped arrays of an index, trimmed from the resident set past a budget. Thread-safe:
    a thread reading a map while another trims it just maps the pages again.
    """

    def __init__(self, arrays: Iterable[np.ndarray], budget: int = BUDGET_BYTES, every: int = CHECK_EVERY) -> None:
        self._arrays = list(arrays)
        self.budget = budget
        self.every = every  # the budget is looked at on every `every`-th call of `trim`
        self.trims = 0  # how many times the pages were dropped (for benchmarks and tests)
        self._calls = 0  # racy under threads: a miscount only moves a look by a query
        self._lock = threading.Lock()

    def trim(self) -> bool:
        """Drop the arrays' mapped pages if the process holds more file-backed pages than the
        budget, looked at once every `every` calls (a query's pages overshoot it by at most that many).
        """
        self._calls += 1
        if self._calls % self.every:
            return False
        held = file_backed_bytes()
        if held is None or held <= self.budget:
            return False
        with self._lock:
            for array in self._arrays:
                release(array)
            self.trims += 1
        return True
