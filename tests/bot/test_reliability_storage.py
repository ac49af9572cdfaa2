"""Issue 20, items 4 and 16 in the front ends: `/ingest` and `ingest` never take over an article
id unless asked (and say "replaced" when they do); a full or read-only disk is said in words,
and the CLI and the bot keep answering from the last good index.

The disk is made to fail by patching the one write path (the tests may run as root, for whom
a read-only folder is writable).
"""

from __future__ import annotations

import asyncio
import errno
import json
import shutil
from pathlib import Path

import pytest
import pytest_asyncio

from bot.cli import main
from bot.discord.client import VerbatimBot
from bot.settings import Settings
from index.corpus import Corpus
from index.ingest import files as ingest
from index.ingest.files import storage_problem
from index.search import store
from tests.fake_discord import TOKEN, FakeDiscord, embed_text, running

ROOT = Path(__file__).resolve().parents[2]
ADMIN_ID = 777
BAN = "When does the ban take effect?"


def _full_disk(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def _read_only(*args, **kwargs):
    raise OSError(errno.EROFS, "Read-only file system")


def test_storage_problems_are_said_in_words():
    assert storage_problem(OSError("150232 requested and 48624 written")) == "the disk is full"  # numpy's way
    assert storage_problem(OSError(errno.ENOSPC, "No space left on device")) == "the disk is full"
    assert storage_problem(OSError(errno.EROFS, "Read-only file system")) == "the disk is read-only"


# ---------------------------------------------------------------------- CLI
def _cli(tmp_path: Path) -> list[str]:
    seeds = tmp_path / "seeds"
    if not seeds.exists():
        shutil.copytree(ROOT / "seeds", seeds)
    return ["--seeds", str(seeds), "--index-dir", str(tmp_path / "index")]


def test_cli_keeps_answering_from_the_last_good_index_when_it_cannot_write(tmp_path, monkeypatch, capsys, caplog):
    args = _cli(tmp_path)
    assert main([*args, "index", "build"]) == 0
    (tmp_path / "seeds" / "new.md").write_text("A new article about the harbour festival.\n")
    monkeypatch.setattr(store.GenerationWriter, "commit", _read_only)  # every write of a generation
    capsys.readouterr()
    assert main([*args, "ask", BAN]) == 0
    out, err = capsys.readouterr()
    assert "take effect July 10" in out
    said = err + caplog.text  # what the terminal shows: the CLI's lines and its log's (pytest holds the log)
    assert "could not rebuild the index (the disk is read-only)" in said and "Traceback" not in said
    # round 22 (qa22): said once, not as the log's WARNING line and again as a `warning:` line
    assert said.count("could not rebuild the index") == 1, said
    assert main([*args, "index", "build"]) == 1  # a build that could not be written is a failure


def test_cli_full_disk_without_any_index_says_so_in_words(tmp_path, monkeypatch, capsys):
    args = _cli(tmp_path)
    monkeypatch.setattr(
        store.GenerationWriter,
        "commit",
        lambda *a, **k: (_ for _ in ()).throw(OSError("150232 requested and 48624 written")),
    )
    assert main([*args, "ask", BAN]) == 1
    err = capsys.readouterr().err
    assert "the disk is full" in err and "requested and" not in err


def test_cli_ingest_refuses_a_takeover_and_replaces_when_asked(tmp_path, capsys):
    args = _cli(tmp_path)
    record = {"id": "000_e228878e0c08bf80", "text": "The ban takes effect December 25."}
    upload = tmp_path / "aaa.jsonl"
    upload.write_text(json.dumps(record) + "\n")
    assert main([*args, "ingest", str(upload)]) == 2  # bad input
    out, err = capsys.readouterr()
    assert "already used" in err and "--replace" not in out
    assert main([*args, "ask", BAN]) == 0
    assert "July 10" in capsys.readouterr().out
    assert main([*args, "ingest", "--replace", str(upload)]) == 0
    out = capsys.readouterr().out
    assert "replaced 1 article (000_e228878e0c08bf80): 16 sentences, 6 timeline events, 10 names out; 1 sentence" in out
    assert main([*args, "ask", BAN]) == 0
    assert "December 25" in capsys.readouterr().out


def test_cli_ingest_on_a_full_disk_says_so(tmp_path, monkeypatch, capsys):
    args = _cli(tmp_path)
    upload = tmp_path / "extra.md"
    upload.write_text("An extra article.\n")
    monkeypatch.setattr(ingest, "_temp_file", _full_disk)
    assert main([*args, "ingest", str(upload)]) == 1
    err = capsys.readouterr().err
    assert "not added, the disk is full" in err


# ---------------------------------------------------------------------- Discord
@pytest_asyncio.fixture
async def bot_env(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    fake = await FakeDiscord(heartbeat_interval_ms=500).start()
    fake.patch_client()
    settings = Settings(
        seeds_dir=seeds,
        index_dir=tmp_path / "index",
        discord_token=TOKEN,
        dev_guild_id=fake.guild_id,
        admin_ids=frozenset({ADMIN_ID}),
        cooldown_seconds=0,
    )
    corpus = await asyncio.to_thread(Corpus.open, seeds, tmp_path / "index")
    async with running(fake, VerbatimBot(settings, corpus)) as bot:
        yield fake, bot, seeds


async def _ask(fake: FakeDiscord, user: int) -> str:
    final = await fake.wait_final(await fake.slash("ask", question=BAN, user_id=user), timeout=20)
    return embed_text(final.message_payload).replace("**", "")


@pytest.mark.asyncio
@pytest.mark.timeout(90)
async def test_discord_ingest_takeover_refused_then_replaced_and_storage_errors_in_words(bot_env, monkeypatch):
    fake, bot, seeds = bot_env
    record = json.dumps({"id": "000_e228878e0c08bf80", "text": "The ban takes effect December 25."}).encode()
    inter = await fake.slash("ingest", user_id=ADMIN_ID, attachments={"file": ("aaa.jsonl", record)})
    content = (await fake.wait_final(inter, timeout=30)).body["content"]
    assert "already used" in content and "replace" in content, content
    assert not (seeds / "aaa.jsonl").exists()
    assert "July 10" in await _ask(fake, 1)

    inter = await fake.slash("ingest", user_id=ADMIN_ID, replace=True, attachments={"file": ("aaa.jsonl", record)})
    content = (await fake.wait_final(inter, timeout=30)).body["content"]
    assert content.startswith("Replaced 1 article (000") and "aaa.jsonl" in content and "16 sentences" in content
    assert "December 25" in await _ask(fake, 2)

    monkeypatch.setattr(ingest, "_temp_file", _full_disk)
    inter = await fake.slash("ingest", user_id=ADMIN_ID, attachments={"file": ("more.md", b"More text here.")})
    content = (await fake.wait_final(inter, timeout=30)).body["content"]
    assert "the disk is full" in content and "something went wrong" not in content, content

    monkeypatch.setattr(store.GenerationWriter, "commit", _read_only)  # every write of a generation
    (seeds / "changed.md").write_text("A changed article.\n")
    inter = await fake.slash("reindex", user_id=ADMIN_ID)
    content = (await fake.wait_final(inter, timeout=30)).body["content"]
    assert "Could not rebuild the index: the disk is read-only" in content, content
    assert "December 25" in await _ask(fake, 3)  # still answering from the current index


@pytest.mark.asyncio
@pytest.mark.timeout(60)
async def test_serve_with_an_unreadable_index_says_so_not_the_network(tmp_path, monkeypatch, capsys):
    from bot.discord.client import run_bot

    fake = await FakeDiscord(heartbeat_interval_ms=500).start()
    fake.patch_client()

    def unreadable(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / "index"))

    monkeypatch.setattr(Corpus, "open", unreadable)
    settings = Settings(seeds_dir=tmp_path, index_dir=tmp_path / "index", discord_token=TOKEN)
    try:
        rc = await asyncio.to_thread(run_bot, settings)
    finally:
        await fake.stop()
    err = capsys.readouterr().err
    assert rc == 1 and err.count(str(tmp_path / "index")) == 1, err  # named once (round 27, upgrade27)
    assert "could not open the index: permission denied" in err and "could not reach Discord" not in err, err
