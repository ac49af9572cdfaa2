"""Conversations: a follow-up is read in the story of the earlier questions; a new subject
starts afresh; the history is per conversation and `reset` forgets it.
"""

from __future__ import annotations

import shutil

import pytest

from index.corpus import Corpus
from tests.conftest import SEED

SEED_ID = SEED.stem
HARBOUR = (
    "---\ntitle: Harbour almanac\nauthor: Port Office\ndate: 2026-01-05\n---\n"
    "The harbour festival opened on March 3, 2025, with a parade of tall ships.\n\n"
    "The new harbour toll takes effect on April 1 for every ship longer than 50 metres.\n\n"
    "The port office said the toll will pay for dredging the channel.\n"
)


@pytest.fixture(scope="module")
def two_stories(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    base = tmp_path_factory.mktemp("two-stories")
    seeds = base / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)
    (seeds / "harbour.md").write_text(HARBOUR, encoding="utf-8")
    return Corpus.open(seeds, base / "index")


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
