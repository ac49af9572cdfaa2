"""Questions about stories not in the corpus (issue 17's crowd figure):
`python -m bench.coqa_offcorpus PATH [--heldout] [--groups G] [--rows OUT]`.

Issue 17 measures Verbatim on crowd-written questions about CNN stories, some of them about
stories the corpus does not hold (the right answer: abstain; 53% did). This is its proxy on
CoQA's CNN first turns (they stand alone; PATH e.g. ../shared/data/coqa/coqa_train_cnn.json):
every first turn with a rationale is asked of the corpus of its part's stories (answerable:
right first = the first sentence overlaps the rationale, as `bench.coqa`) and of the same
corpus without its story (off-corpus). Removing one story per question stays cheap: the
part's stories are split into G groups by a hash of their id, and one corpus is built per
group without the group's stories; a question of the group is asked there.

An off-corpus question whose rationale (4+ words, blanks folded, case kept) is found word for
word in a story left in the corpus is counted apart ("still answered elsewhere"): CNN
repeats some stories, and there quoting the copy is no mistake.

Parts: `--heldout` asks the fixed held-out 20% of CoQA's articles (`bench.coqa.heldout`: the
same split as `bench.coqa --heldout`, nothing tuned on it), else the tune part (the other 80%).
`--limit N`: a seeded sample of N stories of the part (the corpus is that sample; a smaller
corpus than the part's). `--rows OUT` writes one JSON line a question and corpus (what the
abstention read: support, its parts, the reason) to read the rows behind the figures.
Round 22 (abst22), docs/answers.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from index.answer import answers
from index.corpus import Corpus

from . import squad_data
from .coqa import Turn, gold, load

GROUPS = 5  # corpora without a fifth of the stories each
SPAN_WORDS = 4  # a rationale this long found in another story counts it answered elsewhere


def group_of(doc_id: str, groups: int) -> int:
    """The fixed group of a story (sha1 of its id): its questions are asked without the group."""
    return int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % groups


def first_turns(path: Path, which: str) -> tuple[list[dict], list[Turn]]:
    """The part's article records and its first turns that have a rationale."""
    records, turns = load(path, which)
    return records, [t for t in turns if t.turn == 1 and t.start >= 0]


def elsewhere(turn: Turn, body: str, others: str) -> bool:
    """Whether the turn's rationale (SPAN_WORDS words or more) is found in `others` (the stories
    left in the off-corpus corpus, joined; blanks folded)."""
    span = " ".join(body[turn.start : turn.end].split())
    return len(span.split()) >= SPAN_WORDS and span in others


@dataclass
class Tally:
    """One part's counts: answerable (the story in) and off-corpus (the story out)."""

    answerable: int = 0
    right: int = 0  # right first
    abstained: int = 0  # answerable abstained
    right_answered: int = 0
    off: int = 0  # off-corpus questions whose rationale is in no remaining story
    off_abstained: int = 0
    copied: int = 0  # off-corpus questions still answered by a copy in another story
    copied_abstained: int = 0
    reasons: dict[str, int] = field(default_factory=dict)  # off-corpus answered: by nothing / abstained: why

    def line(self) -> dict[str, float | int]:
        n, m = max(self.answerable, 1), max(self.off, 1)
        return {
            "answerable": self.answerable,
            "right first": self.right / n,
            "answerable abstained": self.abstained / n,
            "right and answered": self.right_answered / n,
            "off-corpus": self.off,
            "off-corpus abstained": self.off_abstained / m,
            "copies elsewhere": self.copied,
            "copies abstained": self.copied_abstained,
        }


def _row(corpus: Corpus, question: str) -> dict:
    """What the abstention read for `question` (the ranking `Corpus.answer` makes, again)."""
    query = corpus.prepare(question)
    r = answers.rank(query, corpus.bm25, corpus, 3, corpus.entities(), corpus)
    return {"support": answers.support(r) if len(r.ids) else 0.0, **answers.abstain_features(r), "kind": r.kind}


