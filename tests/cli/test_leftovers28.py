"""Round 28 (fix28): what the round's QA lanes left, on the command line and in `bot.rules`."""

from __future__ import annotations

import pytest

from bot.rules import asks_about_the_articles


@pytest.mark.parametrize(
    "text",
    [
        "what articles do you have?",
        "What can you answer?",
        "how do I ask?",
        "what do you know about?",
        "How do I use this bot?",
        "which stories do you cover?",
        "what is indexed?",
    ],
)
def test_questions_about_the_articles_or_asking_are_recognised(text):
    assert asks_about_the_articles(text)


@pytest.mark.parametrize(
    "text",
    [
        "what do you know about GM?",
        "what can you tell me about the ban?",
        "how do I ask for a refund under the new rules?",
        "which articles do you have about General Motors?",
        "what did you say about Qoder?",
        "when does the ban take effect?",
    ],
)
def test_a_news_question_holding_you_is_not_taken_for_one(text):
    """The recognition is of the whole message: one that names something is asked of the articles."""
    assert not asks_about_the_articles(text)


def test_the_chat_tells_what_is_indexed_not_an_abstention(run):
    """qa28discord: "what articles do you have?" and "how do I ask?" abstained ("No word of the
    question occurs in the articles"), in the chat as on Discord; a news question with "you" in it
    is still answered."""
    code, out, _ = run("chat", stdin="what articles do you have?\nhow do I ask?\nwhat do you know about Qoder?\n")
    assert code == 0
    assert out.count("I have 1 news article indexed (") == 2, out
    assert "No word of the question" not in out
    assert "Alibaba’s in-house AI coding platform" in out, out


def test_a_successful_polls_note_is_not_shown_as_its_last_error(run, monkeypatch):
    """qa28news: a poll that added its items, one of whose pages answered 404 (the feed's own text
    was used), showed the note under `last error:` in `feeds` (and `/feeds`): a note of a poll that
    worked is no error. It is shown as the last poll's note; an error is still an error."""
    from tests.feed_server import INDEX, NewsSite, item, rss

    monkeypatch.setenv("FEEDS_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("FEEDS_HOST_SPACING", "0")
    with NewsSite() as site:  # no page is served: each item's link answers 404
        site.routes["/a.xml"] = rss(site, [item(INDEX[0])], title="Agency A")
        site.routes["/broken.xml"] = b"<html>not a feed</html>"
        assert run("follow", site.url("/a.xml"))[0] == 0
        assert run("follow", site.url("/broken.xml"))[0] == 0
        _, polled, _ = run("feeds", "poll")  # exit 1: a feed failed
        assert "Agency A: 1 new article" in polled, polled
        code, out, _ = run("feeds")
    assert code == 0
    agency, _, broken = out.partition(site.url("/broken.xml"))
    assert "HTTP 404" in agency and "last error" not in agency, out
    assert "  note of the last poll: " in agency, out
    assert "last error: not an RSS or Atom feed" in broken, out


def test_a_desks_date_line_under_the_byline_dates_the_article_not_inferred(run, tmp_path):
    """qa28news: `ingest` of a desk's `.txt` (headline, byline, date line, dateline) and `source`
    said "2009-06-01 (inferred)"; the date line under the byline is the date the desk gave it."""
    story = tmp_path / "gm-desk.txt"
    story.write_text(
        "GM files for bankruptcy protection\nBy Jane Doe, Staff Writer\nJune 01, 2009\n\n"
        "DETROIT (Desk Wire) — General Motors filed for bankruptcy protection on Monday.\n",
        encoding="utf-8",
    )
    assert run("ingest", str(story))[0] == 0
    code, out, _ = run("source", "gm-desk")
    assert code == 0 and ("1 June 2009" in out or "2009-06-01" in out), out
    assert "inferred" not in out, out
