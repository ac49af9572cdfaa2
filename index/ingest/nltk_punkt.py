"""nltk's Punkt module without the rest of nltk: what a one-article ingest needs of it.

`import nltk.tokenize.punkt` first runs `nltk/__init__` and `nltk/tokenize/__init__`, which
import most of nltk (its parsers, corpora readers, translation metrics, chunkers...): 0.15-0.2 of
the 0.21-0.23 CPU s that Punkt's import cost each `python -m bot ingest` (docs/scale.md, round 18).
Punkt itself needs a handful of nltk's modules. So, when nothing has imported nltk yet, the two
packages are put in `sys.modules` as they are before their `__init__` runs (their spec, path
and name: what the import system needs to find their modules) and Punkt is imported under them.

They do not stay half made: a name either package does not have yet is looked up as its own
submodule first (how `from nltk import pathsec` inside Punkt finds it), and otherwise runs the
package's `__init__` in place, once, before answering (`nltk.word_tokenize`, `from nltk.tokenize
import *`, `dir(nltk)`): any later use of nltk in the process sees the whole package, with the
very modules (and classes) Punkt was imported with.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from collections.abc import Callable
from importlib.machinery import ModuleSpec
from types import ModuleType

__all__ = ["punkt"]

_PACKAGES = ("nltk", "nltk.tokenize")
_lock = threading.RLock()  # reentrant: running a package's `__init__` imports the other one


def punkt() -> ModuleType:
    """`nltk.tokenize.punkt`, importing only the nltk modules it uses when nltk is not imported yet."""
    with _lock:
        if "nltk" in sys.modules:  # imported (whole, or as below): the ordinary way
            return importlib.import_module("nltk.tokenize.punkt")
        made: list[str] = []
        try:
            for name in _PACKAGES:
                spec = importlib.util.find_spec(name)
                if spec is None or spec.loader is None or spec.submodule_search_locations is None:
                    raise ImportError(f"{name} is not a package here")
                package = importlib.util.module_from_spec(spec)
                package.__getattr__ = _completing(package, spec)  # type: ignore[method-assign]
                sys.modules[name] = package
                made.append(name)
                parent, _, child = name.rpartition(".")
                if parent:
                    setattr(sys.modules[parent], child, package)
            return importlib.import_module("nltk.tokenize.punkt")
        except ImportError:
            for name in made:  # as if never tried: the ordinary import runs the packages whole
                sys.modules.pop(name, None)
            for name in [m for m in sys.modules if m == "nltk" or m.startswith("nltk.")]:
                sys.modules.pop(name, None)
            return importlib.import_module("nltk.tokenize.punkt")


def _completing(package: ModuleType, spec: ModuleSpec) -> Callable[[str], object]:
    """The package's `__getattr__` until its `__init__` has run (PEP 562: called only for names
    its namespace lacks): a submodule is imported; any other name runs `__init__` once, in place.
    """
    loader = spec.loader
    assert loader is not None

    def __getattr__(name: str) -> object:
        if not name.startswith("__") and importlib.util.find_spec(f"{package.__name__}.{name}") is not None:
            return importlib.import_module(f"{package.__name__}.{name}")
        with _lock:
            if package.__dict__.get("__getattr__") is __getattr__:
                del package.__dict__["__getattr__"]  # from now on a missing name is an AttributeError
                loader.exec_module(package)
        if name in package.__dict__:
            return package.__dict__[name]
        raise AttributeError(f"module {package.__name__!r} has no attribute {name!r}")

    return __getattr__
