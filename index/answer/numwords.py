"""A number typed in words that the articles write in digits: "twenty five thousand" read "25000".

People type "twenty five thousand accounts, is that right?" where a news article writes "25,000"
(the index term 25000): each word is no index term, so each weighs the most an idf can (the
abstention reads that) and the number matches nothing. `read` puts the digits in the words'
place only when the articles lack one of the words and hold the digits, and only for 10 and up
(news writes "nine accounts" in words): encyclopedic text that writes "season twelve" or "the
thirteen colonies" holds the words, and is left as asked (on SQuAD's training questions 87 of
115 number words of 10 and up are in their answer's sentence as words). Like the compounds
(index.answer.compounds), only `Query.text` changes. A scale word after the number stays a word:
"twenty eight million" is read "28 million", as articles write it.
"""

from __future__ import annotations

import re
from collections.abc import Container

from index.search import tokens

NUMWORDS = True  # round 22, shipped in round 23 (docs/answers.md, seedq22, seedq23); off: questions read as typed
_UNITS = {w: i for i, w in enumerate("one two three four five six seven eight nine".split(), 1)}
_TEENS = {
    w: i
    for i, w in enumerate("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split(), 10)
}
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_WORDS = "|".join([*_UNITS, *_TEENS, *_TENS])
_STARTS = frozenset([*_UNITS, *_TEENS, *_TENS])  # a run starts with one of them
_LETTERS = re.compile(r"[a-z]+")
# A run of number words joined by spaces, hyphens or "and" (bounded: no nested repeats).
_RUN = re.compile(
    r"\b(?:" + _WORDS + r")(?:(?:[\s-]+|\s+and\s+)(?:" + _WORDS + r"|hundred|thousand)){0,8}\b", re.IGNORECASE
)


def _below_hundred(words: list[str], at: int) -> tuple[int, int]:
    """The value (0: none) of "twenty five", "twelve" or "seven" at `at`, and the next position."""
    if at < len(words) and words[at] in _TENS:
        value, at = _TENS[words[at]], at + 1
        if at < len(words) and words[at] in _UNITS:
            value, at = value + _UNITS[words[at]], at + 1
        return value, at
    if at < len(words) and (words[at] in _TEENS or words[at] in _UNITS):
        return _TEENS.get(words[at]) or _UNITS[words[at]], at + 1
    return 0, at


def _below_thousand(words: list[str], at: int) -> tuple[int, int]:
    """The value of "two hundred and five", "forty" at `at` (0: none), and the next position."""
    value, at = _below_hundred(words, at)
    if value and value < 10 and at < len(words) and words[at] == "hundred":
        at += 1
        if at < len(words) and words[at] == "and":
            at += 1
        rest, at = _below_hundred(words, at)
        value = 100 * value + rest
    return value, at


def value(phrase: str) -> int | None:
    """The number a run of number words says ("twenty five thousand": 25000), or None when the
    words do not make one number (a year read as "nineteen eighty four", a list "two three").
    """
    words = [w for w in re.split(r"[\s-]+", phrase.lower()) if w]
    number, at = _below_thousand(words, 0)
    if number and at < len(words) and words[at] == "thousand":
        at += 1
        if at < len(words) and words[at] == "and":
            at += 1
        rest, at = _below_thousand(words, at)
        number = 1000 * number + rest
    return number if number and at == len(words) else None


def _digits(match: re.Match[str], vocab: Container[str]) -> str:
    phrase = match.group()
    number = value(phrase)
    if number is None or number < 10 or str(number) not in vocab:
        return phrase
    if all(t in vocab for t in tokens.tokenize(phrase)):
        return phrase  # the articles may say it as asked
    return str(number)


def read(text: str, vocab: Container[str]) -> str:
    """`text` with each number of 10 and up typed in words that the articles hold only in digits
    written in digits.
    """
    if not NUMWORDS or _STARTS.isdisjoint(_LETTERS.findall(text.lower())):  # the usual question: no search
        return text
    return _RUN.sub(lambda m: _digits(m, vocab), text)


__all__ = ["NUMWORDS", "read", "value"]
