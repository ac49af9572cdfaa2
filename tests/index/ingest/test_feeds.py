"""Following feeds end to end against a real local HTTP server (tests/feed_server.py): the CLI
follows an RSS and an Atom feed, polls them, and the new stories answer questions with their
title, date and link; then the client's politeness and safety, one behaviour a test.
"""

from __future__ import annotations

import ipaddress
import itertools
import json
import logging
import time

import pytest

from bot.cli import main
from index.corpus import feeds
from index.ingest.feeds.addresses import address_problem
from index.ingest.feeds.parse import FeedProblem, parse_feed
from tests.feed_server import INDEX, NewsSite, atom, item, page, rss, serve_pages

pytestmark = pytest.mark.timeout(60)

BY_NAME = {entry["name"]: entry for entry in INDEX}
RSS_NAMES = ["100911", "101354", "112579"]
ATOM_NAMES = ["1007169", "103623"]


@pytest.fixture
def site():
    with NewsSite() as news:
        serve_pages(news)
        yield news


@pytest.fixture
def run(seeds_dir, index_dir, monkeypatch, tmp_path, capsys):
    """`python -m bot --seeds S --index-dir I ARGS...` with feeds on 127.0.0.1 allowed."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FEEDS_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("FEEDS_HOST_SPACING", "0")
    monkeypatch.setenv("FEEDS_TIMEOUT", "2")

    def _run(*args):
        code = main(["--seeds", str(seeds_dir), "--index-dir", str(index_dir), *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return _run


def _client(**kwargs) -> feeds.PoliteClient:
    return feeds.PoliteClient(**({"allow_private": True, "host_spacing": 0.0, "timeout": 2.0} | kwargs))


# ---------------------------------------------------------------------- end to end, through the CLI
def test_follow_poll_and_ask_with_citations_then_304_update_and_removal(site, run, seeds_dir):
    site.routes["/rss.xml"] = rss(site, [item(BY_NAME[n]) for n in RSS_NAMES])
    site.routes["/atom.xml"] = atom(site, [item(BY_NAME[n]) for n in ATOM_NAMES])
    site.routes["/broken.xml"] = b"<html><body>Not a feed at all, just a page.</body></html>"
    assert run("follow", site.url("/rss.xml"))[0] == 0
    assert run("follow", site.url("/atom.xml"), "--every", "30")[0] == 0
    saved = json.loads((seeds_dir / ".feeds.json").read_text())  # human-readable, beside the articles
    assert {f["url"]: f["every"] for f in saved["feeds"]} == {site.url("/rss.xml"): 15, site.url("/atom.xml"): 30}

    assert run("follow", site.url("/broken.xml"))[0] == 0

    code, out, err = run("feeds", "poll")
    assert code == 1, err  # one feed failed: its error is shown and recorded, the others are read
    assert "Example News: 3 new articles" in out and "Example Wire: 2 new articles" in out
    assert "index: 6 articles" in out  # the seed article and five stories
    assert f"{site.url('/broken.xml')}: error: not an RSS or Atom feed" in out
    code, out, _ = run("feeds", "--json")
    by_url = {f["url"]: f for f in json.loads(out)}
    assert by_url[site.url("/broken.xml")]["last_error"] == "not an RSS or Atom feed"
    assert by_url[site.url("/rss.xml")]["last_error"] is None and by_url[site.url("/rss.xml")]["items"] == 3
    assert run("unfollow", site.url("/broken.xml"))[0] == 0

    # a question about a new story: quoted from the page, cited with its title, date and link
    code, out, _ = run("ask", "Who did Northrop Grumman and EADS defeat for the airtanker contract?", "--json")
    answer = json.loads(out)
    top = answer["answers"][0]
    assert top["title"] == BY_NAME["100911"]["title"]
    assert top["date"] == "2008-03-01"
    assert top["url"] == site.url("/news/100911.html")
    assert "Boeing" in top["text"]
    code, out, _ = run("ask", "Who did General Motors name as its new chief executive?", "--json")
    top = json.loads(out)["answers"][0]
    assert top["title"] == "Mary Barra appointed as General Motors chief" and top["date"] == "2013-12-10"
    assert top["author"] == "Wire Desk"  # the Atom entry's author
    # the story came from the page, without its comments, adverts or navigation
    bodies = "\n".join(p.read_text() for p in seeds_dir.glob("feed_*.md"))
    assert "source: Example News" in bodies and "source: Example Wire" in bodies
    for boilerplate in ("Subscribe today", "Great article, thanks", "Contact us", "All rights reserved"):
        assert boilerplate not in bodies

    # a second poll: the server answers 304 to the conditional GET, nothing changes
    code, out, _ = run("feeds", "poll")
    assert code == 0 and out.count("not modified since the last poll") == 2
    assert site.hits("/rss.xml")[-1].headers.get("if-none-match")

    # an updated item replaces its article; a removed item's article stays
    updated = item(BY_NAME["101354"]) | {"title": "Apple opens the App Store to outside developers"}
    site.routes["/rss.xml"] = rss(site, [item(BY_NAME["100911"]), updated])  # 112579 removed from the feed
    before = {p.name for p in seeds_dir.glob("feed_*.md")}
    code, out, _ = run("feeds", "poll")
    assert "Example News: 0 new articles, 1 replaced" in out
    assert {p.name for p in seeds_dir.glob("feed_*.md")} == before  # same ids: replaced in place, none removed
    assert "index: 6 articles" in out
    code, out, _ = run("ask", "What did Apple release for iPhone developers?", "--json")
    titles = [h["title"] for h in json.loads(out)["answers"]]
    assert "Apple opens the App Store to outside developers" in titles
    assert BY_NAME["101354"]["title"] not in titles
    code, out, _ = run("ask", "How many points did the Dow fall?", "--json")
    assert json.loads(out)["answers"][0]["title"] == BY_NAME["112579"]["title"]

    code, out, _ = run("feeds")
    assert "Example News" in out and "3 items seen" in out and "3 articles added, 1 replaced" in out
    assert "last poll just now" in out
    code, out, _ = run("unfollow", site.url("/atom.xml"))
    assert code == 0 and "its 2 articles stay" in out
    assert run("unfollow", site.url("/atom.xml"))[0] == 2
    assert run("follow", "file:///etc/passwd")[0] == 2
    assert run("follow", site.url("/rss.xml"), "--every", "1")[0] == 2


# ---------------------------------------------------------------------- the client: safety
def test_private_address_refused_without_the_flag_before_any_request(site):
    site.routes["/rss.xml"] = b"<rss/>"
    client = _client(allow_private=False)
    with pytest.raises(feeds.FetchError, match="private or loopback"):
        client.get(site.url("/rss.xml"), 10_000)
    assert site.seen == []  # refused before connecting: not even robots.txt was asked


def test_redirect_to_a_refused_address_is_not_followed(site):
    def to_metadata(handler):
        handler.send_response(302)
        handler.send_header("Location", "http://169.254.169.254/latest/meta-data/")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    def to_file(handler):
        handler.send_response(301)
        handler.send_header("Location", "file:///etc/passwd")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    site.routes["/go"] = to_metadata
    site.routes["/go-file"] = to_file
    client = _client()
    with pytest.raises(feeds.FetchError, match="link-local"):
        client.get(site.url("/go"), 10_000)
    with pytest.raises(feeds.FetchError, match="only http and https"):
        client.get(site.url("/go-file"), 10_000)


@pytest.mark.parametrize(
    ("address", "private_ok", "refused"),
    [
        ("10.1.2.3", False, True),
        ("10.1.2.3", True, False),
        ("192.168.0.1", False, True),
        ("::1", False, True),
        ("::ffff:127.0.0.1", False, True),
        ("169.254.169.254", True, True),  # cloud metadata: never, whatever the flag
        ("fe80::1", True, True),
        ("0.0.0.0", True, True),
        ("93.184.216.34", False, False),
    ],
)
def test_address_policy(address, private_ok, refused):
    assert (address_problem(ipaddress.ip_address(address), allow_private=private_ok) is not None) == refused


def test_slow_server_times_out(site):
    def trickle(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        try:
            for _ in range(100):
                handler.wfile.write(b"x" * 10)
                handler.wfile.flush()
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up: as it should
            pass

    site.routes["/slow.html"] = trickle
    started = time.monotonic()
    with pytest.raises(feeds.FetchError, match="timed out"):
        _client(timeout=0.5).get(site.url("/slow.html"), 1_000_000)
    # The page trickles for 10 s: a per-read timeout alone would wait for all of it.
    assert time.monotonic() - started < 8.0


def test_oversized_page_is_capped_and_oversized_feed_refused(site):
    site.routes["/huge.html"] = b"<html><body>" + b"<p>Words and more words.</p>" * 200_000 + b"</body></html>"
    got = _client().get(site.url("/huge.html"), 100_000, truncate=True)
    assert got.truncated and len(got.body) == 100_000
    with pytest.raises(feeds.FetchError, match="over the 100,000-byte limit"):
        _client().get(site.url("/huge.html"), 100_000)


def test_robots_txt_is_honoured_and_the_user_agent_names_the_bot(site):
    site.routes["/private/feed.xml"] = b"<rss/>"
    client = _client()
    with pytest.raises(feeds.FetchError, match="robots.txt"):
        client.get(site.url("/private/feed.xml"), 10_000)
    assert site.hits("/private/feed.xml") == []
    assert "Verbatim" in site.hits("/robots.txt")[0].headers["user-agent"]


class _Clock:
    """A monotonic clock that moves only when the client sleeps: the spacing the server sees is
    then the client's waits alone, not how soon a busy machine ran the server's thread."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_requests_to_one_host_are_spaced(site, monkeypatch):
    from index.ingest.feeds import fetch
    from tests import feed_server

    clock = _Clock()
    monkeypatch.setattr(fetch, "time", clock)  # the client's waits
    monkeypatch.setattr(feed_server, "time", clock)  # the server's arrival times
    site.routes["/a"] = b"a"
    client = _client(host_spacing=0.15)
    for _ in range(3):
        client.get(site.url("/a"), 100)
    assert [s.path for s in site.seen] == ["/robots.txt", "/a", "/a", "/a"]
    times = [s.at for s in site.seen]
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.15 - 1e-9


