"""The seed article asked as people type in Discord: `python -m bench.seed_questions [-v]
[--misses own,a,b,c,d,e,f,g,h,i,j,k,l] [--off light|views|dates|frames|shortcodes|phrasal|common|datephrases|compounds|links|numwords|stemtypos|british|chatforms|contracted] [--on behind]`.

Reads tests/data/seed_questions.tsv (question, a substring of the expected first sentence;
an empty expectation means Verbatim must abstain on a question off the article's topic, `?`
one on its topic that it does not answer, "who is the ceo of alibaba") and indexes seeds/ in a
temporary folder. A question counts as right when the first passage holds the expected text
(for answerable questions; ` || ` separates acceptable alternatives) or when Verbatim abstains
(for the others). Also reports how many answerable questions were right *and* answered without
abstaining. The rows and the scoring are the tests' (`tests/question_sets.py`).

Beside the project's own set it reports other people's questions (round 17,
`seed_questions_others_{a,b}.tsv`, both tuned on since round 18, B held out in round 17) and
round 18's part C (`seed_questions_others_c.tsv`, held out in round 18, tuned on since round 19)
and round 19's part D (`seed_questions_others_d.tsv`, held out in round 19, tuned on since round
20) and round 20's part E (`seed_questions_others_e.tsv`, held out in round 20, tuned on since
round 21) and round 21's part F (`seed_questions_others_f.tsv`, held out in round 21, tuned on since
round 22) and round 22's part G (`seed_questions_others_g.tsv`, held out in round 22, tuned on since
round 23) and round 23's part H (`seed_questions_others_h.tsv`, held out in round 23, tuned on since
round 24) and round 24's part I (`seed_questions_others_i.tsv`, held out in round 24, tuned on since
round 25) and round 25's part J (`seed_questions_others_j.tsv`, held out in round 25, tuned on since
round 26) and round 26's part K (`seed_questions_others_k.tsv`, held out in round 26, tuned on since
round 27) and round 27's part L (`seed_questions_others_l.tsv`, held out in round 27, tuned on since
round 28) and round 28's part M (`seed_questions_others_m.tsv`, held out). Misses are printed for the
own set and parts A to L (`--misses` names the parts; `-v` prints every question of them); M's misses
are never printed, so its questions stay unread while choosing.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from index.answer import british, chatforms, compounds, numwords, phrasal, spelling
from index.answer import question as question_types
from index.corpus import Corpus
from tests.question_sets import ROOT, SEED_OTHERS, evaluate, seed_rows, summary

# Round 18's to 22's switches (`--off NAME`, repeatable): the answers with one fix off, same run.
SWITCHES: dict[str, tuple[Any, str]] = {
    "light": (spelling, "LIGHT"),
    "views": (question_types, "OPINIONS"),
    "dates": (question_types, "DATE_NOUNS"),
    # Round 19's (docs/answers.md, seedq19)
    "frames": (question_types, "FRAME_NOUNS"),
    "shortcodes": (question_types, "SHORTCODES"),
    "phrasal": (phrasal, "PHRASAL"),
    # Round 20's (docs/answers.md, seedq20)
    "common": (spelling, "COMMON"),
    "datephrases": (question_types, "DATE_PHRASES"),
    # Round 21's (docs/answers.md, seedq21)
    "compounds": (compounds, "COMPOUNDS"),
    # Round 22's (docs/answers.md, seedq22)
    "links": (question_types, "LINKS"),
    # Round 22's branch (s22-seedq22), taken up in round 23 (docs/answers.md, seedq23)
    "numwords": (numwords, "NUMWORDS"),
    # Round 24's (docs/answers.md, seedq24)
    "stemtypos": (spelling, "STEM_TYPOS"),
    # Round 25's (docs/answers.md, seedq25)
    "british": (british, "BRITISH"),
    # Round 26's (docs/answers.md, short26)
    "chatforms": (chatforms, "CHATFORMS"),
    # Round 27's (docs/answers.md, seedq27): "why'd" read "why did"
    "contracted": (chatforms, "CONTRACTED"),
}
# The blind parts tuned on, in the order they were written (`SEED_OTHERS`), and since when; the
# last part of `SEED_OTHERS` is held out: only its totals are printed.
PARTS = (
    ("a", "tuned"),
    ("b", "tuned since round 18"),
    ("c", "tuned since round 19"),
    ("d", "tuned since round 20"),
    ("e", "tuned since round 21"),
    ("f", "tuned since round 22"),
    ("g", "tuned since round 23"),
    ("h", "tuned since round 24"),
    ("i", "tuned since round 25"),
    ("j", "tuned since round 26"),
    ("k", "tuned since round 27"),
    ("l", "tuned since round 28"),
)
HELD_OUT = "M"
# Measured and left off (`--on NAME`): round 20's "who is behind" (docs/answers.md, seedq20).
LEFT_OFF: dict[str, tuple[Any, str]] = {"behind": (question_types, "BEHIND")}


def report(r: dict[str, Any], verbose: bool = False, what: str = "seed questions", misses: bool = True) -> None:
    """Print the misses (every question with `verbose`; none without `misses`) and the shares."""
    for question, _expected, ok, _answered, abstained, top in r["results"]:
        if misses and (verbose or not ok):
            mark = "ok " if ok else "BAD"
            print(f"{mark} {question!r} abstained={abstained} top={top[:80]!r}")
    a, u, t = r["n"]
    print(
        f"{what}: right sentence first {100 * r['first']:.1f}% of {a} "
        f"(and not abstaining {100 * r['answered']:.1f}%); "
        f"abstained on {100 * r['abstained_unanswerable']:.1f}% of {u} unanswerable off the "
        f"articles' topics and {100 * r['abstained_topical']:.1f}% of {t} on them"
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-v", action="store_true", help="print every question of the parts shown")
    ap.add_argument(
        "--misses", default=",".join(["own", *(name for name, _ in PARTS)]), help="parts whose questions are printed"
    )
    ap.add_argument("--off", action="append", default=[], choices=sorted(SWITCHES), help="a round-18 to 23 fix off")
    ap.add_argument("--on", action="append", default=[], choices=sorted(LEFT_OFF), help="a measured idea on")
    args = ap.parse_args(argv)
    for name in args.off:
        module, attribute = SWITCHES[name]
        setattr(module, attribute, False)
    for name in args.on:
        module, attribute = LEFT_OFF[name]
        setattr(module, attribute, True)
    shown = set(args.misses.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Corpus.open(ROOT / "seeds", Path(tmp) / "index")
        own = evaluate(corpus, seed_rows())
        parts = [evaluate(corpus, seed_rows(path)) for path in SEED_OTHERS]
    report(own, args.v, "seed questions (ours)", "own" in shown)
    names: list[str] = []
    tuned: list[Any] = []
    for (name, status), part in zip(PARTS, parts[:-1], strict=True):
        report(part, args.v, f"others' seed questions, {name.upper()} ({status})", name in shown)
        names.append(name.upper())
        tuned += part["results"]
        if len(names) > 1:
            report(summary({"results": tuned}), what=f"others' seed questions, {'+'.join(names)}", misses=False)
    report(parts[-1], what=f"others' seed questions, {HELD_OUT} (held out)", misses=False)


if __name__ == "__main__":
    main()
