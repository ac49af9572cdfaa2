"""News pages as a feed links to them: a real story (MEANTIME's Wikinews text) wrapped in the
navigation, adverts, related links, comments and footer of a news site.

Used by `bench.extraction` (all 120 articles) and `tools/make_feed_fixtures.py` (the few pages
the feed tests serve). Wikinews text is CC BY 2.5 (see ../shared/data/README.md); the page says so.
The boilerplate is sentence-like on purpose (comments, advert copy): that is what an extractor
must leave out. Layout and boilerplate vary with a seeded random generator per article.
"""

from __future__ import annotations

import html
import json
import random
from dataclasses import dataclass
from pathlib import Path

MEANTIME = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "meantime" / "meantime_en.jsonl"

NAV = ["Home", "World", "Business", "Technology", "Science", "Sport", "Opinion", "Weather", "Contact us"]
ADVERTS = [
    "Save up to 40% on your next holiday with our exclusive partner deals.",
    "Subscribe today and get unlimited access to every story for just one dollar a week.",
    "Looking for a new car? Compare prices from dealers near you in minutes.",
    "Our newsletter brings the day's top stories to your inbox every morning.",
    "Advertisement: the smartest way to manage your money starts here.",
    "Sign up now to unlock premium features and support independent journalism.",
]
COMMENTS = [
    "I cannot believe nobody saw this coming, the signs were there for years.",
    "Great article, thanks for covering this so quickly.",
    "This is exactly why we need better regulation of these companies.",
    "Does anyone know where I can find the full report mentioned here?",
    "The market will recover, it always does in the long run.",
    "Another example of executives getting rich while workers lose out.",
    "I worked there for ten years and the management was always like this.",
    "Can someone explain what this means for ordinary shareholders?",
    "Well written, but the headline is a bit misleading in my opinion.",
    "We will see what happens next quarter, I am not convinced.",
]
RELATED = [
    "Markets close higher as investors shrug off inflation fears",
    "Ten things you need to know before the weekend",
    "Analysis: what the latest figures really tell us",
    "Photos: the week in pictures",
    "Interview: the engineer who wants to rebuild the city's trams",
]
FOOTER = [
    "Copyright 2008 The Daily Example. All rights reserved.",
    "Text from Wikinews, available under the Creative Commons Attribution 2.5 licence.",
    "Privacy policy | Terms of use | Cookie settings",
]


@dataclass
class Page:
    """One page and what the benchmark knows of it."""

    name: str
    title: str
    date: str
    url: str
    story: list[str]  # the story's sentences (MEANTIME's spans), title and date line excluded
    boilerplate: list[str]  # every sentence-like piece of text around the story
    html: str
    layout: str = ""


def _semantic(e, title, date, body, adverts, comments, related, rng) -> str:
    """A modern page: header, nav, main, article, aside, comments section, footer."""
    comment_html = "".join(
        f'<li class="comment"><span class="user">reader{rng.randrange(100, 999)}</span><p>{e(c)}</p></li>'
        for c in comments
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(title)} | The Daily Example</title>
<meta property="og:title" content="{e(title)}">
<meta property="article:published_time" content="{date}T09:00:00Z">
</head><body>
<header><nav><ul>{"".join(f'<li><a href="/{n.lower()}">{e(n)}</a></li>' for n in NAV)}</ul></nav>
<div class="banner-ad"><p>{e(adverts[1])}</p></div></header>
<main><article>
<h1>{e(title)}</h1>
<p class="dateline"><time datetime="{date}">{date}</time></p>
{chr(10).join(body)}
</article>
<aside class="related"><h2>Related stories</h2><ul>{"".join(f'<li><a href="/r/{k}">{e(r)}</a></li>' for k, r in enumerate(related))}</ul>
<div class="sidebar-ad"><p>{e(adverts[2])}</p></div></aside>
<section id="comments"><h2>Comments</h2><ol>{comment_html}</ol></section>
</main>
<footer><p>{e(FOOTER[0])}</p><p>{e(FOOTER[1])}</p><p>{e(FOOTER[2])}</p></footer>
</body></html>
"""


def _divs(e, title, date, body, adverts, comments, related, rng) -> str:
    """An older page: only divs (no article, main, nav or footer elements), comments as paragraphs."""
    comment_html = "".join(
        f'<div class="comment"><b>reader{rng.randrange(100, 999)}</b> wrote:<p>{e(c)}</p></div>' for c in comments
    )
    return f"""<html><head><title>{e(title)} - Example Times</title></head><body>
