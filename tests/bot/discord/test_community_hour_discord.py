"""Round 28 (qa28discord): a Discord community's hour, through the fake Discord (real discord.py,
real HTTP and websocket): members mentioning the bot with files, and one member spamming it."""

from __future__ import annotations

import asyncio
import itertools

import pytest
import pytest_asyncio

from bot.discord.asking import AskCooldowns
from tests.bot.discord.server import seed_and_gm_server
from tests.fake_discord import FakeDiscord, embed_text

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(60)]

RATE = 2  # questions per minute per member in this server
_users = itertools.count(97_000)
STORY = b"---\ntitle: Harbour\ndate: 2026-07-20\n---\nThe new harbour takes effect on August 1, the mayor said.\n"


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def env(tmp_path_factory):
    async with seed_and_gm_server(tmp_path_factory.mktemp("hour"), cooldown_seconds=60, cooldown_rate=RATE) as server:
        yield server


async def _said(fake: FakeDiscord, message: dict) -> str:
    reply = (await fake.wait_reply(message)).body
    return embed_text(reply)


@pytest.mark.parametrize(
    ("text", "files", "dm"),
    [
        ("when does this take effect?", {"harbour.md": STORY}, False),
        ("please add this article", {"harbour.md": STORY}, False),
        ("what does the screenshot say?", {"screenshot.png": b"\x89PNG\r\n\x1a\n"}, True),
        ("", {"message.txt": b"when does the ban take effect? " * 80}, True),  # a long message, as Discord sends it
    ],
)
async def test_a_file_sent_to_the_bot_is_said_to_be_unread_not_answered_from_other_articles(env, text, files, dm):
    """A member drags an article (or a screenshot) onto the bot with "when does this take effect?":
    the file was ignored and the words searched in the indexed articles, so the reply quoted the
    Claude Code ban's "will take effect July 10" as if it were read from the member's file; "please
    add this article" got "The articles do not answer this"; a DM of only a file (Discord sends a
    message over 2,000 characters as `message.txt`) was told to `@mention` the bot. The bot now
    says it reads no files, and how an article is added and a question asked."""
    fake, _ = env
    user = next(_users)
    message = await (
        fake.direct_message(text, user_id=user, files=files) if dm else fake.mention(text, user_id=user, files=files)
    )
    said = await _said(fake, message)
    assert "I do not read files" in said and "/ingest" in said, said
    assert "July 10" not in said and "do not answer" not in said, said
    assert not [r for r in fake.requests if r.path.startswith("/cdn/")]  # nothing downloaded


async def test_a_question_without_a_file_is_answered_as_before(env):
    """The guard of the test above: the same question without a file is answered."""
    fake, _ = env
    said = await _said(fake, await fake.mention("when does the ban take effect?", user_id=next(_users)))
    assert "July 10" in said and "I do not read files" not in said, said


async def test_a_member_spamming_mentions_is_told_once_not_answered_in_the_channel_each_time(env):
    """One member mentions the bot ten times in a few seconds: past the cooldown, each mention got
    its own public "Slow down" reply, so the bot flooded the channel with eight of them (and, on
    Discord, spent the channel's few messages per five seconds that everyone's answers need).
    The member is told once per wait; the mentions after that are not answered."""
    fake, _ = env
    user = next(_users)
    sent = []
    for n in range(10):
        sent.append(await fake.mention(f"when does the ban take effect? ({n})", user_id=user))
    await fake.wait_for(lambda: sum(bool(fake.replies_to(m)) for m in sent) >= RATE + 1)
    await asyncio.sleep(1.5)  # the rest, had they been answered
    replies = [embed_text(r.body) for m in sent for r in fake.replies_to(m)]
    assert sum("July 10" in text for text in replies) == RATE, replies
    assert sum("Slow down" in text for text in replies) == 1, replies
    other = await _said(fake, await fake.mention("when does the ban take effect?", user_id=next(_users)))
    assert "July 10" in other  # everyone else is answered meanwhile


async def test_a_spammer_is_told_again_once_their_wait_is_over(env):
    """Told once a wait, not once for ever: a mention refused after the wait they were told of
    ended (and another cooldown began) is told again."""
    _, bot = env
    now = [1000.0]
    cooldowns = AskCooldowns(bot.settings.discord, clock=lambda: now[0])
    assert cooldowns.first_refusal(1, 30.0) and not cooldowns.first_refusal(1, 29.0)
    assert cooldowns.first_refusal(2, 30.0)  # each member their own
    now[0] += 30.5
    assert cooldowns.first_refusal(1, 60.0)


