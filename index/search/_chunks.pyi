"""Types of the compiled sentence chunking (`_chunks.c`)."""

from typing import Any

def chunk_ids(
    text: str, rows: list[tuple[Any, ...]], table: dict[str, int], backticks: bool, /
) -> tuple[bytes, bytes, list[tuple[int, str]]]: ...
