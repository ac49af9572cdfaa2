"""The local chat: it never ends on a blank line, reads pastes safely, and offers the browsing
commands of the CLI and Discord (`help`, `/timeline`, `/entities`, `/entity`, `/source`)."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.chat import COMMANDS, ChatSession, handle_paste, run_chat
from bot.rules import GREETED, MAX_QUESTION

SHELL_LINE = "echo THIS-LINE-RAN-IN-THE-SHELL"
QODER = "Alibaba’s in-house AI coding platform"
ARTICLE_PASTE = (
    "Alibaba has told its staff to stop using an outside coding assistant.\n\n"
    + "The company said the change follows a review of the security of its tools and suppliers. " * 4
    + "\n\n"
)


def _bot_command(seeds_dir: Path, index_dir: Path) -> list[str]:
    return [sys.executable, "-m", "bot", "--seeds", str(seeds_dir), "--index-dir", str(index_dir), "chat"]


# ---------------------------------------------------------------------- a terminal (pty)


class Terminal:
    """The chat on a pseudo-terminal, as a user runs it: readline, echo, pastes."""

    def __init__(self, argv: list[str], cwd: Path) -> None:
        import pty

        self.master, slave = pty.openpty()
        env = {**os.environ, "TERM": "xterm", "PYTHONIOENCODING": "utf-8"}
        env.pop("DISCORD_TOKEN", None)
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env)
        os.close(slave)
        self.output = ""
        self.typed_at = 0

    def read_until(self, marker: str, timeout: float = 30.0) -> str:
        """Read until `marker` shows after what was shown when the last keys were typed."""
        return self.read_until_count(marker, self.output[: self.typed_at].count(marker) + 1, timeout)

    def read_until_count(self, marker: str, count: int, timeout: float = 30.0) -> str:
        """Read until `marker` has appeared `count` times in all that was shown."""
        deadline = time.monotonic() + timeout
        while self.output.count(marker) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{marker!r} never came; the terminal shows:\n{self.output[-2000:]}")
            if select.select([self.master], [], [], 0.1)[0]:
                try:
                    self.output += os.read(self.master, 65536).decode("utf-8", "replace")
                except OSError:  # the chat has exited and closed the terminal
                    raise AssertionError(f"the chat ended; the terminal shows:\n{self.output[-2000:]}") from None
        return self.output

    def type(self, text: str) -> None:
        self.typed_at = len(self.output)
        os.write(self.master, text.encode("utf-8"))

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        os.close(self.master)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_on_a_terminal_a_paste_with_blank_lines_never_ends_the_chat(seeds_dir, index_dir, tmp_path):
    terminal = Terminal(_bot_command(seeds_dir, index_dir), tmp_path)
    try:
        terminal.read_until("? ")
        # A short paste: blank lines, then a line a shell would run. One question, the chat goes on.
        terminal.type(f"what is qoder\n\n\n{SHELL_LINE}\n")
        terminal.read_until("are read as one question")
        terminal.read_until("? ")
        # An article pasted with blank lines: too long for one question, refused, the chat goes on.
        terminal.type(ARTICLE_PASTE + SHELL_LINE + "\n")
        terminal.read_until("That paste has")
        time.sleep(0.5)
        assert terminal.proc.poll() is None, "the chat ended on a paste"
        # A blank line typed alone is ignored.
        terminal.type("\n")
        time.sleep(0.5)
        assert terminal.proc.poll() is None, "the chat ended on a blank line"
        # The up arrow recalls the last question typed (readline history).
        seen = terminal.output.count(QODER)
        terminal.type("what is qoder\n")
        terminal.read_until_count(QODER, seen + 1)
        terminal.read_until("? ")
        terminal.type("\x1b[A\n")  # up arrow, Enter
        terminal.read_until_count(QODER, seen + 2)
        terminal.type("quit\n")
        assert terminal.proc.wait(20) == 0
    finally:
        terminal.close()


def test_a_piped_paste_is_consumed_by_the_chat_not_left_to_the_shell(seeds_dir, index_dir, tmp_path):
    """`make run`, then a paste: what follows a blank line reaches the chat, never the shell."""
    chat = " ".join(f"'{part}'" for part in _bot_command(seeds_dir, index_dir))
    script = f"{chat}\nwhat is qoder\n\n\n{SHELL_LINE}\n\nquit\necho AFTER-QUIT\n"
    result = subprocess.run(["bash", "-s"], input=script, capture_output=True, text=True, cwd=tmp_path, timeout=60)
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and QODER in result.stdout
    assert "THIS-LINE-RAN-IN-THE-SHELL" not in lines  # the chat read it as a question
    assert "AFTER-QUIT" not in lines  # the chat read its input to the end


# ---------------------------------------------------------------------- the commands


def test_blank_lines_are_ignored_and_only_quit_exit_or_end_of_input_leave(run):
    code, out, _ = run("chat", stdin="\n\n   \nwhat is qoder\n\nexit\nwhat is claude code\n")
    assert code == 0 and out.count(QODER) == 1 and "Claude Code" not in out.split(QODER)[-1]
    code, out, _ = run("chat", stdin="what is qoder\n")  # end of input (Ctrl-D)
    assert code == 0 and QODER in out


@pytest.mark.parametrize("leave", ["/quit", "/exit", "/QUIT"])
def test_quit_typed_as_a_command_leaves_too(run, leave):
    """Every other chat command starts with a slash, so people type `/quit`: it leaves."""
    code, out, _ = run("chat", stdin=f"what is qoder\n{leave}\nwhat is claude code\n")
    assert code == 0 and out.count(QODER) == 1 and "no command" not in out
    assert "Claude Code" not in out.split(QODER)[-1]


@pytest.mark.parametrize("leave", ["Quit.", "exit()", "quit()", "Exit!", ":q", ":q!", ":wq"])
def test_quit_as_people_type_it_leaves(run, leave):
    """`Quit.` (a sentence), `exit()` and `quit()` (Python's), `:q` (vi's) were asked as questions
    ("No word of the question occurs in the articles") and the chat went on."""
    code, out, _ = run("chat", stdin=f"what is qoder\n{leave}\nwhat is claude code\n")
    assert code == 0 and out.count(QODER) == 1 and "No word" not in out, out
    assert "Claude Code" not in out.split(QODER)[-1]


@pytest.mark.parametrize("question", ["exit polls", "quit smoking", "exit() polls"])
def test_a_line_that_only_begins_with_quit_is_a_question(run, question):
    """Only the whole line leaves: a question that begins with the word is asked."""
    code, out, _ = run("chat", stdin=f"{question}\nwhat is claude code\n")
    assert code == 0 and "Claude Code" in out, out


def test_help_lists_every_chat_command(run):
    code, out, _ = run("chat", stdin="help\n")
    assert code == 0 and "No word of the question" not in out
    for name in COMMANDS:
        assert name in out
    assert "quit" in out and "Ctrl-D" in out


@pytest.mark.parametrize("question", ["help me find what qoder is", "Help, what is qoder?", "? what is qoder"])
def test_a_question_that_starts_with_help_is_answered_not_the_help_list(run, question):
    """`help` (or `?`) alone lists the commands; followed by words it begins a question, which
    was dropped for the list ("help me find what qoder is" printed the help)."""
    code, out, _ = run("chat", stdin=question + "\nhelp\n")
    assert code == 0 and QODER in out, out
    assert out.count("Type a question about the articles, or one of:") == 1  # the bare `help` only


@pytest.mark.parametrize(
    ("chat_line", "cli_args"),
    [
        ("/timeline from 2026-07-01 to 2026-07-05", ["timeline", "--from", "2026-07-01", "--to", "2026-07-05"]),
        ("/timeline Qwen", ["timeline", "--entity", "Qwen"]),
        ("/timeline from 2026-07", ["timeline", "--from", "2026-07"]),
        (
            "/timeline Alibaba from:2026-06 to:2026-07-05",
            ["timeline", "--entity", "Alibaba", "--from", "2026-06", "--to", "2026-07-05"],
        ),
        # Discord's `order:newest` (and `order newest`) was read as part of the name: "No dated events match"
        ("/timeline Alibaba order:newest", ["timeline", "--entity", "Alibaba", "--order", "newest"]),
        ("/timeline from 2026 order newest", ["timeline", "--from", "2026", "--order", "newest"]),
        ("/entities product", ["entities", "--type", "product"]),
        ("/entity Claude Code", ["entity", "Claude Code"]),
        ("/source 000_e228878e0c08bf80 2", ["source", "000_e228878e0c08bf80", "--sentence", "2"]),
        ("/about", ["about"]),
    ],
)
def test_chat_commands_print_what_the_cli_prints(run, chat_line, cli_args):
    code, expected, _ = run(*cli_args)
    assert code == 0 and expected.strip()
    code, out, _ = run("chat", stdin=chat_line + "\n")
    assert code == 0 and expected in out


def test_chat_refuses_bad_input_with_the_cli_message_and_goes_on(run):
    _, _, cli_error = run("timeline", "--from", "July")
    _, _, short_error = run("ask", "hi")
    code, out, _ = run("chat", stdin="/timeline from July\nhi\n/entity\n/nosuch\nwhat is qoder\n")
    assert code == 0 and QODER in out  # the chat went on after every refusal
    assert cli_error.split(": ", 2)[-1].strip() in out  # "'July' is not a date: use ..."
    assert short_error.removeprefix("error: ").strip() in out
    assert "Which one?" in out and "no command /nosuch" in out


def test_a_timeline_order_other_than_oldest_or_newest_is_refused(run):
    code, out, _ = run("chat", stdin="/timeline Alibaba order:sideways\n/timeline order\n")
    assert code == 0 and out.count("The order is oldest or newest") == 2, out


def test_a_date_word_without_its_date_is_refused_not_read_as_a_name(run):
    code, out, _ = run("chat", stdin="/timeline from\n/timeline Qwen to\nwhat is qoder\n")
    assert code == 0 and QODER in out
    assert "'from' needs a date after it" in out and "'to' needs a date after it" in out
    assert "No dated events match" not in out


def test_a_paste_too_long_for_one_question_is_refused(seed_corpus, capsys):
    chat = ChatSession(seed_corpus, 3)
    handle_paste(chat, ["x" * 200, "y" * (MAX_QUESTION - 150), "quit"])
    out = capsys.readouterr().out
    assert "That paste has 3 lines" in out and "ingest" in out
    handle_paste(chat, ["what is", "qoder"])
    assert QODER in capsys.readouterr().out


def test_a_paste_arriving_as_one_input_is_read_as_one_question(seed_corpus, capsys):
    """Readline's bracketed paste hands the whole paste over as one input with line breaks."""
    lines = iter(["what is\n\nqoder", "quit"])
    assert run_chat(ChatSession(seed_corpus, 3), read=lambda _: next(lines), interactive=False) == 0
    out = capsys.readouterr().out
    assert "read as one question" in out and QODER in out


