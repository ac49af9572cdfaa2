"""tools.make_role_words: role nouns from SQuAD-train's "who is the <role> of" questions (role27)."""

from __future__ import annotations

from index.answer import question
from tools import make_role_words


def test_a_noun_is_listed_when_asked_enough_and_answered_by_persons() -> None:
    pairs = [("ceo", "Tim Cook")] * 3 + [("ruler", "the Ottomans")] * 5 + [("mayor", "John Lindsay")] * 2
    assert make_role_words.role_words(iter(pairs)) == ["ceo"]  # ruler: no person; mayor: asked twice


def test_the_shipped_list_holds_the_roles_news_asks_by() -> None:
    words = question.role_words()
    assert {"ceo", "chairman", "president", "founder", "chief"} <= words
    assert "ruler" not in words
