"""`python -m bench.fit_rerank --coqa PATH` (round 27, newsfit27) on a tiny CoQA-shaped file: the
pools of the tune part's first turns with a rationale only (not the held-out 20 %, not the later
turns), folds by story, each in a short story (the article bonus), and the fitted weights saved.
Run as a subprocess: tests never import a bench.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests import bench_run, coqa_files

STORIES = [
    (
        "The new bridge over the Ohio river was opened on Monday by the mayor of Springfield, Joe Quimby. "
        "It took four years to build.",
        "Who opened the new bridge?",
        "the mayor of Springfield, Joe Quimby",
    ),
    (
        "Critics said the council had spent too much on parades. A vote on the budget is due in June.",
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


def _coqa_file(tmp_path: Path) -> Path:
    """Three stories in the tune part, then one held out (never read by the fit); a second turn each."""
    tune = [n for n, _ in zip(coqa_files.filenames(lambda n: not coqa_files.held_out(n)), range(3), strict=False)]
    names = [*tune, next(coqa_files.filenames(coqa_files.held_out))]
    stories = [
        (name, text, [(question, span), ("Where is the bridge?", text[:20])])
        for name, (text, question, span) in zip(names, STORIES, strict=True)
    ]
    return coqa_files.write(tmp_path / "coqa.json", stories)


def test_the_fit_reads_the_tune_parts_first_turns(tmp_path: Path) -> None:
    path = _coqa_file(tmp_path)
    saved = tmp_path / "w.json"
    out = bench_run.output(
        "fit_rerank", "--coqa", path, "--steps", "5", "--save", saved, env={"TMPDIR": str(tmp_path)}
    )  # a fresh feature cache
    # three first turns (the held-out story's and the second turns are not read), each story short
    assert (
        "CoQA tune part: 3 first turns of 3 stories; gold in the pool 3; pools in short stories (the article bonus) 3"
        in out
    )
    folds = [line for line in out.splitlines() if "inner held-out fold coqa" in line]
    assert len(folds) == 2  # by story: even and odd story numbers
    assert "(1 docs)" in folds[0] or "(1 docs)" in folds[1]
    weights = json.loads(saved.read_text(encoding="utf-8"))
    assert {"sent", "local", "art_bm25", "typed"} <= set(weights)


def test_the_proxy_is_compared_with_the_bots_answer(tmp_path: Path) -> None:
    out = bench_run.output("fit_rerank", "--coqa", str(_coqa_file(tmp_path)), "--bot")
    # each question's words are in its rationale's sentence alone: proxy and bot agree, both right
    assert "3 first turns: the proxy's first is the bot's on 3; right: proxy 3, bot 3" in out


def test_squads_path_still_needs_a_file() -> None:
    run = bench_run.run("fit_rerank")
    assert run.returncode == 2 and "give SQuAD's path, --coqa PATH or both" in run.stderr
