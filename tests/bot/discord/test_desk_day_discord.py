"""Round 26 (qa26): a news desk's day in Discord, through the fake Discord (real discord.py,
real HTTP and websocket)."""

from __future__ import annotations

import asyncio
import itertools
import json
import re

import pytest
import pytest_asyncio

from bot.discord.client import VerbatimBot
from index.corpus import Corpus
from tests.bot.discord.test_discord_long_citations import TOWNS  # the same ten lighthouse stories
from tests.fake_discord import EMBED_LINKS, FakeDiscord, plain, running

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(90)]

_users = itertools.count(95_000)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def desk(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("desk_day")
    seeds = tmp / "seeds"
    seeds.mkdir()
    records = [
        {
            "id": f"coast-desk-2026-03-20-lighthouse-{town.lower()}",
            "title": f"{town} lighthouse relit after storm: keepers, coastguard and harbour board agree on repairs",
            "author": "Coastal Desk",
            "date": "2026-03-20",
            "url": f"https://news.example.com/coast/{town.lower()}-lighthouse-relit",
            "text": f"The lighthouse keeper of {town} said the lamp was relit on {n + 1} March after storm "
            f"repairs costing {n + 2},000 pounds.",
        }
        for n, town in enumerate(TOWNS)
    ]
    (seeds / "lighthouses.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    fake = await FakeDiscord(heartbeat_interval_ms=500).start()
    fake.patch_client()
    settings = fake.settings(seeds, tmp / "index", cooldown_seconds=0, answer_count=10)
    corpus = await asyncio.to_thread(Corpus.open, seeds, tmp / "index")
    async with running(fake, VerbatimBot(settings, corpus)) as bot:
        yield fake, bot


async def test_an_answer_written_as_text_never_shows_a_quote_without_its_citation(desk):
    """Where the bot may not embed links, a mention's answer is written in the message (qa25),
    within 2,000 characters. With ANSWER_COUNT=10 and news-length titles the ten blocks did not
    fit: each quote was cut to its first words ("The lighthouse keeper…") and the message was then
    cut at 2,000 characters, so the last quotes vanished and one was left under half a citation
    (no id, no paragraph). The message now holds the quotes that fit whole with their citations,
    and says how many more `/ask` shows."""
    fake, _ = desk
    plain_channel = await fake.add_channel("no-embeds-desk", deny=EMBED_LINKS)
    question = "when was the lighthouse lamp relit after the storm repairs?"
    reply = await fake.wait_reply(await fake.mention(question, user_id=next(_users), channel_id=plain_channel))
    content = reply.shown["content"]
    assert len(content) <= 2000 and not reply.body.get("embeds")
    text = plain(content)
    quotes = re.findall(r"^> (.*)\n— (.*)$", text, flags=re.MULTILINE)
    assert len(quotes) >= 3, text
    for said, cited in quotes:
        assert said.startswith("The lighthouse keeper of ") and said.endswith(",000 pounds."), text  # whole
        assert re.search(r"`coast-desk-2026-03-20-lighthouse-\w+` · (strong|fair|weak) match", cited), cited
    assert not text.rstrip().endswith("…"), text  # nothing cut off at the end
    if len(quotes) < 10:
        assert f"{10 - len(quotes)} more" in text and "/ask" in text, text
