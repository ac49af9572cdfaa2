"""Split article bodies into sentence passages with exact offsets.

nltk's pretrained Punkt model is downloadable data that offline servers do not have, so Punkt
is trained here, unsupervised, on the corpus itself, seeded with a shipped list of news
abbreviations. Line breaks are hard boundaries: a sentence never spans two lines, so a
byline, a headline or a `READ:` line can never be glued to the next sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # nltk is imported where a splitter is made: importing it is slow
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

SPLITTER_VERSION = "2"
TRAINING_CHARS = 1_000_000  # Punkt's statistics settle well before this; caps build time.
# Characters read (repeats included) after which training stops even short of TRAINING_CHARS of
# unique text: a corpus of copies (wire repeats, the benchmark's replicated SQuAD) made the
# training read go through all its seeds. Every benchmark corpus up to 1M sentences (150 MB) and
# every test is below it, so their splitter is the one trained on the whole read.
TRAINING_READ_CHARS = 200_000_000

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|"
    "December|Jan\\.?|Feb\\.?|Mar\\.?|Apr\\.?|Jun\\.?|Jul\\.?|Aug\\.?|Sept?\\.?|Oct\\.?|"
    "Nov\\.?|Dec\\.?"
)
# `READ: <headline> (<Month D, YYYY>)`: the headline of a related article, not body text.
RELATED_LINE = re.compile(
    r"^[ \t]*(?:READ|Read|READ MORE|Read more|ALSO READ|Also read|RELATED|Related)\s*:\s*"
    r"(?P<text>(?P<headline>.+?)(?:\s*\((?P<date>(?:" + _MONTHS + r")\s+\d{1,2},?\s+\d{4})\))?)"
    r"\s*$"
)
# `By NAME` or `By NAME, ROLE` ("By John Roe, Staff Writer"): the role is not part of the name.
BYLINE = re.compile(
    r"^[ \t]*By[ \t]+(?P<author>[^\W\d_][\w.'’ -]{1,80}?)"
    r"(?:[ \t]*,[ \t]*(?P<role>[^\W\d_][\w.'’ &/-]{1,60}?))?[ \t]*$",
    re.UNICODE,
)
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+")


def _abbreviations() -> set[str]:
    text = resources.files("index.data").joinpath("abbreviations_en.txt").read_text("utf-8")
    return {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}


def train_splitter(
    texts: Iterable[str], max_chars: int = TRAINING_CHARS, max_read: int = TRAINING_READ_CHARS
) -> PunktSentenceTokenizer:
    """Train Punkt on (a prefix of) the corpus and add the shipped abbreviations: the unique texts'
    first `max_chars` characters, among the first `max_read` characters read.

    Repeated texts (wire copies, duplicated feeds) are seen once: counted twice they teach
    Punkt false collocations that glue sentences together. For the same reason only Punkt's
    default collocations are learnt (after initials and numbers: "C. J. Anderson"): with
    INCLUDE_ALL_COLLOCS any frequent word pair across a full stop ("selections. Pro Bowl",
    "wrong. I") joined two sentences into one passage.
    """
    from index.ingest import punkt

    trainer = punkt.trainer()
    budget, read = max_chars, 0
    seen: set[int] = set()
    for text in texts:
        if budget <= 0 or read >= max_read:
            break
        read += len(text)
        if hash(text) in seen:
            continue
        seen.add(hash(text))
        chunk = text[:budget]
        budget -= len(chunk)
        trainer.train(chunk, finalize=False)
    trainer.finalize_training()
    params: PunktParameters = trainer.get_params()
    params.abbrev_types.update(_abbreviations())
    return punkt.RememberingPunkt(params)


def default_splitter() -> PunktSentenceTokenizer:
    """An untrained Punkt with just the shipped abbreviations (for one-off texts)."""
    from nltk.tokenize.punkt import PunktParameters

    from index.ingest.punkt import RememberingPunkt

    params = PunktParameters()
    params.abbrev_types.update(_abbreviations())
    return RememberingPunkt(params)


@dataclass(frozen=True, slots=True)
class Span:
    """A sentence found in a body: offsets, paragraph, and whether it is a related headline."""

    start: int
    end: int
    paragraph: int
    related: bool = False
    related_date: str | None = None  # the headline's own date as written, e.g. "July 2, 2026"


def _lines(body: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every line, without its newline."""
    pos = 0
    for line in body.split("\n"):
        yield pos, pos + len(line)
        pos += len(line) + 1


def _paragraph_numbers(body: str) -> list[int]:
    """Paragraph number of every line (0 for blank lines).

    A body with blank lines between blocks has blank-line paragraphs; a body without any
    (like scraped news, one paragraph a line) has one paragraph a line.
    """
    lines = body.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    inner = lines[filled[0] : filled[-1] + 1] if filled else []
    blank_separated = any(not line.strip() for line in inner)
    numbers, current, previous_blank = [], 0, True
    for line in lines:
        if not line.strip():
            numbers.append(0)
            previous_blank = True
            continue
        if previous_blank or not blank_separated:
            current += 1
        numbers.append(current)
        previous_blank = False
    return numbers


def byline_author(body: str) -> tuple[str | None, tuple[int, int] | None]:
    """The author named by a `By NAME` line among the first three non-blank lines."""
    seen = 0
    for start, end in _lines(body):
        line = body[start:end]
        if not line.strip():
            continue
        match = BYLINE.match(line)
        if match:
            return match.group("author").strip(), (start, end)
        seen += 1
        if seen >= 3:
            break
    return None, None


def split_body(body: str, splitter: PunktSentenceTokenizer) -> list[Span]:
    """Sentence spans of a body; the byline is metadata, not a passage."""
    _, byline = byline_author(body)
    paragraphs = _paragraph_numbers(body)
    found: list[tuple[int, int, int, bool, str | None]] = []  # each Span made once, numbered
    for number, (start, end) in zip(paragraphs, _lines(body), strict=False):
        if number == 0 or (byline and start == byline[0]):
            continue
        line = body[start:end]
        related = RELATED_LINE.match(line)
        if related:
            s, e = related.span("text")
            found.append((start + s, start + e, number, True, related.group("date")))
            continue
        heading = _HEADING.match(line)
        offset = start + (heading.end() if heading else 0)
        for s, e in splitter.span_tokenize(body[offset:end]):
            if body[offset + s : offset + e].strip():
                found.append((offset + s, offset + e, number, False, None))
    # Number paragraphs as a reader counts them: the byline and blank lines are not paragraphs.
    dense = {n: i for i, n in enumerate(sorted({f[2] for f in found}), start=1)}
    return [Span(s, e, dense[n], related, date) for s, e, n, related, date in found]
