"""Settings from the environment and `.env`, in sections (the python-discord/bot habit).

Every key is listed with a comment in `.env.example`. The library (`index/`) never imports
this module: front ends read settings and pass plain values down.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class _EnvSection(BaseSettings):
    """Base for a section: reads env vars and `.env`, ignores keys of other sections."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")


class CorpusSettings(_EnvSection):
    """Where the articles and the saved index live, how many answers to give, and how to read
    numeric dates in front matter (`DATE_DAY_FIRST=true`: 03/04/2009 is 3 April).
    """

    seeds_dir: Path = Field(default=PROJECT_ROOT / "seeds")
    index_dir: Path = Field(default=PROJECT_ROOT / ".index")
    answer_count: int = Field(default=3, ge=1, le=10)
    date_day_first: bool = False


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


class Settings:
    """All sections, built once per process (and per test, with a fresh environment)."""

    def __init__(self, **overrides: Any) -> None:
        corpus = {k: v for k, v in overrides.items() if k in CorpusSettings.model_fields}
        discord = {k: v for k, v in overrides.items() if k in DiscordSettings.model_fields}
        feeds = {k: v for k, v in overrides.items() if k in FeedSettings.model_fields}
        self.corpus = CorpusSettings(**corpus)
        self.feeds = FeedSettings(**feeds)
        # A bad Discord setting is raised when the Discord settings are used, not here: the
        # commands that never use them (`about`, `ask`, `chat`) still work. No raw value is kept.
        self._discord: DiscordSettings | None = None
        self._discord_error: ValidationError | None = None
        try:
            self._discord = DiscordSettings(**discord)
        except ValidationError as exc:
            self._discord_error = exc

    @property
    def discord(self) -> DiscordSettings:
        """The Discord section; raises its ValidationError when one of its settings is bad."""
        if self._discord is None:
            assert self._discord_error is not None
            raise self._discord_error
        return self._discord


# A Discord bot token: three base64url parts joined by dots; any long unbroken base64url run
# is treated the same (a token pasted into the wrong setting must never be printed back).
_TOKEN_LIKE = re.compile(r"[\w-]{16,}\.[\w-]{4,}\.[\w-]{16,}|[\w.-]{24,}")


def looks_like_secret(value: object) -> bool:
    """Whether a rejected setting's value might be a token (then it is never echoed)."""
    return isinstance(value, str) and bool(_TOKEN_LIKE.search(value))
