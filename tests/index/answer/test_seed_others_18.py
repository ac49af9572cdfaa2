"""Round 18: other people's seed questions again (seed_questions_others_c.tsv held out) and the
fixes that paid there without losing on other held-out sets (docs/answers.md, seedq18)."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.answer import answers, question, spelling
from index.answer.query import prepare
from index.corpus import Corpus
from tests.conftest import corpus_of
from tests.question_sets import SEED_OTHERS_A, SEED_OTHERS_B, SEED_OTHERS_C, evaluate, seed_rows


def test_part_c_is_disjoint_from_every_other_seed_set() -> None:
    c = {q.lower() for q, _ in seed_rows(SEED_OTHERS_C)}
    assert len(c) == 109
    for path in (SEED_OTHERS_A, SEED_OTHERS_B, SEED_OTHERS_C.with_name("seed_questions.tsv")):
        assert not c & {q.lower() for q, _ in seed_rows(path)}, path.name


def test_an_unknown_light_word_is_neither_corrected_nor_weighed(
    seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = seed_corpus.bm25
    assert "still" not in index.vocab and "peopl" not in index.vocab
    assert spelling.is_word("still") and spelling.fix("still", index) is None
    assert prepare("is claude code still banned", index).unknown == 0.0
    monkeypatch.setattr(spelling, "LIGHT", False)
    assert prepare("is claude code still banned", index).unknown > 0.0


def test_a_question_padded_with_fillers_answers(seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    # "people", "even": words the article need not say made the coverage too small to answer.
    a = seed_corpus.answer("can people in china even use claude")
    assert not a.abstained and "including many in China" in a.hits[0].passage.text
    monkeypatch.setattr(spelling, "LIGHT", False)
    assert seed_corpus.answer("can people in china even use claude").abstained


def test_a_definition_question_reads_the_defined_word(seed_corpus: Corpus) -> None:
    # "meaning" was bent into "mechanism" (the employee said the mechanism would be removed).
    a = seed_corpus.answer("distillation meaning")
    assert "the practice of training one AI model" in a.hits[0].passage.text


def test_light_words_do_not_answer_off_topic_questions(seed_corpus: Corpus) -> None:
    for q in ("how do i get to the airport", "who is going to win the game", "has tencent banned claude code too"):
        assert seed_corpus.answer(q).abstained, q


@pytest.mark.parametrize(
    ("typed", "needs"),
    [
        ("is qoder better than claude code", {"better"}),
        ("**is it safe** to use claude code??", {"safe"}),
        ("which is better, qoder or claude code", {"better"}),
        ("is claude code the best assistant", {"best"}),
        ("best ftse stock when it hit a one year high", None),  # a superlative of fact
        ("who did they hire for better project management?", None),  # a comparative of fact
        ("what is a better idea according to the author?", None),
        ("qwen vs claude which one is smarter", {"smarter"}),
        ("should i switch to qoder", set()),
        ("do u think anthropic is lying", set()),
        ("what's your opinion on the ban", set()),
        ("when does the ban start", None),
        ("is the ban still on", None),
        ("what is good about qoder", None),  # asks what the articles say is good: a fact
        ("who is right in the dispute", None),
    ],
)
def test_questions_asking_for_a_view(typed: str, needs: set[str] | None) -> None:
    assert question.judgement(question.plain(typed)) == (None if needs is None else frozenset(needs))


def test_a_comparison_the_article_does_not_make_abstains_saying_why(
    seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    for q in ("is qoder better than claude code", "should i stop using claude code"):
        a = seed_corpus.answer(q)
        assert a.abstained and a.reason == answers.OPINION, q
        assert a.hits  # the closest passages are still shown
    monkeypatch.setattr(question, "OPINIONS", False)
    assert not seed_corpus.answer("is qoder better than claude code").abstained


def test_a_comparison_an_article_makes_is_quoted(tmp_path: Path) -> None:
    corpus = corpus_of(
        tmp_path,
        {
            "a.txt": "Qoder review\n\nReviewers said Qoder is better than Claude Code at refactoring large "
            "projects. Qoder was released by Alibaba in 2025.",
        },
    )
    a = corpus.answer("is qoder better than claude code")
    assert not a.abstained and "better than Claude Code" in a.hits[0].passage.text


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("staff", "employe"),
        ("block", "ban"),
        ("replac", "instead"),
        ("detect", "identifi"),
        ("call", "describ"),
        ("admit", "deni"),  # a yes/no question's verb and the word that answers it
        ("agre", "disput"),
    ],
)
def test_round_18_synonym_groups(seed_corpus: Corpus, typed: str, read: str) -> None:
    assert typed not in seed_corpus.bm25.vocab
    assert spelling.fix(typed, seed_corpus.bm25) == read


def test_a_synonym_finds_the_paraphrased_sentence(seed_corpus: Corpus) -> None:
    a = seed_corpus.answer("who called it a backdoor")  # "Some researchers described the functionality as ..."
    assert not a.abstained and "Some researchers described" in a.hits[0].passage.text
    a = seed_corpus.answer("did alibaba admit to the distilation")  # "Alibaba has denied wrongdoing"
    assert not a.abstained and "Alibaba has denied wrongdoing" in a.hits[0].passage.text
    a = seed_corpus.answer("whats the replacement for claude code at alibaba")  # "... instead adopt Qoder"
    assert not a.abstained and "instead adopt Qoder" in a.hits[0].passage.text


def test_a_price_is_not_a_payment(seed_corpus: Corpus) -> None:
    # "cost price pay" read "how much does claude code cost" as the $600 million settlement.
    assert spelling.fix("price", seed_corpus.bm25) is None
    assert seed_corpus.answer("how much does claude code cost").abstained


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("start date of the ban?", question.TIME),
        ("whats the deadline", question.TIME),
        ("cutoff for claude code at alibaba", question.TIME),
        ("who set the date", question.PERSON),  # the first question phrase decides
        ("what was the wedding date?", question.TIME),
        ("what report had the correct date?", None),  # a report is asked, not a date
        ("what can the report deadlines cause?", None),
        ("who dated the author", question.PERSON),
    ],
)
def test_a_date_asked_by_its_noun(typed: str, kind: str) -> None:
    assert question.expected_type(question.plain(typed)) == kind


def test_a_date_noun_is_a_frame_word_and_the_date_answers(seed_corpus: Corpus) -> None:
    assert "date" in question.frame_terms("start date of the ban?")
    a = seed_corpus.answer("start date of the ban?")  # "date" weighed as unknown made it abstain
    assert not a.abstained and "take effect July 10" in a.hits[0].passage.text


def test_others_seed_questions_floor_round_18(seed_corpus: Corpus) -> None:
    # Round 18's figures (bench.seed_questions, right first): A 85.3%, B 61.8% (both tuned on),
    # C 73.4% (held out); every off-topic question abstains.
    for path, floor in ((SEED_OTHERS_A, 0.85), (SEED_OTHERS_B, 0.61), (SEED_OTHERS_C, 0.73)):
        r = evaluate(seed_corpus, seed_rows(path))
        assert r["first"] >= floor, (path.name, r["first"])
        assert r["abstained_unanswerable"] == 1.0, path.name


def test_the_date_noun_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    question._first_rule.cache_clear()
    monkeypatch.setattr(question, "DATE_NOUNS", False)
    try:
        assert question.expected_type("start date of the ban?") is None
    finally:
        question._first_rule.cache_clear()  # the cache holds answers of the switch's state