async def _answer_message(fake: FakeDiscord, question: str, user: int, *, slash: bool = False) -> dict:
    """The message of the bot's answer to `question`, as members' clients have it (to open a thread on)."""
    if slash:
        inter = await fake.slash("ask", question=question, user_id=user)
        await fake.wait_final(inter)
        return fake.originals[inter["token"]]
    reply = await fake.wait_reply(await fake.mention(question, user_id=user))
    return fake.message_payload(reply.body) | {"id": reply.shown["id"]}


async def test_a_thread_opened_on_someone_elses_answer_reads_on_from_that_answer(env):
    """Alice asks why Alibaba banned Claude Code; Bob opens a thread on her answer ("Create
    Thread", as a community discusses an answer) and asks "when?" there: "there is no earlier
    question in this conversation". A thread opened on an answer points at it, as a reply does."""
    fake, _ = env
    alice, bob = next(_users), next(_users)
    thread = await fake.open_thread(await _answer_message(fake, "why did alibaba ban claude code?", alice), user_id=bob)
    said = await _said(fake, await fake.mention("when?", user_id=bob, channel_id=thread))
    assert "July 10" in said and "no earlier question" not in said, said


@pytest.mark.parametrize("slash", [False, True])
async def test_a_thread_opened_on_an_answer_reads_its_story_not_the_openers_own(env, slash):
    """Carol asks how many jobs GM will cut (by `/ask`); Alice, who asked about the Claude Code ban
    in the channel, opens a thread on Carol's answer and asks "when?" (by a mention, or by `/ask`):
    it was read in Alice's own ban story and answered "July 10", an answer about another article
    than the one the thread is about. It is read on from the GM answer."""
    fake, _ = env
    alice, carol = next(_users), next(_users)
    await _said(fake, await fake.mention("why did alibaba ban claude code?", user_id=alice))
    thread = await fake.open_thread(await _answer_message(fake, "how many jobs will GM cut?", carol, slash=True))
    if slash:
        inter = await fake.slash("ask", question="when?", user_id=alice, thread=thread)
        said = embed_text((await fake.wait_final(inter)).body)
    else:
        said = await _said(fake, await fake.mention("when?", user_id=alice, channel_id=thread))
    assert "`gm`" in said and "July 10" not in said, said


@pytest.mark.parametrize("slash", [False, True])
async def test_when_after_ten_minutes_of_silence_is_told_the_conversation_was_forgotten(env, slash):
    """Alice asks about the ban, answers the door, and eleven minutes later asks "when?": she was
    told "there is no earlier question in this conversation", though she had asked one here; the
    bot forgets a conversation after ten minutes of silence, and did not say so. It now does."""
    fake, bot = env
    user, now = next(_users), [5_000.0]
    saved, bot.conversations.clock = bot.conversations.clock, lambda: now[0]
    try:
        await _said(fake, await fake.mention("why did alibaba ban claude code?", user_id=user))
        now[0] += 9 * 60
        assert "July 10" in await _said(fake, await fake.mention("when?", user_id=user))  # still remembered
        now[0] += 10 * 60 + 1
        bot.ask_cooldowns.bucket(user).reset()  # three questions: not a test of the cooldown
        if slash:
            final = await fake.wait_final(await fake.slash("ask", question="when?", user_id=user))
            said = embed_text(final.message_payload or {})
        else:
            said = await _said(fake, await fake.mention("when?", user_id=user))
        assert "forgotten after 10 minutes of silence" in said and "whole question" in said, said
        never = await _said(fake, await fake.mention("when?", user_id=next(_users)))  # one who never asked
        assert "no earlier question" in never and "forgotten" not in never, never
    finally:
        bot.conversations.clock = saved


async def test_a_too_short_message_in_a_dm_is_not_told_to_mention_the_bot(env):
    """ "hi" in a DM was told "e.g. `@Verbatim when does the ban take effect?`", though in a DM every
    message is a question and no mention is needed; in a channel the example keeps the mention."""
    fake, _ = env
    in_dm = await _said(fake, await fake.direct_message("hi", user_id=next(_users)))
    assert "Ask me a question" in in_dm and "`when does the ban take effect?`" in in_dm and "@" not in in_dm, in_dm
    in_channel = await _said(fake, await fake.mention("hi", user_id=next(_users)))
    assert "`@Verbatim when does the ban take effect?`" in in_channel, in_channel
