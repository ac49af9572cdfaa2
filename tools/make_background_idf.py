"""Derive `index/data/background_idf.txt`: how common each index term is in news and prose in
general, the cap on a question word's weight in the abstention's coverage (issue 17, item 4).

A small corpus weighs a common verb it happens to hold once ("get", "came", "happen") as a rare
word, so a sentence lacking it looks like it misses much of the question and the answer
abstains. A background's idf says the word is common anywhere. It is counted here as document
frequency, one unit a text, over:

- SQuAD v1.1 training paragraphs (`squad-train-v1.1-explorer.json`, Wikipedia, CC BY-SA 4.0),
  one unit a paragraph (the development set, which the benches read, is not counted);
- CoQA's CNN stories of the tune part (`coqa/coqa_train_cnn.json`, CNN's texts via the DeepMind
  CNN dataset), one unit a story, an article with two conversations once; `bench.coqa.heldout`'s
  stories (the held-out CoQA and off-corpus benches) are never read.

Terms are the index's own (`index.search.tokens.tokenize`: stems, no stopwords). A term is listed
with its idf, log(units / df), when at least `MIN_DF` units hold it: a word rare in the
background keeps its corpus weight. What ships is terms and numbers, no text; the output is
sorted and the same on every run.

    python -m tools.make_background_idf --data ../shared/data > index/data/background_idf.txt
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from bench.coqa import heldout
from index.search import tokens

MIN_DF = 20  # units a term needs to be listed (fewer: rare in the background, keeps its weight)


def texts(data: Path) -> Iterator[str]:
    """The background's units, in a fixed order."""
    with open(data / "squad-train-v1.1-explorer.json", encoding="utf-8") as f:
        for article in json.load(f)["data"]:
            for para in article["paragraphs"]:
                yield para["context"]
    with open(data / "coqa" / "coqa_train_cnn.json", encoding="utf-8") as f:
        stories = json.load(f)["data"]
    seen: set[str] = set()
    for d in stories:
        if not heldout(d["filename"]) and d["story"] not in seen:
            seen.add(d["story"])
            yield d["story"]


def document_frequency(units: Iterable[str]) -> tuple[int, Counter[str]]:
    """The number of units and, per index term, how many hold it."""
    df: Counter[str] = Counter()
    n = 0
    for text in units:
        n += 1
        df.update(set(tokens.tokenize(text)))
    return n, df


def table(n: int, df: Counter[str]) -> list[tuple[str, float]]:
    """(term, idf) of every term at least MIN_DF units hold, sorted by term."""
    return sorted((t, math.log(n / d)) for t, d in df.items() if d >= MIN_DF)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="../shared/data", help="the shared data folder")
    args = ap.parse_args(argv)
    n, df = document_frequency(texts(Path(args.data)))
    out = sys.stdout
    out.write(
        "# A background idf per index term, log(units / df): made by `python -m tools.make_background_idf`\n"
        "# from SQuAD v1.1 train paragraphs (Wikipedia, CC BY-SA 4.0) and CoQA's tune-part CNN stories\n"
        f"# (CNN via the DeepMind CNN dataset): {n} units, terms held by at least {MIN_DF}. Terms and numbers only.\n"
    )
    out.writelines(f"{t}\t{idf:.3f}\n" for t, idf in table(n, df))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
