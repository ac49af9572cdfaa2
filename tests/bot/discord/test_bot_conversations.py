"""The Discord bot's table of conversations: per (user, channel), expiring, reset, carried over a reindex."""

from __future__ import annotations

import gc
import weakref
from types import SimpleNamespace
from typing import Any, cast

from bot.discord import conversations as table
from bot.discord.conversations import Conversations


class FakeCorpus:
    """Only its identity matters here (and a question of no words, answered alone)."""

    def prepare(self, question: str) -> SimpleNamespace:
        return SimpleNamespace(question=question, text=question)  # as a Query: asked and as read

    def answer(self, query: SimpleNamespace, k: int, context: int) -> SimpleNamespace:
        return query


def test_one_conversation_per_user_and_channel_until_silence() -> None:
    now = [0.0]
    convs = Conversations(clock=lambda: now[0])
    corpus = cast(Any, FakeCorpus())
    first = convs.get(corpus, 1, 10)
    assert convs.get(corpus, 1, 10) is first
    assert convs.get(corpus, 2, 10) is not first and convs.get(corpus, 1, 11) is not first
    now[0] += table.EXPIRY_SECONDS - 1
    assert convs.get(corpus, 1, 10) is first  # asking again keeps it alive
    now[0] += table.EXPIRY_SECONDS + 1
    assert convs.get(corpus, 1, 10) is not first
    assert len(convs) == 1  # the expired ones were dropped


def test_reset_starts_afresh_and_a_swapped_corpus_carries_the_conversation_over() -> None:
    convs = Conversations()
    old, new = cast(Any, FakeCorpus()), cast(Any, FakeCorpus())
    first = convs.get(old, 1, 10)
    assert convs.reset(1, 10) and not convs.reset(1, 10)
    second = convs.get(old, 1, 10)
    assert second is not first
    assert convs.get(new, 1, 10) is second  # after a reindex: carried over, not reset ...
    assert second.corpus is old  # ... as its next question starts (get runs on the event loop)
    second.ask("?!?")
    assert second.corpus is new


def test_move_to_carries_every_live_conversation_over_and_lets_the_old_corpus_go() -> None:
    now = [0.0]
    convs = Conversations(clock=lambda: now[0])
    old, new = FakeCorpus(), cast(Any, FakeCorpus())
    gone = weakref.ref(old)
    kept = [convs.get(cast(Any, old), user, 10) for user in range(3)]
    now[0] += table.EXPIRY_SECONDS + 1
    kept.append(convs.get(cast(Any, old), 3, 10))  # the three others expired
    assert convs.move_to(new) == 1 and kept[-1].corpus is new
    del old, kept
    gc.collect()
    assert gone() is None  # no entry of the table pins the old index


def test_the_table_is_bounded(monkeypatch) -> None:
    monkeypatch.setattr(table, "MAX_CONVERSATIONS", 3)
    convs = Conversations()
    corpus = cast(Any, FakeCorpus())
    kept = convs.get(corpus, 0, 0)
    for user in range(1, 6):
        convs.get(corpus, user, 0)
        convs.get(corpus, 0, 0)  # the most recently used stays
    assert len(convs) == 3 and convs.get(corpus, 0, 0) is kept


def test_a_reply_to_anothers_answer_starts_from_a_copy_of_their_conversation() -> None:
    convs = Conversations()
    corpus = cast(Any, FakeCorpus())
    alice = convs.get(corpus, 1, 10)
    alice.weights[3] = 1.0  # her story
    carol = convs.get(corpus, 2, 10, starts_from=(1, 10))
    assert carol is not alice and carol.weights == {3: 1.0}
    carol.weights[4] = 1.0
    assert alice.weights == {3: 1.0}  # from then on each goes its own way
    assert convs.get(corpus, 2, 10, starts_from=(1, 10)) is carol  # she has her own now: not copied again
    assert convs.get(corpus, 5, 11, starts_from=(1, 11)).weights == {}  # Alice has none in that channel
    assert convs.get(corpus, 1, 10, starts_from=(1, 10)) is alice  # a reply to one's own answer
    thread = convs.get(corpus, 1, 99, starts_from=(1, 10))  # Alice in a thread opened from her answer
    assert thread is not alice and thread.weights == {3: 1.0}
