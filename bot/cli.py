"""`python -m bot ...`: the command line, mirroring the Python API one command per call.

Exit codes: 0 success (an abstention is a normal answer), 2 bad usage or input, 1 a failure
the message explains. No traceback reaches the user for bad input.
"""

from __future__ import annotations

import argparse
import codecs
import datetime as dt
import io
import json
import logging
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from bot.browse import print_json, show_about, show_entities, show_entity, show_source, show_timeline
from bot.change_wording import WAITING, change_summary, refused_file
from bot.rules import (
    DATE_FORMATS,
    MAX_CONTEXT,
    MAX_COUNT,
    MIN_COUNT,
    RuleError,
    check_context,
    check_count,
    check_question,
    check_whole,
    parse_date,
)
from bot.settings import Settings, SettingsError, check_place
from bot.terminal import safe_terminal
from bot.text_format import render_answer
from bot.wording import os_error_words, plural
from index.corpus import (
    SUFFIXES,
    Change,
    Corpus,
    QuestionError,
    read_file,
    seeds_lock,
)

if TYPE_CHECKING:
    from index.corpus import Conversation
    from index.ingest.feeds import Feed

log = logging.getLogger("verbatim.cli")
LOG_HANDLER = "verbatim-cli"  # the CLI's log handler; `serve` swaps it for discord.py's


class UsageError(RuleError):
    """Bad input from the user; the message is printed and the exit code is 2."""


def _seeds(settings: Settings) -> Path:
    """The articles folder; a UsageError (exit 2) when it does not exist or is a file."""
    seeds = settings.place.seeds_dir
    if seeds.exists() and not seeds.is_dir():
        raise UsageError(f"the articles folder {seeds} is a file, not a folder: set SEEDS_DIR or give --seeds FOLDER")
    if not seeds.is_dir():
        raise UsageError(f"the articles folder {seeds} does not exist: set SEEDS_DIR or give --seeds FOLDER")
    check_place(settings.place)
    return seeds


def _open(settings: Settings, progress: bool = True) -> Corpus:
    place = settings.place
    _seeds(settings)
    corpus = Corpus.open(
        place.seeds_dir, place.index_dir, progress=progress and sys.stderr.isatty(), day_first=place.day_first
    )
    return corpus  # a stale index (a full or read-only disk) is said by Corpus.open's WARNING log line, once


def _count(args: argparse.Namespace, settings: Settings) -> int:
    """`--k` when given (checked against the rules), else the ANSWER_COUNT setting."""
    return settings.corpus.answer_count if args.k is None else check_count(args.k)


# ---------------------------------------------------------------------- commands
def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    if args.batch and args.question is not None:
        raise UsageError(
            f"ask got both a QUESTION ({args.question[:40]!r}) and --batch {args.batch}: give one or the other"
        )
    if not args.batch and args.question is None:
        raise UsageError("ask needs a QUESTION or --batch FILE")
    k = _count(args, settings)
    check_context(args.context)
    question = None if args.batch else check_question(args.question)
    corpus = _open(settings)
    if question is not None:
        answer = corpus.answer(question, k=k, context=args.context)
        if args.json:
            print_json(answer.to_json())
        else:
            print(render_answer(answer, color=sys.stdout.isatty()))
        return 0
    source = _stdin_text() if args.batch == "-" else _open_text(args.batch)
    conversations: dict[str, Conversation] = {}
    failures = 0
    for number, line in enumerate(source, start=1):
        # a byte order mark starts any line of files joined with theirs (`cat a.txt b.txt`), not only the first
        text, conversation_id = line.rstrip("\n").lstrip("\ufeff"), None
        if not text.strip():
            continue
        try:
            text, conversation_id = _batch_line(text, number)
            if conversation_id is None:
                result = corpus.answer(check_question(text), k=k, context=args.context)
            else:
                conversation = conversations.setdefault(conversation_id, corpus.conversation())
                result = conversation.ask(check_question(text), k=k, context=args.context)
        except (RuleError, QuestionError) as exc:
            failures += 1
            record = {"question": text.strip()[:200], "error": exc.message}
            printed = f"Q: {text.strip()[:200]}\n{exc.message}\n"
        else:
            record = result.to_json()
            printed = f"Q: {result.question}\n{render_answer(result, conversation=conversation_id)}\n"
        if conversation_id is not None:
            record["conversation"] = conversation_id
        if args.json:
            print_json(record)
        else:
            print(printed)
    return 0 if not failures else 2


