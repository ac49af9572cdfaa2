"""Learn the tagger's contextual decisions from TempEval-3's gold TIMEX3, held out both ways.

    python -m tools.train_timex_keep --decision keep --fold 1   # train TimeBank + AQUAINT A; score AQUAINT B, MEANTIME
    python -m tools.train_timex_keep --decision keep --fold 2   # the swap: train AQUAINT; score TimeBank, MEANTIME
    python -m tools.train_timex_keep --decision direction --fold 1

Two decisions over the rules' output (`index.time.tagger.tags_with_rules`), each a logistic model:

- `keep`: is this tag a TIMEX3 with the value the rules gave it (`now`, `current`, `daily`, `a
  year`, `recently`...)? A tag is labelled `yes` when it overlaps a gold TIMEX3 (relaxed,
  one-to-one, as `bench.timex` scores) whose value it has; the model drops a tag whose
  probability is under the threshold (value F1 = 2 x right values / (gold + system), so a tag
  more likely wrong than about F1 / 2 costs more than it brings).
- `direction`: an underspecified date (a weekday, a month or a day and month without a year) on
  the other side of the publication date (the weekday a week away, the month or day a year
  away); labelled on tags overlapping a gold value equal to one of the two readings.

Attributes: the rule's name, the tag's type and value shape (digits as 9), its words, the two
tokens before and the one after, the sentence's tense, a few conjunctions. Learning:
python-crfsuite's L-BFGS on one-item sequences (a CRF over one item is a maximum-entropy
classifier), its state weights read back as `yes - no` per attribute. Settings (`c2`, threshold)
are chosen on the training documents only, by a 2-way cross-fit split by document (`half_of`:
each half scored by a model trained on the other); the held-out parts never choose anything and
MEANTIME is never trained on. A model would ship only if it paid on every held-out part; none did
(docs/dates.md, "Round 6"), so this tool writes no model: it reproduces the measurement.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import math
import re
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import pycrfsuite

from bench.timex import Scores, _match, half_of
from index.time import Timex
from index.time.tagger import tags_with_rules

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
TIMEBANK = DATA / "tempeval3-train" / "tbaq_timebank.jsonl"
AQUAINT = DATA / "tempeval3-train" / "tbaq_aquaint.jsonl"
MEANTIME = DATA / "meantime" / "meantime_en_eval.jsonl"
C2_GRID = (0.3, 1.0, 3.0)
THRESHOLDS = tuple(round(0.2 + 0.05 * i, 2) for i in range(9))  # 0.20 .. 0.60
MAX_ITERATIONS = 300

_TOKEN = re.compile(r"[A-Za-z0-9][\w'’.-]*|[^\w\s]")
_DIGIT = re.compile(r"\d")
_SENTENCE_OPEN = re.compile(r"(?:^|[.!?\n]['\"”’)]*)\s*[\"“'`(]*\s*$")
_DAY = re.compile(r"(\d{4})-(\d\d)-(\d\d)(T.*)?$")
_MONTH = re.compile(r"(\d{4})-(\d\d)$")
_WRITTEN_YEAR = re.compile(r"\d{4}|'\d\d")


@dataclass(frozen=True, slots=True)
class Tag:
    """One tag of the rules with what the models weigh."""

    timex: Timex
    rule: str
    attrs: list[str]
    other: tuple[str, str] | None  # (the other reading's value, 'past'/'future' of the rules' one)


@dataclass(frozen=True, slots=True)
class Doc:
    """A document: id, gold TIMEX3, publication date and the rules' tags."""

    doc_id: str
    gold: list[dict[str, Any]]
    anchor: dt.date | None
    tags: list[Tag]


def _shape(word: str) -> str:
    return _DIGIT.sub("9", word.lower())


def attributes(text: str, t: Timex, rule: str, tense: str) -> list[str]:
    """The attributes of `t`: words lowercased with digits as 9; two tokens before, one after."""
    s, e = t.start, t.end
    words = [_shape(w) for w in t.text.split()] or [""]
    before = _TOKEN.findall(text, max(0, s - 40), s)[-2:]
    after = _TOKEN.findall(text, e, min(len(text), e + 30))[:1]
    p1 = _shape(before[-1]) if before else "<s>"
    p2 = _shape(before[-2]) if len(before) > 1 else "<s>"
    n1 = _shape(after[0]) if after else "</s>"
    head = words[-1]
    out = [
        "bias",
        "r=" + rule,
        "t=" + t.type,
        "v=" + _DIGIT.sub("9", t.value),
        "w=" + " ".join(words),
        "f=" + words[0],
        "h=" + head,
        "p1=" + p1,
        "p2=" + p2,
        "n1=" + n1,
        "tense=" + tense,
        "r|p1=" + rule + "|" + p1,
        "h|p1=" + head + "|" + p1,
        "h|n1=" + head + "|" + n1,
        "h|tense=" + head + "|" + tense,
        "n=" + str(min(len(words), 4)),
    ]
    if _SENTENCE_OPEN.search(text, max(0, s - 8), s):
        out.append("open")
    elif t.text[:1].isupper():
        out.append("cap")
    return out


