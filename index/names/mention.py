"""One name found in a text. Its own module, so that reading saved mentions (a chain's entity
layers, `index.search.layers`) imports no recogniser: the CRF, the rules and the 65,536-character
shape table cost a one-command process 0.03 CPU s (docs/scale.md, round 17).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Mention:
    """One name in a text: `text == doc[start:end]`. `canonical` is the name of the document-level
    cluster the mention belongs to (e.g. "Kashmira Konduparty" for "Konduparty").
    """

    start: int
    end: int
    text: str
    type: str
    canonical: str = field(default="", compare=False)


__all__ = ["Mention"]
