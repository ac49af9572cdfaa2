"""What anyone may look at: `/about`, `/source`, `/timeline`, `/entities`, `/entity`, `/feeds`.

Dates are converted by the transformers below (discord.py's `app_commands.Transform`), so a
command body only sees valid dates; a `RuleError` raised in one is shown by the tree's
`on_error`. Everything that may be slow defers first and runs in `asyncio.to_thread`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Literal

import discord
from discord import app_commands

from bot import feeds as bot_feeds
from bot.discord import embeds as fmt
from bot.discord.commands.autocomplete import DOC_KEY, doc_autocomplete, doc_of_key, entity_autocomplete
from bot.discord.commands.checks import bot_of, user_cooldown
from bot.discord.views import CONTEXT_SENTENCES, TimelinePager
from bot.rules import DATE_FORMATS, RuleError, check_date_range, parse_date
from bot.wording import ENTITY_TYPE_LABELS
from index.corpus import Corpus, Entity, Event, feeds

ENTITIES_SHOWN = 60
ENTITY_QUOTES = 3
TIMELINE_PAGE = 10
TIMELINE_MAX_EVENTS = 1000  # pages beyond this are not worth paging through in Discord


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


# ---------------------------------------------------------------------- /about
@app_commands.command(name="about", description="What Verbatim has indexed, and when.")
@user_cooldown
async def about(interaction: discord.Interaction) -> None:
    """What is indexed, and when."""
    stats = bot_of(interaction).corpus.stats()
    await interaction.response.send_message(embed=fmt.about_embed(stats))


# ---------------------------------------------------------------------- /source
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
    corpus = bot_of(interaction).corpus
    if doc.startswith(DOC_KEY):  # a long id's suggestion: read back in a thread (a scan of the ids)
        doc = await asyncio.to_thread(doc_of_key, doc, corpus)
    try:
        article = corpus.article(doc)
    except KeyError:
        await interaction.response.send_message(
            fmt.unknown_id(doc),
            ephemeral=True,
        )
        return
    passages = await asyncio.to_thread(corpus.passages_of, article.doc_id)  # its id as indexed
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
    corpus = bot_of(interaction).corpus
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
    pager = TimelinePager(
        events,
        filters,
        interaction.user.id,
        TIMELINE_PAGE,
        live=bot_of(interaction).live_pagers,
        made_from=corpus.saved.path,
    )
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
ENTITY_TYPES = [app_commands.Choice(name=label, value=code) for code, label in ENTITY_TYPE_LABELS.items()]


def _entities_list(corpus: Corpus, kind: str | None) -> list[Entity]:
    return list(corpus.entities().all(kind))


@app_commands.command(name="entities", description="People, organisations and places named in the articles.")
@app_commands.rename(kind="type")
@app_commands.describe(kind="Only this type")
@app_commands.choices(kind=ENTITY_TYPES)
@user_cooldown
async def entities(interaction: discord.Interaction, kind: str | None = None) -> None:
    """The most mentioned names, optionally of one type."""
    corpus = bot_of(interaction).corpus
    await interaction.response.defer(thinking=True)
    found = await asyncio.to_thread(_entities_list, corpus, kind)
    await interaction.edit_original_response(embed=fmt.entities_embed(found[:ENTITIES_SHOWN], kind, len(found)))


@app_commands.command(name="entity", description="One person, organisation or place: mentions and company kept.")
@app_commands.describe(name="The name (start typing for suggestions)")
@app_commands.autocomplete(name=entity_autocomplete)
@user_cooldown
async def entity(interaction: discord.Interaction, name: app_commands.Range[str, 1, 100]) -> None:
    """One entity: its mentions quoted and the names often in the same sentences."""
    corpus = bot_of(interaction).corpus
    await interaction.response.defer(thinking=True)
    details = await asyncio.to_thread(corpus.entity_details, name, ENTITY_QUOTES)
    if details is None:
        await interaction.edit_original_response(
            content=f"No entity called “{fmt.escape(name)}” in the articles; try the suggestions."
        )
        return
    await interaction.edit_original_response(embed=fmt.entity_embed(details))


# ---------------------------------------------------------------------- /feeds
@app_commands.command(name="feeds", description="The news feeds I follow: last poll, stories, last error.")
@user_cooldown
async def feeds_list(interaction: discord.Interaction) -> None:
    """The followed feeds and their state, for everyone."""
    path = bot_feeds.feeds_path(bot_of(interaction).settings)
    try:
        followed = list((await asyncio.to_thread(feeds.load_feeds, path)).values())
    except ValueError as exc:  # the file, edited by hand, is broken: say so, change nothing
        await interaction.response.send_message(fmt.fit_message(bot_feeds.without_folders(exc, path)), ephemeral=True)
        return
    summaries = [bot_feeds.feed_summary(feed) for feed in followed]
    await interaction.response.send_message(embed=fmt.feeds_embed(followed, summaries))
