"""Round 20 (qa20): an id written with a decomposed accent (a Mac's file name `café-notes.md`
put in the seeds folder by hand) is found by `/source` and `/remove` typed on a keyboard
(composed). `/source` found the article and then failed on its sentences ("Sorry, something
went wrong"). Real bot, fake Discord."""

from __future__ import annotations

import asyncio
import shutil
import unicodedata

import pytest
import pytest_asyncio

from bot.discord.client import VerbatimBot
from index.corpus import Corpus
from tests.conftest import SEED
from tests.fake_discord import ADMIN_ID, FakeDiscord, embed_text, running

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(90)]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("spelled")
    seeds = tmp / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)
    name = unicodedata.normalize("NFD", "café-notes.md")
    (seeds / name).write_text("---\ntitle: Cafe notes\n---\nNotes about the cafe menu.\n", encoding="utf-8")
    fake = await FakeDiscord(heartbeat_interval_ms=500).start()
    fake.patch_client()
    settings = fake.settings(seeds, tmp / "index", cooldown_seconds=0)
    corpus = await asyncio.to_thread(Corpus.open, seeds, tmp / "index")
    async with running(fake, VerbatimBot(settings, corpus)) as bot:
        yield fake, bot


async def _suggested(fake: FakeDiscord, command: str, option: str, typed: str) -> list[str]:
    reply = await fake.wait_callback(await fake.autocomplete(command, option, **{option: typed}), 10)
    return [choice["value"] for choice in reply.body["data"]["choices"]]


async def test_an_id_is_suggested_however_its_accent_is_typed(env):
    """Round 21 (qa21): the suggestions under `/source` and `/remove` were matched as typed, so
    `café` typed composed (a keyboard) did not suggest the Mac's decomposed `café-notes` that
    `/source café-notes` finds; typed decomposed (pasted from a Mac or a PDF), it is still found."""
    fake, _ = env
    stored = unicodedata.normalize("NFD", "café-notes")
    for command, option in (("source", "doc"), ("remove", "id")):
        assert stored in await _suggested(fake, command, option, "café")
        assert stored in await _suggested(fake, command, option, unicodedata.normalize("NFD", "café"))


async def test_source_and_remove_find_an_id_typed_composed(env):
    fake, bot = env
    final = await fake.wait_final(await fake.slash("source", doc="café-notes", sentence=1, user_id=5), 20)
    text = embed_text(final.body.get("data", final.body))
    assert "Notes about the cafe menu." in text and "went wrong" not in text
    final = await fake.wait_final(await fake.slash("remove", id="café-notes", user_id=ADMIN_ID), 40)
    assert "Removed 1 article" in final.body["content"]
    assert bot.corpus.article_count() == 1
