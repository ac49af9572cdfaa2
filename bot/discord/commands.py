"""The slash commands of the Discord bot (registered on the tree by `register`).

Conversions are done by discord.py (`app_commands.Range`, the date transformers below), so
a command body only ever sees valid values; anything that goes wrong ends in the tree's one
`on_error` (see `bot/discord/client.py`). Every command that may be slow defers first and does
its CPU work in `asyncio.to_thread`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands

from bot import feeds as bot_feeds
from bot.change_wording import change_summary
from bot.discord import embeds as fmt
from bot.discord.asking import answer_reply, ask_cooldown
from bot.discord.downloads import TooLarge, read_capped
from bot.discord.views import CONTEXT_SENTENCES, TimelinePager
from bot.rules import (
    DATE_FORMATS,
    MAX_COUNT,
    MAX_QUESTION,
    MIN_COUNT,
    MIN_QUESTION,
    RuleError,
    check_date_range,
    check_question,
    parse_date,
)
from bot.wording import plural
from index.corpus import Change, Corpus, Entity, Event, feeds, storage_problem

if TYPE_CHECKING:
    from bot.discord.client import VerbatimBot

log = logging.getLogger("verbatim.discord")

UPLOAD_SUFFIXES = (".txt", ".md", ".jsonl")
ENTITIES_SHOWN = 60
ENTITY_QUOTES = 3
TIMELINE_PAGE = 10
TIMELINE_MAX_EVENTS = 1000  # pages beyond this are not worth paging through in Discord


def _bot(interaction: discord.Interaction) -> VerbatimBot:
    return interaction.client  # type: ignore[return-value]


def _cooldown(interaction: discord.Interaction) -> app_commands.Cooldown | None:
    """Per-user cooldown from the settings (`COOLDOWN_RATE` uses per `COOLDOWN_SECONDS`)."""
    cfg = _bot(interaction).settings.discord
    if cfg.cooldown_seconds <= 0:
        return None
    return app_commands.Cooldown(cfg.cooldown_rate, cfg.cooldown_seconds)


user_cooldown = app_commands.checks.dynamic_cooldown(_cooldown, key=lambda i: i.user.id)


class NotAdmin(app_commands.CheckFailure):
    """Raised by the admin check; answered with a polite refusal (see VerbatimBot.on_app_command_error)."""


def admin_only() -> Callable[[Any], Any]:
    """Manage Server permission or `ADMIN_IDS`; anyone else gets a polite refusal (NotAdmin)."""

    def predicate(interaction: discord.Interaction) -> bool:
        if _bot(interaction).is_admin(interaction):
            return True
        raise NotAdmin()

    return app_commands.check(predicate)


# ---------------------------------------------------------------------- transformers
class _DateTransformer(app_commands.Transformer):
    """`2026`, `2026-07` or `2026-07-10` (bot/rules.parse_date); `end` picks the last day of a period."""

    end = False

    async def transform(self, interaction: discord.Interaction, value: str) -> dt.date:
        """The day `value` names (the same rule as the CLI's `--from`/`--to`)."""
        return parse_date(value, end=self.end)  # a RuleError's message is shown by the tree's on_error


class DateFrom(_DateTransformer):
    """A `from` date: the first day of the period written."""

    end = False


class DateTo(_DateTransformer):
    """A `to` date: the last day of the period written."""

    end = True


# ---------------------------------------------------------------------- replies
async def _reply(interaction: discord.Interaction, *, private: bool, deferred_private: bool, **kwargs: Any) -> None:
    """Finish a deferred interaction, privately when asked even if the defer was public."""
    if private and not deferred_private:
        # A public "thinking…" cannot become private: remove it, then answer ephemerally.
        await interaction.delete_original_response()
        await interaction.followup.send(ephemeral=True, **kwargs)
    else:
        await interaction.edit_original_response(**kwargs)


# ---------------------------------------------------------------------- /ask
@app_commands.command(name="ask", description="Ask about the news articles; I answer with exact quotes.")
@app_commands.describe(
    question=f"Your question ({MIN_QUESTION} to {MAX_QUESTION} characters)",
    count=f"How many passages to quote ({MIN_COUNT} to {MAX_COUNT})",
    private="Only you see the answer (answers the articles cannot give are private anyway)",
)
@ask_cooldown()
async def ask(
    interaction: discord.Interaction,
    question: app_commands.Range[str, MIN_QUESTION, MAX_QUESTION],
    count: app_commands.Range[int, MIN_COUNT, MAX_COUNT] | None = None,
    private: bool | None = None,
) -> None:
    """Quote the best sentences for a question; answers the articles cannot give stay private."""
    try:
        question = check_question(question)  # Discord checked the length; spaces alone pass it
    except RuleError as exc:
        await interaction.response.send_message(exc.message, ephemeral=True)
        return
    deferred_private = bool(private)
    await interaction.response.defer(thinking=True, ephemeral=deferred_private)
    topic = (interaction.user.id, interaction.channel_id or 0)
    reply = await answer_reply(_bot(interaction), question, count, topic)
    make_private = reply.refused or bool(private) or (reply.abstained and private is None)
    await _reply(interaction, private=make_private, deferred_private=deferred_private, **reply.fields)


# ---------------------------------------------------------------------- /about
@app_commands.command(name="about", description="What Verbatim has indexed, and when.")
@user_cooldown
async def about(interaction: discord.Interaction) -> None:
    """What is indexed, and when."""
    stats = _bot(interaction).corpus.stats()
    await interaction.response.send_message(embed=fmt.about_embed(stats))


# ---------------------------------------------------------------------- /source
async def doc_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Articles whose id, title or a title word starts with what was typed: a bisect in the
    suggestions saved with the index (well under a millisecond), so it runs on the loop.
    """
    try:
        entries = _bot(interaction).corpus.suggest_articles(current, 25)
    except Exception:  # autocomplete must never fail loudly
        log.exception("doc autocomplete failed")
        return []
    return [
        app_commands.Choice(name=fmt.choice_name(f"{title} ({doc_id})"), value=doc_id)
        for doc_id, title in entries
        if len(doc_id) <= 100
    ]


@app_commands.command(name="source", description="An article's details and one of its sentences in context.")
@app_commands.describe(doc="The article (start typing its title or id)", sentence="Sentence number (default 1)")
@app_commands.autocomplete(doc=doc_autocomplete)
@user_cooldown
async def source(
    interaction: discord.Interaction,
    doc: str,
    sentence: app_commands.Range[int, 1, 1_000_000] | None = None,
) -> None:
    """An article's details and one of its sentences with its neighbours."""
    corpus = _bot(interaction).corpus
    try:
        article = corpus.article(doc)
    except KeyError:
        await interaction.response.send_message(
            f"There is no article with the id `{fmt.escape_code(doc)[:100]}`; pick one from the suggestions.",
            ephemeral=True,
        )
        return
    passages = await asyncio.to_thread(corpus.passages_of, doc)
    wanted = sentence or (passages[0].sentence if passages else 1)
    focus = next((p for p in passages if p.sentence == wanted), None)
    if passages and focus is None:
        last = max(p.sentence for p in passages)
        await interaction.response.send_message(
            f"That article has sentences 1 to {last}; sentence {wanted} does not exist.", ephemeral=True
        )
        return
    before, after = corpus.neighbours(focus.pid, CONTEXT_SENTENCES) if focus else ([], [])
    await interaction.response.send_message(embed=fmt.source_embed(article, passages, focus, before, after))


# ---------------------------------------------------------------------- /timeline
async def entity_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Entity names for what was typed: two bisects in the prefix tables saved with the index
    (well under a millisecond at 100,000 entities), so it runs on the loop without a thread.
    """
    try:
        names = _bot(interaction).corpus.entities().complete(current, 25)
    except Exception:  # autocomplete must never fail loudly
        log.exception("entity autocomplete failed")
        return []
    return [app_commands.Choice(name=fmt.choice_name(n), value=n) for n in names if 0 < len(n) <= 100]


def _timeline_events(
    corpus: Corpus, entity: str | None, date_from: dt.date | None, date_to: dt.date | None, order: str
) -> tuple[list[Event], int, str | None]:
    """The events to page through (at most TIMELINE_MAX_EVENTS: only those are made), how many
    match, and the entity's name as the index knows it (None when unknown).
    """
    known = corpus.entities().get(entity) if entity else None
    ids = corpus.event_ids(
        entity=entity, date_from=date_from, date_to=date_to, order="oldest" if order == "oldest" else "newest"
    )
    return corpus.events_at(ids[:TIMELINE_MAX_EVENTS]), len(ids), known.name if known else None


@app_commands.command(name="timeline", description="Dated events from the articles, newest first.")
@app_commands.rename(date_from="from", date_to="to")
@app_commands.describe(
    entity="Only events that mention this person, organisation or place (aliases too: GM)",
    date_from=f"From this date ({DATE_FORMATS})",
    date_to=f"Up to this date ({DATE_FORMATS})",
    order="Newest first (default) or oldest first",
)
@app_commands.autocomplete(entity=entity_autocomplete)
@user_cooldown
async def timeline(
    interaction: discord.Interaction,
    entity: app_commands.Range[str, 1, 100] | None = None,
    date_from: app_commands.Transform[dt.date, DateFrom] | None = None,
    date_to: app_commands.Transform[dt.date, DateTo] | None = None,
    order: Literal["newest", "oldest"] = "newest",
) -> None:
    """Dated sentences, one per event with all its dates, filtered and paged."""
    corpus = _bot(interaction).corpus
    try:
        check_date_range(date_from, date_to)
    except RuleError as exc:
        await interaction.response.send_message(exc.message, ephemeral=True)
        return
    await interaction.response.defer(thinking=True)
    events, total, known = await asyncio.to_thread(_timeline_events, corpus, entity, date_from, date_to, order)
    filters = ", ".join(
        x
        for x in (
            fmt.escape(known or entity) if entity else "",
            f"from {date_from}" if date_from else "",
            f"to {date_to}" if date_to else "",
        )
        if x
    )
    if not events:
        await interaction.edit_original_response(
            content="No dated events match" + (f" ({filters})." if filters else ".")
        )
        return
    truncated = total > len(events)
    pager = TimelinePager(events, filters, interaction.user.id, TIMELINE_PAGE)
    content = (
        (f"Showing the first {len(events)} of {total:,} events; narrow it with `entity`, `from` or `to`.")
        if truncated
        else None
    )
    if pager.pages > 1:
        pager.message = await interaction.edit_original_response(content=content, embed=pager.embed(), view=pager)
    else:
        pager.stop()
        await interaction.edit_original_response(content=content, embed=pager.embed())


# ---------------------------------------------------------------------- /entities and /entity
ENTITY_TYPES = [app_commands.Choice(name=label, value=code) for code, label in fmt.ENTITY_TYPE_LABELS.items()]


def _entities_list(corpus: Corpus, kind: str | None) -> list[Entity]:
    return list(corpus.entities().all(kind))


@app_commands.command(name="entities", description="People, organisations and places named in the articles.")
@app_commands.rename(kind="type")
@app_commands.describe(kind="Only this type")
@app_commands.choices(kind=ENTITY_TYPES)
@user_cooldown
async def entities(interaction: discord.Interaction, kind: str | None = None) -> None:
    """The most mentioned names, optionally of one type."""
    corpus = _bot(interaction).corpus
    await interaction.response.defer(thinking=True)
    found = await asyncio.to_thread(_entities_list, corpus, kind)
    await interaction.edit_original_response(embed=fmt.entities_embed(found[:ENTITIES_SHOWN], kind, len(found)))


@app_commands.command(name="entity", description="One person, organisation or place: mentions and company kept.")
@app_commands.describe(name="The name (start typing for suggestions)")
@app_commands.autocomplete(name=entity_autocomplete)
@user_cooldown
async def entity(interaction: discord.Interaction, name: app_commands.Range[str, 1, 100]) -> None:
    """One entity: its mentions quoted and the names often in the same sentences."""
    corpus = _bot(interaction).corpus
    await interaction.response.defer(thinking=True)
    details = await asyncio.to_thread(corpus.entity_details, name, ENTITY_QUOTES)
    if details is None:
        await interaction.edit_original_response(
            content=f"No entity called “{fmt.escape(name)}” in the articles; try the suggestions."
        )
        return
    await interaction.edit_original_response(embed=fmt.entity_embed(details))


# ---------------------------------------------------------------------- admin: /reindex, /ingest
@app_commands.command(name="reindex", description="(Admins) Re-read the articles folder and rebuild the index.")
@admin_only()
async def reindex(interaction: discord.Interaction) -> None:
    """Re-read the seeds folder; a storage failure keeps the current index and says why."""
    await interaction.response.defer(thinking=True, ephemeral=True)
    try:
        stats = await _bot(interaction).reindex()
    except OSError as exc:
        log.warning("/reindex failed: %s", exc)
        await interaction.edit_original_response(
            content=f"Could not rebuild the index: {storage_problem(exc)}. "
            "The bot keeps answering from the current index."
        )
        return
    await interaction.edit_original_response(
        content=f"Reindexed: {stats['articles']:,} articles, {stats['passages']:,} sentences "
        f"in {stats['seconds']:.1f} s."
    )


@app_commands.command(name="ingest", description="(Admins) Add an article file (.txt, .md or .jsonl) and reindex.")
@app_commands.describe(
    file="A .txt, .md or .jsonl file of articles",
    replace="Replace articles already indexed under the same ids (default: refuse them)",
)
@admin_only()
async def ingest(interaction: discord.Interaction, file: discord.Attachment, replace: bool = False) -> None:
    """Save an uploaded article file (never over another, never taking an id unless `replace`)."""
    bot = _bot(interaction)
    limit = bot.settings.discord.max_upload_bytes
    name = fmt.escape(file.filename)
    # Check what Discord tells us about the file before downloading anything.
    if Path(file.filename).suffix.lower() not in UPLOAD_SUFFIXES:
        await interaction.response.send_message(
            f"I can only add .txt, .md or .jsonl files; {name} is not one.", ephemeral=True
        )
        return
    if file.size > limit:
        await interaction.response.send_message(
            f"{name} is {file.size:,} bytes; the limit is {limit:,}.", ephemeral=True
        )
        return
    await interaction.response.defer(thinking=True, ephemeral=True)
    try:
        data = await read_capped(file.url, limit)
    except TooLarge:  # the size Discord announced was wrong; reading stopped at the limit
        await interaction.edit_original_response(content=f"{name} is larger than the limit of {limit:,} bytes.")
        return
    change = await apply_change(
        interaction,
        lambda corpus, on_wait: corpus.add_files(
            [(file.filename, data)], replace=replace, max_bytes=limit, on_wait=on_wait
        ),
    )
    if change.failed:
        log.warning("/ingest could not save %s: %s", file.filename, change.failed[0][1])
        await interaction.edit_original_response(
            content=f"Could not save {name}: {change.failed[0][1]}. Nothing was added; "
            "the bot keeps answering from the current index."
        )
        return
    if change.refused:
        why = fmt.escape(change.refused[0][1])
        hint = (
            " To replace the indexed version with this one, send it again with `replace:True`." if change.taken else ""
        )
        await interaction.edit_original_response(content=fmt.fit_message(f"Could not add {name}: {why}.{hint}"))
        return
    await interaction.edit_original_response(content=fmt.fit_message(change_reply(change, name)))


def change_reply(change: Change, name: str | None = None) -> str:
    """What an admin is told after /ingest or /remove: what changed, with counts, and the index."""
    said = change_summary(change, fmt.escape) or "Nothing changed."
    if name is not None and change.written:
        said = said.removesuffix(".") + f", from {fmt.escape(change.written[0])}."
    if change.reindex_problem is not None:
        return (
            f"{said} The index could not be rebuilt ({change.reindex_problem}); "
            "the bot keeps answering from the previous index."
        )
    if change.corpus is None:
        return said
    stats = change.corpus.stats()
    return (
        f"{said} The index now has {plural(stats['articles'], 'article')} and {plural(stats['passages'], 'sentence')}."
    )


async def apply_change(
    interaction: discord.Interaction, edit: Callable[[Corpus, Callable[[], None]], Change]
) -> Change:
    """Run a change of the articles (`Corpus.add_files`/`remove`) in a builder thread, one at a
    time with /reindex, and swap in the fresh index; tells the admin when another writer (a CLI)
    holds the lock and the change waits for it.
    """
    bot = _bot(interaction)
    loop = asyncio.get_running_loop()

    def on_wait() -> None:
        waiting = interaction.edit_original_response(
            content="Waiting for another writer (an ingest or remove from the command line)…"
        )
        loop.call_soon_threadsafe(lambda: loop.create_task(waiting))

    def edit_and_prepare() -> Change:
        change = edit(bot.corpus, on_wait)
        if change.corpus is not None:  # assembled here, not on the event loop (see client.prepared)
            change.corpus.prepare_layers()
        return change

    async with bot.reindex_lock:
        change = await bot.in_builder_thread(edit_and_prepare)
        if change.corpus is not None:
            bot.corpus = change.corpus
    return change


@app_commands.command(name="remove", description="(Admins) Delete an article from the index by its id.")
@app_commands.rename(doc_id="id")
@app_commands.describe(doc_id="The article (start typing its title or id)")
@app_commands.autocomplete(doc_id=doc_autocomplete)
@admin_only()
async def remove(interaction: discord.Interaction, doc_id: app_commands.Range[str, 1, 200]) -> None:
    """Delete one article (its file, or its record of a collection) and reindex, with counts."""
    await interaction.response.defer(thinking=True, ephemeral=True)
    change = await apply_change(interaction, lambda corpus, on_wait: corpus.remove([doc_id], on_wait=on_wait))
    if change.unknown:
        await interaction.edit_original_response(
            content=f"There is no article with the id `{fmt.escape_code(doc_id)[:100]}`; pick one from the suggestions."
        )
        return
    await interaction.edit_original_response(content=fmt.fit_message(change_reply(change)))


# ---------------------------------------------------------------------- feeds: /follow, /unfollow, /feeds
async def followed_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Followed feeds whose address or title contains what was typed (a small JSON file)."""
    try:
        followed = feeds.load_feeds(bot_feeds.feeds_path(_bot(interaction).settings))
    except Exception:  # autocomplete must never fail loudly
        log.exception("feed autocomplete failed")
        return []
    typed = current.lower().strip()
    return [
        app_commands.Choice(name=fmt.choice_name(f"{feed.title} ({url})" if feed.title else url), value=url)
        for url, feed in followed.items()
        if len(url) <= 100 and (typed in url.lower() or typed in feed.title.lower())
    ][:25]


@app_commands.command(
    name="follow", description="(Admins) Follow an RSS or Atom feed: its new stories become articles."
)
@app_commands.describe(url="The feed's address (http or https)", every="Minutes between polls (default 15)")
@admin_only()
async def follow(
    interaction: discord.Interaction,
    url: app_commands.Range[str, 8, 2000],
    every: app_commands.Range[int, 5, 10_080] = feeds.DEFAULT_EVERY,
) -> None:
    """Follow a feed and poll it at once in the background (an announcement lists what it finds)."""
    bot = _bot(interaction)
    try:
        checked = feeds.check_url(url)
        feed, new = await asyncio.to_thread(feeds.follow, bot_feeds.feeds_path(bot.settings), checked, every)
    except (feeds.FetchError, ValueError) as exc:
        await interaction.response.send_message(fmt.fit_message(f"Cannot follow that: {exc}"), ephemeral=True)
        return
    shown = fmt.escape(feed.url)
    if not new:
        await interaction.response.send_message(
            f"Already following {shown}; now polled every {every} min.", ephemeral=True
        )
        return
    bot.poll_soon([feed.url])
    await interaction.response.send_message(
        fmt.fit_message(f"Following {shown}, polled every {every} min. Reading it now: `/feeds` shows what it found."),
        ephemeral=True,
    )


@app_commands.command(name="unfollow", description="(Admins) Stop following a feed; its articles stay.")
@app_commands.describe(url="The feed (start typing for the followed ones)")
@app_commands.autocomplete(url=followed_autocomplete)
@admin_only()
async def unfollow(interaction: discord.Interaction, url: app_commands.Range[str, 1, 2000]) -> None:
    """Remove a feed from the followed ones (the articles it brought are kept)."""
    bot = _bot(interaction)
    feed = await asyncio.to_thread(feeds.unfollow, bot_feeds.feeds_path(bot.settings), url.strip())
    if feed is None:
        await interaction.response.send_message(
            fmt.fit_message(f"I am not following {fmt.escape(url)}; pick one from the suggestions."), ephemeral=True
        )
        return
    await interaction.response.send_message(
        fmt.fit_message(f"Stopped following {fmt.escape(feed.url)}; its {feed.added:,} articles stay."), ephemeral=True
    )


@app_commands.command(name="feeds", description="The news feeds I follow: last poll, stories, last error.")
@user_cooldown
async def feeds_list(interaction: discord.Interaction) -> None:
    """The followed feeds and their state, for everyone."""
    path = bot_feeds.feeds_path(_bot(interaction).settings)
    followed = list((await asyncio.to_thread(feeds.load_feeds, path)).values())
    summaries = [bot_feeds.feed_summary(feed) for feed in followed]
    await interaction.response.send_message(embed=fmt.feeds_embed(followed, summaries))


COMMANDS: tuple[app_commands.Command[Any, ..., None], ...] = (
    ask,
    about,
    source,
    timeline,
    entities,
    entity,
    reindex,
    ingest,
    remove,
    follow,
    unfollow,
    feeds_list,
)


def register(tree: app_commands.CommandTree) -> None:
    """Add every command to the bot's tree."""
    for command in COMMANDS:
        tree.add_command(command)
