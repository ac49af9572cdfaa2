"""Round 12's faster rules give the same answers as the straightforward forms they replaced."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from index.names import lexicon as lex
from index.names.rules import TYPES, Doc, decide, tokenize

# the word pattern before round 12: one alternation per character
_PER_CHARACTER = re.compile(
    r"(?P<acr>(?:[A-Z]\.){2,}(?![A-Za-z]))"
    r"|(?P<abbr>(?:" + lex.ABBREVS + r")\.)"
    r"|(?P<poss>['’]s(?![A-Za-z]))"
    r"|(?P<word>[^\W_](?:[^\W_]|[-&.](?=[^\W_])|['’](?=[A-Za-z]{2,}))*)"
    r"|(?P<punct>\S)"
)

TRICKY = [
    "AT&T's U.S. unit and R&D--spending at Procter & Gamble Co. rose 3.5% in Q1.",
    "O'Neill didn't say 'no' to McDonald’s; rock'n'roll, e-mail, -dash- and trailing- hyphen.",
    "Zürich-based Nestlé S.A. and São Paulo's 2,000.5 _under_score_ x.y.z. a..b a--b",
    "iPhone 4S, 777-200LR, A350s, Mr. J. R. R. Tolkien Jr. of St. Louis, Mo.",
    "“Quoted” — dashes – and … ellipses; 'single' `back` ``double'' «guillemets»",
]


@pytest.mark.parametrize("text", TRICKY)
def test_word_pattern_finds_the_same_tokens_as_the_per_character_one(text: str) -> None:
    old = [(m.start(), m.end(), m.lastgroup) for m in _PER_CHARACTER.finditer(lex.norm(text))]
    assert [(t.start, t.end, t.kind) for t in tokenize(text)] == old


def test_decide_breaks_ties_as_before_and_only_reads_the_votes() -> None:
    votes: defaultdict[str, float] = defaultdict(float)
    assert decide(votes) == "ORG"  # no evidence
    votes.update({"PERSON": 2.0, "GPE": 2.0})
    assert decide(votes) == "PERSON"  # a tie: the first of TYPES
    votes["ORG"] = 2.0
    assert decide(votes) == "ORG"  # a tie with ORG: ORG
    votes["PERSON_OR_ORG"] = 1.0  # PERSON +0.2, ORG +0.3
    votes["PRODUCT_OR_ORG"] = 10.0  # PRODUCT +5.0, ORG +4.0
    assert decide(votes) == "ORG"
    assert set(votes) == {"PERSON", "GPE", "ORG", "PERSON_OR_ORG", "PRODUCT_OR_ORG"}
    assert decide(defaultdict(float, {"MISC": -1.0})) == "ORG"
    assert TYPES[-1] == "MISC" and decide(defaultdict(float, {"MISC": 0.5})) == "MISC"


def test_a_word_after_colons_and_quotes_is_marked_initial() -> None:
    text = "Note" + ":" * 50 + " Apple sold: “Pears” and more.\nNew line here"
    doc = Doc(text, [0])
    initial = {t.text for t in doc.toks if t.initial}
    assert initial == {"Note", "Apple", "Pears", "New"}
    assert not any(t.initial for t in doc.toks if t.kind == "punct")


def test_headline_lines_are_marked_and_sentences_are_not() -> None:
    doc = Doc("Apple Buys Small Chip Maker In Texas\nApple Buys Small Chip Maker In Texas.\n", None)
    first_line = [t.title_line for t in doc.toks if t.start < 36]
    second_line = [t.title_line for t in doc.toks if t.start > 37]
    assert first_line and all(first_line)
    assert second_line and not any(second_line)


def test_gazetteer_lengths_cover_every_entry() -> None:
    lengths = lex.gazetteer_lengths()
    for key in lex.gazetteer():
        assert len(key) in lengths[key[0]]
    assert all(list(ls) == sorted(ls, reverse=True) for ls in lengths.values())
