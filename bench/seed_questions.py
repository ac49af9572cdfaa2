"""The seed article asked as people type in Discord: `python -m bench.seed_questions`.

Reads tests/data/seed_questions.tsv (question, a substring of the expected first sentence;
an empty expectation means Verbatim must abstain on a question off the article's topic, `?`
one on its topic that it does not answer, "who is the ceo of alibaba") and indexes seeds/ in a
temporary folder. A question counts as right when the first passage holds the expected text
(for answerable questions; ` || ` separates acceptable alternatives) or when Verbatim abstains
(for the others). Also reports how many answerable questions were right *and* answered without
abstaining.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from index.corpus import Corpus

ROOT = Path(__file__).resolve().parent.parent
TSV = ROOT / "tests" / "data" / "seed_questions.tsv"
TOPICAL = "?"  # expectation of a question on the article's topic that it does not answer


def tsv_rows(path: Path, columns: int) -> list[tuple[str, ...]]:
    """The rows of a question file: `columns` tab-separated fields (missing ones empty),
    stripped; blank lines and `#` comments skipped."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            fields = line.split("\t", columns - 1) + [""] * columns
            rows.append(tuple(f.strip() for f in fields[:columns]))
    return rows


def load(path: Path = TSV) -> list[tuple[str, str]]:
    """(question, expectation) rows."""
    return tsv_rows(path, 2)


def evaluate(corpus: Corpus, rows: list[tuple[str, str]]) -> dict:
    results = []
    for question, expected in rows:
        a = corpus.answer(question, k=3)
        top = a.hits[0].passage.text if a.hits else ""
        if expected in ("", TOPICAL):
            ok = answered = a.abstained
        else:
            ok = any(option in top for option in expected.split(" || "))
            answered = ok and not a.abstained
        results.append((question, expected, ok, answered, a.abstained, top))
    return summary({"results": results})


def summary(r: dict) -> dict:
    """The shares of `r["results"]` (rows of `evaluate`), by group of question."""
    groups: dict[str, list[tuple]] = {"": [], TOPICAL: [], "answerable": []}
    for row in r["results"]:
        groups[row[1] if row[1] in ("", TOPICAL) else "answerable"].append(row)

    def share(group: str, column: int) -> float:
        return sum(row[column] for row in groups[group]) / max(len(groups[group]), 1)

    return {
        "results": r["results"],
        "first": share("answerable", 2),
        "answered": share("answerable", 3),
        "abstained_unanswerable": share("", 2),
        "abstained_topical": share(TOPICAL, 2),
        "n": (len(groups["answerable"]), len(groups[""]), len(groups[TOPICAL])),
    }


def report(r: dict, verbose: bool = False, what: str = "seed questions") -> None:
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
        r = evaluate(corpus, load())
    report(r, verbose="-v" in sys.argv)


if __name__ == "__main__":
    main()
