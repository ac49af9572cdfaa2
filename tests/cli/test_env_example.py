"""`.env.example`, the README's settings list and the `Procfile` held true to the code: every
setting the code reads is in both, with the code's default, and none it no longer reads."""

from __future__ import annotations

import re
from pathlib import Path

from bot.settings_schema import CorpusSettings, DiscordSettings, FeedSettings
from tests.cli.test_readme_examples import README, _commands
from tests.conftest import ROOT

SECTIONS = (CorpusSettings, FeedSettings, DiscordSettings)
EXAMPLE = dict(
    line.split("=", 1)
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
)


def _read_by_code() -> dict[str, object]:
    return {name.upper(): field.default for section in SECTIONS for name, field in section.model_fields.items()}


def test_every_setting_read_is_in_the_example_and_the_readme_and_no_other() -> None:
    read = _read_by_code()
    assert set(EXAMPLE) == set(read)
    listed = set(re.findall(r"`([A-Z][A-Z_]+)`", README.split("## Configuration\n", 1)[1].split("\n## ", 1)[0]))
    assert listed == set(read)


def test_each_example_value_is_the_code_default() -> None:
    """A value written in `.env.example` is what leaving the key out gives."""
    for key, default in _read_by_code().items():
        written = EXAMPLE[key]
        if isinstance(default, Path):  # SEEDS_DIR, INDEX_DIR: a folder of the project, by its name
            assert written == default.name, key
        elif default is None or isinstance(default, frozenset):
            assert written == "", key
        elif isinstance(default, bool):
            assert written == str(default).lower(), key
        else:
            assert float(written) == default, key


def test_the_procfile_runs_a_command_of_the_cli() -> None:
    (line,) = (ROOT / "Procfile").read_text(encoding="utf-8").splitlines()
    process, command = line.split(": ", 1)
    assert process == "worker" and command.startswith("python -m bot ")
    assert command.removeprefix("python -m bot ") in _commands()
