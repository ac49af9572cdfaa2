"""The library's front door: open a seeds folder's index (building it when needed) and ask.

`Corpus.open` loads the saved index when it matches the seeds and the code's settings, and
rebuilds it, with a log line saying why, when it is missing, stale, from another format
version, or corrupt. Passage text is read lazily from the memory-mapped article bodies. The
entity index, the timeline and the suggestions were computed when the index was built and are
read from the same generation (`index.search.layers`): nothing is prepared after a start.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from index.ingest.files import (
    MAX_ARTICLE_BYTES,
    SUFFIXES,
    IdTaken,
    article_owners,
    check_upload,
    read_file,
    remove_ids,
    safe_name,
    same_text,
    save_upload,
    seed_files,
    seeds_lock,
    storage_problem,
    store_upload,
)
from index.models import Answer, Article, Change, EntityDetails, Footprint, Passage, QuestionError, Quote
from index.names.entity_index import Entity, EntityIndex, build_entities
from index.search import build as builder
from index.search import layers, seeds_state, segments, store, tokens
from index.search.bm25 import BM25, BM25Params
from index.search.resident import MappedPages
from index.search.writer_lock import writer_lock
from index.time.timeline import Event, events_json, repeated_events, word_pattern

if TYPE_CHECKING:
    from index.answer.conversation import NO_EARLIER, Conversation
    from index.answer.prior import Prior
    from index.answer.query import Query
    from index.ingest import feeds

log = logging.getLogger("verbatim.index")
OWNERS_CACHE = ".seed-ids.json"  # in the index folder: never read as an article, kept by pruning
# Decoded article bodies kept (most recently read): a question reads the bodies of a few dozen
# articles at most; 4,096 kept up to 135 MB of text resident at 10M sentences (33 KB articles).
BODY_CACHE = 128

# The one door of the library: front ends (bot/) import from here and index.models only, so the
# article-file helpers they need (checking, saving uploads, naming storage errors) and the types
# they show (Entity, Event) are offered here too.
__all__ = [
    "SUFFIXES",
    "Change",
    "Conversation",
    "Corpus",
    "Entity",
    "Event",
    "NO_EARLIER",
    "QuestionError",
    "feeds",
    "read_file",
    "safe_name",
    "save_upload",
    "seeds_lock",
    "storage_problem",
]


def __getattr__(name: str) -> Any:
    """`feeds` (following RSS/Atom feeds) is imported on first use: feedparser and the HTTP
    client cost a few tenths of a second that `ask` and `chat` should not pay; `Conversation`
    too (the answer room, and its `NO_EARLIER`), which `entities` and `timeline` never need.
    """
    if name == "feeds":
        from index.ingest import feeds as module

        return module
    if name == "Conversation":
        from index.answer.conversation import Conversation

        return Conversation
    if name == "NO_EARLIER":  # the reason of "when?" with no earlier question (a front end may say why)
        from index.answer.conversation import NO_EARLIER

        return NO_EARLIER
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _stale_reason(meta: dict[str, Any], day_first: bool = False) -> str | None:
    """Why a saved index cannot be used or updated as it is (the code's settings changed), if it cannot."""
    expected = builder.settings(day_first=day_first)
    for key, value in expected.items():
        if meta.get(key) != value:
            return f"{key} changed ({meta.get(key)!r} -> {value!r})"
    return None


@contextmanager
def _no_collection() -> Iterator[None]:
    """No cyclic garbage collection within: making 10^5 small containers at once (the saved
    timeline read, or written as JSON) otherwise runs the collector over them again and again
    (about a fifth of the time). Nothing made here holds a cycle.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check(
    seeds_dir: Path,
    index_dir: Path,
    day_first: bool,
    edits: Mapping[str, seeds_state.Edit] | None = None,
    *,
    quiet: bool = False,
) -> tuple[store.Saved | None, str, bool]:
    """The current generation if it is fresh; else None, why, and whether an update can catch up.

    Only seed files whose size, mtime or inode changed are hashed (not those the writer edited: `edits`).
    """
    try:
        generation = store.current_generation(index_dir)
        meta = store.read_meta(generation)
        reason = _stale_reason(meta, day_first)
        if reason is not None:
            return None, reason, False
        changes = seeds_state.changes(seed_files(seeds_dir), seeds_dir, meta.get("seed_files"), edits)
        if changes.any:
            return None, "the seeds changed", True
        return store.load(generation, meta), "", False
    except store.IndexMissing:
        return None, "no index yet", False
    except (store.IndexCorrupt, ValueError, KeyError, TypeError) as exc:
        reason = f"the saved index is corrupt: {exc}"
        if not quiet:  # `quiet`: the look again under the writer lock, after one that said it
            log.warning("index: %s; rebuilding from %s", reason, seeds_dir)
        return None, reason, False


def _first(ids: list[int], limit: int | None) -> list[int]:
    """The first `limit` ids (all of them without a limit; none for a negative one)."""
    return ids if limit is None else ids[: max(0, limit)]


class Corpus:
    """A loaded index plus the articles and passages it cites. Safe to share across threads."""

    def __init__(self, seeds_dir: Path, index_dir: Path, saved: store.Saved, *, day_first: bool = False) -> None:
        self.seeds_dir, self.index_dir, self.saved = seeds_dir, index_dir, saved
        self.day_first = day_first
        self.stale: str | None = None  # why this is an older index than the seeds ask for, if it is
        meta = saved.meta
        chain = store.load_chain(saved) if meta.get("segments") else [saved]
        for part in chain:
            if len(part.arrays["body_offsets"]) != len(part.meta["articles"]) + 1:
                raise store.IndexCorrupt(f"{part.path}: the articles of the sidecar do not match the saved bodies")
        # One segment without removals is read as saved (memory-mapped); a chain is merged here,
        # unless this process has just committed it (the writer's view, its last segment in memory).
        view = segments.recall(saved.path.name) if meta.get("segments") else None
        self._view = view or segments.merge(chain, meta.get("deleted", {}), BM25Params(**meta["bm25"]))
        self._articles_meta: list[dict[str, Any]] = self._view.articles
        self._doc_index = {m["doc_id"]: i for i, m in enumerate(self._articles_meta)}
        self._rows = self._view.rows  # the live rows where they lie (a chain's are not copied)
        self._layout: np.ndarray | None = self._rows.saved  # a chain's is made on first use (`layout`)
        self.bm25: BM25 = self._view.bm25
        if not self._rows.fits():
            raise store.IndexCorrupt(f"{saved.path}: the articles of the sidecar do not match the saved bodies")
        for part in self._view.segments:  # read whole just now: the answers read a few rows a question
            store.release(part.arrays["passages"])
        # The chain's mapped arrays, dropped from the resident set once queries touched many (resident.py).
        self.pages = MappedPages(a for part in self._view.segments for a in (*part.arrays.values(), part.bodies))
        self._body = lru_cache(maxsize=BODY_CACHE)(self._read_body)
        # A build or a merge saved the whole layers: read once here, off any event loop (Corpus.open
        # runs in a thread in the bot), so that entity lookups and every autocomplete answer at
        # once; the timeline is read on first use. A commit of a few articles saved only their
        # layer inputs: the layers of the live view are assembled on first use (`prepare_layers`).
        self._layers_lock = threading.Lock()
        self._entity_cache: EntityIndex | None = None
        self._suggestion_cache: layers.Suggestions | None = None
        self._base_names: EntityIndex | None = None  # the first segment's, for answers on a chain
        self._timeline: list[Event] | None = None
        self._records_cache: list[list[Any]] | None = None
        self._copies_cache: tuple[frozenset[int], dict[int, list[str]]] | None = None
        self._body_sizes: np.ndarray | None = None  # packed body size per article row (`same_text`)
        self._chain: layers.ChainLayers | None = None  # a chain's layers merged at read (`prepare_layers`)
        self.whole_layers = layers.ENTITIES in meta["files"]
        if self.whole_layers:
            try:
                self._entity_cache = layers.load_entities(saved.read(layers.ENTITIES), saved.arrays)
                self._suggestion_cache = layers.load_suggestions(saved.read(layers.SUGGESTIONS))
            except (ValueError, KeyError, TypeError, IndexError) as exc:
                raise store.IndexCorrupt(f"{saved.path}: a saved layer is unreadable ({exc})") from exc
            if len(self._suggestion_cache) and int(self._suggestion_cache.ranks.max()) >= len(self._articles_meta):
                raise store.IndexCorrupt(f"{saved.path}: the suggestions point outside the articles")

    def prepare_layers(self) -> None:
        """Make the entity index, the timeline records and the `/source` suggestions ready.

        After an incremental commit, the chain's base (a build or a merge) has its layers saved
        whole: they are read as they are and the saved recogniser and tagger results of the
        articles added or removed since are merged in (`layers.assemble_chain`: linear in the
        base's names and events, not its sentences; no text is analysed again), on first use or
        when a front end calls this in a worker thread after a change. Thread-safe; cheap once
        done, and a no-op for a built or merged generation.
        """
        self._prepare_names()
        self._suggestions()
        if self._records_cache is not None or self.whole_layers:
            return
        with self._layers_lock:
            if self._records_cache is None and self._chain is not None:
                try:
                    with _no_collection():  # 10^5 small lists: the cyclic collector would scan them again and again
                        self._records_cache = self._chain.records()
                except (ValueError, KeyError, TypeError, IndexError) as exc:
                    raise store.IndexCorrupt(f"{self.saved.path}: a saved layer is unreadable ({exc})") from exc

    def _prepare_names(self) -> None:
        """The entity index of a chain (its `/source` suggestions and timeline wait for their
        first use: `_suggestions`, `_records`).
        """
        if self._entity_cache is not None:
            return
        with self._layers_lock:
            if self._entity_cache is not None:
                return
            view = self._view
            try:
                # the base's saved layers with what changed since merged in (read-time merge) ...
                with _no_collection():
                    chained = layers.assemble_chain(view, self._body, self._base_entities())
                if chained is not None:
                    entities = chained.entities
                    self._chain = chained
                else:  # ... or, when the base saved none, every live article's inputs assembled whole
                    mentions, records = layers.live_inputs(view.segments, view.origin, view.pid_maps)
                    articles = [Article(body=self._body(i), **m) for i, m in enumerate(self._articles_meta)]
                    entities, flat, suggestions = layers.assemble_objects(articles, view.passages, mentions, records)
                    self._records_cache = flat
                    self._suggestion_cache = suggestions
            except (ValueError, KeyError, TypeError, IndexError) as exc:
                raise store.IndexCorrupt(f"{self.saved.path}: the saved layer inputs are unreadable ({exc})") from exc
            self._entity_cache = entities

    def _suggestions(self) -> layers.Suggestions:
        """The `/source` suggestions: saved whole, or a chain's merged on first use (`ChainLayers`)."""
        if self._suggestion_cache is None:
            self._prepare_names()
            with self._layers_lock:
                if self._suggestion_cache is None:
                    assert self._chain is not None  # `_prepare_names` made either the chain's layers or all
                    try:
                        self._suggestion_cache = self._chain.suggestions
                    except (ValueError, KeyError, TypeError, IndexError) as exc:
                        raise store.IndexCorrupt(f"{self.saved.path}: a saved layer is unreadable ({exc})") from exc
        return self._suggestion_cache

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
        edits: Mapping[str, seeds_state.Edit] | None = None,
        writer_view: segments.View | None = None,
    ) -> Corpus:
        """Load the saved index if it is fresh and sound; otherwise build it first.

        `day_first` reads numeric front-matter dates (03/04/2009) day first; changing it rebuilds.
        When the build cannot be written (a full or read-only disk) and `keep_last_good`, the
        last sound index is opened instead, with `stale` saying why; otherwise OSError. `edits`:
        records a writer just took out of collection files (`remove`), which are not read again.
        `writer_view`: the live view of the corpus reindexing (`reindex`), which an add extends.
        """
        seeds_dir, index_dir = Path(seeds_dir), Path(index_dir)
        if not rebuild:
            saved, reason, _ = _check(seeds_dir, index_dir, day_first, edits)
            if saved is not None:
                try:
                    return cls(seeds_dir, index_dir, saved, day_first=day_first)
                except (store.IndexCorrupt, ValueError, KeyError, TypeError) as exc:
                    log.warning("index: the saved index is corrupt: %s; rebuilding from %s", exc, seeds_dir)
                    rebuild = True
        try:
            with writer_lock(index_dir):  # one writer at a time; readers never take it
                generation = cls._write(
                    seeds_dir,
                    index_dir,
                    rebuild=rebuild,
                    progress=progress,
                    day_first=day_first,
                    edits=edits,
                    writer_view=writer_view,
                )
        except OSError as exc:
            last = cls._last_good(seeds_dir, index_dir, day_first) if keep_last_good else None
            if last is None:
                raise
            from index.ingest.files import storage_problem

            last.stale = f"could not rebuild the index ({storage_problem(exc)}); answering from the index built {last.saved.meta.get('built_at')}"
            log.warning("index: %s", last.stale)
            return last
        return cls(seeds_dir, index_dir, store.load(generation, store.read_meta(generation)), day_first=day_first)

    @staticmethod
    def _write(
        seeds_dir: Path,
        index_dir: Path,
        *,
        rebuild: bool,
        progress: bool,
        day_first: bool,
        edits: Mapping[str, seeds_state.Edit] | None = None,
        writer_view: segments.View | None = None,
    ) -> Path:
        """Under the writer lock: look again (another writer may have just caught up), then update
        the current generation with what changed, or build it whole.
        """
        reason, incremental = "a rebuild was asked for", False
        if not rebuild:
            saved, reason, incremental = _check(seeds_dir, index_dir, day_first, edits, quiet=True)
            if saved is not None:
                return saved.path
        if incremental:
            log.info("index: updating (%s)", reason)
            try:
                return builder.update(seeds_dir, index_dir, day_first=day_first, edits=edits, writer_view=writer_view)
            except builder.SplitterOutgrown as exc:  # expected: no warning
                reason = str(exc)
            except (store.IndexCorrupt, ValueError, KeyError, TypeError, IndexError) as exc:
                reason = f"the saved index cannot be updated: {exc}"
                log.warning("index: %s; rebuilding from %s", reason, seeds_dir)
        log.info("index: building (%s)", reason)
        generation = builder.build(seeds_dir, index_dir, progress=progress, day_first=day_first)
        # Which file holds which article id, remembered now for the next ingest or removal, which
        # would otherwise read every record id of the collections (12 s at ten million sentences).
        article_owners(seeds_dir, index_dir / OWNERS_CACHE)
        return generation

    @classmethod
    def _last_good(cls, seeds_dir: Path, index_dir: Path, day_first: bool) -> Corpus | None:
        """The saved index as it is, if it is sound and of this code's format (stale seeds allowed)."""
        try:
            generation = store.current_generation(index_dir)
            meta = store.read_meta(generation)
            reason = _stale_reason(meta, day_first)
            if reason is not None:
                return None
            return cls(seeds_dir, index_dir, store.load(generation, meta), day_first=day_first)
        except (store.IndexMissing, store.IndexCorrupt, OSError, ValueError, KeyError, TypeError):
            return None

    def reindex(
        self, edits: Mapping[str, seeds_state.Edit] | None = None, *, on_wait: Callable[[], None] | None = None
    ) -> Corpus:
        """Re-read the seeds folder and return a fresh Corpus (the caller swaps it in);
        OSError when the new index cannot be written (the caller keeps this one). `edits`: see `open`.
        An add extends this corpus's own view (`segments.extend`): no earlier segment is merged again.
        `on_wait` is called when another writer (a CLI's `index build`) holds the index first.
        """
        with writer_lock(self.index_dir, on_wait):  # re-entrant: `open` takes it again
            return Corpus.open(
                self.seeds_dir,
                self.index_dir,
                day_first=self.day_first,
                keep_last_good=False,
                edits=edits,
                writer_view=self._view,
            )

    # ------------------------------------------------------------------ changing: one writer at a time
    def add_files(
        self,
        files: Sequence[Path | tuple[str, bytes]],
        *,
        replace: bool = False,
        max_bytes: int = MAX_ARTICLE_BYTES * 20,
        on_wait: Callable[[], None] | None = None,
    ) -> Change:
        """Add article files (paths, or (file name, bytes) uploads) to the seeds and reindex.

        The policy both front ends follow: an article's id is its identity (the JSONL `id`, the
        front matter's `id:`, else the file's stem). An id already indexed is refused unless
        `replace`, which replaces the old version everywhere. Files are checked before the
        writer lock (`on_wait` is called if another writer holds it) and stored under it, then
        the index is rebuilt under it too, so the next writer starts from this one's result.
        A bad file is refused and a failed write reported in the Change; the others go on.
        """
        change = Change()
        checked = []
        for item in files:
            label = item.name if isinstance(item, Path) else item[0]
            try:
                name, data = (item.name, item.read_bytes()) if isinstance(item, Path) else item
                checked.append((label, check_upload(name, data, max_bytes, day_first=self.day_first)))
            except ValueError as exc:
                change.refused.append((label, str(exc)))
            except OSError as exc:
                change.refused.append((label, f"cannot read it ({storage_problem(exc)})"))
        with seeds_lock(self.seeds_dir, on_wait) as waited, self._writing(waited, on_wait, change):
            base = self._current()
            stored: dict[str, str] = {}  # id -> the file of this call that stored it
            for label, upload in checked:
                clash = next((doc_id for doc_id in upload.ids if doc_id in stored), None)
                if clash is not None:  # not IdTaken: no article held it before this call (qa24)
                    earlier = (
                        "an earlier file of this ingest, of the same name,"
                        if stored[clash] == label
                        else (f"{stored[clash]}, earlier in this ingest,")
                    )
                    change.refused.append((label, f"{earlier} also holds {clash!r}: give one version of an article"))
                    continue
                try:
                    saved = store_upload(self.seeds_dir, upload, replace=replace, owners_cache=self._owners_cache())
                except IdTaken as exc:
                    change.refused.append((label, str(exc)))
                    change.taken.extend(doc_id for doc_id in exc.taken if doc_id not in change.taken)
                    continue
                except OSError as exc:
                    change.failed.append((label, storage_problem(exc)))
                    continue
                change.written.append(saved.path.relative_to(self.seeds_dir).as_posix())
                if upload.transcoded is not None:  # the build reads UTF-8 and says nothing of it (the CLI shows this)
                    log.warning("ingest: %s", upload.transcoded)
                stored.update(dict.fromkeys(saved.ids, label))
                change.warnings.extend(upload.warnings)
                for doc_id in saved.ids:
                    if doc_id in change.added or doc_id in change.replaced:
                        continue
                    (change.replaced if doc_id in saved.replaced else change.added).append(doc_id)
            return base._commit(change, change.replaced)

    def remove(self, ids: Iterable[str], *, on_wait: Callable[[], None] | None = None) -> Change:
        """Delete articles by id from the seeds (their file, or their JSONL records) and reindex,
        under the writer lock; ids no article has are listed in `Change.unknown`.
        """
        change = Change()
        with seeds_lock(self.seeds_dir, on_wait) as waited, self._writing(waited, on_wait, change):
            base = self._current()
            ids = [base.indexed_id(doc_id) for doc_id in ids]
            held = base._collections_of(ids)  # the files the index has these articles from
            before = {rel: seeds_state.stat_of(self.seeds_dir / rel) for rel in held}
            change.removed, change.unknown = remove_ids(self.seeds_dir, ids, owners_cache=self._owners_cache())
            edits = {  # records taken out of a collection file that stays: the commit need not read it
                rel: seeds_state.Edit(before[rel], seeds_state.stat_of(self.seeds_dir / rel), frozenset(doc_ids))
                for rel, doc_ids in held.items()
                if (self.seeds_dir / rel).is_file()
            }
            return base._commit(change, change.removed, edits)

    @contextmanager
    def _writing(self, waited: bool, on_wait: Callable[[], None] | None, change: Change) -> Iterator[None]:
        """The index's writer lock for a change, taken with the seeds folder's: a CLI's `index
        build` holds only the writer lock, and a change waiting for it says so too (once).
        """

        def said() -> None:
            change.waited = True
            if on_wait is not None and not waited:
                on_wait()

        change.waited = waited
        with writer_lock(self.index_dir, said):
            yield

    def _owners_cache(self) -> Path:
        """Where the ids each seed file holds are remembered between changes (index.ingest.files)."""
        return self.index_dir / OWNERS_CACHE

    def _current(self) -> Corpus:
        """This index, or the newer one another writer (a CLI, the bot) saved since it was opened:
        what a change is counted against (the writer lock is held, so it is the latest).
        """
        try:
            if store.current_generation(self.index_dir) == self.saved.path:
                return self
        except (store.IndexMissing, store.IndexCorrupt, OSError):
            return self
        return Corpus.open(self.seeds_dir, self.index_dir, day_first=self.day_first)

    def newer(self, skip: Path | None = None) -> Corpus | None:
        """The index another process (a CLI's `ingest` or `remove`) committed since this one was
        opened, loaded as it is, never built; None when this is the latest, is `skip` (one the
        caller could not use), or the saved one is unreadable or of another format. A server swaps
        it in, so it answers what the desk added.
        """
        try:
            if store.current_generation(self.index_dir) in (self.saved.path, skip):
                return None
        except (store.IndexMissing, store.IndexCorrupt, OSError):
            return None
        fresh = Corpus._last_good(self.seeds_dir, self.index_dir, self.day_first)
        return None if fresh is None or fresh.saved.path == self.saved.path else fresh

    def _collections_of(self, doc_ids: Iterable[str]) -> dict[str, set[str]]:
        """The seed files (relative paths) this index read these articles from, with their ids."""
        out: dict[str, set[str]] = {}
        for doc_id in doc_ids:
            row = self._doc_index.get(doc_id)
            if row is None:
                continue
            seg, local = int(self._view.origin[row, 0]), int(self._view.origin[row, 1])
            files = self._view.segments[seg].meta.get("article_files", [])
            if local < len(files) and files[local]:
                out.setdefault(str(files[local]), set()).add(doc_id)
        return out

    def _commit(self, change: Change, gone: list[str], edits: Mapping[str, seeds_state.Edit] | None = None) -> Change:
        """Reindex after a change of the seeds (the writer lock is held) and count what changed."""
        if not change.changed:
            change.corpus = self
            return change
        change.before = self._counted(gone)  # before the rebuild, which may clean this generation up
        try:
            fresh = self.reindex(edits)
        except OSError as exc:
            change.reindex_problem = storage_problem(exc)
            change.corpus = self
            return change
        change.corpus = fresh
        change.after = fresh._counted(change.added + change.replaced)
        for warning in fresh.same_text(change.added + change.replaced):
            log.warning("ingest: %s", warning)  # as the build says a file's problems (the CLI shows them)
            change.warnings.append(warning)
        return change

    def same_text(self, doc_ids: Iterable[str]) -> list[str]:
        """A warning for each of `doc_ids` whose body is word for word that of an indexed article
        not among them (a syndicated copy under another id: kept, and its shared sentences shown
        once); copies among `doc_ids` themselves were read by the same build, which names them
        (each once, and only the later of two), so each body is looked for once, for the first of
        `doc_ids` that has it: a later one was named as its copy. Cheap: only articles whose
        packed body has the same size are read.
        """
        doc_ids = list(doc_ids)
        among = {self._doc_index[doc_id] for doc_id in doc_ids if doc_id in self._doc_index}
        if self._body_sizes is None:
            sizes = np.zeros(len(self._articles_meta), dtype=np.int64)
            origin = self._view.origin
            for s, part in enumerate(self._view.segments):
                mine = origin[:, 0] == s
                sizes[mine] = np.diff(np.asarray(part.arrays["body_offsets"], dtype=np.int64))[origin[mine, 1]]
            self._body_sizes = sizes
        out, seen = [], set()
        for doc_id in doc_ids:
            row = self._doc_index.get(doc_id)
            if row is None:
                continue
            body = self._view.body_bytes(row)
            if body in seen:  # the build named it as the copy of one among `doc_ids`
                continue
            seen.add(body)
            for other in np.flatnonzero(self._body_sizes == self._body_sizes[row]).tolist():
                if other not in among and self._view.body_bytes(other) == body:
                    first = self._articles_meta[other]["doc_id"]
                    out.append(same_text(doc_id, first))
                    break
        return out

    def _counted(self, doc_ids: list[str]) -> Footprint:
        """`footprint`, or nothing counted when a layer cannot be read: counts never stop a change."""
        try:
            return self.footprint(doc_ids)
        except (OSError, store.IndexCorrupt) as exc:
            log.warning("index: could not count what the change touched (%s)", exc)
            return Footprint(articles=len(doc_ids))

    def footprint(self, doc_ids: Iterable[str]) -> Footprint:
        """How many sentences, timeline events and distinct names these articles hold here
        (ids this index does not have are left out).
        """
        docs = sorted({self._doc_index[d] for d in doc_ids if d in self._doc_index})
        if not docs:
            return Footprint()
        ranges = [(self._first_pid[d], self._first_pid[d + 1]) for d in docs]
        # From these articles' saved layer inputs alone (proportional to them, whatever the corpus):
        # their dated sentences, and the entities their mentions make among themselves.
        wanted: dict[int, list[int]] = {}
        for d in docs:
            wanted.setdefault(int(self._view.origin[d, 0]), []).append(int(self._view.origin[d, 1]))
        events, found, passages = 0, {}, []
        for seg, rows in wanted.items():
            try:
                seg_mentions, seg_records = layers.segment_inputs(self._view.segments[seg], rows)
            except (ValueError, KeyError, TypeError, IndexError) as exc:
                raise store.IndexCorrupt(f"{self.saved.path}: the saved layer inputs are unreadable ({exc})") from exc
            events += sum(len(r) for r in seg_records)
            for row, mentions in zip(rows, seg_mentions, strict=True):
                found[self._doc_id_at(seg, row)] = mentions
        for doc_id in found:
            passages.extend(self.passages_of(doc_id))
        articles = {doc_id: self.article(doc_id) for doc_id in found}
        names = len(build_entities(articles, passages, found)) if any(found.values()) else 0
        return Footprint(len(docs), sum(hi - lo for lo, hi in ranges), events, names)

    def _doc_id_at(self, seg: int, row: int) -> str:
        """The doc_id of an article by its segment and row there."""
        return str(self._view.segments[seg].meta["articles"][row]["doc_id"])

    # ------------------------------------------------------------------ lookups
    @property
    def layout(self) -> np.ndarray:
        """The saved passage table, one row per pid (doc, paragraph, sentence, offsets, related):
        what the answer stage, its tests and the fitting tools read as `layout`. Read-only.

        A chain's (its rows stay in their segments, `segments.ChainRows`) holds the one column
        the answer stage reads, `doc`, made on first use: 40 MB at ten million sentences where
        the whole rows would be 210 MB, and nothing at open. Its paragraphs are the engine's
        (`LiveBM25.unit_runs`: the segments' saved runs), so no paragraph column is copied.
        """
        if self._layout is None:
            self._layout = self._rows.table(("doc",))
        return self._layout

    @cached_property
    def _first_pid(self) -> list[int]:
        """Pid of each article's first passage, then the number of passages (stored article by
        article): made on first use (a pass over the rows; an answer without context never needs it).
        """
        firsts: list[int] = self._rows.firsts().tolist()
        return firsts

    def _read_body(self, doc: int) -> str:
        return self._view.body_bytes(doc).decode("utf-8")

    def articles(self) -> list[Article]:
        """Every article, in index order (bodies included: mind the size)."""
        return [self.article(m["doc_id"]) for m in self._articles_meta]

    def indexed_id(self, doc_id: str) -> str:
        """The id an article has for `doc_id` as typed: itself, else its composed or decomposed
        spelling (a Mac's file name `café.md` gives the id with `e` and a combining accent, which
        no keyboard types); `doc_id` when no article has any of them.
        """
        if doc_id in self._doc_index:
            return doc_id
        for form in ("NFC", "NFD"):
            if (spelled := unicodedata.normalize(form, doc_id)) in self._doc_index:
                return spelled
        return doc_id

    def article(self, doc_id: str) -> Article:
        """The article with this id (or its other spelling, `indexed_id`); KeyError when there is none."""
        doc = self._doc_index[self.indexed_id(doc_id)]
        return Article(body=self._body(doc), **self._articles_meta[doc])

    def passage(self, pid: int) -> Passage:
        """The sentence with this id; KeyError when there is none."""
        return self.passages([pid])[0]

    def passages(self, pids: list[int]) -> list[Passage]:
        """The sentences with these ids, in order, as `passage` gives each (read a column at a
        time: the answer reads a few dozen per question); KeyError when one does not exist.
        """
        if pids and not (0 <= min(pids) and max(pids) < len(self._rows)):
            raise KeyError(next(pid for pid in pids if not 0 <= pid < len(self._rows)))
        return self._passages_at(pids)

    def _passages_at(self, pids: list[int]) -> list[Passage]:
        """Many passages at once (column by column: a row at a time is slow with numpy)."""
        if pids and not (0 <= min(pids) and max(pids) < len(self._rows)):
            raise store.IndexCorrupt(f"{self.saved.path}: a saved layer cites a sentence that does not exist")
        rows = self._rows.take(np.asarray(pids, dtype=np.int64))
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
        """Every sentence of one article (`indexed_id` spellings too), in order; KeyError for an unknown id."""
        doc = self._doc_index[self.indexed_id(doc_id)]
        return self._passages_at(list(range(self._first_pid[doc], self._first_pid[doc + 1])))

    def all_passages(self) -> Iterator[Passage]:
        """Every passage, article by article (a generator: the corpus may be large)."""
        return (self.passage(pid) for pid in range(len(self._rows)))

    def neighbours(self, pid: int, n: int) -> tuple[list[Passage], list[Passage]]:
        """Up to `n` passages before and after `pid` within the same article."""
        doc = int(self._rows.take(np.asarray([pid], dtype=np.int64))["doc"][0])
        lo, hi = self._first_pid[doc], self._first_pid[doc + 1]
        before = [self.passage(i) for i in range(max(lo, pid - n), pid)]
        after = [self.passage(i) for i in range(pid + 1, min(hi, pid + 1 + n))]
        return before, after

    # ------------------------------------------------------------------ asking
    def answer(self, question: str | Query, k: int = 3, context: int = 0, *, prior: Prior | None = None) -> Answer:
        """Best `k` passages for a question (see index.answer.answers.answer), as typed or as
        `prepare` made it; `prior` is what a conversation carries from its earlier questions
        (see `conversation`).
        """
        from index.answer import details  # imported on first use: `entities` and `timeline` never need it
        from index.answer.answers import answer

        try:
            if details.ENABLED:  # a question about an article itself (who wrote it, when, its link)
                query = question if not isinstance(question, str) else self.prepare(question)
                asked = details.asks(query.text)
                found, final = details.answer(asked, query, self, prior) if asked else (None, False)
                if found is not None and final:
                    return found
                read = answer(query, self.bm25, self, k, context, prior=prior, names=self._names(), stories=self)
                return details.unless_read(read, found)
            return answer(question, self.bm25, self, k, context, prior=prior, names=self._names(), stories=self)
        finally:
            self.pages.trim()

    def prepare(self, question: str) -> Query:
        """The question prepared for this index (index.answer.query): its kind, terms before and
        after spelling fixes, weights. Raises QuestionError for an empty or huge question.
        """
        from index.answer.query import prepare  # imported on first use, as `answer`

        return prepare(question, self.bm25)

    def story_title(self, row: int) -> str:
        """The title of the article at this row (story evidence: index.answer.stories)."""
        return str(self._articles_meta[row].get("title") or "")

    def story_date(self, row: int) -> str | None:
        """The publication date (ISO) of the article at this row, if known."""
        value = self._articles_meta[row].get("date")
        return str(value) if value else None

    def _names(self) -> EntityIndex | None:
        """The entity index the answer reads names and aliases from (index.answer.aliases).

        On a chain whose base saved its key table, the chain's own (merged at read, see
        `prepare_layers`: a new article's "Tim Cook" widens questions at once); on an older base,
        `ask` does not wait for the whole assembly and reads the base's names.
        """
        if self._entity_cache is None and layers.ENTITY_KEYS in self._view.segments[0].meta["files"]:
            self._prepare_names()
        if self._entity_cache is not None:
            return self._entity_cache
        return self._base_entities()

    def _base_entities(self) -> EntityIndex | None:
        """The entity index saved whole with the chain's first segment (a build or a merge)."""
        if self._base_names is None:
            first = self._view.segments[0]
            try:
                if layers.ENTITIES in first.meta["files"]:
                    self._base_names = layers.load_entities(first.read(layers.ENTITIES), first.arrays)
            except (ValueError, KeyError, TypeError, IndexError) as exc:
                raise store.IndexCorrupt(f"{first.path}: a saved layer is unreadable ({exc})") from exc
        return self._base_names

    def tokenize(self, text: str) -> list[str]:
        """The exact index terms of a text (what both documents and questions become)."""
        return tokens.tokenize(text)

    def search(self, question: str, k: int = 10) -> list[tuple[int, float]]:
        """The plain BM25 ranking: (passage id, score) of the `k` best passages holding at least one
        of the question's terms, best first (ties: lower id). Scores equal
        `rank_bm25.BM25Okapi(k1=1.5, b=0.75, epsilon=0.25)` built on the same passages and tokens.
        """
        ids, scores = self.bm25.top(tokens.tokenize(question), k)
        self.pages.trim()
        return list(zip(ids.tolist(), scores.tolist(), strict=True))

    def conversation(self) -> Conversation:
        """A new conversation: its questions share their history (index.answer.conversation)."""
        from index.answer.conversation import Conversation  # imported on first use, as `answer`

        return Conversation(self)

    def story_row(self, doc_id: str) -> int:
        """The row of an article in this index (what a `Prior` names stories by)."""
        return self._doc_index[doc_id]

    def doc_id_of_row(self, row: int) -> str:
        """The doc_id of the article at this row (the inverse of `story_row`)."""
        return str(self._articles_meta[row]["doc_id"])

    def entities(self) -> EntityIndex:
        """The entity index of every article (index.names.entity_index.EntityIndex), saved with the index
        (assembled on first use after an incremental commit: `prepare_layers`).
        """
        if self._entity_cache is None:
            self._prepare_names()
        assert self._entity_cache is not None
        return self._entity_cache

    def entity_details(self, name: str, quotes: int = 3, cooccurring: int = 10) -> EntityDetails | None:
        """The entity called `name` (aliases too: `GM`), or None: the first `quotes` sentences
        citing it, each once with every span of the name, and up to `cooccurring` names most
        often in the same sentences. What `/entity` and `python -m bot entity` show.
        """
        index = self.entities()
        entity = index.get(name)
        if entity is None:
            return None
        spans: dict[int, list[tuple[int, int]]] = {}
        for pid, start, end in entity.cited_lists():
            if pid in spans or len(spans) < quotes:
                spans.setdefault(pid, []).append((start, end))
        passages = self._passages_at(list(spans))
        articles = {doc_id: self.article(doc_id) for doc_id in dict.fromkeys(p.doc_id for p in passages)}
        return EntityDetails(
            entity,
            [Quote(p, articles[p.doc_id], tuple(spans[p.pid])) for p in passages],
            index.cooccurring(entity.name, limit=cooccurring),
        )

    def suggest_articles(self, text: str, limit: int = 25) -> list[tuple[str, str]]:
        """(doc_id, title) of articles whose id, title, or a word of the title starts with `text`
        (case-insensitive; an empty `text` lists the first articles). A bisect, not a scan. An
        accent is matched however it is typed, as `indexed_id` finds it: composed (a keyboard) and
        decomposed (a Mac's file name), so each spelling is looked up, in that order.
        """
        typed = " ".join(text.casefold().split())
        ranks: list[int] = []
        for spelled in dict.fromkeys(unicodedata.normalize(form, typed) for form in ("NFC", "NFD")):
            ranks += [r for r in self._suggestions().search(spelled, limit) if r not in ranks][: limit - len(ranks)]
        return [(self._articles_meta[r]["doc_id"], self._articles_meta[r]["title"]) for r in ranks]

    def _records(self) -> list[list[Any]]:
        """The saved timeline (`timeline.Event.record` values, oldest first), read on first use.

        No lock: two first readers would read the same file twice, harmlessly.
        """
        if self._records_cache is None and not self.whole_layers:
            self.prepare_layers()
        if self._records_cache is None:
            try:
                with _no_collection():
                    records = layers.load_events(self.saved.read(layers.TIMELINE))
                if records and not all(0 <= Event.record_pid(r) < len(self._rows) for r in records):
                    raise ValueError("an event cites a sentence that does not exist")
            except (ValueError, KeyError, TypeError) as exc:
                raise store.IndexCorrupt(f"{self.saved.path}: the saved timeline is unreadable ({exc})") from exc
            self._records_cache = records
        return self._records_cache

    def event_copies(self) -> tuple[frozenset[int], dict[int, list[str]]]:
        """The timeline's repeated events, made on first use: a sentence repeated word for word
        with the same dates (a syndicated story under several ids) is one event, its first in
        the timeline's order. Returns the ids of the others, and for each kept event the doc ids
        of the other articles holding it. Only events with the same dates and the same sentence
        length (characters and words) are compared, so few sentences are read.
        """
        if self._copies_cache is None:
            records = self._records()
            pids = np.asarray([Event.record_pid(r) for r in records], dtype=np.int64)
            rows = self._rows.take(pids) if len(pids) else None
            chars = (rows["end"] - rows["start"]).tolist() if rows is not None else []
            words = np.asarray(self.bm25.doc_lengths())[pids].tolist()
            self._copies_cache = repeated_events(records, list(zip(chars, words, strict=True)), self._passages_at)
        return self._copies_cache

    def events_at(self, ids: Sequence[int]) -> list[Event]:
        """The events with these ids (from `event_ids`), with their passages and articles, and
        the other articles holding the same sentence (`Event.also_in`).
        """
        records = self._records()
        chosen = [records[i] for i in ids]
        passages = self._passages_at([Event.record_pid(r) for r in chosen])
        articles = {doc_id: self.article(doc_id) for doc_id in dict.fromkeys(p.doc_id for p in passages)}
        copies = self.event_copies()[1]
        events = []
        for i, record, passage in zip(ids, chosen, passages, strict=True):
            event = Event.from_record(record, passage, articles[passage.doc_id])
            event.also_in = list(copies.get(i, ()))
            events.append(event)
        return events

    def timeline(self) -> list[Event]:
        """Every dated sentence of every article, oldest first (list of index.time.timeline.Event),
        each with the canonical names of the entities of its sentence (saved with it); a sentence
        repeated word for word with the same dates once (`event_copies`).
        """
        if self._timeline is None:
            dropped = self.event_copies()[0]
            self._timeline = self.events_at([i for i in range(len(self._records())) if i not in dropped])
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
        [date_from, date_to]. A sentence repeated word for word with the same dates in other
        articles is one event (`event_copies`).
        """
        pids: set[int] | None = None
        pattern = None
        if entity and entity.strip():
            found = self.entities().get(entity)
            if found is not None:
                pids = set(found.cited_pids())
            else:
                pattern = word_pattern(entity)
        lo = date_from.toordinal() if date_from else None
        hi = date_to.toordinal() if date_to else None
        out = []
        dropped = self.event_copies()[0]
        for i, (pid, _, _, dates, names) in enumerate(self._records()):
            if i in dropped:
                continue
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
        return self.events_at(_first(ids, limit))

    def events_json(
        self,
        *,
        entity: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        order: Literal["oldest", "newest"] = "oldest",
        limit: int | None = None,
    ) -> str:
        """`events(...)` as JSON text: the array of their `Event.to_json` values, written straight
        from the saved records without making any event (`timeline --json` writes the whole
        timeline, tens of thousands of events, in a fresh process).
        """
        ids = self.event_ids(entity=entity, date_from=date_from, date_to=date_to, order=order)
        records = self._records()
        chosen = [records[i] for i in _first(ids, limit)]
        rows = self._rows.take(np.asarray([Event.record_pid(r) for r in chosen], dtype=np.int64))
        docs, paragraphs, sentences, starts, ends = (
            rows[name].tolist() for name in ("doc", "paragraph", "sentence", "start", "end")
        )
        bodies = {doc: self._body(doc) for doc in dict.fromkeys(docs)}  # each body decoded once
        metas = self._articles_meta
        passages = [
            (metas[doc]["doc_id"], bodies[doc][start:end], paragraph, sentence)
            for doc, paragraph, sentence, start, end in zip(docs, paragraphs, sentences, starts, ends, strict=True)
        ]
        copies = self.event_copies()[1]
        also_in = [copies.get(i, []) for i in _first(ids, limit)]
        with _no_collection():
            return events_json(chosen, passages, {metas[doc]["doc_id"]: metas[doc] for doc in bodies}, also_in)

    def stats(self) -> dict[str, Any]:
        """What is indexed, when, where, with the build's warnings (for `about`)."""
        meta = self.saved.meta
        return {
            "articles": len(self._articles_meta),
            "passages": int(len(self._rows)),
            "terms": len(self.bm25.terms),
            "built_at": meta["built_at"],
            "seeds_hash": meta["seeds_hash"],
            "index": str(self.saved.path),
            "warnings": list(meta.get("warnings", [])),
            "entities": len(self.entities()),
            "events": int(meta["layer_counts"]["events"]) if "layer_counts" in meta else len(self._records()),
        }

    def article_count(self) -> int:
        """How many articles are indexed (cheap: `stats` also counts the names and events, which
        assembles a chain's layers after a change).
        """
        return len(self._articles_meta)

    def __len__(self) -> int:
        return int(len(self._rows))
