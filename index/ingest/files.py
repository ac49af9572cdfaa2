"""Read the seeds folder (and uploads) into Articles; one bad file never stops the others.

Every problem becomes a warning string (file and reason) and the file or record is skipped
or decoded best-effort; nothing here raises for bad content, an unreadable file included.
Links that lead out of the seeds folder are never followed. Writes into `seeds/` are atomic
(temp file in the same folder, then a rename or an exclusive link) so a crash never leaves
half an article, and two uploads of the same name never overwrite each other. An article's id
is its identity (front matter `id:`, JSONL `id`, else the file's stem): an upload never takes
over the id of an article already there unless the caller asks to replace it, and a change
happens under `seeds_lock` (`Corpus.add_files` and `Corpus.remove` are the door).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import logging
import os
import re
import tempfile
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from index.ingest.articles import (
    FRONT_MATTER,
    MAX_FRONT_MATTER,
    ArticleError,
    composed,
    front_matter_id,
    parse_record,
    parse_text,
)
from index.models import Article

log = logging.getLogger("verbatim.index")

ARTICLE_SUFFIXES = (".txt", ".md")
COLLECTION_SUFFIXES = (".jsonl",)
SUFFIXES = ARTICLE_SUFFIXES + COLLECTION_SUFFIXES
MAX_ARTICLE_BYTES = 5_000_000  # a single article file larger than this is not an article
_LETTERS = frozenset({"Lu", "Ll", "Lt", "Lo"})
_OTHER_SCRIPT_LETTERS = 3  # fewer letters of another script than this are no script at all
_SAFE_NAME = re.compile(r"[^\w.-]+")  # letters and digits of every script (新闻.md), never a separator
_MARKS = frozenset({"Mn", "Mc"})  # accents and vowel signs: part of a name's letters (समाचार.md, NFD café)
# Characters no article holds: C0/C1 controls (not tab, newline, form feed) and U+FFFD, the
# mark of bytes that decoded to nothing. A file with more than MAX_CONTROL_SHARE of them is binary.
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_NOT_TEXT_ASCII = bytes([*range(0x09), 0x0B, *range(0x0E, 0x20), 0x7F])  # `_NOT_TEXT`'s ASCII members
MAX_CONTROL_SHARE = 0.05
MIN_CONTROLS = 64  # a short text with a few stray escapes is still text (they are never printed raw)
# The first element of a document that is markup, not an article: a web page or a news feed.
_MARKUP_ROOT = re.compile(r"<(!doctype\s+html|html|rss|feed|rdf:rdf)[\s>]", re.IGNORECASE)
_MARKUP_PREAMBLE = (("<?", "?>"), ("<!--", "-->"))  # an XML declaration or a comment, before the root
MARKUP_HEAD = 8192  # characters of a file's start read for its preamble (it is never this long)


@dataclass
class IngestResult:
    """Articles read, in a stable order, and one warning line per problem."""

    articles: list[Article] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # little- and big-endian UTF-16 byte order marks


def decode(data: bytes, name: str) -> tuple[str | None, str | None]:
    """Text of a file and a warning: UTF-8 (with or without BOM), else the best guess.

    The whole file is judged: NUL bytes anywhere (outside UTF-16), or more than
    MAX_CONTROL_SHARE of control or undecodable characters, mean a binary file, skipped.
    """
    text, warning = _decode(data, name)
    if text is not None and text:
        if text.isascii():  # the same count, by deleting the class's ASCII members in C
            raw = text.encode("ascii")
            bad = len(raw) - len(raw.translate(None, _NOT_TEXT_ASCII))
        else:
            bad = sum(1 for _ in _NOT_TEXT.finditer(text))
        if bad > MAX_CONTROL_SHARE * len(text) and bad >= MIN_CONTROLS:
            return (
                None,
                f"{name}: skipped, looks like a binary file ({bad / len(text):.0%} control or undecodable characters)",
            )
    return text, warning


def _decode(data: bytes, name: str) -> tuple[str | None, str | None]:
    if b"\x00" in data and not data.startswith(UTF16_BOMS):
        return None, f"{name}: skipped, looks like a binary file (NUL bytes)"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # imported here: only a file that is not UTF-8 needs it

    guess = from_bytes(data).best()
    if guess is None:
        return data.decode("utf-8", errors="replace"), (
            f"{name}: not UTF-8 and no encoding fits; undecodable bytes replaced with \ufffd"
        )
    if not _sure_of_another_script(guess):
        # Detection cannot tell the Western code pages apart on short texts (it reads
        # "Café Müller" as cp775 or cp1006); Windows-1252 is by far the most common for
        # news in a Latin script, so it wins whenever it decodes.
        try:
            return data.decode("cp1252"), f"{name}: not UTF-8; decoded as cp1252"
        except UnicodeDecodeError:
            pass
    return str(guess), f"{name}: not UTF-8; decoded as {guess.encoding}"


def _sure_of_another_script(guess: Any) -> bool:
    """Whether charset_normalizer's guess is to be trusted over Windows-1252: a multi-byte
    encoding (Shift-JIS, GB18030) that decoded the file, or a single-byte code page whose
    text it recognised as a language and whose letters are mostly not Latin (a Russian
    cp1251 or a Greek cp1253 file; read as cp1252 they were `Çàáàñòîâêà`).
    """
    from charset_normalizer.utils import is_multi_byte_encoding

    if is_multi_byte_encoding(guess.encoding):
        return True
    if guess.coherence <= 0:
        return False
    # Letters proper (not modifier letters: cp852 reads cp1252's `ó` as a caron, `ˇ`)
    letters = [c for c in str(guess) if not c.isascii() and unicodedata.category(c) in _LETTERS]
    latin = sum(1 for c in letters if unicodedata.name(c, "").startswith("LATIN"))
    return len(letters) - latin >= _OTHER_SCRIPT_LETTERS and len(letters) > 2 * latin


def seed_files(seeds_dir: Path) -> list[Path]:
    """Article files under the seeds folder, sorted; hidden and temporary files are ignored,
    and so is any link that leads out of the folder (`seeds/notes.txt -> ../.env`).

    The folder is resolved once and each file's real path compared with it as text: at
    thousands of files this listing runs before every change.
    """
    if not seeds_dir.is_dir():
        return []
    try:
        root = os.path.realpath(seeds_dir) + os.sep
    except (OSError, ValueError):
        return []
    # `rglob` lists a folder it may not read as empty: every article would read as removed and
    # the index be emptied. The folder itself is listed first, so that its OSError is raised.
    with os.scandir(seeds_dir):
        pass
    found = []
    for path in seeds_dir.rglob("*"):
        rel = path.relative_to(seeds_dir)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.suffix.lower() not in SUFFIXES:
            continue
        try:
            if not path.is_file():
                continue
            inside = os.path.realpath(path).startswith(root)
        except (OSError, ValueError):
            continue
        if not inside:
            log.warning("ingest: %s: skipped, it links outside the seeds folder", rel.as_posix())
            continue
        found.append((rel.as_posix(), path))
    return [path for _, path in sorted(found, key=lambda item: item[0])]


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


def _too_large(where: str, size: int) -> str:
    """The warning for a file or record over the size of one article."""
    return f"{where}: skipped, {size:,} bytes is over the {MAX_ARTICLE_BYTES:,}-byte limit for one article"


def _decoded(raw: bytes, where: str, warnings: list[str]) -> str | None:
    """`decode`'s text (None: not text), its warning appended to `warnings`."""
    text, warning = decode(raw, where)
    if warning:
        warnings.append(warning)
    return text