# ---------------------------------------------------------------------- hostile feeds
BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    + b']><rss version="2.0"><channel><title>Bomb</title><item><title>&lol9;</title></item></channel></rss>'
)


def test_billion_laughs_is_refused_before_expansion():
    # Refused on the declaration: expanding &lol9; would take 10**9 characters.
    with pytest.raises(FeedProblem, match="entities"):
        parse_feed(BOMB)


def test_ten_thousand_items_are_capped_and_huge_entries_cut():
    items = b"".join(
        b"<item><guid>g%d</guid><title>Story %d</title><description>Text %d.</description></item>" % (i, i, i)
        for i in range(10_000)
    )
    parsed = parse_feed(b'<rss version="2.0"><channel><title>Many</title>' + items + b"</channel></rss>")
    assert len(parsed.items) == 200 and "10,000 items" in parsed.notes[0]
    huge = b"<item><guid>h</guid><title>Huge</title><description>" + b"word " * 100_000 + b"</description></item>"
    parsed = parse_feed(
        b'<rss version="2.0"><channel><title>H</title>' + huge + b"</channel></rss>", max_entry_chars=1000
    )
    assert len(parsed.items[0].summary) <= 1000 and "cut" in parsed.notes[0]


def test_a_hostile_feed_is_an_error_on_its_feed_not_a_crash(site, run):
    site.routes["/bomb.xml"] = BOMB
    run("follow", site.url("/bomb.xml"))
    code, out, _ = run("feeds", "poll")
    assert code == 1 and "XML bomb" in out
    code, out, _ = run("feeds")
    assert "last error: refused: the feed declares XML entities" in out


