"""Questions about an article itself: who wrote it, when it was published, where from, its link.

"who wrote this article" cannot be answered by a sentence: the byline is metadata
(index.ingest.sentences.byline_author), and the date, source and link are front matter. So a
question about the article is recognised here, before the sentences are searched, by a small
set of anchored patterns over the whole question (`asks`): one compiled regex per field, with
bounded repetition only (linear in the question's length).

The patterns name the article explicitly ("this article", "the story about ...") or ask a bare
field ("who's the author", "link?"); an event question ("who wrote the novel", "who wrote the
letter", "when was the law published", "what was the source of the leak", "who's the source
for this story") matches none of them. Measured on SQuAD and CoQA, "who wrote it?" and "who is
the author?" are nearly always about a book or a song in the story, so:

- *pointed* ("who wrote this article", "when was the story published"): the conversation's
  current story, else the only article, else an abstention that says the question names none;
- *named* ("who wrote the story about the claude code ban"): the article the rest of the
  question finds (its best sentences in one story); several close stories are listed;
- *bare* ("who's the author", "source?"): the conversation's story or the only article.

A pointed question whose article does not give the field is an abstention that says so
(searching the sentences first paid on none of CoQA's tune turns: docs/answers.md, round 17). A
named or bare question whose article does not give it is searched as usual, and only if the
sentences abstain is the reason the missing field (their closest passages kept): it may be about
a story the text reports ("who wrote the story on Tulisa" is SQuAD's). Answers stay verbatim: the
byline is quoted as it stands in the body, other fields are given as the article's details
(`Detail`), never as a quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index.ingest.sentences import byline_author
from index.models import Answer, Article, Detail
from index.search import tokens

if TYPE_CHECKING:
    from index.answer.prior import Prior
    from index.answer.query import Query
    from index.corpus import Corpus

AUTHOR, DATE, SOURCE, URL = "author", "date", "source", "url"
ENABLED = True  # off: every question is searched in the sentences (the tests compare both)
CLOSE = 0.1  # another story's best sentence this close to the leader's makes a named story unclear
LISTED = 3  # stories named in an abstention that cannot choose

# "this article", "the story", "the claude code story", "the story about the ban": the article
# noun, its determiner, up to four words before it and what it is "about" after it.
_NOUN = r"(?:news\s+)?(?:article|story|piece|post|write-?up|column)"
_ART = (
    r"(?:(?P<this>this)"
    r"|(?:this|the|your)\s+(?P<mod>(?:[\w'’./-]+\s+){0,4}?)" + _NOUN + r"s?"
    r"(?:\s+(?:about|on|of|regarding|covering|re)\s+(?P<about>[^?!.]{1,300}?))?)"
)
_LEAD = r"^(?:(?:ok|okay|so|and|hey|um|hi|pls|please|quick\s+question)[\s,]+)?"
_END = r"(?:[\s,]+(?:please|thanks))?[\s?!.:]*$"
_NAME_WORDS = r"(?:author|writer|reporter|journalist|byline)"
_SOURCE_WORDS = (
    r"(?:publication|outlet|news\s+outlet|site|website|paper|newspaper|publisher|news\s+site|agency|news\s+agency)"
)
_LINKS = r"(?:source|publisher|outlet|publication|link|url)"

_PATTERNS: dict[str, tuple[str, ...]] = {
    AUTHOR: (
        r"who\s+(?:wrote|writes|has\s+written|authored|penned|reported|filed|is\s+behind|'s\s+behind|’s\s+behind)\s+"
        + _ART,
        r"who(?:'s|’s|\s+is|\s+was)\s+(?:the\s+)?" + _NAME_WORDS + r"(?:\s+(?:of|for|on|behind)\s+" + _ART + r")?",
        r"(?:the\s+)?" + _NAME_WORDS + r"(?:\s+(?:of|for)\s+" + _ART + r")?",
        r"whose\s+" + _NOUN + r"\s+is\s+this",
        # Round 21: "which reporter filed this", "what journalist wrote the story about ...".
        r"(?:which|what)\s+" + _NAME_WORDS + r"\s+(?:wrote|filed|reported|penned|authored)\s+" + _ART,
        r"who(?:'s|’s|\s+is|\s+was)\s+" + _ART + r"\s+(?:written\s+|reported\s+)?by",
        r"by\s+whom\s+(?:is|was)\s+" + _ART + r"\s+written",
        _ART + r"\s+(?:is|was)\s+(?:written|reported|authored)\s+by\s+(?:who|whom)",
    ),
    DATE: (
        r"when\s+(?:was|is|were)\s+" + _ART + r"\s+(?:first\s+)?"
        r"(?:published|written|posted|put\s+(?:out|up|online)|filed|updated|dated|out)",
        r"when\s+did\s+" + _ART + r"\s+(?:come\s+out|run|appear|go\s+(?:up|out|live|online)|get\s+published)",
        r"what\s+(?:date|day)\s+(?:is|was)\s+" + _ART + r"(?:\s+(?:from|published|written|posted))?",
        r"when(?:'s|’s|\s+is|\s+was)\s+" + _ART + r"\s+from",
        r"how\s+old\s+is\s+(?:this|the)\s+" + _NOUN,  # "how old is this?" is about a thing
        r"(?:what(?:'s|’s|\s+is|\s+was)\s+)?(?:the\s+)?(?:date|publication\s+date|publish(?:ed|ing)?\s+date)"
        r"\s+(?:of|for|on)\s+" + _ART,
        r"(?:what(?:'s|’s|\s+is|\s+was)\s+)?(?:the\s+)?(?:publication|publish(?:ed|ing)?)\s+date",
    ),
    SOURCE: (
        r"(?:what|which)\s+"
        + _SOURCE_WORDS
        + r"\s+(?:is|was)\s+"
        + _ART
        + r"\s+(?:from|in|on|by|published\s+(?:in|on|by))",
        r"(?:what|which)\s+" + _SOURCE_WORDS + r"\s+(?:published|ran|carried|put\s+out|posted)\s+" + _ART,
        r"who\s+(?:published|publishes|ran|put\s+out|carried|posted)\s+" + _ART,
        r"where\s+(?:was|is)\s+" + _ART + r"\s+published",
        r"where\s+did\s+" + _ART + r"\s+(?:run|appear)",
    ),
}
# "what's the source / link for this story": one or more of the source and link words.
_FIELD_LIST = (
    r"(?:what(?:'s|’s|\s+is|\s+are)\s+|give\s+me\s+|send\s+(?:me\s+)?|share\s+|post\s+|drop\s+|any\s+|is\s+there\s+)?"
    r"(?:the\s+|a\s+)?(?P<fields>" + _LINKS + r"(?:\s*(?:/|,|or|and|&)\s*(?:the\s+)?" + _LINKS + r"){0,3})s?"
    r"(?:\s+(?:to|for|of|behind)\s+" + _ART + r")?"
)
_READ_IT = (
    r"where\s+can\s+i\s+(?:read|find|see)\s+(?:the\s+(?:full|whole|original)\s+"
    + _NOUN
    + r"|"
    + _ART
    + r")(?:\s+online)?"
)
_LINK_FIELD = {"source": SOURCE, "publisher": SOURCE, "outlet": SOURCE, "publication": SOURCE, "link": URL, "url": URL}

_COMPILED: tuple[tuple[str | None, re.Pattern[str]], ...] = tuple(
    [(field, re.compile(_LEAD + p + _END)) for field, ps in _PATTERNS.items() for p in ps]
    + [(None, re.compile(_LEAD + _FIELD_LIST + _END)), (URL, re.compile(_LEAD + _READ_IT + _END))]
)
# Words of a named article that name nothing ("the first story", "the whole article").
_EMPTY_WORDS = frozenset(
    "a an the this that your its it first last latest new newest original full whole other same "
    "above previous recent current main top news".split()
)

POINTED, NAMED, BARE = "pointed", "named", "bare"


@dataclass(frozen=True, slots=True)
class Asked:
    """What a question about an article asks: its fields, in the question's order, how it
    names the article (`POINTED`, `NAMED` or `BARE`) and, when named, the words that name it.
    """

    fields: tuple[str, ...]
    how: str
    about: str = ""


def asks(text: str) -> Asked | None:
    """The article details `text` (a question as `question.plain` reads it) asks for, or None
    for any other question. Linear: anchored patterns with bounded repetition only.
    """
    if not ENABLED or len(text) > 400:
        return None
    q = text.casefold()
    for field, pattern in _COMPILED:
        m = pattern.match(q)
        if m is None:
            continue
        groups = m.groupdict()
        if field is None:
            words = re.findall(_LINKS, groups["fields"] or "")
            fields = tuple(dict.fromkeys(_LINK_FIELD[w] for w in words))
        else:
            fields = (field,)
        about = " ".join(g for g in (groups.get("mod"), groups.get("about")) if g).strip()
        named = [w for w in about.split() if w not in _EMPTY_WORDS]
        if named:
            return Asked(fields, NAMED, " ".join(named))
        article_said = groups.get("this") or "this" in q.split() or re.search(_NOUN, q)
        return Asked(fields, POINTED if article_said else BARE)
    return None


def answer(asked: Asked, query: Query, corpus: Corpus, prior: Prior | None) -> tuple[Answer | None, bool]:
    """The answer from the article's details and whether it is final. Not final (the sentences
    are searched first, and this abstention is given only if they abstain too, with their
    closest passages): the article does not give the field. None: the sentences answer as usual.
    """
    if asked.how == NAMED:
        found = named_articles(asked.about, corpus)
        with_field = [a for a in found if any(value(a, f) for f in asked.fields)]
        if len(with_field) > 1:
            return _which(query.question, with_field, "Several articles could be meant"), True
        if len(found) == 1 and with_field:
            return details_answer(query.question, asked.fields, found[0]), True
        return (details_answer(query.question, asked.fields, found[0]) if len(found) == 1 else None), False
    article = current_article(corpus, prior)
    if article is None:
        if asked.how == BARE:
            return None, False
        n = corpus.article_count()
        reason = (
            f"Which article? The question does not name one and there are {n:,}: "
            "ask about it by its subject (\u201cwho wrote the story about ...\u201d)."
        )
        return Answer(query.question, True, [], reason, kind="article"), True
    answered = details_answer(query.question, asked.fields, article)
    return answered, not (answered.abstained and asked.how == BARE)


def current_article(corpus: Corpus, prior: Prior | None) -> Article | None:
    """The conversation's current story (the heaviest of its prior), else the only article."""
    if prior is not None and prior.docs:
        return corpus.article(corpus.doc_id_of_row(max(prior.docs, key=lambda d: prior.docs[d])))
    if corpus.article_count() == 1:
        return corpus.article(corpus.doc_id_of_row(0))
    return None


