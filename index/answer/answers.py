"""From a question to ranked, cited passages, or to an honest abstention.

Every answer is a quote: passages are returned as stored, never rewritten. The decision to
abstain uses how much of the question the best passage covers (the share of the question's
idf mass whose terms occur in it), which, unlike a raw BM25 score, does not drift with the
size of the corpus; a question that wants a number abstains when the sentence shown holds none
(`TYPE_VETO`, round 18). When the best sentences come from different stories with close scores,
the best sentence of each close story is shown after the leader (`one_per_story`), so the
right story is on screen.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

import numpy as np

from index.answer import aliases, do_support, last_look, rerank
from index.answer import query as query_
from index.answer import question as question_types
from index.answer import stories as stories_
from index.answer.prior import Prior, bonus, story_passages
from index.answer.query import Query, prepare, with_prior
from index.answer.sorted_ids import holds
from index.models import Answer, Article, Hit, Passage
from index.search import tokens
from index.search.postings import Postings

# Abstain below MIN_SUPPORT = sqrt(sentence x context coverage) + CONSENSUS x concentration,
# calibrated on SQuAD articles 0-11 (docs/quality.md: 4.5% of their answerable questions abstain);
# round 11 re-applied it after ART and EXPAND left: .695 -> .685 (`bench.fit_abstain`, docs/answers.md).
# Round 20's re-application (.681) was taken back: it answers a markup-only question (docs/answers.md).
MIN_SUPPORT = 0.685
CONSENSUS = 0.3  # weight of the share of the best CONSENSUS_DEPTH sentences in the best's article
CONSENSUS_DEPTH = 10
# index.answer.last_look's learnt look at the best three (round 6, learnt on SQuAD dev articles 0-11: only
# the held-out articles 12-23 measure it). Relearnt on SQuAD-train and CoQA it pays on held-out
# folds (+0.6/+0.2 P@1) but drops the seed questions to 88.2%: not shipped (docs/answers.md).
LAST_LOOK = True
CLOSE = 0.1  # another story's best sentence this close to the leader's score is shown next to it
DIVERSE = 3  # ... in the first DIVERSE places
OPINION = (
    "The question asks for a view or a comparison that the closest passages do not make; "
    "Verbatim only quotes what the articles say."
)
NO_NUMBER = "The question asks for a number, and the closest passages give none it does not already say."
TOO_LITTLE = "The closest passages match too little of the question."
ALIASES = True  # a name in the question also matches its entity's other names (index.answer.aliases)
COPIES = True  # a sentence repeated word for word in several articles is one hit naming the others
#                (`distinct`, round 19; off: each copy is a hit of its own, as before)
COPIES_DEPTH = 40  # ... looked for among the best this many candidates (those read while ranking)
# Round 18 (news18): a question that wants a number abstains when the sentence shown first holds
# none it does not already say ("how old is tim cook" over articles that never give his age),
# whatever its coverage. Dates, names and places were measured and left out: on SQuAD 0-11 they
# abstained on more answerable questions than unanswerable ones (docs/answers.md).
TYPE_VETO: frozenset[str] = frozenset({question_types.NUMBER})
# ... but first, the best sentence of the leader's story that holds one moves first when it scores
# within TYPE_MARGIN of the leader (chosen on news set A and SQuAD 0-11's P@1).
TYPE_FIRST = True
TITLE_DECIDES = False  # the abstention reads the order with the title column (measured off)
ARTICLE_DECIDES = False  # ... with `stories.article_bonus` (round 22: off, as the title)
TYPE_MARGIN = 0.1
# Round 24 (newsd24): a number question that asks for an amount of money ("how much did singapore
# airlines pay for the first a380", "how much is the 13 inch macbook air") abstains when the
# sentence shown first gives none: the number veto takes any number ("the first four aircraft",
# "13-inch"), and a price the articles never state is what on-topic questions ask (docs/answers.md).
MONEY_VETO = True
NO_MONEY = "The question asks for an amount of money, and the closest passages give none."
# Round 27 (role27): a question asking for a person by a role or an act ("who is the ceo of gm",
# `question.role_asked`): when the leader names no person, the best sentence of its story that names
# one (`rerank.ROLE_PERSON`'s typed spans) moves first within ROLE_MARGIN of the leader's score. (An
# abstention when the sentence shown names no person was measured and not shipped: docs/answers.md.)
ROLE_FIRST = True
ROLE_MARGIN = 0.2
_HOW_MUCH = re.compile(r"\bhow\s+much\b", re.IGNORECASE)  # "how many" counts, even "pay-tv customers"
_MONEY_WORDS = re.compile(
    r"\b(?:pay|pays|paid|paying|cost|costs|costing|price|prices|priced|pricing|worth|spend|spends|spent"
    r"|spending|charge|charges|charged|charging|money|fee|fees|salary|salaries|wage|wages|dollars)\b",
    re.IGNORECASE,
)
_SHARE = re.compile(r"\b(?:percent|percentage|per\s+cent|share|proportion|fraction|rate)\b|%", re.IGNORECASE)
# "how much is the new macbook air" asks a price; "how much is the dow down" or "how much is the
# method used" does not.
_HOW_MUCH_IS = re.compile(r"\bhow\s+much\s+(?:is|are|was|were)\s+(?:a|an|the)\b", re.IGNORECASE)
_CHANGE = re.compile(
    r"\b(?:up|down|off|more|less|higher|lower|bigger|smaller|weigh|weighs|long|far|big|\w+ed)\b", re.IGNORECASE
)
_MONEY = re.compile(
    r"[$£€¥#]\s?\d|\d\s?[$£€¥]|\b(?:usd|eur|gbp|jpy|cny|rmb|chf)\b|\b(?:dollars?|cents?|euros?|pounds?|pence"
    r"|yen|yuan|renminbi|rubles?|roubles?|rupees?|pesos?|francs?|lira|lire|kronor|krona|kroner|krone"
    r"|shillings?|dinars?|riyals?|dirhams?|rand|reais|real|zloty|deutschmarks?)\b",
    re.IGNORECASE,
)


def highlight(text: str, query_terms: set[str]) -> list[tuple[int, int]]:
    """Offsets in `text` of the words whose terms are in the question."""
    return [(s, e) for s, e, term in _term_spans(text) if term in query_terms]


def lit_terms(pid: int, terms: set[str], named: aliases.Aliases) -> set[str]:
    """The terms to highlight in passage `pid`: the question's, and the other names' and verb
    forms' (`named.extra_terms`) when the passage matched a term through them ("General Motors"
    for "GM", "spent" for "did ... spend"), so that the words that matched are the ones bold.
    (`terms` holds a form weighed in place of a verb no article holds: it matches everywhere.)
    """
    pids = np.asarray([pid])
    if named.extra_terms and any(bool(holds(held, pids)[0]) for held in named.elsewhere.values()):
        return terms | set(named.extra_terms)
    return terms


@lru_cache(maxsize=16_384)
def _term_spans(text: str) -> tuple[tuple[int, int, str], ...]:
    """`tokens.term_spans`, kept per text (a pure function; the same best sentences are shown
    question after question).
    """
    return tuple(tokens.term_spans(text))


@dataclass(slots=True)
class Ranked:
    """The ranking behind an answer, with the features the abstention decision reads."""

    query: list[str]
    kind: str | None
    ids: np.ndarray
    scores: np.ndarray
    cov_sentence: float = 0.0  # idf share of the question found in the best sentence
    cov_context: float = 0.0  # ... in its paragraph (half if only elsewhere in its article)
    missing: float = 0.0  # highest idf of a question term absent from that context (0-1)
    concentration: float = 0.0  # share of the best CONSENSUS_DEPTH sentences in the best's article
    score: float = 0.0  # the rerank leader's score (a share of the question's idf mass, plus bonuses)
    gap: float = 0.0  # its lead over the best sentence of another article
    type_missing: bool = False  # the question wants a TYPE_VETO kind and the leader holds none it does not say
    money_missing: bool = False  # the question asks for money and the sentence shown gives none (MONEY_VETO)
    typed: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    read: dict[int, Passage] = field(default_factory=dict)  # the passages read while ranking, by id
    copies: dict[int, list[str]] = field(default_factory=dict)  # a shown sentence's copies: other doc ids
    named: aliases.Aliases = aliases.NONE  # the question's other names and verb forms (for highlights)
    stood_in: frozenset[str] = frozenset()  # indexed forms weighed in place of an unindexed verb (do_support)


class Source(Protocol):
    """What the answer reads of the corpus besides its postings: the passage table (`doc` and
    `paragraph` per passage id), passages, articles and a passage's neighbours.
    """

    @property
    def layout(self) -> np.ndarray:
        """The passage table, one row per passage id."""
        ...

    def passage(self, pid: int) -> Passage:
        """The sentence with this id."""
        ...

    def passages(self, pids: list[int]) -> list[Passage]:
        """The sentences with these ids, in order (as `passage` gives each)."""
        ...

    def article(self, doc_id: str) -> Article:
        """The article with this id."""
        ...

    def neighbours(self, pid: int, n: int) -> tuple[list[Passage], list[Passage]]:
        """Up to `n` passages before and after `pid` within its article."""
        ...


class _Reader:
    """The passages one answer reads, each read once; `ahead` reads many in one go (a column
    at a time: a fifth of the cost of reading them row by row).
    """

    def __init__(self, source: Source) -> None:
        self.source = source
        self.read: dict[int, Passage] = {}

    def ahead(self, pids: list[int]) -> None:
        """Read the passages `pids` not read yet."""
        wanted = [pid for pid in dict.fromkeys(pids) if pid not in self.read]
        if wanted:
            self.read.update(zip(wanted, self.source.passages(wanted), strict=True))

    def many(self, pids: list[int]) -> list[Passage]:
        """The passages `pids`, in order."""
        self.ahead(pids)
        return [self.read[pid] for pid in pids]

    def __call__(self, pid: int) -> Passage:
        found = self.read.get(pid)
        if found is None:
            found = self.read[pid] = self.source.passage(pid)
        return found


def rank(
    query: Query,
    index: Postings,
    source: Source,
    k: int,
    names: aliases.Names | None = None,
    stories: stories_.Stories | None = None,
) -> Ranked:
    """BM25 candidates reranked with their context; the query's conversation `prior`
    (index.answer.prior) adds its terms, its stories' sentences and their bonus; `names` (the
    entity index) lets a name match the entity's other names (`GM`, `General Motors`:
    index.answer.aliases); `stories` (titles and dates by article row) let them say which
    story (index.answer.stories).
    """
    # Each passage read once: the second pass, the consensus and the last look read the same best.
    layout, passage, prior = source.layout, _Reader(source), query.prior
    pool = max(k, rerank.POOL)
    named = aliases.find(index, names, query) if ALIASES else aliases.NONE
    query, named = do_support.read(query, index, named)  # "did it begin" reads "it began" too
    terms = list(query.terms)
    search = terms + list(named.extra_terms)
    ids, scores = index.top(search, pool) if terms else (np.zeros(0, np.int64), np.zeros(0))
    # The best ones' neighbours join in the last places (no BM25 score: 0); `joined` (sorted) are they.
    pooled, joined = rerank.pooled(index, ids, layout, pool)
    if len(joined):
        ids, scores = pooled, np.zeros(len(pooled))
    if prior is not None and prior.docs:
        story = story_passages(np.asarray(layout["doc"]), prior)
        ids, joined = np.union1d(ids, story), np.setdiff1d(joined, story)
        scores = np.zeros(len(ids))
    stood_in = frozenset(kn.term for kn in query.known if kn.term in named.extra_terms)
    ranked = Ranked(terms, query.kind, ids[:k], scores[:k], named=named, stood_in=stood_in)
    if not len(ids):
        return ranked
    # The learnt last look, for the questions it applies to (None too when its file is unreadable):
    # only then are its extra stage-1 columns computed.
    look = last_look.model() if LAST_LOOK and last_look.applies(query.text, terms) else None
    extra = last_look.stage1_columns(look) if look else frozenset()
    titled = None
    if rerank.WEIGHTS.get("title"):  # the titles of the candidates' stories (short articles only)
        titled = stories_.title_rows(query, rerank.in_stories(index, layout, ids), layout["doc"], stories)
    scored = rerank.rescore(index, query, ids, layout, extra, named.elsewhere, titled)
    scored.scores = scored.scores + bonus(scored.ids, np.asarray(layout["doc"]), prior)
    scored.scores = scored.scores + stories_.story_bonus(query, scored.ids, layout["doc"], stories)
    short = np.sort(rerank.in_stories(index, layout, scored.ids)) if stories_.ARTICLE else scored.ids[:0]
    scored.scores = scored.scores + stories_.article_bonus(query, scored, short)  # a question asked alone
    scored = rerank.order(scored)
    passage.ahead(rerank.to_read(scored, query))
    scored, ranked.typed = rerank.refine(scored, query, lambda pid: passage(pid).text)
    scored = type_first(scored, query, layout["doc"])
    # The abstention reads the rerank's leader: the last look only chooses which of the best
    # three comes first, and the one it moves up often says less of the question ("the game").
    # So does the title column (`view`): it lifts a whole story's sentences but the lede. And the
    # view holds BM25's own candidates only: a neighbour `rerank.expand` joined says none of the
    # question (it is there for the places below the first), and in the best ten it would count
    # for the leader's article in the consensus.
    view = without_title(offered_only(scored, joined, query, layout["doc"]), query, layout["doc"], short)
    ranked.cov_sentence = float(view.cov_sentence[0])
    ranked.cov_context = float(view.cov_context[0])
    ranked.missing = float(view.missing[0]) if view.missing is not None else 0.0
    ranked.concentration = concentration(view.ids[:CONSENSUS_DEPTH], layout, passage.many)
    ranked.score, ranked.gap = leader_lead(view, layout)
    if query_.BACKGROUND:  # the leader's coverage with each word weighed at most as general news weighs it
        capped = query_.background(query, index, inflections=do_support.forms_of)
        ranked.cov_sentence, ranked.cov_context = rerank.coverage(view, 0, capped)  # the rescore's rows
    if query.before is not None:  # a corrected word counts half: the abstention stays cautious
        before = query.before
        if query_.BACKGROUND:
            fixes = {b: s for b, s in zip(before.terms, query.terms, strict=False) if b != s}
            before = query_.background(before, index, fixes, do_support.forms_of)
        typed_s, typed_c = rerank.coverage_of(index, before, int(view.ids[0]), layout, named.elsewhere)
        ranked.cov_sentence = (ranked.cov_sentence + typed_s) / 2
        ranked.cov_context = (ranked.cov_context + typed_c) / 2
    # A sentence repeated word for word (a syndicated story under several ids) is one candidate,
    # its best-ranked copy: once the order is final, and first if a copy (of those read so far)
    # would be moved up in another story's place.
    moved = one_per_story(scored.ids, scored.scores, layout["doc"])
    if COPIES and moves_copy(scored, moved, passage, index.doc_lengths()):
        scored = _distinct(scored, passage, 0, ranked.copies, index.doc_lengths())
        moved = one_per_story(scored.ids, scored.scores, layout["doc"])
    scored = rerank.take(scored, moved)
    if look:
        scored = last_look.apply(look, scored, query, passage)
    if COPIES:
        scored = _distinct(scored, passage, k, ranked.copies, index.doc_lengths())
    ranked.ids, ranked.scores = scored.ids[:k], scored.scores[:k]
    # The type is read off the sentence shown first (the last look may have moved a typed one up).
    wanted = query.kind in TYPE_VETO and rerank.types_read(query)
    ranked.type_missing = wanted and int(scored.ids[0]) not in ranked.typed
    if wanted and not ranked.type_missing and view is not scored:  # as the support: the view's sentence too
        ranked.type_missing = not shown_typed(view, layout["doc"], look, query, passage, ranked.typed)
    if MONEY_VETO and not ranked.type_missing and query.kind == question_types.NUMBER and wants_money(query.text):
        ranked.money_missing = not holds_money(passage(int(scored.ids[0])).text)
    ranked.read = passage.read
    return ranked


def type_first(scored: rerank.Scored, query: Query, doc_col: np.ndarray) -> rerank.Scored:
    """`scored` with `typed_first`'s move when the question wants a TYPE_VETO kind the leader lacks."""
    if TYPE_FIRST and query.kind in TYPE_VETO and rerank.types_read(query) and not bool(scored.typed[0]):
        return rerank.take(scored, typed_first(scored, doc_col))
    if ROLE_FIRST and rerank.role_person(query) and rerank.types_read(query) and not bool(scored.typed[0]):
        return rerank.take(scored, typed_first(scored, doc_col, ROLE_MARGIN))
    return scored


