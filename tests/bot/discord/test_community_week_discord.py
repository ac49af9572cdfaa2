"""Round 27 (qa27): a Discord community's week, through the fake Discord (real discord.py, real
HTTP and websocket): members asking, moderators uploading what they had at hand."""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
import shutil
from pathlib import Path

import pytest
import pytest_asyncio

from bot.discord import asking
from bot.discord.client import VerbatimBot
from index.corpus import Corpus
from tests.bot.test_cli_community_week import FEED, PAGE
from tests.fake_discord import FakeDiscord, embed_text, running

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(60)]

ROOT = Path(__file__).resolve().parents[3]
ADMIN_ID = 777
_users = itertools.count(95_000)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("week")
    seeds = tmp / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    fake = await FakeDiscord(heartbeat_interval_ms=500).start()
    fake.patch_client()
    settings = fake.settings(seeds, tmp / "index", cooldown_seconds=0, admin_ids=frozenset({ADMIN_ID}))
    corpus = await asyncio.to_thread(Corpus.open, seeds, tmp / "index")
    async with running(fake, VerbatimBot(settings, corpus)) as bot:
        yield fake, bot, seeds


@pytest.mark.parametrize(("name", "text", "said"), [("town.txt", FEED, "news feed"), ("pier.md", PAGE, "web page")])
async def test_ingest_of_a_feed_or_a_web_page_is_refused_saying_what_it_is(env, name, text, said):
    """A moderator's `/ingest` of an RSS feed or a saved web page renamed `.txt` or `.md` was
    "Added 1 article": its markup became sentences, and "when did the pier close?" was answered
    with `<item><title>Pier closed</title>…` under the title "<?xml version=…". It is refused
    privately with the reason (a feed: how to follow it), and nothing is stored."""
    fake, bot, seeds = env
    before = sorted(p.name for p in seeds.iterdir())
    inter = await fake.slash("ingest", user_id=ADMIN_ID, attachments={"file": (name, text.encode("utf-8"))})
    final = (await fake.wait_final(inter, timeout=30)).body
    content = final.get("data", final).get("content") or ""
    assert f"looks like a {said}" in content and "Added" not in content, content
    assert sorted(p.name for p in seeds.iterdir()) == before
    reply = await fake.wait_reply(await fake.mention("when did the pier close?", user_id=next(_users)))
    assert "&lt;" not in embed_text(reply.body) and "<item>" not in embed_text(reply.body)
    assert "Pier" not in embed_text(reply.body), embed_text(reply.body)


def _about_suggestions(record: logging.LogRecord) -> bool:
    return any(word in record.getMessage() for word in ("autocomplete", "suggestions for"))


@pytest.mark.parametrize(
    ("status", "code", "option"),
    [(404, 10062, ("source", "doc")), (400, 40060, ("entity", "name")), (400, 40060, ("unfollow", "url"))],
)
async def test_a_suggestion_discord_no_longer_takes_is_one_log_line(env, caplog, status, code, option):
    """A member typing fast in `/source doc:` (each key an autocomplete), on a busy bot or with a
    second process on the same token (a deploy's overlap: every suggestion answered twice, one
    refused with 40060): each refused suggestion was an ERROR "Ignoring exception in autocomplete"
    with a traceback (discord.py's own log line), where a refused `/ask` or button is one warning
    line (round 25). Nothing can reach the user: one warning line now, naming the command."""
    fake, _, _ = env
    caplog.set_level(logging.INFO)
    command, name = option
    fake.fail_next("POST", r"/callback$", status, {"message": "refused", "code": code})
    await fake.autocomplete(command, name, user_id=ADMIN_ID, **{name: "a"})
    for _ in range(200):
        if any(_about_suggestions(r) for r in caplog.records):
            break
        await asyncio.sleep(0.05)
    said = [r for r in caplog.records if _about_suggestions(r)]
    assert [r.levelname for r in said] == ["WARNING"] and f"/{command} " in said[0].getMessage(), caplog.records
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR], caplog.records
    again = await fake.autocomplete(command, name, user_id=ADMIN_ID, **{name: "a"})
    assert "choices" in (await fake.wait_callback(again)).body["data"]  # the next is answered as before


@pytest.mark.parametrize(("method", "path"), [("POST", r"/callback$"), ("PATCH", r"/messages/@original$")])
async def test_a_rate_limit_on_ask_is_waited_out_and_answered_once(env, method, path):
    """Discord's 429 with `retry_after` on `/ask`'s "thinking…" or on its answer: discord.py waits
    and sends it again, and the member gets the answer once. (The fake's 429 lacked Discord's
    `Via` header, which discord.py reads as Cloudflare's ban: every such test saw "error in /ask".)"""
    fake, _, _ = env
    fake.fail_next(method, path, 429, {"message": "You are being rate limited.", "retry_after": 0.3, "global": False})
    inter = await fake.slash("ask", question="when does the ban take effect?", user_id=next(_users))

    def sent(method: str, path: str) -> list:
        return [r for r in fake.requests_for(inter) if r.method == method and re.search(path, r.path)]

    await fake.wait_for(lambda: len(sent(method, path)) >= 2 and sent("PATCH", r"/messages/@original$"))
    await asyncio.sleep(0.3)
    assert len(sent(method, path)) == 2  # the one refused, and the one after the wait
    edits = sent("PATCH", r"/messages/@original$")
    assert len(edits) == (2 if method == "PATCH" else 1) and "July 10" in embed_text(edits[-1].body)


