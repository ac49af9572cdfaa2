"""Asking on Discord, by `/ask` or by mentioning the bot: one path for both.

Both count against one per-user cooldown (`AskCooldowns`: alternating `/ask` and mentions does
not double the rate), ask in the user's conversation in that channel, and reply with what
`answer_reply` builds: the answer's embed and buttons, or the reason a question cannot be
asked. An unexpected failure is logged and answered with `FAILED` by either path. The question
itself is checked by `bot.rules.check_question`, as in the CLI and the chat.
"""

from __future__ import annotations

import asyncio
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.discord import embeds as fmt
from bot.discord.views import CONTEXT_ID, NEW_TOPIC_ID, context_view
from bot.rules import THANKED, RuleError, asks_about_the_articles, check_question, greets, says_thanks, what_is_indexed
from bot.settings_schema import DiscordSettings
from index.corpus import NO_EARLIER, Corpus, QuestionError

if TYPE_CHECKING:
    from bot.discord.client import VerbatimBot

__all__ = [
    "CANNOT_POST",
    "FAILED",
    "FILES_NOT_READ",
    "FORGOTTEN",
    "AskCooldowns",
    "Origin",
    "Quoted",
    "Reply",
    "answer_asker",
    "answer_reply",
    "ask_cooldown",
    "asker_of",
    "asks_for_help",
    "how_to_ask",
    "instead_of_answer",
    "may_embed",
    "may_post",
    "may_reply",
    "quoted_in",
    "quotes_of",
    "slow_down",
    "thread_origin",
    "thread_start",
]

FAILED = "Sorry, something went wrong on my side. It has been logged; please try again later."
MAX_TRACKED_USERS = 10_000  # cooldown buckets kept before they are all forgotten at once


HELP_WORDS = frozenset({"help", "commands"})
# The bot's own commands other than /ask, typed as text (`/about`, `!timeline entity:GM`): not run,
# and searched they were read as a follow-up. `/ask question:…` as text is answered as a question.
TYPED_COMMANDS = frozenset("about entities entity feeds follow ingest reindex remove source timeline unfollow".split())
_TYPED_COMMAND = re.compile(r"[/!](\w+)(?=[\s:]|$)")  # `/source-code …` is no command


def asks_for_help(question: str) -> bool:
    """`help`, `Help!`, `commands`, a greeting ("hello there!") or a question about the bot ("who
    are you?"): how to use the bot is asked, not the articles (a sentence holding the word "help"
    was quoted as the answer); the chat's `help` lists its commands.
    """
    return question.strip(" !?.").casefold() in HELP_WORDS or greets(question)


def typed_command(question: str) -> str | None:
    """The command a message sent as text starts with (`/about`, `!timeline …`), one of the bot's
    own but `/ask`; None for anything else.
    """
    found = _TYPED_COMMAND.match(question)
    name = found[1].casefold() if found is not None else ""
    return name if name in TYPED_COMMANDS else None


def how_to_run(command: str) -> str:
    """What a command sent as text is told."""
    return (
        f"`/{command}` is one of my commands: type `/` in the message box and pick it from the list Discord "
        "shows (sent as text it is not run). To ask about the articles, write the question in words."
    )


def how_to_ask(name: str) -> str:
    """What `@Verbatim help` or `/ask question:help` is told."""
    return (
        "I answer questions about the news articles with exact quotes from them. Ask with `/ask`, or mention me: "
        f"`@{name} when does the ban take effect?`; a follow-up such as `when?` is read in your previous "
        "questions. `/source`, `/timeline`, `/entities`, `/entity` and `/about` browse the articles."
    )


