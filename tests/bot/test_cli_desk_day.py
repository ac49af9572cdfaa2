"""Round 26 (qa26): a news desk's day on the command line."""

from __future__ import annotations


def test_the_last_month_of_the_calendar_is_a_date_to_end_on(run):
    """`--to 9999-12` (a script's "no end") was "not a real date": the month's last day was
    found from the next month's first, in the year 10000. `--to 9999` and `--to 9999-12-31`
    were taken."""
    _, whole, _ = run("timeline", "--to", "9999")
    code, out, err = run("timeline", "--to", "9999-12")
    assert code == 0 and not err and out == whole and "“" in out, err