# ---------------------------------------------------------------------- feeds in the chat
FEED = "https://news.example.com/rss.xml"


def test_chat_follow_refuses_a_loopback_feed(run):
    code, out, _ = run("chat", stdin="/follow http://127.0.0.1:9/feed\n/feeds\nquit\n")
    assert code == 0 and "private or loopback" in out and "no feed is followed" in out


def test_follow_feeds_and_unfollow_in_the_chat_print_what_the_cli_prints(run, seeds_dir):
    code, out, _ = run("chat", stdin=f"/follow {FEED} every 30\n/feeds\nwhat is qoder\n")
    assert code == 0 and f"following {FEED} every 30 min" in out and QODER in out
    assert (seeds_dir / ".feeds.json").exists()  # saved where the CLI and the bot read it
    code, listed, _ = run("feeds")
    assert code == 0 and FEED in listed and "every 30 min" in listed
    assert listed.strip() in out  # the chat's /feeds is the CLI's list
    code, out, _ = run("chat", stdin=f"/follow {FEED} --every 60\n")
    assert code == 0 and f"already following; now polled {FEED} every 60 min" in out
    code, out, _ = run("chat", stdin=f"/unfollow {FEED}\n/feeds\n")
    assert code == 0 and f"stopped following {FEED}; its 0 articles stay" in out
    code, empty, _ = run("feeds")
    assert empty.strip() in out.split("stay", 1)[1]  # "no feed is followed", as the CLI says


