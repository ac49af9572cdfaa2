"""SIGTERM is a graceful shutdown: `python -m bot serve` in a subprocess against the fake Discord.

The search is slowed down (in the launcher) so that an /ask and a mention are in flight when
SIGTERM arrives: both must still be answered, commands, mentions and button clicks arriving after
SIGTERM get the polite "restarting" reply, the client closes the gateway, the exit code is 0 and the saved
index opens without a rebuild afterwards.
"""

from __future__ import annotations

import asyncio
import shutil
import signal
import time
from pathlib import Path

import pytest

from bot.discord.client import RESTARTING
from index.corpus import Corpus
from tests.fake_discord import TOKEN, FakeDiscord, embed_text
from tests.reliability_launcher import launch

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(60)]

ROOT = Path(__file__).resolve().parents[3]
SLOW = 2.5


async def test_sigterm_finishes_in_flight_answers_and_exits_0(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    index = tmp_path / "index"
    await asyncio.to_thread(Corpus.open, seeds, index)  # built before: the bot must not rebuild it
    fake = await FakeDiscord(heartbeat_interval_ms=1000).start()
    proc = await launch(fake, seeds, index, str(SLOW), token=TOKEN, COOLDOWN_SECONDS="0")
    try:
        await asyncio.wait_for(fake.ready.wait(), 30)
        await fake.wait_for(lambda: fake.guild_commands.get(str(fake.guild_id)), 10)
        inflight = await fake.slash("ask", question="When does the ban take effect?", user_id=1)
        mention = await fake.mention("when does the ban take effect?", user_id=2)
        ack = await fake.wait_callback(inflight, timeout=10)
        assert ack.body["type"] == 5
        await asyncio.sleep(0.3)  # the mention is being answered too (the search takes SLOW s)
        assert fake.final(inflight) is None and not fake.replies_to(mention)
        proc.send_signal(signal.SIGTERM)
        sigterm_at = time.monotonic()
        await asyncio.sleep(0.3)
        late = await fake.slash("ask", question="What is model distillation?", user_id=3)
        late_mention = await fake.mention("what is model distillation?", user_id=4)
        cid = "verbatim:ctx:0"  # "More context" under an answer sent before the restart
        button = {"type": 1, "components": [{"type": 2, "style": 2, "label": "More context", "custom_id": cid}]}
        late_click = await fake.click(fake.message_payload({"content": "", "components": [button]}), cid, user_id=5)
        click_reply = await fake.wait_callback(late_click, timeout=10)
        assert click_reply.body["data"]["content"] == RESTARTING and click_reply.body["data"]["flags"] & 64
        late_final = await fake.wait_final(late, timeout=10)
        assert late_final.body["data"]["content"] == RESTARTING and late_final.body["data"]["flags"] & 64
        assert (await fake.wait_reply(late_mention, timeout=10)).body["content"] == RESTARTING
        final = await fake.wait_final(inflight, timeout=15)
        assert "take effect July 10" in embed_text(final.message_payload).replace("**", "")
        reply = await fake.wait_reply(mention, timeout=15)
        assert "take effect July 10" in embed_text(reply.body).replace("**", "")
        rc = await asyncio.wait_for(proc.wait(), 30)
        _, err = await proc.communicate()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await fake.stop()
    stderr = err.decode(errors="replace")
    assert rc == 0, stderr
    assert time.monotonic() - sigterm_at < 25
    assert "Traceback" not in stderr and "closed cleanly" in stderr
    assert fake._ws is None or fake._ws.closed  # the client closed the gateway
    # the index is intact: it opens without a rebuild, and no half-written folder is left next to it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index", "seeds"]
    reopened = await asyncio.to_thread(Corpus.open, seeds, index)
    assert reopened.stats()["articles"] >= 1
