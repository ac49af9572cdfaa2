"""What a news desk's changes cost end to end through the one policy (`Corpus.add_files`,
`Corpus.remove`): add one article, add another (the remembered ids warm), replace it, remove it.

    python -m bench.keeping_current --copies 4

The corpus is SQuAD dev's articles as one JSONL collection, copied `--copies` times under new
ids (as `bench.scale` does), built once with its layers; each change is timed whole and its
reindex apart, so what the policy adds (finding who holds the ids, writing, counting) shows.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from bench.squad_data import load
from index.corpus import Corpus

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "squad-dev-even.json"
ONE = b"---\ntitle: Ferry news\n---\nThe Zanzibar ferry festival opens on May 2, 2026, its organiser Amina Said said.\n"
FIXED = (
    b"---\ntitle: Ferry news\n---\nThe Zanzibar ferry festival opens on May 9, 2026, its organiser Amina Said said.\n"
)


def timed_reindex(corpus: Corpus) -> list[float]:
    """Wrap `Corpus.reindex` of every corpus so the time spent rebuilding is recorded."""
    spent: list[float] = []
    real = Corpus.reindex

    def reindex(self: Corpus) -> Corpus:
        started = time.perf_counter()
        try:
            return real(self)
        finally:
            spent.append(time.perf_counter() - started)

    Corpus.reindex = reindex  # type: ignore[method-assign]
    return spent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--copies", type=int, default=1)
    args = ap.parse_args()
    records, _ = load(args.path)
    with tempfile.TemporaryDirectory() as tmp:
        seeds, index = Path(tmp) / "seeds", Path(tmp) / "index"
        seeds.mkdir()
        with (seeds / "corpus.jsonl").open("w", encoding="utf-8") as fh:
            for copy in range(args.copies):
                for record in records:
                    fh.write(json.dumps({**record, "id": f"{record['id']}-c{copy:04d}"}) + "\n")
        started = time.perf_counter()
        corpus = Corpus.open(seeds, index)
        print(
            f"built {len(corpus):,} sentences, {len(corpus.articles()):,} articles in {time.perf_counter() - started:.1f} s"
        )
        spent = timed_reindex(corpus)
        steps = [
            ("add one (ids read cold)", lambda c: c.add_files([("ferry.md", ONE)])),
            ("add another (ids remembered)", lambda c: c.add_files([("ferry2.md", ONE)])),
            ("replace it", lambda c: c.add_files([("ferry2.md", FIXED)], replace=True)),
            ("remove it", lambda c: c.remove(["ferry2"])),
        ]
        for label, step in steps:
            started = time.perf_counter()
            change = step(corpus)
            whole = time.perf_counter() - started
            assert change.corpus is not None and not change.refused, change
            corpus = change.corpus
            rebuild = spent.pop() if spent else 0.0
            print(f"{label}: {whole:.2f} s whole, reindex {rebuild:.2f} s, policy {whole - rebuild:.2f} s")


if __name__ == "__main__":
    main()
