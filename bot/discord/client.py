"""The Discord front end: the client, its command tree, mention answers, errors, `run_bot`.

Layout (after discord.py's `examples/app_commands/`):

* `VerbatimBot` is a `discord.Client` with an `app_commands.CommandTree`; commands live in
  `bot/discord/commands/` (ask, browse, admin), buttons in `bot/discord/views.py`, and every
  piece of Discord text is made by `bot/discord/embeds.py`.
* Commands are synced in `setup_hook`: to `DEV_GUILD_ID` when it is set (instant), globally
  otherwise (Discord may take a while to show them). Never in `on_ready`.
* The corpus is opened off the event loop after login (so a bad token fails in a second, not
  after an index build) and every search runs in a thread of its own pool (`searching`), so the
  gateway heartbeat never waits for BM25, and quick look-ups ("More context", `/source`) never
  wait in the loop's default threads behind a busy hour's searches. The entity index, the timeline and the suggestions are
  saved with the index: nothing is prepared in the background after a start or a reindex.
* One `tree.on_error` turns every failure into a polite ephemeral message and logs the
  traceback; the bot keeps running.
* `AllowedMentions.none()` on the client: nothing the bot sends can ping anyone.
* SIGTERM (what platforms send before stopping a worker) is a graceful shutdown: new commands
  and mentions get a polite "restarting, try again in a moment", the commands and mentions
  already running get up to `SHUTDOWN_GRACE` seconds to finish (a reindex included, so the
  index is never left half-written), then the client closes and `run_bot` returns 0.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import re
import signal
import socket
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import discord
from discord import app_commands

from bot import feeds as bot_feeds
from bot.discord import embeds as fmt
from bot.discord.asking import (
    CANNOT_POST,
    FAILED,
    FILES_NOT_READ,
    AskCooldowns,
    Quoted,
    answer_asker,
    answer_reply,
    instead_of_answer,
    may_embed,
    may_post,
    may_reply,
    quoted_in,
    slow_down,
    thread_origin,
    thread_start,
)
from bot.discord.commands import register
from bot.discord.commands.checks import NotAdmin
from bot.discord.conversations import Conversations
from bot.discord.views import ContextButton, NewTopicButton, StalePageButton, quoted_sentence
from bot.feed_worker import FeedWorker, WorkerSetup
from bot.rules import MAX_QUESTION, MIN_QUESTION, RuleError
from bot.settings import Settings
from bot.wording import os_error_words
from index.corpus import Corpus, feeds

log = logging.getLogger("verbatim.discord")


def prepared(corpus: Corpus) -> Corpus:
    """`corpus` with its entity index, timeline and suggestions assembled (after an incremental
    change they are built on first use): autocomplete reads them on the event loop, so a fresh
    corpus is swapped in only once they are ready, in the thread that made it.
    """
    corpus.prepare_layers()
    return corpus


T = TypeVar("T")

SHUTDOWN_GRACE = 15.0  # seconds in-flight work may take after SIGTERM: the process is gone within 20
RESTARTING = "Verbatim is restarting: please try again in a moment."
UNREAD_ROLE_MENTION = (  # a mention of the bot's role whose text Discord did not send
    "I could not read that message: mention me as the user {name} (not the role of the same name), or use `/ask`."
)
FEED_TICK = 60.0  # seconds between two looks at which feeds are due (each feed has its own interval)
INDEX_TICK = 2.0  # seconds between two looks for an index another process committed (a CLI's ingest)
SEARCH_THREADS = min(32, (os.cpu_count() or 1) + 4)  # as many as asyncio's default executor has


_WRITTEN = (discord.MessageType.default, discord.MessageType.reply)  # a user's own message, not a system notice
# Discord's codes for an interaction it no longer takes a response to: nothing can reach the user.
GONE_INTERACTIONS = {
    10062: "expired before it was acknowledged (Discord allows 3 s)",
    40060: "was already acknowledged (another process running with the same token?)",
    50027: "outlived its token (Discord takes a reply for 15 minutes; the work itself was done)",
}


def question_deleted(error: Exception) -> bool:
    """Whether Discord refused a reply because the message replied to is gone (its author deleted
    it before the answer): 400 50035 on `message_reference`, or 10008 Unknown Message.
    """
    if not isinstance(error, discord.HTTPException):
        return False
    return error.code == 10008 or (error.code == 50035 and "message_reference" in error.text)


_AUTOCOMPLETE_FAILED = "Ignoring exception in autocomplete"  # discord.py's own line: no hook runs first


class GoneSuggestions(logging.Filter):
    """discord.py answers a suggestion (autocomplete) itself, after our callback returns, and logs
    a refusal as an ERROR with a traceback. A refusal for an interaction Discord no longer takes
    (a member typing fast on a busy bot; a second process with the same token, which answered
    first) reaches no one: it is made one warning line, as a refused command or button is.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Always True (the record is kept); a gone interaction's record is rewritten first."""
        error = record.exc_info[1] if record.exc_info else None
        gone = GONE_INTERACTIONS.get(error.code) if isinstance(error, discord.HTTPException) else None
        args = record.args if isinstance(record.args, tuple) else ()
        if gone is not None and str(record.msg).startswith(_AUTOCOMPLETE_FAILED) and len(args) == 3:
            command, guild, user = args
            record.msg = "suggestions for /%s (user %s, guild %s) not answered: the interaction %s"
            record.args = (command, user, guild, gone)
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text = None, None
        return True


