"""Derive `index/data/role_words_en.txt`: the nouns a "who is the <role> of X" question asks by,
when the answer is a person (round 27, role27: "who is the ceo of gm" wants a person, not the
company the question names).

Read from SQuAD v1.1's training questions only (`squad-train-v1.1-explorer.json`; never SQuAD dev,
the news sets or CoQA): each question "who is / was the [one or two words] NOUN of / at / for / in
..." counts NOUN; its answer counts as a person when it holds a given name of the names layer's
gazetteer (`gazetteer_first_names.txt`). A noun is listed when at least `MIN_ASKED` questions ask
by it and at least `MIN_PERSON` of their answers are persons ("ruler", "god", "emperor": answered
by titles and peoples, left out). What ships is the word list, sorted.

    python -m tools.make_role_words --data ../shared/data > index/data/role_words_en.txt
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from index.names import lexicon

MIN_ASKED = 3  # questions asking by the noun (fewer: one reader's wording)
MIN_PERSON = 0.3  # share of their answers naming a person by a known given name

_ASK = re.compile(r"^who\s+(?:is|was|are|were|'s)\s+(?:the|a|an)\s+(?:[a-z-]+\s+){0,2}?([a-z-]+)\s+(?:of|at|for|in)\b")
_WORD = re.compile(r"[A-Za-z]+")


def asked(data: Path) -> Iterator[tuple[str, str]]:
    """(role noun, answer text) of each role question in SQuAD-train, in file order."""
    with open(data / "squad-train-v1.1-explorer.json", encoding="utf-8") as f:
        for article in json.load(f)["data"]:
            for para in article["paragraphs"]:
                for qa in para["qas"]:
                    m = _ASK.match(qa["question"].strip().lower())
                    if m and qa["answers"]:
                        yield m.group(1), qa["answers"][0]["text"]


def role_words(pairs: Iterator[tuple[str, str]]) -> list[str]:
    """The nouns asked at least MIN_ASKED times with a person's name in at least MIN_PERSON of answers."""
    firsts = lexicon.first_names()
    count: Counter[str] = Counter()
    person: Counter[str] = Counter()
    for noun, answer in pairs:
        count[noun] += 1
        person[noun] += any(w in firsts for w in _WORD.findall(answer))
    return sorted(n for n, c in count.items() if c >= MIN_ASKED and person[n] / c >= MIN_PERSON)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = ap.parse_args(argv)
    sys.stdout.write(
        "# Role nouns a 'who is the <role> of X' question asks a person by (tools/make_role_words.py,\n"
        "# from SQuAD v1.1 train's questions and answers; CC BY-SA 4.0). One a line.\n"
    )
    for word in role_words(asked(args.data)):
        sys.stdout.write(word + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
