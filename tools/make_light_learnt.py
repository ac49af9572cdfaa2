"""Derive `index/data/light_learnt_en.txt`: the words of a question's frame that its answer's
sentence almost never says, learnt from SQuAD's training questions (round 25, docs/answers.md).

"what kind of company is alibaba", "qoder, whose product is that", "what else has anthropic accused
alibaba of": "kind", "whose" and "else" ask for the answer; the sentence that gives it rarely holds
them. When the articles lack such a word it weighs the most an idf can (the abstention reads it),
as a paraphrased word would. The hand-written light words (`light_en.txt`) cover chat and
fillers; this list is counted: a word stem is listed when SQuAD v1.1's training questions
(`squad-train-v1.1-explorer.json`, Wikipedia, CC BY-SA 4.0; the development set is never read)
hold it at least `MIN_QUESTIONS` times, the sentence holding the answer (the question's
paragraph cut at sentence ends, the sentence where `answer_start` falls) holds it in under
`MAX_SHARE` of them, and it is a common lower-case English word by the name finder's learnt lists
(index.answer.spelling.common_words: no name, "nyc" or "burma"); words already light are left
out. Each stem is written as its most frequent spelling in the questions (one that the tokenizer
reads back as the stem). What ships is the word list, no text.

    python -m tools.make_light_learnt --data ../shared/data > index/data/light_learnt_en.txt
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from index.answer import spelling
from index.search import tokens

MIN_QUESTIONS = 100  # questions holding the stem (fewer: a share too noisy to list it by)
MAX_SHARE = 0.1  # at most this share of them hold it in the answer's sentence (chosen on A-I)
_END = re.compile(r"[.!?][\"”)]?\s+(?=[A-Z0-9\"“(])")  # a sentence end inside a paragraph
_WORD = re.compile(r"[a-z]+")


def answer_sentence(context: str, start: int) -> str:
    """The sentence of `context` where the answer starting at `start` falls."""
    ends = [m.end() for m in _END.finditer(context)]
    begin = max((e for e in ends if e <= start), default=0)
    end = min((e for e in ends if e > start), default=len(context))
    return context[begin:end]


def count(squad: Path) -> tuple[Counter[str], Counter[str], dict[str, Counter[str]]]:
    """Questions holding each stem, those whose answer's sentence holds it too, and each stem's
    spellings in the questions."""
    asked: Counter[str] = Counter()
    said: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    with open(squad, encoding="utf-8") as f:
        articles = json.load(f)["data"]
    for article in articles:
        for para in article["paragraphs"]:
            for qa in para["qas"]:
                sentence = set(tokens.tokenize(answer_sentence(para["context"], qa["answers"][0]["answer_start"])))
                for word in _WORD.findall(qa["question"].lower()):
                    stems = tokens.tokenize(word)
                    if len(stems) == 1:
                        spellings.setdefault(stems[0], Counter())[word] += 1
                for stem in set(tokens.tokenize(qa["question"])):
                    asked[stem] += 1
                    said[stem] += stem in sentence
    return asked, said, spellings


def learnt(asked: Counter[str], said: Counter[str], spellings: dict[str, Counter[str]]) -> list[str]:
    """The listed words (as spelt most often), sorted."""
    common, light = spelling.common_words(), spelling.light_words()
    words = []
    for stem, n in asked.items():
        if n >= MIN_QUESTIONS and said[stem] < MAX_SHARE * n and stem in common and stem not in light:
            spelt = next(
                (w for w, _ in spellings.get(stem, Counter()).most_common() if tokens.tokenize(w) == [stem]), None
            )
            if spelt is not None:
                words.append(spelt)
    return sorted(words)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="../shared/data", help="the shared data folder")
    args = ap.parse_args(argv)
    words = learnt(*count(Path(args.data) / "squad-train-v1.1-explorer.json"))
    sys.stdout.write(
        "# Words of a question's frame its answer's sentence almost never says: light when the articles\n"
        "# lack them (index.answer.spelling.is_light, LEARNT). Made by `python -m tools.make_light_learnt`\n"
        "# from SQuAD v1.1's training questions (Wikipedia, CC BY-SA 4.0): in at least "
        f"{MIN_QUESTIONS} questions,\n# in their answer's sentence in under {MAX_SHARE:.0%} of them, common English, "
        "not already light.\n# A word list, not the text.\n"
    )
    sys.stdout.writelines(w + "\n" for w in words)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
