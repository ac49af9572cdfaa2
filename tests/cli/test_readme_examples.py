"""The README's own examples, run as it writes them: every row of the commands table, the
Python API example, and every command's `--help` (the tour's output is
tests/bot/test_cli.py's; docs/frontends.md, round 27, docs27)."""

from __future__ import annotations

import argparse
import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot import cli
from tests.conftest import ROOT, SEED

README = (ROOT / "README.md").read_text(encoding="utf-8")
Run = Callable[..., tuple[int, str, str]]


def _section(title: str) -> str:
    return README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def _examples() -> list[str]:
    """The example column of the README's commands table, as typed (`python -m bot` dropped)."""
    rows = [line for line in _section("Commands").splitlines() if line.startswith("| `")]
    examples = [re.findall(r"`([^`]*)`", line.split(" | ")[1])[0] for line in rows]
    assert examples and all(example.startswith("python -m bot ") for example in examples)
    return [example.removeprefix("python -m bot ") for example in examples]


# What each example does on a fresh copy of seeds/ where it is not a plain success.
_OTHERWISE = {
    "feeds poll": (2, "no feed is followed"),  # nothing followed yet: it says how
    "serve": (2, "DISCORD_TOKEN is not set"),  # no token in the tests
}


@pytest.mark.parametrize("example", _examples())
def test_every_example_of_the_commands_table_runs(run: Run, example: str, tmp_path: Path) -> None:
    """Each example runs on a fresh copy of seeds/, with its file arguments made (`~/news/*.md`,
    `questions.txt`): an option renamed, a default changed or an example that no longer works
    fails here."""
    words = shlex.split(example)
    if words[0] == "ingest":
        news = tmp_path / "news"
        news.mkdir()
        (news / "gm.md").write_text("---\ntitle: GM recalls trucks\ndate: 2009-03-04\n---\nGM recalled trucks.\n")
        words = ["ingest", str(news / "gm.md")]
    if "questions.txt" in words:
        (tmp_path / "questions.txt").write_text("Who made Qoder?\nWhen does the ban take effect?\n")
    stdin = "quit\n" if words[0] in {"chat", "run"} else None
    code, out, err = run(*words, stdin=stdin)
    expected_code, said = _OTHERWISE.get(example, (0, ""))
    assert code == expected_code, out + err
    assert out.strip() if code == 0 else said in err, out + err


def test_the_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's Python block, run as written in a folder holding a copy of seeds/."""
    code = _section("Commands").split("```python\n", 1)[1].split("```", 1)[0]
    (tmp_path / "seeds").mkdir()
    shutil.copy(SEED, tmp_path / "seeds" / SEED.name)
    monkeypatch.chdir(tmp_path)
    names: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), names)
    assert (tmp_path / ".index").is_dir()


def _commands() -> dict[str, argparse.ArgumentParser]:
    for action in cli.parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("no commands")


@pytest.mark.parametrize("name", [None, *_commands()])
def test_every_help_runs_and_explains_every_argument(name: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    """`python -m bot [COMMAND] --help` exits 0 and every argument and option has a line of help
    (`ingest PATH`, `entity NAME`, `follow URL`, `index ACTION` had none)."""
    with pytest.raises(SystemExit) as done:
        cli.main([*([name] if name else []), "--help"])
    assert done.value.code == 0
    shown = capsys.readouterr().out
    chosen = cli.parser() if name is None else _commands()[name]
    for action in chosen._actions:
        assert action.help, f"{name} {action.dest}: no help text"
        for flag in action.option_strings:
            assert flag in shown


def test_each_usage_line_names_the_arguments_as_the_readme_does(capsys: pytest.CaptureFixture[str]) -> None:
    """The README writes `entity NAME`, `source DOC`, `follow URL`; `--help` said `name`, `doc`, `url`."""
    forms = [line.split("`")[1] for line in _section("Commands").splitlines() if line.startswith("| `")]
    for form in (part for row in forms for part in row.split(" / ")):
        name, *words = form.split()
        with pytest.raises(SystemExit):
            cli.main([name, "--help"])
        usage = " ".join(capsys.readouterr().out.split("\n\n", 1)[0].split())
        for word in words:
            if re.fullmatch(r"[A-Z]+(\.\.\.)?", word):
                assert word.removesuffix("...") in usage, (form, usage)


def test_entities_help_names_the_words_a_type_takes(capsys: pytest.CaptureFixture[str]) -> None:
    """The README says `--type` takes a code or a word of its label; the help listed the codes."""
    with pytest.raises(SystemExit):
        cli.main(["entities", "--help"])
    assert "organisation" in " ".join(capsys.readouterr().out.split())


def test_location_is_the_type_loc(run: Run) -> None:
    """`--type location` was refused ("no entity type 'location'"), though LOC abbreviates it."""
    assert run("entities", "--type", "location")[:2] == run("entities", "--type", "LOC")[:2]
    assert run("entities", "--type", "location")[0] == 0
