"""The data that flows through Verbatim: articles in, passages out.

Kept free of behaviour so that every stage (ingest, sentences, index, answers, timeline,
entities, front ends) can share it without importing each other.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from index.corpus import Corpus
    from index.names.entity_index import Entity


class QuestionError(ValueError):
    """A question that cannot be asked; `.message` is shown to the user as is.

    Here rather than in `index.answer.answers` so that front ends can name it without importing the
    answering stack (and nltk with it) for commands that never answer a question.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def shown_date(date: str | None, precision: str | None) -> str | None:
    """An article's `date` as shown (citations, `/source`, the timeline, `--json`): cut to the year
    or the month its `date_precision` says it names, so a made-up first day is never shown.
    """
    if not date or precision is None:
        return date
    return date[:4] if precision == "year" else date[:7] if precision == "month" else date


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as ingested.

    `body` is the text after any front matter (or the JSONL `text` field); every passage's
    offsets point into it. `date` is an ISO date (YYYY-MM-DD) or None; `date_inferred` is
    True when it was guessed from the text rather than given; `date_precision` is "year" or
    "month" when the given date names only that (`date: 2026`: `date` holds its first day, a
    day nobody gave). `title_derived` is True when the title was made from the first sentence
    rather than given.
    """

    doc_id: str
    title: str
    body: str
    author: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None
    title_derived: bool = False
    date_inferred: bool = False
    path: str | None = None
    date_precision: str | None = None

    def meta(self) -> dict[str, Any]:
        """Everything but the body, for the JSON sidecar and citations (`date_precision` only
        when there is one: a day's date, nearly every article's, adds nothing to the sidecar).
        """
        data = asdict(self)
        data.pop("body")
        if data["date_precision"] is None:
            del data["date_precision"]
        return data

    @property
    def shown_date(self) -> str | None:
        """The date as a reader is shown it: `2026` or `2026-11` when the article gave only that
        (`date` holds the period's first day, a day nobody gave), else `date`.
        """
        return shown_date(self.date, self.date_precision)


@dataclass(frozen=True, slots=True)
class Passage:
    """One sentence of an article, with exact offsets: `text == body[char_start:char_end]`.

    `paragraph` and `sentence` are 1-based; `sentence` counts across the whole article so a
    citation such as "sentence 4" can be found by a reader. `related` marks a `READ:` line
    (the headline of another article, with its own `related_date`), which is not body text.
    """

    pid: int
    doc_id: str
    paragraph: int
    sentence: int
    char_start: int
    char_end: int
    text: str
    related: bool = False
    related_date: str | None = None


@dataclass(slots=True)
class Hit:
    """One ranked passage in an answer, with what a citation needs."""

    rank: int
    score: float
    passage: Passage
    article: Article
    highlights: list[tuple[int, int]] = field(default_factory=list)  # offsets in passage.text
    before: list[Passage] = field(default_factory=list)  # neighbour sentences (context)
    after: list[Passage] = field(default_factory=list)
    answer_spans: list[tuple[int, int]] = field(default_factory=list)  # what the question asks
    #   for (a date for "when", a number for "how many", a name for "who"), in passage.text
    also_in: list[str] = field(default_factory=list)  # other articles (doc ids) holding the same
    #   sentence word for word (a syndicated copy), shown once: this hit cites the best-ranked copy

    def to_json(self) -> dict[str, Any]:
        """The hit for `--json` and the API: the quote, its citation and its spans."""
        p, a = self.passage, self.article
        return {
            "rank": self.rank,
            "score": round(float(self.score), 6),
            "text": p.text,
            "doc_id": p.doc_id,
            "title": a.title,
            "author": a.author,
            "date": a.shown_date,
            "date_inferred": a.date_inferred,
            "url": a.url,
            "paragraph": p.paragraph,
            "sentence": p.sentence,
            "char_start": p.char_start,
            "char_end": p.char_end,
            "related": p.related,
            "related_date": p.related_date,
            "highlights": [list(h) for h in self.highlights],
            "context_before": [q.text for q in self.before],
            "context_after": [q.text for q in self.after],
            "answer_spans": [list(s) for s in self.answer_spans],
            "also_in": list(self.also_in),
        }


@dataclass(frozen=True, slots=True)
class Detail:
    """One of an article's details given as an answer ("who wrote this article":
    index.answer.details): `field` is author, date, source or url; `value` is None when the
    article does not give it. `quote` holds the offsets in `article.body` of the line that
    states it (the `By NAME` byline), quoted as it stands; without one the value is the
    article's metadata, shown as its details and never as a quote. `inferred`: a date guessed
    from the text.
    """

    article: Article
    field: str
    value: str | None
    quote: tuple[int, int] | None = None
    inferred: bool = False

    @property
    def quoted(self) -> str | None:
        """The body's line that states it (None: metadata only)."""
        return self.article.body[self.quote[0] : self.quote[1]] if self.quote else None

    def to_json(self) -> dict[str, Any]:
        """The detail for `--json`: the field, its value, its article and its quote if any."""
        a = self.article
        return {
            "field": self.field,
            "value": self.value,
            "inferred": self.inferred,
            "quote": self.quoted,
            "char_start": self.quote[0] if self.quote else None,
            "char_end": self.quote[1] if self.quote else None,
            "doc_id": a.doc_id,
            "title": a.title,
        }


