"""A commit that only adds extends the writer's own view (`segments.extend`) instead of merging the
whole chain: the view it hands on equals a merge of the chain written, and no segment is merged."""

from pathlib import Path

import numpy as np
import pytest

from index.corpus import Corpus
from index.search import build as builder
from index.search import segments, store
from index.search.bm25 import BM25Params

QUESTIONS = ["council budget", "river bridge storm", "ferry festival", "mayor"]


def _merged(index_dir: Path) -> segments.View:
    head = store.current_generation(index_dir)
    saved = store.load(head, store.read_meta(head))
    chain = store.load_chain(saved)
    return segments.merge(chain, saved.meta.get("deleted", {}), BM25Params(**saved.meta["bm25"]))


def _same_view(got: segments.View, want: segments.View) -> None:
    assert [s.path.name for s in got.segments] == [s.path.name for s in want.segments]
    assert got.articles == want.articles
    assert got.hashes == want.hashes
    np.testing.assert_array_equal(got.origin, want.origin)
    assert got.passages.dtype == want.passages.dtype
    np.testing.assert_array_equal(got.passages, want.passages)
    assert len(got.pid_maps) == len(want.pid_maps)
    for a, b in zip(got.pid_maps, want.pid_maps, strict=True):
        np.testing.assert_array_equal(a, b)
    assert got.bm25.terms == want.bm25.terms
    np.testing.assert_array_equal(got.bm25.doc_len, want.bm25.doc_len)
    for question in QUESTIONS:
        terms = [t for t in question.split() if t in want.bm25.vocab]
        ids, scores = got.bm25.top(terms, 10)
        want_ids, want_scores = want.bm25.top(terms, 10)
        np.testing.assert_array_equal(ids, want_ids)
        np.testing.assert_allclose(scores, want_scores, rtol=1e-6)


@pytest.fixture
def seeds(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setattr(builder, "MERGE_SHARE", 10.0)  # segments pile up: no merge of the whole chain
    monkeypatch.setattr(builder, "MAX_SEGMENTS", 50)
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "a.txt").write_text("The council budget passed.\n\nThe river bridge opened.", encoding="utf-8")
    (folder / "b.txt").write_text("A storm closed the river bridge. The mayor spoke.", encoding="utf-8")
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
    for name, body in [("d", "A festival budget for the ferry."), ("e", "The mayor and the council.")]:
        (seeds / f"{name}.txt").write_text(body, encoding="utf-8")
        corpus = corpus.reindex()
        assert corpus.article(name).body == body
    assert merges == []  # neither the commits nor the reopened corpora merged the chain
    monkeypatch.setattr(segments, "merge", real_merge)
    _same_view(corpus._view, _merged(tmp_path / "index"))


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
    _same_view(fourth._view, _merged(index_dir))
