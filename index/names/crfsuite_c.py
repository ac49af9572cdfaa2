"""crfsuite's own C tagger, fed attribute ids: the names CRF without turning strings into items.

pycrfsuite's `Tagger.set` copies every feature string into a C++ item and looks it up in the
model's attribute dictionary: 3.4 million strings for the 5,018 SQuAD dev sentences, nearly all
of `crf.label`'s time. crfsuite's C interface (`crfsuite.h`: a model, its tagger and dictionaries
as structs of function pointers) takes items of attribute ids instead, and pycrfsuite's extension
module links crfsuite in and exports that interface. This module calls it through `ctypes`, with
the items laid out by numpy, and makes exactly the calls pycrfsuite's `Tagger.set`, `tag` and
`marginal` make (`crfsuite.hpp`), after the attribute look-up: the same scores, labels and
probabilities. `CTagger.load` returns None where the interface is not there (another build of
pycrfsuite); `crf.label` then uses pycrfsuite's own `Tagger`.
"""

from __future__ import annotations

import ctypes
from ctypes import POINTER, byref, c_char_p, c_double, c_int, c_void_p
from pathlib import Path
from typing import Any

import numpy as np
import pycrfsuite
from numpy.typing import NDArray

_ADDREF = ctypes.CFUNCTYPE(c_int, c_void_p)


class _Model(ctypes.Structure):
    _fields_ = [
        ("internal", c_void_p),
        ("nref", c_int),
        ("addref", _ADDREF),
        ("release", _ADDREF),
        ("get_tagger", ctypes.CFUNCTYPE(c_int, c_void_p, POINTER(c_void_p))),
        ("get_labels", ctypes.CFUNCTYPE(c_int, c_void_p, POINTER(c_void_p))),
        ("get_attrs", ctypes.CFUNCTYPE(c_int, c_void_p, POINTER(c_void_p))),
        ("dump", ctypes.CFUNCTYPE(c_int, c_void_p, c_void_p)),
    ]


class _Tagger(ctypes.Structure):
    _fields_ = [
        ("internal", c_void_p),
        ("nref", c_int),
        ("addref", _ADDREF),
        ("release", _ADDREF),
        ("set", ctypes.CFUNCTYPE(c_int, c_void_p, c_void_p)),
        ("length", _ADDREF),
        ("viterbi", ctypes.CFUNCTYPE(c_int, c_void_p, c_void_p, POINTER(c_double))),
        ("score", ctypes.CFUNCTYPE(c_int, c_void_p, c_void_p, POINTER(c_double))),
        ("lognorm", ctypes.CFUNCTYPE(c_int, c_void_p, POINTER(c_double))),
        ("marginal_point", ctypes.CFUNCTYPE(c_int, c_void_p, c_int, c_int, POINTER(c_double))),
        ("marginal_path", ctypes.CFUNCTYPE(c_int, c_void_p, c_void_p, c_int, c_int, POINTER(c_double))),
    ]


class _Dictionary(ctypes.Structure):
    _fields_ = [
        ("internal", c_void_p),
        ("nref", c_int),
        ("addref", _ADDREF),
        ("release", _ADDREF),
        ("get", ctypes.CFUNCTYPE(c_int, c_void_p, c_char_p)),
        ("to_id", ctypes.CFUNCTYPE(c_int, c_void_p, c_char_p)),
        ("to_string", ctypes.CFUNCTYPE(c_int, c_void_p, c_int, POINTER(c_char_p))),
        ("num", _ADDREF),
        ("free", ctypes.CFUNCTYPE(None, c_void_p, c_char_p)),
    ]


class _Instance(ctypes.Structure):
    """`crfsuite_instance_t`: a sequence of items (the tagger reads `num_items` and `items`)."""

    _fields_ = [
        ("num_items", c_int),
        ("cap_items", c_int),
        ("items", c_void_p),
        ("labels", c_void_p),
        ("weight", c_double),
        ("group", c_int),
    ]


# `crfsuite_attribute_t` {int aid; double value} and `crfsuite_item_t` {int num, cap; attribute *}
_ATTRIBUTE = np.dtype([("aid", np.intc), ("value", np.float64)], align=True)
_ITEM = np.dtype([("num", np.intc), ("cap", np.intc), ("contents", np.intp)], align=True)
ITEM_SIZE = _ITEM.itemsize


