"""The rule table: one record per rule, in priority order (earlier wins a tie between
candidates of the same length).

A rule is a regular expression, the resolver that turns its match into a TIMEX3 value, and the
trigger that says where to try it: the rule runs only in a window around the words it cannot do
without (a month name, a year, a digit pattern, a weekday, or one of its own time words), and
its match must overlap such a word. To add an expression: write its pattern and resolver, add a
record here with its trigger, and a test.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from index.time.context import SWITCHES, Resolver
from index.time.lexicon import (
    AMPM,
    DAY,
    DECADE_WORDS,
    MONTH,
    MONTH_D,
    MONTH_FULL,
    NUM,
    NUMWORD,
    POD,
    QMOD,
    TZ,
    UNIT,
    UNIT_ANY,
    VAGUE,
    WEEKDAY,
    WEEKDAY_ANY,
    YEAR,
    YEAR_2000_WORDS,
    YEAR_WORDS,
)
from index.time.resolve_calendar import (
    resolve_century,
    resolve_decade,
    resolve_fy_short,
    resolve_half,
    resolve_holiday,
    resolve_iso,
    resolve_month,
    resolve_month_day,
    resolve_month_range,
    resolve_month_rel,
    resolve_month_year,
    resolve_numeric,
    resolve_quarter,
    resolve_season,
    resolve_week_of,
    resolve_year,
    resolve_year_pair_end,
    resolve_year_range,
    resolve_year_short,
    resolve_year_words,
)
from index.time.resolve_relative import (
    resolve_ago,
    resolve_day_before,
    resolve_dayword,
    resolve_pod_trading,
    resolve_relative,
    resolve_same_period,
    resolve_the_day,
    resolve_the_quarter,
    resolve_this_pod,
    resolve_weekday,
    resolve_year_ago_adj,
    resolve_year_ago_period,
)
from index.time.resolve_spans import (
    resolve_bare_plural,
    resolve_duration,
    resolve_every,
    resolve_future_ref,
    resolve_noon,
    resolve_present_ref,
    resolve_ref,
    resolve_set,
    resolve_time,
)

__all__ = ["RULES", "Rule", "Trigger", "switched_off"]

TRIGGER_KINDS = ("digit", "month", "year", "decade", "weekday", "word")


@dataclass(frozen=True, slots=True)
class Trigger:
    """Where a rule is tried: around each `kind` span (see `triggers.py`; "word" = only its own
    `words`), from `before` characters before it to `after` characters after it. `words` (lower
    case) also trigger a rule of another kind.
    """

    kind: str
    before: int
    after: int
    words: frozenset[str] | set[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class Rule:
    """One expression pattern and its resolver.

    `extend_left`: modifiers before the match join the expression ("the end of", "early",
    "mid-"); `exclude_lead`: the match's `lead` group only decides, the extent starts at its
    `unit` group (unless the lead is "recent", "the" or "over"); `range_only`: dropped when the
    caller wants ranges as separate dates (`tag(..., ranges=False)`); `lead`: what must precede
    the pattern (a word boundary lets the engine skip most positions fast); `signal_after`: a
    DURATION the resolver returns ends before the match's `dir` group (TimeML: in "three days
    later" the expression is "three days", "later" a signal).
    """

    name: str
    pattern: str
    resolve: Resolver
    trigger: Trigger
    flags: int = 0
    extend_left: bool = False
    exclude_lead: bool = False
    range_only: bool = False
    lead: str = r"\b"
    signal_after: bool = False
    _regex: re.Pattern[str] | None = field(default=None, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.trigger.kind not in TRIGGER_KINDS:
            raise ValueError(f"rule {self.name}: unknown trigger kind {self.trigger.kind!r}")

    @property
    def source(self) -> str:
        """The rule's regular expression as written: `lead`, then its pattern."""
        return f"{self.lead}(?:{self.pattern})"

    @property
    def regex(self) -> re.Pattern[str]:
        """The rule's compiled expression, compiled on its first run: compiling all of them took
        0.03-0.04 CPU s of every process that tags a text (a CLI `ingest` of one article, an `ask`
        reading its question's dates), which runs only the few rules its words trigger.
        """
        compiled = self._regex
        if compiled is None:  # two threads may both compile it: the same pattern either way
            compiled = re.compile(self.source, self.flags)
            object.__setattr__(self, "_regex", compiled)
        return compiled


