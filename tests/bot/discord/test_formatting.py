"""Discord formatting: `fit()` and the embeds always respect Discord's limits, article text
is quoted exactly (escaped), matched words are bold, and no mention ever escapes."""

from __future__ import annotations

import re

import discord
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.discord import embeds as fmt
from index.models import Answer, Article, Hit, Passage
from index.names.entity_index import Entity

MENTION = re.compile(r"@(everyone|here)|<@[!&]?\d+>")
LIMITS = {
    "title": 256,
    "description": 4096,
    "fields": 25,
    "field_name": 256,
    "field_value": 1024,
    "footer": 2048,
    "total": 6000,
}


def unescape(md: str) -> str:
    """Undo our markdown: bold markers, backslash escapes, mention breakers."""
    md = re.sub(r"(?<!\\)\*\*", "", md)
    md = re.sub(r"\\(.)", r"\1", md)
    return md.replace("\u200b", "")


def assert_embed_fits(embed: discord.Embed) -> None:
    assert len(embed.title or "") <= LIMITS["title"]
    assert len(embed.description or "") <= LIMITS["description"]
    assert len(embed.fields) <= LIMITS["fields"]
    for f in embed.fields:
        assert 0 < len(f.name) <= LIMITS["field_name"]
        assert 0 < len(f.value) <= LIMITS["field_value"]
    assert len(embed.footer.text or "") <= LIMITS["footer"]
    assert len(embed) <= LIMITS["total"]
    for part in [
        embed.title,
        embed.description,
        embed.footer.text,
        *[f.name for f in embed.fields],
        *[f.value for f in embed.fields],
    ]:
        assert not MENTION.search(part or ""), part


def unbalanced_bold(text: str) -> bool:
    # an escaped backslash stands as one character, so `*\\*` (a backslash in italics) is no `**`
    return len(re.findall(r"(?<!\\)\*\*", re.sub(r"\\\\", "\x00", text))) % 2 == 1


TOKENS = list("ab *_`~|\\>@#[]()-\n\u00e9") + [
    "@everyone",
    "@here",
    "<@&123456789012345678>",
    "<@123456789012345678>",
    "**",
    "https://x.io/a_b",
    "word ",
    "[x](y)",
]


def texts(max_tokens: int, min_tokens: int = 0):
    """Strings made of markdown-ish and mention-ish tokens (hypothesis alphabets are single chars)."""
    return st.lists(st.sampled_from(TOKENS), min_size=min_tokens, max_size=max_tokens).map("".join)


def make_article(body: str, **kw) -> Article:
    defaults = {
        "doc_id": "doc-1",
        "title": "A title",
        "body": body,
        "author": "A. Writer",
        "date": "2026-07-03",
        "url": "https://example.com/a_b",
        "date_inferred": True,
    }
    defaults.update(kw)
    return Article(**defaults)


def make_hit(text: str, spans=(), rank: int = 1, **kw) -> Hit:
    article = make_article(text, **kw)
    passage = Passage(
        pid=rank, doc_id=article.doc_id, paragraph=2, sentence=4, char_start=0, char_end=len(text), text=text
    )
    return Hit(rank=rank, score=1.0, passage=passage, article=article, highlights=list(spans))


# ----------------------------------------------------------------- fit


def test_fit_leaves_short_text_alone():
    assert fmt.fit("hello", 5) == "hello"


def test_fit_truncates_with_ellipsis_on_a_word_boundary():
    out = fmt.fit("one two three four five", 12)
    assert out.endswith("…") and len(out) <= 12 and out == "one two…"


def test_fit_never_splits_a_bold_marker():
    text = "plain words then **a bold phrase that is long** and more"
    for limit in range(1, len(text)):
        out = fmt.fit(text, limit)
        assert len(out) <= limit
        assert not unbalanced_bold(out), (limit, out)


def test_fit_never_leaves_a_dangling_escape():
    out = fmt.fit("a" * 10 + "\\*" * 20, 14)
    assert not re.search(r"(?<!\\)(\\\\)*\\…$", out), out


def test_fit_does_not_cut_inside_a_masked_link():
    text = "see [the article](https://example.com/very/long/path) now"
    for limit in range(2, len(text)):
        out = fmt.fit(text, limit)
        assert "](" not in out or out.count("(") == out.count(")"), out


@settings(max_examples=300, deadline=None)
@given(texts(200), st.integers(min_value=0, max_value=500))
def test_fit_property_length(text, limit):
    assert len(fmt.fit(text, limit)) <= limit


