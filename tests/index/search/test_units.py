"""Unit (article, paragraph) document frequencies are saved per segment and summed over a chain:
the rerank's article and paragraph BM25 statistics stay those of a whole build, and no reader
counts them over every posting."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from index.answer import rerank
from index.corpus import Corpus
from index.search import segments, store, units
from index.search.bm25 import BM25
from index.search.live import LiveBM25

WORDS = "council budget river bridge election mayor school storm harbour railway festival museum".split()


@pytest.mark.parametrize("seed", range(4))
def test_run_counts_count_the_live_groups_holding_each_term(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    monkeypatch.setattr(units, "BLOCK", rng.choice([1, 2, 3, 1000]))  # runs across block edges too
    docs = [[rng.choice(WORDS[: rng.randint(1, 6)]) for _ in range(rng.randint(0, 4))] for _ in range(60)]
    group_of = np.cumsum([rng.random() < 0.3 for _ in docs])
    dead_groups = {g for g in set(group_of.tolist()) if rng.random() < 0.3}
    live = np.array([g not in dead_groups for g in group_of.tolist()])
    engine = BM25.build(docs)
    got = units.run_counts(engine.indptr, engine.docs, group_of)
    got_live = units.run_counts(engine.indptr, engine.docs, group_of, live)
    for term, tid in engine.vocab.items():
        holding = {int(group_of[d]) for d, doc in enumerate(docs) if term in doc}
        assert got[tid] == len(holding)
        assert got_live[tid] == len(holding - dead_groups)
    assert got.tolist() == engine.group_doc_freq(group_of).tolist()


def test_key_ids_number_units_as_unique_does() -> None:
    keys = np.array([3, 3, 5, 9, 9, 9, 12], dtype=np.int64)
    np.testing.assert_array_equal(units.key_ids(keys), np.unique(keys, return_inverse=True)[1])
    shuffled = keys[[2, 0, 6, 1, 3, 5, 4]]
    np.testing.assert_array_equal(units.key_ids(shuffled), np.unique(shuffled, return_inverse=True)[1])


def _article(i: int, rng: random.Random) -> dict[str, str]:
    paragraphs = [
        " ".join(
            f"The {' '.join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))} of town {i} met on day {s}."
            for s in range(rng.randint(1, 3))
        )
        for _ in range(rng.randint(1, 3))
    ]
    return {"id": f"w{i}", "title": f"Wire {i}", "text": "\n\n".join(paragraphs)}


def _stats_by_passage(corpus: Corpus, unit: str) -> tuple[dict[str, float], dict[tuple[str, int, int], float]]:
    idf, norm = rerank._bm25_stats(corpus.bm25, corpus.layout, unit)
    unit_of = rerank._units(corpus.bm25, corpus.layout).unit(unit)
    rows = corpus.passages(list(range(len(corpus.layout))))  # a chain's layout holds doc and paragraph only
    by_passage = {(p.doc_id, p.paragraph, p.sentence): float(norm[unit_of[p.pid]]) for p in rows}
    return {t: float(idf[i]) for t, i in corpus.bm25.vocab.items()}, by_passage


def test_a_chain_with_adds_and_removes_has_a_whole_builds_unit_stats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(7)
    seeds, index_dir = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    lines = [json.dumps(_article(i, rng)) for i in range(30)]
    (seeds / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = Corpus.open(seeds, index_dir)
    (seeds / "late.txt").write_text(
        "Zanzibar ferry operators met the mayor.\n\nThe harbour festival of town 99 opened.", encoding="utf-8"
    )
    corpus = corpus.reindex()
    (seeds / "wire.jsonl").write_text("\n".join(lines[:4] + lines[5:]) + "\n", encoding="utf-8")  # w4 removed
    corpus = corpus.reindex()
    head = corpus.saved.path
    assert len(corpus.saved.meta["segments"]) == 2 and corpus.saved.meta["deleted"]
    segments.recall(head.name)  # a fresh reader of the chain

    def counting(*args: object, **kwargs: object) -> np.ndarray:
        raise AssertionError("a reader counted units over every posting")

    monkeypatch.setattr(LiveBM25, "group_doc_freq", counting)
    monkeypatch.setattr(BM25, "group_doc_freq", counting)
    reader = Corpus(seeds, index_dir, store.load(head, store.read_meta(head)))
    assert isinstance(reader.bm25, LiveBM25)
    whole = Corpus.open(seeds, tmp_path / "whole")
    assert not whole.saved.meta.get("segments")
    for unit in ("doc", "key"):
        got_idf, got_norm = _stats_by_passage(reader, unit)
        want_idf, want_norm = _stats_by_passage(whole, unit)
        assert got_idf == want_idf and got_norm == want_norm  # bit for bit
    # The oracle: units holding each term, from the passages' own tokens.
    held: dict[str, set[str]] = {}
    for p in whole.all_passages():
        for term in whole.tokenize(p.text):
            held.setdefault(term, set()).add(p.doc_id)
    df = reader.bm25.unit_doc_freq("doc")
    assert df is not None
    assert {t: int(df[i]) for t, i in reader.bm25.vocab.items()} == {t: len(d) for t, d in held.items()}


def test_a_large_commit_counts_its_units_in_threads_with_the_same_arrays(monkeypatch: pytest.MonkeyPatch) -> None:
    """Round 18 (docs/scale.md, "the build's last seconds"): past `THREADED_POSTINGS` the two units
    are counted side by side, each in its own thread, into the arrays the serial count makes."""
    rng = random.Random(7)
    docs = [[rng.choice(WORDS) for _ in range(rng.randint(0, 5))] for _ in range(200)]
    engine = BM25.build(docs)
    passages = np.zeros(len(docs), dtype=store.PASSAGE_DTYPE)
    passages["doc"] = np.cumsum([rng.random() < 0.2 for _ in docs])
    passages["paragraph"] = np.cumsum([rng.random() < 0.5 for _ in docs])
    serial = units.counted_units(engine.indptr, engine.docs, passages)
    threads: set[str] = set()
    counting = units.run_counts

    def recording(*args: object, **kwargs: object) -> np.ndarray:
        import threading

        threads.add(threading.current_thread().name)
        return counting(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(units, "run_counts", recording)
    monkeypatch.setattr(units, "THREADED_POSTINGS", 0)
    monkeypatch.setattr(units.os, "cpu_count", lambda: 2)
    threaded = units.counted_units(engine.indptr, engine.docs, passages)
    assert threads and "MainThread" not in threads  # counted off the calling thread
    assert list(threaded) == list(serial) == list(units.ARRAYS.values())
    for name in serial:
        assert threaded[name].dtype == serial[name].dtype
        np.testing.assert_array_equal(threaded[name], serial[name])
