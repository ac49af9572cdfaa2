"""The build's compiled sentence chunking (`index/search/_chunks.c`) gives `_process` the same
result as its Python loop (the path where no compiler is found)."""

from __future__ import annotations

import shutil
import sysconfig

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.ingest.sentences import default_splitter
from index.search import build, tokens

compiled = pytest.mark.skipif(build._compiled_chunk_ids is None, reason="no compiled chunking (no C compiler)")


def test_a_machine_with_a_c_compiler_builds_the_chunking():
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        pytest.skip(f"no C compiler ({compiler}): the Python loop runs")
    assert build._compiled_chunk_ids is not None


_WORDS = [
    "The", "said", "U.S.", "Mr.", "a`b", "`", "don't", "É", "café", "ﬁle", "½", "(1990)", "3,000",
    "\U0001f600", "\U00010400x", "\x00", ".", "!", "?", '"', ")", "--",
    " ", "  ", "\t", "\n", "\n\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\xa0",
    "\u2003", "\u2028", "\u3000", "\u00a8", "By Jo Roe\n", "# Head\n", "READ: More (June 2, 2020)\n",
]  # fmt: skip


def _result(chunk, max_chunks, monkeypatch, chunk_ids):
    monkeypatch.setattr(build, "_compiled_chunk_ids", chunk_ids)
    monkeypatch.setattr(build, "_TABLE", tokens.TermTable(max_chunks))
    out = []
    for batch in (chunk, chunk[::-1]):  # a second batch reuses (or resets) the table
        rows, local, postings, lengths, packed = build._process(batch)
        out.append(
            (
                rows.tobytes(),
                local,
                [np.asarray(a).tobytes() for a in (postings.counts, postings.sentences, postings.tf)],
                lengths.tobytes(),
                packed,
            )
        )
    return out


@compiled
@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(_WORDS), max_size=30).map("".join), min_size=1, max_size=5),
    st.integers(min_value=0, max_value=8),
)
def test_the_compiled_chunking_gives_the_python_loops_batch(bodies, max_chunks):
    """Rows, local terms, postings, lengths and packed bodies equal the Python loop's: ASCII and
    non-ASCII bodies, backticks in ASCII and non-ASCII sentences of both, every kind of
    whitespace (U+001C-U+001F split by `str.split`), NFKC's whitespace makers,
    astral characters, empty bodies and sentences, the table reset between batches."""
    build._init_worker(_SPLITTER)
    chunk = list(enumerate(bodies))
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast = _result(chunk, max_chunks, monkeypatch, build._compiled_chunk_ids)
    with pytest.MonkeyPatch.context() as monkeypatch:
        slow = _result(chunk, max_chunks, monkeypatch, None)
    assert fast == slow


_SPLITTER = default_splitter()


@compiled
def test_chunk_ids_reads_each_sentence_as_split_and_raw_chunks_do():
    assert build._compiled_chunk_ids is not None
    first, second = "Ab `c d`\x1ce f.", "a`b É`x\u3000y"  # an ASCII sentence and a non-ASCII one
    text = f"{first} {second}"
    rows = [(0, len(first), 1, False, None), (len(first) + 1, len(text), 1, False, None), (3, 3, 1, False, None)]
    table = {"Ab": 7, "e": 8}
    ids, counts, missing = build._compiled_chunk_ids(text, rows, table, True)
    chunks = [tokens.raw_chunks(text[s:e]) for s, e, *_ in rows]
    assert chunks == [["Ab", "`c", "d`", "e", "f."], ["a'b", "É'x", "y"], []]
    assert np.frombuffer(counts, dtype=np.int64).tolist() == [5, 3, 0]
    assert np.frombuffer(ids, dtype=np.int64).tolist() == [7, -1, -1, 8, -1, -1, -1, -1]
    assert missing == [(1, "`c"), (2, "d`"), (4, "f."), (5, "a'b"), (6, "É'x"), (7, "y")]
    _, _, ascii_missing = build._compiled_chunk_ids(text, rows[1:2], {}, False)  # an ASCII body's: split()
    assert [c for _, c in ascii_missing] == second.split()
    with pytest.raises(ValueError):
        build._compiled_chunk_ids(text, [(5, len(text) + 1)], table, True)


@compiled
def test_chunk_ids_remembers_a_tables_chunks_only_while_it_is_the_table_given():
    """Chunks found are remembered in C (no string made the next time), for that table only: a
    new table (`TermTable.reset`) or one that lost entries is read afresh."""
    assert build._compiled_chunk_ids is not None
    text = "x y`z x é y`z"
    rows = [(0, 5, 1, False, None), (6, len(text), 1, False, None)]

    def ids(table: dict[str, int]) -> list[int]:
        return np.frombuffer(build._compiled_chunk_ids(text, rows, table, True)[0], dtype=np.int64).tolist()

    first = {"x": 1, "y`z": 2, "y'z": 3, "é": 4}
    assert ids(first) == [1, 2, 1, 4, 3]  # the ASCII sentence keeps its backtick, the other reads '
    assert ids(first) == [1, 2, 1, 4, 3]  # now from the memo
    assert ids({"x": 5, "y'z": 6}) == [5, -1, 5, -1, 6]
    shrunk = {"x": 7, "y`z": 8, "é": 9}
    assert ids(shrunk) == [7, 8, 7, 9, -1]
    del shrunk["x"]
    assert ids(shrunk) == [-1, 8, -1, 9, -1]
    shrunk["x"] = 10  # added (as a TermTable adds): read from the table, then remembered
    assert ids(shrunk) == [10, 8, 10, 9, -1]
