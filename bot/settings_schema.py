"""The settings' sections, checked by pydantic-settings, and how a rejected value reads.

Only `bot/settings.py` imports this module, when a command first reads a section: pydantic
costs about a third of a second that the commands reading only the index never pay.
Every key is listed with a comment in `.env.example`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.settings_env import DEFAULT_INDEX_DIR, DEFAULT_SEEDS_DIR, ENV_FILE


class _EnvSection(BaseSettings):
    """Base for a section: reads env vars and `.env`, ignores keys of other sections."""

    model_config = SettingsConfigDict(env_file=ENV_FILE, env_file_encoding="utf-8", extra="ignore")


class CorpusSettings(_EnvSection):
    """Where the articles and the saved index live, how many answers to give, and how to read
    numeric dates in front matter (`DATE_DAY_FIRST=true`: 03/04/2009 is 3 April).
    """

    seeds_dir: Path = Field(default=DEFAULT_SEEDS_DIR)
    index_dir: Path = Field(default=DEFAULT_INDEX_DIR)
    answer_count: int = Field(default=3, ge=1, le=10)
    date_day_first: bool = False

    @field_validator("seeds_dir", "index_dir", mode="before")
    @classmethod
    def _blank_is_default(cls, value: object, info: ValidationInfo) -> object:
        """`SEEDS_DIR=` left blank is the default folder, not `Path("")`, the working directory
        (from the project's root that indexed README.md and docs/ as articles).
        """
        if isinstance(value, str) and not value.strip():
            return DEFAULT_SEEDS_DIR if info.field_name == "seeds_dir" else DEFAULT_INDEX_DIR
        return value


class FeedSettings(_EnvSection):
    """Following feeds: whether private and loopback addresses may be fetched (never by
    default: an admin must not make the bot read internal services), the time a request may
    take end to end, and the least time between two requests to one host.
    """

    feeds_allow_private: bool = False
    feeds_timeout: float = Field(default=10.0, gt=0, le=120)
    feeds_host_spacing: float = Field(default=1.0, ge=0, le=60)


class DiscordSettings(_EnvSection):
    """The Discord bot. `discord_token` is a SecretStr: printing the settings never shows it."""

    discord_token: SecretStr | None = None
    dev_guild_id: int | None = None
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    max_upload_bytes: int = Field(default=2_000_000, ge=1)
    cooldown_seconds: float = Field(default=3.0, ge=0)
    cooldown_rate: int = Field(default=5, ge=1)
    announce_channel_id: int | None = None  # where new feed stories are announced (none: not announced)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        """Accept `ADMIN_IDS=1,2,3` (comma or space separated) as well as a list."""
        if isinstance(value, str):
            parts = value.replace(",", " ").split()
            if not all(part.isdigit() for part in parts):  # never quote the value: it may be a pasted token
                raise ValueError("expected numeric Discord user ids separated by commas")
            return frozenset(int(part) for part in parts)
        return value

    @field_validator("discord_token", "dev_guild_id", "announce_channel_id", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        """An empty `DISCORD_TOKEN=` line in `.env` means "not configured"."""
        if isinstance(value, str) and not value.strip():
            return None
        return value


# A Discord bot token: three base64url parts joined by dots; any long unbroken base64url run
# is treated the same (a token pasted into the wrong setting must never be printed back).
_TOKEN_LIKE = re.compile(r"[\w-]{16,}\.[\w-]{4,}\.[\w-]{16,}|[\w.-]{24,}")


def looks_like_secret(value: object) -> bool:
    """Whether a rejected setting's value might be a token (then it is never echoed)."""
    return isinstance(value, str) and bool(_TOKEN_LIKE.search(value))


def settings_problem(exc: ValidationError) -> str:
    """A bad setting as one line naming it and what it expects (not pydantic's multi-line dump)."""
    problems = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "?"
        value = error.get("input")
        hidden = "token" in field or looks_like_secret(value)  # a token in the wrong setting is never echoed
        given = " holds what looks like a token; it" if hidden else f" is {str(value)[:40]!r}; it"
        problems.append(f"the setting {field.upper()}{given} should be {_expects(error)}")
    return "; ".join(problems) + " (see .env.example)"


_EXPECTS = {"admin_ids": "Discord user ids (numbers) separated by commas"}


def _expects(error: ErrorDetails) -> str:
    ctx = error.get("ctx") or {}
    kind = error["type"]
    if kind == "int_parsing":
        return "a whole number"
    if kind == "float_parsing":
        return "a number"
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        bound = {"greater_than_equal": "at least", "less_than_equal": "at most"}.get(kind, kind.replace("_", " "))
        return f"{bound} {next(iter(ctx.values()), '?')}"
    if kind == "value_error":
        return _EXPECTS.get(str(error["loc"][0]) if error["loc"] else "", "valid: " + str(ctx.get("error", "?"))[:80])
    return error["msg"].removeprefix("Input should be ").split(", unable")[0]
