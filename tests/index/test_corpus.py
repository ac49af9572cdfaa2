"""Passages, offsets, citations and answers of a built corpus."""

import datetime as dt

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


def test_a_fresh_process_reads_entities_timeline_and_suggestions_without_recomputing(
    corpus, seeds_dir, index_dir, monkeypatch
):
    """The layers are saved with the index: opening it again never runs the recogniser or
    the tagger (they took 10-23 s at 62,500 sentences on every `entities` or `timeline`)."""
    from index import names as recogniser
    from index import time as timex

    def forbidden(*args, **kwargs):
        raise AssertionError("recomputed a saved layer")

    built = corpus.entities()
    monkeypatch.setattr(recogniser, "find_mentions", forbidden)
    monkeypatch.setattr(timex, "tag", forbidden)
    monkeypatch.setattr("index.names.entity_index.find_mentions", forbidden)
    monkeypatch.setattr("index.time.timeline.tag", forbidden)
    fresh = Corpus.open(seeds_dir, index_dir)
    assert fresh.saved.path == corpus.saved.path  # not rebuilt
    assert [e.to_json() for e in fresh.entities().all()] == [e.to_json() for e in built.all()]
    assert fresh.entities().get("alibaba").name == "Alibaba"
    assert fresh.entities().complete("alib") == ["Alibaba"]
    events = fresh.timeline()
    assert [e.when for e in events][-1] == "10 July 2026"
    assert events[-2].entities[0] == "Alibaba"  # names saved with each event
    (doc_id,) = [a.doc_id for a in corpus.articles()]
    assert fresh.suggest_articles("alib") == [(doc_id, corpus.article(doc_id).title)]
    for typed in ("banned", "000_e2", "CHINESE TECH", "  alibaba,  the "):  # a title word, the id, any case
        assert fresh.suggest_articles(typed) == [(doc_id, corpus.article(doc_id).title)], typed
    assert fresh.suggest_articles("bans") == fresh.suggest_articles("anned") == []


def test_events_resolve_aliases_and_order(corpus):
    alibaba = corpus.entities().get("Alibaba")
    assert alibaba is not None
    by_name = corpus.events(entity="Alibaba")
    assert by_name and by_name == corpus.events(entity="alibaba")
    assert {e.passage.pid for e in by_name} <= set(alibaba.cited_pids())
    newest = corpus.events(order="newest")
    assert newest == corpus.events()[::-1] and newest[0].when == "10 July 2026"
    assert corpus.events(entity="nobody at all") == []
    assert [e.when for e in corpus.events(entity="restriction")] == ["10 July 2026"]  # not a name: the words
    assert corpus.events(limit=2) == corpus.timeline()[:2] and corpus.events(order="newest", limit=0) == []
    ids = corpus.event_ids(date_from=dt.date(2026, 7, 3))
    assert [e.when for e in corpus.events_at(ids)] == ["week of 29 June - 5 July 2026; March 2026", "10 July 2026"]


MIXED = [  # dated and undated, with and without author and url, quotes, non-ASCII, DEL and C1
    {
        "id": "dated",
        "title": 'Harbour "works" \\ café',
        "date": "2026-03-04",
        "url": "https://example.org/a",
        "author": "Ana Lima",
        "text": "The harbour closed on Monday and reopens in June 2026.\n\n"
        "Talks began in 2024, ran through the spring and ended on 1 March 2026 \u2014 \x7f\x9b2J done.",
    },
    {
        "id": "undated",
        "title": "Café \u00e9t\u00e9",
        "text": "The ferry returns next week, officials said on July 4, 2026.",
    },
]


def test_events_json_is_the_events_json_without_making_them(seeds_dir, index_dir, tmp_path):
    """`Corpus.events_json` writes from the saved records what `events(...)`'s `to_json` gives."""
    import json

    mixed = tmp_path / "mixed"
    mixed.mkdir()
    (mixed / "mixed.jsonl").write_text("\n".join(json.dumps(r) for r in MIXED), encoding="utf-8")
    for corpus in (Corpus.open(seeds_dir, index_dir), Corpus.open(mixed, tmp_path / "mixed-index")):
        assert len(corpus.timeline()) >= 3
        for filters in (
            {},
            {"order": "newest"},
            {"entity": "Alibaba"},
            {"entity": "harbour"},
            {"date_from": dt.date(2026, 7, 1)},
            {"limit": 2},
            {"entity": "nobody at all"},
        ):
            made = json.dumps([e.to_json() for e in corpus.events(**filters)], ensure_ascii=False)
            assert corpus.events_json(**filters) == made, filters
    import gc

    assert gc.isenabled()  # the collector paused while the records were read and written, not after


def test_entity_details_quote_each_sentence_once_with_every_span(corpus):
    alibaba = corpus.entities().get("Alibaba")
    cited = alibaba.cited_lists()
    sentences = list(dict.fromkeys(pid for pid, _, _ in cited))
    assert len(cited) > len(sentences)  # a sentence names Alibaba twice
    details = corpus.entity_details("alibaba", quotes=100)
    assert details.entity is alibaba and [q.passage.pid for q in details.quotes] == sentences
    for q in details.quotes:
        assert list(q.spans) == [(s, e) for pid, s, e in cited if pid == q.passage.pid]
        assert {q.passage.text[s:e] for s, e in q.spans} == {"Alibaba"}
        assert q.article.doc_id == q.passage.doc_id
    assert details.cooccurring == corpus.entities().cooccurring("Alibaba")
    three = corpus.entity_details("Alibaba")
    assert three.quotes == details.quotes[:3] and len(corpus.entity_details("Alibaba", cooccurring=2).cooccurring) == 2
    assert corpus.entity_details("Nobody Atall") is None and corpus.entity_details("  ") is None
