"""Secrets: the bot token never appears in any log line (every logger at DEBUG, discord.py's
included), on stderr, or in anything the bot sends, in a normal run, a run whose token is
rejected, a command that fails, and a SIGTERM shutdown of `python -m bot serve`.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import signal
import subprocess
from pathlib import Path

import discord
import pytest

from bot.discord.client import VerbatimBot, run_bot
from bot.settings import Settings
from tests.fake_discord import FakeDiscord, running
from tests.reliability_launcher import launch

pytestmark = [pytest.mark.timeout(60)]

ROOT = Path(__file__).resolve().parents[3]
SECRET = "MTIzNDU2Nzg5MDEyMzQ1Njc4.CANARY.s3cr3t-t0ken-verbatim-canary-7f3a"
# the parts a careless log line or traceback could show, not only the whole token
FRAGMENTS = (SECRET, "s3cr3t-t0ken-verbatim-canary", "MTIzNDU2Nzg5MDEyMzQ1Njc4.CANARY")


def assert_no_secret(text: str, where: str) -> None:
    for fragment in FRAGMENTS:
        assert fragment not in text, f"the token leaked into {where}"


class Capture(logging.Handler):
    """Every record from every logger, formatted with its traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record) + repr(record.args))


@pytest.fixture
def capture():
    root = logging.getLogger()
    old = root.level
    handler = Capture()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old)


@pytest.mark.asyncio
async def test_token_never_logged_or_sent_in_a_run_with_an_error(tmp_path, capture, capfd):
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    fake = await FakeDiscord(token=SECRET, heartbeat_interval_ms=300).start()
    fake.patch_client()
    settings = Settings(
        seeds_dir=seeds,
        index_dir=tmp_path / "index",
        discord_token=SECRET,
        dev_guild_id=fake.guild_id,
        admin_ids=frozenset({7}),
        cooldown_seconds=0,
    )
    bot = VerbatimBot(settings)  # opens the index itself, as `serve` does
    async with running(fake, bot, SECRET, timeout=20):
        done = [
            await fake.slash("ask", question="When does the ban take effect?", user_id=1),
            await fake.slash("about", user_id=2),
            await fake.slash("reindex", user_id=7),
        ]
        msg = await fake.mention("when does the ban take effect?", user_id=3)
        for inter in done:
            await fake.wait_final(inter, timeout=20)
        await fake.wait_reply(msg)
        real = bot.corpus

        class Broken:
            def __getattr__(self, name):
                return getattr(real, name)

            def answer(self, *args, **kwargs):
                raise RuntimeError(f"failure while settings were {settings.discord!r}")

        bot.corpus = Broken()
        inter = await fake.slash("ask", question="When does the ban take effect?", user_id=4)
        assert "something went wrong" in (await fake.wait_final(inter)).body["content"]
        msg = await fake.mention("when does the ban take effect?", user_id=5)
        assert "went wrong" in (await fake.wait_reply(msg)).body["content"]
        bot.corpus = real
        await asyncio.sleep(0.7)  # a few heartbeats at DEBUG
    logs = "\n".join(capture.lines)
    assert "error in /ask" in logs and "RuntimeError" in logs  # the failure was logged, traceback included
    assert any(line.startswith("discord.") and "DEBUG" in line for line in capture.lines)  # discord.py at DEBUG
    assert_no_secret(logs, "the log")
    out, err = capfd.readouterr()
    assert_no_secret(out + err, "stdout/stderr")
    sent = [repr(r.body) + repr(r.query) + repr(r.headers) + r.path for r in fake.requests]
    assert len(fake.sent_messages()) >= 6
    assert_no_secret("\n".join(sent), "what the bot sent")


def test_rejected_token_run_says_so_without_the_token(tmp_path, capture, capfd, monkeypatch):
    async def start_fake():
        return await FakeDiscord(token="the-right-token").start()

    loop = asyncio.new_event_loop()
    fake = loop.run_until_complete(start_fake())
    fake.patch_client()
    real_setup = discord.utils.setup_logging
    monkeypatch.setattr(discord.utils, "setup_logging", lambda **kw: real_setup(**{**kw, "level": logging.DEBUG}))
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    import threading

    served = threading.Thread(target=loop.run_forever, daemon=True)
    served.start()
    try:
        rc = run_bot(Settings(seeds_dir=seeds, index_dir=tmp_path / "index", discord_token=SECRET))
    finally:
        asyncio.run_coroutine_threadsafe(fake.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        served.join(10)
        for handler in list(logging.getLogger().handlers):  # the stderr handler run_bot added
            if handler is not capture and isinstance(handler, logging.StreamHandler):
                logging.getLogger().removeHandler(handler)
    out, err = capfd.readouterr()
    assert rc == 1 and "rejected" in err
    assert any("discord" in line for line in capture.lines)
    assert_no_secret("\n".join(capture.lines), "the log")
    assert_no_secret(out + err, "stdout/stderr")
    assert_no_secret("\n".join(repr(r.body) + repr(r.headers) + r.path for r in fake.requests), "requests")


def test_serve_subprocess_at_debug_with_sigterm_never_prints_the_token(tmp_path):
    """`python -m bot serve` with every logger at DEBUG, asked a question, then SIGTERM."""

    async def scenario():
        fake = await FakeDiscord(token=SECRET, heartbeat_interval_ms=300).start()
        seeds = tmp_path / "seeds"
        shutil.copytree(ROOT / "seeds", seeds)
        proc = await launch(fake, seeds, tmp_path / "index", token=SECRET, VERBATIM_LAUNCHER_DEBUG="1")
        try:
            await asyncio.wait_for(fake.ready.wait(), 30)
            await fake.wait_for(lambda: fake.guild_commands.get(str(fake.guild_id)), 10)
            inter = await fake.slash("ask", question="When does the ban take effect?", user_id=1)
            await fake.wait_final(inter, timeout=15)
            proc.send_signal(signal.SIGTERM)
            out, err = await asyncio.wait_for(proc.communicate(), 30)
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
            await fake.stop()
        return proc.returncode, out.decode(errors="replace"), err.decode(errors="replace"), fake

    rc, out, err, fake = asyncio.run(scenario())
    assert rc == 0, err
    assert "DEBUG" in err and "discord." in err  # the logs really were at DEBUG
    assert_no_secret(out + err, "the subprocess output")
    assert_no_secret("\n".join(repr(r.body) + repr(r.headers) + r.path for r in fake.requests), "requests")


def test_settings_repr_hides_the_token():
    settings = Settings(discord_token=SECRET)
    for text in (
        repr(settings.discord),
        str(settings.discord),
        settings.discord.model_dump_json(),
        repr(settings.discord.model_dump()),
        repr(vars(settings)),
    ):
        assert_no_secret(text, "the settings' repr")
    assert settings.discord.discord_token.get_secret_value() == SECRET


def test_env_is_ignored_and_the_example_holds_no_token():
    ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=ROOT)
    assert ignored.returncode == 0, ".env is not git-ignored"
    tracked = subprocess.run(["git", "ls-files", ".env"], cwd=ROOT, capture_output=True, text=True)
    assert tracked.stdout.strip() == "", ".env is committed"
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    tokens = [line for line in lines if line.strip().startswith("DISCORD_TOKEN")]
    assert tokens and all(line.split("=", 1)[1].strip() == "" for line in tokens)
