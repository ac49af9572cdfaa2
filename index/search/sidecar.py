"""The shape of an index's JSON sidecar (`meta.json`), checked before anything trusts it.

A sidecar edited by hand, by another version or by a bad disk must never reach the code that
reads it (a `files` list, `articles: []`, an article without a title, numbers for words all
ended in tracebacks on every `/ask`). `check_meta` walks the whole document against the
`Sidecar` description below and raises `SidecarInvalid` naming the first wrong field; the
caller then rebuilds the index. Plain checks: the library does not depend on pydantic.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypedDict

__all__ = ["Sidecar", "SidecarInvalid", "check_meta"]


class FileEntry(TypedDict):
    """Size and CRC-32 of one file of the generation."""

    bytes: int
    crc32: int


class Sidecar(TypedDict, total=False):
    """What `index.search.build` writes (the keys checked by `check_meta`)."""

    format_version: int
    tokenizer: dict[str, Any]
    splitter: str
    bm25: dict[str, float]
    layers: dict[str, str]
    seeds_hash: str
    built_at: str
    articles: list[dict[str, Any]]
    warnings: list[str]
    vocab: list[str]
    bm25_sidecar: dict[str, Any]
    layer_counts: dict[str, int]
    segments: list[str]
    deleted: dict[str, list[int]]
    article_hashes: list[str]
    article_files: list[str]
    shadowed: list[str]
    seed_files: dict[str, list[Any]]
    arrays: list[str]
    files: dict[str, FileEntry]


class SidecarInvalid(ValueError):
    """The sidecar does not have the shape the code reads; the message names the field."""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# Article fields (`Article.meta()`) and the types each may hold; doc_id and title are required.
_NONE = type(None)
_ARTICLE_FIELDS: dict[str, tuple[type, ...]] = {
    "doc_id": (str,),
    "title": (str,),
    "author": (str, _NONE),
    "date": (str, _NONE),
    "url": (str, _NONE),
    "source": (str, _NONE),
    "path": (str, _NONE),
    "title_derived": (bool,),
    "date_inferred": (bool,),
    "date_precision": (str,),  # "year" or "month"; absent for a day
}
_TOP: dict[str, Callable[[Any], bool]] = {
    "format_version": _is_int,
    "tokenizer": lambda v: isinstance(v, dict),
    "splitter": lambda v: isinstance(v, str),
    "bm25": lambda v: isinstance(v, dict),
    "seeds_hash": lambda v: isinstance(v, str),
    "built_at": lambda v: isinstance(v, str),
    "articles": lambda v: isinstance(v, list),
    "warnings": lambda v: isinstance(v, list) and all(isinstance(w, str) for w in v),
    "vocab": lambda v: isinstance(v, list),
    "bm25_sidecar": lambda v: isinstance(v, dict),
    "arrays": lambda v: isinstance(v, list) and all(isinstance(a, str) for a in v),
    "files": lambda v: isinstance(v, dict),
}
_TOP_OPTIONAL: dict[str, Callable[[Any], bool]] = {  # absent from an index built without layers
    "layers": lambda v: isinstance(v, dict),
    "layer_counts": lambda v: isinstance(v, dict) and all(_is_int(n) for n in v.values()),
    # a commit over earlier segments: their names, and the rows of their articles removed since
    "segments": lambda v: isinstance(v, list) and all(isinstance(n, str) and n.startswith("gen-") for n in v),
    "deleted": lambda v: (
        isinstance(v, dict)
        and all(isinstance(rows, list) and all(_is_int(r) and r >= 0 for r in rows) for rows in v.values())
    ),
    "article_hashes": lambda v: isinstance(v, list) and all(isinstance(h, str) for h in v),
    "article_files": lambda v: isinstance(v, list) and all(isinstance(h, str) for h in v),
    "shadowed": lambda v: isinstance(v, list) and all(isinstance(h, str) for h in v),
    "seed_files": lambda v: isinstance(v, dict) and all(isinstance(x, list) and len(x) == 4 for x in v.values()),
}


def _check_articles(articles: list[Any]) -> None:
    seen: set[str] = set()
    for i, article in enumerate(articles):
        if not isinstance(article, dict):
            raise SidecarInvalid(f"articles[{i}] is not an object")
        for key, value in article.items():
            types = _ARTICLE_FIELDS.get(key)
            if types is None or not isinstance(value, types):
                raise SidecarInvalid(f"articles[{i}].{key} is unexpected or of the wrong type")
        doc_id = article.get("doc_id")
        if not doc_id or "title" not in article:
            raise SidecarInvalid(f"articles[{i}] needs a doc_id and a title")
        if doc_id in seen:
            raise SidecarInvalid(f"articles[{i}].doc_id repeats {doc_id!r}")
        seen.add(doc_id)


def check_meta(meta: Any) -> Sidecar:
    """`meta` itself when it has the sidecar's shape; SidecarInvalid otherwise."""
    if not isinstance(meta, dict):
        raise SidecarInvalid("the sidecar is not a JSON object")
    for key, ok in _TOP.items():
        if key not in meta:
            raise SidecarInvalid(f"{key} is missing")
        if not ok(meta[key]):
            raise SidecarInvalid(f"{key} has the wrong type")
    for key, ok in _TOP_OPTIONAL.items():
        if key in meta and not ok(meta[key]):
            raise SidecarInvalid(f"{key} has the wrong type")
    for name, entry in meta["files"].items():
        if not (isinstance(entry, dict) and _is_int(entry.get("bytes")) and _is_int(entry.get("crc32"))):
            raise SidecarInvalid(f"files[{name!r}] needs integer bytes and crc32")
        if "/" in name or name.startswith("."):
            raise SidecarInvalid(f"files[{name!r}] is not a file of the generation")
    vocab = meta["vocab"]
    if not all(isinstance(term, str) for term in vocab):
        raise SidecarInvalid("vocab holds something other than words")
    if len(set(vocab)) != len(vocab):
        raise SidecarInvalid("vocab repeats a word")
    _check_articles(meta["articles"])
    if "article_hashes" in meta and len(meta["article_hashes"]) != len(meta["articles"]):
        raise SidecarInvalid("article_hashes does not match the articles")
    return meta  # type: ignore[return-value]  # checked above