def offered_only(scored: rerank.Scored, joined: np.ndarray, query: Query, doc_col: np.ndarray) -> rerank.Scored:
    """`scored` without the candidates `rerank.expand` joined (`joined`, sorted ids), in the order
    they had (`type_first` again: the sentence it moved up may be one of them), or `scored` itself
    when none is among the best CONSENSUS_DEPTH (all the rule reads is then the same): what the
    abstention read before round 21 (docs/answers.md: with them, SQuAD answered 33 more
    unanswerable questions for 12 more answerable ones).
    """
    if not len(joined) or set(joined.tolist()).isdisjoint(scored.ids[:CONSENSUS_DEPTH].tolist()):
        return scored  # what the abstention reads (the best CONSENSUS_DEPTH) holds none of them
    keep = np.flatnonzero(~holds(joined, scored.ids))
    if len(keep) == len(scored.ids):
        return scored
    return type_first(rerank.take(scored, keep), query, doc_col)


def without_title(
    scored: rerank.Scored, query: Query, doc_col: np.ndarray, short: np.ndarray | None = None
) -> rerank.Scored:
    """The candidates as they rank without rerank's `title` column (scores and order), which the
    abstention reads unless TITLE_DECIDES: the title lifts every sentence of its story but the
    one repeating it, which says which sentence, not whether the story answers. Nor, unless
    ARTICLE_DECIDES, `stories.article_bonus` (`short`: the short stories' candidates, sorted): it
    says which story, and a story holding the question across its sentences answers no better.
    """
    w = rerank.WEIGHTS.get("title", 0.0)
    if scored.F is None:
        return scored
    lift = np.zeros(len(scored.ids))
    if not TITLE_DECIDES and w:
        lift += w * scored.F[:, rerank.STAGE1.index("title")]
    if not ARTICLE_DECIDES and short is not None:
        lift += stories_.article_bonus(query, scored, short)
    if not lift.any():
        return scored
    plain = scored.scores - lift
    idx = np.lexsort((scored.ids, -plain))  # rerank.order's
    view = rerank.take(scored, idx)
    view.scores = plain[idx]
    return type_first(view, query, doc_col)


