"""Round 26 (qa26): a news desk's day on the command line."""

from __future__ import annotations

import json


def test_the_last_month_of_the_calendar_is_a_date_to_end_on(run):
    """`--to 9999-12` (a script's "no end") was "not a real date": the month's last day was
    found from the next month's first, in the year 10000. `--to 9999` and `--to 9999-12-31`
    were taken."""
    _, whole, _ = run("timeline", "--to", "9999")
    code, out, err = run("timeline", "--to", "9999-12")
    assert code == 0 and not err and out == whole and "“" in out, err


def test_a_batch_of_files_joined_with_their_byte_order_marks_is_read_line_by_line(run, tmp_path):
    """`cat monday.txt tuesday.txt > week.txt` of files Notepad saved (UTF-8 with a byte order
    mark) puts a mark at the start of later lines. Only the first line's was dropped: a line of
    a mark alone (an empty file) was a question "too short" (exit 2), and a JSON line after a
    mark was not read as JSON: its text was asked as a question and its conversation lost."""
    mark = "\ufeff"
    batch = tmp_path / "week.txt"
    batch.write_text(
        f'{mark}{{"question": "Who banned Claude Code?", "conversation": "desk"}}\n'
        f"{mark}\n"
        f'{mark}{{"question": "when?", "conversation": "desk"}}\n'
        f"{mark}When does the ban take effect?\n",
        encoding="utf-8",
    )
    code, out, err = run("ask", "--batch", str(batch), "--json", "--k", "1")
    assert code == 0 and not err, (out, err)
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["question"] for r in records] == ["Who banned Claude Code?", "when?", "When does the ban take effect?"]
    assert [r.get("conversation") for r in records] == ["desk", "desk", None]
    assert not records[1]["abstained"] and records[1]["story"] is not None  # read in the first one's story