<div id="top"><div class="menu">{" | ".join(f'<a href="/{n.lower()}">{e(n)}</a>' for n in NAV)}</div>
<div class="banner"><p>{e(adverts[1])}</p></div></div>
<div id="content"><div class="headline"><h1>{e(title)}</h1></div><div class="date">{date}</div>
<div class="text">{chr(10).join(body)}</div>
<div class="box"><h3>Related stories</h3><ul>{"".join(f'<li><a href="/r/{k}">{e(r)}</a></li>' for k, r in enumerate(related))}</ul></div>
<div class="box"><p>{e(adverts[2])}</p></div>
<div class="comments"><h3>Comments</h3>{comment_html}</div></div>
<div id="bottom"><p>{e(FOOTER[0])}</p><p>{e(FOOTER[1])}</p><p>{e(FOOTER[2])}</p></div>
</body></html>
"""


def _blog(e, title, date, body, adverts, comments, related, rng) -> str:
    """A blog: the story and the comments are alike (`entry` divs of paragraphs), adverts between."""
    comment_html = "".join(
        f'<div class="entry reply"><div class="meta">reader{rng.randrange(100, 999)} said on {date}</div><p>{e(c)}</p></div>'
        for c in comments
    )
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{e(title)}</title>
<meta name="date" content="{date}"></head><body>
<div class="sidebar"><ul>{"".join(f'<li><a href="/{n.lower()}">{e(n)}</a></li>' for n in NAV)}</ul><p>{e(adverts[1])}</p></div>
<div class="entry"><h2 class="entry-title">{e(title)}</h2><div class="meta">Posted on {date}</div>
{chr(10).join(body)}
</div>
<div class="widget"><h3>Related stories</h3><ul>{"".join(f'<li><a href="/r/{k}">{e(r)}</a></li>' for k, r in enumerate(related))}</ul><p>{e(adverts[2])}</p></div>
<h3>Comments</h3>{comment_html}
<div class="credits"><p>{e(FOOTER[0])}</p><p>{e(FOOTER[1])}</p><p>{e(FOOTER[2])}</p></div>
</body></html>
"""


def _bare(e, title, date, body, adverts, comments, related, rng) -> str:
    """No hint at all: divs and paragraphs without class names or ids, comments as paragraphs."""
    comment_html = "".join(f"<div><p>reader{rng.randrange(100, 999)}</p><p>{e(c)}</p></div>" for c in comments)
    return f"""<html><head><title>{e(title)}</title></head><body>
<div>{" ".join(f'<a href="/{n.lower()}">{e(n)}</a>' for n in NAV)}</div>
<div><p>{e(adverts[1])}</p></div>
<div><h1>{e(title)}</h1><p>{date}</p>
{chr(10).join(body)}
</div>
<div><p>Related stories</p>{"".join(f'<p><a href="/r/{k}">{e(r)}</a></p>' for k, r in enumerate(related))}</div>
<div><p>{e(adverts[2])}</p></div>
<div><p>Comments</p>{comment_html}</div>
<div><p>{e(FOOTER[0])}</p><p>{e(FOOTER[1])}</p><p>{e(FOOTER[2])}</p></div>
</body></html>
"""


LAYOUTS = (_semantic, _divs, _blog, _bare)


def load_articles(path: Path = MEANTIME) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def build_page(article: dict, seed: int = 0) -> Page:
    """The article as a cluttered news page (deterministic for a seed)."""
    rng = random.Random(f"{article['doc_id']}-{seed}")
    text = article["text"]
    spans = article["sentences"]
    title = text[spans[0][0] : spans[0][1]].strip()
    story = [text[a:b].strip() for a, b in spans[2:] if text[a:b].strip()]
    e = html.escape
    paragraphs = []
    i = 0
    while i < len(story):
        size = rng.choice((1, 2, 3))
        paragraphs.append("<p>" + " ".join(e(s) for s in story[i : i + size]) + "</p>")
        i += size
    adverts = rng.sample(ADVERTS, 3)
    comments = rng.sample(COMMENTS, rng.choice((3, 4, 5)))
    related = rng.sample(RELATED, 3)
    boilerplate = adverts + comments + related + FOOTER
    middle = rng.randrange(1, max(2, len(paragraphs)))
    body = paragraphs[:middle] + [f'<div class="ad-slot"><p>{e(adverts[0])}</p></div>'] + paragraphs[middle:]
    layout = rng.choice(LAYOUTS)
    page = layout(e, title, article["dct"], body, adverts, comments, related, rng)
    return Page(
        article["doc_id"], title, article["dct"], article["url"], story, boilerplate, page, layout.__name__.strip("_")
    )
