"""Seeds -> passages -> BM25 -> saved generation: the one way an index is made."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from dateutil import parser as dateparser

from . import sentences, store, tokens
from .bm25 import BM25, BM25Params
from .ingest import fingerprint, load_seeds, seed_files
from .models import Article

log = logging.getLogger("verbatim.index")


def settings(params: BM25Params = BM25Params()) -> dict:
    """Everything a saved index must agree with to be reused."""
    return {"format_version": store.FORMAT_VERSION, "tokenizer": tokens.settings(),
            "splitter": sentences.SPLITTER_VERSION,
            "bm25": {"k1": params.k1, "b": params.b, "epsilon": params.epsilon}}


def _ordinal(written: str | None) -> int:
    if not written:
        return 0
    try:
        return dateparser.parse(written).date().toordinal()
    except (ValueError, OverflowError):
        return 0


def split_articles(articles: list[Article], progress: Callable[[Iterable], Iterable] = iter
                   ) -> tuple[np.ndarray, list[list[str]]]:
    """Passage rows (store.PASSAGE_DTYPE) and the BM25 tokens of every passage."""
    splitter = sentences.train_splitter(a.body for a in articles)
    rows: list[tuple] = []
    docs_tokens: list[list[str]] = []
    for doc, article in enumerate(progress(articles)):
        for number, span in enumerate(sentences.split_body(article.body, splitter), start=1):
            rows.append((doc, span.paragraph, number, span.start, span.end, span.related,
                         _ordinal(span.related_date)))
            docs_tokens.append(tokens.tokenize(article.body[span.start:span.end]))
    return np.array(rows, dtype=store.PASSAGE_DTYPE), docs_tokens


def build(seeds_dir: Path, index_dir: Path, *, progress: bool = False,
          params: BM25Params = BM25Params()) -> Path:
    """Read every seed, split, tokenise, index and save a new generation atomically."""
    files = seed_files(seeds_dir)
    seeds_hash = fingerprint(files, seeds_dir)
    result = load_seeds(seeds_dir, files)
    for warning in result.warnings:
        log.warning("ingest: %s", warning)
    bar = iter
    if progress:
        from tqdm import tqdm  # only the CLI wants a bar, and only for builds that take time

        def bar(items):  # noqa: E306 - a tiny adapter
            return tqdm(items, desc="Indexing articles", unit="article", delay=1.0)
    rows, docs_tokens = split_articles(result.articles, bar)
    bm25 = BM25.build(docs_tokens, params)
    meta = {
        **settings(params),
        "seeds_hash": seeds_hash,
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "articles": [a.meta() for a in result.articles],
        "warnings": result.warnings,
        "vocab": bm25.terms,
        "bm25_sidecar": bm25.sidecar(),
    }
    arrays = {**bm25.arrays(), "passages": rows}
    generation = store.save(index_dir, meta, arrays, [a.body for a in result.articles])
    log.info("index: built %d passages from %d articles into %s",
             len(rows), len(result.articles), generation)
    return generation
