"""Feeds for the front ends (CLI and Discord alike): the client from the settings, storing a
poll's stories, and the words that describe a feed.

`publish` is the one place where stories enter the index: `Corpus.add_files(..., replace=True)`,
the policy every front end follows (an updated item is replaced by id); the bot's feed worker
(bot/feed_worker.py) makes the same call in its own process. A poll is stored in batches: one
commit each time `STORE_BATCH` stories are waiting, and one at the end.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

from bot.rules import RuleError
from bot.settings import Settings
from bot.wording import plural
from index.corpus import Corpus, feeds

log = logging.getLogger("verbatim.feeds")

STORE_BATCH = 100  # stories a commit takes: a poll of N stories makes about N / 100 commits, at least one


def feeds_path(settings: Settings) -> Path:
    """The followed feeds' file of the configured seeds folder."""
    return feeds.feeds_file(settings.corpus.seeds_dir)


def follow_feed(seeds_dir: Path, url: str, every: int | None = None, *, allow_private: bool = False) -> str:
    """Follow a feed (the CLI's `follow`, the chat's `/follow`): the line to print, or a
    RuleError for an address or interval the rules refuse (`allow_private`: FEEDS_ALLOW_PRIVATE).
    """
    try:
        checked = feeds.check_followable(url, allow_private=allow_private)
        feed, new = feeds.follow(feeds.feeds_file(seeds_dir), checked, every)
    except (feeds.FetchError, ValueError) as exc:
        raise RuleError(str(exc)) from None
    verb = "following" if new else ("already following; polled" if every is None else "already following; now polled")
    return f"{verb} {feed.url} every {feed.every} min (`python -m bot feeds poll` polls it now)"


def unfollow_feed(seeds_dir: Path, url: str) -> str:
    """Stop following a feed (the CLI's `unfollow`, the chat's `/unfollow`); its articles stay."""
    try:
        feed = feeds.unfollow(feeds.feeds_file(seeds_dir), url.strip())
    except ValueError as exc:
        raise RuleError(str(exc)) from None
    if feed is None:
        raise RuleError(f"not following {url.strip()[:200]} (see `python -m bot feeds`)")
    return f"stopped following {feed.url}; its {plural(feed.added, 'article')} stay"


def without_folders(problem: Exception, path: Path) -> str:
    """A problem with the feeds' file as Discord shows it: the file named, not the server's folders."""
    return str(problem).replace(str(path), path.name)


def followed_feeds(seeds_dir: Path) -> dict[str, feeds.Feed]:
    """The followed feeds of a seeds folder; RuleError when their file cannot be read."""
    try:
        return feeds.load_feeds(feeds.feeds_file(seeds_dir))
    except ValueError as exc:
        raise RuleError(str(exc)) from None


def feeds_listing(followed: dict[str, feeds.Feed]) -> list[str]:
    """The followed feeds as the CLI's `feeds` and the chat's `/feeds` print them."""
    if not followed:
        return ["no feed is followed (`python -m bot follow URL`)"]
    lines = []
    for feed in followed.values():
        lines.append(f"{feed.title or feed.url}\n  {feed.url}\n  {feed_summary(feed)}")
        if feed.last_error:
            lines.append(f"  last error: {feed.last_error}")
        if feed.last_note:
            lines.append(f"  note of the last poll: {feed.last_note}")
    return lines


def client(settings: Settings) -> feeds.PoliteClient:
    """A polite client with the feed settings (private addresses, timeout, host spacing)."""
    fs = settings.feeds
    return feeds.PoliteClient(
        allow_private=fs.feeds_allow_private, timeout=fs.feeds_timeout, host_spacing=fs.feeds_host_spacing
    )


def publish(corpus: Corpus, stories: list[feeds.Story]) -> Corpus:
    """Store the stories in the seeds folder (an updated item replaces its article, by id) and
    index them with `Corpus.add_files`; returns the corpus to answer from. OSError when they
    cannot be stored or indexed (the poll then leaves the items unseen, to retry).
    """
    change = corpus.add_files([(story.filename, story.data) for story in stories], replace=True)
    check_stored(change.refused, change.failed, change.reindex_problem)
    return change.corpus if change.corpus is not None else corpus  # an empty index is falsy (no rows)


def check_stored(refused: list[tuple[str, str]], failed: list[tuple[str, str]], reindex_problem: str | None) -> None:
    """Log the refused stories; OSError when some could not be written or the index not rebuilt."""
    for name, why in refused:
        log.warning("feeds: story %s refused: %s", name, why)
    if failed:
        name, why = failed[0]
        raise OSError(f"{name}: {why}" + (f" and {len(failed) - 1} more" if len(failed) > 1 else ""))
    if reindex_problem:
        raise OSError(f"the index could not be rebuilt: {reindex_problem}")


