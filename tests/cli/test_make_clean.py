"""`make clean` removes what `make install`, `make test` and a run leave: it left ruff's and
mypy's caches and the install's `verbatim.egg-info` (`git status --ignored` after `make clean`)."""

import shutil
import subprocess

import pytest

from tests.conftest import ROOT


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_clean_names_everything_the_tools_leave() -> None:
    planned = subprocess.run(["make", "-n", "clean"], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    left_behind = (".venv", ".index", ".pytest_cache", ".hypothesis", ".ruff_cache", ".mypy_cache", "*.egg-info")
    for left in (*left_behind, "build"):
        assert f" {left}" in planned, left