def test_an_item_id_twice_in_one_feed_keeps_its_latest_copy_and_counts_one_article(site, run, seeds_dir):
    """Two items of one GUID (a publisher's slip) were both made stories of one article id: the
    poll said "2 new articles" for one, and the second copy overwrote the first. One copy is kept,
    the most recently updated (round 26: the first was, so a stale copy listed first won), and the
    repeat is named in the feed's notes.
    """
    first, second = item(BY_NAME["101354"], guid="urn:test:100911"), item(BY_NAME["100911"])  # 2008-03-06, -01
    site.routes["/rss.xml"] = rss(site, [first, second, item(BY_NAME["112579"])])
    run("follow", site.url("/rss.xml"))
    code, out, _ = run("feeds", "poll")
    assert code == 0 and "Example News: 2 new articles" in out, out
    assert "index: 3 articles" in out
    assert "'urn:test:100911' appears more than once in the feed; its most recently updated copy was kept" in out
    titles = {
        p.read_text(encoding="utf-8").split("title: ", 1)[1].split("\n", 1)[0] for p in seeds_dir.glob("feed_*.md")
    }
    assert BY_NAME["101354"]["title"] in titles and BY_NAME["100911"]["title"] not in titles  # the later one
    [feed] = json.loads(run("feeds", "--json")[1])
    assert feed["added"] == 2 and feed["items"] == 2


