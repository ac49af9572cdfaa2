import pytest

from index.ingest.sentences import byline_author, default_splitter, split_body, train_splitter
from tests.conftest import SEED


def _texts(body):
    return [body[s.start : s.end] for s in split_body(body, default_splitter())]


def test_seed_article_shape():
    body = SEED.read_text(encoding="utf-8")
    spans = split_body(body, train_splitter([body]))
    texts = [body[s.start : s.end] for s in spans]
    assert byline_author(body)[0] == "Kashmira Konduparty"
    assert not any(t.startswith("By ") for t in texts)
    related = [(body[s.start : s.end], s.related_date) for s in spans if s.related]
    assert related == [
        ("Alibaba to pay $600 million to settle US probe into illegal drug sales (July 2, 2026)", "July 2, 2026"),
        ("Anthropic accuses Alibaba of massive AI ‘distillation’ attack (June 25, 2026)", "June 25, 2026"),
    ]
    assert texts[1].startswith("The restriction will take effect July 10")
    assert spans[0].paragraph == 1 and spans[-1].paragraph == 8
    assert len(texts) == 16


def test_line_breaks_are_hard_boundaries():
    body = "A headline without a period\nThe body starts here. It goes on."
    assert _texts(body) == ["A headline without a period", "The body starts here.", "It goes on."]


def test_read_line_is_never_glued_to_the_next_sentence():
    body = "First sentence.\nREAD: Some other story (June 1, 2026)\nNext sentence here."
    spans = split_body(body, default_splitter())
    assert [s.related for s in spans] == [False, True, False]


def test_news_abbreviations_do_not_end_sentences():
    body = "Mr. Smith met Dr. Jones at 10 a.m. on Monday. They talked."
    assert _texts(body) == ["Mr. Smith met Dr. Jones at 10 a.m. on Monday.", "They talked."]


def test_blank_line_paragraphs_and_markdown_headings():
    body = "# Title here\n\nOne. Two.\n\nThree."
    spans = split_body(body, default_splitter())
    assert [(body[s.start : s.end], s.paragraph) for s in spans] == [
        ("Title here", 1),
        ("One.", 2),
        ("Two.", 2),
        ("Three.", 3),
    ]


def test_a_word_pair_repeated_across_a_full_stop_does_not_glue_sentences():
    # Punkt with INCLUDE_ALL_COLLOCS learnt ("selections", "pro") from these two lines and
    # returned "...Pro Bowl selections. Pro Bowl quarterback..." as one passage (SQuAD had 8).
    body = (
        "The offense boasted six Pro Bowl selections. Pro Bowl quarterback Cam Newton threw "
        "for 3,837 yards.\nThe defense had four Pro Bowl selections. Pro Bowl tackle Kawann "
        "Short led the team in sacks.\n"
    )
    spans = split_body(body, train_splitter([body]))
    assert [body[s.start : s.end] for s in spans][:2] == [
        "The offense boasted six Pro Bowl selections.",
        "Pro Bowl quarterback Cam Newton threw for 3,837 yards.",
    ]
    assert len(spans) == 4


def test_initials_still_hold_together():
    body = "Running back C. J. Anderson led the team. He ran far.\n" * 3
    texts = [body[s.start : s.end] for s in split_body(body, train_splitter([body]))]
    assert texts[:2] == ["Running back C. J. Anderson led the team.", "He ran far."]


def test_remembering_punkt_splits_as_nltks_own():
    """The memos (word shapes, break decisions) change no span: initials, ellipses, numbers,
    abbreviations and repeated contexts, against nltk's tokenizer with the same parameters."""
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    from index.ingest import punkt

    body = (
        "J. R. R. Tolkien wrote it... Then he left. The U.S. Army came at 5 p.m. on Jan. 3. "
        "Prices rose 3.5 per cent. in 2009. It was No. 1. He said. The end! Was it? "
        "Mr. Smith met Dr. Jones at 10 a.m. on Monday. They talked... and talked. A. Smith won."
    )
    texts = [body, body.replace("Smith", "Jones"), body.lower(), body]
    trained = train_splitter(texts)
    plain = PunktSentenceTokenizer(trained._params)
    punkt._SHAPES.clear()
    for text in texts:
        assert list(trained.span_tokenize(text)) == list(plain.span_tokenize(text))
    assert punkt._SHAPES and trained._breaks  # the memos were used, not bypassed


