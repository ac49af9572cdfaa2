"""Permissions: /reindex and /ingest let no one else in, by any path, and uploads stay in seeds/.

Every test checks the effect, not only the reply: the corpus object (a reindex swaps it), the
saved index files and the seeds folder must be exactly as before a refused attempt.
"""

from __future__ import annotations

import asyncio
import itertools
import shutil
from pathlib import Path

import pytest
import pytest_asyncio

from bot.discord.client import VerbatimBot
from bot.settings import Settings
from index.corpus import Corpus
from tests.fake_discord import TOKEN, FakeDiscord, embed_text, running

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(60)]

ROOT = Path(__file__).resolve().parents[3]
ADMIN_ID = 777
REFUSAL = "only the server's admins"
ARTICLE = (
    b"---\ntitle: Quokka census\ndate: 2026-07-20\n---\nThe quokka census counted nine hundred quokkas on Friday.\n"
)
_users = itertools.count(50_000)


class Env:
    def __init__(self, fake, bot, root: Path, seeds: Path, index: Path):
        self.fake, self.bot, self.root, self.seeds, self.index = fake, bot, root, seeds, index

    def snapshot(self) -> tuple:
        """The corpus object and every file (path, size, mtime) under the test folder."""
        files = sorted(
            (str(p.relative_to(self.root)), p.stat().st_size, p.stat().st_mtime_ns)
            for p in self.root.rglob("*")
            if p.is_file()
        )
        return id(self.bot.corpus), files

    def cdn_requests(self) -> list:
        return [r for r in self.fake.requests if r.path.startswith("/cdn/")]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def env(tmp_path_factory):
    root = tmp_path_factory.mktemp("perm")
    seeds, index = root / "seeds", root / "index"
    shutil.copytree(ROOT / "seeds", seeds)
    fake = await FakeDiscord(heartbeat_interval_ms=1000).start()
    fake.patch_client()
    settings = Settings(
        seeds_dir=seeds,
        index_dir=index,
        discord_token=TOKEN,
        dev_guild_id=fake.guild_id,
        admin_ids=frozenset({ADMIN_ID}),
        cooldown_seconds=0,
        max_upload_bytes=10_000,
    )
    corpus = await asyncio.to_thread(Corpus.open, seeds, index)
    async with running(fake, VerbatimBot(settings, corpus)) as bot:
        yield Env(fake, bot, root, seeds, index)


async def test_slash_reindex_and_ingest_refused_for_non_admins(env):
    fake = env.fake
    before, downloads = env.snapshot(), len(env.cdn_requests())
    inter = await fake.slash("reindex", user_id=next(_users))
    final = await fake.wait_final(inter)
    assert final.body["data"]["flags"] & 64 and REFUSAL in final.body["data"]["content"]
    inter = await fake.slash("ingest", user_id=next(_users), attachments={"file": ("quokka.md", ARTICLE)})
    final = await fake.wait_final(inter)
    assert final.body["data"]["flags"] & 64 and REFUSAL in final.body["data"]["content"]
    await asyncio.sleep(0.3)
    assert env.snapshot() == before
    assert len(env.cdn_requests()) == downloads  # the attachment was never downloaded


async def test_forged_component_ids_cannot_reach_admin_actions(env):
    """No admin action has a button; forged ids for one are ignored, and a forged
    "More context" id with passages that do not exist gets a polite private reply."""
    fake = env.fake
    before = env.snapshot()
    ask = await fake.slash("ask", question="When does the ban take effect?", user_id=next(_users))
    await fake.wait_final(ask)
    message = fake.originals[ask["token"]]
    forged = [
        "verbatim:reindex",
        "verbatim:admin:reindex",
        "verbatim:ingest",
        "reindex",
        "ingest",
        "verbatim:ctx:reindex",
        "verbatim:tl:reindex",
    ]

    def carrying(cid: str) -> dict:  # the message as a modified client would present it
        button = {"type": 2, "style": 2, "label": "x", "custom_id": cid}
        return {**message, "components": [{"type": 1, "components": [button]}]}

    clicks = [await fake.click(carrying(cid), cid, user_id=next(_users)) for cid in forged]
    bogus_id = "verbatim:ctx:99999999999,123456789"
    bogus = await fake.click(carrying(bogus_id), bogus_id, user_id=next(_users))
    reply = await fake.wait_final(bogus)
    assert reply.body["data"]["flags"] & 64 and "no longer in the index" in reply.body["data"]["content"]
    await asyncio.sleep(0.5)
    for click in clicks:  # discord.py drops unknown ids; whatever happened, nothing was reindexed
        final = fake.final(click)
        assert final is None or "Reindexed" not in embed_text(final.message_payload or {})
    assert env.snapshot() == before


