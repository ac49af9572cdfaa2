"""What a fresh `python -m bot ask` process loads: only what answering needs (each package a
one-question process imports is paid again by every CLI call; see docs/scale.md, round 16).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.startup import command_of
from index.corpus import Corpus
from tests.conftest import ROOT

# Parsers of front matter and free-form dates: an ingest reads them, a question never does; nltk
# (Punkt, for an ingest's sentences: the question's stems come from index.search.snowball); the
# names recogniser (an ingest's or a build's); the date tagger, for the question's dates only when
# a candidate's article is dated (the bundled seed is not).
NOT_FOR_ASKING = ("yaml", "dateutil.parser", "nltk", "index.names.recogniser", "index.time.tagger")


def _ask_loads(seeds_dir: Path, index_dir: Path, cwd: Path) -> tuple[int, list[str]]:
    """(exit code, which of NOT_FOR_ASKING are loaded) of a fresh process's `ask`."""
    probe = (
        "import json, sys\n"
        "from bot.cli import main\n"
        f"code = main(['--seeds', {str(seeds_dir)!r}, '--index-dir', {str(index_dir)!r}, 'ask', 'who founded it'])\n"
        f"print(json.dumps([code, sorted(m for m in {NOT_FOR_ASKING!r} if m in sys.modules)]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("SEEDS_DIR", "INDEX_DIR", "ANSWER_COUNT")}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=cwd, check=True, env=env)
    code, loaded = json.loads(done.stdout.splitlines()[-1])
    return code, loaded


def test_ask_loads_no_front_matter_or_date_parser(
    corpus: Corpus, seeds_dir: Path, index_dir: Path, tmp_path: Path
) -> None:
    """On a built index (the `corpus` fixture built it), as a user's second command after an ingest."""
    assert _ask_loads(seeds_dir, index_dir, tmp_path) == (0, [])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # the same probe sees the parsers once front matter is read (the check can fail)
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from index.ingest.articles import load_front_matter; "
            "load_front_matter('id: x'); print('yaml' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
        env=env,
    )
    assert loaded.stdout.strip() == "True"


def test_ask_tags_the_question_when_a_candidate_is_dated(tmp_path: Path) -> None:
    """The tagger, left out above, is loaded when it is needed (the check can fail)."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "dated.md").write_text(
        "---\ntitle: Founders\ndate: 2026-07-01\n---\nThe company was founded by two engineers in 2019.\n",
        encoding="utf-8",
    )
    Corpus.open(seeds, tmp_path / "index")
    assert _ask_loads(seeds, tmp_path / "index", tmp_path) == (0, ["index.time.tagger"])


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["ask", "who ran it"], "ask"),
        (["--seeds", "serve", "--index-dir", "run", "-v", "ask", "serve"], "ask"),  # folders named as commands
        (["-v", "serve"], "serve"),
        (["--help"], None),
    ],
)
def test_the_command_is_read_as_the_parser_reads_it(argv: list[str], command: str | None) -> None:
    assert command_of(argv) == command


def _huge_pages(argv: list[str] | None, preset: str | None) -> bool:
    """Whether numpy asks for huge pages in a process prepared for `python -m bot ARGV` (None: not prepared)."""
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    if preset is not None:
        env["NUMPY_MADVISE_HUGEPAGE"] = preset
    env["PYTHONPATH"] = str(ROOT)
    probe = (
        "" if argv is None else f"from bot.startup import prepare_process\nprepare_process({argv!r})\n"
    ) + "import numpy._core.multiarray as m\nprint(m._get_madvise_hugepage())\n"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env)
    return done.stdout.strip() == "True"


def test_one_command_processes_ask_numpy_for_no_huge_pages() -> None:
    assert not _huge_pages(["--seeds", "serve", "ask", "who"], None)
    assert not _huge_pages(["ingest", "one.md"], None)
    assert _huge_pages(["ask", "who"], "1")  # the environment decides when it says
    default = _huge_pages(None, None)
    assert _huge_pages(["serve"], None) == default  # the serving commands keep numpy's default


def test_ingest_of_one_article_loads_punkt_without_the_rest_of_nltk(
    corpus: Corpus, seeds_dir: Path, tmp_path: Path
) -> None:
    """A fresh `ingest` (round 18): nltk's Punkt and the modules it needs, not nltk's corpora,
    translation or chunking packages (0.15-0.2 CPU s); of the tagger's rules, those its words run."""
    article = tmp_path / "one.md"
    article.write_text(
        "---\ntitle: Festival\ndate: 2026-11-25\n---\nThe festival opened on Tuesday. It runs for nine days.\n",
        encoding="utf-8",
    )
    probe = (
        "import json, sys\n"
        "from bot.cli import main\n"
        f"code = main(['--seeds', {str(seeds_dir)!r}, '--index-dir', {str(corpus.index_dir)!r}, 'ingest', {str(article)!r}])\n"
        "from index.time.rules import RULES\n"
        "heavy = sorted(m for m in ('nltk.corpus', 'nltk.translate', 'nltk.chunk', 'nltk.parse') if m in sys.modules)\n"
        "compiled = sum(rule._regex is not None for rule in RULES)\n"
        "print(json.dumps([code, 'nltk.tokenize.punkt' in sys.modules, heavy, compiled, len(RULES)]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("SEEDS_DIR", "INDEX_DIR", "ANSWER_COUNT")}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, check=True, env=env
    )
    code, punkt, heavy, compiled, rules = json.loads(done.stdout.splitlines()[-1])
    assert (code, punkt, heavy) == (0, True, [])
    assert 0 < compiled < rules // 2
