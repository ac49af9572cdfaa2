"""The rules every front end applies to what a user types, with the one message for each.

The CLI, the local chat and Discord check questions, counts and dates here, so a question
refused in one is refused in the others with the same words. Discord also declares the same
limits on its options (`app_commands.Range[..., MIN_QUESTION, MAX_QUESTION]`), so its client
refuses most bad values before they are sent; whatever still arrives is checked here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from bot.wording import ENTITY_TYPE_LABELS, plural

__all__ = [
    "DATE_FORMATS",
    "MAX_CONTEXT",
    "GREETED",
    "MAX_COUNT",
    "MAX_QUESTION",
    "MIN_COUNT",
    "MIN_QUESTION",
    "THANKED",
    "RuleError",
    "asks_about_the_articles",
    "check_context",
    "check_count",
    "check_date_range",
    "check_entity_type",
    "check_question",
    "check_whole",
    "greets",
    "parse_date",
    "says_thanks",
    "what_is_indexed",
]

MIN_QUESTION, MAX_QUESTION = 3, 300  # characters, after runs of spaces and line breaks become one space
MIN_COUNT, MAX_COUNT = 1, 10  # passages quoted in one answer
MAX_CONTEXT = 5  # neighbouring sentences shown on each side of a quote
DATE_FORMATS = "2026-07-10, 2026-07 or 2026"

_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


class RuleError(ValueError):
    """Input that breaks a rule; `.message` is shown to the user as is (exit code 2 in the CLI)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_question(text: str) -> str:
    """The question with its whitespace collapsed, or RuleError when it is empty, too short or too long."""
    question = " ".join(text.split())
    if not question:
        raise RuleError("The question is empty: type a few words about the articles.")
    if len(question) < MIN_QUESTION:
        raise RuleError(f"The question is too short: use at least {MIN_QUESTION} characters.")
    if len(question) > MAX_QUESTION:
        raise RuleError(
            f"The question is {len(question):,} characters long; please keep it to {MAX_QUESTION} or fewer."
        )
    return question


def check_count(count: int) -> int:
    """How many passages to quote: `count` itself when it is within MIN_COUNT..MAX_COUNT."""
    return check_whole(count, "number of passages", MIN_COUNT, MAX_COUNT)


def check_context(sentences: int) -> int:
    """How many neighbouring sentences to show on each side of a quote (0 to MAX_CONTEXT)."""
    return check_whole(sentences, "number of context sentences", 0, MAX_CONTEXT)


def check_whole(value: int, what: str, low: int, high: int) -> int:
    """`value` itself when `low <= value <= high`; else RuleError naming `what` and the range."""
    if not low <= value <= high:
        raise RuleError(f"The {what} must be from {low} to {high} (got {value}).")
    return value


def parse_date(value: str, *, end: bool = False) -> dt.date:
    """`2026`, `2026-07` or `2026-07-10` as a date: the first day of the period, or its last with `end`."""
    text = value.strip()
    match = _DATE.fullmatch(text)
    if not match:
        raise RuleError(f"{text[:40]!r} is not a date: use {DATE_FORMATS}.")
    year, month, day = int(match[1]), match[2], match[3]
    try:
        if day is not None:
            return dt.date(year, int(month), int(day))
        if month is not None:
            first = dt.date(year, int(month), 1)
            # the month's own last day: from the next month's first, 9999-12 was "not a real date"
            return first.replace(day=calendar.monthrange(year, first.month)[1]) if end else first
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    except ValueError:
        raise RuleError(f"{text!r} is not a real date: use {DATE_FORMATS}.") from None


def check_date_range(date_from: dt.date | None, date_to: dt.date | None) -> None:
    """RuleError when the period ends before it starts."""
    if date_from and date_to and date_from > date_to:
        raise RuleError(f"The start date ({date_from}) is after the end date ({date_to}).")


def _type_words() -> dict[str, str]:
    """Each type by the words its label says (`organisation`, `place`, `city`), one or many, and
    as people also write them (`organization`, `people`, `location`): the refusal shows the labels, so a
    reader types them back.
    """
    words = {"organization": "ORG", "people": "PERSON", "location": "LOC"}  # LOC's own word
    for code, label in ENTITY_TYPE_LABELS.items():
        for word in re.split(r",\s*|\s+or\s+", label):
            words[word] = code
    plurals = {re.sub(r"y$", "ie", word) + "s": code for word, code in words.items() if word != "people"}
    return words | plurals


def check_entity_type(kind: str | None) -> str | None:
    """An entity type as the index stores it (`product` -> `PRODUCT`), None for every type, or
    RuleError naming the types: an unknown type would otherwise list nothing, as if the articles
    named no one.
    """
    if kind is None or not kind.strip():
        return None
    code = _TYPE_WORDS.get(kind.strip().lower(), kind.strip().upper())
    if code not in ENTITY_TYPE_LABELS:
        known = ", ".join(
            c.lower() if c.lower() == label else f"{c.lower()} ({label})" for c, label in ENTITY_TYPE_LABELS.items()
        )
        raise RuleError(f"There is no entity type {kind.strip()[:40]!r}; the types are {known}.")
    return code


