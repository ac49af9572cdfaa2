"""Words a reader sees in every front end: match strength, short titles, plurals.

Shared by the terminal (bot/text_format.py) and Discord (bot/discord/embeds.py), so that both
say "strong match", "Untitled (…)" and "1 mention" the same way. No Discord, no markdown.
"""

from __future__ import annotations

from urllib.parse import quote

from index.models import Answer, Article, Detail, Hit

# The names recogniser's types (index.names.rules.TYPES) in words: Discord's `/entities type:`
# choices and the message refusing an unknown `--type`.
ENTITY_TYPE_LABELS = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "country, state or city",
    "LOC": "place",
    "NORP": "nationality or group",
    "PRODUCT": "product",
    "FIN": "financial",
    "EVENT": "event",
    "MISC": "other",
}

__all__ = [
    "ALSO_IN_SHOWN",
    "ENTITY_TYPE_LABELS",
    "MATCH_NOTE",
    "MATCH_WORDS",
    "also_in",
    "closest_passages",
    "detail_label",
    "detail_note",
    "is_fragment",
    "link",
    "match_words",
    "plural",
    "short_title",
]

MATCH_WORDS = ("strong match", "fair match", "weak match")
NOT_AN_ANSWER = "not an answer"
MATCH_NOTE = "Best match first; strong, fair or weak says how close each sentence's match comes to the best one's."
TITLE_WORDS = 6  # words kept of a title derived from the article's first sentence
_STRONG, _FAIR = 0.8, 0.5  # share of the best score for "strong" and "fair"
_QUOTES = "\"'“”‘’«»`([ "


ALSO_IN_SHOWN = 3  # ids named of a repeated sentence's other articles; the rest are counted


def also_in(doc_ids: list[str], shown: int = ALSO_IN_SHOWN) -> str | None:
    """`also in 2 other articles: a, b` for a sentence repeated word for word in other articles
    (a syndicated story under several ids), shown once; at most `shown` ids, then `and N more`.
    None when it is in no other article.
    """
    if not doc_ids:
        return None
    named = ", ".join(doc_ids[:shown]) + (f" and {len(doc_ids) - shown} more" if len(doc_ids) > shown else "")
    return f"also in {plural(len(doc_ids), 'other article')}: {named}"


def match_words(answer: Answer) -> list[str]:
    """One word per hit, in rank order, never stronger on a line below a weaker one.

    An abstention's closest passages are "not an answer", never a strength: a line that does
    not answer must not look better than one that does.
    """
    if answer.abstained:
        return [NOT_AN_ANSWER] * len(answer.hits)
    best = max((h.score for h in answer.hits), default=0.0)
    words, level = [], 0
    for hit in answer.hits:
        share = hit.score / best if best > 0 else 0.0
        level = max(level, 0 if share >= _STRONG else 1 if share >= _FAIR else 2)
        words.append(MATCH_WORDS[level])
    return words


def short_title(article: Article) -> str:
    """The article's own title; a title derived from its text is cut to a few words and marked."""
    title = " ".join(article.title.split())
    if not article.title_derived:
        return title or "Untitled"
    words = title.split()
    if not words:
        return "Untitled"
    opening = " ".join(words[:TITLE_WORDS]).rstrip(",;:")
    return f"Untitled (\u201c{opening}{'…' if len(words) > TITLE_WORDS else ''}\u201d)"


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 mention`, `2 mentions`, `1,478 articles`."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def is_fragment(text: str) -> bool:
    """A sentence that does not read on its own: it starts in lower case (the tail of a quote
    the splitter cut) or has fewer than four words.
    """
    core = text.strip().lstrip(_QUOTES)
    return not core or core[0].islower() or len(core.split()) < 4


def closest_passages(answer: Answer) -> list[Hit]:
    """The hits to show: all of an answer's; of an abstention's, those that read as sentences."""
    if not answer.abstained:
        return list(answer.hits)
    return [h for h in answer.hits if not is_fragment(h.passage.text)]


def link(url: str) -> str:
    """A web address as a terminal shows it whole: white space `%20`-encoded, as a browser sends it
    (a CMS export's `…/pier reopens.html`; a terminal's link ends at the first space).
    """
    return "".join(quote(c) if c.isspace() else c for c in url) if any(c.isspace() for c in url) else url


DETAIL_LABELS = {"author": "Author", "date": "Published", "source": "Source", "url": "Link"}


def detail_label(detail: Detail) -> str:
    """What an article's detail is, in words: `Author`, `Published`, `Source`, `Link`."""
    return DETAIL_LABELS.get(detail.field, detail.field.capitalize())


def detail_note(detail: Detail) -> str:
    """Where a detail comes from, so a reader never takes metadata for a quote: the byline
    line quoted from the article, the article's details, or not given.
    """
    if detail.value is None:
        return "the article does not give it"
    if detail.quote is not None:
        return "its byline, quoted from the article"
    return "from the article's details" + (", inferred from its text" if detail.inferred else "")


def os_error_words(exc: OSError) -> str:
    """A failed read or write in words, naming its file once: `storage_problem` names the file of
    a permission error itself ("permission denied on PATH"), other problems get it in brackets.
    """
    from index.corpus import storage_problem  # the door; imported here, where a failure is said

    problem = storage_problem(exc)
    where = str(exc.filename) if exc.filename else ""
    return problem if not where or where in problem else f"{problem} ({where})"
