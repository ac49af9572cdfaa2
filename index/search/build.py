"""Seeds -> passages -> BM25 and layers -> saved generation: the one way an index is made.

The layers (entity mentions, timeline events, suggestions; `index.search.layers`) are computed
here too, so that nothing is recomputed after a start.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from dateutil import parser as dateparser

from index.ingest import sentences
from index.ingest.files import fingerprint, load_seeds, remove_stale_temp_files, seed_files
from index.models import Article
from index.search import layers as saved_layers
from index.search import store, tokens
from index.search.bm25 import BM25, BM25Params
from index.search.workers import pool as worker_pool

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

log = logging.getLogger("verbatim.index")
PARALLEL_CHARS = 3_000_000  # below this a process pool costs more than it saves
DEFAULT_PARAMS = BM25Params()


def settings(params: BM25Params = DEFAULT_PARAMS, *, day_first: bool = False) -> dict[str, Any]:
    """Everything a saved index must agree with to be reused."""
    return {
        "format_version": store.FORMAT_VERSION,
        "tokenizer": tokens.settings(),
        "splitter": sentences.SPLITTER_VERSION,
        "bm25": {"k1": params.k1, "b": params.b, "epsilon": params.epsilon},
        "layers": saved_layers.settings(),
        "dates_day_first": day_first,
    }


def _ordinal(written: str | None) -> int:
    if not written:
        return 0
    try:
        return dateparser.parse(written).date().toordinal()
    except (ValueError, OverflowError):
        return 0


_splitter: PunktSentenceTokenizer | None = None  # set in each worker process by _init_worker


def _init_worker(splitter: PunktSentenceTokenizer) -> None:
    """Set up a worker process (the pool makes it exit with its parent: index.search.workers)."""
    global _splitter
    _splitter = splitter


def _process(chunk: list[tuple[int, str]]) -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray]:
    """Split and tokenise some articles: passage rows, a local vocabulary, term ids, lengths.

    Term ids are local to the chunk so that only small arrays and one word list cross the
    process boundary; the parent maps them onto the global vocabulary.
    """
    local: dict[str, int] = {}
    rows: list[tuple[Any, ...]] = []
    flat: list[int] = []
    lengths: list[int] = []
    for doc, body in chunk:
        for number, span in enumerate(sentences.split_body(body, _splitter), start=1):
            rows.append((doc, span.paragraph, number, span.start, span.end, span.related, _ordinal(span.related_date)))
            ids = [local.setdefault(t, len(local)) for t in tokens.tokenize(body[span.start : span.end])]
            flat.extend(ids)
            lengths.append(len(ids))
    return (
        np.array(rows, dtype=store.PASSAGE_DTYPE),
        list(local),
        np.array(flat, dtype=np.int64),
        np.array(lengths, dtype=np.int64),
    )


def _chunks(articles: list[Article], chars: int) -> list[list[tuple[int, str]]]:
    out, current, size = [], [], 0
    for doc, article in enumerate(articles):
        current.append((doc, article.body))
        size += len(article.body)
        if size >= chars:
            out.append(current)
            current, size = [], 0
    if current:
        out.append(current)
    return out


def split_and_index(
    articles: list[Article], params: BM25Params = DEFAULT_PARAMS, *, workers: int | None = None, progress: bool = False
) -> tuple[np.ndarray, BM25]:
    """Passage rows (store.PASSAGE_DTYPE) and the BM25 index of their tokens.

    Large corpora are split and tokenised by a pool of worker processes (one per core);
    small ones in this process, where a pool would cost more than it saves.
    """
    splitter = sentences.train_splitter(a.body for a in articles)
    total = sum(len(a.body) for a in articles)
    workers = workers or min(os.cpu_count() or 1, 4)
    chunks = _chunks(articles, max(200_000, min(2_000_000, total // (workers * 8) + 1)))
    bar = None
    if progress:
        from tqdm import tqdm  # only the CLI wants a bar, and only when the build takes a while

        bar = tqdm(total=len(articles), desc="Indexing articles", unit="article", delay=1.0)
    if workers > 1 and total > PARALLEL_CHARS and len(chunks) > 1:
        pool = worker_pool(workers, _init_worker, (splitter,))
        results = pool.map(_process, chunks)
    else:
        pool = None
        _init_worker(splitter)
        results = map(_process, chunks)
    vocab: dict[str, int] = {}
    all_rows, all_flat, all_lengths = [], [], []
    try:
        for chunk, (rows, local, flat, lengths) in zip(chunks, results, strict=True):
            remap = np.fromiter((vocab.setdefault(t, len(vocab)) for t in local), dtype=np.int64, count=len(local))
            all_rows.append(rows)
            all_flat.append(remap[flat] if len(flat) else flat)
            all_lengths.append(lengths)
            if bar is not None:
                bar.update(len(chunk))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        if bar is not None:
            bar.close()
    rows = np.concatenate(all_rows) if all_rows else np.zeros(0, dtype=store.PASSAGE_DTYPE)
    flat = np.concatenate(all_flat) if all_flat else np.zeros(0, dtype=np.int64)
    lengths = np.concatenate(all_lengths) if all_lengths else np.zeros(0, dtype=np.int64)
    return rows, BM25.from_term_ids(list(vocab), flat, lengths, params)


def build(
    seeds_dir: Path,
    index_dir: Path,
    *,
    progress: bool = False,
    params: BM25Params = DEFAULT_PARAMS,
    workers: int | None = None,
    layers: bool = True,
    day_first: bool = False,
) -> Path:
    """Read every seed, split, tokenise, index, compute the layers and save a new generation atomically.

    `layers=False` saves the postings alone (only to measure what the layers cost: such an
    index is stale for `Corpus.open`, which rebuilds it). `day_first` reads numeric dates such
    as 03/04/2009 in front matter as 3 April.
    """
    for path in remove_stale_temp_files(seeds_dir):
        log.warning("ingest: removed %s, left by an interrupted write", path.name)
    files = seed_files(seeds_dir)
    seeds_hash = fingerprint(files, seeds_dir)
    result = load_seeds(seeds_dir, files, day_first=day_first)
    for warning in result.warnings:
        log.warning("ingest: %s", warning)
    rows, bm25 = split_and_index(result.articles, params, workers=workers, progress=progress)
    layer_files: dict[str, bytes] = {}
    layer_arrays: dict[str, np.ndarray] = {}
    counts: dict[str, int] = {}
    if layers:
        layer_files, layer_arrays, counts = saved_layers.compute(result.articles, rows, workers=workers)
    meta = {
        **settings(params, day_first=day_first),
        "seeds_hash": seeds_hash,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "articles": [a.meta() for a in result.articles],
        "warnings": result.warnings,
        "vocab": bm25.terms,
        "bm25_sidecar": bm25.sidecar(),
        "layer_counts": counts,
    }
    if not layers:
        meta.pop("layers")
    arrays = {**bm25.arrays(), **layer_arrays, "passages": rows}
    generation = store.save(index_dir, meta, arrays, [a.body for a in result.articles], layer_files)
    log.info("index: built %d passages from %d articles into %s", len(rows), len(result.articles), generation)
    return generation
