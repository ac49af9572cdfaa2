"""An article file that is not UTF-8, taken in through `Corpus.add_files` (what `ingest` and
Discord's `/ingest` call): UTF-16 decoded once, when it is taken in, and kept as UTF-8 text; a
guessed code page kept as sent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.corpus import Corpus

TEXT = "---\ntitle: Café Müller reopens\n---\nJürgen Müller reopened the Café Müller on the pier on Monday.\n"


@pytest.mark.parametrize(("name", "encoding"), [("cafe.md", "utf-16"), ("cafe.txt", "utf-16-be")])
def test_an_article_in_utf16_is_stored_as_utf8_and_warned_about_once(tmp_path: Path, name: str, encoding: str) -> None:
    """A UTF-16 `.md` (Notepad's "Unicode", PowerShell's `>`) was stored as UTF-16 and every build
    after said "not UTF-8; decoded as utf_16" again, while a UTF-16 `.jsonl` is stored as UTF-8.
    The text read is the same; the warning is said by the ingest, never by a build after it."""
    seeds, index = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    data = TEXT.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # a big-endian file starts with its byte order mark
    change = Corpus.open(seeds, index).add_files([(name, data)])
    assert change.added == ["cafe"] and not change.refused, change
    assert [w for w in change.warnings if "not UTF-8" in w] == [
        f"{name}: not UTF-8; decoded as utf_16 and stored as UTF-8"
    ], change.warnings
    stored = (seeds / name).read_bytes()
    assert stored.decode("utf-8").replace("\r\n", "\n") == TEXT  # nothing lost, nothing doubled
    rebuilt = Corpus.open(seeds, tmp_path / "again")  # a build from nothing reads the stored file
    assert not rebuilt.stats()["warnings"], rebuilt.stats()["warnings"]
    assert rebuilt.stats()["articles"] == 1


def test_an_article_in_a_guessed_code_page_keeps_its_bytes(tmp_path: Path) -> None:
    """A code page is a guess (a short cp1252 line has been read as Big5): the file keeps the bytes
    it was sent with, so a better reading later loses nothing; each build says what it guessed."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    data = TEXT.encode("cp1252")
    change = Corpus.open(seeds, tmp_path / "index").add_files([("cafe.md", data)])
    assert change.added == ["cafe"] and not change.refused, change
    assert (seeds / "cafe.md").read_bytes() == data
    rebuilt = Corpus.open(seeds, tmp_path / "again")
    assert any("decoded as cp1252" in w for w in rebuilt.stats()["warnings"]), rebuilt.stats()["warnings"]
    assert rebuilt.stats()["articles"] == 1


def test_an_article_in_utf8_is_stored_byte_for_byte(tmp_path: Path) -> None:
    """UTF-8 (with its byte order mark and Windows line ends) is kept as sent: only a file that
    needed decoding is rewritten."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    data = b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode("utf-8")
    change = Corpus.open(seeds, tmp_path / "index").add_files([("cafe.md", data)])
    assert change.added == ["cafe"] and not change.warnings, change
    assert (seeds / "cafe.md").read_bytes() == data


def test_an_article_no_encoding_fits_is_kept_as_sent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Bytes no encoding fits are read with U+FFFD in their place: stored so, they would be lost
    for good, so the file keeps its own bytes (and its warning at each build)."""
    import charset_normalizer

    class NoGuess:
        def best(self) -> None:
            return None

    monkeypatch.setattr(charset_normalizer, "from_bytes", lambda data: NoGuess())
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    data = b"The pier \x81 story reopened on Monday.\n"
    change = Corpus.open(seeds, tmp_path / "index").add_files([("pier.md", data)])
    assert change.added == ["pier"] and any("no encoding fits" in w for w in change.warnings), change
    assert (seeds / "pier.md").read_bytes() == data


def test_an_article_within_the_limit_as_sent_is_not_pushed_over_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chinese text takes 2 bytes a character in UTF-16 and 3 in UTF-8: an article the limit
    lets in as sent is kept as sent rather than refused as UTF-8."""
    from index.ingest import files

    text = "码头罢工于周一结束。" * 8
    data = text.encode("utf-16")
    monkeypatch.setattr(files, "MAX_ARTICLE_BYTES", len(data) + 10)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    change = Corpus.open(seeds, tmp_path / "index").add_files([("port.md", data)])
    assert change.added == ["port"] and not change.refused, change
    assert (seeds / "port.md").read_bytes() == data


def test_ingest_of_a_utf16_article_says_once_that_it_was_stored_as_utf8(run, tmp_path, index_dir, caplog):
    """The CLI shows what a build logs: a UTF-16 `.md` was warned about by every build after it
    ("not UTF-8; decoded as utf_16"); stored as UTF-8 now, the ingest says so, and nothing after."""
    article = tmp_path / "cafe.md"
    article.write_bytes("---\ntitle: Café\n---\nJürgen Müller reopened the Café Müller on Monday.\n".encode("utf-16"))
    code, out, err = run("ingest", str(article))
    assert code == 0 and "added 1 article (cafe)" in out, (out, err)
    said = [r.getMessage() for r in caplog.records if "not UTF-8" in r.getMessage()]  # the CLI's stderr
    assert said == ["ingest: cafe.md: not UTF-8; decoded as utf_16 and stored as UTF-8"], said
    shutil.rmtree(index_dir)  # a build from nothing reads the stored file
    caplog.clear()
    code, out, err = run("about")
    assert code == 0 and "not UTF-8" not in err + out + caplog.text, (out, err, caplog.text)
