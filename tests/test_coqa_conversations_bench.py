"""`python -m bench.coqa_conversations --unknown --rows OUT` (round 27, unknown27) on a tiny
CoQA-shaped file: CoQA's "unknown" turns (no rationale: the story does not answer them) are
counted apart from the answerable ones, abstained or not, with the support the abstention read;
the rows are the tune part's only. Run as a subprocess: tests never import a bench.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests import bench_run, coqa_files

STORIES = [
    (
        "The new bridge over the Ohio river was opened on Monday by the mayor of Springfield, Joe Quimby. "
        "It took four years to build.",
        [
            ("Who opened the new bridge over the Ohio river?", "the mayor of Springfield, Joe Quimby"),
            ("How much did the bridge cost the taxpayers of Ohio?", None),
            ("How long did it take to build?", "It took four years to build."),
        ],
    ),
    (
        "Volcanologists in Iceland measured a swarm of small earthquakes beneath the glacier. "
        "Flights were not affected.",
        [
            ("What did volcanologists in Iceland measure beneath the glacier?", "a swarm of small earthquakes"),
            ("Which airline cancelled its morning departures from Reykjavik?", None),
        ],
    ),
]


def _coqa(path: Path) -> None:
    """The stories in the tune part (bench.coqa_conversations.held_out false)."""
    names = coqa_files.filenames(lambda n: not coqa_files.held_out(n))
    coqa_files.write(path, [(name, story, turns) for name, (story, turns) in zip(names, STORIES, strict=False)])


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return bench_run.run("coqa_conversations", *args, timeout=300)


def test_unknown_turns_counted_apart_with_their_support(tmp_path: Path) -> None:
    data, rows = tmp_path / "coqa.json", tmp_path / "rows.jsonl"
    _coqa(data)
    done = _run(str(data), "--part", "tune", "--no-baselines", "--unknown", "--rows", str(rows))
    assert done.returncode == 0, done.stderr
    unknown = [line for line in done.stdout.splitlines() if line.strip().startswith("unknown turns:")]
    answerable = [line for line in done.stdout.splitlines() if line.strip().startswith("answerable turns:")]
    assert len(unknown) == len(answerable) == 1  # the conversation system's, not the baselines'
    assert " of 2 abstained" in unknown[0] and "(n 2)" in unknown[0]
    assert " of 3 abstained" in answerable[0] and "(n 3)" in answerable[0]
    read = [json.loads(line) for line in rows.read_text(encoding="utf-8").splitlines()]
    assert [r["unknown"] for r in read] == [False, True, False, False, True]
    assert all(0.0 <= r["story_share"] <= 1.0 and "support" in r and "typed" in r for r in read)
    # the answerable first turn's words are all in its story; the unknown one's "taxpayers" is not
    assert read[0]["story_share"] == 1.0 and read[1]["story_share"] < 1.0


def test_default_output_has_no_unknown_lines(tmp_path: Path) -> None:
    data = tmp_path / "coqa.json"
    _coqa(data)
    done = _run(str(data), "--part", "tune", "--no-baselines")
    assert done.returncode == 0, done.stderr
    assert "unknown turns:" not in done.stdout


def test_rows_only_of_the_tune_part(tmp_path: Path) -> None:
    data = tmp_path / "coqa.json"
    _coqa(data)
    done = _run(str(data), "--part", "heldout", "--rows", str(tmp_path / "rows.jsonl"))
    assert done.returncode != 0 and "tune part only" in done.stderr
