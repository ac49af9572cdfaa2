"""Fixtures of the front-end tests: the CLI run in-process as a user would type it."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli import main


@pytest.fixture
def run(
    seeds_dir: Path,
    index_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> Callable[..., tuple[int, str, str]]:
    """`python -m bot --seeds S --index-dir I ARGS...` in-process; returns (code, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)  # no developer .env leaks in
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)

    def _run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["--seeds", str(seeds_dir), "--index-dir", str(index_dir), *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return _run
