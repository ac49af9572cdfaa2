"""End to end: the real bot (real discord.py, real HTTP and websocket) against tests/fake_discord.

Nothing of the bot is mocked: the assertions are on what the bot actually sent to the fake
Discord (requests recorded with their JSON bodies and times).
"""

from __future__ import annotations

import asyncio
import itertools
import re
import shutil
from pathlib import Path

import pytest
import pytest_asyncio

from bot.discord.client import VerbatimBot, run_bot
from bot.rules import MAX_COUNT, MAX_QUESTION, MIN_COUNT, MIN_QUESTION, RuleError, check_question, parse_date
from bot.settings import Settings
from index.corpus import Corpus
from tests.fake_discord import ADMIN_ID, FakeDiscord, custom_ids, embed_text, plain, running

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(60)]

ROOT = Path(__file__).resolve().parents[3]
SENTENCE = (
    "The restriction will take effect July 10 and comes amid escalating tensions between the two "
    "companies over artificial intelligence security and intellectual property."
)
_users = itertools.count(10_000)


def new_user() -> int:
    """A fresh user id per test, so per-user cooldowns never leak between tests."""
    return next(_users)


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DATED_ARTICLE = (
    "---\ntitle: Harbour almanac\nauthor: Port Office\ndate: 2026-01-05\n---\n"
    + "\n".join(f"The harbour festival number {i + 1} opened on {MONTHS[i % 12]} {i + 1}, 2025." for i in range(14))
    + "\n"
)


GM_ARTICLE = """---
title: General Motors to cut jobs
date: 2009-03-05
url: https://example.org/gm-jobs
---
General Motors said on Tuesday that it would cut 10,000 jobs by the end of 2009.

The carmaker, known as GM, lost money in every quarter of 2008.
"""


class Harness:
    def __init__(self, fake: FakeDiscord, bot: VerbatimBot, seeds: Path) -> None:
        self.fake, self.bot, self.seeds = fake, bot, seeds


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("discord")
    seeds = tmp / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    (seeds / "harbour.md").write_text(DATED_ARTICLE, encoding="utf-8")
    (seeds / "gm.md").write_text(GM_ARTICLE, encoding="utf-8")
    fake = await FakeDiscord(heartbeat_interval_ms=500).start()
    fake.patch_client()
    settings = fake.settings(seeds, tmp / "index", cooldown_rate=3, cooldown_seconds=60)
    corpus = await asyncio.to_thread(Corpus.open, seeds, tmp / "index")
    async with running(fake, VerbatimBot(settings, corpus)) as bot:
        yield Harness(fake, bot, seeds)


# ---------------------------------------------------------------------- startup


async def test_commands_synced_to_dev_guild_in_setup_hook(env):
    fake = env.fake
    commands = fake.guild_commands[str(fake.guild_id)]
    by_name = {c["name"]: c for c in commands}
    assert set(by_name) == {
        "ask",
        "about",
        "source",
        "timeline",
        "entities",
        "entity",
        "reindex",
        "ingest",
        "remove",
        "follow",
        "unfollow",
        "feeds",
    }
    ask = {o["name"]: o for o in by_name["ask"]["options"]}
    assert ask["question"]["required"] and ask["question"]["min_length"] == 3 and ask["question"]["max_length"] == 300
    assert ask["count"]["type"] == 4 and not ask["count"].get("required")
    assert ask["private"]["type"] == 5
    assert [o["name"] for o in by_name["timeline"]["options"]] == ["entity", "from", "to", "order"]
    order = {o["name"]: o for o in by_name["timeline"]["options"]}["order"]
    assert [c["value"] for c in order["choices"]] == ["newest", "oldest"] and not order.get("required")
    assert by_name["source"]["options"][0]["autocomplete"] is True
    assert by_name["entity"]["options"][0]["autocomplete"] is True
    assert by_name["ingest"]["options"][0]["type"] == 11  # attachment
    # synced once, before READY was dispatched to on_ready, and the gateway used no privileged intent
    puts = [r for r in fake.requests if r.method == "PUT" and r.path.endswith("/commands")]
    assert len(puts) == 1 and f"/guilds/{fake.guild_id}/" in puts[0].path
    intents = fake.identifies[0]["intents"]
    assert not intents & ((1 << 1) | (1 << 8) | (1 << 15))  # members, presences, message content


# ---------------------------------------------------------------------- /ask


async def test_ask_quotes_the_sentence_with_bold_words_and_citation(env):
    fake = env.fake
    inter = await fake.slash("ask", question="When does the ban take effect?", user_id=new_user())
    ack = await fake.wait_callback(inter)
    assert ack.body["type"] == 5  # deferred first
    final = await fake.wait_final(inter)
    assert final.method == "PATCH" and final.path.endswith("/messages/@original")
    text = embed_text(final.message_payload)
    assert SENTENCE in plain(text)
    assert "**take**" in text and "**effect**" in text
    description = final.body["embeds"][0]["description"]
    # the article's only full date is a related headline's (July 2, 2026): not its own date
    assert "Kashmira Konduparty" in description and "2026-07-02" not in description
    assert re.search(r"paragraph \d+, sentence \d+", description)
    assert "000\\_e228878e0c08bf80" in description or "000_e228878e0c08bf80" in description
    assert not (final.body.get("flags") or 0) & 64  # a real answer is public
    assert any(cid.startswith("verbatim:ctx:") for cid in custom_ids(final.body))


async def test_more_context_button_shows_neighbours_ephemerally(env):
    fake = env.fake
    inter = await fake.slash("ask", question="When does the ban take effect?", user_id=new_user())
    final = await fake.wait_final(inter)
    [cid] = [c for c in custom_ids(final.body) if c.startswith("verbatim:ctx:")]
    message = fake.originals[inter["token"]]
    click = await fake.click(message, cid, user_id=new_user())
    reply = await fake.wait_final(click)
    assert reply.body["type"] == 4 and reply.body["data"]["flags"] & 64
    text = plain(embed_text(reply.body["data"]))
    assert SENTENCE in text
    assert "Alibaba has instructed employees to stop using Claude Code" in text  # the next sentence


