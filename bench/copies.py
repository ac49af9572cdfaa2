"""Syndicated copies on a real news set: `python -m bench.copies [COQA_JSON] [--questions N]`,
or on bench.scale's replicated SQuAD: `--replicated SENTENCES [--squad JSON] [--index DIR]`.

CoQA's CNN stories (default `../shared/data/coqa/coqa_train_cnn.json`, every story) hold one story
under two ids, as a news desk's wire copies do. Prints the articles a build says repeat another's
text, the timeline's events before and after one event per repeated sentence (and the CPU of
finding them, on a fresh corpus object), and, for the first N questions of the conversations
asked alone, how many answers change with `answers.COPIES` on, and the CPU of `answer` both
ways, alternated question by question.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from . import coqa, squad_data

COQA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "coqa" / "coqa_train_cnn.json"
SQUAD = COQA.parent.parent / "squad-dev-even.json"


def replicated(squad: Path, sentences: int, folder: Path | None, n: int) -> None:
    """bench.scale's corpus (each SQuAD article many times): how many answers show a sentence
    twice or fewer than 3 hits, and `answer`'s CPU, with `answers.COPIES` on and off alternated.
    """
    from index.answer import answers
    from index.corpus import Corpus

    from .scale import make_corpus

    records, questions = squad_data.load(squad)
    with tempfile.TemporaryDirectory() as tmp:
        base = folder or Path(tmp)
        if not (base / "seeds").exists():
            make_corpus(records, sentences, base / "seeds")
        corpus = Corpus.open(base / "seeds", base / "index")
        asked = [q.text for q in questions[::5]][:n]
        for question in asked[:50]:
            corpus.answer(question)
        cpu: dict[bool, list[float]] = {True: [], False: []}
        short, twice = {True: 0, False: 0}, {True: 0, False: 0}
        for i, question in enumerate(asked):
            for on in (True, False) if i % 2 == 0 else (False, True):
                answers.COPIES = on
                t0 = time.process_time()
                hits = corpus.answer(question, k=3).hits
                cpu[on].append(time.process_time() - t0)
                short[on] += len(hits) < 3
                twice[on] += len({answers.text_key(h.passage.text) for h in hits}) < len(hits)
        answers.COPIES = True
        for on in (True, False):
            times = sorted(cpu[on])
            p50, p95 = times[len(times) // 2] * 1000, times[int(len(times) * 0.95) - 1] * 1000
            print(
                f"COPIES {'on ' if on else 'off'}: {len(asked)} questions, {twice[on]} answers show a sentence twice, "
                f"{short[on]} fewer than 3 hits; answer CPU p50 {p50:.2f} ms, p95 {p95:.2f} ms"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=COQA)
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--replicated", type=int, default=0, help="bench.scale's corpus of this many sentences")
    parser.add_argument("--squad", type=Path, default=SQUAD)
    parser.add_argument("--index", type=Path, help="with --replicated: its folder (reused)")
    args = parser.parse_args()
    if args.replicated:
        replicated(args.squad, args.replicated, args.index, min(args.questions, 500))
        return
    from index.answer import answers
    from index.corpus import Corpus

    records, turns = coqa.load(args.path, "all")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = squad_data.corpus_of(records, Path(tmp))
        said = [w for w in corpus.stats()["warnings"] if "same text" in w]
        print(f"{len(records):,} articles; a build says {len(said)} repeat another's text:")
        for line in said[:5]:
            print(f"  {line}")
        fresh = Corpus.open(corpus.seeds_dir, corpus.index_dir)
        t0 = time.process_time()
        dropped, copies = fresh.event_copies()  # the saved timeline read, its copies found
        spent = time.process_time() - t0
        kept = len(fresh.event_ids())
        print(
            f"timeline: {kept + len(dropped):,} events -> {kept:,} ({len(dropped)} repeated; "
            f"{len(copies)} events name other articles); reading it and finding them {spent * 1000:.1f} ms CPU"
        )
        asked = [t.text for t in turns[: args.questions]]
        changed, firsts, more, cpu = 0, 0, 0, {True: 0.0, False: 0.0}
        for i, question in enumerate(asked):
            got = {}
            for on in (True, False) if i % 2 == 0 else (False, True):  # alternated: the same minutes
                answers.COPIES = on
                t0 = time.process_time()
                got[on] = corpus.answer(question, k=3)
                cpu[on] += time.process_time() - t0
            answers.COPIES = True
            ids = {on: [h.passage.pid for h in a.hits] for on, a in got.items()}
            changed += ids[True] != ids[False] or got[True].abstained != got[False].abstained
            firsts += ids[True][:1] != ids[False][:1]
            more += any(h.also_in for h in got[True].hits)
        n = max(1, len(asked))
        print(
            f"{len(asked):,} questions (asked alone): {changed} answers change ({firsts} their first hit), "
            f"{more} name other articles; "
            f"answer CPU {cpu[True] / n * 1000:.2f} ms with COPIES, {cpu[False] / n * 1000:.2f} ms without"
        )


if __name__ == "__main__":
    main()
