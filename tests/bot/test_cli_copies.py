"""The CLI on a syndicated story: the seed article under a second id (round 19, copies19)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import SEED


@pytest.fixture
def copied(seeds_dir: Path) -> Path:
    shutil.copy(SEED, seeds_dir / "wire-copy.txt")
    return seeds_dir


def test_ask_shows_a_copied_sentence_once_and_where_else(run, copied):
    code, out, _ = run("ask", "when does the ban take effect", "--k", "3")
    assert code == 0
    assert out.count("The restriction will take effect July 10") == 1
    assert [line[:2] for line in out.splitlines() if line[:1].isdigit()] == ["1.", "2.", "3."]
    assert "(also in 1 other article: wire-copy)" in out


def test_ask_json_lists_the_copies(run, copied):
    code, out, _ = run("ask", "when does the ban take effect", "--k", "3", "--json")
    answers = json.loads(out)["answers"]
    assert code == 0 and len({a["text"] for a in answers}) == 3
    assert answers[0]["doc_id"] == SEED.stem and answers[0]["also_in"] == ["wire-copy"]


def test_timeline_lists_each_event_once(run, copied):
    code, out, _ = run("timeline")
    assert code == 0 and out.count("The restriction will take effect July 10") == 1
    assert "(also in 1 other article: wire-copy)" in out
    code, out, _ = run("timeline", "--json")
    events = json.loads(out)["events"]
    assert len({e["text"] for e in events}) == len(events) and all(e["also_in"] == ["wire-copy"] for e in events)


def test_index_stats_and_ingest_say_the_same_text(run, copied, tmp_path, caplog):
    code, out, _ = run("index", "stats")
    assert (
        code == 0 and "warning: wire-copy.txt: article 'wire-copy' has the same text as '000_e228878e0c08bf80'" in out
    )
    third = tmp_path / "third.txt"
    shutil.copy(SEED, third)
    caplog.clear()
    code, out, _ = run("ingest", str(third))
    assert code == 0 and "added 1 article (third)" in out
    # said as the build says a file's problems: a warning line on stderr (logging)
    assert any("'third' has the same text as" in r.getMessage() and r.levelname == "WARNING" for r in caplog.records)
