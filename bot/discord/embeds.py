"""Discord formatting for Verbatim: quotes, citations, embeds, and the one `fit()`.

Everything that turns corpus objects into Discord text lives here, so that the limits Discord
puts on messages are enforced in one place:

* `fit(text, limit)` shortens any string to a limit with an ellipsis, without leaving a
  markdown marker (`**`, `*`, `` ` ``, a `[link](...)`, a trailing backslash) half open;
* `fit_embed(embed)` applies every per-part embed limit and the 6,000-character total;
* `quote(text, highlights)` escapes article text (markdown and mentions) and puts the
  matched words in **bold**.

Article text is never trusted: it is markdown-escaped and mention-escaped here, and the
client also sends `AllowedMentions.none()` with every message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC
from typing import Any

import discord

from bot.wording import (
    ALSO_IN_SHOWN,
    ENTITY_TYPE_LABELS,
    also_in,
    closest_passages,
    detail_label,
    detail_note,
    link,
    match_words,
    plural,
    short_title,
)
from index.corpus import Entity, Event
from index.models import Answer, Article, Detail, EntityDetails, Hit, Passage

# Discord's documented limits (https://discord.com/developers/docs/resources/message).
MESSAGE_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_COUNT_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
AUTHOR_LIMIT = 256
EMBED_TOTAL_LIMIT = 6000
CHOICE_NAME_LIMIT = 100  # autocomplete choice names and values
CUSTOM_ID_LIMIT = 100

ELLIPSIS = "…"

COLOUR_ANSWER = discord.Colour.green()
COLOUR_ABSTAIN = discord.Colour.light_grey()
COLOUR_INFO = discord.Colour.blurple()

# Paired markdown markers, longest first so that `**` is not read as two `*`.
_MARKERS = ("```", "**", "__", "~~", "||", "*", "_", "`")
_LINK = re.compile(r"\[[^\]\n]*\]\([^)\s]*\)")
_CUT_LINK = re.compile(r"\[[^\]\n]*\]\([^)\s]*$")
_EMPTY = "\u200b"  # a field value may not be empty


# --------------------------------------------------------------------------- fit


def _unclosed_from(text: str) -> int | None:
    """Index of the earliest markdown construct still open at the end of `text`, if any.

    Backslash escapes are skipped; a complete masked link `[text](url)` is skipped whole (its
    URL may hold `_`), and one cut inside its `(url)` counts as open from its `[`.
    """
    stack: list[tuple[str, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            link = _LINK.match(text, i)
            if link:
                i = link.end()
                continue
            if _CUT_LINK.match(text, i):
                return min([i] + [pos for _, pos in stack])
            i += 1
            continue
        for marker in _MARKERS:
            if text.startswith(marker, i):
                if stack and stack[-1][0] == marker:
                    stack.pop()
                else:
                    stack.append((marker, i))
                i += len(marker)
                break
        else:
            i += 1
    return stack[0][1] if stack else None


def fit(text: str, limit: int, *, ellipsis: str = ELLIPSIS) -> str:
    """Return `text` if it fits in `limit` characters, else a shortened copy ending in `ellipsis`.

    The cut prefers a word boundary near the limit, never leaves a markdown marker or masked
    link open (it cuts before the opening marker instead), and never ends in a lone escaping
    backslash. The result is always at most `limit` characters long.
    """
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    if limit <= len(ellipsis):
        return ellipsis[:limit]
    cut = text[: limit - len(ellipsis)]
    # Prefer a word boundary when one is close to the limit.
    space = cut.rfind(" ", max(0, len(cut) - 40))
    if space > 0:
        cut = cut[:space]
    while True:
        # A run of trailing backslashes of odd length would escape the ellipsis.
        trailing = len(cut) - len(cut.rstrip("\\"))
        if trailing % 2:
            cut = cut[:-1]
        open_at = _unclosed_from(cut)
        if open_at is None:
            break
        cut = cut[:open_at]
    return cut.rstrip() + ellipsis


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """Apply every Discord embed limit to `embed` in place (and return it).

    Per part: title 256, description 4,096, 25 fields, field name 256, field value 1,024,
    footer 2,048, author 256. Then the 6,000-character total, by shortening the description
    first, then dropping fields from the end.
    """
    if embed.title:
        embed.title = fit(embed.title, TITLE_LIMIT)
    if embed.description:
        embed.description = fit(embed.description, DESCRIPTION_LIMIT)
    if embed.author and embed.author.name:
        embed.set_author(
            name=fit(embed.author.name, AUTHOR_LIMIT), url=embed.author.url, icon_url=embed.author.icon_url
        )
    if embed.footer and embed.footer.text:
        embed.set_footer(text=fit(embed.footer.text, FOOTER_LIMIT), icon_url=embed.footer.icon_url)
    fields = embed.fields[:FIELD_COUNT_LIMIT]
    embed.clear_fields()
    for f in fields:
        embed.add_field(
            name=fit(f.name or _EMPTY, FIELD_NAME_LIMIT) or _EMPTY,
            value=fit(f.value or _EMPTY, FIELD_VALUE_LIMIT) or _EMPTY,
            inline=bool(f.inline),
        )
    excess = len(embed) - EMBED_TOTAL_LIMIT
    if excess > 0 and embed.description:
        keep = max(0, len(embed.description) - excess)
        embed.description = fit(embed.description, keep) or None
    while len(embed) > EMBED_TOTAL_LIMIT and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    if len(embed) > EMBED_TOTAL_LIMIT and embed.footer and embed.footer.text:
        embed.remove_footer()
    return embed


def fit_message(content: str) -> str:
    """A plain message's content, within the 2,000-character limit."""
    return fit(content, MESSAGE_LIMIT)


