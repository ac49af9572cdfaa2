import itertools

from hypothesis import given
from hypothesis import strategies as st

from index.search.tokens import (
    CONTRACTION_PIECES,
    KEPT_STOPWORDS,
    NLTK_STOPWORDS,
    STOPWORDS,
    TermTable,
    normalise,
    raw_chunks,
    term_spans,
    tokenize,
    tokenize_with,
)


def test_curly_and_straight_apostrophes_match_the_bare_name():
    assert tokenize("Anthropic’s") == tokenize("Anthropic's") == tokenize("Anthropic") == ["anthrop"]


def test_numbers_keep_digits_without_separators():
    assert tokenize("25,000 accounts") == tokenize("25000 account")
    assert "2.5" in tokenize("up 2.5%")


def test_stopwords_removed_and_words_stemmed():
    assert tokenize("The employees were banned from the platform") == ["employe", "ban", "platform"]
    assert len(NLTK_STOPWORDS) == 179 and STOPWORDS == NLTK_STOPWORDS - KEPT_STOPWORDS - CONTRACTION_PIECES


def test_words_that_decide_the_answer_are_not_stopwords():
    # "the most rainfall" is not "rainfall": SQuAD P@1 rose on both halves with them indexed
    assert tokenize("the most rainfall before the war, not after") == [
        "most",
        "rainfal",
        "befor",
        "war",
        "not",
        "after",
    ]
    assert tokenize("what is the") == []


def test_pieces_of_contractions_that_are_words_are_searched():
    # NLTK's list holds "won" for "won't": "who won" had no search term at all
    assert tokenize("Who won the election?") == ["won", "elect"]
    assert tokenize("Jack Ma, a safe haven, the Korean won") == ["jack", "ma", "safe", "haven", "korean", "won"]
    assert tokenize("It won't stop, they don't know") == ["wont", "stop", "dont", "know"]  # one term each, as before


def test_unicode_width_accents_and_case_are_folded():
    assert tokenize("ＣＡＦÉ") == tokenize("cafe")


def test_a_soft_hyphen_or_joiner_inside_a_word_does_not_split_it():
    assert tokenize("co\u00adoperate") == tokenize("cooperate") == ["cooper"]
    assert tokenize("ze\u200dbra wor\u2060ld \ufeffnews") == tokenize("zebra world news")
    assert tokenize("zebra\u200bparade \u202eparade") == tokenize("zebra parade parade")  # still breaks
    assert term_spans("to co\u00adoperate") == [(3, 13, "cooper")]  # highlighted whole


def test_term_spans_point_into_the_original_text():
    text = "Anthropic’s “backdoor” claims, 25,000 accounts"
    for start, end, term in term_spans(text):
        assert tokenize(text[start:end]) == [term]


@given(st.text())
def test_tokenize_never_fails_and_spans_are_in_bounds(text):
    tokenize(text)
    for start, end, _ in term_spans(text):
        assert 0 <= start < end <= len(text)


@given(
    st.lists(
        st.sampled_from(
            [
                "a",
                "The",
                "U.S.",
                "25,000",
                "3.5",
                "it's",
                "don’t",
                "é",
                "ﬁ",
                "_",
                "'",
                ",",
                ".",
                " ",
                "\xa0",
                "\u2028",
                "\x1c",
                "\t",
                "\u0301",
                "İ",
                "Café",
                "ß",
                "(1990)",
            ]
        )
    )
)
def test_tokenize_per_chunk_equals_the_pattern_over_the_whole_text(parts):
    """`tokenize` looks terms up per whitespace chunk (cached); `tokenize_with` runs the pattern
    over the whole normalised text, uncached: the same terms in the same order."""
    text = "".join(parts)
    assert tokenize(text) == tokenize_with(text, STOPWORDS)


@given(
    st.lists(
        st.lists(
            st.sampled_from(
                [
                    "The",
                    "cat's",
                    "25,000",
                    "café",
                    "ＣＡＦÉ",
                    "(1990)",
                    "u.s.",
                    "and",
                    " ",
                    "\n",
                    "`x`",
                    "co\u00adop",
                    "a\u200bb",
                    # normalised, these change the chunks: a space in "¨" (NFKC: space + diaeresis),
                    # whitespace to space, a combining mark at a chunk's start, letters that fold
                    # to two, a fraction and a ligature
                    "a\u00a8b",
                    "\u00a8",
                    "\xa0",
                    "\u3000",
                    "\u2028",
                    "\x1c",
                    "\u0301e",
                    "\u00ad",
                    "ΣΑΣ",
                    "Straße",
                    "İstanbul",
                    "½",
                    "ﬁle",
                    "a`b",  # an ASCII chunk with a backtick: ' in a non-ASCII text, ` in an ASCII one
                ]
            )
        ),
        max_size=8,
    ),
    st.integers(min_value=0, max_value=6),
    st.booleans(),
)
def test_the_build_table_gives_each_sentence_the_terms_of_tokenize(sentences, max_chunks, raw):
    """`TermTable.sentence_terms` (the build's batch of sentences as term ids, the table reset
    when full) names the same terms, sentence by sentence, as `tokenize`, whether it is given the
    raw text's chunks (the build: each chunk normalised when first seen) or the normalised
    text's."""
    table = TermTable(max_chunks)
    for batch in (sentences, sentences[::-1]):  # a second batch reuses (or resets) the table
        texts = ["".join(words) for words in batch]
        chunks = [raw_chunks(text) if raw else normalise(text).split() for text in texts]
        ids, lengths = table.sentence_terms([c for found in chunks for c in found], [len(found) for found in chunks])
        terms = [table.terms[i] for i in ids.tolist()]
        bounds = [0, *itertools.accumulate(lengths.tolist())]
        assert [terms[a:b] for a, b in itertools.pairwise(bounds)] == [tokenize(text) for text in texts]
