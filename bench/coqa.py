"""Conversational news questions (CoQA's CNN stories): `python -m bench.coqa PATH [--heldout] [--prev] [--first]`.

PATH is CoQA's JSON (e.g. ../shared/data/coqa/coqa_train_cnn.json). All the stories chosen form
one corpus (an article a document; two conversations over the same article share it), and every
question is asked alone, as a user who types one line would: P@1 = the first sentence overlaps
the turn's rationale span (`span_start`..`span_end`, trimmed of blanks), over the turns that have
one; first turns apart from later ones (which lean on the earlier turns: "What year?"). Also the
share of those answerable turns on which Verbatim abstains, and rank-bm25 (BM25Okapi, the same
sentences and terms as bench.squad's baseline) in the same run. `--prev` also asks every
question with the previous question of its conversation prepended (a naive follow-up baseline).
`--first` asks the first turns only (the ones that stand alone: a user's first question about a
story; later turns asked alone often cannot be answered without the conversation), over the same
corpus: its figures equal the full run's "first turns" columns, in a sixth of the time.

Split: an article is held out when `heldout(filename)` (sha1 of CoQA's `filename` % 5 == 0:
20% of the articles, every conversation over them); tools.train_ranker never reads those, and
`--heldout` measures them alone. Without it, the other 80% (the training folds) are asked.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.corpus import Corpus

from . import squad_data
from .squad import _baseline_terms


@dataclass(frozen=True)
class Turn:
    doc_id: str
    turn: int
    text: str
    prev: str  # the previous question of the conversation ("" for the first)
    start: int  # rationale span in the article body, -1 when there is none
    end: int


def heldout(filename: str) -> bool:
    """The fixed 20% of CoQA's articles that nothing is tuned or trained on."""
    return int(hashlib.sha1(filename.encode()).hexdigest(), 16) % 5 == 0


def load(path: Path, which: str = "heldout") -> tuple[list[dict], list[Turn]]:
    """Article records and turns of the held-out articles (`which="heldout"`), the others
    (`"train"`) or all (`"all"`)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))["data"]
    records: dict[str, dict] = {}
    turns = []
    for story in data:
        held = heldout(story["filename"])
        if (which == "heldout" and not held) or (which == "train" and held):
            continue
        doc_id = "coqa-" + story["filename"].removeprefix("cnn_")[:16]
        records.setdefault(doc_id, {"id": doc_id, "text": story["story"], "date": "2015-01-01"})
        prev = ""
        for q, a in zip(story["questions"], story["answers"], strict=False):
            start, end = int(a["span_start"]), int(a["span_end"])
            if start >= 0:  # trim the blanks CoQA's spans often carry
                span = story["story"][start:end]
                start += len(span) - len(span.lstrip())
                end -= len(span) - len(span.rstrip())
            turns.append(Turn(doc_id, int(q["turn_id"]), q["input_text"], prev, start, end))
            prev = q["input_text"]
    return list(records.values()), turns


def gold(corpus: Corpus, t: Turn) -> set[int]:
    """Passages of the turn's article that overlap its rationale."""
    if t.start < 0:
        return set()
    return {p.pid for p in corpus.passages_of(t.doc_id) if p.char_start < t.end and t.start < p.char_end}


def _share(flags: list[bool]) -> float:
    return sum(flags) / max(len(flags), 1)


def evaluate(
    path: Path, which: str = "heldout", prev: bool = False, baseline: bool = True, limit: int = 0, first: bool = False
) -> dict:
    records, turns = load(path, which)
    turns = [t for t in turns if t.start >= 0 and (t.turn == 1 or not first)]
    if limit and limit < len(turns):
        turns = random.Random(0).sample(turns, limit)
    out: dict = {"articles": len(records), "turns": len(turns)}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = squad_data.corpus_of(records, Path(tmp), "coqa.jsonl")
        out["sentences"] = len(corpus)
        golds = [gold(corpus, t) for t in turns]
        first = [t.turn == 1 for t in turns]
        runs = {"verbatim": lambda t: t.text}
        if prev:
            runs["verbatim +prev"] = lambda t: f"{t.prev} {t.text}".strip()
        for name, text_of in runs.items():
            hit, abstained, story = [], [], []
            for t, g in zip(turns, golds, strict=False):
                a = corpus.answer(text_of(t), k=1)
                hit.append(bool(a.hits) and a.hits[0].passage.pid in g)
                story.append(bool(a.hits) and a.hits[0].passage.doc_id == t.doc_id)
                abstained.append(a.abstained)
            out[name] = _summary(hit, first, abstained, story)
        if baseline:
            from rank_bm25 import BM25Okapi

            passages = list(corpus.all_passages())
            ref = BM25Okapi([_baseline_terms(p.text) for p in passages])
            pids = np.array([p.pid for p in passages])
            docs = [p.doc_id for p in passages]
            queries = {"rank_bm25": lambda t: t.text}
            if prev:
                queries["rank_bm25 +prev"] = lambda t: f"{t.prev} {t.text}"
            for name, text_of in queries.items():
                hit, story = [], []
                for t, g in zip(turns, golds, strict=False):
                    scores = ref.get_scores(_baseline_terms(text_of(t)))
                    best = int(np.argmax(scores)) if len(scores) else -1
                    hit.append(best >= 0 and int(pids[best]) in g)
                    story.append(best >= 0 and docs[best] == t.doc_id)
                out[name] = _summary(hit, first, None, story)
    return out


def _summary(hit: list[bool], first: list[bool], abstained: list[bool] | None, story: list[bool]) -> dict:
    """P@1 over all turns, first and later turns; "story right": the first sentence is in the
    turn's story (over all turns and over first turns)."""
    r = {
        "P@1": _share(hit),
        "P@1 first": _share([h for h, f in zip(hit, first, strict=False) if f]),
        "P@1 later": _share([h for h, f in zip(hit, first, strict=False) if not f]),
        "story": _share(story),
        "story first": _share([s for s, f in zip(story, first, strict=False) if f]),
    }
    if abstained is not None:
        r["abstained"] = _share(abstained)
        r["right and answered"] = _share([h and not a for h, a in zip(hit, abstained, strict=False)])
    return r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", type=Path)
    ap.add_argument("--heldout", action="store_true", help="the held-out 20%% of the articles (else the other 80%%)")
    ap.add_argument("--prev", action="store_true", help="also ask with the previous question prepended")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--limit", type=int, default=0, help="a seeded sample of N turns")
    ap.add_argument("--first", action="store_true", help="the first turns only (the questions that stand alone)")
    args = ap.parse_args()
    which = "heldout" if args.heldout else "train"
    r = evaluate(args.path, which, args.prev, not args.no_baseline, args.limit, args.first)
    print(f"corpus: {r['articles']} articles, {r['sentences']} sentences; {r['turns']} turns with a rationale")
    print(
        "| system | P@1 | first turns | later turns | story right | ... first turns | abstained | right and answered |"
        "\n|---|---|---|---|---|---|---|---|"
    )
    for name, m in r.items():
        if isinstance(m, dict):
            tail = f"{100 * m['abstained']:.1f}% | {m['right and answered']:.3f}" if "abstained" in m else "- | -"
            story = f"{m['story']:.3f} | {m['story first']:.3f}"
            print(f"| {name} | {m['P@1']:.3f} | {m['P@1 first']:.3f} | {m['P@1 later']:.3f} | {story} | {tail} |")


if __name__ == "__main__":
    main()
