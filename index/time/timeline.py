"""Timeline: every dated sentence of every article, one event per sentence, in date order.

`article_events(article, passages)` tags one article with `index.time` (anchored at the
article's publication date) and makes one `Event` per sentence (passage) that holds at least
one placeable DATE/TIME expression, with all of its dates (`EventDate`). The index build runs
it per article in worker processes and saves the events with the index (`Event.record`);
`build_timeline` does the same for a handful of articles in memory.

Placement rules:

- The anchor is `article.date` (ISO). With no date, `infer_publication_date(article.body)` is
  used; events of such articles, and of articles whose date is itself `date_inferred`, are
  marked `uncertain` (every event of the article: the whole article's reading depends on it).
- A date of only a year or a month (`article.date_precision`) gives no day: the text is tagged
  against the period's first and last days, and an expression read differently by the two
  ("on Friday", "yesterday", "this week", a month that may be this year's or the next) is
  left unplaced rather than placed on a day the article never gave.
- DURATION and SET expressions are never placed; neither are vague references
  (`PRESENT_REF`, `PAST_REF`, `FUTURE_REF`), values with unresolved `X` digits, nor a fiscal
  quarter or half (`the fiscal first quarter` is written `1989-Q1`: its months are the company's),
  nor any quarter or half of an article that names one.
- A `READ:` line (`passage.related`) is the headline of another article: its event is its own
  date, `passage.related_date`, not the dates its words may contain.
- Each value covers an inclusive range of days (`start`..`end`): a day; an ISO week
  (Monday..Sunday; a weekend Saturday..Sunday); a month; a quarter; a half year; a season
  (meteorological: spring March..May, summer June..August, autumn September..November,
  winter December..February of the next year); a (fiscal) year; a decade (`199`, also
  `199X`); a century; a range `A/B` from the start of A to the end of B.
- An event sits at its earliest date. Order: by that start; at the same start the coarser
  (longer) range first, so "June" comes before "June 1"; then by document and sentence.
- Dates are written for people (`describe`): `16 July 2010, morning`, `weekend of 20-21
  September 2008`, `2009-2010`; never TIMEX codes.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from bisect import bisect_left
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from json.encoder import encode_basestring  # the quoting json.dumps(..., ensure_ascii=False) uses
from typing import Any

from index.models import Article, Passage, shown_date
from index.time.timex import Timex, single_span, value_span

__all__ = [
    "TIMELINE_VERSION",
    "Event",
    "EventDate",
    "article_events",
    "build_timeline",
    "describe",
    "repeated_events",
    "events_json",
    "filter_events",
    "word_pattern",
]

TIMELINE_VERSION = "3"  # bump when the saved events' content or meaning changes (3: fiscal periods, round 20)


_DAYS: dict[int, dt.date] = {}  # saved ordinals -> dates, shared: the events of a corpus name few distinct days
_ISO: dict[dt.date, str] = {}


def _date_of(ordinal: int) -> dt.date:
    """The date of a saved ordinal (one object per day: 10^5 events share a few thousand days)."""
    d = _DAYS.get(ordinal)
    if d is None:
        d = _DAYS[ordinal] = dt.date.fromordinal(ordinal)
    return d


def _iso(d: dt.date) -> str:
    """`d.isoformat()`, remembered (`timeline --json` writes 10^5 of them)."""
    s = _ISO.get(d)
    if s is None:
        s = _ISO[d] = d.isoformat()
    return s


@dataclass(slots=True)  # not frozen: a frozen dataclass is slow to make, and 10^5 are read per call
class EventDate:
    """One date of a sentence: its TIMEX3 `value`, the days it covers, the words that gave it."""

    value: str
    start: dt.date
    end: dt.date  # inclusive
    granularity: str  # day, time, week, weekend, month, quarter, half, season, year, decade, century, range
    text: str
    span: tuple[int, int] | None = None  # offsets of `text` in the passage (None if not found)
    label: str = ""  # the date as a reader writes it (`describe`), made once when tagged

    @classmethod
    def of(cls, value: str, text: str, span: tuple[int, int] | None) -> EventDate | None:
        """The date of a TIMEX3 value, or None when it cannot be placed (see `value_span`)."""
        rng = value_span(value)
        if rng is None:
            return None
        return cls(value, rng[0], rng[1], rng[2], text, span, describe(value))

    def to_json(self) -> dict[str, Any]:
        """The date as JSON values, with its label for people."""
        return {
            "value": self.value,
            "label": self.label,
            "start": _iso(self.start),
            "end": _iso(self.end),
            "granularity": self.granularity,
            "text": self.text,
            "span": list(self.span) if self.span else None,
        }


@dataclass(slots=True)
class Event:
    """One dated sentence: `passage` of `article`, with every date it mentions (in text order)."""

    passage: Passage
    article: Article
    dates: list[EventDate]
    related: bool = False
    uncertain: bool = False
    anchor: dt.date | None = None  # the publication date the values were resolved against
    entities: list[str] = field(default_factory=list)
    also_in: list[str] = field(default_factory=list)  # other articles (doc ids) holding the same
    #   sentence with the same dates (a syndicated copy), shown once (`repeated_events`)

    @property
    def start(self) -> dt.date:
        """The first day any of its dates covers."""
        return min(d.start for d in self.dates)

    @property
    def end(self) -> dt.date:
        """The last day any of its dates covers."""
        return max(d.end for d in self.dates)

    @property
    def when(self) -> str:
        """All dates of the sentence for a reader: `16 July 2010; 2009-2010`."""
        if len(self.dates) == 1:
            return self.dates[0].label
        return "; ".join(dict.fromkeys(d.label for d in self.dates))

    def sort_key(self) -> tuple[dt.date, int, str, int]:
        """Earliest date first; at the same start the longer range first; then article and sentence."""
        first = min(self.dates, key=lambda d: (d.start, -(d.end - d.start).days))
        return (first.start, -(first.end - first.start).days, self.passage.doc_id, self.passage.sentence)

    def to_json(self) -> dict[str, Any]:
        """The event for `--json`: its dates, the sentence quoted and its citation."""
        p, a = self.passage, self.article
        return {
            "when": self.when,
            "start": _iso(self.dates[0].start if len(self.dates) == 1 else self.start),
            "end": _iso(self.dates[0].end if len(self.dates) == 1 else self.end),
            "dates": [d.to_json() for d in self.dates],
            "text": p.text,
            "doc_id": p.doc_id,
            "title": a.title,
            "author": a.author,
            "date": a.shown_date,
            "date_inferred": a.date_inferred,
            "anchor": _iso(self.anchor) if self.anchor else None,
            "url": a.url,
            "paragraph": p.paragraph,
            "sentence": p.sentence,
            "related": self.related,
            "uncertain": self.uncertain,
            "entities": list(self.entities),
            "also_in": list(self.also_in),
        }

    def record(self) -> list[Any]:
        """The event as JSON values without its passage and article (saved with the index)."""
        return [
            self.passage.pid,
            self.anchor.toordinal() if self.anchor else 0,
            int(self.related) | int(self.uncertain) << 1,
            [
                [d.value, d.start.toordinal(), d.end.toordinal(), d.granularity, d.text, *(d.span or (-1, -1)), d.label]
                for d in self.dates
            ],
            list(self.entities),
        ]

    @staticmethod
    def record_pid(record: Sequence[Any]) -> int:
        """The passage a saved record belongs to."""
        return int(record[0])

    @classmethod
    def from_record(cls, record: Sequence[Any], passage: Passage, article: Article) -> Event:
        """The event saved by `record`, given back its passage and article."""
        _, anchor, flags, dates, entities = record
        day = _date_of
        return cls(
            passage,
            article,
            [
                EventDate(v, day(s), day(e), g, t, (a, b) if a >= 0 else None, label)
                for v, s, e, g, t, a, b, label in dates
            ],
            bool(flags & 1),
            bool(flags & 2),
            day(anchor) if anchor else None,
            entities,
        )


# ------------------------------------------------------------------ saved records as JSON

_JSON_BOOL = ("false", "true")


def events_json(
    records: Sequence[Sequence[Any]],
    passages: Sequence[tuple[str, str, int, int]],
    articles: Mapping[str, Mapping[str, Any]],
    also_in: Sequence[list[str]] | None = None,
) -> str:
    """The JSON array of `Event.to_json` values for saved `records`, written straight from them.

    `passages[i]` is (doc_id, text, paragraph, sentence) of `records[i]`'s sentence and
    `articles` the metadata of each article (`Article.meta()`); `also_in[i]` the other articles
    holding the same sentence (`Event.also_in`; None: none). The text is exactly
    `json.dumps([event.to_json() ...], ensure_ascii=False)`, but no `Event`, `Passage` or dict is
    made: `timeline --json` writes tens of thousands of events in a fresh process.
    """
    quote = encode_basestring
    day = _QuotedDays()
    words = _QuotedWords()  # values, labels, granularities and date words recur: each quoted once
    around: dict[tuple[str, int], str] = {}  # the article's fields, written once per article
    out = []
    copies = also_in if also_in is not None else [[]] * len(records)
    for (_, anchor, flags, dates, names), (doc_id, text, paragraph, sentence), others in zip(
        records, passages, copies, strict=True
    ):
        fields = around.get((doc_id, anchor))
        if fields is None:
            a = articles[doc_id]
            fields = around[(doc_id, anchor)] = (
                f'"doc_id": {quote(doc_id)}, "title": {_json_value(a["title"])}, '
                f'"author": {_json_value(a.get("author"))}, "date": {_json_value(shown_date(a.get("date"), a.get("date_precision")))}, '
                f'"date_inferred": {_json_value(a.get("date_inferred", False))}, '
                f'"anchor": {day[anchor] if anchor else "null"}, "url": {_json_value(a.get("url"))}, '
            )
        written = [
            f'{{"value": {words[v]}, "label": {words[label]}, "start": {day[s]}, "end": {day[e]}, '
            f'"granularity": {words[g]}, "text": {words[t]}, "span": {f"[{a}, {b}]" if a >= 0 else "null"}}}'
            for v, s, e, g, t, a, b, label in dates
        ]
        if len(dates) == 1:
            when, start, end = words[dates[0][7]], dates[0][1], dates[0][2]
        else:
            when = quote("; ".join(dict.fromkeys(d[7] for d in dates)))
            start, end = min(d[1] for d in dates), max(d[2] for d in dates)
        out.append(
            f'{{"when": {when}, "start": {day[start]}, "end": {day[end]}, "dates": [{", ".join(written)}], '
            f'"text": {quote(text)}, {fields}"paragraph": {paragraph}, "sentence": {sentence}, '
            f'"related": {_JSON_BOOL[flags & 1]}, "uncertain": {_JSON_BOOL[flags >> 1 & 1]}, '
            f'"entities": [{", ".join([words[n] for n in names])}], '
            f'"also_in": [{", ".join([quote(d) for d in others])}]}}'
        )
    return "[" + ", ".join(out) + "]"


def repeated_events(
    records: Sequence[Sequence[Any]], lengths: Sequence[Hashable], passages: Callable[[list[int]], list[Passage]]
) -> tuple[frozenset[int], dict[int, list[str]]]:
    """Saved `records` (timeline order) whose sentence repeats an earlier one's word for word
    (whitespace and case aside) with the same dates: a syndicated story under several ids. Returns
    their positions, and for each kept record's position the doc ids of the other articles holding
    it. `lengths[i]` is the length of record i's sentence (characters and words, say): only
    records with the same dates and length are read (`passages` reads sentences by pid), so a
    timeline without copies reads few. A copy whose whitespace differs in length is not found.
    """
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, (record, length) in enumerate(zip(records, lengths, strict=True)):
        key = (length, *((d[0], d[1], d[2]) for d in record[3]))
        groups.setdefault(key, []).append(i)
    alike = [group for group in groups.values() if len(group) > 1]
    if not alike:
        return frozenset(), {}
    flat = [i for group in alike for i in group]
    read = dict(zip(flat, passages([int(records[i][0]) for i in flat]), strict=True))
    dropped: set[int] = set()
    copies: dict[int, list[str]] = {}
    for group in alike:
        first: dict[str, int] = {}
        for i in group:
            p = read[i]
            kept = first.setdefault(" ".join(p.text.split()).casefold(), i)
            if kept == i:
                continue
            dropped.add(i)
            cited = read[kept].doc_id
            if p.doc_id != cited and p.doc_id not in copies.get(kept, []):
                copies.setdefault(kept, []).append(p.doc_id)
    return frozenset(dropped), copies


class _QuotedDays(dict[int, str]):
    """Ordinal -> `"YYYY-MM-DD"` (quoted, as JSON), each day formatted once."""

    def __missing__(self, ordinal: int) -> str:
        text = self[ordinal] = f'"{dt.date.fromordinal(ordinal).isoformat()}"'
        return text


class _QuotedWords(dict[str, str]):
    """A string -> the string quoted as JSON (`json.dumps(..., ensure_ascii=False)`), once each."""

    def __missing__(self, text: str) -> str:
        quoted = self[text] = encode_basestring(text)
        return quoted


def _json_value(value: object) -> str:
    """One of an article's values as json.dumps writes it (a string, null or a flag, usually)."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None or isinstance(value, bool):
        return _JSON_CONSTANTS[value]
    return json.dumps(value, ensure_ascii=False)