def _read_jsonl(path: Path, name: str, warnings: list[str], day_first: bool = False) -> Iterator[Article]:
    with path.open("rb") as fh:
        for number, (raw, size) in enumerate(_lines_capped(fh, MAX_ARTICLE_BYTES), start=1):
            if raw is None:
                warnings.append(_too_large(f"{name}:{number}", size))
                continue
            if not raw.strip():
                continue
            text = _decoded(raw, f"{name}:{number}", warnings)
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


def iter_file(path: Path, name: str, warnings: list[str], *, day_first: bool = False) -> Iterator[Article]:
    """Articles of one file as they are read (a .jsonl file record by record: a large seeds file
    is never held whole); its warnings are appended to `warnings` as they arise.
    """
    suffix = path.suffix.lower()
    try:
        if suffix in COLLECTION_SUFFIXES:
            yield from _read_jsonl(path, name, warnings, day_first)
            return
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            warnings.append(_too_large(name, size))
            return
        text = _decoded(path.read_bytes(), name, warnings)
    except OSError as exc:
        warnings.append(f"{name}: skipped, cannot read it ({exc.strerror or exc})")
        return
    if text is None:
        return
    markup = markup_kind(text)
    if markup is not None:
        warnings.append(f"{name}: skipped, {markup}")
        return
    notes: list[str] = []
    try:
        article = parse_text(path.stem, text, path=str(path), day_first=day_first, warnings=notes)
    except ArticleError as exc:
        warnings.append(f"{name}: skipped, {exc}")
        return
    except RecursionError:
        warnings.append(f"{name}: skipped, nested too deeply")
        return
    finally:
        warnings.extend(f"{name}: {note}" for note in notes)
    yield article


