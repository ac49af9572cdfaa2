"""The followed feeds, saved as a small JSON file in the seeds folder (`.feeds.json`, hidden so
it is never read as an article; it travels with the articles it produced).

Human-readable (indented, sorted keys), written atomically (temp file, fsync, rename) under an
exclusive lock (`.feeds.json.lock`), so the bot and a CLI changing it at once never lose each other's changes: each
change reloads the file, applies itself and writes it back while holding the lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from index.ingest.files import write_atomic

__all__ = [
    "DEFAULT_EVERY",
    "Feed",
    "SeenItem",
    "feeds_file",
    "follow",
    "load_feeds",
    "now_iso",
    "same_address",
    "unfollow",
    "update_feeds",
]

DEFAULT_EVERY = 15  # minutes between two polls of a feed
MIN_EVERY, MAX_EVERY = 5, 7 * 24 * 60
FILE_NAME = ".feeds.json"
T = TypeVar("T")


@dataclass
class SeenItem:
    """An item already made into an article: its article id and a hash of what it said."""

    doc_id: str
    digest: str
    title: str = ""
    url: str | None = None


@dataclass
class Feed:
    """One followed feed and what its polls found."""

    url: str
    every: int = DEFAULT_EVERY  # minutes
    title: str = ""
    added_at: str = ""  # ISO time (UTC)
    last_poll: str | None = None  # ISO time (UTC) of the last attempt
    last_ok: str | None = None
    last_error: str | None = None
    last_note: str | None = None  # what the last poll that worked noted (a page's 404): no error
    etag: str | None = None
    last_modified: str | None = None
    added: int = 0  # articles made from this feed, all polls together
    replaced: int = 0
    items: dict[str, SeenItem] = field(default_factory=dict)  # item key (GUID or link) -> what was made of it

    def to_json(self) -> dict[str, Any]:
        """The JSON object saved for this feed."""
        return asdict(self)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Feed:
        """A feed from its saved object (unknown keys ignored: a newer file still loads);
        ValueError naming the first value of the wrong type (the file is edited by hand).
        """
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        _check_types(known, _FEED_TYPES, "")
        items = known.pop("items", None) or {}
        feed = cls(**known)
        for key, value in items.items():
            if not isinstance(value, dict):
                raise ValueError(f"item {key!r} is not an object")
            seen = {k: v for k, v in value.items() if k in SeenItem.__dataclass_fields__}
            _check_types(seen, _ITEM_TYPES, f"item {key!r}: ")
            feed.items[key] = SeenItem(**seen)
        return feed


_TEXT, _MAYBE_TEXT, _WHOLE = (str,), (str, type(None)), (int,)
_FEED_TYPES = {
    "url": _TEXT,
    "every": _WHOLE,
    "title": _TEXT,
    "added_at": _TEXT,
    "last_poll": _MAYBE_TEXT,
    "last_ok": _MAYBE_TEXT,
    "last_error": _MAYBE_TEXT,
    "last_note": _MAYBE_TEXT,
    "etag": _MAYBE_TEXT,
    "last_modified": _MAYBE_TEXT,
    "added": _WHOLE,
    "replaced": _WHOLE,
    "items": (dict, type(None)),
}
_ITEM_TYPES = {"doc_id": _TEXT, "digest": _TEXT, "title": _TEXT, "url": _MAYBE_TEXT}


def _check_types(values: dict[str, Any], types: dict[str, tuple[type, ...]], where: str) -> None:
    """ValueError for the first value not of its field's type (`"every": "15"`: a poll would fail)."""
    for key, value in values.items():
        if not isinstance(value, types[key]) or (isinstance(value, bool) and types[key] == _WHOLE):
            raise ValueError(f"{where}{key} is {json.dumps(value)[:40]}, not {_TYPE_WORDS[types[key]]}")


_TYPE_WORDS = {
    _TEXT: "text",
    _MAYBE_TEXT: "text or null",
    _WHOLE: "a whole number",
    (dict, type(None)): "an object",
}


