"""Which words an answer sentence holds, given how the question asks: a learnt lexical model.

BM25 and the rerank's columns count the question's own words, so inside the right story the
lede that repeats them wins ("GM named Mary Barra its new chief executive" for `how old is mary
barra`) over the sentence that answers ("Barra, 51, will be..."). This model scores what a
sentence holds *beyond* the question's words against the question's cue: the wh-word and,
for frequent ones, the word after it ("how old", "how many", "what year", "when", "who").
Its weights (cue x sentence feature: a lower-case word, or a shape such as a number, a year,
a capitalised word inside the sentence) are a pairwise logistic regression learnt by
`python -m tools.train_answer_words` from SQuAD-train and CoQA's CNN stories outside the
held-out 20%: the answer sentence against the other sentences of its paragraph / story.
Shipped as JSON (`data/answer_words.json`), never as a pickle.

The score reads one sentence's tokens (linear in its length) and does one dict look-up per
distinct feature and cue; the rerank asks it only for its best TYPE_DEPTH candidates.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

log = logging.getLogger("verbatim.index")
FORMAT = "verbatim-answer-words-1"
MODEL_FILE = "answer_words.json"
WH = frozenset("what which who whom whose when where why how".split())
OPEN = frozenset(("what", "which", "how"))  # wh-words whose next word says more ("how old")
LEAD = 4  # the wh-word is looked for among the question's first LEAD words
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*|\d[\d,.]*\d|\d|[$%\u00a3\u20ac]")
_QWORD = re.compile(r"[a-z0-9]+")


def cues(question: str, bigrams: frozenset[str] | None = None) -> tuple[str, ...]:
    """The question's cues, most specific first: ("how old", "how"), ("when",), or ("none",).
    A wh-word + next-word cue is kept only if it is in `bigrams` (the model's known ones;
    all of them when None).
    """
    words = _QWORD.findall(question.lower())
    for i, w in enumerate(words[:LEAD]):
        if w in WH:
            if w in OPEN and i + 1 < len(words):
                pair = f"{w} {words[i + 1]}"
                if bigrams is None or pair in bigrams:
                    return (pair, w)
            return (w,)
    return ("none",)


def sentence_features(text: str, skip: frozenset[str] = frozenset(), words: bool = True) -> set[str]:
    """The distinct features of a sentence: its lower-case words not in `skip` (the question's
    words) and shapes: `#num` (a number), `#year` (1000-2099), `#small` (a whole number up to
    120: an age, a count), `#cap` (a capitalised word not
    opening the sentence), `#money` ($, pounds, euros), `#pct` (%). Without `words`, the shapes only.
    """
    out: set[str] = set()
    for i, m in enumerate(_WORD.finditer(text)):
        tok = m.group()
        first = tok[0]
        if first.isdigit():
            out.add("#num")
            digits = tok.replace(",", "").split(".")[0]
            if len(digits) == 4 and 1000 <= int(digits) <= 2099:
                out.add("#year")
            elif digits.isdigit() and int(digits) <= 120 and "." not in tok:
                out.add("#small")
            continue
        if first in "$\u00a3\u20ac":
            out.add("#money")
            continue
        if first == "%":
            out.add("#pct")
            continue
        low = tok.lower()
        if i and first.isupper():
            out.add("#cap")
        if words and low not in skip:
            out.add(low)
    return out


class Model:
    """Weights per cue and feature; `score` sums those a sentence holds under the question's cues."""

    def __init__(self, weights: Mapping[str, Mapping[str, float]]) -> None:
        self.weights = {c: dict(w) for c, w in weights.items()}
        self.bigrams = frozenset(c for c in self.weights if " " in c)
        self.words = any(not f.startswith("#") for t in self.weights.values() for f in t)  # else shapes only

    def score(self, question: str, sentence: str) -> float:
        """Sum of the weights of the sentence's features (beyond the question's words) under
        each of the question's cues.
        """
        skip = frozenset(_QWORD.findall(question.lower()))
        feats = sentence_features(sentence, skip, self.words)
        total = 0.0
        for cue in cues(question, self.bigrams):
            table = self.weights.get(cue)
            if table:
                total += sum(table.get(f, 0.0) for f in feats)
        return total


def from_json(data: Mapping[str, object]) -> Model:
    """Validate a model dictionary (tools.train_answer_words writes it)."""
    if data.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} model")
    weights = data["weights"]
    if not isinstance(weights, dict):
        raise ValueError("weights must be a mapping")
    return Model({str(c): {str(f): float(w) for f, w in t.items()} for c, t in weights.items()})


@lru_cache(maxsize=1)
def model() -> Model | None:
    """The shipped model (read once), or None when its file is missing or damaged (logged)."""
    try:
        text = resources.files("index.data").joinpath(MODEL_FILE).read_text(encoding="utf-8")
        return from_json(json.loads(text))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("answer-words model %s unreadable (%s); ranking without it", MODEL_FILE, exc)
        return None


__all__ = ["Model", "cues", "sentence_features", "from_json", "model"]
