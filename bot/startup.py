"""What a `python -m bot` process sets before anything imports numpy (`bot/__main__.py` calls it).

A one-command process (`ask`, `ingest`, `entities`...) makes its first answer's tables once and
exits. numpy asks the kernel for transparent huge pages for every large array (madvise), and
where the kernel defragments on request (`/sys/kernel/mm/transparent_hugepage/defrag`:
`madvise`, a common default) a fresh 2 MB page can wait for memory to be compacted: at ten
million sentences an `ask` spent 0.9-1.3 s in the kernel with them against 0.5 s without, on a
busy machine (docs/scale.md, round 16). The commands that serve many questions (`serve`, `run`,
`chat`) keep numpy's default, and `NUMPY_MADVISE_HUGEPAGE`, when set, always decides.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

SERVING = frozenset({"serve", "run", "chat"})  # long-lived: huge pages may pay for themselves
_WITH_VALUE = frozenset({"--seeds", "--index-dir"})  # the global options that take a value


def command_of(argv: Sequence[str]) -> str | None:
    """The subcommand of `python -m bot ARGV` (its first argument that is not a global option
    or an option's value), as the parser will read it; None when there is none.
    """
    wanted_value = False
    for arg in argv:
        if wanted_value:
            wanted_value = False
        elif arg in _WITH_VALUE:
            wanted_value = True
        elif not arg.startswith("-"):
            return arg
    return None


def prepare_process(argv: Sequence[str]) -> None:
    """Settings of the process that must precede numpy's import (see the module's docstring)."""
    if command_of(argv) not in SERVING:
        os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")


__all__ = ["SERVING", "command_of", "prepare_process"]
