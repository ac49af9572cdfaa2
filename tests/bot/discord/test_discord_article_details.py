"""End to end through the fake Discord: a question about the article itself ("who wrote this
article") is answered with the article's byline, quoted and labelled as its details, in the
story of the asker's conversation; an event question is not.
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
from tests.fake_discord import FakeDiscord, embed_text, running

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(60)]

ROOT = Path(__file__).resolve().parents[3]
HARBOUR = (
    "---\ntitle: Harbour almanac\nauthor: Port Office\ndate: 2026-01-05\nurl: https://example.org/harbour\n---\n"
    "The harbour festival opened on March 3, 2025, with a parade of tall ships.\n\n"
    "The new harbour toll takes effect on April 1 for every ship longer than 50 metres.\n"
)
_users = itertools.count(50_000)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def fake(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("discord-details")
    seeds = tmp / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    (seeds / "harbour.md").write_text(HARBOUR, encoding="utf-8")
    fake = await FakeDiscord(heartbeat_interval_ms=500).start()
    fake.patch_client()
    settings = fake.settings(seeds, tmp / "index", cooldown_rate=10, cooldown_seconds=60)
    corpus = await asyncio.to_thread(Corpus.open, seeds, tmp / "index")
    async with running(fake, VerbatimBot(settings, corpus)):
        yield fake


async def _ask(fake: FakeDiscord, question: str, user: int):
    inter = await fake.slash("ask", question=question, user_id=user)
    return await fake.wait_final(inter)


async def test_who_wrote_this_article_quotes_the_byline_of_the_conversation_s_story(fake):
    user = next(_users)
    await _ask(fake, "why did alibaba ban claude code?", user)
    final = await _ask(fake, "who wrote this article?", user)
    description = final.body["embeds"][0]["description"]
    assert description.startswith(
        "**Author:** \u201cBy Kashmira Konduparty\u201d (its byline, quoted from the article)"
    )
    assert "000\\_e228878e0c08bf80" in description or "000_e228878e0c08bf80" in description
    assert "byline is quoted" in embed_text(final.body)
    assert not (final.body.get("flags") or 0) & 64  # an answer, public


async def test_the_named_story_s_details_are_labelled_as_details(fake):
    final = await _ask(fake, "when was the harbour article published?", next(_users))
    description = final.body["embeds"][0]["description"]
    assert "**Published:** 2026\\-01\\-05 (from the article's details)" in description or (
        "**Published:** 2026-01-05 (from the article's details)" in description
    )
    assert "\u201c2026" not in description  # a metadata value is never shown as a quote


async def test_without_a_conversation_this_article_asks_which(fake):
    final = await _ask(fake, "who wrote this article?", next(_users))
    assert "Which article?" in embed_text(final.body)


async def test_a_follow_up_after_a_named_story_s_details_is_read_in_that_story(fake):
    """A "when?" after "who wrote the story about the harbour festival" was read alone ("no words
    to search for"): the details answer quoted no sentence and the conversation kept nothing of it."""
    user = next(_users)
    final = await _ask(fake, "who wrote the story about the harbour festival?", user)
    assert "Port Office" in embed_text(final.body)
    final = await _ask(fake, "when?", user)
    text = embed_text(final.body)
    assert "no words to search for" not in text
    assert final.body["embeds"][0]["description"].index("March 3, 2025") < 400, text
