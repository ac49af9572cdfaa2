"""crfsuite's C tagger fed attribute ids (`crfsuite_c`, `crf.label_ids`) gives exactly pycrfsuite's
labels and probabilities: every label's marginal at every position, empty sequences between
others, and the fallback through pycrfsuite where the C interface is missing.
"""

from __future__ import annotations

import numpy as np
import pytest

from index.names import crf
from index.names.features import doc_features, sequences
from index.names.rules import Doc

TEXT = (
    "Lumetra shares fell 3% in New York on Tuesday after chief executive Dana Whitfield said the "
    "Quillbook Pro would ship late.\nZENTRIX WINS APPROVAL\nThe European Commission cleared the deal.\n"
    "Angela Merkel flew to Paris to meet Renault executives. Oslo\n\nBill de Blasio spoke."
)


def _features() -> tuple[list[list[list[str]]], list[list[bytes]]]:
    doc = Doc(TEXT, None)
    spans = sequences(doc, None)
    return doc_features(doc, spans), doc_features(doc, spans, known=crf.attribute_ids())


def test_every_marginal_is_pycrfsuites() -> None:
    tag = crf.c_tagger()
    if tag is None:
        pytest.skip("this pycrfsuite build does not export crfsuite's C interface")
    full, short = _features()
    assert len(short) > 4
    py = crf.tagger()
    for x_full, x_ids in zip(full, short, strict=True):
        ids = np.array([k for tok in x_ids for k in crf.unpack_ids(tok)], dtype=np.intc)
        counts = np.array([len(crf.unpack_ids(tok)) for tok in x_ids], dtype=np.intp)
        _contents, items = tag.items(ids, counts)
        path = tag.tag(items.ctypes.data, len(x_ids))
        py.set(x_full)
        assert [tag.labels[k] for k in path] == py.tag()
        for t in range(len(x_ids)):
            for k, name in enumerate(tag.labels):
                assert tag.marginal(k, t) == py.marginal(name, t)


def test_sequences_of_one_document_are_tagged_apart() -> None:
    full, short = _features()
    got = crf.label_ids([[], *short, [], short[0]])
    assert got == [[], *crf.label(full), [], crf.label(full[:1])[0]]
    assert any(got)  # names were found


def test_without_the_c_interface_pycrfsuite_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    full, short = _features()
    monkeypatch.setattr(crf, "c_tagger", lambda: None)
    assert crf.label_ids(short) == crf.label(full)


def test_the_ids_are_the_models_attributes() -> None:
    assert set(crf.attribute_ids()) == crf.known_attributes()
    assert sorted(crf.attribute_ids().values()) == list(range(len(crf.known_attributes())))
