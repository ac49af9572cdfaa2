"""Fuzz: hostile questions through /ask and mentions (hypothesis, bounded examples).

Random unicode, control characters, markdown, mentions and 100,000-character questions (a
modified client can send more than Discord's 300-character option limit) must:
* never raise to the user (no "something went wrong" reply: every answer is a normal answer,
  an abstention, or a polite message about the question);
* never produce a message over Discord's limits (content 2,000; embed title 256, description
  4,096, field name 256 / value 1,024 and 25 fields, footer 2,048, 6,000 in all; custom ids 100);
* never carry a live mention: every message is sent with `allowed_mentions.parse == []` and no
  user, role or reply ping.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.discord.client import VerbatimBot
from bot.settings import Settings
from index.corpus import Corpus
from tests.fake_discord import TOKEN, FakeDiscord, running

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(120)]

ROOT = Path(__file__).resolve().parents[3]
FAILURE = "something went wrong"
FRAGMENTS = [
    "@everyone",
    "@here",
    "<@123456789012345678>",
    "<@!123456789012345678>",
    "<@&223456789012345678>",
    "<#323456789012345678>",
    "**",
    "__",
    "~~",
    "||",
    "`",
    "```",
    "> ",
    "# ",
    "- ",
    "[x](https://evil.example)",
    "https://evil.example/",
    "\\",
    "\x00",
    "\x1b[31m",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\n",
    "\r\n",
    "\t",
    "When does the ban take effect?",
    "ban",
    "Alibaba",
    "Claude Code",
    "🤖",
    "ﷺ",
    "Ⅻ",
    "𝔄𝔩𝔦𝔟𝔞𝔟𝔞",
    "\ud7ff",
]
questions = st.one_of(
    st.text(max_size=400),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=3, max_size=60),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40).map("".join),
    st.builds(
        lambda piece, n: (piece * n)[:100_000], st.sampled_from(FRAGMENTS[:12] + ["a", "ban "]), st.integers(1, 100_000)
    ),
)
HUGE = ["x" * 100_000, "@everyone " * 10_000, "ban " * 25_000, "*" * 100_000]
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fuzz")
    seeds = tmp / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    (seeds / "pings.md").write_text(
        "---\ntitle: Ping @everyone <@&223456789012345678>\nauthor: <@123456789012345678>\n---\n"
        "Hello @everyone and @here, the ban on **bold** `code` ||spoilers|| takes effect <#323456789012345678> "
        "[now](https://evil.example).\n",
        encoding="utf-8",
    )
    fake = await FakeDiscord(heartbeat_interval_ms=1000).start()
    fake.patch_client()
    cfg = Settings(
        seeds_dir=seeds, index_dir=tmp / "index", discord_token=TOKEN, dev_guild_id=fake.guild_id, cooldown_seconds=0
    )
    corpus = await asyncio.to_thread(Corpus.open, seeds, tmp / "index")
    async with running(fake, VerbatimBot(cfg, corpus)):
        yield fake


def check_message(payload: dict) -> None:
    content = payload.get("content") or ""
    assert len(content) <= 2000, len(content)
    embeds = payload.get("embeds") or []
    assert len(embeds) <= 10
    for e in embeds:
        title, desc = e.get("title") or "", e.get("description") or ""
        fields = e.get("fields") or []
        footer = (e.get("footer") or {}).get("text") or ""
        author = (e.get("author") or {}).get("name") or ""
        assert len(title) <= 256 and len(desc) <= 4096 and len(footer) <= 2048 and len(author) <= 256
        assert len(fields) <= 25
        for f in fields:
            assert 0 < len(f["name"]) <= 256 and 0 < len(f["value"]) <= 1024
        total = (
            len(title) + len(desc) + len(footer) + len(author) + sum(len(f["name"]) + len(f["value"]) for f in fields)
        )
        assert total <= 6000, total
    for row in payload.get("components") or []:
        for comp in row.get("components") or []:
            assert len(comp.get("custom_id", "")) <= 100 and len(comp.get("label") or "") <= 80
    mentions = payload.get("allowed_mentions")
    assert mentions is not None and mentions.get("parse") == [], mentions
    assert not mentions.get("users") and not mentions.get("roles") and not mentions.get("replied_user")
    assert FAILURE not in content


def sent_for(fake: FakeDiscord, requests) -> list[dict]:
    return [r.message_payload for r in requests if r.message_payload is not None]


async def ask_once(fake: FakeDiscord, question: str) -> None:
    inter = await fake.slash("ask", question=question, user_id=1)
    await fake.wait_final(inter, timeout=20)
    await asyncio.sleep(0.05)  # a follow-up after a delete, if any
    payloads = sent_for(fake, fake.requests_for(inter))
    assert payloads
    for payload in payloads:
        check_message(payload)


async def mention_once(fake: FakeDiscord, question: str) -> None:
    msg = await fake.mention(question, user_id=2)
    await fake.wait_reply(msg, timeout=20)
    replies = fake.replies_to(msg)
    assert len(replies) == 1
    check_message(replies[0].body)


@SETTINGS
@given(question=questions)
@example(question=HUGE[0]).via("100,000 characters")
@example(question=HUGE[1]).via("10,000 @everyone")
@example(question="@everyone <@&223456789012345678> when does the ban take effect?").via("mentions")
async def test_fuzz_ask(env, question):
    await ask_once(env, question)


@SETTINGS
@given(question=questions)
@example(question=HUGE[2]).via("100,000 characters")
@example(question=HUGE[3]).via("stars")
@example(question="@here **when** does the `ban` take effect? <@123456789012345678>").via("mentions")
async def test_fuzz_mention(env, question):
    await mention_once(env, question)


async def test_answers_quoting_pings_are_inert(env):
    """The article itself holds @everyone and role and user mentions: quoting it pings nobody."""
    for question in ("when does the ban take effect now?", "Hello everyone, the ban on bold code spoilers?"):
        await ask_once(env, question)
        await mention_once(env, question)
