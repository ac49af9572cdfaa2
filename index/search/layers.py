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

import bisect
import datetime as dt
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol, overload, runtime_checkable

import numpy as np

from index import names as recogniser
from index import time as tagger
from index.models import Article, Passage
from index.names import Mention
from index.names.entity_index import (
    ENTITY_INDEX_VERSION,
    ChainedEntities,
    Change,
    Entity,
    EntityIndex,
    KeyTable,
    article_mentions,
    chain_entities,
    entity_layer,
)
from index.search.prefixes import PrefixIndex, word_suffixes
from index.search.segments import ChainRows, View, first_rows
from index.search.store import Saved, release
from index.search.workers import pool
from index.time.timeline import TIMELINE_VERSION, article_events

__all__ = [
    "ENTITIES",
    "ENTITY_KEYS",
    "ChainLayers",
    "ChainedPrefixes",
    "Suggestions",
    "INPUTS",
    "INPUT_OFFSETS",
    "SUGGESTIONS",
    "TIMELINE",
    "analyse",
    "article_keys",
    "assemble",
    "assemble_chain",
    "assemble_objects",
    "compute",
    "dump_inputs",
    "live_inputs",
    "load_entities",
    "load_events",
    "load_suggestions",
    "segment_inputs",
    "settings",
]

ENTITIES, TIMELINE, SUGGESTIONS = "entities.json", "timeline.json", "articles.json"
ENTITY_KEYS = "entity_keys.json"  # the entities' accumulators by key before merging (a chain merges into them)
INPUTS = "layer_inputs.jsonl"  # one JSON line per article of a segment: its mentions and event records
INPUT_OFFSETS = "layer_input_offsets"  # the array of each line's byte offset in INPUTS (articles + 1)
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
    return [_passage(_cols, pid, pid, article.doc_id, article.body) for pid in range(_first[doc], _first[doc + 1])]


def _passage(cols: list[list[Any]], i: int, pid: int, doc_id: str, body: str) -> Passage:
    """Passage `pid` from row `i` of the columns (`_columns`) and its article's body."""
    paragraph, sentence, start, end, related, ordinal = cols
    return Passage(
        pid=pid,
        doc_id=doc_id,
        paragraph=paragraph[i],
        sentence=sentence[i],
        char_start=start[i],
        char_end=end[i],
        text=body[start[i] : end[i]],
        related=related[i],
        related_date=dt.date.fromordinal(ordinal[i]).isoformat() if ordinal[i] else None,
    )


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
    return _event_key(rows, [a.doc_id for a in articles])


def _event_key(rows: np.ndarray | ChainRows, doc_ids: Sequence[str]) -> Any:
    """The timeline's order: first date, longest span first, article id, sentence."""

    def key(record: list[Any]) -> tuple[Any, ...]:
        first = min(record[3], key=lambda d: (d[1], d[1] - d[2]))
        row = rows[record[0]]
        return (first[1], first[1] - first[2], doc_ids[int(row["doc"])], int(row["sentence"]))

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


def assemble_objects(
    articles: Sequence[Article],
    rows: np.ndarray,
    mentions: Sequence[Sequence[Mention]],
    records: Sequence[Sequence[list[Any]]],
) -> tuple[EntityIndex, list[list[Any]], PrefixIndex]:
    """The entity index, the timeline records (oldest first, names filled in) and the `/source`
    suggestions of these articles, from the per-article results of `analyse` (merging across
    articles: linear in the mentions and sentences, in Python; cheap next to `analyse`).
    """
    entity_index, _, _, flat, suggestions = _whole(articles, rows, mentions, records)
    return entity_index, flat, suggestions


