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
from index.names import Mention
from index.names.entity_index import ENTITY_INDEX_VERSION, EntityIndex, article_mentions, build_entities
from index.search.prefixes import PrefixIndex, word_suffixes
from index.search.workers import pool
from index.time.timeline import TIMELINE_VERSION, article_events

__all__ = [
    "ENTITIES",
    "INPUTS",
    "SUGGESTIONS",
    "TIMELINE",
    "analyse",
    "article_keys",
    "assemble",
    "compute",
    "dump_inputs",
    "load_inputs",
    "load_entities",
    "load_events",
    "load_suggestions",
    "settings",
]

ENTITIES, TIMELINE, SUGGESTIONS = "entities.json", "timeline.json", "articles.json"
INPUTS = "layer_inputs.json"  # per-article mentions and event records of a segment
PARALLEL_CHARS = 1_000_000  # below this a process pool costs more than it saves

_articles: Sequence[Article] = ()  # set before the pool forks: workers inherit them
_rows: np.ndarray = np.zeros(0)
_first: list[int] = []
_cols: list[list[Any]] = []


def settings() -> dict[str, str]:
    """What saved layers must agree with to be reused (a change rebuilds the index)."""
    return {
        "recogniser": str(recogniser.RECOGNISER_VERSION),
        "tagger": tagger.TAGGER_VERSION,
        "entity_index": ENTITY_INDEX_VERSION,
        "timeline": TIMELINE_VERSION,
    }


def _columns(rows: np.ndarray) -> list[list[Any]]:
    """The passage rows as Python lists, column by column (a row at a time is slow with numpy)."""
    return [rows[name].tolist() for name in ("paragraph", "sentence", "start", "end", "related", "related_date")]


def _passages_of(doc: int) -> list[Passage]:
    article = _articles[doc]
    body = article.body
    paragraph, sentence, start, end, related, ordinal = _cols
    out = []
    for pid in range(_first[doc], _first[doc + 1]):
        out.append(
            Passage(
                pid=pid,
                doc_id=article.doc_id,
                paragraph=paragraph[pid],
                sentence=sentence[pid],
                char_start=start[pid],
                char_end=end[pid],
                text=body[start[pid] : end[pid]],
                related=related[pid],
                related_date=dt.date.fromordinal(ordinal[pid]).isoformat() if ordinal[pid] else None,
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


def analyse(
    articles: Sequence[Article], rows: np.ndarray, workers: int | None = None
) -> tuple[list[list[Mention]], list[list[list[Any]]]]:
    """The costly part, per article: the recogniser's mentions and the tagger's event records
    (pids as in `rows`, names not yet filled in). An incremental commit runs it on new articles only.
    """
    global _articles, _rows, _first, _cols
    _articles, _rows, _cols = articles, rows, _columns(rows)
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
    finally:
        _articles, _rows, _first, _cols = (), np.zeros(0), [], []
    return [m for m, _ in results], [e for _, e in results]


def assemble(
    articles: Sequence[Article],
    rows: np.ndarray,
    mentions: Sequence[Sequence[Mention]],
    records: Sequence[Sequence[list[Any]]],
) -> tuple[dict[str, bytes], dict[str, np.ndarray], dict[str, int]]:
    """The layer files of the whole corpus (name -> contents), its arrays, and counts, from the
    per-article results of `analyse` (merging across articles: cheap next to `analyse`).
    """
    global _articles, _rows, _first, _cols
    _articles, _rows, _cols = articles, rows, _columns(rows)
    _first = np.searchsorted(np.asarray(rows["doc"]), np.arange(len(articles) + 1)).tolist()
    try:
        passages = [p for doc in range(len(articles)) for p in _passages_of(doc)]
    finally:
        _articles, _rows, _first, _cols = (), np.zeros(0), [], []
    by_id = {a.doc_id: a for a in articles}
    found = {a.doc_id: list(m) for a, m in zip(articles, mentions, strict=True)}
    entity_index = build_entities(by_id, passages, found)
    flat = [list(record) for events in records for record in events]
    for record in flat:  # the names of each sentence, so that reading the timeline needs no index
        record[4] = entity_index.mentions_in(record[0])
    flat.sort(key=_event_order(rows, articles))
    suggestions = PrefixIndex.build(article_keys(a) for a in articles)
    entity_data, arrays = entity_index.to_layer()
    files = {
        ENTITIES: _dump(entity_data),
        TIMELINE: _dump({"version": TIMELINE_VERSION, "events": flat}),
        SUGGESTIONS: _dump(suggestions.to_json()),
    }
    return files, arrays, {"entities": len(entity_index), "events": len(flat)}


def compute(
    articles: Sequence[Article], rows: np.ndarray, workers: int | None = None
) -> tuple[dict[str, bytes], dict[str, np.ndarray], dict[str, int]]:
    """The layer files of a build (name -> contents), its arrays, and counts (entities, events).

    `rows` are the passage rows of `index.search.build` (store.PASSAGE_DTYPE), article by article.
    """
    mentions, records = analyse(articles, rows, workers)
    return assemble(articles, rows, mentions, records)


def dump_inputs(mentions: Sequence[Sequence[Mention]], records: Sequence[Sequence[list[Any]]]) -> bytes:
    """Per-article mentions and event records as saved in a segment (`analyse`'s results, pids as
    given), so that a later commit merges them without running the recogniser or tagger again.
    """
    return _dump(
        {
            "version": [ENTITY_INDEX_VERSION, TIMELINE_VERSION],
            "mentions": [[[m.start, m.end, m.text, m.type, m.canonical] for m in ms] for ms in mentions],
            "records": [[[r[0], r[1], r[2], r[3], []] for r in rs] for rs in records],
        }
    )


def load_inputs(data: bytes) -> tuple[list[list[Mention]], list[list[list[Any]]]]:
    """What `dump_inputs` saved; ValueError when it is of another version or shape."""
    saved = json.loads(data)
    if not isinstance(saved, dict) or saved.get("version") != [ENTITY_INDEX_VERSION, TIMELINE_VERSION]:
        raise ValueError("the saved layer inputs are of another version")
    mentions = [[Mention(int(a), int(b), str(t), str(k), str(c)) for a, b, t, k, c in ms] for ms in saved["mentions"]]
    records = saved["records"]
    if not isinstance(records, list) or len(records) != len(mentions):
        raise ValueError("the saved layer inputs do not match")
    return mentions, records


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