def _strings(dic: _Dictionary, ptr: int) -> list[str]:
    """Every string of a crfsuite dictionary, by id."""
    out = []
    for k in range(dic.num(ptr)):
        s = c_char_p()
        if dic.to_string(ptr, k, byref(s)) != 0 or s.value is None:
            raise RuntimeError("crfsuite: a dictionary id without a string")
        out.append(s.value.decode())
        dic.free(ptr, s)
    return out


class CTagger:
    """One thread's crfsuite tagger on a model, fed sequences of attribute ids."""

    def __init__(self, lib: ctypes.CDLL, model: Path) -> None:
        create = lib.crfsuite_create_instance_from_file
        create.argtypes = [c_char_p, POINTER(c_void_p)]
        create.restype = c_int
        ptr = c_void_p()
        if create(str(model).encode(), byref(ptr)) != 0 or not ptr.value:
            raise ValueError(f"crfsuite cannot open {model}")
        self._model_ptr = ptr.value
        m = _Model.from_address(self._model_ptr)
        self._m = m
        tagger = c_void_p()
        if m.get_tagger(self._model_ptr, byref(tagger)) or not tagger.value:
            raise RuntimeError("crfsuite: no tagger for the model")
        self._tagger = tagger.value
        t = _Tagger.from_address(self._tagger)
        self._t = t
        self._set, self._viterbi, self._marginal = t.set, t.viterbi, t.marginal_point
        self.labels = self._dictionary(m.get_labels)
        self._path = (c_int * 64)()
        self._score_ref = byref(c_double())
        self._prob = c_double()
        self._prob_ref = byref(self._prob)
        self._instance = _Instance()
        self._instance_ref = byref(self._instance)

    def _dictionary(self, get: Any) -> list[str]:
        """The strings of one of the model's dictionaries (labels, attributes), by id."""
        ptr = c_void_p()
        if get(self._model_ptr, byref(ptr)) or not ptr.value:
            raise RuntimeError("crfsuite: a dictionary missing from the model")
        dic = _Dictionary.from_address(ptr.value)
        try:
            return _strings(dic, ptr.value)
        finally:
            dic.release(ptr.value)

    def attributes(self) -> list[str]:
        """The model's attributes (feature strings), by id."""
        return self._dictionary(self._m.get_attrs)

    def __del__(self) -> None:
        if getattr(self, "_t", None) is not None:
            self._t.release(self._tagger)
        if getattr(self, "_m", None) is not None:
            self._m.release(self._model_ptr)

    @staticmethod
    def load(model: Path) -> CTagger | None:
        """A tagger on `model` through the C interface pycrfsuite exports, or None without it."""
        try:
            lib = ctypes.CDLL(pycrfsuite._pycrfsuite.__file__)
            lib.crfsuite_create_instance_from_file  # noqa: B018  (the interface is exported)
        except (OSError, AttributeError):
            return None
        return CTagger(lib, model)

    def items(self, ids: NDArray[np.intc], counts: NDArray[np.intp]) -> tuple[NDArray[np.void], NDArray[np.void]]:
        """The crfsuite items of tokens whose attribute ids are `ids` (`counts` a token, in order):
        the attribute array and the item array pointing into it (token k's item at
        `items.ctypes.data + k * ITEM_SIZE`). Keep both alive while tagging.
        """
        contents = np.empty(len(ids), dtype=_ATTRIBUTE)
        contents["aid"] = ids
        contents["value"] = 1.0
        items = np.empty(len(counts), dtype=_ITEM)
        items["num"] = counts
        items["cap"] = counts
        addresses = np.zeros(len(counts), dtype=np.intp)  # each token's first attribute
        np.cumsum(counts[:-1], out=addresses[1:])
        addresses *= _ATTRIBUTE.itemsize
        addresses += contents.ctypes.data
        items["contents"] = addresses
        return contents, items

    def tag(self, address: int, n: int) -> list[int]:
        """Set the `n` items at `address` (into `items`' array) as the sequence and return its
        Viterbi labels' ids.
        """
        inst = self._instance
        inst.num_items = inst.cap_items = n
        inst.items = address
        if self._set(self._tagger, self._instance_ref) != 0:
            raise RuntimeError("crfsuite: cannot set the sequence")
        if len(self._path) < n:
            self._path = (c_int * (2 * n))()
        if self._viterbi(self._tagger, self._path, self._score_ref) != 0:
            raise RuntimeError("crfsuite: no Viterbi path")
        return self._path[:n]

    def marginal(self, label: int, t: int) -> float:
        """The marginal probability of label id `label` at position `t` of the sequence set last."""
        self._marginal(self._tagger, label, t, self._prob_ref)
        return self._prob.value
