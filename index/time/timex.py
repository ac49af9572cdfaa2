"""`Timex`, one temporal expression, and the calendar span its TIMEX3 value covers (so readers
of the tagger need not parse TIMEX3 strings back).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["Timex", "value_span"]


@dataclass(frozen=True, slots=True)
class Timex:
    """One temporal expression: `text == input[start:end]`; `type` DATE/TIME/DURATION/SET;
    `value` a TIMEX3 value (`2026-07-10`, `2026-W27`, `P3M`, `PRESENT_REF`, `2009/2010`...).
    `span` gives the days the value covers, for DATE/TIME values that can be placed.
    """

    start: int
    end: int
    text: str
    type: str
    value: str

    @property
    def span(self) -> tuple[dt.date, dt.date, str] | None:
        """(first day, last day inclusive, granularity) of a placeable DATE/TIME value, else None."""
        if self.type not in ("DATE", "TIME"):
            return None
        return value_span(self.value)


_SEASONS = {
    "SP": ((3, 1), (5, 31), 0),
    "SU": ((6, 1), (8, 31), 0),
    "FA": ((9, 1), (11, 30), 0),
    "WI": ((12, 1), (2, None), 1),
}


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def single_span(value: str) -> tuple[dt.date, dt.date, str] | None:
    v = value.strip()
    if not v or "X" in v.upper().replace("FY", "") and not re.fullmatch(r"\d{3}X", v):
        return None
    if v.startswith("FY"):
        v = v[2:]
    try:
        m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)(T.*)?", v)
        if m:
            d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return d, d, "time" if m.group(4) else "day"
        m = re.fullmatch(r"(\d{4})-W(\d\d)(-WE)?", v)
        if m:
            monday = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            if m.group(3):
                return monday + dt.timedelta(days=5), monday + dt.timedelta(days=6), "weekend"
            return monday, monday + dt.timedelta(days=6), "week"
        m = re.fullmatch(r"(\d{4})-W(\d\d)-([1-7])", v)
        if m:
            d = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return d, d, "day"
        m = re.fullmatch(r"(\d{4})-(\d\d)", v)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            return dt.date(y, mo, 1), _month_end(y, mo), "month"
        m = re.fullmatch(r"(\d{4})-Q([1-4])", v)
        if m:
            y, q = int(m.group(1)), int(m.group(2))
            return dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q), "quarter"
        m = re.fullmatch(r"(\d{4})-H([12])", v)
        if m:
            y, h = int(m.group(1)), int(m.group(2))
            return dt.date(y, 6 * h - 5, 1), _month_end(y, 6 * h), "half"
        m = re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", v)
        if m:
            y = int(m.group(1))
            (m1, d1), (m2, _), carry = _SEASONS[m.group(2)]
            return dt.date(y, m1, d1), _month_end(y + carry, m2), "season"
        m = re.fullmatch(r"(\d{4})", v)
        if m:
            y = int(v)
            return dt.date(y, 1, 1), dt.date(y, 12, 31), "year"
        m = re.fullmatch(r"(\d{3})X?", v)
        if m:
            y = int(m.group(1)) * 10
            return dt.date(max(y, 1), 1, 1), dt.date(y + 9, 12, 31), "decade"
        m = re.fullmatch(r"(\d{2})", v)
        if m:
            y = int(v) * 100
            return dt.date(max(y, 1), 1, 1), dt.date(y + 99, 12, 31), "century"
    except ValueError:
        return None
    return None


def value_span(value: str) -> tuple[dt.date, dt.date, str] | None:
    """(start, end inclusive, granularity) of a TIMEX3 DATE/TIME value, or None when it cannot
    be placed (durations, vague references, unresolved `X`).
    """
    if not value or value.startswith("P") or value.endswith("_REF"):
        return None
    if "/" in value:
        a, _, b = value.partition("/")
        ra, rb = single_span(a), single_span(b)
        if not ra or not rb or rb[1] < ra[0]:
            return None
        return ra[0], rb[1], "range"
    return single_span(value)
