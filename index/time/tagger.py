"""The tagger: `tag(text, anchor)` finds temporal expressions and normalises them to TIMEX3
values in the conventions of TempEval-3, anchored HeidelTime-style at the publication date.

=========================  ==========================  ====================================
expression                 value                       notes
=========================  ==========================  ====================================
July 10, 2026 / 10 July    2026-07-10                  year from the anchor and the tense
July 2026 / in March       2026-07 / 2026-03           month alone: year by tense
this week / last week      2026-W27 / 2026-W26         ISO weeks; `this weekend` 2026-W27-WE
2026 / last year           2026 / 2025
Q2 / the second quarter    2026-Q2                     `fiscal 2025` -> 2025 (TempEval-3)
the 1990s / the '70s       199 / 197                   TIMEX3 decade values (no trailing X)
summer 2009                2009-SU                     SP SU FA WI
yesterday, on Tuesday      2026-07-09 ...              weekday: past or future by tense
this morning               2026-07-10TMO               TIME; MO AF EV NI
16:00 UTC                  2026-07-10T16:00Z           TIME
between April and June     2026-04/2026-06             range (only when `ranges=True`)
recently / now / soon      PAST_REF / PRESENT_REF / FUTURE_REF
three months               P3M                         DURATION (P2W, PT5H, PXY, P10Y)
every week / weekly        P1W                         SET
=========================  ==========================  ====================================

With no anchor, what cannot be resolved keeps `X` placeholders (`XXXX-07-10`, `XXXX-WXX-2`).

How it works: the rules (`rules.py`) find candidate spans around their triggers
(`triggers.py`); overlapping candidates are resolved longest-first (`select.py`); then the
survivors are resolved in text order so that anaphoric expressions ("the previous year", "the
day", "a year later") can use the last date the text mentioned as their reference. Tense is read
from the sentence around the expression (`context.py`).

Extent conventions follow TIMEX3: prepositions are left out ("in [March]"), determiners and
modifiers are kept ("the past decade", "early June", "nearly five months", "the end of this
year"). Money, percentages, counts and the modal "may" are not dates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection

from index.time.calendar_math import safe_date, year_of
from index.time.context import Context
from index.time.rules import switched_off
from index.time.select import select
from index.time.timex import Timex
from index.time.triggers import candidates

__all__ = ["infer_publication_date", "tag"]

# modifiers that extend a DATE to the left ("the end of", "early", "mid-", "earlier")
_EXTEND_LEFT = re.compile(
    r"(?:\b(?:the\s+(?:very\s+)?(?:end|beginning|start|middle|rest|remainder|close|turn|dawn|"
    r"early\s+part|latter\s+part|first\s+part|bulk)\s+of|(?:early|late|mid|earlier|later)(?:\s+|-)"
    r"|mid-)\s*)+$",
    re.I,
)
_FULL_DAY = re.compile(r"\d{4}-\d\d-\d\d$")
# What `_EXTEND_LEFT` ends with before its trailing spaces: "of", a hyphen, or one of these words
# followed by spaces (a match that ends at the expression must end so).
_EXTEND_LEFT_ENDINGS = ("of", "-", "early", "late", "mid", "earlier", "later")


def _may_extend_left(text: str, s: int) -> bool:
    """Whether `_EXTEND_LEFT` can match right before `s`: a cheap test that skips its search over
    40 characters for most expressions ("in March", "on Monday"). Text that is not ASCII is always
    searched (case-blind matching there differs from `str.lower`).
    """
    tail = text[max(0, s - 40) : s].rstrip()
    return not tail.isascii() or tail.lower().endswith(_EXTEND_LEFT_ENDINGS)


def tag(text: str, anchor: dt.date | None, *, ranges: bool = True, off: Collection[str] = ()) -> list[Timex]:
    """Temporal expressions of `text`, normalised against `anchor` (the publication date).

    `ranges=False` tags "between April and June" as two DATEs (April, June), the TIMEX3
    convention; the default keeps them as one range value `2026-04/2026-06`. `off`: rule names
    and `context.SWITCHES` turned off, to measure what each pays (`bench.timex --off`, `--audit`).
    """
    return _rule_tags(text, anchor, ranges, switched_off(off) if off else frozenset())


def _rule_tags(text: str, anchor: dt.date | None, ranges: bool, off: frozenset[str]) -> list[Timex]:
    """The rules' tags, read in order with one context (each resolved against the ones before)."""
    if isinstance(anchor, dt.datetime):
        anchor = anchor.date()
    ctx = Context(text, anchor, off)
    ctx.ranges = ranges
    out: list[Timex] = []
    cands = candidates(text, ranges=ranges)
    if off:
        cands = [c for c in cands if c.rule.name not in off]
    for c in select(cands, len(text)):
        s, e, rule = c.start, c.end, c.rule
        if rule.extend_left and "modifiers" not in off and _may_extend_left(text, s):
            pm = _EXTEND_LEFT.search(text, max(0, s - 40), s)
            # do not swallow the end of a previous expression
            if pm and pm.end() == s and (not out or out[-1].end <= pm.start()):
                s = pm.start()
        if rule.name == "the_day" and "over_signal" not in off and text[s : s + 4].lower() == "over":
            s = c.match.start("unit")  # "[over] the weekend": TimeBank and AQUAINT leave the signal out, 3 of 3
        if (text[s].isupper() or text[s].isdigit()) and "quoted_title" not in off:
            if _in_quoted_title(text, s, e):
                continue
        res = rule.resolve(c.match, ctx, s, e)
        if res is None:
            continue
        typ, value = res
        if rule.signal_after and typ == "DURATION":
            e = c.match.start("dir")  # "three days [later]": the signal is left out
            while e > s and text[e - 1].isspace():
                e -= 1
        if rule.extend_left and typ == "DATE" and _FULL_DAY.match(value):
            ctx.ref, ctx.ref_at = dt.date.fromisoformat(value), s
        if typ == "DATE" and year_of(value) is not None:
            ctx.ref_value, ctx.ref_value_at = value, s
            if rule.name in ("quarter", "quarter_q"):
                ctx.quarter = value
        out.append(Timex(s, e, text[s:e], typ, value))
    return out if "time_beside_date" in off else _date_beside_time(text, out)