# --------------------------------------------------------------------------- escaping


_MD_CHARS = re.compile(r"([\\*_~|`\[\]<>])")
# Bidi embeddings, overrides and isolates: one left open (U+202E) shows the rest of its line right
# to left, a citation's date or id reversed. Dropped from what is shown (they are invisible).
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_LINE_START = re.compile(r"^(\s*)([#>-])")


def _escape_markdown(text: str) -> str:
    r"""Backslash-escape every character Discord reads as markup.

    `discord.utils.escape_markdown` is not enough on its own: it escapes a `[text](url)`
    pattern with a single leading backslash and leaves any `**` inside it active. Here every
    markup character is escaped one by one (Discord renders `\\x` as `x` for punctuation),
    plus heading, list and quote markers at the start of the text.
    """
    return _LINE_START.sub(r"\1\\\2", _MD_CHARS.sub(r"\\\1", text))


def escape(text: str) -> str:
    """Article or user text made inert: markdown escaped, mentions broken, one line."""
    text = " ".join(_BIDI.sub("", text).split())
    return discord.utils.escape_mentions(_escape_markdown(text))


def _merge(spans: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted((max(0, int(s)), min(length, int(e))) for s, e in spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` escaped, with each (start, end) span of the original text in **bold**."""
    out: list[str] = []
    pos = 0
    for start, end in _merge(spans, len(text)):
        out.append(_escape_segment(text[pos:start]))
        word = text[start:end]
        core = word.strip()
        if core:
            lead = word[: len(word) - len(word.lstrip())]
            tail = word[len(word.rstrip()) :]
            out.append(_escape_segment(lead) + "**" + _escape_segment(core) + "**" + _escape_segment(tail))
        else:
            out.append(_escape_segment(word))
        pos = end
    out.append(_escape_segment(text[pos:]))
    return "".join(out)


def _escape_segment(text: str) -> str:
    # Like escape() but keeps single spaces at the edges (segments are joined back together).
    text = re.sub(r"\s+", " ", _BIDI.sub("", text))
    return discord.utils.escape_mentions(_escape_markdown(text))


def quote(text: str, spans: Sequence[tuple[int, int]] = (), limit: int = 1000) -> str:
    """A passage as exact, escaped text with bold matches, at most `limit` characters.

    When the passage is too long and its first match lies far in, the quote starts a little
    before that match (with a leading ellipsis) so the bold words stay visible.
    """
    rendered = highlight(text, spans)
    if len(rendered) <= limit:
        return rendered
    merged = _merge(spans, len(text))
    if merged and merged[0][0] > limit // 3:
        start = max(0, merged[0][0] - limit // 6)
        space = text.find(" ", start, merged[0][0])
        start = space + 1 if space >= 0 else start
        shifted = [(s - start, e - start) for s, e in merged if s >= start]
        rendered = ELLIPSIS + highlight(text[start:], shifted)
    return fit(rendered, limit)


# --------------------------------------------------------------------------- citations


def _safe_url(url: str | None) -> str | None:
    """A web address Discord takes as a link, or None. A space (a CMS export's `…/pier reopens.html`;
    ingest has made any run of white space one) is written `%20` as the terminal writes it
    (`wording.link`): Discord refuses a URL with a space, and the link was dropped.
    """
    if not url or not re.match(r"https?://", url) or any(c.isspace() and c != " " for c in url):
        return None
    return link(url).replace("(", "%28").replace(")", "%29")


CITED_TITLE_LIMIT = 70  # characters of a title (and CITED_AUTHOR_LIMIT of an author) in a short citation
CITED_AUTHOR_LIMIT = 60


def article_line(article: Article, *, short: bool = False) -> str:
    """Title, author and date of an article (escaped), e.g. `*Title* · Author · 2026-07-03`;
    `short` cuts a long title and author (a citation that leaves its quote room).

    A title derived from the text is cut to a few words and marked (see bot/wording.short_title).
    """
    title, author = short_title(article), article.author
    if short:
        title, author = fit(title, CITED_TITLE_LIMIT), author and fit(author, CITED_AUTHOR_LIMIT)
    parts = [f"*{escape(title)}*"]
    if author:
        parts.append(escape(author))
    if article.date:
        parts.append(escape(article.shown_date or "") + (" (inferred)" if article.date_inferred else ""))
    else:
        parts.append("undated")
    return " · ".join(parts)


def citation(passage: Passage, article: Article, *, short: bool = False, link: bool = True) -> str:
    """Where a quote comes from: article, paragraph and sentence, and a link when known (`short`
    and `link` as `citations` uses them).
    """
    where = f"paragraph {passage.paragraph}, sentence {passage.sentence}"
    line = f"— {article_line(article, short=short)} · {where}"
    if passage.related:
        line += " · a related-article line" + (f" ({escape(passage.related_date)})" if passage.related_date else "")
    url = _safe_url(article.url) if link else None
    if url:
        line += f" · [link]({url})"
    line += f" · `{escape_code(article.doc_id)}`"
    return line


def citations(passage: Passage, article: Article, tail: str = "") -> list[str]:
    """A quote's citation, longest first: whole; its title and author cut; also without its link.

    The quote is the answer: a block takes the first citation that leaves its quote whole (a
    feed's 300-character link or a long headline cut every quote of `count:10` to 40 characters);
    when none can, the first that takes at most half the block (`_pick`), else the shortest.
    """
    return [
        citation(passage, article) + tail,
        citation(passage, article, short=True) + tail,
        citation(passage, article, short=True, link=False) + tail,
    ]


def _pick(cites: list[str], budget: int, leaves_whole: Callable[[str], bool]) -> str:
    """The citation a block of `budget` characters uses (see `citations`)."""
    return next((c for c in cites if leaves_whole(c)), next((c for c in cites if len(c) <= budget // 2), cites[-1]))


def unknown_id(doc_id: str) -> str:
    r"""What `/source` and `/remove` say of an id no article has: as it was looked up, so an
    invisible character pasted with it shows (`'\u202eharbour'`, as the CLI writes it) and
    the id shown is never one that exists.
    """
    if not doc_id.strip():
        return "The article id is empty; pick one from the suggestions."
    plain = doc_id.isprintable() and doc_id.strip() == doc_id
    shown = doc_id if plain else repr(doc_id)
    return f"There is no article with the id `{escape_code(shown)[:100]}`; pick one from the suggestions."


def escape_code(text: str) -> str:
    """Text safe inside single backticks (no backticks, one line)."""
    return " ".join(_BIDI.sub("", text).replace("`", "ˋ").split())


def _also_in(doc_ids: list[str], shown: int = ALSO_IN_SHOWN) -> str:
    """` · also in 2 other articles: `a`, `b``: a repeated sentence's other articles, the first
    `shown` named (0: only counted, where room is short), or "".
    """
    if not doc_ids:
        return ""
    if not shown:
        return f" · also in {plural(len(doc_ids), 'other article')}"
    return f" · {also_in([f'`{escape_code(d)}`' for d in doc_ids[:shown]] + doc_ids[shown:], shown)}"


def _hit_block(hit: Hit, budget: int, strength: str | None = None) -> tuple[str, bool]:
    """A quote and its citation in about `budget` characters, and whether the quote was squeezed:
    cut to its floor of 40 characters because even the shortest citation takes over half the block.
    """
    cites = citations(hit.passage, hit.article, (f" · {strength}" if strength else "") + _also_in(hit.also_in))
    whole = len(quote(hit.passage.text, hit.highlights, budget))
    cite = _pick(cites, budget, lambda c: whole + len(c) + 4 <= budget)
    room = max(40, budget - len(cite) - 4)
    squeezed = whole + len(cite) + 4 > budget and len(cite) > budget // 2
    return f"> {quote(hit.passage.text, hit.highlights, room)}\n{cite}", squeezed


# --------------------------------------------------------------------------- embeds


def _detail_line(detail: Detail) -> str:
    """`**Author:** “By …” (its byline, quoted from the article)`: one detail, labelled."""
    shown = f"\u201c{escape(detail.quoted)}\u201d" if detail.quoted else escape(detail.value or "not given")
    if detail.field == "url" and detail.value and not detail.quoted:
        url = _safe_url(detail.value)
        shown = f"[{escape(detail.value)}]({url})" if url else shown
    return f"**{detail_label(detail)}:** {shown} ({detail_note(detail)})"


def _details_block(details: Sequence[Detail]) -> str:
    """Each detail on a line, then the article they are of (title, author, date, id)."""
    if not details:
        return ""
    article = details[0].article
    where = f"— {article_line(article)} · `{escape_code(article.doc_id)}`"
    return "\n".join([_detail_line(d) for d in details] + [where])


ABSTAINED = "The articles do not answer this"  # an abstention's title


def _answer_parts(answer: Answer, room: int, shown: int | None = None) -> tuple[str, str, str, discord.Colour, bool]:
    """An answer's title (to be cut at TITLE_LIMIT), text, footer and colour, the three within
    `room` characters: quotes with citations (the first `shown` of them), or a plain abstention;
    and whether a quote was squeezed to make room for its citation (`_hit_block`).

    Each quote says how strong a match it is (never stronger below a weaker one, see
    bot/wording.match_words); an abstention's closest passages leave out fragments.
    """
    hits = closest_passages(answer)
    if answer.abstained:
        title = ABSTAINED
        intro = f"None of the indexed articles answers “{escape(answer.question)}”." + (
            f" ({escape(answer.reason)})" if answer.reason else ""
        )
        if hits:
            intro += "\nThe closest passages are below; they do **not** answer the question."
        colour = COLOUR_ABSTAIN
        footer = "Verbatim only quotes the articles; it does not guess."
    else:
        title = f"“{escape(answer.question)}”"
        intro = ""
        colour = COLOUR_ANSWER
        footer = "Exact quotes from the articles, best match first; matched words in bold."
    if answer.kind == "article" and not answer.abstained:
        footer = "The article's own details: the byline is quoted, the rest is its metadata."
        intro = _details_block(answer.details)
    if answer.story is not None:  # a follow-up, read in the story of the earlier questions
        footer += " Read as a follow-up in the story of your previous questions (New topic resets)."
    budget = min(DESCRIPTION_LIMIT, room - len(title[:TITLE_LIMIT]) - len(footer) - 20)  # theirs left
    budget -= len(intro) + 2
    blocks = []
    strengths: list[str | None] = [None] * len(hits) if answer.abstained else list(match_words(answer))
    hits, strengths = hits[:shown], strengths[:shown]  # match_words reads them all: the same words
    per_hit = budget // max(1, len(hits)) - 2
    squeezed = False
    for n, (hit, strength) in enumerate(zip(hits, strengths, strict=True), start=1):
        label = f"**Closest {n}** (not an answer)\n" if answer.abstained else ""
        block, cut = _hit_block(hit, per_hit - len(label), strength)
        blocks.append(label + block)
        squeezed |= cut
    description = "\n\n".join(([intro] if intro else []) + blocks) or "No passages."
    return title, description, footer, colour, squeezed


def answer_embed(answer: Answer) -> discord.Embed:
    """The reply to `/ask` or a mention: the answer in an embed (`_answer_parts`)."""
    title, description, footer, colour, _ = _answer_parts(answer, EMBED_TOTAL_LIMIT)
    embed = discord.Embed(title=title, description=description, colour=colour)
    embed.set_footer(text=footer)
    return fit_embed(embed)


def answer_text(answer: Answer) -> str:
    """The same answer written in a message's own text, for a channel where the bot may not
    embed links (Discord drops a bot's embeds there): title in bold, footer in italics.

    A message holds a third of an embed: the quotes are the most that fit as an embed's do
    (none squeezed by its citation), the rest counted and left to `/ask`. All of `count:10`
    in 2,000 characters cut every quote to its first words, and the message's own cut lost
    the last quotes and left one under half a citation.
    """
    hits = len(closest_passages(answer))

    def written(shown: int) -> str | None:
        """The message with the first `shown` quotes, or None when they do not fit."""
        more = f"\n*{plural(hits - shown, 'more quote')} did not fit in a message: `/ask` shows them.*"
        room = MESSAGE_LIMIT - (len(more) if shown < hits else 0)
        title, description, footer, _, squeezed = _answer_parts(answer, room, shown)
        text = f"**{fit(title, TITLE_LIMIT)}**\n{description}\n*{footer}*"
        if shown > 1 and (squeezed or len(text) > room):
            return None
        return fit_message(text + (more if shown < hits else ""))

    best = written(hits)  # one quote or none always fits
    if best is not None:
        return best
    # fewer quotes leave each more room: the most that fit by halving (4 tries for 10, not 9)
    low, high, best = 1, hits - 1, written(1)  # `best` is written(low); the answer is in [low, high]
    while low < high:
        middle = (low + high + 1) // 2
        if (text := written(middle)) is not None:
            low, best = middle, text
        else:
            high = middle - 1
    return best or ""


def context_embed(items: Sequence[tuple[Passage, Article, list[Passage], list[Passage]]]) -> discord.Embed:
    """The "More context" reply: each quoted sentence (bold) with its neighbours."""
    embed = discord.Embed(title="More context", colour=COLOUR_INFO)
    per = DESCRIPTION_LIMIT // max(1, len(items)) - 10
    blocks = []
    for passage, article, before, after in items:
        blocks.append(_context_block(passage, article, before, after, per))
    embed.description = "\n\n".join(blocks) or "No context is available."
    embed.set_footer(text="Neighbouring sentences from the same article, in order.")
    return fit_embed(embed)


def _context_block(passage: Passage, article: Article, before: list[Passage], after: list[Passage], budget: int) -> str:
    neighbours = len(before) + len(after)
    whole = len(quote(passage.text, [(0, len(passage.text))], budget))

    def rooms(cite: str) -> tuple[int, int]:
        # The cited sentence gets half the room, the neighbours share the rest.
        room = max(60, budget - len(cite) - 8)
        side = (room // 2) // max(1, neighbours)
        return side, room - side * neighbours

    cites = citations(passage, article)
    cite = _pick(cites, budget, lambda c: rooms(c)[1] >= whole)  # the cited sentence whole if it can be
    side, own = rooms(cite)
    lines = [f"> {quote(p.text, (), side)}" for p in before]
    lines.append(f"> {quote(passage.text, [(0, len(passage.text))], own)}")
    lines += [f"> {quote(p.text, (), side)}" for p in after]
    return "\n".join(lines) + "\n" + cite


def source_embed(
    article: Article, passages: list[Passage], focus: Passage | None, before: list[Passage], after: list[Passage]
) -> discord.Embed:
    """`/source`: an article's details and one passage with its neighbours."""
    embed = discord.Embed(title=escape(short_title(article)), colour=COLOUR_INFO)
    url = _safe_url(article.url)
    if url:
        embed.url = url
    embed.add_field(name="Id", value=f"`{escape_code(article.doc_id)}`")
    embed.add_field(name="Author", value=escape(article.author) if article.author else "unknown")
    shown = article.shown_date  # `2026` for an article dated a year, never its first day
    date = escape(shown) + (" (inferred)" if article.date_inferred else "") if shown else "undated"
    embed.add_field(name="Date", value=date)
    if article.source:
        embed.add_field(name="Source", value=escape(article.source))
    paragraphs = len({p.paragraph for p in passages})
    embed.add_field(name="Size", value=f"{plural(len(passages), 'sentence')} in {plural(paragraphs, 'paragraph')}")
    if focus is not None:
        embed.description = _context_block(focus, article, before, after, DESCRIPTION_LIMIT - 200)
    else:
        embed.description = "This article has no sentences."
    return fit_embed(embed)


def about_embed(stats: dict[str, Any]) -> discord.Embed:
    """`/about`: what is indexed and when."""
    embed = discord.Embed(
        title="Verbatim",
        description=(
            "I answer questions about the indexed news articles by quoting their sentences "
            "exactly, with a citation for each quote. I never write an answer of my own: "
            "when the articles do not answer, I say so.\n\n"
            "Try `/ask`, `/source`, `/timeline`, `/entities`, or mention me with a question."
        ),
        colour=COLOUR_INFO,
    )
    embed.add_field(name="Articles", value=f"{int(stats.get('articles', 0)):,}")
    embed.add_field(name="Sentences", value=f"{int(stats.get('passages', 0)):,}")
    if "terms" in stats:
        embed.add_field(name="Distinct words", value=f"{int(stats['terms']):,}")
    built = stats.get("built_at")
    embed.add_field(name="Last indexed", value=_timestamp(built) if built else "unknown", inline=False)
    return fit_embed(embed)


def _timestamp(iso: str) -> str:
    """An ISO time as a Discord timestamp (shown in each reader's time zone) and as text."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
    except ValueError:
        return escape(str(iso))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return f"{discord.utils.format_dt(moment, 'F')} ({discord.utils.format_dt(moment, 'R')})"


# --------------------------------------------------------------------------- timeline / entities


EVENT_TITLE_LIMIT = 70  # characters of an article's title under each timeline event


def event_source(event: Event) -> str:
    """The event's article for a reader: title (linked when the article has a safe URL), its
    date, and, when the dates were read against a guessed publication date, that it was guessed.
    """
    a = event.article
    title = escape(fit(short_title(a), EVENT_TITLE_LIMIT))
    url = _safe_url(a.url)
    parts = [f"[{title}]({url})" if url else f"*{title}*"]
    if a.date:
        parts.append(escape(a.shown_date or "") + (" (inferred)" if a.date_inferred else ""))
    else:
        parts.append("undated")
    if event.uncertain and event.anchor is not None:  # no anchor: nothing was read against one
        anchor = f", {event.anchor.isoformat()}" if not a.date else ""
        parts.append(f"dates read from an inferred publication date{anchor}")
    return " · ".join(parts)


def event_line(event: Event, budget: int = 400) -> str:
    """One timeline event: its dates as people write them in bold, the sentence quoted with
    its date words in bold, then the article (title and link, date) and the sentence number.
    """
    p = event.passage
    head = f"**{escape(event.when)}**" + (" (headline of a related article)" if event.related else "") + "\n"
    tail = f"\n— {event_source(event)}, sentence {p.sentence}" + _also_in(event.also_in)
    if len(tail) > budget // 2:
        tail = f"\n— `{escape_code(p.doc_id)}`, sentence {p.sentence}" + _also_in(event.also_in, shown=0)
    spans = [d.span for d in event.dates if d.span is not None]
    return head + quote(p.text, spans, max(40, budget - len(head) - len(tail))) + tail


def timeline_embed(events: Sequence[Event], page: int, per_page: int, total: int, filters: str) -> discord.Embed:
    """One page of the timeline, with the filters in the title and the page in the footer."""
    pages = max(1, -(-total // per_page))
    embed = discord.Embed(title="Timeline" + (f" — {filters}" if filters else ""), colour=COLOUR_INFO)
    budget = (DESCRIPTION_LIMIT - 50) // max(1, len(events)) - 2
    embed.description = "\n\n".join(event_line(e, budget) for e in events) or "No events match."
    embed.set_footer(
        text=f"Page {page + 1} of {pages} · {plural(total, 'event')} · dates as given or inferred from the articles"
    )
    return fit_embed(embed)


def type_label(kind: str | None) -> str:
    """An entity type as a word (`PERSON` -> `person`)."""
    return ENTITY_TYPE_LABELS.get((kind or "").upper(), (kind or "").lower())


def entities_embed(entities: Sequence[Entity], kind: str | None, total: int) -> discord.Embed:
    """`/entities`: the most mentioned names, with their type and mention count."""
    embed = discord.Embed(title="Entities" + (f" — {escape(type_label(kind))}" if kind else ""), colour=COLOUR_INFO)
    lines = []
    for e in entities:
        extra = ", ".join(x for x in (type_label(e.type) if not kind else "", plural(e.mentions, "mention")) if x)
        lines.append(f"• **{escape(e.name)}** ({escape(extra)})")
    embed.description = fit("\n".join(lines), DESCRIPTION_LIMIT - 100) or "No entities found."
    shown = len(entities)
    embed.set_footer(
        text=(f"{shown} of {total} shown; " if shown < total else f"{plural(total, 'entity', 'entities')}; ")
        + "use /entity for one of them"
    )
    return fit_embed(embed)


def entity_embed(details: EntityDetails) -> discord.Embed:
    """`/entity`: type, counts, dates, aliases, company kept, and a few cited mentions."""
    entity, cooccurring, quotes = details.entity, details.cooccurring, details.quotes
    embed = discord.Embed(title=escape(entity.name), colour=COLOUR_INFO)
    embed.add_field(name="Type", value=escape(type_label(entity.type)))
    embed.add_field(name="Mentions", value=f"{entity.mentions:,}")
    if entity.articles:
        embed.add_field(name="Articles", value=f"{len(entity.articles):,}")
    first, last = entity.first_date, entity.last_date
    if first or last:
        span = escape(first or "?") if first == last else f"{escape(first or '?')} to {escape(last or '?')}"
        embed.add_field(name="Dates", value=span)
    aliases = [a for a in entity.aliases if a != entity.name]
    if aliases:
        embed.add_field(name="Also called", value=", ".join(escape(a) for a in aliases[:20]), inline=False)
    if cooccurring:
        names = ", ".join(escape(f"{other.name} ({count})") for other, count in cooccurring[:20])
        embed.add_field(name="Often mentioned with", value=names, inline=False)
    if quotes:
        per = (DESCRIPTION_LIMIT - 100) // len(quotes)
        embed.description = "\n\n".join(
            f"> {quote(q.passage.text, q.spans, max(60, per - 300))}\n{citation(q.passage, q.article)}" for q in quotes
        )
    else:
        embed.description = "No quotable sentence mentions this name (it may only appear in a byline)."
    return fit_embed(embed)


def choice_name(text: str) -> str:
    """An autocomplete choice label (1 to 100 characters, one line)."""
    return fit(" ".join(_BIDI.sub("", text).split()), CHOICE_NAME_LIMIT) or "?"


def keyed_choice_name(label: str, key: str) -> str:
    """`label (key)` as a choice label: a long label is cut, never the key that tells two
    choices of one long title apart (an article's id, a feed's address).
    """
    tail = " " + choice_name(f"({key})")
    room = CHOICE_NAME_LIMIT - len(tail)
    if room < 10:  # a key of nearly 100 characters: it is the label
        return choice_name(key)
    head = fit(" ".join(_BIDI.sub("", label).split()), room)
    return head + tail if head else choice_name(key)


# --------------------------------------------------------------------------- feeds

FEEDS_SHOWN = 20  # feeds listed by /feeds (each is a field)
STORIES_SHOWN = 10  # stories listed in one announcement (fewer when their lines are long)
STORY_TITLE_LIMIT = 200  # characters of a story's title (and its feed's) in an announcement


def story_line(title: str, url: str | None, source: str = "") -> str:
    """`• [Title](link) · Source`: a story in a list, its link made safe, its words escaped."""
    name = escape(title or "Untitled")
    link = _safe_url(url)
    line = f"• [{name}]({link})" if link else f"• {name}"
    return line + (f" · {escape(source)}" if source else "")


def feeds_embed(feeds: Sequence[Any], summaries: Sequence[str]) -> discord.Embed:
    """`/feeds`: each followed feed with its state (`summaries[i]` describes `feeds[i]`)."""
    if not feeds:
        return discord.Embed(
            title="Feeds",
            description="No feed is followed yet. An admin can add one with `/follow url:`.",
            colour=COLOUR_INFO,
        )
    embed = discord.Embed(title=f"Feeds followed ({len(feeds)})", colour=COLOUR_INFO)
    for feed, summary in list(zip(feeds, summaries, strict=True))[:FEEDS_SHOWN]:
        value = f"{escape(feed.url)}\n{summary}"
        if feed.last_error:
            value += f"\nLast error: {escape(feed.last_error)}"
        if feed.last_note:
            value += f"\nNote of the last poll: {escape(feed.last_note)}"
        embed.add_field(
            name=fit(escape(feed.title or feed.url), FIELD_NAME_LIMIT),
            value=fit(value, FIELD_VALUE_LIMIT),
            inline=False,
        )
    if len(feeds) > FEEDS_SHOWN:
        embed.set_footer(text=f"and {len(feeds) - FEEDS_SHOWN} more (python -m bot feeds lists them all)")
    return fit_embed(embed)


def _announcement_parts(
    stories: Sequence[tuple[str, str | None, str]], replaced: int, room: int
) -> tuple[str, str, str]:
    """An announcement's title, lines (whole ones, in `room` characters, then "and N more") and footer."""
    lines: list[str] = []
    room -= 40  # what is left for "and N more"
    for title, url, source in stories[:STORIES_SHOWN]:  # whole lines only: a cut link is a broken one
        line = story_line(fit(title, STORY_TITLE_LIMIT), url, fit(source, STORY_TITLE_LIMIT))
        if len(line) + 1 > room:
            break
        lines.append(line)
        room -= len(line) + 1
    if len(stories) > len(lines):
        lines.append(f"and {len(stories) - len(lines)} more")
    footer = "Ask about them with /ask"
    if replaced:
        footer += f" · {replaced} updated {'story' if replaced == 1 else 'stories'} replaced"
    title = f"{len(stories)} new {'story' if len(stories) == 1 else 'stories'} from the feeds"
    return title, "\n".join(lines), footer


def announcement_embed(stories: Sequence[tuple[str, str | None, str]], replaced: int = 0) -> discord.Embed:
    """One poll's new stories (title, link, source): the announcement posted to ANNOUNCE_CHANNEL_ID."""
    title, lines, footer = _announcement_parts(stories, replaced, DESCRIPTION_LIMIT)
    embed = discord.Embed(title=title, description=lines, colour=COLOUR_INFO)
    embed.set_footer(text=footer)
    return fit_embed(embed)


def announcement_text(stories: Sequence[tuple[str, str | None, str]], replaced: int = 0) -> str:
    """The same announcement in a message's own text, where the bot may not embed links."""
    title, lines, footer = _announcement_parts(stories, replaced, MESSAGE_LIMIT - 200)  # the title, footer
    return fit_message(f"**{title}**\n{lines}\n*{footer}*")
