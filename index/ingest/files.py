"""Read the seeds folder (and uploads) into Articles; one bad file never stops the others.

Every problem becomes a warning string (file and reason) and the file or record is skipped
or decoded best-effort; nothing here raises for bad content, an unreadable file included.
Links that lead out of the seeds folder are never followed. Writes into `seeds/` are atomic
(temp file in the same folder, then a rename or an exclusive link) so a crash never leaves
half an article, and two uploads of the same name never overwrite each other. An upload
never takes over the id of an article already there unless the caller asks to replace it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from charset_normalizer import from_bytes

from index.ingest.articles import ArticleError, parse_record, parse_text
from index.models import Article

log = logging.getLogger("verbatim.index")

ARTICLE_SUFFIXES = (".txt", ".md")
COLLECTION_SUFFIXES = (".jsonl",)
SUFFIXES = ARTICLE_SUFFIXES + COLLECTION_SUFFIXES
MAX_ARTICLE_BYTES = 5_000_000  # a single article file larger than this is not an article
_LATIN_FAMILIES = ("cp125", "iso8859", "latin", "mac_", "cp850", "cp437")
_SAFE_NAME = re.compile(r"[^\w.-]+")  # letters and digits of every script (新闻.md), never a separator
# Characters no article holds: C0/C1 controls (not tab, newline, form feed) and U+FFFD, the
# mark of bytes that decoded to nothing. A file with more than MAX_CONTROL_SHARE of them is binary.
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
MAX_CONTROL_SHARE = 0.05
MIN_CONTROLS = 64  # a short text with a few stray escapes is still text (they are never printed raw)


@dataclass
class IngestResult:
    """Articles read, in a stable order, and one warning line per problem."""

    articles: list[Article] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def decode(data: bytes, name: str) -> tuple[str | None, str | None]:
    """Text of a file and a warning: UTF-8 (with or without BOM), else the best guess.

    The whole file is judged: NUL bytes anywhere (outside UTF-16), or more than
    MAX_CONTROL_SHARE of control or undecodable characters, mean a binary file, skipped.
    """
    text, warning = _decode(data, name)
    if text is not None and text:
        bad = sum(1 for _ in _NOT_TEXT.finditer(text))
        if bad > MAX_CONTROL_SHARE * len(text) and bad >= MIN_CONTROLS:
            return (
                None,
                f"{name}: skipped, looks like a binary file ({bad / len(text):.0%} control or undecodable characters)",
            )
    return text, warning


def _decode(data: bytes, name: str) -> tuple[str | None, str | None]:
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
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


def _inside(path: Path, root: Path) -> bool:
    """Whether `path`, links resolved, is inside `root` (links within the seeds folder are fine)."""
    try:
        path.resolve().relative_to(root.resolve())
    except (OSError, ValueError, RuntimeError):
        return False
    return True


def seed_files(seeds_dir: Path) -> list[Path]:
    """Article files under the seeds folder, sorted; hidden and temporary files are ignored,
    and so is any link that leads out of the folder (`seeds/notes.txt -> ../.env`).
    """
    if not seeds_dir.is_dir():
        return []
    files = []
    for path in seeds_dir.rglob("*"):
        rel = path.relative_to(seeds_dir)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.suffix.lower() not in SUFFIXES:
            continue
        try:
            if not path.is_file():
                continue
        except OSError:
            continue
        if not _inside(path, seeds_dir):
            log.warning("ingest: %s: skipped, it links outside the seeds folder", rel.as_posix())
            continue
        files.append(path)
    return sorted(files, key=lambda p: p.relative_to(seeds_dir).as_posix())


def fingerprint(files: Iterable[Path], root: Path) -> str:
    """A hash of the seeds' names and contents: the saved index is reused only if it matches.

    An unreadable file is hashed by name and error (it is skipped with a warning when read).
    """
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        try:
            with path.open("rb") as fh:
                while block := fh.read(1 << 20):
                    digest.update(block)
        except OSError as exc:
            digest.update(f"unreadable:{exc.errno}".encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _lines_capped(fh: BinaryIO, limit: int) -> Iterator[tuple[bytes | None, int]]:
    """Lines of a binary file, each None when longer than `limit` (read past, never kept)."""
    readline = fh.readline
    while True:
        line = readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            size = len(line)
            while True:  # skip the rest of the oversized line in bounded reads
                more = readline(1 << 20)
                size += len(more)
                if not more or more.endswith(b"\n"):
                    break
            yield None, size
        else:
            yield line, len(line)


def _read_jsonl(path: Path, name: str, warnings: list[str], day_first: bool = False) -> Iterator[Article]:
    with path.open("rb") as fh:
        for number, (raw, size) in enumerate(_lines_capped(fh, MAX_ARTICLE_BYTES), start=1):
            if raw is None:
                warnings.append(
                    f"{name}:{number}: skipped, {size:,} bytes is over the {MAX_ARTICLE_BYTES:,}-byte limit for one article"
                )
                continue
            if not raw.strip():
                continue
            text, warning = decode(raw, f"{name}:{number}")
            if warning:
                warnings.append(warning)
            if text is None:
                continue
            notes: list[str] = []
            try:
                yield parse_record(json.loads(text), path=str(path), day_first=day_first, warnings=notes)
            except json.JSONDecodeError as exc:
                warnings.append(f"{name}:{number}: skipped, not valid JSON ({exc.msg})")
            except RecursionError:
                warnings.append(f"{name}:{number}: skipped, nested too deeply")
            except ArticleError as exc:
                warnings.append(f"{name}:{number}: skipped, {exc}")
            warnings.extend(f"{name}:{number}: {note}" for note in notes)


def read_file(path: Path, name: str | None = None, *, day_first: bool = False) -> IngestResult:
    """Articles of one file (one for .txt/.md, many for .jsonl) and its warnings."""
    name = name or path.name
    result = IngestResult()
    suffix = path.suffix.lower()
    try:
        if suffix in COLLECTION_SUFFIXES:
            result.articles.extend(_read_jsonl(path, name, result.warnings, day_first))
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
    notes: list[str] = []
    try:
        result.articles.append(parse_text(path.stem, text, path=str(path), day_first=day_first, warnings=notes))
    except ArticleError as exc:
        result.warnings.append(f"{name}: skipped, {exc}")
    except RecursionError:
        result.warnings.append(f"{name}: skipped, nested too deeply")
    result.warnings.extend(f"{name}: {note}" for note in notes)
    return result


def load_seeds(seeds_dir: Path, files: list[Path] | None = None, *, day_first: bool = False) -> IngestResult:
    """All articles of the seeds folder; duplicate ids keep the first and warn."""
    result = IngestResult()
    seen: set[str] = set()
    for path in files if files is not None else seed_files(seeds_dir):
        one = read_file(path, path.relative_to(seeds_dir).as_posix(), day_first=day_first)
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


def process_umask() -> int:
    """The process umask, read without changing it where the system allows (Linux)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)  # elsewhere: the usual set-and-restore (not thread safe, brief)
    os.umask(mask)
    return mask


