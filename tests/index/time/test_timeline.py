"""Timeline over the seed article (undated: the anchor is inferred, every event uncertain)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from index.models import Article, Passage
from index.time import value_span
from index.time.timeline import Event, build_timeline, describe, filter_events

SEED = Path(__file__).resolve().parents[3] / "seeds" / "000_e228878e0c08bf80.txt"
_READ = re.compile(r"^READ: .*\((?P<date>[A-Z][a-z]+ \d{1,2}, \d{4})\)\s*$")


def _seed() -> tuple[dict[str, Article], list[Passage]]:
    body = SEED.read_text(encoding="utf-8")
    lines = body.split("\n")
    article = Article(
        doc_id="seed",
        title="Alibaba bans Claude Code",
        body=body,
        author="Kashmira Konduparty",
        date=None,
        date_inferred=True,
    )
    passages, pos, n = [], 0, 0
    for line in lines:
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip() or line.startswith("By "):
            continue
        n += 1
        m = _READ.match(line)
        related_date = None
        if m:
            related_date = dt.datetime.strptime(m.group("date"), "%B %d, %Y").date().isoformat()
        passages.append(
            Passage(
                pid=n,
                doc_id="seed",
                paragraph=n,
                sentence=n,
                char_start=start,
                char_end=end,
                text=body[start:end],
                related=bool(m),
                related_date=related_date,
            )
        )
    return {"seed": article}, passages


def _timeline() -> list[Event]:
    articles, passages = _seed()
    return build_timeline(articles, passages)


def test_seed_one_event_per_sentence_with_all_its_dates():
    events = _timeline()
    got = [[(d.text, d.value) for d in e.dates] for e in events]
    assert got == [
        [("this week", "2026-W27"), ("March", "2026-03")],  # one sentence, two dates, at its earliest
        [("Last month", "2026-06"), ("between April and June", "2026-04/2026-06")],
        [("June 25, 2026", "2026-06-25")],  # READ headline
        [("July 2, 2026", "2026-07-02")],  # READ headline
        [("July 10", "2026-07-10")],  # ban takes effect
    ]
    assert len({e.passage.pid for e in events}) == len(events)
    assert [e.when for e in events] == [
        "week of 29 June - 5 July 2026; March 2026",
        "June 2026; April-June 2026",
        "25 June 2026",
        "2 July 2026",
        "10 July 2026",
    ]
    assert all(e.uncertain for e in events)
    assert [e.related for e in events] == [False, False, True, True, False]
    april_june = events[1].dates[1]
    assert (april_june.start, april_june.end, april_june.granularity) == (
        dt.date(2026, 4, 1),
        dt.date(2026, 6, 30),
        "range",
    )
    assert "25,000 fraudulent accounts" in events[1].passage.text
    ban = events[-1]
    assert "will take effect July 10" in ban.passage.text
    assert ban.anchor == dt.date(2026, 7, 2)


def test_event_json_quotes_the_sentence_exactly():
    articles, passages = _seed()
    body = articles["seed"].body
    for ev in build_timeline(articles, passages):
        j = ev.to_json()
        p = ev.passage
        assert j["text"] == body[p.char_start : p.char_end]
        assert j["doc_id"] == "seed" and j["author"] == "Kashmira Konduparty" and j["title"]
        assert j["date"] is None and j["uncertain"] is True and j["anchor"] == "2026-07-02"
        for key in ("when", "start", "end", "dates", "url", "paragraph", "sentence", "related", "entities"):
            assert key in j
        for d, dj in zip(ev.dates, j["dates"], strict=True):
            assert dj["label"] == describe(d.value) and not re.search(r"\d{4}-", dj["label"])
            if d.span is not None:
                assert p.text[d.span[0] : d.span[1]] == d.text


def test_filter_by_entity_and_dates():
    events = _timeline()
    qwen = filter_events(events, entity="qwen")
    assert [e.when for e in qwen] == ["June 2026; April-June 2026"]  # one sentence
    assert filter_events(events, entity="Qwe") == []  # whole words only
    july = filter_events(events, date_from=dt.date(2026, 7, 1))
    assert [e.when for e in july] == ["week of 29 June - 5 July 2026; March 2026", "2 July 2026", "10 July 2026"]
    june = filter_events(events, date_from=dt.date(2026, 6, 1), date_to=dt.date(2026, 6, 30))
    assert len(june) == 3  # the week overlaps June; a sentence counts once
    # the sentences the entity index cites replace any text match
    assert filter_events(events, entity="anything", pids={events[0].passage.pid}) == events[:1]
    events[0].entities = ["Anthropic"]
    assert filter_events(events[:1], entity="anthropic") == events[:1]
    assert filter_events(events[:1], entity="experiment") == []


def test_dated_article_is_certain_and_a_sentence_with_three_dates_is_one_event():
    body = "Sales fell in January after a record December, the company said on Monday."
    art = Article(doc_id="d", title="t", body=body, date="2026-02-04")
    p = Passage(pid=1, doc_id="d", paragraph=1, sentence=1, char_start=0, char_end=len(body), text=body)
    (event,) = build_timeline({"d": art}, [p])
    assert [(d.text, d.value) for d in event.dates] == [
        ("January", "2026-01"),
        ("December", "2025-12"),
        ("Monday", "2026-02-02"),
    ]
    assert event.start == dt.date(2025, 12, 1) and event.end == dt.date(2026, 2, 2)
    assert event.when == "January 2026; December 2025; 2 February 2026"
    assert not event.uncertain


def test_saved_record_round_trip():
    for event in _timeline():
        again = Event.from_record(event.record(), event.passage, event.article)
        assert again.to_json() == event.to_json()


@pytest.mark.parametrize(
    "value, label",
    [
        ("2010-07-16TMO", "16 July 2010, morning"),
        ("2010-07-16TEV", "16 July 2010, evening"),
        ("2010-07-16T15:30", "16 July 2010, 15:30"),
        ("2009-06-04T16:15Z", "4 June 2009, 16:15 UTC"),
        ("2008-W38-WE", "weekend of 20-21 September 2008"),
        ("2008-W40", "week of 29 September - 5 October 2008"),
        ("2009/2010", "2009-2010"),
        ("2026-04/2026-06", "April-June 2026"),
        ("2026-07-01/2026-07-03", "1-3 July 2026"),
        ("2010-07", "July 2010"),
        ("2010-Q3", "third quarter of 2010"),
        ("2010-H1", "first half of 2010"),
        ("2009-SU", "summer 2009"),
        ("2025-WI", "winter 2025-26"),
        ("FY2025", "fiscal year 2025"),
        ("199", "the 1990s"),
        ("19", "the 20th century"),
        ("20", "the 21st century"),
        ("2026-07-10", "10 July 2026"),
    ],
)
def test_dates_are_written_for_people(value, label):
    assert value_span(value) is not None
    assert describe(value) == label


def test_durations_and_vague_references_are_not_placed():
    body = "Prices have risen for three months and will rise weekly in the future."
    art = Article(doc_id="d", title="t", body=body, date="2026-02-04")
    p = Passage(pid=1, doc_id="d", paragraph=1, sentence=1, char_start=0, char_end=len(body), text=body)
    assert build_timeline({"d": art}, [p]) == []


def test_value_spans():
    assert value_span("2026-W27") == (dt.date(2026, 6, 29), dt.date(2026, 7, 5), "week")
    assert value_span("2026-Q2") == (dt.date(2026, 4, 1), dt.date(2026, 6, 30), "quarter")
    assert value_span("199") == (dt.date(1990, 1, 1), dt.date(1999, 12, 31), "decade")
    assert value_span("199X") == (dt.date(1990, 1, 1), dt.date(1999, 12, 31), "decade")
    assert value_span("2025-WI") == (dt.date(2025, 12, 1), dt.date(2026, 2, 28), "season")
    assert value_span("FY2025")[2] == "year"
    assert value_span("2026-07-10T14:00")[:2] == (dt.date(2026, 7, 10),) * 2
    for v in ("P3M", "PRESENT_REF", "XXXX-07-10", "2026-XX", ""):
        assert value_span(v) is None


def test_saved_records_written_as_json_equal_the_events_json():
    import json

    from index.time.timeline import events_json

    articles, passages = _seed()
    events = _timeline()
    events[0].entities = ["Anthropic", 'A "quoted" name']
    written = events_json(
        [e.record() for e in events],
        [(e.passage.doc_id, e.passage.text, e.passage.paragraph, e.passage.sentence) for e in events],
        {"seed": articles["seed"].meta()},
    )
    assert written == json.dumps([e.to_json() for e in events], ensure_ascii=False)
    assert events_json([], [], {}) == "[]"


def test_reading_saved_events_does_not_load_the_tagger():
    """The rules cost ~0.2 s of regex compilation: `timeline --json` reads saved events without them."""
    import subprocess
    import sys

    code = "import sys, index.corpus, index.time.timeline; print('index.time.tagger' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
    code = "import sys; from index.time import tag; print('index.time.tagger' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"


def _dated(body: str, date: str, precision: str | None) -> list[tuple[str, str]]:
    art = Article(doc_id="d", title="t", body=body, date=date, date_precision=precision)
    p = Passage(pid=1, doc_id="d", paragraph=1, sentence=1, char_start=0, char_end=len(body), text=body)
    return [(d.text, d.value) for e in build_timeline({"d": art}, [p]) for d in e.dates]


@pytest.mark.parametrize("date,precision", [("2026-01-01", "year"), ("2026-11-01", "month")])
def test_a_year_or_month_date_places_no_weekday_and_keeps_what_it_does_not_need(date, precision):
    """`date: 2026` (or `2026-11`) is read as its first day: "on Friday" was placed on 26 December
    2025 (30 October 2026), a day the article never gave. What needs the day stays unplaced."""
    body = "The bridge closed on Friday and yesterday the council met; it opened on March 3, 2026."
    assert _dated(body, date, precision) == [("March 3, 2026", "2026-03-03")]
    body = "Work starts on March 3, 2026 and ends in January, the council said this week."
    # "January" after a year's date may be this January or the next: unplaced; in a month it is read
    # as any day of that month reads it
    month = [("March 3, 2026", "2026-03-03"), ("January", "2026-01")]
    assert _dated(body, date, precision) == (month[:1] if precision == "year" else month)
    assert _dated(body, "2026-11-15", None)[:2] == month


def test_a_day_date_still_places_weekdays():
    body = "The bridge closed on Friday."
    assert _dated(body, "2026-11-01", None) == [("Friday", "2026-10-30")]


def test_an_indexed_article_dated_only_a_month_keeps_its_weekdays_unplaced(tmp_path):
    """Through ingest, the index build and its saved timeline, and a reopen."""
    from index.corpus import Corpus

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "m.md").write_text(
        "---\ntitle: Bridge\ndate: 2026-11\n---\nThe bridge closed on Friday. It reopens on March 3, 2027.\n",
        encoding="utf-8",
    )
    for corpus in (Corpus.open(seeds, tmp_path / "index"), Corpus.open(seeds, tmp_path / "index")):
        assert corpus.article("m").date_precision == "month"
        assert [d.value for e in corpus.timeline() for d in e.dates] == ["2027-03-03"]


def test_a_fiscal_quarter_is_not_placed_on_calendar_months():
    """TimeBank wsj_0928 (round 20): Sun's "fiscal first quarter", which ended Sept. 29, 1989, was
    shown as "first quarter of 1989" among January-March's events."""
    body = "Sun earned $5.2 million in the fiscal first quarter, which ended Sept. 29."
    assert _dated(body, "1989-10-26", None) == [("Sept. 29", "1989-09-29")]
    assert _dated("Sun earned $5.2 million in the first quarter.", "1989-10-26", None) == [
        ("the first quarter", "1989-Q1")
    ]
    # the article's other quarters are the company's too: "the quarter" and "a year earlier" count from it
    body += " Sun shipped 28,000 systems in the quarter, up from a year earlier."
    assert _dated(body, "1989-10-26", None) == [("Sept. 29", "1989-09-29")]


def test_a_fiscal_year_says_so():
    body = "In fiscal 1988, the company earned $17.3 million; in 1987 it lost money."
    art = Article(doc_id="d", title="t", body=body, date="1989-11-02")
    p = Passage(pid=1, doc_id="d", paragraph=1, sentence=1, char_start=0, char_end=len(body), text=body)
    [event] = build_timeline({"d": art}, [p])
    assert [d.label for d in event.dates] == ["fiscal year 1988", "1987"]
