"""Train the names CRF shipped as `index/data/names_crf.model`.

    python -m tools.train_names --conll ../shared/data/conll2003 --out index/data/names_crf.model

which also lists the model's attributes beside it (`names_crf.attributes.json`, read by
`index.names.crf.known_attributes`; `--attributes` lists them alone).

What it is trained on: the CoNLL-2003 English training and development sets (`train.jsonl` and
`dev.jsonl`: 946 + 216 Reuters news documents of August-December 1996, 254,983 tokens, 29,441
names typed PER/ORG/LOC/MISC; Tjong Kim Sang & De Meulder 2003): the settings were chosen on
held-out parts first, then the development set joined the training data (round 11's learning
curve: more annotated news pays). The annotations are free; the texts are Reuters RCV1 and need
Reuters' agreement, so Verbatim ships the learnt weights (python-crfsuite's own binary model
format, no text inside but feature strings such as `w=reuters`) and never the data. The model is
reproducible: the documents are read in file order and crfsuite's L-BFGS is deterministic, so the
same data and settings rebuild the same file byte for byte (checked with sha256).

Tokenisation is the product's own (`index.names.rules.tokenize` over CoNLL's text), and the gold
spans are projected onto those tokens, so training sees what inference sees.

Model selection (feature set, c1/c2) is done with `--holdout`: train on 85 % of the training
documents (a seeded split by document) and score the other 15 % and the development set
(`dev.jsonl`); the final model is then trained on all of `train.jsonl` and `dev.jsonl`. The
CoNLL test set is never read.

`--fold` (round 11) is the held-out Reuters part: a new seeded 80/20 split by document
(`FOLD_SEED`), so the 20 % was never used to choose a rule or a setting; `--subset F` trains on
the first F of the kept documents (the learning curve: `--fold --subset 0.625` is 50 % of train).
Without `--holdout`/`--fold` the development set joins the training data (the shipped model);
`--train-only` trains on `train.jsonl` alone (the model shipped before round 11).

`--inner` (round 24) is where training settings are chosen without touching the 20 %: the fold's
80 % is split again, seeded by document (`INNER_SEED`), into 80 % to train on and 20 % to score.
The settings: `--c1`, `--c2`, `--max-iterations`, `--minfreq` (crfsuite's `feature.minfreq`: a
feature seen fewer times is dropped before training) and `--algorithm` (crfsuite's trainers;
only L-BFGS takes c1, only L-BFGS and l2sgd take c2). A setting left at its default is not
passed to crfsuite, so the shipped command writes the same bytes as before these options.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import pycrfsuite

from index.names import crf
from index.names.crf import spans_from_labels
from index.names.features import doc_features, sequences
from index.names.rules import Doc

SEED = 20031
FOLD_SEED = 2611  # round 11's 80/20 split by document: a fold no earlier round chose rules or settings on
FOLD_HELD = 0.2
INNER_SEED = 2424  # round 24's split of the fold's 80 %: settings are chosen on its 20 %, never on the fold's
INNER_HELD = 0.2
DEFAULTS = {"c1": 0.05, "c2": 0.01, "max_iterations": 200}
ALGORITHMS = ("lbfgs", "l2sgd", "ap", "pa", "arow")  # crfsuite's trainers


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def doc_sequences(row: dict) -> tuple[list[list[list[str]]], list[list[str]], list[tuple[int, int, list]]]:
    """Features and BIO labels of one document, plus token offsets to score spans."""
    text = row["text"]
    starts = [s[0] for s in row["sentences"]] if row.get("sentences") else None
    doc = Doc(text, starts)
    spans = sequences(doc, starts)
    feats = doc_features(doc, spans)
    toks = doc.toks
    tag = ["O"] * len(toks)
    k = 0
    ents = sorted((e["start"], e["end"], e["type"]) for e in row.get("entities", []))
    for start, end, etype in ents:
        while k < len(toks) and toks[k].end <= start:
            k += 1
        q = k
        first = True
        while q < len(toks) and toks[q].start < end:
            tag[q] = ("B-" if first else "I-") + etype
            first = False
            q += 1
    labels = [tag[i:j] for i, j in spans]
    offsets = [(i, j, toks) for i, j in spans]
    return feats, labels, offsets


def split(rows: list[dict], held: float, seed: int = SEED) -> tuple[list[dict], list[dict]]:
    """A seeded split by document: (kept, held out), each in file order."""
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    cut = int(len(rows) * held)
    held_ids = set(order[:cut])
    return [r for n, r in enumerate(rows) if n not in held_ids], [r for n, r in enumerate(rows) if n in held_ids]


def fold(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Round 11's held-out Reuters part: 80 % of the training documents to train on, 20 % to score."""
    return split(rows, FOLD_HELD, FOLD_SEED)


