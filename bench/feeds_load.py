"""Feeds under load: `python -m bench.feeds_load [--feeds 20] [--items 50] [--users 20]`.

A local news site (tests/feed_server.py) serves `--feeds` RSS feeds of `--items` new items each,
every item linking to a page built from a MEANTIME Wikinews article (bench/feed_pages.py). The
real bot runs against the fake Discord (tests/fake_discord.py) and polls them all at once, while
`--users` users keep asking `/ask` until the poll has been stored and indexed. Reported: the
time from each interaction's dispatch to its acknowledgement (goal: every one within 3 s) and
to its answer, the poll's duration and the articles added. Host spacing is 0 (one local host).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import shutil
import tempfile
import time
from pathlib import Path

from .common import percentile
from .feed_pages import build_page, load_articles

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "Who won the airtanker contract?",
    "What did Apple release for developers?",
    "Who is the new chief of General Motors?",
    "How many points did the Dow fall?",
    "When does the ban take effect?",
]


async def _run(feeds_n: int, items_n: int, users: int) -> dict:
    from bot.discord.client import VerbatimBot
    from bot.settings import Settings
    from index.corpus import Corpus, feeds
    from tests.fake_discord import TOKEN, FakeDiscord, running
    from tests.feed_server import NewsSite, rss

    articles = load_articles()
    tmp = Path(tempfile.mkdtemp(prefix="feeds-load-"))
    seeds = tmp / "seeds"
    seeds.mkdir()
    shutil.copy(ROOT / "seeds" / "000_e228878e0c08bf80.txt", seeds)
    with NewsSite() as site:
        for f in range(feeds_n):
            items = []
            for i in range(items_n):
                page = build_page(articles[(f * items_n + i) % len(articles)], seed=f)
                path = f"/news/{f}/{i}.html"
                site.routes[path] = page.html.encode()
                items.append(
                    {
                        "guid": f"urn:{f}:{i}",
                        "title": page.title,
                        "link": path,
                        "date": page.date or "2008-01-01",
                        "summary": page.story[0],
                    }
                )
            site.routes[f"/feed{f}.xml"] = rss(site, items, title=f"Feed {f}")
            feeds.follow(feeds.feeds_file(seeds), site.url(f"/feed{f}.xml"), 15)
        fake = await FakeDiscord(heartbeat_interval_ms=5000).start()
        fake.patch_client()
        settings = Settings(
            seeds_dir=seeds,
            index_dir=tmp / "index",
            discord_token=TOKEN,
            dev_guild_id=fake.guild_id,
            cooldown_seconds=0,
            announce_channel_id=fake.channel_id,
            feeds_allow_private=True,
            feeds_host_spacing=0,
        )
        corpus = await asyncio.to_thread(Corpus.open, seeds, tmp / "index")
        bot = VerbatimBot(settings, corpus)
        bot.feed_tick = 3600  # the first look polls every feed (all are due); no second one
        acks: list[float] = []
        finals: list[float] = []
        started = time.monotonic()
        async with running(fake, bot, timeout=60):

            def done() -> bool:
                saved = feeds.load_feeds(feeds.feeds_file(seeds))
                return all(f.last_poll for f in saved.values())

            async def user(uid: int) -> None:
                n = 0
                while not done():
                    inter = await fake.slash("ask", question=QUESTIONS[(uid + n) % len(QUESTIONS)], user_id=uid)
                    ack = await fake.wait_callback(inter, timeout=120)
                    final = await fake.wait_final(inter, timeout=120)
                    acks.append(ack.at - fake.injected_at[inter["id"]])
                    finals.append(final.at - fake.injected_at[inter["id"]])
                    n += 1
                    await asyncio.sleep(0.2)

            await asyncio.gather(*(user(9000 + u) for u in range(users)))
            polled = time.monotonic() - started
            stats = bot.corpus.stats()
    logging.getLogger().handlers.clear()
    shutil.rmtree(tmp, ignore_errors=True)
    return {"acks": acks, "finals": finals, "poll_s": polled, "articles": stats["articles"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=20)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--users", type=int, default=20)
    args = ap.parse_args(argv)
    result = asyncio.run(_run(args.feeds, args.items, args.users))
    acks, finals = sorted(result["acks"]), sorted(result["finals"])
    print(
        f"{args.feeds} feeds x {args.items} items polled, stored and indexed in {result['poll_s']:.1f} s "
        f"({result['articles']:,} articles) while {args.users} users asked {len(acks)} questions"
    )
    print(
        f"acknowledged: p50 {percentile(acks, 50) * 1000:.0f} ms, p95 {percentile(acks, 95) * 1000:.0f} ms, "
        f"max {acks[-1] * 1000:.0f} ms; within 3 s: {sum(a <= 3 for a in acks)}/{len(acks)}"
    )
    print(
        f"answered: p50 {percentile(finals, 50) * 1000:.0f} ms, p95 {percentile(finals, 95) * 1000:.0f} ms, "
        f"max {finals[-1] * 1000:.0f} ms"
    )
    return 0 if acks and acks[-1] <= 3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
