"""`tools.make_lower_words`: words written in lower case far more often than capitalised mid-sentence."""

from __future__ import annotations

from tools.make_lower_words import count, lower_words


def test_a_word_is_listed_by_its_lower_case_uses_against_its_mid_sentence_capitals() -> None:
    docs = ["The testimony was long, and testimony followed testimony."] * 2 + [
        "Testimony ended. Shares of Apple fell; apple growers and Apple said so, apple pie."
    ]
    low, cap_mid = count(docs)
    assert low["testimony"] == 6 and cap_mid["testimony"] == 0  # a sentence start is no evidence
    assert low["apple"] == 2 and cap_mid["apple"] == 2  # after "of", after "and"
    assert lower_words(low, cap_mid) == ["testimony"]  # "apple": 2 capitals to 2 lower-case uses
    assert "the" not in cap_mid  # "The" at the text's start
