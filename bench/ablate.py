"""Does each hand-set part of answering pay on held-out data? `python -m bench.ablate`.

    python -m bench.ablate [--off PART ...] [--sample N] [--json FILE]

Builds each benchmark corpus once (SQuAD dev-even, its even articles for the abstention check,
CoQA's CNN held-out 20%, MEANTIME's 120 news articles, the seed article), then asks every set
with all parts on and with each part in `--off` (default: every part) switched off alone, in
the same run, and prints ONE table: per set, the share right with the part off minus all on,
and the paired counts (questions right only with the part on / only with it off).

Held-out sets (nothing was tuned on them): SQuAD articles 12-23 (right first), SQuAD's
abstention check on them (corpus of the even articles: an odd article's question is right when
abstained on, an even one's when right first and answered), CoQA held-out questions alone and
as conversations (right first), news set B (right first and answered; abstained on for a `?` one), SQuAD questions with
seeded typos (bench.typos, 30% of content words edited). Tuned sets, apart: SQuAD articles
0-11, news set A, the seed questions.

Every switch sets a public module constant (or a rerank weight, then `rerank.reload()`) and
puts it back: `PARTS` names them, with where each part lives.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench import coqa, coqa_conversations, squad_data, typos
from index.answer import answers, query, question, rerank, spelling, stories
from index.answer.conversation import Carry
from index.corpus import Corpus
from index.models import Answer
from tests.question_sets import ROOT, evaluate, meantime_corpus, news_rows, seed_rows

DATA = ROOT.parent / "shared" / "data"
SQUAD = DATA / "squad-dev-even.json"
COQA = DATA / "coqa" / "coqa_train_cnn.json"
SET_A = 120  # news rows 0-119 are set A (tuned on), the rest set B
HELD = ("squad 12-23", "squad abstain 12-23", "coqa alone", "coqa conversations", "news B", "typos")
TUNED = ("squad 0-11", "news A", "seed")


@contextlib.contextmanager
def _setting(module: object, name: str, value: object) -> Iterator[None]:
    old = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, old)


@contextlib.contextmanager
def _weights(**changed: float) -> Iterator[None]:
    old = dict(rerank.WEIGHTS)
    rerank.WEIGHTS.update(changed)
    rerank.reload()
    try:
        yield
    finally:
        rerank.WEIGHTS.clear()
        rerank.WEIGHTS.update(old)
        rerank.reload()


NO_CARRY = Carry(story_bonus=0.0, carry_below=0, follow_share=float("inf"))  # conversations: no prior

# Part -> (where it lives, the switch that turns it off).
PARTS: dict[str, tuple[str, Callable[[], contextlib.AbstractContextManager[None]]]] = {
    "spelling": ("spelling.correct, query.SPELLING", lambda: _setting(query, "SPELLING", False)),
    "chat": ("data/chat_en.txt, question.plain", lambda: _setting(question, "CHAT", False)),
    "frame": ("question.frame_terms, DROP_KINDS", lambda: _setting(question, "DROP_KINDS", set())),
    "answer type": ("question.answer_spans, rerank GAMMA (typed)", lambda: _weights(typed=0.0)),
    "related": ("data/related_en.txt, related.py, rerank REL (rel)", lambda: _weights(rel=0.0)),
    "aliases": ("aliases.py, answers.ALIASES", lambda: _setting(answers, "ALIASES", False)),
    "last look": ("last_look.py, data/swap_model.json", lambda: _setting(answers, "LAST_LOOK", False)),
    "prior": ("prior.py, conversation.Carry (conversations only)", contextlib.nullcontext),
    "local (MU)": ("rerank MU: in-article rarity", lambda: _weights(sent=1.0, local=0.0)),
    "window (ALPHA)": ("rerank ALPHA (win)", lambda: _weights(win=0.0)),
    "paragraph (PAR)": ("rerank PAR (par)", lambda: _weights(par=0.0)),
    "pronoun (PRON)": ("rerank PRON (pron_prev)", lambda: _weights(pron_prev=0.0)),
    "article bm25": ("rerank ART_BM25 (art_bm25)", lambda: _weights(art_bm25=0.0)),
    "title bonus": ("stories.TITLE (story17's; measured only)", lambda: _setting(stories, "TITLE", 0.0)),
    "date bonus": ("stories.DATED (story17's; measured only)", lambda: _setting(stories, "DATED", 0.0)),
    "one per story": ("answers.CLOSE", lambda: _setting(answers, "CLOSE", 0.0)),
    "consensus": ("answers.CONSENSUS (abstention)", lambda: _setting(answers, "CONSENSUS", 0.0)),
    "article-only": ("rerank.ARTICLE_ONLY (abstention's context)", lambda: _setting(rerank, "ARTICLE_ONLY", 0.0)),
    "keep stopwords": ("spelling.SKIP_STOPWORDS (round 17)", lambda: _setting(spelling, "SKIP_STOPWORDS", False)),
    "keep wordnet words": ("spelling.SKIP_WORDNET (round 17)", lambda: _setting(spelling, "SKIP_WORDNET", False)),
    "number shorthand": ("question.SHORTHAND (round 17)", lambda: _setting(question, "SHORTHAND", False)),
    "number veto": ("answers.TYPE_VETO (round 18)", lambda: _setting(answers, "TYPE_VETO", frozenset())),
    "number first": ("answers.TYPE_FIRST (round 18)", lambda: _setting(answers, "TYPE_FIRST", False)),
}


def _first_right(a: Answer, doc_id: str, lo: int, hi: int) -> bool:
    """The first passage is in `doc_id` and overlaps [lo, hi) (lo == hi: holds position lo)."""
    if not a.hits:
        return False
    p = a.hits[0].passage
    if lo == hi:
        return p.doc_id == doc_id and p.char_start <= lo < p.char_end
    return p.doc_id == doc_id and p.char_start < hi and lo < p.char_end


class Sets:
    """The corpora and questions, built once; `ask()` returns per set one flag per question."""

    def __init__(self, tmp: Path, sample: int) -> None:
        rng = random.Random(17)
        records, questions = squad_data.load(SQUAD)
        cut = (len(records) + 1) // 2
        held_ids = {r["id"] for r in records[cut:]}
        even = {r["id"] for i, r in enumerate(records) if i % 2 == 0}

        def pick(items: list[Any], n: int) -> list[int]:
            return sorted(rng.sample(range(len(items)), n)) if 0 < n < len(items) else list(range(len(items)))

        held_q = [q for q in questions if q.doc_id in held_ids]
        tuned_q = [q for q in questions if q.doc_id not in held_ids]
        self.squad_held = [held_q[i] for i in pick(held_q, sample)]
        self.squad_tuned = [tuned_q[i] for i in pick(tuned_q, sample)]
        self.squad_abstain = [held_q[i] for i in pick(held_q, sample)]
        self.even = even
        every = questions[:: max(1, len(questions) // 1200)][:1200]
        self.typos = [every[i] for i in pick(every, sample)]
        self.typed = [typos.noisy(q.text, q.qid, 0.3) for q in self.typos]
        self.squad = squad_data.corpus_of(records, tmp / "all")
        self.half = squad_data.corpus_of([r for r in records if r["id"] in even], tmp / "half")
        c_records, turns = coqa.load(COQA, "heldout")
        turns = [t for t in turns if t.start >= 0]
        self.coqa_turns = [turns[i] for i in pick(turns, sample)]
        (tmp / "coqa").mkdir()
        self.coqa = squad_data.corpus_of(c_records, tmp / "coqa", "coqa.jsonl")
        v_records, stories_ = coqa_conversations.load(COQA, "heldout", None)
        self.conv_stories = stories_[: max(1, sample // 15)] if sample else stories_
        self.conv = squad_data.corpus_of(v_records, tmp / "conv", "coqa.jsonl")
        (tmp / "news").mkdir()
        self.news = meantime_corpus(tmp / "news")
        self.news_rows = [(q, e) for _, q, e in news_rows()]
        self.seed = Corpus.open(ROOT / "seeds", tmp / "seed-index")
        self.seed_rows = seed_rows()

    def sizes(self) -> dict[str, int]:
        return {name: len(flags) for name, flags in self.ask(dry=True).items()}

    def ask(self, no_prior: bool = False, dry: bool = False) -> dict[str, list[bool]]:
        """One flag per question of every set (`dry`: all False, to count them)."""
        out: dict[str, list[bool]] = {}

        def squad_right(corpus: Corpus, q: squad_data.Question, text: str | None = None) -> bool:
            return (
                False if dry else _first_right(corpus.answer(text or q.text, k=1), q.doc_id, q.answer_pos, q.answer_pos)
            )

        out["squad 12-23"] = [squad_right(self.squad, q) for q in self.squad_held]
        out["squad 0-11"] = [squad_right(self.squad, q) for q in self.squad_tuned]
        flags = []
        for q in self.squad_abstain:
            if dry:
                flags.append(False)
                continue
            a = self.half.answer(q.text, k=1)
            if q.doc_id in self.even:
                flags.append(not a.abstained and _first_right(a, q.doc_id, q.answer_pos, q.answer_pos))
            else:
                flags.append(a.abstained)
        out["squad abstain 12-23"] = flags
        out["typos"] = [squad_right(self.squad, q, t) for q, t in zip(self.typos, self.typed, strict=True)]
        out["coqa alone"] = [
            False if dry else _first_right(self.coqa.answer(t.text, k=1), t.doc_id, t.start, t.end)
            for t in self.coqa_turns
        ]
        conv = []
        for story in self.conv_stories:
            talk = self.conv.conversation()
            if no_prior:
                talk = replace(talk, carry=NO_CARRY)
            for turn in story.turns:
                if dry:
                    conv.append(False)
                    continue
                try:
                    a = talk.ask(turn.question)
                except ValueError:
                    a = Answer(turn.question, True, [])
                conv.append(coqa_conversations.right(a, story, turn))
        out["coqa conversations"] = conv
        if dry:
            out["news A"] = [False] * SET_A
            out["news B"] = [False] * (len(self.news_rows) - SET_A)
            out["seed"] = [False] * len(self.seed_rows)
            return out
        news = [row[3] for row in evaluate(self.news, self.news_rows)["results"]]  # right and answered
        out["news A"], out["news B"] = news[:SET_A], news[SET_A:]
        out["seed"] = [row[3] for row in evaluate(self.seed, self.seed_rows)["results"]]
        return out


def compare(on: dict[str, list[bool]], off: dict[str, list[bool]], name: str) -> tuple[float, int, int]:
    """(share off - share on, right only with the part on, right only with it off)."""
    a, b = on[name], off[name]
    gain = sum(x and not y for x, y in zip(a, b, strict=True))
    loss = sum(y and not x for x, y in zip(a, b, strict=True))
    return (sum(b) - sum(a)) / max(len(a), 1), gain, loss


def table(on: dict[str, list[bool]], offs: dict[str, dict[str, list[bool]]]) -> str:
    """Markdown: per part and set, off - on in points, and (only-on / only-off) counts."""
    sets = list(HELD) + list(TUNED)
    head = "| part off | " + " | ".join(sets) + " | held-out net (on-only - off-only) |"
    lines = [head, "|" + "---|" * (len(sets) + 2)]
    lines.append(
        "| all on (share right) | "
        + " | ".join(f"{100 * sum(on[s]) / max(len(on[s]), 1):.1f}% of {len(on[s])}" for s in sets)
        + " | |"
    )
    for part, off in offs.items():
        cells, net = [], 0
        for s in sets:
            delta, gain, loss = compare(on, off, s)
            cells.append(f"{100 * delta:+.1f} ({gain}/{loss})")
            if s in HELD:
                net += gain - loss
        lines.append(f"| {part} | " + " | ".join(cells) + f" | {net:+d} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--off", action="append", choices=sorted(PARTS), help="a part to switch off (repeatable; default all)"
    )
    ap.add_argument("--sample", type=int, default=0, help="at most N questions a set (seeded; 0: all)")
    ap.add_argument("--json", type=Path, help="write every flag to this file")
    args = ap.parse_args()
    parts = args.off or list(PARTS)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        sets = Sets(Path(tmp), args.sample)
        print(f"built in {time.perf_counter() - start:.0f} s; questions: {sets.sizes()}", flush=True)
        start = time.perf_counter()
        on = sets.ask()
        print(f"all on: {time.perf_counter() - start:.0f} s", flush=True)
        offs: dict[str, dict[str, list[bool]]] = {}
        for part in parts:
            where, switch = PARTS[part]
            start = time.perf_counter()
            with switch():
                offs[part] = sets.ask(no_prior=part == "prior")
            print(f"{part} ({where}) off: {time.perf_counter() - start:.0f} s", flush=True)
            if args.json:
                args.json.write_text(json.dumps({"on": on, "off": offs}), encoding="utf-8")
    print(table(on, offs))


if __name__ == "__main__":
    main()
