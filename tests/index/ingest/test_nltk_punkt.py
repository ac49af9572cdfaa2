"""Punkt is imported without the rest of nltk (`index.ingest.nltk_punkt`), and nltk stays whole for
any later use in the process: fresh interpreters, as a `python -m bot ingest` process starts."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_punkt_comes_without_the_rest_of_nltk_which_stays_whole_for_later_use() -> None:
    out = _run(
        """
        import sys
        from index.ingest.nltk_punkt import punkt
        module = punkt()
        light = sorted(m for m in sys.modules if m.startswith("nltk"))
        assert "nltk.corpus" not in light and "nltk.translate" not in light and "nltk.chunk" not in light, light
        import nltk
        import nltk.tokenize.punkt
        from nltk.tokenize.punkt import PunktSentenceTokenizer
        assert nltk.tokenize.punkt is module and PunktSentenceTokenizer is module.PunktSentenceTokenizer
        assert nltk.PunktSentenceTokenizer is PunktSentenceTokenizer  # the package's own names, once whole
        assert nltk.sent_tokenize is nltk.tokenize.sent_tokenize and "word_tokenize" in dir(nltk)
        from nltk.tokenize import TweetTokenizer
        assert TweetTokenizer().tokenize("so :) good") == ["so", ":)", "good"]
        from nltk.stem.snowball import SnowballStemmer
        assert SnowballStemmer("english").stem("added") == "ad"
        assert nltk.__version__ and "nltk.translate" in sys.modules
        assert punkt() is module
        print(len(light))
        """
    )
    assert int(out) > 0


def test_nltk_first_reached_through_a_submodule_is_imported_whole() -> None:
    _run(
        """
        import sys
        from index.ingest.nltk_punkt import punkt
        module = punkt()
        assert "nltk" not in sys.modules  # the packages left; Punkt and its modules stayed
        from nltk.stem.snowball import SnowballStemmer  # nltk's __init__ runs first, in its usual order
        assert SnowballStemmer("english").stem("added") == "ad"
        import nltk
        assert nltk.tokenize.punkt is module and "nltk.translate" in sys.modules
        assert not any(type(f).__module__ == "index.ingest.nltk_punkt" for f in sys.meta_path)
        """
    )


def test_after_a_whole_import_punkt_is_the_ordinary_module() -> None:
    _run(
        """
        import sys
        import nltk
        from index.ingest.nltk_punkt import punkt
        assert punkt() is sys.modules["nltk.tokenize.punkt"] is nltk.tokenize.punkt
        """
    )


def test_a_splitter_trained_in_a_fresh_process_imports_no_other_nltk(tmp_path: Path) -> None:
    out = _run(
        """
        import sys
        from index.ingest.sentences import train_splitter
        splitter = train_splitter(["Mr. Smith went to Washington. He met Dr. Jones at 5 p.m. on Friday."])
        print([s for s in splitter.tokenize("Mr. Smith went to Washington. He met Dr. Jones.")])
        assert "nltk.corpus" not in sys.modules and "nltk.translate" not in sys.modules
        """
    )
    assert out == str(["Mr. Smith went to Washington.", "He met Dr. Jones."])
