"""`python -m bot ...`: the command line, mirroring the Python API one command per call.

Exit codes: 0 success (an abstention is a normal answer), 2 bad usage or input, 1 a failure
the message explains. No traceback reaches the user for bad input.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from index.corpus import Corpus, QuestionError
from index.ingest import SUFFIXES, read_file, safe_name, save_upload, storage_problem

from .settings import Settings, describe_settings_error
from .terminal import safe_terminal
from .text_format import render_answer

log = logging.getLogger("verbatim.cli")
_RAW_CONTROLS = re.compile(r"[\x7f-\x9f]")
LOG_HANDLER = "verbatim-cli"  # the CLI's log handler; `serve` swaps it for discord.py's


class UsageError(Exception):
    """Bad input from the user; the message is printed and the exit code is 2."""


def _open(settings: Settings, progress: bool = True) -> Corpus:
    cs = settings.corpus
    corpus = Corpus.open(
        cs.seeds_dir, cs.index_dir, progress=progress and sys.stderr.isatty(), day_first=cs.date_day_first
    )
    if corpus.stale:
        print(f"warning: {corpus.stale}", file=sys.stderr)
    return corpus


def _print_json(obj: object) -> None:
    # json escapes C0 controls; DEL and C1 (\x9b is an escape on some terminals) are escaped here.
    print(_RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(obj, ensure_ascii=False)))


# ---------------------------------------------------------------------- commands
def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    corpus = _open(settings)
    k = args.k or settings.corpus.answer_count
    if args.batch:
        source = sys.stdin if args.batch == "-" else _open_text(args.batch)
        failures = 0
        for line in source:
            question = line.rstrip("\n")
            if not question.strip():
                continue
            try:
                result = corpus.answer(question, k=k, context=args.context).to_json()
            except QuestionError as exc:
                failures += 1
                result = {"question": question[:200], "error": exc.message}
            if args.json:
                _print_json(result)
            else:
                print(
                    f"Q: {question}\n"
                    + (result.get("error") or render_answer(corpus.answer(question, k=k, context=args.context)))
                    + "\n"
                )
        return 0 if not failures else 2
    if args.question is None:
        raise UsageError("ask needs a QUESTION or --batch FILE")
    answer = corpus.answer(args.question, k=k, context=args.context)
    if args.json:
        _print_json(answer.to_json())
    else:
        print(render_answer(answer, color=sys.stdout.isatty()))
    return 0


def _open_text(path: str) -> TextIO:
    try:
        return open(path, encoding="utf-8", errors="replace")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    corpus = _open(settings)
    stats = corpus.stats()
    interactive = sys.stdin.isatty()
    print(
        f"Verbatim: {stats['articles']} articles, {stats['passages']} sentences. "
        "Ask a question (empty line or Ctrl-D to quit)."
    )
    while True:
        try:
            question = input("? " if interactive else "")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        stripped = question.strip()
        if stripped.lower() in {"quit", "exit", ":q"} or (interactive and not stripped):
            return 0
        if not stripped:
            continue
        try:
            print(
                render_answer(corpus.answer(question, k=settings.corpus.answer_count), color=sys.stdout.isatty()) + "\n"
            )
        except QuestionError as exc:
            print(exc.message + "\n")


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "build":
        cs = settings.corpus
        corpus = Corpus.open(
            cs.seeds_dir, cs.index_dir, progress=sys.stderr.isatty(), rebuild=True, day_first=cs.date_day_first
        )
    else:
        corpus = _open(settings)
    stats = corpus.stats()
    failed = args.action == "build" and corpus.stale is not None
    if args.json:
        _print_json(stats)
    else:
        print(
            f"articles: {stats['articles']}\nsentences: {stats['passages']}\n"
            f"terms: {stats['terms']}\nbuilt at: {stats['built_at']}\nindex: {stats['index']}"
        )
        for warning in stats["warnings"]:
            print(f"warning: {warning}")
    return 1 if failed else 0


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """Add article files to the seeds folder (atomically, never over another), then reindex.

    An article whose id is already in the seeds is refused unless `--replace`, which replaces
    the old version and says so.
    """
    seeds = settings.corpus.seeds_dir
    added, problems = [], 0
    for raw in args.paths:
        path = Path(raw)
        if path.is_dir():
            print(f"{raw}: skipped, it is a folder (give the article files in it)", file=sys.stderr)
            problems += 1
            continue
        if not path.is_file():
            print(f"{raw}: skipped, no such file", file=sys.stderr)
            problems += 1
            continue
        if path.suffix.lower() not in SUFFIXES:
            print(f"{raw}: skipped, only {', '.join(SUFFIXES)} files are articles", file=sys.stderr)
            problems += 1
            continue
        if path.resolve().parent == seeds.resolve():  # already in the seeds folder: just index it
            check = read_file(path, day_first=settings.corpus.date_day_first)
            for warning in check.warnings:
                print(f"warning: {warning}", file=sys.stderr)
            added.append(f"indexed {path} ({len(check.articles)} article{'s' if len(check.articles) != 1 else ''})")
            continue
        try:
            saved = save_upload(
                seeds,
                path.name,
                path.read_bytes(),
                max_bytes=1 << 62,
                replace=args.replace,
                day_first=settings.corpus.date_day_first,
            )
        except ValueError as exc:
            print(f"{raw}: skipped, {exc}", file=sys.stderr)
            problems += 1
            continue
        except OSError as exc:
            print(f"{raw}: not added, {storage_problem(exc)}", file=sys.stderr)
            problems += 1
            continue
        count = f"{len(saved.ids)} article{'s' if len(saved.ids) != 1 else ''}"
        line = f"added {saved.path} ({count})"
        if saved.replaced:
            line = f"replaced {', '.join(saved.replaced)}: {line}"
        if saved.removed:
            line += f"; removed {', '.join(saved.removed)} (not in the new version)"
        if saved.path.name != safe_name(path.name):
            line += f" (a file named {safe_name(path.name)} is already there; --replace replaces it)"
        added.append(line)
    corpus = _open(settings)
    for line in added:
        print(line)
    print(f"index: {corpus.stats()['articles']} articles, {corpus.stats()['passages']} sentences")
    return 0 if not problems else 1


def _parse_day(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(f"{name} must be a date like 2026-07-01 (got {value!r})") from exc


def cmd_timeline(args: argparse.Namespace, settings: Settings) -> int:
    from index.timeline import filter_events

    from .text_format import render_event

    corpus = _open(settings)
    events = filter_events(
        corpus.timeline(),
        entity=args.entity,
        date_from=_parse_day(args.date_from, "--from"),
        date_to=_parse_day(args.date_to, "--to"),
    )
    if args.json:
        _print_json({"events": [e.to_json() for e in events]})
    elif not events:
        print(
            "No dated events match."
            if (args.entity or args.date_from or args.date_to)
            else "The articles mention no dates that can be placed on a timeline."
        )
    else:
        print("\n".join(render_event(e) for e in events))
    return 0


def cmd_entities(args: argparse.Namespace, settings: Settings) -> int:
    from .text_format import render_entity_row

    found = _open(settings).entities().all(args.type.upper() if args.type else None)
    if args.json:
        _print_json({"entities": [e.to_json() for e in found]})
    elif not found:
        print("No entities of that type." if args.type else "No entities found.")
    else:
        print("\n".join(render_entity_row(e) for e in found))
    return 0


def cmd_entity(args: argparse.Namespace, settings: Settings) -> int:
    from .text_format import citation, render_entity_row

    corpus = _open(settings)
    index = corpus.entities()
    entity = index.get(args.name)
    if entity is None:
        close = index.complete(args.name, limit=5)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise UsageError(f"no entity named {args.name!r}.{hint}")
    together = index.cooccurring(entity.name, limit=10)
    if args.json:
        _print_json({**entity.to_json(), "cooccurring": [[e.name, n] for e, n in together]})
        return 0
    print(render_entity_row(entity))
    for pid, _, _ in entity.cited[: args.limit]:
        passage = corpus.passage(pid)
        print(f"   \u201c{passage.text}\u201d\n      {citation(corpus.article(passage.doc_id), passage)}")
    if together:
        print("Often in the same sentences: " + ", ".join(f"{e.name} ({n})" for e, n in together))
    return 0


def cmd_source(args: argparse.Namespace, settings: Settings) -> int:
    from .text_format import date_label

    corpus = _open(settings)
    try:
        article = corpus.article(args.doc)
    except KeyError:
        raise UsageError(f"no article {args.doc!r}; `python -m bot about` lists them") from None
    passages = corpus.passages_of(article.doc_id)
    if args.json:
        _print_json({**article.meta(), "sentences": [p.text for p in passages]})
        return 0
    print(f"{article.title}{' (title derived from the text)' if article.title_derived else ''}")
    for label, value in (
        ("author", article.author),
        ("date", date_label(article)),
        ("url", article.url),
        ("source", article.source),
        ("id", article.doc_id),
    ):
        if value:
            print(f"{label}: {value}")
    print(f"sentences: {len(passages)}")
    if args.sentence is not None:
        chosen = [p for p in passages if p.sentence == args.sentence]
        if not chosen:
            raise UsageError(f"{article.doc_id} has sentences 1 to {len(passages)}")
        before, after = corpus.neighbours(chosen[0].pid, 2)
        for p in before + chosen + after:
            marker = ">" if p.pid == chosen[0].pid else " "
            print(f"{marker} [{p.paragraph}.{p.sentence}] {p.text}")
    return 0


def cmd_about(args: argparse.Namespace, settings: Settings) -> int:
    corpus = _open(settings)
    stats = corpus.stats()
    if args.json:
        _print_json({**stats, "articles_list": [{"doc_id": a.doc_id, "title": a.title} for a in corpus.articles()]})
        return 0
    print(f"{stats['articles']} articles, {stats['passages']} sentences, indexed {stats['built_at']}")
    for article in corpus.articles()[:50]:
        print(f"  {article.doc_id}: {article.title}")
    if stats["articles"] > 50:
        print(f"  ... and {stats['articles'] - 50} more")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    if settings.discord.discord_token is None:
        raise UsageError(
            "DISCORD_TOKEN is not set: put it in .env (see .env.example) or use `python -m bot chat` for the local chat"
        )
    from .discord_app import run_bot  # imported here: the CLI works without Discord code

    return run_bot(settings)


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """What `make run` starts: the Discord bot with a token, the local chat without."""
    _open(settings)  # build the index up front, with a progress bar on a terminal
    if settings.discord.discord_token is not None:
        return cmd_serve(args, settings)
    print("DISCORD_TOKEN is not set: starting the local chat instead of the Discord bot.")
    return cmd_chat(args, settings)


# ---------------------------------------------------------------------- parser
def parser() -> argparse.ArgumentParser:
    """The command line: one subcommand per use, each with its own options."""
    top = argparse.ArgumentParser(
        prog="python -m bot", description="Verbatim: answers from news articles, quoted and cited."
    )
    top.add_argument("--seeds", type=Path, help="folder of articles (env SEEDS_DIR)")
    top.add_argument("--index-dir", type=Path, help="folder of the saved index (env INDEX_DIR)")
    top.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ask = sub.add_parser("ask", help="answer a question with quoted, cited sentences")
    ask.add_argument("question", nargs="?", help="the question")
    ask.add_argument("--k", type=int, default=None, help="number of passages (default 3)")
    ask.add_argument("--context", type=int, default=0, help="neighbour sentences to show")
    ask.add_argument("--json", action="store_true", help="print JSON")
    ask.add_argument("--batch", metavar="FILE", help="one question a line ('-' for stdin)")
    ask.set_defaults(func=cmd_ask)

    sub.add_parser("chat", help="interactive local chat").set_defaults(func=cmd_chat)

    idx = sub.add_parser("index", help="build the index or show its statistics")
    idx.add_argument("action", choices=["build", "stats"])
    idx.add_argument("--json", action="store_true", help="print JSON")
    idx.set_defaults(func=cmd_index)

    ing = sub.add_parser("ingest", help="add article files (.txt .md .jsonl) to the seeds and index them")
    ing.add_argument("paths", nargs="+", metavar="PATH")
    ing.add_argument(
        "--replace", action="store_true", help="replace articles whose ids are already indexed (else they are refused)"
    )
    ing.set_defaults(func=cmd_ingest)

    tl = sub.add_parser("timeline", help="dated events of the articles, oldest first")
    tl.add_argument("--entity", help="only events whose sentence names this entity")
    tl.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="events from this date")
    tl.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="events up to this date")
    tl.add_argument("--json", action="store_true", help="print JSON")
    tl.set_defaults(func=cmd_timeline)

    ents = sub.add_parser("entities", help="people, organisations, products and places named")
    ents.add_argument("--type", help="PERSON, ORG, PRODUCT, GPE, LOC, NORP, EVENT, FIN or MISC")
    ents.add_argument("--json", action="store_true", help="print JSON")
    ents.set_defaults(func=cmd_entities)

    ent = sub.add_parser("entity", help="one entity: its mentions, quoted, and who appears with it")
    ent.add_argument("name")
    ent.add_argument("--limit", type=int, default=10, help="mentions to show")
    ent.add_argument("--json", action="store_true", help="print JSON")
    ent.set_defaults(func=cmd_entity)

    src = sub.add_parser("source", help="an article's details, or one sentence with its neighbours")
    src.add_argument("doc", help="article id (see `about`)")
    src.add_argument("--sentence", type=int, help="sentence number to show in context")
    src.add_argument("--json", action="store_true", help="print JSON")
    src.set_defaults(func=cmd_source)

    about = sub.add_parser("about", help="what is indexed")
    about.add_argument("--json", action="store_true", help="print JSON")
    about.set_defaults(func=cmd_about)

    sub.add_parser("serve", help="run the Discord bot (needs DISCORD_TOKEN)").set_defaults(func=cmd_serve)
    sub.add_parser("run", help="the Discord bot if DISCORD_TOKEN is set, else the local chat").set_defaults(
        func=cmd_run
    )
    return top


class _StderrHandler(logging.StreamHandler):
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
    """Run one command; returns the exit code (0 done, 1 failed, 2 bad input).

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
    except Exception as exc:  # pydantic's ValidationError: say which setting is wrong, never echo a secret
        for line in describe_settings_error(exc):
            print(f"error: {line}", file=sys.stderr)
        return 2
    try:
        return args.func(args, settings)
    except (UsageError, QuestionError) as exc:
        print(f"error: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"error: {storage_problem(exc)}{where}", file=sys.stderr)
        return 1


__all__ = ["main", "parser"]
