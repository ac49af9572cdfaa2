"""Punkt's compiled candidate loop (`_punkt.c`): see `index.ingest.punkt`."""

from collections.abc import Callable
from typing import overload

MARKS: str
NON_WORD: str
CLOSERS: str

@overload
def spans(text: str, breaks: dict[str, bool], decide: Callable[[str], object], /) -> list[tuple[int, int]]: ...
@overload
def spans(
    text: str, breaks: dict[str, bool], decide: Callable[[str], object], offset: int, paragraph: int, /
) -> list[tuple[int, int, int, bool, None]]: ...
def work() -> int: ...
