"""Conversations: a follow-up is read in the story of the earlier questions; a new subject
starts afresh; the history is per conversation and `reset` forgets it; a change of the corpus
carries it over (`move_to`).
"""

from __future__ import annotations

import gc
import shutil
import threading
import weakref

import pytest

from index.corpus import Corpus
from tests.conftest import SEED, corpus_of

SEED_ID = SEED.stem
HARBOUR = (
    "---\ntitle: Harbour almanac\nauthor: Port Office\ndate: 2026-01-05\n---\n"
    "The harbour festival opened on March 3, 2025, with a parade of tall ships.\n\n"
    "The new harbour toll takes effect on April 1 for every ship longer than 50 metres.\n\n"
    "The port office said the toll will pay for dredging the channel.\n"
)


@pytest.fixture(scope="module")
def two_stories(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return corpus_of(tmp_path_factory.mktemp("two-stories"), {"harbour.md": HARBOUR}, seed=True)


def top_doc(answer) -> str:
    return answer.hits[0].passage.doc_id


def test_a_follow_up_is_read_in_the_story_of_the_previous_question(two_stories: Corpus) -> None:
    alone = two_stories.answer("when did it open?")
    assert top_doc(alone) == "harbour"  # asked alone, the other story wins
    conv = two_stories.conversation()
    first = conv.ask("why did alibaba ban claude code?")
    assert top_doc(first) == SEED_ID and first.story is None
    follow = conv.ask("when did it open?")
    assert top_doc(follow) == SEED_ID and follow.story == SEED_ID
    assert follow.to_json()["story"] == SEED_ID


def test_a_question_with_no_words_of_its_own_uses_the_previous_terms(two_stories: Corpus) -> None:
    assert two_stories.answer("and when?").abstained
    conv = two_stories.conversation()
    conv.ask("when does the alibaba ban take effect?")
    follow = conv.ask("and when?")
    assert not follow.abstained and "July 10" in follow.hits[0].passage.text


def test_a_new_subject_yields(two_stories: Corpus) -> None:
    conv = two_stories.conversation()
    conv.ask("why did alibaba ban claude code?")
    moved = conv.ask("when does the harbour toll take effect for ships?")
    assert top_doc(moved) == "harbour" and "April 1" in moved.hits[0].passage.text


def test_reset_forgets_the_story(two_stories: Corpus) -> None:
    conv = two_stories.conversation()
    conv.ask("why did alibaba ban claude code?")
    conv.reset()
    again = conv.ask("when did it open?")
    assert top_doc(again) == "harbour" and again.story is None


def test_conversations_do_not_share_history(two_stories: Corpus) -> None:
    one, other = two_stories.conversation(), two_stories.conversation()
    one.ask("why did alibaba ban claude code?")
    assert top_doc(other.ask("when did it open?")) == "harbour"


def test_an_off_topic_question_in_a_conversation_still_abstains(two_stories: Corpus) -> None:
    conv = two_stories.conversation()
    conv.ask("why did alibaba ban claude code?")
    assert conv.ask("who won the world cup in football?").abstained
    follow = conv.ask("who disputed it?")  # the abstained turn left the story in place
    assert not follow.abstained and top_doc(follow) == SEED_ID


# ---------------------------------------------------------------------- a change of the corpus (move_to)
def test_a_view_asked_as_a_follow_up_still_abstains_with_its_reason(seed_corpus: Corpus) -> None:
    """The story of the previous turns lifts only the coverage abstention: "is qwen better than
    claude" after a question about the ban is still a view no sentence gives (round 18)."""
    from index.answer import answers

    conv = seed_corpus.conversation()
    assert not conv.ask("when does the ban start").abstained
    a = conv.ask("is qwen better than claude")
    assert a.abstained and a.reason == answers.OPINION
    assert a.hits  # the closest passages are still shown


@pytest.fixture
def changing(tmp_path) -> Corpus:
    """Two stories in a corpus of their own, for tests that change it."""
    return two_stories_in(tmp_path)


def two_stories_in(tmp_path) -> Corpus:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)
    (seeds / "harbour.md").write_text(HARBOUR, encoding="utf-8")
    return Corpus.open(seeds, tmp_path / "index")


ZEBRA = ("zebra.md", b"The zebra parade starts at noon on Friday in the old town.\n")


