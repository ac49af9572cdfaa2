"""How a change of the articles (ingest, replace, remove) is said: one wording for the terminal
and Discord, so both front ends report the library's one policy the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.wording import plural
from index.models import Change, Footprint

IDS_SHOWN = 10
WAITING = "waiting for another writer (an ingest, remove or reindex is running)..."


def _same(text: str) -> str:
    return text


def refused_file(name: str, why: str) -> str:
    """A refused file and why, named once: `empty.md: skipped, no text` (the reasons of a file's
    check name it already), else `x.md: refused, cannot read it (...)`.
    """
    return why if why.startswith(f"{name}:") else f"{name}: refused, {why}"


def refusal_reason(name: str, why: str) -> str:
    """Why a file was refused, without the `name: ` it starts with when the reply names it first
    (`Could not add empty.md: skipped, no text.`); a reason naming a line (`x.jsonl:1: ...`) keeps it.
    """
    return why.removeprefix(f"{name}: ")


def footprint_words(footprint: Footprint) -> str:
    """`16 sentences, 6 timeline events, 10 names`."""
    return (
        f"{plural(footprint.sentences, 'sentence')}, {plural(footprint.events, 'timeline event')}, "
        f"{plural(footprint.names, 'name')}"
    )


def id_list(ids: Sequence[str], escape: Callable[[str], str] = _same, shown: int = IDS_SHOWN) -> str:
    """`a, b, c and 12 more`: ids as a reader can copy them, at most `shown` of them."""
    listed = ", ".join(escape(doc_id) for doc_id in ids[:shown])
    return listed + (f" and {len(ids) - shown:,} more" if len(ids) > shown else "")


def change_summary(change: Change, escape: Callable[[str], str] = _same) -> str | None:
    """One sentence saying what was added, replaced or removed, with what it held in the index
    (what the old versions held went out, what the new ones hold came in); None when nothing was.
    """
    parts = []
    if change.added:
        parts.append(f"added {plural(len(change.added), 'article')} ({id_list(change.added, escape)})")
    if change.replaced:
        word = "replaced " + (str(len(change.replaced)) if change.added else plural(len(change.replaced), "article"))
        parts.append(f"{word} ({id_list(change.replaced, escape)})")
    if change.removed:
        parts.append(f"removed {plural(len(change.removed), 'article')} ({id_list(change.removed, escape)})")
    if not parts:
        return None
    said = " and ".join(parts)
    if change.replaced:
        counts = f"{footprint_words(change.before)} out; {footprint_words(change.after)} in"
    elif change.removed:
        counts = footprint_words(change.before)
    else:
        counts = footprint_words(change.after)
    if change.reindex_problem is not None:
        counts = "not yet in the index"
    return f"{said[0].upper()}{said[1:]}: {counts}."