@pytest.mark.parametrize(
    ("chat_line", "cli_args"),
    [
        ("/follow file:///etc/passwd", ["follow", "file:///etc/passwd"]),
        (f"/follow {FEED} every 1", ["follow", FEED, "--every", "1"]),
        (f"/unfollow {FEED}", ["unfollow", FEED]),
    ],
)
def test_the_chat_refuses_a_feed_with_the_cli_message_and_goes_on(run, seeds_dir, chat_line, cli_args):
    code, _, cli_error = run(*cli_args)
    assert code == 2 and cli_error.startswith("error: ")
    code, out, _ = run("chat", stdin=f"{chat_line}\n/follow\nwhat is qoder\n")
    assert code == 0 and cli_error.removeprefix("error: ").strip() in out
    assert "Which feed?" in out and QODER in out
    assert not (seeds_dir / ".feeds.json").exists() or FEED not in (seeds_dir / ".feeds.json").read_text()


@pytest.mark.parametrize("wordless", ["?!?", "...", "👍👍👍", "🙂 ?"])
def test_a_question_of_no_words_after_an_answer_is_not_answered_from_its_story(run, wordless):
    """'?!?' or an emoji after an answer has no word to search for: the chat says so, as for the
    same line asked first, instead of quoting the previous story again (as strong matches).
    """
    code, out, _ = run("chat", stdin=f"what is qoder\n{wordless}\n")
    assert code == 0 and out.count(QODER) == 1, out
    assert "The question has no words to search for." in out.split(QODER)[-1]


