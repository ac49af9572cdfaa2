"""The feed worker (bot/feed_worker.py) and batched commits, end to end against the local news
site (tests/feed_server.py): the poll's extraction and indexing happen in another process,
and a poll of many items makes a few commits, not one per item.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time

import pytest

import index.ingest.feeds.extract
from bot import feeds as bot_feeds
from bot.feed_worker import FeedWorker, WorkerSetup
from bot.settings import Settings
from index.corpus import Corpus, feeds
from tests.conftest import SEED
from tests.feed_server import INDEX, NewsSite, item, rss, serve_pages

pytestmark = pytest.mark.timeout(90)


def _in_this_process(*args, **kwargs):
    raise AssertionError("a page was extracted in the bot's process")


@pytest.fixture
def site():
    with NewsSite() as news:
        serve_pages(news)
        yield news


def _follow_feeds(site: NewsSite, seeds, feeds_n: int, items_n: int) -> list[str]:
    """`feeds_n` feeds of `items_n` distinct items (the test pages under several GUIDs)."""
    urls = []
    for f in range(feeds_n):
        entries = [item(INDEX[(f * items_n + i) % len(INDEX)], guid=f"urn:{f}:{i}") for i in range(items_n)]
        site.routes[f"/feed{f}.xml"] = rss(site, entries, title=f"Feed {f}")
        urls.append(site.url(f"/feed{f}.xml"))
        feeds.follow(feeds.feeds_file(seeds), urls[-1], 15)
    return urls


def test_the_worker_polls_and_stores_in_its_own_process(site, tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)
    before = Corpus.open(seeds, tmp_path / "index")
    [url] = _follow_feeds(site, seeds, 1, 3)
    monkeypatch.setattr(index.ingest.feeds.extract, "extract_page", _in_this_process)
    monkeypatch.setattr("index.ingest.feeds.poll.extract_page", _in_this_process)
    worker = FeedWorker(WorkerSetup(seeds, tmp_path / "index", allow_private=True, timeout=5, host_spacing=0))
    try:
        polled: list[feeds.Poll] = []
        starter = threading.Thread(target=lambda: polled.append(worker.poll([url])))  # as the bot: a passing thread
        starter.start()
        starter.join(60)
        [poll] = polled
        assert [s.source for s in poll.stories] == ["page"] * 3  # extracted from the pages, elsewhere
        pid = worker.pid
        assert pid is not None and pid != os.getpid()
        time.sleep(0.5)
        assert worker.pid == pid  # outlives the thread that started it
        stored = worker.store(poll.stories)
        assert (stored.refused, stored.failed, stored.reindex_problem, stored.commits) == ([], [], None, 1)
        after = before.reindex()  # what the bot does: open the generation the worker committed
        assert after.stats()["articles"] == before.stats()["articles"] + 3
        answer = after.answer("Who did Northrop Grumman and EADS defeat for the airtanker contract?", 3)
        assert answer.hits and answer.hits[0].passage.doc_id == poll.stories[0].doc_id

        os.kill(pid, signal.SIGKILL)  # a worker that died is started again on the next request
        time.sleep(0.2)
        again = worker.poll([url])
        assert worker.starts == 2 and worker.pid not in (None, pid)
        assert again.feeds[0].error is None
    finally:
        worker.close()
    assert worker.pid is None


def test_a_poll_of_many_items_is_stored_in_a_few_commits(site, seeds_dir, index_dir, monkeypatch):
    _follow_feeds(site, seeds_dir, 4, 3)
    calls: list[int] = []
    add_files = Corpus.add_files

    def counted(self, files, **kwargs):
        calls.append(len(files))
        return add_files(self, files, **kwargs)

    monkeypatch.setattr(Corpus, "add_files", counted)
    settings = Settings(seeds_dir=seeds_dir, index_dir=index_dir, feeds_allow_private=True, feeds_host_spacing=0)
    corpus, poll = bot_feeds.poll_and_publish(
        lambda: Corpus.open(seeds_dir, index_dir), settings, only_due=False, batch=5
    )
    assert len(poll.stories) == 12 and not [f.error for f in poll.feeds if f.error]
    assert calls == [6, 6]  # a commit once 5 stories wait (after the second feed), then the rest at the end
    assert corpus is not None and all(corpus.story_row(s.doc_id) >= 0 for s in poll.stories)
    saved = feeds.load_feeds(feeds.feeds_file(seeds_dir))
    assert sum(f.added for f in saved.values()) == 12 and all(f.last_poll for f in saved.values())
