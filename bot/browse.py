"""Browsing the articles in the terminal: timeline, entities, one entity, one source.

The CLI commands (`python -m bot timeline ...`) and the chat's slash commands (`/timeline ...`)
print through these functions, so both show the same thing for the same request. Bad input
raises bot.rules.RuleError with the message to show.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
import sys
from typing import Literal

from bot.rules import RuleError, check_date_range, check_entity_type
from bot.text_format import citation, date_label, render_entity_row, render_event
from bot.wording import link, plural, short_title
from index.corpus import Corpus
from index.models import Passage

ABOUT_LISTED = 50  # articles listed by `about`
SOURCE_NEIGHBOURS = 2  # sentences shown on each side of the one `source --sentence` asks for

__all__ = [
    "print_json",
    "print_json_text",
    "show_about",
    "show_entities",
    "show_entity",
    "show_source",
    "show_timeline",
]


_RAW_CONTROLS = re.compile(r"[\x7f-\x9f]")
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")  # C1 encoded; with `in` for DEL: 10x faster than one pattern


def print_json(obj: object) -> None:
    """One JSON document on a line, non-ASCII kept as is (see `print_json_text`)."""
    print_json_text(json.dumps(obj, ensure_ascii=False))


def print_json_text(*parts: str) -> None:
    r"""JSON text (as `json.dumps(..., ensure_ascii=False)` writes it), given in `parts` written
    one after the other, on a line.

    json escapes C0 controls; DEL and C1 (\x9b is an escape on some terminals) are escaped
    here, so the line holds no control character and a UTF-8 stdout gets its bytes directly,
    without a copy of the whole (`timeline --json` writes megabytes: a character-by-character
    filter cost a tenth of a second, each copy a few hundredths).
    """
    out = sys.stdout
    chunks = []
    for text in parts:
        data = text.encode("utf-8")
        if b"\x7f" in data or _C1_UTF8.search(data):
            data = _RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text).encode("utf-8")
        chunks.append(data)
    chunks.append(b"\n")
    buffer = getattr(out, "buffer", None)
    if buffer is None or codecs.lookup(getattr(out, "encoding", None) or "ascii").name != "utf-8":
        out.write("".join(chunk.decode("utf-8") for chunk in chunks))
        return
    out.flush()  # what was written as text comes first
    for chunk in chunks:
        buffer.write(chunk)


def show_timeline(
    corpus: Corpus,
    entity: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    order: Literal["oldest", "newest"] = "oldest",
    as_json: bool = False,
) -> None:
    """Dated sentences, one event per sentence, about one entity (aliases too) and within a period."""
    check_date_range(date_from, date_to)
    if as_json:
        known = corpus.entities().get(entity) if entity else None
        events_text = corpus.events_json(entity=entity, date_from=date_from, date_to=date_to, order=order)
        name = json.dumps(known.name if known else None, ensure_ascii=False)
        print_json_text(f'{{"entity": {name}, "events": ', events_text, "}")
        return
    events = corpus.events(entity=entity, date_from=date_from, date_to=date_to, order=order)
    if not events:
        print(
            "No dated events match."
            if (entity or date_from or date_to)
            else "The articles mention no dates that can be placed on a timeline."
        )
    else:
        print("\n".join(render_event(e) for e in events))


def show_entities(corpus: Corpus, kind: str | None = None, as_json: bool = False) -> None:
    """Every entity named in the articles, most mentioned first, optionally of one type."""
    found = corpus.entities().all(check_entity_type(kind))
    if as_json:
        print_json({"entities": [e.to_json() for e in found]})
    elif not found:
        print("No entities of that type." if kind else "No entities found.")
    else:
        print("\n".join(render_entity_row(e) for e in found))


def show_entity(corpus: Corpus, name: str, limit: int = 10, as_json: bool = False) -> None:
    """One entity: the sentences naming it quoted and cited (`limit` of them), and the names
    seen in the same sentences.
    """
    details = corpus.entity_details(name, quotes=0 if as_json else limit)
    if details is None:
        close = corpus.entities().complete(name, limit=5)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise RuleError(f"No entity named {name!r}.{hint}")
    together = details.cooccurring
    if as_json:
        print_json({**details.entity.to_json(), "cooccurring": [[e.name, n] for e, n in together]})
        return
    print(render_entity_row(details.entity))
    for quote in details.quotes:
        print(f"   \u201c{quote.passage.text}\u201d\n      {citation(quote.article, quote.passage)}")
    if together:
        print("Often in the same sentences: " + ", ".join(f"{e.name} ({n})" for e, n in together))


def show_source(corpus: Corpus, doc: str, sentence: int | None = None, as_json: bool = False) -> None:
    """An article's details, and one of its sentences with its neighbours when asked.

    The sentence is checked before anything is printed, so a wrong number is an error alone
    (exit 2), never the article's details followed by an error; `--json` gives it as `context`.
    """
    try:
        article = corpus.article(doc)
    except KeyError:
        raise RuleError(f"No article {doc!r}: `python -m bot about` (/about in the chat) lists the ids.") from None
    passages = corpus.passages_of(article.doc_id)
    context: list[Passage] = []
    focus: Passage | None = None
    if sentence is not None:
        focus = next((p for p in passages if p.sentence == sentence), None)
        if focus is None:
            raise RuleError(f"{article.doc_id} has sentences 1 to {len(passages)}.")
        before, after = corpus.neighbours(focus.pid, SOURCE_NEIGHBOURS)
        context = [*before, focus, *after]
    if as_json:
        shown = {**article.meta(), "date": article.shown_date, "sentences": [p.text for p in passages]}
        if focus is not None:
            shown["context"] = [
                {"paragraph": p.paragraph, "sentence": p.sentence, "text": p.text, "focus": p.pid == focus.pid}
                for p in context
            ]
        print_json(shown)
        return
    print(f"{article.title}{' (title derived from the text)' if article.title_derived else ''}")
    for label, value in (
        ("author", article.author),
        ("date", date_label(article)),
        ("url", link(article.url) if article.url else None),
        ("source", article.source),
        ("id", article.doc_id),
    ):
        if value:
            print(f"{label}: {value}")
    print(f"sentences: {len(passages)}")
    for p in context:
        marker = ">" if focus is not None and p.pid == focus.pid else " "
        print(f"{marker} [{p.paragraph}.{p.sentence}] {p.text}")


def show_about(corpus: Corpus, as_json: bool = False) -> None:
    """What is indexed and when, and the first articles with their ids."""
    stats = corpus.stats()
    if as_json:
        print_json({**stats, "articles_list": [{"doc_id": a.doc_id, "title": a.title} for a in corpus.articles()]})
        return
    print(
        f"{plural(stats['articles'], 'article')}, {plural(stats['passages'], 'sentence')}, indexed {stats['built_at']}"
    )
    for article in corpus.articles()[:ABOUT_LISTED]:
        print(f"  {article.doc_id}: {short_title(article)}")
    if stats["articles"] > ABOUT_LISTED:
        print(f"  ... and {stats['articles'] - ABOUT_LISTED:,} more")