def test_thanks_after_an_answer_is_not_answered_with_the_same_quotes(run):
    """Round 22 (qa22): "thanks!" after an answer was read as a follow-up and the answer quoted
    again as a strong match; it gets a short reply, and the next follow-up is read as before."""
    code, out, _ = run("chat", stdin="what is qoder\nthanks!\nok, got it\n")
    assert code == 0 and out.count(QODER) == 1, out
    assert out.count("Glad to help") == 2


def test_a_greeting_in_the_chat_is_told_how_to_ask_not_answered(run):
    """Round 27: "hello" or "who are you?" after an answer was read as a follow-up and the story's
    lede quoted as a strong match (Discord told how to ask since qa27; the chat did not)."""
    code, out, _ = run("chat", stdin="what is qoder\nhello\nwho are you?\n")
    assert code == 0 and out.count(QODER) == 1, out
    assert out.count(GREETED) == 2, out


def test_source_in_the_chat_finds_an_id_with_spaces(run, seeds_dir):
    """A JSONL id may hold spaces (`wire story 1`): `/source wire story 1 2` looked up `wire`
    (and silently dropped `story`), so only a shell-quoted id could be shown."""
    record = {"id": "wire story 1", "title": "Pier", "text": "The pier reopened on Monday. Walkers came back."}
    (seeds_dir / "wire.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    code, expected, _ = run("source", "wire story 1", "--sentence", "2")
    assert code == 0 and "Walkers came back." in expected
    code, out, _ = run("chat", stdin="/source wire story 1 2\n/source wire story 1\n/source wire 2\n")
    assert code == 0 and expected in out, out
    assert out.count("id: wire story 1") == 2 and "No article 'wire'" in out


FIRE = (
    "---\ntitle: Fire at the Port Vale warehouse\ndate: 2026-10-14\nauthor: Lena Ortiz\n---\n"
    "A fire broke out at the Port Vale warehouse on Monday night.\n\nNo one was injured, the fire chief said.\n"
)
STRIKE = (
    "---\ntitle: Dock workers walk out\ndate: 2026-10-02\nauthor: Mara Quinn\n---\n"
    "Dock workers at Port Vale walked out on Thursday after talks collapsed.\n\n"
    "The union said the strike would last until wages rose.\n"
)


def test_a_follow_up_after_an_answer_about_an_article_is_read_in_that_article(run, seeds_dir):
    """A question such as "who wrote the story about the fire" is answered from the article's
    byline, but the answer was not kept in the conversation (it quotes no sentence), so "when?"
    after it was read alone: "The question has no words to search for." It is now read in that
    article's story."""
    (seeds_dir / "fire.md").write_text(FIRE, encoding="utf-8")
    (seeds_dir / "strike.md").write_text(STRIKE, encoding="utf-8")
    code, out, _ = run("chat", stdin="who wrote the story about the fire\nwhen?\n")
    assert code == 0 and "Author: Lena Ortiz" in out, out
    after = out.split("Author: Lena Ortiz")[-1]
    assert "no words to search for" not in after and "on Monday night." in after, out
    assert after.index("on Monday night.") < after.index("read as a follow-up"), out


def test_an_article_ingested_in_another_terminal_is_answered_in_an_open_chat(tmp_path, capsys):
    """Round 20 (qa20): a chat left open kept the index it opened, so a story a colleague had
    just ingested (`python -m bot ingest` in another terminal) was not found until the chat was
    started again. Each line now takes in what another writer committed, the conversation too."""
    import shutil

    from index.corpus import Corpus
    from tests.conftest import SEED

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)
    keeper = tmp_path / "keeper.md"
    keeper.write_text(
        "---\ntitle: Lighthouse keeper retires\ndate: 2026-11-25\n---\n"
        "The Grayport lighthouse keeper, Olaf Brandt, retired on Wednesday after forty years.\n",
        encoding="utf-8",
    )

    def lines():
        yield "When does the ban take effect?"
        Corpus.open(seeds, tmp_path / "index").add_files([keeper])  # the other terminal's ingest
        yield "who is the lighthouse keeper?"
        yield "when did he retire?"
        yield "/about"
        yield "quit"

    typed = lines()
    chat = ChatSession(Corpus.open(seeds, tmp_path / "index"), 1)
    assert run_chat(chat, read=lambda _: next(typed), interactive=False) == 0
    out = capsys.readouterr().out
    assert out.count("Olaf Brandt, retired on Wednesday") == 2 and "keeper: Lighthouse keeper retires" in out
