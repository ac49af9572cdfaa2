"""What only admins may do: `/reindex`, `/ingest`, `/remove`, `/follow`, `/unfollow`.

Every command here carries `admin_only()` (Manage Server or `ADMIN_IDS`) and answers privately.
A change of the articles runs in a builder thread, one at a time with `/reindex`, and the fresh
index is swapped in only once its layers are assembled (`apply_change`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

import discord
from discord import app_commands

from bot import feeds as bot_feeds
from bot.change_wording import change_summary, refusal_reason
from bot.discord import embeds as fmt
from bot.discord.commands.autocomplete import (
    DOC_KEY,
    doc_autocomplete,
    doc_of_key,
    feed_of_key,
    followed_autocomplete,
)
from bot.discord.commands.checks import admin_only, bot_of
from bot.discord.downloads import DownloadFailed, TooLarge, read_capped
from bot.wording import plural
from index.corpus import Change, Corpus, feeds, storage_problem

log = logging.getLogger("verbatim.discord")

UPLOAD_SUFFIXES = (".txt", ".md", ".jsonl")
WARNINGS_SHOWN = 5  # of a file's warnings in /ingest's reply (a collection may have thousands)
URL_SHOWN = 1000  # characters of a feed's address in /follow's replies (the option takes 2,000)


# ---------------------------------------------------------------------- /reindex
@app_commands.command(name="reindex", description="(Admins) Re-read the articles folder and rebuild the index.")
@admin_only()
async def reindex(interaction: discord.Interaction) -> None:
    """Re-read the seeds folder; a storage failure keeps the current index and says why."""
    await interaction.response.defer(thinking=True, ephemeral=True)
    try:
        stats = await bot_of(interaction).reindex(_say_waiting(interaction))
    except OSError as exc:
        log.warning("/reindex failed: %s", exc)
        await interaction.edit_original_response(
            content=f"Could not rebuild the index: {storage_problem(exc)}. "
            "The bot keeps answering from the current index."
        )
        return
    await interaction.edit_original_response(
        content=f"Reindexed: {plural(stats['articles'], 'article')}, {plural(stats['passages'], 'sentence')} "
        f"in {stats['seconds']:.1f} s."
    )


# ---------------------------------------------------------------------- changes: /ingest, /remove
def change_reply(change: Change, name: str | None = None) -> str:
    """What an admin is told after /ingest or /remove: what changed, with counts, the index, and
    what of the file was skipped or guessed (else only the bot's log would say it).
    """
    said = change_summary(change, fmt.escape) or "Nothing changed."
    if name is not None and change.written:
        said = said.removesuffix(".") + f", from {fmt.escape(change.written[0])}."
    if change.reindex_problem is not None:
        said += (
            f" The index could not be rebuilt ({change.reindex_problem}); "
            "the bot keeps answering from the previous index."
        )
    elif change.corpus is not None:
        stats = change.corpus.stats()
        said += (
            f" The index now has {plural(stats['articles'], 'article')} and {plural(stats['passages'], 'sentence')}."
        )
    shown = change.warnings[:WARNINGS_SHOWN]
    said += "".join(f"\nWarning: {fmt.escape(warning)}" for warning in shown)
    if len(change.warnings) > len(shown):
        said += f"\n… and {plural(len(change.warnings) - len(shown), 'more warning')} (the bot's log has them all)."
    return said


def _say_waiting(interaction: discord.Interaction) -> Callable[[], None]:
    """What a builder thread calls when another writer holds the seeds or the index first: the
    admin's "thinking…" becomes a line saying so (scheduled on the event loop).
    """
    loop = asyncio.get_running_loop()

    def on_wait() -> None:
        waiting = interaction.edit_original_response(
            content="Waiting for another writer (an ingest, remove or index build from the command line)…"
        )
        loop.call_soon_threadsafe(lambda: loop.create_task(waiting))

    return on_wait


async def apply_change(
    interaction: discord.Interaction, edit: Callable[[Corpus, Callable[[], None]], Change]
) -> Change:
    """Run a change of the articles (`Corpus.add_files`/`remove`) in a builder thread, one at a
    time with /reindex, and swap in the fresh index; tells the admin when another writer (a CLI)
    holds the lock and the change waits for it.
    """
    bot = bot_of(interaction)
    on_wait = _say_waiting(interaction)

    def edit_and_prepare() -> Change:
        change = edit(bot.corpus, on_wait)
        if change.corpus is not None:  # assembled here, not on the event loop (see client.prepared)
            change.corpus.prepare_layers()
        return change

    async with bot.reindex_lock:
        change = await bot.in_builder_thread(edit_and_prepare)
        if change.corpus is not None:
            await bot.swap(change.corpus)
    return change


@app_commands.command(name="ingest", description="(Admins) Add an article file (.txt, .md or .jsonl) and reindex.")
@app_commands.describe(
    file="A .txt, .md or .jsonl file of articles",
    replace="Replace articles already indexed under the same ids (default: refuse them)",
)
@admin_only()
async def ingest(interaction: discord.Interaction, file: discord.Attachment, replace: bool = False) -> None:
    """Save an uploaded article file (never over another, never taking an id unless `replace`)."""
    bot = bot_of(interaction)
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
    except DownloadFailed as exc:
        log.warning("/ingest could not download %s: %s", file.filename, exc.reason)
        await interaction.edit_original_response(
            content=fmt.fit_message(
                f"Could not download {name} from Discord ({exc.reason}); nothing was added. Please send it again."
            )
        )
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
        why = fmt.escape(refusal_reason(*change.refused[0]))
        hint = (
            " To replace the indexed version with this one, send it again with `replace:True`." if change.taken else ""
        )
        await interaction.edit_original_response(content=fmt.fit_message(f"Could not add {name}: {why}.{hint}"))
        return
    await interaction.edit_original_response(content=fmt.fit_message(change_reply(change, name)))


@app_commands.command(name="remove", description="(Admins) Delete an article from the index by its id.")
@app_commands.rename(doc_id="id")
@app_commands.describe(doc_id="The article (start typing its title or id)")
@app_commands.autocomplete(doc_id=doc_autocomplete)
@admin_only()
async def remove(interaction: discord.Interaction, doc_id: app_commands.Range[str, 1, 200]) -> None:
    """Delete one article (its file, or its record of a collection) and reindex, with counts."""
    await interaction.response.defer(thinking=True, ephemeral=True)
    if doc_id.startswith(DOC_KEY):  # a long id's suggestion: read back in a thread (a scan of the ids)
        doc_id = await asyncio.to_thread(doc_of_key, doc_id, bot_of(interaction).corpus)
    change = await apply_change(interaction, lambda corpus, on_wait: corpus.remove([doc_id], on_wait=on_wait))
    if change.unknown:
        await interaction.edit_original_response(content=fmt.unknown_id(doc_id))
        return
    await interaction.edit_original_response(content=fmt.fit_message(change_reply(change)))


# ---------------------------------------------------------------------- feeds: /follow, /unfollow
@app_commands.command(
    name="follow", description="(Admins) Follow an RSS or Atom feed: its new stories become articles."
)
@app_commands.describe(url="The feed's address (http or https)", every="Minutes between polls (default 15)")
@admin_only()
async def follow(
    interaction: discord.Interaction,
    url: app_commands.Range[str, 8, 2000],
    every: app_commands.Range[int, 5, 10_080] | None = None,
) -> None:
    """Follow a feed and poll it at once in the background (an announcement lists what it finds)."""
    bot = bot_of(interaction)
    path = bot_feeds.feeds_path(bot.settings)
    try:
        checked = feeds.check_followable(url, allow_private=bot.settings.feeds.feeds_allow_private)
        feed, new = await asyncio.to_thread(feeds.follow, path, checked, every)
    except (feeds.FetchError, ValueError) as exc:
        shown = bot_feeds.without_folders(exc, path)
        await interaction.response.send_message(fmt.fit_message(f"Cannot follow that: {shown}"), ephemeral=True)
        return
    shown = fmt.fit(fmt.escape(feed.url), URL_SHOWN)  # escaped, an address may double in length
    if not new:
        await interaction.response.send_message(
            f"Already following {shown}; {'polled' if every is None else 'now polled'} every {feed.every} min.",
            ephemeral=True,
        )
        return
    bot.poll_soon([feed.url])
    await interaction.response.send_message(
        f"Following {shown}, polled every {feed.every} min. Reading it now: `/feeds` shows what it found.",
        ephemeral=True,
    )


@app_commands.command(name="unfollow", description="(Admins) Stop following a feed; its articles stay.")
@app_commands.describe(url="The feed (start typing for the followed ones)")
@app_commands.autocomplete(url=followed_autocomplete)
@admin_only()
async def unfollow(interaction: discord.Interaction, url: app_commands.Range[str, 1, 2000]) -> None:
    """Remove a feed from the followed ones (the articles it brought are kept)."""
    path = bot_feeds.feeds_path(bot_of(interaction).settings)

    def stop() -> feeds.Feed | None:
        return feeds.unfollow(path, feed_of_key(url.strip(), feeds.load_feeds(path)))

    try:
        feed = await asyncio.to_thread(stop)
    except ValueError as exc:  # the feeds' file is broken: say so, change nothing
        await interaction.response.send_message(fmt.fit_message(bot_feeds.without_folders(exc, path)), ephemeral=True)
        return
    if feed is None:
        await interaction.response.send_message(
            fmt.fit_message(f"I am not following {fmt.escape(url)}; pick one from the suggestions."), ephemeral=True
        )
        return
    await interaction.response.send_message(
        fmt.fit_message(f"Stopped following {fmt.escape(feed.url)}; its {plural(feed.added, 'article')} stay."),
        ephemeral=True,
    )
