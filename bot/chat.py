"""The local chat (`python -m bot chat`, and `make run` without a Discord token).

It ends only on `quit`, `exit` (as people type them: `Quit.`, `exit()`, `:q`) or Ctrl-D: a
blank line is ignored, so an article pasted with blank lines in it can never end the chat and
leave its remaining lines to the shell. On a terminal, lines that arrive together (a paste)
are read as one question, or refused with a message when together they are too long for one;
the arrow keys recall earlier questions (the standard library's `readline`). Chat commands are
one table, `COMMANDS`: a command is one entry, its handler takes the session and the rest of
the line.
"""

from __future__ import annotations

import os
import re
import select
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from bot.browse import show_about, show_entities, show_entity, show_source, show_timeline
from bot.rules import (
    GREETED,
    MAX_QUESTION,
    THANKED,
    RuleError,
    asks_about_the_articles,
    check_question,
    greets,
    parse_date,
    says_thanks,
    what_is_indexed,
)
from bot.text_format import render_answer
from index.corpus import Conversation, Corpus, QuestionError

__all__ = ["COMMANDS", "QUIT_WORDS", "ChatSession", "run_chat"]

QUIT_WORDS = frozenset({"quit", "exit"})
# The exit words as people type them, as the whole line: `/quit`, `Quit.`, Python's `exit()`,
# vi's `:q!` and `:wq`. "exit polls" is a question.
_WORDS = "|".join(sorted(QUIT_WORDS))
_LEAVE = re.compile(rf"/?(?:{_WORDS})(?:\(\))?[.!;]*|:(?:q|wq|x|{_WORDS})!?", re.IGNORECASE)
PASTE_WAIT = 0.05  # seconds: lines arriving within this of a line's Enter were pasted with it
ORDER_RULE = "The order is oldest or newest, e.g. /timeline order newest."


@dataclass
class ChatSession:
    """What one chat keeps between lines: the corpus, how many passages to quote, colour, and the
    conversation that reads a follow-up in the story of the previous answers (`/new` resets it).
    """

    corpus: Corpus
    count: int
    color: bool = False
    allow_private_feeds: bool = False  # FEEDS_ALLOW_PRIVATE, for `/follow`
    conversation: Conversation = field(init=False)

    def __post_init__(self) -> None:
        self.conversation = self.corpus.conversation()

    def catch_up(self) -> None:
        """Take in the index another process committed since (a colleague's `ingest` or
        `remove` in another terminal), carrying the conversation over: a chat left open answers
        what the desk changed. A look at one small file when nothing changed.
        """
        fresh = self.corpus.newer()
        if fresh is not None:
            self.corpus = fresh
            self.conversation.move_to(fresh)

    def ask(self, question: str) -> None:
        """Print the answer to `question`, or the rule it breaks."""
        try:
            answer = self.conversation.ask(check_question(question), k=self.count)
        except (RuleError, QuestionError) as exc:
            print(exc.message)
            return
        print(render_answer(answer, color=self.color))


class ChatCommand(NamedTuple):
    """A chat command: its handler (the session, the rest of the line) and its line in `help`."""

    run: Callable[[ChatSession, str], None]
    usage: str


def _help(chat: ChatSession, rest: str) -> None:
    print("Type a question about the articles, or one of:")
    for command in COMMANDS.values():
        print(f"  {command.usage}")
    print("  quit, exit or Ctrl-D: leave (a blank line is ignored)")


def _timeline(chat: ChatSession, rest: str) -> None:
    """`/timeline [ENTITY] [from DATE] [to DATE] [order oldest|newest]` (`--from`/`--order` and
    Discord's `from:DATE`/`order:newest` work too; any other word is the entity's name).
    """
    missing = "'entity' needs a name after it, e.g. /timeline entity GM."
    words, entity = _unnamed(_split(rest), "entity", missing), []
    given: dict[str, str | None] = {"from": None, "to": None, "order": None}
    i = 0
    while i < len(words):
        key, colon, value = words[i].lstrip("-").partition(":")
        key = key.lower()
        if key in given and (value or not colon):
            if not value and i + 1 == len(words):
                if key == "order":
                    raise RuleError(ORDER_RULE)
                raise RuleError(f"'{key}' needs a date after it, e.g. /timeline {key} 2026-07.")
            given[key] = value or words[i + 1]
            i += 1 if value else 2
            continue
        entity.append(words[i])
        i += 1
    if entity and entity[0].lower() == "entity" and chat.corpus.entities().get(" ".join(entity)) is None:
        entity = entity[1:]  # `/timeline entity GM`, as `from 2026` is typed (a name "Entity …" stays)
        if not entity:  # `/timeline entity`: it searched the word "entity" ("No dated events match")
            raise RuleError(missing)
    order = (given["order"] or "oldest").lower()
    if order not in ("oldest", "newest"):
        raise RuleError(ORDER_RULE)
    show_timeline(
        chat.corpus,
        entity=" ".join(entity) or None,
        date_from=parse_date(given["from"]) if given["from"] else None,
        date_to=parse_date(given["to"], end=True) if given["to"] else None,
        order="newest" if order == "newest" else "oldest",
    )


