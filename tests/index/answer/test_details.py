"""Questions about an article itself (index.answer.details): who wrote it, when, where from, its
link, answered from the article's byline and details through `Corpus`, never from a sentence
that is not about them; event questions ("who wrote the letter") are untouched.
"""

from __future__ import annotations

import shutil

import pytest

from index.answer import details
from index.answer.question import plain
from index.corpus import Corpus
from index.models import Answer
from tests.conftest import SEED, corpus_of

SEED_ID = SEED.stem
HARBOUR = (
    "---\ntitle: Harbour almanac\nauthor: Port Office\ndate: 2026-01-05\n"
    "url: https://example.org/harbour\nsource: Harbour Gazette\n---\n"
    "The harbour festival opened on March 3, 2025, with a parade of tall ships.\n\n"
    "The new harbour toll takes effect on April 1 for every ship longer than 50 metres.\n\n"
    "The port office said the toll will pay for dredging the channel.\n"
)
ORCHARD = (
    "---\ntitle: Orchard notes\n---\n"
    "The cider orchard planted two hundred apple trees along the river.\n\n"
    "Its owners wrote a letter to the council about the flooding of the lower field.\n"
)

POINTED = [
    "who wrote this article",
    "Who wrote this article?",
    "who's the author of this story",
    "whose article is this",
    "who reported this",
    "when was this published",
    "when was the article published?",
    "what's the link to this article",
    "what's the source / link for this story",
    "which outlet published this story",
    "where can i read the full article",
    "how old is this story",
]
NAMED = [
    ("who wrote the story about the claude code ban", "claude code ban"),
    ("when was the harbour article published", "harbour"),
    ("who wrote the story on the harbour toll?", "harbour toll"),
]
BARE = ["who's the author", "author?", "link?", "link pls", "publication date?", "what's the source"]
# Event questions: SQuAD and the news sets are full of them; none is about the article.
EVENTS = [
    "who wrote the novel",
    "who wrote the letter",
    "who wrote the letter to the council",
    "when was the law published",
    "what was the source of the leak",
    "who's the source for this story",
    "who wrote it?",
    "who wrote that?",
    "who wrote harry potter",
    "Where was this article written?",
    'Who wrote the article "Searching for Consensus"',
    "What was the title of the article Nasser wrote for his school paper?",
    "How long has the article author been working at CNN?",
    "what is the release date",
    "when did the toll take effect",
    "how old is this?",
]


def _without_details(corpus: Corpus, question: str) -> Answer:
    """The answer with questions about the article switched off: the sentences' own."""
    details.ENABLED = False
    try:
        return corpus.answer(question)
    finally:
        details.ENABLED = True


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return corpus_of(
        tmp_path_factory.mktemp("three-stories"), {"harbour.md": HARBOUR, "orchard.md": ORCHARD}, seed=True
    )


@pytest.mark.parametrize("question", POINTED)
def test_questions_pointing_at_the_article_are_recognised(question: str) -> None:
    asked = details.asks(plain(question))
    assert asked is not None and asked.how == details.POINTED


@pytest.mark.parametrize(("question", "about"), NAMED)
def test_questions_naming_a_story_carry_its_subject(question: str, about: str) -> None:
    asked = details.asks(plain(question))
    assert asked is not None and asked.how == details.NAMED and asked.about == about


@pytest.mark.parametrize("question", BARE)
def test_bare_field_questions_are_recognised(question: str) -> None:
    asked = details.asks(plain(question))
    assert asked is not None and asked.how == details.BARE


@pytest.mark.parametrize("question", EVENTS)
def test_event_questions_are_not_about_the_article(question: str) -> None:
    assert details.asks(plain(question)) is None


def test_several_fields_in_one_question() -> None:
    asked = details.asks(plain("what's the source / link for this story?"))
    assert asked is not None and asked.fields == (details.SOURCE, details.URL)


def test_one_article_the_byline_is_quoted_verbatim(seed_corpus: Corpus) -> None:
    for question in ("who wrote this article", "who's the author", "who wrote the story about the claude code ban"):
        a = seed_corpus.answer(question)
        assert a.kind == "article" and not a.abstained and a.hits == []
        (d,) = a.details
        assert d.field == "author" and d.value == "Kashmira Konduparty" and d.quoted == "By Kashmira Konduparty"
        assert d.quote is not None and d.article.body[d.quote[0] : d.quote[1]] == "By Kashmira Konduparty"
        record = a.to_json()
        assert record["kind"] == "article" and record["details"][0]["quote"] == "By Kashmira Konduparty"
        assert record["answers"] == []


