"""Feeds read by feedparser (RSS 0.9x/1.0/2.0, Atom), with limits for hostile ones.

A feed is untrusted XML. Entity declarations are refused before feedparser sees the bytes
(defusedxml's check: a billion-laughs feed is a few hundred bytes that expand to gigabytes);
the size was capped when it was read; at most `max_items` entries are kept (the first, which
feeds put newest first) and each entry's text is cut to `max_entry_chars`. A problem is a
`FeedProblem` with a message for the feed's last error, never an exception that stops a poll.
"""

from __future__ import annotations

import calendar
import datetime as dt
import email.utils
import html
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from typing import Any

import defusedxml.ElementTree as SafeTree
import feedparser
from defusedxml import DefusedXmlException

__all__ = ["FeedItem", "FeedProblem", "ParsedFeed", "parse_feed"]

MAX_ITEMS = 200
MAX_ENTRY_CHARS = 200_000
MAX_LENIENT_BYTES = 500_000  # a feed that is not well-formed XML is read leniently (slowly) only up to this
_ENTRY = frozenset({"item", "entry"})
MAX_FIELD = 300  # a title, author or id longer than this is cut
MAX_LINK = (
    2_000  # a link is kept whole (a cut one is broken); a longer one, more than an article's url takes, is dropped
)
_TAGS = re.compile(r"<[^>]{0,2000}>")
_SPACES = re.compile(r"[ \t\r\f\v]+")


class FeedProblem(Exception):
    """The feed cannot be used at all; the message is recorded as the feed's last error."""


@dataclass
class FeedItem:
    """One entry, reduced to what an article needs."""

    key: str  # the GUID, else the link, else the title: what identifies the item over time
    title: str
    link: str | None
    author: str | None
    published: str | None  # ISO date
    summary: str  # the feed's own text (content, else summary), as plain text
    updated: str | None = None  # when it was last updated (else published): an ISO time in UTC,
    #                             or the day alone when the feed wrote no time; which of a
    #                             repeated GUID's copies is the latest (poll.latest_copies)


@dataclass
class ParsedFeed:
    """The feed's title, its items and what was cut or skipped."""

    title: str
    items: list[FeedItem]
    notes: list[str] = field(default_factory=list)


def _checked(data: bytes, max_items: int) -> tuple[bytes, int]:
    """The feed with at most `max_items` entries, and how many it had.

    defusedxml parses it first, refusing entity declarations; entries past `max_items` are
    cut in that tree (C speed) because feedparser takes about a millisecond an entry. A feed
    that is not well-formed XML goes to feedparser's lenient parser as it is, if small.
    """
    try:
        root = SafeTree.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise FeedProblem(
            f"refused: the feed declares XML entities ({type(exc).__name__}), as an XML bomb does"
        ) from None
    except (ElementTree.ParseError, ValueError) as exc:
        if len(data) > MAX_LENIENT_BYTES:
            raise FeedProblem(
                f"not well-formed XML ({str(exc)[:80]}) and over {MAX_LENIENT_BYTES:,} bytes: not read"
            ) from None
        return data, -1
    count = 0
    for parent in root.iter():
        entries = [child for child in parent if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] in _ENTRY]
        count += len(entries)
        for child in entries[max(0, max_items - (count - len(entries))) :]:
            parent.remove(child)
    if count <= max_items:
        return data, count
    return ElementTree.tostring(root, encoding="utf-8"), count


