"""Round 24 (qa24): front matter as a news desk's systems write it, through the CLI."""

import json
import warnings
from collections.abc import Callable
from pathlib import Path

Run = Callable[..., tuple[int, str, str]]


def _source(run: Run, doc_id: str) -> dict:
    code, out, err = run("source", doc_id, "--json")
    assert code == 0, err
    return json.loads(out)


def test_an_author_written_as_objects_with_roles_is_their_names(run: Run, tmp_path: Path) -> None:
    """A CMS or JSON Feed writes authors as objects (`{name, role}`, `{name, url}`): the names are
    the byline; before, the whole article was refused ("author lists a dict, not a name")."""
    desk = tmp_path / "desk"
    desk.mkdir()
    (desk / "pier.md").write_text(
        "---\nauthor: [{name: Jane Doe, role: reporter}, {name: John Roe, role: editor}]\n---\n"
        "The pier reopened on Tuesday after repairs.\n"
    )
    (desk / "wire.jsonl").write_text(
        json.dumps({"id": "w1", "text": "The ferry resumed service.", "author": {"name": "Sam Poe", "url": "x"}})
        + "\n"
        + json.dumps({"id": "w2", "text": "The port was busy.", "authors": [{"name": "Ana Vega"}, "Olaf Brandt"]})
        + "\n"
    )
    code, out, err = run("ingest", str(desk / "pier.md"), str(desk / "wire.jsonl"))
    assert code == 0, out + err
    assert _source(run, "pier")["author"] == "Jane Doe and John Roe"
    assert _source(run, "w1")["author"] == "Sam Poe"
    assert _source(run, "w2")["author"] == "Ana Vega and Olaf Brandt"


def test_an_author_object_without_a_name_is_still_refused(run: Run, tmp_path: Path) -> None:
    """A guard: an object that names no one is no author (the file is skipped, saying why)."""
    bad = tmp_path / "bad.md"
    bad.write_text("---\nauthor: {role: editor}\n---\nText.\n")
    code, out, err = run("ingest", str(bad))
    assert code == 2 and "author is a dict" in out + err


