"""Overlap resolution: of overlapping candidates keep the longest, then the higher-priority rule,
then the leftmost.

Candidates are sorted once (O(n log n)); each is then checked against the characters already
taken in a byte map (`bytearray.find` over its own span, in C), so the whole pass costs the
sort plus the total length of the candidates, which is bounded by the trigger windows: linear in
the text. (The former pass compared every candidate with every kept one: quadratic.)
"""

from __future__ import annotations

from index.time.triggers import Candidate

__all__ = ["select"]


def select(cands: list[Candidate], text_len: int) -> list[Candidate]:
    """Non-overlapping candidates in text order."""
    order = sorted(cands, key=lambda c: (c.start - c.end, c.priority, c.start))
    taken = bytearray(text_len + 1)
    chosen: list[Candidate] = []
    for c in order:
        if taken.find(1, c.start, c.end) >= 0:
            continue
        taken[c.start : c.end] = b"\x01" * (c.end - c.start)
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return chosen
