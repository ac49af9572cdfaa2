"""Polling: read the feeds that are due, make their new and updated items into stories, and
record what happened on each feed once the stories are stored.

Two steps, so the network never runs under the index's writer lock: `poll_feeds` fetches and
extracts (nothing written), the caller stores the stories (and indexes them), then
`record_poll` saves the feeds' state. Items are marked seen only when their stories were
stored, so a failed store is retried at the next poll. Every failure is a message on its feed
(`last_error`), never an exception out of a poll.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from index.ingest.feeds.extract import extract_page
from index.ingest.feeds.fetch import FetchError, PoliteClient
from index.ingest.feeds.parse import MAX_ITEMS, FeedItem, FeedProblem, parse_feed
from index.ingest.feeds.registry import Feed, SeenItem, load_feeds, now_iso, update_feeds
from index.ingest.feeds.story import Story, ahead, item_digest, make_story

__all__ = ["FeedPoll", "Limits", "Poll", "due_urls", "is_due", "latest_copies", "poll_feeds", "record_poll"]

WEB_PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml"})


@dataclass
class Limits:
    """Caps of one poll (bytes of a feed and of a page, items read, stories made per feed)."""

    feed_bytes: int = 5_000_000
    page_bytes: int = 2_000_000
    items: int = MAX_ITEMS
    stories: int = 100


@dataclass
class FeedPoll:
    """What polling one feed found."""

    url: str
    title: str = ""
    error: str | None = None  # the feed could not be read at all
    notes: list[str] = field(default_factory=list)  # what was cut, skipped or fell back
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    stories: list[Story] = field(default_factory=list)


@dataclass
class Poll:
    """One poll of some feeds; `started` is stored as each feed's last poll time."""

    started: str
    feeds: list[FeedPoll] = field(default_factory=list)

    @property
    def stories(self) -> list[Story]:
        """Every story of the poll, feed by feed."""
        return [story for feed in self.feeds for story in feed.stories]

    @property
    def new(self) -> list[Story]:
        """Stories of items never seen before."""
        return [s for s in self.stories if not s.replaces]

    @property
    def replaced(self) -> list[Story]:
        """Stories that replace an earlier version of their item."""
        return [s for s in self.stories if s.replaces]


def is_due(feed: Feed, now: dt.datetime) -> bool:
    """Whether `feed` should be polled at `now` (never polled, or `every` minutes have passed)."""
    if feed.last_poll is None:
        return True
    try:
        last = dt.datetime.fromisoformat(feed.last_poll)
    except ValueError:
        return True
    return now - last >= dt.timedelta(minutes=feed.every)


def due_urls(path: Path, *, only_due: bool = True, urls: list[str] | None = None, now: str | None = None) -> list[str]:
    """The followed feeds a poll reads, in the file's order: those due (or all), or only `urls`."""
    moment = dt.datetime.fromisoformat(now or now_iso())
    return [
        feed.url
        for feed in load_feeds(path).values()
        if (urls is None or feed.url in urls) and (not only_due or is_due(feed, moment))
    ]


def poll_feeds(
    path: Path,
    client: PoliteClient,
    *,
    only_due: bool = True,
    urls: list[str] | None = None,
    limits: Limits | None = None,
) -> Poll:
    """Poll the followed feeds (those due, or all; or only `urls`); nothing is written."""
    limits = limits or Limits()
    started = now_iso()
    poll = Poll(started)
    followed = load_feeds(path)
    for url in due_urls(path, only_due=only_due, urls=urls, now=started):
        if url in followed:
            poll.feeds.append(poll_one(followed[url], client, limits))
    return poll