async def test_abstention_is_private_and_says_so(env):
    fake = env.fake
    inter = await fake.slash("ask", question="Who won the football world cup in 1998?", user_id=new_user())
    final = await fake.wait_final(inter)
    assert final.method == "POST"  # ephemeral follow-up after removing the public "thinking…"
    assert final.body["flags"] & 64
    assert "do not answer" in embed_text(final.body)
    deletes = [r for r in fake.requests_for(inter) if r.method == "DELETE"]
    assert deletes and deletes[0].at <= final.at


async def test_abstention_with_closest_passages_marks_them(env):
    fake = env.fake
    inter = await fake.slash(
        "ask", question="Which security researchers praised Qwen chips yesterday?", private=True, user_id=new_user()
    )
    ack = await fake.wait_callback(inter)
    assert ack.body["data"]["flags"] & 64  # private from the start
    final = await fake.wait_final(inter)
    text = embed_text(final.body)
    assert "do not answer" in text and "do **not** answer the question" in text
    assert "**Closest 1** (not an answer)" in text


# ---------------------------------------------------------------------- conversations
SEED_CITATION = ("000\\_e228878e0c08bf80", "000_e228878e0c08bf80")


def cites_seed(final) -> bool:
    return any(c in final.body["embeds"][0]["description"] for c in SEED_CITATION)


async def _ask(fake, question: str, user: int):
    inter = await fake.slash("ask", question=question, user_id=user)
    return inter, await fake.wait_final(inter)


async def test_a_follow_up_is_answered_in_the_story_of_the_previous_turn(env):
    fake, user = env.fake, new_user()
    _, alone = await _ask(fake, "when did it open?", new_user())
    assert not cites_seed(alone)  # alone, the harbour almanac answers
    await _ask(fake, "why did alibaba ban claude code?", user)
    msg = await fake.mention("when did it open?", user_id=user)  # a mention continues the /ask conversation
    reply = await fake.wait_reply(msg)
    assert any(c in embed_text(reply.body) for c in SEED_CITATION)
    assert "follow-up" in embed_text(reply.body)
    assert f"verbatim:new:{user}:{fake.channel_id}" in custom_ids(reply.body)


async def test_a_follow_up_with_no_conversation_left_says_to_ask_the_whole_question(env):
    """Round 21 (qa21): "when?" from a user whose conversation is gone (ten minutes of silence,
    or the bot restarted mid-week: conversations live in the process) was told "The question has
    no words to search for", which reads as if "when?" were no question at all. It is now told
    that it follows up an earlier question and there is none, so to ask the whole question."""
    fake, user = env.fake, new_user()
    await _ask(fake, "why did alibaba ban claude code?", user)
    env.bot.conversations.reset(user, fake.channel_id)  # what a restart or the expiry leaves
    for asked in ("when?", "what year?"):
        _, final = await _ask(fake, asked, user)
        text = embed_text(final.message_payload or {})
        assert "no earlier question" in text and "whole question" in text and "000" not in text, text
    _, final = await _ask(fake, "?!?", new_user())  # no word at all: still "no words to search for"
    assert "no words to search for" in embed_text(final.message_payload or {})


async def test_a_reaction_of_no_words_after_an_answer_is_not_answered_from_its_story(env):
    """`@Verbatim 👍👍👍` or `/ask ?!?` after an answer has no word to search for: the reply says
    so, as it does to the same text asked first, and quotes nothing (it quoted the previous
    story again, as strong matches, read as a follow-up)."""
    fake, user = env.fake, new_user()
    await _ask(fake, "why did alibaba ban claude code?", user)
    msg = await fake.mention("👍👍👍", user_id=user)
    reply = await fake.wait_reply(msg)
    said = embed_text(reply.body)
    assert "no words to search for" in said and "follow-up" not in said and "000" not in said, said
    _, final = await _ask(fake, "?!?", user)
    text = embed_text(final.message_payload or {})
    assert "no words to search for" in text and "follow-up" not in text, text
    kept = env.bot.conversations.get(env.bot.corpus, user, fake.channel_id)  # (a fourth ask: the cooldown)
    assert [turn.question for turn in kept.turns] == ["why did alibaba ban claude code?"]


async def test_a_mention_of_only_other_mentions_after_an_answer_is_not_answered_from_its_story(env):
    """Round 22 (qa22): `@Verbatim @Alice` (the bot tagged with a colleague, to show her), or the
    bot with `@everyone`, a channel, a custom emoji or a timestamp and no words, after an answer
    quoted the previous answer again as strong matches: the markup's letters and digits
    (`<@123>`, `everyone`) made it a follow-up, though the question read without its markup had
    no word at all. Answered as alone ("no words to search for"), quoting nothing, not kept."""
    fake, user = env.fake, new_user()
    await _ask(fake, "why did alibaba ban claude code?", user)
    for text in ("<@424242>", "<@&77> <@424242>", "@everyone", "<#5>", "<:smile:123>", "<t:1700000000:R>"):
        msg = await fake.mention(text, user_id=user)
        said = embed_text((await fake.wait_reply(msg)).body)
        assert "no words to search for" in said and "Claude" not in said and "match" not in said, (text, said)
        env.bot.ask_cooldowns.bucket(user).reset()  # six questions in a row: not a test of the cooldown
    kept = env.bot.conversations.get(env.bot.corpus, user, fake.channel_id)
    assert [turn.question for turn in kept.turns] == ["why did alibaba ban claude code?"]


