"""A name in the question also finds its entity's other names ("GM" -> "General Motors")."""

from __future__ import annotations

import numpy as np
import pytest

from index.answer import aliases, answers, derived
from index.corpus import Corpus
from index.names.entity_index import EntityIndex
from index.search import tokens
from tests.conftest import corpus_of, jsonl_text

ARTICLES = [
    {
        "id": "profile",
        "title": "Carmakers in Detroit",
        "text": "General Motors Corporation (GM) is an American carmaker based in Detroit.\n\n"
        "It sells Chevrolet and Cadillac cars in many countries.",
    },
    {
        "id": "bankruptcy",
        "title": "Carmaker seeks court protection",
        "text": "General Motors filed for bankruptcy protection on June 1, 2009.\n\n"
        "The carmaker will close several plants in Michigan.",
    },
    {
        "id": "dealer",
        "title": "Dealer complaint",
        "text": "A GM dealer in Ohio feared the bankruptcy of a parts supplier on May 3, 2009.\n\n"
        "The dealer sells pickup trucks and vans.",
    },
    {
        "id": "courts",
        "title": "Courts",
        "text": "Many firms file for bankruptcy each year.\n\n"
        "A bankruptcy court in Delaware hears most cases.\n\n"
        "Lawyers file papers for bankruptcy in person.",
    },
]


@pytest.fixture(scope="module")
def cars(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    base = tmp_path_factory.mktemp("cars")
    return corpus_of(base, {"cars.jsonl": jsonl_text(ARTICLES)})


def test_the_entity_index_knows_both_names(cars: Corpus) -> None:
    gm = cars.entities().get("GM")
    assert gm is not None and gm is cars.entities().get("General Motors")


def test_a_short_name_widens_its_term(cars: Corpus) -> None:
    found = aliases.find(cars.bm25, cars.entities(), cars.prepare("when did gm file for bankruptcy"))
    answer_pid = next(p.pid for p in cars.passages_of("bankruptcy") if "June 1" in p.text)
    assert answer_pid in set(found.elsewhere["gm"].tolist())
    assert {"general", "motor"} <= set(found.extra_terms)


def test_the_other_name_finds_the_answer(cars: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    question = "when did gm file for bankruptcy"
    assert "June 1, 2009" in cars.answer(question).hits[0].passage.text
    monkeypatch.setattr(answers, "ALIASES", False)
    assert "June 1, 2009" not in cars.answer(question).hits[0].passage.text


def test_no_entity_no_change(cars: Corpus) -> None:
    assert aliases.find(cars.bm25, cars.entities(), cars.prepare("which plants will close")) == aliases.NONE


class _Unreferable:
    """An entity index that cannot be weakly referred to (no `__weakref__`): looked up every time."""

    __slots__ = ("inner", "calls")

    def __init__(self, inner: aliases.Names) -> None:
        self.inner, self.calls = inner, 0

    def get(self, name: str) -> aliases._Entity | None:
        self.calls += 1
        return self.inner.get(name)


def test_each_run_is_looked_up_once_per_entity_index(cars: Corpus) -> None:
    names = cars.entities()
    asked: list[str] = []

    class Counting:
        def get(self, name: str) -> aliases._Entity | None:
            asked.append(name)
            return names.get(name)

    counting = Counting()
    query = cars.prepare("when did gm file for bankruptcy")
    first = aliases.find(cars.bm25, counting, query)
    looked_up = len(asked)
    again = aliases.find(cars.bm25, counting, query)
    assert looked_up > 3 and len(asked) == looked_up  # the second time from the cache
    assert first.extra_terms == again.extra_terms and first.elsewhere.keys() == again.elsewhere.keys()
    unreferable = _Unreferable(names)
    plain = aliases.find(cars.bm25, unreferable, query)
    assert unreferable.calls == looked_up and plain.extra_terms == first.extra_terms
    for term, ids in first.elsewhere.items():
        assert np.array_equal(ids, plain.elsewhere[term])


def test_elsewhere_is_where_another_form_is_and_the_term_is_not(cars: Corpus) -> None:
    """Against every sentence's own tokens: the passages holding `gm` through another form of its
    entity (every term of that form), less those holding `gm` itself; sorted, int64.
    """
    index = cars.bm25
    found = aliases.find(index, cars.entities(), cars.prepare("when did gm file for bankruptcy"))
    entity = cars.entities().get("GM")
    assert entity is not None
    forms = [set(tokens.tokenize(f)) for f in [entity.name, *entity.aliases][: aliases.MAX_FORMS]]
    forms = [f for f in forms if f and "gm" not in f]
    want = []
    for pid in range(index.n_docs):
        held = set(tokens.tokenize(cars.passage(pid).text))
        if "gm" not in held and any(f <= held for f in forms):
            want.append(pid)
    got = found.elsewhere["gm"]
    assert got.dtype == np.int64 and len(want) > 0
    assert got.tolist() == want


def test_an_empty_entity_index_widens_nothing(cars: Corpus) -> None:
    empty = EntityIndex()
    assert len(empty) == 0
    assert aliases.find(cars.bm25, empty, cars.prepare("when did gm file for bankruptcy")) is aliases.NONE


def test_the_other_names_passages_are_kept_per_index_and_bounded(cars: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    query = cars.prepare("when did gm file for bankruptcy")
    first = aliases.find(cars.bm25, cars.entities(), query)
    again = aliases.find(cars.bm25, cars.entities(), query)
    assert again.elsewhere["gm"] is first.elsewhere["gm"]  # kept, not worked out again
    kept = derived.of(cars.bm25).elsewhere
    monkeypatch.setattr(aliases, "ELSEWHERE_IDS", 0)  # nothing fits: each new one clears the rest
    kept.clear()
    aliases.find(cars.bm25, cars.entities(), query)
    assert len(kept) == 1
    np.testing.assert_array_equal(
        aliases.find(cars.bm25, cars.entities(), query).elsewhere["gm"], first.elsewhere["gm"]
    )
