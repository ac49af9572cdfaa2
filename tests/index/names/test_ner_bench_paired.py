"""`python -m bench.ner --against DUMP` (round 24): a run compared with another run's dump of the same
documents, name by name and by a paired bootstrap over documents, so a model's gain is read
against the noise of which documents happen to be held out; `--inner` scores the part of CoNLL
train that `tools.train_names --inner` chooses settings on. Run as a subprocess: tests never
import a bench.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests import bench_run

TEXT = "Kohl met Yeltsin in Bonn on Friday.\n"
GOLD = [
    {"start": 0, "end": 4, "type": "PER"},
    {"start": 9, "end": 16, "type": "PER"},
    {"start": 20, "end": 24, "type": "LOC"},
]


def _bench(*args: str) -> str:
    return bench_run.output("ner", *args)


def _against_lines(out: str) -> dict[str, str]:
    lines = out.split("against ", 1)[1].splitlines()[1:3]
    return {line.split()[1]: line for line in lines}


def test_a_run_against_its_own_dump_and_against_a_dump_that_found_nothing(tmp_path: Path) -> None:
    rows = tmp_path / "conll.jsonl"
    rows.write_text("".join(json.dumps({"doc_id": f"d{k}", "text": TEXT, "entities": GOLD}) + "\n" for k in range(12)))
    own, empty = tmp_path / "own.jsonl", tmp_path / "empty.jsonl"
    _bench(str(rows), "--dump", str(own))
    same = _against_lines(_bench(str(rows), "--against", str(own)))
    assert "(+0.00); gold right only here 0, only there 0" in same["typed"]
    assert "not above 0 in 100.0 %" in same["typed"]
    empty.write_text("".join(json.dumps({"doc_id": f"d{k}", "entities": []}) + "\n" for k in range(12)))
    better = _against_lines(_bench(str(rows), "--against", str(empty)))
    for kind in ("typed", "untyped"):
        assert " vs   0.00 (+" in better[kind] and "only there 0;" in better[kind]
        assert "not above 0 in 0.0 %" in better[kind]


def test_a_dump_of_other_documents_is_refused(tmp_path: Path) -> None:
    rows, other = tmp_path / "conll.jsonl", tmp_path / "other.jsonl"
    rows.write_text(json.dumps({"doc_id": "d0", "text": TEXT, "entities": GOLD}) + "\n")
    other.write_text(json.dumps({"doc_id": "elsewhere", "entities": []}) + "\n")
    out = bench_run.run("ner", rows, "--against", other)
    assert out.returncode != 0 and "1 documents missing, e.g. d0" in out.stderr


def test_inner_scores_only_the_part_settings_are_chosen_on(tmp_path: Path) -> None:
    rows = tmp_path / "train.jsonl"
    rows.write_text(
        "".join(json.dumps({"doc_id": f"train-{k:03d}", "text": "", "entities": []}) + "\n" for k in range(946))
    )
    assert f"{rows}: 151 documents" in _bench(str(rows), "--inner")  # 20 % of the fold's 757
