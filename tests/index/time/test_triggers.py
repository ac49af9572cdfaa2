"""The tagger's engine shortcuts change no candidate: the window prefilters (`_NEEDS`, `_BEFORE`,
`_AFTER`), the match-start heads (`_HEADS`) and the one-regex digit and year scans give what the
plain scans give."""

from __future__ import annotations

import random
import re

import pytest

from index.time import triggers
from index.time.rules import RULES
from index.time.triggers import candidates

TEXTS = [
    "It happened two weeks ago, and three years earlier the plant had closed.",
    "About five years back he left; some months later, roughly a decade from now, it may reopen.",
    "The board meets every month and each Monday morning, at 5 p.m. per week.",
    "The decades-long feud and the months-long strike ended in a five-year deal, a multi-year plan.",
    "A twenty-one-year-old won the 3-day race in a 2.5-hour sprint.",
    "Profit in the year ended June 30 rose; its fiscal year ending in March fell.",
    "Sales rose 4% from the same period a year ago and the same quarter last year.",
    "Year-ago profit was higher than year-earlier third-quarter results, and the year-ago quarter too.",
    "Morning trading was light and afternoon session deals thin.",
    "For two more years, nine consecutive days and several trading days, a couple of weeks.",
    "In recent years, over the past months, within hours, and it took decades; than days.",
    "He spent A YEAR abroad and Two Years at home, then  six   months  in Paris.",
    "It lasted two\nyears, a\tday, and half an hour; the ten-day truce and one and a half years.",
    "Dozens of years, hundreds of days, a number of weeks and numerous months passed.",
    "Last week, the following year, this past summer, that decade and the same quarter; next  Fall.",
    "It runs every 3 years, each January, every two weeks, per day and every Monday night.",
    "On 5 March, the 21st of June and Sun., 3 Sept. 2009; by March 5, Sept. 12 and June the 4th, 1998.",
    "He left on the 21st of June.",
    "It ended in June the 4th.",
]


def _plain(text: str, monkeypatch: pytest.MonkeyPatch, ranges: bool) -> list[tuple[int, int, str]]:
    with monkeypatch.context() as m:
        m.setattr(triggers, "_NEEDS", {})
        m.setattr(triggers, "_BEFORE", {})
        m.setattr(triggers, "_AFTER", {})
        m.setattr(triggers, "_HEADS", {})
        # the plans hold each rule's `_AFTER`/`_BEFORE` check, read once at import
        m.setattr(triggers, "_PLANS", tuple((p, rule, kind, None, None) for p, rule, kind, _, _ in triggers._PLANS))
        return [(c.start, c.end, c.rule.name) for c in candidates(text, ranges=ranges)]


def _words(seed: int, n: int) -> list[str]:
    """Random phrases of the words the prefilters look for, with odd spacing and case."""
    vocab = (
        "a an the two 3 1/2 and half several few of couple more trading full years year-ago year-earlier "
        "-long ago earlier later back from now hence every each per same end ended ending session morning "
        "past in over recent than took YEARS Days five-year multi-month twenty-one ten last next this following "
        "that week weekend month Monday January fall March Sept. Sun. 5 21st , . \n"
    ).split(" ")
    rnd = random.Random(seed)
    seps = [" ", "  ", "-", "\t", ""]
    return ["".join(rnd.choice(vocab) + rnd.choice(seps) for _ in range(rnd.randint(2, 12))) for _ in range(n)]


@pytest.mark.parametrize("ranges", [True, False])
def test_prefilters_change_no_candidate(monkeypatch: pytest.MonkeyPatch, ranges: bool) -> None:
    texts = TEXTS + [" ".join(TEXTS)] + _words(11, 800)
    seen: set[str] = set()
    for text in texts:
        got = [(c.start, c.end, c.rule.name) for c in candidates(text, ranges=ranges)]
        assert got == _plain(text, monkeypatch, ranges), text
        seen.update(name for _, _, name in got)
    # every prefiltered rule found something here, so the comparison covers it
    assert set(triggers._NEEDS) | set(triggers._BEFORE) | set(triggers._AFTER) | set(triggers._HEADS) <= seen


