"""A conversation: questions that lean on the earlier ones ("From what city?", "What year?").

A follow-up rarely names its subject. Before each question, the stories (article rows) among
those of BM25's best sentences for its own words gain the idf share of those words they hold
(older weight decays; the story a question is answered from gains more). The question is
then asked with a `Prior` (index.answer.prior): the heaviest stories' sentences join the
candidates with a bonus proportional to their weight, and a question of almost no words of
its own also searches the words of the last question that had some. So "what year?" is read
in the story of the previous answers, while a question whose words belong to another story
moves the weights there: the conversation yields to a new subject. A follow-up of nothing but
its type ("when?", "where?") puts the carried sentences holding that type first (`type_only`):
the carried terms alone would quote the previous answer's sentences again. A follow-up that
names a subject of its own (a word of the story it is read in, "and insurers?", or a name the
entity index knows, "and lopez?") weighs the carried terms at most `carried_share` of its own
words (index.answer.query): the new subject comes first. The sentences just after the last
answer's get a small bonus (`after`), and every sentence of the last answer's story one learnt by
its distance from the last answer's (`positions`): a conversation often reads its story in order.

An answer from the carried story is not abstained on when that story holds enough of the
question's idf mass (words the articles never use weigh the most, so an off-topic question
still abstains). The weights are `Carry`'s defaults, tuned on 80% of CoQA's CNN articles and
confirmed on the 20% held out (docs/conversations.md, `python -m bench.coqa_conversations`).

A change of the corpus (an ingest, a removal, a feed poll) does not end a conversation:
`move_to` carries it over, its stories re-keyed through the articles' ids (docs/conversations.md).
When the story of the last answer is removed, a follow-up of no words of its own ("when?") is
told so (`GONE`), not "no words to search for", and so is one whose words were that story's
("how long is the detour?") when no other article answers it.
"""

from __future__ import annotations

import math
import re
import threading
from collections import deque
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from index.answer import answers, details
from index.answer.conversation_positions import FAR, LOG_RATIO
from index.answer.prior import MAX_STORY_SENTENCES, Prior
from index.models import Answer, QuestionError
from index.search import tokens

if TYPE_CHECKING:
    from index.corpus import Corpus

# A noun phrase's opening: the word after it names a subject ("the detour", "the insurers").
_DETERMINER = re.compile(r"\b(?:the|a|an|this|that|these|those|its|their|his|her|our|your)\s+(\w+)", re.IGNORECASE)
# Words that point back at what was said before ("who called it?"): a follow-up of these alone
# names no subject of its own.
_POINTING = frozenset(
    "it its itself he him his himself she her hers herself they them their theirs themselves"
    " this that these those there then".split()
)
# Capitalised words that name no subject: question words, and the pronoun "I" ("what did I miss?").
_NOT_SUBJECTS = _POINTING | frozenset("who whom whose what which when where why how i".split())
# A word as typed, its case kept (tokens.words folds it).
_TYPED_WORD = re.compile(r"[^\W\d_][\w'’-]*")
GONE = "The story this conversation followed is no longer in the articles: please ask a full question."
# "when?" with no question before it: a conversation gone silent (the bot's last ten minutes) or
# lost with a restart. "No words to search for" read as if "when?" were no question at all.
NO_EARLIER = "It follows up an earlier question, and there is no earlier question in this conversation: please ask the whole question."