def plain_text(markup: str, limit: int = MAX_ENTRY_CHARS) -> str:
    """Feed HTML as text: tags dropped, entities decoded, one paragraph a line, cut at `limit`."""
    text = markup[: limit * 2]
    text = re.sub(r"(?i)<\s*(?:br|/p|/div|/h\d|/li)\b[^>]{0,200}>", "\n", text)
    text = html.unescape(_TAGS.sub(" ", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n\n".join(line for line in lines if line)[:limit]


def _short(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(html.unescape(_TAGS.sub(" ", value[: MAX_FIELD * 4])).split())
    return text[:MAX_FIELD] or None


_EMAIL_AND_NAME = re.compile(r"[^\s@()]+@[^\s@()]+\s*\(([^()]*\w[^()]*)\)")


def _author(value: Any) -> str | None:
    """An item's author, by name: RSS writes `email (Name)` (Blogger: `noreply@blogger.com (Jane
    Doe)`), and the address was cited with the name (round 19); `Name <email>` loses its tag as
    markup does.
    """
    author = _short(value)
    found = _EMAIL_AND_NAME.fullmatch(author or "")
    return " ".join(found[1].split()) if found else author


def _link(value: Any) -> str | None:
    """An item's link, whole: an aggregator's run to 400 characters and more, and a link cut at
    MAX_FIELD was fetched and cited broken (round 19).
    """
    if not isinstance(value, str):
        return None
    link = " ".join(html.unescape(_TAGS.sub(" ", value[: MAX_LINK * 2])).split())
    return link if 0 < len(link) <= MAX_LINK else None


def _written_day(written: str) -> str | None:
    """The day of a feed's date as its publisher wrote it (RFC 822 in RSS, ISO 8601 in Atom), in
    its own time zone; None when it is neither.
    """
    try:
        return email.utils.parsedate_to_datetime(written).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    try:
        return dt.datetime.fromisoformat(written.strip().replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return None


def _date(entry: Any) -> str | None:
    """The item's day as written (feedparser's parsed times are in UTC: an evening story in New
    York was dated the next day); feedparser's reading when the written form is another.
    """
    for key in ("published", "updated", "created"):
        written = entry.get(key)
        if isinstance(written, str) and (day := _written_day(written)):
            return day
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC).date().isoformat()
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _written_time(written: str) -> str | None:
    """A feed's date as an ISO time in UTC (a time without a zone read as UTC), or the day alone
    when only a day was written (`2026-11-27`); None when it is neither RFC 822 nor ISO 8601.
    """
    try:
        when = email.utils.parsedate_to_datetime(written)
    except (TypeError, ValueError, IndexError, OverflowError):
        text = written.strip()
        try:
            if len(text) == 10:
                return dt.date.fromisoformat(text).isoformat()
            when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    try:
        return (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).astimezone(dt.UTC).isoformat()
    except (OverflowError, ValueError):
        return None


def _updated(entry: Any) -> str | None:
    """When the item was last updated, else published, as written (`_written_time`); feedparser's
    reading (UTC) when the written form is another. Read as stored (`dict.get`): feedparser's
    own `get("updated")` answers with the published date, warning.
    """
    for key in ("updated", "published", "created"):
        written = dict.get(entry, key)
        if isinstance(written, str) and (when := _written_time(written)):
            return when
    for key in ("updated_parsed", "published_parsed", "created_parsed"):
        parsed = dict.get(entry, key)
        if parsed:
            try:
                return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC).isoformat()
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _text(entry: Any, limit: int) -> str:
    for content in entry.get("content") or []:
        if isinstance(content, dict) and isinstance(content.get("value"), str) and content["value"].strip():
            return plain_text(content["value"], limit)
    summary = entry.get("summary")
    return plain_text(summary, limit) if isinstance(summary, str) else ""


def parse_feed(data: bytes, *, max_items: int = MAX_ITEMS, max_entry_chars: int = MAX_ENTRY_CHARS) -> ParsedFeed:
    """The items of a feed document; FeedProblem when it is not a usable feed."""
    data, count = _checked(data, max_items)
    try:
        parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    except RecursionError:
        raise FeedProblem("the feed is nested too deeply") from None
    entries = list(parsed.get("entries") or [])
    if not entries and parsed.get("bozo"):
        reason = parsed.get("bozo_exception")
        raise FeedProblem(f"not a readable feed ({str(reason)[:120] or type(reason).__name__})")
    if not parsed.get("version") and not entries:
        raise FeedProblem("not an RSS or Atom feed")
    notes = []
    if max(count, len(entries)) > max_items:
        notes.append(f"the feed has {max(count, len(entries)):,} items; only the first {max_items} were read")
        entries = entries[:max_items]
    items = []
    for entry in entries:
        link = _link(entry.get("link"))
        title = _short(entry.get("title"))
        key = _short(entry.get("id")) or _short(entry.get("link")) or title  # as before: a seen item keeps its key
        if not key:
            notes.append("an item without id, link or title was skipped")
            continue
        text = _text(entry, max_entry_chars)
        if len(text) >= max_entry_chars:
            notes.append(f"an item's text was cut at {max_entry_chars:,} characters")
        author, day = _author(entry.get("author")), _date(entry)
        items.append(FeedItem(key, title or "", link, author, day, text, _updated(entry)))
    title = _short((parsed.get("feed") or {}).get("title")) or ""
    return ParsedFeed(title, items, notes)