def markup_kind(text: str) -> str | None:
    """Why `text` is no article when it is a web page or a news feed saved as `.txt` or `.md`
    (its first element, after an XML declaration or comments, is `<html>`, `<!DOCTYPE html>`,
    `<rss>`, Atom's `<feed>` or RSS 1.0's `<rdf:RDF>`), else None. Read as text, its markup
    was quoted as sentences and its `<?xml …?>` line shown as its title. Only the file's start
    is looked at: an article that mentions a tag is an article.
    """
    head = text[:MARKUP_HEAD].lstrip("\ufeff \t\r\n")
    while True:
        for opening, closing in _MARKUP_PREAMBLE:
            if head.startswith(opening):
                end = head.find(closing, len(opening))
                if end < 0:
                    return None
                head = head[end + len(closing) :].lstrip()
                break
        else:
            break
    root = _MARKUP_ROOT.match(head)
    if root is None:
        return None
    if root[1].lower().startswith(("!doctype", "html")):
        return "looks like a web page (HTML): save the article's text as .txt or .md"
    return "looks like a news feed (RSS or Atom): follow the feed's address instead (`follow URL`, or `/follow`)"


def read_file(path: Path, name: str | None = None, *, day_first: bool = False) -> IngestResult:
    """Articles of one file (one for .txt/.md, many for .jsonl) and its warnings."""
    result = IngestResult()
    result.articles.extend(iter_file(path, name or path.name, result.warnings, day_first=day_first))
    return result


def iter_seeds(
    seeds_dir: Path,
    files: Iterable[Path],
    warnings: list[str],
    *,
    day_first: bool = False,
    taken: Iterable[str] = (),
    skipped: list[str] | None = None,
) -> Iterator[tuple[Path, Article]]:
    """(file, article) of `files` as they are read: what a build indexes, never held whole.

    An id repeated in a file keeps its first copy; an id in `taken` or in an earlier file is
    skipped and goes to `skipped` (the first copy wins: the order of the files decides). The
    warnings are `load_seeds`'s, in its order: each file's own as they arise, then its repeats.
    An article whose body is an earlier one's (another id: a syndicated copy) is kept, and said.
    """
    seen = set(taken)
    bodies: dict[int, str] = {}  # hash of a body -> the first id with it (a warning, not a decision)
    same = 0  # articles with an earlier one's text: the first SAME_TEXT_SAID are named
    for path in files:
        in_file: set[str] = set()
        repeats: list[str] = []
        earlier: list[str] = []
        for article in iter_file(path, path.relative_to(seeds_dir).as_posix(), warnings, day_first=day_first):
            doc_id = article.doc_id
            if doc_id in in_file:
                repeats.append(repeated_id(path.name, doc_id))
                continue
            in_file.add(doc_id)
            if doc_id in seen:
                earlier.append(indexed_id(path.name, doc_id))
                if skipped is not None:
                    skipped.append(doc_id)
                continue
            first = bodies.setdefault(hash(article.body), doc_id)
            if first != doc_id:
                same += 1
                if same <= SAME_TEXT_SAID:
                    earlier.append(f"{path.name}: {same_text(doc_id, first)}")
            yield path, article
        seen |= in_file
        warnings.extend(repeats)
        warnings.extend(earlier)
    if same > SAME_TEXT_SAID:
        warnings.append(f"... and {same - SAME_TEXT_SAID:,} more articles have the same text as an earlier one")


