"""Shared word lists of the temporal tagger: month, weekday, number, unit and season words, and
the regular-expression pieces built from them (rules and resolvers read the same lists).
"""

from __future__ import annotations

import re

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
    "a dozen": 12,
    "dozen": 12,
    "half a": 0.5,
    "half an": 0.5,
    "a half": 0.5,
    "one and a half": 1.5,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
}
VAGUE_NUMBERS = {
    "several",
    "a few",
    "few",
    "many",
    "some",
    "dozens of",
    "hundreds of",
    "a number of",
    "numerous",
    "countless",
    "multiple",
}
ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "twenty-first": 21,
    "21st": 21,
    "19th": 19,
    "20th": 20,
}
DECADE_WORDS = {
    "twenties": 2,
    "thirties": 3,
    "forties": 4,
    "fifties": 5,
    "sixties": 6,
    "seventies": 7,
    "eighties": 8,
    "nineties": 9,
}
# unit -> (TIMEX3 letter, is time-of-day unit, multiplier)
UNITS = {
    "second": ("S", True, 1),
    "minute": ("M", True, 1),
    "hour": ("H", True, 1),
    "day": ("D", False, 1),
    "night": ("D", False, 1),
    "week": ("W", False, 1),
    "weekend": ("WE", False, 1),
    "fortnight": ("W", False, 2),
    "month": ("M", False, 1),
    "quarter": ("Q", False, 1),
    "year": ("Y", False, 1),
    "decade": ("DE", False, 1),
    "century": ("CE", False, 1),
    "millennium": ("Y", False, 1000),
}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
SEASON_MONTH = {"SP": 4, "SU": 7, "FA": 10, "WI": 1}
PARTS_OF_DAY = {
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "tonight": "NI",
    "midday": "MI",
    "overnight": "NI",
}

# ---------------------------------------------------------------------- regex pieces

MONTH_FULL = r"January|February|March|April|May|June|July|August|September|October|November|December"
MONTH_ABBR = r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
MONTH = rf"(?:{MONTH_FULL}|(?:{MONTH_ABBR})\.)"
MONTH_D = rf"(?:{MONTH_FULL}|(?:{MONTH_ABBR})\.?)"  # abbreviation allowed before a day
DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:1[6-9]\d\d|20\d\d|21\d\d)"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
WEEKDAY_ANY = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|(?:Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\.)"
)
NUMWORD = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|"
    r"four|five|six|seven|eight|nine))?|one and a half|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|"
    r"nineteen|a hundred|hundred|a dozen|dozen|half an?|an?|a couple(?: of)?)"
)
_ONES = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
# years as they are spoken (broadcast transcripts): "nineteen ninety-six", "nineteen oh five";
# "two thousand (and) three" only after "the year" (elsewhere it is a number)
YEAR_WORDS = rf"(?:(?:nineteen|twenty)[\s-]+(?:oh[\s-]+(?:{_ONES})|(?:{_TEENS})|(?:{_TENS})(?:[\s-]+(?:{_ONES}))?)\b)"
YEAR_2000_WORDS = rf"(?:two\s+thousand(?:(?:\s+and)?[\s-]+(?:{_TEENS}|{_ONES}))?\b)"
_WORD_VALUES = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen".split()
    )
} | {w: 20 + 10 * i for i, w in enumerate(_TENS.split("|"))}


def year_from_words(words: str) -> int | None:
    """The year a spoken form names: "nineteen ninety-six" -> 1996, "two thousand and three" -> 2003."""
    parts = [w for w in re.split(r"[\s-]+", words.lower()) if w not in ("and", "oh")]
    if parts[:2] == ["two", "thousand"]:
        return 2000 + sum(_WORD_VALUES.get(w, 0) for w in parts[2:])
    if len(parts) < 2 or parts[0] not in ("nineteen", "twenty"):
        return None
    return _WORD_VALUES[parts[0]] * 100 + sum(_WORD_VALUES.get(w, 0) for w in parts[1:])


NUM = rf"(?:(?:\d+(?:\.\d+)?|{NUMWORD})(?:\s+1/2|\s+and\s+a\s+half)?)"
VAGUE = r"(?:several|a few|few|many|some|dozens of|hundreds of|a number of|numerous|multiple)"
UNIT = r"(?:second|minute|hour|day|night|week|weekend|fortnight|month|quarter|year|decade|century|millennium)"
UNITS_PL = r"(?:seconds|minutes|hours|days|nights|weeks|weekends|months|quarters|years|decades|centuries)"
UNIT_ANY = rf"(?:{UNITS_PL}|{UNIT})"
QMOD = (
    r"(?:about|around|approximately|roughly|nearly|almost|some|more than|less than|"
    r"fewer than|at least|at most|up to|over|under|close to|well over|the better part of)"
)
POD = r"(?:morning|afternoon|evening|night)"
TZ = r"(?:(?:UTC|GMT)(?:\s?[+-]\d{1,2}(?::?\d\d)?)?|Z|EST|EDT|CST|CDT|MST|MDT|PST|PDT|BST|CET|CEST|JST|IST|ET|PT|local time)"
AMPM = r"(?:[ap]\.\s?m\.|[ap]m\b|[AP]M\b)"
