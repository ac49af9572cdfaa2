"""The event loop's own work between gateway heartbeats, in CPU seconds of the loop's thread.

The load tests once asserted wall-clock gaps between heartbeats, which a busy machine stretches
without the bot doing anything wrong (the process simply waits for a core). What the bot must
never do is hold the loop: work on the loop's thread between two heartbeats is what delays the
next one on any machine, so that is what is measured, and a machine's load does not count.
Work that holds the GIL in another thread is not seen here (the loop waits without spending).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Iterable


class StampedBeats(list[float]):
    """`FakeDiscord.heartbeats` that also keeps the loop thread's CPU time at each heartbeat (the
    fake records a heartbeat on the loop's thread, so `time.thread_time` there is the loop's)."""

    def __init__(self, beats: Iterable[float] = ()) -> None:
        super().__init__(beats)
        self.cpu: list[float | None] = [None] * len(self)

    def append(self, at: float) -> None:
        super().append(at)
        self.cpu.append(time.thread_time())


def stamp_heartbeats(fake) -> StampedBeats:
    """Replace the fake's heartbeat list by a stamped one (earlier beats kept, unstamped)."""
    stamped = StampedBeats(fake.heartbeats)
    fake.heartbeats = stamped
    return stamped


def loop_cpu_gaps(beats: StampedBeats, since: int, cpu_started: float, cpu_ended: float) -> list[float]:
    """The loop thread's CPU seconds between consecutive heartbeats from index `since`, the
    stretch before the first and after the last included (`cpu_*` read on the loop's thread)."""
    cpus = [c for c in beats.cpu[since:] if c is not None and c <= cpu_ended]
    assert cpus, "no heartbeat reached the fake while the load ran"
    return [b - a for a, b in itertools.pairwise([cpu_started, *cpus, cpu_ended])]


async def next_heartbeat(beats: list[float], timeout: float = 20.0) -> None:
    """Wait for one more heartbeat than now: the gateway session is still alive."""
    n = len(beats)
    async with asyncio.timeout(timeout):
        while len(beats) <= n:
            await asyncio.sleep(0.05)
