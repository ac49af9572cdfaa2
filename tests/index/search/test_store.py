"""The saved index: round trip, staleness, corruption of every file, interrupted builds."""

import json
import logging
import os
import random
import re
import time
import zlib

import numpy as np
import pytest

from index.corpus import Corpus
from index.search import build as builder
from index.search import store

QUESTION = "When does the ban take effect?"
EXPECTED = "The restriction will take effect July 10"


def test_round_trip_loads_without_rebuilding(corpus, seeds_dir, index_dir, caplog):
    before = corpus.answer(QUESTION).to_json()
    with caplog.at_level(logging.INFO, logger="verbatim.index"):
        again = Corpus.open(seeds_dir, index_dir)
    assert "building" not in caplog.text
    assert again.saved.path == corpus.saved.path
    assert again.answer(QUESTION).to_json() == before
    assert [p.text for p in again.all_passages()] == [p.text for p in corpus.all_passages()]


def test_no_pickle_anywhere(corpus):
    for path in corpus.saved.path.iterdir():
        assert path.suffix in {".npy", ".json", ".jsonl", ".bin"}
        if path.suffix == ".npy":
            import numpy as np

            np.load(path, allow_pickle=False)  # raises if an object array had been saved


def test_sidecar_is_stamped(corpus):
    meta = json.loads((corpus.saved.path / "meta.json").read_text())
    assert meta["format_version"] == store.FORMAT_VERSION
    assert meta["tokenizer"]["stemmer"] == "snowball-english"
    assert len(meta["seeds_hash"]) == 64
    assert meta["bm25"] == {"k1": 1.5, "b": 0.75, "epsilon": 0.25}


def test_changed_seeds_rebuild(corpus, seeds_dir, index_dir, caplog):
    (seeds_dir / "new.txt").write_text("Qoder launched a new plugin on Friday.", encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="verbatim.index"):
        fresh = Corpus.open(seeds_dir, index_dir)
    assert "seeds changed" in caplog.text
    assert fresh.stats()["articles"] == 2
    assert fresh.answer("qoder plugin").hits[0].passage.doc_id == "new"
    # An update: the new article is a segment over the old generation, which is kept for it ...
    assert fresh.saved.meta["segments"] == [corpus.saved.path.name]
    assert fresh.saved.meta["articles"] == [fresh.article("new").meta()]
    # ... until a whole build (or a merge) replaces both: then it is pruned.
    rebuilt = Corpus.open(seeds_dir, index_dir, rebuild=True)
    assert not corpus.saved.path.exists() and not fresh.saved.path.exists()
    assert rebuilt.stats()["articles"] == 2


def test_other_format_version_rebuilds(corpus, seeds_dir, index_dir, caplog, monkeypatch):
    monkeypatch.setattr(store, "FORMAT_VERSION", store.FORMAT_VERSION + 1)
    with caplog.at_level(logging.INFO, logger="verbatim.index"):
        Corpus.open(seeds_dir, index_dir)
    assert "format_version changed" in caplog.text


def test_other_bm25_parameters_rebuild_once(corpus, seeds_dir, index_dir, caplog, monkeypatch):
    # An index saved at other k1 and b (issue 17: the values may be chosen again) is rebuilt once
    # at the code's values, read whole, and then reused; `DEFAULT_PARAMS` is read when called.
    from rank_bm25 import BM25Okapi

    from index.search.bm25 import BM25Params

    other = BM25Params(k1=0.9, b=0.3)
    monkeypatch.setattr(builder, "DEFAULT_PARAMS", other)
    with caplog.at_level(logging.INFO, logger="verbatim.index"):
        fresh = Corpus.open(seeds_dir, index_dir)
    assert "bm25 changed" in caplog.text
    assert fresh.saved.path != corpus.saved.path
    assert fresh.saved.meta["bm25"] == {"k1": 0.9, "b": 0.3, "epsilon": 0.25} and fresh.bm25.params == other
    assert [p.text for p in fresh.all_passages()] == [p.text for p in corpus.all_passages()]
    docs = [fresh.tokenize(p.text) for p in fresh.all_passages()]
    question = fresh.tokenize(QUESTION)
    oracle = BM25Okapi(docs, k1=0.9, b=0.3, epsilon=0.25).get_scores(question)
    np.testing.assert_allclose(fresh.bm25.scores(question), oracle, rtol=1e-5)
    assert EXPECTED in fresh.answer(QUESTION).hits[0].passage.text
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="verbatim.index"):
        again = Corpus.open(seeds_dir, index_dir)
    assert "changed" not in caplog.text and again.saved.path == fresh.saved.path


