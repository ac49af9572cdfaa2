"""Calendar arithmetic and TIMEX3 value helpers shared by the resolvers."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable

from index.time.lexicon import MONTHS, NUMBERS, UNITS

_HALF = re.compile(r" (?:1/2|and a half)$")


def parse_number(s: str) -> float | None:
    """A written number ("3", "three", "twenty-five", "a dozen"), None if not one."""
    s = s.lower().strip()
    s = re.sub(r"\s+", " ", s)
    half = _HALF.search(s)
    if half and half.start() > 0:  # "2 1/2", "two and a half"
        whole = parse_number(s[: half.start()])
        return whole + 0.5 if whole is not None else None
    if s[0].isdigit():
        try:
            return float(s)
        except ValueError:
            return None
    if s in NUMBERS:
        return NUMBERS[s]
    parts = re.split(r"[- ]", s)
    if len(parts) == 2 and parts[0] in NUMBERS and parts[1] in NUMBERS:
        return NUMBERS[parts[0]] + NUMBERS[parts[1]]
    return None


def fmt_number(n: float | None) -> str:
    """A TIMEX3 quantity: `3`, `1.5`, `X` for unknown."""
    if n is None:
        return "X"
    if n == int(n):
        return str(int(n))
    return repr(n)


def unit_of(word: str) -> str:
    """The singular unit name of a unit word ("centuries" -> "century")."""
    w = word.lower()
    if w == "centuries":
        return "century"
    if w.endswith("s") and w[:-1] in UNITS:
        return w[:-1]
    return w


def duration_value(n: float | None, unit: str) -> str:
    """TIMEX3 duration of `n` `unit`s (`P3M`, `PT5H`, `P10Y` for a decade; `n` None -> `PXY`)."""
    letter, is_time, mult = UNITS[unit]
    if letter == "WE":
        letter = "WE"
    if n is not None and letter == "DE":
        n, letter = n * 10, "Y"
    elif n is not None and letter == "CE":
        n, letter = n * 100, "Y"
    elif n is not None and letter == "Q":
        n, letter = n * 3, "M"
    if n is not None:
        n = n * mult
        if n != int(n):  # 2.5 years -> P2Y6M, 5.5 hours -> PT5H30M, half an hour -> PT30M
            smaller = {
                "Y": ("M", 12, False),
                "M": ("D", 30, False) if not is_time else ("S", 60, True),
                "W": ("D", 7, False),
                "D": ("H", 24, True),
                "H": ("M", 60, True),
            }.get(letter)
            if smaller:
                small, f, small_is_time = smaller
                whole = int(n)
                date_part = time_part = ""
                if whole:
                    if is_time:
                        time_part += f"{whole}{letter}"
                    else:
                        date_part += f"{whole}{letter}"
                rest = fmt_number((n - whole) * f) + small
                if small_is_time:
                    time_part += rest
                else:
                    date_part += rest
                return "P" + date_part + ("T" + time_part if time_part else "")
    return ("PT" if is_time else "P") + fmt_number(n) + letter


def add_months(d: dt.date, n: int) -> dt.date:
    """`d` moved by `n` months, the day clipped to the month's length."""
    m = d.month - 1 + n
    y = d.year + m // 12
    m = m % 12 + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def iso_week(d: dt.date) -> str:
    """The TIMEX3 ISO week of `d` (`2026-W27`)."""
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def quarter_of(month: int) -> int:
    """The quarter (1-4) a month falls in."""
    return (month - 1) // 3 + 1


NEAR_SPAN_DAYS = 31  # the same for a month or season: tuned on TimeBank (15/31/45 -> 31, tie with 45 broken small)
NEAR_DAYS = 60  # tuned on TimeBank (30/60/90/120/150), confirmed on AQUAINT and MEANTIME


