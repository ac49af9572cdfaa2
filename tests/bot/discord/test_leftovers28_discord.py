"""Round 28 (fix28): what the round's QA lanes left, through the fake Discord (real discord.py,
real HTTP and websocket)."""

from __future__ import annotations

import asyncio
import itertools
import logging

import pytest
import pytest_asyncio
from discord import app_commands

from tests.bot.discord.server import seed_and_gm_server
from tests.fake_discord import FakeDiscord, embed_text

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(60)]

_users = itertools.count(98_000)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def env(tmp_path_factory):
    async with seed_and_gm_server(tmp_path_factory.mktemp("leftovers"), cooldown_seconds=60, cooldown_rate=5) as server:
        yield server


async def _said(fake: FakeDiscord, message: dict) -> str:
    return embed_text((await fake.wait_reply(message)).body)


@pytest.mark.parametrize(
    ("question", "slash"),
    [
        ("what articles do you have?", False),
        ("What can you answer?", False),
        ("how do I ask?", True),
        ("what do you know about?", True),
    ],
)
async def test_a_question_about_the_articles_or_asking_is_told_what_is_indexed_and_how_to_ask(env, question, slash):
    """qa28discord: "what articles do you have?" and "how do I ask?" were searched and abstained
    ("No word of the question occurs"), "what can you answer?" quoted sentences holding "answer".
    They are told how to ask and what is indexed (the counts `/about` shows)."""
    fake, bot = env
    user = next(_users)
    if slash:
        final = await fake.wait_final(await fake.slash("ask", question=question, user_id=user))
        said = embed_text(final.message_payload or {})
    else:
        said = await _said(fake, await fake.mention(question, user_id=user))
    articles = bot.corpus.article_count()
    assert f"I have {articles} news articles indexed ({len(bot.corpus):,} sentences)" in said, said
    assert "`/ask`" in said and "/about" in said, said
    assert "No word of the question" not in said and "match" not in said.casefold(), said


async def test_a_news_question_holding_you_is_still_answered(env):
    """The guard: a question that names something ("what do you know about GM?") is asked of the
    articles, though it is about "you" too."""
    fake, _ = env
    said = await _said(fake, await fake.mention("what do you know about GM jobs?", user_id=next(_users)))
    assert "10,000" in said and "articles indexed" not in said, said


@pytest.mark.parametrize(
    ("retry", "shown"), [(0.04, "0.1"), (0.0001, "0.1"), (1.0, "1.0"), (1.01, "1.1"), (29.95, "30.0")]
)
async def test_the_cooldown_never_says_try_again_in_0_0_s(retry, shown):
    """qa28discord: with under 50 ms of the wait left, "Slow down a little: try again in 0.0 s."
    (`.1f` rounds to nearest): the wait is rounded up to the next tenth of a second."""
    from bot.discord.asking import slow_down

    assert slow_down(retry) == f"Slow down a little: try again in {shown} s."


class _EndingWait(app_commands.Cooldown):
    """A bucket whose wait has 30 ms left (the real one reads the wall clock)."""

    def update_rate_limit(self, current: float | None = None, *, tokens: int = 1) -> float | None:
        return 0.03


async def test_a_mention_refused_at_the_end_of_its_wait_is_not_told_0_0_s(env):
    """The same end to end: a member whose wait has 30 ms left is told 0.1 s."""
    fake, bot = env
    user = next(_users)
    bot.ask_cooldowns._buckets[user] = _EndingWait(1, 60)
    said = await _said(fake, await fake.mention("when does the ban take effect?", user_id=user))
    assert "try again in 0.1 s" in said, said


async def test_a_question_deleted_before_its_answer_is_one_log_line_not_a_traceback(env, caplog):
    """qa28discord: a member deletes their question before the answer; Discord refuses a reply to
    it (400 50035, `message_reference`: unknown message) and the bot logged an ERROR with a
    traceback and tried again with "something went wrong" on the same deleted message. Nobody is
    there to read either: one line in the log, no second request, and the bot goes on."""
    fake, _ = env
    caplog.set_level(logging.INFO, logger="verbatim.discord")
    message = await fake.mention("when does the ban take effect?", user_id=next(_users), deleted=True)
    await fake.wait_for(lambda: fake.replies_to(message) or None)
    await asyncio.sleep(0.5)  # a second try, had there been one
    assert len(fake.replies_to(message)) == 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info], caplog.text
    told = [r for r in caplog.records if "deleted" in r.getMessage()]
    assert len(told) == 1 and told[0].levelno == logging.WARNING, caplog.text
    said = await _said(fake, await fake.mention("when does the ban take effect?", user_id=next(_users)))
    assert "July 10" in said, said