def shown_typed(
    view: rerank.Scored,
    doc_col: np.ndarray,
    look: last_look.Model | None,
    query: Query,
    passage: _Reader,
    typed: dict[int, list[tuple[int, int]]],
) -> bool:
    """Whether the sentence the order without the title column would show first (after
    `one_per_story` and the last look) holds the wanted type: the number veto reads it as the
    support does, so that the title moving a sentence with some number up does not answer a
    question the articles do not. The last look is asked only when its choice matters.
    """
    first = rerank.take(view, one_per_story(view.ids, view.scores, doc_col))
    held = [pid in typed for pid in first.ids[: look.k if look else 1].tolist()]
    if look and any(held) and not all(held):
        first = last_look.apply(look, first, query, passage)
        return int(first.ids[0]) in typed
    return held[0]


def typed_first(scored: rerank.Scored, doc_col: np.ndarray, margin: float = TYPE_MARGIN) -> np.ndarray:
    """Positions with the best sentence of the leader's story that holds the wanted type moved first."""
    doc = np.asarray(doc_col)[scored.ids]
    found = np.flatnonzero(scored.typed & (doc == doc[0]) & (scored.scores >= scored.scores[0] - margin))
    if not len(found):
        return np.arange(len(scored.ids))
    i = int(found[0])
    return np.concatenate([[i], np.delete(np.arange(len(scored.ids)), i)])


