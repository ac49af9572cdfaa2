"""The slash commands of the Discord bot, one module per audience, registered by `register`.

`ask.py` (/ask), `browse.py` (what anyone may look at: /about, /source, /timeline, /entities,
/entity, /feeds), `admin.py` (/reindex, /ingest, /remove, /follow, /unfollow); `checks.py` (the
cooldown and admin checks) and `autocomplete.py` (option suggestions) serve them all. Conversions
are done by discord.py (`app_commands.Range`, the date transformers in `browse.py`), so a command
body only sees valid values; anything that goes wrong ends in the tree's one `on_error` (see
`bot/discord/client.py`). Every command that may be slow defers first and does its CPU work in
`asyncio.to_thread`.
"""

from __future__ import annotations

from typing import Any

from discord import app_commands

from bot.discord.commands.admin import follow, ingest, reindex, remove, unfollow
from bot.discord.commands.ask import ask
from bot.discord.commands.browse import about, entities, entity, feeds_list, source, timeline

__all__ = ["COMMANDS", "register"]

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
