"""Find the story, then the sentence: close stories are all on screen."""

from __future__ import annotations

import numpy as np

from index.answer import answers


def test_the_best_sentence_of_a_close_second_story_follows_the_leader() -> None:
    ids = np.array([10, 11, 12, 40, 41])
    scores = np.array([1.00, 0.98, 0.97, 0.95, 0.50])
    doc = np.zeros(100, dtype=np.int32)
    doc[40:] = 1
    order = answers.one_per_story(ids, scores, doc)
    assert ids[order].tolist() == [10, 40, 11, 12, 41]


def test_a_distant_second_story_leaves_the_order_alone() -> None:
    ids = np.array([10, 11, 12, 40])
    scores = np.array([1.00, 0.98, 0.97, 1.00 - answers.CLOSE - 0.01])
    doc = np.zeros(100, dtype=np.int32)
    doc[40:] = 1
    assert answers.one_per_story(ids, scores, doc).tolist() == [0, 1, 2, 3]


def test_at_most_the_first_places_are_given_to_other_stories() -> None:
    ids = np.array([0, 10, 20, 30, 40])
    scores = np.array([1.0, 0.99, 0.98, 0.97, 0.96])
    doc = np.arange(100, dtype=np.int32) // 10  # every candidate its own story
    assert answers.one_per_story(ids, scores, doc).tolist() == [0, 1, 2, 3, 4]
