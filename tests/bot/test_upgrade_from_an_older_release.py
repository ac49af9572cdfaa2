"""Round 27 (upgrade27): an operator upgrades. An index built and served by the release before
this one (29d8582: `RECOGNISER_VERSION` 25) is opened by this code through the CLI and the bot.

The fixture, `tests/data/upgrade/index_29d8582.tar.gz` (9 KB), was made by that release's own
code (`git archive 29d8582`, main's built `.so` files) with `make_index_29d8582.sh` beside it:
two seed articles, an index build, `ingest` of two articles, `remove` of one of them, `follow`
of a feed. It is committed rather than built in the test: building it needs the old code's
archive, its compiled kernels and a git checkout, none of which a test run can count on.

Expected: what is stale is rebuilt once (one log line says why), nothing is lost (every
article, the removal, the feed), answers and entities are this release's (the same as a fresh
build by this code: the old recogniser typed "Stuttgart" in "Hamburg 2 Stuttgart 1" a place,
this one a club), and the next start rebuilds nothing.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import tarfile
from pathlib import Path

import pytest

from bot.cli import main
from bot.discord.client import VerbatimBot
from bot.settings import Settings
from index.corpus import Corpus
from tests.fake_discord import TOKEN, FakeDiscord, embed_text, running

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "upgrade" / "index_29d8582.tar.gz"
HARBOUR = "When will the harbour festival move?"
COMMANDS = (
    ("ask", HARBOUR),
    ("ask", "Who finished the bridge repairs?"),
    ("ask", "When will the Westfield library close?"),  # the removed article's only sentence
    ("entities", "--json"),
    ("timeline", "--json"),
    ("source", "bridge"),
    ("feeds",),
)


def _unpack(into: Path) -> tuple[Path, Path]:
    """The old release's seeds and index folders, unpacked under `into`."""
    with tarfile.open(FIXTURE) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later: no path leaves `into`
            tar.extractall(into, filter="data")
        else:  # pragma: no cover - our own committed fixture
            tar.extractall(into)
    return into / "seeds", into / "index"


def _builds(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("index: building")]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    monkeypatch.chdir(tmp_path)  # no developer .env leaks in
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)

    def _run(seeds: Path, index: Path, *args: str) -> tuple[int, str]:
        code = main(["--seeds", str(seeds), "--index-dir", str(index), *args])
        out = capsys.readouterr()
        assert "Traceback" not in out.err, out.err
        return code, out.out

    return _run


def test_an_index_of_the_release_before_is_rebuilt_once_and_loses_nothing(cli, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="verbatim.index")
    seeds, index = _unpack(tmp_path / "old")
    fresh = tmp_path / "fresh"
    shutil.copytree(seeds, fresh / "seeds")

    code, stats = cli(seeds, index, "index", "stats")
    assert code == 0 and "articles: 3" in stats, stats
    built = _builds(caplog)
    # the old release read articles as `ARTICLES_VERSION` 6 (fix28 made it 7: a date line under a
    # byline), so its whole index is rebuilt; before that only its layers were ('recogniser': '25')
    assert len(built) == 1 and "article_reading changed ('6' -> '7')" in built[0], built

    caplog.clear()
    upgraded = [cli(seeds, index, *command) for command in COMMANDS]
    assert _builds(caplog) == [], "the second start rebuilt"
    expected = [cli(fresh / "seeds", fresh / "index", *command) for command in COMMANDS]
    assert upgraded == expected  # this release's answers, entities and timeline, not the old layers'

    answer, bridge, withdrawn, entities, _, source, feeds = (out for _, out in upgraded)
    assert "August 14" in answer and "Tom Baker" in bridge
    assert "Westfield" not in withdrawn  # the removal stays removed
    assert '"Stuttgart"' in entities and '"ORG"' in entities.split('"Stuttgart"')[1].split("}")[0]
    assert "Bridge repairs finish early" in source
    assert "https://news.example.org/feed.xml" in feeds  # the followed feed is still followed

    # a writer after the upgrade: the rebuilt index is updated, not rebuilt again
    caplog.clear()
    late = tmp_path / "late.md"
    late.write_text("---\ntitle: Late news\n---\nThe Riverton ferry will run every hour from Saturday.\n")
    assert cli(seeds, index, "ingest", str(late))[0] == 0
    assert cli(seeds, index, "remove", "harbour")[0] == 0
    assert _builds(caplog) == []
    code, stats = cli(seeds, index, "index", "stats")
    assert "articles: 3" in stats
    assert "every hour" in cli(seeds, index, "ask", "How often will the ferry run?")[1]


@pytest.mark.asyncio
@pytest.mark.timeout(90)
async def test_the_bot_started_on_an_index_of_the_release_before_answers_with_this_release(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="verbatim.index")
    seeds, index = _unpack(tmp_path)
    fake = await FakeDiscord(heartbeat_interval_ms=500).start()
    fake.patch_client()
    settings = Settings(seeds_dir=seeds, index_dir=index, discord_token=TOKEN, dev_guild_id=fake.guild_id)
    corpus = await asyncio.to_thread(Corpus.open, seeds, index)
    assert len(_builds(caplog)) == 1
    async with running(fake, VerbatimBot(settings, corpus)):
        answer = await fake.wait_final(await fake.slash("ask", question=HARBOUR, user_id=1), timeout=20)
        assert "August 14" in embed_text(answer.message_payload)
        entity = await fake.wait_final(await fake.slash("entity", name="Stuttgart", user_id=2), timeout=20)
        text = embed_text(entity.message_payload).replace("**", "")
        assert "Stuttgart" in text and "Hamburg 2 Stuttgart 1" in text, text
    caplog.clear()
    again = await asyncio.to_thread(Corpus.open, seeds, index)
    assert _builds(caplog) == [] and len(again.articles()) == 3
