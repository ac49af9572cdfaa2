"""The CRF's features at inference (`doc_features` with `known`) are the training features the
model weighs, in the same order: the parts built once per word type and joined must add up to
the lists built token by token, for every sequence length and both ends of a sequence.
"""

from __future__ import annotations

from index.names.crf import known_attributes, label
from index.names.features import doc_features, sequences
from index.names.rules import Doc

# one line a sequence, one to seven tokens and more, so every neighbour a token can lack is lacking somewhere
LINES = (
    "Zürich",
    "New York",
    "Bill de Blasio",
    "Prime Minister Søren Kragh",
    "The New York Times reported",
    "Shares of Lumetra fell 3 %",
    "Dana Whitfield flew to New York on",
    "Officials in New York said on Tuesday that the mayor, Bill de Blasio, would speak.",
)


def test_known_features_are_the_full_ones_filtered_in_order():
    text = "\n".join(LINES)
    doc = Doc(text, None)
    spans = sequences(doc, None)
    lengths = {j - i for i, j in spans}
    assert {1, 2, 3, 4, 5, 6, 7} <= lengths and max(lengths) > 7
    known = known_attributes()
    full = doc_features(doc, spans)
    short = doc_features(doc, spans, known=known)
    assert short == [[tuple(f.encode() for f in tok if f in known) for tok in seq] for seq in full]
    flat = [f for seq in short for tok in seq for f in tok]
    # the pair features are looked up apart from the rest: they must be there
    assert {b"ww=w=new|w=york", b"ws=w=new|w=york"} <= set(flat)
    assert any(f.startswith(b"ss=") for f in flat)
    assert label(short) == label(full)


def test_no_tokens_no_features():
    doc = Doc("  \n ", None)
    assert doc_features(doc, [], known=known_attributes()) == []