def _batch_line(line: str, number: int) -> tuple[str, str | None]:
    """A batch line: a plain question, or JSON `{"question": ..., "conversation": "ID"}` (the
    questions of one conversation ID are asked in order on one conversation).

    A line that starts with `{` is JSON: one that does not parse, or lacks a text `question`,
    is a RuleError naming the line, never asked as it is (its conversation would be lost).
    """
    if not line.lstrip().startswith("{"):
        return line, None
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        message = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
        raise RuleError(f"line {number} is not valid JSON ({message}); write {_BATCH_SHAPE}") from None
    if not isinstance(record, dict) or not isinstance(record.get("question"), str):
        raise RuleError(f'line {number} has no text "question"; write {_BATCH_SHAPE}')
    conversation = record.get("conversation")
    if conversation is not None and (isinstance(conversation, bool) or not isinstance(conversation, str | int)):
        # `true` is no id (it was the conversation "True"), nor is 1.5
        raise RuleError(f'line {number}\'s "conversation" must be a text or a whole number; write {_BATCH_SHAPE}')
    return record["question"], None if conversation is None else str(conversation)


_BATCH_SHAPE = '{"question": "...", "conversation": "ID"}'


_UTF16_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # a file or stdin that starts so is UTF-16


def _open_text(path: str) -> TextIO:
    """A text file in UTF-8, or in the encoding its byte order mark names (Notepad's UTF-8 with a
    mark, PowerShell's UTF-16): the mark is not read as text.
    """
    try:
        with open(path, "rb") as raw:
            head = raw.read(4)
        encoding = "utf-16" if head.startswith(_UTF16_MARKS) else "utf-8-sig"
        return open(path, encoding=encoding, errors="replace")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc


def _stdin_text() -> TextIO:
    """Standard input read as `_open_text` reads a file: UTF-16 when it starts with that byte
    order mark (`type q.txt | python -m bot ask --batch -` of a file PowerShell's `>` wrote),
    else as Python opened it (a UTF-8 mark is dropped from each line by the caller).
    """
    raw = getattr(sys.stdin, "buffer", None)
    if not isinstance(raw, io.BufferedReader):  # a test's StringIO, a replaced stream: as it is
        return sys.stdin
    if not raw.peek(2).startswith(_UTF16_MARKS):  # nothing read yet
        return sys.stdin
    return io.TextIOWrapper(raw, encoding="utf-16", errors="replace")


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.chat import ChatSession, run_chat  # imported here: only the chat pays for the answer room

    corpus = _open(settings)
    stats = corpus.stats()
    print(
        f"Verbatim: {plural(stats['articles'], 'article')}, {plural(stats['passages'], 'sentence')}. "
        "Ask a question; follow-ups are read in the story of the previous answers (/new starts afresh); "
        "help lists the commands; quit or Ctrl-D to leave."
    )
    session = ChatSession(
        corpus,
        settings.corpus.answer_count,
        color=sys.stdout.isatty(),
        allow_private_feeds=settings.feeds.feeds_allow_private,
    )
    return run_chat(session)


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "build":
        place = settings.place
        corpus = Corpus.open(
            _seeds(settings), place.index_dir, progress=sys.stderr.isatty(), rebuild=True, day_first=place.day_first
        )
    else:
        corpus = _open(settings)
    stats = corpus.stats()
    failed = args.action == "build" and corpus.stale is not None
    if args.json:
        print_json(stats)
    else:
        print(
            f"articles: {stats['articles']}\nsentences: {stats['passages']}\n"
            f"distinct words: {stats['terms']}\nbuilt at: {stats['built_at']}\nindex: {stats['index']}"
        )
        for warning in stats["warnings"]:
            print(f"warning: {warning}")
    return 1 if failed else 0


