"""Punkt's compiled candidate loop (`_punkt.c`): see `index.ingest.punkt`."""

from collections.abc import Callable

MARKS: str
NON_WORD: str
CLOSERS: str

def spans(text: str, breaks: dict[str, bool], decide: Callable[[str], object], /) -> list[tuple[int, int]]: ...
def work() -> int: ...
