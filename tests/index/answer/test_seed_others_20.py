"""Round 20: other people's seed questions, a fifth blind part (seed_questions_others_e.tsv held
out) and the question-side fixes that paid on A to D (docs/answers.md, seedq20)."""

from __future__ import annotations

import re

from index.search import tokens
from tests.question_sets import (
    SEED_OTHERS_A,
    SEED_OTHERS_B,
    SEED_OTHERS_C,
    SEED_OTHERS_D,
    SEED_OTHERS_E,
    SEED_TSV,
    seed_rows,
)


def _norm(q: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", tokens.normalise(q).replace("'", "")))


def test_part_e_is_disjoint_from_every_other_seed_set() -> None:
    e = {_norm(q) for q, _ in seed_rows(SEED_OTHERS_E)}
    assert len(e) == 114
    for path in (SEED_OTHERS_A, SEED_OTHERS_B, SEED_OTHERS_C, SEED_OTHERS_D, SEED_TSV):
        assert not e & {_norm(q) for q, _ in seed_rows(path)}, path.name