_JSON_CONSTANTS = {None: "null", False: "false", True: "true"}


# ----------------------------------------------------------------------- value ranges

# ----------------------------------------------------------------------- dates for people

_PARTS_OF_DAY = {"MO": "morning", "MI": "midday", "AF": "afternoon", "EV": "evening", "NI": "night", "DT": "daytime"}
_QUARTERS = {1: "first", 2: "second", 3: "third", 4: "fourth"}
_SEASON_NAMES = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}


def _day(d: dt.date) -> str:
    return f"{d.day} {calendar.month_name[d.month]} {d.year}"


def _days(a: dt.date, b: dt.date) -> str:
    """An inclusive span of days, as short as it reads: `20-21 September 2008`."""
    if a == b:
        return _day(a)
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}-{b.day} {calendar.month_name[a.month]} {a.year}"
    if a.year == b.year:
        return f"{a.day} {calendar.month_name[a.month]} - {b.day} {calendar.month_name[b.month]} {a.year}"
    return f"{_day(a)} - {_day(b)}"


def _nth(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _time_of_day(part: str) -> str:
    if part in _PARTS_OF_DAY:
        return _PARTS_OF_DAY[part]
    m = re.match(r"(\d\d:\d\d)(Z)?", part)
    if m:
        return m.group(1) + (" UTC" if m.group(2) else "")
    return ""


def _describe_one(value: str) -> str | None:
    rng = single_span(value)
    if rng is None:
        return None
    start, end, granularity = rng
    core = value[2:] if value.startswith("FY") else value
    if granularity == "time":
        when = _time_of_day(core.partition("T")[2])
        return _day(start) + (f", {when}" if when else "")
    if granularity == "day":
        return _day(start)
    if granularity in ("week", "weekend"):
        return f"{granularity} of {_days(start, end)}"
    if granularity == "month":
        return f"{calendar.month_name[start.month]} {start.year}"
    if granularity == "quarter":
        return f"{_QUARTERS[(start.month + 2) // 3]} quarter of {start.year}"
    if granularity == "half":
        return f"{'first' if start.month == 1 else 'second'} half of {start.year}"
    if granularity == "season":
        season = _SEASON_NAMES[core[-2:]]
        return f"{season} {start.year}" + (f"-{str(end.year)[-2:]}" if end.year != start.year else "")
    if granularity == "year":
        return f"fiscal year {start.year}" if value.startswith("FY") else str(start.year)
    if granularity == "decade":
        return f"the {int(core[:3]) * 10}s"
    if granularity == "century":
        return f"the {_nth(int(core[:2]) + 1)} century"
    return None


def describe(value: str) -> str:
    """A TIMEX3 DATE/TIME value as people write it (`2010-07-16TMO` -> `16 July 2010, morning`).

    Only values `value_span` can place are described; anything else comes back unchanged.
    """
    if "/" in value:
        a, _, b = value.partition("/")
        ra, rb = single_span(a), single_span(b)
        la, lb = _describe_one(a), _describe_one(b)
        if not (ra and rb and la and lb):
            return value
        if ra[2] == rb[2] == "year":
            return f"{la}-{lb}"
        if ra[2] == rb[2] == "month" and ra[0].year == rb[0].year:
            return f"{calendar.month_name[ra[0].month]}-{calendar.month_name[rb[0].month]} {ra[0].year}"
        if ra[2] == rb[2] == "day":
            return _days(ra[0], rb[1])
        return f"{la} to {lb}"
    return _describe_one(value) or value


# -------------------------------------------------------------------------- building


def tag(text: str, anchor: dt.date | None, *, ranges: bool = True) -> list[Timex]:
    """`index.time.tagger.tag`, imported on first use: the rules take ~0.2 s to compile and
    reading saved events (`Event.from_record`) never needs them.
    """
    from index.time.tagger import tag as tag_text

    return tag_text(text, anchor, ranges=ranges)


def infer_publication_date(text: str) -> dt.date | None:
    """`index.time.tagger.infer_publication_date`, imported on first use (see `tag`)."""
    from index.time.tagger import infer_publication_date as infer

    return infer(text)


_UNPLACED = "XXXX-XX-XX"  # the value of an expression the article's date cannot place


def _period_end(first: dt.date, precision: str | None) -> dt.date | None:
    """The last day of the year or month a coarse date names (None for a day's date)."""
    if precision == "year":
        return dt.date(first.year, 12, 31)
    if precision == "month":
        return dt.date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])
    return None


