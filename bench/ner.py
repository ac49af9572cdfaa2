"""Named-entity benchmark: `python -m bench.ner [PATH] [--dump OUT.jsonl] [--speed]`.

PATH (default: the MEANTIME evaluation file, `MEANTIME`) is a JSONL file, one article a line, with `doc_id`, `text` and `entities` (`start`, `end`,
`text`, `type` or `ent_type`, optional `syntactic_type`).

Files without `syntactic_type` (e.g. CoNLL-2003's `dev.jsonl`) are scored the CoNLL way: exact
spans only, typed and untyped precision/recall/F1 and per type, the product's types mapped to
CoNLL's four (PERSON->PER, ORG->ORG, GPE/LOC->LOC, everything else->MISC; the mapping is
printed), every prediction counted.

`--model M` scores with the CRF model M (e.g. one trained by `tools.train_names --holdout`);
`--held-out` keeps only the 15 % of documents that command holds out (PATH: CoNLL `train.jsonl`),
`--fold` the 20 % that `tools.train_names --fold` holds out (round 11's held-out Reuters part),
`--inner` the part of the fold's 80 % that `tools.train_names --inner` chooses settings on (round 24).

`--audit` scores the layer on top of the CRF rule by rule (`recogniser.RULES`, each switched off
alone) on the held-out parts: the `--fold` 20 % of CoNLL train (`--conll`) and MEANTIME's
held-out half, with the same model (`--model`, which should be the `--fold` model: it never saw
either part). Per rule: F1 with it off minus F1 with everything on (negative: the rule pays),
and paired counts: gold names right only with the rule on / only with it off, and predictions
the rule removes / adds. The two parts are also pooled (their counts added).

`--against DUMP` (round 24) compares this run with another one's `--dump` of the same rows (e.g.
another model's): per part, typed and untyped F1 of both, gold names right only in this run /
only in the other, and a paired bootstrap over documents (1,000 resamples, seed 7) of the typed
and untyped F1 difference (this run minus the other): its 95 % interval and how often it is not
above zero. CoNLL files are scored exact span; MEANTIME strict overlap, per half.

`--confusions [N]` (round 27) counts the names found with the right span and the wrong type, gold
type -> product type, most frequent first, with N examples each (default 5): CoNLL files exact
span (the product type mapped to CoNLL's four to compare), MEANTIME the strict untyped overlap
matching (NORP and EVENT unscored; read it on the tune half only: `--half tune`).

`--speed` times the recogniser alone on the file's sentences (one core, one process) and prints
sentences per second.

Files with `syntactic_type` are scored as MEANTIME, e.g. the NewsReader MEANTIME English file
`/work/shared/data/meantime/meantime_en_eval.jsonl`. When a line has `sentences` (character
spans) their starts feed the recogniser; otherwise its own fallback splitter is used (the report
says which).

Gold: the name mentions, i.e. `syntactic_type == "NAM"` (every entity when the file has no
syntactic types). MEANTIME's gold spans are whole noun phrases ("the United States", "Chief
executive Thomas Enders"), so two span modes are reported:

- exact:   a prediction matches a gold mention with exactly the same offsets;
- overlap: one-to-one matching of overlapping spans. All overlapping (gold, predicted) pairs are
  ranked by exact match first, then by character Jaccard overlap (intersection / union), then
  by position, and taken greedily; each gold and each predicted mention is used at most once,
  so a gold phrase covering two predicted names matches one of them and the other counts as a
  false positive (and vice versa).

Typed scores additionally require the mapped type to be equal (the matching is redone with the
type constraint). Type mapping to MEANTIME: PERSON->PER, ORG->ORG, GPE/LOC->LOC, PRODUCT->PRO,
FIN->FIN, MISC->MIX. NORP predictions ("Chinese", "American") are not scored: MEANTIME
annotates nationality adjectives as PRE.NAM premodifiers of another mention, not as NAM mentions
(it has 30 PRE.NAM nationality adjectives and 1 NAM), so they are removed from the predictions.
EVENT predictions ("Christmas", "Worldwide Developers Conference") are not scored either: MEANTIME
annotates events in a separate layer and its entity types are only person, organisation,
location, product and financial. Gold NAM mentions without a type (17 in MEANTIME) match any predicted type.

A second, lenient table ignores predictions that fall exactly on a span MEANTIME annotates as a
mention but not as a NAM name: PRE.NAM premodifiers ("Apple" in "Apple CEO Steve Jobs", "US" in
"US markets") and mentions without a syntactic type; such predictions are neither true nor false
positives. The strict table (first) counts them as false positives.

Figures are given for the whole file and for its two halves split by article: `tune` (the first
byte of sha256(doc_id) even) and `held-out` (odd). Rules are tuned on the tune half only; the
held-out half shows whether a change carries over.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from index.names import crf, find_mentions, recogniser
from tools.train_names import fold, inner, split

TYPE_MAP = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "PRODUCT": "PRO",
    "FIN": "FIN",
    "EVENT": "EVENT",
    "MISC": "MIX",
}
UNSCORED = {"NORP", "EVENT"}
MEANTIME = "../shared/data/meantime/meantime_en_eval.jsonl"
CONLL_TRAIN = "../shared/data/conll2003/train.jsonl"
CONLL_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}  # everything else: MISC


def tune_half(doc_id: str) -> bool:
    """The tune half of a split by article: the first byte of sha256(doc_id) is even."""
    return hashlib.sha256(doc_id.encode("utf-8")).digest()[0] % 2 == 0


def load(path: str) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            line = line.strip()
            if not line:
                continue
            row = json.loads(line)
            row["_line"] = n
            rows.append(row)
    return rows


def gold_mentions(row: dict) -> list[tuple[int, int, str | None]]:
    ents = row.get("entities") or []
    has_syn = any("syntactic_type" in e for e in ents)
    out = set()
    for e in ents:
        if has_syn and e.get("syntactic_type") != "NAM":
            continue
        out.add((int(e["start"]), int(e["end"]), e.get("ent_type")))
    return sorted(out, key=lambda g: (g[0], g[1], str(g[2])))


def dont_care(row: dict) -> set[tuple[int, int]]:
    """Spans annotated as mentions but not as NAM names: PRE.NAM premodifiers ("Apple" in "Apple
    CEO Steve Jobs", "US" in "US markets") and mentions left without a syntactic type."""
    return {
        (int(e["start"]), int(e["end"]))
        for e in row.get("entities") or []
        if e.get("syntactic_type") in ("PRE.NAM", None) and "syntactic_type" in e
    }


def without_dont_care(row: dict, preds: list) -> list:
    gold = gold_mentions(row)
    care = dont_care(row)
    return [p for p in preds if (p[0], p[1]) not in care or any(min(g[1], p[1]) > max(g[0], p[0]) for g in gold)]


def predict(row: dict) -> tuple[list[tuple[int, int, str]], list, float]:
    text = row["text"]
    starts = [s[0] for s in row["sentences"]] if row.get("sentences") else None
    t0 = time.perf_counter()
    mentions = find_mentions(text, starts)
    elapsed = time.perf_counter() - t0
    preds = [(m.start, m.end, TYPE_MAP.get(m.type, "MIX")) for m in mentions if m.type not in UNSCORED]
    return preds, mentions, elapsed


def match(gold, pred, mode: str, typed: bool) -> int:
    """Number of one-to-one matches (see module docstring)."""
    if mode == "exact":
        used = Counter()
        gold_c = Counter((g[0], g[1]) if not typed else g for g in gold)
        hits = 0
        for p in pred:
            if typed:
                cands = [
                    g
                    for g in gold_c
                    if g[0] == p[0] and g[1] == p[1] and (g[2] is None or g[2] == p[2]) and used[g] < gold_c[g]
                ]
                if cands:
                    used[cands[0]] += 1
                    hits += 1
            else:
                k = (p[0], p[1])
                if used[k] < gold_c[k]:
                    used[k] += 1
                    hits += 1
        return hits
    return len(overlap_pairs(gold, pred, typed))


def overlap_pairs(gold, pred, typed: bool) -> list[tuple[int, int]]:
    """The one-to-one overlap matching (see module docstring) as (gold index, prediction index)."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            inter = min(g[1], p[1]) - max(g[0], p[0])
            if inter <= 0:
                continue
            if typed and g[2] is not None and g[2] != p[2]:
                continue
            union = max(g[1], p[1]) - min(g[0], p[0])
            pairs.append((g[0] == p[0] and g[1] == p[1], inter / union, -abs(g[0] - p[0]), gi, pi))
    pairs.sort(reverse=True)
    gu, pu = set(), set()
    out = []
    for _, _, _, gi, pi in pairs:
        if gi in gu or pi in pu:
            continue
        gu.add(gi)
        pu.add(pi)
        out.append((gi, pi))
    return out


def prf(tp: int, n_gold: int, n_pred: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return 100 * p, 100 * r, 100 * f


def score(rows, results, lenient: bool = False) -> dict:
    out = {}
    preds = {r["_line"]: results[r["_line"]][0] for r in rows}
    if lenient:
        preds = {r["_line"]: without_dont_care(r, preds[r["_line"]]) for r in rows}
    n_gold = sum(len(gold_mentions(r)) for r in rows)
    n_pred = sum(len(preds[r["_line"]]) for r in rows)
    for mode in ("exact", "overlap"):
        for typed in (False, True):
            tp = sum(match(gold_mentions(r), preds[r["_line"]], mode, typed) for r in rows)
            out[(mode, typed)] = (tp, *prf(tp, n_gold, n_pred))
    out["n"] = (len(rows), n_gold, n_pred)
    return out


def per_type(rows, results) -> list[str]:
    lines = []
    types = sorted(
        {g[2] for r in rows for g in gold_mentions(r) if g[2]} | {p[2] for r in rows for p in results[r["_line"]][0]}
    )
    for t in types:
        gs = [[g for g in gold_mentions(r) if g[2] == t] for r in rows]
        ps = [[p for p in results[r["_line"]][0] if p[2] == t] for r in rows]
        tp = sum(match(g, p, "overlap", True) for g, p in zip(gs, ps, strict=False))
        ng, np_ = sum(map(len, gs)), sum(map(len, ps))
        p, r, f = prf(tp, ng, np_)
        lines.append(f"  {t:4} gold {ng:4} pred {np_:4}  P {p:5.1f}  R {r:5.1f}  F1 {f:5.1f}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.ner", description=__doc__.split("\n")[0])
    ap.add_argument("path", nargs="?", default=MEANTIME, help=f"JSONL file (default {MEANTIME})")
    ap.add_argument("--dump", help="write predictions as JSONL {doc_id, entities: [...]}")
    ap.add_argument("--errors", type=int, default=0, help="print N false positives/negatives")
    ap.add_argument("--speed", action="store_true", help="print the recogniser's sentences per second")
    ap.add_argument(
        "--confusions",
        type=int,
        nargs="?",
        const=5,
        help="print the type confusions of names found with the right span (gold -> product type), N examples each",
    )
    ap.add_argument("--model", help="score with this CRF model instead of the shipped one")
    ap.add_argument(
        "--half",
        choices=("tune", "held-out"),
        help="MEANTIME: score (and --errors/--dump) one half only; read errors on the tune half only",
    )
    ap.add_argument(
        "--held-out",
        action="store_true",
        help="score only the 15 %% of documents `tools.train_names --holdout` holds out (PATH: CoNLL train.jsonl)",
    )
    ap.add_argument(
        "--fold",
        action="store_true",
        help="score only the 20 %% of documents `tools.train_names --fold` holds out (PATH: CoNLL train.jsonl)",
    )
    ap.add_argument(
        "--inner",
        action="store_true",
        help="score only the part of the fold's 80 %% `tools.train_names --inner` holds out (PATH: CoNLL train.jsonl)",
    )
    ap.add_argument("--audit", action="store_true", help="each rule of the layer on top of the CRF off, paired")
    ap.add_argument("--against", help="another run's --dump of the same rows: paired counts and bootstrap")
    ap.add_argument("--conll", default=CONLL_TRAIN, help=f"--audit: CoNLL train.jsonl (default {CONLL_TRAIN})")
    args = ap.parse_args(argv)
    if args.model:
        crf.MODEL_PATH = Path(args.model)
    if args.audit:
        return audit(args.conll, args.path)
    rows = load(args.path)
    if args.held_out:
        rows = split(rows, 0.15)[1]
    elif args.fold:
        rows = fold(rows)[1]
    elif args.inner:
        rows = inner(rows)[1]
    if args.half:
        rows = [r for r in rows if tune_half(str(r["doc_id"])) == (args.half == "tune")]
    if not rows:
        print("no articles", file=sys.stderr)
        return 1
    if not any("syntactic_type" in e for r in rows for e in r.get("entities") or []):
        return conll_main(args, rows)
    with_sent = sum(1 for r in rows if r.get("sentences"))
    results = {}
    total_time = 0.0
    for r in rows:
        preds, mentions, elapsed = predict(r)
        total_time += elapsed
        results[r["_line"]] = (preds, mentions)
    chars = sum(len(r["text"]) for r in rows)
    print(f"{args.path}: {len(rows)} articles, {chars:,} characters")
    print(
        f"sentence starts: {with_sent} articles from the file's `sentences`, "
        f"{len(rows) - with_sent} from the recogniser's fallback splitter"
    )
    print("gold: NAM mentions; NORP and EVENT predictions unscored; overlap = one-to-one greedy by Jaccard")
    halves = [
        ("all", rows),
        ("tune", [r for r in rows if tune_half(str(r["doc_id"]))]),
        ("held-out", [r for r in rows if not tune_half(str(r["doc_id"]))]),
    ]
    print(f"{'subset':15} {'docs':>4} {'gold':>5} {'pred':>5} | {'mode':8} {'typed':6} {'P':>6} {'R':>6} {'F1':>6}")
    for lenient in (False, True):
        if lenient:
            print(
                "lenient: predictions on spans annotated as PRE.NAM or untyped mentions, overlapping "
                "no NAM gold, are ignored (neither TP nor FP)"
            )
        for name, subset in halves:
            if not subset:
                continue
            s = score(subset, results, lenient)
            nd, ng, np_ = s["n"]
            for mode in ("exact", "overlap"):
                for typed in (False, True):
                    tp, p, r, f = s[(mode, typed)]
                    print(
                        f"{name:15} {nd:4} {ng:5} {np_:5} | {mode:8} "
                        f"{'typed' if typed else 'untyped':6} {p:6.1f} {r:6.1f} {f:6.1f}"
                    )
    print("per type (all, overlap, typed):")
    print("\n".join(per_type(rows, results)))
    print(
        f"speed: {total_time:.3f} s for find_mentions over {len(rows)} articles = "
        f"{chars / total_time / 1000:,.0f}k chars/s, {len(rows) / total_time:,.0f} articles/s"
        if total_time
        else "speed: n/a"
    )
    if args.errors:
        _errors(rows, results, args.errors)
    _after(args, rows, results)
    return 0


def conll_gold(row: dict) -> set[tuple[int, int, str]]:
    return {
        (int(e["start"]), int(e["end"]), e.get("type") or e.get("ent_type") or "MISC")
        for e in row.get("entities") or []
    }


def conll_main(args, rows: list[dict]) -> int:
    """CoNLL-style scores: exact spans, typed and untyped, per type (see module docstring)."""
    with_sent = sum(1 for r in rows if r.get("sentences"))
    print(f"{args.path}: {len(rows)} documents, {sum(len(r['text']) for r in rows):,} characters")
    print(
        f"sentence starts: {with_sent} documents from the file's `sentences`, {len(rows) - with_sent} from the fallback"
    )
    print(
        "CoNLL scoring: exact spans; type mapping "
        + ", ".join(f"{k}->{v}" for k, v in CONLL_MAP.items())
        + ", other->MISC"
    )
    results = {}
    tp = tpu = n_gold = n_pred = 0
    per: dict[str, Counter] = {}
    for r in rows:
        starts = [s[0] for s in r["sentences"]] if r.get("sentences") else None
        mentions = find_mentions(r["text"], starts)
        results[r["_line"]] = ([], mentions)
        pred = {(m.start, m.end, CONLL_MAP.get(m.type, "MISC")) for m in mentions}
        gold = conll_gold(r)
        tp += len(gold & pred)
        tpu += len({g[:2] for g in gold} & {p[:2] for p in pred})
        n_gold += len(gold)
        n_pred += len(pred)
        for t in {x[2] for x in gold | pred}:
            c = per.setdefault(t, Counter())
            c["tp"] += len({g for g in gold if g[2] == t} & pred)
            c["gold"] += sum(1 for g in gold if g[2] == t)
            c["pred"] += sum(1 for p in pred if p[2] == t)
        if args.errors:
            text = r["text"]
            for g in sorted(gold - pred)[: args.errors]:
                print(f"  missed {text[g[0] : g[1]]!r} {g[2]}")
            for p in sorted(pred - gold)[: args.errors]:
                print(f"  false  {text[p[0] : p[1]]!r} {p[2]}")
    print(f"{'':8} {'gold':>6} {'pred':>6} {'P':>6} {'R':>6} {'F1':>6}")
    print(f"{'typed':8} {n_gold:6} {n_pred:6} " + " ".join(f"{x:6.1f}" for x in prf(tp, n_gold, n_pred)))
    print(f"{'untyped':8} {n_gold:6} {n_pred:6} " + " ".join(f"{x:6.1f}" for x in prf(tpu, n_gold, n_pred)))
    for t in sorted(per):
        c = per[t]
        print(f"{t:8} {c['gold']:6} {c['pred']:6} " + " ".join(f"{x:6.1f}" for x in prf(c["tp"], c["gold"], c["pred"])))
    _after(args, rows, results)
    return 0


Hits = dict[str, set[tuple[object, ...]]]  # "gold_typed", "gold_untyped", "pred": per part, keyed by document


def _conll_hits(rows: list[dict[str, Any]]) -> Hits:
    """Exact-span hits of `find_mentions` on CoNLL rows: typed/untyped gold found and predictions."""
    out: Hits = {"gold_typed": set(), "gold_untyped": set(), "pred": set()}
    for r in rows:
        starts = [s[0] for s in r["sentences"]] if r.get("sentences") else None
        pred = {(m.start, m.end, CONLL_MAP.get(m.type, "MISC")) for m in find_mentions(r["text"], starts)}
        gold = conll_gold(r)
        out["gold_typed"] |= {(r["doc_id"], *g) for g in gold & pred}
        out["gold_untyped"] |= {(r["doc_id"], *g[:2]) for g in gold if g[:2] in {p[:2] for p in pred}}
        out["pred"] |= {(r["doc_id"], *p) for p in pred}
    return out


def _meantime_hits(rows: list[dict[str, Any]]) -> Hits:
    """Strict overlap hits on MEANTIME rows: one entry per matched gold name (by rank in its
    document, so paired counts compare numbers of matches per document) and per prediction."""
    out: Hits = {"gold_typed": set(), "gold_untyped": set(), "pred": set()}
    for r in rows:
        preds = predict(r)[0]
        gold = gold_mentions(r)
        doc = r["doc_id"]
        out["gold_typed"] |= {(doc, n) for n in range(match(gold, preds, "overlap", True))}
        out["gold_untyped"] |= {(doc, n) for n in range(match(gold, preds, "overlap", False))}
        out["pred"] |= {(doc, *p) for p in preds}
    return out


def _f1(hits: int, n_gold: int, n_pred: int) -> float:
    return prf(hits, n_gold, n_pred)[2]


def audit(conll_path: str, meantime_path: str) -> int:
    """Each rule of `recogniser.RULES` off alone against all on, on both held-out parts."""
    conll_rows = fold(load(conll_path))[1]
    meantime_rows = [r for r in load(meantime_path) if not tune_half(str(r["doc_id"]))]
    parts = {
        "conll-20%": (conll_rows, _conll_hits, sum(len(conll_gold(r)) for r in conll_rows)),
        "meantime-held-out": (meantime_rows, _meantime_hits, sum(len(gold_mentions(r)) for r in meantime_rows)),
    }
    print(f"model {crf.MODEL_PATH}; gold: " + ", ".join(f"{k} {v[2]}" for k, v in parts.items()))
    base = {name: fn(rows) for name, (rows, fn, _) in parts.items()}
    for name, h in base.items():
        n_gold = parts[name][2]
        typed = _f1(len(h["gold_typed"]), n_gold, len(h["pred"]))
        untyped = _f1(len(h["gold_untyped"]), n_gold, len(h["pred"]))
        print(f"all rules on, {name}: typed {typed:.2f} untyped {untyped:.2f}")
    print(
        "rule off: per part dF1 typed / untyped (off - on) and paired counts "
        "[typed gold +on-only/-off-only, untyped +/-, predictions removed/added by the rule]; pooled dF1"
    )
    for rule in recogniser.RULES:
        recogniser.RULES[rule] = False
        try:
            cells = []
            pooled: Counter[str] = Counter()
            for name, (rows, fn, n_gold) in parts.items():
                on, off = base[name], fn(rows)
                d_typed = _f1(len(off["gold_typed"]), n_gold, len(off["pred"])) - _f1(
                    len(on["gold_typed"]), n_gold, len(on["pred"])
                )
                d_untyped = _f1(len(off["gold_untyped"]), n_gold, len(off["pred"])) - _f1(
                    len(on["gold_untyped"]), n_gold, len(on["pred"])
                )
                cells.append(
                    f"{name} {d_typed:+.2f} / {d_untyped:+.2f} "
                    f"[+{len(on['gold_typed'] - off['gold_typed'])}/-{len(off['gold_typed'] - on['gold_typed'])}, "
                    f"+{len(on['gold_untyped'] - off['gold_untyped'])}/-{len(off['gold_untyped'] - on['gold_untyped'])}, "
                    f"{len(off['pred'] - on['pred'])}/{len(on['pred'] - off['pred'])}]"
                )
                for key, h in (("on", on), ("off", off)):
                    pooled[f"{key}_typed"] += len(h["gold_typed"])
                    pooled[f"{key}_untyped"] += len(h["gold_untyped"])
                    pooled[f"{key}_pred"] += len(h["pred"])
                pooled["gold"] += n_gold
            pt = _f1(pooled["off_typed"], pooled["gold"], pooled["off_pred"]) - _f1(
                pooled["on_typed"], pooled["gold"], pooled["on_pred"]
            )
            pu = _f1(pooled["off_untyped"], pooled["gold"], pooled["off_pred"]) - _f1(
                pooled["on_untyped"], pooled["gold"], pooled["on_pred"]
            )
            print(f"{rule:19} " + "; ".join(cells) + f"; pooled {pt:+.2f} / {pu:+.2f}")
        finally:
            recogniser.RULES[rule] = True
    return 0


Counts = tuple[int, int, int, int]  # one document: typed hits, untyped hits, gold, predictions


def doc_counts(row: dict[str, Any], spans: list[tuple[int, int, str]]) -> Counts:
    """One document's counts for predicted (start, end, product type) spans: CoNLL files exact
    span with CoNLL's types, MEANTIME strict overlap with its types (NORP, EVENT unscored).
    """
    if any("syntactic_type" in e for e in row.get("entities") or []):
        gold_m = gold_mentions(row)
        preds = [(a, b, TYPE_MAP.get(t, "MIX")) for a, b, t in spans if t not in UNSCORED]
        typed, untyped = match(gold_m, preds, "overlap", True), match(gold_m, preds, "overlap", False)
        return typed, untyped, len(gold_m), len(preds)
    gold = conll_gold(row)
    pred = {(a, b, CONLL_MAP.get(t, "MISC")) for a, b, t in spans}
    untyped = len({g[:2] for g in gold} & {q[:2] for q in pred})
    return len(gold & pred), untyped, len(gold), len(pred)


def _f1_of(counts: list[Counts], k: int) -> float:
    return _f1(sum(c[k] for c in counts), sum(c[2] for c in counts), sum(c[3] for c in counts))


def paired(mine: list[Counts], theirs: list[Counts], resamples: int = 1000, seed: int = 7) -> dict[str, Any]:
    """F1 of both runs over the same documents, names right in one only, and a paired bootstrap
    over documents of the F1 difference (mine minus theirs): 95 % interval, share not above 0.
    """
    out: dict[str, Any] = {}
    rng = random.Random(seed)
    draws = [[rng.randrange(len(mine)) for _ in mine] for _ in range(resamples)]
    for k, name in ((0, "typed"), (1, "untyped")):
        diffs = sorted(_f1_of([mine[i] for i in d], k) - _f1_of([theirs[i] for i in d], k) for d in draws)
        out[name] = {
            "mine": _f1_of(mine, k),
            "theirs": _f1_of(theirs, k),
            "more": sum(max(0, a[k] - b[k]) for a, b in zip(mine, theirs, strict=True)),
            "fewer": sum(max(0, b[k] - a[k]) for a, b in zip(mine, theirs, strict=True)),
            "low": diffs[int(0.025 * resamples)],
            "high": diffs[int(0.975 * resamples) - 1],
            "not_above_0": sum(1 for x in diffs if x <= 0) / resamples,
        }
    return out


def _against(rows: list[dict], results: dict, dump: str) -> None:
    """This run against another run's dump of the same rows (`paired`), per part."""
    with open(dump, encoding="utf-8") as fh:
        other = {str(d["doc_id"]): d["entities"] for d in map(json.loads, fh) if d}
    missing = [r["doc_id"] for r in rows if str(r["doc_id"]) not in other]
    if missing:
        raise SystemExit(f"--against {dump}: {len(missing)} documents missing, e.g. {missing[0]}")
    parts = [("all", rows)]
    if any("syntactic_type" in e for r in rows for e in r.get("entities") or []):
        parts += [(h, [r for r in rows if tune_half(str(r["doc_id"])) == (h == "tune")]) for h in ("tune", "held-out")]
    print(f"against {dump} (this run minus that one; paired bootstrap over documents, 1,000 resamples):")
    for name, part in parts:
        if not part:
            continue
        mine = [doc_counts(r, [(m.start, m.end, m.type) for m in results[r["_line"]][1]]) for r in part]
        theirs = [doc_counts(r, [(e["start"], e["end"], e["type"]) for e in other[str(r["doc_id"])]]) for r in part]
        for kind, x in paired(mine, theirs).items():
            print(
                f"  {name:9} {kind:7} {x['mine']:6.2f} vs {x['theirs']:6.2f} ({x['mine'] - x['theirs']:+.2f}); "
                f"gold right only here {x['more']}, only there {x['fewer']}; "
                f"95 % {x['low']:+.2f} to {x['high']:+.2f}, not above 0 in {100 * x['not_above_0']:.1f} %"
            )


Confusion = tuple[str, str]  # gold type, product type


def doc_confusions(row: dict[str, Any], mentions: list) -> list[tuple[Confusion, str]]:
    """The names of one document found with the right span and the wrong type, as ((gold type,
    product type), text): CoNLL files exact span, the product type mapped to CoNLL's four for the
    comparison; MEANTIME the strict untyped overlap matching (NORP, EVENT unscored), gold names
    without a type never wrong.
    """
    text = row["text"]
    if any("syntactic_type" in e for e in row.get("entities") or []):
        gold_m = gold_mentions(row)
        scored = [m for m in mentions if m.type not in UNSCORED]
        preds = [(m.start, m.end, TYPE_MAP.get(m.type, "MIX")) for m in scored]
        return [
            ((str(gold_m[gi][2]), scored[pi].type), _in_gold(scored[pi].text, text[gold_m[gi][0] : gold_m[gi][1]]))
            for gi, pi in overlap_pairs(gold_m, preds, False)
            if gold_m[gi][2] is not None and gold_m[gi][2] != preds[pi][2]
        ]
    gold = {g[:2]: g[2] for g in conll_gold(row)}
    return [
        ((gold[(m.start, m.end)], m.type), m.text)
        for m in mentions
        if (m.start, m.end) in gold and gold[(m.start, m.end)] != CONLL_MAP.get(m.type, "MISC")
    ]


def _in_gold(found: str, gold: str) -> str:
    """A MEANTIME example: the name found, and the gold phrase it matched when that is longer."""
    return found if found == gold else f"{found} [{gold}]"


def _confusions(rows: list[dict], results: dict, examples: int) -> None:
    """The type confusions of names found with the right span, most frequent first, with examples."""
    counts: Counter[Confusion] = Counter()
    texts: dict[Confusion, Counter[str]] = {}
    for r in rows:
        for key, name in doc_confusions(r, results[r["_line"]][1]):
            counts[key] += 1
            texts.setdefault(key, Counter())[name] += 1
    print(f"type confusions, span right and type wrong ({sum(counts.values())}; gold -> product type):")
    for (gold, product), n in counts.most_common():
        shown = "; ".join(f"{t} x{c}" if c > 1 else t for t, c in texts[(gold, product)].most_common(examples))
        print(f"  {gold:5} -> {product:8} {n:5}  {shown}")


def _after(args, rows: list[dict], results: dict) -> None:
    if args.confusions is not None:
        _confusions(rows, results, args.confusions)
    if args.against:
        _against(rows, results, args.against)
    if args.speed:
        _speed(rows)
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as fh:
            for r in rows:
                ents = [
                    {"start": m.start, "end": m.end, "text": m.text, "type": m.type} for m in results[r["_line"]][1]
                ]
                fh.write(json.dumps({"doc_id": r["doc_id"], "entities": ents}, ensure_ascii=False) + "\n")
        print(f"wrote {args.dump}")


def _speed(rows: list[dict]) -> None:
    """Sentences per second of `find_mentions` over the whole file (best of three runs)."""
    n_sent = sum(len(r["sentences"]) if r.get("sentences") else max(1, r["text"].count("\n") + 1) for r in rows)
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        for r in rows:
            find_mentions(r["text"], [s[0] for s in r["sentences"]] if r.get("sentences") else None)
        best = min(best, time.process_time() - t0)
    print(f"speed: {n_sent} sentences in {best:.2f} s CPU (best of 3) = {n_sent / best:,.0f} sentences/s on one core")


def _errors(rows, results, limit: int) -> None:
    fp, fn, wt = Counter(), Counter(), Counter()
    for r in rows:
        text = r["text"]
        gold = gold_mentions(r)
        preds = results[r["_line"]][0]
        for p in preds:
            ov = [g for g in gold if min(g[1], p[1]) > max(g[0], p[0])]
            if not ov:
                fp[text[p[0] : p[1]]] += 1
            elif not any(g[2] in (None, p[2]) for g in ov):
                wt[f"{text[p[0] : p[1]]} {p[2]} (gold {ov[0][2]})"] += 1
        for g in gold:
            if not any(min(g[1], p[1]) > max(g[0], p[0]) for p in preds):
                fn[f"{text[g[0] : g[1]]} {g[2]}"] += 1
    for name, c in (("false positives", fp), ("missed", fn), ("wrong type", wt)):
        print(f"{name} ({sum(c.values())}):", "; ".join(f"{k} x{v}" if v > 1 else k for k, v in c.most_common(limit)))


if __name__ == "__main__":
    raise SystemExit(main())
