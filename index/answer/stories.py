"""Story evidence: a sentence gains when its article's title or date says the question.

A title names what the whole story is about ("GM files for bankruptcy"), and its words are
rarely repeated in the sentence that answers ("The company listed debts of $172.8 billion").
A news question often dates its event ("gm share price april 1 2009"), and the story that
reports it is published on that day or soon after. Each candidate gains

    TITLE x the share of the question's idf mass whose terms are in its article's title
    + DATED when its article was published within a date the question names (up to SLACK
      days after it: news reports an event after it happens); a day named without its year
      ("on oct 24") in any year (YEARLESS: a reader asks "where did the dow close on feb 23"
      about the story of that day, and the year is the one the stories are from)

Every sentence of one article gains the same, so this moves stories, not sentences within
one (a one-article corpus is unchanged). Titles and dates are read through the corpus
(`Stories`, by article row, each row once per corpus); title terms are cached by text.

A question asked alone (no conversation naming its stories) also weighs each short story's
whole-text BM25 for the question (rerank's `art_bm25` column) ARTICLE more, as a lag behind the
best story's (`article_bonus`): a crowd question about one story often takes its words from
several of its sentences, while a sibling story holds them in one (round 22, first22).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Protocol

import numpy as np

from index.answer import derived, rerank
from index.answer.query import Query
from index.answer.sorted_ids import holds
from index.search import tokens
from index.time import value_span

TITLE = 0.5  # weight of the title's share of the question (chosen on news set A: docs/answers.md)
DATED = 0.5  # bonus of a story published within the question's date (chosen on news set A)
SLACK = dt.timedelta(days=7)
YEARLESS = True  # a day without a year dates a story of that day in any year (round 25, story25: docs/answers.md)
YEARLESS_SLACK = dt.timedelta(days=2)  # ... published that day or up to two days after (1-3 alike on news set D)
DERIVED_TITLE = True  # an untitled article's title made from its text (its lede) is read as a title: off
#                       lost on news set G, the seed's A-J and CoQA's tune part (round 26, untitled26:
#                       docs/answers.md); read once per corpus, so set it before a corpus's first question
ARTICLE = 0.3  # extra weight of rerank's art_bm25 column for a question asked alone (round 22, first22:
#                chosen on CoQA's tune part's first turns and news set A; docs/answers.md)


class Stories(Protocol):
    """What is read of the articles: a title and a publication date (ISO) by article row."""

    def story_title(self, row: int) -> str:
        """The article's title ("" if none)."""
        ...

    def story_date(self, row: int) -> str | None:
        """The article's publication date, ISO (None if unknown)."""
        ...

    def story_title_derived(self, row: int) -> bool:
        """Whether the article's title was made from its text (it had none): read only when
        DERIVED_TITLE is off.
        """
        ...


@lru_cache(maxsize=65536)
def title_terms(title: str) -> frozenset[str]:
    """The index terms of a title."""
    return frozenset(tokens.tokenize(title))


ROWS_KEPT = 1 << 20  # articles whose title and date are kept per corpus

_rows: derived.Kept[dict[int, tuple[str, str | None]]] = derived.Kept(dict)


def _read(stories: Stories, row: int) -> tuple[str, str | None]:
    """A row's title ("" for one derived from its text unless DERIVED_TITLE) and date."""
    if not DERIVED_TITLE and stories.story_title_derived(row):
        return "", stories.story_date(row)
    return stories.story_title(row), stories.story_date(row)


def titles_and_dates(stories: Stories, rows: list[int]) -> list[tuple[str, str | None]]:
    """The title and publication date of each article row, each row read once per `stories`
    (a corpus never changes what a row says: a changed corpus is a new Corpus); a question's
    hundred candidates come from up to a hundred articles, and the same stories come back.
    """
    known = _rows.of(stories)
    if known is None:  # not weakly referable: read every time
        return [_read(stories, row) for row in rows]
    found = [known.get(row) for row in rows]
    if None not in found:
        return found  # type: ignore[return-value]  # no None in it
    out = []
    for row, got in zip(rows, found, strict=True):
        if got is None and (got := known.get(row)) is None:  # a row given twice is read once
            if len(known) >= ROWS_KEPT:
                known.clear()
            got = known[row] = _read(stories, row)
        out.append(got)
    return out


def title_rows(query: Query, ids: np.ndarray, doc_col: np.ndarray, stories: Stories | None) -> dict[str, np.ndarray]:
    """Per query term, the sorted article rows (of the candidates `ids`) whose title holds it:
    the title as every sentence's context (rerank's `title` column).
    """
    if stories is None or not len(ids) or not query.known:
        return {}
    wanted = {k.term for k in query.known}
    rows = np.unique(np.asarray(doc_col)[ids]).tolist()
    found: dict[str, list[int]] = {}
    for row, (title, _) in zip(rows, titles_and_dates(stories, rows), strict=True):
        for term in title_terms(title) & wanted:
            found.setdefault(term, []).append(row)  # rows ascending: each list sorted
    return {term: np.array(got, dtype=np.int64) for term, got in found.items()}


