"""Shared fixtures: a private copy of the seeds and a fresh index folder per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.corpus import Corpus

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


@pytest.fixture(scope="session")
def seed_corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """One read-only corpus of the bundled seeds for tests that only ask questions."""
    base = tmp_path_factory.mktemp("seed-corpus")
    seeds = base / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)
    return Corpus.open(seeds, base / "index")
