"""Round 25 (qa25): a Discord community's busy day, through the fake Discord (real discord.py,
real HTTP and websocket): several people asking in one channel, threads, replies, buttons, and
Discord refusing what a channel's permissions refuse."""

from __future__ import annotations

import asyncio
import itertools
import logging
import shutil
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
import pytest_asyncio

from bot.discord import views
from bot.discord.asking import FAILED
from bot.discord.client import VerbatimBot
from index.corpus import Corpus
from tests.bot.discord.server import GM_ARTICLE
from tests.fake_discord import (
    EMBED_LINKS,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    FakeDiscord,
    custom_ids,
    embed_text,
    running,
)

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(60)]

ROOT = Path(__file__).resolve().parents[3]
SEED = ("000\\_e228878e0c08bf80", "000_e228878e0c08bf80")
_users = itertools.count(90_000)


def cites_seed(text: str) -> bool:
    return any(c in text for c in SEED)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("busy")
    seeds = tmp / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    (seeds / "gm.md").write_text(GM_ARTICLE, encoding="utf-8")
    fake = await FakeDiscord(heartbeat_interval_ms=500).start()
    fake.patch_client()
    settings = fake.settings(seeds, tmp / "index", cooldown_seconds=0, announce_channel_id=fake.snowflake())
    corpus = await asyncio.to_thread(Corpus.open, seeds, tmp / "index")
    async with running(fake, VerbatimBot(settings, corpus)) as bot:
        yield fake, bot


async def _answer(fake: FakeDiscord, question: str, user: int, channel: int | None = None) -> dict:
    """`@Verbatim question` by `user`; the bot's reply as the users' clients have it."""
    reply = await fake.wait_reply(await fake.mention(question, user_id=user, channel_id=channel))
    return fake.message_payload(reply.body, channel_id=channel)


async def test_new_topic_in_a_thread_is_not_undone_by_the_parent_channels_story(env):
    """The "New topic" button under an answer in a thread opened from an answer said "your next
    question here starts afresh", yet the next "when?" there was read in the old story: the thread's
    conversation was gone, so the next question started again from a copy of the user's in the
    parent channel (round 23's thread rule). The reset now leaves an empty conversation."""
    fake, bot = env
    user = next(_users)
    answer = await _answer(fake, "why did alibaba ban claude code?", user)
    thread = await fake.open_thread(answer)
    follow_up = await _answer(fake, "when?", user, thread)
    assert cites_seed(embed_text(follow_up))  # read in the parent's story (round 23)
    [new_topic] = [c for c in custom_ids(follow_up) if c.startswith("verbatim:new:")]
    click = await fake.click(follow_up, new_topic, user_id=user)
    assert "starts afresh" in (await fake.wait_final(click)).body["data"]["content"]
    after = embed_text(await _answer(fake, "when?", user, thread))
    assert "no earlier question" in after and not cites_seed(after), after
    parent = bot.conversations.get(bot.corpus, user, fake.channel_id)
    assert [t.question for t in parent.turns] == ["why did alibaba ban claude code?"]  # untouched


async def test_a_reply_to_someone_elses_answer_is_read_in_its_story_by_one_with_a_story_of_their_own(env):
    """A busy channel: Alice asks about the Claude Code ban, Bob about General Motors, then Bob
    replies "when?" to Alice's answer. It was read in Bob's own story (GM's jobs), not the answer
    he replied to: a replier with a conversation of their own kept it (round 23 left it). A reply
    points at the answer: the replier now goes on from a copy of its asker's conversation."""
    fake, bot = env
    alice, bob = next(_users), next(_users)
    alices = await _answer(fake, "why did alibaba ban claude code?", alice)
    bobs = embed_text(await _answer(fake, "how many jobs will general motors cut?", bob))
    assert "`gm`" in bobs and not cites_seed(bobs)
    reply = await fake.wait_reply(await fake.reply_to(alices, "when?", user_id=bob))
    said = embed_text(reply.body)
    assert cites_seed(said) and "follow-up" in said and "`gm`" not in said, said
    assert len(bot.conversations.get(bot.corpus, alice, fake.channel_id).turns) == 1  # hers untouched
    again = embed_text(await _answer(fake, "when?", bob))  # Bob goes on in the story he replied in
    assert cites_seed(again) and "`gm`" not in again, again