@dataclass(frozen=True, slots=True)
class Carry:
    """How much of the history a question inherits (tuned on CoQA, see the module doc)."""

    story_bonus: float = 1.0  # the leading story's bonus, as a share of the question's idf mass
    decay: float = 0.8  # a story's weight kept per turn
    answered_gain: float = 0.5  # weight a story gains when a turn's best sentence is in it
    min_share: float = 0.3  # stories weighing less than this share of the heaviest get no bonus
    max_stories: int = 3
    candidates: int = 30  # BM25's best sentences whose stories are weighed for a question
    carry_turns: int = 1  # the own terms of this many previous questions are searched too ...
    carry_below: int = 2  # ... when the question has fewer own terms than this
    switch: float = float("inf")  # reset when another story holds this idf share of the
    #                      question more than the current one: never, measured (any value cost
    #                      P@1, on spliced conversations too; the weights yield by themselves)
    switch_min_terms: int = 2  # ... when the question has at least this many own terms
    first_turn: bool = False  # the first question too is asked with its stories' weights
    follow_share: float = 0.2  # a question answered in the current story is not abstained on
    #                            when the story holds this idf share of its own terms
    carried_share: float = 0.9  # the carried terms weigh at most this share of a follow-up's own
    #                             known words (Prior.carried; inf: as much as the idf says)
    carried_named: bool = True  # ... only for a follow-up naming a subject ("and the insurers?")
    named_evidence: bool = True  # a named subject is what the index says (a word of the carried
    #                              story, a known name); False: round 19's surface test (a determiner)
    named_idf: float = 0.0  # ... a word of the carried story naming a subject weighs at least this
    #                         share of the most an idf can (0: any word the story holds)
    named_entity: bool = True  # ... a name the entity index knows names a subject wherever it is
    after: float = 0.1  # bonus of the sentence after the last answer's (half that for the next
    #                     one...), as the story bonus: a conversation often reads its story in order
    after_sentences: int = 2  # ... for this many sentences after it
    after_held: bool = True  # ... only when that story holds `follow_share` of the question's words
    positions: float = 0.03  # each sentence of the last answer's story also gets this x the log of
    #                          how much likelier a sentence at its distance from the last answer's
    #                          holds a follow-up's answer (learnt on CoQA's tune part, per turn kind:
    #                          index.answer.conversation_positions; .02 and .03 gained the most
    #                          there, with `after` kept: docs/conversations.md, round 21)
    type_only: float = 10.0  # added to the wanted type's weight (rerank.GAMMA) for a follow-up
    #                          of no own word but its type ("when?", "what year?", "where?"): in
    #                          effect a sentence of the type comes first (.5 to 10 tied on the
    #                          tune part, >= 1 abstained one turn fewer; docs/conversations.md)


@dataclass(slots=True)
class Turn:
    """One question of the conversation and where it was answered."""

    question: str
    terms: tuple[str, ...]  # the question's own index terms (known to the corpus)
    story: int | None  # article row of the best sentence (None: no sentence found)
    answer: Answer
    pid: int | None = None  # the best sentence's passage id in the conversation's corpus