def test_a_date_with_a_time_zone_name_is_read_without_a_python_warning(run: Run, tmp_path: Path) -> None:
    """`November 27, 2026 9:30 a.m. EST`, `… CET`, `… ET`: dateutil warned on stderr (its own
    file and line, "In a future version, this will raise an exception") for every such name."""
    desk = tmp_path / "desk"
    desk.mkdir()
    dates = {
        "est": "November 26, 2026 9:30 a.m. EST",
        "cet": "27 Nov 2026 09:30 CET",
        "et": "Nov. 25, 2026, 9:30 AM ET",
    }
    for name, date in dates.items():
        (desk / f"{name}.md").write_text(f"---\ndate: {date}\n---\nThe harbour opened.\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code, out, err = run("ingest", *(str(desk / f"{name}.md") for name in dates))
    assert code == 0, out + err
    assert [str(w.message) for w in caught if "tzname" in str(w.message)] == []
    assert [_source(run, name)["date"] for name in dates] == ["2026-11-26", "2026-11-27", "2026-11-25"]


def test_a_date_without_a_year_is_refused_not_read_as_1900(run: Run, tmp_path: Path) -> None:
    """`date: 27 Nov` (a desk's short form) was 1900-11-27: citations, `source` and every relative
    date of the article's timeline in 1900. It is refused with a warning, as `date: yesterday` is,
    and the date inferred from the text."""
    desk = tmp_path / "desk"
    desk.mkdir()
    for name, date in {"a": "27 Nov", "b": "Nov. 27", "c": "Friday, 27 November"}.items():
        (desk / f"{name}.md").write_text(f"---\ndate: {date}\n---\nThe harbour opened on 20 November 2026.\n")
    code, out, err = run("ingest", str(desk / "a.md"), str(desk / "b.md"), str(desk / "c.md"))
    assert code == 0, out + err
    for name in "abc":
        shown = _source(run, name)
        assert shown["date"] == "2026-11-20" and shown["date_inferred"] is True, shown
    code, out, _ = run("index", "stats", "--json")
    said = [w for w in json.loads(out)["warnings"] if "has no year" in w]
    assert [w.split(":")[0] for w in said] == ["a.md", "b.md", "c.md"], said


def test_copies_ingested_together_are_each_named_once(run: Run, tmp_path: Path, caplog) -> None:
    """Three agencies' copies of one story in one `ingest`: the build named the second and the third
    as copies of the first, then the commit named all three again, each pair both ways ("'a' has the
    same text as 'b'", "'b' … as 'a'"): 30 syndicated pairs gave 90 lines. A copy of an article
    of an earlier ingest is still named, once."""
    desk = tmp_path / "desk"
    desk.mkdir()
    story = "The port reopened on Tuesday.\nShips queued outside the harbour.\n"
    for name in ("a", "b", "c", "d"):
        (desk / f"{name}.md").write_text(story)
    code, out, err = run("ingest", str(desk / "a.md"), str(desk / "b.md"), str(desk / "c.md"))
    assert code == 0, out + err
    said = [r.getMessage() for r in caplog.records if "same text" in r.getMessage()]
    assert len(said) == 2 and all("as 'a'" in line for line in said), said
    assert {line.split("article ")[1].split(" ")[0] for line in said} == {"'b'", "'c'"}, said
    caplog.clear()
    code, out, err = run("ingest", str(desk / "d.md"))
    said = [r.getMessage() for r in caplog.records if "same text" in r.getMessage()]
    assert code == 0 and len(said) == 1 and "article 'd' has the same text as" in said[0], said


def test_an_entity_type_is_understood_by_the_word_its_refusal_shows(run: Run) -> None:
    """`entities --type organisation` (the CLI's help says "people, organisations, products and
    places", Discord's `/entities` shows "organisation", and the refusal itself listed
    "org (organisation)") was refused as no type; `place`, `people`, `organization` too."""
    code, out, err = run("entities", "--type", "org")
    assert code == 0 and "[ORG]" in out, err
    for word in ("organisation", "Organisations", "organization", "place", "people", "products", "city"):
        code, other, err = run("entities", "--type", word)
        assert code == 0, (word, err)
    code, other, _ = run("entities", "--type", "organisation")
    assert other == out
    code, _, err = run("entities", "--type", "planet")
    assert code == 2 and "org (organisation)" in err


def test_a_title_wrapped_in_markdown_is_its_words(run: Run, tmp_path: Path) -> None:
    """A CMS that writes its headline in Markdown (`title: "**Port reopens**"`, `# Port reopens`)
    gave the title `**Port reopens**`: every citation, `source` and the `/source` suggestions
    showed the asterisks (escaped in Discord, `\\*\\*Port reopens\\*\\*`). Markup around the whole
    title is taken off; a title whose marks are its words is kept as written."""
    titles = {
        "a": ('"**Port reopens**"', "Port reopens"),
        "b": ('"_Port reopens_"', "Port reopens"),
        "c": ('"`Port reopens`"', "Port reopens"),
        "d": ('"# Port reopens"', "Port reopens"),
        "e": ('"## ***Port reopens***"', "Port reopens"),
        "f": ('"*Star*Corp buys the port"', "*Star*Corp buys the port"),
        "g": ('"**Port** reopens, **ferry** waits"', "**Port** reopens, **ferry** waits"),
        "h": ('"#MeToo rally at the port"', "#MeToo rally at the port"),
        "i": ('"C# 12 ships"', "C# 12 ships"),
    }
    desk = tmp_path / "desk"
    desk.mkdir()
    for name, (written, _) in titles.items():
        (desk / f"{name}.md").write_text(f"---\ntitle: {written}\n---\nThe port of {name} reopened.\n")
    code, out, err = run("ingest", *(str(desk / f"{name}.md") for name in titles))
    assert code == 0, out + err
    assert {name: _source(run, name)["title"] for name in titles} == {n: t for n, (_, t) in titles.items()}


def test_two_feeds_carrying_one_story_store_it_once_and_say_so(run: Run, monkeypatch, seeds_dir: Path, caplog) -> None:
    """Two followed feeds carry one item (the same GUID: an agency's story in a partner's feed, or
    one feed under two addresses). Its id is the GUID's, so both feeds' stories were one file in
    one commit: the second was refused (a warning in the log) yet `feeds poll` said "1 new article"
    for each and marked the second feed's item seen, so its correction, at the next poll, was
    refused again and lost. The second feed's copy is now left out of the commit with a note, its
    item left unseen, and its version comes in at the next poll."""
    from tests.feed_server import INDEX, NewsSite, item, rss, serve_pages

    monkeypatch.setenv("FEEDS_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("FEEDS_HOST_SPACING", "0")
    with NewsSite() as site:
        serve_pages(site)
        story = item(INDEX[0])
        site.routes["/a.xml"] = rss(site, [story], title="Agency A")
        site.routes["/b.xml"] = rss(site, [story], title="Agency B")
        assert run("follow", site.url("/a.xml"))[0] == 0 and run("follow", site.url("/b.xml"))[0] == 0
        code, out, err = run("feeds", "poll")
        assert code == 0, err
        assert "Agency A: 1 new article\n" in out and "Agency B: 0 new articles\n" in out, out
        assert "note: 1 story also came from Agency A in this poll" in out, out
        assert not [r for r in caplog.records if "refused" in r.getMessage()]
        (stored,) = seeds_dir.glob("feed_*.md")
        assert "source: Agency A" in stored.read_text()
        corrected = story | {"title": story["title"] + " (corrected)"}
        site.routes["/b.xml"] = rss(site, [corrected], title="Agency B")
        code, out, err = run("feeds", "poll")
        assert code == 0 and "Agency B: 1 new article" in out, out + err
        text = stored.read_text()
        assert "(corrected)" in text and "source: Agency B" in text, text


def test_two_files_of_one_id_in_one_ingest_are_told_apart_from_an_indexed_id(run: Run, tmp_path: Path) -> None:
    """`pier:2.md` and `pier?2.md` are both stored as `pier_2.md` (id `pier_2`); two drafts with
    `id: pier` the same. Without `--replace` the second was told "its ids are already used in the
    articles folder: 'pier_2' (in pier_2.md)" and "to replace articles already indexed … ingest
    it with --replace", though the articles folder had no such article before this command
    (and `--replace` would make it replace the first file of the command). It is told, as
    `--replace` tells it, which earlier file of this ingest holds that id."""
    desk = tmp_path / "desk"
    desk.mkdir()
    (desk / "pier:2.md").write_text("The pier opened on Monday.\n")
    (desk / "pier?2.md").write_text("The pier closed on Tuesday.\n")
    (desk / "a.md").write_text("---\nid: pier\n---\nThe pier reopened on Monday.\n")
    (desk / "b.md").write_text("---\nid: pier\n---\nThe pier closed again on Tuesday.\n")
    code, out, err = run("ingest", *(str(desk / name) for name in ("pier:2.md", "pier?2.md", "a.md", "b.md")))
    said = out + err
    assert code == 2, said
    assert "pier?2.md: refused, pier:2.md, earlier in this ingest, also holds 'pier_2'" in said, said
    assert "b.md: refused, a.md, earlier in this ingest, also holds 'pier'" in said, said
    assert "--replace" not in said and "already used" not in said, said


def test_a_byline_of_three_names_or_with_its_agency_in_brackets_names_the_authors(run: Run, tmp_path: Path) -> None:
    """`By Jane Doe, John Roe and Sam Poe` gave the author "Jane Doe" (the other two read as her
    role), and `By Jane Doe (Reuters)` was no byline: no author, and the line became the
    article's derived title. A role after a comma is still no name (`By John Roe, Staff Writer`,
    `By Ana Vega, Research and Development Editor`)."""
    lines = {
        "three": ("By Jane Doe, John Roe and Sam Poe", "Jane Doe, John Roe and Sam Poe"),
        "oxford": ("By Jane Doe, John Roe, and Sam Poe", "Jane Doe, John Roe, and Sam Poe"),
        "agency": ("By Jane Doe (Reuters)", "Jane Doe"),
        "two_agency": ("By Jane Doe and John Roe (AP)", "Jane Doe and John Roe"),
        "role": ("By John Roe, Staff Writer", "John Roe"),
        "role_and": ("By Ana Vega, Research and Development Editor", "Ana Vega"),
    }
    desk = tmp_path / "desk"
    desk.mkdir()
    for name, (byline, _) in lines.items():
        (desk / f"{name}.txt").write_text(f"{byline}\n\nThe council voted on Tuesday to close the {name} pier.\n")
    code, out, err = run("ingest", *(str(desk / f"{name}.txt") for name in lines))
    assert code == 0, out + err
    for name, (_, author) in lines.items():
        shown = _source(run, name)
        assert shown["author"] == author, (name, shown["author"])
        assert shown["title"].startswith("The council voted"), (name, shown["title"])


def test_an_author_field_written_as_a_byline_is_the_names(run: Run, tmp_path: Path) -> None:
    """A CMS exports its byline as the author (`author: By Jane Doe and John Roe`, `BY JANE DOE`):
    citations read "— By Jane Doe and John Roe" and "who wrote it" answered "Author: By Jane Doe…".
    The `By` goes, as a `By NAME` line's does; a name that starts with the letters (Byron) stays."""
    desk = tmp_path / "desk"
    desk.mkdir()
    authors = {"a": "By Jane Doe and John Roe", "b": "BY JANE DOE", "c": "[by Ana Vega, Byron Poe]", "d": "Byron Poe"}
    for name, author in authors.items():
        (desk / f"{name}.md").write_text(f"---\nauthor: {author}\n---\nThe {name} pier reopened.\n")
    code, out, err = run("ingest", *(str(desk / f"{name}.md") for name in authors))
    assert code == 0, out + err
    assert [_source(run, name)["author"] for name in authors] == [
        "Jane Doe and John Roe",
        "JANE DOE",
        "Ana Vega and Byron Poe",
        "Byron Poe",
    ]
