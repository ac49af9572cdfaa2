"""Saving and loading an index without pickle: `.npy` arrays plus a JSON sidecar.

Layout (the bm25s habit): `INDEX_DIR/CURRENT` names the live generation; a generation is a
folder `gen-*` holding `meta.json` (format version, tokenizer and splitter settings, seeds
hash, BM25 parameters, vocabulary, article metadata, and the size and CRC-32 of every other
file), `checksum.json` (the size and CRC-32 of `meta.json` itself), the arrays and the saved
layers (JSON files: entities, timeline, suggestions; see `index.search.layers`). The sidecar
is checked against its checksum and its schema (`index.search.sidecar`) before it is used. A build writes a new hidden folder, fsyncs it, renames it into place
and only then replaces `CURRENT` atomically, so an interrupted build leaves the previous
index untouched. Loading checks every file against the sidecar and memory-maps the arrays;
anything missing, truncated or altered raises `IndexCorrupt`.
"""

from __future__ import annotations

import json
import mmap
import os
import shutil
import tempfile
import time
import uuid
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import brotli
import numpy as np
import orjson

from index.ingest.files import process_umask
from index.search.sidecar import SidecarInvalid, check_meta
from index.search.units import ARRAYS as UNIT_ARRAYS
from index.search.units import RUNS as UNIT_RUNS
from index.search.units import TOKENS as UNIT_TOKENS
from index.search.units import counted_units, saved_runs, saved_tokens

FORMAT_VERSION = 13  # bump on any change of the files or their meaning (13: one pair code a posting for tf and length)
# brotli quality and window of a body. 300 bodies of the 10M corpus, CPU (round 14): quality 4 2.590x
# smaller at 27-29 MB/s; 5 with a 64 KB window 2.706x at 19-20 MB/s (the default 4 MB window: 2.700x
# at 17-18 MB/s: a body is 33 KB, a longer window only costs hashing); unpacking 170 us a body either way.
BODY_QUALITY = 5
BODY_WINDOW_BITS = 16
CURRENT = "CURRENT"
META = "meta.json"
CHECKSUM = "checksum.json"  # size and CRC-32 of META
PASSAGE_DTYPE = np.dtype(
    [
        ("doc", "<i4"),
        ("paragraph", "<i4"),
        ("sentence", "<i4"),
        ("start", "<i4"),  # character offsets in the body: an article is at most 5 MB (MAX_ARTICLE_BYTES)
        ("end", "<i4"),
        ("related", "?"),
        ("related_date", "<i4"),
    ]
)  # proleptic ordinal, 0 when none
# Row fields saved narrower when every value fits (a paragraph's or a sentence's number within its
# article: at most a few hundred in news, 65,535 before uint16 overflows); the rest keep their type.
NARROW_FIELDS = {"paragraph": np.dtype("<u2"), "sentence": np.dtype("<u2")}


def narrow_rows(rows: np.ndarray) -> np.ndarray:
    """Passage rows in the narrowest dtype their values fit (21 bytes a sentence, not 25): each
    field of `NARROW_FIELDS` whose values all lie in its narrow type's range takes it, any other
    keeps its wide type (the guard against overflow: the values are checked, never assumed).
    Readers take whatever integer types the saved rows have; numpy promotes field by field when
    a chain's rows of different widths are concatenated (`index.search.segments.merge`).
    """
    fields = []
    for name in rows.dtype.names or ():
        wide = rows.dtype[name]
        narrow = NARROW_FIELDS.get(name)
        column = rows[name]
        if narrow is not None and len(column):
            info = np.iinfo(narrow)
            fits = info.min <= int(column.min()) and int(column.max()) <= info.max
        else:
            fits = narrow is not None
        fields.append((name, narrow if fits else wide))
    dtype = np.dtype(fields)
    return rows if rows.dtype == dtype else rows.astype(dtype)


class IndexMissing(Exception):
    """No index has been built in this folder yet."""


class IndexCorrupt(Exception):
    """The saved index cannot be trusted; the message says which file and why."""


