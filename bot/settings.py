"""Settings from the environment and `.env`, in sections (the python-discord/bot habit).

Every key is listed with a comment in `.env.example`. The library (`index/`) never imports
this module: front ends read settings and pass plain values down.

A section is read and checked (by pydantic-settings, `bot/settings_schema.py`) when a command
first uses it, so each command reads only the settings it needs: the commands that only read
the index (`timeline`, `entities`, `about`...) take where the index is from `place`, which
needs no pydantic unless a value must be checked. A rejected value is a `SettingsError` whose
message is one line naming the setting.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bot.settings_env import DEFAULT_INDEX_DIR, DEFAULT_SEEDS_DIR, raw_values

if TYPE_CHECKING:
    from pydantic_settings import BaseSettings

    from bot.settings_schema import CorpusSettings, DiscordSettings, FeedSettings

    Section = TypeVar("Section", bound=BaseSettings)

PLACE_KEYS = ("seeds_dir", "index_dir", "date_day_first")
PLAIN_BOOLS = {"true": True, "false": False}  # spellings pydantic reads the same; others it checks


class SettingsError(Exception):
    """A rejected setting; `message` names it and what it expects, in one line (never a token)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class IndexPlace:
    """Where the articles and the saved index are, and how numeric dates are read."""

    seeds_dir: Path
    index_dir: Path
    day_first: bool


def check_place(place: IndexPlace) -> None:
    """SettingsError when the index folder is a visible folder inside the articles folder (or is
    it): the listing of the articles would read the index's own files as articles, and every
    command would find the articles changed and write the index again. A hidden one (`.index`)
    is never listed, so it may be there. A file where the index folder (or one above it) should
    be is named too, not left to fail as the system's "File exists".
    """
    index_dir = Path(place.index_dir)
    if any(p.exists() and not p.is_dir() for p in (index_dir, *index_dir.parents)):
        raise SettingsError(
            f"the index folder {place.index_dir} is not a folder (a file is in its place): "
            "set INDEX_DIR (or --index-dir) to a folder"
        )
    try:
        inside = Path(os.path.realpath(place.index_dir)).relative_to(os.path.realpath(place.seeds_dir))
    except (ValueError, OSError):
        return
    if not any(part.startswith(".") for part in inside.parts):
        raise SettingsError(
            f"the index folder {place.index_dir} is inside the articles folder {place.seeds_dir}: its files "
            "would be read as articles; set INDEX_DIR (or --index-dir) to a folder outside it, or a hidden one (.index)"
        )


class _Given(dict[str, Any]):
    """The values given to `Settings` until a section reads them; shown by name only (one may be a token)."""

    def __repr__(self) -> str:
        return f"<settings given: {', '.join(self) or 'none'}>"


class Settings:
    """All sections, each read on first use (once per process, and per test with a fresh environment)."""

    def __init__(self, **overrides: Any) -> None:
        self._overrides = _Given(overrides)

    def _section(self, section: type[Section]) -> Section:
        from pydantic_core import ValidationError

        from bot.settings_schema import settings_problem

        try:
            return section(**{k: v for k, v in self._overrides.items() if k in section.model_fields})
        except ValidationError as exc:
            raise SettingsError(settings_problem(exc)) from None

    @cached_property
    def corpus(self) -> CorpusSettings:
        """Articles and index folders, answer count, date order; SettingsError when one is bad."""
        from bot.settings_schema import CorpusSettings

        return self._section(CorpusSettings)

    @cached_property
    def feeds(self) -> FeedSettings:
        """Feed polling; SettingsError when one of its settings is bad."""
        from bot.settings_schema import FeedSettings

        return self._section(FeedSettings)

    @cached_property
    def discord(self) -> DiscordSettings:
        """The Discord bot; SettingsError when one of its settings is bad. A bad Discord setting
        is raised only here: the commands that never use it (`about`, `ask`, `chat`) still work.
        """
        from bot.settings_schema import DiscordSettings

        return self._section(DiscordSettings)

    @cached_property
    def place(self) -> IndexPlace:
        """The folders and date order, without pydantic when the folders are text or paths (any
        text is a path: pydantic reads it as `Path(text)`) and the date order is unset, a bool, or
        `true`/`false` as `.env.example` writes it; any other value is read from the checked
        corpus section, with its errors.
        """
        given = {k: v for k, v in self._overrides.items() if k in PLACE_KEYS}
        given = raw_values(tuple(k for k in PLACE_KEYS if k not in given)) | given
        day_first = given.pop("date_day_first", False)
        if isinstance(day_first, str):
            day_first = PLAIN_BOOLS.get(day_first.lower(), day_first)
        if not isinstance(day_first, bool) or not all(isinstance(v, str | Path) for v in given.values()):
            cs = self.corpus
            return IndexPlace(cs.seeds_dir, cs.index_dir, cs.date_day_first)
        seeds, index = given.get("seeds_dir") or "", given.get("index_dir") or ""
        return IndexPlace(
            Path(seeds) if str(seeds).strip() else DEFAULT_SEEDS_DIR,  # blank: the default, not "."
            Path(index) if str(index).strip() else DEFAULT_INDEX_DIR,
            day_first,
        )

    def token_given(self) -> bool:
        """Whether a Discord token is set (not blank), read without checking the Discord section:
        `run` starts the chat without one, whatever the bot's other settings say.
        """
        if "discord_token" in self._overrides:
            given = self._overrides["discord_token"]
        else:
            given = raw_values(("discord_token",)).get("discord_token")
        if hasattr(given, "get_secret_value"):  # a SecretStr given by a caller
            given = given.get_secret_value()
        return isinstance(given, str) and bool(given.strip())

    def check(self, *, discord: bool = True) -> None:
        """Read every section now (the corpus's and the feeds' first, then Discord's): a long-
        running front end says what is wrong before it starts, not when a section is first used.
        """
        _ = self.corpus, self.feeds
        check_place(self.place)
        if discord:
            _ = self.discord
