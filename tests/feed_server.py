"""A small news site on 127.0.0.1 for the feed tests: real sockets, real HTTP (http.server in a
thread). Routes are a dict the tests change between polls; every request is recorded.

Pages are tests/data/feeds/*.html (MEANTIME's Wikinews stories in a cluttered page, CC BY 2.5).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).resolve().parent / "data" / "feeds"
INDEX = json.loads((PAGES / "pages.json").read_text(encoding="utf-8"))

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float


class NewsSite:
    """Start it, read `url(path)`, set `routes[path]` to bytes (200) or a handler function."""

    def __init__(self) -> None:
        self.routes: dict[str, bytes | Handler] = {}
        self.types: dict[str, str] = {}
        self.seen: list[Seen] = []
        site = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                site.seen.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic()))
                route = site.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if callable(route):
                    route(self)
                    return
                etag = '"' + hashlib.sha256(route).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", site.types.get(self.path, "text/html; charset=utf-8"))
                self.send_header("Content-Length", str(len(route)))
                self.send_header("ETag", etag)
                self.end_headers()
                try:
                    self.wfile.write(route)
                except (BrokenPipeError, ConnectionResetError):  # the client stopped reading (a size cap)
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> NewsSite:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]


def page(name: str) -> bytes:
    return (PAGES / f"{name}.html").read_bytes()


def _date(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(hour=9, tzinfo=UTC)


def rss(site: NewsSite, items: list[dict], title: str = "Example News") -> bytes:
    """An RSS 2.0 feed; each item dict has guid, title, link (a path), date (ISO), summary."""
    body = "".join(
        f'<item><guid isPermaLink="false">{escape(i["guid"])}</guid><title>{escape(i["title"])}</title>'
        f"<link>{escape(site.url(i['link']))}</link><pubDate>{format_datetime(_date(i['date']))}</pubDate>"
        f"<description>{escape(i.get('summary', ''))}</description></item>"
        for i in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
        f"<link>{site.base}/</link><description>Test feed</description>{body}</channel></rss>"
    ).encode()


def atom(site: NewsSite, items: list[dict], title: str = "Example Wire") -> bytes:
    body = "".join(
        f"<entry><id>{escape(i['guid'])}</id><title>{escape(i['title'])}</title>"
        f'<link href="{escape(site.url(i["link"]))}"/><updated>{i["date"]}T09:00:00Z</updated>'
        f"<author><name>{escape(i.get('author', 'Wire Desk'))}</name></author>"
        f'<summary type="html">{escape(i.get("summary", ""))}</summary></entry>'
        for i in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:test:wire</id><updated>2013-12-10T09:00:00Z</updated>{body}</feed>"
    ).encode()


def item(entry: dict, guid: str | None = None) -> dict:
    """A feed item for one of the test pages (its title, date, first sentence as summary)."""
    return {
        "guid": guid or f"urn:test:{entry['name']}",
        "title": entry["title"],
        "link": f"/news/{entry['name']}.html",
        "date": entry["date"],
        "summary": entry["first"],
    }


def serve_pages(site: NewsSite) -> None:
    for entry in INDEX:
        site.routes[f"/news/{entry['name']}.html"] = page(entry["name"])
    site.routes["/robots.txt"] = b"User-agent: *\nDisallow: /private/\n"
    site.types["/robots.txt"] = "text/plain"
