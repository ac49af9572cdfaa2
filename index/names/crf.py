"""The shipped names CRF (python-crfsuite's own model format, trained by `tools.train_names`).

It labels token sequences with BIO tags over CoNLL's four types PER, ORG, LOC and MISC; the
recogniser turns those spans into the product's types.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain
from pathlib import Path

import numpy as np
import pycrfsuite

from index.names.crfsuite_c import ITEM_SIZE, CTagger

MODEL_PATH = Path(__file__).parent.parent / "data" / "names_crf.model"
# The model's attributes listed once (`save_attributes`, by `tools.train_names`): reading them from
# the model (`Tagger.info`, a Python parse of its whole dump) cost 0.3-0.5 CPU s a process, most
# of what an ingest of one article spends on names.
ATTRIBUTES_SUFFIX = ".attributes.json"

_local = threading.local()  # a crfsuite Tagger is not safe to share between threads


def tagger() -> pycrfsuite.Tagger:
    """This thread's tagger with the shipped model open."""
    tag = getattr(_local, "tagger", None)
    if tag is None:
        tag = pycrfsuite.Tagger()
        tag.open(str(MODEL_PATH))
        _local.tagger = tag
    return tag


def c_tagger() -> CTagger | None:
    """This thread's tagger of attribute ids (crfsuite's C interface), None where pycrfsuite does
    not export it (`crfsuite_c`).
    """
    if not hasattr(_local, "c_tagger"):
        _local.c_tagger = CTagger.load(MODEL_PATH)
    tag: CTagger | None = _local.c_tagger
    return tag


@lru_cache(maxsize=1)
def _attribute_names() -> tuple[str, ...]:
    """The shipped model's attributes by id: as listed beside it (in id order), else from its C
    dictionary (24,000 calls through ctypes, ~50 ms), else (without the C interface) in sorted
    order, turned back into strings for pycrfsuite by `label_ids`.
    """
    listed = _saved_order(MODEL_PATH)
    if listed is not None:
        return listed
    tag = c_tagger()
    return tuple(tag.attributes()) if tag is not None else tuple(sorted(known_attributes()))


@lru_cache(maxsize=1)
def attribute_ids() -> dict[str, int]:
    """Each feature the shipped model weighs -> its attribute id (`doc_features(known=...)`)."""
    return {a: k for k, a in enumerate(_attribute_names())}


def model_attribute_order(model: Path) -> list[str]:
    """Every feature string a model has weights for, by its attribute id in the model, read from
    the model itself (slow: see above).
    """
    tag = pycrfsuite.Tagger()
    tag.open(str(model))
    ids = tag.info().attributes  # {attribute: its id, as the dump prints it}
    return sorted(ids, key=lambda a: int(ids[a]))


def model_attributes(model: Path) -> frozenset[str]:
    """Every feature string a model has weights for, read from the model itself (slow: see above)."""
    return frozenset(model_attribute_order(model))


def attributes_path(model: Path) -> Path:
    """Where the attributes of `model` are listed (`names_crf.model` -> `names_crf.attributes.json`)."""
    return model.with_suffix(ATTRIBUTES_SUFFIX)


def _digest(model: Path) -> str:
    return hashlib.sha256(model.read_bytes()).hexdigest()


