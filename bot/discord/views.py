"""Buttons of the Discord bot: "More context" and "New topic" under answers, and the timeline pager.

The "More context" button is a `DynamicItem`: the passage ids it expands are in its
custom id, so it keeps working after a restart and no view has to be kept in memory per answer.
Passage ids are renumbered when the articles change (a removal, a reindex), so the custom id also
carries a check of the quoted passages' texts: when the passages under those ids are no longer
the ones quoted, the click gets a polite message rather than another sentence's neighbours.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
from collections.abc import Awaitable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import discord

from bot.discord import embeds as fmt
from index.corpus import Corpus
from index.models import Article, Passage

if TYPE_CHECKING:
    from bot.discord.client import VerbatimBot

CONTEXT_SENTENCES = 2  # neighbours shown on each side by "More context"
_PREFIX = "verbatim:ctx:"


CONTEXT_ID = re.compile(r"verbatim:ctx:(?:(?P<check>[0-9a-f]{8}):)?(?P<pids>[0-9]+(?:,[0-9]+)*)")  # quoted ids


class ContextButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=CONTEXT_ID.pattern,
):
    """Shows the sentences around each quoted passage of an answer, ephemerally."""

    def __init__(self, pids: Sequence[int], check: str | None) -> None:
        self.pids, self.check = list(pids), check
        super().__init__(
            discord.ui.Button(
                label="More context",
                style=discord.ButtonStyle.secondary,
                custom_id=_PREFIX + (f"{check}:" if check else "") + ",".join(map(str, self.pids)),
                emoji="\N{OPEN BOOK}",
            )
        )

    @classmethod
    def of(cls, passages: Sequence[Passage]) -> ContextButton:
        """The button for the quoted `passages` (as many as fit in a custom id), with their check."""
        kept = _fitting(passages)
        return cls([p.pid for p in kept], passages_check(kept))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ContextButton:
        """The button again from its custom id, so it outlives restarts and keeps no view in memory
        (an id without a check, from before checks, is never trusted).
        """
        return cls([int(x) for x in match["pids"].split(",")], match["check"])

    async def callback(self, interaction: discord.Interaction) -> None:
        """The sentences around each quoted passage, privately, so the channel stays quiet."""
        await guarded(interaction, self._show(interaction))

    async def _show(self, interaction: discord.Interaction) -> None:
        bot: VerbatimBot = interaction.client  # type: ignore[assignment]
        if not await bot.admit_click(interaction):
            return
        corpus = bot.corpus
        items = await asyncio.to_thread(_context_items, corpus, self.pids)
        if len(items) < len(self.pids) or passages_check([p for p, *_ in items]) != self.check:
            await interaction.response.send_message(
                "Those passages are no longer in the index as they were (the articles changed since). "
                "Ask again to get fresh ones.",
                ephemeral=True,
            )
            return
        await interaction.response.send_message(embed=fmt.context_embed(items), ephemeral=True)


def quoted_sentence(corpus: Corpus, pids: Sequence[int], check: str | None) -> tuple[str, int] | None:
    """The best quoted sentence of a "More context" button's passages, as (doc id, char start):
    None when they are no longer the passages quoted (the articles changed since).
    """
    items = _context_items(corpus, pids)
    if not items or len(items) < len(pids) or passages_check([p for p, *_ in items]) != check:
        return None
    return items[0][0].doc_id, items[0][0].char_start


async def guarded(interaction: discord.Interaction, work: Awaitable[object]) -> None:
    """A button's work, whose failure is answered as a failed command's is (`VerbatimBot.click_failed`):
    discord.py only logs an exception in a button's callback, and Discord shows "This interaction failed".
    """
    try:
        await work
    except Exception as exc:
        await interaction.client.click_failed(interaction, exc)  # type: ignore[attr-defined]


def passages_check(passages: Sequence[Passage]) -> str:
    """8 hex digits of a hash of the passages' texts, in order: whether numbered passages are
    still the ones quoted (a 1 in 4 billion chance of missing a change).
    """
    joined = "\x00".join(p.text for p in passages).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(joined, digest_size=4).hexdigest()


NEW_TOPIC_ID = re.compile(r"verbatim:new:(?P<user>[0-9]+):(?P<channel>[0-9]+)")  # the asker, the channel


class NewTopicButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=NEW_TOPIC_ID.pattern,
):
    """Resets the asker's conversation in this channel: the next question starts afresh."""

    def __init__(self, user: int, channel: int) -> None:
        self.user, self.channel = user, channel
        super().__init__(
            discord.ui.Button(
                label="New topic",
                style=discord.ButtonStyle.secondary,
                custom_id=f"verbatim:new:{user}:{channel}",
                emoji="\N{SPARKLES}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> NewTopicButton:
        """The button again from its custom id (after a restart, too)."""
        return cls(int(match["user"]), int(match["channel"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Only the asker may reset their conversation; the reply is private."""
        await guarded(interaction, self._reset(interaction))

    async def _reset(self, interaction: discord.Interaction) -> None:
        bot: VerbatimBot = interaction.client  # type: ignore[assignment]
        if interaction.user.id != self.user:
            await interaction.response.send_message(
                "Only the person who asked can start a new topic of this conversation.", ephemeral=True
            )
            return
        bot.conversations.reset(self.user, self.channel, fresh=bot.corpus)  # not the parent's again, in a thread
        await interaction.response.send_message("New topic: your next question here starts afresh.", ephemeral=True)


def _fitting(passages: Sequence[Passage]) -> list[Passage]:
    """The first passages whose ids fit in Discord's 100-character custom id after
    `verbatim:ctx:CHECK:` (all of an answer's, unless its ids are very long).
    """
    room = fmt.CUSTOM_ID_LIMIT - len(_PREFIX) - 9  # 8 hex digits and a colon
    kept: list[Passage] = []
    for p in passages:
        room -= len(str(p.pid)) + (1 if kept else 0)
        if room < 0:
            break
        kept.append(p)
    return kept


def _context_items(corpus: Corpus, pids: Sequence[int]) -> list[tuple[Passage, Article, list[Passage], list[Passage]]]:
    items = []
    for pid in pids:
        try:
            passage = corpus.passage(pid)
            article = corpus.article(passage.doc_id)
            before, after = corpus.neighbours(pid, CONTEXT_SENTENCES)
        except (KeyError, IndexError):
            continue
        items.append((passage, article, before, after))
    return items


def context_view(passages: Sequence[Passage], topic: tuple[int, int] | None = None) -> discord.ui.View | None:
    """A view with the "More context" button (when there are passages) and, for an answer in
    a conversation (`topic`: user id, channel id), the "New topic" button; None when empty.
    """
    if not passages and topic is None:
        return None
    view = discord.ui.View(timeout=None)
    if passages:
        view.add_item(ContextButton.of(passages))
    if topic is not None:
        view.add_item(NewTopicButton(*topic))
    return view


_PAGE_PREFIX = "verbatim:page:"
EXPIRED_PAGES = (
    "These timeline pages are no longer open (I restarted since, or they are older than 10 minutes): "
    "run `/timeline` again to browse."
)
CHANGED_PAGES = (
    "The articles changed since this timeline was made (an ingest, a correction or a removal): "
    "these pages show them as they were; run `/timeline` again for the current events."
)


class TimelinePager(discord.ui.View):
    """Previous / next buttons over a list of events; only the person who asked can page.

    The pages live in this process: the buttons' custom ids name the pager
    (`verbatim:page:KEY:prev|next`) and `live` holds the keys of the pagers listening, so a
    click this process cannot serve (after a restart) gets `StalePageButton`'s reply instead
    of none (Discord would show "This interaction failed").
    """

    def __init__(
        self,
        events: Sequence[Any],
        filters: str,
        owner_id: int,
        per_page: int = 10,
        timeout: float = 600,
        live: set[str] | None = None,
        made_from: Path | None = None,
    ) -> None:
        super().__init__(timeout=timeout)
        self.events, self.filters, self.owner_id, self.per_page = list(events), filters, owner_id, per_page
        self.made_from = made_from  # the index generation the events were read from (not the corpus: kept alive)
        self.page = 0
        self.message: discord.InteractionMessage | None = None
        self.key, self.live = secrets.token_hex(8), live if live is not None else set()
        self.previous.custom_id = f"{_PAGE_PREFIX}{self.key}:prev"
        self.next.custom_id = f"{_PAGE_PREFIX}{self.key}:next"
        self.live.add(self.key)
        self._sync_buttons()

    def stop(self) -> None:
        """Stop listening; a later click of these buttons gets `EXPIRED_PAGES`."""
        self.live.discard(self.key)
        super().stop()

    @property
    def pages(self) -> int:
        """How many pages the events fill (at least one, so an empty timeline still shows)."""
        return max(1, -(-len(self.events) // self.per_page))

    def embed(self) -> discord.Embed:
        """The embed of the current page."""
        start = self.page * self.per_page
        return fmt.timeline_embed(
            self.events[start : start + self.per_page], self.page, self.per_page, len(self.events), self.filters
        )

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.page <= 0
        self.next.disabled = self.page >= self.pages - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Only the asker may page (others are told how to get their own), within the click rate limit."""
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message(
                "Only the person who asked can turn these pages; run `/timeline` yourself to browse.",
                ephemeral=True,
            )
            return False
        bot: VerbatimBot = interaction.client  # type: ignore[assignment]
        return await bot.admit_click(interaction)

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        self.page = min(max(0, self.page + step), self.pages - 1)
        self._sync_buttons()
        bot: VerbatimBot = interaction.client  # type: ignore[assignment]
        changed = self.made_from is not None and bot.corpus.saved.path != self.made_from
        if changed:  # the pages are as the timeline was asked: a correction or a removal is not in them
            await interaction.response.edit_message(content=CHANGED_PAGES, embed=self.embed(), view=self)
        else:
            await interaction.response.edit_message(embed=self.embed(), view=self)

    @discord.ui.button(label="Previous", emoji="\N{BLACK LEFT-POINTING TRIANGLE}")
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button[TimelinePager]) -> None:
        """One page back."""
        await self._turn(interaction, -1)

    @discord.ui.button(label="Next", emoji="\N{BLACK RIGHT-POINTING TRIANGLE}")
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button[TimelinePager]) -> None:
        """One page on."""
        await self._turn(interaction, +1)

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any], /) -> None:
        """A page that fails to turn is answered as a failed command is (`guarded`)."""
        await interaction.client.click_failed(interaction, error)  # type: ignore[attr-defined]

    async def on_timeout(self) -> None:
        """Grey the buttons out once the view stops listening, so nobody clicks into silence."""
        self.live.discard(self.key)
        for item in self.children:
            item.disabled = True  # type: ignore[attr-defined]
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException:
                pass


class StalePageButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"verbatim:page:(?P<key>[0-9a-f]{16}):(?P<step>prev|next)",
):
    """A timeline page button whose pager this process does not hold (the bot restarted, or the
    pages timed out): the click is told to run /timeline again. A live pager answers its own.
    """

    def __init__(self, key: str, step: str) -> None:
        self.key = key
        super().__init__(
            discord.ui.Button(label="Previous" if step == "prev" else "Next", custom_id=f"{_PAGE_PREFIX}{key}:{step}")
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> StalePageButton:
        """The button from its custom id (a click on any timeline page button comes here too)."""
        return cls(match["key"], match["step"])

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """Only when no pager of this process listens for these buttons (else it answers)."""
        return self.key not in getattr(interaction.client, "live_pagers", ())

    async def callback(self, interaction: discord.Interaction) -> None:
        """Say, privately, how to get the pages again."""
        await guarded(interaction, interaction.response.send_message(EXPIRED_PAGES, ephemeral=True))
