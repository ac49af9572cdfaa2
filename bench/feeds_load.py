"""Feeds under load: `python -m bench.feeds_load [--feeds 20] [--items 50] [--users 20] [--code DIR]`.

A local news site (tests/feed_server.py) serves `--feeds` RSS feeds of `--items` new items each,
every item linking to a page built from a MEANTIME Wikinews article (bench/feed_pages.py). The
bot runs in its own process, started as `python -m bot serve` starts it (settings from the
environment), pointed at the fake Discord (tests/fake_discord.py); the fake Discord, the news
site and the `--users` users asking `/ask` run in this process, so what is measured is the bot's
process, not this harness. The bot polls every feed at start (all are due) while the users ask
until every feed's poll is recorded. Reported: each interaction's time from dispatch to
acknowledgement (goal: every one within 3 s) and to its answer, the poll's duration (from the
bot's connection to the last feed recorded), the articles indexed and the index commits made.
`--code DIR` runs the bot from another checkout of the project (the code before a change, for
a comparison in the same hour). Host spacing is 0 (one local host).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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
# The bot's process: discord.py pointed at the fake (what tests/fake_discord.py's patch_client
# does), then the CLI's `serve`, which reads its settings from the environment.
BOOT = """
import os, sys, yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route
base = os.environ["VERBATIM_FAKE_DISCORD"]
Route.BASE = base + "/api/v10"
DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(base.replace("http://", "ws://", 1) + "/gateway")
from bot.cli import main
sys.exit(main(["serve"]))
"""


def _site(site: Any, feeds_n: int, items_n: int, seeds: Path) -> None:
    """Serve the feeds and their pages, and follow every feed."""
    from index.corpus import feeds
    from tests.feed_server import rss

    articles = load_articles()
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


def _bot_env(fake: Any, seeds: Path, index_dir: Path, code: Path) -> dict[str, str]:
    from tests.fake_discord import TOKEN

    return os.environ | {
        "PYTHONPATH": str(code),
        "VERBATIM_FAKE_DISCORD": fake.base,
        "DISCORD_TOKEN": TOKEN,
        "DEV_GUILD_ID": str(fake.guild_id),
        "ANNOUNCE_CHANNEL_ID": str(fake.channel_id),
        "SEEDS_DIR": str(seeds),
        "INDEX_DIR": str(index_dir),
        "COOLDOWN_SECONDS": "0",
        "FEEDS_ALLOW_PRIVATE": "true",
        "FEEDS_HOST_SPACING": "0",
    }


async def _run(feeds_n: int, items_n: int, users: int, code: Path) -> dict[str, Any]:
    from index.corpus import Corpus, feeds
    from tests.fake_discord import FakeDiscord
    from tests.feed_server import NewsSite

    tmp = Path(tempfile.mkdtemp(prefix="feeds-load-"))
    seeds, index_dir, log_path = tmp / "seeds", tmp / "index", tmp / "bot.log"
    seeds.mkdir()
    shutil.copy(ROOT / "seeds" / "000_e228878e0c08bf80.txt", seeds)
    await asyncio.to_thread(Corpus.open, seeds, index_dir)  # built before the bot starts, off the clock
    acks: list[float] = []
    finals: list[float] = []
    try:
        with NewsSite() as site, log_path.open("wb") as log_file:
            _site(site, feeds_n, items_n, seeds)
            fake = await FakeDiscord(heartbeat_interval_ms=5000).start()
            bot = subprocess.Popen(
                [sys.executable, "-c", BOOT],
                cwd=tmp,  # no .env of a checkout is read
                env=_bot_env(fake, seeds, index_dir, code),
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
            try:
                await asyncio.wait_for(fake.ready.wait(), 120)
                started = time.monotonic()
                while not fake.guild_commands:  # synced: /ask can be sent
                    await asyncio.sleep(0.05)

                def done() -> bool:
                    saved = feeds.load_feeds(feeds.feeds_file(seeds))
                    return all(f.last_poll for f in saved.values())

                async def user(uid: int) -> None:
                    n = 0
                    while not await asyncio.to_thread(done):
                        question = QUESTIONS[(uid + n) % len(QUESTIONS)]
                        inter = await fake.slash("ask", question=question, user_id=uid)
                        ack = await fake.wait_callback(inter, timeout=120)
                        final = await fake.wait_final(inter, timeout=120)
                        acks.append(ack.at - fake.injected_at[inter["id"]])
                        finals.append(final.at - fake.injected_at[inter["id"]])
                        n += 1
                        await asyncio.sleep(0.2)

                await asyncio.gather(*(user(9000 + u) for u in range(users)))
                polled = time.monotonic() - started
            finally:
                bot.send_signal(signal.SIGTERM)
                await asyncio.to_thread(bot.wait, 60)
                await fake.stop()
        saved = feeds.load_feeds(feeds.feeds_file(seeds))
        corpus = await asyncio.to_thread(Corpus.open, seeds, index_dir)
        log = log_path.read_text(encoding="utf-8", errors="replace")
        return {
            "acks": acks,
            "finals": finals,
            "poll_s": polled,
            "articles": corpus.stats()["articles"] - 1,  # the seed article is not the poll's
            "added": sum(f.added for f in saved.values()),
            "errors": [f.last_error for f in saved.values() if f.last_error],
            "commits": log.count(" committed "),
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--feeds", type=int, default=20)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--code", type=Path, default=ROOT, help="the checkout the bot runs from (default: this one)")
    args = ap.parse_args(argv)
    result = asyncio.run(_run(args.feeds, args.items, args.users, args.code.resolve()))
    acks, finals = sorted(result["acks"]), sorted(result["finals"])
    if not acks:
        print("no interaction was made")
        return 1
    print(f"bot code: {args.code.resolve()}")
    print(
        f"{args.feeds} feeds x {args.items} items polled, stored and indexed in {result['poll_s']:.1f} s: "
        f"{result['articles']:,} articles indexed ({result['added']:,} recorded as added), "
        f"{result['commits']} index commits, {len(result['errors'])} feed errors; "
        f"{args.users} users asked {len(acks)} questions meanwhile"
    )
    for error in result["errors"][:3]:
        print(f"  feed error: {error}")
    print(
        f"acknowledged: p50 {percentile(acks, 50) * 1000:.0f} ms, p95 {percentile(acks, 95) * 1000:.0f} ms, "
        f"max {acks[-1] * 1000:.0f} ms; within 3 s: {sum(a <= 3 for a in acks)}/{len(acks)}"
    )
    print(
        f"answered: p50 {percentile(finals, 50) * 1000:.0f} ms, p95 {percentile(finals, 95) * 1000:.0f} ms, "
        f"max {finals[-1] * 1000:.0f} ms"
    )
    return 0 if acks[-1] <= 3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