def wants_money(question: str) -> bool:
    """Whether a "how much" question asks for an amount of money: a word of paying or pricing, or
    "how much is the X" with no word of change, measure or a participle after it; not a share
    ("what percentage of the money raised").
    """
    if question_types.expected_type(question) != question_types.NUMBER or not _HOW_MUCH.search(question):
        return False
    if _SHARE.search(question):
        return False
    return bool(_MONEY_WORDS.search(question)) or bool(_HOW_MUCH_IS.search(question) and not _CHANGE.search(question))


def holds_money(text: str) -> bool:
    """Whether `text` states an amount of money: a currency sign or code, or a currency's name
    (MEANTIME writes the pound sign as '#'). Any one: the veto is for sentences with none.
    """
    return bool(_MONEY.search(text))


def leader_lead(scored: rerank.Scored, layout: np.ndarray) -> tuple[float, float]:
    """The leader's score and its lead over the best sentence of another article."""
    doc = np.asarray(layout["doc"])[scored.ids]
    other = scored.scores[doc != doc[0]]
    top = float(scored.scores[0])
    return top, top - (float(other.max()) if len(other) else 0.0)


def one_per_story(ids: np.ndarray, scores: np.ndarray, doc_col: np.ndarray) -> np.ndarray:
    """Positions of the candidates (best first) with the best sentence of every other story
    scoring within CLOSE of the leader moved up to follow it, so the right story is on screen
    when the stories are close; the leader stays first, the rest keep their order.
    """
    if len(ids) < 2 or not CLOSE:
        return np.arange(len(ids))
    doc = np.asarray(doc_col)[ids]
    _, first = np.unique(doc, return_index=True)
    close = first[(scores[first] >= scores[0] - CLOSE) & (first > 0)]
    close = np.sort(close)[: DIVERSE - 1]
    if not len(close):
        return np.arange(len(ids))
    rest = np.ones(len(ids), dtype=bool)
    rest[0] = False
    rest[close] = False
    return np.concatenate([[0], close, np.flatnonzero(rest)])