def test_a_missing_field_is_an_abstention_that_says_so(seed_corpus: Corpus) -> None:
    a = seed_corpus.answer("when was this article published?")
    assert a.abstained and a.kind == "article" and "does not give its publication date" in (a.reason or "")
    assert a.details[0].value is None and a.details[0].quote is None


def test_many_articles_a_pointed_question_asks_which(three: Corpus) -> None:
    a = three.answer("who wrote this article")
    assert a.abstained and a.kind == "article" and (a.reason or "").startswith("Which article?")


def test_many_articles_the_named_story_answers_from_its_details(three: Corpus) -> None:
    a = three.answer("who wrote the story about the harbour toll")
    assert not a.abstained and a.details[0].value == "Port Office" and a.details[0].quote is None
    assert a.details[0].article.doc_id == "harbour"
    dated = three.answer("when was the harbour article published?")
    assert not dated.abstained and dated.details[0].value == "2026-01-05"
    both = three.answer("whats the source/link for the story about the harbour festival")
    assert [(d.field, d.value) for d in both.details] == [
        ("source", "Harbour Gazette"),
        ("url", "https://example.org/harbour"),
    ]
    seed = three.answer("who wrote the story about the claude code ban")
    assert seed.details[0].quoted == "By Kashmira Konduparty"


def test_a_named_story_without_the_field_reads_the_sentences(three: Corpus) -> None:
    """Orchard notes has no author: "who wrote the story about the orchard" may be about what
    the text reports, so the sentences are searched as usual (the same answer as without the
    feature).
    """
    question = "who wrote the story about the cider orchard"
    got = three.answer(question)
    assert got.kind == "passages" and got.to_json() == _without_details(three, question).to_json()


def test_the_conversation_s_story_is_the_article_pointed_at(three: Corpus) -> None:
    conv = three.conversation()
    conv.ask("when does the harbour toll take effect?")
    a = conv.ask("who wrote this article?")
    assert a.kind == "article" and a.details[0].article.doc_id == "harbour" and a.details[0].value == "Port Office"
    conv.reset()
    conv.ask("why did alibaba ban claude code?")
    assert conv.ask("who wrote this article?").details[0].quoted == "By Kashmira Konduparty"
    assert conv.ask("whats the link to this article").reason == (
        f"The article \u201cAlibaba, the Chinese tech giant, has banned employees\u2026\u201d [{SEED_ID}] "
        "does not give its link."
    )


@pytest.mark.parametrize("question", EVENTS + ["who is the author?", "link?"])
def test_event_questions_answer_as_without_the_feature(three: Corpus, question: str) -> None:
    """With several articles and no conversation, an event question (and a bare one, which has
    no article to read) gets exactly the sentences' answer.
    """
    got = three.answer(question)
    assert got.to_json() == _without_details(three, question).to_json()


def test_recognising_is_linear_on_long_questions() -> None:
    """A question of the longest allowed size is read in one bounded pass, matched or not."""
    long = "who wrote the story about " + "the " * 90 + "ban"
    assert details.asks(long) is None  # over the 400 characters read: not a question about an article
    assert details.asks("who wrote the story about " + "x " * 150) is not None


def test_a_named_story_that_several_articles_fit_is_not_guessed(tmp_path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)
    (seeds / "orchard.md").write_text(ORCHARD, encoding="utf-8")
    for name, author, day in (("toll-a", "Ann Able", 1), ("toll-b", "Ben Baker", 2)):
        (seeds / f"{name}.md").write_text(
            f"---\ntitle: Toll story {name}\nauthor: {author}\n---\n"
            f"The harbour toll takes effect on April {day} for every ship.\n",
            encoding="utf-8",
        )
    corpus = Corpus.open(seeds, tmp_path / "index")
    a = corpus.answer("who wrote the story about the harbour toll")
    assert a.abstained and a.kind == "article" and a.details == []
    assert (a.reason or "").startswith("Several articles could be meant: ")
    assert "[toll-a]" in (a.reason or "") and "[toll-b]" in (a.reason or "")
