"""Turn article text (a `.txt`/`.md` file, or a JSONL record) into an `Article`.

Front matter (`---` YAML block with `title`, `date`, `url`, `author`, `source`) is optional.
What is not given is derived and marked: the author from a `By NAME` byline, the title from
a Markdown heading or the first sentence (`title_derived`), the date from the text
(`date_inferred`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml
from dateutil import parser as dateparser

from .models import Article
from .sentences import RELATED_LINE, byline_author

FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(?P<yaml>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_HEADING = re.compile(r"^[ \t]*#[ \t]+(?P<title>.+?)[ \t#]*$", re.M)
_EXPLICIT_DATE = re.compile(
    r"\b(?P<month>January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+(?P<day>\d{1,2}),\s+(?P<year>(?:19|20)\d{2})\b"
)
TITLE_CHARS = 120


class ArticleError(ValueError):
    """An article that cannot be used; the message says why, for the ingest warning."""


def parse_date(value: Any) -> str | None:
    """An ISO date from what front matter or JSONL may hold (date, datetime, many strings)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dateparser.parse(str(value), default=dt.datetime(1900, 1, 1)).date().isoformat()
    except (ValueError, OverflowError) as exc:
        raise ArticleError(f"unreadable date {str(value)[:40]!r}") from exc


def infer_date(body: str) -> str | None:
    """Best guess of an undated article's publication date: its latest explicit full date.

    News refers back to dated events and related headlines carry their dates, so the newest
    explicit date is a lower bound that is usually within days of publication.
    """
    try:  # the temporal tagger knows more date shapes; fall back to full written dates.
        from .time import infer_publication_date
    except ImportError:  # pragma: no cover - only before the tagger existed
        infer_publication_date = None
    if infer_publication_date is not None:
        found = infer_publication_date(body)
        return found.isoformat() if found else None
    dates = []
    for m in _EXPLICIT_DATE.finditer(body):
        try:
            dates.append(dateparser.parse(m.group()).date())
        except (ValueError, OverflowError):
            continue
    return max(dates).isoformat() if dates else None


def derive_title(body: str) -> str | None:
    """A Markdown heading, else the first body sentence cut at a word boundary."""
    heading = _HEADING.search(body)
    if heading:
        return heading.group("title").strip()
    _, byline = byline_author(body)
    for line in body.split("\n"):
        line = line.strip()
        if not line or (byline and line == body[byline[0] : byline[1]].strip()) or RELATED_LINE.match(line):
            continue
        sentence = re.split(r"(?<=[.!?])\s", line, maxsplit=1)[0]
        if len(sentence) > TITLE_CHARS:
            sentence = sentence[:TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"
        return sentence
    return None


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def make_article(doc_id: str, body: str, meta: dict[str, Any] | None = None, path: str | None = None) -> Article:
    """Build an Article from a body and whatever metadata came with it."""
    meta = meta or {}
    if not body.strip():
        raise ArticleError("no text")
    author = _clean(meta.get("author")) or byline_author(body)[0]
    title = _clean(meta.get("title"))
    title_derived = title is None
    if title is None:
        title = derive_title(body) or doc_id
    date = parse_date(meta.get("date"))
    date_inferred = date is None
    if date is None:
        date = infer_date(body)
    return Article(
        doc_id=doc_id,
        title=title,
        body=body,
        author=author,
        date=date,
        url=_clean(meta.get("url")),
        source=_clean(meta.get("source")),
        title_derived=title_derived,
        date_inferred=date_inferred,
        path=path,
    )


def parse_text(doc_id: str, text: str, path: str | None = None) -> Article:
    """An article from a file's decoded text: optional YAML front matter, then the body."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta: dict[str, Any] = {}
    body = text.lstrip("\ufeff")
    match = FRONT_MATTER.match(text)
    if match:
        try:
            loaded = yaml.safe_load(match.group("yaml"))
        except yaml.YAMLError as exc:
            raise ArticleError(f"front matter is not valid YAML ({str(exc).splitlines()[0]})") from exc
        if loaded is not None and not isinstance(loaded, dict):
            raise ArticleError("front matter is not a mapping of keys to values")
        meta = loaded or {}
        body = text[match.end() :]
    return make_article(doc_id, body, meta, path)


def parse_record(record: Any, path: str | None = None) -> Article:
    """An article from one JSONL record: {"id","title","date","url","author","text"}."""
    if not isinstance(record, dict):
        raise ArticleError("record is not a JSON object")
    doc_id = _clean(record.get("id"))
    text = record.get("text")
    if doc_id is None:
        raise ArticleError("record has no id")
    if not isinstance(text, str):
        raise ArticleError(f"record {doc_id!r} has no text")
    body = text.replace("\r\n", "\n").replace("\r", "\n")
    return make_article(doc_id, body, record, path)
