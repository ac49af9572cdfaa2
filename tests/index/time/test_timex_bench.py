"""`python -m bench.timex --unique`: each half also scored without the sentences it shares with the
other half (round 23: AQUAINT's halves share re-run wire paragraphs, so a repeat looked like a
held-out gain). Run as a subprocess: tests never import a bench.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests import bench_run

SHARED = "The case of Elian is for today's youth what the blockade was for earlier generations."
OWN_A = "The judge ruled on Friday that the boy could stay with his relatives in Miami."
OWN_B = "The father flew to Washington on Thursday to meet the attorney general and officials."


def _half(doc_id: str, seed: int | None = None) -> str:
    """bench.timex.half_of: the first byte of sha1(doc_id) (with a seed, of sha1("seed:doc_id")) even -> A."""
    key = doc_id if seed is None else f"{seed}:{doc_id}"
    return "A" if hashlib.sha1(key.encode("utf-8")).digest()[0] % 2 == 0 else "B"


def _row(doc_id: str, sentences: list[str], timexes: list[tuple[str, str, str]]) -> dict:
    text = " ".join(sentences)
    gold = []
    for phrase, typ, value in timexes:
        start = text.index(phrase)
        gold.append({"start": start, "end": start + len(phrase), "text": phrase, "type": typ, "value": value})
    return {"doc_id": doc_id, "dct": "2000-01-07", "text": text, "timexes": gold}


def _scores(path: Path, *flags: str) -> dict[str, list[str]]:
    out = bench_run.output("timex", str(path), "--no-speed", *flags)
    return {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.split()}


def test_unique_parts_leave_the_sentences_both_halves_hold_out(tmp_path: Path) -> None:
    assert _half("doc3") == "A" and _half("doc1") == "B"
    rows = [
        _row("doc3", [OWN_A, SHARED], [("Friday", "DATE", "2000-01-07")]),
        # half B repeats half A's sentence, and its gold there is a date the tagger does not give
        _row("doc1", [OWN_B, SHARED], [("Thursday", "DATE", "2000-01-06"), ("today", "DATE", "2000-01-07")]),
    ]
    path = tmp_path / "set.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    parts = _scores(path, "--unique")
    # columns: gold, sys, strict P/R/F1, relaxed P/R/F1, value accuracy, value F1, type accuracy
    assert parts["A"][0] == "1" and parts["A-uniq"][0] == "1"
    assert parts["B"][0] == "2" and parts["B-uniq"][0] == "1"
    assert float(parts["B-uniq"][9]) == 100.0 and float(parts["B"][9]) < 100.0
    assert "B-uniq" not in _scores(path)


def test_a_seed_splits_the_documents_anew(tmp_path: Path) -> None:
    """Round 24: TimeBank's default halves were both read to write rules; `--seed` gives another
    split of the same documents, so a round tunes on one seeded half and holds the other out."""
    assert [_half(d) for d in ("doc2", "doc3", "doc5")] == ["B", "A", "B"]
    assert [_half(d, 24) for d in ("doc2", "doc3", "doc5")] == ["A", "B", "A"]
    rows = [
        _row("doc2", [OWN_A], [("Friday", "DATE", "2000-01-07")]),
        _row("doc3", [OWN_B], [("Thursday", "DATE", "2000-01-06")]),
        _row("doc5", [SHARED], [("today", "DATE", "2000-01-07")]),
    ]
    path = tmp_path / "set.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    default, seeded = _scores(path), _scores(path, "--seed", "24", "--unique")
    assert default["A"][0] == "1" and default["B"][0] == "2"
    assert seeded["A"][0] == "2" and seeded["B"][0] == "1"
    # the repeats are looked for across the seeded halves: doc2 and doc5 are both in A now
    assert seeded["A-uniq"][0] == "2" and seeded["B-uniq"][0] == "1"

    # --errors --half B lists only half B's articles: doc5's missed `today` is in seeded half A
    def errors(*flags: str) -> list[str]:
        out = bench_run.output("timex", str(path), "--no-speed", "--errors", "--half", "B", *flags)
        return [line for line in out.splitlines() if "MISS" in line or "DIFF" in line or "FP " in line]

    assert len(errors()) == 1 and errors("--seed", "24") == []


def test_classes_count_each_error_by_kind(tmp_path: Path) -> None:
    """Round 24: `--classes` sorts the errors of the halves it is given: a coming day for a past
    one (direction), a day named at another grain (granularity), one disjoint day on the same
    side of the anchor (anchoring), a right value with another extent (span), gold the tagger
    misses and tags gold does not have."""
    row = _row(
        "doc3",
        [
            "The vote will be held on Tuesday.",  # gold: last Tuesday
            "They rallied on Friday night.",  # gold: the day alone
            "The talks began on Wednesday.",  # gold: a week earlier
            "Earlier Friday, lawyers filed a petition.",
            "Officials are now in the city for the week.",
        ],
        [
            ("Tuesday", "DATE", "2000-01-04"),
            ("Friday night", "DATE", "2000-01-07"),
            ("Wednesday", "DATE", "1999-12-29"),
            ("Friday,", "DATE", "2000-01-07"),
            ("the week", "DATE", "2000-W01"),
        ],
    )
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    out = bench_run.output("timex", str(path), "--no-speed", "--classes")
    line = next(x for x in out.splitlines() if x.startswith("errors by class"))
    counts = dict(pair.rsplit(" ", 1) for pair in line.split(": ", 1)[1].split(", "))
    assert counts["direction"] == "1" and counts["granularity"] == "1" and counts["anchoring"] == "1"
    assert counts["span"] == "1" and counts["missed"] == "1" and counts["spurious"] == "1"
    assert counts["duration"] == counts["set"] == counts["ref"] == counts["other"] == "0"


def _audit_row(paths: list[Path], name: str, *flags: str) -> list[str]:
    out = bench_run.output("timex", "--audit", "--only", name, *map(str, paths), *flags)
    return next(line.split() for line in out.splitlines() if line.startswith(name + " "))


def test_the_audit_judges_a_later_rule_on_each_sets_seeded_half_b(tmp_path: Path) -> None:
    """Round 25: `--audit --seed N` splits every set by the seed and judges a later rule on half B
    of TimeBank and of AQUAINT apart; costing on both (and not paying on MEANTIME) marks it `drop?`.
    `now` adds a tag the gold does not have in doc3, half A by default and half B by seed 24."""
    assert _half("doc3") == "A" and _half("doc3", 24) == "B" and _half("doc2") == "B" and _half("doc2", 24) == "A"
    rows = [
        _row("doc3", ["Officials are now in the city."], []),
        _row("doc2", [OWN_A], [("Friday", "DATE", "2000-01-07")]),
    ]
    paths = [tmp_path / "tbaq_timebank.jsonl", tmp_path / "tbaq_aquaint.jsonl"]
    for path in paths:
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    # name, held out, verdict, pooled (3 cells), TB, AQ, MT, drop?, then one cell of 3 per part
    default, seeded = _audit_row(paths, "now"), _audit_row(paths, "now", "--seed", "24")
    assert default[6:10] == ["-", "neutral", "-", "-"]
    assert seeded[6:10] == ["costs", "costs", "-", "yes"]
    assert seeded[1] == "B+MT" and seeded[2] == "costs"


def test_the_audit_can_leave_out_the_sentences_both_halves_hold(tmp_path: Path) -> None:
    """Round 25: `--audit --unique` scores each half without the sentences it shares with the other
    (round 23's repeats): a rule that pays on half B only through a re-run sentence is neutral there."""
    rows = [
        _row("doc3", [OWN_A, SHARED], [("Friday", "DATE", "2000-01-07")]),
        _row("doc1", [OWN_B, SHARED], [("Thursday", "DATE", "2000-01-06")]),
    ]
    path = tmp_path / "tbaq_aquaint.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    # `today_era` (a later rule: held out on AQUAINT B) keeps `today's youth` untagged
    assert _audit_row([path], "today_era")[2] == "pays"
    assert _audit_row([path], "today_era", "--unique")[2] == "neutral"


def test_conventions_count_every_occurrence_of_a_shape_by_its_gold_form(tmp_path: Path) -> None:
    """Round 27: `--conventions` counts how the gold writes each phrase shape, errors or not: a
    weekday with a part of day as the day alone or with the part, and `daily` untagged, each
    beside what the tagger writes for the same occurrences; `--half` limits it to one half."""
    assert _half("doc3") == "A" and _half("doc1") == "B"
    rows = [
        _row(
            "doc3",
            [
                "Rebels attacked on Wednesday night.",
                "Troops left on Tuesday night.",
                "Police came on Monday morning.",
                "The daily Granma said so.",
            ],
            [
                ("Wednesday night", "DATE", "2000-01-05"),
                ("Tuesday night", "DATE", "2000-01-04"),
                ("Monday morning", "DATE", "2000-01-03TMO"),
            ],
        ),
        _row("doc1", ["Talks ended on Thursday night."], [("Thursday night", "DATE", "2000-01-06")]),
    ]
    path = tmp_path / "set.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")

    def lines(*flags: str) -> dict[tuple[str, str], str]:
        out = bench_run.output("timex", str(path), "--conventions", *flags)
        rows = [line.split(None, 2) for line in out.splitlines()[1:]]
        return {(name, rest.split("  | ")[0]): count for name, count, rest in rows}

    half_a = lines("--half", "A")
    assert half_a[("weekday_pod", "gold =DATE 9999-99-99")] == "2"
    assert half_a[("weekday_pod", "gold =DATE 9999-99-99TMO")] == "1"
    assert half_a[("daily", "gold untagged")] == "1"
    assert lines()[("weekday_pod", "gold =DATE 9999-99-99")] == "3"
