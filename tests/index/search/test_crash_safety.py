"""SIGKILL at random points of an index build or an ingest: nothing is lost or half-written."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from index.corpus import Corpus
from index.search import store
from tests.conftest import ROOT

WORDS = (
    "council budget river bridge election mayor school hospital storm harbour railway "
    "festival museum library court police factory airport market farmer"
).split()


def _articles(folder: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    for n in range(count):
        sentences = [" ".join(rng.choices(WORDS, k=12)).capitalize() + "." for _ in range(20)]
        (folder / f"a{seed}-{n:04d}.txt").write_text(" ".join(sentences) + "\n", encoding="utf-8")


def _kill_after(args: list[str], delay: float) -> int:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    return proc.wait()


def test_killed_builds_never_break_the_index(tmp_path):
    seeds, index_dir = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    (seeds / "anchor.txt").write_text("The lighthouse keeper retired in May.", encoding="utf-8")
    _articles(seeds, 150, seed=1)
    Corpus.open(seeds, index_dir)
    rng = random.Random(42)
    for round_ in range(8):
        _articles(seeds, 10, seed=100 + round_)  # the seeds change, so every start rebuilds
        _kill_after(["--seeds", str(seeds), "--index-dir", str(index_dir), "index", "build"], rng.uniform(0.2, 2.5))
        generation = store.current_generation(index_dir)  # the pointer always names a whole index
        loaded = Corpus(seeds, index_dir, store.load(generation, store.read_meta(generation)))
        assert loaded.answer("lighthouse keeper").hits[0].passage.text == "The lighthouse keeper retired in May."
    fresh = Corpus.open(seeds, index_dir)
    assert fresh.stats()["articles"] == 231
    assert [p.name for p in index_dir.iterdir() if p.name.startswith(".build-")] == []


def test_killed_ingest_never_leaves_a_half_written_article(tmp_path):
    seeds, index_dir, incoming = tmp_path / "seeds", tmp_path / "index", tmp_path / "in"
    seeds.mkdir()
    incoming.mkdir()
    (seeds / "anchor.txt").write_text("The lighthouse keeper retired in May.", encoding="utf-8")
    big = incoming / "big.jsonl"
    line = '{"id": "%d", "text": "%s"}\n'
    big.write_text("".join(line % (i, "Harbour news. " * 40) for i in range(6000)), encoding="utf-8")
    expected = big.read_bytes()
    rng = random.Random(7)
    for _ in range(6):
        _kill_after(["--seeds", str(seeds), "--index-dir", str(index_dir), "ingest", str(big)], rng.uniform(0.2, 1.5))
        copied = seeds / "big.jsonl"
        assert not copied.exists() or copied.read_bytes() == expected
        copied.unlink(missing_ok=True)
    # Leftover temp files are hidden from ingest; old ones are removed by the next build.
    for leftover in seeds.glob(".tmp-*"):
        os.utime(leftover, (0, 0))
    corpus = Corpus.open(seeds, index_dir, rebuild=True)
    assert not list(seeds.glob(".tmp-*"))
    assert corpus.answer("lighthouse keeper").hits[0].passage.doc_id == "anchor"


def test_killed_updates_and_removals_never_break_the_index(tmp_path):
    """Incremental commits (a segment of new articles, tombstones for removed ones) killed at
    random points: the pointer always names a whole chain, and the next open catches up."""
    seeds, index_dir = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    (seeds / "anchor.txt").write_text("The lighthouse keeper retired in May.", encoding="utf-8")
    _articles(seeds, 150, seed=1)
    Corpus.open(seeds, index_dir)
    rng = random.Random(43)
    for round_ in range(3):
        if round_ % 2:
            for path in rng.sample(sorted(seeds.glob("a1-*.txt")), 5):  # removals
                path.unlink()
        else:
            _articles(seeds, 5, seed=200 + round_)  # an update: new articles
        _kill_after(["--seeds", str(seeds), "--index-dir", str(index_dir), "about"], rng.uniform(0.8, 2.5))
        generation = store.current_generation(index_dir)
        loaded = Corpus(seeds, index_dir, store.load(generation, store.read_meta(generation)))
        assert loaded.answer("lighthouse keeper").hits[0].passage.text == "The lighthouse keeper retired in May."
    fresh = Corpus.open(seeds, index_dir)
    expected = sorted(p.stem for p in seeds.glob("*.txt"))
    assert sorted(a.doc_id for a in fresh.articles()) == expected
    assert [p.name for p in index_dir.iterdir() if p.name.startswith(".build-")] == []
