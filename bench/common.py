"""What the Discord benchmarks share: percentiles and questions about the seed article."""

from __future__ import annotations

import numpy as np

# Discord-style questions about the seed article (answerable), asked in turn by the benchmarks.
SEED_QUESTIONS = [
    "When does the ban take effect?",
    "What did Alibaba tell employees to use instead of Claude Code?",
    "How many fraudulent accounts were involved?",
    "Who disputed the backdoor characterization?",
    "What is model distillation?",
    "Why did Alibaba ban Claude Code?",
]


def percentile(values: list[float], q: float, method: str = "linear") -> float:
    """numpy's percentile, NaN for no values (a minute without answers)."""
    return float(np.percentile(values, q, method=method)) if len(values) else float("nan")
