"""Round 19: other people's seed questions, a fourth blind part (seed_questions_others_d.tsv held
out) and the question-side fixes that paid on A, B and C (docs/answers.md, seedq19)."""

from __future__ import annotations

import pytest

from index.answer import phrasal, question, spelling
from index.corpus import Corpus
from index.search import tokens
from tests.question_sets import (
    SEED_OTHERS_A,
    SEED_OTHERS_B,
    SEED_OTHERS_C,
    evaluate,
    seed_rows,
)


@pytest.mark.parametrize(
    ("typed", "frame"),
    [
        ("what's the reason for the ban", {"reason"}),
        ("reason behind the ban?", {"reason"}),
        ("whats the main reason why alibaba banned it", {"reason"}),
        ("define distillation", {"defin"}),
        ("who gave the reason for the ban", set()),  # a person is asked; the reason is the topic
        ("what reason did they give", set()),
        ("the court defined the term", set()),
    ],
)
def test_nouns_that_only_frame_a_question(typed: str, frame: set[str]) -> None:
    assert question.frame_terms(question.plain(typed)) == frame


@pytest.mark.usefixtures("fresh_rules")
def test_a_count_asked_by_its_noun(monkeypatch: pytest.MonkeyPatch) -> None:
    for typed in ("number of bogus accounts the qwen people used", "what is the number of accounts"):
        assert question.expected_type(typed) == question.NUMBER, typed
        assert question.frame_terms(typed) == {"number"}, typed
    assert question.expected_type("which number did he wear") == question.NUMBER  # as before
    # a count that is the subject of a question asking something else (SQuAD's)
    assert question.expected_type("the number of new colonists declined after what year?") == question.TIME
    assert question.expected_type("the amount of land a country controls is its greatest what?") is None
    monkeypatch.setattr(question, "FRAME_NOUNS", False)
    question._first_rule.cache_clear()
    assert question.expected_type("number of bogus accounts the qwen people used") is None
    assert question.frame_terms("what's the reason for the ban") == set()


@pytest.mark.usefixtures("fresh_rules")
def test_framed_questions_answer(seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    # "reason", "define" and "number" weighed as words the article lacks made these abstain.
    asked = {
        "whats the reason for the ban": "citing alleged security risks",
        "define distillation": "the practice of training one AI model",
        "number of bogus accounts the qwen people used": "nearly 25,000 fraudulent accounts",
    }
    for q, expected in asked.items():
        a = seed_corpus.answer(q)
        assert not a.abstained and expected in a.hits[0].passage.text, q
    monkeypatch.setattr(question, "FRAME_NOUNS", False)
    question._first_rule.cache_clear()
    # "reason" is also a light word since round 24 (test_seed_others_24), so it weighs nothing
    # even unframed; without that too it is weighed as missing again.
    light = spelling.light_words() - {"reason"}
    monkeypatch.setattr(spelling, "light_words", lambda: light)
    assert all(seed_corpus.answer(q).abstained for q in asked)


def test_whats_reads_as_what_is_in_a_date_noun() -> None:
    assert question.expected_type(question.plain("what's the cutoff date for claude code at alibaba")) == question.TIME
    assert "date" in question.frame_terms("what's the cutoff date for claude code")


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("||when does the ban start|| :eyes:", "when does the ban start"),
        (":thinking_face: why did alibaba ban it", "why did alibaba ban it"),
        ("ban starts :+1:", "ban starts"),
        ("at 10:30: what happened", "at 10:30: what happened"),  # a time, not an emoji
        ("re: the ban", "re: the ban"),
        ("ratio 3:2:1", "ratio 3:2:1"),
    ],
)
def test_emoji_shortcodes_are_dropped(typed: str, read: str) -> None:
    assert question.plain(typed) == read


def test_an_emoji_shortcode_no_longer_makes_a_question_abstain(
    seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    q = "||when does alibaba's claude ban start|| :eyes:"
    a = seed_corpus.answer(q)
    assert not a.abstained and "take effect July 10" in a.hits[0].passage.text
    monkeypatch.setattr(question, "SHORTCODES", False)
    assert seed_corpus.answer(q).abstained  # "eyes" weighed as a word the article lacks


SEED_VOCAB = frozenset(tokens.tokenize("would be removed the feature was introduced take effect"))


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("will anthropic get rid of the check", "will anthropic remove the check"),
        ("is anthropic gonna take the check out of claude code", "is anthropic gonna remove the check of claude code"),
        ("why did they put the check in?", "why did they introduce the check?"),  # a particle after a gap
        ("Why did they PUT IN the check", "Why did they introduce the check"),
        ("is the tracking going up", "is the tracking going up"),  # no meaning of it held: as typed
        ("when does the ban take effect", "when does the ban take effect"),  # not a phrasal verb
        ("who took out the $600 loan in 2020?", "who remove the $600 loan in 2020?"),  # an irregular form
    ],
)
def test_a_phrasal_verb_the_articles_lack_reads_as_its_meaning(typed: str, read: str) -> None:
    assert phrasal.read(typed, SEED_VOCAB) == read


def test_a_phrasal_verb_the_articles_hold_is_left_as_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    vocab = SEED_VOCAB | {"out", "place", "occur"}
    assert phrasal.read("who took out the loan", vocab) == "who took out the loan"  # "took out" may be said
    assert phrasal.read("when did the battle take place", vocab) == "when did the battle take place"
    monkeypatch.setattr(phrasal, "PHRASAL", False)
    assert phrasal.read("will anthropic get rid of the check", SEED_VOCAB) == "will anthropic get rid of the check"


def test_a_phrasal_verb_finds_the_sentence(seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    q = "will anthropic get rid of the check"  # "The employee said the mechanism would be removed ..."
    assert "would be removed" in seed_corpus.answer(q).hits[0].passage.text
    monkeypatch.setattr(phrasal, "PHRASAL", False)
    assert "would be removed" not in seed_corpus.answer(q).hits[0].passage.text


def test_phrasal_verbs_do_not_answer_off_topic_questions(seed_corpus: Corpus) -> None:
    # ("how do i get rid of ants" answers as "how do i remove ants" does: a bar left to the abstention)
    for q in ("is bitcoin going up", "how do i set up my router", "when will they put in the new pool"):
        assert seed_corpus.answer(q).abstained, q


def test_others_seed_questions_floor_round_19(seed_corpus: Corpus) -> None:
    # Round 19's figures (bench.seed_questions; right first, right and answered): A 85.3 / 85.3,
    # B 67.6 / 61.8, C 74.7 / 65.8 (all three tuned on); every off-topic question abstains.
    floors = {SEED_OTHERS_A: (0.85, 0.85), SEED_OTHERS_B: (0.67, 0.61), SEED_OTHERS_C: (0.74, 0.65)}
    for path, (first, answered) in floors.items():
        r = evaluate(seed_corpus, seed_rows(path))
        assert r["first"] >= first and r["answered"] >= answered, (path.name, r["first"], r["answered"])
        assert r["abstained_unanswerable"] == 1.0, path.name
