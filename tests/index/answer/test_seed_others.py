"""Round 17: the seed article asked as other people type it (tests/data/seed_questions_others_*.tsv)
and the fixes that paid on its tuned part A without losing on held-out sets (docs/answers.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from index.answer import question, spelling
from index.corpus import Corpus
from index.search import tokens
from tests.question_sets import (
    SEED_OTHERS,
    SEED_OTHERS_A,
    SEED_OTHERS_B,
    SEED_OTHERS_D,
    SEED_OTHERS_E,
    SEED_OTHERS_F,
    SEED_OTHERS_G,
    SEED_OTHERS_H,
    SEED_OTHERS_I,
    SEED_OTHERS_J,
    SEED_OTHERS_K,
    SEED_OTHERS_L,
    SEED_OTHERS_M,
    SEED_TSV,
    evaluate,
    seed_rows,
)


def test_the_split_is_balanced_and_disjoint() -> None:
    a, b = seed_rows(SEED_OTHERS_A), seed_rows(SEED_OTHERS_B)
    assert len(a) == len(b) == 52
    assert not {q for q, _ in a} & {q for q, _ in b}
    for rows in (a, b):
        kinds = [e if e in ("", "?") else "answerable" for _, e in rows]
        assert (kinds.count("answerable"), kinds.count("?"), kinds.count("")) == (34, 9, 9)


def _norm(q: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", tokens.normalise(q).replace("'", "")))


@pytest.mark.parametrize(
    ("later", "size"),
    [
        (SEED_OTHERS_D, 87),
        (SEED_OTHERS_E, 114),
        (SEED_OTHERS_F, 107),
        (SEED_OTHERS_G, 110),
        (SEED_OTHERS_H, 119),
        (SEED_OTHERS_I, 128),
        (SEED_OTHERS_J, 131),
        (SEED_OTHERS_K, 123),
        (SEED_OTHERS_L, 124),
        (SEED_OTHERS_M, 125),
    ],
)
def test_a_later_blind_set_repeats_no_earlier_question(later: Path, size: int) -> None:
    """Sets D to M dropped every row that repeats an earlier set word for word (folded as typed)."""
    rows = {_norm(q) for q, _ in seed_rows(later)}
    assert len(rows) == size
    for path in (*SEED_OTHERS, SEED_TSV):
        if path != later:
            assert not rows & {_norm(q) for q, _ in seed_rows(path)}, path.name


def test_an_english_word_the_articles_lack_is_left_as_typed(
    seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = seed_corpus.bm25
    assert spelling.fix("effect", index) is None or "effect" in index.vocab  # a known term is never asked
    assert spelling.fix("efect", index) == "effect"  # a typo is still corrected
    assert spelling.fix("too", index) is None  # a light and common word, not "tool"
    assert spelling.fix("mean", index) is None  # a light word since round 18 (test_seed_others_18)
    monkeypatch.setattr(spelling, "LIGHT", False)
    monkeypatch.setattr(spelling, "COMMON", False)  # a common word since round 20 (test_seed_others_20)
    assert spelling.fix("mean", index) == "mechan"  # "meaning": SKIP_WORDNET is off (news set B)
    monkeypatch.setattr(spelling, "SKIP_WORDNET", True)
    assert spelling.fix("mean", index) is None  # the measured, unshipped switch
    assert spelling.fix("too", index) == "tool"  # what happened before round 17 (light and common words off)


def test_a_question_about_a_company_the_article_never_names_abstains(seed_corpus: Corpus) -> None:
    # "too" was bent into "tool" ("domestic AI development tools"), which lifted the coverage.
    assert seed_corpus.answer("has tencent banned claude code too").abstained
    assert seed_corpus.answer("did bytedance ban claude too").abstained
    assert not seed_corpus.answer("did alibaba ban claude code").abstained


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("25k accounts??", "25000 accounts?"),
        ("how many 2.5k", "how many 2500"),
        ("whats the $600m for", "what is the $600 million for"),
        ("a 1.5bn deal", "a 1.5 billion deal"),
        ("the 100m sprint", "the 100m sprint"),  # metres as likely as millions without a currency
        ("v1.5k", "v1.5k"),
    ],
)
def test_chat_numbers_are_spelt_as_the_articles_write_them(typed: str, read: str) -> None:
    assert question.plain(typed) == read


def test_a_chat_number_finds_its_sentence(seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    a = seed_corpus.answer("25k accounts??")
    assert "nearly 25,000 fraudulent accounts" in a.hits[0].passage.text
    monkeypatch.setattr(question, "SHORTHAND", False)
    assert "nearly 25,000 fraudulent accounts" not in seed_corpus.answer("25k accounts??").hits[0].passage.text


def test_chat_words_of_round_17_are_spelt_out(seed_corpus: Corpus) -> None:
    assert question.plain("wut is qoder") == "what is qoder"
    assert question.plain("wot tool") == "what tool"
    assert question.plain("do chinese devs use it") == "do chinese developers use it"
    a = seed_corpus.answer("do chinese devs use claude code")  # "software developers, including many in China"
    assert "including many in China" in a.hits[0].passage.text


def test_others_seed_questions_floor(seed_corpus: Corpus) -> None:
    # Round 17's figures (bench.seed_questions): A (tuned) 76.5% right first, B (held out) 52.9%;
    # every off-topic question abstains.
    for path, floor in ((SEED_OTHERS_A, 0.76), (SEED_OTHERS_B, 0.52)):
        r = evaluate(seed_corpus, seed_rows(path))
        assert r["first"] >= floor, (path.name, r["first"])
        assert r["abstained_unanswerable"] == 1.0, path.name


def test_part_m_loads_with_its_mix_and_quotes_the_article() -> None:
    """Round 28's held-out part: 95 answerable, 22 on-topic '?', 8 off-topic; every expected text
    (each ` || ` option) is in the seed article once, so a right answer is one sentence."""
    rows = seed_rows(SEED_OTHERS_M)
    kinds = [e if e in ("", "?") else "answerable" for _, e in rows]
    assert (kinds.count("answerable"), kinds.count("?"), kinds.count("")) == (95, 22, 8)
    article = "\n".join(p.read_text(encoding="utf-8") for p in sorted((SEED_TSV.parents[2] / "seeds").iterdir()))
    for (question_text, expected), kind in zip(rows, kinds, strict=True):
        for option in expected.split(" || ") if kind == "answerable" else ():
            assert article.count(option) == 1, (question_text, option)
    assert SEED_OTHERS[-1] == SEED_OTHERS_M  # the last part is the one bench.seed_questions holds out
