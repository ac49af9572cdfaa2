"""Where the rules overrule the CRF's type, and whether they were right (round 27, issue 18).

    python -m bench.type_overrides ../shared/data/conll2003/train.jsonl --fold --model /tmp/c19_fold.model
    python -m bench.type_overrides --half tune            # MEANTIME (default path)
    python -m bench.type_overrides PATH --off sure_org_place   # as before round 27's rule

Every mention whose product type lies outside the CRF's type family (`recogniser.ALLOWED`) is
listed with the CRF's type and marginal, what overruled it (`override`: rule votes past
`OVERRIDE` or `UNSURE_OVERRIDE`; `no_person`; `after`: a rule applied after the vote, such as
`company_cluster` or `place_head`), the evidence (the mention's own gazetteer entry, its own
name-internal and context votes, its cluster's votes), its line (all caps; a number after the
name on its line, as in results tables) and the verdict against gold: `rule` (the product type is
gold's), `crf` (the CRF's type was), `neither`, or `span` (no gold name with that span). CoNLL:
exact spans, types mapped CoNLL's way; MEANTIME: the strict untyped overlap matching of
`bench.ner`. It reads the recogniser's internals by wrapping them: read-only, for analysis.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.ner import (
    CONLL_MAP,
    TYPE_MAP,
    conll_gold,
    gold_mentions,
    load,
    overlap_pairs,
    tune_half,
)
from index.names import crf, find_mentions, recogniser, rules
from tools.train_names import fold

_NUMBER_AFTER = re.compile(r"[ \t]+[(\[]?[-+]?\d")


@dataclass
class Override:
    """One mention typed outside its CRF type family."""

    doc_id: str
    text: str
    crf_type: str
    marginal: float
    product: str
    why: str  # override, no_person, after
    gaz: str  # the mention's own gazetteer type, "-" if none
    own: str  # the mention's own rule votes for the product type: "internal+context"
    cluster_votes: float  # the cluster's votes for the product type, per mention
    caps_line: bool
    number_after: bool
    verdict: str  # rule, crf, neither, span


def _traced(row: dict[str, Any]) -> tuple[list[Any], list[tuple[Any, ...]]]:
    """find_mentions on one row, with the (doc, clustered) and each _product_type call seen."""
    seen: dict[str, Any] = {}
    calls: list[tuple[Any, ...]] = []
    cluster, product_type = recogniser.cluster, recogniser._product_type

    def cluster_seen(doc: Any, cands: Any) -> Any:
        seen["doc"], seen["clustered"] = doc, cluster(doc, cands)
        return seen["clustered"]

    def product_type_seen(crf_type: str, votes: Any, mentions: int, confidence: float) -> str:
        out = product_type(crf_type, votes, mentions, confidence)
        calls.append((crf_type, dict(votes), mentions, confidence, out))
        return out

    recogniser.cluster, recogniser._product_type = cluster_seen, product_type_seen  # type: ignore[assignment]
    try:
        starts = [s[0] for s in row["sentences"]] if row.get("sentences") else None
        mentions = find_mentions(row["text"], starts)
    finally:
        recogniser.cluster, recogniser._product_type = cluster, product_type  # type: ignore[assignment]
    return mentions, [(seen.get("doc"), c, call) for c, call in zip(seen.get("clustered", []), calls, strict=True)]


def _gold_type(row: dict[str, Any], mentions: list[Any]) -> dict[tuple[int, int], str | None]:
    """The gold type each predicted span is matched to (CoNLL exact; MEANTIME strict overlap)."""
    if any("syntactic_type" in e for e in row.get("entities") or []):
        gold = gold_mentions(row)
        preds = [(m.start, m.end, TYPE_MAP.get(m.type, "MIX")) for m in mentions]
        return {(mentions[pi].start, mentions[pi].end): gold[gi][2] for gi, pi in overlap_pairs(gold, preds, False)}
    return {g[:2]: g[2] for g in conll_gold(row)}


def _as_gold(row: dict[str, Any], product: str) -> str:
    if any("syntactic_type" in e for e in row.get("entities") or []):
        return TYPE_MAP.get(product, "MIX")
    return CONLL_MAP.get(product, "MISC")


def overrides(row: dict[str, Any]) -> list[Override]:
    """The mentions of one row typed outside the CRF's type family, with their evidence."""
    mentions, traced = _traced(row)
    final = {(m.start, m.end): m for m in mentions}
    gold = _gold_type(row, mentions)
    text = row["text"]
    out = []
    for doc, (c, _name, _rtype, _total), (crf_type, votes, n, marginal, voted) in traced:
        start, end = doc.toks[c.i].start, doc.toks[c.j - 1].end
        m = final.get((start, end))
        if m is None or m.type in recogniser.ALLOWED[crf_type]:
            continue
        needed = (recogniser.OVERRIDE if marginal >= recogniser.UNSURE else recogniser.UNSURE_OVERRIDE) * n
        why = "after" if m.type != voted else ("override" if votes.get(m.type, 0.0) >= needed else "no_person")
        inner = rules.Cand(c.i, c.j)
        rules._internal_votes(doc, inner, doc.gaz)
        context = rules.Cand(c.i, c.j)
        rules._context_votes(doc, context)
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line = text[line_start : len(text) if line_end < 0 else line_end]
        g = gold.get((start, end), "-") if (start, end) in gold else "-"
        if (start, end) not in gold:
            verdict = "span"
        elif g is None or _as_gold(row, m.type) == g:
            verdict = "rule"
        elif _as_gold(row, recogniser.ALLOWED[crf_type][0]) == g:
            verdict = "crf"
        else:
            verdict = "neither"
        out.append(
            Override(
                doc_id=str(row["doc_id"]),
                text=m.text,
                crf_type=crf_type,
                marginal=marginal,
                product=m.type,
                why=why,
                gaz=c.gaz or "-",
                own=f"{inner.votes.get(m.type, 0.0):g}+{context.votes.get(m.type, 0.0):g}",
                cluster_votes=votes.get(m.type, 0.0) / n,
                caps_line=any(ch.isalpha() for ch in line) and line.upper() == line,
                number_after=bool(_NUMBER_AFTER.match(text, end)),
                verdict=verdict,
            )
        )
    return out


