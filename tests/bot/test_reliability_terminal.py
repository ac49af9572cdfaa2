"""Issue 20, items 9 and 15: article text cannot send escape sequences to the user's terminal,
and a token pasted into the wrong setting is never printed back.
"""

from __future__ import annotations

import json
import re

import pytest

from bot.cli import main
from bot.terminal import strip_controls

HOSTILE = (
    "---\ndate: 2026-07-04\n---\n# Evil \x1b]0;pwned\x07 title\n"
    "The zebra parade \x1b[2Jstarts at noon on July 4, 2026.\x08\x08\x08\x08\x08\x08 Hidden words follow.\r"
    "Overwritten line.\n"
)
# anything that moves the cursor, clears, retitles, rings or rewrites (BOLD/RESET are the CLI's own)
ESCAPES = re.compile(r"\x1b(?!\[[01]m)|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture
def hostile_args(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "evil.md").write_text(HOSTILE, encoding="utf-8")
    return ["--seeds", str(seeds), "--index-dir", str(tmp_path / "index")]


@pytest.mark.parametrize(
    "command",
    [
        ["ask", "When does the zebra parade start?"],
        ["source", "evil", "--sentence", "1"],
        ["timeline"],
        ["about"],
    ],
)
def test_terminal_output_has_no_control_characters(hostile_args, capsys, command):
    assert main([*hostile_args, *command]) == 0
    out, err = capsys.readouterr()
    assert "zebra" in out or "Evil" in out
    assert not ESCAPES.search(out), repr(out)
    assert not ESCAPES.search(err), repr(err)


def test_json_output_escapes_every_control_character(hostile_args, capsys):
    assert main([*hostile_args, "source", "evil", "--json"]) == 0
    out = capsys.readouterr().out
    assert not ESCAPES.search(out)
    assert any("\x1b[2J" in s for s in json.loads(out)["sentences"])  # the data itself is intact


def test_strip_controls_keeps_text_and_the_cli_styles():
    assert (
        strip_controls("a\tb\n\x1b[1mbold\x1b[0m \x1b[31mred\x1b]0;t\x07\x9b2J")
        == "a\tb\n\x1b[1mbold\x1b[0m [31mred]0;t2J"
    )


TOKEN = "MTA5ODc2NTQzMjEwOTg3NjU0Mw.GaBcDe.fAkEtOkEnVaLuE_abcdefghijklmnopqrstuv"


@pytest.mark.parametrize("setting", ["ADMIN_IDS", "DEV_GUILD_ID", "ANSWER_COUNT", "MAX_UPLOAD_BYTES"])
def test_a_token_in_the_wrong_setting_is_never_printed(monkeypatch, capsys, setting):
    monkeypatch.setenv(setting, TOKEN)
    assert main(["serve"]) == 2  # the Discord settings are checked when the bot starts
    out, err = capsys.readouterr()
    assert setting in err and "token" in err
    pieces = [TOKEN[i : i + 8] for i in range(0, len(TOKEN) - 8, 4)]
    assert not any(p in out + err for p in pieces), err
    assert len(err.strip().splitlines()) == 1  # one line naming the setting


def test_a_short_wrong_value_is_shown(monkeypatch, capsys):
    monkeypatch.setenv("ADMIN_IDS", "12,abc")
    assert main(["serve"]) == 2  # the Discord settings are checked when the bot starts
    err = capsys.readouterr().err
    assert "ADMIN_IDS" in err and "'12,abc'" in err


def test_timeline_json_escapes_del_and_c1_and_keeps_the_text(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "c1.md").write_text(
        "---\ndate: 2026-07-04\n---\n# C1\nThe caf\u00e9 parade \x9b2Jstarts at noon on July 4, 2026 \x7f.\n",
        encoding="utf-8",
    )
    assert main(["--seeds", str(seeds), "--index-dir", str(tmp_path / "index"), "timeline", "--json"]) == 0
    out = capsys.readouterr().out
    assert out.endswith("}\n") and out.count("\n") == 1
    assert not ESCAPES.search(out) and "\\u009b" in out and "\\u007f" in out and "caf\u00e9" in out
    (event,) = json.loads(out)["events"]
    assert "\x9b2J" in event["text"] and "\x7f" in event["text"]  # the data itself is intact


def test_json_lines_escape_del_and_c1_on_any_stdout(monkeypatch):
    import io

    from bot.browse import print_json

    record = {"text": "caf\u00e9 \x9b2J \x7f \u2014 \x1b]0;t\x07"}
    for stream in (
        io.StringIO(),
        io.TextIOWrapper(io.BytesIO(), encoding="utf-8"),
        io.TextIOWrapper(io.BytesIO(), encoding="utf-16"),
    ):
        monkeypatch.setattr("sys.stdout", stream)
        stream.write("before\n")
        print_json(record)
        stream.flush()
        raw = stream.getvalue() if isinstance(stream, io.StringIO) else stream.buffer.getvalue().decode(stream.encoding)
        before, line = raw.split("\n", 1)
        assert before == "before" and line.endswith("}\n") and not ESCAPES.search(line)
        assert json.loads(line) == record


# Round 16: bidirectional overrides and isolates ("Trojan Source"): an unclosed U+202E in an
# article's title, author or text would show the rest of its line right to left on a terminal
# or in Discord that applies the Unicode bidi algorithm: a citation's id, date or match word
# reversed. They are dropped from what is shown and kept in the data (and --json).
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
BIDI_ARTICLE = (
    "---\ntitle: Port \u202enews\nauthor: Ann \u2067Lee\ndate: 2026-07-04\n---\n"
    "The zebra \u202eparade starts at noon on July 4, 2026.\n"
)


@pytest.mark.parametrize(
    "command", [["ask", "When does the zebra parade start?"], ["source", "bidi", "--sentence", "1"], ["timeline"]]
)
def test_bidi_overrides_in_articles_never_reach_the_terminal(tmp_path, capsys, command):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "bidi.md").write_text(BIDI_ARTICLE, encoding="utf-8")
    assert main(["--seeds", str(seeds), "--index-dir", str(tmp_path / "index"), *command]) == 0
    out = capsys.readouterr().out
    assert "zebra parade" in out and not BIDI.search(out), repr(out)


def test_json_keeps_bidi_overrides_in_the_data(tmp_path, capsys):
    """JSON is data for programs: it keeps them (escaping them too would cost `timeline --json`
    a scan of its megabytes)."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "bidi.md").write_text(BIDI_ARTICLE, encoding="utf-8")
    assert main(["--seeds", str(seeds), "--index-dir", str(tmp_path / "index"), "source", "bidi", "--json"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert data["title"] == "Port \u202enews" and "\u202eparade" in data["sentences"][0]  # the data is intact