async def test_thanks_after_an_answer_is_not_answered_with_the_same_quotes(env):
    """Round 22 (qa22): "thanks!" replied to an answer (Discord pings the bot on a reply by
    default) or typed with a mention was read as a follow-up and the answer's quote was posted
    again as a strong match. Thanks and short acknowledgements get a short reply, quote nothing
    and are not kept in the conversation; a question holding such a word is still a question."""
    fake, user = env.fake, new_user()
    inter, _ = await _ask(fake, "why did alibaba ban claude code?", user)
    answer = fake.originals[inter["token"]]
    for text, send in (
        ("thanks!", lambda t: fake.reply_to(answer, t, user_id=user)),
        ("Thank you so much 🙏", lambda t: fake.reply_to(answer, t, user_id=user)),
        ("ok, got it", lambda t: fake.mention(t, user_id=user)),
    ):
        env.bot.ask_cooldowns.bucket(user).reset()
        said = embed_text((await fake.wait_reply(await send(text))).body)
        assert "Glad to help" in said and "Claude" not in said and "match" not in said, (text, said)
    env.bot.ask_cooldowns.bucket(user).reset()
    _, final = await _ask(fake, "thanks", user)
    assert "Glad to help" in embed_text(final.message_payload or final.body.get("data", {}))
    kept = env.bot.conversations.get(env.bot.corpus, user, fake.channel_id)
    assert [turn.question for turn in kept.turns] == ["why did alibaba ban claude code?"]
    env.bot.ask_cooldowns.bucket(user).reset()
    msg = await fake.reply_to(answer, "thanks, and when does the ban take effect?", user_id=user)
    assert "July 10" in embed_text((await fake.wait_reply(msg)).body)


async def test_new_topic_button_resets_the_conversation(env):
    fake, user = env.fake, new_user()
    inter, first = await _ask(fake, "why did alibaba ban claude code?", user)
    [cid] = [c for c in custom_ids(first.body) if c.startswith("verbatim:new:")]
    message = fake.originals[inter["token"]]
    stranger = await fake.click(message, cid, user_id=new_user())
    refused = await fake.wait_final(stranger)
    assert "Only the person who asked" in refused.body["data"]["content"]
    click = await fake.click(message, cid, user_id=user)
    reply = await fake.wait_final(click)
    assert reply.body["data"]["flags"] & 64 and "New topic" in reply.body["data"]["content"]
    _, after = await _ask(fake, "when did it open?", user)
    assert not cites_seed(after)


async def test_a_conversation_expires_after_ten_minutes_of_silence(env):
    fake, user = env.fake, new_user()
    now = [1_000.0]
    conversations = env.bot.conversations
    saved_clock, conversations.clock = conversations.clock, lambda: now[0]
    try:
        await _ask(fake, "why did alibaba ban claude code?", user)
        now[0] += 9 * 60  # nine minutes later: still the same conversation
        _, kept = await _ask(fake, "when did it open?", user)
        assert cites_seed(kept)
        now[0] += 10 * 60 + 1  # more than ten minutes of silence: a new conversation
        _, fresh = await _ask(fake, "when did it open?", user)
        assert not cites_seed(fresh)
    finally:
        conversations.clock = saved_clock


# ---------------------------------------------------------------------- mentions


async def test_mention_gets_a_reply_without_pinging(env):
    fake = env.fake
    msg = await fake.mention("when does the ban take effect?", user_id=new_user())
    reply = await fake.wait_reply(msg)
    assert SENTENCE in plain(embed_text(reply.body))
    assert reply.body["allowed_mentions"]["parse"] == []
    assert reply.body["allowed_mentions"].get("replied_user") is False


async def test_mention_with_a_too_long_question(env):
    fake = env.fake
    msg = await fake.mention("why " * 100, user_id=new_user())
    reply = await fake.wait_reply(msg)
    with pytest.raises(RuleError) as expected:  # the same rule and message as the CLI and the chat
        check_question("why " * 100)
    assert reply.body["content"] == expected.value.message


async def test_mention_without_question_explains(env):
    fake = env.fake
    msg = await fake.mention("", user_id=new_user())
    reply = await fake.wait_reply(msg)
    assert "/ask" in reply.body["content"]


@pytest.mark.parametrize("text", ["help", "Help!", "help?", "commands"])
async def test_help_by_mention_or_ask_says_how_to_ask_and_quotes_nothing(env, text):
    """A new member's first try, `@Verbatim help` (or `/ask question:help`), quoted a sentence that
    holds the word "help" as the answer, in public; the chat's `help` lists its commands."""
    fake, user = env.fake, new_user()
    reply = await fake.wait_reply(await fake.mention(text, user_id=user))
    said = embed_text(reply.body)
    assert "/ask" in said and "/timeline" in said and "> " not in said and not reply.body.get("embeds"), said
    inter = await fake.slash("ask", question=text if len(text) >= MIN_QUESTION else "help", user_id=user)
    final = await fake.wait_final(inter)
    assert "/ask" in embed_text(final.body.get("data", final.body)) and not final.body.get("embeds")
    assert (final.body.get("data") or {}).get("flags", 0) & 64  # privately: the channel sees nothing
    kept = env.bot.conversations.get(env.bot.corpus, user, fake.channel_id)
    assert not kept.turns  # nothing was asked


async def test_a_reply_to_the_bots_answer_with_the_ping_on_is_a_follow_up(env):
    """Replying to the bot's answer (the ping on, Discord's default) mentions the bot without
    `<@bot>` in the text: it was ignored, as the bot read mentions from the text only. With the
    ping off the user chose not to call the bot: still no reply."""
    fake, user = env.fake, new_user()
    first = await fake.mention("why did alibaba ban claude code?", user_id=user)
    answer = (await fake.wait_reply(first)).body
    answer_message = fake.message_payload(answer)  # the bot's message, as the user's client has it
    quiet = await fake.reply_to(answer_message, "when did it open?", user_id=user, ping=False)
    reply = await fake.reply_to(answer_message, "when did it open?", user_id=user)
    follow_up = await fake.wait_reply(reply)
    assert any(c in embed_text(follow_up.body) for c in SEED_CITATION) and "follow-up" in embed_text(follow_up.body)
    assert not fake.replies_to(quiet)