def moves_copy(scored: rerank.Scored, moved: np.ndarray, passage: _Reader, lengths: np.ndarray) -> bool:
    """Whether `one_per_story`'s order `moved` moves up a sentence (already read) that repeats a
    better-ranked one word for word: a copy would then take another story's place.
    """
    read = passage.read
    for new, old in enumerate(moved[1:DIVERSE].tolist(), start=1):
        pid = int(scored.ids[old])
        if old == new or pid not in read:
            continue
        words = np.asarray(lengths)[scored.ids[:old]]
        alike = np.flatnonzero((words == lengths[pid]) & (scored.cov_sentence[:old] == scored.cov_sentence[old]))
        key = text_key(read[pid].text)
        if any(q in read and text_key(read[q].text) == key for q in scored.ids[alike].tolist()):
            return True
    return False


def _distinct(
    scored: rerank.Scored, passage: _Reader, k: int, copies: dict[int, list[str]], lengths: np.ndarray
) -> rerank.Scored:
    """`scored` with each repeated sentence kept once (`distinct`); `lengths`: every sentence's
    token count (the index's).
    """
    # Copies hold the same words: the same token count and the same share of the question.
    signature = np.asarray(lengths)[scored.ids] * 2.0 + scored.cov_sentence
    idx = distinct(scored.ids, signature, passage, k, copies)
    return scored if idx is None else rerank.take(scored, idx)


