"""Round 11's held-out Reuters part: `tools.train_names.fold` splits by document, seeded."""

from __future__ import annotations

from tools.train_names import fold, split


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
