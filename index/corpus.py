"""The library's front door: open a seeds folder's index (building it when needed) and ask.

`Corpus.open` loads the saved index when it matches the seeds and the code's settings, and
rebuilds it, with a log line saying why, when it is missing, stale, from another format
version, or corrupt. Passage text is read lazily from the memory-mapped article bodies.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import build as builder
from . import store
from .answers import QuestionError, answer
from .bm25 import BM25
from .ingest import fingerprint, seed_files
from .models import Answer, Article, Passage

if TYPE_CHECKING:  # built on first use; imported then
    from .entity_index import EntityIndex
    from .timeline import Event

log = logging.getLogger("verbatim.index")

__all__ = ["Corpus", "QuestionError"]


def _stale_reason(meta: dict, seeds_hash: str, day_first: bool = False) -> str | None:
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
        self._articles_meta: list[dict] = meta["articles"]
        self._doc_index = {m["doc_id"]: i for i, m in enumerate(self._articles_meta)}
        self._passages = saved.arrays["passages"]
        self._body_offsets = saved.arrays["body_offsets"]
        self.bm25 = BM25.from_saved(meta["vocab"], saved.arrays, meta["bm25_sidecar"])
        self._first_pid = self._first_passages()
        # One lock each: a reader of the finished entity index must not wait for the
        # timeline, which is built after it and takes minutes at 1M sentences.
        self._entities_lock = threading.Lock()
        self._timeline_lock = threading.Lock()
        self._timeline: list[Event] | None = None
        self._entities: EntityIndex | None = None
        self._body = lru_cache(maxsize=4096)(self._read_body)

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
            from .ingest import storage_problem

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
        import numpy as np

        docs = np.asarray(self._passages["doc"])
        return np.searchsorted(docs, np.arange(len(self._articles_meta) + 1)).tolist()

    def _read_body(self, doc: int) -> str:
        lo, hi = int(self._body_offsets[doc]), int(self._body_offsets[doc + 1])
        return bytes(self.saved.bodies[lo:hi]).decode("utf-8")

    def articles(self) -> list[Article]:
        """Every article, in index order."""
        return [self.article(m["doc_id"]) for m in self._articles_meta]

    def article_ids(self) -> list[str]:
        """Every article id, in index order."""
        return [m["doc_id"] for m in self._articles_meta]

    def article(self, doc_id: str) -> Article:
        """The article with this id; KeyError when there is none."""
        doc = self._doc_index[doc_id]
        return Article(body=self._body(doc), **self._articles_meta[doc])

    def passage(self, pid: int) -> Passage:
        """The passage with this id (its text read from the mapped bodies); KeyError if none."""
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

    def passages_of(self, doc_id: str) -> list[Passage]:
        """An article's passages, in order."""
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
    def answer(self, question: str, k: int = 3, context: int = 0) -> Answer:
        """Best `k` passages for a question (see index.answers.answer)."""
        return answer(
            question, self.bm25, self.passage, self.article, self.neighbours, k, context, layout=self._passages
        )

    def entities(self) -> EntityIndex:
        """The entity index of every article (index.entity_index.EntityIndex), built once.

        Built on first use rather than at index time so that a bot restart stays instant;
        the lock makes concurrent first calls build it once, and once built it is returned
        without taking the lock.
        """
        if self._entities is None:
            with self._entities_lock:
                if self._entities is None:
                    from .entity_index import build_entities

                    articles = {a.doc_id: a for a in self.articles()}
                    self._entities = build_entities(articles, self.all_passages())
        return self._entities

    def entities_ready(self) -> bool:
        """Whether `entities()` would answer at once (it takes minutes at 1M sentences)."""
        return self._entities is not None

    def timeline_ready(self) -> bool:
        """Whether `timeline()` would answer at once."""
        return self._timeline is not None

    def timeline(self) -> list[Event]:
        """Every dated event of every article, ordered (list of index.timeline.Event).

        Each event carries the canonical names of the entities mentioned in its sentence, so
        that `filter_events(entity=...)` also matches aliases.
        """
        if self._timeline is None:
            entities = self.entities()
            with self._timeline_lock:
                if self._timeline is None:
                    from .timeline import build_timeline

                    articles = {a.doc_id: a for a in self.articles()}
                    events = build_timeline(articles, self.all_passages())
                    for event in events:
                        event.entities = entities.mentions_in(event.passage.pid)
                    self._timeline = events
        return self._timeline

    def stats(self) -> dict:
        """Counts, build time and warnings (a stale index's reason among them)."""
        meta = self.saved.meta
        return {
            "articles": len(self._articles_meta),
            "passages": int(len(self._passages)),
            "terms": len(self.bm25.terms),
            "built_at": meta["built_at"],
            "seeds_hash": meta["seeds_hash"],
            "index": str(self.saved.path),
            "warnings": list(meta.get("warnings", [])) + ([self.stale] if self.stale else []),
        }

    def __len__(self) -> int:
        return int(len(self._passages))