def test_another_reading_of_articles_rebuilds(corpus, seeds_dir, index_dir, caplog, monkeypatch):
    # Titles and dates are read at ingest: a saved index made by an older reading is rebuilt, not kept.
    from index.search import build

    monkeypatch.setattr(build, "ARTICLES_VERSION", build.ARTICLES_VERSION + "-next")
    with caplog.at_level(logging.INFO, logger="verbatim.index"):
        fresh = Corpus.open(seeds_dir, index_dir)
    assert "article_reading changed" in caplog.text
    assert fresh.saved.path != corpus.saved.path


def _corrupt_cases():
    return [
        "meta.json",
        "passages.npy",
        "docs.npy",
        "pair.npy",
        "indptr.npy",
        "idf.npy",
        "doc_len.npy",
        "bodies.bin",
        "body_offsets.npy",
    ]


@pytest.mark.parametrize("name", _corrupt_cases())
@pytest.mark.parametrize("damage", ["truncate", "flip", "delete"])
def test_corrupt_files_are_noticed_and_rebuilt(corpus, seeds_dir, index_dir, caplog, name, damage):
    path = corpus.saved.path / name
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :])
    else:
        path.unlink()
    with caplog.at_level(logging.WARNING, logger="verbatim.index"):
        fresh = Corpus.open(seeds_dir, index_dir)
    assert "corrupt" in caplog.text
    assert fresh.answer(QUESTION).hits[0].passage.text.startswith(EXPECTED)


@pytest.mark.parametrize("content", ["", "{not json", '{"generation": "../../etc"}', '{"generation": "gen-nope"}'])
def test_corrupt_pointer_is_rebuilt(corpus, seeds_dir, index_dir, content):
    (index_dir / store.CURRENT).write_text(content)
    fresh = Corpus.open(seeds_dir, index_dir)
    assert fresh.answer(QUESTION).hits[0].passage.text.startswith(EXPECTED)


def test_missing_pointer_with_generations_is_rebuilt(corpus, seeds_dir, index_dir, caplog):
    (index_dir / store.CURRENT).unlink()
    with caplog.at_level(logging.WARNING, logger="verbatim.index"):
        Corpus.open(seeds_dir, index_dir)
    assert "CURRENT is missing" in caplog.text


def test_interrupted_build_leaves_the_old_index(corpus, seeds_dir, index_dir, monkeypatch):
    old = corpus.saved.path
    (seeds_dir / "new.txt").write_text("Another article.", encoding="utf-8")

    def crash(*args, **kwargs):
        raise KeyboardInterrupt  # as if the process died half-way through writing

    monkeypatch.setattr(store.np, "save", crash)
    with pytest.raises(KeyboardInterrupt):
        builder.build(seeds_dir, index_dir)
    assert store.current_generation(index_dir) == old
    assert not [p for p in os.listdir(index_dir) if p.startswith(".build-")]
    meta = store.read_meta(old)
    loaded = Corpus(seeds_dir, index_dir, store.load(old, meta))
    assert loaded.answer(QUESTION).hits[0].passage.text.startswith(EXPECTED)


def _rewrite_meta(generation, change):
    """Edit the sidecar and re-stamp its checksum, so that only the schema check can catch it."""
    meta = json.loads((generation / "meta.json").read_text(encoding="utf-8"))
    change(meta)
    store.write_meta(generation, meta)


def _files_as_list(meta):
    meta["files"] = sorted(meta["files"])


