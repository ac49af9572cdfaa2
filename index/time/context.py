"""What a resolver sees besides its match: the text, the publication date (`anchor`), the last
date the text mentioned (`ref`, for anaphoric expressions) and the tense around a position.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable
from itertools import accumulate

__all__ = ["SWITCHES", "Context", "Groups", "Resolved", "Resolver"]

# Resolver choices that can be switched off (`tag(..., off={...})`, `bench.timex --off`) to
# measure what each pays on sets it was not written for (docs/dates.md, "Round 5, audit").
SWITCHES: dict[str, str] = {
    "tense": "the tense of the sentence decides the direction of a date without a year or a weekday",
    "tense_refinements": "round 2's tense cues: planned/planning a/to future, since past, 'next to' and "
    "'-ed' after a determiner or un- no marker",
    "preposition_cue": "until/through/by/payable/effective/expire put the date after them in the future",
    "near_year": "a date near the publication date takes the nearest year whatever the tense",
    "anaphora": "anaphoric expressions count from the last date mentioned, not the publication date",
    "day_anaphora": "'the day', 'the weekend', 'morning trading' are on the last day mentioned, not the publication date",
    "time_day": "a clock time without a date is on the day mentioned earlier in its sentence",
    "time_beside_date": "a clock time just before a full date is on that date",
    "mod_direction": "last/next/this/past/coming before a month or weekday decide its direction, not the tense",
    "modifiers": "modifiers before a date join its extent (the end of, early, mid-)",
    "quoted_title": "a capitalised expression inside a quoted title is no date",
    "earnings_quarter": "earnings anaphora (the quarter, a year ago, year-ago) count from the quarter last named",
    "now": "'now' is PRESENT_REF",
    "ages": "ages ('a 6-year-old', '52 years old') are no durations",
    "soon_past": "'soon' in a past-tense sentence is no FUTURE_REF",
    "past_weekend": "'over the weekend' after a weekday, in a past-tense sentence, is no weekend after the publication date",
    "quarter_ended": "a quarter that ended within a month of the publication date is that one, even in a "
    "future-tense sentence (results are reported after a quarter ends)",
    "period_so_far": "a cue after a period that has begun ('this year through August') does not point forward",
    "name_today": "capitalised 'Today' after an acronym or before show/program is a name ('USA Today'), no date",
    "offset_duration": "'three days later', 'an hour earlier' are a DURATION without 'later' (TimeML), not a date "
    "counted from the last date mentioned; a year or more stays a date",
    "past_plan": "a plan in the past perfect ('had been due to expire Friday') is past, whatever cue or future word follows",
    "today_era": "'today's world', 'today's youth' are the present age, no date",
    "forecast_cue": "a bare weekday in what a forecast, warning or prediction says ('the forecast said rain on "
    "Thursday') is a coming day, though the reporting verb is in the past",
    "over_signal": "'over' before 'the weekend', 'the day' is a signal, left out of the expression ('the weekend')",
}

Resolved = tuple[str, str]  # (TIMEX3 type, TIMEX3 value)


class Groups:
    """A rule's match whose missing or unmatched groups read as "" (rules share resolvers)."""

    __slots__ = ("match",)

    def __init__(self, match: re.Match[str]) -> None:
        self.match = match

    def group(self, name: str | int) -> str:
        """The text of group `name`, "" when the rule has no such group or it did not match."""
        try:
            return self.match.group(name) or ""
        except IndexError:
            return ""

    def start(self, name: str) -> int:
        """Where group `name` starts in the text."""
        return self.match.start(name)


