"""Round 20 (qa20): a desk that changes the articles from the command line while the bot runs.

`python -m bot ingest` (or `remove`, `index build`) commits a new index generation; the bot used
to go on answering from the one it opened until its own next change or a restart, so a story
just ingested from the terminal got "No word of the question occurs in the articles" in Discord
and `/about` gave the old counts. The bot now looks at the index folder every
`index_tick` seconds and swaps in what another writer committed (loaded, never built),
carrying the conversations over as after its own changes. Real bot, fake Discord.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.discord.client import VerbatimBot
from index.corpus import Corpus
from tests.conftest import SEED
from tests.fake_discord import ADMIN_ID, FakeDiscord, embed_text, plain, running

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(90)]

KEEPER = (
    b"---\ntitle: Lighthouse keeper retires\ndate: 2026-11-25\n---\n"
    b"The Grayport lighthouse keeper, Olaf Brandt, retired on Wednesday after forty years.\n"
)
_users = itertools.count(90_000)


async def _reopened(bot: VerbatimBot, before: Corpus) -> None:
    """Wait (up to 5 s) for the bot to swap in another writer's commit."""
    for _ in range(50):
        if bot.corpus is not before:
            return
        await asyncio.sleep(0.1)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def desk(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("other-writer")
    seeds = tmp / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)
    fake = await FakeDiscord(heartbeat_interval_ms=500).start()
    fake.patch_client()
    settings = fake.settings(seeds, tmp / "index", cooldown_seconds=0)
    corpus = await asyncio.to_thread(Corpus.open, seeds, tmp / "index")
    bot = VerbatimBot(settings, corpus)
    bot.index_tick = 0.2
    async with running(fake, bot):
        yield fake, bot, tmp


async def _cli_ingest_keeper(bot: VerbatimBot, tmp: Path) -> None:
    """Another process's writer (the CLI's `ingest`), its own Corpus on the same folders, adds the
    keeper's article; wait for the bot, which looks every index_tick seconds, to take it."""
    keeper = tmp / "keeper.md"
    keeper.write_bytes(KEEPER)
    await asyncio.to_thread(lambda: Corpus.open(tmp / "seeds", tmp / "index").add_files([keeper]))
    for _ in range(50):
        if bot.corpus.article_count() == 2:
            return
        await asyncio.sleep(0.1)


async def _ask(fake: FakeDiscord, question: str, user: int) -> str:
    final = await fake.wait_final(await fake.slash("ask", question=question, user_id=user), 20)
    return plain(embed_text(final.message_payload))


async def test_an_article_ingested_from_the_command_line_is_answered_in_discord(desk):
    fake, bot, tmp = desk
    user = next(_users)
    assert "July 10" in await _ask(fake, "When does the ban take effect?", user)
    await _cli_ingest_keeper(bot, tmp)
    assert "Olaf Brandt, retired on Wednesday" in await _ask(fake, "When did the lighthouse keeper retire?", user)
    about = await fake.wait_final(await fake.slash("about", user_id=user), 20)
    assert re.search(r"Articles\n2\b", embed_text(about.message_payload))


async def test_a_conversation_goes_on_in_the_index_another_writer_committed(desk):
    fake, bot, tmp = desk
    if bot.corpus.article_count() == 1:  # run alone, without the test above that ingests it
        await _cli_ingest_keeper(bot, tmp)
    user = next(_users)
    assert "Olaf Brandt" in await _ask(fake, "Who is the lighthouse keeper?", user)

    def cli_remove() -> None:
        Corpus.open(tmp / "seeds", tmp / "index").remove([SEED.stem])

    before = bot.corpus
    await asyncio.to_thread(cli_remove)
    await _reopened(bot, before)
    assert bot.corpus.article_count() == 1
    text = await _ask(fake, "when did he retire?", user)
    assert "retired on Wednesday" in text and "follow-up" in text


async def test_an_index_the_bot_cannot_read_is_said_once_and_the_next_one_is_taken(desk, monkeypatch, caplog):
    """A generation whose saved layers fail to load is not retried every tick (one warning);
    the bot answers from its own meanwhile, and takes the next commit."""
    fake, bot, tmp = desk
    real = Corpus.prepare_layers
    broken: list[object] = []

    def prepare(self: Corpus) -> None:
        if not broken:
            broken.append(self.saved.path)
            raise ValueError("a saved layer is unreadable")
        real(self)

    monkeypatch.setattr(Corpus, "prepare_layers", prepare)
    before = bot.corpus
    first = tmp / "first.md"
    first.write_bytes(KEEPER.replace(b"Lighthouse keeper retires", b"Harbour reopens").replace(b"keeper", b"pilot"))
    await asyncio.to_thread(lambda: Corpus.open(tmp / "seeds", tmp / "index").add_files([first]))
    await asyncio.sleep(1.5)  # several ticks
    assert broken and bot.corpus is before
    assert sum("cannot be read" in r.getMessage() for r in caplog.records) == 1
    second = tmp / "second.md"
    second.write_bytes(b"---\ntitle: Ferry\ndate: 2026-11-26\n---\nThe Kellen ferry sails again on Friday.\n")
    await asyncio.to_thread(lambda: Corpus.open(tmp / "seeds", tmp / "index").add_files([second]))
    await _reopened(bot, before)
    assert bot.corpus.article_count() == before.article_count() + 2


