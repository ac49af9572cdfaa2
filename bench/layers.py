"""Saved layers: `python -m bench.layers [--copies 40] [--work DIR]`.

`--reuse` times the commands again on what an earlier run left in `--work`.

Writes MEANTIME's 120 Wikinews articles `--copies` times under distinct ids (40 copies: 4,800
articles, about 62,500 sentences) into a temporary seeds folder, builds the index (timed, with
the entity and timeline layers, and BM25 only for comparison), then times
`python -m bot entities --json` and `python -m bot timeline --json` in fresh processes,
interpreter start included. `--baseline DIR` (a checkout of an earlier commit, e.g. made with
`git archive COMMIT | tar -x -C DIR`) times the same commands with that code on its own index
of the same seeds, in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "meantime" / "meantime_en.jsonl"


def make_seeds(source: Path, copies: int, folder: Path) -> int:
    """One JSONL file of `copies` copies of every MEANTIME article; returns the article count."""
    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    with (folder / "meantime.jsonl").open("w", encoding="utf-8") as fh:
        for copy in range(copies):
            for r in records:
                title, _, body = r["text"].partition("\n")
                record = {"id": f"{r['doc_id']}-c{copy:03d}", "title": title, "date": r["dct"], "url": r["url"]}
                fh.write(json.dumps({**record, "text": body}) + "\n")
                count += 1
    return count


def timed_cli(args: list[str], seeds: Path, index: Path, code: Path | None = None) -> tuple[float, float, int]:
    """Wall and CPU time of one fresh `python -m bot ...` (run from `code` when given: that
    checkout's `bot` and `index` come first on the path) and the size of what it printed.
    """
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--seeds", str(seeds), "--index-dir", str(index), *args],
        capture_output=True,
        check=True,
        cwd=code,
    )
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, len(done.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--copies", type=int, default=40)
    ap.add_argument("--work", type=Path, default=None, help="keep the seeds and index here")
    ap.add_argument("--runs", type=int, default=2, help="fresh-process runs of each command")
    ap.add_argument("--baseline", type=Path, default=None, help="a checkout of earlier code to time as well")
    ap.add_argument("--reuse", action="store_true", help="time the seeds and indexes already in --work (no build)")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="verbatim-layers-"))
    seeds, index = work / "seeds", work / "index"
    if args.reuse:
        time_commands(args, seeds, index, work)
        return
    articles = make_seeds(args.data, args.copies, seeds)

    from index.search import build

    start = time.perf_counter()
    build.build(seeds, work / "index-bm25", layers=False)
    bm25_only = time.perf_counter() - start
    start = time.perf_counter()
    generation = build.build(seeds, index)
    with_layers = time.perf_counter() - start
    meta = json.loads((generation / "meta.json").read_text(encoding="utf-8"))
    sentences = meta["bm25_sidecar"]["n_docs"]
    print(f"corpus: {articles:,} articles, {sentences:,} sentences in {work}")
    print(f"build: BM25 only {bm25_only:.1f} s, with layers {with_layers:.1f} s (cpu count {os.cpu_count()})")
    print(f"layers: {json.dumps(meta['layer_counts'])}")
    if args.baseline:
        subprocess.run(
            [sys.executable, "-m", "bot", "--seeds", str(seeds), "--index-dir", str(work / "index-baseline")]
            + ["index", "build"],
            capture_output=True,
            check=True,
            cwd=args.baseline,
        )
    time_commands(args, seeds, index, work)


def time_commands(args: argparse.Namespace, seeds: Path, index: Path, work: Path) -> None:
    """Each command `--runs` times in fresh processes, this code's run and the baseline's in turn."""
    for command in (["entities", "--json"], ["timeline", "--json"], ["entity", "GM", "--json"]):
        for run in range(args.runs):
            wall, cpu, size = timed_cli(command, seeds, index)
            print(f"{' '.join(command)} (run {run + 1}): {wall:.2f} s wall, {cpu:.2f} s CPU, {size:,} bytes")
            if args.baseline:
                wall, cpu, size = timed_cli(command, seeds, work / "index-baseline", args.baseline)
                print(f"{' '.join(command)} (baseline {run + 1}): {wall:.2f} s wall, {cpu:.2f} s CPU, {size:,} bytes")


if __name__ == "__main__":
    main()