async def test_an_answer_where_the_bot_may_not_embed_links_is_written_as_text(env):
    """In a channel where a moderator took Embed Links from the bot, a mention's answer was an
    embed, which Discord drops from a bot's message there: the user saw a reply of two buttons
    and no quote. The answer is now written in the message itself, within its 2,000 characters,
    with its buttons; where embeds are allowed it is an embed as before."""
    fake, _ = env
    plain = await fake.add_channel("no-embeds", deny=EMBED_LINKS)
    user = next(_users)
    reply = await fake.wait_reply(await fake.mention("when does the ban take effect?", user_id=user, channel_id=plain))
    shown = embed_text(reply.shown or {})
    assert "The restriction will" in shown and "July 10" in shown and cites_seed(shown), reply.shown
    assert len(reply.shown["content"]) <= 2000 and not reply.body.get("embeds")
    assert any(c.startswith("verbatim:ctx:") for c in custom_ids(reply.shown))
    many = await fake.wait_reply(
        await fake.mention("why did alibaba ban claude code? " * 8, user_id=user, channel_id=plain)
    )
    assert len(many.shown["content"]) <= 2000
    embedded = await fake.wait_reply(await fake.mention("when does the ban take effect?", user_id=user))
    assert embedded.body["embeds"] and "July 10" in embed_text(embedded.shown)
    unseen = fake.snowflake()  # a thread Discord never described to the bot: its permissions unknown
    embedded = await fake.wait_reply(
        await fake.mention("when does the ban take effect?", user_id=user, channel_id=unseen)
    )
    assert embedded.body["embeds"] and "July 10" in embed_text(embedded.shown)


async def test_more_context_and_source_are_acknowledged_while_searches_fill_the_threads(env):
    """A busy hour: many questions being searched at once (a large index takes a second or more
    each) held every thread of the loop's default executor, where "More context" and `/source`
    also look up their sentences before they answer: they waited behind the searches, past
    Discord's 3 seconds ("This interaction failed"). Searches now run in threads of their own.
    Here the searches are held until both are answered (before the fix: never, the test timed out)."""
    fake, bot = env
    user = next(_users)
    answer = await _answer(fake, "when does the ban take effect?", user)
    [more] = [c for c in custom_ids(answer) if c.startswith("verbatim:ctx:")]
    release, corpus = threading.Event(), bot.corpus
    searching = corpus.answer

    def held(*args, **kwargs):
        release.wait(30)
        return searching(*args, **kwargs)

    corpus.answer = held  # what a search of a large index does to a thread: holds it
    try:
        asks = [
            await fake.slash("ask", question=f"who banned claude code {n}?", user_id=next(_users)) for n in range(40)
        ]
        for ask in asks:  # each deferred ("thinking…"), then its search is handed to a thread
            await fake.wait_callback(ask, timeout=10)
        await asyncio.sleep(0.3)
        click = await fake.click(answer, more, user_id=user)
        source = await fake.slash("source", doc="000_e228878e0c08bf80", user_id=user)
        context = await fake.wait_final(click, timeout=8)
        assert "More context" in embed_text(context.body["data"]), context.body
        shown = await fake.wait_final(source, timeout=8)
        assert "000" in embed_text(shown.body["data"]), shown.body
    finally:
        release.set()
        del corpus.answer
    for ask in asks:  # every question is answered once the searches go on
        assert (await fake.wait_final(ask, timeout=30)).message_payload is not None


