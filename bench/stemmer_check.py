"""Do other stemmers give nltk's English Snowball stems? `python -m bench.stemmer_check [DATA_DIR]
[--generated N] [--show K]`.

The reference is nltk's `SnowballStemmer("english")`, which built every index so far: a stemmer
that differs on one word gives that word another term, so another index and other answers. The
words: every distinct word the project's tokenizer hands the stemmer (`tokens._TOKEN` on
`tokens.normalise`d text, possessive and apostrophes dropped, numbers left out: they are never
stemmed) from every JSON, JSONL, TimeML and text file under DATA_DIR (default ../shared/data:
SQuAD train and dev, CoQA, MEANTIME, TempEval-3 train, CoNLL train and dev), then generated words:
every string of up to four letters over a small alphabet, roots with chains of Snowball's
suffixes, odd Unicode, letters with digits, apostrophes, long words; and `--random N` random
strings over a wider alphabet (curly apostrophes, "ı", "ß", "é") with suffixes.
Candidates: this project's port (`index.search.snowball`), and PyStemmer and snowballstemmer when
installed (`pip install pystemmer snowballstemmer`). Prints, per candidate and word set, the
number of words whose stem differs, the first K of them, and the stems a CPU second.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from importlib import metadata
from pathlib import Path

from index.search import snowball, tokens

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
SUFFIXES = (
    "s es ed ing ly edly ingly eed eedly ied ies sses ss us ization ational fulness ousness iveness "
    "tional biliti bility lessli lessly entli ently ation alism aliti ality ousli ously iviti ivity "
    "fulli fully enci ency anci ancy abli ably izer ator alli ally bli bly ogi ogy li alize icate "
    "iciti icity ative ical ness ful ement ance ence able ible ment ant ent ism ate iti ous ive ize "
    "ion al er ic e l y 's '"
).split()
ROOTS = (
    "add gener commun arsen general communal arsenal sky ski news proceed exceed succeed bias "
    "atlas cosmos andes inning herring earring canning outing die lie tie idl gentl ugl earl onl "
    "singl hop hope plan ban bann nation ration relat condition rational operat organ real digit "
    "cri fly tri ply hurr stud emplo enjo obe sa pla y ya ye yo yy ay ey oy uy by cy dy fy "
    "happ penn agre fe se bl at iz control fals pot tap fil fizz hiss bless kiss bus gas "
    "analog log geolog apolog bio anthrop claud qod alibab trump isra ukrain gaz tech"
).split()
ODD = [
    "straße",
    "strasse",
    "ı",
    "ıstanbul",
    "i̇stanbul",
    "ǆungla",
    "ﬁnance",
    "ﬂying",
    "ǳ",
    "ŉ",
    "ſtate",
    "ελληνικά",
    "αθήνα",
    "москва",
    "украины",
    "東京",
    "北京市",
    "日本語",
    "한국어",
    "עברית",
    "العربية",
    "हिन्दी",
    "ไทย",
    "ⅻ",
    "²",
    "ⓐbc",
    "àéîõü",
    "ÿes",
    "naïve",
    "coöperate",
    "café",
    "x" * 300,
    "y" * 300,
    "ying" * 50,
    "eed" * 40,
    "ization" * 30,
    "antidisestablishmentarianism",
    "pneumonoultramicroscopicsilicovolcanoconiosis",
    "supercalifragilisticexpialidociously",
    "covid19",
    "mp3s",
    "a1b2c3",
    "g7",
    "b52s",
    "x86",
    "u2",
    "3d",
    "o'neill",
    "'tis",
    "'s",
    "''",
    "'",
    "rock'n'roll",
    "d'artagnan's",
    "ma’am",
    "‘quoted’",
    "o‛brien",
    "don't",
    "ain't",
    "y'all",
    "yaying",
    "yellowly",
    "generously",
    "communities",
]


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def data_texts(folder: Path) -> Iterator[tuple[str, str]]:
    """(file or folder name, text) of every string of the data's JSON files and every text file's body."""
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".json":
            for text in _strings(json.loads(path.read_text(encoding="utf-8"))):
                yield path.name, text
        elif path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    for text in _strings(json.loads(line)):
                        yield path.name, text
        elif path.suffix in (".tml", ".txt", ".md"):
            name = f"{path.parent.name}/*.tml" if path.suffix == ".tml" else path.name
            yield name, path.read_text(encoding="utf-8", errors="replace")


def stemmed_words(texts: Iterable[str]) -> set[str]:
    """The words the tokenizer would hand the stemmer (`tokens._term`'s, stopwords included)."""
    out: set[str] = set()
    for text in texts:
        for raw in tokens._TOKEN.findall(tokens.normalise(text)):
            if raw[0].isdigit():
                continue
            word = (raw[:-2] if raw.endswith("'s") else raw).replace("'", "")
            if word:
                out.add(word)
    return out


def generated_words(count: int, seed: int = 17) -> set[str]:
    """Short strings exhaustively, roots with suffix chains, odd Unicode, random words."""
    out = set(ODD)
    for length in range(1, 5):
        out.update("".join(t) for t in itertools.product("aeiouybdlnst'", repeat=length))
    for root in ROOTS:
        for first in SUFFIXES:
            out.add(root + first)
            for second in SUFFIXES:
                out.add(root + first + second)
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vowels = "aeiouy"
    while len(out) < count:
        syllables = rng.randint(1, 4)
        word = "".join(rng.choice(letters) + rng.choice(vowels) + rng.choice(letters) for _ in range(syllables))
        for _ in range(rng.randint(0, 3)):
            word += rng.choice(SUFFIXES)
        out.add(word)
    return out


def random_words(count: int, seed: int = 2026) -> list[str]:
    """Random strings over letters, y, apostrophes (straight and curly) and a few non-ASCII
    letters, with up to three of Snowball's suffixes: the rules' odd paths, and their exceptions.
    """
    rng = random.Random(seed)
    alphabet = "aeiouyybcdfghklmnprstvwxz\u00e9'\u0131\u2019\u00df"
    return [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 10)))
        + "".join(rng.choice(SUFFIXES) for _ in range(rng.randint(0, 3)))
        for _ in range(count)
    ]