def _ask(corpus: Corpus, turn: Turn, golds: set[int] | None, rows: list[dict] | None, **extra: object) -> dict:
    a = corpus.answer(turn.text, k=3)
    first = a.hits[0].passage if a.hits else None
    out = {
        "question": turn.text,
        "doc": turn.doc_id,
        "abstained": a.abstained,
        "reason": a.reason or "",
        "right": golds is not None and first is not None and first.pid in golds,
        "first_doc": first.doc_id if first else "",
        "first": first.text if first else "",
        **extra,
    }
    if rows is not None:
        rows.append({**out, **_row(corpus, turn.text)})
    return out


def evaluate(
    path: Path, which: str = "train", groups: int = GROUPS, limit: int = 0, rows: list[dict] | None = None
) -> Tally:
    """The part's figures (`which`: "train", the tune part, or "heldout")."""
    records, turns = first_turns(path, which)
    if limit and limit < len(records):
        records = random.Random(0).sample(records, limit)
        kept = {r["id"] for r in records}
        turns = [t for t in turns if t.doc_id in kept]
    body = {r["id"]: r["text"] for r in records}
    tally = Tally()
    with tempfile.TemporaryDirectory() as tmp:
        whole = squad_data.corpus_of(records, Path(tmp) / "all", "coqa.jsonl")
        for t in turns:
            seen = _ask(whole, t, gold(whole, t), rows, side="answerable")
            tally.answerable += 1
            tally.right += seen["right"]
            tally.abstained += seen["abstained"]
            tally.right_answered += seen["right"] and not seen["abstained"]
        del whole
        for g in range(groups):
            asked = [t for t in turns if group_of(t.doc_id, groups) == g]
            if not asked:
                continue
            left = [r for r in records if group_of(r["id"], groups) != g]
            others = "\n".join(" ".join(r["text"].split()) for r in left)
            corpus = squad_data.corpus_of(left, Path(tmp) / f"without{g}", "coqa.jsonl")
            for t in asked:
                copied = elsewhere(t, body[t.doc_id], others)
                seen = _ask(corpus, t, None, rows, side="off", copied=copied)
                if copied:
                    tally.copied += 1
                    tally.copied_abstained += seen["abstained"]
                    continue
                tally.off += 1
                tally.off_abstained += seen["abstained"]
                why = seen["reason"][:40] if seen["abstained"] else "answered"
                tally.reasons[why] = tally.reasons.get(why, 0) + 1
    return tally


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", type=Path)
    ap.add_argument("--heldout", action="store_true", help="the held-out 20%% of the articles (else the tune 80%%)")
    ap.add_argument("--groups", type=int, default=GROUPS)
    ap.add_argument("--limit", type=int, default=0, help="a seeded sample of N stories")
    ap.add_argument("--rows", type=Path, help="write each question's row (JSON lines) here")
    args = ap.parse_args()
    rows: list[dict] | None = [] if args.rows else None
    part = "heldout" if args.heldout else "train"
    t = evaluate(args.path, part, args.groups, args.limit, rows)
    s = t.line()
    print(f"part: {part}; {s['answerable']} first turns; {args.groups} corpora without a group's stories")
    print("| answerable abstained | right first | right and answered | off-corpus abstained | copies (abstained) |")
    print("|---|---|---|---|---|")
    print(
        f"| {100 * s['answerable abstained']:.1f}% | {100 * s['right first']:.1f}% | "
        f"{100 * s['right and answered']:.1f}% | {100 * s['off-corpus abstained']:.1f}% ({t.off_abstained} of {t.off}) | "
        f"{t.copied} ({t.copied_abstained}) |"
    )
    print("off-corpus by reason:", ", ".join(f"{k or '-'}: {v}" for k, v in sorted(t.reasons.items())))
    if args.rows and rows is not None:
        with args.rows.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
