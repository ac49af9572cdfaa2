"""A new article's names and dates at scale (issue 16): `python -m bench.layers_chain --work DIR
--sentences N [SQUAD_JSON]`.

Builds (once, kept in DIR) a corpus of about N sentences of SQuAD articles replicated under
distinct ids, with the entity and timeline layers, plus one article of its own (`zz-base.md`,
names shared with SQuAD's). Then, in this process: add one article naming the base's entities,
replace the base's own article, remove the added one; after each change, the time until the
chain's entities, timeline and `/source` suggestions are ready (`Corpus.prepare_layers`, merged
at read) and, on the same chain in the same run, the time of the whole assembly it replaces
(every live article's saved inputs assembled: the code before), with a check that both give
the same layers. Last, the CLI end to end in fresh processes: `ingest one.md`, then `ask`,
`entity`, `timeline --entity`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from . import squad_data
from .scale import DEFAULT_DATA, make_corpus

BASE_ARTICLE = (
    "---\ntitle: Broncos parade\ndate: 2016-02-09\n---\n"
    "The Denver Broncos held a parade in Denver on February 9, 2016.\n"
    "Peyton Manning thanked the fans of the Denver Broncos.\n"
)
CORRECTED = (
    "---\ntitle: Broncos parade\ndate: 2016-02-09\n---\n"
    "The Denver Broncos held a parade in Denver on February 10, 2016.\n"
    "Gary Kubiak thanked the fans.\n"
)
ADDED = (
    "---\ntitle: Zanzibar festival\ndate: 2016-03-01\n---\n"
    "Ferry operators in Zanzibar announced a quarrelsome xylophone festival on March 4, 2016.\n"
    "Peyton Manning and the Denver Broncos will play at the festival in Zanzibar.\n"
)
ONE = (
    "---\ntitle: Pemba regatta\ndate: 2016-03-02\n---\n"
    "Boat builders in Pemba announced a marmalade regatta on March 7, 2016.\n"
    "Peyton Manning will open the regatta in Pemba.\n"
)


def _analyse_once_per_text(analyse: Any) -> Any:
    """`layers.analyse` that runs the recogniser and tagger once per distinct article text (with
    its title and date) and gives the copies the same mentions and event records, their sentence
    ids moved: the corpus is SQuAD replicated, so the saved layers are those of a full analysis,
    at a fraction of its hour at 1M sentences. The read-time figures do not depend on it.
    """
    import numpy as np

    def once(articles: Any, rows: Any, workers: int | None = None) -> tuple[list[Any], list[Any]]:
        first = np.searchsorted(np.asarray(rows["doc"]), np.arange(len(articles) + 1)).tolist()
        seen: dict[tuple[Any, ...], int] = {}
        for doc, a in enumerate(articles):
            seen.setdefault((a.body, a.title, a.date), doc)
        unique = sorted(seen.values())
        parts = [rows[first[d] : first[d + 1]].copy() for d in unique]
        for u, part in enumerate(parts):
            part["doc"] = u
        sub = np.concatenate(parts) if parts else rows[:0]
        sub_first = np.cumsum([0] + [len(p) for p in parts]).tolist()
        mentions, records = analyse([articles[d] for d in unique], sub, workers)
        where = {d: u for u, d in enumerate(unique)}
        out_mentions, out_records = [], []
        for doc, a in enumerate(articles):
            u = where[seen[(a.body, a.title, a.date)]]
            shift = first[doc] - sub_first[u]
            out_mentions.append(list(mentions[u]))
            out_records.append([[r[0] + shift, *r[1:]] for r in records[u]])
        return out_mentions, out_records

    return once


def _build(seeds: Path, index: Path, sentences: int, data: Path) -> dict[str, Any]:
    import resource

    from index.search import build as builder
    from index.search import layers

    layers.analyse = _analyse_once_per_text(layers.analyse)

    records, _ = squad_data.load(data)
    make_corpus(records, sentences, seeds)
    (seeds / "zz-base.md").write_text(BASE_ARTICLE, encoding="utf-8")
    t0 = time.perf_counter()
    builder.build(seeds, index)
    return {
        "build_s": time.perf_counter() - t0,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "workers_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def _layers(corpus: Any) -> dict[str, Any]:
    """Everything a reader sees of the layers, sentences named by article and text."""
    text = {p.pid: (p.doc_id, p.sentence) for p in corpus.all_passages()}
    entities = corpus.entities()
    return {
        "entities": [
            (
                *(v for k, v in e.to_json().items() if k not in ("cited", "related")),
                tuple((text[c[0]], c[1], c[2]) for c in e.cited_lists()),
                tuple(text[p] for p in e.related),
            )
            for e in entities.all()
        ],
        "timeline": corpus.events_json(),
        "suggestions": {p: corpus.suggest_articles(p) for p in ("", "zz", "broncos", "zanzibar", "s", "super bowl")},
        "complete": {p: entities.complete(p) for p in ("", "d", "peyton", "zan", "broncos")},
    }


def _change(corpus: Any, check: bool) -> tuple[Any, dict[str, Any]]:
    """Commit what changed in the seeds, then time the chain's layers both ways."""
    from index.corpus import Corpus
    from index.search import layers

    t0 = time.perf_counter()
    chain = corpus.reindex()
    commit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    chain.entities()  # the entity index and suggestions (the timeline waits for its first use)
    names_s = time.perf_counter() - t0
    chain.prepare_layers()
    merged_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    zanzibar = chain.entities().get("Zanzibar")
    events = chain.events(entity="Peyton Manning", limit=5)
    suggested = chain.suggest_articles("zz")
    queries_s = time.perf_counter() - t0
    row: dict[str, Any] = {
        "segments": len(chain.saved.meta.get("segments", [])),
        "commit_s": commit_s,
        "names_merged_s": names_s,
        "layers_merged_s": merged_s,
        "queries_s": queries_s,
        "zanzibar_articles": zanzibar.articles if zanzibar else [],
        "manning_events": len(events),
        "suggested": suggested,
    }
    if check:  # a second reader of the same chain assembling its layers whole (the code before)
        merge = layers.assemble_chain
        layers.assemble_chain = lambda *args, **kwargs: None
        try:
            whole = Corpus.open(chain.seeds_dir, chain.index_dir)
            t0 = time.perf_counter()
            whole.prepare_layers()
            row["layers_whole_s"] = time.perf_counter() - t0
            expected = _layers(whole)
        finally:
            layers.assemble_chain = merge
        got = _layers(chain)
        row["identical"] = {part: got[part] == expected[part] for part in expected}
        row["entities"] = len(got["entities"])
    return chain, row


