"""An article whose id is over 100 characters (ids may have 200) can be picked in `/source` and
`/remove`: Discord's suggestion values are at most 100 characters (the fake refuses longer), so
its suggestion carries a short `doc#` key the commands read back, as `/unfollow` does for feeds.
"""

from __future__ import annotations

import asyncio
import itertools
import shutil
from pathlib import Path

import pytest
import pytest_asyncio

from bot.discord.client import VerbatimBot
from index.corpus import Corpus
from tests.fake_discord import ADMIN_ID, FakeDiscord, embed_text, running

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(90)]

ROOT = Path(__file__).resolve().parents[3]
LONG_ID = "wire-2026-11-20-" + "kelsford-flood-barrier-funding-" * 5 + "update"
ARTICLE = (
    f"---\nid: {LONG_ID}\ntitle: Kelsford flood barrier funded\ndate: 2026-11-20\n---\n"
    "The government will pay for the Kelsford flood barrier, the minister said.\n"
    "Work on the barrier starts in March 2027.\n"
)
_users = itertools.count(90_000)


class Desk:
    def __init__(self, fake: FakeDiscord, bot: VerbatimBot, seeds: Path) -> None:
        self.fake, self.bot, self.seeds = fake, bot, seeds


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def desk(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("longids")
    seeds = tmp / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    (seeds / "barrier.md").write_text(ARTICLE, encoding="utf-8")
    fake = await FakeDiscord(heartbeat_interval_ms=500).start()
    fake.patch_client()
    settings = fake.settings(seeds, tmp / "index", cooldown_seconds=0)
    corpus = await asyncio.to_thread(Corpus.open, seeds, tmp / "index")
    async with running(fake, VerbatimBot(settings, corpus)) as bot:
        yield Desk(fake, bot, seeds)


async def _suggested(desk: Desk, command: str, option: str, typed: str) -> list[dict]:
    auto = await desk.fake.autocomplete(command, option, user_id=ADMIN_ID, **{option: typed})
    return (await desk.fake.wait_final(auto)).body["data"]["choices"]


async def test_source_suggests_and_opens_an_article_whose_id_is_over_100_characters(desk):
    assert len(LONG_ID) > 100 and desk.bot.corpus.article(LONG_ID)
    choices = await _suggested(desk, "source", "doc", "kelsford")
    assert len(choices) == 1 and choices[0]["name"].startswith("Kelsford flood barrier funded"), choices
    key = choices[0]["value"]
    assert len(key) <= 100
    final = await desk.fake.wait_final(await desk.fake.slash("source", doc=key, user_id=next(_users)))
    embed = final.body["data"]["embeds"][0]
    assert "Kelsford flood barrier funded" in embed["title"], embed
    assert "flood barrier" in embed_text(final.body["data"])
    assert not desk.fake.rejected


async def test_a_key_that_stands_for_no_article_is_an_unknown_id(desk):
    inter = await desk.fake.slash("source", doc="doc#0123456789abcdef", user_id=next(_users))
    assert "no article with the id" in (await desk.fake.wait_final(inter)).body["data"]["content"]


async def test_remove_suggests_and_removes_an_article_whose_id_is_over_100_characters(desk):
    choices = await _suggested(desk, "remove", "id", "kelsford")
    assert len(choices) == 1 and len(choices[0]["value"]) <= 100, choices
    final = await desk.fake.wait_final(
        await desk.fake.slash("remove", id=choices[0]["value"], user_id=ADMIN_ID), timeout=40
    )
    said = final.body.get("data", final.body).get("content") or ""
    assert said.startswith("Removed 1 article"), said
    assert not (desk.seeds / "barrier.md").exists()
    with pytest.raises(KeyError):
        desk.bot.corpus.article(LONG_ID)
    assert not desk.fake.rejected