def test_remembered_decisions_are_bounded(monkeypatch):
    from index.ingest import punkt

    monkeypatch.setattr(punkt, "CONTEXTS_MAX", 3)
    monkeypatch.setattr(punkt, "WORDS_MAX", 5)
    splitter = default_splitter()
    body = " ".join(f"Word{i} ends here. Next{i} starts." for i in range(20))
    assert [body[s.start : s.end] for s in split_body(body, splitter)][:2] == ["Word0 ends here.", "Next0 starts."]
    assert len(splitter._breaks) <= 3 and len(punkt._SHAPES) <= 5


def test_the_trainer_on_remembered_shapes_learns_nltks_parameters():
    from nltk.tokenize.punkt import PunktTrainer

    texts = [
        "Gen. A. B. Smith arrived at 5 p.m. on Jan. 3. The U.S. team won... Then it rained. etc. and so on.",
        "Prof. C. D. Jones spoke. In 2009 the No. 1 seed lost 3.5 pct. of its value. Sen. Brown left.",
    ]
    plain = PunktTrainer()
    for text in texts:
        plain.train(text, finalize=False)
    plain.finalize_training()
    expected = plain.get_params()
    got = train_splitter(texts)._params
    assert expected.abbrev_types - _shipped()  # something was learnt, not only shipped
    assert got.abbrev_types == expected.abbrev_types | _shipped()
    assert got.collocations == expected.collocations and got.sent_starters == expected.sent_starters
    assert dict(got.ortho_context) == dict(expected.ortho_context)


def _shipped() -> set[str]:
    from index.ingest.sentences import _abbreviations

    return _abbreviations()


_TRICKY = [
    "Very bad acting!!! I promise.",  # overlapping candidates: one context for the run of marks
    "(Sent1.) Sent2.",  # closing punctuation realigned onto the sentence before
    '"Hi." he said. "Yes!" She left.  Then -- "gone." -- No.',
    " . . . ",
    "a.\tb. c.\x0bd. e.\x0c f.\r g.",  # every whitespace nltk knows
    "Mr. A.\x1cB. Done.\x1f Next. End.\u2003Then. U.\xa0S.",  # whitespace to `re`, not to `regex`; Unicode spaces
    *(f"Mr. A.{c}B. Done.{c} Next. It rained.{c}The sun." for c in "\x1c\x1d\x1e\x1f"),
    ". starts with a mark. Then words.",
    "He said 'no.' Then--fine. ok.)",
    "",
    "   ",
    "Done.",
]


def test_remembering_punkt_spans_equal_nltks_on_tricky_text():
    """`RememberingPunkt.span_tokenize` is its own loop over nltk's patterns (not nltk's
    generators): every span equals nltk's, with and without realignment."""
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    trained = train_splitter([*_TRICKY, "Mr. Smith went. Dr. Jones came. The U.S. Army left at 5 p.m. today."])
    plain = PunktSentenceTokenizer(trained._params)
    for text in _TRICKY:
        assert list(trained.span_tokenize(text)) == list(plain.span_tokenize(text)), text
        assert list(trained.span_tokenize(text, False)) == list(plain.span_tokenize(text, False))

    @settings(max_examples=100, deadline=None)
    @given(
        st.lists(
            st.sampled_from(
                [
                    "a",
                    "Dr",
                    "U.S",
                    ".",
                    "!",
                    "?",
                    " ",
                    "  ",
                    "\t",
                    "\n",
                    '"',
                    ")",
                    "'",
                    "--",
                    "5",
                    "\x1c",
                    "\x1f",
                    "\xa0",
                ]
            )
        )
    )
    def same(parts: list[str]) -> None:
        text = "".join(parts)
        assert list(trained.span_tokenize(text)) == list(plain.span_tokenize(text))

    same()


@pytest.mark.timeout(600)  # 9 CPU s over every code point: a loaded machine stretched it past the 120 s default
def test_the_standard_engine_finds_the_candidates_regex_finds():
    """`RememberingPunkt` finds candidate breaks with `re` where a text has no U+001C-U+001F
    (`_contexts_re`): around every other code point both engines find the same candidates, with
    the same groups; around those four they differ (so `regex` reads such a text)."""
    splitter = train_splitter(["A text. Another one."])

    def found(pattern, text):
        return [(m.span(), m.span("after_tok"), m.span("next_tok")) for m in pattern.finditer(text)]

    differ = []
    for code in range(0x110000):
        c = chr(code)
        text = f"a.{c}b c. {c}d.{c} e{c}. f"
        if found(splitter._contexts, text) != found(splitter._contexts_re, text):
            differ.append(code)
    assert differ == [0x1C, 0x1D, 0x1E, 0x1F]