def poll_one(feed: Feed, client: PoliteClient, limits: Limits) -> FeedPoll:
    """Fetch one feed (conditionally) and make stories of its new and changed items."""
    result = FeedPoll(feed.url, feed.title, etag=feed.etag, last_modified=feed.last_modified)
    try:
        fetched = client.get(feed.url, limits.feed_bytes, etag=feed.etag, last_modified=feed.last_modified)
    except FetchError as exc:
        result.error = str(exc)
        return result
    if fetched.status == 304:
        result.not_modified = True
        return result
    try:
        parsed = parse_feed(fetched.body, max_items=limits.items)
    except FeedProblem as exc:
        result.error = str(exc)
        return result
    result.title = parsed.title or feed.title
    result.etag, result.last_modified = fetched.etag, fetched.last_modified
    result.notes.extend(parsed.notes)
    items, repeats = latest_copies(parsed.items)  # a repeat would be a second story of one article id
    result.notes.extend(repeats)
    today = dt.date.fromisoformat(now_iso()[:10])
    for item in items:
        if item.link:
            item.link = urljoin(fetched.url, item.link)  # a relative link is relative to the feed
            if not item.link.lower().startswith(("http://", "https://")):
                item.link = None
        seen = feed.items.get(item.key)
        if seen is not None and seen.digest == item_digest(item):
            continue
        if len(result.stories) >= limits.stories:
            result.notes.append(f"more than {limits.stories} new items; the rest wait for the next poll")
            result.etag = result.last_modified = None  # so the next poll reads the feed again
            break
        page = None
        if item.link:
            try:
                got = client.get(item.link, limits.page_bytes, truncate=True)
                kind = got.content_type.split(";", 1)[0].strip().lower()
                if got.truncated:
                    result.notes.append(f"{got.url}: over {limits.page_bytes:,} bytes; only the first were read")
                if kind and kind not in WEB_PAGE_TYPES:  # a PDF, an image: no story to extract
                    result.notes.append(f"{got.url}: not a web page ({kind[:60]}); the feed's own text was used")
                elif got.body.strip():
                    page = extract_page(got.body, got.url)
            except FetchError as exc:
                result.notes.append(f"{exc}; the feed's own text was used")
        if ahead(item.published, today):
            result.notes.append(
                f"item {item.key[:80]!r} is dated {item.published}, in the future; its date was read elsewhere"
            )
        story = make_story(item, page, result.title, replaces=seen is not None, today=today)
        if story is None:
            result.notes.append(f"item {item.key[:80]!r} has no text; skipped")
            continue
        result.stories.append(story)
    return result


def latest_copies(items: list[FeedItem]) -> tuple[list[FeedItem], list[str]]:
    """The items with one copy of each key, in the feed's order: of a key's copies, the one
    updated last (`FeedItem.updated`; a dated copy before an undated one; a full time against a
    day alone compares their days), on a tie the later in the feed. Feeds list their items in no
    promised order (Atom says none): keeping the first kept a stale copy listed before its
    correction, and marked it seen. A note for each copy left out.
    """
    kept: dict[str, int] = {}
    for n, item in enumerate(items):
        if item.key not in kept or not _updated_after(items[kept[item.key]], item):
            kept[item.key] = n
    notes = [
        f"item {item.key[:80]!r} appears more than once in the feed; its most recently updated copy was kept"
        for n, item in enumerate(items)
        if kept[item.key] != n
    ]
    return [item for n, item in enumerate(items) if kept[item.key] == n], notes


def _updated_after(one: FeedItem, other: FeedItem) -> bool:
    """`one` was updated after `other` (False when that cannot be told apart: a tie)."""
    if one.updated is None or other.updated is None:
        return other.updated is None and one.updated is not None
    if len(one.updated) > 10 and len(other.updated) > 10:
        return dt.datetime.fromisoformat(one.updated) > dt.datetime.fromisoformat(other.updated)
    return one.updated[:10] > other.updated[:10]


def record_poll(path: Path, poll: Poll, *, stored: bool = True, failure: str | None = None) -> None:
    """Save what `poll` found on each feed; with `stored` False (the stories could not be
    stored: `failure` says why) the items stay unseen and the feed is read again next time.
    """
    if not poll.feeds:
        return  # nothing was polled: the file is not touched (nor created)

    def change(feeds: dict[str, Feed]) -> None:
        for found in poll.feeds:
            feed = feeds.get(found.url)
            if feed is None:  # unfollowed while it was being polled
                continue
            feed.last_poll, feed.last_note = poll.started, None
            if found.error:
                feed.last_error = found.error
                continue
            if not stored:
                feed.last_error = f"the new stories could not be stored: {failure or 'unknown error'}"
                continue
            feed.last_ok = poll.started
            # a note of a poll that worked (a page answered 404, the feed's text used) is no error
            feed.last_error, feed.last_note = None, "; ".join(found.notes)[:1000] or None
            if found.not_modified:
                continue
            feed.title = found.title or feed.title
            feed.etag, feed.last_modified = found.etag, found.last_modified
            for story in found.stories:
                feed.items[story.key] = SeenItem(story.doc_id, story.digest, story.title, story.url)
                if story.replaces:
                    feed.replaced += 1
                else:
                    feed.added += 1

    update_feeds(path, change)
