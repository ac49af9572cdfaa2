"""Issue 20 (hostile uploads, bad luck) and issue 21 (metadata as people write it), ingest side.

Each test names the protection it checks; docs/reliability.md lists the mutation that makes it fail.
"""

from __future__ import annotations

import json
import os
import stat
import threading
import time
from pathlib import Path

import pytest

from index.corpus import Corpus
from index.ingest import files as ingest
from index.ingest.articles import parse_text
from index.ingest.files import MAX_ARTICLE_BYTES, load_seeds, read_file, save_upload, seed_files

BILLION_LAUGHS = (
    "---\n"
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
    "title: *i\n"
    "---\nThe body of a hostile article.\n"
)


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# ---------------------------------------------------------------------- item 2: YAML front matter
def test_yaml_aliases_are_refused_fast_and_the_article_skipped(tmp_path):
    _write(tmp_path, "laughs.md", BILLION_LAUGHS)
    _write(tmp_path, "good.md", "A good article.")
    result = load_seeds(tmp_path)  # refused on the aliases, before any expansion
    assert [a.doc_id for a in result.articles] == ["good"]
    assert any("laughs.md" in w and "aliases" in w for w in result.warnings), result.warnings


@pytest.mark.parametrize(
    "front,message",
    [
        ("title: [a, b]", "title is a list"),
        ("title: {x: 1}", "title is a dict"),
        ("url: true", "url is a bool"),
        ("author: {role: x}", "author is a dict"),  # an object that names no one (qa24: `{name: x}` is x)
        ("author: [Jane, [x]]", "author lists a list"),
        ("title: " + "[" * 1500 + "]" * 1500, "nested too deeply"),
        ("title: " + "x" * 20_000, "limit"),
    ],
)
def test_front_matter_fields_are_type_checked(tmp_path, front, message):
    _write(tmp_path, "bad.md", f"---\n{front}\n---\nBody text.\n")
    result = load_seeds(tmp_path)
    assert not result.articles
    assert any("bad.md: skipped" in w and message in w for w in result.warnings), result.warnings


# ---------------------------------------------------------------------- item 3: concurrent uploads
def _race(seeds: Path, payloads: list[bytes]) -> tuple[list, list]:
    """Upload every payload as `race.md` from its own thread, all released at once."""
    barrier = threading.Barrier(len(payloads))
    saved, errors = [], []

    def upload(data: bytes) -> None:
        barrier.wait()
        try:
            saved.append(save_upload(seeds, "race.md", data))
        except Exception as exc:  # the assertions show it
            errors.append(exc)

    threads = [threading.Thread(target=upload, args=(data,)) for data in payloads]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return saved, errors


def test_concurrent_uploads_of_one_name_all_land(tmp_path):
    """Six articles with their own ids and one file name: six files, none over another."""
    seeds = tmp_path / "seeds"
    saved, errors = _race(seeds, [f"---\nid: race-{n}\n---\nVersion {n} of the race.".encode() for n in range(6)])
    assert not errors
    assert len(seed_files(seeds)) == 6 and len({s.path for s in saved}) == 6
    assert sorted((a.doc_id, a.body) for a in load_seeds(seeds).articles) == [
        (f"race-{n}", f"Version {n} of the race.") for n in range(6)
    ]


def test_concurrent_uploads_of_one_id_land_once(tmp_path):
    """Six versions of one article (one id) at once: one lands, five are refused, none is lost."""
    seeds = tmp_path / "seeds"
    saved, errors = _race(seeds, [f"Version {n} of the race.".encode() for n in range(6)])
    assert len(saved) == 1 and len(errors) == 5 and all(isinstance(e, ingest.IdTaken) for e in errors)
    assert [p.name for p in seed_files(seeds)] == ["race.md"]
    assert [a.doc_id for a in load_seeds(seeds).articles] == ["race"]


def test_write_new_is_exclusive_even_when_the_name_appears_late(tmp_path, monkeypatch):
    """Another writer creates the name between the check and the write: it is not overwritten."""
    target = tmp_path / "late.md"
    real_temp = ingest._temp_file

    def temp_then_rival(folder, data):
        tmp = real_temp(folder, data)
        if not target.exists():
            target.write_bytes(b"The rival's article.")
        return tmp

    monkeypatch.setattr(ingest, "_temp_file", temp_then_rival)
    written = ingest.write_new(target, b"Mine.")
    assert target.read_bytes() == b"The rival's article." and written.read_bytes() == b"Mine."


