"""Resolvers of calendar expressions: explicit dates, months, years, decades, centuries, seasons,
quarters, halves and holidays. A missing year is chosen from the anchor and the tense
(`pick_year`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

from dateutil.easter import easter

from index.time.calendar_math import day_number, iso_week, month_number, month_span, pick_year, safe_date
from index.time.context import Context, Groups, Resolved
from index.time.lexicon import DECADE_WORDS, ORDINALS, SEASON_MONTH, SEASONS, WEEKDAYS, year_from_words


def resolve_iso(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "2026-07-10", "2026-07-10T16:00"."""
    y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    if not safe_date(y, mo, d):
        return None
    v = f"{y:04d}-{mo:02d}-{d:02d}"
    if m.group("hh"):
        return "TIME", v + f"T{int(m.group('hh')):02d}:{m.group('mm')}"
    return "DATE", v


def full_year(text: str) -> int:
    """A year written with four digits, or two ("26", "'98", "’98": 1950-2049), as a number."""
    digits = text.lstrip("'’")
    y = int(digits)
    if len(digits) == 4:
        return y
    return y + (2000 if y < 50 else 1900)


def resolve_numeric(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "7/10/2026", "10/7/26": US order unless impossible."""
    a, b, yt = int(m.group("a")), int(m.group("b")), m.group("y")
    y = full_year(yt)
    mo, d = (a, b) if a <= 12 else (b, a)  # US order unless impossible
    if not safe_date(y, mo, d):
        return None
    return "DATE", f"{y:04d}-{mo:02d}-{d:02d}"


def resolve_month_day(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "July 10", "10 July 2026", "Tuesday, July 10": a missing year from anchor and tense."""
    mo = month_number(m.group("mon"))
    d = day_number(m.group("day"))
    if m.group("year"):
        y = int(m.group("year"))
        if not safe_date(y, mo, d):
            return None
        return "DATE", f"{y:04d}-{mo:02d}-{d:02d}"
    if not safe_date(2000, mo, d):
        return None
    if ctx.anchor is None:
        return "DATE", f"XXXX-{mo:02d}-{d:02d}"
    tense = ctx.tense(s, e)
    wd = m.group("wd")

    def cand(yy: int) -> tuple[dt.date, dt.date]:
        dd = safe_date(yy, mo, d) or dt.date(yy, mo, 28)
        return dd, dd

    y = pick_year(ctx.anchor, cand, tense, near="near_year" not in ctx.off)
    if wd:  # "Tuesday, July 10": the weekday decides the year when it can
        w = WEEKDAYS[wd.lower().rstrip(".")]
        for yy in (y, y - 1, y + 1):
            dd = safe_date(yy, mo, d)
            if dd and dd.weekday() == w:
                y = yy
                break
    if not safe_date(y, mo, d):
        return None
    return "DATE", f"{y:04d}-{mo:02d}-{d:02d}"


def resolve_week_of(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "the week of March 6": the ISO week holding that day (TIMEX3 `2000-W10`)."""
    res = resolve_month_day(m, ctx, s, e)
    if res is None or res[1].startswith("X"):
        return res and ("DATE", "XXXX-WXX")
    return "DATE", iso_week(dt.date.fromisoformat(res[1]))


def resolve_year_words(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For spoken years: "nineteen ninety-six" -> 1996, "January nineteen ninety-seven" -> 1997-01,
    "the winter of nineteen ninety-four" -> 1994-WI, "the year two thousand" -> 2000.
    """
    y = year_from_words(m.group("yw") or m.group("yw2"))
    if y is None:
        return None
    if m.group("mon"):
        return "DATE", f"{y:04d}-{month_number(m.group('mon')):02d}"
    if m.group("season"):
        return "DATE", f"{y:04d}-{SEASONS[m.group('season').lower()]}"
    return "DATE", f"{y:04d}"


def resolve_month_year(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "July 2026"."""
    mo = month_number(m.group("mon"))
    return "DATE", f"{int(m.group('year')):04d}-{mo:02d}"


MONTH_PRECEDERS = {
    "in",
    "since",
    "until",
    "till",
    "by",
    "from",
    "through",
    "of",
    "early",
    "late",
    "mid",
    "last",
    "next",
    "this",
    "between",
    "and",
    "to",
    "during",
    "before",
    "after",
    "on",
    "throughout",
    "that",
    "each",
    "every",
    "or",
    "for",
    "around",
    "past",
    "coming",
    "as",
    "-",
    "–",
    "beginning",
    "end",
    "start",
    "middle",
}


# a capitalised month or season word followed by "of/for (the) Capitalised": part of a name
_NAME_AFTER = re.compile(r"\s+(?:of|for)\s+(?:the\s+)?[A-Z][a-z]")


def resolve_month(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "March", "last March", "next June": the year by modifier, else by tense."""
    word = m.group("mon")
    mo = month_number(word)
    mod = (m.group("mod") or "").lower()
    text = ctx.text
    if not mod and _NAME_AFTER.match(text, e):
        return None  # "the annual March for Life", "the March of the Combatant Mothers": a name
    if mo == 5 and not mod:  # "May": a month only after a preposition or month-like context
        before = text[max(0, s - 20) : s].split()
        if not before or before[-1].lower().strip(",") not in MONTH_PRECEDERS:
            return None
    if mo == 3 and not mod:  # "March" the verb at a sentence start ("March on ...")
        after = text[e : e + 4]
        if after.startswith((" on", " to")):
            lead = text[max(0, s - 3) : s]
            if not lead.strip() or lead.rstrip()[-1:] in ".!?\n":
                return None
    if ctx.anchor is None:
        return "DATE", f"XXXX-{mo:02d}"
    a = ctx.anchor
    if "mod_direction" in ctx.off:
        mod = ""
    if mod == "last":
        y = a.year if mo < a.month else a.year - 1
    elif mod == "next":
        y = a.year if mo > a.month else a.year + 1
    elif mod == "this":
        y = a.year
    else:
        tense = "past" if mod == "past" else "future" if mod == "coming" else ctx.tense(s, e)
        key = ("month", mo, tense)
        y = ctx.memo.get(key) or ctx.memo.setdefault(
            key, pick_year(a, lambda yy: month_span(yy, mo), tense, near="near_year" not in ctx.off)
        )
    return "DATE", f"{y:04d}-{mo:02d}"


def resolve_month_range(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "between April and June", "from April to June 2026", "April-June"."""
    if not ctx.ranges:
        return None
    m1, m2 = month_number(m.group("m1")), month_number(m.group("m2"))
    y = m.group("year")
    if y:
        y2 = int(y)
        y1 = y2 if m1 <= m2 else y2 - 1
    elif ctx.anchor is None:
        return "DATE", f"XXXX-{m1:02d}/XXXX-{m2:02d}"
    else:
        tense = ctx.tense(s, e)

        def cand(yy: int) -> tuple[dt.date, dt.date]:
            lo = month_span(yy if m1 <= m2 else yy - 1, m1)[0]
            return lo, month_span(yy, m2)[1]

        y2 = pick_year(ctx.anchor, cand, tense, near="near_year" not in ctx.off)
        y1 = y2 if m1 <= m2 else y2 - 1
    return "DATE", f"{y1:04d}-{m1:02d}/{y2:04d}-{m2:02d}"


def resolve_year_range(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "2009-2010", "1957-58", "between 2001 and 2004"."""
    if not ctx.ranges:
        return None
    y1, y2t = int(m.group("y1")), m.group("y2")
    y2 = int(y2t) if len(y2t) == 4 else (y1 // 100) * 100 + int(y2t)
    if y2 <= y1:
        return None
    return "DATE", f"{y1:04d}/{y2:04d}"


_NOT_A_PAIR = re.compile(r"[-–]\d(?!\d\b|\d\d\d\b)")  # "2009-2010", "1957-58" are pairs of years; "2009-1" is not


def resolve_year_pair_end(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For the "58" of "1957-58": the year in the century of the first (the next century when it
    would go backwards: "1999-00"). Only tagged alone when ranges are not wanted (TIMEX3: two DATEs).
    """
    first, yy = int(m.group("lead")), int(m.group("yy"))
    y = (first // 100) * 100 + yy
    if y <= first:
        y += 100
    if y - first > 20 or ctx.ranges:
        return None
    return "DATE", f"{y:04d}"


COUNT_NOUNS = re.compile(
    r"\s+(?:people|persons|jobs|workers|employees|points|units|cars|vehicles|shares|planes|"
    r"aircraft|jets|dealers|dealerships|stores|votes|troops|soldiers|staff|members|users|"
    r"customers|accounts|miles|km|kilometres|kilometers|metres|meters|feet|tons|tonnes|"
    r"barrels|pounds|dollars|euros|yen|homes|houses|copies|students|deaths|cases|seats|"
    r"passengers|hp|mph|kg|lb|km/h|times|index|indices|of\b)",
    re.I,
)


# "1615 GMT", "1800 hours": a clock time (untagged since the military-time rule was dropped in round 5)
_CLOCK_AFTER = re.compile(r"\s*(?:hours?|hrs|UTC|GMT)\b")
_NOT_A_YEAR_BEFORE = re.compile(r"[$£€¥#]\s*$|[\d.,]$|US\s?$|No\.\s?$")  # money, parts of numbers
_NOT_A_YEAR_AFTER = re.compile(r"(?:[.,]\d|%|\s*percent|\s*per\s?cent|\d|:\d|/\d)")


def resolve_year(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "2009", "fiscal 2010"; not money, counts, percentages, parts of numbers or clock times."""
    text = ctx.text
    before = text[max(0, s - 4) : s]
    if _NOT_A_YEAR_BEFORE.search(before):
        return None
    after = text[e : e + 14]
    if _NOT_A_YEAR_AFTER.match(after) or _NOT_A_PAIR.match(after):
        return None
    if not m.group("pre") and COUNT_NOUNS.match(after):
        return None
    if int(m.group("year")[2:]) < 60 and _CLOCK_AFTER.match(after):
        return None
    return "DATE", f"{int(m.group('year')):04d}"  # "fiscal 1989" too: TempEval-3 writes 1989


def resolve_month_rel(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "October of next year", "March this year"."""
    mo = month_number(m.group("mon"))
    off = {"this": 0, "last": -1, "next": 1}[(m.group("rel") or m.group("rel2")).lower()]
    if ctx.anchor is None:
        return "DATE", f"XXXX-{mo:02d}"
    return "DATE", f"{ctx.anchor.year + off:04d}-{mo:02d}"


def resolve_year_short(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "since '82": the century that puts the year at or before the anchor's."""
    yy = int(m.group("yy"))
    base = ctx.anchor.year if ctx.anchor else 2000
    y = (base // 100) * 100 + yy
    if y > base + 1:
        y -= 100
    return "DATE", f"{y:04d}"


def resolve_fy_short(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "FY09"."""
    return "DATE", f"{full_year(m.group('yy')):04d}"


_AGE_DECADE_BEFORE = re.compile(r"\b(?:his|her|their|my|your|our)\s+(?:(?:early|mid|late)[\s-]+)?$", re.I)


def resolve_decade(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "the 1990s", "the '70s", "the sixties" -> 199, 197, 196; "in his 30s" is an age (None)."""
    if not m.group("full") and _AGE_DECADE_BEFORE.search(ctx.text, max(0, s - 20), s):
        return None
    if m.group("full"):
        return "DATE", m.group("full")[:3]
    if m.group("short"):
        dgt = int(m.group("short"))
    else:
        dgt = DECADE_WORDS[m.group("word").lower()]
    cent = "19"
    if ctx.anchor is not None and dgt * 10 <= ctx.anchor.year % 100 and dgt < 3:
        cent = f"{ctx.anchor.year // 100:02d}"
    elif dgt < 2 and m.group("short"):
        cent = "20"
    return "DATE", f"{cent}{dgt}"


def resolve_century(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "the 20th century", "an 11th-century temple" -> 19, 10."""
    numeral = m.group("ord2")
    n = int(numeral[:-2]) if numeral else ORDINALS.get(m.group("ord").lower())
    if not n:
        return None
    return "DATE", f"{n - 1:02d}"


def resolve_season(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "summer 2009", "the fall": a missing year from anchor and tense."""
    word = m.group("season") or m.group("s2")
    code = SEASONS[word.lower()]
    if word[0].isupper() and not m.group("year") and _NAME_AFTER.match(ctx.text, e):
        return None  # "``Spring of Life'' demonstrations": a name
    if m.group("year"):
        return "DATE", f"{int(m.group('year')):04d}-{code}"
    if ctx.anchor is None:
        return "DATE", f"XXXX-{code}"
    sm = SEASON_MONTH[code]
    tense = ctx.tense(s, e)
    y = pick_year(ctx.anchor, lambda yy: month_span(yy, sm), tense, near="near_year" not in ctx.off)
    return "DATE", f"{y:04d}-{code}"


def resolve_quarter(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "the third quarter", "Q3 2009", "fiscal first quarter of next year" (TempEval-3 writes
    fiscal periods as calendar ones: no FY prefix).
    """
    q = ORDINALS.get((m.group("ord") or "").lower()) or (int(m.group("qn")) if m.group("qn") else None)
    if (m.group("ord") or "").lower() in ("final", "last"):
        q = 4
    if not q or q > 4:
        return None
    yt = m.group("year") or m.group("year2") or m.group("year3")
    rel = (m.group("rel") or m.group("rel2")).lower()
    if yt:
        y = full_year(yt)
    elif rel:
        if ctx.anchor is None:
            return "DATE", f"XXXX-Q{q}"
        y = ctx.anchor.year + {
            "this": 0,
            "last": -1,
            "next": 1,
            "the previous": -1,
            "the current": 0,
            "the same": 0,
        }.get(rel, 0)
    elif ctx.anchor is None:
        return "DATE", f"XXXX-Q{q}"
    else:
        tense = ctx.tense(s, e)
        y = pick_year(
            ctx.anchor,
            lambda yy: (month_span(yy, 3 * q - 2)[0], month_span(yy, 3 * q)[1]),
            tense,
            near="near_year" not in ctx.off,
            ended="quarter_ended" not in ctx.off,
        )
    return "DATE", f"{y:04d}-Q{q}"


def resolve_half(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "the first half of 2009", "the second half of this year"."""
    h = 1 if m.group("h").lower() in ("first", "1st") else 2
    rel = (m.group("rel") or "").lower()
    if m.group("year"):
        y = int(m.group("year"))
    elif ctx.anchor is None:
        return "DATE", f"XXXX-H{h}"
    else:
        y = ctx.anchor.year + {"this": 0, "last": -1, "next": 1}.get(rel, 0)
    return "DATE", f"{y:04d}-H{h}"


_FIXED_HOLIDAYS: dict[str, tuple[int, int]] = {
    "christmas": (12, 25),
    "christmas day": (12, 25),
    "christmas eve": (12, 24),
    "new year's day": (1, 1),
    "new year's eve": (12, 31),
    "halloween": (10, 31),
    "independence day": (7, 4),
    "valentine's day": (2, 14),
}
# floating holidays: (month, weekday, n-th; -1 the last), then days to add
_NTH_WEEKDAY_HOLIDAYS: dict[str, tuple[int, int, int, int]] = {
    "thanksgiving": (11, 3, 4, 0),
    "thanksgiving day": (11, 3, 4, 0),
    "labor day": (9, 0, 1, 0),
    "memorial day": (5, 0, -1, 0),
    "martin luther king day": (1, 0, 3, 0),
    "black friday": (11, 3, 4, 1),
    "election day": (11, 0, 1, 1),  # US: the Tuesday after the first Monday of November
}
# days from Easter Sunday (Western, dateutil's algorithm)
_EASTER_HOLIDAYS: dict[str, int] = {
    "easter": 0,
    "easter sunday": 0,
    "easter monday": 1,
    "good friday": -2,
    "palm sunday": -7,
}
_EASTER_WEEKS = {"easter week", "holy week"}  # the ISO week that ends on Easter Sunday


@functools.lru_cache(maxsize=4096)
def _holiday_day(name: str, yy: int) -> dt.date:
    """The day of holiday `name` (lower case, single spaces) in year `yy` (cached: `pick_year`
    asks for three years per mention, and a dense text names the same holiday thousands of times).
    """
    if name in _FIXED_HOLIDAYS:
        return dt.date(yy, *_FIXED_HOLIDAYS[name])
    if name in _NTH_WEEKDAY_HOLIDAYS:
        mo, wd, n, plus = _NTH_WEEKDAY_HOLIDAYS[name]
        days = [d for d in range(1, calendar.monthrange(yy, mo)[1] + 1) if dt.date(yy, mo, d).weekday() == wd]
        return dt.date(yy, mo, days[n - 1] if n > 0 else days[-1]) + dt.timedelta(days=plus)
    return easter(yy) + dt.timedelta(days=_EASTER_HOLIDAYS.get(name, 0))


def resolve_holiday(m: Groups, ctx: Context, s: int, e: int) -> Resolved | None:
    """For "Christmas", "Thanksgiving 2009", "Election Day", "Good Friday", "Easter week": fixed,
    floating and Easter-dated holidays (TimeML writes the day; Easter or Holy Week its ISO week).
    """
    name = re.sub(r"\s+", " ", m.group("name").lower()).replace("’", "'")
    y = int(m.group("year") or 0)
    if not y and ctx.anchor is None:
        md = _FIXED_HOLIDAYS.get(name)
        return ("DATE", f"XXXX-{md[0]:02d}-{md[1]:02d}") if md else None
    rel = m.group("rel").lower()
    if not y and ctx.anchor is not None and rel:  # "last Thanksgiving": the latest before the anchor
        y = ctx.anchor.year
        if rel == "last" and _holiday_day(name, y) >= ctx.anchor:
            y -= 1
        elif rel == "next" and _holiday_day(name, y) <= ctx.anchor:
            y += 1
    elif not y and ctx.anchor is not None:
        y = pick_year(
            ctx.anchor,
            lambda yy: (_holiday_day(name, yy), _holiday_day(name, yy)),
            ctx.tense(s, e),
            near="near_year" not in ctx.off,
        )
    if name in _EASTER_WEEKS:
        return "DATE", iso_week(easter(y))
    return "DATE", _holiday_day(name, y).isoformat()
