"""Read the seeds folder (and uploads) into Articles; one bad file never stops the others.

Every problem becomes a warning string (file and reason) and the file or record is skipped
or decoded best-effort; nothing here raises for bad content. Writes into `seeds/` are
atomic (temp file in the same folder, then rename) so a crash never leaves half an article.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

from .articles import ArticleError, parse_record, parse_text
from .models import Article

ARTICLE_SUFFIXES = (".txt", ".md")
COLLECTION_SUFFIXES = (".jsonl",)
SUFFIXES = ARTICLE_SUFFIXES + COLLECTION_SUFFIXES
MAX_ARTICLE_BYTES = 5_000_000  # a single article file larger than this is not an article
_LATIN_FAMILIES = ("cp125", "iso8859", "latin", "mac_", "cp850", "cp437")
_SAFE_NAME = re.compile(r"[^\w.-]+")  # letters and digits of every script (新闻.md), never a separator


@dataclass
class IngestResult:
    """Articles read, in a stable order, and one warning line per problem."""

    articles: list[Article] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def decode(data: bytes, name: str) -> tuple[str | None, str | None]:
    """Text of a file and a warning: UTF-8 (with or without BOM), else the best guess."""
    if b"\x00" in data[:8192] and not (data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff")):
        return None, f"{name}: skipped, looks like a binary file (NUL bytes)"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    guess = from_bytes(data).best()
    if guess is None:
        return data.decode("utf-8", errors="replace"), (
            f"{name}: not UTF-8 and no encoding fits; undecodable bytes replaced with \ufffd"
        )
    encoding = guess.encoding
    if encoding.startswith(_LATIN_FAMILIES):
        # Detection cannot tell Western code pages apart on short texts; Windows-1252 is
        # by far the most common for English news, so it wins whenever it decodes.
        try:
            return data.decode("cp1252"), f"{name}: not UTF-8; decoded as cp1252"
        except UnicodeDecodeError:
            pass
    return str(guess), f"{name}: not UTF-8; decoded as {encoding}"


def seed_files(seeds_dir: Path) -> list[Path]:
    """Article files under the seeds folder, sorted; hidden and temporary files are ignored."""
    if not seeds_dir.is_dir():
        return []
    files = []
    for path in seeds_dir.rglob("*"):
        rel = path.relative_to(seeds_dir)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_file() and path.suffix.lower() in SUFFIXES:
            files.append(path)
    return sorted(files, key=lambda p: p.relative_to(seeds_dir).as_posix())


def fingerprint(files: Iterable[Path], root: Path) -> str:
    """A hash of the seeds' names and contents: the saved index is reused only if it matches."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


def _read_jsonl(path: Path, name: str, warnings: list[str]) -> Iterator[Article]:
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            text, warning = decode(raw, f"{name}:{number}")
            if warning:
                warnings.append(warning)
            if text is None:
                continue
            try:
                yield parse_record(json.loads(text), path=str(path))
            except json.JSONDecodeError as exc:
                warnings.append(f"{name}:{number}: skipped, not valid JSON ({exc.msg})")
            except ArticleError as exc:
                warnings.append(f"{name}:{number}: skipped, {exc}")


def read_file(path: Path, name: str | None = None) -> IngestResult:
    """Articles of one file (one for .txt/.md, many for .jsonl) and its warnings."""
    name = name or path.name
    result = IngestResult()
    suffix = path.suffix.lower()
    try:
        if suffix in COLLECTION_SUFFIXES:
            result.articles.extend(_read_jsonl(path, name, result.warnings))
            return result
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            result.warnings.append(
                f"{name}: skipped, {size:,} bytes is over the {MAX_ARTICLE_BYTES:,}-byte limit for one article"
            )
            return result
        text, warning = decode(path.read_bytes(), name)
    except OSError as exc:
        result.warnings.append(f"{name}: skipped, cannot read it ({exc.strerror or exc})")
        return result
    if warning:
        result.warnings.append(warning)
    if text is None:
        return result
    try:
        result.articles.append(parse_text(path.stem, text, path=str(path)))
    except ArticleError as exc:
        result.warnings.append(f"{name}: skipped, {exc}")
    return result


def load_seeds(seeds_dir: Path, files: list[Path] | None = None) -> IngestResult:
    """All articles of the seeds folder; duplicate ids keep the first and warn."""
    result = IngestResult()
    seen: set[str] = set()
    for path in files if files is not None else seed_files(seeds_dir):
        one = read_file(path, path.relative_to(seeds_dir).as_posix())
        result.warnings.extend(one.warnings)
        for article in one.articles:
            if article.doc_id in seen:
                result.warnings.append(
                    f"{path.name}: skipped article {article.doc_id!r}, an article with that id is already indexed"
                )
                continue
            seen.add(article.doc_id)
            result.articles.append(article)
    return result


def safe_name(filename: str) -> str:
    """A file name that cannot leave the seeds folder: base name only, plain characters."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot or f".{suffix.lower()}" not in SUFFIXES:
        raise ValueError(f"only {', '.join(SUFFIXES)} files can be added (got {base[:80]!r})")
    stem = _SAFE_NAME.sub("_", stem).strip("._-")[:100]
    if not stem:
        raise ValueError("the file name has no usable characters")
    return f"{stem}.{suffix.lower()}"


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a hidden temp file in the same folder, fsync, then rename over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_temp_files(folder: Path, older_than: float = 600.0) -> list[Path]:
    """Delete temp files (`.tmp-*`) that a killed writer left behind.

    Only old ones: a younger one may belong to a write in progress in another process.
    They are never read as articles either way (hidden names are skipped).
    """
    import time

    removed = []
    if not folder.is_dir():
        return removed
    now = time.time()
    for path in folder.glob(".tmp-*"):
        try:
            if path.is_file() and now - path.stat().st_mtime > older_than:
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed


def save_upload(seeds_dir: Path, filename: str, data: bytes, max_bytes: int = MAX_ARTICLE_BYTES * 20) -> Path:
    """Validate an uploaded article file and add it to the seeds folder atomically.

    Raises ValueError with a message for the user when the name, size or content is unusable;
    an existing file is never overwritten (a numbered name is chosen instead).
    """
    name = safe_name(filename)
    if len(data) > max_bytes:
        raise ValueError(f"{name} is {len(data):,} bytes; the limit is {max_bytes:,}")
    seeds_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / name
        probe.write_bytes(data)
        check = read_file(probe, name)
    if not check.articles:
        reason = "; ".join(check.warnings) or f"{name} holds no article"
        raise ValueError(reason)
    target = seeds_dir / name
    stem, suffix = target.stem, target.suffix
    counter = 2
    while target.exists():
        target = seeds_dir / f"{stem}-{counter}{suffix}"
        counter += 1
    write_atomic(target, data)
    return target
