"""Does each hand-set part of answering pay on held-out data? `python -m bench.ablate`.

    python -m bench.ablate [--off PART ...] [--sample N] [--json FILE]

Builds each benchmark corpus once (SQuAD dev-even, its even articles for the abstention check,
CoQA's CNN held-out 20%, MEANTIME's 120 news articles, TempEval-3's 256 training stories, the
seed article), then asks every set with all parts on and with each part in `--off` (default:
every part) switched off alone, in the same run, and prints ONE table: per set, the share right
with the part off minus all on, and the paired counts (questions right only with the part on /
only with it off), and per part the net (on-only minus off-only) summed over the held-out sets
and over the tuned ones.

Held-out sets (nothing was tuned on them): SQuAD articles 12-23 (right first), SQuAD's
abstention check on them (corpus of the even articles: an odd article's question is right when
abstained on, an even one's when right first and answered), CoQA held-out questions alone and
as conversations (right first), news sets B, C, E (MEANTIME) and F (TempEval-3) (right first and
answered; abstained on for an off-topic or `?` one), news set H (TempEval-3, round 28), the newest
seed part (`SEED_OTHERS[-1]`, M from round 28: totals only), SQuAD questions with seeded typos (bench.typos, 30% of content words edited). Tuned sets,
apart: SQuAD articles 0-11, news sets A, D (MEANTIME) and G (TempEval-3), the seed questions
(ours and the parts before the newest). `--sample N` samples only SQuAD, CoQA and the typos (N questions a set,
N // 15 conversations); the news and seed sets are always whole.

Every switch sets a public module constant (or a rerank weight, then `rerank.reload()`), clears
the answering modules' per-text caches (`_first_rule` reads `DATE_NOUNS`...) and puts it back:
`PARTS` names them, with where each part lives.
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
from index import answer as answer_package
from index.answer import (
    answers,
    british,
    chatforms,
    compounds,
    details,
    do_support,
    numwords,
    phrasal,
    query,
    question,
    rerank,
    spelling,
    stories,
)
from index.answer.conversation import Carry
from index.corpus import Corpus
from index.models import Answer
from tests.question_sets import (
    NEWS_C_TSV,
    NEWS_D_TSV,
    NEWS_E_TSV,
    NEWS_F_TSV,
    NEWS_G_TSV,
    NEWS_H_TSV,
    ROOT,
    SEED_OTHERS,
    evaluate,
    meantime_corpus,
    news_rows,
    seed_rows,
    tbaq_corpus,
)

DATA = ROOT.parent / "shared" / "data"
SQUAD = DATA / "squad-dev-even.json"
COQA = DATA / "coqa" / "coqa_train_cnn.json"
SET_A = 120  # news rows 0-119 are set A (tuned on), the rest set B
HELD = (
    "squad 12-23",
    "squad abstain 12-23",
    "coqa alone",
    "coqa conversations",
    "news B",
    "news C",
    "news E",
    "news F",
    "news H",
    "seed held out",
    "typos",
)
TUNED = ("squad 0-11", "news A", "news D", "news G", "seed tuned")


def _clear_caches() -> None:
    """Empty every `functools` cache of the answering modules: some keep per text what a switch
    decides (`question._first_rule` reads `DATE_NOUNS`, `DATE_PHRASES`, `FRAME_NOUNS`)."""
    for module in vars(answer_package).values():
        for value in vars(module).values() if isinstance(module, type(answer_package)) else ():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


@contextlib.contextmanager
def _setting(module: object, name: str, value: object) -> Iterator[None]:
    old = getattr(module, name)
    setattr(module, name, value)
    _clear_caches()
    try:
        yield
    finally:
        setattr(module, name, old)
        _clear_caches()


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

# Part -> (where it lives, the switch that turns it off). Round 28 added every part with a switch
# since round 11's table (rounds 17-27); a part whose switch is off on main is not listed.
PARTS: dict[str, tuple[str, Callable[[], contextlib.AbstractContextManager[None]]]] = {
    # the question as read
    "spelling": ("spelling.correct, query.SPELLING", lambda: _setting(query, "SPELLING", False)),
    "chat": ("data/chat_en.txt, question.plain", lambda: _setting(question, "CHAT", False)),
    "number shorthand": ("question.SHORTHAND (round 17)", lambda: _setting(question, "SHORTHAND", False)),
    "links": ("question.LINKS (round 22)", lambda: _setting(question, "LINKS", False)),
    "shortcodes": ("question.SHORTCODES (round 19)", lambda: _setting(question, "SHORTCODES", False)),
    "chat forms": ("chatforms.CHATFORMS (round 26)", lambda: _setting(chatforms, "CHATFORMS", False)),
    "why'd": ("chatforms.CONTRACTED (round 27)", lambda: _setting(chatforms, "CONTRACTED", False)),
    "british": ("british.BRITISH (round 25)", lambda: _setting(british, "BRITISH", False)),
    "compounds": ("compounds.COMPOUNDS (round 21)", lambda: _setting(compounds, "COMPOUNDS", False)),
    "number words": ("numwords.NUMWORDS (round 22-23)", lambda: _setting(numwords, "NUMWORDS", False)),
    "phrasal verbs": ("phrasal.PHRASAL (round 19)", lambda: _setting(phrasal, "PHRASAL", False)),
    "do-support": ("do_support.ON (round 24)", lambda: _setting(do_support, "ON", False)),
    "keep light words": ("spelling.LIGHT (round 18)", lambda: _setting(spelling, "LIGHT", False)),
    "keep common words": ("spelling.COMMON (round 20)", lambda: _setting(spelling, "COMMON", False)),
    "typo by its start": ("spelling.STEM_TYPOS (round 24)", lambda: _setting(spelling, "STEM_TYPOS", False)),
    "frame": ("question.frame_terms, DROP_KINDS", lambda: _setting(question, "DROP_KINDS", set())),
    "frame nouns": ("question.FRAME_NOUNS (round 19)", lambda: _setting(question, "FRAME_NOUNS", False)),
    "date nouns": ("question.DATE_NOUNS (round 18)", lambda: _setting(question, "DATE_NOUNS", False)),
    "date phrases": ("question.DATE_PHRASES (round 20)", lambda: _setting(question, "DATE_PHRASES", False)),
    "person shape": ("question.PERSON_SHAPE", lambda: _setting(question, "PERSON_SHAPE", False)),
    "opinions": ("question.OPINIONS (round 18; abstains)", lambda: _setting(question, "OPINIONS", False)),
    "article details": ("details.ENABLED (byline, date, link)", lambda: _setting(details, "ENABLED", False)),
    "background idf": ("query.BACKGROUND (round 25; abstention)", lambda: _setting(query, "BACKGROUND", False)),
    # the ranking
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
    "title as context": ("rerank TITLE (title, round 20)", lambda: _weights(title=0.0)),
    "neighbours (EXPAND)": ("rerank.EXPAND (round 21)", lambda: _setting(rerank, "EXPAND", 0)),
    "role person": (
        "rerank.ROLE_PERSON (round 27; ROLE_FIRST with it)",
        lambda: _setting(rerank, "ROLE_PERSON", False),
    ),
    "role first": ("answers.ROLE_FIRST (round 27)", lambda: _setting(answers, "ROLE_FIRST", False)),
    "title bonus": ("stories.TITLE (story17's)", lambda: _setting(stories, "TITLE", 0.0)),
    "date bonus": ("stories.DATED (story17's)", lambda: _setting(stories, "DATED", 0.0)),
    "yearless day": ("stories.YEARLESS (round 25)", lambda: _setting(stories, "YEARLESS", False)),
    "article lag": ("stories.ARTICLE (round 22, a question asked alone)", lambda: _setting(stories, "ARTICLE", 0.0)),
    # what is shown, and the abstention
    "one per story": ("answers.CLOSE", lambda: _setting(answers, "CLOSE", 0.0)),
    "copies once": ("answers.COPIES (round 19)", lambda: _setting(answers, "COPIES", False)),
    "consensus": ("answers.CONSENSUS (abstention)", lambda: _setting(answers, "CONSENSUS", 0.0)),
    "article-only": ("rerank.ARTICLE_ONLY (abstention's context)", lambda: _setting(rerank, "ARTICLE_ONLY", 0.0)),
    "number veto": ("answers.TYPE_VETO (round 18)", lambda: _setting(answers, "TYPE_VETO", frozenset())),
    "number first": ("answers.TYPE_FIRST (round 18)", lambda: _setting(answers, "TYPE_FIRST", False)),
    "money veto": ("answers.MONEY_VETO (round 24)", lambda: _setting(answers, "MONEY_VETO", False)),
}
CONVERSATIONS_ONLY = {"prior"}  # parts that change nothing outside a conversation


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
        ab = [(q, e) for _, q, e in news_rows()]
        self.news_rows = {
            "news A": ab[:SET_A],
            "news B": ab[SET_A:],
            "news C": [(q, e) for _, q, e in news_rows(NEWS_C_TSV)],
            "news D": [(q, e) for _, q, e in news_rows(NEWS_D_TSV)],
            "news E": [(q, e) for _, q, e in news_rows(NEWS_E_TSV)],
        }
        (tmp / "tbaq").mkdir()
        self.tbaq = tbaq_corpus(tmp / "tbaq")
        self.tbaq_rows = {
            "news F": [(q, e) for _, q, e in news_rows(NEWS_F_TSV)],
            "news G": [(q, e) for _, q, e in news_rows(NEWS_G_TSV)],
            "news H": [(q, e) for _, q, e in news_rows(NEWS_H_TSV)],
        }
        self.seed = Corpus.open(ROOT / "seeds", tmp / "seed-index")
        self.seed_rows = {
            "seed tuned": seed_rows() + [row for path in SEED_OTHERS[:-1] for row in seed_rows(path)],
            "seed held out": seed_rows(SEED_OTHERS[-1]),  # held out: only its totals are printed
        }
        self.on: dict[str, list[bool]] = {}  # every flag with all parts on (`main` sets it)

    def sizes(self) -> dict[str, int]:
        return {name: len(flags) for name, flags in self.ask(dry=True).items()}

    def ask(self, no_prior: bool = False, dry: bool = False, only: set[str] | None = None) -> dict[str, list[bool]]:
        """One flag per question of every set (`dry`: all False, to count them; `only`: just those
        sets asked, the others' flags taken from `self.on`)."""
        out: dict[str, list[bool]] = {}
        if only is not None:
            out = {name: list(flags) for name, flags in self.on.items() if name not in only}

        def want(name: str) -> bool:
            return only is None or name in only

        def squad_right(corpus: Corpus, q: squad_data.Question, text: str | None = None) -> bool:
            return (
                False if dry else _first_right(corpus.answer(text or q.text, k=1), q.doc_id, q.answer_pos, q.answer_pos)
            )

        if want("squad 12-23"):
            out["squad 12-23"] = [squad_right(self.squad, q) for q in self.squad_held]
        if want("squad 0-11"):
            out["squad 0-11"] = [squad_right(self.squad, q) for q in self.squad_tuned]
        if want("squad abstain 12-23"):
            out["squad abstain 12-23"] = [False if dry else self._abstain_right(q) for q in self.squad_abstain]
        if want("typos"):
            out["typos"] = [squad_right(self.squad, q, t) for q, t in zip(self.typos, self.typed, strict=True)]
        if want("coqa alone"):
            out["coqa alone"] = [
                False if dry else _first_right(self.coqa.answer(t.text, k=1), t.doc_id, t.start, t.end)
                for t in self.coqa_turns
            ]
        if want("coqa conversations"):
            out["coqa conversations"] = self._conversations(no_prior, dry)
        for corpus, sets in ((self.news, self.news_rows), (self.tbaq, self.tbaq_rows), (self.seed, self.seed_rows)):
            for name, rows in sets.items():
                if want(name):  # right first and answered; abstained on for an off-topic or `?` question
                    out[name] = [False] * len(rows) if dry else [row[3] for row in evaluate(corpus, rows)["results"]]
        return out

    def _abstain_right(self, q: squad_data.Question) -> bool:
        """Over the even articles: an odd article's question abstained on, an even one's right and answered."""
        a = self.half.answer(q.text, k=1)
        if q.doc_id in self.even:
            return not a.abstained and _first_right(a, q.doc_id, q.answer_pos, q.answer_pos)
        return a.abstained

    def _conversations(self, no_prior: bool, dry: bool) -> list[bool]:
        """Each turn of each CoQA conversation asked in order (`no_prior`: nothing carried)."""
        flags = []
        for story in self.conv_stories:
            talk = self.conv.conversation()
            if no_prior:
                talk = replace(talk, carry=NO_CARRY)
            for turn in story.turns:
                if dry:
                    flags.append(False)
                    continue
                try:
                    a = talk.ask(turn.question)
                except ValueError:
                    a = Answer(turn.question, True, [])
                flags.append(coqa_conversations.right(a, story, turn))
        return flags


def compare(on: dict[str, list[bool]], off: dict[str, list[bool]], name: str) -> tuple[float, int, int]:
    """(share off - share on, right only with the part on, right only with it off)."""
    a, b = on[name], off[name]
    gain = sum(x and not y for x, y in zip(a, b, strict=True))
    loss = sum(y and not x for x, y in zip(a, b, strict=True))
    return (sum(b) - sum(a)) / max(len(a), 1), gain, loss


def table(on: dict[str, list[bool]], offs: dict[str, dict[str, list[bool]]]) -> str:
    """Markdown: per part and set, off - on in points, and (only-on / only-off) counts; per part the
    net (only-on - only-off) summed over the held-out sets and over the tuned ones."""
    sets = list(HELD) + list(TUNED)
    head = "| part off | " + " | ".join(sets) + " | held-out net | tuned net |"
    lines = [head, "|" + "---|" * (len(sets) + 3)]
    lines.append(
        "| all on (share right) | "
        + " | ".join(f"{100 * sum(on[s]) / max(len(on[s]), 1):.1f}% of {len(on[s])}" for s in sets)
        + " | | |"
    )
    for part, off in offs.items():
        cells, held, tuned = [], 0, 0
        for s in sets:
            delta, gain, loss = compare(on, off, s)
            cells.append(f"{100 * delta:+.1f} ({gain}/{loss})" if gain or loss else "0")
            if s in HELD:
                held += gain - loss
            else:
                tuned += gain - loss
        lines.append(f"| {part} | " + " | ".join(cells) + f" | {held:+d} | {tuned:+d} |")
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
        on = sets.on = sets.ask()
        print(f"all on: {time.perf_counter() - start:.0f} s", flush=True)
        offs: dict[str, dict[str, list[bool]]] = {}
        for part in parts:
            where, switch = PARTS[part]
            start = time.perf_counter()
            with switch():
                offs[part] = sets.ask(
                    no_prior=part == "prior", only={"coqa conversations"} if part in CONVERSATIONS_ONLY else None
                )
            print(f"{part} ({where}) off: {time.perf_counter() - start:.0f} s", flush=True)
            if args.json:
                args.json.write_text(json.dumps({"on": on, "off": offs}), encoding="utf-8")
        again = sets.ask()  # every switch put back: the same flags as before any part was off
        print(f"all on again: {'the same flags' if again == on else 'DIFFERENT flags (a switch did not restore)'}")
    print(table(on, offs))


if __name__ == "__main__":
    main()
