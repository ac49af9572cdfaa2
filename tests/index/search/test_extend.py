"""A commit that only adds extends the writer's own view (`segments.extend`) instead of merging the
whole chain: the view it hands on equals a merge of the chain written, and no segment is merged."""

from pathlib import Path

import numpy as np
import pytest

from index.corpus import Corpus
from index.search import build as builder
from index.search import segments, store

QUESTIONS = ["council budget", "river bridge storm", "ferry festival", "mayor"]


def _from_disk(seeds: Path, index_dir: Path) -> Corpus:
    """The chain as a fresh reader opens it (`segments.merge`)."""
    head = store.current_generation(index_dir)
    return Corpus(seeds, index_dir, store.load(head, store.read_meta(head)))


def _same(got: Corpus, want: Corpus) -> None:
    assert got.saved.path == want.saved.path
    assert [(a.doc_id, a.body) for a in got.articles()] == [(a.doc_id, a.body) for a in want.articles()]
    assert list(got.all_passages()) == list(want.all_passages())
    np.testing.assert_array_equal(got.layout["doc"], want.layout["doc"])
    for mine, theirs in zip(got.bm25.unit_runs() or (), want.bm25.unit_runs() or (), strict=True):  # paragraphs
        np.testing.assert_array_equal(mine, theirs)
    for question in QUESTIONS:
        ours, theirs = got.search(question, 10), want.search(question, 10)
        assert [pid for pid, _ in ours] == [pid for pid, _ in theirs]
        np.testing.assert_allclose([s for _, s in ours], [s for _, s in theirs], rtol=1e-6)
    assert got.timeline() and got.entities().all()  # the layers are compared on something
    assert [(e.passage.pid, e.passage.doc_id) for e in got.timeline()] == [
        (e.passage.pid, e.passage.doc_id) for e in want.timeline()
    ]
    assert {e.name: sorted(e.cited_pids()) for e in got.entities().all()} == {
        e.name: sorted(e.cited_pids()) for e in want.entities().all()
    }


@pytest.fixture
def seeds(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setattr(builder, "MERGE_SHARE", 10.0)  # segments pile up: no merge of the whole chain
    monkeypatch.setattr(builder, "MAX_SEGMENTS", 50)
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "a.txt").write_text("The council budget passed.\n\nThe river bridge opened.", encoding="utf-8")
    (folder / "b.txt").write_text(
        "A storm closed the river bridge on 3 March 2024. Mayor Anna Berg spoke.", encoding="utf-8"
    )
    return folder


def test_adds_extend_the_writers_view_and_equal_a_merge(seeds: Path, tmp_path: Path, monkeypatch) -> None:
    index_dir = tmp_path / "index"
    corpus = Corpus.open(seeds, index_dir)
    (seeds / "c.txt").write_text("The ferry festival opened. The council met.", encoding="utf-8")
    corpus = corpus.reindex()  # a single generation extended by a segment
    (seeds / "gone.txt").write_text("The mayor left.", encoding="utf-8")
    corpus = corpus.reindex()
    (seeds / "gone.txt").unlink()
    corpus = corpus.reindex()  # a removal: tombstones in the chain the next add extends
    merges: list[int] = []
    real_merge = segments.merge
    monkeypatch.setattr(segments, "merge", lambda *a, **k: merges.append(1) or real_merge(*a, **k))
    for name, body in [
        ("d", "Anna Berg set a festival budget for the ferry on 5 May 2024."),
        ("e", "The mayor and the council."),
    ]:
        (seeds / f"{name}.txt").write_text(body, encoding="utf-8")
        corpus = corpus.reindex()
        assert corpus.article(name).body == body
    assert merges == []  # neither the commits nor the reopened corpora merged the chain
    monkeypatch.setattr(segments, "merge", real_merge)
    _same(corpus, _from_disk(seeds, index_dir))


def test_a_replacement_or_a_stale_view_still_merges(seeds: Path, tmp_path: Path, monkeypatch) -> None:
    index_dir = tmp_path / "index"
    first = Corpus.open(seeds, index_dir)
    (seeds / "c.txt").write_text("The ferry festival opened.", encoding="utf-8")
    second = first.reindex()
    merges: list[int] = []
    real_merge = segments.merge
    monkeypatch.setattr(segments, "merge", lambda *a, **k: merges.append(1) or real_merge(*a, **k))
    (seeds / "c.txt").write_text("The ferry festival was cancelled.", encoding="utf-8")
    third = second.reindex()  # a replacement: tombstones, so the chain is merged
    assert merges
    merges.clear()
    (seeds / "d.txt").write_text("The mayor spoke.", encoding="utf-8")
    fourth = second.reindex()  # `second` is no longer current: its view is not extended
    assert merges
    assert "cancelled" in fourth.article("c").body and third.article("c").body == fourth.article("c").body
    monkeypatch.setattr(segments, "merge", real_merge)
    _same(fourth, _from_disk(seeds, index_dir))
