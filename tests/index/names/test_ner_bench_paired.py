"""`bench.ner --against`: two runs over the same documents compared pair by pair (round 24), so a
model's gain is read against the noise of which documents happen to be held out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.ner import doc_counts, main, paired

_CONLL = {
    "doc_id": "d",
    "text": "Kohl met Yeltsin in Bonn.",
    "entities": [
        {"start": 0, "end": 4, "type": "PER"},
        {"start": 9, "end": 16, "type": "PER"},
        {"start": 20, "end": 24, "type": "LOC"},
    ],
}


def test_conll_counts_are_exact_spans_in_conlls_types() -> None:
    spans = [(0, 4, "PERSON"), (9, 16, "ORG"), (20, 24, "GPE"), (5, 8, "PRODUCT")]
    assert doc_counts(_CONLL, spans) == (2, 3, 3, 4)  # Yeltsin typed wrong, `met` a false name


def test_meantime_counts_leave_norp_unscored() -> None:
    row = {
        "doc_id": "m",
        "text": "the Chinese maker Lenovo",
        "entities": [{"start": 18, "end": 24, "ent_type": "ORG", "syntactic_type": "NAM"}],
    }
    assert doc_counts(row, [(4, 11, "NORP"), (18, 24, "ORG")]) == (1, 1, 1, 1)


def test_paired_counts_and_bootstrap() -> None:
    same = [(3, 3, 4, 4)] * 20
    tie = paired(same, same)
    assert tie["typed"]["mine"] == tie["typed"]["theirs"] and tie["typed"]["not_above_0"] == 1.0
    better = [(4, 4, 4, 4)] * 20  # one more name right in every document
    up = paired(better, same)["typed"]
    assert up["more"] == 20 and up["fewer"] == 0 and up["low"] > 0 and up["not_above_0"] == 0.0
    assert paired(same, better)["typed"]["high"] < 0


def test_inner_scores_only_the_part_settings_are_chosen_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = tmp_path / "train.jsonl"
    rows.write_text(
        "".join(json.dumps({"doc_id": f"train-{k:03d}", "text": "", "entities": []}) + "\n" for k in range(946))
    )
    assert main([str(rows), "--inner"]) == 0
    assert f"{rows}: 151 documents" in capsys.readouterr().out  # 20 % of the fold's 757