@dataclass
class Saved:
    """What a generation holds once loaded: the sidecar, the arrays, the article bodies."""

    path: Path
    meta: dict[str, Any]
    arrays: dict[str, np.ndarray]
    bodies: np.ndarray  # uint8 memory map of all bodies, UTF-8, back to back

    def body_bytes(self, row: int) -> bytes:
        """The UTF-8 body of the article at this row (`bodies.bin` holds each one brotli-packed)."""
        return body_at(self.bodies, self.arrays["body_offsets"], row, self.path)

    def packed_body(self, row: int) -> bytes:
        """The article's body as `bodies.bin` holds it (`pack_body`'s bytes): a merge copies it
        into the new generation without unpacking and packing it again.
        """
        offsets = self.arrays["body_offsets"]
        return bytes(self.bodies[int(offsets[row]) : int(offsets[row + 1])])

    def read(self, name: str) -> bytes:
        """A saved file of this generation (checked against the sidecar when it was loaded)."""
        if name not in self.meta["files"] or name in (META, CHECKSUM):
            raise IndexCorrupt(f"{self.path} has no saved {name}")
        try:
            return (self.path / name).read_bytes()
        except OSError as exc:
            raise IndexCorrupt(f"{self.path / name} is unreadable ({exc})") from exc

    def read_range(self, name: str, start: int, end: int) -> bytes:
        """Bytes [start, end) of a saved file of this generation (a few lines of a large one)."""
        if name not in self.meta["files"] or name in (META, CHECKSUM):
            raise IndexCorrupt(f"{self.path} has no saved {name}")
        if not 0 <= start <= end <= int(self.meta["files"][name]["bytes"]):
            raise IndexCorrupt(f"{self.path / name}: bytes {start}-{end} are outside it")
        try:
            with (self.path / name).open("rb") as fh:
                fh.seek(start)
                return fh.read(end - start)
        except OSError as exc:
            raise IndexCorrupt(f"{self.path / name} is unreadable ({exc})") from exc


def pack_body(body: str) -> bytes:
    """An article's body as `bodies.bin` holds it: UTF-8, brotli-packed on its own (a citation
    unpacks one article, about 0.2 ms for 33 KB of text, never its neighbours; brotli's built-in
    dictionary of common text packs prose 15% smaller than zlib at the same cost to unpack).
    """
    packed = brotli.compress(body.encode("utf-8"), mode=brotli.MODE_TEXT, quality=BODY_QUALITY, lgwin=BODY_WINDOW_BITS)
    return bytes(packed)


def unpack_body(packed: bytes, where: Path | str = "bodies.bin") -> bytes:
    """The UTF-8 bytes `pack_body` packed; IndexCorrupt when they do not unpack."""
    try:
        return bytes(brotli.decompress(packed))
    except brotli.error as exc:
        raise IndexCorrupt(f"{where}: an article's body does not unpack ({exc})") from exc


def body_at(
    bodies: np.ndarray, offsets: Sequence[int] | np.ndarray, row: int, where: Path | str = "bodies.bin"
) -> bytes:
    """The UTF-8 body of article `row` of a `bodies.bin` (its bytes `bodies`, their `offsets`)."""
    return unpack_body(bytes(bodies[int(offsets[row]) : int(offsets[row + 1])]), where)


def _crc(path: Path) -> int:
    crc = 0
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            crc = zlib.crc32(block, crc)
    return crc


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_write(path: Path, data: bytes) -> None:
    with path.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