async def test_a_reply_to_someone_elses_answer_is_read_in_its_story(env):
    """Two people in one channel: Alice asks, Carol replies to the bot's answer with "when?". Carol
    was told "there is no earlier question in this conversation: please ask the whole question"
    (conversations are per person), though her reply points at the answer. A reply to an answer
    of another person's live conversation now starts the replier's own from a copy of it; the
    asker's conversation goes on unchanged, and a reply to one's own answer is as before."""
    fake, alice, carol = env.fake, new_user(), new_user()
    first = await fake.mention("why did alibaba ban claude code?", user_id=alice)
    answer_message = fake.message_payload((await fake.wait_reply(first)).body)
    turns = len(env.bot.conversations.get(env.bot.corpus, alice, fake.channel_id).turns)
    reply = await fake.wait_reply(await fake.reply_to(answer_message, "when?", user_id=carol))
    said = embed_text(reply.body)
    assert "follow-up" in said and any(c in said for c in SEED_CITATION), said
    assert len(env.bot.conversations.get(env.bot.corpus, alice, fake.channel_id).turns) == turns  # hers untouched
    assert len(env.bot.conversations.get(env.bot.corpus, carol, fake.channel_id).turns) == turns + 1
    stranger = await fake.wait_reply(await fake.mention("when?", user_id=new_user()))  # no reply, no story
    assert "no earlier question" in embed_text(stranger.body)


async def test_a_follow_up_in_a_thread_opened_from_an_answer_is_read_in_its_story(env):
    """Opening a thread on the bot's answer ("Create Thread"), then "when?" in it: the thread is another
    channel, so the asker was told there is no earlier question. A new conversation in a thread
    starts from a copy of the user's in the parent channel; the parent's goes on unchanged."""
    fake, user = env.fake, new_user()
    first = await fake.mention("why did alibaba ban claude code?", user_id=user)
    answer = await fake.wait_reply(first)
    turns = len(env.bot.conversations.get(env.bot.corpus, user, fake.channel_id).turns)
    thread = await fake.open_thread(fake.message_payload(answer.body))  # the answer, as the user's client has it
    reply = await fake.wait_reply(await fake.mention("when?", user_id=user, channel_id=thread))
    said = embed_text(reply.body)
    assert reply.path == f"/channels/{thread}/messages" and "follow-up" in said, said
    assert any(c in said for c in SEED_CITATION), said
    assert len(env.bot.conversations.get(env.bot.corpus, user, fake.channel_id).turns) == turns
    stranger = await fake.wait_reply(await fake.mention("when?", user_id=new_user(), channel_id=thread))
    assert "no earlier question" in embed_text(stranger.body)


async def test_a_direct_message_to_the_bot_is_answered_without_a_mention(env):
    """A reader who writes to the bot in a DM (its profile's "Message" button) got silence: the
    bot answered only messages that mention it, and nobody else is there to be addressed. In a
    DM every message is a question, follow-ups read in that DM's conversation; in a server a
    message that does not address the bot is still not answered."""
    fake, user = env.fake, new_user()
    first = await fake.direct_message("why did alibaba ban claude code?", user_id=user)
    answer = await fake.wait_reply(first)
    assert answer.path == f"/channels/{fake.dm_channel_id(user)}/messages"
    assert any(c in embed_text(answer.body) for c in SEED_CITATION)
    assert answer.body["allowed_mentions"]["parse"] == []
    follow_up = await fake.wait_reply(await fake.direct_message("when did it open?", user_id=user))
    assert "follow-up" in embed_text(follow_up.body) and any(c in embed_text(follow_up.body) for c in SEED_CITATION)
    thanked = await fake.wait_reply(await fake.direct_message("thanks!", user_id=user))
    assert "Glad to help" in thanked.body["content"]
    await fake.direct_message("", user_id=user, mtype=6)  # the user pinned the answer: a notice
    chatter = await fake.channel_message("why did alibaba ban claude code?", user_id=user)
    await fake.wait_reply(await fake.mention("when does the ban take effect?", user_id=new_user()))
    assert not fake.replies_to(chatter)  # the server's channel: only a message that calls the bot
    assert not [r for r in fake.requests if r.path == answer.path and r.at > thanked.at]  # nor a notice


async def test_a_mention_of_the_bots_role_is_answered_like_a_mention_of_the_bot(env):
    fake = env.fake
    msg = await fake.mention_role("when does the ban take effect?", user_id=new_user())
    reply = await fake.wait_reply(msg)
    assert SENTENCE in plain(embed_text(reply.body))
    assert reply.body["allowed_mentions"]["parse"] == []


async def test_a_role_mention_whose_text_was_withheld_says_how_to_ask(env):
    fake = env.fake
    msg = await fake.mention_role("", user_id=new_user(), content=False)
    reply = await fake.wait_reply(msg)
    assert "/ask" in reply.body["content"] and "not the role" in reply.body["content"]


# ---------------------------------------------------------------------- other commands


async def test_about(env):
    fake = env.fake
    inter = await fake.slash("about", user_id=new_user())
    final = await fake.wait_final(inter)
    fields = {f["name"]: f["value"] for f in final.body["data"]["embeds"][0]["fields"]}
    stats = env.bot.corpus.stats()
    assert fields["Articles"] == f"{stats['articles']:,}" and fields["Sentences"] == f"{stats['passages']:,}"
    assert "<t:" in fields["Last indexed"]


async def test_source_with_autocomplete(env):
    fake = env.fake
    doc_id = env.bot.corpus.articles()[0].doc_id
    auto = await fake.autocomplete("source", "doc", doc="alibaba", user_id=new_user())
    result = await fake.wait_final(auto)
    assert result.body["type"] == 8
    assert [c["value"] for c in result.body["data"]["choices"]] == [doc_id]
    inter = await fake.slash("source", doc=doc_id, sentence=2, user_id=new_user())
    final = await fake.wait_final(inter)
    embed = final.body["data"]["embeds"][0]
    assert "Alibaba" in embed["title"]
    assert SENTENCE in plain(embed["description"])
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Author"] == "Kashmira Konduparty" and "2026-07-02" not in fields.get("Date", "")


