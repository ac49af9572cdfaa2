"""Run `python -m bot serve` (bot.cli.main(["serve"])) pointed at a fake Discord: for tests.

Usage: python -m tests.reliability_launcher PORT [SLOW_SECONDS] [bot options...]
(with VERBATIM_LAUNCHER_DEBUG=1 in the environment, every logger logs at DEBUG to stderr;
VERBATIM_LAUNCHER_SLOW_BUILD=S makes every index build take S seconds longer and
VERBATIM_LAUNCHER_SLOW_WARM=S the background timeline build, so that a test can send SIGTERM
during either)

Sets discord.py's REST base and gateway address to the fake on 127.0.0.1:PORT, optionally
makes every search take SLOW_SECONDS longer (so a test can send SIGTERM while an answer is in
flight), then runs the real CLI entry point; settings come from the environment as usual.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route


def main(argv: list[str]) -> int:
    port = int(argv[0])
    slow = float(argv[1]) if len(argv) > 1 else 0.0
    Route.BASE = f"http://127.0.0.1:{port}/api/v10"
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws://127.0.0.1:{port}/gateway")
    if os.environ.get("VERBATIM_LAUNCHER_DEBUG"):
        import discord.utils

        real_setup = discord.utils.setup_logging

        def debug_setup(**kwargs):
            real_setup(**{**kwargs, "level": logging.DEBUG})
            logging.getLogger().setLevel(logging.DEBUG)

        discord.utils.setup_logging = debug_setup  # what run_bot calls: everything at DEBUG
    if slow:
        from index.corpus import Corpus

        real = Corpus.answer

        def slow_answer(self, *args, **kwargs):
            time.sleep(slow)
            return real(self, *args, **kwargs)

        Corpus.answer = slow_answer  # type: ignore[method-assign]
    slow_build = float(os.environ.get("VERBATIM_LAUNCHER_SLOW_BUILD") or 0)
    if slow_build:
        from index.search import build

        real_build = build.build

        def slow_build_fn(*args, **kwargs):
            time.sleep(slow_build)
            return real_build(*args, **kwargs)

        build.build = slow_build_fn
    slow_warm = float(os.environ.get("VERBATIM_LAUNCHER_SLOW_WARM") or 0)
    if slow_warm:
        from index.corpus import Corpus

        real_timeline = Corpus.timeline

        def slow_timeline(self):
            time.sleep(slow_warm)
            return real_timeline(self)

        Corpus.timeline = slow_timeline  # type: ignore[method-assign]
    from bot.cli import main as cli_main

    return cli_main(["serve", *argv[2:]])


async def launch(fake: Any, seeds: Path, index: Path, *args: str, token: str, **env: str) -> asyncio.subprocess.Process:
    """Start this launcher in a subprocess against `fake` (a tests.fake_discord.FakeDiscord),
    over these folders, with `env` added to the environment; stdout and stderr are piped.
    """
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.reliability_launcher",
        str(fake.port),
        *args,
        cwd=Path(__file__).resolve().parents[1],
        env={
            **os.environ,
            "DISCORD_TOKEN": token,
            "DEV_GUILD_ID": str(fake.guild_id),
            "SEEDS_DIR": str(seeds),
            "INDEX_DIR": str(index),
            "PYTHONUNBUFFERED": "1",
            **env,
        },
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
