"""The seed article asked as people type in Discord: `python -m bench.seed_questions [-v]`.

Reads tests/data/seed_questions.tsv (question, a substring of the expected first sentence;
an empty expectation means Verbatim must abstain on a question off the article's topic, `?`
one on its topic that it does not answer, "who is the ceo of alibaba") and indexes seeds/ in a
temporary folder. A question counts as right when the first passage holds the expected text
(for answerable questions; ` || ` separates acceptable alternatives) or when Verbatim abstains
(for the others). Also reports how many answerable questions were right *and* answered without
abstaining. The rows and the scoring are the tests' (`tests/question_sets.py`).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from index.corpus import Corpus
from tests.question_sets import ROOT, evaluate, seed_rows


def report(r: dict[str, Any], verbose: bool = False, what: str = "seed questions") -> None:
    """Print the misses (every question with `verbose`) and the shares."""
    for question, _expected, ok, _answered, abstained, top in r["results"]:
        if verbose or not ok:
            mark = "ok " if ok else "BAD"
            print(f"{mark} {question!r} abstained={abstained} top={top[:80]!r}")
    a, u, t = r["n"]
    print(
        f"{what}: right sentence first {100 * r['first']:.1f}% of {a} "
        f"(and not abstaining {100 * r['answered']:.1f}%); "
        f"abstained on {100 * r['abstained_unanswerable']:.1f}% of {u} unanswerable off the "
        f"articles' topics and {100 * r['abstained_topical']:.1f}% of {t} on them"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Corpus.open(ROOT / "seeds", Path(tmp) / "index")
        r = evaluate(corpus, seed_rows())
    report(r, verbose="-v" in sys.argv)


if __name__ == "__main__":
    main()