@lru_cache(maxsize=16_384)
def text_key(text: str) -> str:
    """A sentence as its copies share it: whitespace runs made one space, case folded (kept per
    text: the same best sentences are compared question after question).
    """
    return " ".join(text.split()).casefold()


def distinct(
    ids: np.ndarray, signature: np.ndarray, passage: _Reader, k: int, copies: dict[int, list[str]]
) -> np.ndarray | None:
    """Positions of the candidates (best first) with a repeated sentence kept once, at its
    best-ranked copy; the ids of the other articles holding it are added to `copies[kept pid]`.
    Cheap: among the best COPIES_DEPTH (every sentence read while ranking lies there), the
    sentences already read are compared, and only those sharing a `signature` (a number copies
    share: their token count and share of the question) by their text; the best are read until
    `k` distinct ones are found (what the answer shows anyway; `k` 0: none is read).
    None: no sentence is repeated (the order stands).
    """
    pids, sig, read = ids.tolist(), signature.tolist(), passage.read
    limit = min(k, len(pids))  # positions that must be read: the first k distinct sentences
    if limit:
        passage.ahead(pids[:limit])
    alone: dict[float, int] = {}  # a signature -> the one candidate seen with it
    texts: dict[float, dict[str, int]] = {}  # a signature met twice -> its sentences' texts -> pid
    drop: list[int] = []
    i = -1
    while i + 1 < len(pids) and (i + 1 < COPIES_DEPTH or i + 1 < limit):  # `limit` grows with each copy
        i += 1
        pid = pids[i]
        p = read.get(pid)
        if p is None:
            if i >= limit:
                continue
            passage.ahead(pids[i:limit])
            p = read[pid]
        s = sig[i]
        group = texts.get(s)
        if group is None:
            other = alone.setdefault(s, pid)
            if other == pid:
                continue
            group = texts[s] = {text_key(read[other].text): other}
        first = group.setdefault(text_key(p.text), pid)
        if first == pid:
            continue
        drop.append(i)
        if k:
            limit = min(limit + 1, len(pids))  # one more is needed to show k distinct
        cited, docs = read[first].doc_id, copies.get(first, [])
        for doc_id in [p.doc_id, *copies.pop(pid, [])]:
            if doc_id != cited and doc_id not in docs:
                docs.append(doc_id)
        if docs:
            copies[first] = docs
    return np.delete(np.arange(len(ids)), drop) if drop else None


