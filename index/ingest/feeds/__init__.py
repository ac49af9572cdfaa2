"""Following the news: RSS and Atom feeds polled politely, their items made into articles.

`registry` keeps the followed feeds (a JSON file in the seeds folder), `fetch` is the polite and
guarded HTTP client (`addresses` checks where it connects), `parse` reads feeds with
feedparser under limits, `extract` takes a story from its page with trafilatura, `story` makes
an item an article file, `poll` runs a poll and records it. See docs/feeds.md.
"""

from index.ingest.feeds.fetch import FetchError, PoliteClient, check_followable, check_url
from index.ingest.feeds.poll import FeedPoll, Limits, Poll, due_urls, poll_feeds, record_poll
from index.ingest.feeds.registry import DEFAULT_EVERY, Feed, feeds_file, follow, load_feeds, now_iso, unfollow
from index.ingest.feeds.story import Story

__all__ = [
    "DEFAULT_EVERY",
    "Feed",
    "FeedPoll",
    "FetchError",
    "Limits",
    "Poll",
    "PoliteClient",
    "Story",
    "check_followable",
    "check_url",
    "due_urls",
    "feeds_file",
    "follow",
    "load_feeds",
    "now_iso",
    "poll_feeds",
    "record_poll",
    "unfollow",
]
