"""Tiny CoQA-shaped files for the CoQA benches' subprocess tests: bench.coqa's format (a story,
its questions and each answer's rationale span; "unknown" where the story does not answer) and
its split of the stories by file name, so a test can put each story in the part it reads.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path

Turn = tuple[str, str | None]  # a question and its rationale in the story (None: "unknown")


def held_out(filename: str) -> bool:
    """bench.coqa's split: a story is held out when its file name's sha1 is 0 mod 5."""
    return int(hashlib.sha1(filename.encode()).hexdigest(), 16) % 5 == 0


def filenames(keep: Callable[[str], bool]) -> Iterator[str]:
    """CoQA-style file names (`cnn_<16 hex>.story`), in order, those `keep` accepts."""
    n = 0
    while True:
        name = f"cnn_{n:016x}.story"
        n += 1
        if keep(name):
            yield name


def write(path: Path, stories: list[tuple[str, str, list[Turn]]]) -> Path:
    """`path` written as a CoQA file of (file name, story, turns)."""
    data = []
    for name, text, turns in stories:
        questions, answers = [], []
        for n, (question, span) in enumerate(turns, start=1):
            start = text.index(span) if span else -1
            end = start + len(span) if span else -1
            questions.append({"turn_id": n, "input_text": question})
            answers.append(
                {
                    "turn_id": n,
                    "span_start": start,
                    "span_end": end,
                    "span_text": span or "unknown",
                    "input_text": span or "unknown",
                }
            )
        data.append(
            {"source": "cnn", "id": name, "filename": name, "story": text, "questions": questions, "answers": answers}
        )
    path.write_text(json.dumps({"version": "1.0", "data": data}), encoding="utf-8")
    return path
