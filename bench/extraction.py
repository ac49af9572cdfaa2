"""How well a page's story is extracted: trafilatura (as the bot calls it) against alternatives.

    python -m bench.extraction [--meantime PATH]

Pages: each MEANTIME Wikinews article (../shared/data/meantime/meantime_en.jsonl, CC BY 2.5)
wrapped by bench.feed_pages in navigation, adverts, related links, comments and a footer.
Per extractor, over the story sentences of all pages: the share recovered exactly (the
sentence appears whole in the extracted text, spaces normalised), and the share of the
boilerplate sentences wrongly kept. Articles are split in two by position: the even ones are
the part on which the bot's setting (favor_precision) was chosen, the odd ones confirm it.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from pathlib import Path

from bench.feed_pages import MEANTIME, Page, build_page, load_articles

_SPACE = re.compile(r"\s+")


def norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def bot_trafilatura(page: Page) -> str:
    from index.ingest.feeds.extract import extract_page

    got = extract_page(page.html, "https://news.example/story")
    return got.text if got else ""


def trafilatura_default(page: Page) -> str:
    import trafilatura

    return trafilatura.extract(page.html, include_comments=False, include_tables=False) or ""


def readability(page: Page) -> str:
    import lxml.html
    from readability import Document

    summary = Document(page.html).summary(html_partial=True)
    root = lxml.html.fromstring(summary)
    return "\n".join(norm(el.text_content()) for el in root.iter("p", "h1", "h2", "li", "div") if el.text_content())


def justext_paragraphs(page: Page) -> str:
    import justext

    paragraphs = justext.justext(page.html.encode("utf-8"), justext.get_stoplist("English"))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


EXTRACTORS: dict[str, Callable[[Page], str]] = {
    "trafilatura (bot: favor_precision)": bot_trafilatura,
    "trafilatura (default)": trafilatura_default,
    "readability-lxml": readability,
    "jusText": justext_paragraphs,
}


def score(pages: list[Page], extract: Callable[[Page], str]) -> tuple[float, float, float]:
    """(story sentences recovered, boilerplate sentences kept, ms per page)."""
    found = total = kept = boiler = 0
    started = time.perf_counter()
    texts = [norm(extract(page)) for page in pages]
    elapsed = time.perf_counter() - started
    for page, text in zip(pages, texts, strict=True):
        total += len(page.story)
        found += sum(1 for s in page.story if norm(s) in text)
        boiler += len(page.boilerplate)
        kept += sum(1 for b in page.boilerplate if norm(b) in text)
    return found / max(1, total), kept / max(1, boiler), 1000 * elapsed / max(1, len(pages))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--meantime", type=Path, default=MEANTIME)
    args = ap.parse_args(argv)
    pages = [build_page(a) for a in load_articles(args.meantime)]
    pages = [p for p in pages if len(p.story) >= 2]
    parts = {"tuning (even)": pages[0::2], "held-out (odd)": pages[1::2], "all": pages}
    print(
        f"{len(pages)} pages, {sum(len(p.story) for p in pages):,} story sentences, "
        f"{sum(len(p.boilerplate) for p in pages):,} boilerplate sentences"
    )
    print(f"{'extractor':36} {'part':15} {'story recovered':>16} {'boilerplate kept':>17} {'ms/page':>8}")
    for name, extract in EXTRACTORS.items():
        extract(pages[0])  # imports and warm-up outside the timing
        for part, chosen in parts.items():
            recovered, kept, ms = score(chosen, extract)
            print(f"{name:36} {part:15} {recovered:16.1%} {kept:17.1%} {ms:8.1f}")
    print("by layout (all pages):")
    for layout in sorted({p.layout for p in pages}):
        chosen = [p for p in pages if p.layout == layout]
        for name, extract in EXTRACTORS.items():
            recovered, kept, _ = score(chosen, extract)
            print(f"  {layout:9} {len(chosen):3} pages  {name:36} {recovered:7.1%} story {kept:7.1%} boilerplate")


if __name__ == "__main__":
    main()