def _entry(guid: str, title: str, updated: str, summary: str) -> str:
    return (
        f"<entry><id>{guid}</id><title>{title}</title><updated>{updated}</updated><summary>{summary}</summary></entry>"
    )


def _atom(*entries: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>'
        "<id>urn:w</id><updated>2026-11-27T12:00:00Z</updated>" + "".join(entries) + "</feed>"
    ).encode()


STALE = _entry("urn:pier", "Pier closed", "2026-11-27T09:00:00+01:00", "The pier closed after a storm on Monday.")
FIXED = _entry("urn:pier", "Pier closed (corrected)", "2026-11-27T10:30:00+01:00", "The pier closed on Tuesday.")


@pytest.mark.parametrize("order", ["stale first", "stale last"])
def test_a_repeated_guid_keeps_the_copy_updated_last_whatever_its_place(site, run, seeds_dir, order):
    # round 26 (qa26's desk day): Atom's entries have no order, and a feed listing the stale copy
    # first kept it, marked it seen, and never read the correction while both stayed in the feed
    entries = (STALE, FIXED) if order == "stale first" else (FIXED, STALE)
    site.routes["/atom.xml"] = _atom(*entries)
    run("follow", site.url("/atom.xml"))
    code, out, _ = run("feeds", "poll")
    assert code == 0 and "Wire: 1 new article" in out, out
    assert "most recently updated copy was kept" in out
    [story] = [p.read_text(encoding="utf-8") for p in seeds_dir.glob("feed_*.md")]
    assert "Pier closed (corrected)" in story and "on Tuesday" in story and "Monday" not in story


def test_copies_updated_at_once_or_undated_keep_the_later_in_the_feed() -> None:
    from index.ingest.feeds.poll import latest_copies

    same = (
        _entry("urn:a", "A one", "2026-11-27T10:00:00Z", "One."),
        _entry("urn:a", "A two", "2026-11-27T10:00:00Z", "Two."),
    )
    undated = "<entry><id>urn:b</id><title>B one</title></entry>", "<entry><id>urn:b</id><title>B two</title></entry>"
    dated_first = (
        _entry("urn:c", "C dated", "2026-11-27", "Dated."),
        "<entry><id>urn:c</id><title>C undated</title></entry>",
    )
    day_and_time = (
        _entry("urn:d", "D later day", "2026-11-28", "."),
        _entry("urn:d", "D time", "2026-11-27T23:00:00Z", "."),
    )
    parsed = parse_feed(_atom(*same, *undated, *dated_first, *day_and_time))
    kept, notes = latest_copies(parsed.items)
    assert [i.title for i in kept] == ["A two", "B two", "C dated", "D later day"]
    assert len(notes) == 4 and all("most recently updated copy was kept" in n for n in notes)


