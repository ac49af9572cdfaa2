"""Discord on a syndicated story (round 19, copies19): the seed article under a second id is
quoted once, naming the other article, within the embed limits; "More context", the timeline
and `/ingest` keep working. The real bot against tests/fake_discord, as test_discord_e2e.
"""

from __future__ import annotations

import asyncio
import itertools
import shutil

import discord
import pytest
import pytest_asyncio

from bot.discord import embeds as fmt
from bot.discord.client import VerbatimBot
from index.corpus import Corpus
from index.models import Answer
from tests.bot.discord.test_formatting import assert_embed_fits, make_hit
from tests.conftest import SEED
from tests.fake_discord import ADMIN_ID, FakeDiscord, custom_ids, embed_text, plain, running

SENTENCE = "The restriction will take effect July 10"
_users = itertools.count(30_000)


def test_answer_embed_names_the_copies_within_the_limits():
    hit = make_hit("The restriction will take effect July 10.")
    hit.also_in = ["wire_copy", "other`id"]
    embed = fmt.answer_embed(Answer(question="When?", abstained=False, hits=[hit]))
    assert "also in 2 other articles: `wire_copy`, `otherˋid`" in embed.description
    many = [make_hit("x " * 1200, rank=n) for n in range(1, 11)]
    for h in many:
        h.also_in = [f"id-{n}-" + "y" * 300 for n in range(40)]
    embed = fmt.answer_embed(Answer(question="When?", abstained=False, hits=many))
    assert_embed_fits(embed)
    assert "and 37 more" in embed.description  # at most three ids named, the rest counted


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("copies")
    seeds = tmp / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)
    shutil.copy(SEED, seeds / "wire-copy.txt")
    fake = await FakeDiscord(heartbeat_interval_ms=500).start()
    fake.patch_client()
    settings = fake.settings(seeds, tmp / "index", cooldown_rate=5, cooldown_seconds=60)
    corpus = await asyncio.to_thread(Corpus.open, seeds, tmp / "index")
    async with running(fake, VerbatimBot(settings, corpus)) as bot:
        yield fake, bot


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.timeout(60)
async def test_ask_quotes_a_copied_sentence_once_and_more_context_works(env):
    fake, _ = env
    inter = await fake.slash("ask", question="When does the ban take effect?", count=3, user_id=next(_users))
    final = await fake.wait_final(inter)
    description = final.body["embeds"][0]["description"]
    assert plain(description).count(SENTENCE) == 1
    assert "also in 1 other article: `wire-copy`" in description
    assert_embed_fits(discord.Embed.from_dict(final.body["embeds"][0]))
    [cid, *_] = [c for c in custom_ids(final.body) if c.startswith("verbatim:ctx:")]
    click = await fake.click(fake.originals[inter["token"]], cid, user_id=next(_users))
    reply = await fake.wait_final(click)
    text = plain(embed_text(reply.body["data"]))
    assert SENTENCE in text and "Alibaba has instructed employees to stop using Claude Code" in text


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.timeout(60)
async def test_timeline_lists_each_event_once(env):
    fake, _ = env
    final = await fake.wait_final(await fake.slash("timeline", order="oldest", user_id=next(_users)))
    description = final.body["embeds"][0]["description"]
    assert plain(description).count(SENTENCE) == 1
    events = description.split("\n\n")
    assert all("also in 1 other article" in e for e in events)
    assert "6 events" in final.body["embeds"][0]["footer"]["text"]


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.timeout(60)
async def test_ingest_reply_says_the_same_text(env):
    fake, _ = env
    inter = await fake.slash("ingest", user_id=ADMIN_ID, attachments={"file": ("third.txt", SEED.read_bytes())})
    final = await fake.wait_final(inter, timeout=40)
    content = final.body["content"]
    assert "Added 1 article (third)" in content
    assert "has the same text as" in content and "000\\_e228878e0c08bf80" in content