def _not_an_article(path: Path) -> str | None:
    """Why `ingest` does not read a path it was given as an article file, or None."""
    if path.is_dir():
        return "it is a folder (give the article files in it)"
    if not path.exists():
        return "no such file"
    if not path.is_file():  # /dev/stdin, a named pipe, a device: never read (it may never end)
        return "not a regular file (a device, pipe or socket)"
    if path.suffix.lower() not in SUFFIXES:
        return f"only {', '.join(SUFFIXES)} files are articles"
    return None


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """Add article files to the seeds folder and reindex (`Corpus.add_files`: the one policy).

    An article whose id is already indexed is refused unless `--replace`, which replaces the old
    version everywhere and says "Replaced" with counts. Exit 2 when a file was refused, 1 when
    one could not be written or the index not rebuilt.
    """
    seeds = _seeds(settings)
    paths, in_place, problems, seen = [], [], 0, set()
    for raw in args.paths:
        path = Path(raw)
        if path.is_file() and path.resolve() in seen:
            print(f"{raw}: given twice, read once", file=sys.stderr)
            continue
        seen.add(path.resolve())
        refused = _not_an_article(path)
        if refused:
            print(f"{raw}: skipped, {refused}", file=sys.stderr)
            problems += 1
        elif path.resolve().parent == seeds.resolve():  # already in the seeds folder: opening indexes it
            in_place.append(path)
        else:
            paths.append(path)
    with seeds_lock(seeds, _say_waiting):  # opening too: two CLIs never build at once
        corpus = _open(settings)
        change = corpus.add_files(paths, replace=args.replace, max_bytes=1 << 62) if paths else None
    for path in in_place:
        check = read_file(path, day_first=settings.place.day_first)
        for warning in check.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(f"indexed {path} ({plural(len(check.articles), 'article')}, already in the seeds folder)")
    if change is None:
        _print_index(corpus)
        return 2 if problems else 0
    return _report_change(change, problems, corpus)


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    """Delete articles by id from the seeds and the index (`Corpus.remove`), with counts; an id
    no article has is reported and the exit code is 2.
    """
    with seeds_lock(_seeds(settings), _say_waiting):  # opening too: two CLIs never build at once
        corpus = _open(settings)
        change = corpus.remove(args.ids)
    for doc_id in change.unknown:
        print(f"{doc_id}: no article has this id (see `about --json` for the ids)", file=sys.stderr)
    return _report_change(change, len(change.unknown), corpus)


def _say_waiting() -> None:
    print(WAITING, file=sys.stderr, flush=True)


def _print_index(corpus: Corpus) -> None:
    """The index's size after a change: from its rows (`stats` would assemble a chain's layers)."""
    print(f"index: {plural(corpus.article_count(), 'article')}, {plural(len(corpus), 'sentence')}")


def _report_change(change: Change, problems: int, corpus: Corpus) -> int:
    """Print what an ingest or remove did; its exit code (2 bad input, 1 a failure, else 0)."""
    for name, why in change.refused:
        print(refused_file(name, why), file=sys.stderr)
    if change.taken:
        print("to replace articles already indexed with a new version, ingest it with --replace", file=sys.stderr)
    for name, why in change.failed:
        print(f"{name}: not added, {why}", file=sys.stderr)
    for name in change.written:
        print(f"saved {corpus.seeds_dir / name}")
    summary = change_summary(change)
    if summary:
        print(summary[0].lower() + summary[1:])  # a status line, as the CLI's others
    if change.reindex_problem is not None:
        print(f"error: the index could not be rebuilt ({change.reindex_problem})", file=sys.stderr)
        return 1
    _print_index(change.corpus if change.corpus is not None else corpus)  # an empty index is falsy (no rows)
    if change.failed:
        return 1
    return 2 if problems or change.refused else 0


def _date_option(value: str | None, option: str, end: bool = False) -> dt.date | None:
    """A --from/--to value by the rules' date formats; the message names the option."""
    if value is None:
        return None
    try:
        return parse_date(value, end=end)
    except RuleError as exc:
        raise UsageError(f"{option}: {exc.message}") from None


def cmd_timeline(args: argparse.Namespace, settings: Settings) -> int:
    """Dated sentences, one event per sentence with all its dates, filtered and ordered."""
    date_from = _date_option(args.date_from, "--from")
    date_to = _date_option(args.date_to, "--to", end=True)
    show_timeline(_open(settings), args.entity, date_from, date_to, order=args.order, as_json=args.json)
    return 0


def cmd_entities(args: argparse.Namespace, settings: Settings) -> int:
    show_entities(_open(settings), args.type, as_json=args.json)
    return 0


def cmd_entity(args: argparse.Namespace, settings: Settings) -> int:
    show_entity(_open(settings), args.name, check_whole(args.limit, "number of sentences", 1, 1000), as_json=args.json)
    return 0


def cmd_source(args: argparse.Namespace, settings: Settings) -> int:
    show_source(_open(settings), args.doc, args.sentence, as_json=args.json)
    return 0