def _sureness(marginal: float) -> str:
    """sure / unsure by the override's threshold; "added" for a name the rules added (no marginal)."""
    return "added" if marginal == 0.0 else ("sure" if marginal >= recogniser.UNSURE else "unsure")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.type_overrides", description=__doc__.split("\n")[0])
    ap.add_argument("path", nargs="?", default="../shared/data/meantime/meantime_en_eval.jsonl")
    ap.add_argument("--model", help="the CRF model to label with (e.g. the --fold model)")
    ap.add_argument("--fold", action="store_true", help="the 20 %% of CoNLL train `tools.train_names --fold` holds out")
    ap.add_argument("--half", choices=("tune", "held-out"), help="MEANTIME: one half only")
    ap.add_argument("--list", action="store_true", help="print every override, one a line")
    ap.add_argument("--off", action="append", default=[], choices=sorted(recogniser.RULES), help="a rule switched off")
    args = ap.parse_args(argv)
    if args.model:
        crf.MODEL_PATH = Path(args.model)
    for rule in args.off:
        recogniser.RULES[rule] = False  # what the rules would overrule without it
    rows = load(args.path)
    if args.fold:
        rows = fold(rows)[1]
    if args.half:
        rows = [r for r in rows if tune_half(str(r["doc_id"])) == (args.half == "tune")]
    found = [o for r in rows for o in overrides(r)]
    groups: Counter[tuple[str, str, str, str]] = Counter()
    verdicts: dict[tuple[str, str, str, str], Counter[str]] = {}
    for o in found:
        ev = "gaz" if o.gaz == o.product else ("caps" if o.caps_line else ("num" if o.number_after else "-"))
        key = (f"{o.crf_type}->{o.product}", o.why, _sureness(o.marginal), ev)
        groups[key] += 1
        verdicts.setdefault(key, Counter())[o.verdict] += 1
    print(f"{len(found)} mentions typed outside the CRF's family in {len(rows)} documents")
    print(f"{'crf->product':18} {'why':9} {'marginal':8} {'evidence':8} {'n':>4} rule crf neither span")
    for key, n in sorted(groups.items(), key=lambda kv: -kv[1]):
        v = verdicts[key]
        print(
            f"{key[0]:18} {key[1]:9} {key[2]:8} {key[3]:8} {n:4} {v['rule']:4} {v['crf']:3} {v['neither']:7} {v['span']:4}"
        )
    if args.list:
        for o in found:
            print(
                f"  {o.verdict:7} {o.crf_type}->{o.product:7} {o.why:9} p={o.marginal:.3f} gaz={o.gaz:7} own={o.own:7} "
                f"cluster={o.cluster_votes:.2f} caps={int(o.caps_line)} num={int(o.number_after)} {o.text!r} {o.doc_id}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
