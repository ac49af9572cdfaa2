"""The shipped word lists of `index/data`, read one way: an entry a line, blank lines and lines
that start with "#" (a file's header: its source and licence) left out. Five modules each wrote
the same reading out before round 28 (tidy28); lists with their own line format (the related
terms, the inflections, the phrasal verbs, the names layer's gazetteers) keep their readers.
"""

from __future__ import annotations

from importlib import resources

__all__ = ["lines", "table"]


def lines(name: str) -> list[str]:
    """The entries of `index/data/NAME`, stripped, in the file's order."""
    text = resources.files("index.data").joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def table(name: str) -> dict[str, str]:
    """A list of two columns ("ceo chief executive officer"): each line's first word, lower-cased,
    and the rest of its line, as typed forms and what the articles write for them.
    """
    pairs = (line.split(None, 1) for line in lines(name))
    return {typed.lower(): words.strip() for typed, words in pairs}
