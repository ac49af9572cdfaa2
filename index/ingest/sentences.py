"""Split article bodies into sentence passages with exact offsets.

nltk's pretrained Punkt model is downloadable data that offline servers do not have, so Punkt
is trained here, unsupervised, on the corpus itself, seeded with a shipped list of news
abbreviations. Line breaks are hard boundaries: a sentence never spans two lines, so a
byline, a headline or a `READ:` line can never be glued to the next sentence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index import wordlists

if TYPE_CHECKING:  # nltk is imported where a splitter is made: importing it is slow
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

SPLITTER_VERSION = "4"  # 4: `By NAME | AGENCY`, `By NAME · 4 min read` (qa24b); 3: `By NAME (AGENCY)` (qa24)
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
# `By NAME`, `By NAME, ROLE` ("By John Roe, Staff Writer") or `By NAME (AGENCY)` ("By Jane Doe
# (Reuters)"): the role or agency is not part of the name.
BYLINE = re.compile(
    r"^[ \t]*By[ \t]+(?P<author>[^\W\d_][\w.'’ -]{1,80}?)"
    r"(?:[ \t]*,[ \t]*(?P<role>[^\W\d_][\w.'’ ,&/-]{1,60}?)|[ \t]*\([ \t]*[^\W\d_][\w.'’ &/-]{0,60}\))?"
    # a web page's tail after a bar or a dot: the agency or the reading time (`| Reuters`, `· 4 min read`)
    r"(?:[ \t]+[|·•][ \t]*[A-Z0-9À-ÖØ-Þ][\w.'’ &/:-]{0,40})?[ \t]*$",
    re.UNICODE,
)
# What follows the comma of `By Jane Doe, John Roe and Sam Poe` is more names, not a role, when
# each is two to four capitalised words ("Research and Development Editor" has a one-word part)
# and none ends in a word of a role (`_names`).
_ROLE_WORDS = frozenset(
    "writer writers editor editors correspondent correspondents reporter reporters staff press news "
    "bureau desk chief producer producers contributor contributors columnist analyst director".split()
)
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+")


def _abbreviations() -> set[str]:
    return set(wordlists.lines("abbreviations_en.txt"))


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
    budget, read, taken = max_chars, 0, 0
    seen: set[int] = set()
    for text in texts:
        if budget <= 0 or read >= max_read:
            break
        read += len(text)
        taken += 1
        if hash(text) in seen:
            continue
        seen.add(hash(text))
        chunk = text[:budget]
        budget -= len(chunk)
        trainer.train(chunk, finalize=False)
    trainer.finalize_training()
    params: PunktParameters = trainer.get_params()
    params.abbrev_types.update(_abbreviations())
    splitter = punkt.RememberingPunkt(params)
    # What a later commit needs to know (`splitter_json`): more text would not change this
    # training (its budget is spent), and how many texts it read (the corpus's first ones).
    splitter.complete, splitter.texts_read = budget <= 0 or read >= max_read, taken
    return splitter


def default_splitter() -> PunktSentenceTokenizer:
    """An untrained Punkt with just the shipped abbreviations (for one-off texts)."""
    from index.ingest import punkt

    return punkt.untrained(_abbreviations())


SAVED_SPLITTER_VERSION = "1"


def splitter_json(splitter: PunktSentenceTokenizer, read: Sequence[str] = (), last_file: str = "") -> bytes:
    """A trained splitter as JSON (saved with a build): a commit splits its new articles with the
    build's splitter, as a whole build of the same seeds would, not with one trained on the new
    articles alone (round 21: `U.S. Trust Corp.` cut at `U.S.` by a splitter of 100 articles).
    `read`: the ids of the articles it read (the collection's first `texts_read`), `last_file` the
    file of the last of them. Plain lists and numbers: never a pickle.
    """
    params = splitter._params
    data = {
        "version": SAVED_SPLITTER_VERSION,
        "complete": bool(getattr(splitter, "complete", False)),
        "texts_read": int(getattr(splitter, "texts_read", 0)),
        "read": list(read),
        "last_file": last_file,
        "abbrev_types": sorted(params.abbrev_types),
        "collocations": sorted([a, b] for a, b in params.collocations),
        "sent_starters": sorted(params.sent_starters),
        "ortho_context": sorted([word, int(flags)] for word, flags in params.ortho_context.items()),
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def load_splitter(data: bytes) -> PunktSentenceTokenizer:
    """The splitter saved by `splitter_json` (with its `complete`, `texts_read`, `read` ids and
    `last_file`); ValueError when `data` is not one.
    """
    from index.ingest import punkt  # first: it imports Punkt without the rest of nltk

    saved = json.loads(data)
    if not isinstance(saved, dict) or saved.get("version") != SAVED_SPLITTER_VERSION:
        raise ValueError("the saved splitter is of another version")
    params = punkt.parameters()
    params.abbrev_types = set(saved["abbrev_types"])
    params.collocations = {(a, b) for a, b in saved["collocations"]}
    params.sent_starters = set(saved["sent_starters"])
    params.ortho_context.update((word, int(flags)) for word, flags in saved["ortho_context"])
    splitter = punkt.RememberingPunkt(params)
    splitter.complete, splitter.texts_read = bool(saved["complete"]), int(saved["texts_read"])
    splitter.read, splitter.last_file = frozenset(saved["read"]), str(saved["last_file"])
    return splitter


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


def _line_paragraphs(lines: list[str]) -> list[int]:
    """Paragraph number of every line of a body cut into its lines (0 for a blank one: empty or
    all whitespace, tested without copying the line).

    A body with blank lines between blocks has blank-line paragraphs; a body without any
    (like scraped news, one paragraph a line) has one paragraph a line.
    """
    blank = [not line or line.isspace() for line in lines]
    filled = [i for i, empty in enumerate(blank) if not empty]
    blank_separated = any(blank[filled[0] : filled[-1] + 1]) if filled else False
    numbers, current, previous_blank = [], 0, True
    for empty in blank:
        if empty:
            numbers.append(0)
            previous_blank = True
            continue
        if previous_blank or not blank_separated:
            current += 1
        numbers.append(current)
        previous_blank = False
    return numbers


def _names(text: str) -> bool:
    """Whether `John Roe and Sam Poe` (after a byline's comma) is names rather than a role."""
    parts = [part for part in re.split(r",\s*(?:and\s+)?|\s+and\s+", text.strip()) if part]
    return all(
        re.fullmatch(r"[^\W\d_][\w.'’-]*(?: [^\W\d_][\w.'’-]*){1,3}", part)
        and part[0].isupper()
        and part.rsplit(" ", 1)[-1].lower() not in _ROLE_WORDS
        for part in parts
    )


def byline_author(body: str) -> tuple[str | None, tuple[int, int] | None]:
    """The author named by a `By NAME` line among the first three non-blank lines."""
    seen = 0
    for start, end in _lines(body):
        line = body[start:end]
        if not line.strip():
            continue
        match = BYLINE.match(line)
        if match:
            author, role = match.group("author").strip(), match.group("role")
            if role and " and " in role and _names(role):
                author = f"{author}, {role.strip()}"
            return author, (start, end)
        seen += 1
        if seen >= 3:
            break
    return None, None


# (start, end, paragraph, related, related_date): a `Span` as a tuple (the build makes millions)
SpanRow = tuple[int, int, int, bool, str | None]


def split_body(body: str, splitter: PunktSentenceTokenizer) -> list[Span]:
    """Sentence spans of a body; the byline is metadata, not a passage."""
    return [Span(*row) for row in sentence_rows(body, splitter)]


def sentence_rows(body: str, splitter: PunktSentenceTokenizer) -> list[SpanRow]:
    """`split_body` as tuples, each made once: the index build's sentence loop."""
    _, byline = byline_author(body)
    lines = body.split("\n")
    spans_of = splitter.span_tokenize
    line_rows = getattr(splitter, "line_rows", None)  # `RememberingPunkt`: a line's rows in one call
    found: list[SpanRow] = []
    # Paragraphs numbered as a reader counts them: the byline and blank lines are not paragraphs
    # (numbers only grow along the lines, so a count of the distinct ones seen is the dense number).
    dense, seen = 0, 0
    start = 0
    for number, line in zip(_line_paragraphs(lines), lines, strict=True):
        line_start, start = start, start + len(line) + 1
        if number == 0 or (byline and line_start == byline[0]):
            continue
        related = RELATED_LINE.match(line)
        if related:
            if number != seen:
                dense, seen = dense + 1, number
            s, e = related.span("text")
            found.append((line_start + s, line_start + e, dense, True, related.group("date")))
            continue
        heading = _HEADING.match(line)
        cut = heading.end() if heading else 0
        text = line[cut:] if cut else line
        offset = line_start + cut
        if line_rows is not None:  # the loop below, each row of the line numbered as it numbers the first
            paragraph = dense + 1 if number != seen else dense
            rows = line_rows(text, offset, paragraph)
            if rows:
                found += rows
                dense, seen = paragraph, number
            continue
        for s, e in spans_of(text):
            sentence = text[s:e]
            if sentence and not sentence.isspace():  # `sentence.strip()`, without the copy
                if number != seen:
                    dense, seen = dense + 1, number
                found.append((offset + s, offset + e, dense, False, None))
    return found
