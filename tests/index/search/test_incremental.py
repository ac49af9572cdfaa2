"""Adds, replacements and removals committed incrementally keep BM25 exact: after every step,
`Corpus.search` over the live articles equals rank-bm25 built from scratch on the live passages."""

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from index.corpus import Corpus
from index.search import build as builder
from index.search import store, tombstones

WORDS = "council budget river bridge election mayor school storm harbour railway festival museum".split()
sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(lambda ws: " ".join(ws).capitalize() + ".")
text = st.lists(sentence, min_size=1, max_size=4).map(" ".join)
NAMES = [f"a{i}" for i in range(6)]
operation = st.one_of(
    st.tuples(st.just("write"), st.sampled_from(NAMES), text),  # an add, or a replacement of a known id
    st.tuples(st.just("remove"), st.sampled_from(NAMES), st.just("")),
    st.tuples(st.just("wire"), st.sampled_from(NAMES), text),  # a record of the JSONL file added or changed
    st.tuples(st.just("unwire"), st.sampled_from(NAMES), st.just("")),  # ... or taken out of it
)
QUESTIONS = ["council budget", "river bridge storm", "mayor mayor school", "museum", "harbour railway festival"]


@contextmanager
def _commit_rules(max_segments: int, share: float, min_postings: int = tombstones.MIN_POSTINGS) -> Iterator[None]:
    """Commit rules for one example; `min_postings` 0 makes every removal save its sums."""
    old = builder.MAX_SEGMENTS, builder.MERGE_SHARE, tombstones.MIN_POSTINGS
    builder.MAX_SEGMENTS, builder.MERGE_SHARE, tombstones.MIN_POSTINGS = max_segments, share, min_postings
    try:
        yield
    finally:
        builder.MAX_SEGMENTS, builder.MERGE_SHARE, tombstones.MIN_POSTINGS = old


def _write_wire(seeds: Path, wire: dict[str, str]) -> None:
    path = seeds / "wire.jsonl"
    if wire:
        lines = [json.dumps({"id": f"w-{k}", "title": f"Wire {k}", "text": v}) for k, v in sorted(wire.items())]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        path.unlink(missing_ok=True)


def _check(corpus: Corpus, expected: dict[str, str]) -> None:
    assert {a.doc_id: a.body.strip() for a in corpus.articles()} == {k: v.strip() for k, v in expected.items()}
    passages = list(corpus.all_passages())
    assert [p.pid for p in passages] == list(range(len(corpus)))
    docs = [corpus.tokenize(p.text) for p in passages]
    oracle = BM25Okapi(docs)
    for question in QUESTIONS:
        terms = corpus.tokenize(question)
        scores = oracle.get_scores(terms)
        matched = [i for i, d in enumerate(docs) if set(terms) & set(d)]
        expected_top = sorted((float(scores[i]) for i in matched), reverse=True)[:10]
        got = corpus.search(question, k=10)
        np.testing.assert_allclose([s for _, s in got], expected_top, rtol=1e-5, atol=1e-9)
        np.testing.assert_allclose([scores[pid] for pid, _ in got], expected_top, rtol=1e-5, atol=1e-9)