# a quoted title in capitals after a possessive or a word for a work: ABC News' "This Week,"
# CBS's ''60 Minutes.'' the film ``High Noon.'' (quoted speech is introduced otherwise)
_TITLE_WORDS = r"(?:[A-Z0-9][\w'’.-]*)"
_TITLE_OPEN = re.compile(
    r"(?:['’]s?|\b(?:[Ff]ilm|[Mm]ovie|[Ss]how|[Pp]rogram(?:me)?|[Ss]eries|[Bb]ook|[Nn]ovel|[Ss]ong|[Aa]lbum|"
    r"[Pp]lay|[Mm]agazine|[Nn]ewspaper|[Pp]oem|titled|entitled|called|named))\s+"
    r"(?:\"|“|``|'')(?:" + _TITLE_WORDS + r"\s+){0,3}$"
)
_TITLE_CLOSE = re.compile(
    r"(?:\s+(?:" + _TITLE_WORDS + r"|of|the|a|an|and|with|in|on|at|to|for|from))*?[,.?!]?(?:\"|”|''|['’](?!\w))"
)
_TITLE_WORD = re.compile(_TITLE_WORDS + r"$")


def _in_quoted_title(text: str, s: int, e: int) -> bool:
    """Whether text[s:e] is part of a quoted title: every word capitalised, the quote opened at
    most three capitalised words before, after a possessive or a word for a work (a show, a
    film), and closed after it. Such a title is not a date.
    """
    before = text[max(0, s - 60) : s]
    if '"' not in before and "“" not in before and "``" not in before and "''" not in before:
        return False
    words = text[s:e].split()
    if not all(_TITLE_WORD.match(w) for w in words):
        return False
    if not _TITLE_OPEN.search(text, s - len(before), s):
        return False
    return _TITLE_CLOSE.match(text, e, e + 60) is not None


_BETWEEN_TIME_AND_DATE = re.compile(r"[\s,]*(?:on\s+)?$", re.I)