# ----------------------------------------------------------------- quoting


def test_highlight_bolds_matched_words_and_keeps_text_exact():
    text = "The restriction will take effect July 10."
    spans = [(21, 25), (26, 32)]
    out = fmt.highlight(text, spans)
    assert "**take**" in out and "**effect**" in out
    assert unescape(out) == text


def test_quote_escapes_markdown_and_mentions():
    text = "Hey @everyone, *this* is __not__ markup <@&123456789012345678> `code`"
    out = fmt.quote(text, [(0, 3)])
    assert not MENTION.search(out)
    assert "\\*this\\*" in out and "\\_\\_not\\_\\_" in out
    assert unescape(out) == text


def test_quote_of_a_10000_character_passage_fits_and_keeps_the_match():
    text = ("word " * 1900) + "needle " + ("tail " * 100)
    start = text.index("needle")
    out = fmt.quote(text, [(start, start + 6)], 1000)
    assert len(out) <= 1000 and "**needle**" in out and out.startswith("…")


@settings(max_examples=80, deadline=None)
@given(
    st.one_of(texts(300, 1), texts(3000, 2000)),
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)), max_size=6),
    st.integers(min_value=1, max_value=4096),
)
def test_quote_property(text, spans, limit):
    out = fmt.quote(text, [(min(a, b), max(a, b)) for a, b in spans], limit)
    assert len(out) <= limit
    assert not MENTION.search(out)
    assert not unbalanced_bold(out)


# ----------------------------------------------------------------- embeds


def test_answer_embed_quotes_cites_and_bolds():
    text = "The restriction will take effect July 10 and comes amid escalating tensions."
    hit = make_hit(text, [(21, 25), (26, 32)])
    embed = fmt.answer_embed(Answer(question="When does the ban take effect?", abstained=False, hits=[hit]))
    assert text in unescape(embed.description)
    assert "**take**" in embed.description
    assert "A title" in embed.description and "A. Writer" in embed.description
    assert "2026-07-03 (inferred)" in embed.description
    assert "paragraph 2, sentence 4" in embed.description
    assert "[link](https://example.com/a_b)" in embed.description
    assert_embed_fits(embed)


def test_abstention_embed_says_so():
    hit = make_hit("Something unrelated happened in the harbour.")
    embed = fmt.answer_embed(Answer(question="Who won?", abstained=True, hits=[hit], reason="no match"))
    assert "do not answer" in embed.title
    assert "not an answer" in embed.description and "do **not** answer" in embed.description
    assert_embed_fits(embed)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.one_of(texts(100), texts(2500, 2000)), min_size=0, max_size=10),
    st.text(max_size=300),
    st.booleans(),
    st.text(max_size=600),
)
@example(["abc def"], "q", False, "\\")  # a title that is one backslash: shown `*\\*`, italics, no bold
def test_answer_embed_property(texts, question, abstained, title):
    hits = [
        make_hit(t or "x", [(0, min(3, len(t)))], rank=i + 1, title=title or "t", author=title[:300] or None)
        for i, t in enumerate(texts)
    ]
    embed = fmt.answer_embed(Answer(question=question, abstained=abstained, hits=hits))
    assert_embed_fits(embed)
    assert not unbalanced_bold(embed.description or "")


def test_fit_embed_enforces_every_limit():
    embed = discord.Embed(title="t" * 1000, description="d" * 10_000)
    for _i in range(40):
        embed.add_field(name="n" * 500, value="v" * 5000)
    embed.set_footer(text="f" * 5000)
    embed.set_author(name="a" * 1000)
    fmt.fit_embed(embed)
    assert_embed_fits(embed)


def test_context_and_source_embeds_fit():
    long = "x " * 5000
    art = make_article(long)
    ps = [
        Passage(pid=i, doc_id="doc-1", paragraph=1, sentence=i + 1, char_start=0, char_end=len(long), text=long)
        for i in range(5)
    ]
    embed = fmt.context_embed([(ps[2], art, ps[:2], ps[3:])] * 10)
    assert_embed_fits(embed)
    embed = fmt.source_embed(art, ps, ps[2], ps[:2], ps[3:])
    assert_embed_fits(embed)


def test_about_embed():
    embed = fmt.about_embed({"articles": 1, "passages": 12, "terms": 300, "built_at": "2026-07-03T10:00:00+00:00"})
    values = " ".join(f.value for f in embed.fields)
    assert "12" in values and "<t:" in values
    assert_embed_fits(embed)


