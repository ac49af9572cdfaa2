"""Issue 16 in Discord: `/ingest replace:` and `/remove id:` follow the library's one policy,
end to end against the fake Discord (assertions on what the bot sent, and on what it answers
afterwards: a replaced article answers with its new text, a removed one is no longer answered).
"""

from __future__ import annotations

import asyncio
import fcntl
import itertools
import os
import shutil
import threading
from pathlib import Path

import pytest
import pytest_asyncio

from bot.discord.client import VerbatimBot
from index.corpus import Corpus
from tests.fake_discord import ADMIN_ID, FakeDiscord, custom_ids, embed_text, plain, running

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(90)]

ROOT = Path(__file__).resolve().parents[3]
OLD = (
    b"---\ntitle: Port strike\ndate: 2026-03-02\n---\n"
    b"Dock workers at the Port of Rotterdam will strike on March 9, 2026, the union said.\n"
    b"The strike was called by Marta Vos, who leads the union.\n"
)
NEW = (
    b"---\ntitle: Port strike called off @everyone\ndate: 2026-03-04\n---\n"
    b"Dock workers in Antwerp called off the strike planned for April 14, 2026.\n"
    b"The decision was announced by Pieter Claes, the union's leader.\n"
)
STRIKE = "When is the dock strike?"
_users = itertools.count(70_000)


