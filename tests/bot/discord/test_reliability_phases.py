"""Issue 20, items 7, 13 and 17: SIGTERM ends `serve` with exit 0 within 20 s in every phase
(during the start-up index build, during the background timeline build), log lines are
printed once and without discord.py's voice warning, and index-build worker processes do not
outlive a SIGKILLed parent.

`serve` runs in a subprocess via tests/reliability_launcher.py against the fake Discord; the
builds are made slow by the launcher (a sleep before the real work), as a large collection is.
"""

from __future__ import annotations

import asyncio
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from index.corpus import Corpus
from tests.fake_discord import TOKEN, FakeDiscord
from tests.reliability_launcher import launch

pytestmark = [pytest.mark.timeout(90)]

ROOT = Path(__file__).resolve().parents[3]
EXIT_WITHIN = 20.0


async def _serve(tmp_path: Path, fake: FakeDiscord, **slow: str) -> asyncio.subprocess.Process:
    seeds = tmp_path / "seeds"
    if not seeds.exists():
        shutil.copytree(ROOT / "seeds", seeds)
    return await launch(fake, seeds, tmp_path / "index", token=TOKEN, **slow)


async def _wait_for_line(proc: asyncio.subprocess.Process, text: str, timeout: float = 40) -> str:
    """Read stderr until a line holding `text` (returned with the lines before it)."""
    assert proc.stderr is not None
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = (await asyncio.wait_for(proc.stderr.readline(), timeout)).decode(errors="replace")
        seen.append(line)
        if text in line or not line:
            break
    assert any(text in line for line in seen), "".join(seen)
    return "".join(seen)


async def _terminate(proc: asyncio.subprocess.Process) -> tuple[int, float, str]:
    proc.send_signal(signal.SIGTERM)
    started = time.monotonic()
    try:
        rc = await asyncio.wait_for(proc.wait(), 40)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    _, err = await proc.communicate()
    return rc, time.monotonic() - started, err.decode(errors="replace")


@pytest.mark.asyncio
async def test_sigterm_during_the_start_up_build_exits_0_quickly(tmp_path):
    fake = await FakeDiscord(heartbeat_interval_ms=1000).start()
    try:
        proc = await _serve(tmp_path, fake, VERBATIM_LAUNCHER_SLOW_BUILD="60")
        # the bot logs in, then builds the index (no index yet): wait until it is building
        seen = await _wait_for_line(proc, "opening the index")
        await asyncio.sleep(0.5)
        rc, took, err = await _terminate(proc)
        err = seen + err
    finally:
        await fake.stop()
    assert rc == 0, err
    assert took < EXIT_WITHIN, err
    assert "Traceback" not in err and "Session is closed" not in err


@pytest.mark.asyncio
async def test_sigterm_during_the_background_build_exits_0_quickly_and_logs_once(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    await asyncio.to_thread(Corpus.open, seeds, tmp_path / "index")
    fake = await FakeDiscord(heartbeat_interval_ms=1000).start()
    try:
        proc = await _serve(tmp_path, fake, VERBATIM_LAUNCHER_SLOW_WARM="60")
        await asyncio.wait_for(fake.ready.wait(), 30)
        await fake.wait_for(lambda: fake.guild_commands.get(str(fake.guild_id)), 10)
        await asyncio.sleep(1)  # the timeline build is under way (it takes 60 s)
        rc, took, err = await _terminate(proc)
    finally:
        await fake.stop()
    assert rc == 0, err
    assert took < EXIT_WITHIN, err
    assert "Traceback" not in err
    # item 17: every log line once, and no voice warning from a bot that has no voice
    for message in ("index ready", "commands to the dev guild", "shutting down"):
        assert sum(message in line for line in err.splitlines()) == 1, err
    assert "voice will NOT be supported" not in err


WORKER_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from index.search import build
    from index.ingest import sentences
    from index.models import Article

    real = sentences.sentence_rows

    def slow(body, splitter):  # runs in the workers (the build's sentence loop): busy when the parent dies
        time.sleep(60)
        return real(body, splitter)

    sentences.sentence_rows = slow
    sentences.train_splitter = lambda texts, max_chars=0: sentences.default_splitter()  # not what is tested
    build.PARALLEL_CHARS = 0
    # 5 x 50,000 characters: two chunks of at least 200,000, so two workers get work
    articles = [Article(doc_id=str(i), title="t", body="Word and more words. " * 2_400) for i in range(5)]
    print("building", flush=True)
    build.split_and_index(articles, workers=2)
    """
)


def test_build_workers_exit_with_a_killed_parent(tmp_path):
    parent = subprocess.Popen([sys.executable, "-c", WORKER_SCRIPT], cwd=ROOT, stdout=subprocess.PIPE)
    try:
        assert parent.stdout is not None and parent.stdout.readline().strip() == b"building"
        deadline = time.monotonic() + 20
        workers: list[psutil.Process] = []
        while time.monotonic() < deadline and len(workers) < 2:
            time.sleep(0.2)
            workers = psutil.Process(parent.pid).children()
        assert len(workers) >= 2
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        _, alive = psutil.wait_procs(workers, timeout=5)
    finally:
        if parent.poll() is None:
            parent.kill()
    for worker in alive:
        worker.kill()
    assert not alive, "worker processes outlived their SIGKILLed parent"
