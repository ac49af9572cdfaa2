"""News questions on 120 Wikinews articles: `python -m bench.news_questions [PATH] [-v]`.

A second, independent check of answer quality on news, beside the seed article's questions
(`bench.seed_questions`) and SQuAD's Wikipedia questions (`bench.squad`). PATH is NewsReader
MEANTIME's `meantime_en.jsonl` (default `../shared/data/meantime/meantime_en.jsonl`): all 120
articles (Airbus, Apple, GM, stock market) form one corpus; an article's first line is its
title, the dateline is dropped and every other line is a paragraph.

The questions are tests/data/news_questions.tsv (article id, question, a substring of the
expected first sentence, or `?` for a question on the articles' topics that none of them
answers): 120 of set A, then 120 of set B, each written blind to Verbatim by a helper that
never read its code or ran it, in Discord style. Misses (`-v`: every question) are printed for
set A only; set B gives figures. They are scored by the seed questions' rule
(`tests/question_sets.py`, shared with the tests): right when the first passage holds the
expected text, or when Verbatim abstains on a `?` question.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.question_sets import MEANTIME, evaluate, meantime_corpus, news_rows, summary

from .seed_questions import report

SET_A = 120  # the first 120 rows are set A (tuned on), the rest set B (confirms only)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    path = Path(args[0]) if args else MEANTIME
    rows = [(q, e) for _, q, e in news_rows()]
    with tempfile.TemporaryDirectory() as tmp:
        r = evaluate(meantime_corpus(Path(tmp), path), rows)
    # Misses are printed for set A only: set B's questions stay unread while choosing.
    report(summary({"results": r["results"][:SET_A]}), verbose="-v" in sys.argv, what="news questions, set A")
    report(r, what="news questions, all", misses=False)
    for name, part in (("A", slice(0, SET_A)), ("B", slice(SET_A, None))):
        s = summary({**r, "results": r["results"][part]})
        print(
            f"  set {name}: right first {100 * s['first']:.1f}% of {s['n'][0]}, right and answered "
            f"{100 * s['answered']:.1f}%, on-topic unanswerable abstained {100 * s['abstained_topical']:.1f}% of {s['n'][2]}"
        )


if __name__ == "__main__":
    main()