def _no_articles(meta):
    meta["articles"] = []


def _article_without_title(meta):
    del meta["articles"][0]["title"]


def _vocab_as_integers(meta):
    meta["vocab"] = list(range(len(meta["vocab"])))


def _article_field_of_the_wrong_type(meta):
    meta["articles"][0]["date"] = ["2026", "07"]


@pytest.mark.parametrize(
    "change",
    [_files_as_list, _no_articles, _article_without_title, _vocab_as_integers, _article_field_of_the_wrong_type],
)
def test_a_sidecar_of_the_wrong_shape_is_rebuilt_not_trusted(corpus, seeds_dir, index_dir, caplog, change):
    _rewrite_meta(corpus.saved.path, change)
    with caplog.at_level(logging.WARNING, logger="verbatim.index"):
        fresh = Corpus.open(seeds_dir, index_dir)
    assert "corrupt" in caplog.text
    assert fresh.saved.path != corpus.saved.path
    assert fresh.answer(QUESTION).hits[0].passage.text.startswith(EXPECTED)
    assert fresh.entities().get("alibaba") is not None and fresh.timeline()


def test_swapped_vocabulary_strings_fail_the_checksum(corpus, seeds_dir, index_dir, caplog):
    """Two words swapped keep the sidecar's shape and size, and gave silently wrong answers."""
    path = corpus.saved.path / "meta.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    vocab = meta["vocab"]
    i, j = vocab.index("ban"), next(k for k, t in enumerate(vocab) if len(t) == 3 and t != "ban")
    vocab[i], vocab[j] = vocab[j], vocab[i]
    path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="verbatim.index"):
        fresh = Corpus.open(seeds_dir, index_dir)
    assert "fails its checksum" in caplog.text
    assert fresh.answer(QUESTION).hits[0].passage.text.startswith(EXPECTED)


@pytest.mark.parametrize("name", ["entities.json", "timeline.json", "articles.json", "entity_cited.npy"])
def test_a_damaged_layer_is_noticed_and_rebuilt(corpus, seeds_dir, index_dir, caplog, name):
    path = corpus.saved.path / name
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] + bytes([data[len(data) // 2] ^ 0xFF]) + data[len(data) // 2 + 1 :])
    with caplog.at_level(logging.WARNING, logger="verbatim.index"):
        fresh = Corpus.open(seeds_dir, index_dir)
    assert "corrupt" in caplog.text
    assert fresh.entities().get("alibaba") is not None and fresh.timeline()


def test_a_layer_that_does_not_match_its_index_is_rebuilt(corpus, seeds_dir, index_dir, caplog):
    """A layer that passes its checksum but cites sentences the index does not have (written by
    a buggy build) is treated as corrupt when it is opened."""
    generation = corpus.saved.path
    data = json.loads((generation / "articles.json").read_text(encoding="utf-8"))
    data["ranks"] = [999 for _ in data["ranks"]]
    encoded = json.dumps(data).encode("utf-8")
    (generation / "articles.json").write_bytes(encoded)
    meta = json.loads((generation / "meta.json").read_text(encoding="utf-8"))
    meta["files"]["articles.json"] = {"bytes": len(encoded), "crc32": zlib.crc32(encoded)}
    store.write_meta(generation, meta)
    with caplog.at_level(logging.WARNING, logger="verbatim.index"):
        fresh = Corpus.open(seeds_dir, index_dir)
    assert "suggestions point outside" in caplog.text
    assert fresh.suggest_articles("alibaba")


def test_the_sidecar_schema_check_names_the_field():
    from index.search.sidecar import SidecarInvalid, check_meta

    with pytest.raises(SidecarInvalid, match="not a JSON object"):
        check_meta([])
    with pytest.raises(SidecarInvalid, match="tokenizer is missing"):
        check_meta({"format_version": store.FORMAT_VERSION})


def test_a_fresh_process_reads_no_large_file_unchanged_since_its_writer_checksummed_it(corpus, index_dir, monkeypatch):
    generation = corpus.saved.path
    meta = store.read_meta(generation)
    monkeypatch.setattr(store, "TRUSTED_STAT_BYTES", 0)  # every file counts as large here
    monkeypatch.setattr(store, "_verified", {})  # as in a process that never checked them
    read = []
    crc = store._crc
    monkeypatch.setattr(store, "_crc", lambda path: read.append(path.name) or crc(path))
    store.load(generation, meta)
    assert read == []
    # Written again later (same size, one byte flipped): its stat changed, so it is read and fails.
    path = generation / "docs.npy"
    data = path.read_bytes()
    time.sleep(0.05)  # past the file clock's tick, as any later write is
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 0xFF]))
    with pytest.raises(store.IndexCorrupt, match="fails its checksum"):
        store.load(generation, meta)
    assert read == ["docs.npy"]