def other_reading(t: Timex, rule: str, anchor: dt.date | None) -> tuple[str, str] | None:
    """The other side of the anchor for a date whose year or week the text leaves open: the
    weekday a week away, the day or month a year away; with which side the rules chose.
    """
    if anchor is None or _WRITTEN_YEAR.search(t.text):
        return None
    m = _DAY.match(t.value)
    if m and rule in ("weekday", "month_day", "day_month"):
        d = dt.date(int(m[1]), int(m[2]), int(m[3]))
        if d == anchor:
            return None
        if rule == "weekday":
            d2 = d - dt.timedelta(7) if d > anchor else d + dt.timedelta(7)
        else:
            try:
                d2 = d.replace(year=d.year - 1 if d > anchor else d.year + 1)
            except ValueError:
                return None
        return d2.isoformat() + (m[4] or ""), "future" if d > anchor else "past"
    m = _MONTH.match(t.value)
    if m and rule == "month":
        y, mo = int(m[1]), int(m[2])
        future = (y, mo) > (anchor.year, anchor.month)
        return f"{y - 1 if future else y + 1:04d}-{mo:02d}", "future" if future else "past"
    return None


_ISO_WEEK = re.compile(r"(\d{4})-W(\d\d)$")
_PART_OF_DAY = re.compile(r"(\d{4}-\d\d-\d\d)T(?:MO|AF|EV|NI)$")
_VAGUE_SPAN = re.compile(r"PX[YMWD]$")
_QUARTER = re.compile(r"(\d{4})-Q\d$")


def alternatives(t: Timex) -> list[tuple[str, str, str]]:
    """Other TIMEX3 readings of `t`'s value that TimeML annotators write, as (value, type, kind):
    a week as `YYYY-WXX` or `P1W`, a weekday's part of day as the day alone, a decade as `199X`,
    `recent years` as PAST_REF, a quarter a year back as the year.
    """
    v = t.value
    if m := _ISO_WEEK.match(v):
        return [(m[1] + "-WXX", "DATE", "week_xx"), ("P1W", "DURATION", "week_p1w")]
    if m := _PART_OF_DAY.match(v):
        return [(m[1], "DATE", "day_only")]
    if re.fullmatch(r"\d{3}", v):
        return [(v + "X", "DATE", "decade_x")]
    if _VAGUE_SPAN.match(v):
        return [("PAST_REF", "DATE", "past_ref")]
    if m := _QUARTER.match(v):
        return [(m[1], "DATE", "quarter_year")]
    return []


def load(path: Path) -> list[Doc]:
    """Every document of `path` with its gold TIMEX3 and the rules' tags."""
    docs = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            try:
                anchor = dt.date.fromisoformat(str(row.get("dct"))[:10]) if row.get("dct") else None
            except ValueError:
                anchor = None
            tags = []
            for t, rule, tense in tags_with_rules(row["text"], anchor, ranges=False):
                other = other_reading(t, rule, anchor)
                attrs = attributes(row["text"], t, rule, tense)
                if other:
                    attrs += ["side=" + other[1], f"side|tense={other[1]}|{tense}"]
                tags.append(Tag(t, rule, attrs, other))
            docs.append(Doc(str(row["doc_id"]), row.get("timexes") or [], anchor, tags))
    return docs


class Model:
    """Logistic: P(yes) = sigmoid(sum of the weights of the attributes present)."""

    def __init__(self, weights: dict[str, float], threshold: float) -> None:
        self.weights, self.threshold = weights, threshold

    def p(self, attrs: Iterable[str]) -> float:
        """The probability of `yes` for a tag with `attrs`."""
        z = sum(self.weights.get(a, 0.0) for a in attrs)
        return 1.0 / (1.0 + math.exp(-max(z, -500.0)))


