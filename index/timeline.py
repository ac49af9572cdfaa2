"""Timeline: every dated sentence of every article, in date order.

`build_timeline(articles, passages)` tags each article with `index.time` (anchored at the
article's publication date), turns every placeable DATE/TIME expression into an `Event`
attached to the passage (sentence) it occurs in, and sorts all events of all articles.

Placement rules:

- The anchor is `article.date` (ISO). With no date, `infer_publication_date(article.body)` is
  used; events of such articles, and of articles whose date is itself `date_inferred`, are
  marked `uncertain` (every event of the article: the whole article's reading depends on it).
- DURATION and SET expressions are never placed; neither are vague references
  (`PRESENT_REF`, `PAST_REF`, `FUTURE_REF`) nor values with unresolved `X` digits.
- A `READ:` line (`passage.related`) is the headline of another article: its event is its own
  date, `passage.related_date`, not the dates its words may contain.
- Each value covers an inclusive range of days (`start`..`end`): a day; an ISO week
  (Monday..Sunday; a weekend Saturday..Sunday); a month; a quarter; a half year; a season
  (meteorological: spring March..May, summer June..August, autumn September..November,
  winter December..February of the next year); a (fiscal) year; a decade (`199`, also
  `199X`); a century; a range `A/B` from the start of A to the end of B.
- Order: by start date; at the same start the coarser (longer) range first, so "June" comes
  before "June 1" and "2026" before "January 2026"; ranges sort by their start; then by
  document, sentence and position.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from index.models import Article, Passage
from index.time import Timex, infer_publication_date, tag

__all__ = ["Event", "build_timeline", "filter_events", "value_range"]


@dataclass(slots=True)
class Event:
    """One dated mention: the date `value` (TIMEX3) in the sentence `passage` of `article`."""

    value: str
    start: dt.date
    end: dt.date  # inclusive
    granularity: str  # day, time, week, weekend, month, quarter, half, season, year, decade, century, range
    timex_text: str
    passage: Passage
    article: Article
    related: bool = False
    uncertain: bool = False
    entities: list[str] = field(default_factory=list)
    timex_start: int | None = None  # offsets of timex_text in passage.text (None if not found)
    timex_end: int | None = None
    anchor: dt.date | None = None  # the publication date the value was resolved against

    def sort_key(self) -> tuple:
        return (
            self.start,
            -(self.end - self.start).days,
            self.passage.doc_id,
            self.passage.sentence,
            self.timex_start or 0,
        )

    def to_json(self) -> dict:
        p, a = self.passage, self.article
        return {
            "value": self.value,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "granularity": self.granularity,
            "timex_text": self.timex_text,
            "timex_span": [self.timex_start, self.timex_end] if self.timex_start is not None else None,
            "text": p.text,
            "doc_id": p.doc_id,
            "title": a.title,
            "author": a.author,
            "date": a.date,
            "anchor": self.anchor.isoformat() if self.anchor else None,
            "url": a.url,
            "paragraph": p.paragraph,
            "sentence": p.sentence,
            "related": self.related,
            "uncertain": self.uncertain,
            "entities": list(self.entities),
        }


# ----------------------------------------------------------------------- value ranges

_SEASONS = {
    "SP": ((3, 1), (5, 31), 0),
    "SU": ((6, 1), (8, 31), 0),
    "FA": ((9, 1), (11, 30), 0),
    "WI": ((12, 1), (2, None), 1),
}


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _single_range(value: str) -> tuple[dt.date, dt.date, str] | None:
    v = value.strip()
    if not v or "X" in v.upper().replace("FY", "") and not re.fullmatch(r"\d{3}X", v):
        return None
    if v.startswith("FY"):
        v = v[2:]
    try:
        m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)(T.*)?", v)
        if m:
            d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return d, d, "time" if m.group(4) else "day"
        m = re.fullmatch(r"(\d{4})-W(\d\d)(-WE)?", v)
        if m:
            monday = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            if m.group(3):
                return monday + dt.timedelta(days=5), monday + dt.timedelta(days=6), "weekend"
            return monday, monday + dt.timedelta(days=6), "week"
        m = re.fullmatch(r"(\d{4})-W(\d\d)-([1-7])", v)
        if m:
            d = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return d, d, "day"
        m = re.fullmatch(r"(\d{4})-(\d\d)", v)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            return dt.date(y, mo, 1), _month_end(y, mo), "month"
        m = re.fullmatch(r"(\d{4})-Q([1-4])", v)
        if m:
            y, q = int(m.group(1)), int(m.group(2))
            return dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q), "quarter"
        m = re.fullmatch(r"(\d{4})-H([12])", v)
        if m:
            y, h = int(m.group(1)), int(m.group(2))
            return dt.date(y, 6 * h - 5, 1), _month_end(y, 6 * h), "half"
        m = re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", v)
        if m:
            y = int(m.group(1))
            (m1, d1), (m2, _), carry = _SEASONS[m.group(2)]
            return dt.date(y, m1, d1), _month_end(y + carry, m2), "season"
        m = re.fullmatch(r"(\d{4})", v)
        if m:
            y = int(v)
            return dt.date(y, 1, 1), dt.date(y, 12, 31), "year"
        m = re.fullmatch(r"(\d{3})X?", v)
        if m:
            y = int(m.group(1)) * 10
            return dt.date(max(y, 1), 1, 1), dt.date(y + 9, 12, 31), "decade"
        m = re.fullmatch(r"(\d{2})", v)
        if m:
            y = int(v) * 100
            return dt.date(max(y, 1), 1, 1), dt.date(y + 99, 12, 31), "century"
    except ValueError:
        return None
    return None


def value_range(value: str) -> tuple[dt.date, dt.date, str] | None:
    """(start, end inclusive, granularity) of a TIMEX3 DATE/TIME value, or None when it cannot
    be placed (durations, vague references, unresolved `X`).
    """
    if not value or value.startswith("P") or value.endswith("_REF"):
        return None
    if "/" in value:
        a, _, b = value.partition("/")
        ra, rb = _single_range(a), _single_range(b)
        if not ra or not rb or rb[1] < ra[0]:
            return None
        return ra[0], rb[1], "range"
    return _single_range(value)


# -------------------------------------------------------------------------- building


def _anchor_of(article: Article) -> tuple[dt.date | None, bool]:
    """The date to resolve against and whether it is uncertain."""
    if article.date:
        try:
            return dt.date.fromisoformat(str(article.date)[:10]), bool(article.date_inferred)
        except ValueError:
            pass
    return infer_publication_date(article.body or ""), True


def _tag_article(article: Article, anchor: dt.date | None) -> list[Timex]:
    return tag(article.body or "", anchor)


def _related_event(p: Passage, article: Article, anchor, uncertain) -> Event | None:
    rng = value_range(p.related_date or "")
    if not rng:
        return None
    start, end, gran = rng
    text = p.related_date
    s = e = None
    # find the written-out date in the headline line, e.g. "(July 2, 2026)"
    for t in tag(p.text, anchor):
        if t.value == p.related_date:
            text, s, e = t.text, t.start, t.end
    return Event(
        value=p.related_date,
        start=start,
        end=end,
        granularity=gran,
        timex_text=text,
        passage=p,
        article=article,
        related=True,
        uncertain=uncertain,
        timex_start=s,
        timex_end=e,
        anchor=anchor,
    )


def build_timeline(articles: Mapping[str, Article], passages: Iterable[Passage]) -> list[Event]:
    """Events of all `passages` (tagged in the context of their article), sorted by date.

    A passage with two dates yields two events; passages whose article is unknown are skipped.
    """
    by_doc: dict[str, list[Passage]] = {}
    for p in passages:
        by_doc.setdefault(p.doc_id, []).append(p)
    events: list[Event] = []
    for doc_id, plist in by_doc.items():
        article = articles.get(doc_id)
        if article is None:
            continue
        anchor, uncertain = _anchor_of(article)
        body = article.body or ""
        timexes: list[Timex] | None = None
        for p in plist:
            if p.related and p.related_date:
                ev = _related_event(p, article, anchor, uncertain)
                if ev:
                    events.append(ev)
                continue
            if body[p.char_start : p.char_end] == p.text:
                if timexes is None:
                    timexes = _tag_article(article, anchor)
                found = [
                    (t, t.start - p.char_start, t.end - p.char_start)
                    for t in timexes
                    if p.char_start <= t.start and t.end <= p.char_end
                ]
            else:  # passage text not found at its offsets: tag the sentence on its own
                found = [(t, t.start, t.end) for t in tag(p.text, anchor)]
            for t, s, e in found:
                if t.type not in ("DATE", "TIME"):
                    continue
                rng = value_range(t.value)
                if not rng:
                    continue
                start, end, gran = rng
                events.append(
                    Event(
                        value=t.value,
                        start=start,
                        end=end,
                        granularity=gran,
                        timex_text=t.text,
                        passage=p,
                        article=article,
                        related=bool(p.related),
                        uncertain=uncertain,
                        timex_start=s,
                        timex_end=e,
                        anchor=anchor,
                    )
                )
    events.sort(key=Event.sort_key)
    return events


def _word_re(term: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(term.strip()) + r"(?!\w)", re.I)


def filter_events(
    events: Iterable[Event],
    *,
    entity: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[Event]:
    """Events about `entity` (case-insensitive, whole words: on `event.entities` when the
    event has any, else on the sentence text) whose date range overlaps [date_from, date_to].
    """
    rx = _word_re(entity) if entity and entity.strip() else None
    out = []
    for ev in events:
        if date_from is not None and ev.end < date_from:
            continue
        if date_to is not None and ev.start > date_to:
            continue
        if rx is not None:
            if ev.entities:
                if not any(rx.search(name) for name in ev.entities):
                    continue
            elif not rx.search(ev.passage.text):
                continue
        out.append(ev)
    return out
