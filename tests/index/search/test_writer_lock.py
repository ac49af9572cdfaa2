"""One writer at a time per index folder, across real processes; readers never wait."""

import subprocess
import sys
import threading
import time
from pathlib import Path

from index.corpus import Corpus
from index.search import store
from index.search.writer_lock import writer_lock

from ...conftest import ROOT

OPEN = "import sys; from index.corpus import Corpus; print(Corpus.open(sys.argv[1], sys.argv[2]).stats()['articles'])"


def _seeds(folder: Path, names: list[str]) -> None:
    for name in names:
        (folder / f"{name}.txt").write_text(
            f"The {name} council met on Monday about the {name} budget.", encoding="utf-8"
        )


def test_a_second_writer_waits_then_succeeds_and_readers_never_wait(tmp_path):
    seeds, index_dir = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    _seeds(seeds, ["alpha", "beta"])
    Corpus.open(seeds, index_dir)
    before = store.current_generation(index_dir)
    _seeds(seeds, ["gamma"])
    with writer_lock(index_dir):
        proc = subprocess.Popen(
            [sys.executable, "-c", OPEN, str(seeds), str(index_dir)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stderr is not None
        first = proc.stderr.readline()  # blocks until the other process reaches the lock
        assert "waiting for another writer" in first, first + proc.stderr.read()
        time.sleep(0.3)
        assert proc.poll() is None, proc.communicate()
        assert store.current_generation(index_dir) == before  # nothing was written meanwhile

        # A reader of a fresh index (another thread, no lock) opens at once.
        opened: list[int] = []
        _seeds_same = threading.Thread(
            target=lambda: opened.append(len(Corpus(seeds, index_dir, store.load(before, store.read_meta(before)))))
        )
        _seeds_same.start()
        _seeds_same.join(10)
        assert opened
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert out.strip() == "3"
    assert "waiting for another writer" not in err  # said once, before the wait


def test_concurrent_ingests_all_succeed(tmp_path):
    seeds, index_dir, incoming = tmp_path / "seeds", tmp_path / "index", tmp_path / "in"
    seeds.mkdir()
    incoming.mkdir()
    _seeds(seeds, ["anchor"])
    Corpus.open(seeds, index_dir)
    names = [f"story{i}" for i in range(2)]
    _seeds(incoming, names)
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot",
                "--seeds",
                str(seeds),
                "--index-dir",
                str(index_dir),
                "ingest",
                str(incoming / f"{n}.txt"),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in names
    ]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * len(procs), results
    head = store.current_generation(index_dir)
    final = Corpus(seeds, index_dir, store.load(head, store.read_meta(head)))
    assert sorted(a.doc_id for a in final.articles()) == sorted(["anchor", *names])