def test_prefilters_skip_windows_without_a_match() -> None:
    # a unit word with no number before it and no "ago" after it: duration and ago are not tried
    text = "The years went by and the month was long."
    rev = text[::-1]
    years = text.index("years")
    assert triggers._BEFORE["duration"].match(rev, len(text) - years) is None
    assert triggers._NEEDS["ago"].search(text) is None
    two = "It took two years."
    assert triggers._BEFORE["duration"].match(two[::-1], len(two) - two.index("years")) is not None


def _digit_spans_plain(text: str) -> list[tuple[int, int]]:
    """The digit triggers as a loop over runs of digits (what the one-regex scan replaces)."""
    out = []
    after = re.compile(triggers._AFTER_DIGITS)
    after4 = re.compile(triggers._AFTER_4DIGITS)
    for m in re.finditer(r"\d+", text):
        s, e = m.span()
        if (
            after.match(text, e)
            or (e - s == 2 and s > 0 and text[s - 1] in "'’")
            or (e - s == 4 and after4.match(text, e))
        ):
            out.append((s, e))
    for m in re.finditer(r"[FQ](?:Y|[1-4]\b)", text):
        if m.start() == 0 or not text[m.start() - 1].isalnum():
            out.append(m.span())
    return sorted(out)


def test_digit_and_year_scans_match_the_plain_loops() -> None:
    rnd = random.Random(5)
    alphabet = "0123456789١٩'’ :-/apmAPM.UTCGMThoursZQFY\n"
    texts = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 40))) for _ in range(3000)]
    texts += ["At 16:15 UTC on 2009-06-01, 1500 hours, 3pm, 4 PM, in '98, 12/25/2009, Q3 and FY2010, 12345:67."]
    hits = 0
    for text in texts:
        digit = triggers._kind_spans(text, "digit")
        assert digit == _digit_spans_plain(text), text
        years = [
            m.span() for m in re.finditer(r"\d+", text) if m.end() - m.start() == 4 and 1600 <= int(m.group()) <= 2199
        ]
        assert triggers._kind_spans(text, "year") == years, text
        hits += len(digit)
    assert hits > 100


def _head_texts() -> list[str]:
    """Unit words after numbers, quantities and lead words in odd case, spacing and letters (`ſ`, `K`)."""
    words = (
        "The the A a an AN two Two 3 2.5 1/2 and a half one and a half half an hour twenty-one several SOME a few "
        "dozens of about nearly more than at least up to well over the better part of close to past last next "
        "coming ſeveral ſome Kelvin years year Days month weeks decade centuries ago earlier later back hence "
        "from now -long -old , . \n"
    ).split(" ")
    rnd = random.Random(19)
    seps = [" ", "  ", "-", "\t", "\n", ""]
    return TEXTS + [
        "".join(rnd.choice(words) + rnd.choice(seps) for _ in range(rnd.randint(2, 16))) for _ in range(1500)
    ]


@pytest.mark.parametrize("name", sorted(triggers._HEADS))
def test_heads_give_what_finditer_gives(name: str) -> None:
    rule = next(r for r in triggers.RULES if r.name == name)
    head = triggers._HEADS[name]
    found = 0
    for text in _head_texts():
        for lo in (0, 5):
            want = [m.span() for m in rule.regex.finditer(text, lo, len(text))]
            assert [m.span() for m in triggers._matches(rule.regex, head, text, lo, len(text))] == want, text
            found += len(want)
    assert found > 200


def test_a_head_missing_a_first_word_is_caught() -> None:
    # drop "a" (and "an") from duration's head: "a year", "an hour" no longer match, and the comparison sees it
    rule = next(r for r in triggers.RULES if r.name == "duration")
    words = triggers._first_words("the|a|an", triggers.QMOD, triggers.NUMWORD, triggers.VAGUE) - {"a", "an"}
    wrong = re.compile(r"\b(?=\d|" + triggers._trie_regex(words) + ")", rule.flags)
    text = "It took a year and an hour."
    assert [m.span() for m in triggers._matches(rule.regex, wrong, text, 0, len(text))] != [
        m.span() for m in rule.regex.finditer(text)
    ]


def test_first_words_refuses_an_alternative_without_a_leading_word() -> None:
    assert triggers._first_words("(?:one|two(?: more)?|an?)") == {"one", "two", "more", "a"}
    with pytest.raises(ValueError):
        triggers._first_words(r"(?:one|\d+)")


