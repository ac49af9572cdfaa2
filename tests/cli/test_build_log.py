"""The index's log lines are what a user sees first (`make run`, any first command): in words."""

import logging
import shutil
from pathlib import Path

from index.corpus import Corpus
from tests.conftest import SEED


def test_the_build_and_commit_lines_count_in_words(seeds_dir: Path, index_dir: Path, caplog) -> None:
    """A build said "built 16 passages from 1 articles" and a removal "+0 articles, -1 articles":
    the CLI's own lines say sentences and one article."""
    caplog.set_level(logging.INFO, logger="verbatim")
    corpus = Corpus.open(seeds_dir, index_dir)
    shutil.copy(SEED, seeds_dir / "copy.txt")
    corpus = Corpus.open(seeds_dir, index_dir)  # the new file is committed
    corpus.remove(["copy"])
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("index: ")]
    built = next(line for line in lines if line.startswith("index: built"))
    assert built.startswith("index: built 16 sentences from 1 article into "), built
    committed = [line for line in lines if "committed" in line]
    assert committed[0].startswith("index: 1 article added, 0 removed, committed "), committed
    assert committed[-1].startswith("index: 0 articles added, 1 removed, committed "), committed