def _tag_for(text: str, anchor: dt.date | None, last: dt.date | None) -> list[Timex]:
    """`tag` against the anchor; with a coarse date (`last`: its period's last day), what the
    period's first and last days read differently depends on the missing day: unplaced.
    """
    found = tag(text, anchor)
    if last is None or anchor is None or not found:
        return found
    other = {(t.start, t.end): t.value for t in tag(text, last)}
    return [t if other.get((t.start, t.end)) == t.value else replace(t, value=_UNPLACED) for t in found]


def _anchor_of(article: Article) -> tuple[dt.date | None, bool]:
    """The date to resolve against and whether it is uncertain."""
    if article.date:
        try:
            return dt.date.fromisoformat(str(article.date)[:10]), bool(article.date_inferred)
        except ValueError:
            pass
    return infer_publication_date(article.body or ""), True


def _related_dates(p: Passage, anchor: dt.date | None) -> list[EventDate]:
    """A `READ:` headline's one date: its own, found written out in the line when it can be."""
    if not p.related_date or value_span(p.related_date) is None:
        return []

    text, span = p.related_date, None
    for t in tag(p.text, anchor):  # e.g. "(July 2, 2026)"
        if t.value == p.related_date:
            text, span = t.text, (t.start, t.end)
    date = EventDate.of(p.related_date, text, span)
    return [date] if date else []


