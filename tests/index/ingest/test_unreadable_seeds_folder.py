"""Round 27 (upgrade27): a seeds folder that cannot be listed (another user's, made 0700) is
refused, not read as empty. Before, `Path.rglob` swallowed the PermissionError, every article
read as removed, and the index was updated to hold nothing: answers, entities and the timeline
all empty until the folder was readable again. The test runs as root too, for whom chmod denies
nothing: listing fails by a patch of `os.scandir` for that folder.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from index.corpus import Corpus
from index.ingest.files import seed_files


def _unlistable(monkeypatch, folder: Path) -> None:
    real = os.scandir

    def scandir(path=".", *args, **kwargs):
        if Path(path) == folder:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)


def test_a_seeds_folder_that_cannot_be_listed_is_refused_and_the_index_kept(tmp_path, monkeypatch):
    seeds, index = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    (seeds / "harbour.md").write_text("The Riverton harbour festival will move to August 14.\n")
    (seeds / "bridge.md").write_text("Repairs to the Kingsway bridge finished on Friday.\n")
    assert len(Corpus.open(seeds, index).articles()) == 2

    with monkeypatch.context() as patched:
        _unlistable(patched, seeds)
        with pytest.raises(PermissionError) as raised:
            seed_files(seeds)
        assert raised.value.filename == str(seeds)
        with pytest.raises(PermissionError):
            Corpus.open(seeds, index)

    assert len(Corpus.open(seeds, index).articles()) == 2  # the index was never emptied