async def test_article_suggestions_always_show_the_id(env):
    """A long title (the seed's is its first sentence) is cut, never the id after it: an admin
    picking an article to remove among wire stories of one long headline must see which is which
    (the seed's choice read "Alibaba, ... coding…", its id cut off)."""
    for command, option in (("source", "doc"), ("remove", "id")):
        auto = await env.fake.autocomplete(command, option, **{option: ""}, user_id=new_user())
        choices = (await env.fake.wait_final(auto)).body["data"]["choices"]
        assert len(choices) == len(env.bot.corpus.articles())
        for choice in choices:
            assert choice["name"].endswith(f"({choice['value']})") and len(choice["name"]) <= 100, choice


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("   ", "The article id is empty; pick one from the suggestions."),
        ("\u202eharbour", "There is no article with the id `'\\u202eharbour'`; pick one from the suggestions."),
    ],
)
async def test_an_unknown_id_is_shown_as_it_was_looked_up(env, typed, said):
    """`/remove id:` of a blank id answered "There is no article with the id ``", and of a pasted
    `\u202eharbour` (the bidi mark dropped from what is shown, not from what is looked up) that
    there is no `harbour`, an article the admin can see in the suggestions."""
    fake = env.fake
    for command, option in (("source", "doc"), ("remove", "id")):
        inter = await fake.slash(command, user_id=ADMIN_ID, admin=True, **{option: typed})
        final = await fake.wait_final(inter)
        body = final.body.get("data") or final.body
        assert body["content"] == said, (command, body["content"])
    assert (env.seeds / "harbour.md").exists()


async def test_source_unknown_doc_is_a_polite_ephemeral(env):
    fake = env.fake
    inter = await fake.slash("source", doc="no-such-article", user_id=new_user())
    final = await fake.wait_final(inter)
    assert final.body["data"]["flags"] & 64 and "no article" in final.body["data"]["content"]


async def test_timeline_pages_with_buttons_newest_first(env):
    fake = env.fake
    user = new_user()
    inter = await fake.slash("timeline", user_id=user)
    final = await fake.wait_final(inter)
    embed = final.body["embeds"][0]
    assert embed["title"] == "Timeline"
    description = embed["description"]
    assert description.startswith("**10 July 2026**\n") and "Page 1 of" in embed["footer"]["text"]
    assert "**July 10**" in description  # the date words are bold in the quote
    assert "dates read from an inferred publication date" in description  # the seed article is undated
    assert not re.search(r"\d{4}-W\d|T(MO|AF|EV|NI)\b", description)  # no TIMEX codes
    buttons = [c for row in final.body["components"] for c in row["components"]]
    assert [b["label"] for b in buttons] == ["Previous", "Next"] and buttons[0]["disabled"]
    message = fake.originals[inter["token"]]
    stranger = await fake.click(message, buttons[1]["custom_id"], user_id=new_user())
    refused = await fake.wait_final(stranger)
    assert refused.body["data"]["flags"] & 64 and "Only the person who asked" in refused.body["data"]["content"]
    click = await fake.click(message, buttons[1]["custom_id"], user_id=user)
    page2 = await fake.wait_final(click)
    assert page2.body["type"] == 7 and "Page 2 of" in page2.body["data"]["embeds"][0]["footer"]["text"]


async def test_a_timeline_page_button_from_before_a_restart_gets_a_reply(env):
    """Previous/Next under a timeline the bot no longer holds (it restarted since: its pages
    were in the old process) is answered privately with what to do; it got no reply at all,
    so Discord showed "This interaction failed" after 3 s."""
    fake, user = env.fake, new_user()
    inter = await fake.slash("timeline", user_id=user)
    final = await fake.wait_final(inter)
    next_id = [c for row in final.body["components"] for c in row["components"]][1]["custom_id"]
    message = fake.originals[inter["token"]]
    store = env.bot._connection._view_store  # a restart: the process that held the pages is gone
    views = {item.view for item in store._views.get(int(message["id"]), {}).values()}
    assert views, "the pager should be listening"
    for view in views:
        view.stop()
    click = await fake.click(message, next_id, user_id=user)
    reply = await fake.wait_final(click)
    assert reply.body["data"]["flags"] & 64 and "/timeline" in reply.body["data"]["content"], reply.body
    assert len([r for r in fake.requests_for(click) if r.path.endswith("/callback")]) == 1


async def test_timeline_oldest_first_with_each_articles_title_date_and_link(env):
    fake = env.fake
    final = await fake.wait_final(await fake.slash("timeline", order="oldest", user_id=new_user()))
    description = final.body["embeds"][0]["description"]
    assert description.startswith("**2008**\n")  # GM's "in every quarter of 2008"
    first = description.split("\n\n")[0]
    assert "[General Motors to cut jobs](https://example.org/gm-jobs)" in first and "2009-03-05" in first
    assert "inferred" not in first
    assert "**1 January 2025**" in description and "*Harbour almanac*" in description


async def test_timeline_filters(env):
    fake = env.fake
    inter = await fake.slash("timeline", entity="Claude Code", user_id=new_user())
    final = await fake.wait_final(inter)
    text = plain(embed_text(final.message_payload))
    assert "Claude Code" in text and "harbour" not in text
    inter = await fake.slash("timeline", **{"from": "2025-03", "to": "2025-03"}, user_id=new_user())
    final = await fake.wait_final(inter)
    description = final.body["embeds"][0]["description"]
    assert "**3 March 2025**" in description and "January 2025" not in description and "July" not in description
    for date_from, date_to, count in (("2025", "2025", 14), ("2025-03-03", "2025-03-03", 1)):
        inter = await fake.slash("timeline", **{"from": date_from, "to": date_to}, user_id=new_user())
        embed = (await fake.wait_final(inter)).body["embeds"][0]
        assert "**3 March 2025**" in embed["description"] and "July 2026" not in embed["description"]
        assert f"· {count} event{'s' * (count != 1)} ·" in embed["footer"]["text"], (date_from, date_to)


