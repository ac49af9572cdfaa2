"""Time of `Corpus.answer(q, k=3)`, what a Discord or CLI question costs:
`python -m bench.answer_time [PATH] [--code DIR] [--passes N]`.

The corpus is the SQuAD file's sentences (built into a temporary index), the questions every
fifth of its questions (1,080 for squad-dev-even.json), after 100 warm-up questions; each pass
prints p50 and p95. `--code DIR` loads the `index` package from another checkout of the project
(for instance `git worktree add /tmp/r3 b5191cd`), so that two versions of the library can be
timed alternately with the same harness on the same machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from . import squad_data
from .scale import DEFAULT_DATA


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--code", type=Path, default=None, help="checkout whose index/ is timed")
    ap.add_argument("--passes", type=int, default=2)
    args = ap.parse_args()
    if args.code is not None:
        sys.path.insert(0, str(args.code.resolve()))
    from index.corpus import Corpus  # after --code: the library under test

    records, questions = squad_data.load(args.path)
    asked = [q.text for q in questions[::5]]
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds"
        seeds.mkdir()
        squad_data.write_jsonl(records, seeds / "squad.jsonl")
        corpus = Corpus.open(seeds, Path(tmp) / "index")
        for question in asked[:100]:
            corpus.answer(question, k=3)
        for n in range(1, args.passes + 1):
            times = []
            for question in asked:
                start = time.perf_counter()
                corpus.answer(question, k=3)
                times.append(time.perf_counter() - start)
            print(
                f"{Path(sys.modules['index'].__file__).parent}: pass {n}, {len(times)} questions, "
                f"answer(k=3) p50 {1000 * statistics.median(times):.2f} ms, "
                f"p95 {1000 * float(np.percentile(times, 95)):.2f} ms"
            )


if __name__ == "__main__":
    main()