def concentration(best: np.ndarray, layout: np.ndarray, passages: Callable[[list[int]], list[Passage]]) -> float:
    """Share of the best sentences that come from the first one's article. A sentence repeated
    word for word (a syndicated story indexed under several ids) counts once, so copies of the
    answer in other articles do not pass for a scattered result.
    """
    doc = np.asarray(layout["doc"])[best]
    if not len(best) or (doc == doc[0]).all():
        return 1.0 if len(best) else 0.0  # all in one article: no copy to look for
    seen, docs = set(), []
    for row, p in zip(doc.tolist(), passages(best.tolist()), strict=True):
        text = text_key(p.text)
        if text not in seen:
            seen.add(text)
            docs.append(row)
    return sum(d == docs[0] for d in docs) / len(docs) if docs else 0.0


def abstain_features(r: Ranked) -> dict[str, float]:
    """What a learnt abstention may read: shares of the question found around the best
    sentence, its score, and the question's length; none grows with the corpus's size.
    """
    geo = math.sqrt(max(r.cov_sentence, 0.0) * max(r.cov_context, 0.0))
    return {
        "geo": geo,
        "cov_sentence": r.cov_sentence,
        "cov_context": r.cov_context,
        "concentration": r.concentration,
        "missing": r.missing,
        "score": r.score,
        "gap": r.gap,
        "terms": math.log1p(len(set(r.query))),
    }


