"""Seeds -> passages -> BM25 and layers -> saved generation: the one way an index is made.

The layers (entity mentions, timeline events, suggestions; `index.search.layers`) are computed
here too, so that nothing is recomputed after a start.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import numpy as np

from index.ingest import sentences
from index.ingest.articles import ARTICLES_VERSION
from index.ingest.files import SAME_TEXT_SAID, copy_of, iter_seeds, remove_stale_temp_files, same_text, seed_files
from index.models import Article
from index.search import layers as saved_layers
from index.search import seeds_state, segments, store, tokens, tombstones
from index.search.bm25 import BM25, BM25Params
from index.search.csr import Allocate, ChunkPostings, CsrBuilder, chunk_postings, in_memory
from index.search.workers import pool as worker_pool
from index.search.writer_lock import writer_lock

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from nltk.tokenize.punkt import PunktSentenceTokenizer

log = logging.getLogger("verbatim.index")
PARALLEL_CHARS = 3_000_000  # below this a process pool costs more than it saves
DEFAULT_PARAMS = BM25Params()  # read when called: `bench.bm25_params` runs a bench at others
MAX_SEGMENTS = 8  # a commit past this many segments merges those after the first
MERGE_SHARE = 0.25  # ... as does one leaving this share of the sentences outside the first segment or removed
MAX_WARNINGS = 200
SPLITTER = "splitter.json"  # the build's trained splitter: every later commit splits with it
RETRAIN_BYTES = sentences.TRAINING_CHARS  # packed article bodies a commit reads to train the splitter again


def settings(params: BM25Params | None = None, *, day_first: bool = False) -> dict[str, Any]:
    """Everything a saved index must agree with to be reused (`params`: DEFAULT_PARAMS)."""
    params = params or DEFAULT_PARAMS
    return {
        "format_version": store.FORMAT_VERSION,
        "tokenizer": tokens.settings(),
        "splitter": sentences.SPLITTER_VERSION,
        "article_reading": ARTICLES_VERSION,
        "bm25": {"k1": params.k1, "b": params.b, "epsilon": params.epsilon},
        "layers": saved_layers.settings(),
        "dates_day_first": day_first,
    }


def _counted(count: int, word: str) -> str:
    """`1 article`, `16 sentences`: the log a user sees first says what the CLI's lines say."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def _ordinal(written: str | None) -> int:
    if not written:
        return 0
    from dateutil import parser as dateparser  # imported here: `ask` imports this module, never parses

    try:
        return dateparser.parse(written).date().toordinal()
    except (ValueError, OverflowError):
        return 0


_compiled_chunk_ids: Callable[..., Any] | None
try:  # the optional compiled sentence chunking (setup.py); without it, `_process`'s Python loop
    from index.search._chunks import chunk_ids as _compiled_chunk_ids
except ImportError:  # pragma: no cover - a machine without a C compiler
    _compiled_chunk_ids = None

_splitter: PunktSentenceTokenizer | None = None  # set in each worker process by _init_worker
_TABLE = tokens.TermTable()  # each process's chunk -> term ids (a worker's own after the fork)


def _init_worker(splitter: PunktSentenceTokenizer) -> None:
    """Set up a worker process (the pool makes it exit with its parent: index.search.workers)."""
    global _splitter
    _splitter = splitter


# rows, local terms, postings, lengths, and the chunk's bodies packed for `bodies.bin` (`store.pack_body`)
ChunkResult = tuple[np.ndarray, list[str], ChunkPostings, np.ndarray, list[bytes]]


def _process(chunk: list[tuple[int, str]]) -> ChunkResult:
    """Split and tokenise some articles: passage rows, a local vocabulary, the chunk's postings
    (by local term id: `csr.chunk_postings`) and the sentences' lengths.

    Term ids are local to the chunk and only postings (6 bytes each) cross the process boundary,
    never every token; the parent maps the terms onto the global vocabulary.
    """
    if _compiled_chunk_ids is not None:
        return _process_compiled(chunk, _compiled_chunk_ids)
    rows: list[tuple[Any, ...]] = []
    words: list[str] = []  # every sentence's whitespace chunks, one after the other
    per_sentence: list[int] = []
    for doc, body in chunk:
        # The table normalises each chunk the first time it sees it (`tokens.TermTable`), so no
        # sentence is normalised here; an ASCII body is lower-cased once (`tokens.normalise` of
        # ASCII), which leaves fewer distinct chunks to look up.
        ascii_body = body.isascii()
        text = body.lower() if ascii_body else body
        for number, (start, end, paragraph, related, date) in enumerate(sentences.sentence_rows(body, _splitter), 1):
            rows.append((doc, paragraph, number, start, end, related, _ordinal(date) if date else 0))
            chunks = text[start:end].split() if ascii_body else tokens.raw_chunks(text[start:end])
            words.extend(chunks)
            per_sentence.append(len(chunks))
    ids, lengths = _TABLE.sentence_terms(words, per_sentence)
    del words
    return _chunk_result(chunk, rows, ids, lengths)


