"""Worker processes for the index build that never outlive the build.

A build spreads its work over one process per core. If the parent is killed (SIGKILL, an OOM
kill, a container stop), its workers must not go on burning both cores: on Linux each worker
asks the kernel for SIGTERM when its parent dies (`PR_SET_PDEATHSIG`), and checks once that
the parent did not die before it asked.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

__all__ = ["die_with_parent", "pool"]

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """Make this process receive SIGTERM when `parent` (its parent process) ends."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):  # no prctl: the check below still covers a dead parent
            pass
    if os.getppid() != parent:  # the parent died before we asked
        os._exit(1)


def _start(parent: int, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    die_with_parent(parent)
    if initializer is not None:
        initializer(*initargs)


def pool(
    workers: int, initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()
) -> ProcessPoolExecutor:
    """A pool of forked workers (they inherit the parent's data) that exit with the parent."""
    # Imported here: a process that only reads an index (`timeline`, `entities`) never pays for them.
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    return ProcessPoolExecutor(
        workers, mp_context=get_context("fork"), initializer=_start, initargs=(os.getpid(), initializer, initargs)
    )