@pytest.mark.parametrize("text", ["/reindex", "reindex", "reindex now please", "/ingest", "!reindex"])
async def test_mention_text_never_reindexes(env, text):
    fake = env.fake
    before = env.snapshot()
    msg = await fake.mention(text, user_id=next(_users))
    reply = await fake.wait_reply(msg)
    assert "Reindexed" not in embed_text(reply.body)
    await asyncio.sleep(0.2)
    assert env.snapshot() == before


async def test_attachments_checked_before_download(env):
    fake = env.fake
    before, downloads = env.snapshot(), len(env.cdn_requests())
    cases = [
        ({"file": ("evil.exe", b"MZ")}, None, ".txt, .md or .jsonl"),
        ({"file": ("article.md.exe", ARTICLE)}, None, ".txt, .md or .jsonl"),
        ({"file": ("noext", ARTICLE)}, None, ".txt, .md or .jsonl"),
        ({"file": ("big.md", b"x" * 10_001)}, None, "the limit is"),
    ]
    for attachments, announce, expected in cases:
        inter = await fake.slash("ingest", user_id=ADMIN_ID, attachments=attachments, announce=announce)
        final = await fake.wait_final(inter)
        assert final.body["data"]["flags"] & 64 and expected in final.body["data"]["content"], final.body
    assert len(env.cdn_requests()) == downloads  # refused before any download
    # a client that lies about the size: reading stops soon after the limit, nothing is saved
    blob = b"y" * 20_000_000
    inter = await fake.slash(
        "ingest", user_id=ADMIN_ID, attachments={"file": ("liar.md", blob)}, announce={"file": {"size": 100}}
    )
    final = await fake.wait_final(inter, timeout=20)
    assert "larger than the limit" in final.body["content"]
    assert env.snapshot() == before
    await asyncio.sleep(0.5)  # let the fake notice the hang-up
    (sent,) = [n for path, n in fake.cdn_sent.items() if path.endswith("/liar.md")]
    assert sent < len(blob) // 2, f"the bot read {sent:,} of {len(blob):,} bytes"


@pytest.mark.parametrize(
    "filename",
    [
        "../escape.md",
        "../../escape2.md",
        "/tmp/abs-escape.md",
        "..\\win-escape.md",
        "sub/dir/../../x-escape.md",
        ".hidden.md",
        "..md",
        "   .md",
    ],
)
async def test_upload_names_cannot_escape_seeds(env, filename):
    fake = env.fake
    outside_before = sorted(p for p in env.root.parent.rglob("*escape*"))
    seeds_before = set(env.seeds.iterdir())
    inter = await fake.slash("ingest", user_id=ADMIN_ID, attachments={"file": (filename, ARTICLE)})
    final = await fake.wait_final(inter, timeout=30)
    added = set(env.seeds.iterdir()) - seeds_before
    assert len(added) <= 1, added
    for path in added:  # a plain, visible file directly in seeds/
        assert path.parent == env.seeds and not path.name.startswith(".") and path.suffix == ".md"
        assert "Added" in final.body["content"]
    if not added:
        assert "Could not add" in final.body["content"]
    assert sorted(p for p in env.root.parent.rglob("*escape*") if p.parent != env.seeds) == [
        p for p in outside_before if p.parent != env.seeds
    ]
    assert not Path("/tmp/abs-escape.md").exists()
    assert not [p for p in env.seeds.iterdir() if p.name.startswith(".")]


async def test_admin_commands_in_dms_need_admin_ids(env):
    """In a DM there is no server to manage: a permissions field claiming every right does not
    make anyone an admin; only ADMIN_IDS does."""
    fake = env.fake
    before, downloads = env.snapshot(), len(env.cdn_requests())
    for name in ("reindex", "ingest"):
        payload = fake._interaction_base(2, next(_users), False)
        for key in ("guild_id", "guild", "member"):
            payload.pop(key)
        payload.update(
            user=fake.user(int(payload["id"]) % 10**9),
            permissions=str((1 << 41) - 1),
            context=1,
            channel={"id": str(fake.channel_id), "type": 1},
        )
        cmd = fake._command(name)
        payload["data"] = {"id": cmd["id"], "name": name, "type": 1, "options": []}
        if name == "ingest":
            aid = str(fake.snowflake())
            payload["data"]["options"] = [{"name": "file", "type": 11, "value": aid}]
            payload["data"]["resolved"] = {
                "attachments": {
                    aid: {
                        "id": aid,
                        "filename": "dm.md",
                        "size": len(ARTICLE),
                        "url": f"{fake.base}/cdn/x/dm.md",
                        "proxy_url": f"{fake.base}/cdn/x/dm.md",
                        "content_type": "text/plain",
                    }
                }
            }
        inter = await fake._inject(payload)
        final = await fake.wait_final(inter)
        assert final.body["data"]["flags"] & 64 and REFUSAL in final.body["data"]["content"], final.body
    assert env.snapshot() == before and len(env.cdn_requests()) == downloads