@dataclass(slots=True)
class Answer:
    """The reply to one question. Abstaining is a normal answer: `hits` then holds the
    closest passages, which the front ends must present as *not* answering.
    """

    question: str
    abstained: bool
    hits: list[Hit]
    reason: str | None = None
    story: str | None = None  # in a conversation: the doc_id of the story it was read in
    #                           (the one its earlier questions were answered from), else None
    kind: str = "passages"  # "article": a question about an article itself, answered (or
    #                         abstained on) from its `details`, with no passages in `hits`
    details: list[Detail] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The answer for `--json`: the question, whether it abstained, and the hits."""
        return {
            "question": self.question,
            "abstained": self.abstained,
            "reason": self.reason,
            "story": self.story,
            "kind": self.kind,
            "answers": [h.to_json() for h in self.hits],
            "details": [d.to_json() for d in self.details],
        }


@dataclass(frozen=True, slots=True)
class Quote:
    """A sentence that names an entity: the passage, its article, and every span of the name
    in the passage text (one quote per sentence, however often it names it).
    """

    passage: Passage
    article: Article
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class EntityDetails:
    """One entity as the front ends show it (`Corpus.entity_details`): the sentences quoting it,
    first in the articles' order, and the names most often in the same sentences with how often.
    """

    entity: Entity
    quotes: list[Quote]
    cooccurring: list[tuple[Entity, int]]


@dataclass(frozen=True, slots=True)
class Footprint:
    """What some articles hold in an index: sentences, timeline events, distinct names."""

    articles: int = 0
    sentences: int = 0
    events: int = 0
    names: int = 0


@dataclass(slots=True)
class Change:
    """What `Corpus.add_files` or `Corpus.remove` did to the seeds and the index.

    Ids: `added` (new), `replaced` (an older version removed everywhere), `removed`, and
    `unknown` (asked to remove, but no article has it), `taken` (refused: already indexed, and
    replacing was not asked for). Files: `written` (names in the seeds), `refused` (file, why: bad
    input, nothing of it stored), `failed` (file, the storage problem); `warnings` say what of a
    written file is skipped or guessed (a broken line, an id twice, a relative date).
    `before` counts what the replaced and removed articles held in the old index, `after` what the
    added and replaced ones hold in the new. `corpus` is the index to answer from from now on (the
    caller swaps it in); `reindex_problem` says why the seeds changed but the index could not be
    rebuilt (then `corpus` is the old one). `waited` is True when another writer held the lock.
    """

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    taken: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    before: Footprint = Footprint()
    after: Footprint = Footprint()
    corpus: Corpus | None = None
    reindex_problem: str | None = None
    waited: bool = False

    @property
    def changed(self) -> bool:
        """Whether the seeds changed (and so the index was rebuilt, or tried to be)."""
        return bool(self.added or self.replaced or self.removed or self.written)