QUOKKA = (
    b"---\ntitle: Quokka census\ndate: 2026-07-20\n---\nThe quokka census counted nine hundred quokkas on Friday.\n"
)


async def test_an_answer_after_the_interactions_token_expired_is_one_log_line(env, caplog):
    """An `/ingest` whose index update outlasted the interaction's token (Discord takes edits for
    15 minutes, then refuses them: 401, code 50027 "Invalid Webhook Token"): the article was
    added, but the log had an ERROR "error in /ingest" with a traceback, and a second try to
    apologise on the same dead token, refused too. Nothing can reach the member: one warning line
    now, saying the work was done, and no second try."""
    fake, _, seeds = env
    caplog.set_level(logging.INFO)
    fake.fail_next("PATCH", r"/messages/@original$", 401, {"message": "Invalid Webhook Token", "code": 50027})
    inter = await fake.slash("ingest", user_id=ADMIN_ID, attachments={"file": ("quokka.md", QUOKKA)})
    for _ in range(200):
        if any("/ingest" in r.getMessage() for r in caplog.records):
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)
    assert (seeds / "quokka.md").exists()  # the work itself was done
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR], caplog.records
    assert [r.levelname for r in caplog.records if "/ingest" in r.getMessage()] == ["WARNING"], caplog.records
    edits = [r for r in fake.requests_for(inter) if r.method == "PATCH"]
    assert len(edits) == 1  # no second try on the dead token


async def _said(fake: FakeDiscord, text: str, *, dm: bool = False) -> str:
    """What a member sees after mentioning the bot with `text` (or sending it in a DM)."""
    user = next(_users)
    message = await (fake.direct_message(text, user_id=user) if dm else fake.mention(text, user_id=user))
    reply = (await fake.wait_reply(message)).body
    return (reply.get("content") or "") + embed_text(reply)


@pytest.mark.parametrize(
    ("text", "dm"),
    [("/about", True), ("/timeline entity:GM", True), ("/source 000_e228878e0c08bf80", False), ("!entities", False)],
)
async def test_a_command_sent_as_text_is_told_how_to_run_it(env, text, dm):
    """A member who typed `/about` as text (Discord's list of commands did not come up, or they
    pressed Enter first) got it searched as a question: "None of the indexed articles answers
    “/about”. (It follows up an earlier question, and there is no earlier question…)". A message
    that starts with one of the bot's commands after `/` or `!` is told how to run it."""
    fake, _, _ = env
    said = await _said(fake, text, dm=dm)
    command = text[1:].split()[0]
    assert f"`/{command}`" in said and "pick it from" in said and "do not answer" not in said, said


@pytest.mark.parametrize(
    "text", ["hello", "Hello there!", "good morning everyone", "hey Verbatim 👋", "who are you?", "what can you do?"]
)
async def test_a_greeting_or_a_question_about_the_bot_is_told_how_to_ask(env, text):
    """A new member's "hello" or "good morning everyone" got "None of the indexed articles answers
    “hello”. (No word of the question occurs in the articles.)", and "who are you?" "It follows up
    an earlier question…": they are told what the bot does and how to ask, as `help` is."""
    fake, _, _ = env
    said = await _said(fake, text)
    assert "I answer questions about the news articles" in said and "do not answer" not in said, said


@pytest.mark.parametrize(
    "text",
    [
        "hello, when does the ban take effect?",
        "/ask question:when does the ban take effect?",
        "/ask when does the ban take effect?",
    ],
)
async def test_a_question_after_a_greeting_or_typed_with_ask_is_answered(env, text):
    """The guard of the two tests above: a greeting with a question, and `/ask` typed as text,
    are answered as before."""
    fake, _, _ = env
    assert "July 10" in await _said(fake, text)


async def test_the_commands_told_how_to_run_are_the_bots_own(env):
    """`asking.TYPED_COMMANDS` is every command the bot registers but `/ask` (a new command is not
    forgotten), and only a command's whole name is one: `/source-code` is a question's words."""
    _, bot, _ = env
    assert asking.TYPED_COMMANDS == {c.name for c in bot.tree.get_commands()} - {"ask"}
    assert asking.typed_command("/source-code of Claude Code?") is None
    assert asking.typed_command("/Timeline entity:GM") == "timeline"
