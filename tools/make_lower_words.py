"""Derive `index/data/lower_words_en.txt`: words news writes in lower case far more often than
capitalised mid-sentence, learnt from unlabelled text (issue 18, "a sentence starter without
evidence").

A word capitalised only by its position (a sentence start, after a colon or a dateline) is no name
unless the document shows it capitalised elsewhere; the rules can only tell when they know the
word is a common one. The hand-made common-word list (`gazetteer_common_words.txt`, 5,475 words
from SQuAD's development set) is too short for news: `Testimony`, `Cheesecake`, `Autos` were
listed as names in round 19's reading. This list counts every word of the text we have:

- SQuAD v1.1 training paragraphs (`squad-train-v1.1-explorer.json`, Wikipedia, CC BY-SA 4.0) and
  the development set's even articles (`squad-dev-even.json`);
- CoQA's CNN stories (`coqa/coqa_train_cnn.json`, CNN's texts via the DeepMind CNN dataset),
  less the 30 stories of `bench.reader_corpus` (the reading that judges this list);
- MEANTIME's tune half only (`meantime/meantime_en.jsonl`, Wikinews, CC BY 4.0): its held-out
  half judges the rules and is never read here. CoNLL-2003 is never read (its fold judges too).

A word (lower-cased key) is listed when it is seen in lower case at least `MIN_LOW` times and
capitalised mid-sentence (after a lower-case letter, a digit or a comma) at most once per `RATIO`
lower-case uses. What ships is the word list (counts of words, no text), sorted.

    python -m tools.make_lower_words --data ../shared/data > index/data/lower_words_en.txt
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from bench.reader_corpus import _key as reader_key
from bench.reader_corpus import tune_half

MIN_LOW = 5  # lower-case uses a word needs (fewer: a typo or a rare word the list cannot judge)
RATIO = 20  # at least this many lower-case uses per mid-sentence capitalised one
READER_STORIES = 30  # bench.reader_corpus's CNN stories, left out

_WORD = re.compile(r"(?<![A-Za-z])[A-Za-z][a-z]+(?:-[a-z]+)*(?![A-Za-z])")
# what stands before a mid-sentence word: a lower-case letter, a digit or a comma, then spaces
_MID = re.compile(r"[a-z0-9,;]\s*$")


def texts(data: Path) -> Iterator[str]:
    """The unlabelled texts counted, in a fixed order."""
    for name in ("squad-train-v1.1-explorer.json", "squad-dev-even.json"):
        with open(data / name, encoding="utf-8") as f:
            for article in json.load(f)["data"]:
                for para in article["paragraphs"]:
                    yield para["context"]
    with open(data / "coqa" / "coqa_train_cnn.json", encoding="utf-8") as f:
        stories = json.load(f)["data"]
    read = {d["story"] for d in sorted(stories, key=lambda d: reader_key(d["id"]))[:READER_STORIES]}
    seen: set[str] = set()
    for d in stories:
        if d["story"] not in read and d["story"] not in seen:  # an article with two conversations once
            seen.add(d["story"])
            yield d["story"]
    with open(data / "meantime" / "meantime_en.jsonl", encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            if tune_half(str(doc["doc_id"])):
                yield doc["text"]


def count(docs: Iterable[str]) -> tuple[Counter[str], Counter[str]]:
    """Lower-case uses and mid-sentence capitalised uses of each word, by lower-cased key."""
    low: Counter[str] = Counter()
    cap_mid: Counter[str] = Counter()
    for text in docs:
        for line in text.split("\n"):
            for m in _WORD.finditer(line):
                w = m.group()
                if w[0].islower():
                    low[w] += 1
                elif _MID.search(line, max(0, m.start() - 8), m.start()):
                    cap_mid[w.lower()] += 1
    return low, cap_mid


def lower_words(low: Counter[str], cap_mid: Counter[str]) -> list[str]:
    return sorted(w for w, n in low.items() if n >= MIN_LOW and cap_mid[w] * RATIO <= n)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="../shared/data", help="the shared data folder")
    args = ap.parse_args(argv)
    low, cap_mid = count(texts(Path(args.data)))
    words = lower_words(low, cap_mid)
    out = sys.stdout
    out.write(
        "# Words written in lower case far more often than capitalised mid-sentence: capitalised at a\n"
        "# sentence start they need evidence to be a name. Made by `python -m tools.make_lower_words`\n"
        "# from SQuAD v1.1 train + dev-even paragraphs (Wikipedia, CC BY-SA 4.0), CoQA's CNN stories\n"
        "# (less bench.reader_corpus's 30) and MEANTIME's tune half (Wikinews, CC BY 4.0): at least\n"
        f"# {MIN_LOW} lower-case uses and {RATIO} per mid-sentence capital. A word list, not the text.\n"
    )
    out.writelines(w + "\n" for w in words)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
