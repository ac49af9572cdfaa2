"""A polite, safe HTTP client for feeds and the pages they link to (httpcore underneath).

Polite: a User-Agent naming the bot, conditional GET (ETag, Last-Modified), `robots.txt`
honoured (urllib.robotparser, cached per host), and a pause between two requests to one host.
Safe: only http and https; every redirect hop re-checked (scheme, robots, address); the
address actually dialled is checked (see `addresses`); a deadline per request (a server that
trickles bytes cannot hold the poller) and a size cap read while streaming (a page that never
ends is cut at the cap, never held whole). Content is asked for uncompressed, so the cap
counts what is kept (a small gzip bomb cannot expand past it).
"""

from __future__ import annotations

import ssl
import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import certifi
import httpcore

from index.ingest.feeds.addresses import AddressRefused, GuardedBackend, host_problem

__all__ = ["FetchError", "Fetched", "PoliteClient", "check_followable", "check_url"]

USER_AGENT = "VerbatimBot/0.1 (news question-answering bot; feed reader)"
MAX_REDIRECTS = 5
ROBOTS_BYTES = 512_000
ROBOTS_TTL = 3600.0  # seconds a host's robots.txt is trusted before it is read again


class FetchError(Exception):
    """A fetch that failed or was refused; the message says why, for the feed's last error."""


@dataclass
class Fetched:
    """What a GET returned: status 200 with a body, or 304 (not modified) without one."""

    url: str  # after redirects
    status: int
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""
    truncated: bool = False  # the body reached the size cap and was cut there