def test_bidi_overrides_are_dropped_from_everything_shown():
    """An unclosed U+202E (or an isolate) in a quote, title, author or id would show the rest of
    its line right to left in Discord: a citation's date or id reversed (tests/bot/
    test_reliability_terminal.py says the same of the terminal)."""
    bidi = re.compile("[\u202a-\u202e\u2066-\u2069]")
    text = "The zebra \u202eparade starts at noon \u2067on July 4."
    assert not bidi.search(fmt.quote(text, [(10, 17)])) and "parade" in fmt.quote(text, [(10, 17)])
    assert not bidi.search(fmt.escape("Ann \u202eLee")) and not bidi.search(fmt.escape_code("id\u2066x"))
    article = make_article(text, doc_id="a\u202eb", title="Port \u202enews", author="Ann \u202eLee")
    passage = Passage(pid=0, doc_id="a\u202eb", paragraph=1, sentence=1, text=text, char_start=0, char_end=len(text))
    assert not bidi.search(fmt.citation(passage, article)) and "Port news" in fmt.citation(passage, article)
    assert not bidi.search(fmt.choice_name("Port \u202enews (a\u202eb)"))


def test_a_keyed_choice_cuts_its_label_never_its_key():
    name = fmt.keyed_choice_name("Wire story: council votes on the harbour budget " * 5, "wire-7")
    assert name.endswith(" (wire-7)") and len(name) <= fmt.CHOICE_NAME_LIMIT
    assert fmt.keyed_choice_name("Short", "wire-7") == "Short (wire-7)"
    long_key = "k" * 95
    assert fmt.keyed_choice_name("A title", long_key) == long_key  # no room for a label: the key alone


def test_counts_of_one_are_singular():
    """ "1 sentence in 1 paragraph", "1 event", "1 entity" (they read "1 sentences in 1
    paragraphs", "1 events", "1 entities": the plural rule of docs/frontends.md)."""
    art = make_article("One line.")
    one = Passage(pid=0, doc_id="doc-1", paragraph=1, sentence=1, char_start=0, char_end=9, text="One line.")
    size = {f.name: f.value for f in fmt.source_embed(art, [one], one, [], []).fields}["Size"]
    assert size == "1 sentence in 1 paragraph"
    assert "· 1 event ·" in (fmt.timeline_embed([], 0, 10, 1, "").footer.text or "")
    one_name = Entity("Linda Park", "PERSON", mentions=1)
    assert (fmt.entities_embed([one_name], None, 1).footer.text or "").startswith("1 entity;")


def test_an_event_read_against_no_date_does_not_say_one_was_inferred():
    """An undated article whose date could not be inferred either: its events' dates were read
    against nothing, so "dates read from an inferred publication date" would be untrue."""
    import datetime as dt

    from index.time.timeline import Event

    art = make_article("Work will finish by October 2026.", date=None)
    p = Passage(pid=0, doc_id="doc-1", paragraph=1, sentence=1, char_start=0, char_end=33, text=art.body)
    assert "inferred" not in fmt.event_source(Event(p, art, [], uncertain=True, anchor=None))
    guessed = fmt.event_source(Event(p, art, [], uncertain=True, anchor=dt.date(2026, 7, 2)))
    assert "dates read from an inferred publication date, 2026-07-02" in guessed


def test_a_long_quote_keeps_a_citation_that_takes_at_most_half_its_block():
    """Ten quotes of 300 characters cannot all be whole in one embed: each keeps its whole
    citation, link included, as before round 19 (only a citation taking over half the block,
    such as a feed's 450-character link, gives way to the quote)."""
    text = "The harbour board said the breakwater would be finished by spring, " * 5
    hits = [make_hit(text.strip(), [(4, 11)], rank=n + 1, url=f"https://example.com/news/{n}") for n in range(10)]
    embed = fmt.answer_embed(Answer(question="When will the breakwater be finished?", abstained=False, hits=hits))
    assert embed.description.count("[link](https://example.com/news/") == 10
    assert embed.description.count("A title") == 10
    assert_embed_fits(embed)
    long_link = "https://example.com/rss/articles/" + "a1B2c3D4e5" * 45
    hits = [make_hit(text.strip(), [(4, 11)], rank=n + 1, url=f"{long_link}{n}") for n in range(10)]
    embed = fmt.answer_embed(Answer(question="When will the breakwater be finished?", abstained=False, hits=hits))
    assert embed.description.count("> ") == 10 and "[link](" not in embed.description
    assert all(len(line) > 200 for line in embed.description.split("\n") if line.startswith("> "))
    assert_embed_fits(embed)
