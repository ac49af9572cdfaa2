"""How much block-max bounds could skip: `python -m bench.block_bounds INDEX [--questions N]`.

For each question of at least `--min-postings` postings over two or more terms (the long
questions, where the exact top 10 costs), the true 10th best score is computed first (a dense
scatter): the best floor any pruning could know. Then, per kind of bound, the share of the
question's postings that a block-max engine (Lucene's `BlockMaxConjunction`, tantivy's
`block_wand`) would still have to score, those in blocks whose summed upper bounds reach that
floor:

- `range 2^s`: fixed ranges of 2^s sentence ids, each list's exact largest weight in the range
  (what per-range bounds saved with the postings would give);
- `blocks of P`: each list cut into blocks of P postings (tantivy and Lucene: 128), a block's
  bound its largest weight over the ids from its first to its last posting; the bounds of every
  list summed over the intervals between all the blocks' edges, a block kept when an interval
  within it reaches the floor;
- `per sentence`: the lists of at least `--long` postings bounded by their largest weight, the
  others exactly (MaxScore's ideal: a sentence only in long lists leaves when their bounds cannot
  reach the floor).

With the true floor these shares are lower bounds of what pruning must still read: a real engine
knows only a lower floor. SQuAD's first questions, even (tuning) and odd (held out) apart.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from bench import squad_data
from bench.scale import DEFAULT_DATA
from bench.top_k import open_index
from index.search.bm25 import BM25
from index.search.tokens import tokenize

Lists = list[tuple[np.ndarray, np.ndarray]]


def range_share(lists: Lists, floor: float, n_docs: int, shift: int) -> int:
    """Postings in ranges of 2^shift ids whose lists' largest weights there sum to the floor."""
    bound = np.zeros((n_docs >> shift) + 1, dtype=np.float64)
    for ids, weights in lists:
        largest = np.zeros(len(bound), dtype=np.float32)
        np.maximum.at(largest, ids >> shift, weights)
        bound += largest
    alive = bound * (1 + 1e-5) >= floor
    return sum(int(alive[ids >> shift].sum()) for ids, _ in lists)


def block_share(lists: Lists, floor: float, size: int) -> int:
    """Postings in blocks of `size` postings needed by an interval whose bounds reach the floor."""
    blocks = []
    for ids, weights in lists:
        starts = np.arange(0, len(ids), size)
        blocks.append((ids[starts], ids[np.minimum(starts + size, len(ids)) - 1], np.maximum.reduceat(weights, starts)))
    edges = np.unique(np.concatenate([last for _, last, _ in blocks] + [first - 1 for first, _, _ in blocks]))
    bound = np.zeros(len(edges), dtype=np.float64)
    covering = []
    for first, last, largest in blocks:  # interval (edges[j-1], edges[j]] lies in block j's or in none
        block = np.searchsorted(last, edges)
        inside = block < len(last)
        inside[inside] &= first[block[inside]] <= edges[inside]
        bound[inside] += largest[block[inside]]
        covering.append((block, inside))
    alive = bound * (1 + 1e-5) >= floor
    kept = 0
    for (ids, _), (block, inside) in zip(lists, covering, strict=True):
        needed = np.zeros((len(ids) + size - 1) // size, dtype=bool)
        needed[block[alive & inside]] = True
        sizes = np.minimum(size, len(ids) - np.arange(len(needed)) * size)
        kept += int(sizes[needed].sum())
    return kept


def sentence_share(lists: Lists, floor: float, n_docs: int, long: int) -> int:
    """Postings of sentences whose bound (long lists: their largest weight) reaches the floor."""
    bound = np.zeros(n_docs, dtype=np.float64)
    for ids, weights in lists:
        if len(ids) >= long:
            bound[ids] += float(weights.max())
        else:
            bound[ids] += weights
    alive = bound * (1 + 1e-5) >= floor
    return sum(int(alive[ids].sum()) for ids, _ in lists)


def shares(index: BM25, toks: list[str], args: argparse.Namespace) -> dict[str, int] | None:
    """Postings each bound keeps for one question (None: too short a question)."""
    terms = index._query_terms(toks)
    lists: Lists = []
    for tid, count in terms:
        ids, weights = index.postings(tid)
        lists.append((ids, weights * np.float32(count)))
    total = sum(len(ids) for ids, _ in lists)
    if len(lists) < 2 or total < args.min_postings:
        return None
    scores = np.zeros(index.n_docs, dtype=np.float32)
    for ids, weights in lists:
        scores[ids] += weights
    floor = float(np.partition(scores, len(scores) - 10)[len(scores) - 10])
    out = {"postings": total}
    for shift in args.shifts:
        out[f"range 2^{shift}"] = range_share(lists, floor, index.n_docs, shift)
    for size in args.blocks:
        out[f"blocks of {size}"] = block_share(lists, floor, size)
    out["per sentence"] = sentence_share(lists, floor, index.n_docs, args.long)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("index", type=Path)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--questions", type=int, default=200)
    ap.add_argument("--min-postings", type=int, default=100_000)
    ap.add_argument("--long", type=int, default=100_000, help="per sentence: lists bounded by their largest weight")
    ap.add_argument("--shifts", type=int, nargs="*", default=[4, 7, 10, 14])
    ap.add_argument("--blocks", type=int, nargs="*", default=[32, 128])
    args = ap.parse_args()
    index = open_index(args.index)
    _, questions = squad_data.load(args.data)
    asked = [toks for q in questions[: args.questions] if (toks := tokenize(q.text))]
    for half, name in ((0, "even (tuned)"), (1, "odd (held out)")):
        summed: dict[str, int] = {}
        counted = 0
        for toks in asked[half::2]:
            got = shares(index, toks, args)
            if got is None:
                continue
            counted += 1
            for key, value in got.items():
                summed[key] = summed.get(key, 0) + value
        if not counted:
            print(f"{name}: no question of {args.min_postings:,} postings")
            continue
        total = summed.pop("postings")
        print(f"{name}: {counted} questions, {total / counted:,.0f} postings a question; share still scored:")
        for key, value in summed.items():
            print(f"  {key}: {value / total:.3f}")


if __name__ == "__main__":
    main()