def test_an_item_s_update_time_is_kept_in_full_where_the_feed_gives_it() -> None:
    full = _entry("urn:a", "A", "2026-11-27T10:30:00+01:00", "Text.")
    day = _entry("urn:b", "B", "2026-11-27", "Text.")
    rss_item = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>N</title><item><guid>urn:c</guid>'
        b"<title>C</title><pubDate>Fri, 27 Nov 2026 10:30:00 -0500</pubDate><description>T.</description></item>"
        b"</channel></rss>"
    )
    a, b = parse_feed(_atom(full, day)).items
    assert (a.updated, a.published) == ("2026-11-27T09:30:00+00:00", "2026-11-27")
    assert b.updated == "2026-11-27"  # the day alone: no time was written
    assert parse_feed(rss_item).items[0].updated == "2026-11-27T15:30:00+00:00"


def test_an_item_link_over_300_characters_is_kept_whole(site, run, seeds_dir):
    """A news aggregator's item links run to 400 characters and more; the reader cut every link at
    300 (as it cuts a title), so the page was fetched from a broken address (404: the feed's own
    text was used instead) and the story cited the broken link."""
    link = "/rss/articles/CBMi" + "a1B2c3D4e5" * 40 + "?oc=5"
    site.routes[link] = page("100911")  # the test site routes by path and query
    entry = item(BY_NAME["100911"]) | {"link": link}
    site.routes["/rss.xml"] = rss(site, [entry])
    run("follow", site.url("/rss.xml"))
    code, out, _ = run("feeds", "poll")
    assert code == 0 and "1 new article" in out and "404" not in out, out
    [story] = seeds_dir.glob("feed_*.md")
    assert f"url: {site.url(link)}\n" in story.read_text(encoding="utf-8")


def test_an_item_is_dated_the_day_its_publisher_wrote(site, run, seeds_dir):
    """feedparser gives an item's time in UTC: a story published at 8 p.m. in New York on 26
    November (`-0500`) was dated the 27th, one published at 1.30 a.m. in Sydney on the 27th
    (`+1100`) the 26th, in every citation and in the timeline's reading of "on Thursday"."""
    text = "The harbour board approved the new breakwater after a long debate on Thursday evening."
    site.routes["/dated.xml"] = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Dated</title>'
        f'<item><guid isPermaLink="false">ny</guid><title>New York evening</title>'
        f"<pubDate>Thu, 26 Nov 2026 20:00:00 -0500</pubDate><description>{text}</description></item>"
        f'<item><guid isPermaLink="false">syd</guid><title>Sydney morning</title>'
        f"<pubDate>Fri, 27 Nov 2026 01:30:00 +1100</pubDate><description>{text}</description></item>"
        "</channel></rss>"
    ).encode()
    site.routes["/dated-atom.xml"] = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Dated Atom</title><id>urn:d</id>'
        "<updated>2026-11-26T20:00:00-05:00</updated><entry><id>urn:d:1</id><title>Atom evening</title>"
        f"<published>2026-11-26T20:00:00-05:00</published><summary>{text}</summary></entry></feed>"
    ).encode()
    run("follow", site.url("/dated.xml"))
    run("follow", site.url("/dated-atom.xml"))
    code, out, _ = run("feeds", "poll")
    assert code == 0 and "index: 4 articles" in out, out
    dates = {}
    for story in seeds_dir.glob("feed_*.md"):
        saved = story.read_text(encoding="utf-8")
        dates[saved.split("title: ", 1)[1].split("\n", 1)[0]] = saved.split("date: ", 1)[1].split("\n", 1)[0].strip("'")
    assert dates == {"New York evening": "2026-11-26", "Sydney morning": "2026-11-27", "Atom evening": "2026-11-26"}


