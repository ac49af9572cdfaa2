"""What a fresh `python -m bot ask` process loads: only what answering needs (each package a
one-question process imports is paid again by every CLI call; see docs/scale.md, round 16).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from index.corpus import Corpus
from tests.conftest import ROOT

# Parsers of front matter and free-form dates: an ingest reads them, a question never does.
NOT_FOR_ASKING = ("yaml", "dateutil.parser")


def test_ask_loads_no_front_matter_or_date_parser(
    corpus: Corpus, seeds_dir: Path, index_dir: Path, tmp_path: Path
) -> None:
    """On a built index (the `corpus` fixture built it), as a user's second command after an ingest."""
    probe = (
        "import json, sys\n"
        "from bot.cli import main\n"
        f"code = main(['--seeds', {str(seeds_dir)!r}, '--index-dir', {str(index_dir)!r}, 'ask', 'who founded it'])\n"
        f"print(json.dumps([code, sorted(m for m in {NOT_FOR_ASKING!r} if m in sys.modules)]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("SEEDS_DIR", "INDEX_DIR", "ANSWER_COUNT")}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, check=True, env=env
    )
    assert json.loads(done.stdout.splitlines()[-1]) == [0, []]
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
