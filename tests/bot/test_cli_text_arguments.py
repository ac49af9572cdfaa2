"""Command-line arguments whose bytes are not UTF-8: Python hands them over surrogate-escaped
(`\\xe9` as U+DCE9), text no name, id, address or question can hold."""

from __future__ import annotations

import pytest

NOT_TEXT = "is not valid text (not UTF-8; check the terminal's encoding)"


@pytest.mark.parametrize(
    "args",
    [
        ("entity", "\udcff"),  # `entity $'\xff'`: was "is empty: give a name"
        ("entity", "caf\udce9"),  # a Latin-1 terminal's `café`: was "No entity named 'caf\udce9'"
        ("remove", "\udcff"),
        ("source", "a\udce9"),
        ("timeline", "--entity", "\udce9"),
        ("entities", "--type", "ORG\udcff"),
        ("follow", "http://example.com/\udce9"),
        ("ask", "who\udcff"),  # was "no words to search for", exit 0
        ("ask", "\udcff"),  # was "The question is too short"
    ],
)
def test_an_argument_that_is_not_utf8_is_told_so(run, capsys, args):
    with pytest.raises(SystemExit) as stopped:  # a usage error: argparse stops
        run(*args)
    out, err = capsys.readouterr()
    assert stopped.value.code == 2 and out == "" and NOT_TEXT in err and "is empty" not in err, err
    assert len(err.strip().splitlines()) == 1, err  # one line, as every usage error


def test_a_path_that_is_not_utf8_is_still_read(run, tmp_path):
    """A file's name may be any bytes (a Latin-1 `café.md`): a path is not refused, and the file
    is stored under a safe name."""
    raw = tmp_path / "caf\udce9.md"
    raw.write_bytes(b"---\ntitle: Pier\n---\nThe pier reopened on Monday after the storm.\n")
    code, out, err = run("ingest", str(raw))
    assert code == 0 and "added 1 article (caf)" in out, (out, err)
