"""index.wordlists: the shipped word lists read one way (round 28, tidy28): a file's "#" header and
blank lines are no entries, a two-column list maps its lower-cased first word to the rest."""

from __future__ import annotations

from importlib import resources

from index import wordlists


def _raw(name: str) -> list[str]:
    return resources.files("index.data").joinpath(name).read_text(encoding="utf-8").splitlines()


def test_the_header_is_no_entry() -> None:
    raw = _raw("stopwords_en.txt")
    assert raw[0].startswith("# English stopwords")
    words = wordlists.lines("stopwords_en.txt")
    assert len(words) == 179  # the header says NLTK's list has 179 words
    assert words[0] == raw[next(i for i, line in enumerate(raw) if not line.startswith("#"))].strip()
    assert not any(w.startswith("#") or w != w.strip() or not w for w in words)


def test_a_two_column_list_maps_the_typed_form_to_its_words() -> None:
    chat = wordlists.table("chat_en.txt")
    assert chat["ppl"] == "people"
    assert all(typed == typed.lower() and words == words.strip() for typed, words in chat.items())
    assert "#" not in chat
    forms = wordlists.table("chatforms_en.txt")
    assert forms["ceo"] == "chief executive officer"