def _process_compiled(chunk: list[tuple[int, str]], chunk_ids: Callable[..., Any]) -> ChunkResult:
    """`_process` with each body's sentences split into chunks and looked up in the table by one
    compiled call (`_chunks.chunk_ids`: `str.split()` / `tokens.raw_chunks` and `dict.get` a
    chunk, no Python string list of the batch's chunks): the same ids, so the same result.
    """
    rows: list[tuple[Any, ...]] = []
    table = _TABLE.chunk_ids()
    ids_parts: list[bytes] = []
    count_parts: list[bytes] = []
    missing: list[tuple[int, str]] = []
    chunks_before = 0
    for doc, body in chunk:
        ascii_body = body.isascii()
        body_rows = sentences.sentence_rows(body, _splitter)
        rows += [
            (doc, paragraph, number, start, end, related, _ordinal(date) if date else 0)
            for number, (start, end, paragraph, related, date) in enumerate(body_rows, 1)
        ]
        body_ids, counts, body_missing = chunk_ids(
            body.lower() if ascii_body else body, body_rows, table, not ascii_body
        )
        missing += [(chunks_before + at, word) for at, word in body_missing] if chunks_before else body_missing
        chunks_before += len(body_ids) // 8
        ids_parts.append(body_ids)
        count_parts.append(counts)
    ids = np.frombuffer(b"".join(ids_parts), dtype=np.int64).copy()
    ids, lengths = _TABLE.terms_of(ids, missing, np.frombuffer(b"".join(count_parts), dtype=np.int64))
    return _chunk_result(chunk, rows, ids, lengths)


def _chunk_result(
    chunk: list[tuple[int, str]], rows: list[tuple[Any, ...]], ids: np.ndarray, lengths: np.ndarray
) -> ChunkResult:
    """The batch's rows, local terms, postings, lengths and packed bodies from its tokens' table ids."""
    # Local ids in order of first appearance: the terms' first-seen order is the vocabulary's
    # order once the parent maps them (`vocab.setdefault`).
    # Each term's first token by one scatter of minima over the table's ids (no sort of the tokens).
    first = np.full(len(_TABLE.terms), len(ids), dtype=np.int64)
    np.minimum.at(first, ids, np.arange(len(ids), dtype=np.int64))
    seen = np.flatnonzero(first < len(ids))
    in_order = seen[np.argsort(first[seen], kind="stable")]
    rank = np.empty(len(first), dtype=np.int64)
    rank[in_order] = np.arange(len(in_order), dtype=np.int64)
    flat = rank[ids]
    local = [_TABLE.terms[i] for i in in_order.tolist()]
    lengths_array = lengths.astype(np.int32)
    return (
        np.array(rows, dtype=store.PASSAGE_DTYPE),
        local,
        chunk_postings(flat, lengths_array, len(local)),
        lengths_array,
        [store.pack_body(body) for _, body in chunk],
    )


def _chunks(articles: Iterable[Article], chars: int) -> Iterator[list[tuple[int, str]]]:
    """Runs of (doc number, body) of about `chars` characters, as the articles are read."""
    current: list[tuple[int, str]] = []
    size = 0
    for doc, article in enumerate(articles):
        current.append((doc, article.body))
        size += len(article.body)
        if size >= chars:
            yield current
            current, size = [], 0
    if current:
        yield current


