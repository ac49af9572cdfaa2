"""Plain-text rendering of answers for the terminal (the counterpart of Discord's bot/discord/embeds.py)."""

from __future__ import annotations

from bot.wording import (
    MATCH_NOTE,
    also_in,
    closest_passages,
    detail_label,
    detail_note,
    link,
    match_words,
    short_title,
)
from index.corpus import Entity, Event
from index.models import Answer, Article, Hit, Passage

BOLD, RESET = "\033[1m", "\033[0m"
_FOLLOW_UP = "(read as a follow-up in the story of the previous questions; /new starts a new topic)"


def emphasise(text: str, spans: list[tuple[int, int]], color: bool) -> str:
    """Matched words in bold on a terminal; left as they are otherwise (quotes stay exact)."""
    if not color or not spans:
        return text
    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos:
            continue
        out += [text[pos:start], BOLD, text[start:end], RESET]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def date_label(article: Article) -> str | None:
    """The article's date, marked when it was inferred from the text; None when undated."""
    date = article.shown_date  # `2026` for an article dated a year, never its first day
    if not date:
        return None
    return f"{date} (inferred)" if article.date_inferred else date


def citation(article: Article, passage: Passage) -> str:
    """`Title — Author, date, paragraph P, sentence S, url`: enough for a reader to check.

    A title derived from the text is cut to a few words and marked (see bot/wording.short_title).
    """
    parts = [p for p in (article.author, date_label(article)) if p]
    parts.append(f"paragraph {passage.paragraph}, sentence {passage.sentence}")
    if passage.related:
        parts.append("related headline" + (f" dated {passage.related_date}" if passage.related_date else ""))
    if article.url:
        parts.append(link(article.url))
    return f"{short_title(article)} — " + ", ".join(parts) + f" [{article.doc_id}]"


def render_hit(hit: Hit, color: bool, rank: int | None = None, strength: str | None = None) -> str:
    """One quote: its place in the order, the sentence, its citation and how strong a match it is."""
    cite = citation(hit.article, hit.passage) + (f" ({strength})" if strength else "")
    lines = [
        f"{rank or hit.rank}. \u201c{emphasise(hit.passage.text, hit.highlights, color)}\u201d",
        f"   {cite}",
    ]
    copies = also_in(hit.also_in)
    if copies:
        lines.append(f"   ({copies})")
    if hit.before or hit.after:
        context = [p.text for p in hit.before] + ["[…]"] + [p.text for p in hit.after]
        lines.append("   context: " + " ".join(context))
    return "\n".join(lines)


def _follow_up_note(conversation: str | None) -> str:
    """The chat's note offers `/new`; a batch line names its conversation (a batch has no `/new`)."""
    if conversation is None:
        return _FOLLOW_UP
    return f"(read as a follow-up in conversation {conversation!r}, in the story of its previous questions)"


def render_answer(answer: Answer, color: bool = False, conversation: str | None = None) -> str:
    """An answer as a person reads it: quotes with citations, or a plain abstention.

    No raw score is shown (the order is not the order of BM25 scores): each quote gets a word
    (strong, fair or weak match) that never rises down the list; an abstention's closest
    passages are marked as not answering, and fragments of sentences are left out of them.
    """
    if answer.abstained:
        head = (
            f"Nothing in the articles answers that. ({answer.reason})"
            if answer.reason
            else "Nothing in the articles answers that."
        )
        closest = closest_passages(answer)
        if not closest:
            return head
        return (
            head
            + "\nClosest passages (they do not answer the question):\n"
            + "\n".join(render_hit(h, color, rank=n) for n, h in enumerate(closest, start=1))
        )
    if answer.kind == "article":
        return render_details(answer, conversation)
    words = match_words(answer)
    lines = [render_hit(h, color, strength=w) for h, w in zip(answer.hits, words, strict=True)]
    if len(lines) > 1:
        lines.append(f"({MATCH_NOTE})")
    if answer.story is not None:
        lines.append(_follow_up_note(conversation))
    return "\n".join(lines)


def render_details(answer: Answer, conversation: str | None = None) -> str:
    """An answer about an article itself: its title and id, then each detail asked for, the
    byline in quotes (a quote of the article), the rest as its details, each labelled.
    """
    lines: list[str] = []
    for detail in answer.details:
        article = detail.article
        head = f"About the article {short_title(article)} [{article.doc_id}]:"
        if head not in lines:
            lines.append(head)
        shown = f"\u201c{detail.quoted}\u201d" if detail.quoted else (detail.value or "not given")
        if detail.field == "url" and detail.value and not detail.quoted:
            shown = link(detail.value)
        lines.append(f"   {detail_label(detail)}: {shown} ({detail_note(detail)})")
    if answer.story is not None:
        lines.append(_follow_up_note(conversation))
    return "\n".join(lines)


def render_event(event: Event) -> str:
    """One timeline event: its dates as people write them, the sentence quoted, its citation
    (title, author, date, sentence, link), and a note when the dates were read from a guessed
    publication date.
    """
    notes = ["related headline"] if event.related else []
    if event.uncertain and event.anchor is not None:  # no anchor: nothing was read against one
        anchor = f", {event.anchor.isoformat()}" if not event.article.date else ""
        notes.append(f"dates read from an inferred publication date{anchor}")
    head = event.when + (f" ({'; '.join(notes)})" if notes else "")
    copies = also_in(event.also_in)
    tail = f"\n   ({copies})" if copies else ""
    return f"{head}\n   \u201c{event.passage.text}\u201d\n   {citation(event.article, event.passage)}{tail}"


def render_entity_row(entity: Entity) -> str:
    """One entity on a line: name, type, aliases, mentions, articles and dates."""
    aliases = f" (also: {', '.join(entity.aliases)})" if entity.aliases else ""
    span = ""
    if entity.first_date:
        span = f", {entity.first_date}" + (f" to {entity.last_date}" if entity.last_date != entity.first_date else "")
    return (
        f"{entity.name} [{entity.type}]{aliases}: {entity.mentions} mention"
        f"{'s' if entity.mentions != 1 else ''} in {len(entity.articles)} article"
        f"{'s' if len(entity.articles) != 1 else ''}{span}"
    )
