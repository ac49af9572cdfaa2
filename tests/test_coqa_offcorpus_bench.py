"""`python -m bench.coqa_offcorpus` (round 22, abst22) on a tiny CoQA-shaped file: each first
turn is asked of the corpus holding its story (answerable) and of one without it (off-corpus),
and an off-corpus question whose rationale another story repeats is counted apart. Run as a
subprocess: tests never import a bench.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests import bench_run, coqa_files

GROUPS = 5

STORIES = [
    (
        "The new bridge over the Ohio river was opened on Monday by the mayor of Springfield, Joe Quimby. "
        "It took four years to build.",
        "Who opened the new bridge?",
        "the mayor of Springfield, Joe Quimby",
    ),
    (
        "Critics said the mayor of Springfield, Joe Quimby, had spent too much on parades. "
        "A vote on the budget is due in June.",
        "When is the budget vote due?",
        "A vote on the budget is due in June",
    ),
    (
        "Volcanologists in Iceland measured a swarm of small earthquakes beneath the glacier. "
        "Flights were not affected.",
        "What did volcanologists measure beneath the glacier?",
        "a swarm of small earthquakes",
    ),
    (
        "The orchestra of Vienna played Mahler's second symphony at the festival on Friday night. "
        "Tickets sold out within an hour.",
        "What did the orchestra of Vienna play at the festival?",
        "Mahler's second symphony",
    ),
]


def _group(filename: str) -> int:  # bench.coqa_offcorpus.group_of over bench.coqa's doc id
    doc_id = "coqa-" + filename.removeprefix("cnn_")[:16]
    return int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % GROUPS


def _filenames() -> list[str]:
    """Names in the tune part, each story in a group of its own."""
    names: list[str] = []
    for name in coqa_files.filenames(lambda n: not coqa_files.held_out(n)):
        if len(names) == len(STORIES):
            return names
        if _group(name) not in {_group(x) for x in names}:
            names.append(name)
    raise AssertionError("unreachable")


def test_the_bench_asks_each_first_turn_with_and_without_its_story(tmp_path: Path) -> None:
    stories = [
        (name, text, [(q, span), ("Why?", None)]) for name, (text, q, span) in zip(_filenames(), STORIES, strict=True)
    ]
    path = coqa_files.write(tmp_path / "coqa.json", stories)
    rows = tmp_path / "rows.jsonl"
    out = bench_run.output("coqa_offcorpus", str(path), "--rows", str(rows))
    assert "4 first turns" in out  # the second turns (no rationale, not first) are not asked
    # every first turn right and answered with its story in; the three without a copy abstain
    # without it; the bridge question's rationale is in the budget story: counted apart
    assert "| 0.0% | 100.0% | 100.0% | 100.0% (3 of 3) | 1 (" in out
    seen = [json.loads(line) for line in rows.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["side"] for r in seen) == ["answerable"] * 4 + ["off"] * 4
    off = {r["question"]: r for r in seen if r["side"] == "off"}
    assert off["Who opened the new bridge?"]["copied"]
    assert all(r["first_doc"] != r["doc"] for r in off.values())  # never its own story
