"""`tagger.tags_with_rules`: the tags of `tag` with the rule that found each and its sentence's
tense, what a learnt decision over the rules' output weighs (docs/dates.md, "Round 6")."""

from __future__ import annotations

import datetime as dt

import pytest

from index.time import tag
from index.time.tagger import tags_with_rules

ANCHOR = dt.date(1998, 3, 5)
TEXTS = [
    "The talks resumed Tuesday and will end next week, officials said now.",
    "Profit rose in the third quarter from a year ago; the daily Granma reported it on March 3.",
    "He will visit Paris on Friday. She was born in 1948, 50 years ago, and recent years were hard.",
    "At 16:15 UTC, June 1st, between April and June, every Tuesday night until 15:00 GMT Saturday.",
]


@pytest.mark.parametrize("ranges", [True, False])
def test_the_tags_are_those_of_tag(ranges: bool) -> None:
    for text in TEXTS:
        assert [t for t, _, _ in tags_with_rules(text, ANCHOR, ranges=ranges)] == tag(text, ANCHOR, ranges=ranges)
        off = ("now", "weekday")
        assert [t for t, _, _ in tags_with_rules(text, ANCHOR, ranges=ranges, off=off)] == tag(
            text, ANCHOR, ranges=ranges, off=off
        )


def test_each_tag_carries_its_rule_and_tense() -> None:
    got = {t.text: (rule, tense) for t, rule, tense in tags_with_rules(TEXTS[0], ANCHOR)}
    assert got["Tuesday"] == ("weekday", "past")
    assert got["next week"][0] == "relative"
    assert got["now"][0] == "present_ref"
    future = {t.text: tense for t, _, tense in tags_with_rules(TEXTS[2], ANCHOR)}
    assert future["Friday"] == "future"
    assert future["1948"] == "past"


def test_an_unknown_switch_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown"):
        tags_with_rules(TEXTS[0], ANCHOR, off=("learnt_kep",))
