"""Names seen in the CRF's training data, as a gazetteer feature (`index/data/names_crf_seen.txt`).

A name annotated in the training documents (`Boeing` ORG, `U.S.` LOC) is likely the same kind
of name when it recurs, even where its context is new. `tools.train_names` writes the list from
the training annotations only (token sequences and their majority type, never a sentence); at
training time each document sees the list made from the other folds of the training data
(jackknife), so the CRF learns how far to trust a seen name, not that every training name is in
the list.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from index.names.rules import Tok

MAX_LEN = 6  # tokens; longer training names are not listed


class SeenTable(dict[tuple[str, ...], str]):
    """Name tokens -> type, with the set of first tokens for a quick miss."""

    def __init__(self, items: dict[tuple[str, ...], str] | None = None) -> None:
        super().__init__(items or {})
        self.heads = frozenset(k[0] for k in self)


def build_table(names: Iterable[tuple[tuple[str, ...], str]]) -> SeenTable:
    """(tokens, type) occurrences -> each name's majority type (ties: alphabetical)."""
    counts: defaultdict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for key, etype in names:
        if 0 < len(key) <= MAX_LEN:
            counts[key][etype] += 1
    return SeenTable({key: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for key, c in counts.items()})


def write_table(table: SeenTable, path: Path) -> None:
    """One name a line, `TYPE<tab>tokens joined by spaces`, sorted (a reproducible file)."""
    lines = ["# names seen in the names CRF's training data, written by `python -m tools.train_names`: type, tokens"]
    lines += sorted(etype + "\t" + " ".join(key) for key, etype in table.items())
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_table(path: Path) -> SeenTable:
    """The list `write_table` wrote (empty when there is no file)."""
    table: dict[tuple[str, ...], str] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                etype, words = line.split("\t")
                table[tuple(words.split(" "))] = etype
    return SeenTable(table)


def path_for(model: Path) -> Path:
    """Where the list of a model lives: `names_crf.model` -> `names_crf_seen.txt`."""
    return model.with_name(model.stem + "_seen.txt")


@lru_cache(maxsize=4)
def _read(path: str) -> SeenTable:
    return read_table(Path(path))


def shipped() -> SeenTable:
    """The list that goes with the CRF model in use (`crf.MODEL_PATH`); empty when absent."""
    from index.names import crf

    return _read(str(path_for(crf.MODEL_PATH)))


def seen_tags(toks: Sequence[Tok], table: SeenTable) -> list[str]:
    """Per token "B-TYPE"/"I-TYPE" of the longest seen name there (case-sensitive), else ""."""
    out = [""] * len(toks)
    if not table:
        return out
    heads = table.heads
    n = len(toks)
    k = 0
    while k < n:
        if toks[k].text not in heads:
            k += 1
            continue
        for length in range(min(MAX_LEN, n - k), 0, -1):
            etype = table.get(tuple(t.text for t in toks[k : k + length]))
            if etype:
                out[k] = "B-" + etype
                for q in range(k + 1, k + length):
                    out[q] = "I-" + etype
                k += length
                break
        else:
            k += 1
    return out