def _entities(chat: ChatSession, rest: str) -> None:
    words = _unnamed(rest.split(), "type", "Which type? Type /entities TYPE, e.g. /entities person.", bare=True)
    show_entities(chat.corpus, " ".join(words) or None)


def _entity(chat: ChatSession, rest: str) -> None:
    words = _unnamed(rest.split(), "name")
    if not words:
        raise RuleError("Which one? Type /entity NAME (see /entities).")
    show_entity(chat.corpus, " ".join(words))


def _source(chat: ChatSession, rest: str) -> None:
    words = _unnamed(_unnamed(_split(rest), "doc"), "sentence")
    if not words:
        raise RuleError("Which article? Type /source DOC [SENTENCE] (/about lists the ids).")
    # An id may hold spaces (a JSONL `id`), typed without quotes: DOC SENTENCE first (the
    # documented form), then the whole line as an id, else the first word's own message.
    numbered = len(words) > 1 and words[-1].isdigit()
    sentence = int(words[-1]) if numbered else None
    if numbered and _is_article(chat, " ".join(words[:-1])):
        show_source(chat.corpus, " ".join(words[:-1]), sentence)
    elif _is_article(chat, " ".join(words)):
        show_source(chat.corpus, " ".join(words), None)
    elif len(words) > 1 and not numbered and _is_article(chat, words[0]):
        raise RuleError(f"The sentence must be a number (got {words[-1]!r}).")
    else:
        show_source(chat.corpus, words[0], sentence)


def _is_article(chat: ChatSession, doc_id: str) -> bool:
    try:
        chat.corpus.article(doc_id)
    except KeyError:
        return False
    return True


def _unnamed(words: list[str], name: str, missing: str | None = None, *, bare: bool = False) -> list[str]:
    """`words` without an option's name, as the desk types it from Discord (`entity:GM`) or the
    CLI (`--entity GM`, `--entity=GM`); with `bare`, also as the first word (`type person`). The
    value stays in its place. A name with nothing after it is `missing` (a RuleError) when given,
    else dropped (the command's own message for no value follows).

    Read as a value, the name made `/timeline entity:GM` say "No dated events match".
    """
    out: list[str] = []
    for i, word in enumerate(words):
        lowered = word.lower()
        if lowered.startswith((f"{name}:", f"--{name}=")):
            value = word[word.index(":" if lowered.startswith(name) else "=") + 1 :]
        elif lowered == f"--{name}" or (bare and i == 0 and lowered == name):
            value = ""
        else:
            out.append(word)
            continue
        if value:
            out.append(value)
        elif i + 1 == len(words) and missing is not None:
            raise RuleError(missing)
    return out