def _placed(timexes: Iterable[tuple[Timex, int, int]], fiscal: bool = False) -> list[EventDate]:
    """The sentence's dates that can be placed on the calendar, in text order (`fiscal`: the
    article counts in fiscal quarters, so none of its quarters or halves is placed).
    """
    dates = []
    for t, s, e in timexes:
        if t.type in ("DATE", "TIME"):
            date = EventDate.of(t.value, t.text, (s, e))
            if date is not None and not (date.granularity in _FISCAL_PERIODS and (fiscal or _is_fiscal(t))):
                if date.granularity == "year" and "fiscal" in t.text.lower() and not date.label.startswith("fiscal"):
                    date.label = f"fiscal year {date.label}"  # `fiscal 1989` (TimeML `1989`): not the calendar year
                dates.append(date)
    return dates


# A company's fiscal quarter or half is written as a calendar one (TimeML: Sun's "fiscal first
# quarter", July-September 1989, is `1989-Q1`); placed, it would show January-March. Its months
# are the company's, so it is left unplaced, like a value with `X` digits, and so are the other
# quarters of an article that names one ("the quarter", "a year earlier" count from it; round 20).
_FISCAL_PERIODS = frozenset({"quarter", "half"})
_FISCAL_VALUE = re.compile(r"\d{4}-[QH]\d$")


