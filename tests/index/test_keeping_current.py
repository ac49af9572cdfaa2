"""Issue 16, corrections and removals: an article's id is its identity, and the CLI and the
library follow one policy (`Corpus.add_files`, `Corpus.remove`).

Each test checks the effect where a reader sees it (answers, `source`, the timeline, the
entities), through `python -m bot` (`cli.main`, or real processes for the writer lock).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.cli import main
from index.corpus import Corpus

ROOT = Path(__file__).resolve().parents[2]
OLD = (
    "---\ntitle: Port strike\ndate: 2026-03-02\n---\n"
    "Dock workers at the Port of Rotterdam will strike on March 9, 2026, the union said.\n"
    "The strike was called by Marta Vos, who leads the union.\n"
)
NEW = (
    "---\ntitle: Port strike called off\ndate: 2026-03-04\n---\n"
    "Dock workers in Antwerp called off the strike planned for April 14, 2026.\n"
    "The decision was announced by Pieter Claes, the union's leader.\n"
)
STRIKE = "When is the dock strike?"


@pytest.fixture
def desk(tmp_path: Path) -> tuple[list[str], Path]:
    """A seeds folder with the bundled article and `strike.md` (OLD), and the CLI's folder options."""
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    (seeds / "strike.md").write_text(OLD, encoding="utf-8")
    return ["--seeds", str(seeds), "--index-dir", str(tmp_path / "index")], seeds


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _seen(capsys: pytest.CaptureFixture[str], args: list[str]) -> dict[str, str]:
    """What a reader sees of the index: an answer, the article, the timeline, the entities."""
    views = {}
    for view, argv in {
        "answer": ["ask", STRIKE, "--json"],
        "source": ["source", "strike", "--json"],
        "timeline": ["timeline", "--json"],
        "entities": ["entities", "--json"],
    }.items():
        code, out, _ = _run(capsys, *args, *argv)
        views[view] = out if code == 0 else f"exit {code}"
    return views


def test_an_existing_id_is_refused_and_the_old_text_stays(desk, tmp_path, capsys):
    """Before: `ingest strike.md` stored `strike-2.md` beside it, said "added", exit 0, and both
    versions were answered.
    """
    args, seeds = desk
    assert _run(capsys, *args, "index", "build")[0] == 0
    upload = tmp_path / "strike.md"
    upload.write_text(NEW, encoding="utf-8")
    code, out, err = _run(capsys, *args, "ingest", str(upload))
    assert code == 2, (out, err)
    assert "strike.md: refused" in err and "'strike' (in strike.md)" in err and "--replace" in err
    assert "added" not in out.lower() and sorted(p.name for p in seeds.iterdir()) == [
        "000_e228878e0c08bf80.txt",
        "strike.md",
    ]
    seen = _seen(capsys, args)
    assert "March 9" in seen["answer"] and "April 14" not in seen["answer"]


def test_replace_reaches_answers_source_timeline_and_entities(desk, tmp_path, capsys):
    args, seeds = desk
    before = _seen(capsys, args)
    for old in ("Rotterdam", "Marta Vos"):
        assert old in before["entities"]
    assert "March 9, 2026" in before["timeline"] and "March 9" in before["source"]
    upload = tmp_path / "elsewhere" / "strike.md"
    upload.parent.mkdir()
    upload.write_text(NEW, encoding="utf-8")
    code, out, err = _run(capsys, *args, "ingest", "--replace", str(upload))
    assert code == 0, err
    assert "replaced 1 article (strike): 2 sentences, 1 timeline event, 2 names out; 2 sentences" in out
    after = _seen(capsys, args)
    for view, text in after.items():
        assert "Rotterdam" not in text and "Marta Vos" not in text and "March 9" not in text, view
    assert "April 14" in after["answer"] and "Antwerp" in after["source"] and "April 14, 2026" in after["timeline"]
    assert "Pieter Claes" in after["entities"] and "Antwerp" in after["entities"]
    assert (seeds / "strike.md").read_text(encoding="utf-8") == NEW and not (seeds / "strike-2.md").exists()


def test_remove_takes_an_article_out_of_everything(desk, capsys):
    args, seeds = desk
    assert "March 9" in _seen(capsys, args)["answer"]
    code, out, err = _run(capsys, *args, "remove", "strike", "no-such-article")
    assert code == 2  # an unknown id is bad input, but the known one is removed
    assert "no-such-article: no article has this id" in err
    assert "removed 1 article (strike): 2 sentences, 1 timeline event, 2 names." in out
    assert "index: 1 article," in out and not (seeds / "strike.md").exists()
    after = _seen(capsys, args)
    assert after["source"] == "exit 2"
    for view, text in after.items():
        assert "Rotterdam" not in text and "Marta Vos" not in text and "March 9" not in text, view
    assert _run(capsys, *args, "remove", "strike")[0] == 2  # gone: now unknown


