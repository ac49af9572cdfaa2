"""A server for end-to-end tests: the seed article and a short GM story indexed, the bot
running against the fake Discord (real discord.py, real HTTP and websocket)."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from bot.discord.client import VerbatimBot
from index.corpus import Corpus
from tests.fake_discord import FakeDiscord, running

ROOT = Path(__file__).resolve().parents[3]
GM_ARTICLE = """---
title: General Motors to cut jobs
date: 2009-03-05
---
General Motors said on Tuesday that it would cut 10,000 jobs by the end of 2009.

The carmaker, known as GM, lost money in every quarter of 2008.
"""


@contextlib.asynccontextmanager
async def seed_and_gm_server(tmp: Path, **settings: Any) -> AsyncIterator[tuple[FakeDiscord, VerbatimBot]]:
    """The fake Discord and the bot over `tmp/seeds` (the seed article and `GM_ARTICLE`);
    `settings` are the bot's settings that differ from the fake's defaults."""
    seeds = tmp / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    (seeds / "gm.md").write_text(GM_ARTICLE, encoding="utf-8")
    fake = await FakeDiscord(heartbeat_interval_ms=500).start()
    fake.patch_client()
    corpus = await asyncio.to_thread(Corpus.open, seeds, tmp / "index")
    async with running(fake, VerbatimBot(fake.settings(seeds, tmp / "index", **settings), corpus)) as bot:
        yield fake, bot