def named_articles(about: str, corpus: Corpus) -> list[Article]:
    """The stories the words `about` find: the best sentence's, and those of other stories
    whose best sentence scores within CLOSE of it (none when the words find no answer).
    """
    if not tokens.tokenize(about):
        return []
    found = corpus.answer(about, k=LISTED)
    if found.abstained or not found.hits:
        return []
    top = found.hits[0].score
    docs = dict.fromkeys(h.passage.doc_id for h in found.hits if h.score >= top - CLOSE)
    return [corpus.article(d) for d in docs]


def value(article: Article, field: str) -> str | None:
    """The article's `field` (author from its byline line or front matter), None when absent."""
    if field == AUTHOR:
        return byline_author(article.body)[0] or article.author
    got = article.shown_date if field == DATE else getattr(article, field)  # `2026`, not its first day
    return str(got) if got else None


def detail(article: Article, field: str) -> Detail:
    """One field of the article as the answer gives it: the byline quoted when the body has
    one (its exact offsets), else the metadata value, else None (not given).
    """
    if field == AUTHOR:
        name, span = byline_author(article.body)
        if name and span:
            start, end = span
            text = article.body[start:end]
            start += len(text) - len(text.lstrip())  # the quote is the line without its indent
            end -= len(text) - len(text.rstrip())
            return Detail(article, AUTHOR, name, (start, end))
    found = value(article, field)
    return Detail(article, field, found, None, bool(found) and field == DATE and article.date_inferred)