def test_a_body_that_does_not_unpack_is_a_corrupt_index_not_a_crash():
    packed = store.pack_body("The storm closed the bridge.")
    assert store.unpack_body(packed) == b"The storm closed the bridge."
    with pytest.raises(store.IndexCorrupt, match="does not unpack"):
        store.unpack_body(packed[:-3] + b"\0\0\0")


def test_a_body_longer_than_the_packing_window_unpacks_to_its_bytes():
    rng = random.Random(4)
    words = "council budget river bridge election mayor school storm harbour railway Zürich".split()
    body = " ".join(rng.choice(words) for _ in range(60_000))  # about 400 KB: six 64 KB windows
    assert len(body.encode("utf-8")) > 6 << store.BODY_WINDOW_BITS
    packed = store.pack_body(body)
    assert len(packed) < len(body) // 2 and store.unpack_body(packed) == body.encode("utf-8")


def test_an_index_of_format_7_with_unpacked_bodies_is_rebuilt_and_reads_its_bodies(corpus, seeds_dir, index_dir):
    generation = corpus.saved.path
    bodies = [a.body for a in corpus.articles()]
    meta = store.read_meta(generation)
    offsets = np.cumsum([0, *(len(b.encode("utf-8")) for b in bodies)])
    (generation / "bodies.bin").write_bytes("".join(bodies).encode("utf-8"))  # as version 7 wrote them
    np.save(generation / "body_offsets.npy", offsets)
    store.write_meta(generation, {**meta, "format_version": 7})
    fresh = Corpus.open(seeds_dir, index_dir)
    assert fresh.saved.path != generation and fresh.saved.meta["format_version"] == store.FORMAT_VERSION == 13
    assert [a.body for a in fresh.articles()] == bodies


def test_an_index_of_format_9_with_zlib_bodies_and_wide_rows_is_rebuilt_and_reads_the_same(
    corpus, seeds_dir, index_dir
):
    generation = corpus.saved.path
    bodies = [a.body for a in corpus.articles()]
    texts = [p.text for p in corpus.all_passages()]
    packed = [zlib.compress(b.encode("utf-8"), 1) for b in bodies]  # as version 9 wrote them
    (generation / "bodies.bin").write_bytes(b"".join(packed))
    np.save(generation / "body_offsets.npy", np.cumsum([0, *map(len, packed)]))
    store.write_meta(generation, {**store.read_meta(generation), "format_version": 9})
    fresh = Corpus.open(seeds_dir, index_dir)
    assert fresh.saved.path != generation and fresh.saved.meta["format_version"] == store.FORMAT_VERSION == 13
    assert [a.body for a in fresh.articles()] == bodies
    assert [p.text for p in fresh.all_passages()] == texts


def test_saved_rows_take_the_narrowest_fields_their_values_fit(corpus):
    saved = np.load(corpus.saved.path / "passages.npy")
    assert saved.dtype["paragraph"] == np.uint16 and saved.dtype["sentence"] == np.uint16
    assert saved.dtype.itemsize == 21 and saved.dtype.names == store.PASSAGE_DTYPE.names
    wide = saved.astype(store.PASSAGE_DTYPE)
    assert np.array_equal(store.narrow_rows(wide), saved)


