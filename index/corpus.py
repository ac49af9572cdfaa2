"""The library's front door: open a seeds folder's index (building it when needed) and ask.

`Corpus.open` loads the saved index when it matches the seeds and the code's settings, and
rebuilds it, with a log line saying why, when it is missing, stale, from another format
version, or corrupt. Passage text is read lazily from the memory-mapped article bodies. The
entity index, the timeline and the suggestions were computed when the index was built and are
read from the same generation (`index.search.layers`): nothing is prepared after a start.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from index.answer.conversation import Conversation
from index.answer.prior import Prior
from index.ingest.files import SUFFIXES, fingerprint, read_file, safe_name, save_upload, seed_files, storage_problem
from index.models import Answer, Article, Passage, QuestionError
from index.names.entity_index import Entity, EntityIndex
from index.search import build as builder
from index.search import layers, store
from index.search.bm25 import BM25
from index.search.prefixes import PrefixIndex
from index.time.timeline import Event, word_pattern

if TYPE_CHECKING:
    from index.ingest import feeds

log = logging.getLogger("verbatim.index")

# The one door of the library: front ends (bot/) import from here and index.models only, so the
# article-file helpers they need (checking, saving uploads, naming storage errors) and the types
# they show (Entity, Event) are offered here too.
__all__ = [
    "SUFFIXES",
    "Conversation",
    "Corpus",
    "Entity",
    "Event",
    "QuestionError",
    "feeds",
    "read_file",
    "safe_name",
    "save_upload",
    "storage_problem",
]


def __getattr__(name: str) -> Any:
    """`feeds` (following RSS/Atom feeds) is imported on first use: feedparser and the HTTP
    client cost a few tenths of a second that `ask` and `chat` should not pay.
    """
    if name == "feeds":
        from index.ingest import feeds as module

        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _stale_reason(meta: dict[str, Any], seeds_hash: str, day_first: bool = False) -> str | None:
    expected = builder.settings(day_first=day_first)
    for key, value in expected.items():
        if meta.get(key) != value:
            return f"{key} changed ({meta.get(key)!r} -> {value!r})"
    if meta.get("seeds_hash") != seeds_hash:
        return "the seeds changed"
    return None


class Corpus:
    """A loaded index plus the articles and passages it cites. Safe to share across threads."""

    def __init__(self, seeds_dir: Path, index_dir: Path, saved: store.Saved, *, day_first: bool = False) -> None:
        self.seeds_dir, self.index_dir, self.saved = seeds_dir, index_dir, saved
        self.day_first = day_first
        self.stale: str | None = None  # why this is an older index than the seeds ask for, if it is
        meta = saved.meta
        self._articles_meta: list[dict[str, Any]] = meta["articles"]
        self._doc_index = {m["doc_id"]: i for i, m in enumerate(self._articles_meta)}
        self._passages = saved.arrays["passages"]
        self._body_offsets = saved.arrays["body_offsets"]
        self.bm25 = BM25.from_saved(meta["vocab"], saved.arrays, meta["bm25_sidecar"])
        if len(self._body_offsets) != len(self._articles_meta) + 1 or (
            len(self._passages) and int(self._passages["doc"].max()) >= len(self._articles_meta)
        ):
            raise store.IndexCorrupt(f"{saved.path}: the articles of the sidecar do not match the saved bodies")
        self._first_pid = self._first_passages()
        self._body = lru_cache(maxsize=4096)(self._read_body)
        # Read once here, off any event loop (Corpus.open runs in a thread in the bot), so that
        # entity lookups and every autocomplete answer at once; the timeline is read on first use.
        try:
            self._entities: EntityIndex = layers.load_entities(saved.read(layers.ENTITIES), saved.arrays)
            self._suggestions: PrefixIndex = layers.load_suggestions(saved.read(layers.SUGGESTIONS))
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            raise store.IndexCorrupt(f"{saved.path}: a saved layer is unreadable ({exc})") from exc
        if len(self._suggestions) and int(self._suggestions.ranks.max()) >= len(self._articles_meta):
            raise store.IndexCorrupt(f"{saved.path}: the suggestions point outside the articles")
        self._timeline: list[Event] | None = None
        self._records_cache: list[list[Any]] | None = None

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(
        cls,
        seeds_dir: Path,
        index_dir: Path,
        *,
        progress: bool = False,
        rebuild: bool = False,
        day_first: bool = False,
        keep_last_good: bool = True,
    ) -> Corpus:
        """Load the saved index if it is fresh and sound; otherwise build it first.

        `day_first` reads numeric front-matter dates (03/04/2009) day first; changing it rebuilds.
        When the build cannot be written (a full or read-only disk) and `keep_last_good`, the
        last sound index is opened instead, with `stale` saying why; otherwise OSError.
        """
        seeds_dir, index_dir = Path(seeds_dir), Path(index_dir)
        seeds_hash = fingerprint(seed_files(seeds_dir), seeds_dir)
        reason = "a rebuild was asked for" if rebuild else None
        if reason is None:
            try:
                generation = store.current_generation(index_dir)
                meta = store.read_meta(generation)
                reason = _stale_reason(meta, seeds_hash, day_first)
                if reason is None:
                    return cls(seeds_dir, index_dir, store.load(generation, meta), day_first=day_first)
            except store.IndexMissing:
                reason = "no index yet"
            except (store.IndexCorrupt, ValueError, KeyError, TypeError) as exc:
                reason = f"the saved index is corrupt: {exc}"
                log.warning("index: %s; rebuilding from %s", reason, seeds_dir)
        log.info("index: building (%s)", reason)
        try:
            generation = builder.build(seeds_dir, index_dir, progress=progress, day_first=day_first)
        except OSError as exc:
            last = cls._last_good(seeds_dir, index_dir, day_first) if keep_last_good else None
            if last is None:
                raise
            from index.ingest.files import storage_problem

            last.stale = f"could not rebuild the index ({storage_problem(exc)}); answering from the index built {last.saved.meta.get('built_at')}"
            log.warning("index: %s", last.stale)
            return last
        return cls(seeds_dir, index_dir, store.load(generation, store.read_meta(generation)), day_first=day_first)

    @classmethod
    def _last_good(cls, seeds_dir: Path, index_dir: Path, day_first: bool) -> Corpus | None:
        """The saved index as it is, if it is sound and of this code's format (stale seeds allowed)."""
        try:
            generation = store.current_generation(index_dir)
            meta = store.read_meta(generation)
            reason = _stale_reason(meta, meta.get("seeds_hash", ""), day_first)
            if reason is not None:
                return None
            return cls(seeds_dir, index_dir, store.load(generation, meta), day_first=day_first)
        except (store.IndexMissing, store.IndexCorrupt, OSError, ValueError, KeyError, TypeError):
            return None

    def reindex(self) -> Corpus:
        """Re-read the seeds folder and return a fresh Corpus (the caller swaps it in);
        OSError when the new index cannot be written (the caller keeps this one).
        """
        return Corpus.open(self.seeds_dir, self.index_dir, day_first=self.day_first, keep_last_good=False)

    # ------------------------------------------------------------------ lookups
    def _first_passages(self) -> list[int]:
        """Pid of each article's first passage (passages are stored article by article)."""
        docs = np.asarray(self._passages["doc"])
        firsts: list[int] = np.searchsorted(docs, np.arange(len(self._articles_meta) + 1)).tolist()
        return firsts

    def _read_body(self, doc: int) -> str:
        lo, hi = int(self._body_offsets[doc]), int(self._body_offsets[doc + 1])
        return bytes(self.saved.bodies[lo:hi]).decode("utf-8")

    def articles(self) -> list[Article]:
        """Every article, in index order (bodies included: mind the size)."""
        return [self.article(m["doc_id"]) for m in self._articles_meta]

    def article(self, doc_id: str) -> Article:
        """The article with this id; KeyError when there is none."""
        doc = self._doc_index[doc_id]
        return Article(body=self._body(doc), **self._articles_meta[doc])

    def passage(self, pid: int) -> Passage:
        """The sentence with this id; KeyError when there is none."""
        if not 0 <= pid < len(self._passages):
            raise KeyError(pid)
        row = self._passages[pid]
        doc, start, end = int(row["doc"]), int(row["start"]), int(row["end"])
        ordinal = int(row["related_date"])
        return Passage(
            pid=pid,
            doc_id=self._articles_meta[doc]["doc_id"],
            paragraph=int(row["paragraph"]),
            sentence=int(row["sentence"]),
            char_start=start,
            char_end=end,
            text=self._body(doc)[start:end],
            related=bool(row["related"]),
            related_date=dt.date.fromordinal(ordinal).isoformat() if ordinal else None,
        )

    def _passages_at(self, pids: list[int]) -> list[Passage]:
        """Many passages at once (column by column: a row at a time is slow with numpy)."""
        if pids and not (0 <= min(pids) and max(pids) < len(self._passages)):
            raise store.IndexCorrupt(f"{self.saved.path}: a saved layer cites a sentence that does not exist")
        rows = self._passages[np.asarray(pids, dtype=np.int64)]
        cols = [rows[name].tolist() for name in ("doc", "paragraph", "sentence", "start", "end", "related")]
        dates = rows["related_date"].tolist()
        bodies = {doc: self._body(doc) for doc in dict.fromkeys(cols[0])}  # each body decoded once
        out = []
        for pid, doc, paragraph, sentence, start, end, related, ordinal in zip(pids, *cols, dates, strict=True):
            out.append(
                Passage(
                    pid=pid,
                    doc_id=self._articles_meta[doc]["doc_id"],
                    paragraph=paragraph,
                    sentence=sentence,
                    char_start=start,
                    char_end=end,
                    text=bodies[doc][start:end],
                    related=related,
                    related_date=dt.date.fromordinal(ordinal).isoformat() if ordinal else None,
                )
            )
        return out

    def passages_of(self, doc_id: str) -> list[Passage]:
        """Every sentence of one article, in order; KeyError for an unknown id."""
        doc = self._doc_index[doc_id]
        return [self.passage(pid) for pid in range(self._first_pid[doc], self._first_pid[doc + 1])]

    def all_passages(self) -> Iterator[Passage]:
        """Every passage, article by article (a generator: the corpus may be large)."""
        return (self.passage(pid) for pid in range(len(self._passages)))

    def neighbours(self, pid: int, n: int) -> tuple[list[Passage], list[Passage]]:
        """Up to `n` passages before and after `pid` within the same article."""
        doc = int(self._passages[pid]["doc"])
        lo, hi = self._first_pid[doc], self._first_pid[doc + 1]
        before = [self.passage(i) for i in range(max(lo, pid - n), pid)]
        after = [self.passage(i) for i in range(pid + 1, min(hi, pid + 1 + n))]
        return before, after

    # ------------------------------------------------------------------ asking
    def answer(self, question: str, k: int = 3, context: int = 0, *, prior: Prior | None = None) -> Answer:
        """Best `k` passages for a question (see index.answer.answers.answer); `prior` is what a
        conversation carries from its earlier questions (see `conversation`).
        """
        from index.answer.answers import answer  # imported on first use: `entities` and `timeline` never need it

        return answer(
            question,
            self.bm25,
            self.passage,
            self.article,
            self.neighbours,
            k,
            context,
            layout=self._passages,
            prior=prior,
        )

    def conversation(self) -> Conversation:
        """A new conversation: its questions share their history (index.answer.conversation)."""
        return Conversation(self)

    def story_row(self, doc_id: str) -> int:
        """The row of an article in this index (what a `Prior` names stories by)."""
        return self._doc_index[doc_id]

    def doc_id_of_row(self, row: int) -> str:
        """The doc_id of the article at this row (the inverse of `story_row`)."""
        return str(self._articles_meta[row]["doc_id"])

    def entities(self) -> EntityIndex:
        """The entity index of every article (index.names.entity_index.EntityIndex), saved with the index."""
        return self._entities

    def suggest_articles(self, text: str, limit: int = 25) -> list[tuple[str, str]]:
        """(doc_id, title) of articles whose id, title, or a word of the title starts with `text`
        (case-insensitive; an empty `text` lists the first articles). A bisect, not a scan.
        """
        ranks = self._suggestions.search(" ".join(text.casefold().split()), limit)
        return [(self._articles_meta[r]["doc_id"], self._articles_meta[r]["title"]) for r in ranks]

    def _records(self) -> list[list[Any]]:
        """The saved timeline (`timeline.Event.record` values, oldest first), read on first use.

        No lock: two first readers would read the same file twice, harmlessly.
        """
        if self._records_cache is None:
            try:
                records = layers.load_events(self.saved.read(layers.TIMELINE))
                if records and not all(0 <= Event.record_pid(r) < len(self._passages) for r in records):
                    raise ValueError("an event cites a sentence that does not exist")
            except (ValueError, KeyError, TypeError) as exc:
                raise store.IndexCorrupt(f"{self.saved.path}: the saved timeline is unreadable ({exc})") from exc
            self._records_cache = records
        return self._records_cache

    def events_at(self, ids: Sequence[int]) -> list[Event]:
        """The events with these ids (from `event_ids`), with their passages and articles."""
        records = self._records()
        chosen = [records[i] for i in ids]
        passages = self._passages_at([Event.record_pid(r) for r in chosen])
        articles = {doc_id: self.article(doc_id) for doc_id in dict.fromkeys(p.doc_id for p in passages)}
        return [
            Event.from_record(record, passage, articles[passage.doc_id])
            for record, passage in zip(chosen, passages, strict=True)
        ]

    def timeline(self) -> list[Event]:
        """Every dated sentence of every article, oldest first (list of index.time.timeline.Event),
        each with the canonical names of the entities of its sentence (saved with it).
        """
        if self._timeline is None:
            self._timeline = self.events_at(range(len(self._records())))
        return self._timeline

    def event_ids(
        self,
        *,
        entity: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        order: Literal["oldest", "newest"] = "oldest",
    ) -> list[int]:
        """Ids of the timeline events that match, in order; cheap (no event is made).

        `entity` is resolved through the entity index, aliases included (`GM` finds the
        sentences citing General Motors); a name the index does not know is matched as whole
        words in the sentence's names, or its text. Dates: events with a date overlapping
        [date_from, date_to].
        """
        pids: set[int] | None = None
        pattern = None
        if entity and entity.strip():
            found = self._entities.get(entity)
            if found is not None:
                pids = set(found.cited_pids())
            else:
                pattern = word_pattern(entity)
        lo = date_from.toordinal() if date_from else None
        hi = date_to.toordinal() if date_to else None
        out = []
        for i, (pid, _, _, dates, names) in enumerate(self._records()):
            if (lo is not None or hi is not None) and not any(
                (lo is None or d[2] >= lo) and (hi is None or d[1] <= hi) for d in dates
            ):
                continue
            if pids is not None and pid not in pids:
                continue
            if pattern is not None:
                if names and not any(pattern.search(n) for n in names):
                    continue
                if not names and not pattern.search(self.passage(pid).text):
                    continue
            out.append(i)
        return out[::-1] if order == "newest" else out

    def events(
        self,
        *,
        entity: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        order: Literal["oldest", "newest"] = "oldest",
        limit: int | None = None,
    ) -> list[Event]:
        """Timeline events, filtered and ordered, as both front ends show them (see `event_ids`);
        at most `limit` of them: only those are made, so a page of a large timeline is quick.
        """
        ids = self.event_ids(entity=entity, date_from=date_from, date_to=date_to, order=order)
        return self.events_at(ids if limit is None else ids[: max(0, limit)])

    def stats(self) -> dict[str, Any]:
        """What is indexed, when, where, with the build's warnings (for `about`)."""
        meta = self.saved.meta
        return {
            "articles": len(self._articles_meta),
            "passages": int(len(self._passages)),
            "terms": len(self.bm25.terms),
            "built_at": meta["built_at"],
            "seeds_hash": meta["seeds_hash"],
            "index": str(self.saved.path),
            "warnings": list(meta.get("warnings", [])),
            "entities": len(self._entities),
            "events": int(meta.get("layer_counts", {}).get("events", 0)),
        }

    def __len__(self) -> int:
        return int(len(self._passages))
