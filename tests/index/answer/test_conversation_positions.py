"""A follow-up is read near the last answer's sentence (round 21): CoQA's conversations answer a
follow-up in the last answer's sentence or the next ones far more often than in one far off, so a
sentence gets a bonus learnt by its distance from the last answer's (`Carry.positions`).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from index.answer import Carry
from index.answer.conversation_positions import FAR, LOG_RATIO
from index.corpus import Corpus
from tests.conftest import corpus_of

# "how many children came?" matches the first sentence and the last one alike; the mayor's (the
# last answer's) holds the opening's figure.
LIBRARY = (
    "---\ntitle: New library\nauthor: City desk\ndate: 2026-05-05\n---\n"
    "Last year 120 children came to a reading day.\n\n"
    "Its shelves hold 40,000 books for readers of every age.\n\n"
    "The building was designed by a local architect.\n\n"
    "A cafe on the top floor looks over the river.\n\n"
    "The old reading room closed in 2019.\n\n"
    "The mayor opened the new library in Kelsford on Monday, and 300 children came to the opening.\n"
)
ORCHARD = (
    "---\ntitle: Orchard harvest\nauthor: Farm desk\ndate: 2026-02-02\n---\n"
    "The apple harvest in the valley was the largest in a decade.\n\n"
    "Pickers came from three nearby towns to work in the orchards.\n"
)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return corpus_of(tmp_path_factory.mktemp("positions"), {"library.md": LIBRARY, "orchard.md": ORCHARD})


def follow_up(corpus: Corpus, carry: Carry, question: str) -> str:
    conv = replace(corpus.conversation(), carry=carry)
    assert "mayor opened" in conv.ask("Who opened the new library?").hits[0].passage.text
    return conv.ask(question).hits[0].passage.text


def test_a_follow_up_is_read_in_the_last_answer_s_sentence_before_one_far_off(library: Corpus) -> None:
    # both sentences hold "children came" alike: without the learnt prior the story's first wins
    # the tie (the fixed `after` only reaches the two sentences after the last answer's)
    assert "300 children" in follow_up(library, Carry(), "how many children came?")
    assert "120 children" in follow_up(library, Carry(positions=0.0), "how many children came?")


def test_the_bonus_is_the_learnt_table_by_distance_and_turn_kind(library: Corpus) -> None:
    conv = replace(library.conversation(), carry=Carry(positions=0.1))
    last = conv.ask("Who opened the new library?").hits[0].passage
    story = {p.pid: p for p in library.passages_of("library")}
    row = library.story_row("library")
    for typed, kind in ((False, "worded"), (True, "typed")):
        near = conv._near({row: 1.0}, typed)
        assert set(near) == set(story)
        for pid, value in near.items():
            assert value == pytest.approx(0.1 * LOG_RATIO[kind][max(-FAR - 1, pid - last.pid)])
    assert conv._near({library.story_row("orchard"): 1.0}, False) == {}  # its story is not carried


def test_the_table_favours_the_last_answer_s_sentence_and_the_next() -> None:
    # what the tune part says (tools/make_positions.py): a guard against a table written wrongly
    for kind in ("typed", "worded"):
        table = LOG_RATIO[kind]
        assert set(table) == set(range(-FAR - 1, FAR + 2))
        assert table[0] == max(table.values()) and table[0] > 0 > table[FAR + 1]
