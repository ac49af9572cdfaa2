"""Derive `index/answer/conversation_positions.py` from CoQA's CNN conversations (the tune part only).

A conversation reads its story roughly in order: a follow-up's answer is often the sentence of the
previous answer, the next one, or a few on. This asks the tune part's conversations in order (the
conversation of `Carry(after=0, positions=0)`: no position prior) and counts, before each later turn, how often a
sentence of the last answer's story at each distance from its sentence (both ways) holds the turn's
rationale, per turn kind (a follow-up of nothing but its type, "when?", or a worded one), against
the rate of any sentence of that story: the table is the log of that ratio (a sentence at that
distance is that much likelier to hold the answer). The last answer is the conversation's own, right
or wrong, as the bot will have it. `--gold` counts from the previous turn's rationale instead (the
ideal reader's distances; measured, not kept). The held-out part (`int(sha1(filename), 16) % 5 ==
0`) is never read.

    python -m tools.make_positions ../shared/data/coqa/coqa_train_cnn.json > index/answer/conversation_positions.py
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

from bench import squad_data
from bench.coqa_conversations import Story, load, type_only
from index.answer import Carry
from index.corpus import Corpus

FAR = 4  # distances beyond this many sentences (either way) share one bin: too few turns apart
SMOOTH = 5.0  # pseudo-count of the story's base rate added to each bin


def bins() -> list[int]:
    """-FAR-1 ("further back"), -FAR .. FAR, FAR+1 ("further on")."""
    return list(range(-FAR - 1, FAR + 2))


def clip(distance: int) -> int:
    return max(-FAR - 1, min(FAR + 1, distance))


Counts = dict[str, Counter[int]]


def count(corpus: Corpus, stories: list[Story], gold: bool) -> tuple[Counts, Counts, Counter[str]]:
    """Per turn kind and distance: sentences seen, sentences holding the rationale; turns counted."""
    seen: Counts = {"typed": Counter(), "worded": Counter()}
    held: Counts = {"typed": Counter(), "worded": Counter()}
    turns: Counter[str] = Counter()
    for story in stories:
        conv = replace(corpus.conversation(), carry=Carry(after=0.0, positions=0.0))  # no position prior
        truth = corpus.story_row(story.article)
        for n, turn in enumerate(story.turns):
            last = conv.turns[-1] if conv.turns else None
            where: tuple[int, int] | None = None  # (story row, sentence index in it) of the last answer
            if gold and n and story.turns[n - 1].span is not None:
                a, b = story.turns[n - 1].span or (0, 0)
                spans = [(p.char_start, p.char_end) for p in corpus.passages_of(story.article)]
                first = next((i for i, (s, e) in enumerate(spans) if s < b and a < e), None)
                where = None if first is None else (truth, first)
            elif not gold and n and last is not None and last.pid is not None:
                doc_id = corpus.doc_id_of_row(last.story) if last.story is not None else story.article
                where = (corpus.story_row(doc_id), last.pid - corpus.passages_of(doc_id)[0].pid)
            if not gold:
                try:
                    conv.ask(turn.question)
                except ValueError:
                    pass
            if where is None or turn.span is None:
                continue
            kind = "typed" if type_only(corpus, turn.question) else "worded"
            turns[kind] += 1
            passages = corpus.passages_of(corpus.doc_id_of_row(where[0]))
            for i, p in enumerate(passages):
                d = clip(i - where[1])
                seen[kind][d] += 1
                held[kind][d] += where[0] == truth and p.char_start < turn.span[1] and turn.span[0] < p.char_end
    return seen, held, turns


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--gold", action="store_true", help="distances from the previous rationale")
    parser.add_argument("--stories", type=int, default=None, help="only this many articles")
    args = parser.parse_args()
    records, stories = load(args.path, "tune", args.stories)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = squad_data.corpus_of(records, Path(tmp), "coqa.jsonl")
        seen, held, turns = count(corpus, stories, args.gold)
    out = sys.stdout
    out.write('"""How much likelier a sentence at each distance from the last answer\'s holds a follow-up\'s\n')
    out.write("answer than any sentence of the story: the log of the ratio of the rates, per turn kind.\n\n")
    out.write("Written by `python -m tools.make_positions ../shared/data/coqa/coqa_train_cnn.json` from CoQA's\n")
    source = "the previous turn's rationale" if args.gold else "the conversation's last answer"
    out.write(
        f"CNN tune part only: {turns['typed']:,} type-only and {turns['worded']:,} worded later answerable turns,\n"
    )
    out.write(f"distances from {source}; beyond {FAR} sentences either way they share one bin.\n")
    out.write("Each line: the log ratio, then the sentences at that distance holding the rationale of all seen.\n")
    out.write('"""\n\nFAR = ' + str(FAR) + "\n\nLOG_RATIO: dict[str, dict[int, float]] = {\n")
    for kind in ("typed", "worded"):
        base = sum(held[kind].values()) / max(sum(seen[kind].values()), 1)
        out.write(f'    "{kind}": {{\n')
        for d in bins():
            rate = (held[kind][d] + SMOOTH * base) / (seen[kind][d] + SMOOTH)
            out.write(f"        {d}: {math.log(rate / base):.3f},  # {held[kind][d]} of {seen[kind][d]}\n")
        out.write("    },\n")
    out.write("}\n")


if __name__ == "__main__":
    main()