@dataclass
class Conversation:
    """Questions asked in order on one corpus; `ask` is safe to call from several threads."""

    corpus: Corpus
    carry: Carry = field(default_factory=Carry)
    turns: deque[Turn] = field(default_factory=lambda: deque(maxlen=20))
    weights: dict[int, float] = field(default_factory=dict)  # story row -> weight
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _story_terms: dict[int, frozenset[str]] = field(default_factory=dict, repr=False)
    _bound: Corpus | None = field(default=None, init=False, repr=False)  # where `move_to` moves it
    _gone: bool = field(default=False, init=False, repr=False)  # the last answer's story was removed
    _gone_terms: frozenset[str] = field(default=frozenset(), init=False, repr=False)  # ... its words

    def move_to(self, corpus: Corpus, *, now: bool = True) -> None:
        """Carry the conversation over to `corpus` (a newer index of the same articles), never
        waiting: while a question is being answered on the old one, the move is made as it ends;
        with `now` False it is only noted, and made as the next question starts (in its thread:
        what an event loop calls).

        Stories and turns are re-keyed old row -> doc id -> new row. An article removed drops
        out (its weight and its turns); an article replaced under its id stays the same story,
        at its id's new row: the id is an article's identity (a feed's updated story, a
        corrected file), and the follow-up is about that story. Nothing of the old corpus is
        kept (its per-story word sets are dropped: a replaced story's words changed).
        """
        self._bound = corpus
        if now:
            self._settle()

    def fork(self) -> Conversation:
        """A new conversation that goes on from this one's history (someone else's follow-up to
        one of its answers); from then on each goes its own way. Waits for a question being
        answered on this one (call it off the event loop).
        """
        with self._lock:
            self._rekey()
            other = Conversation(
                self.corpus, self.carry, deque(self.turns, maxlen=self.turns.maxlen), dict(self.weights)
            )
            other._gone, other._gone_terms = self._gone, self._gone_terms
            return other

    def read_on_from(self, doc_id: str, char_start: int, question: str = "") -> bool:
        """A reply to an earlier answer (Discord) to `question`, whose best sentence is the one at
        `char_start` of article `doc_id`: the next question is read on from it, as if it were the
        last answer, though later answers were about other stories. When its turn is not held (a
        conversation that expired, the replier's own), it starts afresh from that answer: its story
        and the question's words. False, nothing changed, when the sentence is gone or the question
        has no word the index knows.
        """
        with self._lock:
            self._rekey()
            try:
                row = self.corpus.story_row(doc_id)
                pid = next(p.pid for p in self.corpus.passages_of(doc_id) if p.char_start == char_start)
                said = self.corpus.prepare(question).own if question else ()
            except (KeyError, StopIteration, QuestionError):
                return False
            held = [turn for turn in self.turns if turn.story == row]
            own = tuple(t for t in said if t in self.corpus.bm25.vocab)
            if not held and not own:
                return False
            if not held:
                self.turns.clear()
                self.weights.clear()
            turn = held[-1] if held else Turn(question, own, row, Answer(question, False, []))
            self.turns = deque(
                [replace(t, pid=None) for t in self.turns if t is not turn] + [replace(turn, pid=pid)],
                maxlen=self.turns.maxlen,
            )
            self.weights[row] = max(self.weights.values(), default=0.0) + self.carry.answered_gain
            self._gone, self._gone_terms = False, frozenset()
            return True

    def reset(self) -> None:
        """Forget the history: the next question starts a new topic."""
        with self._lock:
            self.turns.clear()
            self.weights.clear()
            self._gone, self._gone_terms = False, frozenset()

    def ask(self, question: str, k: int = 3, context: int = 0) -> Answer:
        """Answer `question` in the light of the earlier ones (raises QuestionError as
        `Corpus.answer` does) and remember it.
        """
        try:
            with self._lock:
                self._rekey()  # a move asked for since the last question
                return self._ask(question, k, context)
        finally:
            self._settle()  # a move asked for while answering

    def _ask(self, question: str, k: int, context: int) -> Answer:
        """`ask`, the lock held."""
        query = self.corpus.prepare(question)  # prepared once: its prior joins it in `answer`
        if not any(ch.isalnum() for ch in query.text):
            # "?!?" or an emoji is no follow-up ("when?" is: it has a word): answered as
            # alone (no words to search for), not with the story's sentences, and not kept.
            # Read without its chat markup (`text`): `<@123>` or `@everyone` alone has no word.
            return self.corpus.answer(query, k, context)
        said = query.own  # the question's own terms, unknown ones too
        if not said and self._gone:  # "when?" about a story removed since: say so, not "no words"
            return Answer(query.question, True, [], GONE)
        own = tuple(t for t in said if t in self.corpus.bm25.vocab)
        if self._gone and _points_back(query.text) and not self._names_anything(query.text, said):
            # "who called it?" about a story removed since: its verb is no subject, and asked
            # afresh it was quoted from another story as a strong match. The closest passages
            # are shown, as an abstention's are.
            found = self.corpus.answer(query, k, context)
            return Answer(found.question, True, found.hits, GONE)
        gone, self._gone = self._gone, False
        asked = details.asks(query.text)
        if asked is None or asked.how == details.NAMED:  # "who wrote this?" names no subject:
            self._weigh(own)  # its words ("wrote") must not move the story it points at
        typed = not said and query.kind is not None  # "when?": the type is the question
        prior = self.prior(len(said), typed=typed)
        read = self.turns[-1].story if prior.near else None  # the story the last answer was in
        if read is not None and self.carry.after_held and not self._story_holds(read, said):
            prior = replace(prior, near={})  # read on in the story only for a question about it
        if self.carry.carried_named and not self._names_a_subject(query.text, own, prior):
            prior = replace(prior, carried=float("inf"))  # "what did he buy?": the carried subject is
            #                                               what the question is about
        if typed and prior.docs:
            prior = replace(prior, typed=self.carry.type_only)
        answer = self.corpus.answer(query, k, context, prior=prior)
        if not said and not self.turns and answer.abstained and not answer.hits:
            answer.reason = NO_EARLIER  # "when?" asked first: only its type, nothing to read it in
        if prior.docs:
            answer.story = self.corpus.doc_id_of_row(max(prior.docs, key=lambda d: prior.docs[d]))
        if gone and answer.abstained and self._share(self._gone_terms, said) >= self.carry.follow_share:
            # "how long is the detour?" about the removed story: no other article answers it
            self._gone = True
            return Answer(answer.question, True, [], GONE)
        story = self.corpus.story_row(answer.hits[0].passage.doc_id) if answer.hits else None
        if (
            answer.abstained
            # a view asked stays an abstention; the coverage and number ones are lifted (the
            # number's too: kept, it cost CoQA's held-out turns .383 -> .382, 8.7 -> 9.8% abstained)
            and answer.reason != answers.OPINION
            and story is not None
            and story in prior.docs
            and self._story_holds(story, said)
        ):
            answer.abstained, answer.reason = False, None  # a follow-up read in its story
        if story is not None and not answer.abstained:  # what was answered is carried on
            self.weights[story] = self.weights.get(story, 0.0) + self.carry.answered_gain
            self.turns.append(Turn(answer.question, own, story, answer, answer.hits[0].passage.pid))
        elif answer.details and not answer.abstained:  # "who wrote the story about the fire":
            # its article is the story and the words naming it ("fire") are carried, so "when?"
            # next is read in it; "wrote" and "story" are not ("when?" is no question of authors)
            story = self.corpus.story_row(answer.details[0].article.doc_id)
            about = tokens.tokenize(asked.about) if asked is not None else []
            self.weights[story] = self.weights.get(story, 0.0) + self.carry.answered_gain
            self.turns.append(Turn(answer.question, tuple(t for t in own if t in about), story, answer))
        return answer

    def prior(self, own_terms: int = 0, *, typed: bool = False) -> Prior:
        """What the next question inherits: the leading stories and, for a question of fewer
        than `carry_below` own terms, the terms of the last questions that had some (`typed`: it
        says nothing but its type, which weighs the sentences near the last answer's otherwise).
        """
        c = self.carry
        docs: dict[int, float] = {}
        if self.weights and (self.turns or c.first_turn):
            heaviest = max(self.weights.values())
            ranked = sorted(self.weights.items(), key=lambda kv: -kv[1])[: c.max_stories]
            docs = {d: c.story_bonus * w / heaviest for d, w in ranked if heaviest > 0 and w >= c.min_share * heaviest}
        worded = [turn for turn in self.turns if turn.terms]  # "when?" leaves nothing to carry
        recent = worded[-c.carry_turns :] if c.carry_turns > 0 and own_terms < c.carry_below else []
        terms = tuple(dict.fromkeys(t for turn in reversed(recent) for t in turn.terms))
        return Prior(docs, terms, carried=c.carried_share, near=self._near(docs, typed))

    def _near(self, docs: dict[int, float], typed: bool) -> dict[int, float]:
        """The bonus of the sentences near the last answer's, when its story is carried: learnt by
        distance (`positions`), plus the fixed one of the next sentences (`after`).
        """
        c, last = self.carry, self.turns[-1] if self.turns else None
        if last is None or last.pid is None or last.story not in docs:
            return {}
        near: dict[int, float] = {}
        if c.positions > 0:
            doc = np.asarray(self.corpus.layout["doc"])  # passages are stored story by story
            lo, hi = (int(np.searchsorted(doc, last.story, side=side)) for side in ("left", "right"))
            table, far = LOG_RATIO["typed" if typed else "worded"], FAR + 1
            for pid in range(max(lo, last.pid - MAX_STORY_SENTENCES), min(hi, last.pid + MAX_STORY_SENTENCES)):
                near[pid] = c.positions * table[max(-far, min(far, pid - last.pid))]
        if c.after > 0:
            _, after = self.corpus.neighbours(last.pid, c.after_sentences)
            for i, p in enumerate(after):
                near[p.pid] = near.get(p.pid, 0.0) + c.after / (1 + i)
        return near

    # ------------------------------------------------------------------ internals
    def _settle(self) -> None:
        """Make a pending move now unless a question holds the lock (its `ask` makes it as it
        ends: both sides look again after the other's step, so no move is left pending).
        """
        while self._bound is not None and self._bound is not self.corpus and self._lock.acquire(blocking=False):
            try:
                self._rekey()
            finally:
                self._lock.release()

    def _rekey(self) -> None:
        """The move to `_bound` (the lock held): rows through doc ids, removed articles dropped."""
        new = self._bound
        if new is None or new is self.corpus:
            return
        if not self.weights and not self.turns:  # nothing to re-key (a conversation not asked yet)
            self._story_terms, self.corpus = {}, new
            return
        old, rows = self.corpus, dict[int, int]()
        for row in {*self.weights, *(turn.story for turn in self.turns if turn.story is not None)}:
            try:
                rows[row] = new.story_row(old.doc_id_of_row(row))
            except (KeyError, IndexError):  # removed from the corpus: forgotten
                continue
        weights: dict[int, float] = {}
        for row, weight in self.weights.items():
            if row in rows:
                weights[rows[row]] = weights.get(rows[row], 0.0) + weight
        last = self.turns[-1].story if self.turns else None
        if last is not None and last not in rows:  # its words kept (not the old corpus): a worded
            self._gone, self._gone_terms = True, self._terms_of(last)  # follow-up about it is told
        vocab = new.bm25.vocab
        turns = [
            Turn(turn.question, tuple(t for t in turn.terms if t in vocab), rows[turn.story], turn.answer, turn.pid)
            for turn in self.turns
            if turn.story in rows
        ]
        if turns and turns[-1].pid is not None:  # the last answer's sentence at its new id (`after`)
            said = old.passage(turns[-1].pid)
            here = (p.pid for p in new.passages_of(said.doc_id) if p.char_start == said.char_start)
            turns[-1] = replace(turns[-1], pid=next(here, None))
        for n in range(len(turns) - 1):  # only the last one's is read
            turns[n] = replace(turns[n], pid=None)
        self.weights, self.turns = weights, deque(turns, maxlen=self.turns.maxlen)
        self._story_terms = {}
        self.corpus = new

    def _weigh(self, own: tuple[str, ...]) -> None:
        """Update the stories' weights with the question's own words: each story among those
        of BM25's best sentences gains the idf share of the question it holds; a story that
        holds `switch` more of it than the current one makes the conversation start afresh.
        """
        if not own:
            return
        c = self.carry
        weight = self._idf(own)
        total = sum(weight.values())
        if total <= 0:
            return
        ids, _ = self.corpus.bm25.top(list(own), c.candidates)
        stories = {self.corpus.story_row(self.corpus.passage(int(pid)).doc_id) for pid in ids.tolist()}
        stories.update(self.weights)
        share = {d: sum(w for t, w in weight.items() if t in self._terms_of(d)) / total for d in stories}
        if self.weights and len(own) >= c.switch_min_terms:
            current = max(self.weights, key=lambda d: self.weights[d])
            if max(share.values()) - share.get(current, 0.0) >= c.switch - 1e-9:
                self.weights.clear()
                self.turns.clear()
        for d in list(self.weights):
            self.weights[d] *= c.decay
        for d, value in share.items():
            if value > 0:
                self.weights[d] = self.weights.get(d, 0.0) + value
        if len(self.weights) > 4 * c.candidates:  # keep the table small: drop the lightest
            kept = sorted(self.weights.items(), key=lambda kv: -kv[1])[: 2 * c.candidates]
            self.weights = dict(kept)

    def _names_a_subject(self, text: str, own: tuple[str, ...], prior: Prior) -> bool:
        """The follow-up names a subject of its own, on the index's evidence: one of its own words
        is in the story it is read in ("and insurers?", "how long is the detour?": the carried
        words would quote the previous answer again) or is a name the entity index knows ("and
        Hogg?"). A word that story lacks ("what about the money?" after the repairs' cost) is
        read with the carried words whole: the question is about the carried subject.
        """
        c = self.carry
        if not c.named_evidence:
            return _names_a_subject(text, own)
        if not own or not prior.terms:  # nothing carried: nothing to weigh less (no look-up)
            return False
        if prior.docs:
            held = self._terms_of(max(prior.docs, key=lambda d: prior.docs[d]))
            floor = c.named_idf * self._most_idf()
            if any(t in held and w >= floor for t, w in self._idf(own).items()):
                return True
        return c.named_entity and _a_known_name(self.corpus, text, own)

    def _names_anything(self, text: str, said: tuple[str, ...]) -> bool:
        """The question names a subject of its own, on its face (a word after a determiner: "the
        growers"), by a capital ("Zorblax", known or not) or as a name the entity index knows
        ("lopez"): no story is needed to read it.
        """
        return (
            _names_a_subject(text, said)
            or _capitalised(text)
            or (bool(said) and _a_known_name(self.corpus, text, said))
        )

    def _story_holds(self, doc: int, own: tuple[str, ...]) -> bool:
        """The story holds at least `follow_share` of the question's own idf mass (all of a
        follow-up that has no words of its own: "what year?").
        """
        return self._share(self._terms_of(doc), own) >= self.carry.follow_share

    def _share(self, held: frozenset[str], own: tuple[str, ...]) -> float:
        """The idf share of the question's own terms that a story's words hold (1 for none)."""
        weight = self._idf(own)
        total = sum(weight.values())
        return 1.0 if total == 0 else sum(w for t, w in weight.items() if t in held) / total

    def _idf(self, terms: tuple[str, ...]) -> dict[str, float]:
        """Each term's idf; a term the articles never use weighs the most (as in the abstention)."""
        index, unknown = self.corpus.bm25, self._most_idf()
        return {t: max(index.term_idf(index.vocab[t]), 0.0) if t in index.vocab else unknown for t in terms}

    def _most_idf(self) -> float:
        """The most an idf can weigh (a word the articles never use)."""
        n = self.corpus.bm25.n_docs
        return math.log((n + 0.5) / 0.5) if n else 1.0

    def _terms_of(self, doc: int) -> frozenset[str]:
        if doc not in self._story_terms:
            if len(self._story_terms) > 1000:
                self._story_terms.clear()
            doc_id = self.corpus.doc_id_of_row(doc)
            self._story_terms[doc] = frozenset(
                t for p in self.corpus.passages_of(doc_id) for t in tokens.tokenize(p.text)
            )
        return self._story_terms[doc]