_TYPE_WORDS = _type_words()


# Thanks and acknowledgements people send after an answer (on Discord a reply to the bot pings it
# by default): no question, so no follow-up (the chat and Discord). A message is one when all its
# words are here and one of them is a thanks or an acknowledgement (so "you" or "so" alone is not).
_THANKS = frozenset("thanks thank thx ty tysm cheers ok okay cool great nice perfect awesome".split())
_COURTESY = _THANKS | frozenset("you so much very a lot got it all good mate".split())
_COURTESY_WORD = re.compile(r"\w+")
THANKED = "Glad to help. Ask me another question about the articles whenever you like."


def says_thanks(question: str) -> bool:
    """Whether the message only thanks or acknowledges ("thanks!", "Thank you so much 🙏", "ok, got
    it"): nothing is asked (it was read as a follow-up and the answer quoted again as a strong match).
    """
    words = _COURTESY_WORD.findall(question.casefold()) if len(question) <= 40 else []
    return bool(words) and all(w in _COURTESY for w in words) and any(w in _THANKS for w in words)


# What a new member says before a question: a greeting (all its words here, one of them a
# greeting) or a question about the bot itself (the chat and Discord). Searched, "hello" was "No
# word of the question occurs in the articles", or after an answer a follow-up quoting its lede.
_GREETINGS = frozenset("hello hi hey hiya howdy yo greetings".split())
_TIMES_OF_DAY = frozenset("morning afternoon evening".split())  # a greeting after "good" ("morning?" may follow up)
_GREETING_WORDS = _GREETINGS | _TIMES_OF_DAY | frozenset("good there everyone all folks guys team bot verbatim".split())
_ABOUT_THE_BOT = frozenset(
    {"who are you", "what are you", "what can you do", "what do you do", "how do you work", "how does this work"}
)
GREETED = "Hello! Ask me a question about the articles; every answer is quoted from them."


def greets(question: str) -> bool:
    """Whether the message only greets ("hello there!", "good morning everyone") or asks about the
    bot itself ("who are you?"): nothing is asked of the articles.
    """
    text = question.strip(" !?.").casefold()
    words = _COURTESY_WORD.findall(text) if len(text) <= 40 else []
    if words and all(w in _GREETING_WORDS for w in words):
        if any(w in _GREETINGS for w in words) or ("good" in words and any(w in _TIMES_OF_DAY for w in words)):
            return True
    return " ".join(words) in _ABOUT_THE_BOT


# A question about the bot's articles or how to ask it ("what articles do you have?", "what can you
# answer?", "how do I ask?", "what do you know about?"): searched, it was "No word of the question
# occurs in the articles", or sentences holding "answer" quoted. The whole message must be one of
# these shapes, each about "you"/"your" articles or how "I" ask: a question that names something
# ("what do you know about GM?", "what can you tell me about the ban?") is asked of the articles.
_THINGS = r"(?:articles|news|stories|sources|documents|texts|files|topics|subjects|papers)"
_ABOUT_THE_ARTICLES = re.compile(
    r"(?:(?:so|and|ok|okay|please|hey|hi|hello)\s+)?(?:"
    rf"(?:what|which)\s+{_THINGS}\s+(?:do|can|did)\s+you\s+(?:have|know|cover|index|hold|read|search"
    r"|answer(?:\s+(?:from|about|on))?)(?:\s+(?:indexed|about|on))?"
    r"|what\s+(?:can|do|could)\s+you\s+(?:answer|know|cover|tell\s+me)(?:\s+(?:about|on))?"
    r"|what\s+(?:do|have)\s+you\s+(?:have|got)(?:\s+indexed)?"
    r"|what\s+(?:questions|topics|subjects)\s+(?:can|do|could)\s+you\s+(?:answer|cover)"
    rf"|(?:what|which)\s+{_THINGS}\s+(?:are|is)\s+(?:indexed|in\s+(?:your|the)\s+(?:index|collection|database))"
    r"|what\s+(?:is|are)\s+(?:indexed|in\s+your\s+(?:index|collection|database|articles))"
    r"|what\s+(?:is|are)\s+your\s+(?:articles|sources|topics|collection|index)"
    r"|how\s+(?:do|can|should)\s+(?:i|we)\s+(?:ask|use)(?:\s+(?:you|this(?:\s+bot)?|it|the\s+bot|verbatim))?"
    r"(?:\s+(?:a\s+question|questions|something))?"
    r")"
)


def asks_about_the_articles(question: str) -> bool:
    """Whether the message asks what the bot has indexed or how to ask it ("what articles do you
    have?", "how do I ask?"): nothing is asked of the articles themselves.
    """
    text = " ".join(question.strip(" !?.").casefold().split())
    return len(text) <= 80 and _ABOUT_THE_ARTICLES.fullmatch(text) is not None


def what_is_indexed(articles: int, sentences: int) -> str:
    """What is indexed, for a question about it (the counts `/about` and `about` show)."""
    return (
        f"I have {plural(articles, 'news article')} indexed ({plural(sentences, 'sentence')}) and answer "
        "only from them, quoting their sentences word for word: ask about what they report (who, what, "
        "when, where); `/about` lists them."
    )