# ---------------------------------------------------------------------- item 4: ids are not taken over
def test_an_upload_never_takes_over_an_article_id_unless_asked(tmp_path):
    seeds = tmp_path / "seeds"
    _write(seeds, "ban.md", "The ban takes effect July 10.")
    record = {"id": "ban", "text": "The ban takes effect December 25."}
    with pytest.raises(ingest.IdTaken, match="already used.*'ban'.*Nothing"):
        save_upload(seeds, "aaa.jsonl", json.dumps(record).encode())
    assert [p.name for p in seed_files(seeds)] == ["ban.md"]
    assert [a.body for a in load_seeds(seeds).articles] == ["The ban takes effect July 10."]
    done = save_upload(seeds, "aaa.jsonl", json.dumps(record).encode(), replace=True)
    assert done.replaced == ["ban"] and done.ids == ["ban"]
    assert [a.body for a in load_seeds(seeds).articles] == ["The ban takes effect December 25."]


def test_replace_of_a_record_keeps_the_rest_of_its_collection(tmp_path):
    seeds = tmp_path / "seeds"
    lines = [{"id": "a", "text": "Old A."}, {"id": "b", "text": "B stays."}]
    _write(seeds, "feed.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n")
    with pytest.raises(ValueError, match="'a'"):
        save_upload(seeds, "a.md", b"New A.")
    done = save_upload(seeds, "a.md", b"New A.", replace=True)
    assert done.replaced == ["a"]
    assert sorted((a.doc_id, a.body) for a in load_seeds(seeds).articles) == [("a", "New A."), ("b", "B stays.")]


def test_same_name_is_numbered_without_replace_and_replaced_with_it(tmp_path):
    seeds = tmp_path / "seeds"
    save_upload(seeds, "note.md", b"First.")
    with pytest.raises(ingest.IdTaken, match="'note'.*Nothing"):  # the same id again: refused
        save_upload(seeds, "note.md", b"Second.")
    third = save_upload(seeds, "note.md", b"Third.", replace=True)
    assert third.path.name == "note.md" and third.replaced == ["note"]
    assert (seeds / "note.md").read_bytes() == b"Third." and len(seed_files(seeds)) == 1


def test_a_name_held_by_another_id_is_numbered_and_keeps_its_own_id(tmp_path):
    """`note.md` holds the article `other`: a new `note.md` (id `note`) lands as `note-2.md` with
    `id: "note"` in its front matter, so its identity does not become `note-2`.
    """
    seeds = tmp_path / "seeds"
    _write(seeds, "note.md", "---\nid: other\n---\nThe other article.")
    done = save_upload(seeds, "note.md", b"---\ntitle: Note\n---\nThe note itself.")
    assert done.path.name == "note-2.md" and done.ids == ["note"] and not done.replaced
    articles = {a.doc_id: a for a in load_seeds(seeds).articles}
    assert sorted(articles) == ["note", "other"]
    assert articles["note"].body == "The note itself." and articles["note"].title == "Note"
    with pytest.raises(ingest.IdTaken, match="'note' \\(in note-2.md\\)"):
        save_upload(seeds, "note.md", b"Again.")


def test_front_matter_id_is_the_identity(tmp_path):
    seeds = tmp_path / "seeds"
    _write(seeds, "2026-07-03-ban.md", "---\nid: ban\ntitle: Ban\n---\nThe ban takes effect July 10.")
    assert [a.doc_id for a in load_seeds(seeds).articles] == ["ban"]
    with pytest.raises(ingest.IdTaken, match="'ban'"):
        save_upload(seeds, "ban-correction.md", b"---\nid: ban\n---\nThe ban takes effect July 12.")
    done = save_upload(seeds, "ban-correction.md", b"---\nid: ban\n---\nThe ban takes effect July 12.", replace=True)
    assert done.replaced == ["ban"] and [p.name for p in seed_files(seeds)] == ["ban-correction.md"]
    assert [(a.doc_id, a.body) for a in load_seeds(seeds).articles] == [("ban", "The ban takes effect July 12.")]


def test_replacing_a_collection_keeps_its_records_the_new_version_lacks(tmp_path):
    """Replacing is by id: a record the new collection does not hold stays (removing is `remove`)."""
    seeds = tmp_path / "seeds"
    lines = [{"id": "a", "text": "Old A."}, {"id": "b", "text": "B stays."}]
    _write(seeds, "feed.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n")
    done = save_upload(seeds, "feed.jsonl", json.dumps({"id": "a", "text": "New A."}).encode(), replace=True)
    assert done.replaced == ["a"] and done.path.name == "feed-2.jsonl"
    assert sorted((a.doc_id, a.body) for a in load_seeds(seeds).articles) == [("a", "New A."), ("b", "B stays.")]
    whole = [{"id": "a", "text": "Newer A."}, {"id": "b", "text": "New B."}]
    again = save_upload(seeds, "feed.jsonl", "\n".join(json.dumps(x) for x in whole).encode(), replace=True)
    assert sorted(again.replaced) == ["a", "b"] and [p.name for p in seed_files(seeds)] == [again.path.name]