def details_answer(question: str, fields: tuple[str, ...], article: Article) -> Answer:
    """The article's details for `fields`; an abstention with a reason when it gives none."""
    found = [detail(article, f) for f in fields]
    if any(d.value for d in found):
        return Answer(question, False, [], kind="article", details=found)
    missing = " or ".join(_FIELD_WORDS[f] for f in fields)
    return Answer(
        question,
        True,
        [],
        f"The article {_title(article)} does not give its {missing}.",
        kind="article",
        details=found,
    )


def _which(question: str, found: list[Article], head: str) -> Answer:
    listed = "; ".join(_title(a) for a in found[:LISTED])
    return Answer(question, True, [], f"{head}: {listed}. Ask again with more of its subject.", kind="article")


def _title(article: Article, words: int = 8) -> str:
    """`“First words of the title…” [doc_id]`: enough to tell the articles apart."""
    said = article.title.split()
    return f"\u201c{' '.join(said[:words])}{'…' if len(said) > words else ''}\u201d [{article.doc_id}]"


_FIELD_WORDS = {AUTHOR: "author", DATE: "publication date", SOURCE: "source", URL: "link"}

__all__ = ["AUTHOR", "DATE", "SOURCE", "URL", "Asked", "answer", "asks", "detail", "details_answer"]


def unless_read(read: Answer, fallback: Answer | None) -> Answer:
    """The sentences' answer `read`; when they abstain and `fallback` (the details' abstention
    or answer) is there, that one with the sentences' closest passages.
    """
    if fallback is None or not read.abstained:
        return read
    fallback.hits = read.hits
    return fallback
