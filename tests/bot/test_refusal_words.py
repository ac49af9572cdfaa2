"""Why `Corpus.add_files` refused a file, as both front ends say it: the CLI's `NAME: refused,
REASON` (`refused_file`) and Discord's `Could not add NAME: REASON` (`refusal_reason`) name the
file first, so a reason never starts with it again; a file of the same name elsewhere is told
apart from the one refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.change_wording import refusal_reason, refused_file
from index.corpus import Corpus

PORT = b"---\ntitle: Port\n---\nThe port reopened on Monday after the storm.\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "port.md").write_bytes(PORT)
    return Corpus.open(seeds, tmp_path / "index")


def said(corpus: Corpus, files: list[tuple[str, bytes]], **options: object) -> tuple[str, str]:
    change = corpus.add_files(files, **options)  # type: ignore[arg-type]
    assert len(change.refused) == 1, change
    return refused_file(*change.refused[0]), refusal_reason(*change.refused[0])


def test_an_id_already_indexed_names_the_file_once_and_where_the_id_is(corpus):
    """Was `port.md: refused, port.md has articles whose ids are already used: 'port' (in
    port.md)`: the second name was the file refused, the third the one in the articles folder."""
    line, reason = said(corpus, [("port.md", PORT.replace(b"Monday", b"Tuesday"))])
    assert line == (
        "port.md: refused, its ids are already used in the articles folder: 'port' (in port.md). "
        "Nothing of it was added"
    ), line
    assert reason.startswith("its ids are already used"), reason


def test_a_replace_clash_with_a_file_of_the_same_name_says_it_is_another_file(corpus):
    """Was `port.md: refused, port.md of this ingest also holds 'port'`: the earlier file of the
    same name (`desk/port.md` and `wire/port.md`) read as the file refused itself."""
    wire = PORT.replace(b"Monday", b"Tuesday")
    line, reason = said(corpus, [("port.md", PORT), ("port.md", wire)], replace=True)
    assert line == (
        "port.md: refused, an earlier file of this ingest, of the same name, also holds 'port': "
        "give one version of an article"
    ), line
    assert not reason.startswith("port.md"), reason


def test_a_replace_clash_with_another_file_names_it(corpus):
    first = b"---\nid: pier\n---\nThe pier reopened on Monday after the storm.\n"
    second = b"---\nid: pier\n---\nThe pier closed again on Tuesday after the storm.\n"
    line, _ = said(corpus, [("a.md", first), ("b.md", second)], replace=True)
    assert line == "b.md: refused, a.md, earlier in this ingest, also holds 'pier': give one version of an article"


@pytest.mark.parametrize(
    ("name", "data", "options", "expected"),
    [
        ("big.md", PORT, {"max_bytes": 10}, f"big.md: refused, it is {len(PORT)} bytes; the limit is 10"),
        ("blank.jsonl", b"\n\n", {}, "blank.jsonl: refused, it holds no article"),
    ],
)
def test_a_file_refused_whole_is_named_once(corpus, name, data, options, expected):
    """Was `big.md: refused, big.md is 58 bytes; …` (Discord: `Could not add big.md: big.md is …`)."""
    line, reason = said(corpus, [(name, data)], **options)
    assert line == expected and not reason.startswith(name), (line, reason)
