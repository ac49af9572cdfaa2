"""Punkt's sentence splitter with its break decisions remembered per context.

Punkt decides each candidate break (a `.`, `?` or `!`) from a short context: the word before,
the mark and the word after ("said. The", "U.S. President"). That decision re-tokenises and
annotates the context with Python objects each time, and is most of a build's splitting time;
it depends only on the context's text and the trained parameters, and news repeats the same
contexts, so it is remembered (bounded). Imported only where a splitter is made: importing
nltk is slow.
"""

from __future__ import annotations

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

__all__ = ["CONTEXTS_MAX", "RememberingPunkt"]

CONTEXTS_MAX = 200_000  # remembered decisions per process (about 20 MB); then it starts again


class RememberingPunkt(PunktSentenceTokenizer):  # type: ignore[misc]
    """`PunktSentenceTokenizer` whose `text_contains_sentbreak` is memoised per context text."""

    def __init__(self, params: PunktParameters) -> None:
        super().__init__(params)
        self._breaks: dict[str, bool] = {}

    def text_contains_sentbreak(self, text: str) -> bool:
        """Punkt's own decision, computed once per context text."""
        found = self._breaks.get(text)
        if found is None:
            if len(self._breaks) >= CONTEXTS_MAX:
                self._breaks.clear()
            found = self._breaks[text] = bool(super().text_contains_sentbreak(text))
        return found
