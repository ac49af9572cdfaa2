"""Round 27 (qa27): a Discord community's week, on the command line."""

from __future__ import annotations

import pytest

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Town news</title><link>https://example.org/</link>
<item><title>Pier closed</title><link>https://example.org/pier</link>
<description>The pier closed on Monday after the storm damaged its deck.</description></item>
</channel></rss>
"""
ATOM = """<feed xmlns="http://www.w3.org/2005/Atom"><title>Town news</title>
<entry><title>Pier closed</title><summary>The pier closed on Monday after the storm damaged its deck.</summary></entry>
</feed>
"""
PAGE = """\ufeff<!DOCTYPE html>
<html><head><title>Pier closed</title><script>var tracking = "on";</script></head>
<body><h1>Pier closed</h1><p>The pier closed on Monday after the storm damaged its deck.</p></body></html>
"""
BARE_PAGE = """<!-- saved from the browser -->
<HTML lang="en"><body><p>The pier closed on Monday after the storm damaged its deck.</p></body></HTML>
"""


@pytest.mark.parametrize(
    ("name", "text", "said"),
    [
        ("feed.txt", FEED, "looks like a news feed (RSS or Atom)"),
        ("atom.md", ATOM, "looks like a news feed (RSS or Atom)"),
        ("page.md", PAGE, "looks like a web page (HTML)"),
        ("saved.txt", BARE_PAGE, "looks like a web page (HTML)"),
    ],
)
def test_a_feed_or_a_web_page_saved_as_an_article_is_skipped_saying_what_it_is(run, tmp_path, name, text, said):
    """A member's RSS feed or a web page saved as `.txt` or `.md` was added as an article of its
    markup: `ask "when did the pier close?"` quoted `<item><title>Pier closed</title><link>…` as a
    "strong match", titled "<?xml version=…" or "<!DOCTYPE html>", a `<script>` line a sentence.
    It is skipped with the reason, as a binary file is, and a feed is told how to follow it."""
    upload = tmp_path / name
    upload.write_text(text, encoding="utf-8")
    code, out, err = run("ingest", str(upload))
    assert code == 2 and f"{name}: skipped, {said}" in out + err, (out, err)
    if "feed" in said:
        assert "follow" in out + err
    code, out, err = run("ask", "when did the pier close?", "--k", "1")
    assert code == 0 and "<" not in out and "Pier" not in out, out


def test_an_article_that_only_mentions_markup_is_still_an_article(run, tmp_path):
    """The guard of the test above: an article about HTML, or one whose text holds a tag after
    its first words, is read as before."""
    article = tmp_path / "tags.md"
    article.write_text(
        "---\ntitle: Browsers\n---\nThe <html> tag opens every web page, the council's web team said on Monday.\n",
        encoding="utf-8",
    )
    code, out, err = run("ingest", str(article))
    assert code == 0 and "added 1 article (tags)" in out, (out, err)
    note = tmp_path / "note.txt"
    note.write_text("Feed the ducks: the park's <rss> page says the pond reopened on Monday.\n", encoding="utf-8")
    code, out, err = run("ingest", str(note))
    assert code == 0 and "added 1 article (note)" in out, (out, err)


@pytest.mark.parametrize(
    "line", ["ANNOUNCE_CHANNEL_ID=#general", "COOLDOWN_RATE=0", "DEV_GUILD_ID=my server", "ADMIN_IDS=<@123>"]
)
def test_make_run_without_a_token_starts_the_chat_whatever_a_discord_setting_says(run, tmp_path, line):
    """`make run` without a token starts the local chat, and the Discord settings are checked
    when the bot starts (`cmd_run` says so). A member trying Verbatim locally with an `.env` whose
    Discord-only line was wrong (a channel's name for its id, say) got "error: the setting
    ANNOUNCE_CHANNEL_ID is '#general'" and no chat: asking whether a token was set read, and so
    checked, the whole Discord section. `serve`, which needs them, still refuses."""
    (tmp_path / ".env").write_text(f"{line}\n", encoding="utf-8")  # `run` works in tmp_path
    code, out, err = run("run", stdin="qoder\n")
    assert code == 0 and "local chat" in out and "Qoder" in out, (out, err)
    (tmp_path / ".env").write_text(f"DISCORD_TOKEN=abc.def.ghi\n{line}\n", encoding="utf-8")
    code, out, err = run("run", stdin="qoder\n")
    assert code == 2 and f"the setting {line.partition('=')[0]}" in err and "Qoder" not in out, (out, err)


def test_a_blank_token_in_the_env_file_still_starts_the_chat(run, tmp_path):
    """The guard of the test above: `DISCORD_TOKEN=` or a quoted blank is no token."""
    for line in ("DISCORD_TOKEN=", 'DISCORD_TOKEN="  "'):
        (tmp_path / ".env").write_text(f"{line}\n", encoding="utf-8")
        code, out, err = run("run", stdin="qoder\n")
        assert code == 0 and "local chat" in out and "Qoder" in out, (line, out, err)
