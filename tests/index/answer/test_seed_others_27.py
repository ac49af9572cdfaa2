"""Round 27: other people's seed questions, a twelfth blind part (seed_questions_others_l.tsv held
out); a question word contracted with "'d" ("why'd", "how'd", "what’d") read "why did": the
tokeniser glued it into one word no article holds ("whyd"), which weighed the most an idf can.
Measured 0 on A-K and L; shipped on by the lead as the fix of a reader-visible defect
(`chatforms.CONTRACTED`).
docs/answers.md, seedq27."""

from __future__ import annotations

import pytest

from index.answer import chatforms
from index.corpus import Corpus


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("why'd alibaba ban it", "why did alibaba ban it"),
        ("How’d they find out", "How did they find out"),  # a curly apostrophe, the capital kept
        ("what'd the employee write", "what did the employee write"),
        ("who'd anthropic accuse", "who did anthropic accuse"),
        ("when'd it start, where'd he post", "when did it start, where did he post"),
        ("i'd ask why", "i'd ask why"),  # not a question word: as typed
        ("whyd they", "whyd they"),  # no apostrophe: data/chat_en.txt's "whyd" reads it
    ],
)
def test_a_question_word_contracted_with_d_reads_did(
    seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch, typed: str, read: str
) -> None:
    monkeypatch.setattr(chatforms, "CONTRACTED", True)
    assert chatforms.read(typed, seed_corpus.bm25) == read


def test_contractions_are_read_as_typed_when_switched_off(seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    """Off (`bench.seed_questions --off contracted`), "why'd" reads as typed."""
    monkeypatch.setattr(chatforms, "CONTRACTED", False)
    assert chatforms.read("why'd alibaba ban it", seed_corpus.bm25) == "why'd alibaba ban it"


def test_a_contracted_question_word_weighs_nothing(seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    typed = "why\u2019d anthropic add the feature"
    monkeypatch.setattr(chatforms, "CONTRACTED", True)
    a = seed_corpus.answer(typed)
    assert not a.abstained and "introduced as an experiment" in a.hits[0].passage.text
    monkeypatch.setattr(chatforms, "CONTRACTED", False)  # before round 27: "whyd" weighed as missing
    assert seed_corpus.answer(typed).abstained