def _whole(
    articles: Sequence[Article],
    rows: np.ndarray,
    mentions: Sequence[Sequence[Mention]],
    records: Sequence[Sequence[list[Any]]],
) -> tuple[EntityIndex, dict[str, Any], dict[str, np.ndarray], list[list[Any]], PrefixIndex]:
    """`assemble_objects`, with the entities' key table (JSON values and arrays) besides."""
    articles = _Bodiless(articles, mentions)
    passages = _mentioned_passages(articles, rows, mentions)
    found = {a.doc_id: list(m) for a, m in zip(articles, mentions, strict=True)}
    entity_index, key_table, key_arrays = entity_layer(articles, passages, found)
    flat = [list(record) for events in records for record in events]
    for record in flat:  # the names of each sentence, so that reading the timeline needs no index
        record[4] = entity_index.mentions_in(record[0])
    flat.sort(key=_event_order(rows, articles))
    return entity_index, key_table, key_arrays, flat, PrefixIndex.build(article_keys(a) for a in articles)


@runtime_checkable
class BodilessArticles(Protocol):
    """Articles kept packed (a build's, read back from its bodies): one can be had without its text."""

    def bodiless(self, i: int) -> Article:
        """Article `i` with an empty body: its metadata, nothing unpacked."""
        ...


