import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.ingest.articles import parse_text
from index.ingest.files import MAX_ARTICLE_BYTES, IdTaken, load_seeds, read_file, save_upload


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_front_matter_is_metadata_and_offsets_point_into_the_body(tmp_path):
    _write(
        tmp_path,
        "a.md",
        "---\ntitle: Given title\ndate: 2026-07-05\nurl: https://example.com/a\n"
        "author: Jane Doe\nsource: Wire\n---\nBody starts. Second sentence.\n",
    )
    result = load_seeds(tmp_path)
    (article,) = result.articles
    assert (article.title, article.date, article.url, article.author, article.source) == (
        "Given title",
        "2026-07-05",
        "https://example.com/a",
        "Jane Doe",
        "Wire",
    )
    assert not article.title_derived and not article.date_inferred
    assert article.body == "Body starts. Second sentence.\n"


def test_missing_title_and_date_are_derived_and_marked(tmp_path):
    _write(tmp_path, "b.txt", "By Sam Reporter\nThe council voted on Tuesday. It met on March 3, 2025.\n")
    (article,) = load_seeds(tmp_path).articles
    assert article.author == "Sam Reporter"
    assert article.title_derived and article.title == "The council voted on Tuesday."
    assert article.date_inferred and article.date == "2025-03-03"


def test_jsonl_collection(tmp_path):
    lines = [
        {"id": "x1", "title": "T1", "date": "July 4, 2026", "url": "u", "author": "A", "text": "One. Two."},
        {"id": "x2", "text": "Three."},
        "not an object",
        {"id": "x3"},
    ]
    _write(tmp_path, "c.jsonl", "\n".join(json.dumps(rec) for rec in lines) + "\n{broken\n")
    result = load_seeds(tmp_path)
    assert [a.doc_id for a in result.articles] == ["x1", "x2"]
    assert result.articles[0].date == "2026-07-04"
    assert len(result.warnings) == 3 and all("c.jsonl:" in w for w in result.warnings)


def test_bad_files_warn_and_never_stop_the_others(tmp_path):
    _write(tmp_path, "good.txt", "A good article.")
    _write(tmp_path, "empty.txt", "")
    _write(tmp_path, "latin1.txt", "Le café était fermé à Zürich.".encode("cp1252"))
    _write(tmp_path, "binary.txt", b"\x00\x01\x02garbage")
    _write(tmp_path, "badyaml.md", "---\ntitle: [unclosed\n---\nText.")
    _write(tmp_path, "listyaml.md", "---\n- a\n- b\n---\nText.")
    _write(tmp_path, "huge.txt", b"x" * (MAX_ARTICLE_BYTES + 1))
    _write(tmp_path, "ignored.pdf", b"%PDF")
    result = load_seeds(tmp_path)
    ids = sorted(a.doc_id for a in result.articles)
    assert ids == ["good", "latin1"]
    latin = next(a for a in result.articles if a.doc_id == "latin1")
    assert "café" in latin.body and "Zürich" in latin.body
    text = "\n".join(result.warnings)
    for name in ("empty.txt", "latin1.txt", "binary.txt", "badyaml.md", "listyaml.md", "huge.txt"):
        assert name in text
    assert "ignored.pdf" not in text


def test_duplicate_ids_keep_the_first(tmp_path):
    _write(tmp_path, "same.txt", "From the txt.")
    _write(tmp_path, "same.md", "From the md.")
    result = load_seeds(tmp_path)
    assert [a.body for a in result.articles] == ["From the md."]
    assert "already indexed" in result.warnings[0]


@pytest.mark.parametrize("name", ["../../etc/passwd.txt", "..\\..\\evil.md", "/abs/path/x.jsonl", ".hidden.txt"])
def test_upload_names_cannot_leave_the_seeds_folder(tmp_path, name):
    seeds = tmp_path / "seeds"
    data = b'{"id": "u1", "text": "An uploaded article."}' if name.endswith(".jsonl") else b"An uploaded article."
    path = save_upload(seeds, name, data).path
    assert path.parent == seeds and path.exists() and not path.name.startswith(".")


@pytest.mark.parametrize(
    "name,data,message", [("evil.exe", b"x", "only"), ("a.txt", b"", "no text"), ("a.txt", b"x" * 200, "limit")]
)
def test_upload_rejections_say_why(tmp_path, name, data, message):
    with pytest.raises(ValueError, match=message):
        save_upload(tmp_path, name, data, max_bytes=100)
    assert not any(tmp_path.iterdir())


