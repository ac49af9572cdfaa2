"""Taking a record out of a JSONL collection commits without reading or hashing the collection
again (its other records are the index's already), and ends as a whole build of the seeds would;
a hand edit of the collection around it is still seen."""

import json
from pathlib import Path

import numpy as np
import pytest

from index.corpus import Corpus
from index.ingest import files
from index.search import build as builder
from index.search import seeds_state

TEXTS = [
    "The council approved the harbour budget on Monday.",
    "Storm damage closed the railway bridge for a week.",
    "The museum opened a ferry exhibition in May.",
    "The mayor visited the school after the election.",
    "Festival crowds filled the river banks at night.",
]
QUESTIONS = ["harbour budget", "railway bridge storm", "ferry museum", "mayor school election", "river festival"]


def _record(i: int, text: str) -> str:
    return json.dumps({"id": f"w{i}", "title": f"Wire {i}", "text": text})


def _same_as_a_build(corpus: Corpus, seeds: Path, tmp_path: Path) -> None:
    whole = Corpus.open(seeds, tmp_path / "whole", rebuild=True)
    assert sorted(a.doc_id for a in corpus.articles()) == sorted(a.doc_id for a in whole.articles())
    for question in QUESTIONS:
        ours, theirs = corpus.search(question, 50), whole.search(question, 50)  # every match: ties in any order
        assert sorted(corpus.passage(p).text for p, _ in ours) == sorted(whole.passage(p).text for p, _ in theirs)
        np.testing.assert_allclose([s for _, s in ours], [s for _, s in theirs], rtol=1e-6)


@pytest.fixture
def wire(tmp_path: Path) -> tuple[Path, Path]:
    seeds, index_dir = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    (seeds / "wire.jsonl").write_text("\n".join(_record(i, t) for i, t in enumerate(TEXTS)) + "\n", encoding="utf-8")
    (seeds / "note.md").write_text("---\ntitle: Note\n---\nThe harbour ferry runs at night.\n", encoding="utf-8")
    return seeds, index_dir


def test_a_record_taken_out_is_committed_without_reading_its_collection(
    wire: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds, index_dir = wire
    corpus = Corpus.open(seeds, index_dir)
    corpus.add_files([("late.md", b"---\ntitle: Late\n---\nA late ferry crossed the river.\n")])  # owners cached
    corpus = Corpus.open(seeds, index_dir)
    read_whole = builder._read_seeds
    hash_whole = seeds_state._sha
    ids_of = files.file_ids

    def not_the_collection(path: Path, *args: object) -> object:
        assert path.name != "wire.jsonl", "the collection was read or hashed again"
        return hash_whole(path) if not args else ids_of(path)

    def reading(seeds_dir: Path, paths: list[Path], *args: object, **kwargs: object) -> object:
        assert all(p.name != "wire.jsonl" for p in paths), "the collection was read again"
        return read_whole(seeds_dir, paths, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(seeds_state, "_sha", not_the_collection)
    monkeypatch.setattr(builder, "_read_seeds", reading)
    monkeypatch.setattr(files, "file_ids", lambda path: not_the_collection(path, "ids"))
    change = corpus.remove(["w1", "w3"])
    assert change.removed == ["w1", "w3"] and change.before.sentences == 2 and change.corpus is not None
    corpus = change.corpus
    assert "w1" not in {a.doc_id for a in corpus.articles()}
    assert "w1" not in (seeds / "wire.jsonl").read_text(encoding="utf-8")
    change = corpus.add_files([("later.md", b"---\ntitle: Later\n---\nThe bridge reopened.\n")])  # owners still known
    assert change.added == ["later"] and change.corpus is not None
    corpus = change.corpus
    monkeypatch.undo()
    _same_as_a_build(corpus, seeds, tmp_path)


def test_a_hand_edit_of_the_collection_is_still_read(
    wire: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds, index_dir = wire
    stale = Corpus.open(seeds, index_dir)  # a bot's corpus, opened before the hand edit below
    with (seeds / "wire.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(_record(9, "The election results reached the harbour at dawn.") + "\n")
    change = stale.remove(["w0"])  # the collection changed since the index: not trusted as an edit
    assert change.corpus is not None
    corpus = change.corpus
    assert "w9" in {a.doc_id for a in corpus.articles()} and "w0" not in {a.doc_id for a in corpus.articles()}
    _same_as_a_build(corpus, seeds, tmp_path)
    change = corpus.remove(["w2"])  # trusted: only w2 went
    assert change.corpus is not None
    corpus = change.corpus
    lines = (seeds / "wire.jsonl").read_text(encoding="utf-8").splitlines()
    (seeds / "wire.jsonl").write_text("\n".join([*lines, _record(7, "A storm hit the museum.")]) + "\n")
    corpus = corpus.reindex()  # a later hand edit is hashed and read as any change
    assert "w7" in {a.doc_id for a in corpus.articles()}
    _same_as_a_build(corpus, seeds, tmp_path)


def test_a_whole_build_remembers_which_file_holds_each_id(
    wire: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds, index_dir = wire
    corpus = Corpus.open(seeds, index_dir)  # a whole build: no change has cached the owners yet

    ids_of = files.file_ids

    def not_the_collection(path: Path) -> list[str]:
        assert path.name != "wire.jsonl", "the collection's ids were read again"
        return ids_of(path)

    monkeypatch.setattr(files, "file_ids", not_the_collection)
    change = corpus.add_files([("late.md", b"---\ntitle: Late\n---\nA late ferry crossed the river.\n")])
    assert change.added == ["late"] and change.corpus is not None
    again = change.corpus.add_files([("w2.md", b"---\nid: w2\ntitle: Again\n---\nThe museum closed.\n")])
    assert again.taken == ["w2"] and not again.added  # the owners the build remembered: w2 is the collection's
