"""The CLI's tests share `tests/bot`'s `run`: `python -m bot --seeds S --index-dir I ARGS...` in-process."""

from tests.bot.conftest import run

__all__ = ["run"]
