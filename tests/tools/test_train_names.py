"""Round 11's held-out Reuters part: `tools.train_names.fold` splits by document, seeded; round 24's
inner split of its 80 % and the training settings."""

from __future__ import annotations

from pathlib import Path

from index.names.crf import model_attributes
from tools.train_names import DEFAULTS, fold, inner, split, train, trainer_params


def _rows(n: int) -> list[dict[str, object]]:
    return [{"doc_id": f"train-{k:03d}", "text": "", "entities": []} for k in range(n)]


def test_fold_is_a_seeded_80_20_split_by_document_in_file_order() -> None:
    rows = _rows(946)
    kept, held = fold(rows)
    assert len(held) == 189 and len(kept) == 757
    assert {r["doc_id"] for r in kept}.isdisjoint(r["doc_id"] for r in held)
    assert kept == [r for r in rows if r in kept]  # file order kept: training stays bit for bit
    assert fold(_rows(946)) == (kept, held)  # seeded
    assert held != split(rows, 0.2)[1]  # not the earlier rounds' shuffle, on which rules were chosen


def test_inner_splits_the_folds_80_percent_only() -> None:
    # round 24: settings are chosen on a part of the fold's 80 %, so the fold's 20 % stays unseen
    rows = _rows(946)
    kept, held = fold(rows)
    train_in, choose_on = inner(rows)
    assert len(train_in) + len(choose_on) == len(kept) and len(choose_on) == int(len(kept) * 0.2)
    assert {r["doc_id"] for r in train_in + choose_on} == {r["doc_id"] for r in kept}
    assert {r["doc_id"] for r in choose_on}.isdisjoint(r["doc_id"] for r in held)
    assert train_in == [r for r in kept if r in train_in]  # file order kept
    assert inner(_rows(946)) == (train_in, choose_on)  # seeded
    assert choose_on != split(kept, 0.2)[1]  # its own shuffle


def test_the_shipped_setting_passes_crfsuite_what_it_always_did() -> None:
    # a default left out of crfsuite's parameters keeps the shipped command's model byte for byte
    shipped = trainer_params("lbfgs", DEFAULTS["c1"], DEFAULTS["c2"], int(DEFAULTS["max_iterations"]), 0)
    assert shipped == DEFAULTS
    assert trainer_params("lbfgs", 0.1, 0.01, 300, 2)["feature.minfreq"] == 2
    assert trainer_params("l2sgd", 0.1, 0.5, 50, 0) == {"c2": 0.5, "max_iterations": 50}
    assert trainer_params("ap", 0.1, 0.5, 50, 0) == {"max_iterations": 50}


_DOCS = [
    {
        "doc_id": "a",
        "text": "Peter Blackburn met Jan Kroslak in Brussels .\n",
        "entities": [
            {"start": 0, "end": 15, "type": "PER"},
            {"start": 20, "end": 31, "type": "PER"},
            {"start": 35, "end": 43, "type": "LOC"},
        ],
    },
    {
        "doc_id": "b",
        "text": "The European Commission said on Thursday it disagreed .\n",
        "entities": [{"start": 4, "end": 23, "type": "ORG"}],
    },
]


def test_training_is_byte_for_byte_and_minfreq_drops_rare_features(tmp_path: Path) -> None:
    one, two, rare = tmp_path / "one.model", tmp_path / "two.model", tmp_path / "rare.model"
    train(_DOCS, one, trainer_params("lbfgs", 0.0, 0.01, 20, 0))
    train(_DOCS, two, trainer_params("lbfgs", 0.0, 0.01, 20, 0))
    assert one.read_bytes() == two.read_bytes()
    train(_DOCS, rare, trainer_params("lbfgs", 0.0, 0.01, 20, 2))
    assert len(model_attributes(rare)) < len(model_attributes(one))