def _is_fiscal(t: Timex) -> bool:
    """A quarter or half the words call fiscal (`the fiscal first quarter`)."""
    return "fiscal" in t.text.lower() and _FISCAL_VALUE.match(t.value) is not None


def article_events(article: Article, passages: Iterable[Passage]) -> list[Event]:
    """One event per dated sentence of one article (in passage order; not sorted by date)."""
    anchor, uncertain = _anchor_of(article)
    last = _period_end(anchor, article.date_precision) if anchor and not article.date_inferred else None
    body = article.body or ""
    timexes: list[Timex] | None = None
    starts: list[int] = []
    fiscal = False
    events = []
    for p in passages:
        if p.related and p.related_date:
            dates = _related_dates(p, anchor)
        elif body[p.char_start : p.char_end] == p.text:
            if timexes is None:
                timexes = sorted(_tag_for(body, anchor, last), key=lambda t: t.start)
                starts = [t.start for t in timexes]
                fiscal = any(_is_fiscal(t) for t in timexes)
            lo = bisect_left(starts, p.char_start)
            hi = bisect_left(starts, p.char_end, lo)
            inside = (t for t in timexes[lo:hi] if t.end <= p.char_end)
            dates = _placed(((t, t.start - p.char_start, t.end - p.char_start) for t in inside), fiscal)
        else:  # passage text not found at its offsets: tag the sentence on its own
            dates = _placed((t, t.start, t.end) for t in _tag_for(p.text, anchor, last))
        if dates:
            events.append(Event(p, article, dates, related=bool(p.related), uncertain=uncertain, anchor=anchor))
    return events


