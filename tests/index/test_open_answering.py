"""`Corpus.open(answering=True)` imports the answer path while the index opens; without it
(`entities`, `timeline`) nothing of it is imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from index.corpus import Corpus

PROBE = """
import json, sys, threading
from index.corpus import Corpus
corpus = Corpus.open({seeds!r}, {index!r}, answering={answering})
for thread in threading.enumerate():
    if thread.name == "import-answer-path":
        thread.join()
print(json.dumps(sorted(m for m in ("nltk", "index.answer.answers") if m in sys.modules)))
"""


def _imported(seeds: Path, index: Path, answering: bool) -> list[str]:
    code = PROBE.format(seeds=str(seeds), index=str(index), answering=answering)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded: list[str] = json.loads(done.stdout.splitlines()[-1])
    return loaded


def test_an_answering_open_imports_the_answer_path_meanwhile(tmp_path: Path) -> None:
    seeds, index = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    (seeds / "a.txt").write_text("The council approved the harbour budget on Monday.", encoding="utf-8")
    Corpus.open(seeds, index)  # built here: a build splits sentences with nltk's Punkt
    assert _imported(seeds, index, answering=False) == []
    assert _imported(seeds, index, answering=True) == ["index.answer.answers", "nltk"]