def _cli(seeds: Path, index: Path, work: Path) -> dict[str, Any]:
    """`python -m bot ingest one.md`, then `ask`, `entity`, `timeline`: each a fresh process."""
    one = work / "pemba.md"
    one.write_text(ONE, encoding="utf-8")
    base = [sys.executable, "-m", "bot", "--seeds", str(seeds), "--index-dir", str(index)]
    steps = {
        "ingest": ["ingest", str(one)],
        "ask": ["ask", "Who will open the marmalade regatta?"],
        "entity": ["entity", "Pemba"],
        "timeline": ["timeline", "--entity", "Pemba"],
    }
    out: dict[str, Any] = {}
    for name, args in steps.items():
        t0 = time.perf_counter()
        done = subprocess.run([*base, *args], capture_output=True, text=True, env=dict(os.environ), check=False)
        out[f"{name}_s"] = time.perf_counter() - t0
        out[f"{name}_ok"] = done.returncode == 0 and any(w in done.stdout for w in ("regatta", "Pemba", "added 1"))
    out["total_s"] = sum(v for k, v in out.items() if k.endswith("_s"))
    remove = subprocess.run([*base, "remove", "pemba"], capture_output=True, text=True, check=False)
    out["removed"] = remove.returncode == 0
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--work", type=Path, required=True, help="folder kept between runs (seeds, index)")
    ap.add_argument("--sentences", type=int, default=100_000)
    ap.add_argument("--no-check", action="store_true", help="skip the whole assembly (the code before)")
    ap.add_argument("--no-cli", action="store_true", help="skip the CLI end to end")
    args = ap.parse_args()
    seeds, index = args.work / "seeds", args.work / "index"
    report: dict[str, Any] = {"sentences": args.sentences}
    if not index.exists():
        report["build"] = _build(seeds, index, args.sentences, args.path)
    from index.corpus import Corpus

    t0 = time.perf_counter()
    corpus = Corpus.open(seeds, index)
    report["open_s"] = time.perf_counter() - t0
    report["passages"] = len(corpus)
    added = seeds / "zz-zanzibar.md"
    try:
        added.write_text(ADDED, encoding="utf-8")
        corpus, report["add_one"] = _change(corpus, not args.no_check)
        (seeds / "zz-base.md").write_text(CORRECTED, encoding="utf-8")
        corpus, report["replace_base_one"] = _change(corpus, not args.no_check)
        added.unlink()
        corpus, report["remove_one"] = _change(corpus, not args.no_check)
    finally:
        added.unlink(missing_ok=True)
        (seeds / "zz-base.md").write_text(BASE_ARTICLE, encoding="utf-8")
    if not args.no_cli:
        corpus.reindex()
        report["cli"] = _cli(seeds, index, args.work)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