def candidates() -> dict[str, Callable[[str], str]]:
    """Each stemmer to compare, by name (those installed)."""
    found: dict[str, Callable[[str], str]] = {"index.search.snowball": snowball.stem}
    try:
        import Stemmer

        found[f"PyStemmer {metadata.version('pystemmer')}"] = Stemmer.Stemmer("english").stemWord
    except ImportError:
        pass
    try:
        import snowballstemmer

        other = snowballstemmer.stemmer("english")
        found[f"snowballstemmer {metadata.version('snowballstemmer')}"] = other.stemWord
    except ImportError:
        pass
    return found


def _stem_all(stem: Callable[[str], str], words: list[str]) -> tuple[list[str], float]:
    start = time.process_time()
    out = []
    for word in words:
        try:
            out.append(stem(word))
        except Exception as exc:  # a stemmer that raises is a difference too
            out.append(f"<{type(exc).__name__}>")
    return out, time.process_time() - start


def compare(sets: dict[str, list[str]], show: int) -> int:
    """Print the differences from nltk per candidate and set; the total number of differences."""
    from nltk.stem.snowball import SnowballStemmer

    reference = SnowballStemmer("english").stem
    total = 0
    for set_name, words in sets.items():
        expected, seconds = _stem_all(reference, words)
        print(f"\n{set_name}: {len(words):,} words; nltk {len(words) / max(seconds, 1e-9):,.0f} stems a CPU s")
        for name, stem in candidates().items():
            got, seconds = _stem_all(stem, words)
            diffs = [(w, e, g) for w, e, g in zip(words, expected, got, strict=True) if e != g]
            total += len(diffs) if name == "index.search.snowball" else 0
            rate = len(words) / max(seconds, 1e-9)
            print(f"  {name}: {len(diffs):,} differ ({rate:,.0f} stems a CPU s)")
            for word, want, have in diffs[:show]:
                print(f"    {word!r}: nltk {want!r}, {name.split()[0]} {have!r}")
    return total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--generated", type=int, default=600_000, help="generated words (at least)")
    ap.add_argument("--random", type=int, default=1_000_000, help="random words over a wider alphabet")
    ap.add_argument("--show", type=int, default=12, help="differences printed per candidate")
    args = ap.parse_args(argv)
    by_file: dict[str, list[str]] = {}
    for name, text in data_texts(args.data):
        by_file.setdefault(name, []).append(text)
    data_words = set()
    for name, texts in by_file.items():
        words = stemmed_words(texts)
        print(f"{name}: {len(words):,} distinct words")
        data_words |= words
    sets = {
        f"data ({args.data})": sorted(data_words),
        "generated": sorted(generated_words(args.generated) - data_words),
        "random": random_words(args.random),
    }
    differ = compare(sets, args.show)
    print(f"\nindex.search.snowball against nltk: {differ} differences")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
