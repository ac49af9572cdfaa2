"""Suggestions while an option is typed: articles, entity names, followed feeds.

Each reads something small or saved with the index (a bisect, a little JSON file), so it runs
on the event loop; none may fail loudly (Discord would show an error in the picker).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable

import discord
from discord import app_commands

from bot import feeds as bot_feeds
from bot.discord import embeds as fmt
from bot.discord.commands.checks import bot_of
from index.corpus import Corpus, feeds

log = logging.getLogger("verbatim.discord")

CHOICES = 25  # Discord shows at most 25 suggestions
CHOICE_VALUE = 100  # characters of a suggestion's value
FEED_KEY = "feed#"  # the value suggested for a feed whose address is longer than CHOICE_VALUE
DOC_KEY = "doc#"  # ... and for an article whose id is (ids may have 200 characters)
LONG_ID_SHOWN = 48  # characters of such an id in its suggestion's label, after the title


def _key(prefix: str, text: str) -> str:
    return prefix + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def feed_key(url: str) -> str:
    """A short stand-in for a feed's address in a suggestion (`feed#` and 16 hex digits)."""
    return _key(FEED_KEY, url)


def feed_of_key(value: str, urls: Iterable[str]) -> str:
    """The followed address a suggested `feed_key` stands for; `value` itself otherwise."""
    if value.startswith(FEED_KEY):
        return next((url for url in urls if len(url) > CHOICE_VALUE and feed_key(url) == value), value)
    return value


def doc_key(doc_id: str) -> str:
    """A short stand-in for a long article id in a suggestion (`doc#` and 16 hex digits)."""
    return _key(DOC_KEY, doc_id)


def doc_of_key(value: str, corpus: Corpus) -> str:
    """The article id a suggested `doc_key` stands for; `value` itself otherwise (an id as typed).

    A key is read back by a scan of the ids (a few hundred ms at 1M articles): run it in a
    thread. An id that is itself written `doc#…` is taken as it is.
    """
    if not value.startswith(DOC_KEY):
        return value
    try:
        corpus.story_row(value)
        return value
    except KeyError:
        pass
    for row in range(corpus.article_count()):
        doc_id = corpus.doc_id_of_row(row)
        if len(doc_id) > CHOICE_VALUE and doc_key(doc_id) == value:
            return doc_id
    return value


async def doc_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Articles whose id, title or a title word starts with what was typed: a bisect in the
    suggestions saved with the index (well under a millisecond), so it runs on the loop.
    """
    try:
        entries = bot_of(interaction).corpus.suggest_articles(current, CHOICES)
    except Exception:  # autocomplete must never fail loudly
        log.exception("doc autocomplete failed")
        return []
    return [  # an id too long for a value is suggested by its `doc_key` (`/source`, `/remove` read it)
        app_commands.Choice(name=fmt.keyed_choice_name(title, doc_id), value=doc_id)
        if len(doc_id) <= CHOICE_VALUE
        else app_commands.Choice(
            name=fmt.keyed_choice_name(title, fmt.fit(doc_id, LONG_ID_SHOWN)), value=doc_key(doc_id)
        )
        for doc_id, title in entries
    ]


async def entity_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Entity names for what was typed: two bisects in the prefix tables saved with the index
    (well under a millisecond at 100,000 entities), so it runs on the loop without a thread.
    """
    try:
        names = bot_of(interaction).corpus.entities().complete(current, CHOICES)
    except Exception:  # autocomplete must never fail loudly
        log.exception("entity autocomplete failed")
        return []
    return [app_commands.Choice(name=fmt.choice_name(n), value=n) for n in names if 0 < len(n) <= 100]


async def followed_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Followed feeds whose address or title contains what was typed (a small JSON file)."""
    try:
        followed = feeds.load_feeds(bot_feeds.feeds_path(bot_of(interaction).settings))
    except Exception:  # autocomplete must never fail loudly
        log.exception("feed autocomplete failed")
        return []
    typed = current.lower().strip()
    return [  # an address too long for a value is suggested by its `feed_key` (unfollow reads it)
        app_commands.Choice(
            name=fmt.keyed_choice_name(feed.title, url) if feed.title else fmt.choice_name(url),
            value=url if len(url) <= CHOICE_VALUE else feed_key(url),
        )
        for url, feed in followed.items()
        if typed in url.lower() or typed in feed.title.lower()
    ][:CHOICES]
