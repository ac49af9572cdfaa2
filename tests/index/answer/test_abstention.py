"""The abstention reads the question and the best candidates, not the size of the corpus."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from index.corpus import Corpus
from tests.conftest import corpus_of, jsonl_text

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "seeds" / "000_e228878e0c08bf80.txt"
TSV = ROOT / "tests" / "data" / "seed_questions.tsv"

# Local news of no bearing on the seed article, with words of its off-topic questions in other
# senses ("capital spending", "cup final", "bake sale", "Paris, Texas", "weather station").
TOWNS = ["Millbrook", "Paris, Texas", "Ashford", "Lakeview", "Dunmore", "Riverton", "Elmwood", "Kingsbury"]
SUBJECTS = [
    "The {town} council approved capital spending of ${n} million for road repairs on {day}.",
    "The {town} Rovers won the county cup final {a}-{b} against their neighbours on {day}.",
    "A bake sale at the {town} library raised ${n},000 for new children's books.",
    "The weather station in {town} recorded {n} millimetres of rain over the weekend.",
    "Residents of {town} voted to keep the old bridge open to cyclists and walkers.",
    "The {town} school board hired {n} new teachers for the autumn term.",
    "Police in {town} closed Main Street for {n} hours after a water main burst.",
    "The farmers' market in {town} will move to the town square from {day}.",
    "A new bus line will connect {town} with the regional hospital starting {day}.",
    "The {town} museum opened an exhibition of {n} paintings by local artists.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def unrelated_articles(n: int, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        town = rng.choice(TOWNS)
        lines = [
            rng.choice(SUBJECTS).format(
                town=town, n=rng.randint(2, 90), a=rng.randint(0, 5), b=rng.randint(0, 5), day=rng.choice(DAYS)
            )
            for _ in range(rng.randint(3, 7))
        ]
        out.append({"id": f"local-{i:03d}", "title": f"{town} news {i}", "text": "\n\n".join(lines)})
    return out


def _off_topic_questions() -> list[str]:
    lines = TSV.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
    return [r[0] for r in rows if len(r) < 2 or not r[1].strip()]


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    base = tmp_path_factory.mktemp("crowded")
    return corpus_of(base, {"local.jsonl": jsonl_text(unrelated_articles(100))}, seed=True)


def test_off_topic_questions_still_abstain_among_100_unrelated_articles(crowded: Corpus) -> None:
    questions = _off_topic_questions()
    assert len(questions) >= 4
    answered = [q for q in questions if not crowded.answer(q).abstained]
    assert not answered


def test_an_answerable_question_still_answers_among_100_unrelated_articles(crowded: Corpus) -> None:
    a = crowded.answer("when does the ban take effect")
    assert not a.abstained
    assert "take effect July 10" in a.hits[0].passage.text


TYPO = "who acused alibaba of distillation"  # spelling puts "accused" in for "acused"


@pytest.mark.parametrize("corpus", ["seed_corpus", "crowded"])
def test_a_corrected_typo_weighs_as_its_fix_whatever_the_corpus_size(
    corpus: str, request: pytest.FixtureRequest
) -> None:
    """The as-typed question (the abstention averages its coverage in) counts the typo at its
    fix's idf, not at the unknown-term weight log((N + .5) / .5) that grows with the corpus.
    """
    c: Corpus = request.getfixturevalue(corpus)
    fixed = c.prepare(TYPO)
    typed = fixed.as_typed
    assert typed is not fixed  # a fix happened
    (fix,) = [k for k in fixed.known if k.term not in {t.term for t in typed.known}]
    assert typed.unknown == pytest.approx(fix.weight)
    assert typed.unknown / (typed.mass + typed.unknown) == pytest.approx(fix.weight / fixed.mass)