def feeds_file(seeds_dir: Path) -> Path:
    """Where the followed feeds of a seeds folder are saved."""
    return seeds_dir / FILE_NAME


def load_feeds(path: Path) -> dict[str, Feed]:
    """The saved feeds by URL (none when the file does not exist); ValueError when it is unreadable."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        feeds = raw.get("feeds", []) if isinstance(raw, dict) else None
        if not isinstance(feeds, list):
            raise ValueError('it is not {"feeds": [...]}')
        loaded = [_feed(n, raw_feed) for n, raw_feed in enumerate(feeds, 1)]
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:  # never read as no feeds: the next change would write over them
        raise ValueError(f"{path} cannot be read ({exc}); fix or delete it") from exc
    return {feed.url: feed for feed in loaded}


def _feed(n: int, raw: Any) -> Feed:
    """The `n`th feed of the file; ValueError saying which and what is wrong with it."""
    if not isinstance(raw, dict) or not isinstance(raw.get("url"), str):
        raise ValueError(f"feed {n} is not an object with a url")
    try:
        return Feed.from_json(raw)
    except ValueError as exc:
        raise ValueError(f"feed {n} ({raw['url'][:80]}): {exc}") from None


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on a file beside the registry (which is replaced on every write).

    Not the seeds folder's writer lock: that one is held through whole index builds, and
    `/follow` must answer within Discord's 3 seconds.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def update_feeds(path: Path, change: Callable[[dict[str, Feed]], T]) -> T:
    """Apply `change` to the saved feeds under the lock and save them; returns what it returned."""
    with _locked(path):
        feeds = load_feeds(path)
        result = change(feeds)
        data = {"feeds": [feed.to_json() for feed in sorted(feeds.values(), key=lambda f: f.url)]}
        write_atomic(path, (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8"))
        return result


def now_iso() -> str:
    """The time now in UTC, to the second, as the file stores times."""
    import datetime as dt

    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def same_address(url: str) -> str:
    """The one spelling of a feed's address: scheme and host in lower case (they have no case) and
    no fragment (never sent), so `https://NEWS.example.com/rss#top` is the feed
    `https://news.example.com/rss`, not a second one polling the same address. The path and query
    keep their case (a server may tell them apart).
    """
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, ""))


def _followed_as(feeds: dict[str, Feed], url: str) -> str | None:
    """The key under which `url` is followed: as written, else by `same_address` (a feed saved
    before addresses were spelled one way keeps its key).
    """
    if url in feeds:
        return url
    wanted = same_address(url)
    return next((key for key in feeds if same_address(key) == wanted), None)


def follow(path: Path, url: str, every: int | None = None) -> tuple[Feed, bool]:
    """Follow `url` every `every` minutes (DEFAULT_EVERY for a new feed when None; a feed already
    followed gets the new interval, or keeps its own when None); returns the feed and whether it
    is new. ValueError for a bad interval.
    """
    if every is not None and not MIN_EVERY <= every <= MAX_EVERY:
        raise ValueError(f"the interval must be {MIN_EVERY} to {MAX_EVERY:,} minutes (got {every})")

    def change(feeds: dict[str, Feed]) -> tuple[Feed, bool]:
        key = _followed_as(feeds, url)
        if key is not None:
            feed = feeds[key]
            if every is not None:
                feed.every = every
            return feed, False
        address = same_address(url)
        feed = feeds[address] = Feed(url=address, every=DEFAULT_EVERY if every is None else every, added_at=now_iso())
        return feed, True

    return update_feeds(path, change)


def unfollow(path: Path, url: str) -> Feed | None:
    """Stop following `url` (its articles stay); the feed removed, or None if it was not followed."""

    def change(feeds: dict[str, Feed]) -> Feed | None:
        key = _followed_as(feeds, url)
        return None if key is None else feeds.pop(key)

    return update_feeds(path, change)