def _date_beside_time(text: str, out: list[Timex]) -> list[Timex]:
    """A clock time written just before a full date ("at 16:15 UTC, June 1st") is on that date."""
    for i in range(len(out) - 1):
        t, d = out[i], out[i + 1]
        if (
            t.type == "TIME"
            and d.type == "DATE"
            and _FULL_DAY.match(d.value)
            and "T" in t.value
            and d.start - t.end <= 6
            and _BETWEEN_TIME_AND_DATE.match(text, t.end, d.start)
        ):
            out[i] = Timex(t.start, t.end, t.text, t.type, d.value + t.value[t.value.index("T") :])
    return out


_FULL_DATE_RULES = {"iso", "numeric", "month_day", "day_month"}
_BIRTH_MARK = re.compile(r"(?:\bb\.|\b[Bb]orn)\s+(?:on\s+|in\s+)?$")
_NAME_BEFORE = re.compile(r"\b[A-Z][\w.'’-]*\s*$")
_SPAN_DASH = re.compile(r"\s*(?:[-–—]|\bto\b)\s*")


def _birth_date(text: str, s: int, e: int) -> bool:
    """Whether text[s:e] is a birth date: after `born` or `b.`, or opening a life span in
    parentheses after a name ("Newton (Dec 25, 1642 - March 20, 1727)"). A birth is a
    lifetime before the story; a death is kept (an obituary is written days after it).
    """
    if _BIRTH_MARK.search(text, max(0, s - 24), s):
        return True
    opened = text.rfind("(", max(0, s - 8), s)
    if opened < 0 or text[opened + 1 : s].strip() or not _NAME_BEFORE.search(text, max(0, opened - 40), opened):
        return False
    dash = _SPAN_DASH.match(text, e)
    return dash is not None and dash.end() > e and ")" in text[dash.end() : dash.end() + 40]


def infer_publication_date(text: str) -> dt.date | None:
    """Best guess of when an undated article was published.

    Rule: the latest explicit, fully specified date (day, month and year written out, e.g.
    "July 2, 2026", "2026-07-02") that is not in a future-tense sentence (a date the text
    says something *will* happen is not evidence of publication). A news article mostly
    reports what has already happened and often cites dated related articles, so the latest
    such date is a lower bound that is usually within days of publication. Failing any full
    date, the first day of the latest explicit "Month YYYY" in a non-future sentence; else None.
    A birth date ("Newton b. Dec 25, 1642", "Newton (1642 - 1727)") is no evidence either.
    A day without a year told in the past tense later in that date's year raises it: a story
    that anchors on "April 8, 2009" and says "he pleaded guilty May 19" was written after May 19.
    """
    ctx = Context(text, None)
    ctx.ranges = False
    best_day: dt.date | None = None
    best_month: dt.date | None = None
    past_days: list[tuple[int, int]] = []  # (month, day) of year-less days in past-tense sentences
    for c in select(candidates(text, ranges=False), len(text)):
        s, e, name, m = c.start, c.end, c.rule.name, c.match
        if name in _FULL_DATE_RULES:
            if name in ("month_day", "day_month") and not m.group("year"):
                res = c.rule.resolve(m, ctx, s, e)
                if res and res[1].startswith("XXXX-") and ctx.tense(s, e) == "past":
                    past_days.append((int(res[1][5:7]), int(res[1][8:10])))
                continue
            res = c.rule.resolve(m, ctx, s, e)
            if not res or not re.match(r"\d{4}-\d\d-\d\d", res[1]):
                continue
            if ctx.tense(s, e) == "future" or _birth_date(text, s, e):
                continue
            d = dt.date.fromisoformat(res[1][:10])
            if best_day is None or d > best_day:
                best_day = d
        elif name == "month_year" and best_day is None:
            res = c.rule.resolve(m, ctx, s, e)
            if not res or ctx.tense(s, e) == "future" or _birth_date(text, s, e):
                continue
            y, mo = int(res[1][:4]), int(res[1][5:7])
            d = dt.date(y, mo, 1)
            if best_month is None or d > best_month:
                best_month = d
    if best_day is not None:
        later = [d for d in (safe_date(best_day.year, mo, dd) for mo, dd in past_days) if d and d > best_day]
        best_day = max(later, default=best_day)
    return best_day or best_month