def test_a_follow_up_after_an_unrelated_article_is_added_is_read_in_the_story(changing: Corpus) -> None:
    conv = changing.conversation()
    conv.ask("why did alibaba ban claude code?")
    fresh = changing.add_files([ZEBRA]).corpus
    assert fresh is not None and fresh is not changing
    conv.move_to(fresh)
    assert conv.corpus is fresh
    follow = conv.ask("when did it open?")
    assert top_doc(follow) == SEED_ID and follow.story == SEED_ID
    assert top_doc(fresh.conversation().ask("when did it open?")) == "harbour"  # afresh, the other story


def test_the_stories_are_re_keyed_by_id_when_rows_shift(changing: Corpus) -> None:
    """Removing the first article moves the harbour story from row 1 to row 0: the weights and
    turns follow its id, not its old row (which now names another article)."""
    grown = changing.add_files([ZEBRA]).corpus
    assert grown is not None
    conv = grown.conversation()
    conv.ask("when does the harbour toll take effect for ships?")
    row = grown.story_row("harbour")
    assert row in conv.weights and [turn.story for turn in conv.turns] == [row]
    fresh = grown.remove([SEED_ID]).corpus
    assert fresh is not None and fresh.story_row("harbour") != row
    conv.move_to(fresh)
    assert [turn.story for turn in conv.turns] == [fresh.story_row("harbour")]
    assert max(conv.weights, key=lambda d: conv.weights[d]) == fresh.story_row("harbour")
    follow = conv.ask("and what does it pay for?")
    assert top_doc(follow) == "harbour" and follow.story == "harbour"


def test_removing_the_story_forgets_it(changing: Corpus) -> None:
    conv = changing.conversation()
    conv.ask("why did alibaba ban claude code?")
    fresh = changing.remove([SEED_ID]).corpus
    assert fresh is not None
    conv.move_to(fresh)
    assert not conv.turns and not conv.weights
    again = conv.ask("when did it open?")  # no crash: a new topic
    assert top_doc(again) == "harbour" and again.story is None


def test_a_replaced_story_stays_the_story_in_its_new_version(changing: Corpus) -> None:
    conv = changing.conversation()
    conv.ask("why did alibaba ban claude code?")
    conv.ask("when did it open?")  # the story's words are cached: the replacement must drop them
    updated = SEED.read_bytes() + b"\nQoder opened to outside developers on August 2.\n"
    change = changing.add_files([(SEED.name, updated)], replace=True)
    assert change.replaced == [SEED_ID] and change.corpus is not None
    conv.move_to(change.corpus)
    follow = conv.ask("when did it open to developers?")
    assert top_doc(follow) == SEED_ID and "August 2" in follow.hits[0].passage.text


def test_a_moved_conversation_keeps_nothing_of_the_old_corpus(tmp_path) -> None:
    changing = two_stories_in(tmp_path)  # not a fixture: pytest would keep it
    conv = changing.conversation()
    conv.ask("why did alibaba ban claude code?")
    conv.ask("when did it open?")
    fresh = changing.add_files([ZEBRA]).corpus
    assert fresh is not None
    old = weakref.ref(changing)
    conv.move_to(fresh)
    del changing
    gc.collect()
    assert old() is None


def test_a_move_during_a_question_waits_for_nothing_and_is_made_as_it_ends(
    changing: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    conv = changing.conversation()
    conv.ask("why did alibaba ban claude code?")
    fresh = changing.remove(["harbour"]).corpus
    assert fresh is not None
    answering, release = threading.Event(), threading.Event()
    answer = changing.answer

    def slow_answer(*args, **kwargs):
        answering.set()
        release.wait(10)
        return answer(*args, **kwargs)

    monkeypatch.setattr(changing, "answer", slow_answer)
    asking = threading.Thread(target=conv.ask, args=("when does the ban take effect?",))
    asking.start()
    assert answering.wait(10)
    conv.move_to(fresh)  # returns at once: the question holds the conversation
    assert conv.corpus is changing
    release.set()
    asking.join(10)
    assert conv.corpus is fresh and len(conv.turns) == 2  # the answered question moved too
    assert {turn.story for turn in conv.turns} == {fresh.story_row(SEED_ID)}
