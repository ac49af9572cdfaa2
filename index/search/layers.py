"""The layers saved with the index: entity mentions, timeline events, article suggestions.

Recognising names and tagging dates take minutes at 1M sentences, so they are done once, when
the index is built (one worker process per core, over articles), and saved in the same
generation as the postings: JSON files listed with their size and CRC-32 in the sidecar,
like every other file (see `index.search.store`). A fresh process then answers `entities`,
`entity`, `timeline` and every autocomplete at once.

The work per article goes through the public names only: `entity_index.article_mentions`
(the recogniser, `names.find_mentions`), `entity_index.build_entities` (the merge across
articles) and `timeline.article_events` (the tagger, `time.tag`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from index import names as recogniser
from index import time as tagger
from index.models import Article, Passage
from index.names.entity_index import ENTITY_INDEX_VERSION, EntityIndex, article_mentions, build_entities
from index.search.prefixes import PrefixIndex, word_suffixes
from index.search.workers import pool
from index.time.timeline import TIMELINE_VERSION, article_events

__all__ = [
    "ENTITIES",
    "SUGGESTIONS",
    "TIMELINE",
    "article_keys",
    "compute",
    "load_entities",
    "load_events",
    "load_suggestions",
    "settings",
]

ENTITIES, TIMELINE, SUGGESTIONS = "entities.json", "timeline.json", "articles.json"
PARALLEL_CHARS = 1_000_000  # below this a process pool costs more than it saves

_articles: Sequence[Article] = ()  # set before the pool forks: workers inherit them
_rows: np.ndarray = np.zeros(0)
_first: list[int] = []


def settings() -> dict[str, str]:
    """What saved layers must agree with to be reused (a change rebuilds the index)."""
    return {
        "recogniser": str(recogniser.RECOGNISER_VERSION),
        "tagger": tagger.TAGGER_VERSION,
        "entity_index": ENTITY_INDEX_VERSION,
        "timeline": TIMELINE_VERSION,
    }


def _passages_of(doc: int) -> list[Passage]:
    article = _articles[doc]
    body = article.body
    out = []
    for pid in range(_first[doc], _first[doc + 1]):
        row = _rows[pid]
        start, end, ordinal = int(row["start"]), int(row["end"]), int(row["related_date"])
        out.append(
            Passage(
                pid=pid,
                doc_id=article.doc_id,
                paragraph=int(row["paragraph"]),
                sentence=int(row["sentence"]),
                char_start=start,
                char_end=end,
                text=body[start:end],
                related=bool(row["related"]),
                related_date=dt.date.fromordinal(ordinal).isoformat() if ordinal else None,
            )
        )
    return out


def _work(docs: list[int]) -> list[tuple[list[Any], list[list[Any]]]]:
    """Mentions and event records of some articles (run in a worker)."""
    out = []
    for doc in docs:
        passages = _passages_of(doc)
        article = _articles[doc]
        out.append((article_mentions(article, passages), [e.record() for e in article_events(article, passages)]))
    return out


def _chunks(articles: Sequence[Article], chars: int) -> list[list[int]]:
    out: list[list[int]] = [[]]
    size = 0
    for doc, article in enumerate(articles):
        out[-1].append(doc)
        size += len(article.body)
        if size >= chars:
            out.append([])
            size = 0
    return [c for c in out if c]


def article_keys(article: Article) -> list[str]:
    """What `/source` suggestions match: the id, the title, and the title from each word on."""
    title = " ".join(article.title.casefold().split())
    return [article.doc_id.casefold(), title, *word_suffixes(title)]


def _event_order(rows: np.ndarray, articles: Sequence[Article]) -> Any:
    def key(record: list[Any]) -> tuple[Any, ...]:
        first = min(record[3], key=lambda d: (d[1], d[1] - d[2]))
        row = rows[record[0]]
        return (first[1], first[1] - first[2], articles[int(row["doc"])].doc_id, int(row["sentence"]))

    return key


def _dump(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def compute(
    articles: Sequence[Article], rows: np.ndarray, workers: int | None = None
) -> tuple[dict[str, bytes], dict[str, np.ndarray], dict[str, int]]:
    """The layer files of a build (name -> contents), its arrays, and counts (entities, events).

    `rows` are the passage rows of `index.search.build` (store.PASSAGE_DTYPE), article by article.
    """
    global _articles, _rows, _first
    _articles, _rows = articles, rows
    _first = np.searchsorted(np.asarray(rows["doc"]), np.arange(len(articles) + 1)).tolist()
    total = sum(len(a.body) for a in articles)
    workers = workers or min(os.cpu_count() or 1, 4)
    chunks = _chunks(articles, max(50_000, min(1_000_000, total // (workers * 8) + 1)))
    try:
        if workers > 1 and total > PARALLEL_CHARS and len(chunks) > 1:
            with pool(workers) as executor:
                results = [r for chunk in executor.map(_work, chunks) for r in chunk]
        else:
            results = [r for chunk in chunks for r in _work(chunk)]
        passages = [p for doc in range(len(articles)) for p in _passages_of(doc)]
    finally:
        _articles, _rows, _first = (), np.zeros(0), []
    by_id = {a.doc_id: a for a in articles}
    mentions = {a.doc_id: found for a, (found, _) in zip(articles, results, strict=True)}
    entity_index = build_entities(by_id, passages, mentions)
    records = [record for _, events in results for record in events]
    for record in records:  # the names of each sentence, so that reading the timeline needs no index
        record[4] = entity_index.mentions_in(record[0])
    records.sort(key=_event_order(rows, articles))
    suggestions = PrefixIndex.build(article_keys(a) for a in articles)
    entity_data, arrays = entity_index.to_layer()
    files = {
        ENTITIES: _dump(entity_data),
        TIMELINE: _dump({"version": TIMELINE_VERSION, "events": records}),
        SUGGESTIONS: _dump(suggestions.to_json()),
    }
    return files, arrays, {"entities": len(entity_index), "events": len(records)}


def load_entities(data: bytes, arrays: Mapping[str, np.ndarray]) -> EntityIndex:
    """The saved entity index; ValueError/KeyError/TypeError when it is not one."""
    return EntityIndex.from_layer(json.loads(data), arrays)


def load_events(data: bytes) -> list[list[Any]]:
    """The saved event records, oldest first (see `timeline.Event.record`)."""
    saved = json.loads(data)
    if not isinstance(saved, dict) or saved.get("version") != TIMELINE_VERSION:
        raise ValueError("the timeline layer is of another version")
    events = saved["events"]
    if not isinstance(events, list):
        raise ValueError("the timeline layer holds no list of events")
    return events


def load_suggestions(data: bytes) -> PrefixIndex:
    """The saved `/source` suggestion table."""
    return PrefixIndex.from_json(json.loads(data))