def check_url(url: str) -> str:
    """The URL if it is an absolute http(s) URL with a host; FetchError otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"only http and https addresses are followed (not {parts.scheme or 'a relative address'!r})")
    if not parts.hostname:
        raise FetchError("the address has no host")
    if parts.username or parts.password:
        raise FetchError("addresses with a user name or password are not followed")
    if any(ch.isspace() or not ch.isprintable() for ch in parts.hostname):
        raise FetchError("the address's host name holds a space or an invisible character")
    try:
        parts.port  # noqa: B018  (read for its check: a port out of range or not a number raises)
    except ValueError:
        raise FetchError("the address's port is not a number from 1 to 65535") from None
    return url.strip()


def check_followable(url: str, *, allow_private: bool) -> str:
    """`check_url`, and a host written as an address the reader will never connect to refused
    now (`http://127.0.0.1/feed` without FEEDS_ALLOW_PRIVATE); FetchError otherwise.
    """
    checked = check_url(url)
    problem = host_problem(urlsplit(checked).hostname or "", allow_private=allow_private)
    if problem:
        raise FetchError(f"the feed's host is {problem}")
    return checked


@dataclass
class _Robots:
    parser: urllib.robotparser.RobotFileParser
    read_at: float


@dataclass
class PoliteClient:
    """One client per poller; thread safe (a lock per host keeps the spacing honest).

    `timeout` bounds each request end to end (connect, headers and body); `host_spacing` is
    the least time between two requests to one host.
    """

    allow_private: bool = False
    timeout: float = 10.0
    host_spacing: float = 1.0
    user_agent: str = USER_AGENT
    _pool: httpcore.ConnectionPool = field(init=False, repr=False)
    _robots: dict[str, _Robots] = field(default_factory=dict, init=False, repr=False)
    _last: dict[str, float] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl.create_default_context(cafile=certifi.where()),
            network_backend=GuardedBackend(allow_private=self.allow_private),
            max_connections=8,
            retries=0,
        )

    def close(self) -> None:
        """Close the pooled connections."""
        self._pool.close()

    def get(
        self,
        url: str,
        max_bytes: int,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        truncate: bool = False,
    ) -> Fetched:
        """GET `url` following up to MAX_REDIRECTS redirects, each hop checked.

        Over `max_bytes`: FetchError, or with `truncate` the first `max_bytes` bytes
        (`truncated` set). A conditional GET when `etag` or `last_modified` is given.
        """
        current = check_url(url)
        for _ in range(MAX_REDIRECTS + 1):
            if not self.allowed_by_robots(current):
                raise FetchError(f"{current}: robots.txt asks bots not to fetch it")
            headers = {"Accept-Encoding": "identity"}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            status, got, body, truncated = self._request(current, headers, max_bytes, truncate)
            if status in (301, 302, 303, 307, 308):
                location = got.get("location")
                if not location:
                    raise FetchError(f"{current}: a redirect without a Location")
                current = check_url(urljoin(current, location))
                continue
            if status == 304:
                return Fetched(current, 304, etag=etag, last_modified=last_modified)
            if status != 200:
                raise FetchError(f"{current}: the server answered HTTP {status}")
            return Fetched(
                current,
                200,
                body,
                etag=got.get("etag"),
                last_modified=got.get("last-modified"),
                content_type=got.get("content-type", ""),
                truncated=truncated,
            )
        raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")

    def allowed_by_robots(self, url: str) -> bool:
        """Whether the host's robots.txt lets this bot fetch `url` (read once an hour per host).

        As urllib.robotparser reads it: 401/403 forbid the whole host, another error or a
        missing file allows it; an unreachable robots.txt allows it too (the fetch that
        follows reports the real problem).
        """
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        cached = self._robots.get(origin)
        if cached is None or time.monotonic() - cached.read_at > ROBOTS_TTL:
            parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
            try:
                status, _, body, _ = self._request(origin + "/robots.txt", {}, ROBOTS_BYTES, True)
            except FetchError:
                status, body = 404, b""
            if status in (401, 403):
                parser.parse(["User-agent: *", "Disallow: /"])
            elif status == 200:
                parser.parse(body.decode("utf-8", errors="replace").splitlines())
            else:
                parser.parse([])  # no robots.txt: everything is allowed
            cached = self._robots[origin] = _Robots(parser, time.monotonic())
        return cached.parser.can_fetch(self.user_agent, url)

    def _space(self, host: str) -> None:
        """Wait until `host_spacing` has passed since the last request to `host`."""
        while True:
            with self._lock:
                now = time.monotonic()
                wait = self._last.get(host, -1e9) + self.host_spacing - now
                if wait <= 0:
                    self._last[host] = now
                    return
            time.sleep(min(wait, 1.0))

    def _request(
        self, url: str, headers: dict[str, str], max_bytes: int, truncate: bool
    ) -> tuple[int, dict[str, str], bytes, bool]:
        """One GET (no redirect followed): status, headers (lower-case names), body, cut."""
        self._space(urlsplit(url).hostname or "")
        deadline = time.monotonic() + self.timeout
        timeouts = {"connect": self.timeout, "read": self.timeout, "write": self.timeout, "pool": self.timeout}
        sent = [(b"User-Agent", self.user_agent.encode()), (b"Accept", b"*/*")]
        sent += [(k.encode(), v.encode("latin-1", errors="replace")) for k, v in headers.items()]
        try:
            with self._pool.stream("GET", url, headers=sent, extensions={"timeout": timeouts}) as response:
                got = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in response.headers}
                if response.status != 200:
                    return response.status, got, b"", False
                declared = got.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes and not truncate:
                    raise FetchError(f"{url}: {int(declared):,} bytes is over the {max_bytes:,}-byte limit")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_stream():
                    if time.monotonic() > deadline:
                        raise FetchError(f"{url}: timed out after {self.timeout:g} s")
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > max_bytes:
                        if not truncate:
                            raise FetchError(f"{url}: over the {max_bytes:,}-byte limit (stopped reading)")
                        return 200, got, b"".join(chunks)[:max_bytes], True
                return 200, got, b"".join(chunks), False
        except AddressRefused as exc:
            raise FetchError(str(exc)) from None
        except httpcore.TimeoutException:
            raise FetchError(f"{url}: timed out after {self.timeout:g} s") from None
        except (httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol) as exc:
            raise FetchError(f"{url}: {type(exc).__name__} ({exc})") from None
        except ValueError as exc:  # a malformed address httpcore cannot use
            raise FetchError(f"{url}: {exc}") from None