# Tense markers, read word by word (a word scan plus set look-ups is ~10x faster than
# regexes with look-behinds). Future: modal and scheduling words; past: irregular past forms
# and "-ed" words, unless they follow "be"/"will"/"to"/a modal ("will be held", "to cut").
_FUTURE_WORDS = {"will", "won't", "shall", "would", "upcoming", "next", "coming", "gonna", "wo", "'ll", "ll"}
_FUTURE_MODALS = {"may", "might"}  # only in lower case ("May" is a month)
_FUTURE_BIGRAMS = {
    ("going", "to"),
    ("set", "to"),
    ("set", "for"),
    ("due", "for"),
    ("due", "in"),
    ("due", "on"),
    ("is", "due"),
    ("are", "due"),
    ("not", "due"),
    ("slated", "to"),
    ("slated", "for"),
    ("scheduled", "to"),
    ("scheduled", "for"),
    ("scheduled", "in"),
    ("scheduled", "on"),
    ("planned", "for"),
    ("planned", "a"),
    ("planned", "to"),
    ("planning", "to"),
    ("planning", "a"),
    ("expected", "to"),
    ("expected", "in"),
    ("poised", "to"),
    ("likely", "to"),
    ("is", "to"),
    ("are", "to"),
    ("plans", "to"),
    ("plan", "to"),
    ("intends", "to"),
    ("intend", "to"),
    ("aims", "to"),
    ("aim", "to"),
    ("hopes", "to"),
    ("hope", "to"),
    ("from", "now"),
    ("to", "be"),
    ("wants", "to"),
    ("want", "to"),
}
_PAST_IRREGULAR = set(
    (
        "was were had did said told began begun fell rose made took gave came went saw won lost "
        "left met paid sold bought brought thought found got held kept led ran sent spent stood "
        "struck wrote became chose knew grew drew flew broke spoke fought caught built felt heard "
        "meant sank slid sought swore threw understood withdrew ago last earlier previously agreed "
        "announced reported claimed hit quit cut bid since"
    ).split()
)
_NOT_PAST_ED = set(
    (
        "need speed feed seed bed red shed bleed breed proceed exceed succeed indeed hundred embed "
        "deed weed creed greed used based related expected scheduled planned united limited "
        "advanced interested concerned detailed supposed proposed slated poised listed owned "
        "headquartered called named unexpected unprecedented red"
    ).split()
)
_NO_PAST_AFTER = {
    "is",  # round 19: "when he is sentenced October 19", a passive present, not the past
    "are",
    "am",
    "be",
    "been",
    "being",
    "will",
    "to",
    "would",
    "can",
    "could",
    "should",
    "must",
    "may",
    "might",
    "shall",
}
_LATER_BIGRAMS = {("planned", "a"), ("planned", "to"), ("planning", "to"), ("planning", "a")}  # round 2
_DETERMINERS = {"a", "an", "the", "its", "his", "her", "their", "our", "this", "these", "those"}
_WORD_TOKEN = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?|['’]ll\b")
_WORD_SPLIT = re.compile(f"({_WORD_TOKEN.pattern})")  # words and what lies between, in C


# The words the chain in `_tense_markers` can mark (besides "-ed" and "'ll" words): any other word
# only becomes the next word's `prev`, so it skips the chain.
_MARKABLE = _FUTURE_WORDS | _FUTURE_MODALS | {second for _, second in _FUTURE_BIGRAMS} | _PAST_IRREGULAR | {"to"}


def _tense_markers(text: str, s0: int, s1: int, refined: bool = True) -> list[tuple[int, int, str]]:
    """(start, end, 'future'|'past') of the tense markers of text[s0:s1] (`refined=False`: without
    round 2's cues, an audit switch).

    The sentence is cut into words in C (`re.split` keeps the words and what lies between), the
    words lowercased in one call (they are ASCII letters and apostrophes, so lowercasing them
    joined is lowercasing each); the Python loop only looks a word up, and a word that is not
    `_MARKABLE` and ends in neither "ed" nor "'ll" only becomes the next word's `prev`. Where a word
    starts is summed from the pieces' lengths once a word is marked.
    """
    out: list[tuple[int, int, str]] = []
    pieces = _WORD_SPLIT.split(text[s0:s1])
    raws = pieces[1::2]
    if not raws:
        return out
    words = " ".join(raws).lower().replace("’", "'").split(" ")
    starts: list[int] | None = None
    prev = ""
    for k, w in enumerate(words):
        if w in _MARKABLE or w.endswith(_MARKED_ENDINGS):
            if starts is None:
                starts = list(accumulate(map(len, pieces), initial=s0))
            raw = raws[k]
            a = starts[2 * k + 1]
            b = a + len(raw)
            if refined and w == "to" and prev == "next" and out and out[-1][2] == "future":
                out.pop()  # "next to the embassy": a place, not the future
            elif w in _FUTURE_WORDS or (raw in _FUTURE_MODALS) or w.endswith("'ll"):
                out.append((a, b, "future"))
            elif (prev, w) in _FUTURE_BIGRAMS and (refined or (prev, w) not in _LATER_BIGRAMS):
                out.append((a, b, "future"))
            elif prev not in _NO_PAST_AFTER and (
                (w in _PAST_IRREGULAR and (refined or w != "since"))
                or (
                    len(w) > 4
                    and w.endswith("ed")
                    and w not in _NOT_PAST_ED
                    and (
                        not refined
                        or (
                            prev not in _DETERMINERS  # "the proposed merger", "a planned rally": adjectives
                            and not w.startswith("un")  # "an unspecified date", "unnamed officials"
                        )
                    )
                )
            ):
                out.append((a, b, "past"))
        prev = w
    return out


_MARKED_ENDINGS = ("ed", "'ll")


# The word before a date, or before a weekday joined to it ("until Thursday or Friday": the cue
# carries to Friday; round 20). The window is bounded (`_CUE_WINDOW`), so a search costs O(1).
_PREPOSITION_BEFORE = re.compile(
    r"\b([A-Za-z]+)\s+(?:on\s+)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+(?:and|or)\s+)?$"
)
_CUE_WINDOW = 40
# "this year through August", "so far until June": the end of a period that has begun, so the cue
# does not point forward; the tense decides (round 20: "sales this year through August" in
# October 1989 was August 1990)
_SO_FAR_BEFORE = re.compile(r"\b(?:this\s+(?:year|season|month)|so\s+far|year[- ]to[- ]date),?\s+$", re.I)
# words that put the date just after them in the future: "through June", "until Saturday",
# "payable Jan. 2", "effective Feb. 1", "expires on Dec. 31", "by May" (not before a weekday, see `tense`);
# a warning or a ban "covering Thursday and Friday" (round 20: a forecast issued today, dated last week)
_FUTURE_PREPOSITIONS = {
    "by",
    "until",
    "till",
    "through",
    "thru",
    "payable",
    "effective",
    "expire",
    "expires",
    "expiring",
    "covering",
    "covers",
}
_WEEKDAY_START = re.compile(r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)")
# A plan told in the past perfect was overtaken: "It had been due to expire Friday evening" (the offer
# was extended), "previously had been scheduled to expire at midnight Friday" (round 20). Searched
# in a bounded window before the expression, so a search costs O(1).
_PAST_PLAN = re.compile(r"\bhad\s+been\s+(?:due|scheduled|set|slated|expected|planned|supposed)\b", re.I)
_PLAN_WINDOW = 60
# A forecast, warning, prediction or outlook as the subject of a reporting verb, or forecasters
# expecting or predicting, "according to the forecast", "rain is forecast (on)": what it says is to
# come, whatever the verb's tense ("The forecast said rain on Thursday and Friday" in an article of
# Monday: the coming days, round 21). Searched in a bounded window before a weekday
# (`_FORECAST_WINDOW`), so a search costs O(1).
_FORECAST_CUE = re.compile(
    r"\b(?:(?:weather\s+)?(?:forecasts?|predictions?|outlook|warnings?|advisory|advisories)\s+"
    r"(?:said|says|say|predicted|predicts?|showed|shows?|called\s+for|calls?\s+for|warned|warns?|expected|expects?)"
    r"|(?:forecasters|meteorologists)\s+(?:expect|expected|predict|predicted|forecast|said|say|warned|warn)"
    r"|according\s+to\s+(?:the\s+)?(?:forecasts?|forecasters|meteorologists)"
    r"|(?P<passive>(?:is|are)\s+(?:forecast|predicted|expected)))\b",
    re.I,
)
_FORECAST_WINDOW = 80
# What may lie between the cue and the weekday: at least one word that is neither "on" nor "that"
# after a reporting verb ("Forecasters said on Thursday that ..." dates the saying, a past day; not
# after a passive: "Snow is forecast on Friday").
_SAID_ON = re.compile(r"\s*(?:(?:on|that|late|early)\s+)*$", re.I)
_YEAR_MONTH = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2]))?")
# A sentence ends after . ! ? (closing quotes or brackets, spaces, then a capital or a digit) or at
# line breaks. Written to start with one character class, so that `re` skips to those characters
# in C (as `[.!?]...|\n+` it tried the pattern at every character: 3x slower over an article).
_SENT_END = re.compile(r"[.!?\n](?:(?<=\n)\n*|(?<=[.!?])[\"'”’)]*\s+(?=[\"“'‘(]?[A-Z0-9]))")


