"""Turn article text (a `.txt`/`.md` file, or a JSONL record) into an `Article`.

Front matter (`---` YAML block with `id`, `title`, `date`, `url`, `author`, `source`) is optional.
An article's id is its identity: the front matter's `id` (the JSONL record's `id`), else the
name the caller gives (the file's stem).
What is not given is derived and marked: the author from a `By NAME` byline, the title from
a Markdown heading or the first sentence (`title_derived`), the date from the text
(`date_inferred`). A headline the text sets apart (its first line, short and unpunctuated, over a
byline or a blank line, or a `# heading` there) is the writer's title: taken, not derived.

Front matter is untrusted input: it is size-capped, read by a YAML loader that refuses
aliases (a few hundred bytes of nested aliases expand to gigabytes), and every field is
type-checked. A field of the wrong type skips the article with a warning saying which; a
date that cannot be read (or is relative, like "yesterday") only warns, and the date is
inferred from the text instead.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from functools import lru_cache
from typing import Any

from index.ingest.sentences import BYLINE, RELATED_LINE, byline_author
from index.models import Article

FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(?P<yaml>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
# Bump when the same file makes a different Article (title, author, date and its precision): a
# saved index records it (`index.search.build.settings`) and is rebuilt rather than keep the old
# reading. 2: a `.txt` headline is the title; a year- or month-only date keeps its precision.
# 3: decomposed accents are composed (NFC), so an index built from such a file reads it again.
# 4: ids too (a front matter or JSONL `id` typed on a Mac is the id typed elsewhere), and a
# front matter `id: 007` (or title, author, source, link) is "007", not YAML's 7.
# 5: an author written as an object is its name (was refused); a date without a year is none (was
# 1900); a front-matter title in Markdown (`**Port reopens**`, `# Port reopens`) is its words; an
# author written `By Jane Doe` is `Jane Doe`. 6: an inferred date is no birth date ("Newton b. Dec
# 25, 1642"); `By Jane Doe | Reuters` and `By Jane Doe · 4 min read` are bylines (qa24b).
# 7: a date line right under the byline is the publication date, not inferred (fix28).
ARTICLES_VERSION = "7"
MAX_FRONT_MATTER = 16_384  # characters; real front matter is a few hundred
MAX_FIELD_CHARS = 2_000  # a title, url, author or source longer than this is not one
_TEXT_FIELDS = ("title", "url", "source")
_RELATIVE_DATE = re.compile(
    r"\b(?:yesterday|today|tonight|tomorrow|now|ago|last|next|this|recently|week|weekend)\b", re.I
)
_NUMERIC_DATE = re.compile(r"^\s*(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<year>\d{2}|\d{4})\s*$")
# 2016-06-16: what `date.fromisoformat` reads as dateutil does (0.1-0.3 ms an article in `parse_date`),
# month first only: day first, dateutil reads 2016-06-05 as 6 May.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NO_YEAR = dt.datetime(1900, 1, 1)  # dateutil's default for what a date leaves out; a 1900 read again tells
_HEADING = re.compile(r"^[ \t]*#[ \t]+(?P<title>.+?)[ \t#]*$", re.M)
# A front-matter title in Markdown: a heading's `#`s, then one emphasis or code mark around it all.
_TITLE_HEADING = re.compile(r"#{1,6}[ \t]+(?P<title>.+?)(?:[ \t]+#+)?")
_TITLE_WRAPPED = re.compile(r"(?P<mark>\*{1,3}|_{1,3}|`{1,3})(?P<title>[^\s*_`](?:.*[^\s*_`])?)(?P=mark)")
# A date that names only a year (`2026`) or a month (`2026-11`, `November 2026`): read as its first day.
_YEAR_ONLY = re.compile(r"\s*[0-9]{4}\s*")
_MONTH_ONLY = re.compile(
    r"\s*(?:[0-9]{4}[-/.](?:0?[1-9]|1[0-2])|(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?,?\s+[0-9]{4})\s*",
    re.I,
)
TITLE_CHARS = 120
HEADLINE_CHARS = 150  # a first line longer than this is a paragraph, not a headline
HEADLINE_WORDS = 3  # ... and one shorter is a dateline or a label ("WASHINGTON", "Exclusive")
_SENTENCE_END = re.compile(r"[.!?…:;,][\"'”’)\]]*$")  # a sentence or a lead-in ends so; a headline does not
_QUESTION_END = re.compile(r"[?!][\"'”’)\]]*$")  # a headline may ask or exclaim, over a byline
MAX_ID_CHARS = 200


class ArticleError(ValueError):
    """An article that cannot be used; the message says why, for the ingest warning."""


@lru_cache(maxsize=1)
def _no_alias_loader(as_text: bool = False) -> type[Any]:
    """PyYAML's safe loader without aliases: `*name` is refused, so nothing can be expanded;
    `as_text`: its base loader, which reads every scalar as the text written (`007`, not 7).

    Made on first use: a process that reads no front matter (`ask`, `entities`) never imports
    yaml (0.03-0.05 s of a fresh process).
    """
    import yaml

    base: type[Any] = yaml.BaseLoader if as_text else yaml.SafeLoader

    def compose_node(self: Any, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in front matter", event.start_mark
            )
        return base.compose_node(self, parent, index)

    return type("NoAliasLoader", (base,), {"compose_node": compose_node})


def load_front_matter(text: str) -> dict[str, Any]:
    """The front matter mapping, or ArticleError saying why it cannot be used."""
    if len(text) > MAX_FRONT_MATTER:
        raise ArticleError(f"front matter is {len(text):,} characters; the limit is {MAX_FRONT_MATTER:,}")
    import yaml  # imported here: see `_no_alias_loader`

    try:
        loaded = yaml.load(text, Loader=_no_alias_loader())  # a SafeLoader without aliases
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: a timestamp that is no day (2026-02-30)
        loaded = _with_plain_values(text, yaml)
        if loaded is None:
            raise ArticleError(f"front matter is not valid YAML ({str(exc).splitlines()[0]})") from exc
    except RecursionError as exc:
        raise ArticleError("front matter is nested too deeply") from exc
    except Exception as exc:  # a tag's own constructor failing its own way (`!!bool maybe`: KeyError)
        raise ArticleError(f"front matter is not valid YAML ({type(exc).__name__}: {exc})"[:200]) from exc
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ArticleError("front matter is not a mapping of keys to values")
    return loaded


_PLAIN_KEY = re.compile(r"([A-Za-z_][\w-]*):[ \t]+(?=[^\s\"'\[{|>&*!%@`#])")


def _with_plain_values(text: str, yaml: Any) -> Any:
    """Front matter YAML refused, read again with each plain `key: value` line's value as text:
    `title: Breaking: fire at the warehouse` is how desks write headlines, and YAML refuses the
    second colon. None when it still cannot be read (the first error is the one reported).
    Only front matter YAML refused is read this way, so valid front matter reads as before.
    Line by line, without backtracking: linear in the front matter's length.
    """
    lines = text.split("\n")
    for n, line in enumerate(lines):
        key = _PLAIN_KEY.match(line)
        if key is None:
            continue
        value = line[key.end() :]
        comment = min((i for i in (value.find(" #"), value.find("\t#")) if i >= 0), default=len(value))
        value = value[:comment].rstrip()
        lines[n] = f"{key[1]}: {json.dumps(value, ensure_ascii=False)}"  # a JSON string is YAML
    quoted = "\n".join(lines)
    if quoted == text:
        return None
    try:
        return yaml.load(quoted, Loader=_no_alias_loader())
    except (yaml.YAMLError, RecursionError):
        return None


def parse_date(value: Any, *, day_first: bool = False, warnings: list[str] | None = None) -> str | None:
    """An ISO date from what front matter or JSONL may hold (date, datetime, many strings).

    None when there is no date or it cannot be used; the reason goes to `warnings` (the
    article is kept and its date inferred). `03/04/2009` is read month first unless
    `day_first`, with a warning whenever both readings are possible.
    """
    notes = warnings if warnings is not None else []
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, str | int):
        notes.append(f"date is a {type(value).__name__}, not a date; the date is inferred from the text")
        return None
    text = str(value).strip()
    shown = text[:40]
    if len(text) > 100:
        notes.append(f"date {shown!r}… is too long to be a date; the date is inferred from the text")
        return None
    if _RELATIVE_DATE.search(text) or not any(ch.isdigit() for ch in text):  # "Tuesday" would be a day of 1900
        notes.append(
            f"date {shown!r} is relative; write a calendar date such as 2026-07-04 "
            "(the date is inferred from the text instead)"
        )
        return None
    if not day_first and _ISO_DATE.fullmatch(text):  # the common case, read as dateutil reads it
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            pass  # not a calendar date (2016-02-30): dateutil's reading and warning
    from dateutil import parser as dateparser  # imported here: only a front-matter date needs it

    try:  # the day as written: a zone (`EST`, `+01:00`) moves no date, and dateutil warns on a name
        read = dateparser.parse(text, default=_NO_YEAR, dayfirst=day_first, ignoretz=True)
        if read.year == _NO_YEAR.year and _NO_YEAR.year != (
            dateparser.parse(text, default=_NO_YEAR.replace(year=1901), dayfirst=day_first, ignoretz=True).year
        ):  # `27 Nov`: the year was the default's, not the text's
            notes.append(f"date {shown!r} has no year; write 2026-11-27 (the date is inferred from the text instead)")
            return None
    except (ValueError, OverflowError):
        notes.append(f"unreadable date {shown!r}; the date is inferred from the text")
        return None
    parsed = read.date()
    numeric = _NUMERIC_DATE.match(text)
    if numeric and int(numeric["a"]) <= 12 and int(numeric["b"]) <= 12 and numeric["a"] != numeric["b"]:
        order = "day first" if day_first else "month first"
        other = "false" if day_first else "true"
        notes.append(
            f"date {shown!r} is ambiguous; read {order} as {parsed.isoformat()} "
            f"(set DATE_DAY_FIRST={other} for the other reading, or write 2026-07-04)"
        )
    return parsed.isoformat()


def date_precision(value: Any) -> str | None:
    """`year` or `month` when a written date names only that, None otherwise (a day, or none)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    text = str(value)
    if _YEAR_ONLY.fullmatch(text):
        return "year"
    return "month" if _MONTH_ONLY.fullmatch(text) else None