def test_a_row_value_beyond_the_narrow_range_keeps_its_wide_field():
    rows = np.zeros(3, dtype=store.PASSAGE_DTYPE)
    rows["paragraph"] = [1, 2, 3]
    rows["sentence"] = [1, 65_535, 65_536]  # the third overflows uint16
    narrow = store.narrow_rows(rows)
    assert narrow.dtype["paragraph"] == np.uint16 and narrow.dtype["sentence"] == np.int32
    assert narrow["sentence"].tolist() == [1, 65_535, 65_536]
    assert np.array_equal(np.concatenate([store.narrow_rows(rows[:1]), narrow])["sentence"], [1, 1, 65_535, 65_536])


def test_rows_without_the_passage_fields_are_a_corrupt_index(corpus):
    generation = corpus.saved.path
    meta = store.read_meta(generation)
    np.save(generation / "passages.npy", np.zeros(len(corpus), dtype=[("doc", "<i4")]))
    data = (generation / "passages.npy").read_bytes()
    meta["files"]["passages.npy"] = {"bytes": len(data), "crc32": zlib.crc32(data)}
    with pytest.raises(store.IndexCorrupt, match="unreadable array"):
        store.load(generation, meta)


def _resident_kb(path):
    """The resident KB of this process's mappings of `path` (/proc/self/smaps)."""
    total, inside = 0, False
    for line in open("/proc/self/smaps", encoding="utf-8"):
        parts = line.split()
        if re.match(r"[0-9a-f]+-[0-9a-f]+ ", line):  # a mapping's header: address range, ..., path
            inside = len(parts) >= 6 and parts[5] == str(path)
        elif inside and parts[0] == "Rss:":
            total += int(parts[1])
    return total


@pytest.mark.skipif(not os.path.exists("/proc/self/smaps"), reason="reads /proc/self/smaps")
def test_released_arrays_leave_the_resident_set_and_still_read(tmp_path):
    path = tmp_path / "rows.npy"
    np.save(path, np.arange(2_000_000, dtype=np.int32))
    mapped = np.load(path, mmap_mode="r")
    assert int(mapped.sum(dtype=np.int64)) == 1_999_999 * 1_000_000  # every page read
    assert _resident_kb(path) >= 7_000
    store.release(mapped)
    assert _resident_kb(path) < 1_000
    assert int(mapped[1_999_999]) == 1_999_999 and int(mapped.sum(dtype=np.int64)) == 1_999_999 * 1_000_000
    store.release(np.arange(3))  # not mapped: nothing to do


@pytest.mark.skipif(not os.path.exists("/proc/self/smaps"), reason="reads /proc/self/smaps")
def test_an_opened_index_keeps_none_of_its_rows_resident(corpus, seeds_dir, index_dir):
    again = Corpus.open(seeds_dir, index_dir)
    assert again.saved.path == corpus.saved.path and len(again) > 0
    assert _resident_kb(again.saved.path / "passages.npy") == 0  # read whole at open, then released
    assert again.passage(len(again) - 1).text == corpus.passage(len(corpus) - 1).text


def test_a_sidecar_unchanged_since_its_writer_checked_it_is_not_checked_again(corpus, monkeypatch):
    generation = corpus.saved.path
    st = (generation / "meta.json").stat()
    assert json.loads((generation / "checksum.json").read_text())["checked"] == [st.st_mtime_ns, st.st_ino]
    checked = []
    check = store.check_meta
    monkeypatch.setattr(store, "check_meta", lambda meta: checked.append(1) or check(meta))
    monkeypatch.setattr(store, "_meta_cache", {})  # as in a fresh process
    assert store.read_meta(generation)["articles"] == corpus.saved.meta["articles"]
    assert checked == []
    # The same bytes written again (a hand edit undone): its stat changed, so its shape is checked.
    data = (generation / "meta.json").read_bytes()
    time.sleep(0.05)  # past the file clock's tick, as any later write is
    (generation / "meta.json").write_bytes(data)
    store.read_meta(generation)
    assert checked == [1]