class LazyArticles(Sequence[Article]):
    """Articles made one at a time on reading (`_article`), never held as a list: indexes are
    checked and made positive here, slices are lists.
    """

    def __len__(self) -> int:
        raise NotImplementedError

    def _article(self, i: int) -> Article:
        raise NotImplementedError

    @overload
    def __getitem__(self, i: int) -> Article: ...
    @overload
    def __getitem__(self, i: slice) -> list[Article]: ...
    def __getitem__(self, i: int | slice) -> Article | list[Article]:
        if isinstance(i, slice):
            return [self._article(j) for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._article(i)


class _Bodiless(LazyArticles):
    """`articles` as the merge across articles reads them: only an article with mentions needs
    its body (the others give their id, title and date), so a build's packed bodies are unpacked
    for those alone.
    """

    def __init__(self, articles: Sequence[Article], mentions: Sequence[Sequence[Mention]]) -> None:
        self._articles, self._mentions = articles, mentions
        self._light = articles.bodiless if isinstance(articles, BodilessArticles) else articles.__getitem__

    def __len__(self) -> int:
        return len(self._articles)

    def _article(self, i: int) -> Article:
        return self._articles[i] if self._mentions[i] else self._light(i)


def _mentioned_passages(
    articles: Sequence[Article], rows: np.ndarray, mentions: Sequence[Sequence[Mention]]
) -> list[Passage]:
    """The passages of the articles with mentions, in order: the merge reads passages only to
    place mentions. Only their rows become Python lists (a BM25-only build has none: every
    row as lists was a transient of about 0.3 GB a million sentences).
    """
    mentioned = np.fromiter((bool(m) for m in mentions), dtype=bool, count=len(mentions))
    if not mentioned.any():
        return []
    doc = np.asarray(rows["doc"])
    first = np.searchsorted(doc, np.arange(len(mentions) + 1)).tolist()
    cols = _columns(rows[mentioned[doc]])
    passages: list[Passage] = []
    for d in np.flatnonzero(mentioned).tolist():
        article = articles[d]
        at = len(passages)  # this article's first row among the kept rows
        passages.extend(
            _passage(cols, at + i, pid, article.doc_id, article.body)
            for i, pid in enumerate(range(first[d], first[d + 1]))
        )
    return passages


def assemble(
    articles: Sequence[Article],
    rows: np.ndarray,
    mentions: Sequence[Sequence[Mention]],
    records: Sequence[Sequence[list[Any]]],
) -> tuple[dict[str, bytes], dict[str, np.ndarray], dict[str, int]]:
    """The layer files of a whole generation (name -> contents), its arrays, and counts, from the
    per-article results of `analyse` (see `assemble_objects`). Only a build or a merge writes them:
    a commit of a few articles saves their inputs alone, and a reader of such a chain merges
    them into these (`assemble_chain`).
    """
    entity_index, key_table, key_arrays, flat, suggestions = _whole(articles, rows, mentions, records)
    entity_data, arrays = entity_index.to_layer()
    files = {
        ENTITIES: _dump(entity_data),
        ENTITY_KEYS: _dump(key_table),
        TIMELINE: _dump({"version": TIMELINE_VERSION, "events": flat}),
        SUGGESTIONS: _dump(suggestions.to_json()),
    }
    return files, {**arrays, **key_arrays}, {"entities": len(entity_index), "events": len(flat)}


def compute(
    articles: Sequence[Article], rows: np.ndarray, workers: int | None = None
) -> tuple[dict[str, bytes], dict[str, np.ndarray], dict[str, int]]:
    """The layer files of a build (name -> contents), its arrays, and counts (entities, events).

    `rows` are the passage rows of `index.search.build` (store.PASSAGE_DTYPE), article by article.
    """
    mentions, records = analyse(articles, rows, workers)
    return assemble(articles, rows, mentions, records)


def dump_inputs(
    mentions: Sequence[Sequence[Mention]], records: Sequence[Sequence[list[Any]]]
) -> tuple[bytes, np.ndarray]:
    """Per-article mentions and event records as saved in a segment (`analyse`'s results, pids of
    the segment), one JSON line per article, and the byte offset of each line: a later commit or
    reader reads the lines of the articles it needs, and never runs the recogniser or tagger again.
    The versions they depend on are in the sidecar (`settings`): another version rebuilds.
    """
    lines = [
        _dump([[[m.start, m.end, m.text, m.type, m.canonical] for m in ms], [[r[0], r[1], r[2], r[3], []] for r in rs]])
        + b"\n"
        for ms, rs in zip(mentions, records, strict=True)
    ]
    offsets = np.zeros(len(lines) + 1, dtype=np.int64)
    np.cumsum([len(line) for line in lines], out=offsets[1:])
    return b"".join(lines), offsets


def _parse_line(line: bytes) -> tuple[list[Mention], list[list[Any]]]:
    saved_mentions, saved_records = json.loads(line)
    if not isinstance(saved_records, list):
        raise ValueError("the saved layer inputs do not match")
    return [Mention(int(a), int(b), str(t), str(k), str(c)) for a, b, t, k, c in saved_mentions], saved_records


def segment_inputs(saved: Saved, rows: Sequence[int]) -> tuple[list[list[Mention]], list[list[list[Any]]]]:
    """The saved mentions and event records (segment pids) of these article rows of a segment,
    reading only their lines when they are few; ValueError/IndexCorrupt when they do not fit.
    """
    offsets = saved.arrays[INPUT_OFFSETS]
    if len(offsets) != len(saved.meta["articles"]) + 1:
        raise ValueError("the saved layer inputs do not match the articles")
    bounds = [(int(offsets[r]), int(offsets[r + 1])) for r in rows]
    if len(bounds) * 64 < len(offsets):  # a few articles of a large segment: read their lines alone
        lines = [saved.read_range(INPUTS, lo, hi) for lo, hi in bounds]
    else:
        data = saved.read(INPUTS)
        lines = [data[lo:hi] for lo, hi in bounds]
    mentions, records = [], []
    for line in lines:
        ms, rs = _parse_line(line)
        mentions.append(ms)
        records.append(rs)
    return mentions, records


def live_inputs(
    segments: Sequence[Saved | tuple[list[list[Mention]], list[list[list[Any]]]]],
    origin: np.ndarray,
    pid_maps: Sequence[np.ndarray],
) -> tuple[list[list[Mention]], list[list[list[Any]]]]:
    """Each live article's mentions and event records, pids moved to the live view's numbering.

    `segments` are the chain's (a segment not yet saved is given as its `analyse` results);
    `origin` and `pid_maps` those of `index.search.segments.View`. Each segment's inputs are
    read once.
    """
    pairs = origin.tolist()
    wanted: dict[int, list[int]] = {}
    for seg, row in pairs:
        wanted.setdefault(seg, []).append(row)
    found: dict[tuple[int, int], tuple[list[Mention], list[list[Any]]]] = {}
    for seg, rows in wanted.items():
        source = segments[seg]
        if isinstance(source, Saved):
            got_mentions, got_records = segment_inputs(source, rows)
        else:
            got_mentions, got_records = [source[0][r] for r in rows], [source[1][r] for r in rows]
        for row, ms, rs in zip(rows, got_mentions, got_records, strict=True):
            found[(seg, row)] = (ms, rs)
    mentions, records = [], []
    for seg, row in pairs:
        ms, rs = found[(seg, row)]
        pid_map = pid_maps[seg]
        mentions.append(ms)
        records.append([[int(pid_map[r[0]]), r[1], r[2], r[3], []] for r in rs])
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


# ---------------------------------------------------------------- a chain, merged at read
#
# A chain is a base generation (a build or a merge: its layers saved whole), segments of a few
# articles each (their layer inputs only) and tombstones. Its reader opens the base's layers as
# they are and merges in, at read time, what changed since: the new articles' inputs, and the
# removed ones' (subtracted), as segment engines merge per-segment structures when they read.


class ChainedPrefixes:
    """The base's `/source` suggestions, removed articles left out, then the new articles'."""

    def __init__(self, base: PrefixIndex, row_map: np.ndarray, added: PrefixIndex) -> None:
        self.base, self.added = base, added
        self.row_map = row_map  # base row -> chain row, -1 when removed
        self.removed = int(np.count_nonzero(row_map < 0))
        self.offset = int(np.count_nonzero(row_map >= 0))  # the new articles' first row

    def search(self, prefix: str, limit: int = 25) -> list[int]:
        """Chain rows (best first, no repeats) of the articles with a key starting with `prefix`."""
        if limit <= 0:
            return []
        found = [int(self.row_map[r]) for r in self.base.search(prefix, limit + self.removed)]
        rows = [r for r in found if r >= 0][:limit]
        if len(rows) < limit:
            rows.extend(self.offset + r for r in self.added.search(prefix, limit - len(rows)))
        return rows

    def __len__(self) -> int:
        return len(self.base) + len(self.added)


Suggestions = PrefixIndex | ChainedPrefixes


def _passages_from(rows: np.ndarray | ChainRows, lo: int, hi: int, doc_id: str, body: str) -> list[Passage]:
    """The passages [lo, hi) of one article, from a passage table (offsets in order)."""
    cols = _columns(rows[lo:hi])
    return [_passage(cols, i, lo + i, doc_id, body) for i in range(hi - lo)]


def _inputs_of(
    source: Saved | tuple[list[list[Mention]], list[list[list[Any]]]], rows: list[int]
) -> tuple[list[list[Mention]], list[list[list[Any]]]]:
    if isinstance(source, Saved):
        return segment_inputs(source, rows)
    return [source[0][r] for r in rows], [source[1][r] for r in rows]


def _names_at(
    pid: int,
    old: Sequence[str],
    fresh_at: Mapping[int, list[tuple[Entity, int]]],
    kept_by_name: Mapping[str, list[Entity]],
    rank: Mapping[int, int],
) -> list[str]:
    """`EntityIndex.mentions_in(pid)` of the chain's index, from the entities made afresh that cite
    `pid` and the base's entities kept as they were that `old` (the base's names there) names.
    """
    found = list(fresh_at.get(pid, []))
    for name in dict.fromkeys(old):
        for entity in kept_by_name.get(name, []):
            cited = np.asarray(entity.cited)
            at = int(np.searchsorted(cited[:, 0], pid))
            if at < len(cited) and int(cited[at, 0]) == pid:
                found.append((entity, int(cited[at, 1])))
    if not found:
        return []
    first: dict[str, int] = {}
    for entity, start in found:
        first[entity.name] = min(first.get(entity.name, start), start)
    ordered = sorted((e for e, _ in found), key=lambda e: rank[id(e)])
    return [e.name for e in sorted(ordered, key=lambda e: first[e.name])]


@dataclass
class ChainLayers:
    """The layers of a chain's live view, merged at read from its base's and the changes since:
    the entity index at once, the `/source` suggestions and the timeline on first use.
    """

    entities: EntityIndex
    base: Saved
    view: View
    chained: ChainedEntities
    added_records: list[list[Any]]  # the new articles' event records, chain pids, names not filled in
    added_articles: list[Article]  # the new articles (their bodies left out)
    row_map: np.ndarray  # the base's article row -> the chain's (-1: removed)

    @cached_property
    def suggestions(self) -> ChainedPrefixes:
        """The `/source` suggestions: the base's saved ones (renumbered) and the new articles'. On
        first use: reading the base's took 0.05 CPU s at ten million sentences, which an answer,
        needing the names only, does not pay (`python -m bot ask` on a chain).
        """
        added = PrefixIndex.build(article_keys(a) for a in self.added_articles)
        return ChainedPrefixes(load_suggestions(self.base.read(SUGGESTIONS)), self.row_map, added)

    def records(self) -> list[list[Any]]:
        """The timeline records, oldest first, names filled in, as a whole build saves them."""
        return _chain_records(self)


def assemble_chain(view: View, body: Any, base_names: EntityIndex | None = None) -> ChainLayers | None:
    """The entity index, `/source` suggestions and (on first use) timeline records of a chain's
    live view, equal to a whole build's of the same articles (see `chain_entities` for what
    order ties take); None when the base has no saved layers to merge into (then assemble them whole).

    Reads the base's saved layers as they are, and the layer inputs of the articles added or
    removed since; linear in the base's keys and events (plain lists), in the changed entities'
    mentions and in the changed articles, never in the base's sentences or mentions.
    `body(row)` gives the text of the chain's article at `row`.
    """
    base = view.segments[0]
    if not isinstance(base, Saved) or ENTITY_KEYS not in base.meta["files"]:
        return None
    base_meta = base.meta["articles"]
    origin = view.origin
    live = np.zeros(len(base_meta), dtype=bool)
    live[origin[origin[:, 0] == 0, 1]] = True
    row_map = np.where(live, np.cumsum(live) - 1, -1)
    # The base's sentence ids are the chain's unless it lost an article: then its map (40 MB at
    # ten million sentences, made here) renumbers the cited sentences of the entities that changed.
    pid_map = None if view.rows.live_rows(0) == len(base.arrays["passages"]) else view.pid_map(0)
    if base_names is None:
        base_names = load_entities(base.read(ENTITIES), base.arrays)
    table = KeyTable.from_layer(json.loads(base.read(ENTITY_KEYS)), base.arrays)
    base_rows = base.arrays["passages"]
    gone_rows = np.flatnonzero(~live).tolist()
    base_first: list[int] = []  # the base's article bounds, for its removed articles' passages only
    if gone_rows:  # one pass over its `doc` column (a searchsorted copies the unaligned column first)
        base_first = first_rows(base_rows["doc"], len(base_meta)).tolist()
        release(base_rows)  # read whole just now: its pages need not stay resident (200 MB at 10M)
    gone_mentions, _ = segment_inputs(base, gone_rows) if gone_rows else ([], [])
    gone_articles = [Article(body="", **base_meta[r]) for r in gone_rows]
    gone_passages = [
        _passages_from(
            base_rows,
            base_first[r],
            base_first[r + 1],
            base_meta[r]["doc_id"],
            base.body_bytes(r).decode("utf-8") if gone_mentions[i] else "",
        )
        for i, r in enumerate(gone_rows)
    ]

    docs = np.flatnonzero(origin[:, 0] >= 1).tolist()
    first = dict(zip(docs, view.rows.firsts(1).tolist(), strict=False))  # added article -> its first pid
    first[len(view.articles)] = len(view.rows)
    wanted: dict[int, list[int]] = {}
    for doc in docs:
        wanted.setdefault(int(origin[doc, 0]), []).append(int(origin[doc, 1]))
    got: dict[tuple[int, int], tuple[list[Mention], list[list[Any]]]] = {}
    for seg, rows in wanted.items():
        for row, ms, rs in zip(rows, *_inputs_of(view.segments[seg], rows), strict=True):
            got[(seg, row)] = (ms, rs)
    added_articles: list[Article] = []
    added_passages: list[list[Passage]] = []
    added_mentions: list[list[Mention]] = []
    added_records: list[list[Any]] = []
    for doc in docs:
        seg, row = int(origin[doc, 0]), int(origin[doc, 1])
        ms, rs = got[(seg, row)]
        meta = view.articles[doc]
        added_articles.append(Article(body="", **meta))
        text = body(doc) if ms else ""
        added_passages.append(_passages_from(view.rows, first[doc], first[doc + 1], meta["doc_id"], text))
        added_mentions.append(ms)
        seg_map = view.pid_map(seg)
        added_records.extend([int(seg_map[r[0]]), r[1], r[2], r[3], []] for r in rs)

    chained = chain_entities(
        base_names,
        table,
        pid_map,
        base_meta,
        live,
        Change(gone_articles, gone_passages, gone_mentions),
        Change(added_articles, added_passages, added_mentions),
        lambda pids: np.asarray(view.rows.take(pids)["related"], dtype=bool),  # where cited only
    )
    return ChainLayers(chained.index, base, view, chained, added_records, added_articles, row_map)


def _chain_records(layers: ChainLayers) -> list[list[Any]]:
    base, view, chained, index = layers.base, layers.view, layers.chained, layers.entities
    base_names = layers.chained.base
    pid_map = view.pid_maps[0]
    # The timeline: the base's records (renumbered, the removed left out), names written again
    # where an entity changed, and the new articles' records put in their places.
    # Names change only where an entity was renamed, joined another or left (mentions do not
    # overlap, so the order of the names in a sentence is their first positions'): those base
    # sentences and the new articles' are written again.
    dirty: set[int] = set()
    for gone_rank in chained.renamed:
        cited = np.asarray(base_names.entities[gone_rank].cited).reshape(-1, 3)
        mapped = pid_map[cited[:, 0]]
        dirty.update(mapped[mapped >= 0].tolist())
    wanted = np.fromiter(dirty | {int(r[0]) for r in layers.added_records}, dtype=np.int64)
    fresh_at: dict[int, list[tuple[Entity, int]]] = {}
    for entity in chained.fresh:  # the fresh entities citing those sentences, first position each
        cited = np.asarray(entity.cited, dtype=np.int64).reshape(-1, 3)
        for pid, start in cited[np.isin(cited[:, 0], wanted)][:, :2].tolist():
            found = fresh_at.setdefault(pid, [])
            if not found or found[-1][0] is not entity:
                found.append((entity, start))
    fresh_ids = {id(e) for e in chained.fresh}
    kept_by_name: dict[str, list[Entity]] = {}
    rank: dict[int, int] = {}
    if len(wanted):
        for r, entity in enumerate(index.entities):
            rank[id(entity)] = r
            if id(entity) not in fresh_ids:
                kept_by_name.setdefault(entity.name, []).append(entity)
    records = load_events(base.read(TIMELINE))
    moved = pid_map.tolist()
    flat = []
    for record in records:
        pid = moved[record[0]]
        if pid < 0:
            continue
        record[0] = pid
        if pid in dirty:
            record[4] = _names_at(pid, record[4], fresh_at, kept_by_name, rank)
        flat.append(record)
    order = _event_key(view.rows, [m["doc_id"] for m in view.articles])
    for record in sorted(([*r[:4], []] for r in layers.added_records), key=order):
        record[4] = _names_at(record[0], [], fresh_at, kept_by_name, rank)
        flat.insert(bisect.bisect_right(flat, order(record), key=order), record)
    return flat