def repeated_id(name: str, doc_id: str) -> str:
    """The warning for an id a file holds twice (its first copy is kept)."""
    return f"{name}: skipped article {doc_id!r} after its first copy, it appears more than once in the file"


SAME_TEXT_SAID = 20  # articles named as another's copy by one build; the rest are counted (a
#                     replicated corpus, bench.scale's, holds thousands)


def same_text(doc_id: str, first: str) -> str:
    """The warning for an article whose body is another's word for word (both are indexed; a
    sentence they share is shown once, citing one and naming the other).
    """
    return f"article {doc_id!r}{copy_of(first)}"


def copy_of(first: str) -> str:
    """The end of `same_text`'s warning, which names the original (a warning of a removed one goes)."""
    return f" has the same text as {first!r} (both indexed; their sentences are shown once)"


def indexed_id(name: str, doc_id: str) -> str:
    """The warning for an id an earlier file (or the index) already holds."""
    return f"{name}: skipped article {doc_id!r}, an article with that id is already indexed"


def load_seeds(seeds_dir: Path, files: list[Path] | None = None, *, day_first: bool = False) -> IngestResult:
    """All articles of the seeds folder; duplicate ids keep the first and warn."""
    result = IngestResult()
    seen: set[str] = set()
    for path in files if files is not None else seed_files(seeds_dir):
        one = read_file(path, path.relative_to(seeds_dir).as_posix(), day_first=day_first)
        result.warnings.extend(one.warnings)
        in_file: set[str] = set()
        for article in one.articles:
            if article.doc_id in seen:
                repeat = article.doc_id in in_file
                result.warnings.append((repeated_id if repeat else indexed_id)(path.name, article.doc_id))
                continue
            seen.add(article.doc_id)
            in_file.add(article.doc_id)
            result.articles.append(article)
    return result


def _kept_marks(match: re.Match[str]) -> str:
    """A run `_SAFE_NAME` found, as `_`, but for its accents and vowel signs, which stay."""
    kept = "".join(ch if unicodedata.category(ch) in _MARKS else "_" for ch in match.group())
    return re.sub("_+", "_", kept)


