"""Long citations in Discord: the quote is the answer, so a citation never squeezes it.

Feed items often carry links of 300 characters and more (an aggregator's redirect with its
tracking query) and wire headlines can run long; with `/ask count:10` each quote's block has
about 400 characters, and the citation (title, author, date, `[link](url)`, id) took them
first: every quote was cut to its first 40 characters ("The **lighthouse** keeper…"), the
"More context" sentences to 30. End to end against the fake Discord.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from pathlib import Path

import pytest
import pytest_asyncio

from bot.discord.client import VerbatimBot
from index.corpus import Corpus
from tests.fake_discord import FakeDiscord, custom_ids, embed_text, plain, running

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(90)]

TOWNS = ["Arden", "Bexley", "Corran", "Dunmore", "Elford", "Farley", "Glenholt", "Harwick", "Islay", "Jarrow"]
SENTENCES = [
    f"The lighthouse keeper of {town} said the lamp was relit on {n + 1} March after storm repairs costing "
    f"{n + 2},000 pounds."
    for n, town in enumerate(TOWNS)
]
LINK = "https://news.example.com/rss/articles/" + "CBMi" + "a1B2c3D4e5" * 30 + "?oc=5&hl=en-GB&gl=GB&ceid=GB:en"
_users = itertools.count(90_000)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def desk(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("long_citations")
    seeds = tmp / "seeds"
    seeds.mkdir()
    records = [
        {
            "id": f"lighthouse-{n}",
            "title": f"{town} lighthouse relit after storm: keepers, coastguard and harbour board agree on repairs "
            "as the county counts the cost of the winter's worst gales in forty years",
            "author": "Coastal Desk",
            "date": "2026-03-20",
            "url": LINK + f"&n={n}",
            "text": sentence,
        }
        for n, (town, sentence) in enumerate(zip(TOWNS, SENTENCES, strict=True))
    ]
    (seeds / "lighthouses.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    fake = await FakeDiscord(heartbeat_interval_ms=500).start()
    fake.patch_client()
    settings = fake.settings(seeds, tmp / "index", cooldown_rate=50, cooldown_seconds=60)
    corpus = await asyncio.to_thread(Corpus.open, seeds, tmp / "index")
    async with running(fake, VerbatimBot(settings, corpus)) as bot:
        yield fake, bot


def _quotes(description: str) -> list[str]:
    return [plain(line[2:]) for line in description.split("\n") if line.startswith("> ")]


async def test_ten_quotes_with_long_links_and_titles_are_shown_whole(desk):
    fake, _ = desk
    inter = await fake.slash(
        "ask", question="When was the lighthouse lamp relit after the storm repairs?", count=10, user_id=next(_users)
    )
    final = await fake.wait_final(inter, timeout=20)
    description = final.body["embeds"][0]["description"]
    quotes = _quotes(description)
    assert len(quotes) == 10, description
    assert sorted(quotes) == sorted(SENTENCES), quotes  # each quote whole, none cut to its first words
    assert description.count("lighthouse-") == 10  # each still cites its article's id

    [cid] = [c for c in custom_ids(final.body) if c.startswith("verbatim:ctx:")]
    click = await fake.click(fake.originals[inter["token"]], cid, user_id=next(_users))
    reply = await fake.wait_final(click)
    shown = plain(embed_text(reply.body["data"]))
    for sentence in SENTENCES:
        assert sentence in shown, shown  # "More context" shows each quoted sentence whole too


async def test_a_short_link_is_still_cited_in_full(desk, tmp_path: Path):
    """What fits is not shortened: one quote keeps its title, author, date and link."""
    fake, _ = desk
    inter = await fake.slash("ask", question="When was the Arden lighthouse relit?", count=1, user_id=next(_users))
    final = await fake.wait_final(inter, timeout=20)
    description = plain(final.body["embeds"][0]["description"])
    assert SENTENCES[0] in description
    assert "Arden lighthouse relit after storm: keepers, coastguard and harbour board agree" in description
    assert "forty years" in description and "[link](" in description and "Coastal Desk" in description
