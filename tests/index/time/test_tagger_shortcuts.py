"""The tagger's shortcut before the modifier search (`tagger._may_extend_left`) skips no
modifier: tags with it equal tags with the search always run."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from index.time import tag, tagger


def _texts(n: int) -> list[str]:
    words = (
        "the end of The End Of THE VERY BEGINNING OF the early part of early Early EARLY late mid mid- MİD "
        "earlier later Later the middle of the turn of of in on and for since - 2009 June March 5 Monday "
        "the year this year last week 2010 the 1990s the century year the quarter spring the day"
    ).split(" ")
    seps = [" ", "  ", "-", "\n", "", ", "]
    rnd = random.Random(19)
    return ["".join(rnd.choice(words) + rnd.choice(seps) for _ in range(rnd.randint(2, 14))) for _ in range(n)]


def test_the_modifier_shortcut_changes_no_tag(monkeypatch: pytest.MonkeyPatch) -> None:
    anchor = dt.date(2020, 5, 5)
    texts = _texts(1500) + ["At the end of June and in mid-March, early 2009, the latter part of the year."]
    got = [[(t.start, t.end, t.value) for t in tag(text, anchor)] for text in texts]
    monkeypatch.setattr(tagger, "_may_extend_left", lambda text, s: True)
    want = [[(t.start, t.end, t.value) for t in tag(text, anchor)] for text in texts]
    assert got == want
    extended = sum(
        1
        for text, tags in zip(texts, want, strict=True)
        for s, _, _ in tags
        if text[s : s + 3].lower() in ("the", "ear", "mid", "lat")
    )
    assert extended > 60  # the modifiers were there to be found


def test_the_shortcut_skips_plain_prepositions() -> None:
    text = "It rose in March and on Monday."
    assert not tagger._may_extend_left(text, text.index("March"))
    assert tagger._may_extend_left("at the end of June", len("at the end of "))
    assert tagger._may_extend_left("in mid-June", len("in mid-"))
    assert tagger._may_extend_left("MİD June", len("MİD "))  # not ASCII: always searched
