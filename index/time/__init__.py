"""Time: the temporal tagger (expressions in text -> TIMEX3 values) and what is built on it.

`tag(text, anchor)` -> list of `Timex`; `infer_publication_date(text)` for undated articles;
`value_span(value)` -> the days a TIMEX3 value covers. `TAGGER_VERSION` changes whenever the
rules change what is found or how it is resolved: saved timelines are rebuilt when it does.

The rules (`index.time.tagger`, about 0.2 s of regex compilation) load on first use of `tag`
or `infer_publication_date`: reading a saved timeline never needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from index.time.timex import Timex, single_span, value_span

if TYPE_CHECKING:
    from index.time.tagger import infer_publication_date, tag

TAGGER_VERSION = "12"  # 12: round 24 (over is a signal: "[over] the weekend"); 11: round 23 (today's world is no day); 10: round 21 fc21 (a forecast's weekdays are the coming ones); 9: round 21 (an offset from an event is a DURATION); 8: round 20 (covering; a joined weekday; a plan in the past perfect); 7: round 19

__all__ = ["TAGGER_VERSION", "Timex", "infer_publication_date", "single_span", "tag", "value_span"]


def __getattr__(name: str) -> Any:
    """`tag` and `infer_publication_date`, imported from the tagger on first use."""
    if name in ("tag", "infer_publication_date"):
        from index.time import tagger

        return getattr(tagger, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
