"""Round 27 (upgrade27): an article file that could not be read once (made 0600 by another
user, a failing disk) comes back into the index when it can be read again.

Before, the seeds' saved state remembered the unreadable file by its stat, which making it
readable does not change (chmod changes no size, mtime or inode): every later start trusted the
stat, never read the file again, and the article stayed out of the answers until a full
`index build`. The test runs as root too, for whom chmod denies nothing: the file's reads fail
by a patch of the two ways the seeds are read (`Path.open` for the hash, `Path.read_bytes`).
"""

from __future__ import annotations

import errno
import logging
from pathlib import Path

from index.corpus import Corpus

QUESTION = "When will the harbour festival move?"


def _unreadable(monkeypatch, path: Path) -> None:
    real_open, real_read = Path.open, Path.read_bytes

    def open_(self, *args, **kwargs):
        if self == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    def read_bytes(self):
        if self == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "open", open_)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)


def _answers_harbour(corpus: Corpus) -> bool:
    return any("August 14" in hit.passage.text for hit in corpus.answer(QUESTION).hits)


def test_an_article_unreadable_once_is_indexed_again_when_it_can_be_read(tmp_path, monkeypatch, caplog):
    seeds, index = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    harbour = seeds / "harbour.md"
    harbour.write_text("The Riverton harbour festival will move to August 14, the mayor said.\n")
    (seeds / "bridge.md").write_text("Repairs to the Kingsway bridge finished on Friday, two weeks early.\n")
    assert _answers_harbour(Corpus.open(seeds, index))

    # a corrected version copied in by another user, readable by that user only
    fresh = seeds / ".harbour.tmp"
    fresh.write_text("The Riverton harbour festival will move to August 14, the mayor said on Tuesday.\n")
    fresh.replace(harbour)
    with monkeypatch.context() as patched:
        _unreadable(patched, harbour)
        caplog.set_level(logging.WARNING, logger="verbatim.index")
        corpus = Corpus.open(seeds, index)
        assert "harbour.md: skipped, cannot read it" in caplog.text
        assert len(corpus.articles()) == 1
        assert len(Corpus.open(seeds, index).articles()) == 1  # still unreadable: still out, no crash

    corpus = Corpus.open(seeds, index)  # readable again, its stat unchanged
    assert len(corpus.articles()) == 2 and _answers_harbour(corpus)


def test_an_unreadable_file_in_a_state_saved_by_an_older_release_is_read_again(tmp_path):
    """Releases before round 27 saved an unreadable file's hash as the SHA-256 of its marker."""
    import hashlib

    from index.search import seeds_state

    harbour = tmp_path / "harbour.md"
    harbour.write_text("The Riverton harbour festival will move to August 14.\n")
    old = hashlib.sha256(f"unreadable:{errno.EACCES}".encode()).hexdigest()
    saved = {"harbour.md": [*seeds_state.stat_of(harbour), old]}
    found = seeds_state.changes([harbour], tmp_path, saved)
    assert found.changed == [harbour]