def build_timeline(articles: Mapping[str, Article], passages: Iterable[Passage]) -> list[Event]:
    """Events of all `passages` (tagged in the context of their article), sorted by date.

    Passages whose article is unknown are skipped.
    """
    by_doc: dict[str, list[Passage]] = {}
    for p in passages:
        by_doc.setdefault(p.doc_id, []).append(p)
    events: list[Event] = []
    for doc_id, plist in by_doc.items():
        article = articles.get(doc_id)
        if article is not None:
            events.extend(article_events(article, plist))
    events.sort(key=Event.sort_key)
    return events


def word_pattern(term: str) -> re.Pattern[str]:
    """`term` as whole words, case-insensitive (`Qwe` does not match `Qwen`)."""
    return re.compile(r"(?<!\w)" + re.escape(term.strip()) + r"(?!\w)", re.I)


def filter_events(
    events: Iterable[Event],
    *,
    entity: str | None = None,
    pids: set[int] | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[Event]:
    """Events whose dates overlap [date_from, date_to] and that are about an entity.

    `pids`, when given, are the sentences the entity index cites for the entity (aliases
    resolved: `GM` finds General Motors); otherwise `entity` is matched as whole words,
    case-insensitively, on `event.entities` when the event has any, else on the sentence.
    """
    rx = word_pattern(entity) if pids is None and entity and entity.strip() else None
    out = []
    for ev in events:
        if date_from is not None or date_to is not None:
            if not any(
                (date_from is None or d.end >= date_from) and (date_to is None or d.start <= date_to) for d in ev.dates
            ):
                continue
        if pids is not None:
            if ev.passage.pid not in pids:
                continue
        elif rx is not None:
            if ev.entities:
                if not any(rx.search(name) for name in ev.entities):
                    continue
            elif not rx.search(ev.passage.text):
                continue
        out.append(ev)
    return out
