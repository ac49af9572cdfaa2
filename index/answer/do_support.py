"""A verb governed by do-support is read in its irregular inflections too (issue 17, round 24).

News questions ask with do-support and the base form ("how much did the council *spend*", "when
did the strike *begin*", "does the club *pay*"); news writes the past or the -s form ("The
council *spent*"). The Snowball stems keep irregular forms apart, so the answering sentence
would lack the question's main verb. Round 22 read every term's forms as the term (forms22) and
round 23 read them in the abstention's coverage only (infl23); both traded held out
(docs/answers.md). Here only the one verb grammar marks as a base form is read so: the first
word after do / does / did (didn't, doesn't, don't) and its subject that the list holds as a
verb (`data/inflections_en.txt`, WordNet's verb.exc: `python -m tools.make_inflections`). A
modal ("will", "can") is not do-support and is left out: it asks about what has not happened,
which a past sentence does not say.

The forms join the question through the aliases' seam (index.answer.aliases): they widen
BM25's candidates (`extra_terms`), and the passages holding one of them count as holding the
verb (`elsewhere`) in every rerank column and in the coverages the abstention reads. A verb no
article holds is weighed as its most held form instead (a term the index lacks has no postings
for the seam to join).
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from importlib import resources

import numpy as np

from index.answer import aliases
from index.answer.query import Known, Query, top_idf
from index.search import tokens
from index.search.postings import Postings

ON = True  # read a do-supported verb's irregular inflections (measured round 24: docs/answers.md)
AUX = frozenset("do does did dont doesnt didnt".split())  # do-support ("didn't" is read as "didnt")
# Words that open a noun phrase: a candidate right after one is a noun ("did *the strike* begin").
DETERMINERS = frozenset("the a an this that these those his her its their our my your some any no every".split())
# Words that end the subject without being the verb: another clause ("when it went"), an
# infinitive ("need to sell"), or a verb of its own ("did gm have"), which is then the governed one.
BOUNDARY = frozenset(
    "when where why how what who whom which whose if that because after before while than and or but to "
    "do does did have has had be is are was were been being".split()
)
REACH = 6  # words read after the auxiliary (the subject, then the verb)
# Verbs of knowing whose question asks how, not what happened ("how do we *know*", "what does it
# *mean*"), and whose other forms news mostly writes as adjectives ("*known* as", "is *thought*
# to"): read as asked (seed A-H: "know" read as "known" lost three questions, none gained).
STATIVE = frozenset("know think mean".split())


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, ...]]:
    """Stem -> the stems of its irregular inflections or base (the shipped list, read once)."""
    text = resources.files("index.data").joinpath("inflections_en.txt").read_text(encoding="utf-8")
    out: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            term, *others = line.split()
            out[term] = tuple(others)
    return out


def forms_of(term: str) -> tuple[str, ...]:
    """The stems the stem `term` is joined to by an irregular inflection (empty if none)."""
    return _table().get(term, ())


def governed(text: str) -> str | None:
    """The stem of the verb do-support governs in `text`, or None: among the REACH words after
    the first auxiliary and before a BOUNDARY, the first the list holds that can be a base form
    (not a stopword, not an -ing form, not right after a determiner: "did *the strike* begin").
    """
    words = tokens.words(text)
    if (i := next((i for i, w in enumerate(words) if w in AUX), None)) is None:
        return None
    for j in range(i + 1, min(i + 1 + REACH, len(words))):
        word = words[j]
        if word in BOUNDARY or word in AUX:
            return None
        if word in tokens.NLTK_STOPWORDS or word.endswith("ing") or words[j - 1] in DETERMINERS:
            continue
        if forms_of(stem := tokens.stem(word)):
            return None if word in STATIVE else stem
    return None


def read(query: Query, index: Postings, named: aliases.Aliases) -> tuple[Query, aliases.Aliases]:
    """`query` and `named` with the do-supported verb's indexed inflections joined (module doc);
    both themselves when off, or when the question has no such verb or the index none of its forms.
    """
    verb = governed(query.text) if ON and query.terms else None
    if verb is None or verb not in query.terms:
        return query, named
    forms = sorted(f for f in forms_of(verb) if f in index.vocab and f not in query.terms)
    if not forms:
        return query, named
    if verb not in index.vocab:  # no postings to join: the most held form stands in for it
        stand_in = max(forms, key=lambda f: (index.doc_freq(index.vocab[f]), f))
        query = _stood_in(query, index, verb, stand_in)
        verb, forms = stand_in, [f for f in forms if f != stand_in]
    elsewhere = dict(named.elsewhere)
    if forms:
        held = aliases.held_elsewhere(index, verb, tuple((f,) for f in forms))
        before = elsewhere.get(verb)
        elsewhere[verb] = held if before is None else np.union1d(before, held)
    extra = tuple(f for f in (verb, *forms) if f not in query.terms and f not in named.extra_terms)
    return query, aliases.Aliases(elsewhere, named.extra_terms + extra)


def _stood_in(query: Query, index: Postings, verb: str, form: str) -> Query:
    """`query` with the unknown `verb` weighed as the indexed `form` (its weight moved from the
    unknown mass to the known one, as `query.weigh` weighs a spelling fix).
    """
    count = query.terms.count(verb)
    tid = index.vocab[form]
    weight = max(index.term_idf(tid), 0.0)
    top = top_idf(index)
    return dataclasses.replace(
        query,
        known=(*query.known, Known(form, tid, count, weight)),
        idf={**query.idf, form: index.term_idf(tid)},
        mass=query.mass + weight * count,
        unknown=max(query.unknown - top * count, 0.0),
    )


__all__ = ["AUX", "BOUNDARY", "DETERMINERS", "ON", "REACH", "STATIVE", "forms_of", "governed", "read"]
