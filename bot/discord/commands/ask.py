"""`/ask`: the best sentences for a question, quoted with citations.

The reply itself is built by `bot/discord/asking.py`, which a mention of the bot shares; this
module only reads the options, defers, and decides who sees the answer.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.discord.asking import answer_reply, ask_cooldown, instead_of_answer, thread_origin, thread_start
from bot.discord.commands.checks import bot_of
from bot.rules import MAX_COUNT, MAX_QUESTION, MIN_COUNT, MIN_QUESTION


async def _reply(interaction: discord.Interaction, *, private: bool, deferred_private: bool, **kwargs: Any) -> None:
    """Finish a deferred interaction, privately when asked even if the defer was public."""
    if private and not deferred_private:
        # A public "thinking…" cannot become private: remove it, then answer ephemerally.
        await interaction.delete_original_response()
        await interaction.followup.send(ephemeral=True, **kwargs)
    else:
        await interaction.edit_original_response(**kwargs)


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
    # Discord checked the length; spaces alone pass it.
    bot = bot_of(interaction)
    question, instead = instead_of_answer(question, getattr(bot.user, "name", "Verbatim"), bot.corpus)
    if instead is not None:
        await interaction.response.send_message(instead, ephemeral=True)
        return
    deferred_private = bool(private)
    await interaction.response.defer(thinking=True, ephemeral=deferred_private)
    topic = (interaction.user.id, interaction.channel_id or 0)
    me = bot.user.id if bot.user is not None else 0
    # In a thread opened on an answer, the first question reads on from it; in another, from the parent's.
    origin = await thread_origin(interaction.channel, interaction.user.id, me, bot.conversations.holds)
    start = origin.starts_from if origin is not None else thread_start(interaction.channel, interaction.user.id)
    reply = await answer_reply(bot, question, count, topic, start, quoted=origin.quoted if origin is not None else None)
    make_private = reply.refused or bool(private) or (reply.abstained and private is None)
    await _reply(interaction, private=make_private, deferred_private=deferred_private, **reply.fields)
