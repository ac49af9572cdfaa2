"""Each posting's (term frequency, sentence length) pair in one byte: a code into a small table.

A posting's BM25 weight depends only on its term frequency and its sentence's length (and the
term's idf), and a corpus holds few distinct such pairs: 299 in the 10M-sentence index, the 255
commonest covering all but 0.06% of its postings. So a posting keeps one uint8 `code` naming its
pair in a per-index table (`tf`, `length`: at most 256 entries) instead of a tf byte and a length
byte, and a query weighs a list by computing the table's weights once (256 floats) and gathering
them by code. When more than 256 pairs occur, the 255 commonest take codes 0..254 and the rest
take `ESCAPE`: their true pairs are kept in side arrays sorted by posting position (`escape_at`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.search.csr import Allocate, count_dtype, in_memory

__all__ = ["ESCAPE", "PAIR_ARRAYS", "PairCodes", "encode_pairs"]

ESCAPE = 255  # the code of a posting whose pair is not in the table (only when more than 256 pairs occur)
MAX_CODES = 256
DENSE_KEYS = 1 << 24  # pairs counted in a dense array while (largest tf + 1) x (longest + 1) is at most this
ENCODE_BLOCK = 1 << 20  # postings keyed at a time: the temporaries stay bounded at 10M sentences
PAIR_ARRAYS = ("pair", "pair_tf", "pair_len", "rare_at", "rare_tf", "rare_len")  # saved names (the escapes: "rare_")


@dataclass(frozen=True, slots=True)
class PairCodes:
    """The postings' pairs: one code a posting, the table of pairs, and the escaped postings' own."""

    codes: np.ndarray  # uint8, one a posting
    tf: np.ndarray  # the term frequency of each code (the table: at most 256 entries)
    length: np.ndarray  # the sentence length of each code
    escape_at: np.ndarray  # int64 positions of the postings coded `ESCAPE` outside the table, ascending
    escape_tf: np.ndarray  # ... their term frequencies
    escape_len: np.ndarray  # ... and their sentences' lengths

    @property
    def escaped(self) -> bool:
        """Whether some postings' pairs are outside the table (code `ESCAPE` is then no pair)."""
        return bool(len(self.escape_at))

    def escapes_between(self, lo: int, hi: int) -> tuple[int, int]:
        """The range of the escape arrays holding the postings at positions lo..hi-1."""
        if not len(self.escape_at):
            return 0, 0
        first, last = np.searchsorted(self.escape_at, (lo, hi))
        return int(first), int(last)

    def tf_between(self, lo: int = 0, hi: int | None = None) -> np.ndarray:
        """The term frequencies of the postings at lo..hi-1 (a merge, tests)."""
        return self._decode(self.tf, self.escape_tf, lo, hi)

    def length_between(self, lo: int = 0, hi: int | None = None) -> np.ndarray:
        """The sentence lengths of the postings at lo..hi-1 (tests)."""
        return self._decode(self.length, self.escape_len, lo, hi)

    def largest_tf(self) -> int:
        """The largest term frequency of any posting (0 without postings)."""
        return max(int(self.tf.max()) if len(self.tf) else 0, int(self.escape_tf.max()) if len(self.escape_tf) else 0)

    def _decode(self, table: np.ndarray, escaped: np.ndarray, lo: int, hi: int | None) -> np.ndarray:
        hi = len(self.codes) if hi is None else hi
        out = np.take(table, np.asarray(self.codes[lo:hi]))
        first, last = self.escapes_between(lo, hi)
        if last > first:
            out[self.escape_at[first:last] - lo] = escaped[first:last]
        return out

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays to save, by `PAIR_ARRAYS` name."""
        return dict(
            zip(
                PAIR_ARRAYS,
                (self.codes, self.tf, self.length, self.escape_at, self.escape_tf, self.escape_len),
                strict=True,
            )
        )

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], n_postings: int) -> PairCodes:
        """The saved pairs, their shapes and types checked (the escapes' positions too: few);
        the files' checksums (`store`) vouch for the rest.
        """
        codes, tf, length, at, escape_tf, escape_len = (np.asarray(arrays[name]) for name in PAIR_ARRAYS)
        if (
            codes.shape != (n_postings,)
            or codes.dtype != np.uint8
            or tf.ndim != 1
            or tf.shape != length.shape
            or len(tf) > MAX_CODES
            or (n_postings and not len(tf))
            or at.dtype != np.int64
            or not at.shape == escape_tf.shape == escape_len.shape
            or (len(at) and (len(tf) != MAX_CODES or int(at[0]) < 0 or int(at[-1]) >= n_postings))
            or (len(at) > 1 and not bool((np.diff(at) > 0).all()))
        ):  # the codes at `escape_at` are not read: spread over the whole file, they would page it all in
            raise ValueError("pair arrays do not match their postings")
        return cls(codes, tf, length, at, escape_tf, escape_len)


def encode_pairs(
    tf: np.ndarray,
    docs: np.ndarray,
    doc_len: np.ndarray,
    allocate: Allocate = in_memory,
    out: np.ndarray | None = None,
    dense_keys: int = DENSE_KEYS,
) -> PairCodes:
    """Code each posting's (tf, length of its sentence `doc_len[docs]`), in blocks of
    `ENCODE_BLOCK` postings: one pass counts the pairs, one writes the codes (into `out` when
    given, which may be `tf` itself when it is uint8: each block is read before it is written;
    else where `allocate` puts "pair"). Pairs are counted in a dense array while they fit in
    `dense_keys` entries, else sorted (`np.unique`). The table lists the pairs commonest first
    (ties: smaller tf, then shorter), so a build and a merge of the same postings code alike.
    """
    tf, docs, doc_len = np.asarray(tf), np.asarray(docs), np.asarray(doc_len)
    n = len(tf)
    top_tf = int(tf.max()) + 1 if n else 1
    top_len = int(doc_len.max()) + 1 if len(doc_len) else 1
    dense = top_tf * top_len <= dense_keys
    counts = np.zeros(top_tf * top_len if dense else 0, dtype=np.int64)
    seen_keys, seen_counts = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for lo in range(0, n, ENCODE_BLOCK):
        keys = _keys(tf, docs, doc_len, top_len, lo, min(n, lo + ENCODE_BLOCK))
        if dense:
            counts += np.bincount(keys, minlength=len(counts))
        else:
            block_keys, block_counts = np.unique(keys, return_counts=True)
            seen_keys.append(block_keys)
            seen_counts.append(block_counts)
    if dense:
        keys = np.flatnonzero(counts)
        counts = counts[keys]
    else:
        keys, where = np.unique(np.concatenate(seen_keys), return_inverse=True)
        counts = np.bincount(where, weights=np.concatenate(seen_counts), minlength=len(keys)).astype(np.int64)
    order = np.lexsort((keys, -counts))  # commonest first, ties by key (tf, then length)
    escaped = len(keys) > MAX_CODES
    table = keys[order[: MAX_CODES - 1 if escaped else MAX_CODES]]
    code_of_key = np.full(top_tf * top_len if dense else 0, ESCAPE, dtype=np.uint8)
    if dense:
        code_of_key[table] = np.arange(len(table), dtype=np.uint8)
    sorted_table = np.argsort(table)
    if out is None:
        out = allocate("pair", n, np.dtype(np.uint8))
    escape_at, escape_keys = [], []
    for lo in range(0, n, ENCODE_BLOCK):
        hi = min(n, lo + ENCODE_BLOCK)
        keys_block = _keys(tf, docs, doc_len, top_len, lo, hi)
        if dense:
            codes = code_of_key[keys_block]
        else:
            slot = np.minimum(np.searchsorted(table[sorted_table], keys_block), len(table) - 1)
            codes = np.where(table[sorted_table][slot] == keys_block, sorted_table[slot], ESCAPE).astype(np.uint8)
        if escaped:  # before the codes are written: `out` may be `tf`
            rare = np.flatnonzero(codes == ESCAPE)
            escape_at.append(rare + lo)
            escape_keys.append(keys_block[rare])
        out[lo:hi] = codes
    if escaped:
        table = np.append(table, table[0])  # code ESCAPE: a placeholder pair, overwritten wherever met
    at = np.concatenate(escape_at) if escape_at else np.zeros(0, dtype=np.int64)
    rare_keys = np.concatenate(escape_keys) if escape_keys else np.zeros(0, dtype=np.int64)
    tf_type, len_type = count_dtype(top_tf - 1), count_dtype(top_len - 1)
    return PairCodes(
        codes=out,
        tf=(table // top_len).astype(tf_type),
        length=(table % top_len).astype(len_type),
        escape_at=at.astype(np.int64),
        escape_tf=(rare_keys // top_len).astype(tf_type),
        escape_len=(rare_keys % top_len).astype(len_type),
    )


def _keys(tf: np.ndarray, docs: np.ndarray, doc_len: np.ndarray, top_len: int, lo: int, hi: int) -> np.ndarray:
    """The keys tf x (longest + 1) + length of the postings at lo..hi-1 (int64)."""
    keys = tf[lo:hi].astype(np.int64)
    keys *= top_len
    keys += np.take(doc_len, docs[lo:hi])
    return keys
