"""Questions as people type them: SQuAD dev-even questions with seeded typos in content words.

    python -m bench.typos ../shared/data/squad-dev-even.json [--questions 1500] [--rate 0.3]

Each content word (not a stopword, at least 4 letters) of a question is, with probability
`rate`, given one random character edit (drop, insert, substitute with a keyboard neighbour
or any letter, swap two adjacent), seeded per question id. All sentences of the 24 articles
form one corpus; a question is right at 1 when the best sentence holds its answer's start.
Systems in the same run: the clean questions, the noisy ones with spelling correction off,
with the previous corrector (difflib, same first letter, length >= 4), and with the current one.
"""

from __future__ import annotations

import argparse
import random
import string
import tempfile
from pathlib import Path

from bench import squad_data
from index.answer import query, spelling
from index.search import tokens


def noisy(question: str, seed: str, rate: float) -> str:
    rng = random.Random(seed)
    out = []
    for word in question.split(" "):
        core = word.strip(string.punctuation)
        if len(core) >= 4 and core.isalpha() and core.lower() not in tokens.NLTK_STOPWORDS and rng.random() < rate:
            i = rng.randrange(len(core))
            op = rng.choice(("drop", "insert", "substitute", "swap"))
            letter = rng.choice(string.ascii_lowercase)
            if op == "drop":
                new = core[:i] + core[i + 1 :]
            elif op == "insert":
                new = core[:i] + letter + core[i:]
            elif op == "substitute":
                new = core[:i] + letter + core[i + 1 :]
            else:
                i = min(i, len(core) - 2)
                new = core[:i] + core[i + 1] + core[i] + core[i + 2 :]
            word = word.replace(core, new, 1)
        out.append(word)
    return " ".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--questions", type=int, default=1500)
    parser.add_argument("--rate", type=float, default=0.3)
    args = parser.parse_args()
    records, questions = squad_data.load(args.path)
    questions = questions[:: max(1, len(questions) // args.questions)][: args.questions]
    with tempfile.TemporaryDirectory() as tmp:
        corpus = squad_data.corpus_of(records, Path(tmp))

        def p_at_1(texts: list[str]) -> float:
            right = 0
            for q, text in zip(questions, texts, strict=True):
                hits = corpus.answer(text, k=1).hits
                p = hits[0].passage if hits else None
                right += p is not None and p.doc_id == q.doc_id and p.char_start <= q.answer_pos < p.char_end
            return round(right / len(questions), 3)

        clean = [q.text for q in questions]
        typed = [noisy(q.text, q.qid, args.rate) for q in questions]
        changed = sum(a != b for a, b in zip(clean, typed, strict=True))
        print(f"{len(questions)} questions, {changed} with at least one typo (rate {args.rate})", flush=True)
        print("clean questions", p_at_1(clean), flush=True)
        query.SPELLING = False
        print("typos, no correction", p_at_1(typed), flush=True)
        query.SPELLING = True
        method = spelling.METHOD
        spelling.METHOD = "difflib"
        print("clean questions, difflib (previous)", p_at_1(clean), flush=True)
        print("typos, difflib (previous)", p_at_1(typed), flush=True)
        spelling.METHOD = method
        print(f"typos, {method} (current)", p_at_1(typed), flush=True)


if __name__ == "__main__":
    main()