def train(examples: list[tuple[list[str], bool]], c2: float, threshold: float = 0.5) -> Model:
    """A logistic model from (attributes, yes) examples: crfsuite L-BFGS, L2 weight `c2`."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for attrs, yes in examples:
        trainer.append([attrs], ["yes" if yes else "no"])
    trainer.set_params({"c1": 0.0, "c2": c2, "max_iterations": MAX_ITERATIONS})
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "model.crfsuite")
        trainer.train(path)
        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        state = tagger.info().state_features
        tagger.close()
    weights: dict[str, float] = {}
    for (attr, label), w in state.items():
        weights[attr] = weights.get(attr, 0.0) + (w if label == "yes" else -w)
    return Model(weights, threshold)


def _right(doc: Doc) -> dict[int, str]:
    """Gold value of each tag (by id of its Timex) that overlaps a gold TIMEX3 (relaxed, one-to-one)."""
    return {id(t): g["value"] for g, t in _match(doc.gold, [x.timex for x in doc.tags], False)}


def keep_examples(docs: Iterable[Doc]) -> list[tuple[list[str], bool]]:
    """`keep`: yes when the tag matches a gold TIMEX3 with its value."""
    out: list[tuple[list[str], bool]] = []
    for d in docs:
        gold = _right(d)
        out.extend((x.attrs, gold.get(id(x.timex)) == x.timex.value) for x in d.tags)
    return out


def overlap_examples(docs: Iterable[Doc]) -> list[tuple[list[str], bool]]:
    """`overlap`: yes when the tag overlaps a gold TIMEX3 at all (is a time expression, whatever its value)."""
    out: list[tuple[list[str], bool]] = []
    for d in docs:
        gold = _right(d)
        out.extend((x.attrs, id(x.timex) in gold) for x in d.tags)
    return out


def direction_examples(docs: Iterable[Doc]) -> list[tuple[list[str], bool]]:
    """`direction`: yes (stay) when the gold value is the rules' reading, no when it is the other."""
    out: list[tuple[list[str], bool]] = []
    for d in docs:
        gold = _right(d)
        for x in d.tags:
            g = gold.get(id(x.timex))
            if x.other and g in (x.timex.value, x.other[0]):
                out.append((x.attrs, g == x.timex.value))
    return out


def keep_output(d: Doc, model: Model | None) -> list[Timex]:
    """The tags `model` keeps."""
    return [x.timex for x in d.tags if model is None or model.p(x.attrs) >= model.threshold]


def direction_output(d: Doc, model: Model | None) -> list[Timex]:
    """The tags, with the other reading where `model` says the rules' side is unlikely."""
    out = []
    for x in d.tags:
        t = x.timex
        if model is not None and x.other and model.p(x.attrs) < model.threshold:
            t = Timex(t.start, t.end, t.text, t.type, x.other[0])
        out.append(t)
    return out


def _alt_attrs(x: Tag, kind: str) -> list[str]:
    words = next((a for a in x.attrs if a.startswith("w=")), "w=")
    return [*x.attrs, "alt=" + kind, f"alt|{words}|{kind}", f"alt|{x.rule}|{kind}"]


def convention_examples(docs: Iterable[Doc]) -> list[tuple[list[str], bool]]:
    """`convention`: for each other reading of a tag whose gold value is the rules' one or one of
    the others, yes when the gold value is that reading.
    """
    out: list[tuple[list[str], bool]] = []
    for d in docs:
        gold = _right(d)
        for x in d.tags:
            alts = alternatives(x.timex)
            g = gold.get(id(x.timex))
            if alts and (g == x.timex.value or g in {a[0] for a in alts}):
                out.extend((_alt_attrs(x, kind), g == value) for value, _, kind in alts)
    return out


def convention_output(d: Doc, model: Model | None) -> list[Timex]:
    """The tags, each with the other reading the model finds likeliest when it passes the threshold."""
    out = []
    for x in d.tags:
        t = x.timex
        if model is not None:
            scored = [(model.p(_alt_attrs(x, kind)), value, typ) for value, typ, kind in alternatives(t)]
            if scored and (best := max(scored))[0] >= model.threshold:
                t = Timex(t.start, t.end, t.text, best[2], best[1])
        out.append(t)
    return out


DECISIONS: dict[str, tuple[Callable[[Iterable[Doc]], list[tuple[list[str], bool]]], Callable[..., list[Timex]]]] = {
    "keep": (keep_examples, keep_output),
    "overlap": (overlap_examples, keep_output),
    "direction": (direction_examples, direction_output),
    "convention": (convention_examples, convention_output),
}


