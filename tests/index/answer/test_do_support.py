"""A verb governed by do-support is read in its irregular inflections too (round 24,
index.answer.do_support): "how much did the council spend" on "The council spent ..."."""

from __future__ import annotations

from importlib import resources

import pytest

from index.answer import answers, do_support
from index.corpus import Corpus
from tests.conftest import corpus_of
from tools.make_inflections import inflections as made

COUNCIL = (
    "# Seafront works\n\n"
    "The council spent 2 million pounds on new decking and railings, the mayor said.\n\n"
    "Work on the pier is due to finish in the spring.\n"
)
STRIKE = (
    "# Port strike\n\n"
    "The strike began on 12 February 2024 and closed the port for two weeks.\n\n"
    "Dockers asked for higher wages and shorter shifts.\n"
)
TALKS = "# Wage talks\n\nThe talks will begin next week in the capital, the union said.\n"


def _asked(corpus: Corpus, question: str, on: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[bool, list[int]]:
    monkeypatch.setattr(do_support, "ON", on)
    got = corpus.answer(question)
    return got.abstained, [h.passage.pid for h in got.hits]


@pytest.mark.parametrize(
    ("text", "verb"),
    [
        ("how much did the council spend", "spend"),
        ("when did the strike begin", "begin"),  # "strike" after "the" is the subject, a noun
        ("didn't the mayor say who paid", "say"),
        ("does the club pay its players", "pay"),
        ("who won the cup", None),  # no do-support
        ("when will the strike begin", None),  # a modal is not do-support
        ("how did the dockers walk out", None),  # regular: the stemmer joins walked / walk itself
        ("how much debt did gm have when it went bankrupt", None),  # "have" is the verb, "went" another clause's
        ("when does qantas start flying the a380", None),  # an -ing form is not the base
        ("why did aer lingus pick airbus over the 787", None),  # a stopword is not the verb
        ("how does claude code know if you're in china", None),  # a verb of knowing is read as asked
        ("how many a380s does airbus need to sell", None),  # "need" is the verb, "sell" its infinitive
    ],
)
def test_the_governed_verb(text, verb):
    assert do_support.governed(text) == verb


def test_the_list_joins_irregular_verbs_and_is_the_tools_output():
    for base, past in [("begin", "began"), ("spend", "spent"), ("pay", "paid"), ("win", "won")]:
        assert past in do_support.forms_of(base)
    text = resources.files("index.data").joinpath("inflections_en.txt").read_text(encoding="utf-8")
    assert "Princeton University" in text and "tools.make_inflections" in text
    assert {k: sorted(v) for k, v in made("spent spend\nwalked walk\n").items()} == {
        "spent": ["spend"],
        "spend": ["spent"],
    }


@pytest.mark.parametrize(
    ("article", "question"),
    [(COUNCIL, "How much did the council spend?"), (STRIKE, "When did the strike begin?")],
)
def test_a_did_question_answers_from_the_past_on_one_article(tmp_path, monkeypatch, article, question):
    corpus = corpus_of(tmp_path, {"one.md": article})
    off = _asked(corpus, question, False, monkeypatch)
    on = _asked(corpus, question, True, monkeypatch)
    assert off[0] and not on[0]  # off it abstains ("match too little"), on it answers
    assert corpus.passage(on[1][0]).text.startswith(("The council spent", "The strike began"))


def test_a_known_base_form_counts_its_past_too(tmp_path, monkeypatch):
    # "begin" is in the index (the talks), so the strike's sentence lacks a known term: off,
    # the talks' "will begin" comes first; on, the strike's "began".
    corpus = corpus_of(tmp_path, {"strike.md": STRIKE, "talks.md": TALKS})
    off = _asked(corpus, "When did the strike begin?", False, monkeypatch)
    on = _asked(corpus, "When did the strike begin?", True, monkeypatch)
    assert corpus.passage(off[1][0]).text.startswith("The talks will begin")
    assert not on[0] and corpus.passage(on[1][0]).text.startswith("The strike began")


def test_a_question_without_do_support_is_unchanged(tmp_path, monkeypatch):
    corpus = corpus_of(tmp_path, {"one.md": COUNCIL, "strike.md": STRIKE})
    for question in ["What has the council spend on?", "When will the strike begin?", "Who spent 2 million?"]:
        assert _asked(corpus, question, True, monkeypatch) == _asked(corpus, question, False, monkeypatch)


def test_on_and_seamed():
    assert do_support.ON is True
    assert answers.do_support is do_support
