"""Names built article by article equal names built at once (issue 18, round 21):

    python -m bench.names_chain CORPUS.jsonl [--first N] [--last K] [--work DIR]
    python -m bench.names_chain --meantime ../shared/data/meantime/meantime_en.jsonl

Each way of ingesting `CORPUS.jsonl` (`ingest`'s JSONL) runs the CLI in fresh processes into
its own seeds and index folder, as a news desk would: (1) one ingest of everything; (2) the
first N articles, then the rest; (3) one ingest of all but the last K; (4) the first N, the
rest but the last K, the last K, then `remove` of the last K. Then `entities --json` and every
entity's `entity NAME --json` (read in this process as the CLI prints them) must be identical,
2 to 1 and 4 to 3, with sentences named by article and text, not number (a chain numbers them
as a build does when its files sort in ingest order, as here). Exit 1 when they differ.
`--meantime PATH` takes MEANTIME's articles (`meantime_en.jsonl`, dateline and title lines as
`bench.reader_corpus` takes them).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any


def _bot(seeds: Path, index: Path, *args: str) -> str:
    """One CLI command in a fresh process (this checkout's code)."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--seeds", str(seeds), "--index-dir", str(index), *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"bot {' '.join(args[:1])} failed: {done.stderr.strip()[-500:]}")
    return done.stdout


def _ingest(work: Path, name: str, batches: list[list[dict[str, Any]]], remove: list[str]) -> Path:
    """Ingest the batches in turn (files that sort in that order), then remove ids; the seeds folder."""
    seeds, index = work / name / "seeds", work / name / "index"
    seeds.mkdir(parents=True)
    for i, rows in enumerate(batches):
        batch = work / name / f"{i:02d}_batch.jsonl"
        batch.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        _bot(seeds, index, "ingest", str(batch))
    if remove:
        _bot(seeds, index, "remove", *remove)
    return seeds


def names(seeds: Path) -> dict[str, Any]:
    """`entities --json` and every `entity NAME --json`, sentence numbers replaced by (article, text)."""
    from index.corpus import Corpus

    corpus = Corpus.open(seeds, seeds.with_name("index"))
    text = {p.pid: (p.doc_id, p.text) for p in corpus.all_passages()}

    def plain(entity: Any) -> dict[str, Any]:
        data = entity.to_json()
        data["cited"] = [[*text[pid], start, end] for pid, start, end in data["cited"]]
        data["related"] = [text[pid] for pid in data["related"]]
        return data

    entities = [plain(e) for e in corpus.entities().all()]
    details = {}
    for e in corpus.entities().all():
        found = corpus.entity_details(e.name, quotes=0)
        assert found is not None
        details[e.name] = {**plain(found.entity), "cooccurring": [[o.name, n] for o, n in found.cooccurring]}
    return {"entities": entities, "entity": details, "sentences": len(text)}


def _differences(a: dict[str, Any], b: dict[str, Any], limit: int = 10) -> list[str]:
    out = []
    if a["sentences"] != b["sentences"]:
        out.append(f"sentences: {a['sentences']} vs {b['sentences']}")
    for key in sorted(set(a["entity"]) | set(b["entity"])):
        x, y = a["entity"].get(key), b["entity"].get(key)
        if x != y:
            out.append(
                f"{key}: {x and (x['type'], x['mentions'], x['aliases'])} vs {y and (y['type'], y['mentions'], y['aliases'])}"
            )
    if not out and a["entities"] != b["entities"]:
        out.append("the entities' order differs")
    return out[:limit] + ([f"... {len(out) - limit} more"] if len(out) > limit else [])


def meantime_rows(path: str) -> list[dict[str, Any]]:
    """MEANTIME's articles as `ingest` rows (title line apart, as `bench.reader_corpus` does)."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            lines = d["text"].split("\n")
            text = "\n".join(lines[2:]) if len(lines) > 2 else d["text"]
            rows.append({"id": f"mt_{d['doc_id']}", "title": lines[0], "date": d.get("dct"), "text": text})
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", help="ingest JSONL")
    ap.add_argument("--meantime", help="MEANTIME's meantime_en.jsonl instead of a corpus")
    ap.add_argument("--first", type=int, default=None, help="first batch (default: about half)")
    ap.add_argument("--last", type=int, default=10, help="articles added last, then removed")
    ap.add_argument("--work", help="folder for the indexes (default: a temporary one, deleted)")
    args = ap.parse_args(argv)
    if args.meantime:
        rows = meantime_rows(args.meantime)
    elif args.corpus:
        with open(args.corpus, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
    else:
        ap.error("give a corpus or --meantime")
    first = args.first if args.first is not None else len(rows) // 2
    last = max(1, min(args.last, len(rows) - first - 1))
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="names_chain-"))
    try:
        head, tail, gone = rows[:first], rows[first:-last], rows[-last:]
        ids = [str(r["id"]) for r in gone]
        one = names(_ingest(work, "one", [rows], []))
        two = names(_ingest(work, "two", [head, rows[first:]], []))
        without = names(_ingest(work, "without", [rows[:-last]], []))
        removed = names(_ingest(work, "removed", [head, tail, gone], ids))
        ok = True
        for label, a, b in (
            (f"one ingest of {len(rows)} vs {first} + {len(rows) - first}", one, two),
            (
                f"one ingest of {len(rows) - last} vs {first} + {len(tail)} + {last}, then {last} removed",
                without,
                removed,
            ),
        ):
            diff = _differences(a, b)
            ok = ok and not diff
            print(
                f"{label}: {len(a['entities'])} / {len(b['entities'])} entities, {a['sentences']} / {b['sentences']} sentences: {'identical' if not diff else 'DIFFERENT'}"
            )
            for line in diff:
                print("   ", line)
        return 0 if ok else 1
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