_DATE_LINE_CHARS = 40  # "Wednesday, September 30, 2026, 12:00 UTC" is about as long as one gets
_YEAR = re.compile(r"\b[0-9]{4}\b")


def dated_line(body: str) -> str | None:
    """The line right under a `By NAME` byline when it is only a date (`June 01, 2009`,
    `2009-06-01`, `Monday, June 1, 2009`): how a desk's `.txt` writes its publication date, read
    as front matter's `date` is (it was only the text's latest date, so "(inferred)"). None when
    there is no byline, the line under it is blank or holds more than a date, or names no year.
    """
    _, byline = byline_author(body)
    if byline is None:
        return None
    line = body[byline[1] + 1 :].partition("\n")[0].strip()
    if not line or len(line) > _DATE_LINE_CHARS or not _YEAR.search(line):
        return None
    return line if parse_date(line, warnings=[]) is not None else None


def infer_date(body: str) -> str | None:
    """Best guess of an undated article's publication date: its latest explicit full date.

    News refers back to dated events and related headlines carry their dates, so the newest
    explicit date is a lower bound that is usually within days of publication.
    """
    from index.time import infer_publication_date  # the temporal tagger (imported when needed: it is large)

    found = infer_publication_date(_without_related_lines(body))
    return found.isoformat() if found else None


