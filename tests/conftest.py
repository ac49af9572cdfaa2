"""Shared fixtures: a private copy of the seeds and a fresh index folder per test."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from index.answer import question
from index.corpus import Corpus

# The property tests feed deliberately huge inputs (10,000-character passages, 100,000-character
# questions) on a shared, noisy 2-core machine: Hypothesis's "too slow" and "data too large"
# health checks would fail them for doing what they are meant to do.
settings.register_profile(
    "verbatim", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.load_profile("verbatim")

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_e228878e0c08bf80.txt"


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    return folder


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


@pytest.fixture
def corpus(seeds_dir: Path, index_dir: Path) -> Corpus:
    return Corpus.open(seeds_dir, index_dir)


def corpus_of(base: Path, articles: dict[str, str], *, seed: bool = False) -> Corpus:
    """A corpus in `base` (seeds/ and index/) of these article files (name -> text), the bundled
    seed article too when `seed`."""
    seeds = base / "seeds"
    seeds.mkdir()
    if seed:
        shutil.copy(SEED, seeds / SEED.name)
    for name, text in articles.items():
        (seeds / name).write_text(text, encoding="utf-8")
    return Corpus.open(seeds, base / "index")


def jsonl_text(records: Iterable[dict]) -> str:
    """Articles as one `.jsonl` file's text (a record a line), for `corpus_of`."""
    return "".join(json.dumps(record) + "\n" for record in records)


@pytest.fixture(scope="session")
def seed_corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """One read-only corpus of the bundled seeds for tests that only ask questions."""
    return corpus_of(tmp_path_factory.mktemp("seed-corpus"), {}, seed=True)


@pytest.fixture(scope="session")
def meantime(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """One read-only corpus of MEANTIME's 120 articles (`tests/question_sets.py`) for the tests that
    only ask questions of them: built once a session (a process under xdist), not once a module."""
    from tests.question_sets import MEANTIME, meantime_corpus

    if not MEANTIME.exists():
        pytest.skip("../shared/data/meantime is not beside the project")
    return meantime_corpus(tmp_path_factory.mktemp("meantime"))


def many_entities(n: int = 100_000) -> list:
    """`n` distinct two-word PERSON entities with varied mention counts (autocomplete at scale)."""
    import itertools

    from index.names.entity_index import Entity

    syllables = ["ka", "lo", "mi", "ra", "te", "su", "an", "bo", "ri", "ne", "ta", "vo"]
    words = ["".join(p).title() for p in itertools.product(syllables, repeat=3)]  # 1,728 words
    pairs = itertools.islice(itertools.product(words, words[::-1]), 0, None, 29)
    names = [f"{a} {b}" for a, b in itertools.islice(pairs, n)]
    return [Entity(name=name, type="PERSON", mentions=(i * 7919) % 500 + 1) for i, name in enumerate(names)]


@pytest.fixture(scope="session")
def big_entity_index():
    """An entity index of 100,000 entities, built once for the tests that need the scale."""
    from index.names.entity_index import EntityIndex

    return EntityIndex(many_entities(100_000))


@pytest.fixture
def fresh_rules() -> Iterator[None]:
    """The question rules' cache emptied around a test that flips a switch they read."""
    question._first_rule.cache_clear()
    yield
    question._first_rule.cache_clear()
