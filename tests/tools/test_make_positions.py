"""`tools.make_positions`: the counts behind the learnt position prior of a conversation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.conftest import corpus_of
from tests.index.answer.test_follow_ups import LIBRARY
from tools.make_positions import FAR, clip, count


@dataclass(frozen=True)
class Turn:  # what the tool reads of bench.coqa_conversations' (tests never import a bench)
    question: str
    span: tuple[int, int] | None


@dataclass(frozen=True)
class Story:
    sid: str
    article: str
    turns: tuple[Turn, ...]


def test_distances_are_counted_from_the_last_answer_per_turn_kind(tmp_path: Path) -> None:
    corpus = corpus_of(tmp_path, {"library.md": LIBRARY})
    spans = [(p.char_start, p.char_end) for p in corpus.passages_of("library")]
    turns = (
        Turn("Who opened the new library?", spans[0]),
        Turn("how many books do its shelves hold?", spans[1]),  # worded, the next sentence
        Turn("who designed the building?", spans[2]),  # worded, the next again
    )
    story = Story("s1", "library", turns)
    for gold in (True, False):  # the conversation answers each turn in its sentence: the same counts
        seen, held, asked = count(corpus, [story], gold)  # type: ignore[list-item]
        assert asked == {"worded": 2}
        assert +held["worded"] == {1: 2}  # both answers one sentence after the last
        assert seen["worded"] == {-1: 1, 0: 2, 1: 2, 2: 2, 3: 1}
        assert not seen["typed"]


def test_far_distances_share_a_bin() -> None:
    assert clip(FAR + 7) == clip(FAR + 1) == FAR + 1 and clip(-FAR - 3) == -FAR - 1 and clip(2) == 2
