"""`bench.timex --unique`: each half scored without the sentences it shares with the other half
(round 23: AQUAINT's halves share re-run wire paragraphs, so a repeat looked like a held-out gain)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bench import timex
from bench.timex import half_of, repeated_sentences, run

SHARED = "The case of Elian is for today's youth what the blockade was for earlier generations."
OWN_A = "The judge ruled on Friday that the boy could stay with his relatives in Miami."
OWN_B = "The father flew to Washington on Thursday to meet the attorney general and officials."


def _row(doc_id: str, sentences: list[str], timexes: list[tuple[str, str, str]]) -> dict:
    text = " ".join(sentences)
    gold = []
    for phrase, typ, value in timexes:
        start = text.index(phrase)
        gold.append({"start": start, "end": start + len(phrase), "text": phrase, "type": typ, "value": value})
    return {"doc_id": doc_id, "dct": "2000-01-07", "text": text, "timexes": gold}


def _rows() -> list[dict]:
    assert half_of("doc3") == "A" and half_of("doc1") == "B"
    return [
        _row("doc3", [OWN_A, SHARED], [("Friday", "DATE", "2000-01-07")]),
        # half B repeats half A's sentence, and its gold there is a date the tagger does not give
        _row("doc1", [OWN_B, SHARED], [("Thursday", "DATE", "2000-01-06"), ("today", "DATE", "2000-01-07")]),
    ]


def test_repeated_sentences_are_the_ones_both_halves_hold():
    rows = _rows()
    spans = repeated_sentences(rows)
    for i, row in enumerate(rows):
        assert [row["text"][s:e].strip() for s, e in spans[i]] == [SHARED]


def test_unique_parts_leave_the_repeated_sentences_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "set.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _rows()), encoding="utf-8")
    res = run(str(path), speed=False, out=io.StringIO(), unique=True)
    assert res["B"]["gold"] == 2 and res["B-uniq"]["gold"] == 1
    assert res["A"]["gold"] == 1 and res["A-uniq"]["gold"] == 1
    assert res["B-uniq"]["value_f1"] == 1.0 and res["B"]["value_f1"] < 1.0
    assert "A-uniq" not in run(str(path), speed=False, out=io.StringIO())
    calls: list[dict] = []
    monkeypatch.setattr(timex, "run", lambda path, **kw: calls.append(kw))
    assert timex.main([str(path), "--no-speed", "--unique"]) == 0
    assert calls[0]["unique"] is True
