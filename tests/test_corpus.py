"""Passages, offsets, citations and answers of a built corpus."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.corpus import Corpus, QuestionError


def test_seed_question_puts_the_effective_date_first(seed_corpus):
    answer = seed_corpus.answer("When does the ban take effect?")
    assert not answer.abstained
    top = answer.hits[0]
    assert top.passage.text.startswith("The restriction will take effect July 10")
    assert (top.passage.paragraph, top.passage.sentence) == (1, 2)
    assert top.article.author == "Kashmira Konduparty"
    # the only full date in the article is a related headline's (July 2, 2026): not its own date
    assert top.article.date_inferred and top.article.date != "2026-07-02"
    assert top.article.title_derived
    highlighted = {top.passage.text[s:e].lower() for s, e in top.highlights}
    assert {"take", "effect"} <= highlighted


def test_offsets_invariant_for_every_passage(seed_corpus):
    for article in seed_corpus.articles():
        for p in seed_corpus.passages_of(article.doc_id):
            assert p.text == article.body[p.char_start : p.char_end]


def test_related_headlines_are_marked_with_their_date(seed_corpus):
    related = [p for p in seed_corpus.all_passages() if p.related]
    assert [p.related_date for p in related] == ["2026-07-02", "2026-06-25"]


def test_context_neighbours_stay_in_the_article(seed_corpus):
    answer = seed_corpus.answer("When does the ban take effect?", k=1, context=2)
    hit = answer.hits[0]
    assert [p.sentence for p in hit.before] == [1]
    assert [p.sentence for p in hit.after] == [3, 4]


def test_json_shape(seed_corpus):
    data = seed_corpus.answer("Qoder", k=2).to_json()
    assert set(data) >= {"question", "abstained", "answers"}
    first = data["answers"][0]
    for key in (
        "rank",
        "score",
        "text",
        "doc_id",
        "title",
        "author",
        "date",
        "url",
        "paragraph",
        "sentence",
        "char_start",
        "char_end",
        "related",
    ):
        assert key in first


@pytest.mark.parametrize("question", ["", "   ", "\n\t", "x" * 10_000])
def test_unaskable_questions_raise_a_clear_error(seed_corpus, question):
    with pytest.raises(QuestionError) as info:
        seed_corpus.answer(question)
    assert info.value.message


@pytest.mark.parametrize("question", ["🙂🙂🙂", "**bold** _x_ `code`", "@everyone", "what is the capital of france"])
def test_odd_or_unanswerable_questions_abstain(seed_corpus, question):
    assert seed_corpus.answer(question).abstained


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.text(max_size=400))
def test_any_question_answers_or_is_refused_clearly(seed_corpus, question):
    try:
        answer = seed_corpus.answer(question)
    except QuestionError as exc:
        assert exc.message
        return
    for hit in answer.hits:
        assert hit.passage.text


def test_jsonl_articles_with_multiple_paragraphs(tmp_path):
    import json

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    body = "First para one. First para two.\n\nSecond para.\n"
    (seeds / "c.jsonl").write_text(json.dumps({"id": "j1", "title": "T", "text": body}) + "\n")
    corpus = Corpus.open(seeds, tmp_path / "ix")
    passages = corpus.passages_of("j1")
    assert [(p.paragraph, p.sentence, p.text) for p in passages] == [
        (1, 1, "First para one."),
        (1, 2, "First para two."),
        (2, 3, "Second para."),
    ]
    assert all(body[p.char_start : p.char_end] == p.text for p in passages)


def test_built_entities_do_not_wait_for_the_timeline_build(corpus):
    """The timeline is built after the entity index (minutes at 1M sentences); readers of the
    finished entity index, such as Discord autocomplete, must not queue behind it."""
    import threading

    corpus.entities()
    holding, release = threading.Event(), threading.Event()
    real_articles = corpus.articles

    def slow_articles():  # the timeline build, stalled while it holds its lock
        holding.set()
        release.wait(10)
        return real_articles()

    corpus.articles = slow_articles
    builder = threading.Thread(target=corpus.timeline)
    builder.start()
    try:
        assert holding.wait(10)
        got = []
        reader = threading.Thread(target=lambda: got.append(corpus.entities()))
        reader.start()
        reader.join(2)
        assert got and got[0] is not None, "entities() waited for the timeline build"
        assert not corpus.timeline_ready()
    finally:
        release.set()
        builder.join(10)
    assert corpus.timeline_ready()
