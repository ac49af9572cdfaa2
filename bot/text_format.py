"""Plain-text rendering of answers for the terminal (the CLI's counterpart of bot/formatting)."""

from __future__ import annotations

from index.models import Answer, Article, Hit, Passage

BOLD, RESET = "\033[1m", "\033[0m"


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
    if not article.date:
        return None
    return f"{article.date} (inferred)" if article.date_inferred else article.date


def citation(article: Article, passage: Passage) -> str:
    """`Title — Author, date, paragraph P, sentence S, url`: enough for a reader to check."""
    parts = [p for p in (article.author, date_label(article)) if p]
    parts.append(f"paragraph {passage.paragraph}, sentence {passage.sentence}")
    if passage.related:
        parts.append("related headline" + (f" dated {passage.related_date}" if passage.related_date else ""))
    if article.url:
        parts.append(article.url)
    return f"{article.title} — " + ", ".join(parts) + f" [{article.doc_id}]"


def render_hit(hit: Hit, color: bool) -> str:
    lines = [
        f"{hit.rank}. \u201c{emphasise(hit.passage.text, hit.highlights, color)}\u201d",
        f"   {citation(hit.article, hit.passage)} (score {hit.score:.2f})",
    ]
    if hit.before or hit.after:
        context = [p.text for p in hit.before] + ["[…]"] + [p.text for p in hit.after]
        lines.append("   context: " + " ".join(context))
    return "\n".join(lines)


def render_answer(answer: Answer, color: bool = False) -> str:
    """An answer as a person reads it: quotes with citations, or a plain abstention."""
    if answer.abstained:
        head = (
            f"Nothing in the articles answers that. ({answer.reason})"
            if answer.reason
            else "Nothing in the articles answers that."
        )
        if not answer.hits:
            return head
        return (
            head
            + "\nClosest passages (they do not answer the question):\n"
            + "\n".join(render_hit(h, color) for h in answer.hits)
        )
    text = "\n".join(render_hit(h, color) for h in answer.hits)
    if answer.story is not None:
        text += "\n(read as a follow-up in the story of the previous questions; /new starts a new topic)"
    return text


def render_event(event) -> str:
    """One timeline line: date, the words that gave it, the sentence quoted, its citation."""
    flags = [
        f
        for f, on in (("related headline", event.related), ("date uncertain: article date inferred", event.uncertain))
        if on
    ]
    when = event.value if event.start == event.end else f"{event.value} ({event.start} to {event.end})"
    head = f"{when} [{event.timex_text}]" + (f" ({'; '.join(flags)})" if flags else "")
    return f"{head}\n   \u201c{event.passage.text}\u201d\n   {citation(event.article, event.passage)}"


def render_entity_row(entity) -> str:
    aliases = f" (also: {', '.join(entity.aliases)})" if entity.aliases else ""
    span = ""
    if entity.first_date:
        span = f", {entity.first_date}" + (f" to {entity.last_date}" if entity.last_date != entity.first_date else "")
    return (
        f"{entity.name} [{entity.type}]{aliases}: {entity.mentions} mention"
        f"{'s' if entity.mentions != 1 else ''} in {len(entity.articles)} article"
        f"{'s' if len(entity.articles) != 1 else ''}{span}"
    )
