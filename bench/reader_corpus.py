"""A reader's corpus of news no rule was written on: 30 CoQA CNN stories and 20 MEANTIME articles.

    python -m bench.reader_corpus OUT.jsonl [--coqa PATH] [--meantime PATH]
    python -m bench.reader_corpus OUT.jsonl --tempeval DIR [--rest]   # round 20: 40 TempEval-3 documents
    python -m bench.reader_corpus OUT.jsonl --cnn [--rest]            # round 22: 40 CoQA CNN stories
    python -m bot --seeds DIR --index-dir IDX ingest OUT.jsonl
    python -m bot --seeds DIR --index-dir IDX entities      # and `timeline`, `entity NAME`

Round 19 (docs/names.md, "Round 19, a reader's view") read `/entities` and `/timeline` of this
corpus as a news desk would. The stories are chosen by a seeded hash (sha256 of "reader19:" and
the story id, the first 30 / 20), so the same ones come back. The MEANTIME articles come from its
`tune` half only (`bench.ner.tune_half`): the held-out half, which judges the names rules, is never
read. The CNN stories have no date (the timeline infers one); the MEANTIME ones keep their
publication date, title and link, the first two lines (title, date) cut from the body.

Round 20 (docs/names.md, "Round 20, other agencies") read 40 documents of the TempEval-3 training
data instead (`--tempeval ../shared/data/tempeval3-train`: TimeBank's WSJ, AP, ABC, CNN, PRI, VOA
and AQUAINT's AP, NYT, Xinhua), chosen by sha256 of "reader20:" and the document id; `--rest`
writes the other 216, never read, on which a fix's changes are counted and checked.

Round 22 (docs/names.md, "Round 22, CNN's news") read 40 of CoQA's 1,562 CNN stories (`--cnn`,
the path `--coqa`), the first by sha256 of "names22:" and the story id, but round 19's 30 and
second copies of a text; `--rest` writes the others (each text once): never read, the part a
fix's changes are counted on.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from typing import Any

SEED = "reader19:"
TEMPEVAL_SEED = "reader20:"
TEMPEVAL_FILES = ("tbaq_timebank.jsonl", "tbaq_aquaint.jsonl")
CNN_SEED = "names22:"


def tempeval_articles(folder: str, n: int = 40, rest: bool = False) -> list[dict[str, Any]]:
    """The first `n` TempEval-3 training documents by sha256 of "reader20:" + id as `ingest` rows
    (their creation date as the date, the title where there is one); `rest`: the others.
    """
    docs: list[dict[str, Any]] = []
    for name in TEMPEVAL_FILES:
        with open(f"{folder}/{name}", encoding="utf-8") as f:
            docs.extend(json.loads(line) for line in f)
    ranked = sorted(docs, key=lambda d: hashlib.sha256((TEMPEVAL_SEED + d["doc_id"]).encode()).hexdigest())
    rows = []
    for d in ranked[n:] if rest else ranked[:n]:
        row = {"id": "tb_" + d["doc_id"], "date": d.get("dct"), "text": d["text"].strip("\n")}
        if d.get("title"):
            row["title"] = d["title"]
        rows.append(row)
    return rows


def _key(story_id: str) -> str:
    return hashlib.sha256((SEED + story_id).encode()).hexdigest()


def tune_half(doc_id: str) -> bool:
    """`bench.ner.tune_half`, repeated here so that this script reads no other module."""
    return hashlib.sha256(doc_id.encode()).digest()[0] % 2 == 0


def articles(coqa_path: str, meantime_path: str, n_cnn: int = 30, n_meantime: int = 20) -> list[dict[str, Any]]:
    """The corpus as `ingest` JSONL rows, CNN stories first."""
    with open(coqa_path, encoding="utf-8") as f:
        stories = json.load(f)["data"]
    cnn = sorted(stories, key=lambda d: _key(d["id"]))[:n_cnn]
    with open(meantime_path, encoding="utf-8") as f:
        meantime = [json.loads(line) for line in f]
    chosen = sorted((d for d in meantime if tune_half(str(d["doc_id"]))), key=lambda d: _key(str(d["doc_id"])))
    rows: list[dict[str, Any]] = [{"id": "cnn_" + d["id"][:10], "text": d["story"]} for d in cnn]
    for d in chosen[:n_meantime]:
        lines = d["text"].split("\n")
        rows.append(
            {
                "id": f"mt_{d['doc_id']}",
                "title": lines[0],
                "date": d.get("dct"),
                "url": d.get("url"),
                "text": "\n".join(lines[2:]) if len(lines) > 2 else d["text"],
            }
        )
    return rows


def cnn_articles(coqa_path: str, n: int = 40, rest: bool = False) -> list[dict[str, Any]]:
    """The first `n` CoQA CNN stories by sha256 of "names22:" + id as `ingest` rows, leaving out
    round 19's 30 (read then) and second copies of a text (CoQA holds some stories twice, under
    ids of the same first ten letters); `rest`: the other stories, each text once.
    """
    with open(coqa_path, encoding="utf-8") as f:
        stories = json.load(f)["data"]
    seen = {d["story"] for d in sorted(stories, key=lambda d: _key(d["id"]))[:30]}
    rows = []
    for d in sorted(stories, key=lambda d: hashlib.sha256((CNN_SEED + d["id"]).encode()).hexdigest()):
        if d["story"] not in seen:
            seen.add(d["story"])
            rows.append({"id": "cnn_" + d["id"], "text": d["story"]})  # its first ten letters are not unique
    return rows[n:] if rest else rows[:n]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", help="JSONL to write (one article a line, `ingest`'s schema)")
    ap.add_argument("--coqa", default="../shared/data/coqa/coqa_train_cnn.json")
    ap.add_argument("--meantime", default="../shared/data/meantime/meantime_en.jsonl")
    ap.add_argument("--tempeval", help="folder of the TempEval-3 training JSONL: its 40 documents instead")
    ap.add_argument("--cnn", action="store_true", help="40 CoQA CNN stories (from --coqa) instead")
    ap.add_argument("--rest", action="store_true", help="--tempeval, --cnn: the documents not chosen (not read)")
    args = ap.parse_args(argv)
    if args.tempeval:
        rows = tempeval_articles(args.tempeval, rest=args.rest)
    elif args.cnn:
        rows = cnn_articles(args.coqa, rest=args.rest)
    else:
        rows = articles(args.coqa, args.meantime)
    with open(args.out, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")
    print(f"{len(rows)} articles: " + " ".join(r["id"] for r in rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