def safe_name(filename: str) -> str:
    """A file name that cannot leave the seeds folder: base name only, plain characters."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot or f".{suffix.lower()}" not in SUFFIXES:
        raise ValueError(f"only {', '.join(SUFFIXES)} files can be added (got {base[:80]!r})")
    stem = _SAFE_NAME.sub(_kept_marks, unicodedata.normalize("NFC", stem)).strip("._-")[:100]
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


class IdTaken(ValueError):
    """An added file holds articles whose ids are already in the seeds, and replacing was not
    asked for; `taken` maps each id to the files that hold it. Nothing was written.
    """

    def __init__(self, message: str, taken: dict[str, list[Path]]) -> None:
        super().__init__(message)
        self.taken = taken


@dataclass
class Upload:
    """An article file checked and ready to store: its safe name, bytes, and the ids it holds.

    `named_id` is True for a .txt/.md whose id is its name (no `id:` in its front matter).
    `warnings` say what of it will be skipped or guessed (a broken line, an id twice, a
    relative date), for the person who sent it. `transcoded`, one of them, says that it was not
    UTF-8 and is stored as UTF-8: the one warning no build after it gives again.
    """

    name: str
    data: bytes
    ids: list[str]
    named_id: bool = False
    warnings: tuple[str, ...] = ()
    transcoded: str | None = None


@dataclass
class SavedUpload:
    """What storing a file did: the file written, the article ids it holds, the ids it replaced."""

    path: Path
    ids: list[str]
    replaced: list[str] = field(default_factory=list)


_held: dict[tuple[str, int], int] = {}  # (seeds folder, thread) -> depth: the writer locks held here
_held_guard = threading.Lock()


@contextlib.contextmanager
def seeds_lock(seeds_dir: Path, on_wait: Callable[[], None] | None = None) -> Iterator[bool]:
    """The one writer of a seeds folder at a time (the bot, CLIs, threads alike), yielding
    whether it had to wait; `on_wait` is called once before waiting (to say so).

    `flock` on the folder itself (no lock file), released when the holder ends, even by
    SIGKILL. Re-entrant within a thread (a front end may hold it around `Corpus.open` and the
    change), exclusive between threads and processes.
    """
    seeds_dir.mkdir(parents=True, exist_ok=True)
    key = (str(seeds_dir.resolve()), threading.get_ident())
    with _held_guard:
        if key in _held:
            _held[key] += 1
            nested = True
        else:
            nested = False
    if nested:
        try:
            yield False
        finally:
            with _held_guard:
                _held[key] -= 1
        return
    fd = os.open(seeds_dir, os.O_RDONLY)
    try:
        waited = False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waited = True
            if on_wait is not None:
                on_wait()
            fcntl.flock(fd, fcntl.LOCK_EX)
        with _held_guard:
            _held[key] = 1
        try:
            yield waited
        finally:
            with _held_guard:
                del _held[key]
    finally:
        os.close(fd)  # closing releases the lock


def file_ids(path: Path) -> list[str]:
    """The ids of the articles a seed file holds, as the index reads them: a .txt/.md's
    front-matter `id`, else its name; a JSONL's record ids. Cheap: only front matter and ids
    are parsed.
    """
    if path.suffix.lower() in ARTICLE_SUFFIXES:
        try:
            with path.open("rb") as fh:
                head = fh.read(MAX_FRONT_MATTER + 4096)
        except OSError:
            return [path.stem]
        return [front_matter_id(head.decode("utf-8", errors="replace")) or path.stem]
    return list(_record_ids(path))


OWNERS_VERSION = 2  # bump when the way ids are read from files changes (2: composed, as checked_id)


def article_owners(
    seeds_dir: Path, cache: Path | None = None, wanted: Iterable[str] | None = None
) -> dict[str, list[Path]]:
    """Which files hold each article id (the first is the one indexed; more is a leftover the
    next replace or remove of that id cleans up); only the `wanted` ids when given.

    With `cache` (a JSON file outside the seeds, written by the writer only), a file whose size,
    modification time and inode are unchanged is not read again: at millions of articles a
    change reads only the files that changed, not every front matter and JSONL record.
    """
    known = _load_owner_cache(cache)
    only = None if wanted is None else set(wanted)
    fresh: dict[str, list[Any]] = {}
    owners: dict[str, list[Path]] = {}
    dirty = False
    for path in seed_files(seeds_dir):
        rel = path.relative_to(seeds_dir).as_posix()
        try:
            st = path.stat()
            stamp = [st.st_size, st.st_mtime_ns, st.st_ino]
        except OSError:
            stamp = []
        entry = known.get(rel)
        if stamp and isinstance(entry, list) and len(entry) == 4 and entry[:3] == stamp and isinstance(entry[3], list):
            fresh[rel] = entry
            ids = entry[3]
        else:
            ids = list(dict.fromkeys(file_ids(path)))
            if stamp:
                fresh[rel] = [*stamp, ids]
            dirty = True
        for doc_id in ids if only is None else only.intersection(ids):
            owners.setdefault(str(doc_id), []).append(path)
    if cache is not None and (dirty or len(fresh) != len(known)):
        with contextlib.suppress(OSError):  # only a cache: the next change reads the files again
            write_atomic(cache, json.dumps({"version": OWNERS_VERSION, "files": fresh}).encode("utf-8"))
    return owners


def _load_owner_cache(cache: Path | None) -> dict[str, Any]:
    if cache is None:
        return {}
    try:
        loaded = json.loads(cache.read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}
    files = loaded.get("files") if isinstance(loaded, dict) and loaded.get("version") == OWNERS_VERSION else None
    return files if isinstance(files, dict) else {}


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
    return composed(str(value).strip()) or None  # as checked_id reads it, so a removal finds it


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


def check_upload(
    filename: str, data: bytes, max_bytes: int = MAX_ARTICLE_BYTES * 20, *, day_first: bool = False
) -> Upload:
    """Validate an article file before anything is stored: ValueError with a message for the
    user when its name, size or content is unusable.
    """
    name = safe_name(filename)
    if len(data) > max_bytes:
        raise ValueError(f"it is {len(data):,} bytes; the limit is {max_bytes:,}")  # the caller names the file
    transcoded = []
    if data.startswith(UTF16_BOMS) and Path(name).suffix.lower() in COLLECTION_SUFFIXES:
        # A collection is read and edited line by line as bytes: UTF-16's two-byte line breaks
        # would make every line binary. Stored as UTF-8 (Windows PowerShell's `>` writes UTF-16).
        data = data.decode("utf-16", errors="replace").encode("utf-8")
        transcoded.append(f"{name}: not UTF-8; decoded as UTF-16 and stored as UTF-8")
    elif (
        data.startswith(UTF16_BOMS) and Path(name).suffix.lower() in ARTICLE_SUFFIXES and len(data) <= MAX_ARTICLE_BYTES
    ):
        # A UTF-16 article (its byte order mark makes the decoding certain) is decoded once, here,
        # and kept as the text every build would read: stored as sent, every build after warned
        # about it again. A guessed code page (cp1252, or a wrong guess on a short line) keeps its
        # bytes, so a better reading later loses nothing; so do bytes UTF-16 does not fit
        # (U+FFFD in their place) and a file the limit would refuse as UTF-8 but reads as sent.
        text, warning = decode(data, name)
        encoded = text.encode("utf-8") if text is not None and warning is not None and "\ufffd" not in text else None
        if encoded is not None and len(encoded) <= MAX_ARTICLE_BYTES:  # CJK: 2 bytes of UTF-16 are 3 of UTF-8
            data = encoded
            transcoded.append(f"{warning} and stored as UTF-8")
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / name
        probe.write_bytes(data)
        check = read_file(probe, name, day_first=day_first)
    check.warnings[:0] = transcoded
    if not check.articles:
        raise ValueError("; ".join(check.warnings) or "it holds no article")
    copies = Counter(a.doc_id for a in check.articles)
    ids = list(copies)  # in the file's order
    repeated = [doc_id for doc_id, n in copies.items() if n > 1]
    if repeated:  # the build keeps the first copy of an id (iter_seeds)
        check.warnings.extend(repeated_id(name, doc_id) for doc_id in repeated)
    named = (
        Path(name).suffix.lower() in ARTICLE_SUFFIXES
        and ids == [Path(name).stem]
        and front_matter_id(data[: MAX_FRONT_MATTER + 4096].decode("utf-8", errors="replace")) is None
    )
    return Upload(name, data, ids, named, tuple(check.warnings), transcoded[0] if transcoded else None)


def with_id(data: bytes, doc_id: str, name: str) -> bytes:
    """The article's text with `id: DOC_ID` in its front matter (added or created), as UTF-8:
    what keeps an article's identity when it is stored under a numbered name.
    """
    text, _ = decode(data, name)
    text = (text or "").lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    line = f"id: {json.dumps(doc_id)}\n"  # a JSON string is a YAML double-quoted scalar
    opening = re.match(r"---[ \t]*\n", text)
    if opening and FRONT_MATTER.match(text):
        text = text[: opening.end()] + line + text[opening.end() :]
    else:
        text = f"---\n{line}---\n{text}"
    return text.encode("utf-8")


def store_upload(
    seeds_dir: Path, upload: Upload, *, replace: bool = False, owners_cache: Path | None = None
) -> SavedUpload:
    """Add a checked file to the seeds folder; the caller holds `seeds_lock`.

    An id already in the seeds is refused (IdTaken) unless `replace`: then the new file is
    written first and the old versions removed after (their file, or their records of a JSONL
    collection), so a crash between the two leaves both, never neither. A file is never written
    over another unless it is the same file with every one of its articles replaced; a name held
    by another article gets a numbered name (`note-2.md`), with the id kept in its front matter.
    """
    seeds_dir.mkdir(parents=True, exist_ok=True)
    owners = article_owners(seeds_dir, owners_cache, upload.ids)
    taken = {doc_id: owners[doc_id] for doc_id in upload.ids if doc_id in owners}
    if taken and not replace:
        raise IdTaken(_taken_message(taken, seeds_dir), taken)
    target = seeds_dir / upload.name
    holders = {path for paths in taken.values() for path in paths}
    if target in holders and set(file_ids(target)) <= set(upload.ids):
        write_atomic(target, upload.data)  # the same file, every article of it replaced
        written = target
    else:
        data = upload.data
        if upload.named_id and target.exists():
            data = with_id(data, upload.ids[0], upload.name)
        written = write_new(target, data)
        if written != target and data is upload.data and upload.named_id:  # the name appeared meanwhile
            write_atomic(written, with_id(data, upload.ids[0], upload.name))
    for holder in sorted(holders - {written}):
        _remove_articles(holder, {doc_id for doc_id, paths in taken.items() if holder in paths})
    return SavedUpload(written, upload.ids, sorted(taken))


def remove_ids(seeds_dir: Path, ids: Iterable[str], *, owners_cache: Path | None = None) -> tuple[list[str], list[str]]:
    """Delete articles from the seeds folder by id (their file, or their JSONL records); the
    caller holds `seeds_lock`. Returns (removed, unknown) ids, each in the order given.
    """
    ids = list(dict.fromkeys(ids))
    owners = article_owners(seeds_dir, owners_cache, ids)
    removed: list[str] = []
    unknown: list[str] = []
    by_holder: dict[Path, set[str]] = {}
    for doc_id in ids:
        if doc_id not in owners:
            unknown.append(doc_id)
            continue
        removed.append(doc_id)
        for holder in owners[doc_id]:
            by_holder.setdefault(holder, set()).add(doc_id)
    for holder, owned in sorted(by_holder.items()):
        _remove_articles(holder, owned)
    _forget_ids(owners_cache, seeds_dir, by_holder)
    return removed, unknown


def _forget_ids(cache: Path | None, seeds_dir: Path, taken_out: Mapping[Path, set[str]]) -> None:
    """The owners cache after `remove_ids` rewrote or deleted files: a rewritten collection keeps
    its other ids under its new stat, so the next change does not read all its records again
    (18 s for a 1.5 GB JSONL). The entries were current just before (`article_owners`).
    """
    known = _load_owner_cache(cache)
    if cache is None or not known:
        return
    for path, ids in taken_out.items():
        rel = path.relative_to(seeds_dir).as_posix()
        entry = known.pop(rel, None)
        try:
            st = path.stat()
        except OSError:
            continue  # deleted: nothing to remember
        if isinstance(entry, list) and len(entry) == 4 and isinstance(entry[3], list):
            known[rel] = [st.st_size, st.st_mtime_ns, st.st_ino, [i for i in entry[3] if i not in ids]]
    with contextlib.suppress(OSError):  # only a cache
        write_atomic(cache, json.dumps({"version": OWNERS_VERSION, "files": known}).encode("utf-8"))


def save_upload(
    seeds_dir: Path,
    filename: str,
    data: bytes,
    max_bytes: int = MAX_ARTICLE_BYTES * 20,
    *,
    replace: bool = False,
    day_first: bool = False,
) -> SavedUpload:
    """Check an uploaded article file and store it under the writer lock (no reindex; the
    front ends go through `Corpus.add_files`, which also reindexes).

    ValueError (IdTaken for an id already there without `replace`) with a message for the user.
    """
    upload = check_upload(filename, data, max_bytes, day_first=day_first)
    with seeds_lock(seeds_dir):
        return store_upload(seeds_dir, upload, replace=replace)


def _taken_message(taken: dict[str, list[Path]], seeds_dir: Path) -> str:
    """Why an upload was refused, without its own name (the front ends say it first: `port.md:
    refused, …`); each id's file is named as the articles folder holds it, so a file of the same
    name there is not read as the file refused.
    """
    shown = ", ".join(
        f"{doc_id!r} (in {paths[0].relative_to(seeds_dir).as_posix()})" for doc_id, paths in sorted(taken.items())[:5]
    )
    more = f" and {len(taken) - 5} more" if len(taken) > 5 else ""
    return f"its ids are already used in the articles folder: {shown}{more}. Nothing of it was added"


def storage_problem(exc: OSError) -> str:
    """What a failed write means, in words (numpy reports a full disk without an errno)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT) or "requested and" in str(exc):
        return "the disk is full"
    if exc.errno == errno.EROFS:
        return "the disk is read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied" + (f" on {exc.filename}" if exc.filename else "")
    return exc.strerror or str(exc) or type(exc).__name__
