"""Punkt's sentence splitter with its per-word and per-context work remembered.

Punkt decides each candidate break (a `.`, `?` or `!`) from a short context: the word before,
the mark and the word after ("said. The", "U.S. President"). Each decision re-tokenises the
context into `PunktToken`s, whose type (a regular expression substitution) and ellipsis and
initial tests (regular expression matches, through nltk's time-limited `regex` wrapper) are
computed again for every occurrence of a word: most of a build's splitting time. Both depend
only on the text (and the trained parameters), so they are remembered, bounded: word types
repeat (news vocabulary is Zipfian), and some contexts do. Imported only where a splitter is
made: importing nltk is slow.
"""

from __future__ import annotations

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer, PunktToken, PunktTrainer

__all__ = ["CONTEXTS_MAX", "WORDS_MAX", "RememberingPunkt", "trainer"]

CONTEXTS_MAX = 200_000  # remembered break decisions per process (about 20 MB); then it starts again
WORDS_MAX = 500_000  # remembered word shapes per process (about 60 MB); then it starts again

_SHAPES: dict[str, tuple[str, bool, bool]] = {}  # word -> (Punkt type, is ellipsis, is initial)


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


class RememberingPunkt(PunktSentenceTokenizer):  # type: ignore[misc]
    """`PunktSentenceTokenizer` with `_Token`s and `text_contains_sentbreak` memoised per context text."""

    def __init__(self, params: PunktParameters) -> None:
        super().__init__(params, token_cls=_Token)
        self._breaks: dict[str, bool] = {}

    def text_contains_sentbreak(self, text: str) -> bool:
        """Punkt's own decision, computed once per context text."""
        found = self._breaks.get(text)
        if found is None:
            if len(self._breaks) >= CONTEXTS_MAX:
                self._breaks.clear()
            found = self._breaks[text] = bool(super().text_contains_sentbreak(text))
        return found
