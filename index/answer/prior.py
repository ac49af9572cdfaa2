"""What a conversation carries into its next question: stories to prefer and subject terms.

`index.answer.answers.answer` reads a `Prior` in one place: the carried terms join the question's
terms, every sentence of the preferred stories joins the BM25 candidates (a follow-up such as
"what year?" shares no word with its answer's story), and each candidate of a preferred story
gets that story's bonus on top of its rerank score (a share of the question's idf mass, so a
bonus of 0.5 is worth half the question). A question that matches another story by more than
the bonus still moves there. `typed` weighs the wanted type more (index.answer.rerank.refine)
for a follow-up that says nothing but its type ("when?"): its carried terms match the previous
answer fully, while what it asks for is a sentence of that story holding a date. `carried` caps
the carried terms' weight below the question's own: "how long is the detour?" after "how much
will the repairs cost?" wants the detour's sentence, not the repairs' that holds two carried words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

MAX_STORY_SENTENCES = 400  # sentences of one preferred story added to the candidates


@dataclass(frozen=True, slots=True)
class Prior:
    """Stories (article rows of the corpus) with their score bonus, and terms to search too."""

    docs: Mapping[int, float] = field(default_factory=dict)
    terms: tuple[str, ...] = ()
    typed: float = 0.0  # added to the wanted type's weight (a follow-up of only a type: "when?")
    carried: float = float("inf")  # the carried terms weigh at most this share of the question's
    #                                own known idf mass (a question with none: all of theirs)
    near: Mapping[int, float] = field(default_factory=dict)  # passage id -> bonus: the sentences
    #                                                          after the last answer's (a story is told in order)


def with_terms(query: list[str], prior: Prior | None) -> list[str]:
    """The question's terms followed by the carried ones it does not already hold."""
    if prior is None or not prior.terms:
        return query
    own = set(query)
    return query + [t for t in dict.fromkeys(prior.terms) if t not in own]


def story_passages(doc_column: np.ndarray, prior: Prior | None) -> np.ndarray:
    """Passage ids of the preferred stories (passages are stored story by story)."""
    if prior is None or not prior.docs:
        return np.zeros(0, dtype=np.int64)
    docs = np.asarray(sorted(prior.docs), dtype=np.int64)
    starts = np.searchsorted(doc_column, docs, side="left")
    ends = np.minimum(np.searchsorted(doc_column, docs, side="right"), starts + MAX_STORY_SENTENCES)
    return np.concatenate(
        [np.arange(s, e, dtype=np.int64) for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]
    )


def bonus(ids: np.ndarray, doc_column: np.ndarray, prior: Prior | None) -> np.ndarray:
    """Each candidate's story bonus (0 outside the preferred stories)."""
    out = np.zeros(len(ids))
    if prior is None or not prior.docs or not len(ids):
        return out
    of = doc_column[ids]
    for doc, value in prior.docs.items():
        out[of == doc] += value
    for pid, value in prior.near.items():
        out[ids == pid] += value
    return out