def instead_of_answer(question: str, name: str, corpus: Corpus | None = None) -> tuple[str, str | None]:
    """`question` as `check_question` reads it, and what `/ask` and a mention say in place of an
    answer when it asks nothing of the articles: the rule it breaks, how to ask (`help`), how to
    ask and what `corpus` holds ("what articles do you have?"), or THANKED (None: search).
    `name`: the bot's, for how to ask.
    """
    try:
        question = check_question(question)
    except RuleError as exc:
        return question, exc.message
    command = typed_command(question)
    if command is not None:
        return question, how_to_run(command)
    if asks_for_help(question):
        return question, how_to_ask(name)
    if asks_about_the_articles(question):
        held = f" {what_is_indexed(corpus.article_count(), len(corpus))}" if corpus is not None else ""
        return question, how_to_ask(name) + held
    if says_thanks(question):
        return question, THANKED
    return question, None


# A file sent with a mention or in a DM (an article dragged onto the bot, a screenshot, or a message
# over 2,000 characters, which Discord's client sends as `message.txt`) is never read: its words
# searched in the indexed articles were answered as if from the file ("when does this take effect?").
FILES_NOT_READ = (
    "I do not read files sent in a message, so I did not look at yours, nor answer about it. A server admin "
    "adds an article with `/ingest`; ask your question in words (up to {most} characters: Discord sends a "
    "longer message as a file)."
)


# "when?" from a member whose conversation here expired: index's NO_EARLIER says there is no earlier
# question, though they asked one (the bot forgets a conversation after ten minutes of silence).
FORGOTTEN = (
    "It follows up an earlier question, and your earlier questions here were forgotten after {minutes} minutes of "
    "silence: please ask the whole question."
)


def slow_down(retry_after: float) -> str:
    """What a user who asks too often is told, whichever way they asked: the wait rounded up to a
    tenth of a second (rounded to nearest, under 50 ms left said "try again in 0.0 s").
    """
    return f"Slow down a little: try again in {math.ceil(round(retry_after * 10, 6)) / 10:.1f} s."