class Desk:
    def __init__(self, fake: FakeDiscord, bot: VerbatimBot, seeds: Path) -> None:
        self.fake, self.bot, self.seeds = fake, bot, seeds

    async def ask(self, question: str = STRIKE) -> str:
        final = await self.fake.wait_final(await self.fake.slash("ask", question=question, user_id=next(_users)), 20)
        return plain(embed_text(final.message_payload))

    async def admin(self, command: str, **options) -> dict:
        """An admin's command; the body of its final message (content checked against Discord's limits)."""
        final = await self.fake.wait_final(await self.fake.slash(command, user_id=ADMIN_ID, **options), timeout=40)
        body = final.body.get("data", final.body)
        assert len(body.get("content") or "") <= 2000
        allowed = final.body.get("allowed_mentions") or body.get("allowed_mentions")
        assert allowed is not None and allowed["parse"] == [] and not allowed.get("replied_user")
        return body


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def desk(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("desk")
    seeds = tmp / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    (seeds / "strike.md").write_bytes(OLD)
    fake = await FakeDiscord(heartbeat_interval_ms=500).start()
    fake.patch_client()
    settings = fake.settings(seeds, tmp / "index", cooldown_seconds=0)
    corpus = await asyncio.to_thread(Corpus.open, seeds, tmp / "index")
    async with running(fake, VerbatimBot(settings, corpus)) as bot:
        yield Desk(fake, bot, seeds)


async def test_remove_is_for_admins_only_and_suggests_articles(desk):
    fake = desk.fake
    corpus = desk.bot.corpus
    inter = await fake.slash("remove", id="strike", user_id=next(_users))
    final = await fake.wait_final(inter)
    assert final.body["data"]["flags"] & 64 and "only the server's admins" in final.body["data"]["content"]
    assert desk.bot.corpus is corpus and (desk.seeds / "strike.md").exists()
    auto = await fake.wait_final(await fake.autocomplete("remove", "id", id="port", user_id=next(_users)))
    assert auto.body["type"] == 8
    assert [(c["name"], c["value"]) for c in auto.body["data"]["choices"]] == [("Port strike (strike)", "strike")]


async def test_ingest_of_an_existing_id_is_refused_then_replaced_everywhere(desk):
    assert "March 9" in await desk.ask()
    body = await desk.admin("ingest", attachments={"file": ("strike.md", NEW)})
    assert "already used" in body["content"] and "replace:True" in body["content"], body["content"]
    assert sorted(p.name for p in desk.seeds.iterdir()) == ["000_e228878e0c08bf80.txt", "strike.md"]
    assert "March 9" in await desk.ask()

    body = await desk.admin("ingest", replace=True, attachments={"file": ("strike.md", NEW)})
    said = plain(body["content"])
    assert said.startswith("Replaced 1 article (strike): 2 sentences, 1 timeline event, 2 names out; 2 sentences")
    assert "The index now has 2 articles" in said
    answer = await desk.ask()
    assert "April 14" in answer and "March 9" not in answer and "Rotterdam" not in answer
    final = await desk.fake.wait_final(await desk.fake.slash("source", doc="strike", user_id=next(_users)))
    source = plain(embed_text(final.body["data"]))
    assert "Antwerp" in source and "Rotterdam" not in source
    final = await desk.fake.wait_final(
        await desk.fake.slash("timeline", order="oldest", user_id=next(_users)), timeout=20
    )
    timeline = plain(embed_text(final.message_payload))
    assert "April 14" in timeline and "March 9" not in timeline
    assert desk.bot.corpus.entities().get("Marta Vos") is None and desk.bot.corpus.entities().get("Antwerp")


async def test_remove_takes_the_article_out_with_counts(desk, monkeypatch):
    body = await desk.admin("remove", id="nothing-like-this")
    assert "There is no article with the id `nothing-like-this`" in body["content"]
    articles = desk.bot.corpus.stats()["articles"]
    prepared_in: list[threading.Thread] = []
    prepare = Corpus.prepare_layers

    def recording(corpus: Corpus) -> None:
        prepared_in.append(threading.current_thread())
        prepare(corpus)

    monkeypatch.setattr(Corpus, "prepare_layers", recording)
    body = await desk.admin("remove", id="strike")
    # the fresh index's layers are assembled before it is swapped in, never on the event loop
    assert prepared_in and threading.main_thread() not in prepared_in
    said = plain(body["content"])
    assert said.startswith("Removed 1 article (strike): 2 sentences, 1 timeline event, 2 names."), said
    assert f"now has {articles - 1} article" in said
    assert not (desk.seeds / "strike.md").exists() and desk.bot.corpus.stats()["articles"] == articles - 1
    answer = await desk.ask()
    assert "Antwerp" not in answer and "April 14" not in answer and "(strike)" not in answer
    final = await desk.fake.wait_final(await desk.fake.slash("source", doc="strike", user_id=next(_users)))
    assert "There is no article with the id" in final.body["data"]["content"]
    auto = await desk.fake.wait_final(await desk.fake.autocomplete("remove", "id", id="port", user_id=next(_users)))
    assert auto.body["data"]["choices"] == []


async def test_a_change_waits_for_another_writer_says_so_and_then_lands(desk):
    """A CLI holds the writer lock: `/ingest` says it waits, /ask is answered meanwhile, and the
    upload lands once the lock is released.
    """
    fake = desk.fake

    def edits(inter: dict, words: str):
        return next(
            (
                r
                for r in fake.requests_for(inter)
                if r.method == "PATCH" and words in ((r.body or {}).get("content") or "")
            ),
            None,
        )

    fd = os.open(desk.seeds, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another writer, as a CLI ingest would
        upload = ("ferry.md", b"The ferry to Texel leaves at noon.")
        inter = await fake.slash("ingest", user_id=ADMIN_ID, attachments={"file": upload})
        await fake.wait_for(lambda: edits(inter, "Waiting for another writer"), timeout=20)
        assert "July 10" in await desk.ask("When does the ban take effect?")  # readers never wait
        assert edits(inter, "Added") is None and not (desk.seeds / "ferry.md").exists()
    finally:
        os.close(fd)
    done = await fake.wait_for(lambda: edits(inter, "Added 1 article (ferry)"), timeout=40)
    assert "The index now has" in done.body["content"]
    assert "noon" in await desk.ask("When does the ferry to Texel leave?")


async def test_more_context_after_a_change_never_shows_another_sentence(desk):
    """ "More context" under an answer given before the articles changed: the passages it names
    by number are renumbered by a removal and a reindex, so it must show the quoted sentence's
    own context or say the passages changed, never the neighbours of whatever sentence now has
    that number (here the zoo's, which move up into the ferry's numbers)."""
    fake = desk.fake
    articles = {
        "ctx-a-canal.md": b"---\ntitle: Canal works\n---\nThe canal lock at Delft closes in May.\nBarges use the ring canal.\n",
        "ctx-b-ferry.md": b"---\ntitle: Ferry fares\n---\nThe Texel ferry raises its fares on June 1.\nA return costs more.\n",
        "ctx-c-zoo.md": b"---\ntitle: Zoo news\n---\nThe Emmen zoo welcomes two pandas.\nThe pandas arrive by plane.\n",
    }
    for name, data in articles.items():
        inter = await fake.slash("ingest", user_id=ADMIN_ID, attachments={"file": (name, data)})
        assert "Added" in (await fake.wait_final(inter, timeout=40)).body["content"]
    assert "Reindexed" in (await desk.admin("reindex"))["content"]  # the three numbered in name order
    inter = await fake.slash(
        "ask", question="When does the Texel ferry raise its fares?", count=1, user_id=next(_users)
    )
    final = await fake.wait_final(inter, timeout=20)
    assert "Texel ferry raises" in plain(embed_text(final.message_payload))
    [cid] = [c for c in custom_ids(final.body) if c.startswith("verbatim:ctx:")]
    await desk.admin("remove", id="ctx-a-canal")
    assert "Reindexed" in (await desk.admin("reindex"))["content"]
    click = await fake.click(fake.originals[inter["token"]], cid, user_id=next(_users))
    reply = (await fake.wait_final(click)).body["data"]
    shown = plain(embed_text(reply)) + (reply.get("content") or "")
    assert reply["flags"] & 64
    assert "The Texel ferry raises its fares on June 1." in shown or "no longer in the index" in shown, shown
    assert "panda" not in shown.lower() and "canal" not in shown.lower(), shown
