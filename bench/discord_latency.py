"""Discord answer latency on loopback: `python -m bench.discord_latency [--sentences N]`.

Runs the real bot (discord.py, HTTP, websocket) against `tests/fake_discord.py` and times,
for each of `--questions` `/ask` interactions (200 by default), the span from the fake
Discord dispatching INTERACTION_CREATE to it receiving the final reply (the PATCH of
`@original`, or the ephemeral follow-up of an abstention), plus the time to the defer
acknowledgement. Questions are asked one at a time (latency, not throughput); `--concurrency`
asks that many at once instead.

Corpora: the seed articles always; with `--sentences N` also a synthetic corpus of about N
sentences made by replicating the SQuAD articles of `--squad` under distinct ids (the same
recipe as `bench.scale`). Building the 1M-sentence index takes a few minutes. Goal: p95 < 250 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from . import squad_data
from .common import SEED_QUESTIONS, percentile
from .scale import SQUAD_SENTENCES, make_corpus

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQUAD = ROOT.parent / "shared" / "data" / "squad-dev-even.json"
EXTRA_QUESTIONS = ["What settings did the mechanism inspect?", "When was the feature introduced?"]


def _synthetic_seeds(squad: Path, sentences: int, folder: Path) -> tuple[Path, list[str]]:
    records, questions = squad_data.load(squad)
    make_corpus(records, sentences, folder)
    return folder, [q.text for q in questions if 3 <= len(q.text) <= 300]


async def _measure(corpus, questions: list[str], concurrency: int) -> dict:
    from bot.discord.client import VerbatimBot
    from bot.settings import Settings
    from tests.fake_discord import TOKEN, FakeDiscord, running

    fake = await FakeDiscord(heartbeat_interval_ms=5000).start()
    fake.patch_client()
    settings = Settings(
        seeds_dir=corpus.seeds_dir,
        index_dir=corpus.index_dir,
        discord_token=TOKEN,
        dev_guild_id=fake.guild_id,
        cooldown_seconds=0,
    )
    async with running(fake, VerbatimBot(settings, corpus), timeout=30):
        # warm up (first-call costs: imports, caches)
        for q in questions[:3]:
            await fake.wait_final(await fake.slash("ask", question=q, user_id=1), timeout=60)

        async def phase() -> dict:
            finals, acks, abstained = [], [], 0
            sem = asyncio.Semaphore(concurrency)

            async def one(i: int, q: str) -> None:
                nonlocal abstained
                async with sem:
                    inter = await fake.slash("ask", question=q, user_id=100 + i)
                    ack = await fake.wait_callback(inter, timeout=60)
                    final = await fake.wait_final(inter, timeout=60)
                    t0 = fake.injected_at[inter["id"]]
                    acks.append(ack.at - t0)
                    finals.append(final.at - t0)
                    abstained += final.method == "POST"

            started = time.perf_counter()
            await asyncio.gather(*[one(i, q) for i, q in enumerate(questions)])
            wall = time.perf_counter() - started
            return {
                "n": len(finals),
                "p50": percentile(finals, 50),
                "p95": percentile(finals, 95),
                "max": max(finals),
                "ack_p95": percentile(acks, 95),
                "abstained": abstained,
                "mean": statistics.fmean(finals),
                "wall": wall,
            }

        # The timeline and entity index are saved with the index: nothing is built in the
        # background after a start any more, so the phases differ only by warm caches.
        starting = await phase()
        return {"starting": starting, "warm_s": 0.0, "warm": await phase()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.discord_latency", description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=0, help="also a synthetic corpus of about N sentences")
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--squad", type=Path, default=DEFAULT_SQUAD)
    parser.add_argument("--keep", type=Path, default=None, help="build/reuse the synthetic index under this folder")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    sys.path.insert(0, str(ROOT))  # tests.fake_discord

    from index.corpus import Corpus

    rng = random.Random(7)
    rows = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        seeds = tmp / "seeds"
        shutil.copytree(ROOT / "seeds", seeds)
        corpus = Corpus.open(seeds, tmp / "seed-index")
        questions_seed = SEED_QUESTIONS + EXTRA_QUESTIONS
        questions = [questions_seed[i % len(questions_seed)] for i in range(args.questions)]
        rows.append(("seeds", corpus.stats(), asyncio.run(_measure(corpus, questions, args.concurrency))))
        if args.sentences:
            base = args.keep or tmp
            print(
                f"building a synthetic corpus of about {args.sentences:,} sentences (this may take a few minutes)...",
                file=sys.stderr,
            )
            big_seeds, squad_questions = _synthetic_seeds(args.squad, args.sentences, base / f"squad-{args.sentences}")
            started = time.perf_counter()
            big = Corpus.open(big_seeds, base / f"squad-{args.sentences}-index", progress=True)
            print(f"index ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)
            questions = rng.sample(squad_questions, min(args.questions, len(squad_questions)))
            rows.append(
                (
                    f"squad x{math.ceil(args.sentences / SQUAD_SENTENCES)}",
                    big.stats(),
                    asyncio.run(_measure(big, questions, args.concurrency)),
                )
            )

    print()
    print(f"/ask latency on loopback (INTERACTION_CREATE -> final reply), concurrency {args.concurrency}")
    print("phase: 'starting' = right after the start; 'warm' = the same questions again (the layers")
    print("are saved with the index: nothing is built in the background)")
    header = (
        f"{'corpus':<14}{'sentences':>12}{'phase':>16}{'questions':>11}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'max ms':>9}{'ack p95':>9}{'abstain':>9}"
    )
    print(header)
    print("-" * len(header))
    for name, stats, both in rows:
        for label, r in (("starting", both["starting"]), ("warm", both["warm"])):
            if label == "warm":
                label = f"warm (+{both['warm_s']:.0f} s)"
            print(
                f"{name:<14}{stats['passages']:>12,}{label:>16}{r['n']:>11}{r['p50'] * 1000:>9.1f}"
                f"{r['p95'] * 1000:>9.1f}{r['max'] * 1000:>9.1f}{r['ack_p95'] * 1000:>9.1f}{r['abstained']:>9}"
            )
    goal = all(r["p95"] < 0.250 for _, _, both in rows for r in (both["starting"], both["warm"]))
    print(f"\ngoal p95 < 250 ms: {'met' if goal else 'NOT met'}")
    return 0 if goal else 1


if __name__ == "__main__":
    raise SystemExit(main())
