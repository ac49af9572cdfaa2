"""Where to try each rule: a handful of scans of the text (months, weekdays, digit patterns,
years, decades, and one prefix-tree regex of every rule's own words on the lowercased text)
replace ~45 scans of the whole text; each rule then runs only in small windows around its
triggers (`Rule.trigger`), and a match must overlap a trigger. Every scan is linear in the text
and every window bounded, so finding candidates is linear.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from index.time.context import Groups
from index.time.lexicon import MONTH_ABBR, MONTH_FULL, NUMWORD, QMOD, VAGUE, WEEKDAY
from index.time.rules import RULES, Rule

__all__ = ["Candidate", "candidates"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A rule's match at text[start:end] (after trimming; before left extension)."""

    start: int
    end: int
    priority: int  # the rule's index in RULES: lower wins a tie
    rule: Rule
    match: Groups


def _trie_regex(words: Iterable[str]) -> str:
    """A regex alternation of `words` factored by common prefixes (much faster in `re`)."""
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        alts, optional = [], False
        for ch in sorted(node):
            if ch == "":
                optional = True
            else:
                alts.append(re.escape(ch) + build(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if optional:
            body = ("(?:" + body + ")?") if len(alts) > 1 or len(alts[0]) > 1 else body + "?"
        return body

    return build(trie)


_WORD_RULES: dict[str, list[Rule]] = {}
for _rule in RULES:
    for _w in _rule.trigger.words:
        _WORD_RULES.setdefault(_w, []).append(_rule)
_WORD_TRIGGER = re.compile(r"\b" + _trie_regex(_WORD_RULES) + r"\b")  # on lowercased text
_WORD_RE_I = re.compile(_WORD_TRIGGER.pattern, re.I)  # for texts whose lowercase changes length

# What every match of a rule contains (a part of its pattern outside any alternative or optional
# group), searched in a window before the rule's own regex: a window without it cannot hold a match,
# so it is skipped, the rule's candidates unchanged. Compiled with the rule's flags, so `re` compares
# characters exactly as the rule would. Most windows of these rules lack the word ("years" without
# "ago", "month" without "every"); the check costs a fraction of the rule's regex.
_NEEDS_PATTERNS = {
    "ago": r"\s(?:ago|earlier|later|from\s+now|hence|back)\b",
    "every": r"\b(?:every|each|per)\s",
    "year_ended": r"\send(?:ed|ing|s)\b",
    "same_period": r"\bsame\s",
    "year_ago_adj": r"year-(?:ago|earlier)\b",
    "year_ago_period": r"year-(?:ago|earlier)\s",
    "pod_trading": r"\s(?:trading|trade|session|deals)",
}


def _per_rule(patterns: dict[str, str]) -> dict[str, re.Pattern[str]]:
    """Each rule's check compiled with the rule's own flags (so `re` compares as the rule would)."""
    return {rule.name: re.compile(patterns[rule.name], rule.flags) for rule in RULES if rule.name in patterns}


_NEEDS = _per_rule(_NEEDS_PATTERNS)


def _reversed_words(words: str) -> str:
    """`one|two` -> `eno|owt`: words to match right to left in the reversed text."""
    return "|".join(w[::-1] for w in words.split("|"))


# What the text just before a rule's trigger word must end with when the trigger is the rule's
# `unit` (the only trigger word its matches hold), written right to left, matched on the reversed
# text at the trigger: a window none of whose triggers passes cannot hold a match and is skipped.
# "duration": a number or a vague quantity ending in a digit or one of these words, then
# whitespace or hyphens, then maybe one qualifier ("two more years"); "duration_adj": a number or
# "several"/"multi" and a hyphen ("five-year"); "bare_plural": one of its lead words and whitespace;
# "every": every/each/per or a number, and whitespace ("every two weeks", "each Monday"); "relative":
# its determiner's last word and whitespace ("last week", "the following year").
_NUMBER_ENDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen|half|"
    "a|an|couple|of|several|few|many|some|numerous|multiple|multi"
)
_QUALIFIERS = "more|trading|business|working|calendar|consecutive|straight|full"
_LEADS = "recent|past|last|coming|the|in|for|over|within|after|just|only|take|takes|took|taken|than"
_DETERMINERS = "last|next|this|past|coming|current|previous|preceding|prior|following|same|that"
_BEFORE_PATTERNS = {
    "duration": rf"(?:\s+(?:{_reversed_words(_QUALIFIERS)}))?[\s-]+(?:\d|(?:{_reversed_words(_NUMBER_ENDS)})(?!\w))",
    "duration_adj": rf"-(?:\d|(?:{_reversed_words(_NUMBER_ENDS)})(?!\w))",
    "bare_plural": rf"\s+(?:{_reversed_words(_LEADS)})(?!\w)",
    "every": rf"\s+(?:\d|(?:{_reversed_words('every|each|per|' + _NUMBER_ENDS)})(?!\w))",
    "relative": rf"\s+(?:{_reversed_words(_DETERMINERS)})(?!\w)",
    # "5 March", "the 5th of March": every match holds its month (a trigger: whitespace before it)
    # after a day, which ends in a digit or an ordinal suffix, then maybe "of", then whitespace
    "day_month": r"\s+(?:fo\s+)?(?:ts|dn|dr|ht)?\d",
}
_BEFORE = _per_rule(_BEFORE_PATTERNS)
# The same from the other side: what must follow the trigger (the `unit`, or the month) in every
# match, matched at its end. "ago": "three years [or so] ago / earlier / later / from now / hence / back".
_AFTER_PATTERNS = {
    "ago": r"(?:\s+or\s+so)?\s+(?:ago|earlier|later|from\s+now|hence|back)\b",
    # "March 5", "Sept. 5", "March the 5th": every match holds its month (a trigger that ends where its
    # letters do) before maybe a stop, whitespace, maybe "the", and a day, which starts with a digit
    "month_day": r"\.?\s+(?:the\s+)?\d",
}
_AFTER = _per_rule(_AFTER_PATTERNS)


# Where a match of a rule can start: a word from which every match of the rule begins (its lead
# words, a number word, a digit), as one factored alternation in a look-ahead. The rule's regex is
# then tried only at those positions (`_matches`), each try exactly the one `finditer` makes there,
# instead of running its long alternations (about 60 number and quantity words, case-blind) at
# every word of the window. "duration": "[the past | about] two / a few / 3 ... years". (A head for
# "ago" paid nothing on TimeBank + AQUAINT, its windows being few, and cost on dense input: not kept.)
def _first_words(*alternations: str) -> set[str]:
    """The letters each alternative of these `(?:a|b c|...)` groups must start with (nested groups
    flattened: a superset). An alternative that starts with anything but a letter is refused, so a
    lexicon edit cannot silently make a head miss a match.
    """
    words: set[str] = set()
    for alternation in alternations:
        for alt in re.sub(r"\(\?:|\)\??|\[[^]]*\]", "|", alternation).split("|"):
            alt = alt.strip()
            if not alt:
                continue
            m = re.match(r"[a-z]+", alt)
            if m is None:
                raise ValueError(f"no leading word in {alt!r}")
            word = m.group()
            if alt[len(word) : len(word) + 1] in ("?", "*", "{"):
                word = word[:-1]  # "an?": "a"
            words.add(word)
    return words


_HEAD_PATTERNS = {
    "duration": r"\b(?=\d|" + _trie_regex(_first_words("the|a|an", QMOD, NUMWORD, VAGUE)) + ")",
}
_HEADS = _per_rule(_HEAD_PATTERNS)


# Case-blind (`re.I`) rules run on the lowercased text as case-sensitive twins: `re` tries every
# alternative of a case-blind alternation in full, while a case-sensitive one skips an alternative
# whose first letter differs (about 3x faster on `ago`, 1.6x on `duration`). The twin's pattern is
# the rule's with its letters lowercased (escapes and group names kept). Under `re.I` a pattern
# character matches a text character exactly when it equals the character's lowercase, save for
# "ı" and "ſ" (which match "i" and "s"): checked over every code point in the tests. So on text
# whose lowercase keeps its length and holds neither, the twin matches where the rule matches, and
# the same spans; the rule's own regex then takes each match at its start for its groups. A rule
# whose pattern switches case-blindness inside it (`(?-i:...)`) has no twin.
def _fold_pattern(pattern: str) -> str:
    """`pattern` with its letters lowercased, escapes (a backslash and its letter) and group names kept."""
    return re.sub(r"\(\?P[<=]\w*|\\.|[A-Z]", lambda m: m.group().lower() if len(m.group()) == 1 else m.group(), pattern)


def _twin(regex: re.Pattern[str]) -> re.Pattern[str]:
    """The case-sensitive twin of a case-blind regex, to run on lowercased text."""
    return re.compile(_fold_pattern(regex.pattern), regex.flags & ~re.I)


_FOLDABLE = frozenset(
    rule.name for rule in RULES if rule.flags & re.I and not re.search(r"\(\?[aiLmsux-]", rule.source)
)
_FOLDED: dict[str, tuple[re.Pattern[str], re.Pattern[str] | None]] = {}  # made on a rule's first run (`_folded`)


def _folded(rule: Rule) -> tuple[re.Pattern[str], re.Pattern[str] | None] | None:
    """The case-sensitive twins of a case-blind rule's regex and head (`_FOLDABLE`), compiled on
    the rule's first run as the rule itself is (`Rule.regex`); None for a rule without twins.
    """
    if rule.name not in _FOLDABLE:
        return None
    fold = _FOLDED.get(rule.name)
    if fold is None:
        fold = (_twin(rule.regex), _twin(_HEADS[rule.name]) if rule.name in _HEADS else None)
        _FOLDED[rule.name] = fold
    return fold


_KEEP_LEAD = {"recent", "the", "over"}  # "recent years", "the past years", "over the years"

# Trigger scans start with a character class so that `re` can skip ahead fast (3-10x faster
# than a leading \b or look-behind); word boundaries and context are then checked in Python.
_MONTH_SCAN = re.compile(
    "[ADFJMNOS]" + _trie_regex({w[1:] for w in MONTH_FULL.split("|") + MONTH_ABBR.split("|")}) + r"\b"
)
_WEEKDAY_SCAN = re.compile(
    "[MTWFS]"
    + _trie_regex(
        {w[1:] for w in WEEKDAY.strip("(?:)").split("|")}
        | {w[1:] + "s" for w in WEEKDAY.strip("(?:)").split("|")}  # "on Mondays": a SET
        | {"on", "ue", "ues", "ed", "hu", "hur", "hurs", "ri", "at", "un"}
    )
    + r"\b"
)
# "FY", "QY", "F1".."F4", "Q1".."Q4" (as `[FQ](?:Y|[1-4]\b)`): one scan per leading letter, since `re` finds a literal first
# character ~10x faster than a character class (`[FQ]...`: 1.9 ms over AQUAINT, these two 0.4 ms)
_FYQ_SCANS = (re.compile(r"F(?:Y|[1-4]\b)"), re.compile(r"Q(?:Y|[1-4]\b)"))
_DECADE_SCAN = re.compile(r"0s\b")
_AFTER_DIGITS = r":\d\d|-\d\d-\d\d|/\d{1,2}/\d|\s*[ap]\.?\s?m\b|\s*[AP]M\b"
_AFTER_4DIGITS = r"\s*(?:hours?|hrs|UTC|GMT|Z)\b"
# a whole run of digits followed by a time, date or clock pattern, or two digits after an
# apostrophe ('98), or four digits before "hours"/"UTC": one scan in C (possessive `\d*+`: the run
# is never cut short) instead of a Python test per run of digits. Both scans start with `\d` and
# then check that no digit came before (`(?<!\d\d)`), so that `re` skips to the digits fast.
_DIGIT_TRIGGER = re.compile(
    rf"\d(?<!\d\d)(?:\d*+(?={_AFTER_DIGITS})|(?<=['’]\d)\d(?!\d)|\d{{3}}(?!\d)(?={_AFTER_4DIGITS}))"
)
_FOUR_DIGITS = re.compile(r"\d(?<!\d\d)\d{3}(?!\d)")


def _ascii_twin(regex: re.Pattern[str]) -> re.Pattern[str]:
    r"""`regex` for ASCII text, with `re.ASCII`: its `\d`, `\w` and `\b` test a table instead of
    Unicode categories (25-35 % faster scans). On ASCII text they match the same characters, save
    `\s`, which also matches \x1c-\x1f in Unicode mode: written out (a pattern with `\s` inside
    brackets or with `\S` is refused).
    """
    if re.search(r"\\S|\[[^\]]*\\s", regex.pattern):
        raise ValueError(f"no ASCII twin for {regex.pattern!r}")
    return re.compile(regex.pattern.replace(r"\s", r"[\s\x1c-\x1f]"), (regex.flags & ~re.UNICODE) | re.ASCII)


# The scans for ASCII text (`str.isascii`, nearly free): most news text; other text takes the above.
_DIGIT_TRIGGER_ASCII = _ascii_twin(_DIGIT_TRIGGER)
_FOUR_DIGITS_ASCII = _ascii_twin(_FOUR_DIGITS)
_WORD_TRIGGER_ASCII = _ascii_twin(_WORD_TRIGGER)


def _kind_spans(text: str, kind: str, ascii: bool = False) -> list[tuple[int, int]]:
    """The trigger spans of `kind` in `text` (`ascii`: `text.isascii()`, to take the faster scans)."""
    if kind == "month" or kind == "weekday":
        rx = _MONTH_SCAN if kind == "month" else _WEEKDAY_SCAN
        return [m.span() for m in rx.finditer(text) if m.start() == 0 or not text[m.start() - 1].isalnum()]
    if kind == "year":
        four = _FOUR_DIGITS_ASCII if ascii else _FOUR_DIGITS
        return [m.span() for m in four.finditer(text) if 1600 <= int(m.group()) <= 2199]
    if kind == "decade":
        return [
            (m.start() - 1, m.end())
            for m in _DECADE_SCAN.finditer(text)
            if m.start() > 0 and text[m.start() - 1].isdigit()
        ]
    if kind == "digit":
        out = [m.span() for m in (_DIGIT_TRIGGER_ASCII if ascii else _DIGIT_TRIGGER).finditer(text)]
        for scan in _FYQ_SCANS:
            for m in scan.finditer(text):
                if m.start() == 0 or not text[m.start() - 1].isalnum():
                    out.append(m.span())
        out.sort()
        return out
    raise KeyError(kind)


def _word_spans(text: str, lower: str, ascii: bool = False) -> dict[str, list[tuple[int, int]]]:
    """The spans of each word-triggered rule's own words (one scan of `lower`, `text.lower()`;
    `ascii`: `text.isascii()`).
    """
    word_spans: dict[str, list[tuple[int, int]]] = {}
    if len(lower) == len(text):
        scan = _WORD_TRIGGER_ASCII if ascii else _WORD_TRIGGER
        found = ((m.span(), m.group()) for m in scan.finditer(lower))
    else:
        found = ((m.span(), m.group().lower()) for m in _WORD_RE_I.finditer(text))
    for span, word in found:
        for name in _WORD_RULE_NAMES.get(word, ()):
            spans = word_spans.get(name)
            if spans is None:
                word_spans[name] = [span]
            else:
                spans.append(span)
    return word_spans


# Each rule's engine settings read once: (priority, rule, trigger kind, `_AFTER` check, `_BEFORE` check).
_PLANS = tuple(
    (priority, rule, rule.trigger.kind, _AFTER.get(rule.name), _BEFORE.get(rule.name))
    for priority, rule in enumerate(RULES)
)
_WORD_RULE_NAMES = {word: tuple(rule.name for rule in rules) for word, rules in _WORD_RULES.items()}


def candidates(text: str, *, ranges: bool = True) -> list[Candidate]:
    """Every rule's matches around its triggers (overlapping; `select` picks among them)."""
    out: list[Candidate] = []
    n = len(text)
    lower = text.lower()
    ascii = text.isascii()
    word_spans = _word_spans(text, lower, ascii)
    folded = lower if len(lower) == n and "ı" not in lower and "ſ" not in lower else None
    kind_spans: dict[str, list[tuple[int, int]]] = {}
    rev: str | None = None
    for priority, rule, kind, after, before in _PLANS:
        if rule.range_only and not ranges:
            continue
        if kind == "word":
            trig = word_spans.get(rule.name)
            if trig is None:
                continue
        else:
            spans = kind_spans.get(kind)
            if spans is None:
                spans = kind_spans[kind] = _kind_spans(text, kind, ascii)
            own = word_spans.get(rule.name)
            trig = sorted(spans + own) if own is not None else spans
            if not trig:
                continue
        if after is not None:
            trig_ok = [t for t in trig if after.match(text, t[1]) is not None]
            if trig_ok:
                out.extend(_rule_candidates(text, rule, priority, trig, n, folded, trig_ok))
        elif before is not None:
            if rev is None:
                rev = text[::-1]
            trig_ok = [t for t in trig if before.match(rev, n - t[0]) is not None]
            if trig_ok:
                out.extend(_rule_candidates(text, rule, priority, trig, n, folded, trig_ok))
        else:
            out.extend(_rule_candidates(text, rule, priority, trig, n, folded))
    return out


def _rule_candidates(
    text: str,
    rule: Rule,
    priority: int,
    trig: list[tuple[int, int]],
    n: int,
    folded: str | None,
    trig_ok: list[tuple[int, int]] | None = None,
) -> list[Candidate]:
    """The rule's matches in the windows around its triggers that overlap a trigger.

    Overlapping windows are merged and scanned once, so dense triggers ("January January ...")
    cost one pass instead of one pass per trigger. `trig_ok`: the triggers a match can hold
    (`_BEFORE`, `_AFTER`); a window without one is skipped (the windows are still those of every
    trigger). `folded`: the text lowercased, when case-blind rules may be run on it (`_FOLDED`).
    """
    out: list[Candidate] = []
    need = _NEEDS.get(rule.name)
    ok_starts = [ts for ts, _ in trig_ok] if trig_ok is not None else None
    starts: list[int] | None = None  # of every trigger, read only once a window holds a match
    ends: list[int] = []
    head = _HEADS.get(rule.name)
    fold = _folded(rule) if folded is not None else None
    for lo, hi in _windows(trig, rule.trigger.before, rule.trigger.after, n):
        if need is not None and need.search(text, lo, hi) is None:
            continue
        if trig_ok is not None and ok_starts is not None:
            k = bisect.bisect_left(ok_starts, lo)  # triggers do not overlap: the first one from lo
            if k == len(trig_ok) or trig_ok[k][1] > hi:
                continue
        if fold is not None and folded is not None:
            found = _folded_matches(rule.regex, head, fold, text, folded, lo, hi)
        elif head is None:
            found = list(rule.regex.finditer(text, lo, hi))
        else:
            found = _matches(rule.regex, head, text, lo, hi)
        for m in found:
            s, e = m.span()
            if starts is None:
                starts = [ts for ts, _ in trig]
                ends = [te for _, te in trig]
            i = bisect.bisect_right(ends, s)  # the first trigger ending after the match starts
            if i == len(ends) or starts[i] >= e:
                continue
            if rule.exclude_lead and m.group("lead").lower().split()[0] not in _KEEP_LEAD:
                s = m.start("unit")
            # trim trailing whitespace/punctuation kept by optional groups
            while e > s and text[e - 1] in " \t\n,":
                e -= 1
            if e > s and text[e - 1] == ")" and "(" not in text[s:e]:
                e -= 1
            if e > s:
                out.append(Candidate(s, e, priority, rule, Groups(m)))
    return out


def _matches(regex: re.Pattern[str], head: re.Pattern[str], text: str, lo: int, hi: int) -> list[re.Match[str]]:
    """What `regex.finditer(text, lo, hi)` gives, trying `regex` only where `head` says a match can
    start: `finditer` tries every position from the end of its last match and keeps the first that
    matches; here the same tries, skipping positions where no match can start. (The rules given a
    head never match the empty string.)
    """
    out: list[re.Match[str]] = []
    pos = lo
    match = regex.match
    for h in head.finditer(text, lo, hi):
        p = h.start()
        if p >= pos:
            m = match(text, p, hi)
            if m is not None:
                out.append(m)
                pos = m.end()
    return out


def _folded_matches(
    regex: re.Pattern[str],
    head: re.Pattern[str] | None,
    fold: tuple[re.Pattern[str], re.Pattern[str] | None],
    text: str,
    folded: str,
    lo: int,
    hi: int,
) -> list[re.Match[str]]:
    """What `regex.finditer(text, lo, hi)` (or `_matches` with `head`) gives, found by the rule's
    case-sensitive twin on the lowercased text (`_FOLDED`), then each match taken again from the
    rule's own regex at the same place (its groups hold the text as written).
    """
    twin, twin_head = fold
    found = twin.finditer(folded, lo, hi) if twin_head is None else _matches(twin, twin_head, folded, lo, hi)
    out: list[re.Match[str]] = []
    for f in found:
        m = regex.match(text, f.start(), hi)
        if m is None or m.end() != f.end():  # not expected (see `_FOLDED`): the rule's own way then
            return list(regex.finditer(text, lo, hi)) if head is None else _matches(regex, head, text, lo, hi)
        out.append(m)
    return out


def _windows(trig: list[tuple[int, int]], before: int, after: int, n: int) -> list[tuple[int, int]]:
    """The windows around sorted trigger spans, overlapping ones merged, clipped to the text."""
    out: list[tuple[int, int]] = []
    cur_lo = cur_hi = -1
    for ts, te in trig:
        lo = ts - before
        if lo <= cur_hi:
            hi = te + after
            if hi > cur_hi:
                cur_hi = hi
            continue
        if cur_hi >= 0:
            out.append((cur_lo if cur_lo > 0 else 0, cur_hi if cur_hi < n else n))
        cur_lo, cur_hi = lo, te + after
    if cur_hi >= 0:
        out.append((cur_lo if cur_lo > 0 else 0, cur_hi if cur_hi < n else n))
    return out
