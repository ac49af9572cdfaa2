"""A last look at the top three: should the second or third sentence come first?

The rerank (index.answer.rerank) scores every candidate with one weighted sum of its features. That
sum cannot express "prefer the runner-up when it holds the answer type and the leader only
wins on words of the question it repeats": interactions of features. A small gradient-boosted
tree ensemble compares the leader with each of the next two (their features, the differences
and the score gap) and says how likely the other one is the answer. When that is over
THRESHOLD for either, the likelier one moves to first place; the rest keep their order.

It is read only for questions like those it learnt from (`applies`: wh-questions of at least
three terms; SQuAD has almost no yes/no questions and few of one or two words), and never
moves a `READ:` headline up. Measured (docs/quality.md, round 6): SQuAD held-out half P@1
.687 -> .704; 200 blind news questions 48.5% -> 51.0% right first; the seed article's
questions unchanged.

The ensemble is learnt by `python -m bench.fit_swap` (scikit-learn's
HistGradientBoostingClassifier) on questions about SQuAD articles 0-11 only and shipped as
plain JSON (`data/swap_model.json`: per tree, arrays of split feature, threshold, children and
leaf values), never as a pickle; this module evaluates it with numpy. The file carries inputs
and scikit-learn's own outputs for them, which the tests check this evaluator against.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from index.answer import rerank
from index.answer.query import Query
from index.models import Passage

log = logging.getLogger("verbatim.index")
FORMAT = "verbatim-swap-1"
MODEL_FILE = "swap_model.json"


@dataclass(frozen=True)
class Model:
    """A flattened tree ensemble: node arrays of all trees end to end, `roots` their starts."""

    features: tuple[str, ...]  # the candidate feature columns, in index.answer.rerank's names
    k: int  # how many of the best are compared (the leader and k - 1 others)
    threshold: float  # probability over which the other sentence moves to first place
    baseline: float  # raw score before the trees (log-odds of the prior)
    roots: np.ndarray
    feature: np.ndarray
    split: np.ndarray
    left: np.ndarray
    right: np.ndarray
    leaf: np.ndarray
    value: np.ndarray
    depth: int
    meta: dict[str, Any]

    def raw(self, rows: np.ndarray) -> np.ndarray:
        """Log-odds for each row (rows x pair columns): baseline + the leaf value of every tree.
        A row goes left when its value is <= the split threshold (scikit-learn's rule).
        """
        rows = np.atleast_2d(np.asarray(rows, dtype=np.float64))
        node = np.broadcast_to(self.roots, (len(rows), len(self.roots))).copy()
        r = np.arange(len(rows))[:, None]
        for _ in range(self.depth):
            go_left = rows[r, self.feature[node]] <= self.split[node]
            node = np.where(self.leaf[node], node, np.where(go_left, self.left[node], self.right[node]))
        log_odds: np.ndarray = self.baseline + self.value[node].sum(axis=1)
        return log_odds

    def probability(self, rows: np.ndarray) -> np.ndarray:
        """The chance, per row, that the other sentence is the answer rather than the leader."""
        chance: np.ndarray = 1.0 / (1.0 + np.exp(-self.raw(rows)))
        return chance


def from_json(data: dict[str, Any]) -> Model:
    """Validate and flatten a model dictionary (see bench.fit_swap for the writer)."""
    if data.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} model")
    feature: list[int] = []
    split: list[float] = []
    left: list[int] = []
    right: list[int] = []
    leaf: list[bool] = []
    value: list[float] = []
    roots: list[int] = []
    depth = 0
    for tree in data["trees"]:
        base = len(feature)
        roots.append(base)
        feature += tree["feature"]
        split += tree["threshold"]
        left += [base + i for i in tree["left"]]
        right += [base + i for i in tree["right"]]
        leaf += tree["leaf"]
        value += tree["value"]
        depth = max(depth, int(tree["depth"]))
    return Model(
        tuple(data["features"]),
        int(data["k"]),
        float(data["threshold"]),
        float(data["baseline"]),
        np.array(roots, dtype=np.int64),
        np.array(feature, dtype=np.int64),
        np.array(split, dtype=np.float64),
        np.array(left, dtype=np.int64),
        np.array(right, dtype=np.int64),
        np.array(leaf, dtype=bool),
        np.array(value, dtype=np.float64),
        depth,
        {k: v for k, v in data.items() if k not in ("trees",)},
    )


@lru_cache(maxsize=1)
def model() -> Model | None:
    """The shipped model (read once), or None when its file is missing or damaged: answers
    then keep the rerank's order (logged once) rather than fail.
    """
    try:
        text = resources.files("index.data").joinpath(MODEL_FILE).read_text(encoding="utf-8")
        return from_json(json.loads(text))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("last-look model %s unreadable (%s); answering without it", MODEL_FILE, exc)
        return None


def pair_rows(F: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """One row per challenger j = 1..len(F)-1: the leader's features, j's, their difference,
    and the leader's score lead. `F` holds the model's columns of the best sentences, best
    first; `scores` their rerank scores.
    """
    F = np.asarray(F, dtype=np.float64)
    k, width = F.shape
    rows = np.empty((max(k - 1, 0), 3 * width + 1))  # filled column block by column block
    if k < 2:
        return rows
    rows[:, :width] = F[0]
    rows[:, width : 2 * width] = F[1:]
    rows[:, 2 * width : 3 * width] = F[0] - F[1:]
    s = np.asarray(scores, dtype=np.float64)
    rows[:, 3 * width] = s[0] - s[1:k]
    return rows


def pick(m: Model, rows: np.ndarray, allowed: np.ndarray | None = None) -> int:
    """0 to keep the leader, or the position (1..k-1) of the sentence that should come first,
    from the pair rows of the leader and its challengers (`allowed`: which may move up).
    """
    if not len(rows):
        return 0
    p = m.probability(rows)
    if allowed is not None:
        p = np.where(allowed, p, 0.0)
    j = int(np.argmax(p))
    return j + 1 if p[j] > m.threshold else 0


# Questions unlike the ones the model learnt from: SQuAD has almost no yes/no questions
# (24 of 5,397 open with an auxiliary verb) and few of one or two terms (149). Both gates were
# set after the seed article's questions had shown the model moving the lede down for "did
# alibaba ban claude" and "who reported the backdoor"; the news questions were not used.
AUXILIARIES = frozenset(
    "did does do is are was were will can could has have had should would may might must shall am".split()
)
MIN_TERMS = 3


def applies(cleaned: str, query: Sequence[str]) -> bool:
    """Whether the question is of the kind the model learnt from: a wh-question (not yes/no)
    of at least MIN_TERMS distinct terms.
    """
    words = cleaned.split()
    return bool(words) and words[0].lower() not in AUXILIARIES and len(set(query)) >= MIN_TERMS


def apply(m: Model, scored: rerank.Scored, query: Query, passage: Callable[[int], Passage]) -> rerank.Scored:
    """`scored` (best first, with its stage-1 rows in `.F`) with the model's choice first.
    Reads the best m.k sentences for their stage-2 features, as bench.fit_rerank does. A
    `READ:` headline (another article's) never moves up: the model never saw one.
    """
    k = min(m.k, len(scored.ids))
    if k < 2 or scored.F is None:
        return scored
    prev = scored.prev if scored.prev is not None else np.zeros(len(scored.ids))
    second = np.array(
        [
            rerank.stage2(passage(pid).text, query, prev=float(prev[i]))[0]
            for i, pid in enumerate(scored.ids[:k].tolist())
        ]
    )
    names = rerank.STAGE1 + rerank.STAGE2
    F = np.hstack([scored.F[:k], second])[:, [names.index(f) for f in m.features]]
    allowed = np.array([not passage(int(pid)).related for pid in scored.ids[1:k].tolist()])
    j = pick(m, pair_rows(F, scored.scores[:k]), allowed)
    if not j:
        return scored
    return rerank.take(scored, np.r_[j, np.delete(np.arange(len(scored.ids)), j)])


def stage1_columns(m: Model) -> frozenset[str]:
    """The stage-1 columns the model reads (index.answer.rerank computes only weighted ones otherwise)."""
    return frozenset(m.features) & frozenset(rerank.STAGE1)


__all__ = ["Model", "model", "from_json", "pair_rows", "pick", "applies", "apply", "stage1_columns"]