def save_attributes(model: Path) -> Path:
    """List the attributes of `model` beside it in id order (an attribute's place in the list is
    its id in the model: `attribute_ids`), with the model's SHA-256 (what `known_attributes`
    checks before trusting the list). Run after training (`tools.train_names`).
    """
    out = attributes_path(model)
    listing = {"model_sha256": _digest(model), "order": "id", "attributes": model_attribute_order(model)}
    out.write_text(json.dumps(listing, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    return out


def _saved_listing(model: Path) -> tuple[list[str], bool] | None:
    """The attributes listed beside `model` and whether in id order (an older list is sorted),
    if the list is there and was made from this very model.
    """
    try:
        listing = json.loads(attributes_path(model).read_text(encoding="utf-8"))
        if listing["model_sha256"] != _digest(model):
            return None
        return [str(a) for a in listing["attributes"]], listing.get("order") == "id"
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _saved_attributes(model: Path) -> frozenset[str] | None:
    """The listed attributes of `model` if the list is there and was made from this very model."""
    listing = _saved_listing(model)
    return frozenset(listing[0]) if listing is not None else None


def _saved_order(model: Path) -> tuple[str, ...] | None:
    """The listed attributes of `model` by id, if the list was made from it in id order."""
    listing = _saved_listing(model)
    return tuple(listing[0]) if listing is not None and listing[1] else None


@lru_cache(maxsize=4)
def _known_attributes(path: str) -> frozenset[str]:
    listed = _saved_attributes(Path(path))
    return listed if listed is not None else model_attributes(Path(path))


def known_attributes() -> frozenset[str]:
    """The feature strings the shipped model has weights for (L1 training dropped the rest).
    crfsuite ignores any other feature, so leaving them out changes no label and saves the
    time of passing them in.
    """
    return _known_attributes(str(MODEL_PATH))


def spans_from_labels(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """BIO labels -> (first, one past last, type); a stray I- starts a new span."""
    out: list[tuple[int, int, str]] = []
    start = -1
    etype = ""
    for k, lab in enumerate([*labels, "O"]):
        if start >= 0 and (lab == "O" or lab.startswith("B-") or lab[2:] != etype):
            out.append((start, k, etype))
            start = -1
        if lab != "O" and start < 0:
            start, etype = k, lab[2:]
    return out


def unpack_ids(token: bytes) -> list[int]:
    """A token's attribute ids, packed by `doc_features(known=...)` as C `int`s."""
    ids: list[int] = np.frombuffer(token, dtype=np.intc).tolist()
    return ids


def label_ids(features: Sequence[Sequence[bytes]]) -> list[list[tuple[int, int, str, float]]]:
    """`label` of sequences whose tokens are the model's attribute ids (`attribute_ids`) packed as
    C `int`s (`doc_features(known=...)`): the same spans and probabilities, without pycrfsuite
    turning every feature string into an item.
    """
    tag = c_tagger()
    if tag is None:
        enc = [a.encode() for a in _attribute_names()]
        return label([[[enc[k] for k in unpack_ids(tok)] for tok in x] for x in features])
    toks = list(chain.from_iterable(features))
    counts = np.fromiter(map(len, toks), dtype=np.intp, count=len(toks))
    counts //= np.dtype(np.intc).itemsize
    ids = np.frombuffer(b"".join(toks), dtype=np.intc)
    _contents, items = tag.items(ids, counts)  # the items point into the contents: both kept here
    names = tag.labels
    outside = names.index("O")
    out: list[list[tuple[int, int, str, float]]] = []
    address = items.ctypes.data
    for x in features:
        n = len(x)
        path = tag.tag(address, n) if n else []
        address += n * ITEM_SIZE
        if path.count(outside) == n:  # no name (a quarter of SQuAD's sentences)
            out.append([])
            continue
        labels = [names[k] for k in path]
        out.append([(a, b, t, tag.marginal(path[a], a)) for a, b, t in spans_from_labels(labels)])
    return out


def label(features: Sequence[Sequence[Sequence[str] | Sequence[bytes]]]) -> list[list[tuple[int, int, str, float]]]:
    """Spans of every sequence (token indices relative to the sequence) with the CRF's marginal
    probability of the span's first label (how sure it is of the type). A token's features are
    strings or UTF-8 bytes (`doc_features` with `known`: crfsuite takes bytes without encoding).
    """
    tag = tagger()
    out: list[list[tuple[int, int, str, float]]] = []
    for x in features:
        if not x:
            out.append([])
            continue
        tag.set(x)
        labels = tag.tag()
        out.append([(a, b, t, tag.marginal(labels[a], a)) for a, b, t in spans_from_labels(labels)])
    return out