def test_upload_never_overwrites(tmp_path):
    first = save_upload(tmp_path, "a.txt", b"One.").path
    with pytest.raises(IdTaken, match="'a'"):  # the same id: refused, not stored beside it
        save_upload(tmp_path, "a.txt", b"Two.")
    second = save_upload(tmp_path, "a.txt", b"---\nid: b\n---\nTwo.").path  # another id: a numbered name
    assert first != second and first.read_bytes() == b"One."
    assert sorted((a.doc_id, a.body) for a in load_seeds(tmp_path).articles) == [("a", "One."), ("b", "Two.")]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.binary(max_size=3000))
def test_random_bytes_never_raise(tmp_path, data):
    path = tmp_path / "fuzz.txt"
    path.write_bytes(data)
    result = read_file(path)
    for article in result.articles:
        assert article.body.strip()


def test_control_characters_are_counted_alike_in_ascii_and_other_text():
    """The ASCII count (bytes deleted in C) and the pattern's agree: a binary-looking text is
    skipped either way, and \\t \\n \\r and form feed are text."""
    from index.ingest.files import MIN_CONTROLS, decode

    controls = "".join(chr(c) for c in range(1, 32) if chr(c) not in "\t\n\f\r") + "\x7f"  # NUL: binary at once
    for filler in ("plain text ", "plain text é "):
        binary = (filler * 2 + controls * 4) * MIN_CONTROLS
        assert decode(binary.encode("utf-8"), "x")[0] is None
        text = (filler * 60 + "\t\n\f\r" * 40 + controls) * MIN_CONTROLS
        assert decode(text.encode("utf-8"), "x")[0] == text


@given(st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32), st.booleans())
def test_iso_dates_are_read_as_dateutil_reads_them(year, month, day, day_first):
    """`parse_date` reads YYYY-MM-DD without dateutil (month first): the same date, or the same
    refusal with a warning (2016-02-30), as dateutil's reading that it skips."""
    import datetime as dt

    from dateutil import parser as dateparser

    from index.ingest.articles import parse_date

    text = f"{year:04d}-{month:02d}-{day:02d}"
    notes: list[str] = []
    try:
        expected = dateparser.parse(text, default=dt.datetime(1900, 1, 1), dayfirst=day_first).date().isoformat()
    except (ValueError, OverflowError):
        expected = None
    assert parse_date(text, day_first=day_first, warnings=notes) == expected
    assert bool(notes) == (expected is None)


@pytest.mark.parametrize(
    "text, encoding",
    [
        # short Western texts that charset_normalizer takes for cp775 (Baltic) or cp1006 (Urdu)
        (
            "Café owners near Port Vale said the strike cost them 30 percent of their trade in October.\n\n"
            "The owner of Café Müller, Jürgen Müller, said he had laid off two staff.\n",
            "cp1252",
        ),
        ("Café Müller", "cp1252"),
        # taken for cp852 (Central European), whose `ó` byte is a caron: a modifier letter, no script
        (
            "By the late 19th century scientists realized that air could be liquefied. Oxygen was liquified in "
            "stable state for the first time on March 29, 1883 by Polish scientists from Jagiellonian "
            "University, Zygmunt Wróblewski and Karol Olszewski.",
            "cp1252",
        ),
        # a single-byte code page of another script, recognised as its language, is kept
        ("Забастовка в порту Вейл закончилась в понедельник. Профсоюз принял повышение зарплаты.", "cp1251"),
        ("Η απεργία στο λιμάνι τελείωσε τη Δευτέρα. Το σωματείο δέχτηκε αύξηση μισθού.", "cp1253"),
        ("ストライキは月曜日に終わった。組合は賃上げを受け入れた。", "shift_jis"),
    ],
)
def test_a_file_not_in_utf8_is_read_in_its_own_code_page(text, encoding):
    """A news desk's cp1252 export read as `Cafķ M³ller` (cp775), a Russian cp1251 one as
    `Çàáàñòîâêà` (every `cp125*` guess was taken as Windows-1252)."""
    from index.ingest.files import decode

    decoded, warning = decode(text.encode(encoding), "a.txt")
    assert decoded == text and warning is not None and "not UTF-8" in warning


def test_a_txt_headline_over_a_byline_is_the_title_and_stays_searchable(tmp_path):
    _write(
        tmp_path,
        "h.txt",
        "Government pledges £18 million to flood-hit towns\nBy Sam Reporter\n"
        "The money will pay for repairs. Work starts in March.\n",
    )
    (article,) = load_seeds(tmp_path).articles
    assert article.title == "Government pledges £18 million to flood-hit towns"
    assert not article.title_derived  # shown as the story's title, not "Untitled (…)"
    assert article.author == "Sam Reporter"
    assert article.body.startswith("Government pledges")  # the headline is still text the index reads


