"""tools.make_background_idf: document frequency over the index's terms, rare terms left out."""

from __future__ import annotations

import math

import pytest

from tools import make_background_idf as tool


def test_a_unit_counts_a_term_once_and_stems_and_stopwords_are_the_index_s() -> None:
    n, df = tool.document_frequency(["He came and came again.", "They come home.", "The storm passed."])
    assert n == 3
    assert df["came"] == 1  # once per unit, however often it says it
    assert df["come"] == 1
    assert "the" not in df and "and" not in df  # stopwords, as the index drops them


def test_the_table_keeps_terms_held_by_min_df_units_sorted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tool, "MIN_DF", 2)
    n, df = tool.document_frequency(["storm came", "storm went", "came storm", "pier"])
    assert tool.table(n, df) == [("came", math.log(4 / 2)), ("storm", math.log(4 / 3))]
