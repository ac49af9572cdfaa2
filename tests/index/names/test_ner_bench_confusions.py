"""`python -m bench.ner --confusions` (round 27): the names found with the right span and the
wrong type, gold type -> product type, CoNLL files by exact span and MEANTIME by its strict
overlap matching. Run as a subprocess: tests never import a bench.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests import bench_run

TEXT = "Kohl met Yeltsin in Bonn on Friday.\n"


def _confusions(path: Path) -> list[str]:
    out = bench_run.output("ner", str(path), "--confusions", "3")
    return out.split("type confusions", 1)[1].splitlines()


def test_conll_counts_a_right_span_with_the_wrong_type(tmp_path: Path) -> None:
    rows = tmp_path / "conll.jsonl"
    gold = [
        {"start": 0, "end": 4, "type": "PER"},
        {"start": 9, "end": 16, "type": "PER"},
        {"start": 20, "end": 24, "type": "ORG"},  # Bonn, the government, as gold: the product says GPE
    ]
    rows.write_text("".join(json.dumps({"doc_id": f"d{k}", "text": TEXT, "entities": gold}) + "\n" for k in range(2)))
    lines = _confusions(rows)
    assert "(2; gold -> product type)" in lines[0]
    assert lines[1].split() == ["ORG", "->", "GPE", "2", "Bonn", "x2"]
    assert len(lines) == 2  # the persons are right: no other row


def test_meantime_shows_the_name_found_inside_a_longer_gold_phrase(tmp_path: Path) -> None:
    rows = tmp_path / "meantime.jsonl"
    text = "Chancellor Kohl met the Bonn government on Friday.\n"
    ents = [
        {"start": 11, "end": 15, "ent_type": "PER", "syntactic_type": "NAM", "text": "Kohl"},
        {"start": 20, "end": 39, "ent_type": "ORG", "syntactic_type": "NAM", "text": "the Bonn government"},
    ]
    rows.write_text(json.dumps({"doc_id": "m0", "text": text, "entities": ents}) + "\n")
    lines = _confusions(rows)
    assert "(1; gold -> product type)" in lines[0]
    assert lines[1].split()[:4] == ["ORG", "->", "GPE", "1"]
    assert lines[1].endswith("Bonn [the Bonn government]")
