"""`bench.scale --do-build`'s phases: what its build figure holds (docs/scale.md, "Round 18, the build's
last seconds")."""

from __future__ import annotations

from bench import scale
from index.search import build as builder
from index.search import layers, store
from index.search.bm25 import BM25


def _seeds(folder, n):
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i:03d}.txt").write_text(
            f"Title {i}\n\nThe storm closed bridge {i} on Monday. The mayor spoke of repairs.\n", encoding="utf-8"
        )


def test_the_phases_time_each_part_of_a_build_and_leave_its_functions_as_they_were(tmp_path):
    originals = (
        BM25.__dict__["from_builder"],
        layers.analyse,
        layers.assemble,
        layers.dump_inputs,
        store.GenerationWriter.commit,
    )
    _seeds(tmp_path / "seeds", 12)
    steps: dict[str, list[float]] = {}
    with scale._phases(steps):
        generation = builder.build(tmp_path / "seeds", tmp_path / "index", workers=1)
    assert set(steps) == {"train", "sort", "layers", "commit"}  # each phase's function was called
    train, sort, lay, commit = (steps[name] for name in ("train", "sort", "layers", "commit"))
    assert train[1] <= sort[0] <= sort[1] <= lay[0] <= lay[1] <= commit[0]  # in the build's order
    assert lay[2] <= lay[1] - lay[0] + 1e-9  # the layers' three calls summed, not the gaps between them
    assert originals == (
        BM25.__dict__["from_builder"],
        layers.analyse,
        layers.assemble,
        layers.dump_inputs,
        store.GenerationWriter.commit,
    )
    saved = store.load(generation, store.read_meta(generation))
    assert saved.meta["layer_counts"]  # the wrapped build saved its layers as the plain one does
    phases = scale.build_phases(steps, train[0] - 0.5, commit[1] + 0.25)
    assert list(phases) == ["train", "split", "sort", "layers", "commit", "other"]
    assert abs(phases["split"] - (sort[0] - train[1])) < 1e-3
    assert abs(sum(phases.values()) - (commit[1] + 0.25 - train[0] + 0.5)) < 1e-2


def test_build_phases_puts_what_no_phase_timed_in_other():
    steps = {"train": [1.0, 3.0, 2.0, 2.5], "sort": [10.0, 11.0, 1.0, 1.0], "commit": [11.5, 12.0, 0.5, 0.4]}
    assert scale.build_phases(steps, 0.0, 13.0) == {
        "train": 2.0,
        "split": 7.0,
        "sort": 1.0,
        "commit": 0.5,
        "other": 2.5,
    }
