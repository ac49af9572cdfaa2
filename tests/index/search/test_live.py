"""A chain of segments is weighted at query time: its postings equal a whole build's over the live
sentences, a commit writes only what it adds, and opening a chain rescores no posting."""

from __future__ import annotations

import functools
import json
import random
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from index.corpus import Corpus
from index.ingest import sentences
from index.search import segments, store
from index.search.bm25 import BM25, BM25Params
from index.search.live import LiveBM25, SegmentPostings

WORDS = "council budget river bridge election mayor school storm harbour railway festival museum".split()


def _segment(docs: list[list[str]], offset: int, dead: set[int]) -> SegmentPostings:
    saved = BM25.build(docs)
    pid_map = None
    if dead:
        live = np.array([i not in dead for i in range(len(docs))])
        pid_map = np.where(live, np.cumsum(live) - 1 + offset, -1)
    return SegmentPostings(saved.terms, saved.indptr, saved.docs, saved.pairs, saved.doc_len, offset, pid_map)


@pytest.mark.parametrize("seed", range(6))
def test_live_postings_equal_a_build_of_the_live_sentences(seed: int) -> None:
    rng = random.Random(seed)
    parts, live_docs, group_of, offset = [], [], [], 0
    for size in (40, 3, 1, 7):
        docs = [
            [rng.choice(WORDS[: rng.randint(2, len(WORDS))]) for _ in range(rng.randint(0, 6))] for _ in range(size)
        ]
        dead = {i for i in range(size) if rng.random() < 0.3}
        if size == 1 and seed % 2:
            docs = [["zeppelin", "council"]]  # a term only a removed sentence holds leaves the vocabulary
            dead = {0}
        parts.append(_segment(docs, offset, dead))
        kept = [d for i, d in enumerate(docs) if i not in dead]
        group_of.extend(1000 * len(parts) + i // 3 for i in range(len(kept)))  # as articles: within a segment
        live_docs.extend(kept)
        offset += len(kept)
    live = LiveBM25(parts, BM25Params())
    whole = BM25.build(live_docs)
    assert sorted(live.vocab) == sorted(whole.vocab)
    assert live.n_docs == whole.n_docs == len(live_docs)
    np.testing.assert_array_equal(live.doc_lengths(), whole.doc_lengths())
    for term, tid in whole.vocab.items():
        ours = live.vocab[term]
        assert live.doc_freq(ours) == whole.doc_freq(tid)
        assert live.term_idf(ours) == pytest.approx(whole.term_idf(tid), rel=1e-12)
        ids, weights = live.postings(ours)
        want_ids, want_weights = whole.postings(tid)
        np.testing.assert_array_equal(ids, want_ids)
        np.testing.assert_allclose(weights, want_weights, rtol=1e-6)
    oracle = BM25Okapi(live_docs) if live_docs else None
    for question in (["council", "budget"], ["river", "river", "storm"], ["museum"]):
        if oracle is None:
            continue
        np.testing.assert_allclose(live.scores(question), oracle.get_scores(question), rtol=1e-5, atol=1e-9)
        got_ids, got = live.top(question, 5)
        want_ids, want = whole.top(question, 5)
        np.testing.assert_allclose(got, want, rtol=1e-5)
    # Groups of sentences (runs of ids, as articles are) holding each term: counted per segment.
    groups = np.asarray(group_of, dtype=np.int64)
    got_groups, want_groups = live.group_doc_freq(groups), whole.group_doc_freq(groups)
    assert {t: got_groups[i] for t, i in live.vocab.items()} == {t: want_groups[i] for t, i in whole.vocab.items()}
    assert "weights" not in vars(live) and live._compacted is None  # nothing above laid the chain out
    # The merged arrays a merge saves are the whole build's.
    compact = live.compact()
    assert compact.terms == live.terms
    for term, tid in whole.vocab.items():
        lo, hi = int(compact.indptr[live.vocab[term]]), int(compact.indptr[live.vocab[term] + 1])
        np.testing.assert_array_equal(compact.docs[lo:hi], whole.postings(tid)[0])
        # Query-time weights and the merged (saved) ones are the same float32 arithmetic.
        np.testing.assert_array_equal(live.postings(live.vocab[term])[1], compact.postings(live.vocab[term])[1])


def _wire(seeds: Path, n: int) -> None:
    lines = [
        json.dumps({"id": f"w{i}", "title": f"Wire {i}", "text": f"The {WORDS[i % 12]} of town {i} met on Monday."})
        for i in range(n)
    ]
    (seeds / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.iterdir())


def _chain_after_one_add(tmp_path: Path, n: int) -> tuple[Path, Path, Path, Path]:
    seeds, index_dir = tmp_path / f"seeds{n}", tmp_path / f"index{n}"
    seeds.mkdir()
    _wire(seeds, n)
    corpus = Corpus.open(seeds, index_dir)
    base = corpus.saved.path
    (seeds / "late.txt").write_text("Zanzibar ferry operators announced a xylophone festival.", encoding="utf-8")
    added = corpus.reindex()
    assert added.saved.meta["segments"] == [base.name], "the add was not committed as a segment"
    assert added.search("zanzibar xylophone")[0][0] == len(added) - 1
    return seeds, index_dir, base, added.saved.path


def test_an_add_writes_the_new_article_not_the_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Past the splitter's training budget, as a collection of over a million characters is: under
    # it a commit trains the splitter again on every article and saves it (round 21, inc21).
    monkeypatch.setattr(sentences, "train_splitter", functools.partial(sentences.train_splitter, max_chars=1_000))
    _, _, small_base, small_commit = _chain_after_one_add(tmp_path, 100)
    _, _, big_base, big_commit = _chain_after_one_add(tmp_path, 800)
    assert _folder_bytes(big_base) > 6 * _folder_bytes(small_base)
    # The same commit on an index eight times larger: the same bytes, but for the sidecar's
    # record of the changed seed file's size (a few digits) and its time of building.
    assert abs(_folder_bytes(big_commit) - _folder_bytes(small_commit)) < 64
    assert _folder_bytes(big_commit) < _folder_bytes(big_base) / 10


def test_opening_a_chain_rescores_no_posting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seeds, index_dir, base, commit = _chain_after_one_add(tmp_path, 200)
    segments.recall(commit.name)  # forget the writer's view: open it as a fresh reader would

    def rescoring(*args: object, **kwargs: object) -> BM25:
        raise AssertionError("every posting was scored again")

    monkeypatch.setattr(BM25, "from_postings", rescoring)
    reader = Corpus(seeds, index_dir, store.load(commit, store.read_meta(commit)))
    assert isinstance(reader.bm25, LiveBM25)
    docs = [reader.tokenize(p.text) for p in reader.all_passages()]
    oracle = BM25Okapi(docs)
    for question in ("council budget", "zanzibar ferry festival", "town monday"):
        terms = reader.tokenize(question)
        got = reader.search(question, 10)
        np.testing.assert_allclose([s for _, s in got], [oracle.get_scores(terms)[pid] for pid, _ in got], rtol=1e-5)
        assert [s for _, s in got] == sorted((s for _, s in got), reverse=True)
    # The base segment's postings are read where they lie (memory-mapped), not copied.
    first = reader.bm25._parts[0]
    assert first.docs.base is not None and first.pid_map is None
