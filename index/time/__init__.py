"""Time: the temporal tagger (expressions in text -> TIMEX3 values) and what is built on it.

`tag(text, anchor)` -> list of `Timex`; `infer_publication_date(text)` for undated articles;
`value_span(value)` -> the days a TIMEX3 value covers. `TAGGER_VERSION` changes whenever the
rules change what is found or how it is resolved: saved timelines are rebuilt when it does.
"""

from index.time.tagger import infer_publication_date, tag
from index.time.timex import Timex, single_span, value_span

TAGGER_VERSION = "2"

__all__ = ["TAGGER_VERSION", "Timex", "infer_publication_date", "single_span", "tag", "value_span"]