def test_decisions_read_contexts_with_nltks_word_pattern_unwrapped():
    """nltk's decision for a new context tokenises it with its word pattern: the splitter's is
    the same pattern on the `regex` engine itself, without nltk's per-call time limit."""
    import regex
    from nltk.tokenize.punkt import PunktLanguageVars

    splitter = train_splitter(["A text. Another one."])
    words = splitter._lang_vars._word_tokenizer_re()
    assert isinstance(words, regex.Pattern)
    wrapped = PunktLanguageVars()._word_tokenizer_re()
    assert (words.pattern, words.flags) == (wrapped.pattern, wrapped.flags)
    for text in [*_TRICKY, "Mr. Smith's 5.5 p.m. -- ok... . . . U.S.-based"]:
        assert words.findall(text) == wrapped.findall(text)


def test_no_realignment_starts_with_a_letter_or_digit():
    """`RememberingPunkt.spans` skips nltk's realignment pattern when the next sentence starts
    with a letter or digit: the pattern (nltk's closing marks) matches none of them."""
    splitter = train_splitter(["A text. Another one."])
    starters = [chr(c) for c in range(0x110000) if chr(c).isalnum()]
    assert not [c for c in starters if splitter._realign.match(c + " ")]
    assert splitter._realign.match(") ") and splitter._realign.match("\u201d ")  # it does match closers


def test_training_reads_at_most_its_cap_of_characters():
    """A corpus of copies stops the training read at `max_read` characters (repeats counted);
    below the cap the splitter learns what it learns from the whole read."""
    body = "Gen. A. B. Smith arrived. The U.S. team won. Sen. Brown left at 5 p.m. on Jan. 3."
    read: list[str] = []

    def copies():
        for i in range(1000):
            read.append(body)
            yield body if i < 999 else "Prof. C. D. Jones spoke. Then it rained."

    capped = train_splitter(copies(), max_read=10 * len(body))
    assert len(read) == 11  # ten read, the eleventh pulled and dropped: not the thousand copies
    assert "rained" not in capped._params.ortho_context  # the last, unique text was never read
    read.clear()
    whole = train_splitter(copies())
    assert len(read) == 1000 and "rained" in whole._params.ortho_context
    assert (
        train_splitter([body] * 5, max_read=5 * len(body))._params.abbrev_types
        == train_splitter([body])._params.abbrev_types
    )


def test_splitting_stays_linear_on_runs_of_marks_quotes_and_spaces():
    """nltk's patterns run without nltk's per-call time limit (`index.ingest.punkt`): long runs of
    what they match split in about linear time (a backtracking pattern would take hours)."""
    import time

    splitter = default_splitter()
    n = 20_000
    texts = ["!" * n, ". " * (n // 2), '"' * n + " x", "a." + " " * n, "a. " + ")" * n + "b", "a.--" * (n // 4)]
    start = time.process_time()
    for text in texts:
        spans = list(splitter.span_tokenize(text))
        assert all(0 <= s <= e <= len(text) for s, e in spans)
    assert time.process_time() - start < 10  # about 0.3 s here; quadratic would be 10^8 steps or more


def test_a_saved_splitter_splits_as_the_trained_one():
    from index.ingest.sentences import load_splitter, splitter_json

    texts = [
        "Analysts at Bankers Trust said so. Dr. Jones of U.S. Trust Corp. agreed on Monday.",
        "He put the money in a trust fund. The trust grew. Mr. Smith of the U.S. Army left at 5 p.m. today.",
    ]
    trained = train_splitter(texts, max_chars=120)
    loaded = load_splitter(splitter_json(trained))
    assert (loaded.complete, loaded.texts_read) == (True, 2) == (trained.complete, trained.texts_read)
    for body in texts:
        assert split_body(body, loaded) == split_body(body, trained)
    assert not load_splitter(splitter_json(train_splitter(texts))).complete  # the budget not spent
