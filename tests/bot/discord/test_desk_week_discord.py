"""Round 24 (qa24): a news desk's articles on Discord, the real bot against tests/fake_discord."""

from __future__ import annotations

import asyncio
import itertools
import shutil

import pytest
import pytest_asyncio

from bot.discord.client import VerbatimBot
from index.corpus import Corpus
from tests.conftest import SEED
from tests.fake_discord import FakeDiscord, running

_users = itertools.count(60_000)
PIER = (
    "---\ntitle: Pier reopens\ndate: 2026-11-26\n"
    "url: https://news.example.com/2026/11/pier reopens after repairs.html\n---\n"
    "The pier reopened on Thursday after six months of repairs.\n"
)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("desk24")
    seeds = tmp / "seeds"
    seeds.mkdir()
    (seeds / "pier.md").write_text(PIER)
    shutil.copy(SEED, seeds / SEED.name)  # one article alone is too small a collection to answer from
    fake = await FakeDiscord(heartbeat_interval_ms=500).start()
    fake.patch_client()
    settings = fake.settings(seeds, tmp / "index", cooldown_rate=20, cooldown_seconds=60)
    corpus = await asyncio.to_thread(Corpus.open, seeds, tmp / "index")
    async with running(fake, VerbatimBot(settings, corpus)) as bot:
        yield fake, bot


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.timeout(60)
async def test_a_link_written_with_spaces_is_linked_with_them_encoded(env):
    """A CMS export's `url:` with spaces (`…/pier reopens after repairs.html`) was dropped from
    every citation and from `/source`'s title link: Discord takes no URL with a space. The link
    is given with its spaces as `%20`, the address a browser would ask for."""
    fake, _ = env
    encoded = "https://news.example.com/2026/11/pier%20reopens%20after%20repairs.html"
    final = await fake.wait_final(
        await fake.slash("ask", question="What reopened after six months of repairs?", user_id=next(_users))
    )
    assert f"[link]({encoded})" in final.message_payload["embeds"][0]["description"]
    final = await fake.wait_final(await fake.slash("source", doc="pier", user_id=next(_users)))
    embed = final.message_payload["embeds"][0]
    assert embed.get("url") == encoded, embed
