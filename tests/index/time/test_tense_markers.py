"""The tense markers' word skip (`context._tense_markers` sends a word that no branch can mark
straight to `prev`) marks what the plain word loop marks."""

from __future__ import annotations

import random
import re

import pytest

from index.time import context
from index.time.context import Context


def _plain(text: str, s0: int, s1: int, refined: bool) -> list[tuple[int, int, str]]:
    """Every word through the whole chain (round 11's loop, the reference)."""
    out: list[tuple[int, int, str]] = []
    prev = ""
    for m in context._WORD_TOKEN.finditer(text, s0, s1):
        raw = m.group()
        w = raw.lower().replace("’", "'")
        if refined and w == "to" and prev == "next" and out and out[-1][2] == "future":
            out.pop()
        elif w in context._FUTURE_WORDS or (raw in context._FUTURE_MODALS) or w.endswith("'ll"):
            out.append((m.start(), m.end(), "future"))
        elif (prev, w) in context._FUTURE_BIGRAMS and (refined or (prev, w) not in context._LATER_BIGRAMS):
            out.append((m.start(), m.end(), "future"))
        elif prev not in context._NO_PAST_AFTER and (
            (w in context._PAST_IRREGULAR and (refined or w != "since"))
            or (
                len(w) > 4
                and w.endswith("ed")
                and w not in context._NOT_PAST_ED
                and (not refined or (prev not in context._DETERMINERS and not w.startswith("un")))
            )
        ):
            out.append((m.start(), m.end(), "past"))
        prev = w
    return out


SENTENCES = [
    "They'll meet next to the embassy; he WON'T go, but she won’t stay and it’ll rain.",
    "The proposed merger was announced Monday and an unspecified date is planned to follow.",
    "He is expected to leave; the plan is set for May and may be planned a year ahead.",
    "İt was UNITED, they said Since then; it will be held, to be reported, NEXT To it.",
]


def _random_texts(n: int) -> list[str]:
    pieces = (
        "a e d ed ' ’ ll L K ſ é İ 1 - will Will WON'T won't next to planned said un the be may May 'll ’ll "
        "they'll rock'n'roll it's ED Since since reported United"
    ).split()
    seps = [" ", "", ", ", "\n", "  "]
    rnd = random.Random(19)
    return ["".join(rnd.choice(pieces) + rnd.choice(seps) for _ in range(rnd.randint(1, 25))) for _ in range(n)]


@pytest.mark.parametrize("refined", [True, False])
def test_markers_equal_the_plain_loop(refined: bool) -> None:
    marked = 0
    for text in SENTENCES + _random_texts(1500):
        for s0 in (0, 3):
            s0 = min(s0, len(text))
            for s1 in (len(text), max(s0, len(text) - 2)):
                got = context._tense_markers(text, s0, s1, refined)
                assert got == _plain(text, s0, s1, refined), (text, s0, s1)
                marked += len(got)
    assert marked > 2000


def test_a_word_that_is_markable_only_after_its_prev_is_not_skipped() -> None:
    # "to"/"a"/"for" mark only after "planned"/"set"/...: they must reach the chain
    text = "It is planned to open, set for June, planning a vote, next to the bank."
    words = [text[s:e] for s, e, _ in context._tense_markers(text, 0, len(text))]
    assert words == ["to", "for", "a"]
    assert Context(text, None).tense(text.index("June"), text.index("June") + 4) == "future"


def test_sentence_ends_equal_the_plain_alternation() -> None:
    # `_SENT_END` starts with one character class (for speed); the plain form it replaces:
    plain = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"“'‘(]?[A-Z0-9])|\n+")
    rnd = random.Random(19)
    chars = list(".!?\n \t\"'”’)“‘(aA0é\u2028\u00a0\r")
    texts = ["".join(rnd.choice(chars) for _ in range(rnd.randint(1, 30))) for _ in range(8000)]
    ends = 0
    for text in [*SENTENCES, *texts]:
        want = [m.end() for m in plain.finditer(text)]
        assert [m.end() for m in context._SENT_END.finditer(text)] == want, repr(text)
        ends += len(want)
    assert ends > 4000
