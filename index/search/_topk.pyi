"""Types of the compiled top k (`_topk.c`)."""

from collections.abc import Sequence

import numpy as np

def top(
    lists: Sequence[tuple[np.ndarray, np.ndarray, int]],
    k: int,
    block: int,
    work: np.ndarray,
    out_ids: np.ndarray,
    out_scores: np.ndarray,
) -> int: ...
