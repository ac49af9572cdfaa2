"""A feed item made into an article file: front matter (title, date, url, author, source) and
the story's text, under an id that is the same every time the item is seen.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import yaml

from index.ingest.feeds.extract import Extracted
from index.ingest.feeds.parse import FeedItem

__all__ = ["Story", "ahead", "item_digest", "item_id", "make_story"]

MAX_STORY_CHARS = 200_000


@dataclass
class Story:
    """An article to write: its file name, bytes, and what the feed's record keeps of it."""

    doc_id: str
    filename: str
    data: bytes
    key: str  # the item's GUID or link
    digest: str
    title: str
    url: str | None
    replaces: bool  # an earlier version of this item is already an article
    source: str  # "page" when the text came from the linked page, else "feed"


def item_id(key: str) -> str:
    """The article id of a feed item: a hash of its GUID (or link), stable across polls."""
    return "feed_" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def item_digest(item: FeedItem) -> str:
    """What the feed says of an item; when it changes the item was updated."""
    parts = (item.title, item.link or "", item.published or "", item.summary)
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:16]


def _body(text: str, title: str) -> str:
    """The story text without a first line that repeats the title, cut at MAX_STORY_CHARS."""
    lines = text.strip().split("\n")
    if lines and lines[0].strip() == title.strip():
        lines = lines[1:]
    return "\n\n".join(line.strip() for line in lines if line.strip())[:MAX_STORY_CHARS]


def ahead(day: str | None, today: dt.date | None) -> bool:
    """Whether `day` (ISO) is later than the day after `today`: no story is published in the
    future (a publisher's bad clock wrote 2100), and a timeline would read its weekdays there; a
    day of slack for time zones ahead of UTC.
    """
    if not day or today is None:
        return False
    try:
        return dt.date.fromisoformat(day[:10]) > today + dt.timedelta(days=1)
    except ValueError:
        return False


def make_story(
    item: FeedItem, page: Extracted | None, feed_title: str, *, replaces: bool, today: dt.date | None = None
) -> Story | None:
    """The article for `item` (the page's text when there is one, else the feed's), or None
    when neither has any text. A date after `today`'s next day is no date (the page's, then the
    text's, is read instead).
    """
    title = item.title or (page.title if page else None) or ""
    text = page.text if page else item.summary
    body = _body(text, title)
    if not body:
        return None
    meta: dict[str, str] = {}
    if title:
        meta["title"] = title
    dates = (item.published, page.date if page else None)
    date = next((d for d in dates if d and not ahead(d, today)), None)
    if date:
        meta["date"] = date
    if item.link:
        meta["url"] = item.link
    author = item.author or (page.author if page else None)
    if author:
        meta["author"] = author[:200]
    if feed_title:
        meta["source"] = feed_title
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
    doc_id = item_id(item.key)
    data = f"---\n{front}---\n{body}\n".encode()
    return Story(
        doc_id,
        f"{doc_id}.md",
        data,
        item.key,
        item_digest(item),
        title,
        item.link,
        replaces,
        "page" if page else "feed",
    )