@pytest.mark.parametrize(
    "text",
    [
        "Bridge to close for repairs\n\nThe bridge will close on Monday. It reopens in May.\n",
        "# Bridge to close for repairs\nThe bridge will close on Monday.\n",
        "Is the bridge safe?\nBy Sam Reporter\nEngineers say it is. They checked it on Monday.\n",
    ],
)
def test_headlines_a_blank_line_or_a_markdown_mark_sets_apart(tmp_path, text):
    _write(tmp_path, "h.txt", text)
    (article,) = load_seeds(tmp_path).articles
    assert not article.title_derived and article.title == text.split("\n")[0].lstrip("# ")


@pytest.mark.parametrize(
    "text",
    [
        "The council voted on Tuesday.\n\nIt met on March 3, 2025.\n",  # a sentence, not a headline
        "The council voted on Tuesday to close the bridge\nfor repairs, a spokesman said.\n",  # a wrapped line
        "Bridge to close for repairs\n",  # the whole article
        "The council voted " + "on the plan to close the bridge " * 6 + "\n\nMore text follows.\n",  # too long
        "Read on:\n\nThe council voted on Tuesday.\n",  # a lead-in
        "WASHINGTON\n\nThe Senate voted on Tuesday.\n",  # a dateline
        "Exclusive report\nBy Sam Reporter\nThe Senate voted on Tuesday.\n",  # a label
    ],
)
def test_lines_that_are_no_headline_still_give_a_derived_title(tmp_path, text):
    _write(tmp_path, "n.txt", text)
    (article,) = load_seeds(tmp_path).articles
    assert article.title_derived


def test_the_bundled_seed_keeps_its_derived_title():
    seeds = Path(__file__).resolve().parents[3] / "seeds"
    (article,) = load_seeds(seeds).articles
    assert article.title_derived and article.title.startswith("Alibaba, the Chinese tech giant")


@pytest.mark.parametrize(
    "written,date,precision",
    [
        ("2026", "2026-01-01", "year"),
        ("'2026'", "2026-01-01", "year"),
        ("2026-11", "2026-11-01", "month"),
        ("November 2026", "2026-11-01", "month"),
        ("Nov. 2026", "2026-11-01", "month"),
        ("2026-11-20", "2026-11-20", None),
        ("November 20, 2026", "2026-11-20", None),
    ],
)
def test_a_date_of_only_a_year_or_a_month_says_so(tmp_path, written, date, precision):
    _write(tmp_path, "y.md", f"---\ndate: {written}\n---\nThe bridge closed on Friday.\n")
    (article,) = load_seeds(tmp_path).articles
    assert (article.date, article.date_precision, article.date_inferred) == (date, precision, False)
    assert ("date_precision" in article.meta()) == (precision is not None)  # no key where there is a day


@pytest.mark.parametrize(
    ("head", "date", "precision"),
    [
        ("GM files for bankruptcy\nBy Jane Doe, Staff Writer\nJune 01, 2009\n\n", "2009-06-01", None),
        ("By Jane Doe\n2009-06-01\n\n", "2009-06-01", None),
        ("GM files for bankruptcy\nBy Jane Doe\nMonday, June 1, 2009\n\n", "2009-06-01", None),
    ],
)
def test_a_date_line_under_the_byline_is_the_publication_date(head, date, precision):
    """qa28news: a desk's `.txt` (headline, `By` line, date line, then the story) was dated
    "2009-06-01 (inferred)": the date line was read only as the text's latest date. Directly under
    the byline a line that is only a date is the date the desk wrote the story for."""
    body = head + "DETROIT (Desk Wire) — General Motors filed for bankruptcy on Monday, ending a century.\n"
    article = parse_text("gm", body)
    assert (article.date, article.date_precision, article.date_inferred) == (date, precision, False)


@pytest.mark.parametrize(
    "head",
    [
        "By Jane Doe\nThe vote was held on June 1, 2009.\n\n",  # a sentence, not a date line
        "By Jane Doe\n\nJune 01, 2009\n\n",  # not under the byline
        "June 01, 2009\nThe council met.\n\n",  # no byline
        "By Jane Doe\nyesterday\n\n",  # no date
    ],
)
def test_other_dates_near_the_top_are_still_inferred(head):
    article = parse_text("x", head + "The council voted on Tuesday.\n")
    assert article.date_inferred