async def test_timeline_entity_resolves_an_alias(env):
    """`entity:GM` finds the sentences about General Motors, even those that never say "GM"."""
    fake = env.fake
    final = await fake.wait_final(await fake.slash("timeline", entity="GM", user_id=new_user()))
    embed = final.body["embeds"][0]
    assert embed["title"] == "Timeline — General Motors"
    text = plain(embed["description"])
    assert "General Motors said on Tuesday that it would cut 10,000 jobs" in text
    assert "The carmaker, known as GM" in text and "harbour" not in text.lower()


async def test_timeline_rejects_a_bad_date(env):
    fake = env.fake
    inter = await fake.slash("timeline", **{"from": "July"}, user_id=new_user())
    final = await fake.wait_final(inter)
    assert final.body["data"]["flags"] & 64 and "2026-07-10" in final.body["data"]["content"]


async def test_timeline_dates_follow_the_rules_with_their_messages(env):
    fake = env.fake
    for value in ("2026-13", "July"):
        inter = await fake.slash("timeline", **{"from": value}, user_id=new_user())
        final = await fake.wait_final(inter)
        with pytest.raises(RuleError) as expected:
            parse_date(value)
        assert final.body["data"]["flags"] & 64 and final.body["data"]["content"] == expected.value.message
    inter = await fake.slash("timeline", **{"from": "2025-04", "to": "2025-03"}, user_id=new_user())
    final = await fake.wait_final(inter)
    assert final.body["data"]["flags"] & 64 and "is after the end date" in final.body["data"]["content"]
    inter = await fake.slash("timeline", **{"from": "2025", "to": "2025"}, user_id=new_user())
    final = await fake.wait_final(inter)
    assert "Page 1 of 2" in final.body["embeds"][0]["footer"]["text"]  # the 14 events of 2025


async def test_ask_limits_are_the_rules_and_a_blank_question_gets_the_rules_message(env):
    fake = env.fake
    ask = {o["name"]: o for c in fake.guild_commands[str(fake.guild_id)] if c["name"] == "ask" for o in c["options"]}
    assert (ask["question"]["min_length"], ask["question"]["max_length"]) == (MIN_QUESTION, MAX_QUESTION)
    assert (ask["count"]["min_value"], ask["count"]["max_value"]) == (MIN_COUNT, MAX_COUNT)
    inter = await fake.slash("ask", question="     ", user_id=new_user())
    final = await fake.wait_final(inter)
    with pytest.raises(RuleError) as expected:
        check_question("     ")
    assert final.body["data"]["flags"] & 64 and final.body["data"]["content"] == expected.value.message


async def test_ask_shows_match_words_and_a_short_derived_title(env):
    fake = env.fake
    inter = await fake.slash("ask", question="When does the ban take effect?", count=3, user_id=new_user())
    final = await fake.wait_final(inter)
    embed = final.body["embeds"][0]
    assert "strong match" in embed["description"] and "score" not in embed["description"]
    assert "best match first" in embed["footer"]["text"]
    description = plain(embed["description"])
    assert "Untitled (“Alibaba, the Chinese tech giant, has…”)" in description
    assert "coding assistant Claude Code in…" not in description  # the 120-character derived title


async def test_a_fresh_corpus_answers_timeline_entities_and_suggestions_at_once(env, monkeypatch):
    """Right after a start or a reindex nothing is prepared in the background any more: the
    layers were saved with the index. A fresh corpus answers with the recogniser and the
    tagger out of order (they would have run for minutes at 1M sentences)."""
    import index.names.entity_index
    import index.time.timeline

    def forbidden(*args, **kwargs):
        raise AssertionError("recomputed a saved layer")

    fake, bot = env.fake, env.bot
    real = bot.corpus
    monkeypatch.setattr(index.names.entity_index, "find_mentions", forbidden)
    monkeypatch.setattr(index.time.timeline, "tag", forbidden)
    bot.corpus = await asyncio.to_thread(Corpus.open, env.seeds, real.index_dir)
    try:
        auto = await fake.autocomplete("entity", "name", name="Alib", user_id=new_user())
        assert "Alibaba" in [c["value"] for c in (await fake.wait_final(auto, timeout=2)).body["data"]["choices"]]
        auto = await fake.autocomplete("source", "doc", doc="harb", user_id=new_user())
        assert [c["value"] for c in (await fake.wait_final(auto, timeout=2)).body["data"]["choices"]] == ["harbour"]
        for name, options in (("timeline", {}), ("entities", {}), ("entity", {"name": "Alibaba"})):
            final = await fake.wait_final(await fake.slash(name, user_id=new_user(), **options))
            assert final.body.get("embeds"), name
            assert "preparing" not in str(final.body), name
    finally:
        bot.corpus = real