def test_remove_ids_takes_files_and_records_out(tmp_path):
    seeds = tmp_path / "seeds"
    _write(seeds, "one.md", "One.")
    _write(seeds, "feed.jsonl", json.dumps({"id": "a", "text": "A."}) + "\n" + json.dumps({"id": "b", "text": "B."}))
    with ingest.seeds_lock(seeds):
        removed, unknown = ingest.remove_ids(seeds, ["one", "a", "zzz", "one"])
    assert removed == ["one", "a"] and unknown == ["zzz"]
    assert [a.doc_id for a in load_seeds(seeds).articles] == ["b"]


def test_a_second_writer_waits_and_says_so(tmp_path):
    seeds = tmp_path / "seeds"
    said, order = [], []
    with ingest.seeds_lock(seeds) as waited:
        assert not waited

        def second() -> None:
            with ingest.seeds_lock(seeds, on_wait=lambda: said.append("waiting")) as waited_too:
                order.append(("second", waited_too))

        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.3)
        order.append(("first", False))
    thread.join(5)
    assert said == ["waiting"] and order == [("first", False), ("second", True)]


# ---------------------------------------------------------------------- item 5: one bad file
def _unreadable(monkeypatch, name: str) -> None:
    """chmod 000 does not stop root (the tests may run as root): refuse opening `name` instead."""
    real_open = Path.open

    def guarded(self, *args, **kwargs):
        if self.name == name:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded)