def once_each(batch: feeds.Poll) -> None:
    """Leave out of `batch` a story another feed of it already brings under the same id (two feeds
    carrying one item: its id is its GUID's). One commit takes one version of an article, so the
    second was refused while the poll counted it new and marked its item seen, losing its later
    corrections; it now gets a note and stays unseen, so its feed's version is read again at the
    next poll (and then replaces the first, as an update does).
    """
    first: dict[str, feeds.FeedPoll] = {}
    for found in batch.feeds:
        kept: list[feeds.Story] = []
        elsewhere: dict[str, int] = {}
        for story in found.stories:
            owner = first.setdefault(story.doc_id, found)
            if owner is found:
                kept.append(story)
            else:
                name = owner.title or owner.url
                elsewhere[name] = elsewhere.get(name, 0) + 1
        found.stories = kept
        if elsewhere:  # not kept: the next poll must read the feed, not be told it is unchanged
            found.etag = found.last_modified = None
        found.notes.extend(
            f"{plural(count, 'story', 'stories')} also came from {name} in this poll: stored once, from it; "
            "this feed's version is read again at the next poll"
            for name, count in elsewhere.items()
        )


def batch_ready(waiting: feeds.Poll, *, last: bool, size: int = STORE_BATCH) -> bool:
    """Whether the feeds polled and not yet stored should be stored now: at the end of the poll,
    or once `size` stories wait (a commit per story would cost a commit's fixed work each time).
    """
    return bool(waiting.feeds) and (last or len(waiting.stories) >= size)


def poll_and_publish(
    open_corpus: Callable[[], Corpus], settings: Settings, *, only_due: bool, batch: int = STORE_BATCH
) -> tuple[Corpus | None, feeds.Poll]:
    """Poll feed by feed, store the stories in batches (`batch_ready`), record each batch's
    feeds once stored (the CLI's `feeds poll`, in one call); the corpus is opened only when there
    is something to add (None otherwise). A batch that cannot be stored is recorded as such on
    its feeds and raises; the batches before it stay stored.
    """
    path = feeds_path(settings)
    reader = client(settings)
    poll = feeds.Poll(feeds.now_iso())
    corpus = None
    try:
        due = feeds.due_urls(path, only_due=only_due)
        waiting = feeds.Poll(poll.started)
        for n, url in enumerate(due, 1):
            found = feeds.poll_feeds(path, reader, only_due=False, urls=[url])
            poll.feeds.extend(found.feeds)
            waiting.feeds.extend(found.feeds)
            if not batch_ready(waiting, last=n == len(due), size=batch):
                continue
            once_each(waiting)
            if waiting.stories:
                try:
                    corpus = publish(corpus if corpus is not None else open_corpus(), waiting.stories)
                except (OSError, ValueError) as exc:
                    feeds.record_poll(path, waiting, stored=False, failure=str(exc))
                    raise
            feeds.record_poll(path, waiting)
            waiting = feeds.Poll(poll.started)
    finally:
        reader.close()
    return corpus, poll


def ago(iso: str | None, now: dt.datetime | None = None) -> str:
    """`3 min ago`, `2 h ago`, `never`: when something last happened, in words."""
    if not iso:
        return "never"
    try:
        then = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    seconds = max(0, int(((now or dt.datetime.now(dt.UTC)) - then).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} d ago"


def feed_summary(feed: feeds.Feed) -> str:
    """One line of a feed's state: interval, last poll, items and articles, replacements."""
    parts = [
        f"every {feed.every} min",
        f"last poll {ago(feed.last_poll)}",
        f"{plural(len(feed.items), 'item')} seen",
        f"{plural(feed.added, 'article')} added",
    ]
    if feed.replaced:
        parts.append(f"{feed.replaced} replaced")
    return ", ".join(parts)


def poll_lines(poll: feeds.Poll) -> list[str]:
    """What a poll did, one line a feed (errors and notes included)."""
    lines = []
    for found in poll.feeds:
        name = found.title or found.url
        if found.error:
            lines.append(f"{name}: error: {found.error}")
            continue
        if found.not_modified:
            lines.append(f"{name}: not modified since the last poll")
            continue
        new = sum(1 for s in found.stories if not s.replaces)
        replaced = sum(1 for s in found.stories if s.replaces)
        line = f"{name}: {plural(new, 'new article')}"
        if replaced:
            line += f", {replaced} replaced"
        lines.append(line)
        lines.extend(f"  note: {note}" for note in found.notes)
    return lines
