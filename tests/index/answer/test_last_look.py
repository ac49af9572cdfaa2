"""The last look (index.answer.last_look): evaluator parity with scikit-learn, its gates, and that it
never changes an abstention."""

import json
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from index.answer import answers, last_look
from index.answer.answers import rank
from index.corpus import Corpus
from tests.question_sets import MEANTIME, meantime_corpus, news_rows

ROOT = Path(__file__).resolve().parents[3]


def _shipped() -> dict:
    return json.loads(resources.files("index.data").joinpath(last_look.MODEL_FILE).read_text("utf-8"))


def test_evaluator_matches_scikit_learn_on_the_shipped_check_rows():
    data = _shipped()
    m = last_look.from_json(data)
    rows, raw = np.array(data["check"]["rows"]), np.array(data["check"]["raw"])
    assert len(rows) >= 10
    assert np.allclose(m.raw(rows), raw, atol=1e-9)


def test_a_model_file_of_another_format_is_refused():
    data = _shipped()
    data["format"] = "pickle"
    with pytest.raises(ValueError):
        last_look.from_json(data)


def test_an_unreadable_model_file_means_answers_without_the_look(monkeypatch, tmp_path, caplog):
    monkeypatch.setattr(last_look, "MODEL_FILE", "no_such_model.json")
    last_look.model.cache_clear()
    try:
        assert last_look.model() is None
        assert "answering without it" in caplog.text
        corpus = Corpus.open(ROOT / "seeds", tmp_path / "index")
        assert "take effect July 10" in corpus.answer("when does the ban take effect").hits[0].passage.text
    finally:
        last_look.model.cache_clear()


def test_pick_moves_a_likely_challenger_but_never_a_forbidden_one():
    m = last_look.model()
    assert last_look.pick(m, np.zeros((0, 3 * len(m.features) + 1))) == 0
    rows = np.array(_shipped()["check"]["rows"])
    p = m.probability(rows)
    likely, unlikely = rows[p > m.threshold][:1], rows[p <= m.threshold][:1]
    assert len(likely) and len(unlikely)
    assert last_look.pick(m, likely) == 1
    assert last_look.pick(m, np.vstack([unlikely, likely])) == 2
    assert last_look.pick(m, likely, allowed=np.array([False])) == 0  # e.g. a READ: headline
    assert last_look.pick(m, unlikely) == 0


@pytest.mark.parametrize(
    "question, query, expected",
    [
        ("who reported the backdoor", ["report", "backdoor"], False),  # two terms
        ("did alibaba ban claude", ["alibaba", "ban", "claud"], False),  # yes/no
        ("Was the ban lifted in March", ["ban", "lift", "march"], False),
        ("who reported the backdoor to alibaba", ["report", "backdoor", "alibaba"], True),
        ("when does the ban take effect", ["ban", "take", "effect"], True),
        ("", [], False),
    ],
)
def test_the_look_applies_to_wh_questions_of_three_terms(question, query, expected):
    assert last_look.applies(question, query) is expected


@pytest.mark.skipif(not MEANTIME.exists(), reason="../shared/data/meantime absent")
def test_the_look_never_changes_an_abstention_but_changes_some_first_answers(tmp_path, monkeypatch):
    corpus = meantime_corpus(tmp_path)
    moved = 0
    for _, question, _ in news_rows():
        query = corpus.prepare(question)
        monkeypatch.setattr(answers, "LAST_LOOK", False)
        before = rank(query, corpus.bm25, corpus, 3)
        monkeypatch.setattr(answers, "LAST_LOOK", True)
        after = rank(query, corpus.bm25, corpus, 3)
        # The support never moves; the number veto reads the sentence shown first, so it lifts only
        # when the look moves a sentence with the number first (round 22: stories.article_bonus
        # orders the shown sentences, not the abstention's view; "how long was the a380's first test
        # flight?" shows the A380 story's sentence without the look).
        assert answers.support(before) == answers.support(after), question
        lifted = before.type_missing and not after.type_missing and int(after.ids[0]) in after.typed
        assert answers.abstains(before) == answers.abstains(after) or lifted, question
        assert set(after.ids[:3].tolist()) <= set(before.ids[:3].tolist()), question
        moved += int(before.ids[0]) != int(after.ids[0])
        if int(before.ids[0]) != int(after.ids[0]):
            assert not corpus.passage(int(after.ids[0])).related
    assert moved >= 5


def test_the_seed_article_lede_stays_first_for_a_yes_no_question(tmp_path):
    """Ungated, the model moved "The ban of Claude Code at Alibaba's workplace signals..." up."""
    corpus = Corpus.open(ROOT / "seeds", tmp_path / "index")
    top = corpus.answer("did alibaba ban claude").hits[0].passage.text
    assert "has banned employees from using" in top
