"""What every command module shares: the bot behind an interaction and the two checks.

The checks raise; the tree's one `on_error` (`bot/discord/client.py`) turns a `NotAdmin` or a
`CommandOnCooldown` into a polite ephemeral reply, so a command body never answers refusals itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

if TYPE_CHECKING:
    from bot.discord.client import VerbatimBot


def bot_of(interaction: discord.Interaction) -> VerbatimBot:
    """The Verbatim client that received `interaction` (typed, unlike `interaction.client`)."""
    return interaction.client  # type: ignore[return-value]


def _cooldown(interaction: discord.Interaction) -> app_commands.Cooldown | None:
    """Per-user cooldown from the settings (`COOLDOWN_RATE` uses per `COOLDOWN_SECONDS`)."""
    cfg = bot_of(interaction).settings.discord
    if cfg.cooldown_seconds <= 0:
        return None
    return app_commands.Cooldown(cfg.cooldown_rate, cfg.cooldown_seconds)


user_cooldown = app_commands.checks.dynamic_cooldown(_cooldown, key=lambda i: i.user.id)


class NotAdmin(app_commands.CheckFailure):
    """Raised by the admin check; answered with a polite refusal (see VerbatimBot.on_app_command_error)."""


def admin_only() -> Callable[[Any], Any]:
    """Manage Server permission or `ADMIN_IDS`; anyone else gets a polite refusal (NotAdmin)."""

    def predicate(interaction: discord.Interaction) -> bool:
        if bot_of(interaction).is_admin(interaction):
            return True
        raise NotAdmin()

    return app_commands.check(predicate)