_GONE_SUGGESTIONS = GoneSuggestions()


class ShuttingDown(app_commands.CheckFailure):
    """Raised for commands that arrive after SIGTERM; answered with RESTARTING."""


class VerbatimBot(discord.Client):
    """The Verbatim Discord client.

    `corpus` may be given (tests, benchmarks); otherwise it is opened from the settings in
    `setup_hook`, off the event loop.
    """

    def __init__(self, settings: Settings, corpus: Corpus | None = None) -> None:
        intents = discord.Intents.default()  # no privileged intent: mentions carry their content
        super().__init__(intents=intents, allowed_mentions=discord.AllowedMentions.none())
        self.settings = settings
        self.corpus: Corpus = corpus  # type: ignore[assignment]  # set in setup_hook when None
        self.reindex_lock = asyncio.Lock()
        self.tree = app_commands.CommandTree(self)
        self.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]
        self.tree.interaction_check = self._admit  # type: ignore[method-assign]
        self.shutting_down = False
        self._inflight: set[asyncio.Task[Any]] = set()
        self._shutdown_task: asyncio.Task[None] | None = None
        self.ask_cooldowns = AskCooldowns(settings.discord)  # /ask and mentions together
        self.conversations = Conversations()  # one per (user, channel), see bot.discord.conversations
        self.live_pagers: set[str] = set()  # keys of the timeline pagers listening (views.TimelinePager)
        self._stopping = asyncio.Event()
        self.builders: set[threading.Thread] = set()  # index builds in flight (daemon threads)
        self.feed_tick = FEED_TICK  # seconds between two looks at which feeds are due
        self.index_tick = INDEX_TICK  # seconds between two looks for another writer's index
        self._unusable_index: Path | None = None  # another writer's generation that failed to load
        self._feed_lock = asyncio.Lock()  # one poll at a time
        self._feeds_problem: str | None = None  # what is wrong with .feeds.json, said once
        self._feed_tasks: set[asyncio.Task[Any]] = set()
        self._feed_worker: FeedWorker | None = None  # its process keeps robots.txt and host spacing
        # Questions are searched here, not in the loop's default threads: those serve the quick
        # look-ups of buttons and commands (and aiohttp's DNS), which answer within Discord's 3 s.
        self._searches = ThreadPoolExecutor(SEARCH_THREADS, thread_name_prefix="verbatim-search")
        register(self.tree)
        tree_log = logging.getLogger("discord.app_commands.tree")
        if _GONE_SUGGESTIONS not in tree_log.filters:
            tree_log.addFilter(_GONE_SUGGESTIONS)

    # ------------------------------------------------------------------ startup
    async def setup_hook(self) -> None:
        """Open the index (a build may take minutes), then sync the commands; a SIGTERM
        meanwhile ends the start-up quietly (the build is abandoned, the old index stays).
        """
        if self.corpus is None:
            cs = self.settings.corpus
            log.info("opening the index for %s (building it if needed)", cs.seeds_dir)
            opening = asyncio.ensure_future(
                self.in_builder_thread(
                    lambda: prepared(Corpus.open(cs.seeds_dir, cs.index_dir, day_first=cs.date_day_first))
                )
            )
            stopping = asyncio.ensure_future(self._stopping.wait())
            await asyncio.wait({opening, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if not opening.done():
                opening.cancel()
                log.info("shutting down before the index was ready")
                return
            self.corpus = opening.result()
        if self.shutting_down:
            return
        stats = self.corpus.stats()
        log.info("index ready: %s articles, %s sentences", stats["articles"], stats["passages"])
        self.add_dynamic_items(ContextButton, NewTopicButton, StalePageButton)
        self._start_feed_polling()
        self._keep(asyncio.create_task(self._index_loop(), name="verbatim-index"))
        try:
            await self._sync_commands()
        except Exception:
            if not self.shutting_down:
                raise
            log.info("shutting down before the commands were synced")  # the session is closed: not an error

    async def _sync_commands(self) -> None:
        guild_id = self.settings.discord.dev_guild_id
        if guild_id:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to the dev guild %s", len(synced), guild_id)
        else:
            synced = await self.tree.sync()
            log.info("synced %d global commands (Discord may take a while to show them)", len(synced))

    async def in_builder_thread(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a long build (the index, the timeline, the entities) in a daemon thread.

        Not in the loop's default executor: `asyncio.run` and the interpreter wait for those
        threads at exit, so a SIGTERM during a build of several minutes would outlast the
        platform's kill. A daemon thread is abandoned at exit; index writes are atomic, so the
        old index stays in place.
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()

        def settle(ok: bool, value: Any) -> None:
            if not future.done():
                future.set_result(value) if ok else future.set_exception(value)

        def run() -> None:
            try:
                outcome: tuple[bool, Any] = (True, fn(*args, **kwargs))
            except BaseException as exc:  # handed to the awaiting task
                outcome = (False, exc)
            try:
                loop.call_soon_threadsafe(settle, *outcome)
            except RuntimeError:  # the loop is closed: the bot is shutting down
                pass

        thread = threading.Thread(target=run, name=f"verbatim-build-{getattr(fn, '__name__', 'job')}", daemon=True)
        self.builders = {t for t in self.builders if t.is_alive()} | {thread}
        thread.start()
        return await future

    async def on_ready(self) -> None:
        """Log who we are once connected (nothing else: on_ready runs again after reconnects)."""
        log.info("logged in as %s (id %s) in %d servers", self.user, getattr(self.user, "id", "?"), len(self.guilds))

    # ------------------------------------------------------------------ shared helpers
    def is_admin(self, interaction: discord.Interaction) -> bool:
        """Manage Server permission in this server, or listed in ADMIN_IDS."""
        if interaction.user.id in self.settings.discord.admin_ids:
            return True
        perms = interaction.permissions
        return bool(perms.manage_guild or perms.administrator) and interaction.guild_id is not None

    async def ask(
        self,
        question: str,
        count: int | None = None,
        topic: tuple[int, int] | None = None,
        starts_from: tuple[int, int] | None = None,
        replying: bool = False,
        quoted: Quoted | None = None,
    ) -> Any:
        """Run a search off the event loop (the corpus is swapped, never mutated, by reindex);
        with `topic` (user id, channel id), in that user's conversation in that channel, which
        goes on from the conversation `starts_from` when they have none, or in any case when
        `replying` to its answer (`Conversations.get`), and from the answer of the passages
        `quoted` when one was replied to (`Conversation.read_on_from`).
        """
        k = count or self.settings.corpus.answer_count
        if topic is None:
            return await self.searching(self.corpus.answer, question, k)
        if starts_from is None:
            conversation = self.conversations.get(self.corpus, *topic)
        else:  # a copy of another conversation waits for its question: off the loop
            conversation = await self.searching(
                self.conversations.get, self.corpus, *topic, starts_from=starts_from, replying=replying
            )
        corpus = self.corpus

        def read_on() -> Any:
            sentence = quoted_sentence(corpus, quoted.pids, quoted.check) if quoted is not None else None
            if quoted is not None and sentence is not None:  # the answer replied to, whatever came since
                conversation.read_on_from(*sentence, quoted.question)
            return conversation.ask(question, k)

        return await self.searching(read_on)

    async def searching(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`fn` in a thread of the searches' own pool (see `__init__`)."""
        return await asyncio.get_running_loop().run_in_executor(self._searches, functools.partial(fn, *args, **kwargs))

    async def swap(self, fresh: Corpus) -> None:
        """Swap `fresh` in and carry every conversation over to it, so that a follow-up after an
        ingest or a feed poll is still read in its story and no conversation keeps the old index
        alive. The caller holds `reindex_lock`: swaps and moves stay in order.
        """
        self.corpus = fresh
        await asyncio.to_thread(self.conversations.move_to, fresh)

    async def reindex(self, on_wait: Callable[[], None] | None = None) -> dict[str, Any]:
        """Re-read the seeds and swap the new corpus in; one reindex at a time. `on_wait` is
        called (in the builder thread) when another writer, a CLI's `index build`, holds the
        index first, so the admin is told why nothing happens yet.
        """
        async with self.reindex_lock:
            started = time.perf_counter()
            fresh = await self.in_builder_thread(lambda: prepared(self.corpus.reindex(on_wait=on_wait)))
            await self.swap(fresh)
            stats = dict(fresh.stats())
            stats["seconds"] = time.perf_counter() - started
            log.info(
                "reindexed: %s articles, %s sentences in %.1fs", stats["articles"], stats["passages"], stats["seconds"]
            )
            return stats

    async def _index_loop(self) -> None:
        """Every `index_tick` seconds, swap in the index another process committed (a CLI's
        `ingest`, `remove` or `index build` while the bot runs), so what the desk changed from the
        terminal is answered without a `/reindex`.
        """
        await self._every(lambda: self.index_tick, self.catch_up, "looking for a newer index failed")

    async def catch_up(self) -> bool:
        """Swap in the index another writer committed since ours, if any: loaded (never built)
        and prepared off the loop, then swapped under `reindex_lock` unless a change of the bot's
        own came first (it swaps the latest in itself). True when it swapped.
        """
        if self.reindex_lock.locked():
            return False
        current = self.corpus
        fresh = await asyncio.to_thread(current.newer, self._unusable_index)
        if fresh is None:
            return False
        try:
            fresh = await self.in_builder_thread(prepared, fresh)
        except Exception as exc:  # a saved layer unreadable (IndexCorrupt), a file gone: never fatal
            self._unusable_index = fresh.saved.path  # said once; the next commit is looked at again
            log.warning("the index another process committed cannot be read (%s); answering from ours", exc)
            return False
        async with self.reindex_lock:
            if self.corpus is not current:
                return False
            await self.swap(fresh)
        stats = fresh.stats()
        log.info(
            "index changed by another process: now %s articles, %s sentences", stats["articles"], stats["passages"]
        )
        return True

    # ------------------------------------------------------------------ feeds
    def _start_feed_polling(self) -> None:
        """Poll the followed feeds in the background, each on its own schedule."""
        self._keep(asyncio.create_task(self._feed_loop(), name="verbatim-feeds"))

    def _keep(self, task: asyncio.Task[Any]) -> None:
        self._feed_tasks.add(task)
        task.add_done_callback(self._feed_tasks.discard)

    async def _feed_loop(self) -> None:
        """Every `feed_tick` seconds, poll the feeds that are due."""
        await self._every(lambda: self.feed_tick, lambda: self.poll_feeds(only_due=True), "feed poll failed")

    async def _every(self, tick: Callable[[], float], step: Callable[[], Awaitable[object]], failed: str) -> None:
        """Run `step` every `tick()` seconds; a failure is logged (`failed`), never fatal.

        Ends when the bot stops (a shutdown or `close`): the stop event, not a cancellation, is
        what ends it (Python 3.11's `wait_for` can swallow a cancellation that meets its result).
        """
        while not self._stopping.is_set() and not self.shutting_down:
            try:
                await step()
            except Exception:
                log.exception(failed)
            try:
                await asyncio.wait_for(self._stopping.wait(), tick())
            except TimeoutError:
                pass

    def poll_soon(self, urls: list[str] | None = None) -> None:
        """Poll these feeds (all when None) now, in the background (after `/follow`)."""
        self._keep(asyncio.create_task(self.poll_feeds(only_due=False, urls=urls)))

    async def poll_feeds(self, *, only_due: bool, urls: list[str] | None = None) -> feeds.Poll:
        """One poll, feed by feed: fetch and extract in the feed worker's process, store and
        index there in batches (`bot_feeds.batch_ready`) under the reindex lock (as /reindex),
        swap each committed corpus in, record each batch's feeds, announce what is new.
        """
        path = bot_feeds.feeds_path(self.settings)
        if not path.exists():  # no feed was ever followed: no thread, no worker
            return feeds.Poll(feeds.now_iso())
        async with self._feed_lock:
            worker = self.feed_worker()
            poll = feeds.Poll(feeds.now_iso())
            try:
                due = await asyncio.to_thread(feeds.due_urls, path, only_due=only_due, urls=urls)
            except ValueError as exc:  # the file, edited by hand, is broken: said once, not each look
                if str(exc) != self._feeds_problem:
                    log.warning("feeds: not polled: %s", exc)
                self._feeds_problem = str(exc)
                return poll
            self._feeds_problem = None
            waiting = feeds.Poll(poll.started)
            for n, url in enumerate(due, 1):
                found = await self.in_builder_thread(worker.poll, [url])
                poll.feeds.extend(found.feeds)
                waiting.feeds.extend(found.feeds)
                if bot_feeds.batch_ready(waiting, last=n == len(due)):
                    await self._store_feed_batch(path, waiting)
                    waiting = feeds.Poll(poll.started)
        for line in bot_feeds.poll_lines(poll):
            log.info("feeds: %s", line)
        if poll.new:
            await self.announce(poll)
        return poll

    def feed_worker(self) -> FeedWorker:
        """The feed worker (its process starts on its first request, off the event loop)."""
        if self._feed_worker is None:
            cs, fs = self.settings.corpus, self.settings.feeds
            self._feed_worker = FeedWorker(
                WorkerSetup(
                    cs.seeds_dir,
                    cs.index_dir,
                    day_first=cs.date_day_first,
                    allow_private=fs.feeds_allow_private,
                    timeout=fs.feeds_timeout,
                    host_spacing=fs.feeds_host_spacing,
                    log_level=logging.getLogger().getEffectiveLevel(),
                )
            )
        return self._feed_worker

    async def _store_feed_batch(self, path: Path, batch: feeds.Poll) -> None:
        """Store a batch's stories in the worker, swap the committed corpus in, record the feeds."""
        bot_feeds.once_each(batch)
        if batch.stories:
            worker = self.feed_worker()

            def store() -> Corpus:
                stored = worker.store(batch.stories)
                bot_feeds.check_stored(stored.refused, stored.failed, stored.reindex_problem)
                return prepared(self.corpus.reindex())  # opens what the worker committed

            try:
                async with self.reindex_lock:
                    await self.swap(await self.in_builder_thread(store))
            except (OSError, ValueError) as exc:
                log.warning("feeds: could not store %d stories: %s", len(batch.stories), exc)
                await asyncio.to_thread(feeds.record_poll, path, batch, stored=False, failure=str(exc))
                return
        await asyncio.to_thread(feeds.record_poll, path, batch)

    async def announce(self, poll: feeds.Poll) -> None:
        """Post the poll's new stories in ANNOUNCE_CHANNEL_ID (when set): one embed, no pings."""
        channel_id = self.settings.discord.announce_channel_id
        if not channel_id:
            return
        stories = [(s.title, s.url, found.title) for found in poll.feeds for s in found.stories if not s.replaces]
        try:
            channel = self.get_channel(channel_id) or await self.fetch_channel(channel_id)
            shown: dict[str, Any] = (  # where embeds are dropped, the stories written in the text
                {"embed": fmt.announcement_embed(stories, len(poll.replaced))}
                if may_embed(channel)
                else {"content": fmt.announcement_text(stories, len(poll.replaced))}
            )
            await channel.send(**shown, allowed_mentions=discord.AllowedMentions.none())  # type: ignore[union-attr]
        except (discord.HTTPException, AttributeError) as exc:
            log.warning("feeds: could not announce in channel %s: %s", channel_id, exc)

    async def close(self) -> None:
        """Stop the feed polling, then close the client."""
        self._stopping.set()
        for task in list(self._feed_tasks):
            task.cancel()
        if self._feed_worker is not None:
            self._feed_worker.close()
        self._searches.shutdown(wait=False, cancel_futures=True)  # a search under way ends by itself
        await super().close()

    # ------------------------------------------------------------------ graceful shutdown
    def _take_work(self) -> bool:
        """False once shutting down; otherwise the current task (a command, a click or a
        mention) counts as in-flight work, which a shutdown waits for, until it ends.
        """
        if self.shutting_down:
            return False
        task = asyncio.current_task()
        if task is not None and task not in self._inflight:
            self._inflight.add(task)
            task.add_done_callback(self._inflight.discard)
        return True

    async def _admit(self, interaction: discord.Interaction) -> bool:
        """The tree's interaction check: refuse new commands once shutting down, track the rest."""
        if interaction.type is not discord.InteractionType.autocomplete and not self._take_work():
            raise ShuttingDown()
        return True

    async def admit_click(self, interaction: discord.Interaction) -> bool:
        """The same rule for buttons: once shutting down, a click is told to retry."""
        if not self._take_work():
            await interaction.response.send_message(RESTARTING, ephemeral=True)
            return False
        return True

    def begin_shutdown(self, grace: float = SHUTDOWN_GRACE) -> asyncio.Task[None]:
        """Start a graceful shutdown (idempotent); the returned task closes the client."""
        if self._shutdown_task is None:
            log.info("shutting down: finishing %d commands in flight (up to %.0f s)", len(self._inflight), grace)
            self.shutting_down = True
            self._stopping.set()
            self._shutdown_task = asyncio.create_task(self._graceful_close(grace))
        return self._shutdown_task

    async def _graceful_close(self, grace: float) -> None:
        deadline = time.monotonic() + grace
        pending = {t for t in self._inflight if not t.done()}
        if pending:
            done, still = await asyncio.wait(pending, timeout=grace)
            if still:
                log.warning("%d commands still running after %.0f s; closing anyway", len(still), grace)
        # A reindex started by anything else (it swaps the index atomically) is waited for too.
        try:
            await asyncio.wait_for(self.reindex_lock.acquire(), max(0.0, deadline - time.monotonic()))
            self.reindex_lock.release()
        except TimeoutError:
            log.warning("a reindex is still running; closing anyway (the old index stays in place)")
        await self.close()
        log.info("closed cleanly")

    # ------------------------------------------------------------------ mentions
    async def on_message(self, message: discord.Message) -> None:
        """`@Verbatim when does the ban take effect?` gets a reply with the answer.

        Works without the privileged message-content intent: Discord always sends the content
        of messages that mention the bot, and of direct messages, each of which is a question
        (no mention needed there). A mention of the bot's own role (Discord's mention menu
        offers it under the bot's name) counts too; if its text did not come with it, the reply
        says how to ask instead of reading an empty question. A reply to one of the bot's
        messages with the ping on is a mention too (a follow-up to an answer, say). A message
        with files is told that they are not read (`FILES_NOT_READ`), not searched.
        """
        me = self.user
        if me is None or message.author.bot:
            return
        role = message.guild.self_role if message.guild else None
        by_role = role is not None and role in message.role_mentions
        # A reply to the bot with the ping on mentions it without `<@bot>` in the text.
        by_reply = message.reference is not None and any(user.id == me.id for user in message.mentions)
        # A direct message is addressed to the bot: nobody else is there (a bot is in no group
        # DM). Only what the user wrote: not a pin's or a call's notice (system messages).
        in_dm = isinstance(message.channel, discord.DMChannel) and message.type in _WRITTEN
        if not in_dm and not by_role and not by_reply and me.id not in message.raw_mentions:
            return
        if by_role and not message.content:
            await self._respond(message, UNREAD_ROLE_MENTION.format(name=me.name))
            return
        marks = rf"<@!?{me.id}>" + (rf"|<@&{role.id}>" if role is not None else "")
        question = " ".join(re.sub(marks, " ", message.content).split())
        if not self._take_work():
            try:
                await self._respond(message, RESTARTING)
            except discord.HTTPException:
                pass
            return
        try:
            retry = self.ask_cooldowns.retry_after(message.author.id)
            if not may_post(message):  # nothing can be said there (a moderator's overwrite, say)
                if not retry:
                    await self._cannot_post(message)
                return
            if retry:  # told once a wait: one reply each would flood the channel
                if self.ask_cooldowns.first_refusal(message.author.id, retry):
                    await self._respond(message, slow_down(retry))
                return
            if message.attachments:  # never read: the words would be answered from other articles
                await self._respond(message, FILES_NOT_READ.format(most=MAX_QUESTION))
                return
            if len(question) < MIN_QUESTION:
                mention = "" if in_dm else f"@{me.name} "  # in a DM every message is a question
                await self._respond(
                    message,
                    f"Ask me a question about the news articles, e.g. `{mention}when does the ban take effect?` "
                    "(or use `/ask`).",
                )
                return
            question, instead = instead_of_answer(question, me.name, self.corpus)
            if instead is not None:
                await self._respond(message, instead)
                return
            asker = answer_asker(message) if by_reply else None
            here = (message.author.id, message.channel.id)
            start = (asker, message.channel.id) if asker is not None else thread_start(message.channel, here[0])
            quoted = quoted_in(message) if by_reply or in_dm else None  # a DM's reply points without a ping
            if asker is None and quoted is None:  # in a thread opened on an answer, the first question reads on from it
                origin = await thread_origin(message.channel, here[0], me.id, self.conversations.holds)
                if origin is not None:
                    start, quoted = origin.starts_from, origin.quoted
            reply = await answer_reply(
                self,
                question,
                None,
                here,
                start,
                replying=asker is not None,
                embeds=may_embed(message.channel),
                quoted=quoted,
            )
            await self._respond(message, **reply.fields)
        except discord.Forbidden as exc:  # the channel's permissions changed while it searched
            log.warning("could not answer a mention in channel %s: %s", message.channel.id, exc)
        except Exception as exc:
            if question_deleted(exc):  # nobody is there to read an answer, nor an apology
                log.warning(
                    "mention %s in channel %s not answered: it was deleted first", message.id, message.channel.id
                )
                return
            log.exception("error while answering a mention in channel %s", message.channel.id)
            try:
                await self._respond(message, FAILED)
            except discord.HTTPException:
                pass

    async def _respond(self, message: discord.Message, content: str | None = None, **fields: Any) -> None:
        """Reply to `message` without pinging its author; where the bot may not read the channel's
        history (Discord then refuses a reply), send the same to the channel instead.
        """
        if may_reply(message.channel):
            await message.reply(content, mention_author=False, **fields)
        else:
            await message.channel.send(content, **fields)

    async def _cannot_post(self, message: discord.Message) -> None:
        """Tell the user in a DM that `/ask` works where the bot may not send messages (an
        interaction is answered whatever the channel allows); one log line either way.
        """
        where = message.channel.id
        try:
            await message.author.send(CANNOT_POST.format(channel=f"<#{where}>"))
        except discord.HTTPException as exc:  # the user takes no DMs from server members
            log.warning(
                "may not send messages in channel %s nor DM user %s (%s): mention unanswered",
                where,
                message.author.id,
                exc,
            )
        else:
            log.info("may not send messages in channel %s: told user %s how to ask, in a DM", where, message.author.id)

    # ------------------------------------------------------------------ errors
    async def click_failed(self, interaction: discord.Interaction, error: Exception) -> None:
        """A button whose work failed (`views.guarded`), answered as a failed command: one warning
        for an interaction Discord no longer takes, else the traceback logged and FAILED privately.
        """
        data: dict[str, Any] = dict(interaction.data or {})
        button = data.get("custom_id", "?")
        gone = GONE_INTERACTIONS.get(error.code) if isinstance(error, discord.HTTPException) else None
        if gone is not None:
            log.warning("button %s not answered: interaction %s %s", button, interaction.id, gone)
            return
        log.error("error in button %s", button, exc_info=error)
        await send_private(interaction, FAILED)

    async def on_app_command_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        """The one error handler: a friendly ephemeral message, the traceback in the log."""
        if isinstance(error, app_commands.CommandOnCooldown):
            text = slow_down(error.retry_after)
        elif isinstance(error, ShuttingDown):
            text = RESTARTING
        elif isinstance(error, NotAdmin):
            text = "Sorry, only the server's admins (Manage Server permission) or the bot's listed admins can do that."
        elif isinstance(error, app_commands.TransformerError) and isinstance(error.__cause__, RuleError):
            text = error.__cause__.message
        elif isinstance(error, app_commands.TransformerError):
            text = f"I could not understand {fmt.escape(str(error.value))!s}: {error.__cause__ or 'not a valid value'}"
        elif isinstance(error, app_commands.CheckFailure):
            text = "Sorry, you cannot use this command here."
        else:
            original = getattr(error, "original", error)
            name = interaction.command.qualified_name if interaction.command else "?"
            gone = GONE_INTERACTIONS.get(original.code) if isinstance(original, discord.HTTPException) else None
            if gone is not None:  # a second try on it would be refused too
                log.warning("/%s not answered: interaction %s %s", name, interaction.id, gone)
                return
            log.error("error in /%s", name, exc_info=original)
            text = FAILED
        await send_private(interaction, fmt.fit_message(text))


async def send_private(interaction: discord.Interaction, text: str) -> None:
    """Reply ephemerally whether or not the interaction was already acknowledged."""
    try:
        if not interaction.response.is_done():
            await interaction.response.send_message(text, ephemeral=True)
        elif interaction.response.type == discord.InteractionResponseType.deferred_channel_message:
            # The user sees "thinking…": replace it (it is private if the defer was private).
            await interaction.edit_original_response(content=text, embed=None, view=None)
        else:
            await interaction.followup.send(text, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not tell the user about an error (interaction %s)", interaction.id, exc_info=True)


# ---------------------------------------------------------------------- running
async def _serve(bot: VerbatimBot, token: str) -> None:
    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGTERM, bot.begin_shutdown)
        installed = True
    except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
        installed = False
    try:
        async with bot:
            await bot.start(token)
        if bot._shutdown_task is not None:
            await asyncio.gather(bot._shutdown_task, return_exceptions=True)
    finally:
        if installed:
            loop.remove_signal_handler(signal.SIGTERM)


def run_bot(settings: Settings) -> int:
    """Start the bot (called by `python -m bot serve`); returns the process exit code.

    A missing or rejected token is one clear line on stderr, never a traceback, and the token
    itself is never printed or logged.
    """
    secret = settings.discord.discord_token
    token = secret.get_secret_value().strip() if secret is not None else ""
    if not token:
        print("error: DISCORD_TOKEN is not set; put the bot token in .env (see .env.example)", file=sys.stderr)
        return 2
    # discord.py's handler replaces the CLI's (both on the root logger printed every line twice),
    # for the time the bot runs; the root logger is left as it was found.
    root = logging.getLogger()
    before = list(root.handlers)
    for handler in [h for h in before if h.name == "verbatim-cli"]:
        root.removeHandler(handler)
    discord.utils.setup_logging(level=logging.INFO)
    try:
        return _run(settings, token)
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
        for handler in before:
            if handler not in root.handlers:
                root.addHandler(handler)


def _run(settings: Settings, token: str) -> int:
    # Verbatim has no voice: discord.py's "PyNaCl/davey is not installed" warnings are noise.
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
    bot = VerbatimBot(settings)
    try:
        asyncio.run(_serve(bot, token))
    except discord.LoginFailure:
        print(
            "error: Discord rejected DISCORD_TOKEN (improper token); reset it in the Developer Portal and update .env",
            file=sys.stderr,
        )
        return 1
    except discord.PrivilegedIntentsRequired:
        print(
            "error: Discord refused the gateway intents; Verbatim needs no privileged intent, "
            "check that the application is not asking for one",
            file=sys.stderr,
        )
        return 1
    except discord.GatewayNotFound:
        print("error: could not reach the Discord gateway; check the network and try again", file=sys.stderr)
        return 1
    except (aiohttp.ClientError, ConnectionError, TimeoutError, socket.gaierror) as exc:
        print(
            f"error: could not reach Discord ({type(exc).__name__}); check the network and try again", file=sys.stderr
        )
        return 1
    except OSError as exc:  # not the network: the index could not be read or written
        print(f"error: could not open the index: {os_error_words(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    _abandon_builds(bot)
    return 0


def _abandon_builds(bot: VerbatimBot) -> None:
    """Exit now if an index build is still running: it may take minutes and the platform
    kills at about 30 s. Its daemon thread would die at exit anyway, but the interpreter
    first waits for a build's worker processes; the saved index is replaced atomically, so
    the old one stays in place.
    """
    if not any(thread.is_alive() for thread in bot.builders):
        return
    log.info("an index build was still running; abandoned (the saved index is unchanged)")
    for handler in logging.getLogger().handlers:
        handler.flush()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