async def test_a_mention_where_the_bot_may_not_post_is_told_how_to_ask_in_a_dm(env, caplog):
    """A mention in a channel where the bot may not send messages (an announcements channel, a
    moderator's overwrite): the bot searched, Discord refused the reply (403), the bot logged an
    ERROR with a traceback and tried again with its apology, refused too; the user heard nothing.
    It now asks nothing there: the user is told in a DM that `/ask` works in that channel (an
    interaction is answered whatever the channel allows); one warning line when DMs are closed."""
    fake, _ = env
    caplog.set_level(logging.INFO, logger="verbatim.discord")
    closed = await fake.add_channel("announcements", deny=SEND_MESSAGES)
    user, shy = next(_users), next(_users)
    fake.closed_dms.add(shy)
    await fake.mention("when does the ban take effect?", user_id=user, channel_id=closed)
    dm = f"/channels/{fake.dm_channel_id(user)}/messages"
    told = await fake.wait_for(lambda: next((r for r in fake.requests if r.path == dm), None))
    assert "/ask" in told.body["content"] and f"<#{closed}>" in told.body["content"], told.body
    await fake.mention("when does the ban take effect?", user_id=shy, channel_id=closed)
    for _ in range(200):  # the log line follows the refused DM (the fake wakes its waiters on requests)
        if any("mention unanswered" in r.getMessage() for r in caplog.records):
            break
        await asyncio.sleep(0.05)
    assert any("mention unanswered" in r.getMessage() for r in caplog.records)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not [r for r in fake.requests if r.path == f"/channels/{closed}/messages"]  # nothing tried there


@pytest.mark.parametrize(
    ("status", "code", "said"),
    [(404, 10062, "expired"), (400, 40060, "already acknowledged")],
)
async def test_an_interaction_discord_no_longer_takes_is_one_log_line(env, caplog, status, code, said):
    """`/ask` whose "thinking…" Discord refused, the interaction expired (10062: not acknowledged
    within 3 s, a slow moment) or already acknowledged (40060: a second process of the bot with the
    same token, a deploy's overlap): an ERROR "error in /ask" with a traceback, then a second try
    to apologise on the same dead interaction, refused too, with another traceback. Nothing can
    reach the user: one warning line now, and no second try."""
    fake, _ = env
    caplog.set_level(logging.INFO, logger="verbatim.discord")
    fake.fail_next("POST", r"/callback$", status, {"message": "refused", "code": code})
    inter = await fake.slash("ask", question="when does the ban take effect?", user_id=next(_users))
    for _ in range(200):
        if any(said in r.getMessage() for r in caplog.records):
            break
        await asyncio.sleep(0.05)
    assert [r.levelname for r in caplog.records if said in r.getMessage()] == ["WARNING"], caplog.records
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    await asyncio.sleep(0.3)
    assert len(fake.requests_for(inter)) == 1  # the refused "thinking…" only


async def test_a_reply_to_an_earlier_answer_is_read_in_its_story_whatever_was_asked_since(env):
    """A busy channel moves on: Alice asks about the Claude Code ban, then about General Motors;
    replies to her first answer ("when?") were read in her latest story, GM's: Bob's (he went on
    from a copy of her conversation), hers, and, once her conversation had expired, Carol's (in
    her own GM story). A reply now reads on from the answer replied to (the sentences its "More
    context" button names, checked against the index): its story, whatever came since."""
    fake, bot = env
    alice, bob, carol = next(_users), next(_users), next(_users)
    first = await _answer(fake, "why did alibaba ban claude code?", alice)
    assert "`gm`" in embed_text(await _answer(fake, "how many jobs will general motors cut?", alice))
    for user in (bob, alice):
        said = embed_text((await fake.wait_reply(await fake.reply_to(first, "when?", user_id=user))).body)
        assert cites_seed(said) and "`gm`" not in said, (user, said)
    bot.conversations.reset(alice, fake.channel_id)  # ten minutes of silence, or a restart
    assert "`gm`" in embed_text(await _answer(fake, "how many jobs will general motors cut?", carol))
    said = embed_text((await fake.wait_reply(await fake.reply_to(first, "when?", user_id=carol))).body)
    assert cites_seed(said) and "`gm`" not in said, said


