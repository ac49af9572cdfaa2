"""The build streams its seeds: read once into workers a few chunks ahead, bodies written as they
pass, and the saved index is the one an in-memory build of the same articles makes."""

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from index.ingest import sentences
from index.ingest.files import iter_seeds, load_seeds, seed_files
from index.search import build as builder
from index.search import store

WORDS = "council budget river bridge election mayor school storm harbour railway festival museum".split()


def _text(seed: int, n: int) -> str:
    rng = np.random.default_rng(seed)
    return " ".join(
        " ".join(str(w) for w in rng.choice(WORDS, size=int(rng.integers(3, 12)))).capitalize() + "." for _ in range(n)
    )


def _seeds(folder: Path, articles: int, sentences_each: int) -> None:
    folder.mkdir()
    with (folder / "wire.jsonl").open("w", encoding="utf-8") as fh:
        for i in range(articles):
            fh.write(json.dumps({"id": f"w{i}", "title": f"Wire {i}", "text": _text(i, sentences_each)}) + "\n")
        fh.write("{not json\n")
        fh.write(json.dumps({"id": "w3", "title": "Again", "text": "A repeat in the same file."}) + "\n")
    (folder / "a.md").write_text("---\nid: w5\ntitle: Shadow\n---\nAn id an earlier file holds.\n", encoding="utf-8")
    (folder / "b.md").write_text("---\ntitle: Own\n---\nThe storm closed the bridge.\n", encoding="utf-8")


def _old_read(seeds: Path, files: list[Path]) -> tuple[list[str], list[str], list[str]]:
    """Round 10's reader: `load_seeds` one file at a time, ids of earlier files skipped."""
    ids, warnings, skipped = [], [], []
    seen: set[str] = set()
    for path in files:
        result = load_seeds(seeds, [path])
        warnings.extend(result.warnings)
        for article in result.articles:
            if article.doc_id in seen:
                skipped.append(article.doc_id)
                warnings.append(
                    f"{path.name}: skipped article {article.doc_id!r}, an article with that id is already indexed"
                )
                continue
            seen.add(article.doc_id)
            ids.append(article.doc_id)
    return ids, warnings, skipped


def test_the_stream_reader_keeps_the_readers_articles_warnings_and_skips(tmp_path):
    seeds = tmp_path / "seeds"
    _seeds(seeds, 8, 3)
    files = sorted(seed_files(seeds), key=lambda p: p.name != "wire.jsonl")  # the wire first: a.md's w5 is late
    warnings: list[str] = []
    skipped: list[str] = []
    ids = [a.doc_id for _, a in iter_seeds(seeds, files, warnings, skipped=skipped)]
    assert (ids, warnings, skipped) == _old_read(seeds, files)
    assert skipped == ["w5"] and any("not valid JSON" in w for w in warnings)


def test_chunks_are_read_only_a_few_ahead_of_the_results():
    builder._init_worker(sentences.train_splitter(["The storm closed the bridge."]))
    pulled = [0]

    def chunks() -> Iterator[list[tuple[int, str]]]:
        for i in range(30):
            pulled[0] += 1
            yield [(i, "The storm closed the bridge. The mayor spoke.")]

    got = 0
    with ThreadPoolExecutor(2) as pool:
        for rows, *_ in builder._in_order(pool, chunks(), 3):
            assert pulled[0] - got <= 3  # never the whole stream queued at once
            assert rows["doc"].tolist() == [got, got]  # in order
            got += 1
    assert got == 30


def test_a_streamed_build_saves_what_an_in_memory_build_makes(tmp_path, monkeypatch):
    seeds, index = tmp_path / "seeds", tmp_path / "index"
    _seeds(seeds, 60, 60)  # about 250k characters: two chunks or more
    monkeypatch.setattr(builder, "PARALLEL_CHARS", 0)  # the workers' path, as a large build takes
    generation = builder.build(seeds, index, workers=2, layers=False)
    saved = store.load(generation, store.read_meta(generation))
    articles = load_seeds(seeds).articles
    rows, bm25 = builder.split_and_index(articles, workers=1)
    assert [a["doc_id"] for a in saved.meta["articles"]] == [a.doc_id for a in articles]
    assert [saved.body_bytes(i).decode("utf-8") for i in range(len(articles))] == [a.body for a in articles]
    assert saved.meta["vocab"] == bm25.terms
    assert np.array_equal(saved.arrays["passages"], rows)
    for name, array in bm25.arrays().items():
        assert np.array_equal(saved.arrays[name], array), name
    assert saved.meta["shadowed"] == ["w5"]  # a.md comes first in the folder's order: the wire's w5 is skipped
    assert any("already indexed" in w for w in saved.meta["warnings"])


def test_stored_articles_read_back_as_they_were_read(tmp_path):
    seeds = tmp_path / "seeds"
    _seeds(seeds, 5, 2)
    articles = load_seeds(seeds).articles
    with store.GenerationWriter(tmp_path / "index") as writer:
        for article in articles:
            writer.add_packed(store.pack_body(article.body))
        stored = builder._StoredArticles([a.meta() for a in articles], writer.bodies(), writer.body_offsets)
        assert list(stored) == articles and stored[-1] == articles[-1] and stored[1:3] == articles[1:3]
    assert not list((tmp_path / "index").glob(".build-*"))  # left without a commit: nothing stays
