"""`python -m bench.type_overrides` (round 27): the mentions typed outside the CRF's type family,
with their evidence and whether gold agrees. Run as a subprocess: tests never import a bench.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests import bench_run

TEXT = "Results on Sunday :\nMilwaukee 4 Oakland 2\n"


def _listed(tmp_path: Path, gold_type: str, *extra: str) -> dict[str, str]:
    """The --list lines of a one-document CoNLL file whose gold names Milwaukee only, by name."""
    start = TEXT.index("Milwaukee")
    row = {"doc_id": "d1", "text": TEXT, "entities": [{"start": start, "end": start + 9, "type": gold_type}]}
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    out = bench_run.output("type_overrides", str(path), "--list", *extra)
    return {line.split("'")[1]: line for line in out.splitlines() if line.startswith("  ")}


def test_an_override_is_listed_with_its_evidence_and_verdict(tmp_path: Path) -> None:
    lines = _listed(tmp_path, "ORG", "--off", "sure_org_place")  # the gazetteer's city overrules the CRF
    milwaukee = lines["Milwaukee"].split()
    assert milwaukee[:3] == ["crf", "ORG->GPE", "override"]  # gold says the club: the CRF was right
    assert "gaz=GPE" in milwaukee and "num=1" in milwaukee and "caps=0" in milwaukee
    assert float(milwaukee[3].removeprefix("p=")) >= 0.95
    assert lines["Oakland"].split()[0] == "span"  # no gold name there
    assert _listed(tmp_path, "LOC", "--off", "sure_org_place")["Milwaukee"].split()[0] == "rule"


def test_a_type_within_the_family_is_no_override(tmp_path: Path) -> None:
    assert "Milwaukee" not in _listed(tmp_path, "ORG")  # sure_org_place on: the club stays ORG
