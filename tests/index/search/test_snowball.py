"""`index.search.snowball` gives nltk's English Snowball stems (the index's terms) without nltk."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.search import snowball
from tests.conftest import ROOT

# word -> nltk's stem. Marked: where the Snowball project's own stemmers (PyStemmer 3.1,
# snowballstemmer 3.1) give another stem, the reason none of them was adopted.
TRICKY = {
    "added": "ad",  # Snowball "add"
    "ebbing": "eb",  # Snowball "ebb"
    "anthropologists": "anthropologist",  # Snowball "anthropolog"
    "creolization": "creolize",  # Snowball "creoliz"
    "banization": "banize",  # Snowball "baniz"
    "addationally": "addate",  # Snowball "addat" (nltk's R2 after -ational is "e")
    "addational": "addat",
    "generously": "generous",  # gener-, commun-, arsen-: R1 starts after the prefix
    "generalization": "general",
    "communities": "communiti",
    "arsenals": "arsenal",
    "nationalization": "nation",
    "conditionally": "condit",
    "hopefulness": "hope",
    "dying": "die",  # the special words
    "skies": "sky",
    "innings": "inning",
    "proceeded": "proceed",
    "news": "news",
    "only": "onli",
    "yaying": "yay",  # y after a vowel is a consonant
    "sayings": "say",
    "yyyy": "yyyi",
    "eyeing": "eye",
    "obeyed": "obey",
    "flies": "fli",
    "ied": "ie",
    "sses": "ss",
    "caresses": "caress",
    "o'neill": "o'neil",  # apostrophes (the tokenizer drops them; the stemmer keeps nltk's rules)
    "'tis": "tis",
    "d'artagnan's": "d'artagnan",
    "'quoted'": "quot",
    "'s'": "s",
    "''": "''",
    "o\u2019brien": "o'brien",  # Snowball keeps the curly apostrophe
    "COMMUNITIES": "communiti",  # Snowball does not lower-case
    "x": "x",
    "by": "by",
    "naïve": "naïv",  # letters beyond ASCII pass through the rules
    "straße": "straße",
    "москва": "москва",
    "東京": "東京",
    "\ufb01nance": "\ufb01nanc",
    "covid19": "covid19",
    "mp3s": "mp3s",
    "eed" * 5: "eedeedeedeede",
    "ization" * 4: "izationizationization",
    "y" * 12: "y" * 11 + "i",
    "antidisestablishmentarianism": "antidisestablishmentarian",
}


@pytest.mark.parametrize(("word", "expected"), TRICKY.items())
def test_tricky_words_stem_as_nltk_stems_them(word: str, expected: str) -> None:
    assert snowball.stem(word) == expected


def test_the_expected_stems_are_nltks() -> None:
    from nltk.stem.snowball import SnowballStemmer

    nltk_stem = SnowballStemmer("english").stem
    assert {word: nltk_stem(word) for word in TRICKY} == TRICKY


SUFFIXES = "s es ed ing ly edly ingly eed ied ies ization ational tional ation ator alli ousli iveness biliti ogi li alize icate ative ical ness ful ement ance ence able ment ant ent ism ate iti ous ive ize ion al er ic e l y 's".split()


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet="abcdeilnorstuy'", min_size=1, max_size=9),
    st.lists(st.sampled_from(SUFFIXES), max_size=3),
)
def test_generated_words_stem_as_nltk_stems_them(root: str, suffixes: list[str]) -> None:
    from nltk.stem.snowball import SnowballStemmer

    word = root + "".join(suffixes)
    assert snowball.stem(word) == SnowballStemmer("english").stem(word)


def test_tokenizing_imports_no_nltk() -> None:
    """A question's terms cost no import of nltk (0.25-0.34 CPU s a fresh process, docs/scale.md)."""
    probe = (
        "import sys\nfrom index.search import tokens\n"
        "assert tokens.tokenize('Who added the banization?') == ['ad', 'banize']\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'nltk'))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env)
    assert done.stdout.strip() == "[]"
