"""Round 26 (qa26): a news desk's day in the chat. The desk types the chat's commands as it
types Discord's (`entity:GM`, `type:person`) or the CLI's (`--entity GM`): each option's name
is read as its name, never as part of the value (it was `/timeline entity:GM`: "No dated events
match", a silent wrong answer)."""

from __future__ import annotations

import pytest

SEED = "000_e228878e0c08bf80"


@pytest.mark.parametrize(
    ("chat_line", "cli_args"),
    [
        ("/timeline entity:Alibaba", ["timeline", "--entity", "Alibaba"]),
        ("/timeline entity Alibaba order newest", ["timeline", "--entity", "Alibaba", "--order", "newest"]),
        ("/timeline --entity Alibaba --from 2026-06", ["timeline", "--entity", "Alibaba", "--from", "2026-06"]),
        ("/timeline from:2026-06 entity:Anthropic", ["timeline", "--entity", "Anthropic", "--from", "2026-06"]),
        ("/timeline --entity=Qwen", ["timeline", "--entity", "Qwen"]),
        ("/entities type:product", ["entities", "--type", "product"]),
        ("/entities --type product", ["entities", "--type", "product"]),
        ("/entities type org", ["entities", "--type", "org"]),
        ("/entity name:Claude Code", ["entity", "Claude Code"]),
        ("/entity --name Claude Code", ["entity", "Claude Code"]),
        (f"/source doc:{SEED}", ["source", SEED]),
        (f"/source doc:{SEED} sentence:2", ["source", SEED, "--sentence", "2"]),
        (f"/source --doc {SEED} --sentence 2", ["source", SEED, "--sentence", "2"]),
        (f"/source {SEED} sentence 2", ["source", SEED, "--sentence", "2"]),
    ],
)
def test_an_options_name_typed_in_the_chat_is_read_as_its_name(run, chat_line, cli_args):
    code, expected, _ = run(*cli_args)
    assert code == 0 and expected.strip() and "No dated events" not in expected
    code, out, _ = run("chat", stdin=chat_line + "\n")
    assert code == 0 and expected in out, out


@pytest.mark.parametrize(
    ("chat_line", "said"),
    [
        ("/timeline entity:", "'entity' needs a name after it"),
        ("/timeline --entity", "'entity' needs a name after it"),
        ("/timeline entity", "'entity' needs a name after it"),  # small26: it searched the word "entity"
        ("/timeline Entity order newest", "'entity' needs a name after it"),
        ("/timeline from 2026-06 entity", "'entity' needs a name after it"),
        ("/entities type:", "Which type?"),
        ("/entity name:", "Which one?"),
        ("/source doc:", "Which article?"),
        (f"/source {SEED} sentence:two", "The sentence must be a number (got 'two')."),
    ],
)
def test_an_options_name_without_its_value_is_told_what_to_give(run, chat_line, said):
    code, out, _ = run("chat", stdin=chat_line + "\n")
    assert code == 0 and said in out, out


def test_a_chat_script_saved_with_a_byte_order_mark_runs_its_first_command(run):
    """`python -m bot chat < desk.txt` of a file Notepad saved (UTF-8 with a byte order mark):
    the mark before the first line made `/new` a question (read as a follow-up), `/about` a
    question ("there is no earlier question") and `quit` a question too: the chat went on. The
    mark is not text, as `ask --batch` already read it."""
    code, out, _ = run("chat", stdin="\ufeff/about\n")
    assert code == 0 and "16 sentences, indexed" in out and "earlier question" not in out, out
    code, out, _ = run("chat", stdin="Who banned Claude Code?\n\ufeff/new\nwhen?\n")
    assert "New topic" in out and "no earlier question" in out, out
    code, out, _ = run("chat", stdin="\ufeffquit\nWho banned Claude Code?\n")
    assert code == 0 and "Claude Code" not in out.split("\n", 1)[1], out
