"""The README is the first user's only guide: every command the code offers must be in it,
with its options, and its set-up must be the two `make` commands CI runs."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from bot import cli
from bot.discord.commands import COMMANDS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def test_every_cli_command_and_option_is_documented():
    for name, sub in _subparsers(cli.parser()).items():
        assert re.search(rf"`{re.escape(name)}\b", README), f"CLI command {name!r} missing from README"
        for action in sub._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help":
                    assert flag in README, f"option {flag} of {name!r} missing from README"
            if not action.option_strings and action.choices:  # `index build|stats`
                for choice in action.choices:
                    assert f"{name} {choice}" in README, f"CLI command '{name} {choice}' missing from README"


def test_every_slash_command_and_option_is_documented():
    for command in COMMANDS:
        assert f"`/{command.name}" in README, f"/{command.name} missing from README"
        for parameter in command.parameters:
            assert f"{parameter.display_name}:" in README, (
                f"option {parameter.display_name!r} of /{command.name} missing from README"
            )


def test_set_up_is_the_two_commands_ci_runs():
    assert "make run" in README and "make test" in README
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
