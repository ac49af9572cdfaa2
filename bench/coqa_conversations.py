"""CoQA's CNN conversations asked in order: does the conversation find the rationale sentence?

    python -m bench.coqa_conversations ../shared/data/coqa/coqa_train_cnn.json --part tune --stories 300
    python -m bench.coqa_conversations ../shared/data/coqa/coqa_train_cnn.json --part heldout

The split is by article: an article (CoQA `filename`) is held out when the first hex digit of
sha1(filename) maps to 0-2 of 0-f... precisely `int(sha1(filename), 16) % 5 == 0` (20%);
the rest tunes. Every distinct article of the chosen part (or `--stories` of them, taken in
hash order) is indexed in one corpus (a temporary seeds folder); each conversation's turns are
asked in order. A turn is right at 1 when the best sentence is in the story and overlaps the
rationale span; turns without a span (CoQA's "unknown") count as misses in P@1 over all turns.
Systems in the same run: each question alone, the previous question prepended, the
conversation API (index.answer.conversation), and the conversation with the true story given
(the ceiling of finding the story).

`--change-every N` also asks the conversations while the corpus changes every N turns (a news
desk's feed polls): it alternates between the part's index and a second one of the same articles
in reverse order plus one article of the other part (every row moves), the conversation carried
over (`Conversation.move_to`) or started afresh at each change (the Discord bot before round 17).
`--classify` (tune part only) counts the later turns' misses by kind instead. Each system is also
compared with the conversation turn by turn (turns gained and lost, the sign test's p).

`--unknown` also prints, for each conversation system, how often it abstains on CoQA's "unknown"
turns (on-topic questions the story does not answer: issue 17's abstention should abstain there)
and on the answerable ones, and the support the abstention read on both (round 27, unknown27).
`--rows OUT` (tune part only: it is the rows) writes one JSON line a turn of the conversation:
what the abstention read (support, its parts, the number veto's type missing), the wanted type
held by the sentence shown (`typed`: a date, name, place or number marked in it) and the idf share
of the question's own words that its story holds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench import squad_data
from index.answer import Carry, Prior, answers
from index.corpus import Corpus
from index.models import Answer
from index.search import tokens


@dataclass(frozen=True)
class Turn:
    question: str
    span: tuple[int, int] | None  # the rationale, offsets in the story; None: unanswerable


@dataclass(frozen=True)
class Story:
    sid: str
    article: str  # doc_id of the article in the corpus
    turns: tuple[Turn, ...]


def held_out(filename: str) -> bool:
    return int(hashlib.sha1(filename.encode()).hexdigest(), 16) % 5 == 0


def distractors(path: Path, part: str, n: int) -> list[dict]:
    """`n` articles of the other part, indexed beside the asked ones but never asked about."""
    other = "tune" if part == "heldout" else "heldout"
    records, _ = load(path, other, None)
    return records[-n:] if n else []


def load(path: Path, part: str, limit: int | None) -> tuple[list[dict], list[Story]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))["data"]
    chosen = [s for s in data if held_out(s["filename"]) == (part == "heldout")]
    chosen.sort(key=lambda s: hashlib.sha1(s["filename"].encode()).hexdigest())
    articles: dict[str, dict] = {}
    stories = []
    for s in chosen:
        doc_id = s["filename"].removesuffix(".story")
        if doc_id not in articles:
            if limit is not None and len(articles) >= limit:
                continue
            articles[doc_id] = {"id": doc_id, "title": doc_id, "text": s["story"], "date": "2015-01-01"}
        turns = tuple(
            Turn(q["input_text"], (a["span_start"], a["span_end"]) if a["span_start"] >= 0 else None)
            for q, a in zip(s["questions"], s["answers"], strict=True)
        )
        stories.append(Story(s["id"], doc_id, turns))
    return list(articles.values()), stories


def right(answer: Answer, story: Story, turn: Turn) -> bool:
    if not answer.hits or turn.span is None:
        return False
    p = answer.hits[0].passage
    return p.doc_id == story.article and p.char_start < turn.span[1] and turn.span[0] < p.char_end


Asker = Callable[[Story], Callable[[str], Answer]]


def systems(corpus: Corpus, carries: dict[str, Carry]) -> dict[str, Asker]:
    """Each system: per story, a function answering its turns in order."""

    def alone(story: Story) -> Callable[[str], Answer]:
        return lambda q: corpus.answer(q)

    def prepended(story: Story) -> Callable[[str], Answer]:
        previous: list[str] = []

        def ask(q: str) -> Answer:
            text = f"{previous[-1]} {q}" if previous else q
            previous.append(q)
            return corpus.answer(text)

        return ask

    def true_story(story: Story) -> Callable[[str], Answer]:
        prior = Prior({corpus.story_row(story.article): 10.0})
        return lambda q: corpus.answer(q, prior=prior)

    out: dict[str, Asker] = {"alone": alone, "previous prepended": prepended}
    for name, carry in carries.items():
        out[name] = lambda story, carry=carry: replace(corpus.conversation(), carry=carry).ask
    out["true story given"] = true_story
    return out


def changing(corpora: tuple[Corpus, Corpus], every: int, carry: Carry, *, carried: bool) -> Asker:
    """The conversation while the corpus changes every `every` turns (alternating between two
    indexes of the same articles): carried over to the new one, or started afresh on it.
    """

    def make(story: Story) -> Callable[[str], Answer]:
        conv = [replace(corpora[0].conversation(), carry=carry)]
        asked = [0]

        def ask(q: str) -> Answer:
            n, asked[0] = asked[0], asked[0] + 1
            if n and n % every == 0:
                target = corpora[(n // every) % 2]
                if carried:
                    conv[0].move_to(target)
                else:
                    conv[0] = replace(target.conversation(), carry=carry)
            return conv[0].ask(q)

        return ask

    return make


def type_only(corpus: Corpus, question: str) -> bool:
    """The question says nothing but the type it wants ("When?", "What year?", "Where?")."""
    try:
        query = corpus.prepare(question)
    except ValueError:
        return False
    return query.kind is not None and not query.own


@contextmanager
def ranked_last() -> Iterator[list[answers.Ranked]]:
    """The rankings `answers.rank` makes while inside, the last one last (what the abstention read
    on a turn: the conversation asks `Corpus.answer`, which ranks once; none for an article's details).
    """
    seen: list[answers.Ranked] = []
    rank = answers.rank

    def recording(*args: Any, **kwargs: Any) -> answers.Ranked:
        r = rank(*args, **kwargs)
        seen.append(r)
        return r

    answers.rank = recording
    try:
        yield seen
    finally:
        answers.rank = rank


def story_share(corpus: Corpus, question: str, article: str, held: dict[str, frozenset[str]]) -> float:
    """The idf share of the question's own words (frame nouns out, words the articles lack in at the
    most an idf weighs) that the story's sentences hold: 1 for a question of no own word ("when?").
    """
    try:
        own = corpus.prepare(question).own
    except ValueError:
        return 1.0
    if article not in held:
        held[article] = frozenset(t for p in corpus.passages_of(article) for t in tokens.tokenize(p.text))
    index = corpus.bm25
    most = math.log((index.n_docs + 0.5) / 0.5) if index.n_docs else 1.0
    weight = {t: max(index.term_idf(index.vocab[t]), 0.0) if t in index.vocab else most for t in own}
    total = sum(weight.values())
    return 1.0 if total == 0 else sum(w for t, w in weight.items() if t in held[article]) / total


def turn_row(corpus: Corpus, story: Story, n: int, answer: Answer, seen: list[answers.Ranked], held: dict) -> dict:
    """One turn of a conversation: unknown or not, abstained or not, and what the abstention read."""
    turn = story.turns[n]
    row: dict[str, Any] = {
        "story": story.sid,
        "turn": n,
        "question": turn.question,
        "unknown": turn.span is None,
        "right": right(answer, story, turn),
        "abstained": answer.abstained,
        "reason": answer.reason or "",
        "in_story": bool(answer.hits) and answer.hits[0].passage.doc_id == story.article,
        "story_share": story_share(corpus, turn.question, story.article, held),
    }
    r = seen[-1] if seen else None
    if r is not None and len(r.ids):
        row.update(answers.abstain_features(r))
        row.update(support=answers.support(r), kind=r.kind or "", type_missing=r.type_missing)
        # the wanted type (a date, name, place or number) in the sentence shown, any kind
        row["typed"] = r.kind is not None and bool(answer.hits) and bool(answer.hits[0].answer_spans)
    return row


def unknown_lines(rows: list[dict]) -> list[str]:
    """Abstained and support on the unknown turns and on the answerable ones (the ranked ones)."""
    out = []
    for label, unknown in (("unknown turns", True), ("answerable turns", False)):
        part = [r for r in rows if r["unknown"] == unknown]
        support = sorted(r["support"] for r in part if "support" in r)
        q = [support[int(f * (len(support) - 1))] for f in (0.25, 0.5, 0.75)] if support else [0.0] * 3
        shown = f"{sum(r['abstained'] for r in part)} of {len(part)} abstained"
        share = f"({100 * sum(r['abstained'] for r in part) / max(len(part), 1):.1f}%)"
        right_answered = sum(r["right"] and not r["abstained"] for r in part)
        quartiles = f"support quartiles {q[0]:.3f} / {q[1]:.3f} / {q[2]:.3f} (n {len(support)})"
        below = sum(s < answers.MIN_SUPPORT for s in support)
        out.append(
            f"  {label}: {shown} {share}; right and answered {right_answered}; {quartiles}; below the bar {below}"
        )
    return out


def evaluate(
    corpus: Corpus,
    stories: list[Story],
    carries: dict[str, Carry],
    baselines: bool = True,
    splice: bool = False,
    extra: dict[str, Asker] | None = None,
    unknown: dict[str, list[dict]] | None = None,
) -> tuple[dict[str, dict], dict[str, list[bool]]]:
    """Every system (and the `extra` ones) over every turn, and whether each turn was right; with
    `splice`, two stories' conversations in a row are asked as one (the second must be found
    although the history points at the first). With `unknown`, each conversation system's turns
    are also kept there as rows (`turn_row`) by its name.
    """
    results, turns = {}, {}
    held: dict[str, frozenset[str]] = {}
    for name, make in {**systems(corpus, carries), **(extra or {})}.items():
        if not baselines and name not in carries and name not in (extra or {}):
            continue
        rows = unknown.setdefault(name, []) if unknown is not None and name in carries else None
        hit = answerable = abstained = hit_answered = total = first_hit = later_hit = firsts = in_story = 0
        only_hit = only = 0  # later turns of no own word but a wanted type ("when?")
        start = time.perf_counter()
        oks: list[bool] = []  # each turn right or not, in order (for `paired`)
        for number, story in enumerate(stories):
            if not splice or number % 2 == 0:
                ask = make(story)
            for n, turn in enumerate(story.turns):
                with ranked_last() as seen:
                    try:
                        answer = ask(turn.question)
                    except ValueError:
                        answer = Answer(turn.question, True, [])
                if rows is not None:
                    rows.append(turn_row(corpus, story, n, answer, seen, held))
                ok = right(answer, story, turn)
                oks.append(ok)
                total += 1
                in_story += bool(answer.hits) and answer.hits[0].passage.doc_id == story.article
                hit += ok
                firsts += n == 0
                first_hit += ok and n == 0
                later_hit += ok and n > 0
                if n > 0 and type_only(corpus, turn.question):
                    only += 1
                    only_hit += ok
                if turn.span is not None:
                    answerable += 1
                    abstained += answer.abstained
                    hit_answered += ok and not answer.abstained
        results[name] = {
            "P@1": round(hit / total, 3),
            "P@1 first turns": round(first_hit / max(firsts, 1), 3),
            "P@1 later turns": round(later_hit / max(total - firsts, 1), 3),
            "right and answered": round(hit_answered / total, 3),
            "answerable abstained": round(abstained / max(answerable, 1), 3),
            "story right": round(in_story / total, 3),
            "P@1 type-only turns": round(only_hit / max(only, 1), 3),
            "type-only turns": only,
            "turns": total,
            "seconds": round(time.perf_counter() - start, 1),
        }
        print(name, results[name], flush=True)
        if rows is not None:
            print("\n".join(unknown_lines(rows)), flush=True)
        turns[name] = oks
    return results, turns


def paired(turns: dict[str, list[bool]], base: str) -> None:
    """Each system against `base`, turn by turn: turns it gets right that `base` misses and the
    reverse, with the two-sided sign test's p (is the difference more than chance?).
    """
    for name, oks in turns.items():
        if name == base or len(oks) != len(turns[base]):
            continue
        gained = sum(a and not b for a, b in zip(oks, turns[base], strict=True))
        lost = sum(b and not a for a, b in zip(oks, turns[base], strict=True))
        n, low = gained + lost, min(gained, lost)
        p = min(1.0, 2 * sum(math.comb(n, i) for i in range(low + 1)) / 2**n) if n else 1.0
        print(f"{name} against {base}: {gained} turns gained, {lost} lost (sign test p = {p:.3g})", flush=True)


MISSES = ("right", "abstained", "wrong story kept", "story left too early", "right story, wrong sentence")


def classify(corpus: Corpus, stories: list[Story], carry: Carry) -> Counter[str]:
    """The answerable later turns of the conversation by what went wrong (the tune part only:
    this reads the rows): abstained (on a right sentence too); the best sentence in another story
    while the conversation read a wrong one ("wrong story kept") or the right one ("story left too
    early"); in the story but not the rationale ("right story, wrong sentence").
    """
    out: Counter[str] = Counter()
    for story in stories:
        ask = replace(corpus.conversation(), carry=carry).ask
        for n, turn in enumerate(story.turns):
            try:
                answer = ask(turn.question)
            except ValueError:
                answer = Answer(turn.question, True, [])
            if n == 0 or turn.span is None:
                continue
            found = answer.hits[0].passage.doc_id if answer.hits else None
            if answer.abstained:
                out["abstained"] += 1
            elif right(answer, story, turn):
                out["right"] += 1
            elif found == story.article:
                out["right story, wrong sentence"] += 1
            else:
                out["story left too early" if answer.story == story.article else "wrong story kept"] += 1
    return out


def grid(spec: list[str]) -> dict[str, Carry]:
    """`name=field:value,field:value` -> Carry variants (the first is named "conversation")."""
    out = {"conversation": Carry()}
    for item in spec:
        name, _, fields = item.partition("=")
        values = {f.split(":")[0]: float(f.split(":")[1]) for f in fields.split(",") if f}
        bools = {"after_held", "first_turn", "carried_named", "named_evidence", "named_entity"}
        ints = {"after_sentences", "max_stories", "carry_turns", "switch_min_terms", "candidates", "carry_below"}
        out[name] = replace(
            Carry(), **{k: int(v) if k in ints else bool(v) if k in bools else v for k, v in values.items()}
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--part", choices=("tune", "heldout"), default="tune")
    parser.add_argument("--stories", type=int, default=None, help="index only this many articles")
    parser.add_argument("--variant", action="append", default=[], help="name=field:value,... (Carry)")
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--splice", action="store_true", help="ask two stories' conversations as one")
    parser.add_argument("--distractors", type=int, default=0, help="also index this many articles of the other part")
    parser.add_argument("--change-every", type=int, default=0, help="also change the corpus every N turns")
    parser.add_argument("--classify", action="store_true", help="the later turns' misses by kind (tune part only)")
    parser.add_argument("--unknown", action="store_true", help="also abstained and support on the unknown turns")
    parser.add_argument("--rows", type=Path, help="write the conversation's turns (JSON lines; tune part only)")
    args = parser.parse_args()
    if args.classify and args.part != "tune":
        parser.error("--classify reads the rows: the tune part only")
    if args.rows and args.part != "tune":
        parser.error("--rows writes the rows: the tune part only")
    records, stories = load(args.path, args.part, args.stories)
    records += distractors(args.path, args.part, args.distractors)
    print(
        f"part {args.part}: {len(records)} articles, {len(stories)} conversations, "
        f"{sum(len(s.turns) for s in stories)} turns",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as tmp:
        corpus = squad_data.corpus_of(records, Path(tmp), "coqa.jsonl")
        for story in stories[:50]:  # offsets are the story's: the body is stored unchanged
            assert corpus.article(story.article).body == next(r["text"] for r in records if r["id"] == story.article)
        carries = grid(args.variant)
        if args.classify:
            for name, carry in carries.items():
                counts = classify(corpus, stories, carry)
                print(name, {kind: counts[kind] for kind in MISSES}, flush=True)
            return
        extra: dict[str, Asker] = {}
        if args.change_every:
            added = distractors(args.path, args.part, 1) + records[::-1]  # every row moves
            other = squad_data.corpus_of(added, Path(tmp) / "other", "coqa.jsonl")
            pair, every = (corpus, other), args.change_every
            extra[f"changed every {every} turns, carried over"] = changing(pair, every, Carry(), carried=True)
            extra[f"changed every {every} turns, started afresh"] = changing(pair, every, Carry(), carried=False)
        unknown: dict[str, list[dict]] | None = {} if args.unknown or args.rows else None
        _, turns = evaluate(
            corpus, stories, carries, baselines=not args.no_baselines, splice=args.splice, extra=extra, unknown=unknown
        )
        paired(turns, "conversation")
        if args.rows and unknown is not None:
            with args.rows.open("w", encoding="utf-8") as fh:
                for row in unknown["conversation"]:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
