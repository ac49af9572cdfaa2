"""A bench run as its reader runs it, `python -m bench.NAME ARGS` from the repository's root:
tests never import a bench (tests/test_import_graph.py), they read what it prints. One copy of
the call seven bench tests each wrote out (round 28, tidy28).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(
    name: str,
    *args: str | Path,
    check: bool = False,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python -m bench.NAME ARGS` run to its end, its output and errors kept as text; `env`'s
    variables are set over this process's own; with `check`, a failed run raises.
    """
    return subprocess.run(
        [sys.executable, "-m", f"bench.{name}", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=check,
        env=None if env is None else {**os.environ, **env},
        timeout=timeout,
    )


def output(name: str, *args: str | Path, env: dict[str, str] | None = None) -> str:
    """What a bench run that must succeed prints (a failed run raises, with its errors)."""
    return run(name, *args, check=True, env=env).stdout
