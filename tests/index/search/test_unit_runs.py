"""Where articles and paragraphs begin is saved with each generation (`first_doc`, `first_key`) and
shifted over a chain (`units.view_runs`): the rerank's runs equal what a reader works out from
every passage row (`index.answer.layout.units_of`), with adds, removals and empty articles; a
generation saved without them, or with runs of the wrong shape, is read from its rows instead."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from index.answer import layout as layout_units
from index.answer import rerank
from index.corpus import Corpus
from index.search import build as builder
from index.search import segments, store, units
from index.search.bm25 import BM25Params
from index.search.live import LiveBM25, SegmentPostings
from index.search.store import PASSAGE_DTYPE
from tests.index.search.test_units import _article

WORDS = "council budget river bridge election mayor school storm harbour railway festival museum".split()
QUESTIONS = ["council budget", "where did the storm close the bridge", "museum festival of town 3", "mayor"]


def _segment(rng: random.Random) -> tuple[np.ndarray, int]:
    """A segment's rows (article by article, paragraph by paragraph; some articles without rows)."""
    n_articles = rng.randint(0, 6)
    rows = []
    for doc in range(n_articles):
        if rng.random() < 0.2:
            continue
        for paragraph in sorted(rng.sample(range(5), rng.randint(1, 3))):
            rows.extend((doc, paragraph, s, 0, 1, False, 0) for s in range(rng.randint(1, 3)))
    return np.array(rows, dtype=PASSAGE_DTYPE), n_articles


@pytest.mark.parametrize("seed", range(40))
def test_view_runs_equal_the_runs_of_the_chains_rows(seed: int) -> None:
    rng = random.Random(seed)
    parts, view_rows, tokens, deads, view_lengths = [], [], [], [], []
    offset = n_view_articles = 0
    for _ in range(rng.randint(1, 4)):
        rows, n_articles = _segment(rng)
        runs = units.saved_runs(rows, n_articles)
        lengths = np.array([rng.choice([0, 1, 7, 255]) for _ in range(len(rows))], dtype=np.uint8)
        tokens.append(units.saved_tokens(runs["first_doc"], lengths)["tokens_doc"])
        dead = np.array([rng.random() < 0.3 for _ in range(n_articles)], dtype=bool)
        removing = bool(dead.any()) and rng.random() < 0.8
        if not removing:
            dead[:] = False
        new_doc = np.full(n_articles, -1, dtype=np.int64)
        new_doc[~dead] = n_view_articles + np.arange(int((~dead).sum()))
        alive = ~dead[rows["doc"]] if len(rows) else np.zeros(0, dtype=bool)
        pid_map = np.full(len(rows), -1, dtype=np.int64)
        pid_map[alive] = offset + np.arange(int(alive.sum()))
        live = rows[alive].copy()
        live["doc"] = new_doc[live["doc"]]
        view_rows.append(live)
        view_lengths.append(lengths[alive])
        deads.append(dead if removing else None)
        parts.append(
            units.RunPart(
                runs["first_doc"],
                runs["first_key"],
                offset=offset,
                pid_map=pid_map if removing else None,
                dead=dead if removing else None,
            )
        )
        offset += len(live)
        n_view_articles += int((~dead).sum())
    layout = np.concatenate(view_rows)
    want = layout_units.units_of(layout)
    doc_first, key_first = units.view_runs(parts, len(layout))
    np.testing.assert_array_equal(doc_first, want.doc_first)
    np.testing.assert_array_equal(key_first, want.paragraph_first)
    assert doc_first.dtype == key_first.dtype == np.int64
    summed = units.view_tokens(tokens, deads, len(doc_first) - 1)
    np.testing.assert_array_equal(summed, want.lengths("doc", np.concatenate(view_lengths)))