class GenerationWriter:
    """A generation being written: article bodies appended as they pass (a build streams its
    articles and never holds their text whole), then the arrays and files, then made current.

    Use as a context manager: leaving it without `commit` (an error, an interrupt) removes the
    half-written folder, so an interrupted build leaves the previous index untouched.
    """

    def __init__(self, index_dir: Path) -> None:
        index_dir.mkdir(parents=True, exist_ok=True)
        self.index_dir = index_dir
        self.folder = Path(tempfile.mkdtemp(prefix=".build-", dir=index_dir))
        # mkdtemp makes it 0700: a build by another user (a CLI run) would lock the bot out
        os.chmod(self.folder, 0o777 & ~process_umask())
        self._bodies = (self.folder / "bodies.bin").open("wb")
        self._offsets = [0]
        self._mapped: set[str] = set()  # arrays laid out in place, in their files (`allocate`)

    def __enter__(self) -> GenerationWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._bodies.closed:
            self._bodies.close()
        if self.folder.exists():
            shutil.rmtree(self.folder, ignore_errors=True)

    def add_packed(self, packed: bytes) -> None:
        """Append the next article's body, already packed (`pack_body`: a build's workers pack them)."""
        self._offsets.append(self._offsets[-1] + self._bodies.write(packed))

    def bodies(self) -> np.ndarray:
        """The bodies written so far, as a read-only memory map (uint8), and their offsets."""
        self._bodies.flush()
        if not self._offsets[-1]:
            return np.zeros(0, dtype=np.uint8)
        return np.memmap(self.folder / "bodies.bin", dtype=np.uint8, mode="r", shape=(self._offsets[-1],))

    def allocate(self, name: str, length: int, dtype: np.dtype) -> np.ndarray:
        """A writable array of the generation, memory-mapped in its own `.npy` file: a build lays
        its postings out there (their size known from the counts), so they never sit in its memory
        whole; `commit` keeps the file as it is (pass the array, or a read-only map of the file).
        """
        if not name.isidentifier() or name in self._mapped:
            raise ValueError(f"{name!r} cannot be allocated in a generation")
        self._mapped.add(name)
        path = self.folder / f"{name}.npy"
        if not length:  # an empty file cannot be mapped
            empty = np.zeros(0, dtype=dtype)
            np.save(path, empty, allow_pickle=False)
            return empty
        mapped: np.ndarray = np.lib.format.open_memmap(path, mode="w+", dtype=dtype, shape=(length,))
        return mapped

    @property
    def body_offsets(self) -> np.ndarray:
        """Each body's first byte in `bodies.bin`, then its size (articles + 1, int64)."""
        return np.array(self._offsets, dtype=np.int64)

    def commit(
        self, meta: dict[str, Any], arrays: dict[str, np.ndarray], files: Mapping[str, bytes] | None = None
    ) -> Path:
        """Write the arrays, files and sidecar, fsync, rename into place and make it current."""
        build = self.folder
        self._bodies.flush()
        os.fsync(self._bodies.fileno())
        self._bodies.close()
        arrays = {**arrays, "body_offsets": self.body_offsets}
        if {"indptr", "docs", "passages"} <= arrays.keys() and not UNIT_ARRAYS.values() & arrays.keys():
            # Units holding each term, counted once here rather than by every reader (index.search.units).
            arrays.update(counted_units(arrays["indptr"], arrays["docs"], arrays["passages"]))
        if "passages" in arrays and not UNIT_RUNS.values() & arrays.keys():
            # Where its articles and paragraphs begin, found once here rather than by every reader.
            arrays.update(saved_runs(arrays["passages"], len(arrays["body_offsets"]) - 1))
            if {"doc_len", UNIT_RUNS["doc"]} <= arrays.keys() and not UNIT_TOKENS.values() & arrays.keys():
                arrays.update(saved_tokens(arrays[UNIT_RUNS["doc"]], arrays["doc_len"]))
        missing = set(self._mapped) - set(arrays)
        if missing:
            raise ValueError(f"allocated arrays not committed: {sorted(missing)}")
        for name, array in arrays.items():
            if name in self._mapped:  # laid out in place: flushed, not written again
                if len(array) and not _same_file(mapped_file(array), build / f"{name}.npy"):
                    raise ValueError(f"{name} was allocated in the generation: commit that array")
                flush(array)
                continue
            if name == "passages":
                array = narrow_rows(array)
            np.save(build / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
        for name, data in (files or {}).items():
            if "/" in name or name in (META, CHECKSUM) or name.startswith("."):
                raise ValueError(f"{name!r} cannot be saved in a generation")
            (build / name).write_bytes(data)
        listing = {}
        for path in sorted(build.iterdir()):
            with path.open("rb+") as fh:
                os.fsync(fh.fileno())
            st = path.stat()
            # The stat it was checksummed with: a later process trusts an unchanged large file (`load`).
            listing[path.name] = {"bytes": st.st_size, "crc32": _crc(path), "stat": [st.st_mtime_ns, st.st_ino]}
        meta = {**meta, "format_version": FORMAT_VERSION, "arrays": sorted(arrays), "files": listing}
        encoded_meta = json.dumps(meta, ensure_ascii=False).encode("utf-8")
        _fsync_write(build / META, encoded_meta)
        _fsync_write(build / CHECKSUM, _checksum(encoded_meta, _checked_stat(build / META, encoded_meta)))
        _fsync_dir(build)
        final = self.index_dir / f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
        os.rename(build, final)
        pointer = self.index_dir / f".{CURRENT}.{uuid.uuid4().hex[:8]}"
        pointer.write_text(json.dumps({"generation": final.name}), encoding="utf-8")
        with pointer.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(pointer, self.index_dir / CURRENT)
        _fsync_dir(self.index_dir)
        prune(self.index_dir, keep={final.name, *meta.get("segments", [])})
        return final


def mapped_file(array: np.ndarray) -> str | None:
    """The file an array (or the array it views) is memory-mapped from, if any."""
    base: Any = array
    while base is not None:
        if isinstance(base, np.memmap) and base.filename:
            return str(base.filename)
        base = getattr(base, "base", None)
    return None


def release(array: np.ndarray) -> None:
    """Drop a memory-mapped array's pages from this process's resident set (nothing for other
    arrays): after a pass over a whole saved array (a chain's open copies its rows), its pages
    would otherwise count in the process's resident memory until the kernel needs them. They stay
    in the page cache; a later read maps them again. Read-only maps only: nothing is lost.
    """
    base: Any = array
    while base is not None:
        if isinstance(base, mmap.mmap):
            base.madvise(mmap.MADV_DONTNEED)
            return
        base = getattr(base, "base", None)


def _same_file(name: str | None, path: Path) -> bool:
    return name is not None and os.path.exists(name) and os.path.samefile(name, path)


def flush(array: np.ndarray) -> None:
    """Write a memory-mapped array's changes to its file (nothing for other arrays)."""
    base: Any = array
    while base is not None:
        if isinstance(base, np.memmap):
            base.flush()
            return
        base = getattr(base, "base", None)


def save(
    index_dir: Path,
    meta: dict[str, Any],
    arrays: dict[str, np.ndarray],
    packed: Iterable[bytes],
    files: Mapping[str, bytes] | None = None,
) -> Path:
    """Write a new generation and make it current; returns its folder.

    `packed` are the articles' bodies as `pack_body` packs them (packed once: a commit's are
    already packed for its in-memory segment, a merge's are copied from the segments it merges);
    `files` are further files (name -> contents, e.g. the saved layers), checksummed like the rest.
    """
    with GenerationWriter(index_dir) as writer:
        for body in packed:  # one body at a time: no second copy of the text
            writer.add_packed(body)
        return writer.commit(meta, arrays, files)


def prune(index_dir: Path, keep: str | set[str]) -> None:
    """Remove generations other than `keep` (the current one and the segments it builds on) and
    leftovers of interrupted builds. Called by the writer only (it holds the writer lock).

    Processes that still map an old generation keep reading it: on POSIX, deleted files
    live on while open.
    """
    kept = {keep} if isinstance(keep, str) else keep
    for path in index_dir.iterdir():
        if path.name in kept:
            continue
        if path.is_dir() and (path.name.startswith("gen-") or path.name.startswith(".build-")):
            shutil.rmtree(path, ignore_errors=True)
        elif path.is_file() and path.name.startswith(f".{CURRENT}."):
            path.unlink(missing_ok=True)


def current_generation(index_dir: Path) -> Path:
    """The live generation's folder, or IndexMissing / IndexCorrupt."""
    pointer = index_dir / CURRENT
    if not pointer.exists():
        if index_dir.is_dir() and any(p.name.startswith("gen-") for p in index_dir.iterdir()):
            raise IndexCorrupt(f"{pointer} is missing")
        raise IndexMissing(f"no index in {index_dir}")
    try:
        name = json.loads(pointer.read_text(encoding="utf-8"))["generation"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise IndexCorrupt(f"{pointer} is unreadable ({exc})") from exc
    if not isinstance(name, str) or "/" in name or not name.startswith("gen-"):
        raise IndexCorrupt(f"{pointer} names no generation")
    path = index_dir / name
    if not path.is_dir():
        raise IndexCorrupt(f"{path} is missing")
    return path


def _checksum(encoded_meta: bytes, checked: list[int] | None = None) -> bytes:
    doc: dict[str, Any] = {META: {"bytes": len(encoded_meta), "crc32": zlib.crc32(encoded_meta)}}
    if checked is not None:  # a key of its own: code before it reads META's entry only
        doc["checked"] = checked
    return json.dumps(doc).encode("utf-8")


def _checked_stat(path: Path, encoded_meta: bytes) -> list[int] | None:
    """The sidecar file's [mtime, inode] once its JSON passes `check_meta` (None if it does not):
    a reader that finds the file as its writer checked it skips the shape check (`_read_meta`).
    """
    try:
        check_meta(orjson.loads(encoded_meta))
    except (SidecarInvalid, ValueError):
        return None
    st = path.stat()
    return [st.st_mtime_ns, st.st_ino]


def write_meta(generation: Path, meta: dict[str, Any]) -> None:
    """Replace a generation's sidecar and its checksum (for tools and tests that repair one)."""
    encoded = json.dumps(meta, ensure_ascii=False).encode("utf-8")
    _fsync_write(generation / META, encoded)
    _fsync_write(generation / CHECKSUM, _checksum(encoded))


_meta_cache: dict[tuple[str, int, int, int], dict[str, Any]] = {}  # a few checked sidecars


def read_meta(generation: Path) -> dict[str, Any]:
    """The sidecar alone (cheap): enough to tell whether the index is stale.

    A checked sidecar is remembered by its file's path, size, mtime and inode (a commit reads the
    same ones several times; at 1M sentences each parse and check costs about a second). A copy
    of the top level is returned: callers may change keys, never the cached values.
    """
    try:
        st = (generation / META).stat()
        key = (str(generation), st.st_size, st.st_mtime_ns, st.st_ino)
    except OSError:
        key = None
    if key is not None and key in _meta_cache:
        return dict(_meta_cache[key])
    meta = _read_meta(generation)
    if key is not None and meta.get("format_version") == FORMAT_VERSION:
        if len(_meta_cache) >= 8:
            _meta_cache.pop(next(iter(_meta_cache)))
        _meta_cache[key] = meta
    return dict(meta)


def _read_meta(generation: Path) -> dict[str, Any]:
    """Read and check a sidecar (see `read_meta`).

    IndexCorrupt when it fails its checksum or does not have the sidecar's shape. A sidecar of
    another format version (older indexes have no checksum) is returned as it is: the caller
    finds it stale and rebuilds.
    """
    try:
        with (generation / META).open("rb") as fh:
            encoded, st = fh.read(), os.fstat(fh.fileno())
        meta = orjson.loads(encoded)  # 14 MB at ten million sentences: 0.1 CPU s against json's 0.17
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise IndexCorrupt(f"{generation / META} is unreadable ({exc})") from exc
    if isinstance(meta, dict) and meta.get("format_version") != FORMAT_VERSION:
        return meta
    try:
        checksum = json.loads((generation / CHECKSUM).read_text(encoding="utf-8"))
        expected, checked = checksum[META], checksum.get("checked")
    except (OSError, ValueError, UnicodeDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise IndexCorrupt(f"{generation / CHECKSUM} is missing or unreadable ({exc})") from exc
    if expected != {"bytes": len(encoded), "crc32": zlib.crc32(encoded)}:
        raise IndexCorrupt(f"{generation / META} fails its checksum")
    if checked == [st.st_mtime_ns, st.st_ino] and isinstance(meta, dict):
        return meta  # as its writer checked it, never written since (0.1-0.3 CPU s at 10M sentences)
    try:
        return dict(check_meta(meta))
    except SidecarInvalid as exc:
        raise IndexCorrupt(f"{generation / META} is not a valid index sidecar: {exc}") from exc


def load_chain(head: Saved, verify: bool = True) -> list[Saved]:
    """The generations a commit builds on (its `segments`, oldest first), then the commit itself."""
    out = []
    for name in head.meta.get("segments", []):
        path = head.path.parent / name
        if "/" in name or not name.startswith("gen-") or not path.is_dir():
            raise IndexCorrupt(f"{head.path}: the segment {name} is missing")
        meta = read_meta(path)
        if meta.get("format_version") != FORMAT_VERSION:
            raise IndexCorrupt(f"{path}: a segment of another format version")
        out.append(load(path, meta, verify))
    return [*out, head]


_verified: dict[str, tuple[int, int, int, Any]] = {}  # file -> (size, mtime, inode, crc) when its CRC matched
TRUSTED_STAT_BYTES = 1 << 20  # a file this large, unchanged since its writer checksummed it, is not read again


def load(generation: Path, meta: dict[str, Any], verify: bool = True) -> Saved:
    """Check every file against the sidecar and memory-map the arrays.

    A file's CRC is computed once a process while its size, mtime and inode stay the same
    (generations never change once written): a commit and the reopening after it would otherwise
    read every segment of the chain twice (about 0.4 GB at 1M sentences). A file of at least
    `TRUSTED_STAT_BYTES` whose size, mtime and inode are still those the writer recorded when it
    checksummed it is not read at all: every fresh process (each CLI `ask` and `ingest`) would
    otherwise read the whole chain (about 3.5 GB at 10M sentences). Any rewrite, truncation or
    copy changes the stat and is checked in full; small files are always checked.
    """
    for name, expected in meta["files"].items():
        path = generation / name
        try:
            st = path.stat()
        except OSError as exc:
            raise IndexCorrupt(f"{path} is missing") from exc
        if st.st_size != expected.get("bytes"):
            raise IndexCorrupt(f"{path} has {st.st_size} bytes, expected {expected.get('bytes')}")
        if not verify:
            continue
        seen = (st.st_size, st.st_mtime_ns, st.st_ino, expected.get("crc32"))
        if _verified.get(str(path)) == seen:  # checked in this process and not written since
            continue
        if st.st_size >= TRUSTED_STAT_BYTES and expected.get("stat") == [st.st_mtime_ns, st.st_ino]:
            continue  # as its writer checksummed it, never written since
        if _crc(path) != expected.get("crc32"):
            raise IndexCorrupt(f"{path} fails its checksum")
        if len(_verified) >= 4096:
            _verified.clear()
        _verified[str(path)] = seen
    arrays = {}
    try:
        for name in meta["arrays"]:
            arrays[name] = np.load(generation / f"{name}.npy", mmap_mode="r", allow_pickle=False)
        rows = arrays.get("passages")
        if rows is not None and rows.dtype.names != PASSAGE_DTYPE.names:
            raise ValueError(f"passages.npy has the fields {rows.dtype.names}")
        size = meta["files"]["bodies.bin"]["bytes"]
        bodies = np.memmap(generation / "bodies.bin", dtype=np.uint8, mode="r") if size else np.zeros(0, dtype=np.uint8)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexCorrupt(f"{generation} has an unreadable array ({exc})") from exc
    return Saved(generation, meta, arrays, bodies)