class AskCooldowns:
    """`COOLDOWN_RATE` questions per `COOLDOWN_SECONDS` for each user, by `/ask` and mentions
    together (none when `COOLDOWN_SECONDS` is 0).
    """

    def __init__(self, settings: DiscordSettings, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings  # read on each use: the rate is the setting's at the time
        self.clock = clock
        self._buckets: dict[int, app_commands.Cooldown] = {}
        self._told_until: dict[int, float] = {}  # user -> the end of the wait they were told of

    def bucket(self, user_id: int) -> app_commands.Cooldown:
        """The user's bucket (made on first use)."""
        found = self._buckets.get(user_id)
        if found is None:
            if len(self._buckets) >= MAX_TRACKED_USERS:
                self._buckets.clear()
                self._told_until.clear()
            cfg = self.settings
            found = self._buckets[user_id] = app_commands.Cooldown(cfg.cooldown_rate, cfg.cooldown_seconds)
        return found

    def retry_after(self, user_id: int) -> float:
        """0 when the user may ask now (the question is counted), else the seconds to wait."""
        if self.settings.cooldown_seconds <= 0:
            return 0.0
        return self.bucket(user_id).update_rate_limit() or 0.0

    def first_refusal(self, user_id: int, retry_after: float) -> bool:
        """Whether a mention refused with `retry_after` is the first of the user's present wait:
        only that one is answered ("Slow down", in the channel for all to see); a member spamming
        mentions would otherwise have the bot flood the channel with one reply each, spending the
        channel's few messages a second that everyone's answers need. (`/ask` is told each time,
        privately.)
        """
        now = self.clock()
        if now < self._told_until.get(user_id, 0.0):
            return False
        self._told_until[user_id] = now + retry_after
        return True


def ask_cooldown() -> Callable[[Any], Any]:
    """The `/ask` check: the shared cooldown; the tree's on_error says `slow_down`."""

    def predicate(interaction: discord.Interaction) -> bool:
        cooldowns: AskCooldowns = interaction.client.ask_cooldowns  # type: ignore[attr-defined]
        retry = cooldowns.retry_after(interaction.user.id)
        if retry:
            raise app_commands.CommandOnCooldown(cooldowns.bucket(interaction.user.id), retry)
        return True

    return app_commands.check(predicate)


def _replied_to(message: discord.Message) -> discord.Message | None:
    answered = message.reference.resolved if message.reference is not None else None
    return answered if isinstance(answered, discord.Message) else None


def answer_asker(message: discord.Message) -> int | None:
    """Who asked for the answer `message` replies to: the user of its "New topic" button
    (`verbatim:new:USER:CHANNEL`), when the referenced message is one of the bot's answers.
    """
    answered = _replied_to(message)
    return asker_of(answered) if answered is not None else None


def asker_of(answered: discord.Message) -> int | None:
    """Who asked for the answer `answered` (its "New topic" button's user); None for any other message."""
    for row in answered.components:
        for item in getattr(row, "children", ()):
            found = NEW_TOPIC_ID.fullmatch(getattr(item, "custom_id", None) or "")
            if found is not None:
                return int(found["user"])
    return None


@dataclass(frozen=True, slots=True)
class Quoted:
    """What an answer replied to quoted: its "More context" button's passage ids and check, and
    the question it answered (from its title).
    """

    pids: list[int]
    check: str | None
    question: str


_ESCAPED = re.compile(r"\\(.)")


def quoted_in(message: discord.Message) -> Quoted | None:
    """What the answer `message` replies to quoted, when it answered: a reply points at that
    answer's story. None for anything else (an abstention's closest passages are no answer, a
    how-to-ask has no button).
    """
    answered = _replied_to(message)
    return quotes_of(answered) if answered is not None else None


def quotes_of(answered: discord.Message) -> Quoted | None:
    """What the answer `answered` quoted (`quoted_in`); None for an abstention or any other message."""
    title = (answered.embeds[0].title or "") if answered.embeds else answered.content.partition("\n")[0].strip("*")
    if title.startswith(fmt.ABSTAINED):
        return None
    question = _ESCAPED.sub(r"\1", title.removeprefix("\u201c").removesuffix("\u201d"))
    for row in answered.components:
        for item in getattr(row, "children", ()):
            found = CONTEXT_ID.fullmatch(getattr(item, "custom_id", None) or "")
            if found is not None:
                return Quoted([int(x) for x in found["pids"].split(",")], found["check"], question)
    return None


def _own_permissions(channel: Any) -> discord.Permissions | None:
    """The bot's permissions in `channel`; None in a DM or a channel Discord did not describe
    (its permissions unknown, not none), where everything is taken as allowed.
    """
    guild = getattr(channel, "guild", None)
    if guild is None or guild.me is None or not isinstance(channel, discord.abc.GuildChannel | discord.Thread):
        return None
    return channel.permissions_for(guild.me)


def may_embed(channel: Any) -> bool:
    """Whether the bot may show an embed in `channel`: Discord drops a bot's embeds in a channel
    where it lacks Embed Links (a reply of buttons only, an empty announcement).
    """
    allowed = _own_permissions(channel)
    return allowed is None or allowed.embed_links


def may_reply(channel: Any) -> bool:
    """Whether the bot may reply to a message in `channel`: Discord refuses a reply (a message
    referencing another) from a bot that may not read its history (403, code 160002).
    """
    allowed = _own_permissions(channel)
    return allowed is None or allowed.read_message_history


def may_post(message: discord.Message) -> bool:
    """Whether the bot may send a message where `message` was written (in a thread: Send Messages
    in Threads).
    """
    allowed = _own_permissions(message.channel)
    if allowed is None:
        return True
    return allowed.send_messages_in_threads if isinstance(message.channel, discord.Thread) else allowed.send_messages


CANNOT_POST = (
    "I may not send messages in {channel}, so I could not answer you there. Use `/ask` in that channel "
    "instead (I can answer commands anywhere), or ask me here."
)


def thread_start(channel: Any, user: int) -> tuple[int, int] | None:
    """In a thread (one opened from an answer, say), where a new conversation of `user` starts
    from: theirs in the thread's parent channel; None elsewhere.
    """
    if isinstance(channel, discord.Thread) and channel.parent_id is not None:
        return (user, channel.parent_id)
    return None


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a question in a thread opened on one of the bot's answers is read on from: the
    asker's conversation in the parent channel (`starts_from`) and the answer's quotes (`quoted`).
    """

    starts_from: tuple[int, int]
    quoted: Quoted | None


async def thread_origin(channel: Any, user: int, bot_id: int, held: Callable[[int, int], bool]) -> Origin | None:
    """A thread opened on one of the bot's answers (its first message is the answer; the thread's
    id is the answer's) is about that answer, whoever opened it: a member's first question there
    reads on from it, as a reply to it does, not from their own story in the parent channel
    (about something else, in a busy channel) nor from nothing. None elsewhere, when `held(user,
    thread)` (they already talk there), or when the answer cannot be read (one REST look-up when
    it is not cached; the parent's history may be closed to the bot).
    """
    if not isinstance(channel, discord.Thread) or channel.parent_id is None or held(user, channel.id):
        return None
    opened_on = channel.starter_message
    if opened_on is None and isinstance(channel.parent, discord.TextChannel):
        try:
            opened_on = await channel.parent.fetch_message(channel.id)
        except discord.HTTPException:
            return None
    if opened_on is None or opened_on.author.id != bot_id:
        return None
    asker, quoted = asker_of(opened_on), quotes_of(opened_on)
    if asker is None and quoted is None:  # a message of the bot that answers nothing (a timeline, say)
        return None
    return Origin((asker if asker is not None else user, channel.parent_id), quoted)


@dataclass(frozen=True, slots=True)
class Reply:
    """What to send back: `content`, or an `embed` with its `view`. `refused` when the question
    could not be asked (always private where Discord allows it); `abstained` when the articles
    do not answer it (private by default on `/ask`).
    """

    fields: dict[str, Any]
    refused: bool = False
    abstained: bool = False


async def answer_reply(
    bot: VerbatimBot,
    question: str,
    count: int | None,
    topic: tuple[int, int],
    starts_from: tuple[int, int] | None = None,
    replying: bool = False,
    embeds: bool = True,
    quoted: Quoted | None = None,
) -> Reply:
    """Ask a checked question in the conversation of `topic` (user id, channel id) and build the
    reply: the answer's embed with "More context" (for its passages, closest ones included) and
    "New topic", or the reason the question cannot be asked. `starts_from`: the conversation a
    new one of this user here goes on from (the one of the answer replied to, or the parent
    channel's for a thread); `replying`: an answer of it was replied to, so it is gone on from
    even when the user has a conversation here. `embeds` False (the bot may not embed links
    in the channel): the answer is written in the message's text (`embeds.answer_text`).
    `quoted`: the passages of the answer replied to (`quoted_in`), whose story the question is
    read on from.
    """
    expired = bot.conversations.expired(*topic)  # before asking: the question starts a new one
    try:
        answer = await bot.ask(question, count, topic=topic, starts_from=starts_from, replying=replying, quoted=quoted)
    except QuestionError as exc:
        return Reply({"content": fmt.fit_message(exc.message)}, refused=True)
    if expired and answer.reason == NO_EARLIER:  # "there is no earlier question": there was one
        answer.reason = FORGOTTEN.format(minutes=round(bot.conversations.expiry / 60))
    if embeds:
        fields: dict[str, Any] = {"embed": fmt.answer_embed(answer)}
    else:  # up to five renderings of the answer to find the quotes that fit: off the loop
        fields = {"content": await asyncio.to_thread(fmt.answer_text, answer)}
    view = context_view([h.passage for h in answer.hits], topic)
    if view is not None:
        fields["view"] = view
    return Reply(fields, abstained=answer.abstained)