@settings(max_examples=8, deadline=None)
@given(
    ops=st.lists(operation, min_size=1, max_size=6),
    # segments pile up (removals' sums saved, or recounted); the later ones merge often; all merge always
    rules=st.sampled_from([(8, 10.0, 0), (8, 10.0, 1 << 20), (2, 10.0, 0), (3, 10.0, 0), (8, 0.0, 0)]),
)
def test_search_stays_exact_through_adds_replacements_and_removals(ops, rules):
    with tempfile.TemporaryDirectory() as tmp, _commit_rules(*rules):
        seeds, index_dir = Path(tmp) / "seeds", Path(tmp) / "index"
        seeds.mkdir()
        expected = {"anchor": "The lighthouse keeper retired in May."}
        (seeds / "anchor.txt").write_text(expected["anchor"], encoding="utf-8")
        corpus = Corpus.open(seeds, index_dir)
        wire: dict[str, str] = {}
        for kind, name, body in ops:
            if kind == "write":
                (seeds / f"{name}.txt").write_text(body, encoding="utf-8")
                expected[name] = body
            elif kind == "remove":
                (seeds / f"{name}.txt").unlink(missing_ok=True)
                expected.pop(name, None)
            elif kind == "wire":
                wire[name] = body
                expected[f"w-{name}"] = body
            else:
                wire.pop(name, None)
                expected.pop(f"w-{name}", None)
            _write_wire(seeds, wire)
            corpus = corpus.reindex()
            _check(corpus, expected)
        # The chain on disk opens to the same corpus in a fresh reader, and a rebuild agrees.
        head = store.current_generation(index_dir)
        reopened = Corpus(seeds, index_dir, store.load(head, store.read_meta(head)))
        assert reopened.search("council budget") == corpus.search("council budget")
        rebuilt = Corpus.open(seeds, index_dir, rebuild=True)
        for question in QUESTIONS:
            ours = sorted(s for _, s in corpus.search(question, 50))
            np.testing.assert_allclose(ours, sorted(s for _, s in rebuilt.search(question, 50)), rtol=1e-5)


def test_an_unchanged_article_of_a_changed_file_is_not_reindexed(tmp_path):
    seeds, index_dir = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    wire = {"a": "The mayor opened the bridge.", "b": "The storm closed the harbour."}
    _write_wire(seeds, wire)
    first = Corpus.open(seeds, index_dir)
    _write_wire(seeds, {**wire, "c": "The museum reopened after the storm."})
    with _commit_rules(8, 10.0):
        second = first.reindex()
    meta = second.saved.meta
    assert meta["segments"] == [first.saved.path.name] and not meta.get("deleted")
    assert [a["doc_id"] for a in meta["articles"]] == ["w-c"]  # only the new record was indexed
    _write_wire(seeds, {"a": wire["a"], "c": "The museum reopened after the storm."})
    with _commit_rules(8, 10.0):
        third = second.reindex()
    assert third.saved.meta["deleted"] == {first.saved.path.name: [1]} and third.saved.meta["articles"] == []
    assert sorted(a.doc_id for a in third.articles()) == ["w-a", "w-c"]
    (pid, _), *_ = third.search("storm")  # the removed record's sentences are gone, its terms too
    assert third.passage(pid).doc_id == "w-c" and third.search("harbour") == []
    assert "harbour" not in third.bm25.vocab
    assert third.entities() is not None and third.timeline() is not None


def test_opening_does_not_hash_unchanged_seeds(corpus, seeds_dir, index_dir, monkeypatch):
    from index.search import seeds_state

    def no_hashing(path):
        raise AssertionError(f"{path} was hashed")

    monkeypatch.setattr(seeds_state, "_sha", no_hashing)
    assert Corpus.open(seeds_dir, index_dir).stats()["articles"] == corpus.stats()["articles"]


def test_an_id_in_two_files_ends_as_a_whole_build_would(tmp_path):
    seeds, index_dir = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    (seeds / "b.md").write_text("---\nid: strike\n---\nThe old strike report.\n", encoding="utf-8")
    corpus = Corpus.open(seeds, index_dir)
    (seeds / "a.md").write_text("---\nid: strike\n---\nThe corrected strike report.\n", encoding="utf-8")
    corpus = corpus.reindex()  # a.md sorts first: a whole build keeps its copy
    assert corpus.article("strike").body.strip() == "The corrected strike report."
    (seeds / "a.md").unlink()
    corpus = corpus.reindex()  # the copy in b.md is the one left
    assert corpus.article("strike").body.strip() == "The old strike report."
    (seeds / "a.md").write_text("---\nid: strike\n---\nThe corrected strike report.\n", encoding="utf-8")
    corpus = corpus.reindex()
    (seeds / "b.md").unlink()
    assert corpus.reindex().article("strike").body.strip() == "The corrected strike report."
