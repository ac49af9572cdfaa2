"""Write the few news pages the feed tests serve (tests/data/feeds/), from MEANTIME's Wikinews
articles wrapped by bench.feed_pages. Run from the project root:

    python -m tools.make_feed_fixtures

Wikinews text is CC BY 2.5; tests/data/feeds/README.md says so.
"""

from __future__ import annotations

import json
from pathlib import Path

from bench.feed_pages import build_page, load_articles

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "feeds"
PICKS = 6  # the first of each MEANTIME topic, then two more: small and varied


def main() -> None:
    articles = load_articles()
    by_topic: dict[str, list[dict]] = {}
    for article in articles:
        if article.get("dct"):
            by_topic.setdefault(article["corpus"], []).append(article)
    chosen = [rows[0] for rows in by_topic.values()] + [rows[1] for rows in list(by_topic.values())[:2]]
    OUT.mkdir(parents=True, exist_ok=True)
    index = []
    for article in chosen[:PICKS]:
        page = build_page(article)
        (OUT / f"{page.name}.html").write_text(page.html, encoding="utf-8")
        index.append(
            {
                "name": page.name,
                "title": page.title,
                "date": page.date,
                "wikinews": page.url,
                "first": page.story[0],
                "layout": page.layout,
            }
        )
    (OUT / "pages.json").write_text(json.dumps(index, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(index)} pages to {OUT}")


if __name__ == "__main__":
    main()
