"""Resolvers of durations ("three months"), sets ("every week", "daily"), clock times
("16:15 UTC", "noon") and vague references (PRESENT_REF, PAST_REF, FUTURE_REF).
"""

from __future__ import annotations

import datetime as dt
import re

from index.time.calendar_math import duration_value, parse_number, unit_of, weekday_date
from index.time.context import Context, Groups, Resolved, Resolver
from index.time.lexicon import MONTHS, PARTS_OF_DAY, UNITS, VAGUE_NUMBERS, WEEKDAYS

_AGE_AFTER = re.compile(r"-old\b|\s+old\b")
# "their 6-month-old son": an age when a person follows (an "8-month-old truce" is a duration)
_PERSON_AFTER = re.compile(
    r"\s+(?:son|daughter|baby|babies|boy|girl|child|children|infant|twins?|grandson|granddaughter|"
    r"nephew|niece|brother|sister)\b",
    re.I,
)
_FRACTION_AFTER = re.compile(r"\s+of\b")
_FRACTION = re.compile(r"(?:one|two|three)[- ]quarters?$", re.I)


def resolve_duration(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "three months", "the past two years", "a 10-year": DURATION; "twice a week": SET."""
    unit = unit_of(m.group("unit"))
    if unit == "weekend":
        return None
    ages = "ages" not in ctx.off
    if ages and unit == "year" and (ctx.text[s:e].lower().endswith("-old") or _AGE_AFTER.match(ctx.text, e)):
        return None  # "a 6-year-old", "52 years old": an age (TempEval-3 does not tag ages)
    if ages and ctx.text[s:e].lower().endswith("-old") and _PERSON_AFTER.match(ctx.text, e):
        return None
    if unit == "quarter" and _FRACTION.search(ctx.text, s, e) and _FRACTION_AFTER.match(ctx.text, e):
        return None  # "three-quarters of": a fraction
    nt = m.group("n")
    if unit == "quarter" and re.fullmatch(r"(?:19|20)\d\d", nt):
        # "the 1988 quarter" in an earnings report: that year's quarter of the one last named
        q = ctx.quarter
        return "DATE", f"{nt}-{q[5:]}" if q and re.fullmatch(r"\d{4}-Q[1-4]", q) else nt
    n = parse_number(nt) if nt and nt.lower() not in VAGUE_NUMBERS else None
    if n is not None and m.group("half"):  # "a minute and a half"
        n += 0.5
    if unit in ("second", "quarter") and nt and nt.lower() in ("a", "an", "one") and not m.group("pre"):
        return None  # "a second A380", "lost a quarter of its value"
    if nt and nt[0].isdigit() and n is not None:
        before = ctx.text[max(0, s - 2) : s]
        if re.search(r"[$£€]\s?$", before):
            return None
    # "15 a year", "twice a week", "$5 million a year": a rate, i.e. a SET
    if nt and nt.lower() in ("a", "an") and not m.group("pre"):
        before = ctx.text[max(0, s - 25) : s]
        if re.search(
            r"(?:\d|\b(?:once|twice|thrice|times|million|billion|thousand|hundred|percent|"
            r"cent|two|three|four|five|six|seven|eight|nine|ten|dozen))[^\w.!?]*(?:[a-z]+\s+)?$",  # one sentence
            before,
            re.I,
        ):
            return "SET", duration_value(1, unit)
    return "DURATION", duration_value(n, unit)


def resolve_bare_plural(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "for years", "in recent months": a DURATION of unknown length (`PXY`)."""
    unit = unit_of(m.group("unit"))
    return "DURATION", duration_value(None, unit)


def resolve_set(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "daily", "weekly", "annually". Not "quarterly": an earnings report's "quarterly
    dividend/loss/results" (TimeBank tags 1 of 11).
    """
    w = m.group(0).lower()
    if w == "quarterly":
        return None
    for key, val in (
        ("hour", "PT1H"),
        ("dai", "P1D"),
        ("night", "P1D"),
        ("week", "P1W"),
        ("fortnight", "P2W"),
        ("month", "P1M"),
        ("quarter", "P3M"),
        ("annual", "P1Y"),
        ("year", "P1Y"),
        ("day", "P1D"),
    ):
        if key in w:
            return "SET", val
    return None


def resolve_every(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "every week", "each Monday", "every Tuesday night", "each July", "per year"."""
    unit = unit_of(m.group("unit"))
    nt = m.group("n")
    n = parse_number(nt) if nt else 1
    if unit in WEEKDAYS:
        pod = m.group("pod").lower()
        return "SET", f"XXXX-WXX-{WEEKDAYS[unit] + 1}" + (f"T{PARTS_OF_DAY[pod]}" if pod else "")
    if unit in MONTHS:
        return "SET", f"XXXX-{MONTHS[unit]:02d}"
    if unit not in UNITS:
        return None
    return "SET", duration_value(n, unit)


def _day_of(m: Groups, ctx: Context, s: int, e: int) -> dt.date | None:
    """The day of a clock time: the day word or weekday written with it ("noon Saturday",
    "9 a.m. tomorrow"), else `Context.day_for_time`.
    """
    dayw = m.group("dayw").lower()
    wd = m.group("wd")
    if ctx.anchor is not None:
        if dayw in ("today", "tonight"):
            return ctx.anchor
        if dayw in ("yesterday", "tomorrow"):
            return ctx.anchor + dt.timedelta(days=-1 if dayw == "yesterday" else 1)
        if wd:
            tense = ctx.tense(s, e)
            return weekday_date(ctx.anchor, WEEKDAYS[wd.lower().rstrip(".")], "future" if tense == "future" else "past")
    return ctx.day_for_time(s)


def resolve_time(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "4 p.m.", "16:15 UTC", "9:30 a.m. Tuesday": on the day mentioned with it, else the last day mentioned."""
    hh = int(m.group("hh"))
    mm = m.group("mm") or "00"
    ampm = (m.group("ampm") or "").lower().replace(".", "").replace(" ", "")
    if ampm == "pm" and hh < 12:
        hh += 12
    elif ampm == "am" and hh == 12:
        hh = 0
    if hh > 23 or int(mm) > 59:
        return None
    tz = m.group("tz") or ""
    zone = "Z" if tz.upper() in ("UTC", "GMT", "Z") else ""
    off = re.search(r"([+-])\s?(\d{1,2})(?::?(\d\d))?$", tz)
    if off:
        zone = f"{off.group(1)}{int(off.group(2)):02d}:{off.group(3) or '00'}"
    base = _day_of(m, ctx, s, e)
    day = base.isoformat() if base else "XXXX-XX-XX"
    return "TIME", f"{day}T{hh:02d}:{mm}{zone}"


def resolve_noon(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "noon", "midnight", "midday"."""
    w = m.group("w").lower()
    base = _day_of(m, ctx, s, e)
    day = base.isoformat() if base else "XXXX-XX-XX"
    return "TIME", f"{day}T{'12:00' if w == 'noon' or w == 'midday' else '24:00'}"


def resolve_ref(value: str, typ: str = "DATE") -> Resolver:
    """A resolver that always gives `value` (PRESENT_REF, PAST_REF, FUTURE_REF; "the year ended
    June 30" is a DURATION P1Y).
    """

    def resolver(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
        return typ, value

    return resolver


def resolve_present_ref(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """PRESENT_REF ("currently", "at present", "now"; `now` can be switched off for an audit)."""
    if "now" in ctx.off and ctx.text[s:e].lower().endswith("now"):
        return None
    return "DATE", "PRESENT_REF"


_MODAL_BEFORE = re.compile(r"\b(?:to|will|may|might|could|should|would|can|must|shall)\s+$", re.I)


def resolve_future_ref(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """FUTURE_REF ("soon", "the near future"), except "soon" in a past-tense sentence ("the
    trickle soon became a flood", "he was soon released"): soon after a past event, not the future.
    """
    if (
        "soon_past" not in ctx.off
        and ctx.text[s:e].lower().endswith("soon")
        and not _MODAL_BEFORE.search(ctx.text, max(0, s - 8), s)
        and ctx.tense(s, e) == "past"
    ):
        return None
    return "DATE", "FUTURE_REF"
