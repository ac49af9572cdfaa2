"""Punkt's sentence splitter with its per-word and per-context work remembered.

Punkt decides each candidate break (a `.`, `?` or `!`) from a short context: the word before,
the mark and the word after ("said. The", "U.S. President"). Each decision re-tokenises the
context into `PunktToken`s, whose type (a regular expression substitution) and ellipsis and
initial tests (regular expression matches, through nltk's time-limited `regex` wrapper) are
computed again for every occurrence of a word: most of a build's splitting time. Both depend
only on the text (and the trained parameters), so they are remembered, bounded: word types
repeat (news vocabulary is Zipfian), and some contexts do. Imported only where a splitter is
made: importing nltk is slow.

`span_tokenize` itself is nltk's three chained generators (candidate contexts, slices, the
realignment of closing quotes) run as one loop over a list, with nltk's own two patterns called
on the `regex` engine directly: the same spans (tested against nltk's own), without a generator
step and a Python wrapper call per candidate break. nltk's wrapper (`nltk.redos`) also gives
each call a time limit, which the engine pays about 6 microseconds a call to set up (a tenth of a
build's CPU at one call a line and one a sentence). Both patterns are linear, so the limit is
not kept: the context pattern is one mark and a lookahead over the next whitespace run and token
(each token is read by at most the one candidate before its whitespace); the realignment
pattern, anchored at a sentence's start, is a run of closing marks, then whitespace, `--` or the
end (tested: runs of 20,000 marks, quotes and spaces split in about linear time).

Where a C compiler was found at install, that loop (the candidates, each word's start, the
context looked up in the memo, the realignment) runs compiled (`_punkt.c`, about 4 x faster on
news lines): the same spans, nltk's decision still called in Python for a context not yet
remembered. Without it, or for language variables whose classes are not the compiled ones, the
Python loop runs (`_python_spans`); both are tested against nltk's own.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from types import ModuleType

import regex

from index.ingest.nltk_punkt import punkt as _nltk_punkt

_nltk_punkt()  # nltk's Punkt without the rest of nltk (index.ingest.nltk_punkt), before the import below
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer, PunktToken, PunktTrainer  # noqa: E402

__all__ = ["CONTEXTS_MAX", "WORDS_MAX", "RememberingPunkt", "parameters", "trainer", "untrained"]

CONTEXTS_MAX = 200_000  # remembered break decisions per process (about 20 MB); then it starts again
WORDS_MAX = 500_000  # remembered word shapes per process (about 60 MB); then it starts again

_SHAPES: dict[str, tuple[str, bool, bool]] = {}  # word -> (Punkt type, is ellipsis, is initial)

# The compiled candidate loop (`index/ingest/_punkt.c`, built at install where a C compiler is
# found); without it, `RememberingPunkt._slices` and `spans`' Python loop give the same spans.
_compiled: ModuleType | None
try:
    from index.ingest import _punkt

    _compiled = _punkt
except ImportError:  # pragma: no cover - an install without a C compiler
    _compiled = None


def _shape(tok: str) -> tuple[str, bool, bool]:
    shape = _SHAPES.get(tok)
    if shape is None:
        if len(_SHAPES) >= WORDS_MAX:
            _SHAPES.clear()
        token = PunktToken(tok)
        shape = _SHAPES[tok] = (token.type, bool(token.is_ellipsis), bool(token.is_initial))
    return shape


class _Token(PunktToken):  # type: ignore[misc]
    """A `PunktToken` whose type and ellipsis/initial tests are looked up per word. The tests are
    read only as truth values by the splitter, so they are kept as booleans.
    """

    __slots__ = ()

    def _get_type(self, tok: str) -> str:
        return _shape(tok)[0]

    @property
    def is_ellipsis(self) -> bool:
        return _shape(self.tok)[1]

    @property
    def is_initial(self) -> bool:
        return _shape(self.tok)[2]


def trainer() -> PunktTrainer:
    """The Punkt trainer of nltk on the same remembered word shapes (it learns the same parameters)."""
    return PunktTrainer(token_cls=_Token)


def parameters() -> PunktParameters:
    """Empty Punkt parameters (a saved splitter's are read into them: `sentences.load_splitter`)."""
    return PunktParameters()


def untrained(abbreviations: set[str]) -> RememberingPunkt:
    """A splitter that knows only these abbreviations (no training)."""
    params = PunktParameters()
    params.abbrev_types.update(abbreviations)
    return RememberingPunkt(params)


class RememberingPunkt(PunktSentenceTokenizer):  # type: ignore[misc]
    """`PunktSentenceTokenizer` with `_Token`s and `text_contains_sentbreak` memoised per context text."""

    def __init__(self, params: PunktParameters) -> None:
        super().__init__(params, token_cls=_Token)
        self._breaks: dict[str, bool] = {}
        contexts, realign = self._lang_vars.period_context_re(), self._lang_vars.re_boundary_realignment
        self._contexts = regex.compile(contexts.pattern, contexts.flags)
        # The same pattern on the standard engine, which finds the candidates in about half the
        # time: the pattern is marks, a class of literal marks, `\s` and `\S`, and the engines'
        # `\s` differ only on U+001C-U+001F (whitespace to `re`, not to `regex`: tested over
        # every code point), so a text holding none of those is read by `re`.
        self._contexts_re = re.compile(contexts.pattern, re.VERBOSE | re.UNICODE)
        self._realign = regex.compile(realign.pattern, realign.flags)
        # The word pattern nltk's own decision reads a context with, without the time limit too
        # (a third of a first-seen context's decision): its lookaheads scan at most a run of
        # marks after a word, and a context is a word, a mark and the next token.
        words = self._lang_vars._word_tokenizer_re()
        self._lang_vars._re_word_tokenizer = regex.compile(words.pattern, words.flags)
        self._compiled_spans = _compiled.spans if _compiled is not None and _compiled_classes_hold(self) else None

    def span_tokenize(self, text: str, realign_boundaries: bool = True) -> Iterator[tuple[int, int]]:
        """The spans of nltk's `PunktSentenceTokenizer.span_tokenize`, computed by `spans`."""
        if not realign_boundaries:
            return iter(super().span_tokenize(text, False))
        return iter(self.spans(text))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each sentence of `text`, as nltk's `span_tokenize` finds them: by the
        compiled loop where it is built and reads this splitter's patterns (`_compiled_spans`).
        """
        if self._compiled_spans is not None:
            spans: list[tuple[int, int]] = self._compiled_spans(text, self._breaks, self.text_contains_sentbreak)
            return spans
        return self._python_spans(text)

    def line_rows(self, text: str, offset: int, paragraph: int) -> list[tuple[int, int, int, bool, None]]:
        """`sentences.sentence_rows`' rows of a line's sentences that are not blank: (start +
        offset, end + offset, paragraph, False, None), in the compiled call where it is built.
        """
        if self._compiled_spans is not None:
            rows: list[tuple[int, int, int, bool, None]] = self._compiled_spans(
                text, self._breaks, self.text_contains_sentbreak, offset, paragraph
            )
            return rows
        return [
            (offset + s, offset + e, paragraph, False, None)
            for s, e in self._python_spans(text)
            if text[s:e] and not text[s:e].isspace()
        ]

    def _python_spans(self, text: str) -> list[tuple[int, int]]:
        """`spans` in Python, over `_slices`."""
        slices = self._slices(text)
        realign_at = self._realign.match
        out: list[tuple[int, int]] = []
        realign = 0
        last = len(slices) - 1
        for i, (start, stop) in enumerate(slices):  # nltk's _realign_boundaries over _pair_iter
            start += realign
            if i == last:
                if stop > start:  # `if text[sentence1]`: start and stop lie within the text
                    out.append((start, stop))
                continue
            next_start, next_stop = slices[i + 1]
            # nltk matches the next slice's text; `pos`/`endpos` read the same characters uncopied.
            # Most slices start with a word: no closing mark, no match (`_realign` starts with one).
            found = None if text[next_start : next_start + 1].isalnum() else realign_at(text, next_start, next_stop)
            if found:
                out.append((start, next_start + len(found.group(0).rstrip())))
                realign = found.end() - next_start
            else:
                realign = 0
                if stop > start:
                    out.append((start, stop))
        return out

    def _slices(self, text: str) -> list[tuple[int, int]]:
        """The slices of nltk's `_slices_from_text` over `_match_potential_end_contexts`, in one loop.

        A candidate's context is the word before its mark, the mark and what follows it
        (`after_tok`): nltk joins the three, which lie end to end in `text`, so one slice.
        """
        breaks = self._breaks
        decide = self.text_contains_sentbreak
        last_space = _LAST_WHITESPACE.search
        out: list[tuple[int, int]] = []
        last_break = 0
        word_start = word_stop = 0  # the slice of the word before the previous candidate
        previous = None
        # four substring searches (memchr for most texts) are a tenth of one class search
        separated = "\x1c" in text or "\x1d" in text or "\x1e" in text or "\x1f" in text
        contexts = self._contexts if separated else self._contexts_re
        for match in contexts.finditer(text):
            at = match.start()
            space = last_space(text, word_stop, at)
            start = space.start() + 1 if space is not None and space.start() > word_stop else word_start
            if previous is not None and word_stop <= start:
                context = text[word_start : previous.end("after_tok")]
                found = breaks.get(context)
                if found if found is not None else decide(context):
                    out.append((last_break, previous.end()))
                    next_tok = previous.start("next_tok")
                    last_break = next_tok if next_tok >= 0 else previous.end()
            previous, word_start, word_stop = match, start, at
        if previous is not None:
            context = text[word_start : previous.end("after_tok")]
            if decide(context):
                out.append((last_break, previous.end()))
                next_tok = previous.start("next_tok")
                last_break = next_tok if next_tok >= 0 else previous.end()
        out.append((last_break, len(text.rstrip())))
        return out

    def text_contains_sentbreak(self, text: str) -> bool:
        """Punkt's own decision, computed once per context text."""
        found = self._breaks.get(text)
        if found is None:
            if len(self._breaks) >= CONTEXTS_MAX:
                self._breaks.clear()
            found = self._breaks[text] = bool(super().text_contains_sentbreak(text))
        return found


# The last whitespace character (nltk's `string.whitespace`) of a range: one search from its end.
_LAST_WHITESPACE = regex.compile("[" + regex.escape(string.whitespace) + "]", regex.REVERSE)


# Where the compiled loop's character classes are checked against a splitter's patterns (ASCII,
# Latin-1 and General Punctuation, where nltk's marks, closers and quotes are): a splitter whose
# language variables differ (another nltk) runs the Python loop. Tested over every code point.
_CHECKED = [chr(c) for c in (*range(0x250), *range(0x2000, 0x2070))]


def _compiled_classes_hold(splitter: RememberingPunkt) -> bool:
    """Whether nltk's patterns of `splitter` read the compiled loop's classes (`_punkt.MARKS`,
    `NON_WORD`, `CLOSERS`) on the characters of `_CHECKED`.
    """
    assert _compiled is not None
    lang = splitter._lang_vars
    if not (
        splitter._realign.pattern.endswith(r"]+?(?:\s+|(?=--)|$)")
        and r"\s+(?P<next_tok>\S+)" in splitter._contexts.pattern
        and lang._period_context_fmt.count("%") == 2  # the mark's class, then the non-word one
    ):
        return False
    classes = [
        (regex.compile(lang._re_sent_end_chars), _compiled.MARKS),
        (regex.compile(lang._re_non_word_chars), _compiled.NON_WORD),
        (regex.compile(splitter._realign.pattern.split("+?", 1)[0]), _compiled.CLOSERS),
    ]
    return all([c for c in _CHECKED if pattern.fullmatch(c)] == sorted(chars) for pattern, chars in classes)