def _split(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:  # an unclosed quote: take the words as they are
        return text.split()


def _feeds(chat: ChatSession, rest: str) -> None:
    """`/feeds`: the followed feeds, as `python -m bot feeds` lists them."""
    from bot import feeds  # imported here: only the feed commands pay for feedparser and httpx

    for line in feeds.feeds_listing(feeds.followed_feeds(chat.corpus.seeds_dir)):
        print(line)


def _follow(chat: ChatSession, rest: str) -> None:
    """`/follow URL [every MINUTES]` (`--every` works too): the chat's user owns the machine."""
    from bot import feeds

    words, every = _split(rest), None
    if len(words) == 3 and words[1].lstrip("-").lower() == "every":
        if not words[2].isdigit():
            raise RuleError(f"Every how many minutes? {words[2]!r} is not a number.")
        words, every = words[:1], int(words[2])
    if len(words) != 1:
        raise RuleError("Which feed? Type /follow URL [every MINUTES].")
    print(feeds.follow_feed(chat.corpus.seeds_dir, words[0], every, allow_private=chat.allow_private_feeds))


def _unfollow(chat: ChatSession, rest: str) -> None:
    """`/unfollow URL`: stop following a feed; its articles stay."""
    from bot import feeds

    if not rest.strip():
        raise RuleError("Which feed? Type /unfollow URL (/feeds lists them).")
    print(feeds.unfollow_feed(chat.corpus.seeds_dir, rest.strip()))


def _new_topic(chat: ChatSession, rest: str) -> None:
    chat.conversation.reset()
    print("New topic: the next question starts afresh.")


COMMANDS: dict[str, ChatCommand] = {
    "help": ChatCommand(_help, "help: this list"),
    "/timeline": ChatCommand(
        _timeline, "/timeline [NAME] [from DATE] [to DATE] [order newest]: dated events, oldest first"
    ),
    "/entities": ChatCommand(_entities, "/entities [TYPE]: people, organisations, places... most mentioned first"),
    "/entity": ChatCommand(_entity, "/entity NAME: one name's mentions, quoted and cited"),
    "/source": ChatCommand(_source, "/source DOC [SENTENCE]: an article's details, or a sentence in context"),
    "/about": ChatCommand(lambda chat, rest: show_about(chat.corpus), "/about: what is indexed, with the article ids"),
    "/feeds": ChatCommand(_feeds, "/feeds: the followed news feeds (last poll, items, last error)"),
    "/follow": ChatCommand(_follow, "/follow URL [every MINUTES]: follow an RSS or Atom feed (default every 15 min)"),
    "/unfollow": ChatCommand(_unfollow, "/unfollow URL: stop following a feed (its articles stay)"),
    "/new": ChatCommand(_new_topic, "/new: a new topic (follow-ups are otherwise read in the previous answers' story)"),
}

ALIASES = {"/help": "help", "?": "help"}


def _greeting(text: str) -> bool:
    """A greeting (`rules.greets`) that passes the question's rules, as Discord reads it ("hi" is
    refused as too short there and here).
    """
    try:
        return greets(check_question(text))
    except RuleError:
        return False


def handle(chat: ChatSession, line: str) -> bool:
    """Act on one line (a question or a command); False when it asks to leave."""
    text = " ".join(line.lstrip("\ufeff").split())  # a script Notepad saved starts with a byte order mark
    if not text:
        return True
    if _LEAVE.fullmatch(text):  # `/quit` too: every other command has a slash
        return False
    head, _, rest = text.partition(" ")
    name = ALIASES.get(head.lower(), head.lower())
    command = COMMANDS.get(name)
    if command is not None and rest and not head.startswith("/"):
        command = None  # `help` or `?` with words after it begins a question ("help me find ...")
    if command is None and head.startswith("/"):
        print(f"There is no command {head}; type help for the list.")
        return True
    if command is None:
        if says_thanks(text):  # "thanks!" after an answer asks nothing: no follow-up
            print(THANKED)
        elif _greeting(text):  # "hello", "who are you?": nor does a greeting
            print(f"{GREETED} Type help for the commands.")
        elif asks_about_the_articles(text):  # "what articles do you have?": asked of the bot, not of them
            print(f"{what_is_indexed(chat.corpus.article_count(), len(chat.corpus))} Type help for the commands.")
        else:
            chat.ask(text)
        return True
    try:
        command.run(chat, rest)
    except (RuleError, QuestionError) as exc:
        print(exc.message)
    return True


def handle_paste(chat: ChatSession, lines: list[str]) -> None:
    """Several lines that arrived at once: one question if they make one, else a refusal.

    Commands and `quit` inside a paste are never run: a paste is text, not instructions.
    """
    text = " ".join(" ".join(lines).split())
    try:
        question = check_question(text)
    except RuleError:
        print(
            f"That paste has {len(lines)} lines ({len(text):,} characters): ask one question of at most "
            f"{MAX_QUESTION} characters. To add an article, save it to a .txt or .md file and run "
            "`python -m bot ingest FILE`."
        )
        return
    print(f"(Your {len(lines)} lines are read as one question.)")
    chat.ask(question)


def _pending_lines(wait: float = PASTE_WAIT) -> list[str]:
    """Lines already waiting on a terminal's input (the rest of a paste), read without blocking."""
    if sys.platform == "win32":  # select() takes sockets only there: each line is read on its own
        return []
    fd = sys.stdin.fileno()
    data = b""
    while select.select([fd], [], [], wait)[0]:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        data += chunk
    return data.decode("utf-8", errors="replace").splitlines()


def _enable_history() -> None:
    """Arrow keys and line editing at the prompt: `input()` uses readline once it is imported."""
    try:
        import readline  # noqa: F401  (imported for its effect on input())
    except ImportError:  # Windows without pyreadline: plain input still works
        pass


def run_chat(chat: ChatSession, read: Callable[[str], str] = input, interactive: bool | None = None) -> int:
    """The chat loop; returns the exit code (0). `interactive`: stdin is a terminal."""
    if interactive is None:
        interactive = sys.stdin.isatty()
    if interactive:
        _enable_history()
    while True:
        try:
            line = read("? " if interactive else "")
            pasted = _pending_lines() if interactive else []
        except EOFError:
            print()
            return 0
        except KeyboardInterrupt:
            print("\n(Type quit or press Ctrl-D to leave.)")
            continue
        lines = [part for part in line.splitlines() + pasted if part.strip()]
        if not lines:
            continue  # a blank line never ends the chat
        chat.catch_up()
        if len(lines) > 1:
            handle_paste(chat, lines)
        elif not handle(chat, lines[0]):
            return 0
        print()