def score(docs: Iterable[Doc], decision: str, model: Model | None) -> dict[str, float]:
    """`bench.timex`'s scores of the output under `model` (the rules alone when None)."""
    sc = Scores()
    for d in docs:
        sc.add(d.gold, DECISIONS[decision][1](d, model))
    return sc.summary()


def fit(docs: list[Doc], decision: str, out: TextIO = sys.stdout) -> Model | None:
    """Choose (c2, threshold) by a cross-fit over `docs`' halves A/B, then train on all of `docs`;
    None (the rules alone) when no setting beats the rules in the cross-fit.
    """
    examples, output = DECISIONS[decision]
    halves = {h: [d for d in docs if half_of(d.doc_id) == h] for h in "AB"}
    table: dict[tuple[float, float], float] = {}
    for c2 in C2_GRID:
        models = {h: train(examples(halves[o]), c2) for h, o in (("A", "B"), ("B", "A"))}
        for th in THRESHOLDS:
            sc = Scores()
            for h, part in halves.items():
                models[h].threshold = th
                for d in part:
                    sc.add(d.gold, output(d, models[h]))
            table[(c2, th)] = sc.summary()["value_f1"]
    c2, th = max(table, key=lambda k: (round(table[k], 6), -abs(k[1] - 0.4), -k[0]))
    base = score(docs, decision, None)["value_f1"]
    print(f"cross-fit on {len(docs)} training documents, value F1 with the rules alone {100 * base:.2f}", file=out)
    for c in C2_GRID:
        print(f"  c2={c:<4} " + " ".join(f"{100 * table[(c, t)]:6.2f}" for t in THRESHOLDS), file=out)
    if table[(c2, th)] <= base:
        print(f"  (thresholds {', '.join(map(str, THRESHOLDS))}); no setting beats the rules: none", file=out)
        return None
    print(f"  (thresholds {', '.join(map(str, THRESHOLDS))}); chosen c2={c2} threshold={th}", file=out)
    return train(examples(docs), c2, th)


def report(
    name: str, docs: list[Doc], decision: str, model: Model | None, out: TextIO = sys.stdout
) -> dict[str, float]:
    """Strict / relaxed / value F1 of `docs` with the rules alone and with the model, one run."""
    res = {}
    for label, m in (("rules", None), ("model", model)):
        s = score(docs, decision, m)
        res[label] = s["value_f1"]
        print(
            f"  {name:<11} {label:<5} sys {s['system']:>4}/{s['gold']:>4} gold  strict {100 * s['strict_f1']:6.2f}"
            f"  relaxed {100 * s['relaxed_f1']:6.2f}  value {100 * s['value_f1']:6.2f}",
            file=out,
        )
    return res


def fold(n: int, decision: str, tb: list[Doc], aq: list[Doc], mt: list[Doc], out: TextIO = sys.stdout) -> bool:
    """Run fold `n`; whether the model paid (or was neutral) on every held-out part and paid on one."""
    if n == 1:
        train_docs = tb + [d for d in aq if half_of(d.doc_id) == "A"]
        held = {"AQUAINT B": [d for d in aq if half_of(d.doc_id) == "B"], "MEANTIME": mt}
    else:
        train_docs = aq
        held = {"TimeBank": tb, "MEANTIME": mt}
    print(f"fold {n}, decision {decision}", file=out)
    model = fit(train_docs, decision, out)
    gains = [r["model"] - r["rules"] for r in (report(k, v, decision, model, out) for k, v in held.items())]
    return all(g >= 0 for g in gains) and any(g > 0 for g in gains)


def main(argv: list[str] | None = None) -> int:
    """Both folds (or one) of one decision; prints whether it would ship."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--decision", choices=sorted(DECISIONS), default="keep")
    ap.add_argument("--fold", type=int, choices=(1, 2), help="one fold only (default both)")
    args = ap.parse_args(argv)
    tb, aq, mt = load(TIMEBANK), load(AQUAINT), load(MEANTIME)
    buf = io.StringIO()
    paid = [fold(n, args.decision, tb, aq, mt, buf) for n in ((args.fold,) if args.fold else (1, 2))]
    print(buf.getvalue(), end="")
    print(f"{args.decision}: " + ("pays on every held-out part" if all(paid) else "does not pay held out: not shipped"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