_HOLD_WRITER_LOCK = """
import sys
from index.search.writer_lock import writer_lock
with writer_lock(sys.argv[1]):
    print("held", flush=True)
    sys.stdin.read()
"""


@contextlib.contextmanager
def _cli_holding_the_writer_lock(index_dir: Path) -> Iterator[None]:
    """Another process (a CLI's `index build`) holds the index's writer lock until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_WRITER_LOCK, str(index_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.communicate("", timeout=10)


async def test_an_ingest_waiting_for_a_command_line_build_says_so(desk):
    """Round 21 (qa21): while `python -m bot index build` (or a CLI's reindex) held the index's
    writer lock, `/ingest` and `/remove` showed "thinking…" until it ended (minutes on a large
    collection) without the "Waiting for another writer" that an `ingest` holding the seeds
    folder gets: only the seeds folder's lock said so. Now either lock does."""
    fake, bot, tmp = desk
    with _cli_holding_the_writer_lock(tmp / "index"):
        tide = b"---\ntitle: Tide\ndate: 2026-11-26\n---\nThe spring tide reached the quay wall on Thursday.\n"
        inter = await fake.slash("ingest", admin=True, user_id=ADMIN_ID, attachments={"file": ("tide.md", tide)})

        def waiting() -> bool:
            return any(
                "Waiting for another writer" in (r.body or {}).get("content", "") for r in fake.requests_for(inter)
            )

        await fake.wait_for(lambda: waiting() or None, 10)
    final = await fake.wait_for(
        lambda: next(
            (r for r in fake.requests_for(inter) if "Added 1 article" in (r.body or {}).get("content", "")), None
        ),
        30,
    )
    assert "(tide)" in final.body["content"]


async def test_timeline_pages_turned_after_the_articles_changed_say_so(desk):
    """Round 21 (qa21): the pages of a `/timeline` are made when it is asked; after a correction
    (`ingest --replace`), a removal or a feed's update, Previous/Next went on showing the events
    as they were, the corrected sentence and the removed article's included, with nothing to
    tell. A page turned after the index changed now says so and how to get the current one."""
    fake, bot, tmp = desk
    user = next(_users)
    log = tmp / "harbour-log.md"
    days = "".join(f"The harbour log names a storm on November {day}, 2026.\n" for day in range(1, 13))
    log.write_text(f"---\ntitle: Harbour log\ndate: 2026-11-20\n---\n{days}", encoding="utf-8")
    before = bot.corpus
    await asyncio.to_thread(lambda: Corpus.open(tmp / "seeds", tmp / "index").add_files([log], replace=True))
    await _reopened(bot, before)
    inter = await fake.slash("timeline", user_id=user)
    first = await fake.wait_final(inter, 20)
    next_id = [c for row in first.body["components"] for c in row["components"]][1]["custom_id"]
    message = fake.originals[inter["token"]]
    page2 = await fake.wait_final(await fake.click(message, next_id, user_id=user), 20)
    assert "changed since" not in (page2.body["data"].get("content") or "")
    before = bot.corpus
    tide = tmp / "tide.md"
    tide.write_bytes(
        b"---\ntitle: Tide\ndate: 2026-11-26\n---\nThe spring tide flooded the Grayport quay on Thursday.\n"
    )
    await asyncio.to_thread(lambda: Corpus.open(tmp / "seeds", tmp / "index").add_files([tide], replace=True))
    await _reopened(bot, before)
    prev_id = [c for row in first.body["components"] for c in row["components"]][0]["custom_id"]
    back = await fake.wait_final(await fake.click(message, prev_id, user_id=user), 20)
    said = back.body["data"].get("content") or ""
    assert "changed since" in said and "/timeline" in said, back.body


async def test_a_reindex_waiting_for_a_command_line_build_says_so(desk):
    """Round 21 (qa21): `/reindex` while a CLI's `index build` held the writer lock showed
    "thinking…" until the build ended, as `/ingest` did; it now says it waits, then reindexes."""
    fake, _, tmp = desk
    with _cli_holding_the_writer_lock(tmp / "index"):
        inter = await fake.slash("reindex", admin=True, user_id=ADMIN_ID)

        def said(words: str) -> bool:
            return any(words in (r.body or {}).get("content", "") for r in fake.requests_for(inter))

        await fake.wait_for(lambda: said("Waiting for another writer") or None, 10)
    await fake.wait_for(lambda: said("Reindexed:") or None, 30)