def _without_related_lines(body: str) -> str:
    """The body with `READ: headline (date)` lines blanked: another article's date is not ours."""
    lines = body.split("\n")
    return "\n".join(" " * len(line) if RELATED_LINE.match(line) else line for line in lines)


def headline(body: str) -> str | None:
    """The headline the writer set apart on the body's first line, None when there is none.

    A `# heading` there, or a short line of 3 words or more with no sentence end, followed by a
    blank line or a `By NAME` line (`?` and `!` only over a byline: a question is also a
    paragraph) and then by text. The line stays in the body: it is a passage, searchable, as a
    Markdown heading is, since a headline is how readers name the story. Only the first three
    lines are read.
    """
    lines = body.lstrip("\n").split("\n", 2)
    first = lines[0].strip()
    if not first or len(first) > HEADLINE_CHARS or RELATED_LINE.match(first) or BYLINE.match(first):
        return None
    heading = _HEADING.match(first)
    if heading:
        return heading.group("title").strip() or None
    if len(lines) < 3 or not lines[2].strip():  # a headline heads something
        return None
    if len(first.split()) < HEADLINE_WORDS or not any(ch.isalpha() for ch in first):  # a dateline, a label
        return None
    below = lines[1]
    over_byline = BYLINE.match(below) is not None
    if not (over_byline or not below.strip()):
        return None
    if _SENTENCE_END.search(first) and not (over_byline and _QUESTION_END.search(first)):
        return None
    return first


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


