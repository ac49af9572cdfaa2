"""The CRF's features at inference (`doc_features` with `known`) are the training features the
model weighs, in the same order: the parts built once per word type and joined must add up to
the lists built token by token, for every sequence length and both ends of a sequence.
"""

from __future__ import annotations

from index.names.crf import attribute_ids, label, label_ids, unpack_ids
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
    known = attribute_ids()
    full = doc_features(doc, spans)
    short = doc_features(doc, spans, known=known)
    ids = [[unpack_ids(tok) for tok in seq] for seq in short]
    assert ids == [[[known[f] for f in tok if f in known] for tok in seq] for seq in full]
    names = {k: f for f, k in known.items()}
    flat = [names[k] for seq in ids for tok in seq for k in tok]
    # the pair features are looked up apart from the rest: they must be there
    assert {"ww=w=new|w=york", "ws=w=new|w=york"} <= set(flat)
    assert any(f.startswith("ss=") for f in flat)
    assert label_ids(short) == label(full)


def test_no_tokens_no_features():
    doc = Doc("  \n ", None)
    assert doc_features(doc, [], known=attribute_ids()) == []


def test_pair_features_are_found_at_every_cut():
    # a token may be "|" itself: "ww=w=||w=x" is the pair ("w=|", "w=x"), not ("w=", "|w=x")
    from index.names.features import _Known

    model = _Known({"ww=w=||w=x": 0, "ss=sh=X|sh=x": 1, "bias": 2})
    assert unpack_ids(model.ww["w=|"]["w=x"]) == [0]
    assert unpack_ids(model.ss["sh=X"]["sh=x"]) == [1]


def _sequences_token_by_token(doc: Doc, starts: list[int]) -> list[tuple[int, int]]:
    """The reference: a new sequence where a start lies after the previous token's start and at or
    before this token's, or where a newline lies between the two tokens.
    """
    toks = doc.toks
    out, i = [], 0
    for k in range(1, len(toks)):
        cut = any(toks[k - 1].start < c <= toks[k].start for c in starts)
        if cut or "\n" in doc.text[toks[k - 1].end : toks[k].start]:
            out.append((i, k))
            i = k
    return [*out, (i, len(toks))] if toks else []


def test_sequences_cut_at_starts_and_newlines():
    text = "  Ann met Bob.\n\nThen  CAROL left\nhome. Dave | came\n"
    doc = Doc(text, None)
    for starts in ([], [0], [6], [2, 3, 9], [14, 15, 16], [len(text)], [5, 40, 41, 100]):
        assert sequences(doc, starts) == _sequences_token_by_token(doc, starts)
    assert sequences(doc, [9]) == [(0, 2), (2, 4), (4, 7), (7, 12)]
