"""What every commit writes, for `cmp` between two checkouts: a refactor of the commit path
(`index.search.build.update`, the store, the merges) must leave each file of each generation as it was.

    python -m bench.commit_files --out OUT          # then the same from the other checkout, and cmp

`bench.answer_time --answers` never commits, so it cannot see such a change. Here MEANTIME's
articles go in through the one policy (`Corpus.add_files`, `Corpus.remove`): three built, then
27 added one at a time (plain commits, tail merges and whole merges), two removed, one replaced, a
JSONL collection of ten added and one of its records removed. After each commit, one line per
file of the current generation: its SHA-256, and `meta.json` key by key, less what differs from
one run to the next (file times and inodes, generation names, the build time, the folder's path:
the work folder is fixed, `--work`, so that article paths agree). `checksum.json` is left out.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Any

from index.corpus import Corpus
from index.search import store

MEANTIME = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "meantime" / "meantime_en.jsonl"
_GENERATION = re.compile(r"gen-[0-9T]+-[0-9a-f]+")
_RUN_KEYS = ("built_at", "seeds_dir", "seed_files", "index_dir", "created_at")


def _article(record: dict[str, Any], extra: str = "") -> bytes:
    date = (record["dct"] or "2009-01-01")[:10]
    head = f"---\nid: {record['doc_id']}\ntitle: {record['doc_name']}\ndate: {date}\n---\n"
    return f"{head}{record['text']}{extra}\n".encode()


def _meta_lines(meta: dict[str, Any]) -> str:
    for entry in meta.get("files", {}).values():
        entry.pop("stat", None)
    for key in _RUN_KEYS:
        meta.pop(key, None)
    meta = json.loads(_GENERATION.sub("GEN", json.dumps(meta)))
    return json.dumps(
        {k: hashlib.sha256(json.dumps(v, sort_keys=True).encode()).hexdigest()[:16] for k, v in sorted(meta.items())}
    )


def generation_lines(index_dir: Path) -> list[str]:
    """One line per file of the current generation (see the module's docstring)."""
    generation = store.current_generation(index_dir)
    out = []
    for path in sorted(p for p in generation.rglob("*") if p.is_file() and p.name != "checksum.json"):
        name = path.relative_to(generation).as_posix()
        if path.name == "meta.json":
            out.append(f"{name} {_meta_lines(json.loads(path.read_text(encoding='utf-8')))}")
        else:
            out.append(f"{name} {hashlib.sha256(path.read_bytes()).hexdigest()[:16]}")
    return out


def run(records: list[dict[str, Any]], work: Path) -> list[str]:
    """The commits of the module's docstring, in order, and what each generation holds."""
    shutil.rmtree(work, ignore_errors=True)
    seeds, index_dir = work / "seeds", work / "index"
    seeds.mkdir(parents=True)
    for record in records[:3]:
        (seeds / f"{record['doc_id']}.md").write_bytes(_article(record))
    lines: list[str] = []

    def commit(label: str) -> Corpus:
        lines.append(f"== {label}")
        lines.extend(generation_lines(index_dir))
        return Corpus.open(seeds, index_dir)

    corpus = Corpus.open(seeds, index_dir)
    corpus = commit("build")
    for number, record in enumerate(records[3:30]):
        corpus.add_files([(f"{record['doc_id']}.md", _article(record))])
        corpus = commit(f"add {number}")
    corpus.remove([records[5]["doc_id"], records[12]["doc_id"]])
    corpus = commit("remove two")
    corpus.add_files([(f"{records[7]['doc_id']}.md", _article(records[7], " Updated later."))], replace=True)
    corpus = commit("replace one")
    wire = "".join(
        json.dumps({"id": r["doc_id"], "title": r["doc_name"], "text": r["text"]}) + "\n" for r in records[30:40]
    )
    corpus.add_files([("wire.jsonl", wire.encode())])
    corpus = commit("a collection")
    corpus.remove([records[33]["doc_id"]])
    commit("a record of the collection removed")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", type=Path, default=MEANTIME, help="MEANTIME's meantime_en.jsonl")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--work", type=Path, default=Path("/tmp/verbatim-commit-files"), help="emptied, then used")
    args = ap.parse_args()
    with args.path.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line, _ in zip(fh, range(40), strict=False)]
    lines = run(records, args.work)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{sum(line.startswith('==') for line in lines)} generations, {len(lines)} lines written to {args.out}")


if __name__ == "__main__":
    main()