def _a_known_name(corpus: Corpus, text: str, own: tuple[str, ...]) -> bool:
    """A word of the question (or two in a row) that is one of its own terms and a name the
    entity index knows ("and Hogg?", "what about stuart hogg?"): one dictionary look-up each.
    """
    names = corpus.entities()
    said = tokens.words(text)
    kept = [w for w in said if tokens.tokenize(w) and tokens.tokenize(w)[0] in own]
    pairs = [f"{a} {b}" for a, b in zip(said, said[1:], strict=False) if a in kept or b in kept]
    return any(names.get(w) is not None for w in [*kept, *pairs])


def _points_back(text: str) -> bool:
    """The question points back at something said before by a pronoun ("who called it?", "what
    did they say?", "where was that?").
    """
    return any(w in _POINTING for w in tokens.words(text.lower()))


def _capitalised(text: str) -> bool:
    """The question writes a word after its first with a capital ("what did Zorblax say about
    it?"): a name, even one the entity index does not hold. Question words and pronouns name
    nothing, and neither do capitals in a question capitalised throughout ("WHO SAID IT?").
    """
    later = _TYPED_WORD.findall(text)[1:]
    if not any(w[0].islower() for w in later):
        return False
    return any(w[0].isupper() and w.lower() not in _NOT_SUBJECTS for w in later)


def _names_a_subject(text: str, own: tuple[str, ...]) -> bool:
    """Round 19's surface test (`Carry.named_evidence` False): one of the follow-up's terms
    follows a determiner ("how long is the detour?", "and the insurers?"; not "what did he buy?").
    """
    terms = set(own)
    return any(set(tokens.tokenize(m.group(1))) & terms for m in _DETERMINER.finditer(text))