def abstains(r: Ranked) -> bool:
    """Too little support for the best sentence: the geometric mean of its sentence coverage and
    its context coverage, plus CONSENSUS x the share of the best sentences that come from its
    article, is below MIN_SUPPORT. Without the context rerank, the sentence coverage alone (with
    the consensus counted as full, as in a one-article corpus, where it cannot tell anything).
    Or the question wants a number (TYPE_VETO) the best sentence does not hold (`type_missing`),
    or an amount of money the sentence shown does not give (`money_missing`, MONEY_VETO).
    (A lower bar for a number the sentence gives in figures, round 19's NUMBER_SUPPORT, was
    measured twice and removed: docs/answers.md.)
    """
    if r.type_missing or r.money_missing:
        return True
    return support(r) < MIN_SUPPORT


def support(r: Ranked) -> float:
    """What the bar is set against: the geometric mean of the best sentence's sentence and context
    coverage plus CONSENSUS x the share of the best sentences from its article.
    """
    geo = math.sqrt(max(r.cov_sentence, 0.0) * max(r.cov_context, 0.0))
    return geo + CONSENSUS * r.concentration


def answer(
    question: str | Query,
    index: Postings,
    source: Source,
    k: int = 3,
    context: int = 0,
    prior: Prior | None = None,
    names: aliases.Names | None = None,
    stories: stories_.Stories | None = None,
) -> Answer:
    """The top `k` passages for `question`, or an abstention with the closest ones.

    `question` is prepared here (index.answer.query.prepare) unless it comes prepared (a
    conversation reads its own terms first); a conversation's `prior` joins it.
    """
    if isinstance(question, Query):
        query = with_prior(question, prior, index)
    else:
        query = prepare(question, index, prior)
    cleaned = query.question
    k = max(1, min(int(k), 50))
    r = rank(query, index, source, k, names, stories)
    if not r.query:
        return Answer(cleaned, True, [], "The question has no words to search for.")
    if not len(r.ids):
        return Answer(cleaned, True, [], "No word of the question occurs in the articles.")
    terms = set(r.query)
    hits = []
    shown = r.ids.tolist()
    unread = [pid for pid in shown if pid not in r.read]  # most were read while ranking
    if unread:
        r.read.update(zip(unread, source.passages(unread), strict=True))
    for n, (pid, score) in enumerate(zip(shown, r.scores.tolist(), strict=True), start=1):
        p = r.read[pid]
        before, after = source.neighbours(pid, context) if context > 0 else ([], [])
        spans = r.typed.get(pid)
        if spans is None and r.kind is not None and n <= 3:
            spans = question_types.answer_spans(p.text, r.kind, terms)
        article, lit = source.article(p.doc_id), highlight(p.text, lit_terms(pid, terms | r.stood_in, r.named))
        hits.append(Hit(n, score, p, article, lit, before, after, spans or [], also_in=r.copies.get(pid, [])))
    judged = question_types.judgement(query.text)
    if judged is not None and not (judged & set(tokens.tokenize(hits[0].passage.text))):
        return Answer(cleaned, True, hits, OPINION)
    if r.type_missing:
        return Answer(cleaned, True, hits, NO_NUMBER)
    if r.money_missing:
        return Answer(cleaned, True, hits, NO_MONEY)
    if abstains(r):
        return Answer(cleaned, True, hits, TOO_LITTLE)
    return Answer(cleaned, False, hits)