async def test_entities_and_entity_with_autocomplete(env):
    fake = env.fake
    inter = await fake.slash("entities", user_id=new_user())
    final = await fake.wait_final(inter)
    assert "**Alibaba**" in final.body["embeds"][0]["description"]
    inter = await fake.slash("entities", type="PERSON", user_id=new_user())
    final = await fake.wait_final(inter)
    assert "person" in final.body["embeds"][0]["title"] and "Alibaba**" not in final.body["embeds"][0]["description"]
    auto = await fake.autocomplete("entity", "name", name="Alib", user_id=new_user())
    choices = (await fake.wait_final(auto)).body["data"]["choices"]
    assert "Alibaba" in [c["value"] for c in choices]
    inter = await fake.slash("entity", name="Alibaba", user_id=new_user())
    final = await fake.wait_final(inter)
    embed = final.body["embeds"][0]
    assert embed["title"] == "Alibaba" and "**Alibaba**" in embed["description"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Type"] == "organisation" and "Anthropic" in fields["Often mentioned with"]
    inter = await fake.slash("entity", name="Nobody Atall", user_id=new_user())
    assert "No entity called" in (await fake.wait_final(inter)).body["content"]


# ---------------------------------------------------------------------- admin


async def test_reindex_and_ingest_refused_for_non_admins(env):
    fake = env.fake
    inter = await fake.slash("reindex", user_id=new_user())
    final = await fake.wait_final(inter)
    assert final.body["data"]["flags"] & 64 and "only the server's admins" in final.body["data"]["content"]
    inter = await fake.slash("ingest", user_id=new_user(), attachments={"file": ("a.txt", b"Title\n\nSome text.")})
    final = await fake.wait_final(inter)
    assert final.body["data"]["flags"] & 64 and "only the server's admins" in final.body["data"]["content"]
    assert not any(r.path.startswith("/cdn/") for r in fake.requests)  # nothing downloaded


async def test_ingest_checks_type_and_size_before_downloading(env):
    fake = env.fake
    inter = await fake.slash("ingest", user_id=ADMIN_ID, attachments={"file": ("evil.exe", b"MZ")})
    final = await fake.wait_final(inter)
    assert final.body["data"]["flags"] & 64 and ".txt, .md or .jsonl" in final.body["data"]["content"]
    big = b"x" * (env.bot.settings.discord.max_upload_bytes + 1)
    inter = await fake.slash("ingest", user_id=new_user(), admin=True, attachments={"file": ("big.txt", big)})
    final = await fake.wait_final(inter)
    assert "the limit is" in final.body["data"]["content"]
    assert not any(r.path.startswith("/cdn/") for r in fake.requests)


# ---------------------------------------------------------------------- errors, cooldown, mentions


async def test_error_path_is_friendly_and_the_bot_keeps_running(env):
    fake, bot = env.fake, env.bot
    real = bot.corpus

    class Broken:  # the corpus misbehaves; the bot's own objects are untouched
        def __getattr__(self, name):
            return getattr(real, name)

        def answer(self, question, k=3, context=0, prior=None):
            raise RuntimeError("disk on fire")

    bot.corpus = Broken()
    try:
        inter = await fake.slash("ask", question="When does the ban take effect?", user_id=new_user())
        final = await fake.wait_final(inter)
    finally:
        bot.corpus = real
    assert final.method == "PATCH" and "something went wrong" in final.body["content"]
    assert final.body.get("embeds") == []  # replaces "thinking…", no half answer
    inter = await fake.slash("about", user_id=new_user())
    assert (await fake.wait_final(inter)).body["type"] == 4  # still running


async def test_cooldown_answers_spammers_politely(env):
    fake = env.fake
    user = new_user()
    replies = []
    for _ in range(4):  # rate is 3 per 60 s in this fixture
        inter = await fake.slash("about", user_id=user)
        replies.append(await fake.wait_final(inter))
    last = replies[-1].body["data"]
    assert last["flags"] & 64 and "Slow down" in last["content"] and re.search(r"\d+(\.\d)? s", last["content"])


async def test_ask_and_mention_share_one_reply_and_one_cooldown(env):
    fake = env.fake
    question = "Which security researchers praised Qwen chips yesterday?"  # an abstention: public by mention
    _, by_slash = await _ask(fake, question, new_user())
    by_mention = await fake.wait_reply(await fake.mention(question, user_id=new_user()))
    assert embed_text(by_mention.body) == embed_text(by_slash.body) and "do not answer" in embed_text(by_slash.body)
    assert [c.split(":")[:2] for c in custom_ids(by_mention.body)] == [
        c.split(":")[:2] for c in custom_ids(by_slash.body)
    ]  # the same buttons ("More context" for the closest passages too, "New topic")
    user = new_user()  # rate is 3 per 60 s in this fixture, /ask and mentions together
    for _ in range(2):
        await _ask(fake, "when does the ban take effect?", user)
    third = await fake.wait_reply(await fake.mention("when does the ban take effect?", user_id=user))
    assert "Slow down" not in embed_text(third.body)
    fourth = await fake.wait_reply(await fake.mention("when does the ban take effect?", user_id=user))
    assert re.fullmatch(r"Slow down a little: try again in \d+\.\d s\.", fourth.body["content"])
    _, fifth = await _ask(fake, "when does the ban take effect?", user)
    assert fifth.body["data"]["flags"] & 64 and fifth.body["data"]["content"].startswith("Slow down a little")


async def test_fifty_concurrent_asks_are_acknowledged_within_3_seconds(env):
    fake = env.fake
    beats_before = len(fake.heartbeats)
    interactions = await asyncio.gather(
        *[fake.slash("ask", question=f"When does the ban take effect? ({i})", user_id=new_user()) for i in range(50)]
    )
    acks = await asyncio.gather(*[fake.wait_callback(i, timeout=10) for i in interactions])
    for inter, ack in zip(interactions, acks, strict=True):
        assert ack.at - fake.injected_at[inter["id"]] < 3.0
    finals = await asyncio.gather(*[fake.wait_final(i, timeout=20) for i in interactions])
    assert all(SENTENCE in plain(embed_text(f.message_payload)) for f in finals)
    await asyncio.sleep(0.6)
    assert len(fake.heartbeats) > beats_before  # the gateway heartbeat kept going


async def test_no_message_can_ping_anyone(env):
    fake = env.fake
    # An article with @everyone and a role mention, asked about by mention and by /ask.
    sent = fake.sent_messages()
    assert sent
    for request, payload in sent:
        if payload.get("content") or payload.get("embeds"):
            assert payload.get("allowed_mentions", {}).get("parse") == [], (request.method, request.path)


# ---------------------------------------------------------------------- admin success (mutates the corpus: last)


async def test_ingest_by_admin_adds_the_article_and_reindexes(env):
    fake, bot = env.fake, env.bot
    article = (
        b"---\ntitle: Everyone ping test\nauthor: Mallory\ndate: 2026-07-20\n---\n"
        b"Hello @everyone and <@&123456789012345678>, the zebra parade starts at noon on Friday.\n"
    )
    articles_before = bot.corpus.stats()["articles"]
    inter = await fake.slash("ingest", user_id=ADMIN_ID, attachments={"file": ("zebra.md", article)})
    final = await fake.wait_final(inter, timeout=30)
    assert "Added" in final.body["content"], final.body
    assert (env.seeds / "zebra.md").exists()
    assert bot.corpus.stats()["articles"] == articles_before + 1
    inter = await fake.slash("ask", question="When does the zebra parade start?", user_id=new_user())
    final = await fake.wait_final(inter)
    text = embed_text(final.message_payload)
    assert "zebra" in text and "@everyone" not in text and "<@&123456789012345678>" not in text
    assert final.body["allowed_mentions"]["parse"] == []
    inter = await fake.slash("reindex", user_id=new_user(), admin=True)  # Manage Server permission
    final = await fake.wait_final(inter, timeout=30)
    assert f"Reindexed: {articles_before + 1} articles" in final.body["content"]


async def test_a_follow_up_after_an_ingest_is_still_read_in_the_previous_story(env):
    """An admin's /ingest swaps the corpus in between a question and its follow-up: the
    follow-up is still answered in the story of the previous turn (it started afresh before)."""
    fake, bot, user = env.fake, env.bot, new_user()
    await _ask(fake, "why did alibaba ban claude code?", user)
    before = bot.corpus
    ferry = b"---\ntitle: Ferry timetable\ndate: 2026-07-21\n---\nThe evening ferry to the islands sails at six.\n"
    final = await fake.wait_final(await fake_ingest(env, "ferry.md", ferry), timeout=30)
    assert "Added" in final.body["content"] and bot.corpus is not before, final.body
    msg = await fake.mention("when did it open?", user_id=user)
    reply = await fake.wait_reply(msg)
    assert any(c in embed_text(reply.body) for c in SEED_CITATION), embed_text(reply.body)
    assert "follow-up" in embed_text(reply.body)
    assert bot.conversations.get(bot.corpus, user, fake.channel_id).corpus is bot.corpus


async def test_ingest_a_file_name_as_browsers_write_it_is_added(env):
    """`report (1).md`, as a browser names a second download: spaces and brackets in the name."""
    inter = await fake_ingest(env, "harbour report (1).md", b"The harbour pilots voted on Monday to end the strike.\n")
    final = await env.fake.wait_final(inter, timeout=30)
    assert "Added 1 article (harbour\\_report\\_1)" in final.body["content"], final.body
    assert (env.seeds / "harbour_report_1.md").exists()  # a plain name, as every upload gets


async def test_ingest_whose_download_fails_says_so_and_adds_nothing(env):
    """An attachment link that no longer works (Discord's links expire) or a host that fails:
    a private reply saying the file could not be downloaded and to send it again, never the
    generic apology, and nothing saved."""
    files_before = sorted(p.name for p in env.seeds.iterdir())
    for status in (404, 500):
        inter = await env.fake.slash(
            "ingest",
            user_id=ADMIN_ID,
            attachments={"file": ("gone.md", b"Some text.\n")},
            announce={"file": {"url": f"{env.fake.base}/cdn/status/{status}/gone.md"}},
        )
        final = await env.fake.wait_final(inter, timeout=30)
        content = final.body["content"]
        assert "could not download gone.md" in content.lower() and f"HTTP {status}" in content, content
        assert "something went wrong" not in content.lower() and "send it again" in content
        assert env.fake.callback(inter).body["data"]["flags"] & 64  # a private reply
    assert sorted(p.name for p in env.seeds.iterdir()) == files_before


async def test_ingest_says_what_of_the_file_was_skipped(env):
    """A collection with a broken line, an id twice and a relative date: the admin is told what
    was skipped or guessed, not only "Added 2 articles" (those went to the bot's log alone)."""
    data = (
        b'{"id": "desk-1", "title": "Pier", "text": "The north pier reopened to walkers."}\n'
        b'{"id": broken\n'
        b'{"id": "desk-1", "title": "Pier again", "text": "A second copy of the pier story."}\n'
        b'{"id": "desk-3", "title": "Ferry", "date": "yesterday", "text": "The evening ferry returned."}\n'
    )
    final = await env.fake.wait_final(await fake_ingest(env, "desk.jsonl", data), timeout=30)
    content = plain(final.body["content"])
    assert "Added 2 articles (desk-1, desk-3)" in content, content
    assert "desk.jsonl:2: skipped, not valid JSON" in content, content
    assert "'desk-1'" in content and "more than once" in content, content
    assert "'yesterday' is relative" in content, content
    assert len(final.body["content"]) <= 2000
    broken = b"".join(b'{"id": broken %d\n' % n for n in range(200)) + b'{"id": "desk-9", "text": "The quay opened."}\n'
    final = await env.fake.wait_final(await fake_ingest(env, "many.jsonl", broken), timeout=30)
    content = plain(final.body["content"])
    assert "Added 1 article (desk-9)" in content and content.count("Warning:") == 5, content
    assert "and 195 more warnings" in content, content


async def test_a_refused_upload_is_named_once(env):
    """`/ingest` of an empty or a binary file said "Could not add empty.md: empty.md: skipped, no
    text." (the reason of the file's check names it already)."""
    final = await env.fake.wait_final(await fake_ingest(env, "empty.md", b""), timeout=30)
    assert plain(final.body["content"]) == "Could not add empty.md: skipped, no text.", final.body
    final = await env.fake.wait_final(await fake_ingest(env, "blob.md", b"PK\x03\x04\x00zip"), timeout=30)
    content = plain(final.body["content"])
    assert content.count("blob.md") == 1 and "looks like a binary file" in content, content


async def fake_ingest(env: Harness, name: str, data: bytes) -> dict:
    return await env.fake.slash("ingest", user_id=ADMIN_ID, attachments={"file": (name, data)})


# ---------------------------------------------------------------------- run_bot


async def test_run_bot_with_a_rejected_token_prints_one_line(env, capsys):
    """run_bot in its own thread and loop against the fake: 401 -> one line, exit code 1."""
    settings = Settings(seeds_dir=env.seeds, index_dir=env.seeds.parent / "index", discord_token="wrong-token")
    rc = await asyncio.to_thread(run_bot, settings)
    err = capsys.readouterr().err
    assert rc == 1
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "rejected" in lines[0]
    assert "Traceback" not in err and "wrong-token" not in err


async def test_run_bot_without_a_token():
    assert run_bot(Settings(discord_token="")) == 2