def _in_order(pool: ProcessPoolExecutor, chunks: Iterator[list[tuple[int, str]]], ahead: int) -> Iterator[ChunkResult]:
    """`pool.map(_process, chunks)` with at most `ahead` chunks in flight: `map` would read (and
    queue) every chunk at once, i.e. hold the whole corpus's text.
    """
    pending: deque[Future[ChunkResult]] = deque()
    for chunk in chunks:
        pending.append(pool.submit(_process, chunk))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def split_and_index(
    articles: Iterable[Article],
    params: BM25Params | None = None,
    *,
    workers: int | None = None,
    progress: bool = False,
    splitter: PunktSentenceTokenizer | None = None,
    total_chars: int | None = None,
    on_body: Callable[[bytes], None] | None = None,
    allocate: Allocate = in_memory,
) -> tuple[np.ndarray, BM25]:
    """Passage rows (store.PASSAGE_DTYPE) and the BM25 index of their tokens.

    Large corpora are split and tokenised by a pool of worker processes (one per core);
    small ones in this process, where a pool would cost more than it saves. `articles` may be a
    stream (a build's seeds as they are read) when the `splitter` trained on them and an estimate
    of their size (`total_chars`) are given: it is read once, a few chunks ahead of the workers.
    `on_body` receives each article's body packed (`store.pack_body`, by the workers), in order.
    `allocate` lays the postings out (a build: in the generation's files, `GenerationWriter.allocate`).
    """
    params = params or DEFAULT_PARAMS
    if splitter is None or total_chars is None:
        articles = list(articles)
        splitter = splitter or sentences.train_splitter(a.body for a in articles)
        total_chars = sum(len(a.body) for a in articles)
    workers = workers or min(os.cpu_count() or 1, 4)
    chunks = _chunks(articles, max(200_000, min(2_000_000, total_chars // (workers * 8) + 1)))
    first = next(chunks, None)
    chunks = itertools.chain([] if first is None else [first], chunks)
    bar = None
    if progress:
        from tqdm import tqdm  # only the CLI wants a bar, and only when the build takes a while

        bar = tqdm(desc="Indexing sentences", unit="sentence", delay=1.0)
    pool = None
    if (
        workers > 1
        and total_chars > PARALLEL_CHARS
        and first is not None
        and sum(len(b) for _, b in first) < total_chars
    ):
        pool = worker_pool(workers, _init_worker, (splitter,))
        results: Iterator[ChunkResult] = _in_order(pool, chunks, 2 * workers)
    else:
        _init_worker(splitter)
        results = map(_process, chunks)
    del first
    vocab: dict[str, int] = {}
    all_rows, all_lengths = [], []
    csr = CsrBuilder()
    try:
        for rows, local, postings, lengths, packed in results:
            if on_body is not None:
                for body in packed:
                    on_body(body)
            del packed
            # `vocab.setdefault(t, len(vocab))` for each term, as maps in C: a chunk's terms are distinct,
            # so its new ones take the next ids in their order
            fresh = list(itertools.filterfalse(vocab.__contains__, local))
            vocab.update(zip(fresh, range(len(vocab), len(vocab) + len(fresh)), strict=True))
            remap = np.fromiter(map(vocab.__getitem__, local), dtype=np.int64, count=len(local))
            all_rows.append(rows)
            csr.add(remap, postings, len(lengths))
            all_lengths.append(lengths)
            if bar is not None:
                bar.update(len(lengths))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        if bar is not None:
            bar.close()
    rows = np.concatenate(all_rows) if all_rows else np.zeros(0, dtype=store.PASSAGE_DTYPE)
    del all_rows
    lengths = np.concatenate(all_lengths) if all_lengths else np.zeros(0, dtype=np.int64)
    return rows, BM25.from_builder(list(vocab), csr, lengths, params, allocate)


class NeedsRebuild(ValueError):
    """A change an update cannot reproduce exactly (an id in two files): build the index whole."""


class SplitterOutgrown(NeedsRebuild):
    """A merge of the whole chain whose splitter a whole build would train otherwise: built whole
    instead (expected, so said quietly: a small collection's splitter learns from all of it).
    """


def _chain_splitter(chain: list[store.Saved]) -> tuple[PunktSentenceTokenizer, bytes, int]:
    """The splitter every live article of the chain was split with (the last saved one: a build's,
    or a commit's that trained it again), its file, and the segment holding it.
    """
    for number in range(len(chain) - 1, -1, -1):
        if SPLITTER in chain[number].meta["files"]:
            data = chain[number].read(SPLITTER)
            return sentences.load_splitter(data), data, number
    raise NeedsRebuild("the index has no saved sentence splitter (made before round 21)")


def _packed_bytes(chain: list[store.Saved], origin: np.ndarray, gone: set[int]) -> int:
    """The packed bodies of the chain's live articles less `gone` (their offsets only: no body is read)."""
    keep = np.ones(len(origin), dtype=bool)
    keep[sorted(gone)] = False
    total = 0
    for number, saved in enumerate(chain):
        sizes = np.diff(saved.arrays["body_offsets"])
        total += int(sizes[origin[keep & (origin[:, 0] == number), 1]].sum())
    return total


def _before_read(
    splitter: PunktSentenceTokenizer,
    order: list[str],
    gone: list[str],
    new: list[Article],
    new_files: list[str],
    fresh: list[int],
) -> bool:
    """Whether a change comes before the end of what a spent splitter read, so that a whole build
    would train on other text: an article it read gone (or replaced), a new one in an earlier file,
    or in the last file it read before the last article read there (an append after it is not).
    """
    read: frozenset[str] = getattr(splitter, "read", frozenset())
    last_file = getattr(splitter, "last_file", "")
    position = {f: i for i, f in enumerate(order)}
    end = position.get(last_file, len(order))
    if any(doc_id in read for doc_id in gone):
        return True
    if any(position.get(new_files[i], 0) < end for i in fresh):
        return True
    in_last = [i for i, f in enumerate(new_files) if f == last_file]  # that file read again, in order
    last_read = max((k for k, i in enumerate(in_last) if new[i].doc_id in read), default=-1)
    added = set(fresh)
    return any(i in added for i in in_last[: last_read + 1])


def _retrained(
    old: PunktSentenceTokenizer,
    order: list[str],
    live: list[tuple[str, str, str]],
    touched: set[str],
    new: list[Article],
    new_files: list[str],
) -> bytes:
    """The splitter a whole build of the changed seeds trains, when the chain's was trained on all
    of a small collection (under the training budget: every article changes it). `order`: the
    seed files as a build reads them; `live`: (doc_id, file, body) of the chain's articles left
    (a changed file's read again: `new`, from `new_files`). Bounded by the budget, as the chain's
    articles are under it. SplitterOutgrown when an article already split would split otherwise:
    only a whole build splits them again.
    """
    by_file: dict[str, list[tuple[str, str]]] = {}
    for doc_id, file, body in live:
        if file not in touched:
            by_file.setdefault(file, []).append((doc_id, body))
    for article, file in zip(new, new_files, strict=True):
        by_file.setdefault(file, []).append((article.doc_id, article.body))
    if not by_file.keys() <= set(order):
        raise SplitterOutgrown("an article's file is not among the seeds")
    read = [(doc_id, file, body) for file in order for doc_id, body in by_file.get(file, [])]
    splitter = sentences.train_splitter(body for _, _, body in read)
    for _, _, body in live:
        if sentences.sentence_rows(body, splitter) != sentences.sentence_rows(body, old):
            raise SplitterOutgrown("the sentence splitter learns from the whole collection")
    n = int(getattr(splitter, "texts_read", len(read)))
    return sentences.splitter_json(splitter, [d for d, _, _ in read[:n]], read[n - 1][1] if n else "")


def _read_seeds(
    seeds_dir: Path, files: list[Path], day_first: bool, taken: set[str], skipped: list[str] | None = None
) -> tuple[list[Article], list[str], list[str]]:
    """Articles of `files` with the file each came from; an id in `taken` or already read keeps
    the first and warns (as `load_seeds` does across a whole folder); skipped ids go to `skipped`.
    """
    warnings: list[str] = []
    articles, origins = [], []
    for path, article in iter_seeds(seeds_dir, files, warnings, day_first=day_first, taken=taken, skipped=skipped):
        articles.append(article)
        origins.append(path.relative_to(seeds_dir).as_posix())
    return articles, origins, warnings


class _StoredArticles(saved_layers.LazyArticles):
    """A build's articles read back from the bodies it has written: the layers read them one at
    a time (forked workers share the file's pages) and the parent never holds the text whole.
    """

    def __init__(self, metas: list[dict[str, Any]], bodies: np.ndarray, offsets: np.ndarray) -> None:
        self._metas, self._bodies, self._offsets = metas, bodies, offsets.tolist()

    def __len__(self) -> int:
        return len(self._metas)

    def _article(self, i: int) -> Article:
        body = store.body_at(self._bodies, self._offsets, i).decode("utf-8")
        return Article(body=body, **self._metas[i])

    def bodiless(self, i: int) -> Article:
        """Article `i` without its text (`layers.BodilessArticles`): nothing is unpacked."""
        return Article(body="", **self._metas[i])


def _bytes(path: Path) -> int:
    """A seed file's size, 0 when it is gone (its reader warns)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _hash(article: Article, meta: dict[str, Any] | None = None) -> str:
    """`seeds_state.article_hash` of an article (`meta`: its `meta()`, when already made)."""
    meta = dict(article.meta() if meta is None else meta)
    meta.pop("path", None)  # where the seeds folder is does not change the article
    return seeds_state.article_hash(meta, article.body)


def _kept_warnings(warnings: Iterable[str], touched: set[str], gone_ids: Iterable[str] = ()) -> list[str]:
    """The earlier commits' warnings but those of a file read again (its new read says its own)
    or gone: `index stats` listed a fixed or removed file's "skipped, not valid JSON" forever.
    A warning names its file first (`desk.jsonl:2: …`, `sub/a.md: …`, or the bare name). A copy's
    "has the same text as 'A'" goes with A's removal or replacement, as a whole build would drop it.
    """
    prefixes = tuple({f"{rel}:" for rel in touched} | {f"{PurePosixPath(rel).name}:" for rel in touched})
    copies = tuple(copy_of(first) for first in gone_ids)
    return [w for w in warnings if not (prefixes and w.startswith(prefixes)) and not (copies and w.endswith(copies))]


def _copies_of_live(
    chain: list[store.Saved], diff: _SeedsDiff, files: list[str], added: list[Article], packed: list[bytes]
) -> list[str]:
    """The saved warning for each added article whose body is a live one's word for word (a
    syndicated copy ingested after its original), as a whole build words it (`iter_seeds`), so that
    `index stats` says it after a commit too; copies among `added` were said by their reading.
    Cheap: only the live articles whose packed body has the same size are read.
    """
    if not added:
        return []
    sizes = np.full(len(diff.view.origin), -1, dtype=np.int64)
    origin = diff.view.origin
    for s, part in enumerate(chain):
        mine = origin[:, 0] == s
        sizes[mine] = np.diff(np.asarray(part.arrays["body_offsets"], dtype=np.int64))[origin[mine, 1]]
    if diff.gone:
        sizes[sorted(diff.gone)] = -1
    out: list[str] = []
    for file, article, body in zip(files, added, packed, strict=True):
        for row in np.flatnonzero(sizes == len(body)).tolist():
            seg, local = int(origin[row, 0]), int(origin[row, 1])
            if chain[seg].packed_body(local) == body:
                first = diff.view.articles[row]["doc_id"]
                out.append(f"{PurePosixPath(file).name}: {same_text(article.doc_id, first)}")
                break
    return out[:SAME_TEXT_SAID]


def _commit_meta(
    params: BM25Params, day_first: bool, state: dict[str, list[Any]], warnings: list[str], **rest: Any
) -> dict[str, Any]:
    return {
        **settings(params, day_first=day_first),
        "seeds_hash": seeds_state.seeds_hash(state),
        "seed_files": state,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "warnings": list(dict.fromkeys(warnings))[-MAX_WARNINGS:],
        **rest,
    }


def _first_read(
    seeds_dir: Path, files: list[Path], day_first: bool
) -> tuple[dict[str, list[Any]], PunktSentenceTokenizer]:
    """The seeds' state (sizes, times, hashes) and the sentence splitter trained on them: a first
    read that keeps nothing, so the second (split and index) can stream. The splitter learns from
    the articles' first characters (`sentences.train_splitter` stops once it has enough); the seeds
    are hashed meanwhile (SHA-256 releases the GIL: 1.5 GB, 3 s at 10M) on the core the training
    leaves idle, the thread done before the workers are forked.
    """
    from concurrent.futures import ThreadPoolExecutor  # here: a process that only reads never pays for it

    with ThreadPoolExecutor(1) as hasher:
        hashing = hasher.submit(seeds_state.changes, files, seeds_dir, None)
        splitter = sentences.train_splitter(a.body for _, a in iter_seeds(seeds_dir, files, [], day_first=day_first))
        return hashing.result().state, splitter


def build(
    seeds_dir: Path,
    index_dir: Path,
    *,
    progress: bool = False,
    params: BM25Params | None = None,
    workers: int | None = None,
    layers: bool = True,
    day_first: bool = False,
) -> Path:
    """Read every seed, split, tokenise, index, compute the layers and save a new generation atomically.

    `layers=False` saves the postings alone (only to measure what the layers cost: such an
    index is stale for `Corpus.open`, which rebuilds it). `day_first` reads numeric dates such
    as 03/04/2009 in front matter as 3 April. Holds the index folder's writer lock.
    """
    params = params or DEFAULT_PARAMS
    with writer_lock(index_dir), store.GenerationWriter(index_dir) as writer:
        for path in remove_stale_temp_files(seeds_dir):
            log.warning("ingest: removed %s, left by an interrupted write", path.name)
        files = seed_files(seeds_dir)
        state, splitter = _first_read(seeds_dir, files, day_first)
        skipped: list[str] = []
        warnings: list[str] = []
        metas: list[dict[str, Any]] = []
        hashes: list[str] = []
        origins: list[str] = []

        def passing() -> Iterator[Article]:
            """The articles as they are read: only their metadata stays (the workers pack the bodies)."""
            for path, article in iter_seeds(seeds_dir, files, warnings, day_first=day_first, skipped=skipped):
                meta = article.meta()
                metas.append(meta)
                hashes.append(_hash(article, meta))
                origins.append(path.relative_to(seeds_dir).as_posix())
                yield article

        size = sum(_bytes(path) for path in files)  # about the characters: enough to plan the chunks
        rows, bm25 = split_and_index(
            passing(),
            params,
            workers=workers,
            progress=progress,
            splitter=splitter,
            total_chars=size,
            on_body=writer.add_packed,
            allocate=writer.allocate,
        )
        for warning in warnings:
            log.warning("ingest: %s", warning)
        read = int(getattr(splitter, "texts_read", 0))  # the first articles: what every later commit splits with
        saved_splitter = sentences.splitter_json(
            splitter, [m["doc_id"] for m in metas[:read]], origins[read - 1] if 0 < read <= len(origins) else ""
        )
        layer_files: dict[str, bytes] = {SPLITTER: saved_splitter}
        layer_arrays: dict[str, np.ndarray] = {}
        counts: dict[str, int] = {}
        if layers:
            articles = _StoredArticles(metas, writer.bodies(), writer.body_offsets)
            mentions, records = saved_layers.analyse(articles, rows, workers=workers)
            layer_files, layer_arrays, counts = _whole_layers(articles, rows, (mentions, records), saved_splitter)
        meta = _commit_meta(
            params,
            day_first,
            state,
            warnings,
            articles=metas,
            article_hashes=hashes,
            article_files=origins,
            shadowed=sorted(set(skipped)),  # ids a later file also holds: a change to them rebuilds
            vocab=bm25.terms,
            bm25_sidecar=bm25.sidecar(),
            layer_counts=counts,
        )
        if not layers:
            meta.pop("layers")
        arrays = {**bm25.arrays(), **layer_arrays, "passages": rows}
        generation = writer.commit(meta, arrays, layer_files)
    log.info(
        "index: built %s from %s into %s", _counted(len(rows), "sentence"), _counted(len(metas), "article"), generation
    )
    return generation


@dataclass(frozen=True)
class _SeedsDiff:
    """What a commit found changed in the seeds against the chain's live articles (`_seeds_diff`)."""

    change: seeds_state.SeedChanges
    files: list[Path]  # every seed file, in the order a build reads them
    view: segments.Catalogue
    files_of: list[str]  # the file of each live article of `view`
    touched: set[str]  # files changed or removed
    new: list[Article]  # the articles of the changed files, read again
    new_files: list[str]
    hashes: list[str]  # of `new`
    fresh: list[int]  # positions in `new` of new ids, and of known ids whose text, metadata or file changed
    gone: set[int]  # rows of `view` removed or replaced
    warnings: list[str]
    shadowed: set[str]  # ids a later file also holds (`build`)


def _seeds_diff(
    seeds_dir: Path,
    chain: list[store.Saved],
    meta: dict[str, Any],
    day_first: bool,
    edits: Mapping[str, seeds_state.Edit] | None,
) -> _SeedsDiff:
    """The seeds' change since the chain's head (`update`'s first step): the changed files read
    again, compared with the live articles by id, content hash and file. NeedsRebuild when a change
    an update cannot reproduce exactly touches an id held by two files.
    """
    view = segments.catalogue(chain, meta.get("deleted", {}))  # the articles only: cheap
    files = seed_files(seeds_dir)
    change = seeds_state.changes(files, seeds_dir, meta.get("seed_files"), edits)
    touched = {p.relative_to(seeds_dir).as_posix() for p in change.changed} | set(change.removed)
    files_of = _live_files(view, chain)
    edited = {  # articles taken out of a collection by the writer: gone, the file not read
        r for r, f in enumerate(files_of) if f in change.edited and view.articles[r]["doc_id"] in change.edited[f]
    }
    kept = {a["doc_id"] for a, f in zip(view.articles, files_of, strict=True) if f not in touched}
    kept -= {view.articles[r]["doc_id"] for r in edited}
    skipped: list[str] = []
    new, new_files, warnings = _read_seeds(seeds_dir, change.changed, day_first, kept, skipped)
    if skipped:  # which copy wins depends on the order of the files: as a whole build decides
        raise NeedsRebuild(f"{skipped[0]!r} is in more than one file")
    row_of = {a["doc_id"]: i for i, a in enumerate(view.articles)}
    hashes = [_hash(a) for a in new]
    fresh = [
        i
        for i, a in enumerate(new)
        if a.doc_id not in row_of
        or view.hashes[row_of[a.doc_id]] != hashes[i]
        or files_of[row_of[a.doc_id]] != new_files[i]
    ]
    still = {a.doc_id for a in new}
    gone = {row_of[new[i].doc_id] for i in fresh if new[i].doc_id in row_of}
    gone |= {r for r, f in enumerate(files_of) if f in touched and view.articles[r]["doc_id"] not in still}
    gone |= edited
    shadowed = set(meta.get("shadowed", []))
    if shadowed & ({view.articles[r]["doc_id"] for r in gone} | {a.doc_id for a in new}):
        raise NeedsRebuild("an article held by two files changed")
    return _SeedsDiff(change, files, view, files_of, touched, new, new_files, hashes, fresh, gone, warnings, shadowed)


def _commit_splitter(
    seeds_dir: Path, chain: list[store.Saved], meta: dict[str, Any], diff: _SeedsDiff
) -> tuple[PunktSentenceTokenizer, bytes, int, bool, bool]:
    """The splitter a commit splits its new articles with, its file, the segment holding the
    chain's, whether it was trained again, and whether the chain now drifts from a whole build.

    New articles are split by the splitter a whole build of these seeds trains. Past the
    training budget (`complete`) that is the chain's own while the change is after what it
    read (no article it read is gone, no new one comes before); when one is, the chain drifts
    until it is built whole again. Under the budget it is trained again on every article,
    when they are few (`RETRAIN_BYTES`); copies of under a budget of text (a benchmark's
    replicated articles) keep the chain's: read again, they would cost a commit O(collection).
    """
    view, gone = diff.view, diff.gone
    splitter, saved_splitter, holder = _chain_splitter(chain)
    retrained = False
    drift = bool(meta.get("splitter_drift"))
    changes = bool(diff.fresh) or bool(gone)
    order = [p.relative_to(seeds_dir).as_posix() for p in diff.files]
    if changes and getattr(splitter, "complete", False):
        drift = drift or _before_read(
            splitter, order, [view.articles[r]["doc_id"] for r in gone], diff.new, diff.new_files, diff.fresh
        )
    elif changes and _packed_bytes(chain, view.origin, gone) <= RETRAIN_BYTES:
        live = [
            (view.articles[r]["doc_id"], diff.files_of[r], chain[s].body_bytes(row).decode("utf-8"))
            for r, (s, row) in enumerate(view.origin.tolist())
            if r not in gone
        ]
        saved_splitter = _retrained(splitter, order, live, diff.touched, diff.new, diff.new_files)
        splitter, retrained = sentences.load_splitter(saved_splitter), True
    return splitter, saved_splitter, holder, retrained, drift


def _tombstoned(
    chain: list[store.Saved], meta: dict[str, Any], diff: _SeedsDiff
) -> tuple[dict[str, set[int]], dict[str, tombstones.Removed]]:
    """The chain's removed rows per segment once the commit's `gone` join the head's, and what
    the removed articles held, summed per segment, so that no reader recounts a large one.
    """
    before = {name: set(rows) for name, rows in meta.get("deleted", {}).items()}
    deleted = {name: set(rows) for name, rows in before.items()}
    for row in diff.gone:
        seg, local = int(diff.view.origin[row, 0]), int(diff.view.origin[row, 1])
        deleted.setdefault(chain[seg].path.name, set()).add(local)
    return deleted, tombstones.carried(chain, before, deleted)


def update(
    seeds_dir: Path,
    index_dir: Path,
    *,
    params: BM25Params | None = None,
    workers: int | None = None,
    day_first: bool = False,
    edits: Mapping[str, seeds_state.Edit] | None = None,
    writer_view: segments.View | None = None,
) -> Path:
    """Commit what changed in the seeds since the current generation: a new segment for added or
    changed articles, tombstones for removed or replaced ones (by id and content hash), and the
    layers merged from saved per-article results (the recogniser and tagger run on new articles
    only). Past `MAX_SEGMENTS` the segments after the first are merged into one (the first, a
    build or a merge, stays as it is); when more than `MERGE_SHARE` of the sentences sit outside
    the first segment or are removed, the whole chain is merged into one generation instead (no
    text is split or tokenised again). Holds the writer lock; the caller knows the settings are current.
    `edits` are records the caller took out of collection files (`seeds_state.changes`): such a
    file is not read again, its removed records are tombstoned by id. `writer_view`: the writer's live
    view of the current generation, if it has one: a commit that only adds extends it
    (`segments.extend`) instead of merging the whole chain again (1-3 s at ten million sentences).
    """
    params = params or DEFAULT_PARAMS
    with writer_lock(index_dir):
        for path in remove_stale_temp_files(seeds_dir):
            log.warning("ingest: removed %s, left by an interrupted write", path.name)
        head_path = store.current_generation(index_dir)
        head = store.load(head_path, store.read_meta(head_path))
        chain = store.load_chain(head)
        meta = head.meta
        diff = _seeds_diff(seeds_dir, chain, meta, day_first, edits)
        for warning in diff.warnings:
            log.warning("ingest: %s", warning)
        added = [diff.new[i] for i in diff.fresh]
        splitter, saved_splitter, holder, retrained, drift = _commit_splitter(seeds_dir, chain, meta, diff)
        deleted, sums = _tombstoned(chain, meta, diff)
        removed = tombstones.to_arrays(sums, [s.path.name for s in chain])
        if added:
            rows, bm25 = split_and_index(added, params, workers=workers, splitter=splitter)
        else:
            rows, bm25 = np.zeros(0, dtype=store.PASSAGE_DTYPE), BM25.build([], params)
        mentions, records = saved_layers.analyse(added, rows, workers=workers)
        packed = [store.pack_body(a.body) for a in added]
        copies = _copies_of_live(chain, diff, [diff.new_files[i] for i in diff.fresh], added, packed)
        segment_meta = _commit_meta(
            params,
            day_first,
            diff.change.state,
            [
                *_kept_warnings(
                    meta.get("warnings", []), diff.touched, (diff.view.articles[r]["doc_id"] for r in diff.gone)
                ),
                *diff.warnings,
                *copies,
            ],
            articles=[a.meta() for a in added],
            article_hashes=[diff.hashes[i] for i in diff.fresh],
            article_files=[diff.new_files[i] for i in diff.fresh],
            vocab=bm25.terms,
            bm25_sidecar=bm25.sidecar(),
            shadowed=sorted(diff.shadowed),
        )
        if drift:
            segment_meta["splitter_drift"] = True
        inputs, input_offsets = saved_layers.dump_inputs(mentions, records)
        pending = _pending(
            index_dir, {**segment_meta, "segments": [s.path.name for s in chain]}, bm25, rows, packed, removed
        )
        if writer_view is not None and not diff.gone and _views(writer_view, chain):
            merged = segments.extend(writer_view, pending, params)
        else:
            merged = segments.merge([*chain, pending], {k: sorted(v) for k, v in deleted.items()}, params)
        outside = len(merged.rows) - merged.rows.live_rows(0)  # the live rows after the first segment's
        dead = sum(len(s.arrays["passages"]) for s in [*chain, pending]) - len(merged.rows)
        if len(chain) > 1 and len(chain) + 1 > MAX_SEGMENTS and outside + dead <= MERGE_SHARE * len(merged.rows):
            # Too many segments, few sentences outside the first: the later ones become one segment.
            generation = _merge_tail(
                index_dir,
                chain,
                pending,
                (mentions, records),
                deleted,
                sums,
                segment_meta,
                params,
                saved_splitter if retrained or holder > 0 else None,  # the first segment keeps its own
            )
            log.info("index: merged %d segments after the first into %s", len(chain), generation)
        elif len(chain) + 1 > MAX_SEGMENTS or outside + dead > MERGE_SHARE * max(1, len(merged.rows)):
            if drift:  # a whole build would train its splitter on other text: built whole
                raise SplitterOutgrown("an article the sentence splitter learnt from is gone")
            # The merge (amortised over the commits before it) assembles the whole layers again.
            generation = _merge_whole(
                index_dir, chain, pending, (mentions, records), merged, segment_meta, saved_splitter
            )
            log.info("index: merged %d segments into %s", len(chain) + 1, generation)
        else:
            # A commit writes what it adds (and the tombstones): its articles' layer inputs, no
            # whole layers (a reader assembles them on first use: `index.corpus.Corpus.entities`).
            segment_meta.update(
                segments=[s.path.name for s in chain],
                deleted={k: sorted(v) for k, v in deleted.items() if v},
            )
            arrays = {**bm25.arrays(), "passages": rows, saved_layers.INPUT_OFFSETS: input_offsets, **removed}
            # the splitter only when trained again: past the budget a commit writes its articles alone
            own = {SPLITTER: saved_splitter} if retrained else {}
            generation = store.save(index_dir, segment_meta, arrays, packed, {saved_layers.INPUTS: inputs, **own})
            # What the reopened corpus would merge again, its last segment now read from disk.
            merged.segments[-1] = store.load(generation, store.read_meta(generation), verify=False)
            segments.remember(generation.name, merged)
        log.info(
            "index: %s added, %d removed, committed %s", _counted(len(added), "article"), len(diff.gone), generation
        )
    return generation


def _pending(
    index_dir: Path,
    meta: dict[str, Any],
    bm25: BM25,
    rows: np.ndarray,
    encoded: list[bytes],
    removed: dict[str, np.ndarray],
) -> store.Saved:
    """The commit's own segment as it will be saved, held in memory: what the chain's merge or
    the writer's view extends with before anything is written (`encoded`: its packed bodies).
    """
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    return store.Saved(
        index_dir / "gen-pending",
        meta,
        # the rows as they will be saved (narrowed): the view handed on holds no wider copy
        {**bm25.arrays(), "passages": store.narrow_rows(rows), "body_offsets": offsets, **removed},
        np.frombuffer(b"".join(encoded), dtype=np.uint8),
    )


def _whole_layers(
    articles: Sequence[Article],
    rows: np.ndarray,
    analysed: tuple[list[list[Any]], list[list[list[Any]]]],
    saved_splitter: bytes,
) -> tuple[dict[str, bytes], dict[str, np.ndarray], dict[str, int]]:
    """The files, arrays and counts of a generation that holds whole layers (a build, a merge of the
    whole chain): the layers assembled from the articles' analyses, those analyses saved as the
    inputs a later commit merges from, and the sentence splitter.
    """
    mentions, records = analysed
    files, arrays, counts = saved_layers.assemble(articles, rows, mentions, records)
    files[saved_layers.INPUTS], arrays[saved_layers.INPUT_OFFSETS] = saved_layers.dump_inputs(mentions, records)
    files[SPLITTER] = saved_splitter
    return files, arrays, counts


def _merge_whole(
    index_dir: Path,
    chain: list[store.Saved],
    pending: store.Saved,
    analysed: tuple[list[list[Any]], list[list[list[Any]]]],
    merged: segments.View,
    segment_meta: dict[str, Any],
    saved_splitter: bytes,
) -> Path:
    """Commit the whole chain with `pending` (`merged`, their live view) as one generation with
    whole layers, the live articles' analyses carried over (no text is split or analysed again).
    """
    live_mentions, live_records = saved_layers.live_inputs([*chain, analysed], merged.origin, merged.pid_maps)
    live_articles = [Article(body=merged.body_bytes(i).decode("utf-8"), **a) for i, a in enumerate(merged.articles)]
    layer_files, layer_arrays, counts = _whole_layers(
        live_articles, merged.passages, (live_mentions, live_records), saved_splitter
    )
    full_meta = {**_merged_meta(segment_meta, merged, [*chain, pending]), "layer_counts": counts}
    arrays = {**merged.bm25.arrays(), **layer_arrays, "passages": merged.passages}
    packed = (merged.packed_body(i) for i in range(len(merged.articles)))
    return store.save(index_dir, full_meta, arrays, packed, layer_files)


def _merge_tail(
    index_dir: Path,
    chain: list[store.Saved],
    pending: store.Saved,
    analysed: tuple[list[list[Any]], list[list[list[Any]]]],
    deleted: dict[str, set[int]],
    sums: dict[str, tombstones.Removed],
    segment_meta: dict[str, Any],
    params: BM25Params,
    splitter: bytes | None,
) -> Path:
    """Commit the segments after the first (with `pending`, the commit's own) as one segment over
    the first, which stays as it is with its tombstones and their sums: proportional to the later
    segments, where merging the whole chain is linear in the index (minutes at 10M sentences).
    """
    base, tail = chain[0].path.name, [*chain[1:], pending]
    view = segments.merge(tail, {k: sorted(v) for k, v in deleted.items() if k != base}, params)
    mentions, records = saved_layers.live_inputs([*chain[1:], analysed], view.origin, view.pid_maps)
    inputs, input_offsets = saved_layers.dump_inputs(mentions, records)
    kept = {base: sorted(deleted[base])} if deleted.get(base) else {}
    meta = {**_merged_meta(segment_meta, view, tail), "segments": [base], "deleted": kept}
    arrays = {
        **view.bm25.arrays(),
        "passages": view.passages,
        saved_layers.INPUT_OFFSETS: input_offsets,
        **tombstones.to_arrays({k: v for k, v in sums.items() if k in kept}, [base]),
    }
    packed = (view.packed_body(i) for i in range(len(view.articles)))
    own = {SPLITTER: splitter} if splitter is not None else {}
    return store.save(index_dir, meta, arrays, packed, {saved_layers.INPUTS: inputs, **own})


def _merged_meta(segment_meta: dict[str, Any], view: segments.View, merged: list[store.Saved]) -> dict[str, Any]:
    """The commit's sidecar with the articles and postings of `view`, the live view of the
    generations `merged` into one.
    """
    return {
        **segment_meta,
        "articles": view.articles,
        "article_hashes": view.hashes,
        "article_files": _live_files(view, merged),
        "vocab": view.bm25.terms,
        "bm25_sidecar": view.bm25.sidecar(),
    }


def _live_files(view: segments.View | segments.Catalogue, chain: list[store.Saved]) -> list[str]:
    """The seed file (relative path) of each live article of `view`."""
    files = [saved.meta.get("article_files", []) for saved in chain]
    out = []
    for seg, row in view.origin.tolist():
        names = files[seg]
        out.append(names[row] if row < len(names) else "")
    return out


def _views(view: segments.View, chain: list[store.Saved]) -> bool:
    """Whether `view` is the live view of `chain` (the same generations: a writer's own, current)."""
    return [s.path.name for s in view.segments] == [s.path.name for s in chain]