def _text_field(meta: dict[str, Any], key: str) -> str | None:
    """A string field: strings and numbers are taken as written, a date (`title: 2026-11-20`, a
    daily briefing's headline) as YAML read it; anything else is refused.
    """
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, dt.date):
        value = value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ArticleError(f"{key} is a {type(value).__name__}, not text")
    text = " ".join(str(value).split())
    if len(text) > MAX_FIELD_CHARS:
        raise ArticleError(f"{key} is {len(text):,} characters; the limit is {MAX_FIELD_CHARS:,}")
    return text or None


def _without_markup(title: str) -> str:
    """A headline as words: `**Port reopens**`, `# Port reopens`, `` `Port reopens` `` (a CMS that
    writes titles in Markdown) is `Port reopens`. Only markup around the whole title goes: a mark
    inside it (`*Star*Corp`, `**Port** and **ferry**`) or a `#` not followed by a space (`#MeToo`,
    `C# 12`) is the title's own, kept as written.
    """
    if heading := _TITLE_HEADING.fullmatch(title):
        title = heading["title"]
    wrapped = _TITLE_WRAPPED.fullmatch(title)
    if wrapped and wrapped["mark"][0] not in wrapped["title"]:
        title = wrapped["title"]
    return title


def join_names(names: list[str]) -> str:
    """`Jane Doe and John Roe`, `A, B and C`: a list of authors as a byline writes it."""
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _named(value: Any) -> Any:
    """A person written as an object, as CMS exports and JSON Feed do (`{name: Jane Doe, role:
    reporter}`, `{"name": …, "url": …}`), is their name (a byline drops the role too); an object
    without a name, or anything else, is left for the type check to refuse.
    """
    if (
        isinstance(value, dict)
        and isinstance(value.get("name"), str | int | float)
        and not isinstance(value["name"], bool)
    ):
        return value["name"]
    return value


_BY = re.compile(r"by\s+(?=[^\W\d_])", re.I)


def _without_by(name: str) -> str:
    """`By Jane Doe` (a CMS's byline exported as the author) is `Jane Doe`, as a `By` line's name."""
    by = _BY.match(name)
    return name[by.end() :] if by else name


def _author_field(meta: dict[str, Any]) -> str | None:
    """`author` (or `authors`): one name, or a list of names joined as a byline writes them."""
    key = "author" if meta.get("author") is not None else "authors"
    value = _named(meta.get(key))
    if isinstance(value, list):
        names = []
        for item in map(_named, value):
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                raise ArticleError(f"{key} lists a {type(item).__name__}, not a name")
            if name := _without_by(" ".join(str(item).split())):
                names.append(name)
        text = join_names(names)
        if len(text) > MAX_FIELD_CHARS:
            raise ArticleError(f"{key} is {len(text):,} characters; the limit is {MAX_FIELD_CHARS:,}")
        return text or None
    one = _text_field({key: value}, key)
    return _without_by(one) if one else None


def composed(text: str) -> str:
    """`text` with its accents composed (NFC): macOS, PDFs and some CMSs write `é` as `e` and a
    combining accent, which the names recogniser reads as a word's end (`Müller` became `Mu`) and
    a reader's `é` never equals. The same text to Unicode (canonically equivalent), so a quote
    stays word for word; text already composed (nearly all) is returned as it is.
    """
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def make_article(
    doc_id: str,
    body: str,
    meta: dict[str, Any] | None = None,
    path: str | None = None,
    *,
    day_first: bool = False,
    warnings: list[str] | None = None,
) -> Article:
    """Build an Article from a body and whatever metadata came with it.

    ArticleError when the article cannot be used (no text, a field of the wrong type);
    lesser problems (an unusable date) are appended to `warnings` and the article is kept.
    """
    meta = meta or {}
    if not body.strip():
        raise ArticleError("no text")
    body = composed(body)
    fields = {key: None if (value := _text_field(meta, key)) is None else composed(value) for key in _TEXT_FIELDS}
    fields["title"] = fields["title"] and _without_markup(fields["title"])
    author = _author_field(meta)
    author = composed(author) if author else byline_author(body)[0]
    title = fields["title"] or headline(body)
    title_derived = title is None
    if title is None:
        title = derive_title(body) or doc_id
    written = meta.get("date")
    if written is None or written == "":
        written = dated_line(body)  # a desk's date line under its byline
    date = parse_date(written, day_first=day_first, warnings=warnings)
    date_inferred = date is None
    precision = None if date is None else date_precision(written)
    if date is None:
        date = infer_date(body)
    return Article(
        doc_id=doc_id,
        title=title,
        body=body,
        author=author,
        date=date,
        url=fields["url"],
        source=fields["source"],
        title_derived=title_derived,
        date_inferred=date_inferred,
        path=path,
        date_precision=precision,
    )


_UNTYPABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})  # control, format, unassigned, line breaks


def checked_id(raw: Any, where: str) -> str:
    """An article id as written (text or a whole number), stripped and composed (NFC: `café` typed
    on a Mac is the `café` typed elsewhere, not a second article that looks the same);
    ArticleError when unusable.
    """
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise ArticleError(f"{where} has no id" if raw is None else f"{where}'s id is not text")
    doc_id = composed(str(raw).strip())
    if not doc_id:
        raise ArticleError(f"{where} has no id")
    if len(doc_id) > MAX_ID_CHARS:
        raise ArticleError(f"{where}'s id is over {MAX_ID_CHARS} characters")
    if not (doc_id.isascii() and doc_id.isprintable()) and any(
        unicodedata.category(ch) in _UNTYPABLE for ch in doc_id
    ):  # shown without it, it could not be typed to remove the article (NUL not at all)
        raise ArticleError(f"{where}'s id {doc_id[:60]!r} has an invisible or control character")
    return doc_id


def front_matter_id(text: str) -> str | None:
    """The `id:` of a file's front matter, None when it has none (or none that can be used).

    Reads only the front matter, so it is cheap enough to run over every file of the seeds.
    """
    match = FRONT_MATTER.match(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not match:
        return None
    try:
        meta = load_front_matter(match.group("yaml"))
        if meta.get("id") is None:
            return None
        return checked_id(written_fields({"id": meta["id"]}, match.group("yaml"))["id"], "front matter")
    except ArticleError:
        return None


_WRITTEN_KEYS = ("id", "title", "source", "author", "authors")  # not `url`: `url: true` is a mistake


def _typed(value: Any) -> bool:
    """Whether YAML turned a scalar (or a list's) into a number or a boolean: `007`, `12:30`, `Yes`."""
    if isinstance(value, list):
        return any(_typed(item) for item in value)
    return isinstance(value, bool | int | float)


def written_fields(meta: dict[str, Any], front_matter: str) -> dict[str, Any]:
    """`meta` with its id, title, source and author as written. YAML makes a plain `007`
    the number 7, `0x1F` 31, `12:30` 750 (base 60) and `Yes` true: none is the id the desk types
    to `source` or `remove` it, nor the headline it wrote (`title: Yes` was refused, the article
    with it). Such a scalar is read again as its text (a date is read as before: its ISO form is
    how it was written, but an id is never a date); only front matter holding one is read twice.
    """
    typed = [key for key in _WRITTEN_KEYS if _typed(meta.get(key))]
    if isinstance(meta.get("id"), dt.date):  # `id: 2026-11-20`: no id is a date (a title may be)
        typed.append("id")
    if not typed:
        return meta
    import yaml

    try:
        raw = yaml.load(front_matter, Loader=_no_alias_loader(as_text=True))
    except (yaml.YAMLError, RecursionError):
        return meta
    if not isinstance(raw, dict):
        return meta
    return meta | {key: raw[key] for key in typed if isinstance(raw.get(key), str | list)}


def parse_text(
    doc_id: str, text: str, path: str | None = None, *, day_first: bool = False, warnings: list[str] | None = None
) -> Article:
    """An article from a file's decoded text: optional YAML front matter, then the body.

    `doc_id` (the file's stem) is used unless the front matter gives an `id`.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta: dict[str, Any] = {}
    body = text.lstrip("\ufeff")
    match = FRONT_MATTER.match(text)
    if match:
        meta = written_fields(load_front_matter(match.group("yaml")), match.group("yaml"))
        body = text[match.end() :]
        if meta.get("id") is not None:
            doc_id = checked_id(meta["id"], "front matter")
    return make_article(doc_id, body, meta, path, day_first=day_first, warnings=warnings)


def parse_record(
    record: Any, path: str | None = None, *, day_first: bool = False, warnings: list[str] | None = None
) -> Article:
    """An article from one JSONL record: {"id","title","date","url","author","text"}."""
    if not isinstance(record, dict):
        raise ArticleError("record is not a JSON object")
    doc_id = checked_id(record.get("id"), "record")
    text = record.get("text")
    if not isinstance(text, str):
        raise ArticleError(f"record {doc_id!r} has no text")
    body = text.replace("\r\n", "\n").replace("\r", "\n")
    return make_article(doc_id, body, record, path, day_first=day_first, warnings=warnings)