def cmd_about(args: argparse.Namespace, settings: Settings) -> int:
    show_about(_open(settings), as_json=args.json)
    return 0


# ---------------------------------------------------------------------- feeds
def cmd_follow(args: argparse.Namespace, settings: Settings) -> int:
    """Follow a feed: saved beside the articles, polled by the bot (or `feeds poll`)."""
    from bot import feeds as bot_feeds  # imported here: only the feed commands pay for feedparser

    print(
        bot_feeds.follow_feed(_seeds(settings), args.url, args.every, allow_private=settings.feeds.feeds_allow_private)
    )
    return 0


def cmd_unfollow(args: argparse.Namespace, settings: Settings) -> int:
    """Stop following a feed; the articles it brought stay."""
    from bot import feeds as bot_feeds

    print(bot_feeds.unfollow_feed(_seeds(settings), args.url))
    return 0


def cmd_feeds(args: argparse.Namespace, settings: Settings) -> int:
    """List the followed feeds, or poll them all now (`feeds poll`)."""
    from bot import feeds as bot_feeds

    followed = bot_feeds.followed_feeds(_seeds(settings))
    if args.action == "poll":
        if not followed:
            raise UsageError("no feed is followed: `python -m bot follow URL` first")
        corpus, poll = bot_feeds.poll_and_publish(lambda: _open(settings), settings, only_due=False)
        said = sys.stderr if args.json else sys.stdout  # with --json, stdout is the JSON alone
        for line in bot_feeds.poll_lines(poll):
            print(line, file=said)
        if corpus is not None:
            stats = corpus.stats()
            print(f"index: {plural(stats['articles'], 'article')}, {plural(stats['passages'], 'sentence')}", file=said)
        if args.json:  # the feeds as this poll left them (it was ignored: the lines alone)
            _print_feeds_json(bot_feeds.followed_feeds(_seeds(settings)))
        return 1 if any(found.error for found in poll.feeds) else 0
    if args.json:
        _print_feeds_json(followed)
        return 0
    for line in bot_feeds.feeds_listing(followed):
        print(line)
    return 0


def _print_feeds_json(followed: dict[str, Feed]) -> None:
    print_json([feed.to_json() | {"items": len(feed.items)} for feed in followed.values()])


def _add_feed_commands(sub: argparse._SubParsersAction[_Parser]) -> None:
    """`follow`, `unfollow` and `feeds [poll]`."""
    fol = sub.add_parser("follow", help="follow an RSS or Atom feed: its new stories become articles")
    fol.add_argument("url", type=_given("a feed's address"), metavar="URL", help="the feed's address (http or https)")
    fol.add_argument(
        "--every", type=int, default=None, metavar="MINUTES", help="minutes between polls, 5 to 10080 (default 15)"
    )
    fol.set_defaults(func=cmd_follow)
    unf = sub.add_parser("unfollow", help="stop following a feed (its articles stay)")
    unf.add_argument(
        "url", type=_given("a feed's address"), metavar="URL", help="the address as followed (see `feeds`)"
    )
    unf.set_defaults(func=cmd_unfollow)
    fds = sub.add_parser("feeds", help="the followed feeds (last poll, items, last error); `feeds poll` polls now")
    fds.add_argument("action", nargs="?", choices=["poll"], help="poll every feed once now")
    fds.add_argument(
        "--json", action="store_true", help="print the feeds as JSON (after `poll`: as the poll left them)"
    )
    fds.set_defaults(func=cmd_feeds)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    settings.check()  # every section, before the bot starts
    if settings.discord.discord_token is None:
        raise UsageError(
            "DISCORD_TOKEN is not set: put it in .env (see .env.example) or use `python -m bot chat` for the local chat"
        )
    from bot.discord.client import run_bot  # imported here: the CLI works without Discord code

    return run_bot(settings)


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """What `make run` starts: the Discord bot with a token, the local chat without."""
    settings.check(discord=False)  # the Discord settings are checked when the bot starts
    _open(settings)  # build the index up front, with a progress bar on a terminal
    if settings.token_given():  # the Discord section is read (and checked) only by the bot
        return cmd_serve(args, settings)
    print("DISCORD_TOKEN is not set: starting the local chat instead of the Discord bot.")
    return cmd_chat(args, settings)


