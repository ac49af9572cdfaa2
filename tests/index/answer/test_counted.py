"""The number of the thing asked (round 27, count27: `index.answer.counted`): "how many workers
does bethlehem steel employ" is not answered by "a 54% drop" or "three mills". With
`COUNT_RANK` the rerank's type bonus goes to a number of workers only; with `COUNT_VETO` the
question abstains when the sentence shown holds no number of them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from index.answer import answers, counted
from index.answer import question as question_types
from index.corpus import Corpus
from tests.conftest import corpus_of

STEEL = """Bethlehem Steel posts a drop in profit

Bethlehem Steel Corp., hammered by higher costs at the mills where it employs its workers, posted a 54% drop in third-quarter profit.

The steel maker said shipments to automotive customers fell at three of its plants.
"""

MILLS = """Steel mills cut jobs

Bethlehem Steel employs 1,200 workers at Sparrows Point.

Bethlehem Steel workers at three mills are employed on new contracts, the company said.

The company said it would cut jobs at two other mills next year.
"""

LOCAL = """Town council approves road repairs

The council of Millbrook approved road repairs on Monday.

Residents asked for a new bus line to the regional hospital.
"""

AT_MILLS = "how many workers does bethlehem steel employ at its mills"
EMPLOY = "how many workers does bethlehem steel employ"


@pytest.fixture(scope="module")
def steel(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return corpus_of(tmp_path_factory.mktemp("counted"), {"steel.md": STEEL, "local.md": LOCAL})


@pytest.fixture(scope="module")
def mills(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return corpus_of(
        tmp_path_factory.mktemp("counted-mills"), {"steel.md": STEEL, "local.md": LOCAL, "mills.md": MILLS}
    )


@pytest.fixture
def rank_on() -> Iterator[None]:
    kept = counted.COUNT_RANK
    counted.COUNT_RANK = True
    try:
        yield
    finally:
        counted.COUNT_RANK = kept


@pytest.fixture
def rank_off() -> Iterator[None]:
    kept = counted.COUNT_RANK
    counted.COUNT_RANK = False
    try:
        yield
    finally:
        counted.COUNT_RANK = kept


@pytest.fixture
def veto_on() -> Iterator[None]:
    kept = counted.COUNT_VETO
    counted.COUNT_VETO = True
    try:
        yield
    finally:
        counted.COUNT_VETO = kept


def test_both_switches_are_off_as_measured() -> None:
    assert not counted.COUNT_RANK and not counted.COUNT_VETO


def test_with_the_rank_switch_the_number_of_workers_comes_first(mills: Corpus, rank_on: None) -> None:
    assert mills.answer(AT_MILLS).hits[0].passage.text.startswith("Bethlehem Steel employs 1,200 workers")


def test_without_it_the_sentence_with_three_mills_comes_first(mills: Corpus, rank_off: None) -> None:
    assert "three mills" in mills.answer(AT_MILLS).hits[0].passage.text  # any number took the bonus


def test_with_the_veto_a_count_of_another_thing_abstains(steel: Corpus, veto_on: None) -> None:
    a = steel.answer(EMPLOY)
    assert a.abstained and a.reason == answers.NO_COUNT
    assert "54% drop" in a.hits[0].passage.text  # the closest sentence is still shown


def test_without_the_veto_the_same_question_answers(steel: Corpus) -> None:
    assert not steel.answer(EMPLOY).abstained  # "54%" and "three" are numbers: the number veto passes


def test_with_the_veto_a_number_of_workers_answers(mills: Corpus, veto_on: None) -> None:
    a = mills.answer("how many workers does bethlehem steel employ at sparrows point")
    assert not a.abstained
    assert "1,200 workers" in a.hits[0].passage.text


def test_the_veto_leaves_a_question_that_counts_no_thing(steel: Corpus, veto_on: None) -> None:
    a = steel.answer("how much did bethlehem steel's profit drop in the third quarter")
    assert a.reason != answers.NO_COUNT


@pytest.mark.parametrize(
    ("question", "nouns", "much"),
    [
        (EMPLOY, {"worker", "work", "unit"}, False),
        ("how many new cars did gm sell", {"car", "new", "auto"}, False),
        ("how many of the workers were laid off", {"worker"}, False),
        ("what is the number of jobs cut", {"job"}, False),
        ("how much debt did ford have", {"debt"}, True),
    ],
)
def test_the_counted_noun_is_read(question: str, nouns: set[str], much: bool) -> None:
    got = counted.reading(question)
    assert got is not None and nouns <= got.nouns and got.much is much


@pytest.mark.parametrize(
    "question",
    [
        "how many people were killed",
        "how many died on flight 574",
        "how much did gm earn",
        "how much of its north american production is gm halting",
        "how much money did ford lose",
        "when did the strike begin",
    ],
)
def test_a_question_that_counts_no_particular_thing(question: str) -> None:
    assert counted.reading(question) is None


WORKERS = counted.Counted(frozenset({"worker", "work"}), False)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The company employs 1,200 workers after a 54% drop.", ["1,200"]),
        ("Workers, 1,200 of them, struck; the 54% drop hurt.", ["1,200"]),
        ("It cut 12 of its workers.", ["12"]),
        ("The number of workers rose to 1,200.", ["1,200"]),
        ("The plant has 300 workers and 12 managers.", ["300"]),
        ("Workers at three mills struck.", []),
        ("It paid $5 million to 300 workers.", ["300"]),
        ("Workers took a 20 percent cut.", []),
        ("Workers left. Then 40 managers came.", []),
    ],
)
def test_a_number_is_of_the_thing_when_its_noun_stands_next_to_it(text: str, found: list[str]) -> None:
    spans = question_types.answer_spans(text, question_types.NUMBER, set())
    assert [text[s:e] for s, e in counted.attached(text, spans, WORKERS)] == found


def test_an_amount_of_money_measures_a_how_much_thing() -> None:
    text = "Ford had a $34.3 billion debt, and dlrs 50 million in aid."
    spans = question_types.answer_spans(text, question_types.NUMBER, set())
    aid = counted.Counted(frozenset({"aid"}), True)
    assert len(counted.attached(text, spans, aid)) == 2
    assert counted.attached(text, spans, counted.Counted(frozenset({"aid"}), False)) == []


def test_a_stem_that_starts_the_other_names_the_same_thing() -> None:
    text = "Qatar Airways ordered up to 60 of its new mid-sized A350s; GM has 6,246 dealers."
    spans = question_types.answer_spans(text, question_types.NUMBER, set())
    found = counted.attached(text, spans, counted.Counted(frozenset({"a350", "dealership"}), False))
    assert [text[s:e] for s, e in found] == ["60", "6,246"]


def test_with_the_veto_the_questions_own_number_of_the_thing_answers(
    tmp_path: pytest.TempPathFactory, veto_on: None
) -> None:
    plants = "Sparrows Point\n\nBethlehem Steel employs 1,200 workers at Sparrows Point, 40 miles from the city.\n"
    corpus = corpus_of(tmp_path, {"plants.md": plants, "local.md": LOCAL})  # type: ignore[arg-type]
    a = corpus.answer("how many workers, 1200 or 12000, does bethlehem steel employ at sparrows point")
    assert not a.abstained  # "1,200 workers": the number the question gives, and of workers


@pytest.mark.parametrize(("typed", "found"), [("acount", True), ("intract", True), ("acorn", False), ("cats", False)])
def test_a_typo_the_spelling_left_is_one_letter_from_the_noun(typed: str, found: bool) -> None:
    text = "The operation involved nearly 25,000 accounts and 28 million interactions."
    spans = question_types.answer_spans(text, question_types.NUMBER, set())
    assert bool(counted.attached(text, spans, counted.Counted(frozenset({typed}), False))) is found
