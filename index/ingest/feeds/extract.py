"""A story's text, title, byline and date from its web page (trafilatura), or nothing.

trafilatura is measured against readability-lxml on pages built from real news text wrapped in
navigation, adverts and comments (`python -m bench.extraction`, docs/feeds.md). Comments are
left out: they are not the story. When the page gives no text the caller falls back to the
feed's own content.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Extracted", "extract_page"]

MIN_TEXT_CHARS = 80  # less than this is a stub or an error page, not a story


@dataclass
class Extracted:
    """What the page says of itself; any field may be missing."""

    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None  # ISO date


def extract_page(page: bytes | str, url: str | None = None) -> Extracted | None:
    """The story of an HTML page, or None when no story text can be found."""
    import trafilatura  # imported when needed: it takes about half a second

    try:
        doc = trafilatura.bare_extraction(
            page,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
        )
    except Exception:  # trafilatura on hostile HTML: a page we cannot read is a page without text
        return None
    if doc is None:
        return None
    text = (getattr(doc, "text", None) or "").strip()
    if len(text) < MIN_TEXT_CHARS:
        return None
    date = getattr(doc, "date", None)
    return Extracted(
        text=text,
        title=getattr(doc, "title", None) or None,
        author=getattr(doc, "author", None) or None,
        date=str(date)[:10] if date else None,
    )