def test_remove_of_a_record_keeps_the_rest_of_its_collection(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    records = [{"id": "a", "text": "The ferry to Texel leaves at noon."}, {"id": "b", "text": "The bridge reopens."}]
    (seeds / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    corpus = Corpus.open(seeds, tmp_path / "index")
    change = corpus.remove(["a"])
    assert change.removed == ["a"] and change.before.sentences == 1 and change.corpus is not None
    assert [a.doc_id for a in change.corpus.articles()] == ["b"]
    hits = change.corpus.answer("When does the ferry to Texel leave?").hits
    assert all(h.passage.doc_id == "b" for h in hits)
    assert (seeds / "feed.jsonl").read_text() == json.dumps(records[1]) + "\n"


def test_an_upload_cannot_take_over_another_articles_id(tmp_path):
    """A JSONL record, or a file whose front matter says `id: ban`, never takes the id `ban` of
    another file unless replacing is asked for; the other article is untouched.
    """
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "2026-07-03-ban.md").write_text("---\nid: ban\n---\nThe ban takes effect July 10.\n")
    corpus = Corpus.open(seeds, tmp_path / "index")
    record = json.dumps({"id": "ban", "text": "The ban takes effect December 25."}).encode()
    claim = b"---\nid: ban\n---\nThe ban takes effect December 25.\n"
    change = corpus.add_files([("wire.jsonl", record), ("ban.md", claim)])
    assert change.taken == ["ban"] and len(change.refused) == 2 and not change.written
    assert change.corpus is corpus and sorted(p.name for p in seeds.iterdir()) == ["2026-07-03-ban.md"]
    assert "July 10" in corpus.article("ban").body
    done = corpus.add_files([("wire.jsonl", record)], replace=True)
    assert done.replaced == ["ban"] and done.corpus is not None
    assert "December 25" in done.corpus.article("ban").body and len(done.corpus.articles()) == 1


def _ingest_process(args: list[str], path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args, "ingest", str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "DISCORD_TOKEN": ""},
    )


@pytest.mark.timeout(120)
def test_two_cli_ingests_at_once_both_succeed_and_the_second_says_it_waits(desk, tmp_path, capsys):
    """Two real processes while a third writer holds the lock: both say they wait, then both
    articles are indexed (before: builds at once deleted each other's generations).
    """
    args, seeds = desk
    assert _run(capsys, *args, "index", "build")[0] == 0
    uploads = []
    for name, text in (
        ("ferry.md", "The ferry to Texel leaves at noon."),
        ("bridge.md", "The bridge reopens on May 2."),
    ):
        uploads.append(tmp_path / name)
        uploads[-1].write_text(text)
    fd = os.open(seeds, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another writer
        runs = [_ingest_process(args, path) for path in uploads]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not all(_at_the_lock(seeds, run) for run in runs):
            time.sleep(0.1)
    finally:
        os.close(fd)
    results = [run.communicate(timeout=100) for run in runs]
    for run, (out, err) in zip(runs, results, strict=True):
        assert run.returncode == 0, err
        assert "waiting for another writer" in err and "Traceback" not in err
        assert "added 1 article" in out
    code, out, _ = _run(capsys, *args, "about", "--json")
    assert {"ferry", "bridge"} <= {a["doc_id"] for a in json.loads(out)["articles_list"]}
    assert "noon" in _run(capsys, *args, "ask", "When does the ferry to Texel leave?")[1]


def _at_the_lock(seeds: Path, run: subprocess.Popen[str]) -> bool:
    """Whether a process has reached the seeds folder's lock (it holds the folder open to lock it)."""
    try:
        fds = os.listdir(f"/proc/{run.pid}/fd")
    except OSError:
        return False
    target = str(seeds.resolve())
    for fd in fds:
        try:
            if os.readlink(f"/proc/{run.pid}/fd/{fd}") == target:
                return True
        except OSError:
            continue
    return False


def test_a_change_reads_only_the_files_that_changed(tmp_path, monkeypatch):
    """The ids each file holds are remembered in the index folder: a second change reads only the
    files written since the first (by it, or by hand: a new id), never the unchanged ones.
    """
    from index.ingest import files

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for n in range(5):
        (seeds / f"story-{n}.md").write_text(f"Story number {n} about the harbour.")
    corpus = Corpus.open(seeds, tmp_path / "index")
    first = corpus.add_files([("extra.md", b"An extra story about the ferry.")])
    assert first.added == ["extra"] and first.corpus is not None
    reads: list[str] = []
    real = files.file_ids
    monkeypatch.setattr(files, "file_ids", lambda path: reads.append(path.name) or real(path))
    (seeds / "story-0.md").write_text("---\nid: renamed\n---\nStory zero, now with its own id.")
    second = first.corpus.add_files([("renamed.md", b"Another story that wants the id renamed.")])
    assert reads == ["extra.md", "story-0.md"] and second.taken == ["renamed"] and not second.written


def test_a_replace_killed_between_its_writes_never_loses_the_article(tmp_path, monkeypatch):
    """Dying after the new version is written and before the old is removed leaves both (never
    neither): the index still opens and answers the id, and the next replace leaves one file.
    """
    from index.ingest import files

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "2026-03-02-strike.md").write_text("---\nid: strike\n---\nThe dock strike starts on March 9.")
    corpus = Corpus.open(seeds, tmp_path / "index")
    fixed = ("strike-fixed.md", b"---\nid: strike\n---\nThe dock strike starts on March 12.")

    def killed(owner: Path, ids: set[str]) -> None:
        raise KeyboardInterrupt  # the process dies here (SIGKILL runs no cleanup either)

    monkeypatch.setattr(files, "_remove_articles", killed)
    with pytest.raises(KeyboardInterrupt):
        corpus.add_files([fixed], replace=True)
    monkeypatch.undo()
    assert sorted(p.name for p in seeds.iterdir()) == ["2026-03-02-strike.md", "strike-fixed.md"]
    reopened = Corpus.open(seeds, tmp_path / "index")
    assert [a.doc_id for a in reopened.articles()] == ["strike"]
    assert any("strike" in w for w in reopened.stats()["warnings"])  # two files claim it: said
    again = reopened.add_files([fixed], replace=True)
    assert again.replaced == ["strike"] and [p.name for p in seeds.iterdir()] == ["strike-fixed.md"]
    assert again.corpus is not None and "March 12" in again.corpus.article("strike").body