def article_bonus(query: Query, scored: rerank.Scored, short: np.ndarray) -> np.ndarray:
    """Per candidate of `scored` (stage-1 columns in `F`) in a short story (`short`: sorted ids,
    rerank.in_stories'), ARTICLE x how far its article's BM25 (rerank's `art_bm25`) falls short of
    the best short story's among them (0 or less), when the question comes alone: a follow-up with
    stories to prefer is told which story by its prior. The best story's sentences keep their
    scores, so a one-story corpus is unchanged, scores and "strong match" labels alike. Every
    article among `scored` keeps a candidate in the abstention's view (`answers.offered_only`
    drops only neighbours of kept ones), so the view's best is the same and this is what it removes.
    """
    out = np.zeros(len(scored.ids))
    prior = query.prior
    if not ARTICLE or scored.F is None or not len(short) or (prior is not None and prior.docs):
        return out
    inside = holds(short, scored.ids)
    if not inside.any():
        return out
    art = scored.F[:, rerank.STAGE1.index("art_bm25")]
    return np.where(inside, ARTICLE * (art - art[inside].max()), 0.0)


def _date_values(question: str) -> list[str]:
    """The TIMEX3 values of the dates a question names. Words are capitalised first: people
    type month names in lower case, the tagger wants them capitalised.
    """
    from index.time.tagger import tag  # imported here: ~0.07 CPU s of rules, for dated candidates only

    typed = " ".join(w[:1].upper() + w[1:] for w in question.split())
    return [timex.value for timex in tag(typed, None)]


def _spans(values: list[str]) -> list[tuple[dt.date, dt.date]]:
    spans = []
    for value in values:
        span = value_span(value)
        if span is not None:
            spans.append((span[0], span[1]))
    return spans


_YEARLESS_DAY = re.compile(r"XXXX-(\d\d)-(\d\d)")


def _days(values: list[str]) -> list[tuple[int, int]]:
    return [(int(m[1]), int(m[2])) for v in values if (m := _YEARLESS_DAY.fullmatch(v))]


def question_dates(question: str) -> list[tuple[dt.date, dt.date]]:
    """The spans of the dates a question names with a year ("april 1 2009", "q3 2009")."""
    return _spans(_date_values(question))


def question_days(question: str) -> list[tuple[int, int]]:
    """The (month, day) of each day a question names without a year ("on oct 24", "feb 23")."""
    return _days(_date_values(question))


def after_day(published: dt.date, month: int, day: int) -> bool:
    """Whether a story published on `published` came out on that month's day or up to
    YEARLESS_SLACK after it, in its own year or, early in January, in the year before.
    """
    for year in (published.year, published.year - 1):
        try:
            named = dt.date(year, month, day)
        except ValueError:  # February 29 of a common year
            continue
        if named <= published <= named + YEARLESS_SLACK:
            return True
    return False


def _published(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def story_bonus(query: Query, ids: np.ndarray, doc_col: np.ndarray, stories: Stories | None) -> np.ndarray:
    """Per candidate, the title and date evidence of its article (see the module's docstring)."""
    out = np.zeros(len(ids))
    if stories is None or not len(ids) or not (TITLE or DATED):
        return out
    docs, inverse = np.unique(np.asarray(doc_col)[ids], return_inverse=True)
    rows = docs.tolist()
    gain = np.zeros(len(docs))
    mass = query.mass
    read = titles_and_dates(stories, rows)
    # Each distinct title and date is read once (copies of a story share both).
    if TITLE and mass:
        weight = {k.term: k.weight * k.times for k in query.known}
        titles = [title for title, _ in read]
        share = {}
        for title in dict.fromkeys(titles):
            held = title_terms(title)
            share[title] = TITLE * sum(w for t, w in weight.items() if t in held) / mass
        gain += [share[title] for title in titles]
    # The question is tagged only when a candidate's article is dated: undated stories gain
    # nothing from its dates, and the tagger is the costliest step here.
    dates = [date for _, date in read] if DATED else []
    days = {value: _published(value) for value in dict.fromkeys(dates)}
    values = _date_values(query.text) if any(day is not None for day in days.values()) else []
    spans = _spans(values)
    named = _days(values) if YEARLESS else []  # days without a year
    if spans or named:
        within = {
            v: day is not None
            and (any(lo <= day <= hi + SLACK for lo, hi in spans) or any(after_day(day, m, d) for m, d in named))
            for v, day in days.items()
        }
        dated = np.array([within[value] for value in dates], dtype=bool)
        gain[dated] += DATED
    out = gain[inverse]
    return out


__all__ = [
    "ARTICLE",
    "DATED",
    "DERIVED_TITLE",
    "SLACK",
    "TITLE",
    "YEARLESS",
    "YEARLESS_SLACK",
    "Stories",
    "after_day",
    "article_bonus",
    "question_dates",
    "question_days",
    "story_bonus",
    "title_rows",
    "title_terms",
    "titles_and_dates",
]
