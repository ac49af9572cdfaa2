"""What a reader sees in both front ends: match words instead of raw scores, short titles for
articles that had none, singular and plural, no fragment shown as the closest passage."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.discord import embeds as fmt
from bot.text_format import render_answer
from bot.wording import MATCH_WORDS, closest_passages, is_fragment, match_words, plural, short_title
from index.models import Answer, Article, Hit, Passage
from index.names.entity_index import Entity

DERIVED = "Alibaba, the Chinese tech giant, has banned employees from using Anthropic’s AI-powered coding assistant"


def hit(rank: int, score: float, text: str = "The restriction will take effect July 10.", **article: object) -> Hit:
    fields: dict = {"doc_id": "doc-1", "title": "Ban takes effect", "body": text, **article}
    passage = Passage(pid=rank, doc_id="doc-1", paragraph=1, sentence=rank, char_start=0, char_end=len(text), text=text)
    return Hit(rank=rank, score=score, passage=passage, article=Article(**fields))


@given(st.lists(st.floats(min_value=0.0, max_value=50.0), min_size=1, max_size=10))
def test_a_line_below_never_shows_a_stronger_word(scores):
    words = match_words(Answer("q", False, [hit(i + 1, s) for i, s in enumerate(scores)]))
    levels = [MATCH_WORDS.index(w) for w in words]
    assert levels == sorted(levels)


def test_the_reported_case_rank_one_below_rank_two_by_score():
    answer = Answer("q", False, [hit(1, 1.84), hit(2, 1.89), hit(3, 0.5)])
    assert match_words(answer) == ["strong match", "strong match", "weak match"]
    text = render_answer(answer)
    assert "1.84" not in text and "1.89" not in text and "score" not in text
    assert text.index("1. ") < text.index("2. ") < text.index("3. ") and "Best match first" in text


def test_an_abstention_never_shows_a_strength():
    answer = Answer("q", True, [hit(1, 1.80, "Alibaba said the ban would start next month.")], "too little")
    assert match_words(answer) == ["not an answer"]
    for shown in (render_answer(answer), fmt.answer_embed(answer).description or ""):
        assert not any(word in shown for word in MATCH_WORDS) and "1.8" not in shown


def test_a_derived_title_is_cut_and_marked_a_real_title_is_kept():
    derived = Article(doc_id="d", title=DERIVED, body="", title_derived=True)
    assert short_title(derived) == "Untitled (“Alibaba, the Chinese tech giant, has…”)"
    real = Article(doc_id="r", title="A real title that is rather long, with many words in it", body="")
    assert short_title(real) == real.title
    answer = Answer("q", False, [hit(1, 1.0, title=DERIVED, title_derived=True)])
    embed = fmt.answer_embed(answer)
    assert DERIVED not in (embed.description or "") and "Untitled" in (embed.description or "")
    assert DERIVED not in render_answer(answer)


def test_plural():
    assert plural(1, "mention") == "1 mention" and plural(2, "mention") == "2 mentions"
    assert plural(0, "article") == "0 articles" and plural(1478, "term") == "1,478 terms"


def test_an_abstention_leaves_fragments_out_of_the_closest_passages():
    fragment = hit(1, 2.0, "it's going to happen.''")
    whole = hit(2, 1.0, "Alibaba said the ban would start next month.")
    assert is_fragment(fragment.passage.text) and not is_fragment(whole.passage.text)
    assert is_fragment("Yes.") and not is_fragment("“We will appeal,” the company said.")
    answer = Answer("q", True, [fragment, whole], "too little")
    assert closest_passages(answer) == [whole]
    assert "going to" not in render_answer(answer) and "1. “Alibaba said" in render_answer(answer)
    embed = fmt.answer_embed(answer)
    assert "going to" not in (embed.description or "") and "**Closest 1**" in (embed.description or "")
    assert "Closest 2" not in (embed.description or "")
    only_fragment = Answer("q", True, [fragment], "too little")
    assert "Closest" not in render_answer(only_fragment)
    assert "closest passages are below" not in (fmt.answer_embed(only_fragment).description or "")


def test_entities_say_one_mention_and_about_labels_terms_for_people():
    one = Entity(name="Qoder", type="PRODUCT", mentions=1)
    embed = fmt.entities_embed([one], None, 1)
    assert "1 mention)" in (embed.description or "") and "1 mentions" not in (embed.description or "")
    about = fmt.about_embed({"articles": 1, "passages": 16, "terms": 1478, "built_at": "2026-07-03T10:00:00+00:00"})
    names = [f.name for f in about.fields]
    assert "Terms" not in names and "Distinct words" in names
