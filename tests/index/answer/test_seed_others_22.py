"""Round 22: other people's seed questions, a seventh blind part (seed_questions_others_g.tsv held
out); a pasted link is no question word (docs/answers.md, seedq22)."""

from __future__ import annotations

import pytest

from index.answer import question as question_types
from index.answer.question import plain
from index.corpus import Corpus


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("re <https://example.com/news/alibaba-claude-ban> what is it", "re what is it"),
        ("see www.example.org/a?b=1 who wrote it", "see who wrote it"),
        ("HTTPS://EXAMPLE.COM/X when", "when"),
        ("what is http or www", "what is http or www"),  # words, not links
    ],
)
def test_a_pasted_link_is_removed(typed: str, read: str) -> None:
    assert plain(typed) == read


def test_a_question_around_a_link_answers(seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    typed = "re <https://example.com/news/alibaba-claude-ban> what is alibaba replacing claude code with"
    a = seed_corpus.answer(typed)
    assert not a.abstained and "adopt Qoder" in a.hits[0].passage.text
    monkeypatch.setattr(question_types, "LINKS", False)  # "https", "example", "com", "news" weighed as missing
    assert seed_corpus.answer(typed).abstained
