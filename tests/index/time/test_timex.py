"""Temporal tagger: a table of expressions with anchor and expected TIMEX3 value."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from index.time import Timex, infer_publication_date, tag

D = dt.date
JUL10 = D(2026, 7, 10)  # a Friday

CASES = [
    # (sentence, anchor, timex text, type, value)
    ("He said it in December.", D(2026, 1, 5), "December", "DATE", "2025-12"),  # year rollover
    ("The plan will start in December.", D(2026, 1, 5), "December", "DATE", "2026-12"),
    ("The test was introduced in March.", JUL10, "March", "DATE", "2026-03"),
    ("The plant closed in September.", JUL10, "September", "DATE", "2025-09"),
    ("The restriction will take effect July 10.", D(2026, 7, 5), "July 10", "DATE", "2026-07-10"),
    ("The maiden flight was on 11 December.", D(2010, 1, 25), "11 December", "DATE", "2009-12-11"),
    ("Jobs was born on February 24, 1955.", JUL10, "February 24, 1955", "DATE", "1955-02-24"),
    ("The vote was held on Tuesday.", JUL10, "Tuesday", "DATE", "2026-07-07"),
    ("The vote will be held on Tuesday.", JUL10, "Tuesday", "DATE", "2026-07-14"),
    ("Apple announced Friday that it would sell more.", JUL10, "Friday", "DATE", "2026-07-10"),
    ("Sales fell last month.", JUL10, "last month", "DATE", "2026-06"),
    ("Sales fell last month.", D(2026, 1, 15), "last month", "DATE", "2025-12"),
    ("Shares rose this week.", JUL10, "this week", "DATE", "2026-W28"),
    ("Shares rose this week.", D(2026, 7, 2), "this week", "DATE", "2026-W27"),
    ("It happened two weeks ago.", JUL10, "two weeks ago", "DATE", "2026-06-26"),
    ("Prices rose between April and June.", JUL10, "between April and June", "DATE", "2026-04/2026-06"),
    ("Profits rose earlier this year.", JUL10, "earlier this year", "DATE", "2026"),
    ("The store opens next year.", JUL10, "next year", "DATE", "2027"),
    ("The loss last year was large.", JUL10, "last year", "DATE", "2025"),
    ("Sales rose in the second quarter.", JUL10, "the second quarter", "DATE", "2026-Q2"),
    ("Sales rose in the fourth quarter.", D(2007, 3, 13), "the fourth quarter", "DATE", "2006-Q4"),
    ("Profit rose in Q2.", JUL10, "Q2", "DATE", "2026-Q2"),
    ("Profit rose in Q3 '98.", JUL10, "Q3 '98", "DATE", "1998-Q3"),  # once a crash: int("'98")
    ("Profit rose in Q1 05.", JUL10, "Q1 05", "DATE", "2005-Q1"),
    ("Revenue in fiscal 2025 rose.", JUL10, "fiscal 2025", "DATE", "2025"),  # TempEval-3: no FY
    ("It was built in the 1990s.", JUL10, "1990s", "DATE", "199"),
    ("the boxy cars of the 70s", JUL10, "70s", "DATE", "197"),
    ("He fought cancer in 2004.", JUL10, "2004", "DATE", "2004"),
    ("Apple announced the change this morning.", JUL10, "this morning", "TIME", "2026-07-10TMO"),
    ("They met Monday afternoon.", JUL10, "Monday afternoon", "TIME", "2026-07-06TAF"),
    ("Steve Jobs died yesterday.", JUL10, "yesterday", "DATE", "2026-07-09"),
    ("Ryanair announced today that it would buy jets.", JUL10, "today", "DATE", "2026-07-10"),
    ("The deal closes tomorrow.", JUL10, "tomorrow", "DATE", "2026-07-11"),
    ("Obama spoke at 16:00 UTC today.", JUL10, "16:00 UTC today", "TIME", "2026-07-10T16:00Z"),
    ("The meeting ended at 2 p.m.", JUL10, "2 p.m.", "TIME", "2026-07-10T14:00"),
    ("Delivery will come in May 2008.", JUL10, "May 2008", "DATE", "2008-05"),
    ("The firm will cut dealers by early June.", D(2009, 5, 14), "early June", "DATE", "2009-06"),
    ("Lehman collapsed in summer 2008.", JUL10, "summer 2008", "DATE", "2008-SU"),
    ("Jobs resigned by the end of this year.", JUL10, "the end of this year", "DATE", "2026"),
    ("The iPhone was recently announced.", JUL10, "recently", "DATE", "PAST_REF"),
    ("The store currently sells music.", JUL10, "currently", "DATE", "PRESENT_REF"),
    ("It may happen in the future.", JUL10, "the future", "DATE", "FUTURE_REF"),
    (
        "Sales rose 43% compared to the same period last year.",
        D(2010, 3, 3),
        "the same period last year",
        "DATE",
        "2009-03-03",
    ),
    # durations are kept, typed DURATION
    ("She has been there for three months.", JUL10, "three months", "DURATION", "P3M"),
    ("It lasted two weeks.", JUL10, "two weeks", "DURATION", "P2W"),
    ("The flight took 5 hours.", JUL10, "5 hours", "DURATION", "PT5H"),
    ("The steering failed after thirty minutes.", JUL10, "thirty minutes", "DURATION", "PT30M"),
    ("the aircraft's fifty-year service life", JUL10, "fifty-year", "DURATION", "P50Y"),
    ("lowest levels in over a decade", JUL10, "over a decade", "DURATION", "P10Y"),
    ("It has been pushed back several years.", JUL10, "several years", "DURATION", "PXY"),
    ("in the past decade", JUL10, "the past decade", "DURATION", "P10Y"),
    # sets
    ("claims for weekly benefits", JUL10, "weekly", "SET", "P1W"),
    ("15 tankers a year", JUL10, "a year", "SET", "P1Y"),
    ("The board meets every month.", JUL10, "every month", "SET", "P1M"),
]


@pytest.mark.parametrize("sentence,anchor,text,typ,value", CASES)
def test_table(sentence, anchor, text, typ, value):
    got = tag(sentence, anchor)
    hits = [t for t in got if t.text == text]
    assert hits, f"{text!r} not found in {got}"
    assert (hits[0].type, hits[0].value) == (typ, value), got


@pytest.mark.parametrize(
    "sentence",
    [
        "The shares rose to $27 on the news.",
        "Profit rose 50% and 2026 people applied.",
        "We expect the shares may rise.",
        "It may be that Alibaba has 25,000 accounts.",
        "The index gained 2,000 points to 8,579.19.",
        "A second A380 is also travelling to the U.S.",
        "The Russell 2000 index fell.",
        "They paid US$ 2008 for it.",
        "The march began; it was a long march.",
    ],
)
def test_negatives(sentence):
    assert tag(sentence, JUL10) == []


def test_offsets_are_exact():
    text = "On July 10, 2026 — after three months — Alibaba said (again) on Tuesday."
    for t in tag(text, JUL10):
        assert isinstance(t, Timex)
        assert text[t.start : t.end] == t.text


def test_without_anchor_values_stay_underspecified():
    got = {t.text: t.value for t in tag("It opens July 10 and closed last month on Tuesday.", None)}
    assert got["July 10"] == "XXXX-07-10"
    assert got["last month"] == "XXXX-XX"
    assert got["Tuesday"] == "XXXX-WXX-2"
    got = {t.text: t.value for t in tag("It was built in March 2020, not today.", None)}
    assert got == {"March 2020": "2020-03", "today": "PRESENT_REF"}


def test_ranges_flag_splits_endpoints():
    got = [(t.text, t.value) for t in tag("Growth slowed between April and June.", D(2008, 11, 18), ranges=False)]
    assert got == [("April", "2008-04"), ("June", "2008-06")]


def test_may_as_month_needs_a_date_context():
    assert [t.value for t in tag("The plant closed in May.", JUL10)] == ["2026-05"]
    assert [t.value for t in tag("May 5 is a holiday.", JUL10)] == ["2026-05-05"]
    assert tag("May I ask? Prices may fall.", JUL10) == []


def test_infer_publication_date_of_the_seed():
    seed = Path(__file__).resolve().parents[3] / "seeds" / "000_e228878e0c08bf80.txt"
    assert infer_publication_date(seed.read_text(encoding="utf-8")) == D(2026, 7, 2)


def test_infer_publication_date_ignores_future_dates():
    text = "The company said on March 3, 2026 that sales fell. The new plant will open on September 1, 2027."
    assert infer_publication_date(text) == D(2026, 3, 3)
    assert infer_publication_date("No dates here, only last week.") is None


# ------------------------------------------------- error classes of issue 19 (one test each)


def _values(text: str, anchor: dt.date | None, *, ranges: bool = True) -> list[tuple[str, str, str]]:
    return [(t.text, t.type, t.value) for t in tag(text, anchor, ranges=ranges)]


def test_hyphenated_year_ranges():
    # TIMEX3 (ranges=False): two DATEs; the timeline (ranges=True): one range value
    assert _values("From 2009-2010 the firm grew.", JUL10, ranges=False) == [
        ("2009", "DATE", "2009"),
        ("2010", "DATE", "2010"),
    ]
    assert _values("He served in 1957-58.", JUL10, ranges=False) == [("1957", "DATE", "1957"), ("58", "DATE", "1958")]
    assert _values("He served in 1957-58.", JUL10) == [("1957-58", "DATE", "1957/1958")]
    assert _values("Call 2009-1234 now.", JUL10, ranges=False) == [("now", "DATE", "PRESENT_REF")]


def test_now_is_present_ref():
    assert _values("The company is now in the candy business.", JUL10) == [("now", "DATE", "PRESENT_REF")]
    assert _values("the now-cancelled deal", JUL10) == []


def test_century_in_any_case():
    assert _values("the 20th Century", JUL10) == [("the 20th Century", "DATE", "19")]
    assert _values("the twentieth century", JUL10) == [("the twentieth century", "DATE", "19")]


@pytest.mark.parametrize(
    "sentence,anchor,text,value",
    [
        # prepositions pointing forward: the coming date
        ("The exhibition, which opened last week, is to run through June.", D(2013, 3, 18), "June", "2013-06"),
        (
            "The launch was postponed until 15:00 GMT Saturday.",
            D(2009, 6, 4),
            "15:00 GMT Saturday",
            "2009-06-06T15:00Z",
        ),
        ("The talks were suspended until Saturday.", D(2009, 6, 4), "Saturday", "2009-06-06"),
        # tense: past points back, future forward (far from the anchor)
        ("The plant closed in September.", JUL10, "September", "2025-09"),
        ("The plant will close in March.", JUL10, "March", "2027-03"),
        # near the anchor the nearest date wins whatever the tense ("declared ... payable Dec. 15")
        ("The company declared a dividend payable Dec. 15.", D(1989, 10, 26), "Dec. 15", "1989-12-15"),
        ("The reduced dividend is payable Jan. 2.", D(1989, 11, 5), "Jan. 2", "1990-01-02"),
        # payable / effective / expires (on): the coming date, even far from the anchor and in a past sentence
        ("The board named him chairman, effective Feb. 1.", D(1989, 10, 26), "Feb. 1", "1990-02-01"),
        ("The warrants, issued last year, expire on March 3.", D(1989, 10, 26), "March 3", "1990-03-03"),
        ("Warrants issued last year expired March 3.", D(1989, 10, 26), "March 3", "1989-03-03"),
        # "-ed" adjectives after a determiner or with un- are no past verbs
        ("The split would be paid on a still unspecified date in January.", D(1989, 10, 26), "January", "1990-01"),
        # "by" + month or day: a deadline to come; "by" + weekday keeps the tense
        ("The talks are supposed to conclude by May, officials said.", D(1998, 3, 22), "May", "1998-05"),
        ("By Wednesday, 32 members had filed reports.", D(1990, 8, 16), "Wednesday", "1990-08-15"),
        # "since" points back even with no past verb; "next to" is a place, not the future
        ("They have been searching since the Oct. 23 shooting.", D(1999, 5, 6), "Oct. 23", "1998-10-23"),
        ("The bombing next to the embassy on Friday killed 12.", D(1998, 8, 8), "Friday", "1998-08-07"),
        # planned / planning to: the plan is for later
        ("Protesters planned a march on Saturday.", D(2000, 1, 7), "Saturday", "2000-01-08"),
        ("Protesters were planning to drive around the airport on Monday.", D(2000, 1, 7), "Monday", "2000-01-10"),
    ],
)
def test_direction_by_tense_and_preposition(sentence, anchor, text, value):
    hits = [t.value for t in tag(sentence, anchor) if t.text == text]
    assert hits == [value], tag(sentence, anchor)


def test_narrative_anchoring_counts_from_the_last_date_mentioned():
    obituary = "Jobs was born in 1955. In 1985 he lost a power struggle. One year later he was fired."
    assert _values(obituary, D(2011, 10, 6))[-1] == ("One year later", "DATE", "1986")
    text = "In 2002 the company launched OS X. The following year the Mac OS X Panther was released."
    assert _values(text, D(2011, 10, 6))[-1] == ("The following year", "DATE", "2003")
    # deictic expressions still count from the publication date
    assert _values("In 1985 he left. Two years ago he returned.", D(2011, 10, 6))[-1] == (
        "Two years ago",
        "DATE",
        "2009",
    )


def test_a_time_beside_an_explicit_date_takes_that_date():
    got = _values("The shuttle launched at 16:15 UTC, June 1st, from Florida.", D(2009, 6, 4))
    assert got == [("16:15 UTC", "TIME", "2009-06-01T16:15Z"), ("June 1st", "DATE", "2009-06-01")]


def test_midday_is_on_the_day_of_its_sentence():
    anchor = D(2009, 6, 4)
    text = "On Monday, June 1, officials met. Talks resumed at midday."
    assert _values(text, anchor)[-1] == ("midday", "TIME", "2009-06-04T12:00")
    text = "On Monday, June 1, officials met and talks resumed at midday."
    assert _values(text, anchor)[-1] == ("midday", "TIME", "2009-06-01T12:00")
    assert _values("Talks resumed at noon Saturday.", anchor) == [("noon Saturday", "TIME", "2009-05-30T12:00")]


@pytest.mark.parametrize(
    "sentence",
    [
        "GM showed the cars of tomorrow.",
        "long-term and short-term rates rose; near-term demand fell.",
        "A 6-year-old boy and his 44-year-old father.",
        "It was once a great company.",
        # ages are not tagged (TempEval-3): in months before a person, decades after a possessive
        "They travelled with their 6-month-old son.",
        "She married him when he was in his 30s and she in her late twenties.",
        # a capitalised month or season before "of/for (the) Capitalised" is a name
        "Protesters gathered at the annual March for Life on Capitol Hill.",
        "They led ``Spring of Life'' demonstrations and the March of the Combatant Mothers.",
    ],
)
def test_not_dates(sentence):
    assert tag(sentence, JUL10) == []


def test_today_possessive_is_the_day():
    assert _values("today's meeting", JUL10) == [("today", "DATE", "2026-07-10")]


def test_earnings_quarter_anaphora():
    text = "Net income rose in the third quarter to $5 million from $3 million a year earlier. The quarter was strong."
    got = _values(text, D(1989, 11, 2))
    assert got == [
        ("the third quarter", "DATE", "1989-Q3"),
        ("a year earlier", "DATE", "1988-Q3"),
        ("The quarter", "DATE", "1989-Q3"),
    ]


def test_structured_span():
    day, month, duration = tag("On July 10 sales fell in June for three months.", JUL10)
    assert day.span == (D(2026, 7, 10), D(2026, 7, 10), "day")
    assert month.span == (D(2026, 6, 1), D(2026, 6, 30), "month")
    assert duration.span is None
    (rng,) = tag("He served in 1957-58.", JUL10)
    assert rng.span == (D(1957, 1, 1), D(1958, 12, 31), "range")


def test_dense_input_is_tagged_whole():
    # correctness on the adversarial input of bench.timex --adversarial (its speed is benched there)
    got = tag("January " * 2000, D(2020, 3, 1))
    assert len(got) == 2000 and {t.value for t in got} == {"2020-01"}


def test_each_weekday_and_month_are_sets():
    got = _values("Orangemen march each July; flights leave each Thursday and every week.", D(1998, 3, 22))
    assert got == [
        ("each July", "SET", "XXXX-07"),
        ("each Thursday", "SET", "XXXX-WXX-4"),
        ("every week", "SET", "P1W"),
    ]


def test_fractional_durations_in_tempeval3_form():
    text = "He lived there for 2 1/2 years, spent 5 1/2 hours, left a minute and a half later, waited half an hour."
    got = [(t.text, t.value) for t in tag(text, D(1998, 3, 22))]
    assert got == [
        ("2 1/2 years", "P2Y6M"),
        ("5 1/2 hours", "PT5H30M"),
        ("a minute and a half", "PT1M30S"),
        ("half an hour", "PT30M"),
    ]


def test_ages_only_before_a_person():
    assert _values("the IRA's 8-month-old truce", JUL10) == [("8-month-old", "DURATION", "P8M")]
    assert _values("prices of the 1930s", JUL10) == [("1930s", "DATE", "193")]


def test_month_with_a_relative_year():
    anchor = D(1998, 2, 19)
    assert _values("In June last year, the leadership split.", anchor) == [("June last year", "DATE", "1997-06")]
    assert _values("It was attacked in January this year.", anchor) == [("January this year", "DATE", "1998-01")]
    # with "of", only the month (MEANTIME's extent)
    assert _values("Dealers will close after October of next year.", anchor)[0] == ("October", "DATE", "1999-10")


def test_a_year_before_quarter_is_that_years_quarter_not_a_duration():
    text = "Net rose in the third quarter. It earned $376,000 in the 1988 quarter."
    assert _values(text, D(1989, 10, 30))[-1] == ("1988 quarter", "DATE", "1988-Q3")


def test_week_of_a_day_and_a_day_after_last():
    assert _values("a hearing the week of March 6", D(2000, 2, 24)) == [("the week of March 6", "DATE", "2000-W10")]
    assert _values("He was shot last Oct. 23 at home.", D(1999, 4, 19)) == [("Oct. 23", "DATE", "1998-10-23")]
    assert _values("It rained last May.", D(1999, 4, 19)) == [("last May", "DATE", "1998-05")]


def test_century_without_the_takes_a_numeral():
    assert _values("the fabled 11th century temple", JUL10) == [("11th century", "DATE", "10")]
    assert _values("an 11th-century church", JUL10) == [("11th-century", "DATE", "10")]


@pytest.mark.parametrize(
    "sentence,text,value",
    [
        ("Atlanta, nineteen ninety-six. A bomb blast.", "nineteen ninety-six", "1996"),
        ("January nineteen ninety-seven. Atlanta again.", "January nineteen ninety-seven", "1997-01"),
        ("as in the winter of nineteen ninety-four.", "the winter of nineteen ninety-four", "1994-WI"),
        ("a promise to halve it by the year two thousand", "the year two thousand", "2000"),
        ("It opened in nineteen oh five.", "nineteen oh five", "1905"),
    ],
)
def test_spoken_years(sentence, text, value):
    assert _values(sentence, D(1998, 2, 27)) == [(text, "DATE", value)]


def test_spoken_numbers_are_not_years():
    assert all(t.type != "DATE" for t in tag("They kept the secret for more than two thousand years.", JUL10))
    assert tag("The currency lost twenty six percent, nineteen ninety percent in all.", JUL10) == []


@pytest.mark.parametrize(
    "sentence,anchor,text,value",
    [
        ("a theme of our campaign until Election Day.", D(1998, 10, 26), "Election Day", "1998-11-03"),
        ("Elian was found Thanksgiving Day clinging to a tube.", D(2000, 1, 7), "Thanksgiving Day", "1999-11-25"),
        ("He was found in the Atlantic last Thanksgiving.", D(2000, 2, 10), "last Thanksgiving", "1999-11-25"),
        ("Protesters prayed as Easter week began.", D(2000, 4, 17), "Easter week", "2000-W16"),
        ("Churches were full on Good Friday, 1998.", JUL10, "Good Friday, 1998", "1998-04-10"),
        ("Last Easter he went home.", D(2000, 4, 17), "Last Easter", "1999-04-04"),
        ("Shops open next Christmas Eve.", JUL10, "next Christmas Eve", "2026-12-24"),
    ],
)
def test_holidays(sentence, anchor, text, value):
    assert _values(sentence, anchor) == [(text, "DATE", value)]


def test_holiday_names_that_are_no_dates():
    assert tag("the Good Friday agreement, Easter Island and the Easter Rising", JUL10) == []


@pytest.mark.parametrize(
    "sentence,text,value",
    [
        ("Two flights leave on Tuesday nights.", "Tuesday nights", "XXXX-WXX-2TNI"),
        ("The shop is closed on Mondays.", "Mondays", "XXXX-WXX-1"),
        ("Shops close on Sunday afternoons.", "Sunday afternoons", "XXXX-WXX-7TAF"),
        ("They meet every Tuesday night.", "every Tuesday night", "XXXX-WXX-2TNI"),
    ],
)
def test_recurring_weekdays_are_sets(sentence, text, value):
    assert _values(sentence, JUL10) == [(text, "SET", value)]


def test_one_weekday_night_is_still_a_time():
    assert _values("He spoke Tuesday night.", JUL10) == [("Tuesday night", "TIME", "2026-07-07TNI")]


# Round 4 (s10-dates19)


def test_the_latest_quarter_is_the_last_completed_calendar_quarter():
    # TimeBank: 1989-Q3 in reports of late October 1989, also after a fiscal "fourth quarter"
    text = "Its fiscal fourth quarter ended Sept. 30. Sales in the latest quarter were $8.59 billion."
    assert _values(text, D(1989, 10, 26))[-1] == ("the latest quarter", "DATE", "1989-Q3")
    assert _values("Sales in the most recent quarter fell.", D(2026, 2, 3)) == [
        ("the most recent quarter", "DATE", "2025-Q4")
    ]


def test_the_quarter_to_an_amount_is_tagged_the_quarter_to_a_date_is_not():
    text = "Net rose in the third quarter. Revenue inched up 3.7% in the quarter to $2.35 billion."
    assert _values(text, D(1989, 10, 30))[-1] == ("the quarter", "DATE", "1989-Q3")
    assert _values("Revenue rose in the quarter to Sept. 30.", D(1989, 10, 30)) == [("Sept. 30", "DATE", "1989-09-30")]


@pytest.mark.parametrize(
    "sentence,expected",
    [
        (
            "Net was 10 cents in the third quarter, compared with a year-earlier loss of $26,956.",
            ("year-earlier", "DATE", "1988-Q3"),
        ),
        ("Net rose to $5 million. The year-ago results included a gain.", ("year-ago", "DATE", "1988")),
        (
            "National Intergroup in the year-ago third quarter earned $22.5 million.",
            ("the year-ago third quarter", "DATE", "1988-Q3"),
        ),
    ],
)
def test_year_ago_adjectives_are_dates_not_a_year(sentence, expected):
    assert _values(sentence, D(1989, 10, 26))[-1] == expected


def test_quarterly_is_not_tagged_but_other_frequencies_are():
    assert _values("Du Pont raised its quarterly dividend and pays weekly.", JUL10) == [("weekly", "SET", "P1W")]


def test_the_year_is_the_anchors_unless_a_year_was_named_in_its_sentence():
    text = "Sales should double by 1992. The chief forecast an earnings increase for the full year."
    assert _values(text, D(1989, 10, 30))[-1] == ("the full year", "DATE", "1989")
    assert _values("In 1985 the firm grew and for the year sales rose.", D(1989, 10, 30))[-1] == (
        "the year",
        "DATE",
        "1985",
    )


def test_a_rate_needs_its_number_in_the_same_sentence():
    text = "Some left, three thousand.  But a minute and a half later, a pilot came. It saves $5 million a year."
    assert _values(text, JUL10) == [("a minute and a half", "DURATION", "PT1M30S"), ("a year", "SET", "P1Y")]


@pytest.mark.parametrize(
    "sentence",
    [
        'Baker, speaking on ABC News\' "This Week," said it.',
        'He said on ABC-TV\'s "This Week With David Brinkley" that it was over.',
        "Gonzalez said on CBS's ''60 Minutes.'' The way they act.",
        "The poster showed Gary Cooper from the film ``High Noon.'' It helped.",
    ],
)
def test_quoted_titles_are_not_dates(sentence):
    assert tag(sentence, D(1990, 8, 13)) == []


def test_quoted_speech_keeps_its_dates():
    assert _values('"Next week," he said, "we go." It happened "on Tuesday."', D(1990, 8, 13)) == [
        ("Next week", "DATE", "1990-W34"),
        ("Tuesday", "DATE", "1990-08-07"),
    ]


def test_a_quoted_sentence_opening_with_a_possessive_date_keeps_it():
    assert _values('He said: "Next Tuesday\'s vote will decide."', D(1990, 8, 13)) == [
        ("Next Tuesday", "DATE", "1990-08-14")
    ]


def test_a_quoted_sentence_of_short_words_is_no_title():
    assert _values('He said: "Next Tuesday the vote is held."', D(1990, 8, 13)) == [
        ("Next Tuesday", "DATE", "1990-08-14")
    ]


def test_a_capitalised_modifier_opens_a_weekday_or_a_month():
    assert _values("Next Tuesday the board votes. Last Friday he left. Last March he won.", D(1990, 8, 13)) == [
        ("Next Tuesday", "DATE", "1990-08-14"),
        ("Last Friday", "DATE", "1990-08-10"),
        ("Last March", "DATE", "1990-03"),
    ]


# Round 5 (s11-dates19): the audit of rules and resolver switches (docs/dates.md, "Round 5, audit")

SWITCH_CASES = [
    # (switch, sentence, anchor, (text, value) with it on, (text, value) or None with it off)
    ("tense", "The vote will be held on Tuesday.", JUL10, ("Tuesday", "2026-07-14"), ("Tuesday", "2026-07-07")),
    (
        "tense_refinements",
        "The company has planned to open a plant in March.",
        JUL10,
        ("March", "2027-03"),
        ("March", "2026-03"),
    ),
    (
        "preposition_cue",
        "The talks were postponed until Saturday.",
        JUL10,
        ("Saturday", "2026-07-11"),
        ("Saturday", "2026-07-04"),
    ),
    (
        "near_year",
        "The company said in November it would sell.",
        D(2026, 10, 30),
        ("November", "2026-11"),
        ("November", "2025-11"),
    ),
    (
        "anaphora",
        "In 1985 he left Apple. One year later he was fired.",
        JUL10,
        ("One year later", "1986"),
        ("One year later", "2027"),
    ),
    (
        "day_anaphora",
        "On March 3 the index fell 2%. It ended the day lower.",
        D(2026, 3, 10),
        ("the day", "2026-03-03"),
        ("the day", "2026-03-10"),
    ),
    (
        "time_day",
        "On March 3 the plane landed at 16:15 UTC.",
        D(2026, 3, 10),
        ("16:15 UTC", "2026-03-03T16:15Z"),
        ("16:15 UTC", "2026-03-10T16:15Z"),
    ),
    (
        "time_beside_date",
        "The plane landed at 16:15 UTC, June 1st.",
        D(2009, 6, 4),
        ("16:15 UTC", "2009-06-01T16:15Z"),
        ("16:15 UTC", "2009-06-04T16:15Z"),
    ),
    (
        "mod_direction",
        "The plant closed last Friday.",
        JUL10,
        ("last Friday", "2026-07-03"),
        ("last Friday", "2026-07-10"),
    ),
    ("modifiers", "Talks resume in early June.", JUL10, ("early June", "2026-06"), ("June", "2026-06")),
    ("quoted_title", 'He spoke on ABC\'s "This Week," a show.', JUL10, None, ("This Week", "2026-W28")),
    (
        "earnings_quarter",
        "Profit rose in the third quarter. A year ago it fell.",
        D(1989, 10, 20),
        ("A year ago", "1988-Q3"),
        ("A year ago", "1988"),
    ),
    ("now", "Prices are now higher.", JUL10, ("now", "PRESENT_REF"), None),
    ("ages", "The 6-year-old boy was found.", JUL10, None, ("6-year-old", "P6Y")),
    ("soon_past", "He was soon released.", JUL10, None, ("soon", "FUTURE_REF")),
    (
        "past_weekend",  # round 19: Wednesday after the weekend (Reuters/Wikinews: "on Monday after ... over the weekend")
        "The firm filed for bankruptcy on Wednesday after the banks pulled out of talks over the weekend.",
        JUL10,
        ("the weekend", "2026-W27-WE"),
        ("the weekend", "2026-W28-WE"),
    ),
    (
        "quarter_ended",  # round 20: TimeBank wsj_1038, a loss reported in October dated a year ahead
        "The thrift plans to restructure in the wake of a third-quarter loss.",
        D(1989, 10, 26),
        ("third-quarter", "1989-Q3"),
        ("third-quarter", "1990-Q3"),
    ),
    (
        "period_so_far",  # round 20: TimeBank wsj_0768, a fund's sales "this year through August" in October
        "Withdrawals followed little change in the fund's sales this year through August.",
        D(1989, 10, 27),
        ("August", "1989-08"),
        ("August", "1990-08"),
    ),
    (
        "name_today",  # round 20: TimeBank's VOA transcript signs off "This is VOA Today."
        "He told USA Today that he would stay.",
        JUL10,
        None,
        ("Today", "2026-07-10"),
    ),
    (
        "past_plan",  # round 20: TimeBank wsj_0533, an offer extended to Nov. 16 "had been due to expire Friday"
        "It had been due to expire Friday evening.",
        D(1989, 10, 30),
        ("Friday evening", "1989-10-27TEV"),
        ("Friday evening", "1989-11-03TEV"),
    ),
    (
        "offset_duration",  # round 21: TimeBank wsj_0187 and AQUAINT A tag the offset, "later" a signal
        "The shooting was reported. Just over an hour later, he was declared dead.",
        D(1998, 10, 25),
        ("over an hour", "PT1H"),
        ("over an hour later", "1998-10-25"),
    ),
    (
        "today_era",  # round 23: TimeBank and AQUAINT A leave "today's world", "today's youth" untagged
        "It is a hard time for today's youth.",
        JUL10,
        None,
        ("today", "2026-07-10"),
    ),
    (
        "forecast_cue",  # round 21 (qa21): a Monday's forecast of Thursday's rain was dated last Thursday
        "The forecast said rain on Thursday.",
        D(2026, 11, 23),
        ("Thursday", "2026-11-26"),
        ("Thursday", "2026-11-19"),
    ),
    (
        "over_signal",  # round 24: TimeBank and AQUAINT leave "over" out of "over the weekend"
        "The ambassador said over the weekend that talks would go on.",
        D(1990, 8, 13),
        ("the weekend", "1990-W32-WE"),
        ("over the weekend", "1990-W32-WE"),
    ),
]


def _tagged(sentence: str, anchor: dt.date, off: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return [(t.text, t.value) for t in tag(sentence, anchor, off=off)]


def _check(found: list[tuple[str, str]], expected: tuple[str, str] | None) -> None:
    if expected is None:
        assert found == []
    else:
        assert expected in found


@pytest.mark.parametrize("switch,sentence,anchor,on,off", SWITCH_CASES)
def test_each_resolver_switch_changes_what_it_says(switch, sentence, anchor, on, off):
    _check(_tagged(sentence, anchor), on)
    _check(_tagged(sentence, anchor, (switch,)), off)


def test_every_switch_has_a_case():
    from index.time.context import SWITCHES

    assert {case[0] for case in SWITCH_CASES} == set(SWITCHES)


def test_a_rule_can_be_turned_off_by_name():
    assert _tagged("The vote was held on Tuesday.", JUL10) == [("Tuesday", "2026-07-07")]
    assert _tagged("The vote was held on Tuesday.", JUL10, ("weekday",)) == []
    assert _tagged("The vote was held on Tuesday.", JUL10, ("month",)) == [("Tuesday", "2026-07-07")]


def test_an_unknown_rule_or_switch_is_refused():
    with pytest.raises(ValueError, match="weekdays"):
        tag("On Tuesday.", JUL10, off=("weekdays",))


@pytest.mark.parametrize(
    "sentence",
    [
        "The years-long dispute ended.",  # decades_long removed: wrong value on TB+AQ and on MEANTIME
        "The plane landed at 1615 GMT.",  # military removed: costs on TB+AQ; and no year 1615
    ],
)
def test_removed_in_the_audit(sentence):
    assert tag(sentence, JUL10) == []


def test_a_year_before_a_word_like_hours_is_still_a_year_when_it_cannot_be_a_clock_time():
    assert _tagged("It grew in 1999 UTC figures.", JUL10) == [("1999", "1999")]


def test_two_years_joined_by_and_are_two_dates_not_a_range():
    # round 19: "in 2008 and 2013" read "2008-2013" on the timeline, five years for two
    assert _tagged("She won it after shoulder injuries in 2008 and 2013.", JUL10) == [
        ("2008", "2008"),
        ("2013", "2013"),
    ]
    assert _tagged("Sales rose between 2008 and 2013.", JUL10) == [("between 2008 and 2013", "2008/2013")]
    assert _tagged("Between 2008 and 2013 sales rose.", JUL10) == [("Between 2008 and 2013", "2008/2013")]
    assert _tagged("Sales rose from 2008 to 2013.", JUL10) == [("from 2008 to 2013", "2008/2013")]


def test_a_passive_present_is_no_past():
    # round 19: "is sentenced" read as a past tense put the sentencing a year back
    text = "Muse faces a maximum sentence of 34 years when he is sentenced October 19."
    assert ("October 19", "2009-10-19") in _tagged(text, D(2009, 5, 25))


def test_infer_publication_date_after_the_days_told_in_the_past():
    # round 19: a story anchored on the hijacking's full date tells later days in the past tense
    text = (
        "He led the hijacking of the Maersk Alabama on April 8, 2009.\n\n"
        "He pleaded guilty May 19 in a New York federal court. The trial opened May 25.\n\n"
        "He faces 34 years when he is sentenced October 19."
    )
    assert infer_publication_date(text) == D(2009, 5, 25)


WED18NOV = D(2026, 11, 18)


def test_the_days_a_warning_covers_are_the_coming_ones():
    # qa19: a forecast issued today "covering Thursday and Friday" was dated the past week's days
    text = "The Met Office issued a yellow rain warning on Wednesday, covering Thursday and Friday."
    assert _tagged(text, WED18NOV) == [
        ("Wednesday", "2026-11-18"),
        ("Thursday", "2026-11-19"),
        ("Friday", "2026-11-20"),
    ]
    assert ("Saturday", "2026-11-21") in _tagged("The warning covers Saturday.", WED18NOV)
    # a cue word before the first weekday carries to the one joined to it, only that one
    assert _tagged("The road is closed until Thursday or Friday.", WED18NOV) == [
        ("Thursday", "2026-11-19"),
        ("Friday", "2026-11-20"),
    ]
    # without a cue, a weekday told beside today's stays the past one
    assert _tagged("Police said on Wednesday that the man arrested Monday was freed.", WED18NOV) == [
        ("Wednesday", "2026-11-18"),
        ("Monday", "2026-11-16"),
    ]
    assert _tagged("The statements were made Friday and Thursday.", WED18NOV) == [
        ("Friday", "2026-11-13"),
        ("Thursday", "2026-11-12"),
    ]


MON23NOV = D(2026, 11, 23)


def test_what_a_forecast_says_is_to_come_though_it_was_said():
    # qa21: in an article of Monday 23 November the forecast's days were dated 19-21 November
    text = "The forecast said rain on Thursday and Friday, with winds easing on Saturday."
    assert _tagged(text, MON23NOV) == [
        ("Thursday", "2026-11-26"),
        ("Friday", "2026-11-27"),
        ("Saturday", "2026-11-28"),
    ]
    assert _tagged("Forecasters expect snow on Friday.", MON23NOV) == [("Friday", "2026-11-27")]
    assert _tagged("Forecasters predicted heavy rain for Wednesday.", MON23NOV) == [("Wednesday", "2026-11-25")]
    assert _tagged("The probe is expected to land on Tuesday.", MON23NOV) == [("Tuesday", "2026-11-24")]  # as before
    assert _tagged("Rain is forecast for Thursday.", MON23NOV) == [("Thursday", "2026-11-26")]
    assert _tagged("Snow is forecast on Friday.", MON23NOV) == [("Friday", "2026-11-27")]  # a passive: no saying day
    assert _tagged("According to the forecast, rain on Thursday.", MON23NOV) == [("Thursday", "2026-11-26")]
    # the day a forecast was said on, and a past event told after the cue, stay past
    assert _tagged("Forecasters said on Thursday that it would rain.", MON23NOV) == [("Thursday", "2026-11-19")]
    assert _tagged("Forecasters said Thursday that it would rain.", MON23NOV) == [("Thursday", "2026-11-19")]
    assert _tagged("Forecasters said the storm hit on Thursday.", MON23NOV) == [("Thursday", "2026-11-19")]
    # a reported past event without a forecast is untouched
    assert _tagged("Police said the fire started on Thursday.", MON23NOV) == [("Thursday", "2026-11-19")]
    assert _tagged("Shares are expected to open lower after they fell on Friday.", MON23NOV) == [
        ("Friday", "2026-11-20")
    ]
    # the cue does not reach past its sentence
    assert _tagged("The forecast said rain. It fell on Thursday.", MON23NOV) == [("Thursday", "2026-11-19")]


def test_a_plan_in_the_past_perfect_was_overtaken():
    monday = D(1989, 10, 30)
    text = "The offer previously had been scheduled to expire at midnight Friday."
    assert _tagged(text, monday) == [("midnight Friday", "1989-10-27T24:00")]
    assert _tagged("The vote had been set for Thursday.", monday) == [("Thursday", "1989-10-26")]
    # a past perfect that is no plan leaves the cue alone: the extended deadline is still to come
    assert _tagged("Dow Jones said it had extended the offer until Friday.", monday) == [("Friday", "1989-11-03")]


def test_a_quarter_just_ended_is_that_one_and_a_later_one_still_to_come():
    oct26 = D(1989, 10, 26)
    assert _tagged("The company will report third-quarter results.", oct26) == [("third-quarter", "1989-Q3")]
    assert _tagged("It plans to launch the product in the second quarter.", oct26) == [
        ("the second quarter", "1990-Q2")
    ]


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("This is VOA Today.", []),
        ("He appeared on the Today show on Monday.", [("Monday", "2026-07-06")]),
        ("Today, the council met.", [("Today", "2026-07-10")]),
        ("The council met on Monday. Today it voted.", [("Monday", "2026-07-06"), ("Today", "2026-07-10")]),
        ("Council Votes Today", [("Today", "2026-07-10")]),  # a title-case headline keeps its day
        ("He spoke to CNN. Today he is in Paris.", [("Today", "2026-07-10")]),
    ],
)
def test_today_in_a_name_is_no_date(sentence, expected):
    assert _tagged(sentence, JUL10) == expected


@pytest.mark.parametrize(
    "sentence,expected",
    [
        # round 21: an offset smaller than a year from an event is a DURATION (TimeBank and AQUAINT A
        # 4 of 4: "A day earlier", "Three days later", "A few days later", "over an hour later")
        ("A day earlier, scores of trucks crossed.", [("A day", "DURATION", "P1D")]),
        ("Three days later, the index fell.", [("Three days", "DURATION", "P3D")]),
        ("A few days later, the company said so.", [("A few days", "DURATION", "PXD")]),
        ("Two weeks later the talks resumed.", [("Two weeks", "DURATION", "P2W")]),
        ("A minute or so later, he left.", [("A minute or so", "DURATION", "PT1M")]),
        # a year or more stays a date counted from the last one named; "ago" stays deictic
        (
            "In 1985 he left Apple. One year later he was fired.",
            [("1985", "DATE", "1985"), ("One year later", "DATE", "1986")],
        ),
        ("He left three days ago.", [("three days ago", "DATE", "2026-07-07")]),
    ],
)
def test_an_offset_from_an_event_is_a_duration(sentence, expected):
    assert _values(sentence, JUL10) == expected


@pytest.mark.parametrize(
    "sentence,expected",
    [
        # round 23: the present age is no day (TimeBank 2 of 2, AQUAINT A 1 of 1 untagged)
        ("Paternity can be proved in today's world.", []),
        ("They are the chips of choice in many of today's personal computers.", []),
        ("The case of Elian is for today's youth what the blockade was.", []),
        # the day's own things keep the day (TimeBank tags both)
        ("The offer, advertised in today's editions of the Journal, expires then.", [("today", "2026-07-10")]),
        ("Now for today's geography quiz.", [("Now", "PRESENT_REF"), ("today", "2026-07-10")]),
        ("Today's vote was close.", [("Today", "2026-07-10")]),
        ("The world today is different.", [("today", "2026-07-10")]),
    ],
)
def test_todays_world_is_the_present_age_not_a_day(sentence, expected):
    assert _tagged(sentence, JUL10) == expected


def test_over_is_a_signal_before_the_weekend_not_part_of_it():
    """Round 24: both TimeML sets' tune halves write "[over] the weekend" without the signal
    (TimeBank 2 of 2, AQUAINT 1 of 1), as TimeML writes "later" in "three days later"; a date's
    value is unchanged. "over a week" (more than a week) keeps its "over"."""
    mon = D(1990, 8, 13)
    assert _tagged("Over the weekend, Pentagon officials confirmed the plan.", mon) == [("the weekend", "1990-W32-WE")]
    assert _tagged("Evidence arrived over the weekend at the lab.", mon) == [("the weekend", "1990-W32-WE")]
    assert _tagged("The tour is likely to last over a week.", mon) == [("over a week", "P1W")]


def test_infer_publication_date_skips_birth_dates():
    # round 24 (qa24b): an undated CNN story quoted "Isaac Newton b. Dec 25, 1642" and was dated 1642
    text = "He tweeted: Happy Birthday Isaac Newton b. Dec 25, 1642. It was retweeted 69,000 times."
    assert infer_publication_date(text) is None
    assert infer_publication_date("Ada Lovelace, born December 10, 1815, wrote the first program.") is None
    assert infer_publication_date("Isaac Newton (born December 1642) was a physicist.") is None
    text = "Elizabeth II was born April 21, 1926. The museum opened on May 5, 2010."
    assert infer_publication_date(text) == D(2010, 5, 5)
    # a life span's first date is the birth; its death, like any death, is a past event kept
    assert infer_publication_date("Isaac Newton (Dec 25, 1642 - March 20, 1727) was a physicist.") == D(1727, 3, 20)
    assert infer_publication_date("Thurmond died in June 2003 at age 100.") == D(2003, 6, 1)
    # a date that is no birth still counts, in parentheses too
    assert infer_publication_date("The council (May 5, 2010) voted.") == D(2010, 5, 5)
    assert infer_publication_date("The bill was born of a deal struck on June 3, 2011.") == D(2011, 6, 3)
