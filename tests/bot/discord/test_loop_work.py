"""The load tests' heartbeat measure counts the loop thread's own work, not a busy machine's waits."""

from __future__ import annotations

import time

import pytest

from tests.bot.discord.loop_work import StampedBeats, loop_cpu_gaps


def _burn(cpu_seconds: float) -> None:
    end = time.thread_time() + cpu_seconds
    while time.thread_time() < end:
        pass


def test_work_between_beats_counts_and_waiting_does_not():
    beats = StampedBeats([1.0, 2.0])  # beats from before the stamping are not read
    cpu_started = time.thread_time()
    beats.append(time.monotonic())
    _burn(0.3)  # the loop holding the thread: a heartbeat would be this late on any machine
    beats.append(time.monotonic())
    time.sleep(0.3)  # the thread waiting (for a core, a socket): no work of the bot's
    beats.append(time.monotonic())
    gaps = loop_cpu_gaps(beats, 2, cpu_started, time.thread_time())
    assert len(gaps) == 4 and beats.cpu[:2] == [None, None]
    assert gaps[1] >= 0.3
    assert gaps[2] < 0.1


def test_no_heartbeat_during_the_load_is_a_failure():
    beats = StampedBeats([1.0])
    with pytest.raises(AssertionError, match="no heartbeat"):
        loop_cpu_gaps(beats, 1, time.thread_time(), time.thread_time())