def _chain(seeds: Path, index_dir: Path) -> Corpus:
    """A chain of a base, two added segments and removals from the base and from an added one."""
    rng = random.Random(3)
    seeds.mkdir(parents=True)
    lines = [json.dumps(_article(i, rng)) for i in range(25)]
    (seeds / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = Corpus.open(seeds, index_dir)
    late = [json.dumps(_article(i, rng)) for i in range(100, 104)]
    (seeds / "late.jsonl").write_text("\n".join(late) + "\n", encoding="utf-8")
    corpus = corpus.reindex()
    (seeds / "storm.txt").write_text("A storm closed the river bridge.\n\nThe mayor spoke.", encoding="utf-8")
    corpus = corpus.reindex()
    (seeds / "wire.jsonl").write_text("\n".join(lines[:4] + lines[5:]) + "\n", encoding="utf-8")  # w4 gone
    (seeds / "late.jsonl").write_text("\n".join(late[:1] + late[2:]) + "\n", encoding="utf-8")  # w101 gone
    corpus = corpus.reindex()
    assert len(corpus.saved.meta["segments"]) == 3 and len(corpus.saved.meta["deleted"]) == 2
    return corpus


def _fresh(corpus: Corpus) -> Corpus:
    """The corpus's generation as a fresh process opens it (nothing remembered from the writer)."""
    segments.recall(corpus.saved.path.name)
    head = corpus.saved.path
    return Corpus(corpus.seeds_dir, corpus.index_dir, store.load(head, store.read_meta(head)))


def _rows_units(corpus: Corpus) -> layout_units.Units:
    """What a reader works out from every passage row (the oracle)."""
    passages = corpus.passages(list(range(len(corpus))))
    layout = np.zeros(len(passages), dtype=PASSAGE_DTYPE)
    layout["doc"] = [corpus.story_row(p.doc_id) for p in passages]
    layout["paragraph"] = [p.paragraph for p in passages]
    return layout_units.units_of(layout)


def _view(corpus: Corpus) -> segments.View:
    """The live view of the corpus's generation, as a fresh reader merges it."""
    meta = corpus.saved.meta
    return segments.merge(store.load_chain(corpus.saved), meta.get("deleted", {}), BM25Params(**meta["bm25"]))


def _segment_postings(corpus: Corpus) -> list[SegmentPostings]:
    assert isinstance(corpus.bm25, LiveBM25)
    return corpus.bm25._segments


def _same_runs(corpus: Corpus) -> None:
    runs = corpus.bm25.unit_runs()
    assert runs is not None
    want = _rows_units(corpus)
    np.testing.assert_array_equal(runs[0], want.doc_first)
    np.testing.assert_array_equal(runs[1], want.paragraph_first)
    lengths = corpus.bm25.unit_lengths("doc")  # each article's tokens, as the rerank's BM25 reads them
    assert lengths is not None and lengths.dtype == np.float64
    np.testing.assert_array_equal(lengths, want.lengths("doc", corpus.bm25.doc_lengths()))
    assert corpus.bm25.unit_lengths("key") is None
    got = rerank._units(corpus.bm25, corpus.layout)
    np.testing.assert_array_equal(got.doc, want.doc)
    np.testing.assert_array_equal(got.paragraph_of(np.arange(len(corpus))), want.paragraph_of(np.arange(len(corpus))))


def _answers(corpus: Corpus) -> list[object]:
    return [corpus.answer(q, k=3, context=1).to_json() for q in QUESTIONS]


@pytest.fixture
def piling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(builder, "MERGE_SHARE", 10.0)  # segments pile up: no merge of the whole chain
    monkeypatch.setattr(builder, "MAX_SEGMENTS", 50)


@pytest.mark.usefixtures("piling")
def test_each_generation_saves_its_runs_and_a_reader_reads_them_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _chain(tmp_path / "seeds", tmp_path / "index")
    _same_runs(corpus)  # the writer's own view (its last segment from memory)
    reader = _fresh(corpus)
    assert isinstance(reader.bm25, LiveBM25)
    for part in store.load_chain(reader.saved):
        assert {"first_doc", "first_key", "tokens_doc"} <= set(part.meta["arrays"])
    assert all(seg.runs is not None and seg.tokens is not None for seg in _segment_postings(reader))  # read back
    rows = _view(reader).rows

    def from_rows(*args: object, **kwargs: object) -> object:
        raise AssertionError("a reader worked its runs out from the rows")

    with monkeypatch.context() as patched:
        patched.setattr(units, "saved_runs", from_rows)
        patched.setattr(layout_units, "units_of", from_rows)
        patched.setattr("index.search.live.saved_runs", from_rows)
        patched.setattr("index.search.live.saved_tokens", from_rows)
        got = reader.bm25.unit_runs()
        assert reader.bm25.unit_lengths("doc") is not None
        firsts = rows.firsts()  # each article's first sentence: from the saved runs too
        patched.setattr(segments, "first_rows", from_rows)
        assert rows.firsts().tolist() == firsts.tolist()
    assert got is not None
    unsaved = segments.ChainRows(rows._parts, rows._lives, rows._docs)
    assert firsts.tolist() == unsaved.firsts().tolist()
    want = _rows_units(reader)
    np.testing.assert_array_equal(got[0], want.doc_first)
    np.testing.assert_array_equal(got[1], want.paragraph_first)
    _same_runs(reader)
    assert reader.layout.dtype.names == ("doc",)  # no paragraph column copied for a chain
    np.testing.assert_array_equal(reader.layout["doc"], unsaved.table(("doc",))["doc"])
    unread = segments.ChainRows([p[:0] for p in rows._parts], rows._lives, rows._docs, rows._firsts)
    unread.starts = rows.starts  # its rows emptied: a table read from them would come out wrong
    np.testing.assert_array_equal(unread.table(("doc",))["doc"], reader.layout["doc"])  # from the firsts
    mixed = segments.ChainRows(rows._parts, rows._lives, rows._docs, [*rows._firsts[:-1], None])  # a commit's own
    np.testing.assert_array_equal(mixed.table(("doc",))["doc"], reader.layout["doc"])
    whole = Corpus.open(corpus.seeds_dir, tmp_path / "whole")  # the same articles built whole
    assert whole.bm25.unit_runs() is not None
    _same_runs(whole)
    assert _answers(reader) == _answers(whole)


def _bad_runs(passages: np.ndarray, n_articles: int) -> dict[str, np.ndarray]:
    """Runs of the wrong shape (a writer's bug, or another program's files)."""
    return {"first_doc": np.zeros(n_articles + 3, dtype=np.int32), "first_key": np.zeros(1, dtype=np.int32)}


@pytest.mark.usefixtures("piling")
@pytest.mark.parametrize("saved", [lambda passages, n_articles: {}, _bad_runs], ids=["missing", "wrong"])
def test_generations_without_sound_runs_are_read_from_their_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, saved: object
) -> None:
    want_corpus = _chain(tmp_path / "a" / "seeds", tmp_path / "a" / "index")
    with monkeypatch.context() as patched:
        patched.setattr(store, "saved_runs", saved)  # what the writer saves
        corpus = _chain(tmp_path / "b" / "seeds", tmp_path / "b" / "index")
        whole = Corpus.open(corpus.seeds_dir, tmp_path / "b" / "whole")
    reader = _fresh(corpus)
    assert all(seg.runs is None and seg.tokens is None for seg in _segment_postings(reader))
    _same_runs(reader)  # worked out from each segment's rows
    assert _answers(reader) == _answers(_fresh(want_corpus))
    assert whole.bm25.unit_runs() is None  # a single generation: the rerank reads its layout's rows
    assert whole.bm25.unit_lengths("doc") is None
    assert _answers(whole) == _answers(Corpus.open(corpus.seeds_dir, tmp_path / "a" / "whole"))


def test_a_damaged_runs_file_rebuilds_the_index(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("The council budget passed.\n\nThe river bridge opened.", encoding="utf-8")
    corpus = Corpus.open(seeds, tmp_path / "index")
    want = _answers(corpus)
    path = corpus.saved.path / "first_key.npy"
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))
    again = Corpus.open(seeds, tmp_path / "index")  # the checksum fails: built again, never a crash
    assert again.saved.path != corpus.saved.path
    assert _answers(again) == want
    _same_runs(again)
