"""Timeline over the seed article (undated: the anchor is inferred, every event uncertain)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from index.models import Article, Passage
from index.timeline import Event, build_timeline, filter_events, value_range

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_e228878e0c08bf80.txt"
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


def test_seed_order_and_values():
    events = _timeline()
    got = [(e.timex_text, e.value) for e in events]
    assert got == [
        ("March", "2026-03"),  # experiment introduced
        ("between April and June", "2026-04/2026-06"),  # distillation campaign
        ("Last month", "2026-06"),  # accusation
        ("June 25, 2026", "2026-06-25"),  # READ headline
        ("this week", "2026-W27"),  # employee wrote on X
        ("July 2, 2026", "2026-07-02"),  # READ headline
        ("July 10", "2026-07-10"),  # ban takes effect
    ]
    assert all(e.uncertain for e in events)
    assert all(e.start.year == 2026 and e.end.year == 2026 for e in events)
    assert [e.related for e in events] == [False, False, False, True, False, True, False]
    assert [e.granularity for e in events] == ["month", "range", "month", "day", "week", "day", "day"]
    april_june = events[1]
    assert (april_june.start, april_june.end) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert "25,000 fraudulent accounts" in april_june.passage.text
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
        assert j["doc_id"] == "seed" and j["author"] == "Kashmira Konduparty"
        assert j["date"] is None and j["uncertain"] is True
        for key in (
            "value",
            "start",
            "end",
            "granularity",
            "timex_text",
            "title",
            "url",
            "paragraph",
            "sentence",
            "related",
            "entities",
        ):
            assert key in j
        if ev.timex_start is not None:
            assert p.text[ev.timex_start : ev.timex_end] == ev.timex_text


def test_filter_by_entity_and_dates():
    events = _timeline()
    qwen = filter_events(events, entity="qwen")
    assert [e.timex_text for e in qwen] == ["between April and June", "Last month"]  # one paragraph
    assert filter_events(events, entity="Qwe") == []  # whole words only
    july = filter_events(events, date_from=dt.date(2026, 7, 1))
    assert [e.value for e in july] == ["2026-W27", "2026-07-02", "2026-07-10"]  # the week overlaps
    june = filter_events(events, date_from=dt.date(2026, 6, 1), date_to=dt.date(2026, 6, 30))
    assert [e.value for e in june] == ["2026-04/2026-06", "2026-06", "2026-06-25", "2026-W27"]
    # entities, when present, replace the text match
    events[0].entities = ["Anthropic"]
    assert filter_events(events[:1], entity="anthropic") == events[:1]
    assert filter_events(events[:1], entity="experiment") == []


def test_dated_article_is_certain_and_passages_with_two_dates_give_two_events():
    body = "Sales fell in January after a record December, the company said on Monday."
    art = Article(doc_id="d", title="t", body=body, date="2026-02-04")
    p = Passage(pid=1, doc_id="d", paragraph=1, sentence=1, char_start=0, char_end=len(body), text=body)
    events = build_timeline({"d": art}, [p])
    assert [(e.timex_text, e.value) for e in events] == [
        ("December", "2025-12"),
        ("January", "2026-01"),
        ("Monday", "2026-02-02"),
    ]
    assert not any(e.uncertain for e in events)


def test_durations_and_vague_references_are_not_placed():
    body = "Prices have risen for three months and will rise weekly in the future."
    art = Article(doc_id="d", title="t", body=body, date="2026-02-04")
    p = Passage(pid=1, doc_id="d", paragraph=1, sentence=1, char_start=0, char_end=len(body), text=body)
    assert build_timeline({"d": art}, [p]) == []


def test_value_ranges():
    assert value_range("2026-W27") == (dt.date(2026, 6, 29), dt.date(2026, 7, 5), "week")
    assert value_range("2026-Q2") == (dt.date(2026, 4, 1), dt.date(2026, 6, 30), "quarter")
    assert value_range("199") == (dt.date(1990, 1, 1), dt.date(1999, 12, 31), "decade")
    assert value_range("199X") == (dt.date(1990, 1, 1), dt.date(1999, 12, 31), "decade")
    assert value_range("2025-WI") == (dt.date(2025, 12, 1), dt.date(2026, 2, 28), "season")
    assert value_range("FY2025")[2] == "year"
    assert value_range("2026-07-10T14:00")[:2] == (dt.date(2026, 7, 10),) * 2
    for v in ("P3M", "PRESENT_REF", "XXXX-07-10", "2026-XX", ""):
        assert value_range(v) is None