def test_lowercasing_matches_as_case_blind_re_does() -> None:
    """`_FOLDED` rests on this: under `re.I` a character matches an ASCII letter exactly when its
    lowercase is that letter, save "ı", "ſ" and "İ" (texts holding them take the rules' own regexes),
    and lowercasing keeps whether a character is `\\w`, `\\s` or `\\d`."""
    chars = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    changed = [c for c in chars if c.lower() != c]  # the only characters lowercasing can affect
    letters = set("abcdefghijklmnopqrstuvwxyz")
    blind = set(re.findall("[a-z]", chars, re.I))
    lowered = letters | {c for c in changed if c.lower() in letters}
    assert blind - lowered == {"ı", "ſ", "İ"}  # "İ" lowercases to two characters: its texts keep the rules' regexes
    assert lowered <= blind
    for c in lowered:
        assert re.fullmatch(c.lower(), c, re.I) and sum(bool(re.fullmatch(x, c, re.I)) for x in letters) == 1
    for cls in (r"\w", r"\s", r"\d"):
        inside = set(re.findall(cls, chars))
        assert all((c in inside) == (c.lower() in inside) for c in changed if len(c.lower()) == 1), cls


def _case_texts(n: int) -> list[str]:
    """Phrases of the case-blind rules' words in odd case, with "ı", "ſ", "K" (Kelvin) and "İ"."""
    words = (
        "The the THE a A an two Two 3 years YEARS Years year-ago Ago ago earlier LATER now soon the near "
        "Future term current currently recently Recent past Past every Each Monday MONDAY January morning "
        "Tonight today the day the same period quarter Quarter first fiscal half 20th century nineteen "
        "ninety-six daily Weekly noon Midnight ſeconds ſoon thıs ıt Kelvin İn , . \n"
    ).split(" ")
    rnd = random.Random(23)
    seps = [" ", "  ", "-", "\t", ""]
    return ["".join(rnd.choice(words) + rnd.choice(seps) for _ in range(rnd.randint(2, 14))) for _ in range(n)]


def test_folded_twins_change_no_candidate(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = TEXTS + _case_texts(1500)
    seen: set[str] = set()
    for text in texts:
        got = [(c.start, c.end, c.rule.name, c.match.match.groups()) for c in candidates(text)]
        with monkeypatch.context() as m:
            m.setattr(triggers, "_FOLDED", {})
            plain = [(c.start, c.end, c.rule.name, c.match.match.groups()) for c in candidates(text)]
        assert got == plain, text
        seen.update(name for _, _, name, _ in got)
    assert {"ago", "duration", "future_ref", "present_ref", "every", "relative"} <= seen
    assert sum("ı" in t or "ſ" in t for t in texts) > 100  # the texts that must not take the twins


def test_a_twin_on_text_with_dotless_i_would_miss() -> None:
    # why such text keeps the rule's own regex: "thıs week" is "this week" to `re.I` only
    rule = next(r for r in RULES if r.name == "relative")
    fold = triggers._folded(rule)
    assert fold is not None
    twin, _ = fold
    assert rule.regex.search("thıs week") is not None
    assert twin.search("thıs week".lower()) is None


def test_ascii_scans_equal_the_unicode_ones() -> None:
    rnd = random.Random(29)
    alphabet = ["0", "1", "9", "12", "1999", "2009", ":", "-", "/", " ", "\x1c", "\x1f", "\t", "\x0b", "a", "p", "m"]
    alphabet += ["AM", "PM", "p.m.", "hours", "UTC", "'", "Q3", "FY", "years", "ago", "Now", "_", "x"]
    texts = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 30))) for _ in range(3000)]
    hits = 0
    for text in texts:
        assert text.isascii()
        for kind in ("digit", "year"):
            spans = triggers._kind_spans(text, kind, ascii=True)
            assert spans == triggers._kind_spans(text, kind), (kind, text)
            hits += len(spans)
        lower = text.lower()
        assert triggers._word_spans(text, lower, ascii=True) == triggers._word_spans(text, lower), text
    assert hits > 1000
    assert triggers._kind_spans("3\x1cpm", "digit", ascii=True) == [(0, 1)]  # \x1c is \s to `re` in Unicode mode