async def test_an_announcement_where_the_bot_may_not_embed_links_is_written_as_text(env):
    """ANNOUNCE_CHANNEL_ID set to a channel where the bot lacks Embed Links (a news channel whose
    overwrites allow text only): the announcement of a poll's new stories is one embed, which
    Discord drops, leaving an empty message it refuses (50006): the stories were never announced
    (a log warning only). It is now written in the message's text there."""
    fake, bot = env
    channel = bot.settings.discord.announce_channel_id
    await fake.add_channel("feed-news", deny=EMBED_LINKS, channel_id=channel)
    for _ in range(100):
        if bot.get_channel(channel) is not None:
            break
        await asyncio.sleep(0.05)
    story = SimpleNamespace(title="Pier reopens after repairs", url="https://example.org/pier", replaces=None)
    await bot.announce(SimpleNamespace(feeds=[SimpleNamespace(title="Harbour Gazette", stories=[story])], replaced=[]))
    [sent] = [r for r in fake.requests if r.path == f"/channels/{channel}/messages"]
    assert sent.shown is not None, "refused: an empty message"
    assert "Pier reopens after repairs" in sent.shown["content"] and "Harbour Gazette" in sent.shown["content"]


async def test_a_reply_in_a_dm_with_the_ping_off_is_read_in_the_story_of_the_answer_replied_to(env):
    """In a DM every message is a question, a reply too, also with its ping off (pointless in a
    DM, so often turned off): a reply to an earlier answer was read in the latest story, as only
    a reply that pinged the bot was read as pointing at its answer."""
    fake, _ = env
    user = next(_users)
    dm = fake.dm_channel_id(user)
    first = fake.message_payload(
        (await fake.wait_reply(await fake.direct_message("why did alibaba ban claude code?", user_id=user))).body,
        channel_id=dm,
    )
    latest = await fake.wait_reply(await fake.direct_message("how many jobs will general motors cut?", user_id=user))
    assert "`gm`" in embed_text(latest.body)
    reference = {"message_id": first["id"], "channel_id": str(dm)}
    reply = fake.message_payload(
        {"content": "when?", "message_reference": reference}, author=fake.user(user), channel_id=dm, mtype=19
    )
    del reply["guild_id"]
    reply["referenced_message"] = first  # the ping off: the bot is not in `mentions`
    await fake.dispatch("MESSAGE_CREATE", reply)
    said = embed_text((await fake.wait_reply(reply)).body)
    assert cites_seed(said) and "`gm`" not in said, said


async def test_a_button_that_fails_gets_the_private_apology_a_command_gets(env, monkeypatch):
    """A failing command gets a short private apology (the README's promise); a failing button
    ("More context" on an index whose files were damaged under the bot, say) got no reply at all:
    Discord showed "This interaction failed", and discord.py logged it as an exception it ignored."""
    fake, _ = env
    user = next(_users)
    answer = await _answer(fake, "when does the ban take effect?", user)
    [more] = [c for c in custom_ids(answer) if c.startswith("verbatim:ctx:")]

    def damaged(*args, **kwargs):
        raise OSError("bodies.bin: input/output error")

    monkeypatch.setattr(views, "_context_items", damaged)
    final = await fake.wait_final(await fake.click(answer, more, user_id=user), timeout=5)
    assert final.body["data"]["flags"] & 64 and final.body["data"]["content"] == FAILED, final.body


async def test_a_mention_where_the_bot_may_not_read_the_history_is_answered_without_a_reply(env):
    """Discord refuses a reply (a message referencing another) from a bot that may not read the
    channel's history (403, 160002), as in a channel whose overwrites hide its history from bots:
    every mention there went unanswered. The answer is now sent to the channel, not as a reply."""
    fake, _ = env
    hidden = await fake.add_channel("no-history", deny=READ_MESSAGE_HISTORY)
    mention = await fake.mention("when does the ban take effect?", user_id=next(_users), channel_id=hidden)
    path = f"/channels/{hidden}/messages"
    sent = await fake.wait_for(lambda: next((r for r in fake.requests if r.path == path and r.shown), None))
    assert "July 10" in embed_text(sent.shown) and cites_seed(embed_text(sent.shown)), sent.body
    assert "message_reference" not in sent.body and not fake.replies_to(mention)
