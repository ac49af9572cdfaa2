"""Punkt's compiled candidate loop (`index/ingest/_punkt.c`) gives nltk's own spans, as the Python
loop it replaces does (`RememberingPunkt._python_spans`, the path where no compiler is found)."""

from __future__ import annotations

import json
import shutil
import sysconfig
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.ingest import punkt
from index.ingest.sentences import default_splitter, train_splitter
from tests.index.ingest.test_sentences import _TRICKY
from tests.question_sets import MEANTIME, ROOT, meantime_records

SQUAD = ROOT.parent / "shared" / "data" / "squad-dev-even.json"
compiled = pytest.mark.skipif(punkt._compiled is None, reason="no compiled loop (no C compiler): the Python loop runs")


def _texts() -> list[str]:
    """The shipped seeds, SQuAD dev's paragraphs and MEANTIME's articles (those present), line by line."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    if SQUAD.exists():
        squad = json.loads(SQUAD.read_text(encoding="utf-8"))
        texts += [p["context"] for a in squad["data"] for p in a["paragraphs"]]
    if MEANTIME.exists():
        texts += [r["text"] for r in meantime_records()]
    return [line for text in texts for line in text.split("\n")]


def _nltk(splitter: punkt.RememberingPunkt):  # nltk's own tokenizer, same parameters
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    return PunktSentenceTokenizer(splitter._params)


def test_a_machine_with_a_c_compiler_builds_the_splitter_loop():
    """`pip install -e .` (make install, make test) builds it wherever the compiler Python was built with is found."""
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        pytest.skip(f"no C compiler ({compiler}): the Python loop runs")
    assert punkt._compiled is not None
    assert default_splitter()._compiled_spans is punkt._compiled.spans  # nltk's patterns read its classes


@compiled
@pytest.mark.skipif(not (SQUAD.exists() or MEANTIME.exists()), reason="../shared/data is not beside the project")
def test_compiled_and_python_loops_give_nltks_spans_on_news_text():
    lines = _texts()
    splitter = train_splitter(lines)
    plain = _nltk(splitter)
    assert len(lines) > 100 and splitter._compiled_spans is not None
    for line in lines + _TRICKY:
        expected = list(plain.span_tokenize(line))
        assert splitter.spans(line) == expected, line
        assert splitter._python_spans(line) == expected, line


_PARTS = [
    "a", "Dr", "U.S", "Mr", "p.m", "5", ".", "!", "?", "...", " ", "  ", "\t", "\n", "\r", "\x0b", "\x0c",
    '"', "'", ")", "]", "}", "(", ":", "*", "--", "-", "\x00", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\xa0",
    "\u2003", "\u2028", "\u3000", "\u201d", "\u2019", "\xbb", "\xab", "\ud800", "\U0001f600", "\U00010400",
    " a. ", "\t.",
]  # fmt: skip


@compiled
@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PARTS), max_size=40))
def test_compiled_loop_gives_nltks_spans_on_hostile_text(parts):
    """Runs of marks, quotes and closers, NULs, U+001C-U+001F (whitespace to `re`, not to `regex`),
    every kind of whitespace, lone surrogates, astral characters (each of `str`'s three widths), empty text."""
    text = "".join(parts)
    expected = list(_HOSTILE_NLTK.span_tokenize(text))
    assert _HOSTILE.spans(text) == expected
    assert _HOSTILE._python_spans(text) == expected
    # and the same contexts decided (each context's word, mark and after token, as nltk joins them)
    asked: list[list[str]] = [[], []]
    for path, contexts in zip((_HOSTILE.spans, _HOSTILE._python_spans), asked, strict=True):
        splitter = train_splitter([])
        splitter._compiled_spans = _HOSTILE._compiled_spans
        splitter.text_contains_sentbreak = contexts.append  # type: ignore[assignment]  # None: no break
        path.__func__(splitter, text)
    assert asked[0] == asked[1]


_HOSTILE = train_splitter(["Mr. Smith went. Dr. Jones came. The U.S. Army left at 5 p.m. today. A. B. Cole won."])
_HOSTILE_NLTK = _nltk(_HOSTILE)


def _every_break(context: str) -> bool:
    return True


@compiled
def test_compiled_loop_reads_every_character_as_nltks_patterns_do():
    """Every candidate a break (decisions aside), each character set in a mark's lookahead, a
    whitespace run, a token, a word before a mark and a realigned closer: the compiled loop's
    spans are the Python loop's (nltk's patterns). Every code point nltk's classes or `\\s` could
    hold (below U+3100, whitespace, punctuation, format and control) and every 61st other one."""
    splitter = default_splitter()
    splitter.text_contains_sentbreak = _every_break  # type: ignore[method-assign]
    codes = [
        c
        for c in range(0x110000)
        if c < 0x3100 or c % 61 == 0 or chr(c).isspace() or unicodedata.category(chr(c))[0] in "PZ" or
        unicodedata.category(chr(c)) in ("Cc", "Cf")
    ]  # fmt: skip
    assert 0x1C in codes and 0x3000 in codes and 0x10FFFF - 0x10FFFF % 61 in codes
    for at in range(0, len(codes), 400):
        text = "".join(f"a.{c}b c. {c}d.{c} e{c}. f.){c}g. ]{c}--h. '{c}" for c in map(chr, codes[at : at + 400]))
        assert punkt._compiled.spans(text, {}, _every_break) == splitter._python_spans(text), hex(codes[at])


@compiled
def test_the_compiled_loop_decides_a_context_only_when_it_is_not_remembered():
    asked: list[str] = []

    def decide(context: str) -> bool:
        asked.append(context)
        return context != "Mr. Smith"

    text = "He left. Mr. Smith came. He left. Then rain."
    assert punkt._compiled.spans(text, {"came. He": False}, decide) == [(0, 8), (9, 33), (34, 44)]
    assert asked == ["left. Mr.", "Mr. Smith", "left. Then"]  # "came. He" remembered; "rain." ends the text


@compiled
def test_the_compiled_loop_reads_hostile_text_in_linear_work():
    """Characters read (the loop's own count, `_punkt.work`) stay within a small multiple of the
    text's length on runs that would make a backtracking or rescanning loop quadratic."""
    n = 20_000
    texts = [
        "!" * n,
        ". " * (n // 2),
        '"' * n + " x",
        "a." + " " * n,
        "a. " + ")" * n + "b",
        "a.--" * (n // 4),
        "a." + "b" * n + ". c",
        ("x" * 50 + ". ") * (n // 52),
        "a. " + "\u201d" * n + " b. " + ")" * n,
        ".\x1c" * (n // 2),
        "a" * n + "." + " " * n + "b" * n,
    ]
    splitter = default_splitter()
    punkt._compiled.work()
    for text in texts:
        spans = splitter.spans(text)
        assert all(0 <= s <= e <= len(text) for s, e in spans)
        assert punkt._compiled.work() <= 8 * len(text) + 100, text[:20]


def test_without_the_compiled_loop_the_python_loop_splits(monkeypatch):
    """No compiler (`_compiled` None), or language variables whose classes are not the compiled
    loop's: the Python loop, with nltk's spans."""
    from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters

    monkeypatch.setattr(punkt, "_compiled", None)
    splitter = default_splitter()
    assert splitter._compiled_spans is None
    text = 'Mr. Smith went. "Yes." he said; fine! Then (ok.) next'
    assert splitter.spans(text) == list(_nltk(splitter).span_tokenize(text))
    monkeypatch.undo()
    if punkt._compiled is None:
        return

    class Semicolons(PunktLanguageVars):  # type: ignore[misc]
        sent_end_chars = (".", "?", "!", ";")

    other = punkt.RememberingPunkt(PunktParameters())
    other._lang_vars = Semicolons()
    assert not punkt._compiled_classes_hold(other)


_LINES = [
    "Mr. Smith went.", " ", "\t", "\n", "\n\n", ". ", "! ", "\x1c. ", "\u3000", '"Yes." ', ") ", "By Jo Roe\n",
    "# Head\n", "READ: More (June 2, 2020)\n", "Then rain. ", "U.S. ", "\xa0", "a.\x1f b", "É. ",
]  # fmt: skip


@compiled
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_LINES), max_size=30).map("".join))
def test_sentence_rows_by_line_rows_are_those_of_the_sentence_loop(body):
    """`sentence_rows` takes a line's rows from `RememberingPunkt.line_rows` (compiled, or its
    Python fallback): the rows of its own loop over nltk's spans (a splitter without `line_rows`),
    blank sentences dropped and paragraphs numbered the same."""
    from index.ingest.sentences import sentence_rows

    expected = sentence_rows(body, _HOSTILE_NLTK)
    assert sentence_rows(body, _HOSTILE) == expected
    python = train_splitter([])
    python._params = _HOSTILE._params
    python._compiled_spans = None
    assert sentence_rows(body, python) == expected
