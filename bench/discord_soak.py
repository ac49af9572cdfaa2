"""Discord soak: `python -m bench.discord_soak --minutes 10 [--rate 5]`.

Runs the real bot (discord.py, HTTP, websocket) against `tests/fake_discord.py` with steady
`/ask` traffic (`--rate` questions a second from rotating users, cooldown off), samples the
process RSS (psutil) every `--sample` seconds, and prints one row per minute: RSS, answers
delivered that minute, and the p95 of the time from INTERACTION_CREATE to the defer
acknowledgement. The RSS slope (least squares over the samples after the first minute, MB per
minute) tells a leak from warm-up. The fake's request log is trimmed as it goes so that the
harness does not grow with the run.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path

from .common import SEED_QUESTIONS, percentile

ROOT = Path(__file__).resolve().parent.parent
# the seed questions, and one the article cannot answer: an abstention now and then
QUESTIONS = SEED_QUESTIONS + ["Who won the football world cup in 1998?"]


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (x, y) points (0 with fewer than two)."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    den = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / den if den else 0.0


async def soak(minutes: float, rate: float, sample: float, out=print) -> dict:
    import psutil

    from bot.discord.client import VerbatimBot
    from bot.settings import Settings
    from index.corpus import Corpus
    from tests.fake_discord import TOKEN, FakeDiscord, running

    proc = psutil.Process()
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds"
        shutil.copytree(ROOT / "seeds", seeds)
        corpus = await asyncio.to_thread(Corpus.open, seeds, Path(tmp) / "index")
        fake = await FakeDiscord(heartbeat_interval_ms=5000).start()
        fake.patch_client()
        settings = Settings(
            seeds_dir=seeds,
            index_dir=Path(tmp) / "index",
            discord_token=TOKEN,
            dev_guild_id=fake.guild_id,
            cooldown_seconds=0,
        )
        bot = VerbatimBot(settings, corpus)
        rows: list[dict] = []
        samples: list[tuple[float, float]] = []
        acks: list[float] = []
        answered = 0
        failures = 0
        pending: set[asyncio.Task] = set()
        async with running(fake, bot, timeout=30):

            async def one(i: int) -> None:
                nonlocal answered, failures
                inter = await fake.slash("ask", question=QUESTIONS[i % len(QUESTIONS)], user_id=1000 + i % 50)
                try:
                    ack = await fake.wait_callback(inter, timeout=30)
                    await fake.wait_final(inter, timeout=30)
                except TimeoutError:
                    failures += 1
                    return
                acks.append(ack.at - fake.injected_at[inter["id"]])
                answered += 1
                # forget this interaction in the fake so the harness itself does not grow
                token = inter["token"]
                fake.requests = [r for r in fake.requests if token not in r.path and inter["id"] not in r.path]
                fake.interactions.pop(inter["id"], None)
                fake.injected_at.pop(inter["id"], None)
                fake.originals.pop(token, None)
                fake.messages.clear()

            start = time.monotonic()
            end = start + minutes * 60
            next_sample = start
            minute_start_answered, minute_acks_from, minute = 0, 0, 1
            out(f"{'minute':>6} {'RSS MB':>8} {'answered':>9} {'p95 ack ms':>11}")
            i = 0
            while True:
                now = time.monotonic()
                if now >= next_sample:
                    samples.append(((now - start) / 60, proc.memory_info().rss / 2**20))
                    next_sample += sample
                if now - start >= minute * 60 or now >= end:
                    row = {
                        "minute": minute,
                        "rss": proc.memory_info().rss / 2**20,
                        "answered": answered - minute_start_answered,
                        "p95_ack_ms": percentile(acks[minute_acks_from:], 95, "nearest") * 1000,
                    }
                    rows.append(row)
                    out(f"{row['minute']:>6} {row['rss']:>8.1f} {row['answered']:>9} {row['p95_ack_ms']:>11.1f}")
                    minute_start_answered, minute_acks_from, minute = answered, len(acks), minute + 1
                if now >= end:
                    break
                t = asyncio.create_task(one(i))
                pending.add(t)
                t.add_done_callback(pending.discard)
                i += 1
                await asyncio.sleep(max(0.0, start + i / rate - time.monotonic()))
            if pending:
                await asyncio.wait(pending, timeout=30)
    after_warmup = [p for p in samples if p[0] >= 1.0] or samples
    result = {
        "rows": rows,
        "samples": samples,
        "slope_mb_per_min": slope(after_warmup),
        "answered": answered,
        "failures": failures,
        "asked": i,
        "p95_ack_ms": percentile(acks, 95, "nearest") * 1000,
    }
    out(f"asked {i}, answered {answered}, unanswered {failures}; overall p95 ack {result['p95_ack_ms']:.1f} ms")
    out(
        f"RSS slope after the first minute: {result['slope_mb_per_min']:+.3f} MB/min "
        f"({len(after_warmup)} samples every {sample:g} s)"
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.discord_soak", description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--rate", type=float, default=5, help="questions per second")
    parser.add_argument("--sample", type=float, default=10, help="seconds between RSS samples")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    sys.path.insert(0, str(ROOT))
    result = asyncio.run(soak(args.minutes, args.rate, args.sample, out=lambda s: print(s, flush=True)))
    return 0 if result["failures"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