def test_an_rss_author_written_with_an_email_address_is_cited_by_name(site, run, seeds_dir):
    """RSS writes an author as `email (Name)` (Blogger's `noreply@blogger.com (Jane Doe)`) or
    `Name <email>`: every citation and "who wrote" answer of the story gave the address with it."""
    text = "The harbour board approved the new breakwater after a long debate on Thursday evening."
    items = "".join(
        f'<item><guid isPermaLink="false">a{n}</guid><title>Story {n}</title><author>{author}</author>'
        f"<description>{text} Story {n}.</description></item>"
        for n, author in enumerate(
            ["noreply@blogger.com (Jane Doe)", "Priya Natarajan &lt;desk@kelsford.example&gt;", "desk@kelsford.example"]
        )
    )
    site.routes["/authors.xml"] = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Authors</title>{items}</channel></rss>'
    ).encode()
    run("follow", site.url("/authors.xml"))
    assert run("feeds", "poll")[0] == 0
    authors = {}
    for story in seeds_dir.glob("feed_*.md"):
        saved = story.read_text(encoding="utf-8")
        authors[saved.split("title: ", 1)[1].split("\n", 1)[0]] = saved.split("author: ", 1)[1].split("\n", 1)[0]
    assert authors == {"Story 0": "Jane Doe", "Story 1": "Priya Natarajan", "Story 2": "desk@kelsford.example"}


def test_an_item_linking_to_a_file_that_is_no_web_page_uses_the_feeds_text_quietly(site, run, seeds_dir, caplog):
    """An item linking to a PDF (or an empty page) was handed to the page extractor anyway:
    `feeds poll` printed "ERROR trafilatura.core: empty HTML tree" lines for a poll that went
    well, and parsed 300 KB of binary as HTML. The feed's own text is used, with a note."""
    text = "The council published the flood report as a document on Thursday afternoon for residents."
    site.routes["/report.pdf"] = b"%PDF-1.4\n" + bytes(range(256)) * 1000
    site.types["/report.pdf"] = "application/pdf"
    site.routes["/empty.html"] = b""
    site.routes["/files.xml"] = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Files</title>'
        f"<item><guid>f1</guid><title>Flood report</title><link>{site.url('/report.pdf')}</link>"
        f"<description>{text}</description></item>"
        f"<item><guid>f2</guid><title>Empty page</title><link>{site.url('/empty.html')}</link>"
        f"<description>{text} Again.</description></item></channel></rss>"
    ).encode()
    run("follow", site.url("/files.xml"))
    code, out, err = run("feeds", "poll")
    assert code == 0 and "2 new articles" in out, out
    assert "report.pdf: not a web page (application/pdf); the feed's own text was used" in out, out
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], [r.getMessage() for r in caplog.records]
    assert all(text in story.read_text(encoding="utf-8") for story in seeds_dir.glob("feed_*.md"))


def test_an_item_dated_in_the_future_is_not_dated_so(site, run, seeds_dir):
    """A publisher's bad clock dated an item in 2100: the story kept that date, and the timeline
    read its weekdays in December 2099. A story is never published after the day it is read (a
    day of slack for time zones ahead); its date is read from the page or the text instead."""
    text = "The harbour board approved the new breakwater after a long debate on Thursday evening."
    site.routes["/future.xml"] = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Clock</title>'
        f'<item><guid isPermaLink="false">f1</guid><title>From the future</title>'
        f"<pubDate>Fri, 01 Jan 2100 09:00:00 +0000</pubDate><description>{text}</description></item>"
        f'<item><guid isPermaLink="false">f2</guid><title>From the past</title>'
        f"<pubDate>Thu, 26 Nov 2026 09:00:00 +0000</pubDate><description>{text}</description></item>"
        "</channel></rss>"
    ).encode()
    run("follow", site.url("/future.xml"))
    code, out, _ = run("feeds", "poll")
    assert code == 0 and "in the future" in out, out
    saved = {
        p.read_text(encoding="utf-8").split("title: ", 1)[1].split("\n", 1)[0]: p.read_text(encoding="utf-8")
        for p in seeds_dir.glob("feed_*.md")
    }
    assert "2100" not in saved["From the future"] and "date:" not in saved["From the future"]
    assert "date: '2026-11-26'" in saved["From the past"] or "date: 2026-11-26" in saved["From the past"]
    code, out, _ = run("feeds", "poll")  # the item is not taken for a changed one at the next poll
    assert code == 0 and "new article" not in out and "updated" not in out, out