# ---------------------------------------------------------------------- parser
class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (the README's promise), pointing at `--help`."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see `{self.prog} --help`)\n")


def _folder(text: str) -> Path:
    """A folder option; a blank one (`--seeds "$DIR"` with DIR unset) is refused: as a path it is
    the working directory, whose files would be read, written and removed as articles.
    """
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty: give a folder")
    return Path(text)


_NOT_UTF8 = re.compile(r"[\ud800-\udfff]")  # how Python hands over an argument's bytes that are not UTF-8


def _text(text: str) -> str:
    """An argument read as text (a question, a name, an id, an address): one whose bytes are not
    UTF-8 (a Latin-1 terminal's `café`) arrives surrogate-escaped, text no article holds; it was
    told "is empty" or looked up as `caf` and U+DCE9. A path is never checked: a file name may
    be any bytes.
    """
    if _NOT_UTF8.search(text):
        raise argparse.ArgumentTypeError("is not valid text (not UTF-8; check the terminal's encoding)")
    return text


def _given(what: str, *, path: bool = False) -> Callable[[str], str]:
    """An argument that must hold something visible (an id, a name, a path, an address): a blank
    one (`remove "$ID"` with ID unset, a pasted zero-width space) is refused, never read as no
    filter (`--entity ""` listed every event) or as the working directory (`ingest ""`).
    """

    def check(text: str) -> str:
        if not path:
            _text(text)
        if not any(ch.isprintable() and not ch.isspace() for ch in text):
            raise argparse.ArgumentTypeError(f"is empty: give {what}")
        return text

    return check


def _global_options(p: argparse.ArgumentParser, default: object = None) -> None:
    """`--seeds`, `--index-dir` and `-v`, accepted before the command and after it: after it they
    default to SUPPRESS, so that an option given before the command is not reset by the command's
    parser.
    """
    p.add_argument(
        "--seeds",
        type=_folder,
        default=default,
        metavar="DIR",
        help="folder of articles (env SEEDS_DIR; default seeds/)",
    )
    p.add_argument(
        "--index-dir",
        type=_folder,
        default=default,
        metavar="DIR",
        help="folder of the saved index (env INDEX_DIR; default .index/)",
    )
    p.add_argument("-v", "--verbose", action="store_true", default=default or False, help="log more")


def parser() -> argparse.ArgumentParser:
    """The command line: one subcommand a front-end action (the README documents every one)."""
    top = _Parser(
        prog="python -m bot",
        description="Verbatim: answers from news articles, quoted and cited.",
        epilog="Exit codes: 0 success (an abstention is an answer), 2 bad usage or input, 1 another failure.",
    )
    _global_options(top)
    sub = top.add_subparsers(
        dest="command", required=True, metavar="COMMAND", help="`python -m bot COMMAND --help` gives its options"
    )

    ask = sub.add_parser("ask", help="answer a question with quoted, cited sentences")
    ask.add_argument("question", nargs="?", type=_text, metavar="QUESTION", help="the question")
    ask.add_argument(
        "--k",
        type=int,
        default=None,
        metavar="N",
        help=f"number of passages, {MIN_COUNT} to {MAX_COUNT} (default ANSWER_COUNT, 3)",
    )
    ask.add_argument(
        "--context",
        type=int,
        default=0,
        metavar="N",
        help=f"neighbour sentences to show on each side, 0 to {MAX_CONTEXT}",
    )
    ask.add_argument("--json", action="store_true", help="print JSON")
    ask.add_argument(
        "--batch",
        metavar="FILE",
        type=_given("a file (or - for stdin)", path=True),
        help='one question a line (\'-\' for stdin); a line {"question": ..., "conversation": ID} is a follow-up',
    )
    ask.set_defaults(func=cmd_ask)

    sub.add_parser("chat", help="interactive questions with follow-ups, and the commands (type help)").set_defaults(
        func=cmd_chat
    )

    idx = sub.add_parser("index", help="build the index or show its statistics")
    idx.add_argument(
        "action",
        choices=["build", "stats"],
        help="build: read the articles again; stats: what is indexed, any warnings",
    )
    idx.add_argument("--json", action="store_true", help="print JSON")
    idx.set_defaults(func=cmd_index)

    ing = sub.add_parser("ingest", help="add article files (.txt .md .jsonl) to the seeds and index them")
    ing.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        type=_given("an article file", path=True),
        help="an article file to add (.txt, .md or .jsonl)",
    )
    ing.add_argument(
        "--replace",
        action="store_true",
        help="replace the articles whose ids are already indexed, everywhere (else they are refused)",
    )
    ing.set_defaults(func=cmd_ingest)

    rm = sub.add_parser("remove", help="delete articles by id from the seeds and the index")
    rm.add_argument(
        "ids", nargs="+", metavar="ID", type=_given("an article id"), help="article id (see `about --json`)"
    )
    rm.set_defaults(func=cmd_remove)

    tl = sub.add_parser("timeline", help="dated sentences of the articles, one event per sentence")
    tl.add_argument(
        "--entity", type=_given("a name"), help="only events whose sentence names this entity (aliases too: GM)"
    )
    tl.add_argument("--from", dest="date_from", metavar="DATE", help=f"events from this date ({DATE_FORMATS})")
    tl.add_argument("--to", dest="date_to", metavar="DATE", help=f"events up to this date ({DATE_FORMATS})")
    tl.add_argument("--order", choices=["oldest", "newest"], default="oldest", help="oldest first (default) or newest")
    tl.add_argument("--json", action="store_true", help="print JSON")
    tl.set_defaults(func=cmd_timeline)

    ents = sub.add_parser("entities", help="people, organisations, products and places named")
    ents.add_argument(
        "--type",
        type=_given("a type"),
        help="only this type: a code (PERSON, ORG, PRODUCT, GPE, LOC, NORP, EVENT, FIN, MISC) or a word of its label"
        " (person, organisation, country, city, place, product, ...)",
    )
    ents.add_argument("--json", action="store_true", help="print JSON")
    ents.set_defaults(func=cmd_entities)

    ent = sub.add_parser("entity", help="one entity: its mentions, quoted, and who appears with it")
    ent.add_argument(
        "name", type=_given("a name"), metavar="NAME", help="the name (any of its other names, accents optional)"
    )
    ent.add_argument(
        "--limit", type=int, default=10, metavar="N", help="sentences naming it to quote, 1 to 1000 (default 10)"
    )
    ent.add_argument("--json", action="store_true", help="print JSON")
    ent.set_defaults(func=cmd_entity)

    src = sub.add_parser("source", help="an article's details, or one sentence with its neighbours")
    src.add_argument("doc", type=_given("an article id"), metavar="DOC", help="article id (see `about`)")
    src.add_argument("--sentence", type=int, metavar="N", help="sentence number to show in context")
    src.add_argument("--json", action="store_true", help="print JSON")
    src.set_defaults(func=cmd_source)

    about = sub.add_parser("about", help="what is indexed")
    about.add_argument("--json", action="store_true", help="print JSON")
    about.set_defaults(func=cmd_about)

    _add_feed_commands(sub)

    sub.add_parser("serve", help="run the Discord bot (needs DISCORD_TOKEN)").set_defaults(func=cmd_serve)
    sub.add_parser("run", help="the Discord bot if DISCORD_TOKEN is set, else the local chat").set_defaults(
        func=cmd_run
    )
    for command in sub.choices.values():
        _global_options(command, argparse.SUPPRESS)
    return top


