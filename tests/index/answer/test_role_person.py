"""Round 27: a question asking for a person by a role or an act ("who is the chief executive of
norton co", "who runs norton") wants a person, not the company it names (question.role_asked,
question.person_spans, rerank.ROLE_PERSON). docs/answers.md, role27."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from index.answer import answers, question, rerank
from index.corpus import Corpus
from tests.conftest import corpus_of

NORTON = (
    "Norton Co. said it agreed to acquire Eastman Christensen Co., a maker of drilling tools, for "
    "$200 million.\n\n"
    "The abrasives maker said the purchase would add to earnings next year.\n\n"
    "Harold Quince, its chief, said the company had studied the deal for a year.\n"
)
LEDE_ONLY = "Reiss Corp. said its chief executive office in Boston will move to a new building, Reiss said.\n"
OTHERS = {
    f"other{i}.md": f"The {town} council met on Tuesday to discuss the budget for the new library.\n\n"
    f"Residents of {town} asked about parking near the station.\n"
    for i, town in enumerate(["Alton", "Brigg", "Corby", "Dover", "Ely", "Frome", "Goole", "Hythe"])
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return corpus_of(tmp_path_factory.mktemp("role"), {"norton.md": NORTON, "reiss.md": LEDE_ONLY, **OTHERS})


@pytest.fixture
def switches() -> Iterator[None]:
    kept = rerank.ROLE_PERSON
    yield
    rerank.ROLE_PERSON = kept


@pytest.mark.parametrize(
    ("q", "asked"),
    [
        ("who is the ceo of gm", True),
        ("who is gms ceo", True),
        ("who is the chief executive officer of norton co", True),
        ("whos the president of france", True),
        ("who runs norton", True),
        ("who replaced steve jobs as ceo", True),
        ("who is tim cook", False),
        ("who is the man in the photo", False),
        ("who won the game", False),
        ("who owns gm", False),  # a company owns as often as a person
        ("who said the mechanism would be removed", False),  # "The employee said ..."
        ("what is the role of the ceo", False),  # not a PERSON question
    ],
)
def test_a_question_asking_for_a_person_by_role(q: str, asked: bool) -> None:
    assert question.role_asked(q) is asked


def test_role_asked_is_kept_once_per_question() -> None:
    """One cache (the rerank asks it for each sentence it reads): a second cache around the first
    held each question twice and asked both on every call."""
    question.role_asked.cache_clear()
    question.role_asked("who runs norton")
    question.role_asked("who runs norton")
    assert question.role_asked.cache_info().hits == 1
    assert not hasattr(question.role_asked.__wrapped__, "cache_info")


@pytest.mark.parametrize(
    ("sentence", "persons"),
    [
        ("Ralston Purina Co. said its earnings fell 47%.", []),
        ("Aetna Life & Casualty Co. reported a loss.", []),
        ("John Smith, chairman and chief executive, said the company would grow.", ["John Smith"]),
        ("Chief Executive Rand Araskog said so.", ["Rand Araskog"]),  # the title is not the name
        ("Apple CEO and GM said so.", []),  # a title with no name after it names no one
        ("He resigned as CEO of Apple.", []),
        ("General Motors said so.", []),  # a known name that opens with a title's word
        ("Rand V. Araskog, chairman, said so.", ["Rand", "Araskog"]),
        ("Mr. Quince said so.", ["Quince"]),
        ("Quince, 52, the company's president, declined to comment.", ["Quince"]),
        ("Norton, a maker of abrasives, said so.", []),
        ("Denver linebacker Von Miller was named MVP.", ["Von Miller"]),  # a full name's shape
        ("Aetna Life & Casualty Co. and Bank of America said so.", []),
        ("Gulf Power said so; the Most Valuable Player was named.", []),
    ],
)
def test_which_names_are_persons(sentence: str, persons: list[str]) -> None:
    assert [sentence[s:e] for s, e in question.person_spans(sentence, set())] == persons


def test_a_person_the_question_names_is_no_answer() -> None:
    text = "Tim Cook will be succeeding Jobs as CEO, Apple said."
    terms = {"replac", "steve", "job", "ceo"}
    assert [text[s:e] for s, e in question.person_spans(text, terms)] == ["Tim Cook"]
    assert question.person_spans("Steve Jobs said the CEO would stay.", terms) == []
    # the name after a title is judged alone: "who replaced steve jobs" already says him
    assert question.person_spans("Apple Computer CEO Steve Jobs unveiled the iPhone.", terms) == []


def test_the_role_sentence_is_found_over_the_lede(corpus: Corpus, switches: None) -> None:
    q = "who is the chief executive of norton co"
    rerank.ROLE_PERSON = False
    assert corpus.answer(q, k=1).hits[0].passage.text.startswith("Norton Co. said")
    rerank.ROLE_PERSON = True
    assert corpus.answer(q, k=1).hits[0].passage.text.startswith("Harold Quince")


def test_the_shipped_switches() -> None:
    """The ranking ships on (held-out news pays)."""
    assert rerank.ROLE_PERSON and answers.ROLE_FIRST and question.PERSON_SHAPE