def inner(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Round 24's split of the fold's 80 %: (documents to train on, documents to choose settings on)."""
    return split(fold(rows)[0], INNER_HELD, INNER_SEED)


def trainer_params(algorithm: str, c1: float, c2: float, max_iterations: int, minfreq: float) -> dict[str, Any]:
    """crfsuite's parameters of one setting: only what the trainer takes, and `feature.minfreq`
    only when set (the shipped model's parameters, and so its bytes, stay as they were).
    """
    params: dict[str, Any] = {"max_iterations": max_iterations}
    if algorithm == "lbfgs":
        params = {"c1": c1, "c2": c2, **params}
    elif algorithm == "l2sgd":
        params = {"c2": c2, **params}
    if minfreq:
        params["feature.minfreq"] = minfreq
    return params


def train(rows: list[dict], out: Path, params: dict, algorithm: str = "lbfgs") -> None:
    trainer = pycrfsuite.Trainer(algorithm=algorithm, verbose=False)
    for row in rows:
        feats, labels, _ = doc_sequences(row)
        for x, y in zip(feats, labels, strict=False):
            trainer.append(x, y)
    trainer.set_params({**params, "feature.possible_transitions": True})
    trainer.train(str(out))


def evaluate(rows: list[dict], model: Path) -> dict[str, float]:
    """CoNLL-style exact-span F1 of the raw CRF output (typed and untyped)."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    tp = tpu = n_gold = n_pred = 0
    for row in rows:
        feats, labels, offsets = doc_sequences(row)
        for x, y, (i, _, _toks) in zip(feats, labels, offsets, strict=False):
            gold = {(i + a, i + b, t) for a, b, t in spans_from_labels(y)}
            pred = {(i + a, i + b, t) for a, b, t in spans_from_labels(tagger.tag(x))}
            tp += len(gold & pred)
            tpu += len({g[:2] for g in gold} & {p[:2] for p in pred})
            n_gold += len(gold)
            n_pred += len(pred)

    def f1(hits: int) -> float:
        p = hits / n_pred if n_pred else 0.0
        r = hits / n_gold if n_gold else 0.0
        return 100 * 2 * p * r / (p + r) if p + r else 0.0

    return {"typed": round(f1(tp), 2), "untyped": round(f1(tpu), 2), "gold": n_gold, "pred": n_pred}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.train_names", description=__doc__.split("\n")[0])
    ap.add_argument("--conll", default="../shared/data/conll2003", help="folder with train.jsonl and dev.jsonl")
    ap.add_argument("--out", default="index/data/names_crf.model")
    ap.add_argument("--c1", type=float, default=DEFAULTS["c1"])
    ap.add_argument("--c2", type=float, default=DEFAULTS["c2"])
    ap.add_argument("--max-iterations", type=int, default=DEFAULTS["max_iterations"])
    ap.add_argument("--minfreq", type=float, default=0, help="crfsuite's feature.minfreq (0: every feature)")
    ap.add_argument("--algorithm", choices=ALGORITHMS, default="lbfgs", help="crfsuite's trainer")
    ap.add_argument("--holdout", action="store_true", help="train on 85 %% of train, score the other 15 %% and dev")
    ap.add_argument(
        "--fold", action="store_true", help="train on round 11's 80 %% of train, score the other 20 %% and dev"
    )
    ap.add_argument(
        "--inner",
        action="store_true",
        help="choose settings: train on 80 %% of --fold's 80 %%, score its other 20 %% (never the fold's 20 %%)",
    )
    ap.add_argument(
        "--subset",
        type=float,
        default=1.0,
        help="train on this fraction of the training documents (after --holdout/--fold; first in file order)",
    )
    ap.add_argument("--train-only", action="store_true", help="leave dev.jsonl out of the training data")
    ap.add_argument(
        "--attributes", action="store_true", help="only list the --out model's attributes beside it (no training)"
    )
    args = ap.parse_args(argv)
    if args.attributes:
        print(f"listed {crf.save_attributes(Path(args.out))}")
        return 0
    conll = Path(args.conll)
    rows = load(conll / "train.jsonl")
    held: list[dict] = []
    if args.holdout:
        rows, held = split(rows, 0.15)
    elif args.fold:
        rows, held = fold(rows)
    elif args.inner:
        rows, held = inner(rows)
    if args.subset < 1.0:
        rows = rows[: int(len(rows) * args.subset)]
    with_dev = not (args.holdout or args.fold or args.inner or args.train_only)
    if with_dev:
        rows = rows + load(conll / "dev.jsonl")
    params = trainer_params(args.algorithm, args.c1, args.c2, args.max_iterations, args.minfreq)
    out = Path(args.out)
    t0 = time.time()
    cpu0 = time.process_time()
    train(rows, out, params, args.algorithm)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    listed = crf.save_attributes(out)  # what the recogniser reads instead of parsing the model's dump
    print(
        f"trained on {len(rows)} documents with {args.algorithm} {params} in {time.time() - t0:.0f} s "
        f"({time.process_time() - cpu0:.0f} CPU s)"
    )
    print(f"{out}: {out.stat().st_size / 1e6:.2f} MB sha256 {digest}; its attributes listed in {listed}")
    if held:
        print(f"held-out {len(held)} documents of train:", evaluate(held, out))
    if held and not args.inner:  # settings are chosen on the inner part alone
        print("dev:", evaluate(load(conll / "dev.jsonl"), out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