def pick_year(
    anchor: dt.date,
    cand_fn: Callable[[int], tuple[dt.date, dt.date]],
    tense: str,
    *,
    near: bool = True,
    ended: bool = False,
) -> int:
    """Year for an expression without one: the year giving the date nearest the anchor when that
    date is within `NEAR_DAYS` of it, or a month or season within `NEAR_SPAN_DAYS` ("November"
    written on October 30) unless a future-tense sentence would put it before the anchor (news
    dates cluster around publication, and past tense is a weak cue: any "-ed" word); else the anchor's year moved back for past-tense sentences whose date would fall
    after the anchor, forward for future-tense ones whose date would fall before it; with no
    tense, the nearest. `near=False` skips the nearness window (an audit switch, `near_year`);
    `ended=True` keeps a period that ended within the window even in a future sentence (a quarter's
    results are reported after it ends: "plans to restructure after a third-quarter loss").
    """
    y = anchor.year
    spans = {yy: cand_fn(yy) for yy in (y - 1, y, y + 1)}
    best = min(spans, key=lambda yy: _dist(spans[yy], anchor))
    lo, hi = spans[best]
    dist = _dist((lo, hi), anchor)
    if near and lo == hi and dist <= NEAR_DAYS:
        return best
    if near and lo != hi and dist <= NEAR_SPAN_DAYS and (ended or not (tense == "future" and hi < anchor)):
        return best
    lo, hi = spans[y]
    if tense == "past":
        return y - 1 if lo > anchor else y
    if tense == "future":
        return y + 1 if hi < anchor else y
    return best


def _dist(span: tuple[dt.date, dt.date], d: dt.date) -> int:
    lo, hi = span
    if lo <= d <= hi:
        return 0
    return min(abs((lo - d).days), abs((hi - d).days))


@functools.lru_cache(maxsize=4096)
def month_span(y: int, m: int) -> tuple[dt.date, dt.date]:
    """First and last day of month `m` of year `y`."""
    return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])


def safe_date(y: int, m: int, d: int) -> dt.date | None:
    """The date, or None for an impossible one (February 30)."""
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def weekday_date(anchor: dt.date, wd: int, direction: str, strict: bool = False) -> dt.date:
    """The weekday `wd` nearest `anchor` in `direction` ("future" or else past); `strict` excludes the anchor itself."""
    if direction == "future":
        delta = (wd - anchor.weekday()) % 7
        if strict and delta == 0:
            delta = 7
        return anchor + dt.timedelta(days=delta)
    delta = (anchor.weekday() - wd) % 7
    if strict and delta == 0:
        delta = 7
    return anchor - dt.timedelta(days=delta)


_YEAR_START = re.compile(r"(\d{4})")  # compiled once: `year_of` runs for every DATE tagged


def year_of(value: str) -> int | None:
    """The four-digit year a TIMEX3 value starts with, if any."""
    m = _YEAR_START.match(value)
    return int(m.group(1)) if m else None


def shift_year(value: str, years: int) -> str | None:
    """Shift a DATE value by whole years (for "the same period last year")."""
    m = re.match(r"(\d{4})(.*)$", value)
    if not m:
        return None
    return f"{int(m.group(1)) + years:04d}{m.group(2)}"


def month_number(word: str) -> int:
    """Month 1-12 of a month name or abbreviation ("Sept." -> 9)."""
    return MONTHS[word.lower().rstrip(".")]


def day_number(word: str) -> int:
    """The day of a day token ("21st" -> 21)."""
    digits = re.match(r"\d+", word)
    return int(digits.group()) if digits else 0


def relative_unit_value(a: dt.date, unit: str, off: int) -> str:
    """The TIMEX3 value of the `unit` that is `off` units from `a` (week, month, quarter...)."""
    if unit == "day":
        return (a + dt.timedelta(days=off)).isoformat()
    if unit in ("week", "weekend"):
        v = iso_week(a + dt.timedelta(weeks=off))
        return v + "-WE" if unit == "weekend" else v
    if unit == "month":
        d = add_months(a, off)
        return f"{d.year:04d}-{d.month:02d}"
    if unit == "quarter":
        q = quarter_of(a.month) - 1 + off
        return f"{a.year + q // 4:04d}-Q{q % 4 + 1}"
    if unit == "year":
        return f"{a.year + off:04d}"
    if unit == "decade":
        return f"{a.year // 10 + off:03d}"
    if unit == "century":
        return f"{a.year // 100 + off:02d}"
    raise KeyError(unit)


X_VALUES = {
    "day": "XXXX-XX-XX",
    "week": "XXXX-WXX",
    "weekend": "XXXX-WXX-WE",
    "month": "XXXX-XX",
    "quarter": "XXXX-QX",
    "year": "XXXX",
    "decade": "XXX",
    "century": "XX",
}