def test_an_unreadable_seed_is_skipped_with_a_warning(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    _write(seeds, "good.md", "The council voted on Tuesday.")
    _write(seeds, "locked.md", "Nobody can read this.")
    _unreadable(monkeypatch, "locked.md")
    corpus = Corpus.open(seeds, tmp_path / "index")
    assert [a.doc_id for a in corpus.articles()] == ["good"]
    assert any("locked.md" in w and "cannot read" in w for w in corpus.stats()["warnings"])


def test_an_unreadable_seed_does_not_stop_the_cli(tmp_path, monkeypatch, capsys):
    from bot.cli import main

    seeds = tmp_path / "seeds"
    _write(seeds, "good.md", "The council voted on Tuesday.")
    _write(seeds, "locked.md", "Nobody can read this.")
    _unreadable(monkeypatch, "locked.md")
    args = ["--seeds", str(seeds), "--index-dir", str(tmp_path / "index")]
    assert main([*args, "index", "build"]) == 0
    assert main([*args, "ask", "When did the council vote?"]) == 0
    assert "council voted" in capsys.readouterr().out


def test_deeply_nested_json_records_are_skipped(tmp_path):
    deep = '{"id": "deep", "text": "x", "title": ' + "[" * 100_000 + "]" * 100_000 + "}"
    _write(tmp_path, "feed.jsonl", deep + "\n" + json.dumps({"id": "ok", "text": "Fine."}) + "\n")
    result = load_seeds(tmp_path)
    assert [a.doc_id for a in result.articles] == ["ok"]
    assert any("feed.jsonl:1: skipped" in w for w in result.warnings)


# ---------------------------------------------------------------------- item 10: links
def test_links_out_of_the_seeds_folder_are_not_followed(tmp_path):
    seeds = tmp_path / "seeds"
    _write(seeds, "real.md", "A real article.")
    secret = _write(tmp_path, ".env", "DISCORD_TOKEN=secret-token-value")
    (seeds / "notes.txt").symlink_to(secret)
    (seeds / "inside.txt").symlink_to(seeds / "real.md")  # a link within the folder is fine
    outside_dir = tmp_path / "elsewhere"
    _write(outside_dir, "x.md", "Outside text.")
    (seeds / "sub").symlink_to(outside_dir, target_is_directory=True)
    names = sorted(p.relative_to(seeds).as_posix() for p in seed_files(seeds))
    assert names == ["inside.txt", "real.md"]
    assert all("secret" not in a.body for a in load_seeds(seeds).articles)


# ---------------------------------------------------------------------- item 11: JSONL record cap
def test_one_jsonl_record_over_the_article_limit_is_skipped(tmp_path):
    big = json.dumps({"id": "big", "text": "word " * (MAX_ARTICLE_BYTES // 5 + 10)})
    _write(tmp_path, "feed.jsonl", big + "\n" + json.dumps({"id": "ok", "text": "Fine."}) + "\n")
    result = load_seeds(tmp_path)
    assert [a.doc_id for a in result.articles] == ["ok"]
    assert any("feed.jsonl:1: skipped" in w and "limit" in w for w in result.warnings)


# ---------------------------------------------------------------------- item 12: file modes
def test_ingested_files_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        saved = save_upload(tmp_path / "seeds", "a.md", b"An article.")
        replaced = save_upload(tmp_path / "seeds", "a.md", b"Again.", replace=True)
    finally:
        os.umask(old)
    assert stat.S_IMODE(saved.path.stat().st_mode) == 0o644
    assert stat.S_IMODE(replaced.path.stat().st_mode) == 0o644


# ---------------------------------------------------------------------- item 14: binary files
def test_binary_files_are_judged_whole(tmp_path):
    rng = __import__("random").Random(7)
    noise = bytes(rng.randrange(1, 256) for _ in range(200_000))  # no NUL byte at all
    _write(tmp_path, "noise.txt", noise)
    _write(tmp_path, "late_nul.txt", b"Plain text. " * 1000 + b"\x00" + b"More text. " * 10)
    _write(tmp_path, "good.txt", "Ordinary text with a café and “quotes”.")
    result = load_seeds(tmp_path)
    assert [a.doc_id for a in result.articles] == ["good"]
    assert sum("binary" in w for w in result.warnings) == 2


# ---------------------------------------------------------------------- issue 21: metadata as people write it
def test_byline_with_a_role_names_the_author():
    article = parse_text("x", "By John Roe, Staff Writer\nThe council voted on Tuesday.\n")
    assert article.author == "John Roe"
    assert article.title == "The council voted on Tuesday."


def test_a_yaml_author_list_is_joined():
    two = parse_text("x", "---\nauthor: [Jane Doe, John Roe]\n---\nText.\n")
    three = parse_text("x", "---\nauthors:\n  - A One\n  - B Two\n  - C Three\n---\nText.\n")
    assert two.author == "Jane Doe and John Roe"
    assert three.author == "A One, B Two and C Three"


def test_an_ambiguous_numeric_date_warns_and_day_first_is_a_setting(tmp_path):
    _write(tmp_path, "a.md", "---\ndate: 03/04/2009\n---\nText.\n")
    _write(tmp_path, "b.md", "---\ndate: 25/04/2009\n---\nText.\n")  # only one reading: no warning
    month_first = load_seeds(tmp_path)
    assert [a.date for a in month_first.articles] == ["2009-03-04", "2009-04-25"]
    (warning,) = month_first.warnings
    assert warning.startswith("a.md: ") and "ambiguous" in warning and "DATE_DAY_FIRST" in warning
    day_first = load_seeds(tmp_path, day_first=True)
    assert [a.date for a in day_first.articles] == ["2009-04-03", "2009-04-25"]


@pytest.mark.parametrize(
    "value", ["yesterday", "3 days ago", "last Tuesday", "Tuesday", "not a date at all", "13/13/2009"]
)
def test_a_relative_or_unreadable_date_warns_and_keeps_the_article(tmp_path, value):
    _write(tmp_path, "a.md", f"---\ndate: {value}\n---\nThe vote was held on March 3, 2025.\n")
    result = read_file(tmp_path / "a.md")
    (article,) = result.articles
    assert article.date_inferred and article.date == "2025-03-03"
    assert any("a.md:" in w and value in w and "inferred" in w for w in result.warnings), result.warnings


def test_an_inferred_date_never_comes_from_a_related_headline():
    body = (
        "The council voted on Tuesday to close the bridge.\n"
        "READ: Bridge repairs delayed again (July 2, 2026)\n"
        "Work is expected to start in the spring.\n"
    )
    article = parse_text("x", body)
    assert article.date is None and article.date_inferred
    dated = parse_text("y", body + "The vote was held on March 3, 2025.\n")
    assert dated.date == "2025-03-03"


def test_index_generations_follow_the_umask(tmp_path):
    from index.search import store

    seeds = tmp_path / "seeds"
    _write(seeds, "a.md", "An article.")
    old = os.umask(0o022)
    try:
        Corpus.open(seeds, tmp_path / "index")
    finally:
        os.umask(old)
    generation = store.current_generation(tmp_path / "index")
    assert stat.S_IMODE(generation.stat().st_mode) == 0o755
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o644 for p in generation.iterdir())
