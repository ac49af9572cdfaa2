"""News questions on 120 Wikinews articles: `python -m bench.news_questions [PATH] [-v]`.

A second, independent check of answer quality on news, beside the seed article's questions
(`bench.seed_questions`) and SQuAD's Wikipedia questions (`bench.squad`). PATH is NewsReader
MEANTIME's `meantime_en.jsonl` (default `../shared/data/meantime/meantime_en.jsonl`): all 120
articles (Airbus, Apple, GM, stock market) form one corpus; an article's first line is its
title, the dateline is dropped and every other line is a paragraph.

The questions are tests/data/news_questions.tsv (article id, question, a substring of the
expected first sentence, or `?` for a question on the articles' topics that none of them
answers): 120 of set A, then 120 of set B, each written blind to Verbatim by a helper that
never read its code or ran it, in Discord style. They are scored by bench.seed_questions's
rule: right when the first passage holds the expected text, or when Verbatim abstains on a
`?` question.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from index.corpus import Corpus

from . import seed_questions

ROOT = Path(__file__).resolve().parent.parent
SET_A = 120  # the first 120 rows are set A (tuned on), the rest set B (confirms only)
DEFAULT = ROOT.parent / "shared" / "data" / "meantime" / "meantime_en.jsonl"
TSV = ROOT / "tests" / "data" / "news_questions.tsv"


def records(path: Path) -> list[dict]:
    """Verbatim JSONL records of the MEANTIME articles: title line apart, dateline dropped,
    one paragraph a line."""
    out = []
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            continue
        doc = json.loads(raw)
        text = doc["text"]
        title, _, rest = text.partition("\n")
        start, end = doc.get("dct_span") or (0, 0)
        lines, offset = [], len(title) + 1
        for line in rest.split("\n"):
            inside_dateline = start <= offset and offset + len(line) <= end
            if line.strip() and not inside_dateline:
                lines.append(line.strip())
            offset += len(line) + 1
        out.append(
            {
                "id": doc["doc_id"],
                "title": title.strip(),
                "text": "\n\n".join(lines),
                "date": doc.get("dct"),
                "url": doc.get("url"),
            }
        )
    return out


def load(path: Path = TSV) -> list[tuple[str, str, str]]:
    """(article id, question, expectation) rows."""
    return seed_questions.tsv_rows(path, 3)


def corpus_of(path: Path, workdir: Path) -> Corpus:
    seeds = workdir / "seeds"
    seeds.mkdir()
    with (seeds / "meantime.jsonl").open("w", encoding="utf-8") as fh:
        for record in records(path):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return Corpus.open(seeds, workdir / "index")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    path = Path(args[0]) if args else DEFAULT
    rows = [(q, e) for _, q, e in load()]
    with tempfile.TemporaryDirectory() as tmp:
        r = seed_questions.evaluate(corpus_of(path, Path(tmp)), rows)
    seed_questions.report(r, verbose="-v" in sys.argv, what="news questions")
    for name, part in (("A", slice(0, SET_A)), ("B", slice(SET_A, None))):
        s = seed_questions.summary({**r, "results": r["results"][part]})
        print(
            f"  set {name}: right first {100 * s['first']:.1f}% of {s['n'][0]}, right and answered "
            f"{100 * s['answered']:.1f}%, on-topic unanswerable abstained {100 * s['abstained_topical']:.1f}% of {s['n'][2]}"
        )


if __name__ == "__main__":
    main()