_UNIT_WORDS = {
    "second",
    "seconds",
    "minute",
    "minutes",
    "hour",
    "hours",
    "day",
    "days",
    "night",
    "nights",
    "week",
    "weeks",
    "weekend",
    "weekends",
    "fortnight",
    "month",
    "months",
    "quarter",
    "quarters",
    "year",
    "years",
    "decade",
    "decades",
    "century",
    "centuries",
    "millennium",
}
_SEASON_WORDS = {"spring", "summer", "autumn", "winter"}
_WEEKDAY_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_MONTH_WORDS = {w.lower() for w in MONTH_FULL.split("|")}

# a year range's start and joining word: "and" only after "between" ("in 2008 and 2013" is two
# years, not five: a conditional group, `(?!)` failing when "between" is absent). Months keep
# "April and June 2008" as one range: split, "April" would lose the year it shares.
_BETWEEN = r"(?:\b(?P<btw>[Bb]etween)\s+|\b(?:[Ff]rom)\s+)?"
_RANGE_JOIN = r"(?:(?(btw)and|(?!))|to|through|until|-|–|—)"

RULES: tuple[Rule, ...] = (
    Rule(
        "iso",
        r"\b(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-3]\d)"
        r"(?:T(?P<hh>[01]\d|2[0-3]):(?P<mm>[0-5]\d)(?::\d\d)?)?\b",
        resolve_iso,
        Trigger("digit", 2, 30),
    ),
    Rule(
        "numeric",
        r"(?<![\d/.])(?P<a>[01]?\d|3[01]|2\d)/(?P<b>[0-3]?\d)/(?P<y>(?:19|20)\d\d|\d\d)(?![\d/])",
        resolve_numeric,
        Trigger("digit", 8, 12),
    ),
    Rule(
        "month_rel",
        # "June last year" is one expression (TimeBank); "October [of next year]" only the month (MEANTIME)
        rf"\b(?P<mon>{MONTH_D})(?:(?=\s+of\s+(?P<rel>this|last|next)\s+year\b)|\s+(?P<rel2>this|last|next)\s+year\b)",
        resolve_month_rel,
        Trigger("month", 2, 25),
    ),
    Rule(
        "month_day",
        rf"(?:(?P<wd>{WEEKDAY_ANY}),?\s+)?\b(?P<mon>{MONTH_D})\s+(?:the\s+)?"
        rf"(?P<day>{DAY})\b(?!\s*(?:%|percent|,\d|\.\d|:\d|-\d))(?:,?\s+(?P<year>{YEAR})\b)?",
        resolve_month_day,
        Trigger("month", 25, 30),
        extend_left=True,
    ),
    Rule(
        "week_of",
        rf"\b[Tt]he\s+week\s+of\s+(?P<mon>{MONTH_D})\s+(?P<day>{DAY})\b(?:,?\s+(?P<year>{YEAR})\b)?",
        resolve_week_of,
        Trigger("month", 20, 12),
    ),
    Rule(
        "day_month",
        rf"(?:(?P<wd>{WEEKDAY_ANY}),?\s+)?(?:the\s+)?\b(?P<day>{DAY})(?:\s+of)?\s+"
        rf"(?P<mon>{MONTH_D})\b(?:,?\s+(?P<year>{YEAR})\b)?",
        resolve_month_day,
        Trigger("month", 30, 20),
        extend_left=True,
    ),
    Rule(
        "month_year",
        rf"\b(?P<mon>{MONTH_D}),?\s+(?:of\s+)?(?P<year>{YEAR})\b",
        resolve_month_year,
        Trigger("month", 2, 15),
        extend_left=True,
    ),
    Rule(
        "month_range",
        rf"(?:\b(?:between|from)\s+)?\b(?P<m1>{MONTH})\s*(?:and|to|through|until|till|-|–|—)\s*"
        rf"(?P<m2>{MONTH})\b(?:,?\s+(?P<year>{YEAR})\b)?",
        resolve_month_range,
        Trigger("month", 30, 40),
        range_only=True,
    ),
    Rule(
        "year_range",
        rf"{_BETWEEN}\b(?P<y1>{YEAR})\s*{_RANGE_JOIN}\s*"
        r"(?P<y2>(?:19|20)\d\d|\d\d)\b(?!\s*(?:%|percent))",
        resolve_year_range,
        Trigger("year", 15, 15),
        range_only=True,
    ),
    Rule(
        "month",
        rf"(?:\b(?P<mod>[Ll]ast|[Nn]ext|[Tt]his|[Pp]ast|[Cc]oming)\s+)?\b(?P<mon>{MONTH})(?![\w'’-])(?!\s+{DAY}\b)",
        resolve_month,
        Trigger("month", 10, 3),
        extend_left=True,
    ),
    Rule(
        "year_short",
        r"\b(?P<lead>since|in|of|from|until|till|by|before|after|between|and)\s+(?P<unit>['’](?P<yy>\d\d))\b(?!s)",
        resolve_year_short,
        Trigger("digit", 12, 3),
        flags=re.I,
        exclude_lead=True,
    ),
    Rule(
        "fy_short",
        r"\bFY\s?'?(?P<yy>\d\d)\b",
        resolve_fy_short,
        Trigger("digit", 6, 3),
    ),
    Rule(
        "year",
        rf"(?P<pre>(?P<fy>\b(?:fiscal|FY)\s*(?:year\s+)?)|\b(?:the\s+)?(?:year|(?:model|calendar|"
        rf"school|financial)\s+year)\s+)?(?<![\w$£€.,/])(?:(?<!\d-)|(?<=\b{YEAR}[-–]))(?<![A-Z]-)(?P<year>{YEAR})"
        rf"(?![\w'’])(?![-–](?!{YEAR}\b|\d\d\b)\d)",
        resolve_year,
        Trigger("year", 30, 5),
        extend_left=True,
    ),
    Rule(
        "year_words",
        rf"\b(?:the\s+)?year\s+(?P<yw2>{YEAR_2000_WORDS})|(?:\b(?P<mon>{MONTH_D})\s+|"
        r"\b(?:the\s+)?(?P<season>spring|summer|autumn|fall|winter)\s+of\s+)?"
        rf"\b(?P<yw>{YEAR_WORDS})(?![\s-]*(?:percent|%|dollars?|years?)\b)",
        resolve_year_words,
        Trigger("word", 30, 40, {"nineteen", "twenty", "thousand"}),
        flags=re.I,
    ),
    Rule(
        "year_pair_end",
        rf"(?P<lead>{YEAR})[-–](?P<unit>(?P<yy>\d\d))(?![\w'’-])",
        resolve_year_pair_end,
        Trigger("year", 0, 4),
        exclude_lead=True,
    ),
    Rule(
        "decade",
        r"(?:\b(?:early|mid|late)[\s-]+)?(?:\b(?P<full>(?:1[6-9]|20)\d0)s\b|(?<![\w$£€])['’]?"
        r"(?P<short>\d)0s\b|\b(?P<word>twenties|thirties|forties|fifties|sixties|seventies|"
        r"eighties|nineties)\b)",
        resolve_decade,
        Trigger("decade", 15, 3, set(DECADE_WORDS)),
        extend_left=True,
        lead=r"(?<![\w$£€-])(?=[\w'’])",
    ),
    Rule(
        "century",
        # "the 20th century", "the twentieth century"; without "the" only a numeral: "an 11th-century temple"
        r"\bthe\s+(?P<ord>\w+(?:-\w+)?)[\s-]+century\b|\b(?P<ord2>\d{1,2}(?:st|nd|rd|th))[\s-]+century\b",
        resolve_century,
        Trigger("word", 30, 3, {"century"}),
        flags=re.I,
        extend_left=True,
    ),
    Rule(
        "day_before",
        r"\bthe\s+day\s+(?P<w>before\s+yesterday|after\s+tomorrow)\b",
        resolve_day_before,
        Trigger("word", 20, 3, {"yesterday", "tomorrow"}),
        flags=re.I,
    ),
    Rule(
        "dayword",
        rf"\b(?P<w>today|tonight|yesterday|tomorrow)(?:\s+(?P<pod>{POD}))?\b",
        resolve_dayword,
        Trigger("word", 3, 12, {"today", "tonight", "yesterday", "tomorrow"}),
        flags=re.I,
        extend_left=True,
    ),
    Rule(
        "this_pod",
        rf"\b(?P<det>this|last)\s+(?P<pod>{POD})\b",
        resolve_this_pod,
        Trigger("word", 8, 3, {"morning", "afternoon", "evening", "night"}),
        flags=re.I,
    ),
    Rule(
        "weekday",
        rf"(?:\b(?P<mod>[Ll]ast|[Nn]ext|[Tt]his|[Pp]ast|[Cc]oming)\s+)?\b(?P<wd>{WEEKDAY_ANY})(?P<plural>s)?(?![\w-])"
        rf"(?:\s+(?P<pod>{POD})(?P<pod_plural>s)?\b)?",
        resolve_weekday,
        Trigger("weekday", 15, 20),
        extend_left=True,
    ),
    Rule(
        "relative",
        r"\b(?P<det>last|next|this(?:\s+past)?|past|coming|current|previous|"
        r"the\s+(?:previous|preceding|prior|following|next|past|last|coming|current|same)|"
        r"that)\s+(?P<unit>week|weekend|month|year|quarter|decade|century|"
        r"spring|summer|autumn|fall|winter)\b",
        resolve_relative,
        Trigger(
            "word", 25, 3, {"week", "weekend", "month", "year", "quarter", "decade", "century", "fall"} | _SEASON_WORDS
        ),
        flags=re.I,
        extend_left=True,
    ),
    Rule(
        "year_ended",
        r"\b(?:the|its)\s+(?:fiscal\s+)?year(?=\s+(?:that\s+)?end(?:ed|ing|s)\b)",
        resolve_ref("P1Y", "DURATION"),
        Trigger("word", 20, 20, {"year"}),
        flags=re.I,
    ),
    Rule(
        "the_quarter",
        r"\b(?:the|this|that)\s+(?:(?P<latest>latest|most\s+recent|current|same)\s+)?(?:fiscal\s+)?"
        # "the quarter to Sept. 30" is a span; "revenue in the quarter to $2.35 billion" is not
        r"(?P<unit>quarter|period)\b(?!\s+(?:of|ended|ending|through|from|between)\b|\s+to\s+(?-i:[A-Z0-9]))",
        resolve_the_quarter,
        Trigger("word", 30, 12, {"quarter", "period"}),
        flags=re.I,
    ),
    Rule(
        "year_ago_period",
        r"\b(?:the|a)\s+(?:comparable\s+)?year-(?:ago|earlier)\s+(?:fiscal\s+)?(?:quarter|period)\b",
        resolve_year_ago_period,
        Trigger("word", 30, 30, {"quarter", "period"}),
        flags=re.I,
    ),
    Rule(
        "year_ago_adj",
        # "compared with year-earlier profit" ("the year-earlier quarter" is `year_ago_period`)
        r"\b(?:the\s+(?:comparable\s+)?(?=year-(?:ago|earlier)\s+(?:first|second|third|fourth)[\s-]+quarter\b))?"
        r"year-(?:ago|earlier)\b(?:\s+(?P<ord>first|second|third|fourth)[\s-]+quarter\b)?",
        resolve_year_ago_adj,
        Trigger("word", 20, 30, {"year"}),
        flags=re.I,
    ),
    Rule(
        "same_period",
        r"\bthe\s+same\s+(?P<unit>period|month|quarter|week|day|time|season)\s+"
        r"(?:a\s+year\s+(?:ago|earlier|before)|last\s+year|of\s+(?:last|the\s+previous)\s+year|"
        r"the\s+(?:previous|prior)\s+year)\b",
        resolve_same_period,
        Trigger("word", 15, 40, {"period", "month", "quarter", "week", "day", "time", "season"}),
        flags=re.I,
    ),
    Rule(
        "quarter",
        rf"(?:\b(?P<fiscal>fiscal)\s+)?(?:\b(?P<rel2>this|last|next)\s+year['’]s\s+|\bthe\s+(?:(?P<year3>{YEAR})\s+)?)?"
        r"\b(?P<ord>first|second|third|fourth|final|last|1st|2nd|3rd|4th)"
        rf"(?:\s+fiscal)?[\s-]+quarter\b(?:\s+(?:of\s+)?(?:(?P<rel>this|last|next|the\s+previous|the\s+current|the\s+same)\s+"
        rf"(?:fiscal\s+)?year|(?:fiscal\s+)?(?P<year>{YEAR})))?",
        resolve_quarter,
        Trigger("word", 40, 40, {"quarter"}),
        flags=re.I,
        extend_left=True,
    ),
    Rule(
        "quarter_q",
        rf"\b(?:(?P<year2>{YEAR})\s*)?Q(?P<qn>[1-4])\b(?:\s*(?P<year>{YEAR}|['’]?\d\d)\b)?"
        r"(?P<ord>)",
        resolve_quarter,
        Trigger("digit", 10, 8),
        extend_left=True,
    ),
    Rule(
        "half",
        rf"\bthe\s+(?P<h>first|second|1st|2nd|latter)\s+half(?:\s+of\s+(?:(?P<rel>this|last|next)\s+year|"
        rf"(?P<year>{YEAR})))\b",
        resolve_half,
        Trigger("word", 30, 30, {"half"}),
        flags=re.I,
        extend_left=True,
    ),
    Rule(
        "season",
        rf"\b(?P<season>spring|summer|autumn|winter)\b(?:\s+(?:of\s+)?(?P<year>{YEAR})\b)?",
        resolve_season,
        Trigger("word", 3, 12, _SEASON_WORDS),
        flags=re.I,
        extend_left=True,
    ),
    Rule(
        "season_fall",
        rf"(?:\b(?P<season>fall)\s+(?:of\s+)?(?P<year>{YEAR})\b|(?<=\bthe\s)(?P<s2>fall)\b(?!\s+of\b))",
        resolve_season,
        Trigger("word", 6, 12, {"fall"}),
        flags=re.I,
        extend_left=True,
    ),
    Rule(
        "ago",
        rf"(?:\b{QMOD}\s+)?\b(?:(?:(?P<n>{NUM})|(?P<vague>{VAGUE}))[\s-]+)?(?P<unit>{UNIT_ANY})(?:\s+or\s+so)?\s+"
        r"(?P<dir>ago|earlier|later|from\s+now|hence|back)\b",
        resolve_ago,
        Trigger("word", 80, 30, _UNIT_WORDS),
        flags=re.I,
        signal_after=True,
    ),
    Rule(
        "duration",
        rf"(?:\b(?P<pre>(?:the|a|an)\s+(?:past|last|next|coming|first|final|previous|following|"
        rf"remaining|additional|further|extra|full|whole|entire)(?:\s+few)?)\s+|\b{QMOD}\s+)?"
        rf"\b(?P<n>{NUM}|{VAGUE})[\s-]+(?:(?:more|trading|business|working|calendar|consecutive|"
        rf"straight|full)\s+)?(?P<unit>{UNIT_ANY})\b(?P<half>\s+and\s+a\s+half\b)?(?:-long|-old)?",
        resolve_duration,
        Trigger("word", 80, 30, _UNIT_WORDS),
        flags=re.I,
    ),
    Rule(
        "duration_adj",
        rf"(?<![\w$£€])(?P<n>\d+(?:\.\d+)?|{NUMWORD}|several|multi)-(?P<unit>{UNIT})(?:s|-long)?\b(?P<pre>)",
        resolve_duration,
        Trigger("word", 30, 10, _UNIT_WORDS),
        flags=re.I,
    ),
    Rule(
        "bare_plural",
        r"(?:\b(?P<lead>recent|the\s+past|the\s+last|the\s+coming|over\s+the|in|for|over|within|after|just|only|"
        r"take|takes|took|taken|than)\s+)(?P<unit>years|decades|months|weeks|days|hours|minutes|"
        r"centuries)\b(?!\s+(?:of|ago|before|after|later|earlier))",
        resolve_bare_plural,
        Trigger("word", 20, 5, _UNIT_WORDS),
        flags=re.I,
        exclude_lead=True,
    ),
    Rule(
        "set_adv",
        r"\b(?:daily|weekly|monthly|quarterly|annually|yearly|hourly|nightly|biweekly|"
        r"fortnightly)\b",
        resolve_set,
        Trigger(
            "word",
            2,
            2,
            {
                "daily",
                "weekly",
                "monthly",
                "quarterly",
                "annually",
                "yearly",
                "hourly",
                "nightly",
                "biweekly",
                "fortnightly",
            },
        ),
        flags=re.I,
    ),
    Rule(
        "every",
        rf"\b(?:every|each|per)\s+(?:(?P<n>{NUM})\s+)?(?P<unit>{UNIT_ANY}|monday|tuesday|"
        rf"wednesday|thursday|friday|saturday|sunday|{MONTH_FULL})\b(?:\s+(?P<pod>{POD})\b)?",
        resolve_every,
        Trigger("word", 30, 5, _UNIT_WORDS | _WEEKDAY_WORDS | _MONTH_WORDS),
        flags=re.I,
    ),
    Rule(
        "time",
        rf"(?<![\d.:$£€])\b(?P<hh>[01]?\d|2[0-3])(?::(?P<mm>[0-5]\d))?(?:\s*(?P<ampm>{AMPM}))"
        rf"(?:\s*\(?(?P<tz>{TZ})\)?)?(?:\s+(?:(?P<dayw>today|tonight|yesterday|tomorrow)|(?:on\s+)?(?P<wd>{WEEKDAY})))?",
        resolve_time,
        Trigger("digit", 4, 40),
    ),
    Rule(
        "time_colon",
        rf"(?<![\d.:$£€])\b(?P<hh>[01]?\d|2[0-3]):(?P<mm>[0-5]\d)(?![\d:])(?:\s*(?P<ampm>{AMPM}))?"
        rf"(?:\s*\(?(?P<tz>{TZ})\)?)?(?:\s+(?:(?P<dayw>today|tonight|yesterday|tomorrow)|(?:on\s+)?(?P<wd>{WEEKDAY})))?",
        resolve_time,
        Trigger("digit", 6, 40),
    ),
    Rule(
        "noon",
        rf"\b(?P<w>noon|midnight|midday)\b(?:\s+(?:on\s+)?(?:(?P<dayw>today|tonight|yesterday|tomorrow)|(?P<wd>{WEEKDAY}))\b)?",
        resolve_noon,
        Trigger("word", 2, 25, {"noon", "midnight", "midday"}),
        flags=re.I,
    ),
    Rule(
        "the_day",
        r"\b(?P<lead>end(?:s|ed|ing)?|finish(?:es|ed|ing)?|clos(?:e|es|ed|ing)|open(?:s|ed|ing)?|"
        r"for|in|during|of|throughout|on|over)\s+(?P<unit>the\s+(?:(?P<same>same)\s+)?(?:entire\s+|whole\s+|full\s+)?"
        r"(?P<what>day|weekend|year))\b(?!\s+(?:before|after|when|that|of|he|she|they|it|we|on|in|to|and|"
        r"which|who|ended|ahead|earlier|later|ago)|-)",
        resolve_the_day,
        Trigger("word", 40, 3, {"day", "weekend", "year"}),
        flags=re.I,
        extend_left=True,
        exclude_lead=True,
    ),
    Rule(
        "pod_trading",
        r"\b(?P<pod>morning|afternoon|midday|evening|overnight)\s+(?=trading|trade|session|deals)",
        resolve_pod_trading,
        Trigger("word", 2, 12, {"morning", "afternoon", "midday", "evening", "overnight"}),
        flags=re.I,
    ),
    Rule(
        "present_ref",
        r"\b(?:currently|current|nowadays|presently|at\s+present|the\s+time\s+being|these\s+days|"
        r"at\s+the\s+moment|(?:right\s+|just\s+)?now(?!-))\b",
        resolve_present_ref,
        Trigger(
            "word",
            20,
            12,
            {
                "currently",
                "current",
                "nowadays",
                "presently",
                "present",
                "time",
                "these",
                "moment",
                "now",
                "today",
            },
        ),
        flags=re.I,
    ),
    Rule(
        "past_ref",
        r"\b(?:(?:more|most|until|only|very)\s+)?(?:recently|lately)\b|(?<!\bmost\s)\brecent\b(?!\s+(?:years|"
        r"months|weeks|days|decades))|\bthe\s+past\b(?!\s+(?:\w+\s+)?(?:few|several|\d|one|two|three|four|five|"
        r"six|seven|eight|nine|ten|years?|months?|weeks?|days?|decades?|quarters?|centur))",
        resolve_ref("PAST_REF"),
        Trigger("word", 20, 8, {"recently", "lately", "recent", "past"}),
        flags=re.I,
    ),
    Rule(
        "future_ref",
        r"\b(?:(?:very|as)\s+)?soon\b(?!-|\s+(?:after|as|to|afterwards))|\bthe\s+(?:near|distant|foreseeable|"
        r"immediate)?\s*future\b|\bthe\s+(?:near|long|short|medium)\s+term\b|\bthe\s+(?:coming|next)\s+(?:few\s+)?(?:days|weeks|months|years)\b|"
        r"\bthe\s+years\s+ahead\b|\bin\s+the\s+(?:days|weeks|months|years)\s+(?:ahead|to\s+come)\b",
        resolve_future_ref,
        Trigger(
            "word",
            30,
            25,
            {
                "soon",
                "future",
                "term",
                "short",
                "long",
                "medium",
                "near",
                "coming",
                "next",
                "years",
                "ahead",
                "days",
                "weeks",
                "months",
            },
        ),
        flags=re.I,
    ),
    Rule(
        "holiday",
        rf"\b(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?P<name>Christmas(?:\s+(?:Day|Eve))?|New\s+Year['’]s\s+(?:Day|Eve)|Halloween|"
        rf"Independence\s+Day|Valentine['’]s\s+Day|Thanksgiving(?:\s+Day)?|Labor\s+Day|Memorial\s+Day|"
        rf"Martin\s+Luther\s+King\s+Day|Black\s+Friday|Election\s+Day|Palm\s+Sunday|Holy\s+Week|"
        rf"Good\s+Friday(?!\s+(?:[Aa]greement|[Aa]ccord|peace))|"
        rf"Easter(?:\s+(?:Sunday|Monday|[Ww]eek))?(?!\s+(?:Island|Rising|[Ee]ggs?|[Bb]unny)))\b(?:,?\s+(?P<year>{YEAR})\b)?",
        resolve_holiday,
        Trigger(
            "word",
            8,
            40,
            {
                "christmas",
                "new",
                "halloween",
                "independence",
                "valentine",
                "thanksgiving",
                "labor",
                "memorial",
                "martin",
                "black",
                "election",
                "palm",
                "holy",
                "good",
                "easter",
            },
        ),
    ),
)


_NAMES = frozenset(rule.name for rule in RULES)


def switched_off(names: Collection[str]) -> frozenset[str]:
    """`names` checked against the rule names and `SWITCHES` (a misspelt name would otherwise
    make an audit report "no change").
    """
    off = frozenset(names)
    unknown = off - _NAMES - SWITCHES.keys()
    if unknown:
        raise ValueError(f"unknown rules or switches: {', '.join(sorted(unknown))}")
    return off
