"""From a question to ranked, cited passages, or to an honest abstention.

Every answer is a quote: passages are returned as stored, never rewritten. The decision to
abstain uses how much of the question the best passage covers (the share of the question's
idf mass whose terms occur in it), which, unlike a raw BM25 score, does not drift with the
size of the corpus.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable

import numpy as np

from . import question as question_types
from . import rerank, tokens
from .bm25 import BM25
from .models import Answer, Article, Hit, Passage

MAX_QUESTION_CHARS = 1000
MIN_COVERAGE = 0.5  # calibrated on SQuAD (see bench.squad --abstain); below it we abstain
NO_ANSWER = "Nothing in the articles answers that."


class QuestionError(ValueError):
    """A question that cannot be asked; `.message` is shown to the user as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def clean_question(question: str) -> str:
    """Drop control and format characters, collapse whitespace; reject empty or huge input."""
    if not isinstance(question, str):
        raise QuestionError("The question must be text.")
    kept = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
                   for ch in question if unicodedata.category(ch) not in ("Cf", "Cs", "Co", "Cn"))
    cleaned = " ".join(kept.split())
    if not cleaned:
        raise QuestionError("The question is empty: type a few words about the articles.")
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise QuestionError(f"The question is {len(cleaned):,} characters long; "
                            f"please keep it under {MAX_QUESTION_CHARS:,}.")
    return cleaned


def highlight(text: str, query_terms: set[str]) -> list[tuple[int, int]]:
    """Offsets in `text` of the words whose terms are in the question."""
    return [(s, e) for s, e, term in tokens.term_spans(text) if term in query_terms]


def coverage(index: BM25, query: list[str], passage_terms: set[str]) -> float:
    """Share of the question's idf mass found in the passage; unknown terms weigh the most."""
    unknown = math.log((index.n_docs + 0.5) / 0.5) if index.n_docs else 1.0
    total = found = 0.0
    for term in set(query):
        weight = max(float(index.idf[index.vocab[term]]), 0.0) if term in index.vocab else unknown
        total += weight
        if term in passage_terms:
            found += weight
    return found / total if total else 0.0


def answer(question: str, index: BM25, passage: Callable[[int], Passage],
           article: Callable[[str], Article],
           neighbours: Callable[[int, int], tuple[list[Passage], list[Passage]]],
           k: int = 3, context: int = 0, layout=None) -> Answer:
    """The top `k` passages for `question`, or an abstention with the closest ones.

    `layout` (the corpus's passage rows: `doc` and `paragraph` per passage id) turns on the
    context rerank of index.rerank; without it the ranking is plain BM25.
    """
    cleaned = clean_question(question)
    k = max(1, min(int(k), 50))
    query = tokens.tokenize(cleaned)
    if not query:
        return Answer(cleaned, True, [], "The question has no words to search for.")
    terms = set(query)
    kind = question_types.expected_type(cleaned)
    pool = max(k, rerank.POOL) if layout is not None else k
    ids, scores = index.top(query, pool)
    if not len(ids):
        return Answer(cleaned, True, [], "No word of the question occurs in the articles.")
    typed: dict[int, list[tuple[int, int]]] = {}
    if layout is not None:
        scored = rerank.order(rerank.rescore(index, query, ids, layout))
        if kind is not None and rerank.GAMMA:
            bonus = np.zeros(len(scored.ids))
            for i, pid in enumerate(scored.ids[:rerank.TYPE_DEPTH].tolist()):
                spans = question_types.answer_spans(passage(pid).text, kind, terms)
                if spans:
                    typed[pid] = spans
                    bonus[i] = rerank.GAMMA
            scored.scores = scored.scores + bonus
            scored.typed = bonus > 0
            scored = rerank.order(scored)
        ids, scores = scored.ids[:k], scored.scores[:k]
    hits = []
    for rank, (pid, score) in enumerate(zip(ids.tolist(), scores.tolist()), start=1):
        p = passage(pid)
        before, after = neighbours(pid, context) if context > 0 else ([], [])
        hits.append(Hit(rank, score, p, article(p.doc_id), highlight(p.text, terms), before, after))
    best_terms = {term for _, _, term in tokens.term_spans(hits[0].passage.text)}
    if coverage(index, query, best_terms) < MIN_COVERAGE:
        return Answer(cleaned, True, hits, "The closest passages match too little of the question.")
    return Answer(cleaned, False, hits)
