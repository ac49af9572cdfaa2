"""Resolvers of relative expressions: deictic ones ("yesterday", "last week", "on Tuesday",
"three years ago") count from the publication date; anaphoric ones ("the following year",
"a year later", "that day") from the last date the text mentioned (`ctx.ref`).
"""

from __future__ import annotations

import datetime as dt
import re

from index.time.calendar_math import (
    X_VALUES,
    add_months,
    duration_value,
    iso_week,
    parse_number,
    quarter_of,
    relative_unit_value,
    shift_year,
    unit_of,
    weekday_date,
    year_of,
)
from index.time.context import Context, Groups, Resolved
from index.time.lexicon import PARTS_OF_DAY, SEASON_MONTH, SEASONS, WEEKDAYS

_GENERIC_OF = re.compile(r"(?<!\bas )\bof\s+$", re.I)
# "USA Today", "VOA Today", NBC's "Today show": a newspaper's or a programme's name, not the day
# ("This is VOA Today." was an event of the publication date; round 20). Capitalised "Today" only.
_ACRONYM_BEFORE = re.compile(r"\b[A-Z]{2,}[ \t]+$")
_PROGRAMME_AFTER = re.compile(r"\s+(?:show|program|programme|newspaper)\b", re.I)
# "today's world", "today's youth", "many of today's personal computers": the present age, no day
# (round 23: TimeBank and AQUAINT A leave all three untagged, and tag "today's editions" as the day)
_ERA_AFTER = re.compile(
    r"['’]s\s+(?:[a-z]+\s+)?(?:world|youth|society|generations?|children|kids|young|teenagers|teens|"
    r"students|parents|families|culture|technology|technologies|standards|computers|cars|consumers|"
    r"lifestyles?|era|age)\b"
)