class _StderrHandler(logging.StreamHandler[TextIO]):
    """Logs to whatever `sys.stderr` is at the time (so through the control-character filter)."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


def _configure_logging(verbose: bool) -> None:
    """One handler on the root logger (as basicConfig: none if there is one already), named so
    that `serve` can replace it with discord.py's: no log line twice.
    """
    root = logging.getLogger()
    if not root.handlers:
        handler = _StderrHandler()
        handler.name = LOG_HANDLER
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.WARNING)
    logging.getLogger("verbatim").setLevel(logging.DEBUG if verbose else logging.INFO)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the exit code is 0 on success, 2 on bad usage or input, 1 on another failure.

    Everything printed goes through a filter that strips terminal control characters:
    article text cannot retitle, clear or rewrite the user's terminal.
    """
    with safe_terminal():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    args = parser().parse_args(argv)
    _configure_logging(args.verbose)
    overrides = {}
    if args.seeds:
        overrides["seeds_dir"] = args.seeds
    if args.index_dir:
        overrides["index_dir"] = args.index_dir
    try:
        settings = Settings(**overrides)
        command: Callable[[argparse.Namespace, Settings], int] = args.func
        return command(args, settings)  # each section is read (and checked) on first use
    except (RuleError, QuestionError, SettingsError) as exc:
        print(f"error: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        print(f"error: {os_error_words(exc)}", file=sys.stderr)
        return 1


__all__ = ["main", "parser"]