class Context:
    """Per-text state: the anchor, sentence boundaries (for tense) and the reference date."""

    def __init__(self, text: str, anchor: dt.date | None, off: frozenset[str] = frozenset()) -> None:
        self.text = text
        self.anchor = anchor
        self.off = off  # names of SWITCHES turned off (an audit; empty in use)
        self.bounds = [0, *[m.end() for m in _SENT_END.finditer(text)], len(text) + 1]
        self.ref: dt.date | None = anchor  # last fully resolved day (for "the day", ...)
        self.ref_value: str | None = None  # last resolved DATE value (for "the same period")
        self.ref_at = -1  # where `ref` was mentioned (-1: the anchor)
        self.ref_value_at = -1
        self.quarter: str | None = None  # the last quarter named ("the third quarter"), for earnings anaphora
        self.ranges = True  # tag "between April and June" as one range value
        self.memo: dict[tuple[str, int, str], int] = {}  # resolver results that depend only on their key
        self._markers: dict[int, list[tuple[int, int, str]]] = {}
        self._ends: dict[int, list[int]] = {}
        self._starts: dict[int, list[int]] = {}

    def anaphor_base(self, unit: str) -> dt.date | None:
        """The date an anaphoric expression counting in `unit`s ("a year later", "the following
        month") counts from: the last date mentioned. A later mention coarser than a day ("In
        1985 ...") serves the units it names (year; month when it has one); else the last day.
        """
        if "anaphora" in self.off:
            return self.anchor
        v = self.ref_value
        if v is not None and self.ref_value_at > self.ref_at:
            m = _YEAR_MONTH.match(v)
            if m and unit in ("year", "decade", "century"):
                return dt.date(int(m.group(1)), int(m.group(2) or 1), 1)
            if m and m.group(2) and unit in ("month", "quarter"):
                return dt.date(int(m.group(1)), int(m.group(2)), 1)
        return self.ref

    def day_for_time(self, pos: int) -> dt.date | None:
        """The day of a clock time with no date of its own ("at 16:15", "at midday"): the day
        mentioned earlier in its sentence, else the publication date (else the last day mentioned).
        """
        if "time_day" in self.off:
            return self.anchor or self.ref
        if self.ref is not None and self.ref_at >= 0 and self.ref_at >= self.sentence(pos)[0]:
            return self.ref
        return self.anchor or self.ref

    def sentence(self, pos: int) -> tuple[int, int]:
        """(start, end) of the sentence holding `pos` (the bounds rise strictly: one bisection in C)."""
        bounds = self.bounds
        lo = min(max(bisect.bisect_right(bounds, pos) - 1, 0), len(bounds) - 2)
        return bounds[lo], min(bounds[lo + 1], len(self.text))

    def forecast_ahead(self, start: int) -> bool:
        """Whether the weekday at `start` is in what a forecast says is to come: a forecast cue
        ends in the bounded window before it, in its sentence, some word lies between (not only
        "on"), and no past marker does ("forecasters said the storm hit on Thursday": past).
        """
        if "forecast_cue" in self.off:
            return False
        s0, s1 = self.sentence(start)
        cues = list(_FORECAST_CUE.finditer(self.text, max(s0, start - _FORECAST_WINDOW), start))
        cue = cues[-1] if cues else None  # the nearest (the window is bounded: a few at most)
        if cue is None or (not cue.group("passive") and _SAID_ON.fullmatch(self.text, cue.end(), start)):
            return False
        markers = self._sentence_markers(s0, s1)
        i = bisect.bisect_right(self._ends[s0], start) - 1  # last marker ending before the weekday
        return i < 0 or markers[i][0] < cue.end()

    def _sentence_markers(self, s0: int, s1: int) -> list[tuple[int, int, str]]:
        """The tense markers of the sentence text[s0:s1], found once per sentence."""
        markers = self._markers.get(s0)
        if markers is None:
            markers = self._markers[s0] = _tense_markers(self.text, s0, s1, "tense_refinements" not in self.off)
            self._ends[s0] = [me for _, me, _ in markers]
            self._starts[s0] = [ms for ms, _, _ in markers]
        return markers

    def tense(self, start: int, end: int) -> str:
        """'future', 'past' or 'none', from the marker nearest before the expression in its
        sentence (or the nearest after it, which weighs less); two bisections, so a sentence
        with thousands of markers costs log time per expression.
        """
        s0, s1 = self.sentence(start)
        if "past_plan" not in self.off and _PAST_PLAN.search(self.text, max(s0, start - _PLAN_WINDOW), start):
            return "past"
        prep = _PREPOSITION_BEFORE.search(self.text, max(s0, start - _CUE_WINDOW), start)
        if (
            "preposition_cue" not in self.off
            and prep
            and prep.group(1).lower() in _FUTURE_PREPOSITIONS
            and not (prep.group(1).lower() == "by" and _WEEKDAY_START.match(self.text, start))
            and not (
                "period_so_far" not in self.off
                and _SO_FAR_BEFORE.search(self.text, max(s0, prep.start(1) - _CUE_WINDOW), prep.start(1))
            )
        ):
            # "by Wednesday, 30 had died" is as often past as future; "by May", "by Dec. 10": a deadline to come
            return "future"  # "to run through June", "postponed until Saturday": the coming one
        if "tense" in self.off:
            return "none"
        markers = self._sentence_markers(s0, s1)
        best: tuple[int, str] | None = None  # (distance, tense)
        i = bisect.bisect_right(self._ends[s0], start) - 1  # last marker ending before the expression
        if i >= 0:
            best = (start - markers[i][1], markers[i][2])
        j = bisect.bisect_left(self._starts[s0], end)  # first marker starting after it
        if j < len(markers):
            d = (markers[j][0] - end) * 3 + 40  # markers after the expression weigh less
            if best is None or d < best[0]:
                best = (d, markers[j][2])
        return best[1] if best else "none"


Resolver = Callable[[Groups, Context, int, int], Resolved | None]
"""A resolver gets the match, the context and the expression's span (after left extension) and
returns (type, value), or None to drop the candidate."""