def resolve_dayword(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "today", "yesterday", "tomorrow morning", "tonight" (deictic)."""
    w = m.group("w").lower()
    pod = (m.group("pod") or "").lower()
    a = ctx.anchor
    if w == "tomorrow" and _GENERIC_OF.search(ctx.text, max(0, s - 12), s):
        return None  # "the cars of tomorrow": the future in general, not a day
    if m.group("w") == "Today" and "name_today" not in ctx.off:
        w0, w1 = m.match.start("w"), m.match.end("w")
        if _ACRONYM_BEFORE.search(ctx.text, max(0, w0 - 12), w0) or _PROGRAMME_AFTER.match(ctx.text, w1):
            return None
    if w == "today" and not pod and "today_era" not in ctx.off and _ERA_AFTER.match(ctx.text, m.match.end("w")):
        return None  # "today's youth": the present age, not the publication day
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[w]
    if w == "tonight":
        pod = "night"
    if a is None:
        if offset == 0 and not pod:
            return "DATE", "PRESENT_REF"
        return "DATE", "XXXX-XX-XX" + (f"T{PARTS_OF_DAY[pod]}" if pod else "")
    d = a + dt.timedelta(days=offset)
    ctx.ref = d
    if pod:
        return "TIME", d.isoformat() + "T" + PARTS_OF_DAY[pod]
    return "DATE", d.isoformat()


def resolve_day_before(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "the day before yesterday", "the day after tomorrow"."""
    w = m.group("w").lower()
    off = -2 if "yesterday" in w else 2
    if ctx.anchor is None:
        return "DATE", "XXXX-XX-XX"
    d = ctx.anchor + dt.timedelta(days=off)
    ctx.ref = d
    return "DATE", d.isoformat()


def resolve_this_pod(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "this morning", "last night"."""
    pod = m.group("pod").lower()
    det = m.group("det").lower()
    base = ctx.anchor
    if base is None:
        return "TIME", "XXXX-XX-XXT" + PARTS_OF_DAY[pod]
    if det == "last" and pod in ("night", "evening"):
        base = base - dt.timedelta(days=1)
    elif det == "last":
        return None
    return "TIME", base.isoformat() + "T" + PARTS_OF_DAY[pod]


_HOLIDAY_BEFORE = re.compile(r"(?:Black|Cyber|Super|Good|Ash|Holy|Palm|Blue|Easter|Whit|Bloody)\s+$")


def resolve_weekday(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "Tuesday", "last Friday", "next Monday": direction by modifier, else by tense;
    "Mondays", "Tuesday nights" are SETs.
    """
    wd = WEEKDAYS[m.group("wd").lower().rstrip(".")]
    mod = (m.group("mod") or "").lower()
    pod = (m.group("pod") or "").lower()
    text = ctx.text
    prev = text[max(0, s - 8) : s]
    if not mod and _HOLIDAY_BEFORE.search(prev):
        return None
    a = ctx.anchor
    suffix = f"T{PARTS_OF_DAY[pod]}" if pod else ""
    if not mod and (m.group("plural") or m.group("pod_plural")):
        return "SET", f"XXXX-WXX-{wd + 1}" + suffix  # "on Mondays", "Tuesday nights": every one
    typ = "TIME" if pod else "DATE"
    if a is None:
        return typ, f"XXXX-WXX-{wd + 1}" + suffix
    if "mod_direction" in ctx.off:
        mod = ""
    if mod == "last" or mod == "past":
        d = weekday_date(a, wd, "past", strict=True)
    elif mod in ("next", "coming"):
        d = weekday_date(a, wd, "future", strict=True)
    else:
        tense = ctx.tense(s, e)
        if mod == "this" and tense == "none":
            tense = "future"
        elif tense != "future" and ctx.forecast_ahead(s):
            tense = "future"  # "the forecast said rain on Thursday": a coming day (round 21)
        d = weekday_date(a, wd, "future" if tense == "future" else "past")
    ctx.ref = d
    return typ, d.isoformat() + suffix


def resolve_relative(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """last/this/next/coming/current/past week|month|year...; the previous/following ..."""
    det = re.sub(r"\s+", " ", m.group("det").lower())
    unit = unit_of(m.group("unit"))
    if unit in SEASONS:
        return season_relative(det, SEASONS[unit], ctx, s, e)
    if det in ("the past", "the next", "the coming") and unit != "weekend":
        # "the past year", "the next month": a period of one unit (TIMEX3 convention)
        return "DURATION", duration_value(1, unit)
    if det in ("the previous", "the preceding", "the following", "the prior", "that", "the same"):
        base = ctx.anaphor_base(unit)
        off = {"the following": 1, "that": 0, "the same": 0}.get(det, -1)
    else:
        base = ctx.anchor
        off = {
            "last": -1,
            "the last": -1,
            "past": -1,
            "previous": -1,
            "next": 1,
            "coming": 1,
            "this": 0,
            "current": 0,
            "the current": 0,
            "this past": -1,
        }.get(det, 0)
    if base is None:
        return "DATE", X_VALUES.get(unit, "XXXX")
    return "DATE", relative_unit_value(base, unit, off)


def _weekend_not_after(day: dt.date, limit: dt.date) -> dt.date:
    """A day of the weekend of `day`'s ISO week, or of the week before when that weekend starts
    after `limit` (a weekend told in the past tense has begun by the publication date).
    """
    saturday = day + dt.timedelta(days=5 - day.weekday())
    return saturday if saturday <= limit else saturday - dt.timedelta(days=7)


def season_relative(det: str, code: str, ctx: Context, s: int, e: int) -> Resolved:
    """The season of year `det` ("last", "next", "this") relative to the anchor."""
    a = ctx.anchor
    if a is None:
        return "DATE", f"XXXX-{code}"
    sm = SEASON_MONTH[code]
    cur = a.year
    if det in ("last", "past", "previous", "this past"):
        y = cur - 1 if sm >= a.month - 1 else cur
    elif det in ("next", "coming"):
        y = cur + 1 if sm <= a.month + 1 else cur
    else:
        y = cur
    return "DATE", f"{y:04d}-{code}"


# units of an anaphoric offset read as a DURATION (round 21: TimeBank and AQUAINT A tag "A day earlier",
# "Three days later", "A few days later", "over an hour later" 4 of 4 so); a year or more stays a date
# ("One year later he was fired", "a year earlier" in an earnings report)
_OFFSET_UNITS = frozenset({"second", "minute", "hour", "day", "night", "week", "fortnight", "month"})


def resolve_ago(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "three years ago" (from the anchor), "a year later" (from the last date mentioned);
    "three days later" is a DURATION (`_OFFSET_UNITS`).
    """
    n = parse_number(m.group("n")) if m.group("n") else None
    unit = unit_of(m.group("unit"))
    word = m.group("dir").lower()
    if word in ("ago", "earlier", "before", "previously", "back"):
        sign = -1
    else:
        sign = 1
    if word in ("later", "earlier") and unit in _OFFSET_UNITS and "offset_duration" not in ctx.off:
        # "three days later", "an hour earlier": counted from an event, not a date the text names;
        # TimeML tags the offset as a DURATION and "later" as a signal (`Rule.signal_after` leaves it out)
        return "DURATION", duration_value(None if m.group("vague") else n, unit)
    base = ctx.anchor if word in ("ago", "from now", "hence", "back") else ctx.anaphor_base(unit)
    if n is None or base is None:
        return "DATE", {"ago": "PAST_REF", "back": "PAST_REF", "from now": "FUTURE_REF", "hence": "FUTURE_REF"}.get(
            word, "XXXX-XX-XX"
        )
    if n != int(n):
        return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF"
    n = int(n) * sign
    q = _quarter_mentioned(ctx)
    if unit == "year" and q:  # earnings: "up from $10 million a year ago" after "the third quarter"
        return "DATE", shift_year(q, n) or q
    if unit in ("second", "minute", "hour"):
        return "DATE", base.isoformat()
    if unit in ("day", "night"):
        d = base + dt.timedelta(days=n)
        return "DATE", d.isoformat()
    if unit in ("week", "fortnight"):
        d = base + dt.timedelta(weeks=n * (2 if unit == "fortnight" else 1))
        return "DATE", d.isoformat()
    if unit == "month":
        d = add_months(base, n)
        return "DATE", f"{d.year:04d}-{d.month:02d}"
    if unit == "quarter":
        return "DATE", relative_unit_value(base, "quarter", n)
    if unit == "year":
        return "DATE", f"{base.year + n:04d}"
    if unit == "decade":
        return "DATE", f"{base.year + 10 * n:04d}"
    if unit == "century":
        return "DATE", f"{base.year + 100 * n:04d}"
    return None


def resolve_the_day(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "ending the day", "on the same day", "during the weekend", "for the entire year": the
    day (week, year) of the last date mentioned, else of the anchor.
    """
    what = m.group("what").lower()
    if what == "year":
        # a year named earlier in the sentence ("in 1985 ... for the year"), else the anchor's
        # ("forecast an increase for the full year" after "by 1992" two sentences back)
        ref = ctx.ref_value if ctx.ref_value and year_of(ctx.ref_value) else None
        if ref and (ctx.anchor is None or ctx.ref_value_at >= ctx.sentence(s)[0]):
            return "DATE", ref[:4]
        return "DATE", f"{ctx.anchor.year:04d}" if ctx.anchor else "XXXX"
    base = ctx.anchor if "day_anaphora" in ctx.off else ctx.ref or ctx.anchor
    if base is None:
        return "DATE", "XXXX-XX-XX" if what == "day" else "XXXX-WXX-WE"
    if what == "weekend":
        if base == ctx.anchor and ctx.tense(s, e) == "past" and base.weekday() < 5:
            base = base - dt.timedelta(days=7)
        elif "past_weekend" not in ctx.off and ctx.anchor and ctx.tense(s, e) == "past":
            base = _weekend_not_after(base, ctx.anchor)  # "on Monday after ... over the weekend"
        return "DATE", iso_week(base) + "-WE"
    return "DATE", base.isoformat()


def resolve_pod_trading(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "morning trading", "midday deals": that part of the last day mentioned."""
    base = ctx.anchor if "day_anaphora" in ctx.off else ctx.ref or ctx.anchor
    pod = PARTS_OF_DAY[m.group("pod").lower()]
    return "TIME", (base.isoformat() if base else "XXXX-XX-XX") + "T" + pod


_QUARTER = re.compile(r"(?:FY)?\d{4}-Q[1-4]$")


def _quarter_mentioned(ctx: Context) -> str | None:
    """The last quarter named ("the third quarter" -> 1989-Q3), if any."""
    v = ctx.quarter
    return v if v is not None and _QUARTER.match(v) and "earnings_quarter" not in ctx.off else None


def resolve_the_quarter(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "the quarter", "the latest period" in an earnings report: the quarter last mentioned
    ("period" only then); with none, the quarter of the last day mentioned. "The latest
    (most recent) quarter" is the last calendar quarter completed before the anchor (TimeBank
    writes 1989-Q3 for it in reports of October and November 1989, even after a fiscal
    "fourth quarter ended Sept. 30"); "the latest period" stays the quarter last named.
    """
    q = _quarter_mentioned(ctx)
    latest = " ".join(m.group("latest").lower().split())
    if ctx.anchor is not None and latest in ("latest", "most recent") and m.group("unit").lower() == "quarter":
        return "DATE", relative_unit_value(ctx.anchor, "quarter", -1)
    if q:
        return "DATE", q
    if m.group("unit").lower() != "quarter":
        return None
    base = ctx.ref
    return "DATE", relative_unit_value(base, "quarter", 0) if base else "XXXX-QX"


def resolve_year_ago_period(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "the year-ago quarter", "the year-earlier period": the quarter last mentioned, a year back."""
    q = _quarter_mentioned(ctx)
    if q:
        return "DATE", shift_year(q, -1) or q
    base = ctx.ref
    return "DATE", relative_unit_value(base, "quarter", -4) if base else "XXXX-QX"


def resolve_year_ago_adj(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "compared with year-earlier profit", "the year-ago third quarter": a year before the
    quarter last named (or the named quarter, a year before the anchor's year); with no
    quarter, the year before the anchor.
    """
    q = _quarter_mentioned(ctx)
    ordinal = m.group("ord").lower()
    if ordinal:
        year = int(q[-7:-3]) if q else ctx.anchor.year if ctx.anchor else None
        n = ("first", "second", "third", "fourth").index(ordinal) + 1
        return "DATE", f"{year - 1:04d}-Q{n}" if year else f"XXXX-Q{n}"
    if q:
        return "DATE", shift_year(q, -1) or q
    return "DATE", f"{ctx.anchor.year - 1:04d}" if ctx.anchor else "XXXX"


def resolve_same_period(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "the same period/month/quarter last year / a year ago / a year earlier"."""
    ref = ctx.ref_value
    if ref is None or year_of(ref) is None:
        if ctx.anchor is None:
            return "DATE", "XXXX"
        ref = ctx.anchor.isoformat()
    unit = m.group("unit").lower()
    if unit == "month":
        ref = ref[:7] if len(ref) >= 7 and ref[5:7].isdigit() else ref
    elif unit == "quarter" and len(ref) >= 7 and ref[5:7].isdigit():
        ref = f"{ref[:4]}-Q{quarter_of(int(ref[5:7]))}"
    elif unit == "day":
        ref = ref[:10]
    v = shift_year(ref, -1)
    return ("DATE", v) if v else None
