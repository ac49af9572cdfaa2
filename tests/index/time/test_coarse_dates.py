"""An article dated only a year (`date: 2026`) or a month (`date: 2026-11`): `Article.date` holds
the period's first day so that every reader of dates can sort and compare it, but no citation,
`/source`, details answer or timeline shows that first day as the date (qa19, round 19's
left-over; round 20, dates20): they show `2026` or `2026-11`, as the article gave it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.discord import embeds
from index.answer.details import DATE, detail
from index.models import Article, Passage, shown_date
from index.time.timeline import build_timeline

BODY = "The bridge over the River Aln closed on March 3, 2026 after the council found cracks in its piers."


@pytest.mark.parametrize(
    "date,precision,shown",
    [("2026-01-01", "year", "2026"), ("2026-11-01", "month", "2026-11"), ("2026-11-18", None, "2026-11-18")],
)
def test_the_shown_date_is_the_date_as_given(date, precision, shown):
    article = Article(doc_id="d", title="t", body=BODY, date=date, date_precision=precision)
    assert article.shown_date == shown == shown_date(date, precision)
    assert Article(doc_id="d", title="t", body=BODY).shown_date is None


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """The CLI over two articles: one dated a year, one a month."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "y.md").write_text(f"---\ntitle: Year bridge\ndate: 2026\n---\n{BODY}\n", encoding="utf-8")
    (seeds / "m.md").write_text(
        "---\ntitle: Month flood\ndate: 2026-11\n---\nFlood defences on the Kel were finished on May 4, 2026.\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)

    def run(*args: str) -> str:
        code = main(["--seeds", str(seeds), "--index-dir", str(tmp_path / "index"), *args])
        out = capsys.readouterr().out
        assert code == 0, out
        return out

    return run


def test_citations_source_and_timeline_show_the_year_or_month(cli):
    out = cli("ask", "when did the bridge over the River Aln close?", "--k", "1")
    assert "Year bridge — 2026, paragraph 1, sentence 1 [y]" in out and "2026-01-01" not in out
    [hit] = json.loads(cli("ask", "when did the bridge over the River Aln close?", "--k", "1", "--json"))["answers"]
    assert hit["date"] == "2026"
    out = cli("source", "m")
    assert "date: 2026-11\n" in out and "2026-11-01" not in out
    assert json.loads(cli("source", "m", "--json"))["date"] == "2026-11"
    out = cli("timeline")
    assert "Month flood — 2026-11," in out and "Year bridge — 2026," in out and "-01\n" not in out
    events = json.loads(cli("timeline", "--json"))["events"]
    assert sorted(e["date"] for e in events) == ["2026", "2026-11"]


def test_a_details_answer_gives_the_year_or_month():
    article = Article(doc_id="y", title="Year bridge", body=BODY, date="2026-01-01", date_precision="year")
    assert detail(article, DATE).value == "2026"


def test_discord_shows_the_year_or_month():
    article = Article(doc_id="m", title="Month flood", body=BODY, date="2026-11-01", date_precision="month")
    assert embeds.article_line(article) == "*Month flood* · 2026-11"
    passage = Passage(pid=1, doc_id="m", paragraph=1, sentence=1, char_start=0, char_end=len(BODY), text=BODY)
    embed = embeds.source_embed(article, [passage], None, [], [])
    assert {f.name: f.value for f in embed.fields}["Date"] == "2026-11"
    [event] = build_timeline({"m": article}, [passage])
    assert embeds.event_source(event) == "*Month flood* · 2026-11"
