"""Settings: `place` (read without pydantic) agrees with the checked corpus section, and the
commands that only read the index start without pydantic, discord or the feed client."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError
from tests.conftest import ROOT

KEYS = ("SEEDS_DIR", "INDEX_DIR", "DATE_DAY_FIRST", "ANSWER_COUNT")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A working directory without `.env` and none of the corpus settings in the environment."""
    monkeypatch.chdir(tmp_path)
    for key in KEYS:
        monkeypatch.delenv(key, raising=False)
    return tmp_path


@pytest.mark.parametrize(
    ("env", "dotenv", "overrides"),
    [
        ({}, "", {}),
        ({"SEEDS_DIR": "/a/seeds", "INDEX_DIR": "rel/index"}, "", {}),
        ({"seeds_dir": "lower"}, "SEEDS_DIR=from-dotenv\nINDEX_DIR=idx\n", {}),  # the environment wins
        ({}, "SEEDS_DIR=s\nDATE_DAY_FIRST=true\n", {}),
        ({"DATE_DAY_FIRST": "FALSE"}, "", {}),
        ({"DATE_DAY_FIRST": "yes"}, "", {}),  # not a plain spelling: read by pydantic
        ({"DATE_DAY_FIRST": "0"}, "", {}),
        ({"SEEDS_DIR": ""}, "", {}),
        ({"SEEDS_DIR": "env"}, "", {"seeds_dir": Path("/given"), "index_dir": "given-index"}),
        ({}, "", {"date_day_first": True}),
    ],
)
def test_place_is_what_the_checked_section_reads(clean_env, monkeypatch, env, dotenv, overrides):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    if dotenv:
        (clean_env / ".env").write_text(dotenv, encoding="utf-8")
    place = Settings(**overrides).place
    section = Settings(**overrides).corpus
    assert (place.seeds_dir, place.index_dir, place.day_first) == (
        section.seeds_dir,
        section.index_dir,
        section.date_day_first,
    )


def test_a_bad_date_order_is_one_line_naming_it(clean_env, monkeypatch):
    monkeypatch.setenv("DATE_DAY_FIRST", "maybe")
    with pytest.raises(SettingsError) as caught:
        _ = Settings().place
    assert caught.value.message.startswith("the setting DATE_DAY_FIRST is 'maybe'; it should be ")
    assert caught.value.message.endswith("(see .env.example)")


def test_sections_are_read_when_used(clean_env, monkeypatch):
    monkeypatch.setenv("ANSWER_COUNT", "abc")
    settings = Settings()
    assert settings.place.day_first is False  # a bad answer count does not stop the index commands
    with pytest.raises(SettingsError, match="ANSWER_COUNT is 'abc'; it should be a whole number"):
        settings.check(discord=False)


def test_index_commands_start_without_pydantic_discord_or_feeds(corpus, seeds_dir, index_dir, tmp_path):
    """On a built index (the `corpus` fixture built it; building needs the sentence splitter)."""
    probe = (
        "import json, sys\n"
        "from bot.cli import main\n"
        "for command in (['entities', '--json'], ['timeline', '--json']):\n"
        f"    assert main(['--seeds', {str(seeds_dir)!r}, '--index-dir', {str(index_dir)!r}, *command]) == 0\n"
        "heavy = ('pydantic', 'pydantic_settings', 'discord', 'aiohttp', 'feedparser', 'nltk')\n"
        "print(json.dumps(sorted(m for m in heavy if m in sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, check=True, env=_env(ROOT)
    )
    assert json.loads(done.stdout.splitlines()[-1]) == []


def _env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in KEYS}
    env["PYTHONPATH"] = str(root)
    return env


@pytest.mark.parametrize(
    ("env", "dotenv"), [({"SEEDS_DIR": "", "INDEX_DIR": " "}, ""), ({}, "SEEDS_DIR=\nINDEX_DIR=\n")]
)
def test_a_blank_folder_setting_is_the_default_not_the_working_directory(clean_env, monkeypatch, env, dotenv):
    """Round 21 (qa21): `SEEDS_DIR=` left blank in `.env` (every key is optional, and a blank
    `DISCORD_TOKEN=` means "not set") was the working directory: from the project's root the bot
    indexed README.md and docs/ as 39 articles, and `remove README` would have deleted it. A
    blank folder is the default, as `.env.example` says."""
    from bot.settings_env import DEFAULT_INDEX_DIR, DEFAULT_SEEDS_DIR

    for key, value in env.items():
        monkeypatch.setenv(key, value)
    if dotenv:
        (clean_env / ".env").write_text(dotenv, encoding="utf-8")
    place, section = Settings().place, Settings().corpus
    assert (place.seeds_dir, place.index_dir) == (DEFAULT_SEEDS_DIR, DEFAULT_INDEX_DIR)
    assert (section.seeds_dir, section.index_dir) == (DEFAULT_SEEDS_DIR, DEFAULT_INDEX_DIR)