def _temp_file(folder: Path, data: bytes) -> Path:
    """A hidden, fsynced temp file in `folder` holding `data`, readable as the umask allows
    (mkstemp makes it 0600: a CLI ingest by another user would lock the bot out).
    """
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    try:
        os.fchmod(fd, 0o666 & ~process_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a hidden temp file in the same folder, fsync, then rename over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_file(path.parent, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_new(path: Path, data: bytes) -> Path:
    """Write `data` to `path`, or to `stem-2`, `stem-3`… if a file has that name: never over one.

    The temp file is linked to its name, which fails if the name exists (atomic and exclusive
    like O_EXCL, even between processes), so concurrent writers of one name get one each.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_file(path.parent, data)
    try:
        target, counter = path, 2
        while True:
            try:
                os.link(tmp, target)
                return target
            except FileExistsError:
                target = path.with_name(f"{path.stem}-{counter}{path.suffix}")
                counter += 1
    finally:
        tmp.unlink(missing_ok=True)


def remove_stale_temp_files(folder: Path, older_than: float = 600.0) -> list[Path]:
    """Delete temp files (`.tmp-*`) that a killed writer left behind.

    Only old ones: a younger one may belong to a write in progress in another process.
    They are never read as articles either way (hidden names are skipped).
    """
    import time

    removed: list[Path] = []
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


@dataclass
class SavedUpload:
    """What an upload did: the file written, the article ids it holds, the ids it replaced."""

    path: Path
    ids: list[str]
    replaced: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # ids of a replaced collection that the new one lacks


@contextlib.contextmanager
def _seeds_lock(seeds_dir: Path) -> Iterator[None]:
    """One upload at a time per seeds folder (bot and CLI alike): ids are checked and
    written under the lock, so two uploads cannot both claim one id. The lock is taken on
    the folder itself, so no lock file is left in it.
    """
    fd = os.open(seeds_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def article_owners(seeds_dir: Path) -> dict[str, Path]:
    """Which file holds each article id, as the index reads them (the first file wins).

    Cheap: a .txt/.md file's id is its name; only JSONL records are parsed (for their id).
    """
    owners: dict[str, Path] = {}
    for path in seed_files(seeds_dir):
        if path.suffix.lower() in ARTICLE_SUFFIXES:
            owners.setdefault(path.stem, path)
            continue
        for record_id in _record_ids(path):
            owners.setdefault(record_id, path)
    return owners


def _record_ids(path: Path) -> Iterator[str]:
    try:
        with path.open("rb") as fh:
            for raw, _ in _lines_capped(fh, MAX_ARTICLE_BYTES):
                record_id = _record_id(raw)
                if record_id is not None:
                    yield record_id
    except OSError:
        return


def _record_id(raw: bytes | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    try:
        record = json.loads(raw.decode("utf-8", errors="replace"))
    except (ValueError, RecursionError):
        return None
    value = record.get("id") if isinstance(record, dict) else None
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return str(value).strip() or None


def _remove_articles(owner: Path, ids: set[str]) -> None:
    """Take the articles `ids` out of `owner`: the whole file, or some records of a JSONL."""
    if owner.suffix.lower() in ARTICLE_SUFFIXES:
        owner.unlink(missing_ok=True)
        return
    with owner.open("rb") as fh:
        kept = [raw for raw in fh if _record_id(raw) not in ids]
    if any(raw.strip() for raw in kept):
        write_atomic(owner, b"".join(kept))
    else:
        owner.unlink(missing_ok=True)


def save_upload(
    seeds_dir: Path,
    filename: str,
    data: bytes,
    max_bytes: int = MAX_ARTICLE_BYTES * 20,
    *,
    replace: bool = False,
    day_first: bool = False,
) -> SavedUpload:
    """Validate an uploaded article file and add it to the seeds folder atomically.

    Raises ValueError with a message for the user when the name, size or content is unusable,
    or when an article of the file has the id of one already there and `replace` is False.
    A file of the same name is never overwritten (a numbered name is chosen instead) unless
    `replace`; with `replace`, the old versions of the file's articles are removed (their file,
    or their records of a JSONL collection) and reported in `SavedUpload.replaced`.
    """
    name = safe_name(filename)
    if len(data) > max_bytes:
        raise ValueError(f"{name} is {len(data):,} bytes; the limit is {max_bytes:,}")
    seeds_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / name
        probe.write_bytes(data)
        check = read_file(probe, name, day_first=day_first)
    if not check.articles:
        reason = "; ".join(check.warnings) or f"{name} holds no article"
        raise ValueError(reason)
    target = seeds_dir / name
    with _seeds_lock(seeds_dir):
        owners = article_owners(seeds_dir)
        if target.suffix.lower() in ARTICLE_SUFFIXES:
            if not replace or target.stem not in owners:
                # a new name (numbered if taken): its id is that name
                written = write_new(target, data)
                taken = {written.stem: owners[written.stem]} if written.stem in owners else {}
                if taken:  # a JSONL record already has this id: do not take it over
                    written.unlink(missing_ok=True)
                    raise ValueError(_taken_message(taken, name))
                return SavedUpload(written, [written.stem])
            ids = [target.stem]
        else:
            ids = [a.doc_id for a in check.articles]
        taken = {doc_id: owners[doc_id] for doc_id in ids if doc_id in owners}
        if taken and not replace:
            raise ValueError(_taken_message(taken, name))
        by_owner: dict[Path, set[str]] = {}
        for doc_id, owner in taken.items():
            by_owner.setdefault(owner, set()).add(doc_id)
        for owner, owned in by_owner.items():
            if owner != target:
                _remove_articles(owner, owned)
        removed: list[str] = []
        if target.exists() and replace and (target.suffix.lower() in ARTICLE_SUFFIXES or target in by_owner):
            if target.suffix.lower() in COLLECTION_SUFFIXES:
                removed = sorted(set(_record_ids(target)) - set(ids))
            write_atomic(target, data)
            written = target
        else:
            written = write_new(target, data)  # a collection of that name with other articles: keep both
        return SavedUpload(written, ids, sorted(taken), removed)


def _taken_message(taken: dict[str, Path], name: str) -> str:
    shown = ", ".join(f"{doc_id!r} (in {path.name})" for doc_id, path in sorted(taken.items())[:5])
    more = f" and {len(taken) - 5} more" if len(taken) > 5 else ""
    return (
        f"{name} has articles whose ids are already used: {shown}{more}. "
        "Nothing was added; to replace them with this version, upload it again with replace."
    )


def storage_problem(exc: OSError) -> str:
    """What a failed write means, in words (numpy reports a full disk without an errno)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT) or "requested and" in str(exc):
        return "the disk is full"
    if exc.errno == errno.EROFS:
        return "the disk is read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied" + (f" on {exc.filename}" if exc.filename else "")
    return exc.strerror or str(exc) or type(exc).__name__
