"""`feeds poll --json`: the option was accepted and ignored (the poll's lines only)."""

import json
from collections.abc import Callable

import pytest

Run = Callable[..., tuple[int, str, str]]


def test_feeds_poll_json_prints_the_feeds_as_the_poll_left_them(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """stdout is the JSON of `feeds --json` after the poll; the poll's lines go to stderr."""
    from tests.feed_server import INDEX, NewsSite, item, rss, serve_pages

    monkeypatch.setenv("FEEDS_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("FEEDS_HOST_SPACING", "0")
    with NewsSite() as site:
        serve_pages(site)
        site.routes["/a.xml"] = rss(site, [item(INDEX[0])], title="Agency A")
        assert run("follow", site.url("/a.xml"))[0] == 0
        code, out, err = run("feeds", "poll", "--json")
    assert code == 0, err
    (feed,) = json.loads(out)
    assert feed["url"] == site.url("/a.xml") and feed["items"] == 1 and feed["last_poll"], feed
    assert "Agency A: 1 new article" in err and "index: 2 articles" in err, err
    code, listed, _ = run("feeds", "--json")
    assert code == 0 and json.loads(listed) == [feed]
