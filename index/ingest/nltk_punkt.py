"""nltk's Punkt module without the rest of nltk: what a one-article ingest needs of it.

`import nltk.tokenize.punkt` first runs `nltk/__init__` and `nltk/tokenize/__init__`, which
import most of nltk (its parsers, corpus readers, translation metrics, chunkers...): 0.15-0.2 of
the 0.21-0.23 CPU s that Punkt's import cost each `python -m bot ingest` (docs/scale.md, round 18).
Punkt itself needs a handful of nltk's modules. So, when nothing has imported nltk yet, the two
packages are made as they are before their `__init__` runs (their spec, path and name: what the
import system needs to find their modules) and Punkt is imported under them.

They do not stay half made: they leave `sys.modules` at once (Punkt and the modules it imported
stay), and a finder first on `sys.meta_path` hands the same two package objects back to the next
import of `nltk` or `nltk.tokenize`, running their `__init__` in them then. Any later use of nltk
in the process (`import nltk`, `from nltk.stem.snowball import ...`) therefore imports the whole
package as usual, in its usual order, around the very modules (and classes) Punkt was imported with.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import threading
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

__all__ = ["punkt"]

_PACKAGES = ("nltk", "nltk.tokenize")
_lock = threading.Lock()


def punkt() -> ModuleType:
    """`nltk.tokenize.punkt`, importing only the nltk modules it uses when nltk is not imported yet."""
    with _lock:
        loaded = sys.modules.get("nltk.tokenize.punkt")
        if loaded is not None:
            return loaded
        if "nltk" in sys.modules or any(isinstance(f, _Packages) for f in sys.meta_path):
            return importlib.import_module("nltk.tokenize.punkt")  # the ordinary way
        kept: dict[str, tuple[ModuleType, ModuleSpec]] = {}
        try:
            for name in _PACKAGES:
                spec = importlib.util.find_spec(name)
                if spec is None or spec.loader is None or spec.submodule_search_locations is None:
                    raise ImportError(f"{name} is not a package here")
                package = importlib.util.module_from_spec(spec)
                sys.modules[name] = package
                kept[name] = (package, spec)
                parent, _, child = name.rpartition(".")
                if parent:
                    setattr(sys.modules[parent], child, package)
            module = importlib.import_module("nltk.tokenize.punkt")
        except ImportError:  # as if never tried: the ordinary import, whole
            for name in [m for m in sys.modules if m == "nltk" or m.startswith("nltk.")]:
                del sys.modules[name]
            return importlib.import_module("nltk.tokenize.punkt")
        for name in kept:
            del sys.modules[name]
        sys.meta_path.insert(0, _Packages(kept))
        return module


class _Packages(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Hands the packages Punkt was imported under back to the next import of them, and runs
    their `__init__` in them then (so nltk ends up imported whole, with the same module objects).
    """

    def __init__(self, kept: dict[str, tuple[ModuleType, ModuleSpec]]) -> None:
        self._kept = dict(kept)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname not in self._kept:
            return None
        _, spec = self._kept[fullname]
        ours = ModuleSpec(fullname, self, origin=spec.origin, is_package=True)
        ours.submodule_search_locations = spec.submodule_search_locations
        return ours

    def create_module(self, spec: ModuleSpec) -> ModuleType:
        return self._kept[spec.name][0]

    def exec_module(self, module: ModuleType) -> None:
        _, spec = self._kept.pop(module.__name__)
        if not self._kept and self in sys.meta_path:
            sys.meta_path.remove(self)  # both handed back: nothing left to find
        module.__spec__ = spec  # its own spec and loader again, as an ordinary import leaves them
        module.__loader__ = spec.loader
        assert spec.loader is not None
        spec.loader.exec_module(module)
