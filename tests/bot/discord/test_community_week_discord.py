"""Round 27 (qa27): a Discord community's week, through the fake Discord (real discord.py, real
HTTP and websocket): members asking, moderators uploading what they had at hand."""

from __future__ import annotations

import asyncio
import itertools
import shutil
from pathlib import Path

import pytest
import pytest_asyncio

from bot.discord.client import VerbatimBot
from index.corpus import Corpus
from tests.bot.test_cli_community_week import FEED, PAGE
from tests.fake_discord import FakeDiscord, embed_text, running

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(60)]

ROOT = Path(__file__).resolve().parents[3]
ADMIN_ID = 777
_users = itertools.count(95_000)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("week")
    seeds = tmp / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    fake = await FakeDiscord(heartbeat_interval_ms=500).start()
    fake.patch_client()
    settings = fake.settings(seeds, tmp / "index", cooldown_seconds=0, admin_ids=frozenset({ADMIN_ID}))
    corpus = await asyncio.to_thread(Corpus.open, seeds, tmp / "index")
    async with running(fake, VerbatimBot(settings, corpus)) as bot:
        yield fake, bot, seeds


@pytest.mark.parametrize(("name", "text", "said"), [("town.txt", FEED, "news feed"), ("pier.md", PAGE, "web page")])
async def test_ingest_of_a_feed_or_a_web_page_is_refused_saying_what_it_is(env, name, text, said):
    """A moderator's `/ingest` of an RSS feed or a saved web page renamed `.txt` or `.md` was
    "Added 1 article": its markup became sentences, and "when did the pier close?" was answered
    with `<item><title>Pier closed</title>…` under the title "<?xml version=…". It is refused
    privately with the reason (a feed: how to follow it), and nothing is stored."""
    fake, bot, seeds = env
    before = sorted(p.name for p in seeds.iterdir())
    inter = await fake.slash("ingest", user_id=ADMIN_ID, attachments={"file": (name, text.encode("utf-8"))})
    final = (await fake.wait_final(inter, timeout=30)).body
    content = final.get("data", final).get("content") or ""
    assert f"looks like a {said}" in content and "Added" not in content, content
    assert sorted(p.name for p in seeds.iterdir()) == before
    reply = await fake.wait_reply(await fake.mention("when did the pier close?", user_id=next(_users)))
    assert "&lt;" not in embed_text(reply.body) and "<item>" not in embed_text(reply.body)
    assert "Pier" not in embed_text(reply.body), embed_text(reply.body)
